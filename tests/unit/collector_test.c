/*
 * tests/unit/collector_test.c: the collector's threads on real loopback
 * sockets: every datagram sent is ingested exactly once, always by the
 * one thread that owns its agent, for 1-4 shards, IPv4 and IPv6 senders
 * and agents; the handoff rings when kernel steering is taken away; the
 * kernel drop counter when a shard stalls; and capture replay, whose
 * datagram counts must equal sflowtool's golden decodes of the shared
 * captures and whose pace follows the capture clock.
 *
 * The store here is a test double of analyzer/store.h: this test is about
 * which thread receives what, not about what a store does with it. Every
 * store.h function is defined below, so the real analyzer/store.o is never
 * pulled from libanalyzer.a into this binary.
 */
#include "analyzer/clock.h"
#include "analyzer/collector.h"
#include "analyzer/store.h"
#include "tests/lib/test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_DETACH_REUSEPORT_BPF
#define SO_DETACH_REUSEPORT_BPF 68
#endif

#define MAX_SHARDS 4
#define MAX_SEEN 512
#define ANY_AGENTS 0xffffffffu
#define PCAPS "../shared/testdata/sflow-pcaps"

/* What one store double saw. `seen` is written by the ingesting thread and
 * read by the test only after collector_stop() joined it. */
struct store {
	unsigned index;
	_Atomic uint64_t datagrams;
	_Atomic uint64_t ticks;
	_Atomic uint64_t wrong_thread;  /* ingest calls from a second thread */
	_Atomic uint64_t from_v4, from_v6, from_other;
	_Atomic uint64_t headless;      /* too short for an agent address */
	_Atomic bool has_owner;
	pthread_t owner;
	size_t nseen;
	struct {
		uint8_t key[20];            /* address type and address */
		uint64_t count;
	} seen[MAX_SEEN];
};

static _Atomic bool block_ingest;  /* store_ingest waits while set */
static _Atomic bool ingest_blocked; /* it is waiting now */

struct store *store_new(unsigned index, const struct store_limits *lim)
{
	struct store *s = calloc(1, sizeof(*s));

	(void)lim;
	if (s)
		s->index = index;
	return s;
}

void store_free(struct store *s)
{
	free(s);
}

void store_set_limits(struct store *s, const struct store_limits *lim)
{
	(void)s;
	(void)lim;
}

static void note_source(struct store *s, const struct sockaddr_storage *src)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)src;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)src;

	if (src->ss_family == AF_INET && s4->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
		atomic_fetch_add(&s->from_v4, 1);
	else if (src->ss_family == AF_INET6 && memcmp(&s6->sin6_addr, lo6, 16) == 0)
		atomic_fetch_add(&s->from_v6, 1);
	else
		atomic_fetch_add(&s->from_other, 1);
}

static void note_agent(struct store *s, const uint8_t *buf, size_t len)
{
	uint8_t key[20] = { 0 };
	size_t i;

	memcpy(key, buf + 4, len - 4 < sizeof(key) ? len - 4 : sizeof(key));
	if (key[3] == 1)
		memset(key + 8, 0, 12); /* IPv4: the rest is the sub-agent */
	for (i = 0; i < s->nseen; i++)
		if (memcmp(s->seen[i].key, key, sizeof(key)) == 0)
			break;
	if (i == MAX_SEEN)
		return;
	if (i == s->nseen)
		memcpy(s->seen[s->nseen++].key, key, sizeof(key));
	s->seen[i].count++;
}

void store_ingest(struct store *s, const uint8_t *buf, size_t len,
		  const struct sockaddr_storage *src, uint64_t now_ms)
{
	(void)now_ms;
	if (!atomic_load(&s->has_owner)) {
		s->owner = pthread_self();
		atomic_store(&s->has_owner, true);
	} else if (!pthread_equal(s->owner, pthread_self())) {
		atomic_fetch_add(&s->wrong_thread, 1);
	}
	for (int i = 0; atomic_load(&block_ingest) && i < 1000; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		atomic_store(&ingest_blocked, true);
		nanosleep(&ts, NULL);
	}
	note_source(s, src);
	if (len >= 12)
		note_agent(s, buf, len);
	else
		atomic_fetch_add(&s->headless, 1);
	atomic_fetch_add(&s->datagrams, 1);
}

