/*
 * tests/unit/collector_steer_test.c: which shard owns a datagram.
 *
 * collector_owner_shard() against values worked out independently (a
 * Python rendering of the formula in collector_steer.c: XOR of the agent
 * address words, times 0x9e3779b1 mod 2^32, h ^ h >> 16, mod n), and the
 * kernel steering program against the C function: N real reuseport
 * sockets on loopback (IPv4, IPv6, dual stack), datagrams with known
 * agents sent to them, and each datagram must be read from socket
 * collector_owner_shard() names.
 */
#include "analyzer/collector.h"
#include "analyzer/collector_steer.h"
#include "tests/lib/test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SHARDS 4
#define AGENTS 64

struct owner_case {
	const char *what;
	uint8_t bytes[28];
	size_t len;
	unsigned n;
	unsigned want;
};

#define V4(a, b, c, d) 0, 0, 0, 5, 0, 0, 0, 1, a, b, c, d
#define V6_DB8(last) 0, 0, 0, 5, 0, 0, 0, 2, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, \
		     0, 0, 0, 0, 0, 0, 0, last

static const struct owner_case owner_cases[] = {
	{ "10.0.0.1 of 4", { V4(10, 0, 0, 1) }, 12, 4, 2 },
	{ "10.0.0.2 of 4", { V4(10, 0, 0, 2) }, 12, 4, 0 },
	{ "10.0.0.1 of 3", { V4(10, 0, 0, 1) }, 12, 3, 2 },
	{ "10.0.0.3 of 2", { V4(10, 0, 0, 3) }, 28, 2, 1 },
	{ "10.0.0.4 of 3", { V4(10, 0, 0, 4) }, 28, 3, 2 },
	{ "192.168.1.1 of 2", { V4(192, 168, 1, 1) }, 12, 2, 0 },
	{ "192.168.1.2 of 4", { V4(192, 168, 1, 2) }, 12, 4, 2 },
	{ "2001:db8::1 of 4", { V6_DB8(1) }, 24, 4, 0 },
	{ "2001:db8::2 of 4", { V6_DB8(2) }, 24, 4, 3 },
	{ "2001:db8::3 of 3", { V6_DB8(3) }, 28, 3, 2 },
	{ "2001:db8::3 of 2", { V6_DB8(3) }, 24, 2, 1 },
	{ "one shard", { V4(10, 0, 0, 1) }, 12, 1, 0 },
	{ "no shards", { V4(10, 0, 0, 1) }, 12, 0, 0 },
	{ "IPv4 address cut short", { V4(10, 0, 0, 1) }, 11, 4, 0 },
	{ "IPv6 address cut short", { V6_DB8(2) }, 23, 4, 0 },
	{ "no address type", { V4(10, 0, 0, 1) }, 7, 4, 0 },
	{ "unknown address type", { 0, 0, 0, 5, 0, 0, 0, 3, 10, 0, 0, 1 }, 12, 4, 0 },
};

TEST(owner_shard_table)
{
	for (size_t i = 0; i < sizeof(owner_cases) / sizeof(owner_cases[0]); i++) {
		const struct owner_case *c = &owner_cases[i];
		unsigned got = collector_owner_shard(c->bytes, c->len, c->n);

		if (got != c->want)
			printf("  case %s\n", c->what);
		CHECK_EQ_U64(got, c->want);
	}
}

/* Agent i: 10.1.i.7 for even i, 2001:db8::i:9 for odd i. */
static size_t make_datagram(uint8_t *b, unsigned i)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(b, 0, 64);
	b[3] = 5;
	if (i % 2 == 0) {
		b[7] = 1;
		b[8] = 10, b[9] = 1, b[10] = (uint8_t)i, b[11] = 7;
		b[12 + 3] = (uint8_t)i; /* sub-agent: identifies the datagram */
		return 40;
	}
	b[7] = 2;
	memcpy(b + 8, v6, 16);
	b[8 + 13] = (uint8_t)i, b[8 + 15] = 9;
	b[24 + 3] = (uint8_t)i;
	return 52;
}

TEST(owner_shard_spreads_agents)
{
	unsigned hits[MAX_SHARDS] = { 0 };
	uint8_t b[64];

	for (unsigned i = 0; i < 256; i++) {
		make_datagram(b, 0);
		b[10] = (uint8_t)i; /* 10.1.i.7, consecutive agents */
		hits[collector_owner_shard(b, 40, MAX_SHARDS)]++;
	}
	for (unsigned s = 0; s < MAX_SHARDS; s++)
		CHECK(hits[s] >= 32); /* 64 each if even; no shard starved */
}

