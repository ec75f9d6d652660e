/*
 * tests/bench/tools/sflow_synth.c: synthetic sFlow counter load for
 * tests/bench/rest.sh, built with libsflow's encoder.
 *
 *   sflow_synth -p PORT [-d ADDR] [-a AGENTS] [-n DATASOURCES] [-R RATE]
 *               [-t SECONDS] [-m BYTES]
 *
 * AGENTS agents (IPv4 10.x.y.z from 10.0.0.1 up), each with DATASOURCES
 * data sources: the host 2:1 (host_descr 2000 with hostname
 * synth-<agent>, host_cpu 2003, host_mem 2004) and DATASOURCES-1 interfaces
 * 0:1.. (if_counters 1, ethernet 2, portname 1005). Each datagram carries
 * as many consecutive samples of one agent as fit in BYTES (default 1400);
 * agents take turns. Datagram and sample sequence numbers and the uptime
 * are per agent and correct, and the counters are a function of the time
 * since start, so every interface has a steady rate (a different one per
 * interface). Sends RATE datagrams/s (default 1000; 0 = flat out) in
 * sendmmsg batches paced by CLOCK_MONOTONIC, for SECONDS (0, the default:
 * until SIGTERM or SIGINT). Prints one line at the end: "sent N datagrams
 * B bytes in S s: R datagrams/s".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sflow/encode.h"
#include "sflow/records.h"
#include "sflow/sflow.h"

#define SYNTH_BATCH 32
#define SYNTH_MAX_BYTES 9000
#define SYNTH_MAX_AGENTS 1000000
#define SYNTH_MAX_DATASOURCES 100000

struct synth_agent {
	uint32_t dgram_seq;  /* last datagram sequence number sent */
	uint32_t *ds_seq;    /* per data source: last sample sequence number */
	uint32_t boot_ms;    /* uptime at start, so agents differ */
};

