/*
 * tests/bench/tools/sflow_flowgen.c: a capture of sFlow flow samples drawn
 * from a known traffic model, for the flow engine's accuracy tests and
 * benchmarks (built with libsflow's encoder, written with libpcap).
 *
 *   sflow_flowgen -o OUT.pcap [-s SECONDS] [-N RATE] [-a AGENTS] [-D] [-S SEED]
 *                 [-f SRC,DST,PROTO,SPORT,DPORT,PPS,BYTES[,STOP]]... [-r PPS]
 *                 [-T START_S] [-w WARMUP_S]
 *
 * Each -f flow sends PPS packets a second of BYTES bytes (evenly spaced)
 * from time 0 until SECONDS, or until STOP seconds when given. -r adds
 * PPS packets a second of 64-byte UDP, each from a fresh random source
 * address (the "flood of distinct sources"). Every packet is sampled with
 * probability 1/RATE (xorshift64*, seed SEED: the same arguments give the
 * same capture). Flow i passes agent 10.0.0.(1 + i % AGENTS); with -D
 * every agent sees every flow (a flow crossing several switches), each
 * sampling on its own. A sampled packet becomes a flow sample (0:1) of data
 * source 0:1 with an Ethernet/IPv4/TCP|UDP sampled header, frame_bytes
 * BYTES, sampling rate RATE and the agent's sample pool; an agent's
 * datagram goes out when full or every 100 ms. The capture holds them as
 * UDP from 127.0.0.1 to 127.0.0.1:6343, timestamped from START_S (default
 * 1700000000) on. With -w, the capture starts with one empty datagram
 * (agent 10.0.0.254) and the traffic begins WARMUP_S later, so a test
 * replaying it has time to define flows first. Prints one line: packets,
 * samples, datagrams.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sflow/encode.h"
#include "sflow/records.h"
#include "sflow/sflow.h"

#define GEN_FLOWS_MAX  64
#define GEN_AGENTS_MAX 64
#define GEN_TICK_US    1000
#define GEN_FLUSH_US   100000
#define GEN_DGRAM_MAX  1400
#define GEN_HDR_BYTES  54

struct gen_flow {
	uint8_t src[4], dst[4];
	uint8_t proto;
	uint16_t sport, dport;
	double pps, carry;
	uint32_t bytes;
	double stop_s;
};

struct gen_agent {
	uint8_t buf[GEN_DGRAM_MAX];
	struct sfl_encoder e;
	bool open;
	uint32_t dg_seq, smp_seq, pool;
	uint64_t last_flush_us;
};

struct gen {
	struct gen_flow f[GEN_FLOWS_MAX];
	unsigned nflows, nagents;
	bool dup;
	double random_pps, random_carry;
	uint32_t rate;
	uint64_t rng;
	struct gen_agent a[GEN_AGENTS_MAX];
	pcap_dumper_t *out;
	uint64_t start_s, now_us;
	uint64_t warmup_us; /* added to every timestamp */
	uint64_t packets, samples, datagrams;
};