void store_tick(struct store *s, uint64_t now_ms)
{
	(void)now_ms;
	atomic_fetch_add(&s->ticks, 1);
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->datagrams = atomic_load(&s->datagrams);
}

/* A collector over n fresh store doubles. */
struct rig {
	struct store *v[MAX_SHARDS];
	struct store_set ss;
	struct collector *c;
};

static bool rig_start(struct rig *r, unsigned n, const struct collector_opts *o)
{
	char err[256] = "";

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < n; i++)
		r->v[i] = store_new(i, NULL);
	r->ss = (struct store_set){ r->v, n };
	r->c = collector_start(o, &r->ss, NULL, err, sizeof(err));
	if (!r->c)
		printf("  collector_start: %s\n", err);
	return r->c != NULL;
}

static uint64_t rig_ingested(struct rig *r)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < r->ss.n; i++)
		n += atomic_load(&r->v[i]->datagrams);
	return n;
}

/* Stop the collector; the stores stay readable until rig_free(). */
static void rig_stop(struct rig *r)
{
	collector_stop(r->c);
	r->c = NULL;
}

static void rig_free(struct rig *r)
{
	rig_stop(r);
	for (unsigned i = 0; i < r->ss.n; i++)
		store_free(r->v[i]);
}

/* Wait (at most 10 s) until cond(r) >= want. */
static uint64_t wait_for(struct rig *r, uint64_t (*cond)(struct rig *), uint64_t want)
{
	for (int i = 0; i < 1000 && cond(r) < want; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	return cond(r);
}

/* Agent i: 10.2.i.1 (even i) or 2001:db8::i (odd i), v5 header, no samples. */
static size_t make_datagram(uint8_t *b, unsigned i, uint32_t seq)
{
	memset(b, 0, 48);
	b[3] = 5;
	if (i % 2 == 0) {
		b[19] = (uint8_t)seq; /* sequence number after the sub-agent id */
		b[7] = 1;
		b[8] = 10, b[9] = 2, b[10] = (uint8_t)i, b[11] = 1;
		return 28;
	}
	b[7] = 2;
	b[8] = 0x20, b[9] = 0x01, b[10] = 0x0d, b[11] = 0xb8;
	b[23] = (uint8_t)i;
	b[31] = (uint8_t)seq;
	return 40;
}

static socklen_t loopback(const char *dst, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(dst, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, dst, &s6->sin6_addr);
		return sizeof(*s6);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons(port);
	inet_pton(AF_INET, dst, &((struct sockaddr_in *)ss)->sin_addr);
	return sizeof(struct sockaddr_in);
}

/* Send `rounds` datagrams of each of `agents` agents from `nsock` sockets
 * (distinct source ports) to dst; returns how many sendto() accepted. */
static uint64_t send_agents(const char *dst, uint16_t port, unsigned agents, unsigned rounds,
			    unsigned nsock)
{
	struct sockaddr_storage ss;
	socklen_t sl = loopback(dst, port, &ss);
	int fds[16];
	uint64_t sent = 0;
	uint8_t b[48];

	for (unsigned k = 0; k < nsock; k++)
		fds[k] = socket(ss.ss_family, SOCK_DGRAM, 0);
	for (unsigned r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < agents; i++) {
			size_t len = make_datagram(b, i, r);

			if (sendto(fds[(r + i) % nsock], b, len, 0, (struct sockaddr *)&ss, sl) ==
			    (ssize_t)len)
				sent++;
		}
		usleep(1000); /* loopback is faster than a debug-build reader */
	}
	for (unsigned k = 0; k < nsock; k++)
		close(fds[k]);
	return sent;
}

/* After collector_stop(): each agent was seen by exactly one store, the
 * one collector_owner_shard() names, from one thread per store. */
static void check_ownership(struct rig *r, uint64_t want_total, unsigned want_agents)
{
	uint64_t total = 0;
	unsigned agents = 0;
	uint8_t b[24] = { 0, 0, 0, 5 };

	for (unsigned i = 0; i < r->ss.n; i++) {
		struct store *s = r->v[i];

		CHECK_EQ_U64(atomic_load(&s->wrong_thread), 0);
		for (size_t k = 0; k < s->nseen; k++) {
			memcpy(b + 4, s->seen[k].key, 20);
			CHECK_EQ_U64(collector_owner_shard(b, sizeof(b), r->ss.n), i);
			for (unsigned j = 0; j < r->ss.n; j++)
				for (size_t m = 0; j != i && m < r->v[j]->nseen; m++)
					CHECK(memcmp(r->v[j]->seen[m].key, s->seen[k].key, 20) != 0);
			total += s->seen[k].count;
			agents++;
		}
		total += atomic_load(&s->headless);
	}
	CHECK_EQ_U64(total, want_total);
	if (want_agents != ANY_AGENTS)
		CHECK_EQ_U64(agents, want_agents);
}