/* Read every waiting datagram of the n sockets; who[i] = socket of datagram i. */
static unsigned drain(const int *fds, unsigned n, int *who)
{
	unsigned got = 0;
	uint8_t b[128];

	for (int rounds = 0; rounds < 50 && got < AGENTS + 1; rounds++) {
		struct pollfd p[MAX_SHARDS];

		for (unsigned s = 0; s < n; s++)
			p[s] = (struct pollfd){ .fd = fds[s], .events = POLLIN };
		if (poll(p, n, 20) <= 0)
			continue;
		for (unsigned s = 0; s < n; s++) {
			ssize_t len;

			while ((len = recv(fds[s], b, sizeof(b), MSG_DONTWAIT)) > 0) {
				unsigned id = len == 40 ? b[15] : len == 52 ? b[27] : AGENTS;

				who[id] = (int)s;
				got++;
			}
		}
	}
	return got;
}

static void send_all(const char *dst, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	uint8_t b[64];
	int fd;

	if (strchr(dst, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		inet_pton(AF_INET6, dst, &s6->sin6_addr);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		inet_pton(AF_INET, dst, &s4->sin_addr);
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	for (unsigned i = 0; i < AGENTS; i++) {
		size_t len = make_datagram(b, i);

		sendto(fd, b, len, 0, (struct sockaddr *)&ss, sl);
	}
	sendto(fd, b, 6, 0, (struct sockaddr *)&ss, sl); /* a runt: shard 0 */
	close(fd);
}

/* Bind n sockets on `host`, send from `dst`, check every datagram's socket. */
static void check_steering(const char *host, const char *dst, unsigned n)
{
	struct collector_steer_opts o = { .hostname = host, .port = 0, .rcvbuf_bytes = 1 << 20 };
	int fds[MAX_SHARDS], who[AGENTS + 1];
	uint16_t port = 0;
	bool steered = false;
	char err[256];
	uint8_t b[64];

	if (collector_steer_bind(&o, fds, n, &port, &steered, err, sizeof(err)) == -1) {
		printf("  bind %s: %s\n", host ? host : "(any)", err);
		CHECK(0);
		return;
	}
	CHECK(port != 0);
	CHECK(steered == (n > 1));
	memset(who, -1, sizeof(who));
	send_all(dst, port);
	CHECK_EQ_U64(drain(fds, n, who), AGENTS + 1);
	for (unsigned i = 0; i < AGENTS; i++) {
		size_t len = make_datagram(b, i);

		if (who[i] != (int)collector_owner_shard(b, len, n))
			printf("  %s n=%u agent %u: socket %d, owner %u\n", dst, n, i, who[i],
			       collector_owner_shard(b, len, n));
		CHECK_EQ_U64(who[i], collector_owner_shard(b, len, n));
	}
	CHECK_EQ_U64(who[AGENTS], 0);
	for (unsigned s = 0; s < n; s++)
		close(fds[s]);
}

TEST(kernel_steering_matches_ipv4)
{
	for (unsigned n = 1; n <= MAX_SHARDS; n++)
		check_steering("127.0.0.1", "127.0.0.1", n);
}

TEST(kernel_steering_matches_ipv6)
{
	for (unsigned n = 1; n <= MAX_SHARDS; n++)
		check_steering("::1", "::1", n);
}

TEST(kernel_steering_matches_dual_stack)
{
	for (unsigned n = 2; n <= MAX_SHARDS; n++) {
		check_steering(NULL, "127.0.0.1", n);
		check_steering(NULL, "::1", n);
	}
}

TEST(port_in_use_is_refused)
{
	struct collector_steer_opts o = { .hostname = "127.0.0.1" };
	int fds[2], more[2];
	uint16_t port = 0;
	bool steered;
	char err[256] = "";

	CHECK(collector_steer_bind(&o, fds, 2, &port, &steered, err, sizeof(err)) == 0);
	o.port = port;
	CHECK(collector_steer_bind(&o, more, 2, &port, &steered, err, sizeof(err)) == -1);
	CHECK(strstr(err, "in use") != NULL);
	close(fds[0]);
	close(fds[1]);
	o.hostname = "no-such-host.invalid";
	CHECK(collector_steer_bind(&o, more, 1, &port, &steered, err, sizeof(err)) == -1);
	CHECK(strstr(err, "sflow.hostname") != NULL);
}

TEST_MAIN(TEST_ENTRY(owner_shard_table), TEST_ENTRY(owner_shard_spreads_agents),
	  TEST_ENTRY(kernel_steering_matches_ipv4), TEST_ENTRY(kernel_steering_matches_ipv6),
	  TEST_ENTRY(kernel_steering_matches_dual_stack), TEST_ENTRY(port_in_use_is_refused))