static uint64_t rng_next(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 2685821657736338717ull;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 + TCP or UDP header of a packet of f into h (54 bytes). */
static void packet_header(const struct gen_flow *f, uint8_t *h)
{
	static const uint8_t dmac[6] = { 0x02, 0, 0, 0, 0, 2 }, smac[6] = { 0x02, 0, 0, 0, 0, 1 };
	uint16_t ip_len = (uint16_t)(f->bytes > 18 ? f->bytes - 18 : 46);

	memset(h, 0, GEN_HDR_BYTES);
	memcpy(h, dmac, 6);
	memcpy(h + 6, smac, 6);
	h[12] = 0x08;
	h[14] = 0x45;
	h[16] = (uint8_t)(ip_len >> 8);
	h[17] = (uint8_t)ip_len;
	h[22] = 64;
	h[23] = f->proto;
	memcpy(h + 26, f->src, 4);
	memcpy(h + 30, f->dst, 4);
	h[24] = 0;
	h[25] = 0;
	{
		uint16_t c = csum(h + 14, 20);

		h[24] = (uint8_t)(c >> 8);
		h[25] = (uint8_t)c;
	}
	h[34] = (uint8_t)(f->sport >> 8);
	h[35] = (uint8_t)f->sport;
	h[36] = (uint8_t)(f->dport >> 8);
	h[37] = (uint8_t)f->dport;
	if (f->proto == 6) {
		h[46] = 0x50; /* data offset 5 */
		h[47] = 0x10; /* ACK */
	} else {
		h[38] = (uint8_t)((ip_len - 20) >> 8);
		h[39] = (uint8_t)(ip_len - 20);
	}
}

static void write_pcap(struct gen *g, const uint8_t *payload, size_t len)
{
	uint8_t frame[14 + 20 + 8 + GEN_DGRAM_MAX];
	struct pcap_pkthdr ph;
	size_t ip_len = 20 + 8 + len;
	uint16_t c;

	memset(frame, 0, 42);
	frame[12] = 0x08;
	frame[14] = 0x45;
	frame[16] = (uint8_t)(ip_len >> 8);
	frame[17] = (uint8_t)ip_len;
	frame[22] = 64;
	frame[23] = 17;
	frame[26] = 127, frame[29] = 1, frame[30] = 127, frame[33] = 1;
	c = csum(frame + 14, 20);
	frame[24] = (uint8_t)(c >> 8);
	frame[25] = (uint8_t)c;
	frame[34] = 0x18, frame[35] = 0xc7; /* 6343 */
	frame[36] = 0x18, frame[37] = 0xc7;
	frame[38] = (uint8_t)((8 + len) >> 8);
	frame[39] = (uint8_t)(8 + len);
	memcpy(frame + 42, payload, len);
	ph.ts.tv_sec = (time_t)(g->start_s + (g->now_us + g->warmup_us) / 1000000);
	ph.ts.tv_usec = (suseconds_t)((g->now_us + g->warmup_us) % 1000000);
	ph.caplen = ph.len = (bpf_u_int32)(42 + len);
	pcap_dump((u_char *)g->out, &ph, frame);
}

static void agent_flush(struct gen *g, unsigned i)
{
	struct gen_agent *a = &g->a[i];

	if (a->open && a->e.num_samples > 0) {
		write_pcap(g, a->buf, sfl_encode_end(&a->e));
		g->datagrams++;
	}
	a->open = false;
	a->last_flush_us = g->now_us;
}

/* The empty datagram that opens a capture made with -w, at time 0. */
static void warmup_marker(struct gen *g)
{
	struct sfl_datagram_hdr hdr = { .seq = 1, .uptime_ms = 1000 };
	uint64_t w = g->warmup_us;
	struct sfl_encoder e;
	uint8_t buf[64];

	hdr.agent.type = SFL_ADDR_IP4;
	hdr.agent.addr[0] = 10;
	hdr.agent.addr[3] = 254;
	sfl_encode_begin(&e, buf, sizeof(buf), &hdr);
	g->warmup_us = 0;
	write_pcap(g, buf, sfl_encode_end(&e));
	g->warmup_us = w;
}

static void agent_open(struct gen *g, unsigned i)
{
	struct gen_agent *a = &g->a[i];
	struct sfl_datagram_hdr hdr = { .seq = ++a->dg_seq,
					.uptime_ms = (uint32_t)(g->now_us / 1000) + 1000 };

	hdr.agent.type = SFL_ADDR_IP4;
	hdr.agent.addr[0] = 10;
	hdr.agent.addr[3] = (uint8_t)(1 + i);
	sfl_encode_begin(&a->e, a->buf, sizeof(a->buf), &hdr);
	a->open = true;
}

/* One sampled packet of f through agent i. */
static void emit_sample(struct gen *g, unsigned i, const struct gen_flow *f)
{
	struct gen_agent *a = &g->a[i];
	uint8_t h[GEN_HDR_BYTES];
	struct sfl_sample smp = { .tag = SFL_SAMPLE_FLOW,
				  .ds_class = 0,
				  .ds_index = 1,
				  .sampling_rate = g->rate,
				  .input = 1,
				  .output = 2 };
	struct sfl_record rec = { .tag = SFL_FLOW_HEADER, .kind = SFL_KIND_FLOW, .known = true };

	packet_header(f, h);
	rec.v.header.protocol = SFL_HEADER_ETHERNET;
	rec.v.header.frame_bytes = f->bytes; /* as if the FCS were not counted */
	rec.v.header.stripped = 0;
	rec.v.header.header.ptr = h;
	rec.v.header.header.len = GEN_HDR_BYTES;
	smp.seq = ++a->smp_seq;
	smp.sample_pool = a->pool;
	for (int tries = 0; tries < 2; tries++) {
		if (!a->open)
			agent_open(g, i);
		if (sfl_encode_sample_begin(&a->e, &smp) == 0) {
			sfl_encode_record(&a->e, &rec);
			if (sfl_encode_sample_end(&a->e) == 0)
				break;
		}
		agent_flush(g, i);
	}
	g->samples++;
}

/* One packet of f: each agent on its path counts it and samples 1 in N. */
static void packet(struct gen *g, unsigned fi, const struct gen_flow *f)
{
	unsigned first = g->dup ? 0 : fi % g->nagents, last = g->dup ? g->nagents : first + 1;

	g->packets++;
	for (unsigned i = first; i < last; i++) {
		g->a[i].pool++;
		if (rng_next(g) % g->rate == 0)
			emit_sample(g, i, f);
	}
}

static void random_packet(struct gen *g)
{
	struct gen_flow f = { .proto = 17, .sport = 53, .dport = 53, .bytes = 64 };
	uint32_t src = (uint32_t)(rng_next(g) >> 32);

	memcpy(f.src, &src, 4);
	f.dst[0] = 192, f.dst[1] = 0, f.dst[2] = 2, f.dst[3] = 1;
	packet(g, (unsigned)(src % 1024), &f);
}

static void tick(struct gen *g)
{
	double dt = GEN_TICK_US / 1e6;

	for (unsigned fi = 0; fi < g->nflows; fi++) {
		struct gen_flow *f = &g->f[fi];

		if (f->stop_s > 0 && g->now_us >= (uint64_t)(f->stop_s * 1e6))
			continue;
		for (f->carry += f->pps * dt; f->carry >= 1; f->carry -= 1)
			packet(g, fi, f);
	}
	for (g->random_carry += g->random_pps * dt; g->random_carry >= 1; g->random_carry -= 1)
		random_packet(g);
	for (unsigned i = 0; i < g->nagents; i++)
		if (g->now_us - g->a[i].last_flush_us >= GEN_FLUSH_US)
			agent_flush(g, i);
}

static int parse_flow(struct gen_flow *f, char *spec)
{
	char *t[8];
	int n = 0;

	for (char *p = strtok(spec, ","); p && n < 8; p = strtok(NULL, ","))
		t[n++] = p;
	if (n < 7 || inet_pton(AF_INET, t[0], f->src) != 1 || inet_pton(AF_INET, t[1], f->dst) != 1)
		return -1;
	f->proto = (uint8_t)atoi(t[2]);
	f->sport = (uint16_t)atoi(t[3]);
	f->dport = (uint16_t)atoi(t[4]);
	f->pps = atof(t[5]);
	f->bytes = (uint32_t)atoi(t[6]);
	f->stop_s = n > 7 ? atof(t[7]) : 0;
	return f->pps > 0 && f->bytes >= 64 && f->bytes <= 9000 ? 0 : -1;
}

static int usage(void)
{
	fputs("usage: sflow_flowgen -o OUT.pcap [-s SECONDS] [-N RATE] [-a AGENTS] [-D] [-S SEED]\n"
	      "       [-f SRC,DST,PROTO,SPORT,DPORT,PPS,BYTES[,STOP]]... [-r PPS] [-T START_S]\n"
	      "       [-w WARMUP_S]\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static struct gen g = { .nagents = 1, .rate = 100, .rng = 1, .start_s = 1700000000 };
	const char *out = NULL;
	double seconds = 10;
	pcap_t *dead;
	int c;

	while ((c = getopt(argc, argv, "o:s:N:a:DS:f:r:T:w:")) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 's')
			seconds = atof(optarg);
		else if (c == 'N')
			g.rate = (uint32_t)strtoul(optarg, NULL, 10);
		else if (c == 'a')
			g.nagents = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'D')
			g.dup = true;
		else if (c == 'S')
			g.rng = strtoull(optarg, NULL, 10) | 1;
		else if (c == 'f' && g.nflows < GEN_FLOWS_MAX &&
			 parse_flow(&g.f[g.nflows], optarg) == 0)
			g.nflows++;
		else if (c == 'r')
			g.random_pps = atof(optarg);
		else if (c == 'T')
			g.start_s = strtoull(optarg, NULL, 10);
		else if (c == 'w')
			g.warmup_us = (uint64_t)(atof(optarg) * 1e6);
		else
			return usage();
	}
	if (!out || g.rate == 0 || g.nagents == 0 || g.nagents > GEN_AGENTS_MAX || seconds <= 0)
		return usage();
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	g.out = dead ? pcap_dump_open(dead, out) : NULL;
	if (!g.out) {
		fprintf(stderr, "sflow_flowgen: %s: %s\n", out, dead ? pcap_geterr(dead) : "pcap");
		return 1;
	}
	if (g.warmup_us)
		warmup_marker(&g);
	for (g.now_us = 0; g.now_us < (uint64_t)(seconds * 1e6); g.now_us += GEN_TICK_US)
		tick(&g);
	for (unsigned i = 0; i < g.nagents; i++)
		agent_flush(&g, i);
	pcap_dump_close(g.out);
	pcap_close(dead);
	printf("packets %llu samples %llu datagrams %llu\n", (unsigned long long)g.packets,
	       (unsigned long long)g.samples, (unsigned long long)g.datagrams);
	return 0;
}