struct synth {
	uint32_t nagents, nds;
	size_t mtu;                  /* datagram capacity, bytes */
	struct synth_agent *agents;
	uint32_t cur_agent, cur_ds;  /* next sample to send */
	double t0;                   /* CLOCK_MONOTONIC start, s */
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void agent_addr(uint32_t i, struct sfl_address *a)
{
	uint32_t ip = (10u << 24) + i + 1;

	memset(a, 0, sizeof(*a));
	a->type = SFL_ADDR_IP4;
	a->addr[0] = (uint8_t)(ip >> 24);
	a->addr[1] = (uint8_t)(ip >> 16);
	a->addr[2] = (uint8_t)(ip >> 8);
	a->addr[3] = (uint8_t)ip;
}

/* Interface i of agent a: a steady byte rate between 10 kB/s and 12.5 MB/s. */
static uint64_t if_rate_bps(uint32_t a, uint32_t i)
{
	return 10000ull * (1 + (a * 7919u + i * 104729u) % 1250u);
}

static void fill_if(struct sfl_ctr_generic *g, uint32_t a, uint32_t ifindex, double t)
{
	uint64_t in = (uint64_t)((double)if_rate_bps(a, ifindex) * t);
	uint64_t out = (uint64_t)((double)if_rate_bps(a, ifindex + 1000) * t);

	memset(g, 0, sizeof(*g));
	g->ifindex = ifindex;
	g->iftype = 6; /* ethernetCsmacd */
	g->ifspeed = 10000000000ull;
	g->ifdirection = 1;
	g->ifstatus = 3;
	g->in_octets = 1000000 + in;
	g->in_ucast_pkts = (uint32_t)(in / 800);
	g->in_multicast_pkts = (uint32_t)(in / 100000);
	g->in_broadcast_pkts = (uint32_t)(in / 1000000);
	g->in_discards = (uint32_t)(t / 10);
	g->out_octets = 2000000 + out;
	g->out_ucast_pkts = (uint32_t)(out / 900);
	g->out_multicast_pkts = (uint32_t)(out / 200000);
	g->out_broadcast_pkts = (uint32_t)(out / 2000000);
}

static int add_record(struct sfl_encoder *e, uint32_t tag, const union sfl_record_value *v)
{
	struct sfl_record r;

	memset(&r, 0, sizeof(r));
	r.tag = tag;
	r.kind = SFL_KIND_COUNTERS;
	r.known = true;
	r.v = *v;
	return sfl_encode_record(e, &r);
}

static int add_host(struct sfl_encoder *e, uint32_t a, double t, char *name, size_t namelen)
{
	union sfl_record_value v;
	uint32_t ms = (uint32_t)(t * 1000);
	int rc = 0;

	memset(&v, 0, sizeof(v));
	snprintf(name, namelen, "synth-%u", a);
	v.host_descr.hostname.ptr = name;
	v.host_descr.hostname.len = (uint32_t)strlen(name);
	memcpy(v.host_descr.uuid, &a, sizeof(a));
	v.host_descr.machine_type = 3;
	v.host_descr.os_name = 2;
	v.host_descr.os_release.ptr = "6.1.0";
	v.host_descr.os_release.len = 5;
	rc |= add_record(e, SFL_CTR_HOST_DESCR, &v);

	memset(&v, 0, sizeof(v));
	v.host_cpu.load_one = (float)(a % 400) / 100.0f;
	v.host_cpu.load_five = v.host_cpu.load_one * 0.9f;
	v.host_cpu.load_fifteen = v.host_cpu.load_one * 0.8f;
	v.host_cpu.proc_run = 1 + a % 4;
	v.host_cpu.proc_total = 200 + a % 100;
	v.host_cpu.cpu_num = 4;
	v.host_cpu.cpu_speed_mhz = 2400;
	v.host_cpu.uptime_s = 86400 + (uint32_t)t;
	v.host_cpu.cpu_user_ms = ms / 4 * (1 + a % 3);
	v.host_cpu.cpu_system_ms = ms / 10;
	v.host_cpu.cpu_idle_ms = ms * 2;
	v.host_cpu.interrupts = ms * 5;
	v.host_cpu.contexts = ms * 20;
	v.host_cpu.has_steal = true;
	rc |= add_record(e, SFL_CTR_HOST_CPU, &v);

	memset(&v, 0, sizeof(v));
	v.host_mem.mem_total = 16ull << 30;
	v.host_mem.mem_free = (4ull << 30) + (uint64_t)(a % 1024) * (1 << 20);
	v.host_mem.mem_buffers = 256ull << 20;
	v.host_mem.mem_cached = 2ull << 30;
	v.host_mem.swap_total = 2ull << 30;
	v.host_mem.swap_free = 2ull << 30;
	v.host_mem.page_in = ms / 100;
	v.host_mem.page_out = ms / 200;
	rc |= add_record(e, SFL_CTR_HOST_MEM, &v);
	return rc;
}

static int add_if(struct sfl_encoder *e, uint32_t a, uint32_t ifindex, double t, char *name,
		  size_t namelen)
{
	union sfl_record_value v;
	int rc = 0;

	memset(&v, 0, sizeof(v));
	fill_if(&v.generic, a, ifindex, t);
	rc |= add_record(e, SFL_CTR_GENERIC, &v);
	memset(&v, 0, sizeof(v));
	v.eth.fcs_errors = (uint32_t)(t / 60);
	rc |= add_record(e, SFL_CTR_ETHERNET, &v);
	memset(&v, 0, sizeof(v));
	snprintf(name, namelen, "eth%u", ifindex - 1);
	v.portname.name.ptr = name;
	v.portname.name.len = (uint32_t)strlen(name);
	rc |= add_record(e, SFL_CTR_PORTNAME, &v);
	return rc;
}

/* One counter sample of the current agent's data source ds; -1 if it did
 * not fit (the encoder rewound it). */
static int add_sample(struct synth *s, struct sfl_encoder *e, uint32_t ds, double t)
{
	struct synth_agent *ag = &s->agents[s->cur_agent];
	struct sfl_sample smp;
	char name[32];
	int rc;

	memset(&smp, 0, sizeof(smp));
	smp.tag = SFL_SAMPLE_COUNTERS;
	smp.seq = ag->ds_seq[ds] + 1;
	smp.ds_class = ds == 0 ? SFL_DS_PHYSICAL : SFL_DS_IFINDEX;
	smp.ds_index = ds == 0 ? 1 : ds;
	if (sfl_encode_sample_begin(e, &smp) == -1)
		return -1;
	if (ds == 0)
		rc = add_host(e, s->cur_agent, t, name, sizeof(name));
	else
		rc = add_if(e, s->cur_agent, ds, t, name, sizeof(name));
	if (sfl_encode_sample_end(e) == -1 || rc == -1)
		return -1;
	ag->ds_seq[ds]++;
	return 0;
}

/* Build the next datagram into buf; its length, or 0 on an encoder error. */
static size_t next_datagram(struct synth *s, uint8_t *buf)
{
	struct synth_agent *ag = &s->agents[s->cur_agent];
	double t = now_s() - s->t0;
	struct sfl_datagram_hdr hdr;
	struct sfl_encoder e;
	uint32_t nsamples = 0;

	memset(&hdr, 0, sizeof(hdr));
	agent_addr(s->cur_agent, &hdr.agent);
	hdr.seq = ag->dgram_seq + 1;
	hdr.uptime_ms = ag->boot_ms + (uint32_t)(t * 1000);
	if (sfl_encode_begin(&e, buf, s->mtu, &hdr) == -1)
		return 0;
	while (s->cur_ds < s->nds) {
		if (add_sample(s, &e, s->cur_ds, t) == -1) {
			if (!e.full || nsamples == 0)
				return 0; /* a bad value, or one sample larger than mtu */
			break;
		}
		nsamples++;
		s->cur_ds++;
	}
	if (s->cur_ds == s->nds) {
		s->cur_ds = 0;
		s->cur_agent = (s->cur_agent + 1) % s->nagents;
	}
	ag->dgram_seq++;
	return sfl_encode_end(&e);
}

static int parse_u32(const char *arg, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: sflow_synth -p PORT [-d ADDR] [-a AGENTS] [-n DATASOURCES] "
			"[-R RATE] [-t SECONDS] [-m BYTES]\n");
}