static void one_live_run(unsigned n, const char *host, const char *const *dsts)
{
	struct collector_opts o = { .hostname = host, .rcvbuf_bytes = 4 << 20 };
	struct collector_stats st;
	struct rig r;
	uint64_t sent = 0, v4 = 0, v6 = 0;

	if (!rig_start(&r, n, &o)) {
		CHECK(0);
		rig_free(&r);
		return;
	}
	CHECK(collector_steered(r.c) == (n > 1));
	for (const char *const *d = dsts; *d; d++)
		sent += send_agents(*d, collector_port(r.c), 32, 10, 4);
	CHECK_EQ_U64(wait_for(&r, rig_ingested, sent), sent);
	collector_get_stats(r.c, &st);
	CHECK_EQ_U64(st.datagrams, sent);
	CHECK_EQ_U64(st.handoffs, 0); /* the kernel put each on its owner's socket */
	CHECK_EQ_U64(st.ring_drops + st.kernel_drops + st.runts, 0);
	CHECK(st.bytes == sent / 2 * 28 + sent / 2 * 40);
	rig_stop(&r);
	for (unsigned i = 0; i < n; i++) {
		v4 += atomic_load(&r.v[i]->from_v4);
		v6 += atomic_load(&r.v[i]->from_v6);
		CHECK_EQ_U64(atomic_load(&r.v[i]->from_other), 0);
	}
	CHECK_EQ_U64(v4 + v6, sent);
	CHECK(strchr(dsts[0], ':') ? v6 > 0 : v4 > 0);
	check_ownership(&r, sent, 32);
	rig_free(&r);
}

TEST(live_ipv4_one_to_four_shards)
{
	static const char *const d[] = { "127.0.0.1", NULL };

	for (unsigned n = 1; n <= MAX_SHARDS; n++)
		one_live_run(n, "127.0.0.1", d);
}

TEST(live_ipv6_one_to_four_shards)
{
	static const char *const d[] = { "::1", NULL };

	for (unsigned n = 1; n <= MAX_SHARDS; n++)
		one_live_run(n, "::1", d);
}

TEST(live_dual_stack_both_families)
{
	static const char *const d[] = { "127.0.0.1", "::1", NULL };

	for (unsigned n = 1; n <= MAX_SHARDS; n++)
		one_live_run(n, NULL, d);
}

/* Take the steering program away from the group bound to `port` (our own
 * sockets, found among this process's descriptors). */
static bool detach_steering(uint16_t port)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int one = 1;

		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == -1 ||
		    ((struct sockaddr_in *)&ss)->sin_port != htons(port))
			continue;
		return setsockopt(fd, SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, &one, sizeof(one)) == 0;
	}
	return false;
}

TEST(handoff_rings_keep_one_owner_without_steering)
{
	struct collector_opts o = { .hostname = "127.0.0.1", .rcvbuf_bytes = 4 << 20 };
	struct collector_stats st;
	struct rig r;
	uint64_t sent;

	if (!rig_start(&r, MAX_SHARDS, &o)) {
		CHECK(0);
		rig_free(&r);
		return;
	}
	CHECK(detach_steering(collector_port(r.c)));
	/* the kernel now picks a socket by hashing the 4-tuple: 8 source ports */
	sent = send_agents("127.0.0.1", collector_port(r.c), 32, 16, 8);
	CHECK_EQ_U64(wait_for(&r, rig_ingested, sent), sent);
	collector_get_stats(r.c, &st);
	CHECK_EQ_U64(st.datagrams, sent);
	CHECK(st.handoffs > 0);
	CHECK(st.handoffs < sent);
	CHECK_EQ_U64(st.ring_drops, 0);
	rig_stop(&r);
	check_ownership(&r, sent, 32);
	rig_free(&r);
}

static uint64_t rig_accounted(struct rig *r)
{
	struct collector_stats st;

	collector_get_stats(r->c, &st);
	return rig_ingested(r) + st.kernel_drops;
}