struct opts {
	const char *addr;
	uint32_t port, agents, ds, rate, seconds, mtu;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ "127.0.0.1", 0, 1000, 10, 1000, 0, 1400 };
	while ((c = getopt(argc, argv, "d:p:a:n:R:t:m:")) != -1) {
		int rc = 0;

		switch (c) {
		case 'd': o->addr = optarg; break;
		case 'p': rc = parse_u32(optarg, 65535, &o->port); break;
		case 'a': rc = parse_u32(optarg, SYNTH_MAX_AGENTS, &o->agents); break;
		case 'n': rc = parse_u32(optarg, SYNTH_MAX_DATASOURCES, &o->ds); break;
		case 'R': rc = parse_u32(optarg, 10000000, &o->rate); break;
		case 't': rc = parse_u32(optarg, 1000000, &o->seconds); break;
		case 'm': rc = parse_u32(optarg, SYNTH_MAX_BYTES, &o->mtu); break;
		default: rc = -1; break;
		}
		if (rc == -1) {
			usage();
			return -1;
		}
	}
	if (o->port == 0 || o->agents == 0 || o->ds == 0 || o->mtu < 256) {
		usage();
		return -1;
	}
	return 0;
}

static int synth_init(struct synth *s, const struct opts *o)
{
	memset(s, 0, sizeof(*s));
	s->nagents = o->agents;
	s->nds = o->ds;
	s->mtu = o->mtu;
	s->agents = calloc(o->agents, sizeof(*s->agents));
	if (!s->agents)
		return -1;
	for (uint32_t i = 0; i < o->agents; i++) {
		s->agents[i].ds_seq = calloc(o->ds, sizeof(uint32_t));
		if (!s->agents[i].ds_seq)
			return -1;
		s->agents[i].boot_ms = 3600000u + i * 1009u;
	}
	s->t0 = now_s();
	return 0;
}

static void synth_fini(struct synth *s)
{
	if (!s->agents)
		return;
	for (uint32_t i = 0; i < s->nagents; i++)
		free(s->agents[i].ds_seq);
	free(s->agents);
	s->agents = NULL;
}

/* Sleep until CLOCK_MONOTONIC time t (s); returns early on a signal. */
static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static int send_batch(int fd, struct mmsghdr *msgs, unsigned n, uint64_t *sent)
{
	unsigned done = 0;

	while (done < n) {
		int r = sendmmsg(fd, msgs + done, n - done, 0);

		if (r == -1) {
			if (errno == EINTR && !stop_flag)
				continue;
			if (errno == EINTR)
				return 0;
			/* loopback: ECONNREFUSED until the receiver binds */
			if (errno == ECONNREFUSED || errno == ENOBUFS || errno == EAGAIN) {
				done++;
				continue;
			}
			perror("sflow_synth: sendmmsg");
			return -1;
		}
		done += (unsigned)r;
		*sent += (unsigned)r;
	}
	return 0;
}

static int run(struct synth *s, const struct opts *o, int fd, uint64_t *sent, uint64_t *bytes)
{
	static uint8_t bufs[SYNTH_BATCH][SYNTH_MAX_BYTES];
	struct iovec iov[SYNTH_BATCH];
	struct mmsghdr msgs[SYNTH_BATCH];
	double end = o->seconds ? s->t0 + o->seconds : 0;

	memset(msgs, 0, sizeof(msgs));
	for (unsigned i = 0; i < SYNTH_BATCH; i++) {
		iov[i].iov_base = bufs[i];
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop_flag) {
		uint64_t before = *sent;

		if (end && now_s() >= end)
			break;
		for (unsigned i = 0; i < SYNTH_BATCH; i++) {
			iov[i].iov_len = next_datagram(s, bufs[i]);
			if (iov[i].iov_len == 0) {
				fprintf(stderr, "sflow_synth: encoder error\n");
				return -1;
			}
			*bytes += iov[i].iov_len;
		}
		if (send_batch(fd, msgs, SYNTH_BATCH, sent) == -1)
			return -1;
		/* datagrams refused before the receiver bound still count as
		 * offered, so the pace stays the asked rate */
		*sent = before + SYNTH_BATCH;
		if (o->rate)
			sleep_until(s->t0 + (double)*sent / o->rate);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst;
	struct synth s = { 0 };
	struct opts o;
	uint64_t sent = 0, bytes = 0;
	struct sigaction sa;
	int fd = -1, rc = 1;
	double secs;

	if (parse_opts(argc, argv, &o) == -1)
		return 2;
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)o.port);
	if (inet_pton(AF_INET, o.addr, &dst.sin_addr) != 1) {
		fprintf(stderr, "sflow_synth: bad IPv4 address %s\n", o.addr);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&dst, sizeof(dst)) == -1) {
		perror("sflow_synth: socket");
		goto out;
	}
	if (synth_init(&s, &o) == -1) {
		fprintf(stderr, "sflow_synth: out of memory\n");
		goto out;
	}
	if (run(&s, &o, fd, &sent, &bytes) == -1)
		goto out;
	secs = now_s() - s.t0;
	printf("sent %llu datagrams %llu bytes in %.2f s: %.0f datagrams/s\n",
	       (unsigned long long)sent, (unsigned long long)bytes, secs,
	       secs > 0 ? (double)sent / secs : 0.0);
	rc = 0;
out:
	synth_fini(&s);
	if (fd != -1)
		close(fd);
	return rc;
}