TEST(kernel_drops_are_counted)
{
	struct collector_opts o = { .hostname = "127.0.0.1", .rcvbuf_bytes = 4096 };
	struct collector_stats st;
	struct rig r;
	uint64_t sent;

	if (!rig_start(&r, 1, &o)) {
		CHECK(0);
		rig_free(&r);
		return;
	}
	atomic_store(&block_ingest, true);
	sent = send_agents("127.0.0.1", collector_port(r.c), 1, 1, 1);
	for (int i = 0; i < 500 && !atomic_load(&ingest_blocked); i++)
		usleep(10000);
	CHECK(atomic_load(&ingest_blocked));
	/* the shard is stuck in ingest: a 4 KiB buffer overflows */
	for (int k = 0; k < 10; k++)
		sent += send_agents("127.0.0.1", collector_port(r.c), 200, 1, 1);
	collector_get_stats(r.c, &st);
	CHECK(st.kernel_drops > 0);
	atomic_store(&block_ingest, false);
	CHECK_EQ_U64(wait_for(&r, rig_accounted, sent), sent);
	collector_get_stats(r.c, &st);
	CHECK_EQ_U64(st.datagrams + st.kernel_drops, sent);
	printf("  %" PRIu64 " sent, %" PRIu64 " received, %" PRIu64 " dropped by the kernel\n",
	       sent, st.datagrams, st.kernel_drops);
	rig_free(&r);
}

TEST(start_errors)
{
	struct collector_opts o = { .hostname = "127.0.0.1" };
	struct collector_opts bad = { .file = "/nonexistent/x.pcap" };
	struct rig r, r2;
	char err[256] = "";
	struct store_set empty = { NULL, 0 };

	CHECK(collector_start(&o, &empty, NULL, err, sizeof(err)) == NULL);
	if (!rig_start(&r, 2, &o)) {
		CHECK(0);
		rig_free(&r);
		return;
	}
	o.port = collector_port(r.c);
	CHECK(!rig_start(&r2, 2, &o)); /* the port is taken */
	rig_free(&r2);
	rig_free(&r);
	CHECK(!rig_start(&r2, 1, &bad));
	rig_free(&r2);
	collector_stop(NULL);
}

/* Datagrams of 0, 5, 7 and 11 bytes (no room for an sFlow v5 header, nor
 * for the IPv4 agent address that would name an owner): counted as
 * runts, handed to shard 0's store (which counts parse errors), never
 * fatal. */
TEST(runts_are_counted)
{
	struct collector_opts o = { .hostname = "127.0.0.1" };
	static const size_t lens[] = { 0, 5, 7, 11 };
	struct collector_stats st;
	struct sockaddr_storage ss;
	uint8_t b[48];
	struct rig r;
	socklen_t sl;
	int fd;

	if (!rig_start(&r, 3, &o)) {
		CHECK(0);
		rig_free(&r);
		return;
	}
	sl = loopback("127.0.0.1", collector_port(r.c), &ss);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	make_datagram(b, 6, 0); /* agent 10.2.6.1, whose owner of 3 is shard 2 */
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		sendto(fd, b, lens[i], 0, (struct sockaddr *)&ss, sl);
	close(fd);
	CHECK_EQ_U64(wait_for(&r, rig_ingested, 4), 4);
	collector_get_stats(r.c, &st);
	CHECK_EQ_U64(st.datagrams, 4);
	CHECK_EQ_U64(st.runts, 4);
	CHECK_EQ_U64(st.bytes, 0 + 5 + 7 + 11);
	CHECK_EQ_U64(atomic_load(&r.v[0]->datagrams), 4);
	rig_free(&r);
}

static uint64_t rig_replay_done(struct rig *r)
{
	struct collector_stats st;

	collector_get_stats(r->c, &st);
	return st.replay_done;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* 30 datagrams captured from 1301703210.597291 to 1301703212.940683
 * (tcpdump -tt): 2343 ms of capture time, so 586 ms at speed 4. */
TEST(replay_paces_and_sets_the_clock)
{
	struct collector_opts o = {
		.file = PCAPS "/tcpdump__sflow_multiple_counter_30_pdus.pcap", .file_speed = 4
	};
	struct collector_stats st;
	struct rig r;
	uint64_t t0 = mono_ms(), took;

	if (!rig_start(&r, 2, &o)) {
		CHECK(0);
		rig_free(&r);
		return;
	}
	CHECK_EQ_U64(collector_port(r.c), 0);
	CHECK(wait_for(&r, rig_replay_done, 1));
	took = mono_ms() - t0;
	collector_get_stats(r.c, &st);
	CHECK_EQ_U64(st.datagrams, 30);
	printf("  30 datagrams over 2343 ms of capture at speed 4: %" PRIu64 " ms\n", took);
	CHECK(took >= 560 && took < 2000);
	CHECK(clock_is_replay());
	CHECK_EQ_U64(clock_now_ms(), 1301703212940u);
	rig_stop(&r);
	check_ownership(&r, 30, ANY_AGENTS);
	rig_free(&r);
}

/* Datagrams in a capture, by sflowtool's golden decode (one line each). */
static uint64_t golden_count(const char *stem)
{
	char cmd[512];
	unsigned long long n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "zcat -f %s/golden/%s.sflowtool.jsonl* | wc -l", PCAPS, stem);
	p = popen(cmd, "r");
	if (!p || fscanf(p, "%llu", &n) != 1)
		n = 0;
	if (p)
		pclose(p);
	return n;
}

static const char *const replay_stems[] = {
	"akvorado__data-1140", "akvorado__data-discard-interface", "akvorado__data-encap-vxlan",
	"akvorado__data-icmpv4", "akvorado__data-icmpv6", "akvorado__data-local-interface",
	"akvorado__data-multiple-interfaces", "akvorado__data-qinq",
	"akvorado__data-sflow-expanded-sample", "akvorado__data-sflow-ipv4-data",
	"akvorado__data-sflow-raw-ipv4", "hsflowd__host_counters_and_pcap_samples",
	"hsflowd__json_app_samples_rtmetric", "loghub__sflow", "nxthdr__sflow", "overflowd__sflow",
	"tcpdump__sflow-print-v6", "tcpdump__sflow_multiple_counter_30_pdus",
	"tcpdump__sflow_print-segv",
};

TEST(replay_counts_match_sflowtool)
{
	size_t nstems = sizeof(replay_stems) / sizeof(replay_stems[0]);

	for (size_t k = 0; k < nstems; k++) {
		char file[512];
		struct collector_opts o = { .file = file, .file_speed = 0 };
		struct collector_stats st;
		uint64_t want = golden_count(replay_stems[k]);
		struct rig r;

		snprintf(file, sizeof(file), "%s/%s.pcap", PCAPS, replay_stems[k]);
		if (!rig_start(&r, (unsigned)(k % MAX_SHARDS) + 1, &o)) {
			CHECK(0);
			rig_free(&r);
			continue;
		}
		CHECK(wait_for(&r, rig_replay_done, 1));
		collector_get_stats(r.c, &st);
		if (st.datagrams != want || want == 0)
			printf("  %s: %" PRIu64 " replayed, sflowtool %" PRIu64 "\n", replay_stems[k],
			       st.datagrams, want);
		CHECK(want > 0);
		CHECK_EQ_U64(st.datagrams, want);
		CHECK_EQ_U64(rig_ingested(&r), want);
		rig_stop(&r);
		if (strcmp(replay_stems[k], "tcpdump__sflow_print-segv") == 0)
			CHECK_EQ_U64(st.runts, 1); /* tcpdump: "length 8 < 28" */
		else
			CHECK_EQ_U64(st.runts, 0);
		check_ownership(&r, want, ANY_AGENTS);
		if (strncmp(replay_stems[k], "hsflowd__host", 13) == 0) { /* captured on loopback */
			uint64_t v4 = 0;

			for (unsigned i = 0; i < r.ss.n; i++)
				v4 += atomic_load(&r.v[i]->from_v4);
			CHECK_EQ_U64(v4, want);
		}
		rig_free(&r);
	}
}

TEST_MAIN(TEST_ENTRY(live_ipv4_one_to_four_shards), TEST_ENTRY(live_ipv6_one_to_four_shards),
	  TEST_ENTRY(live_dual_stack_both_families),
	  TEST_ENTRY(handoff_rings_keep_one_owner_without_steering),
	  TEST_ENTRY(kernel_drops_are_counted), TEST_ENTRY(runts_are_counted), TEST_ENTRY(start_errors),
	  TEST_ENTRY(replay_paces_and_sets_the_clock), TEST_ENTRY(replay_counts_match_sflowtool))
