/*
 * tests/bench/bench_codec.c: decode and encode throughput of libsflow.
 *
 * Decode: the UDP payloads of a capture are replicated in memory into one
 * contiguous receive-style buffer (200 k datagrams, at most 300 MB) and
 * decoded in full: sfl_datagram_init(), every sample, every record typed
 * with sfl_sample_next_record(), a few values folded into a checksum. The
 * same buffer is walked by a bare bounds-checked tag/length walk (header,
 * sample TLVs, record TLVs, nothing typed) as the baseline. Encode: flow
 * samples (128-byte sampled_header + extended_switch) and hsflowd-style
 * host counter samples are built into 1400-byte datagrams with encode.h.
 *
 * One warm-up pass, then timed passes with CLOCK_MONOTONIC on one pinned
 * core; results are compared with the targets (decode >= 10 M samples/s,
 * encode >= 5 M samples/s) and with the reference figures of
 * shared/reference/wire.md §4. Run from the repository root; --quick runs
 * a small fixed amount of work (used under callgrind). Exits non-zero only
 * on errors (unreadable capture, a datagram that does not decode), never
 * because a rate is low.
 */
#include <pcap/pcap.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sflow/decode.h"
#include "sflow/encode.h"

#define BENCH_TESTDATA "../shared/testdata/sflow-pcaps/"
#define BENCH_MAX_BYTES (300u << 20)
#define BENCH_DATAGRAM_BYTES 1400
#define TARGET_DECODE_SPS 10e6
#define TARGET_ENCODE_SPS 5e6
#define REF_GOFLOW2 "1.3-1.9 M samples/s (goflow2 decode only, wire.md 4.2)"
#define REF_WALK "~136 M samples/s (bare walk over 1 M distinct datagrams, wire.md 4.2)"

struct bench_opts {
	size_t datagrams;     /* replicated datagrams per capture */
	double min_seconds;   /* timed decode passes last at least this long */
	unsigned min_passes;  /* ... and are at least this many */
	size_t encode_flows;  /* flow samples per encode pass (passes as for decode) */
	size_t encode_hosts;  /* host counter samples per encode pass */
};

/* Datagrams back to back in one buffer, as a batch receive would leave them. */
struct bench_buf {
	uint8_t *data;
	uint32_t *off;
	uint32_t *len;
	size_t count;
	size_t bytes;
};

struct bench_result {
	double seconds;       /* CLOCK_MONOTONIC time of the timed passes */
	double cpu_seconds;   /* this thread's CPU time over the same passes */
	unsigned passes;      /* timed passes over the buffer */
	uint64_t bytes;       /* datagram bytes gone through */
	uint64_t datagrams;
	uint64_t samples;
	uint64_t records;
	uint64_t errors;
	uint64_t checksum;
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static double cpu_s(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

/*
 * Rates are wall-clock rates on the pinned core. When that core is shared
 * with other work the thread gets less than all of it; say so, since the
 * rates are then low by about that share.
 */
static void print_cpu_share(const struct bench_result *r)
{
	double share = r->cpu_seconds / r->seconds;

	if (share < 0.9)
		printf("  NOTE: the core was shared: this thread ran %.0f%% of the time "
		       "(%.2f M samples per CPU-second); the rates above understate an idle "
		       "core's\n", share * 100, (double)r->samples / r->cpu_seconds / 1e6);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* UDP payload of an Ethernet frame: 0 with pay and n set, or -1. */
static int udp_payload(const uint8_t *f, size_t caplen, const uint8_t **pay, size_t *n)
{
	size_t off = 12, ulen;
	uint16_t type;
	uint8_t proto;

	if (caplen < 14)
		return -1;
	type = be16(f + off);
	while ((type == 0x8100 || type == 0x88a8) && off + 6 <= caplen) {
		off += 4;
		type = be16(f + off);
	}
	off += 2;
	if (type == 0x0800 && off + 20 <= caplen && (f[off] >> 4) == 4) {
		proto = f[off + 9];
		if (be16(f + off + 6) & 0x3fff)
			return -1; /* fragment */
		off += (size_t)(f[off] & 0x0f) * 4;
	} else if (type == 0x86dd && off + 40 <= caplen) {
		proto = f[off + 6];
		off += 40;
	} else {
		return -1;
	}
	if (proto != 17 || off + 8 > caplen)
		return -1;
	ulen = be16(f + off + 4);
	if (ulen < 8 || ulen - 8 > caplen - off - 8)
		return -1;
	*pay = f + off + 8;
	*n = ulen - 8;
	return 0;
}

static void buf_free(struct bench_buf *b)
{
	free(b->data);
	free(b->off);
	free(b->len);
	memset(b, 0, sizeof(*b));
}

/* Append one datagram; capacity for `cap` datagrams was allocated up front. */
static void buf_push(struct bench_buf *b, const uint8_t *p, size_t n)
{
	memcpy(b->data + b->bytes, p, n);
	b->off[b->count] = (uint32_t)b->bytes;
	b->len[b->count] = (uint32_t)n;
	b->bytes += n;
	b->count++;
}

static int buf_alloc(struct bench_buf *b, size_t count, size_t bytes)
{
	memset(b, 0, sizeof(*b));
	b->data = malloc(bytes ? bytes : 1);
	b->off = malloc(count * sizeof(*b->off) + 1);
	b->len = malloc(count * sizeof(*b->len) + 1);
	if (!b->data || !b->off || !b->len) {
		buf_free(b);
		return -1;
	}
	return 0;
}

/* Read the sFlow (UDP) payloads of a capture with libpcap. */
static int load_capture(const char *path, struct bench_buf *out)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *frame, *pay;
	size_t n, count = 0, bytes = 0;
	pcap_t *pc;

	memset(out, 0, sizeof(*out));
	for (int pass = 0; pass < 2; pass++) {
		pc = pcap_open_offline(path, errbuf);
		if (!pc) {
			fprintf(stderr, "bench_codec: %s\n", errbuf);
			buf_free(out);
			return -1;
		}
		if (pcap_datalink(pc) != DLT_EN10MB) {
			fprintf(stderr, "bench_codec: %s: link type is not Ethernet\n", path);
			pcap_close(pc);
			buf_free(out);
			return -1;
		}
		if (pass == 1 && (count == 0 || buf_alloc(out, count, bytes) == -1)) {
			pcap_close(pc);
			return -1;
		}
		while (pcap_next_ex(pc, &h, &frame) == 1) {
			if (udp_payload(frame, h->caplen, &pay, &n) == -1)
				continue;
			if (pass == 0) {
				count++;
				bytes += n;
			} else {
				buf_push(out, pay, n);
			}
		}
		pcap_close(pc);
	}
	return 0;
}

/* Copy the capture's datagrams round-robin until `want` or the byte cap. */
static int replicate(const struct bench_buf *src, size_t want, struct bench_buf *dst)
{
	size_t avg;

	if (src->count == 0)
		return -1;
	avg = src->bytes / src->count + 1;
	if (want > BENCH_MAX_BYTES / avg)
		want = BENCH_MAX_BYTES / avg;
	if (buf_alloc(dst, want, want * avg + 65536) == -1)
		return -1;
	for (size_t i = 0; i < want; i++) {
		size_t j = i % src->count;

		if (dst->bytes + src->len[j] > want * avg + 65536)
			break;
		buf_push(dst, src->data + src->off[j], src->len[j]);
	}
	return 0;
}

/* A few typed values per record, so the typed decode cannot be elided. */
static uint64_t fold_record(const struct sfl_record *rec)
{
	if (!rec->known)
		return rec->len;
	if (rec->kind == SFL_KIND_FLOW && rec->tag == SFL_FLOW_HEADER)
		return rec->v.header.frame_bytes + rec->v.header.header.len;
	if (rec->kind == SFL_KIND_COUNTERS && rec->tag == SFL_CTR_GENERIC)
		return rec->v.generic.in_octets;
	if (rec->kind == SFL_KIND_COUNTERS && rec->tag == SFL_CTR_HOST_CPU)
		return rec->v.host_cpu.cpu_user_ms;
	return rec->tag;
}

static void decode_pass(const struct bench_buf *b, struct bench_result *r)
{
	struct sfl_datagram dg;
	struct sfl_sample s;
	struct sfl_record rec;

	for (size_t i = 0; i < b->count; i++) {
		if (sfl_datagram_init(&dg, b->data + b->off[i], b->len[i]) == -1) {
			r->errors++;
			continue;
		}
		while (sfl_datagram_next_sample(&dg, &s)) {
			r->samples++;
			r->checksum += s.seq + s.ds_index;
			while (sfl_sample_next_record(&s, &rec)) {
				r->records++;
				r->checksum += fold_record(&rec);
			}
		}
		r->errors += dg.err.code != SFL_ERR_NONE;
		r->datagrams++;
	}
}

/* Where a known sample's record count sits in its body, or -1. */
static int records_count_at(uint32_t tag)
{
	switch (tag) {
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_DISCARD:
		return 28;
	case SFL_SAMPLE_COUNTERS:
		return 8;
	case SFL_SAMPLE_FLOW_EXPANDED:
		return 40;
	case SFL_SAMPLE_COUNTERS_EXPANDED:
		return 12;
	}
	return -1;
}

/* Bare walk of one sample body's record TLVs; -1 if malformed. */
static int walk_records(const uint8_t *p, const uint8_t *end, int at, struct bench_result *r)
{
	uint32_t n;

	if (at < 0)
		return 0;
	if ((size_t)(end - p) < (size_t)at + 4)
		return -1;
	n = sfl_load_u32(p + at);
	p += at + 4;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;

		if (end - p < 8)
			return -1;
		len = sfl_load_u32(p + 4);
		r->checksum += sfl_load_u32(p);
		p += 8;
		if ((size_t)(end - p) < len)
			return -1;
		p += len;
		r->records++;
	}
	return p == end ? 0 : -1;
}

/* Bare walk: header, every sample TLV, every record TLV; nothing typed. */
static int walk_datagram(const uint8_t *p, size_t len, struct bench_result *r)
{
	const uint8_t *end = p + len;
	uint32_t n, hdr;

	if (len < 8 || sfl_load_u32(p) != SFL_VERSION)
		return -1;
	hdr = sfl_load_u32(p + 4) == SFL_ADDR_IP6 ? 40 : 28;
	if (len < hdr)
		return -1;
	n = sfl_load_u32(p + hdr - 4);
	p += hdr;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t tag, slen;

		if (end - p < 8)
			return -1;
		tag = sfl_load_u32(p);
		slen = sfl_load_u32(p + 4);
		p += 8;
		if ((size_t)(end - p) < slen)
			return -1;
		if (walk_records(p, p + slen, records_count_at(tag), r) == -1)
			return -1;
		p += slen;
		r->samples++;
	}
	return p == end ? 0 : -1;
}

static void walk_pass(const struct bench_buf *b, struct bench_result *r)
{
	/* counting in a local lets the compiler keep the counters in registers:
	 * through `r` every byte load could alias them */
	struct bench_result t = *r;

	for (size_t i = 0; i < b->count; i++) {
		t.errors += walk_datagram(b->data + b->off[i], b->len[i], &t) == -1;
		t.datagrams++;
	}
	*r = t;
}

/* One warm-up pass, then timed passes; the result covers the timed ones. */
static void timed(void (*pass)(const struct bench_buf *, struct bench_result *),
		  const struct bench_buf *b, const struct bench_opts *o, struct bench_result *r)
{
	struct bench_result warm = { 0 };
	double t0, c0;

	pass(b, &warm);
	memset(r, 0, sizeof(*r));
	t0 = now_s();
	c0 = cpu_s();
	do {
		pass(b, r);
		r->passes++;
		r->bytes += b->bytes;
		r->seconds = now_s() - t0;
	} while (r->passes < o->min_passes || r->seconds < o->min_seconds);
	r->cpu_seconds = cpu_s() - c0;
	r->checksum += warm.checksum;
}

static double per_s(uint64_t n, const struct bench_result *r)
{
	return (double)n / r->seconds;
}

static void print_rate(const char *what, const char *name, const struct bench_result *r)
{
	printf("  %-12s %-44s %6.2f M dg/s %7.2f M samples/s %6.1f ns/dg %5.1f GB/s\n", what,
	       name, per_s(r->datagrams, r) / 1e6, per_s(r->samples, r) / 1e6,
	       r->seconds * 1e9 / (double)r->datagrams, per_s(r->bytes, r) / 1e9);
}

static const char *verdict(double rate, double target)
{
	return rate >= target ? "target met" : "BELOW TARGET";
}

/* Decode and walk one capture; returns the full-decode samples/s or -1. */
static double bench_capture(const char *name, const struct bench_opts *o)
{
	char path[256];
	struct bench_buf src, big;
	struct bench_result dec, walk;
	double dec_sps, walk_sps;

	snprintf(path, sizeof(path), "%s%s.pcap", BENCH_TESTDATA, name);
	if (load_capture(path, &src) == -1) {
		fprintf(stderr, "bench_codec: cannot load %s (run from the repository root)\n",
			path);
		return -1;
	}
	if (replicate(&src, o->datagrams, &big) == -1) {
		buf_free(&src);
		return -1;
	}
	printf("%s: %zu datagrams in the capture, replicated to %zu (%.1f MB)\n", name,
	       src.count, big.count, (double)big.bytes / 1e6);
	buf_free(&src);
	timed(decode_pass, &big, o, &dec);
	timed(walk_pass, &big, o, &walk);
	buf_free(&big);
	print_rate("full decode", "(init + samples + typed records)", &dec);
	print_cpu_share(&dec);
	print_rate("bare walk", "(bounds-checked tag/length, nothing typed)", &walk);
	print_cpu_share(&walk);
	dec_sps = per_s(dec.samples, &dec);
	walk_sps = per_s(walk.samples, &walk);
	printf("  records/sample %.2f; full decode / bare walk = %.3f (%.1fx slower); "
	       "decode %s (>= %.0f M samples/s); checksum %016llx\n",
	       (double)dec.records / (double)dec.samples, dec_sps / walk_sps,
	       walk_sps / dec_sps, verdict(dec_sps, TARGET_DECODE_SPS), TARGET_DECODE_SPS / 1e6,
	       (unsigned long long)(dec.checksum ^ walk.checksum));
	if (dec.errors || walk.errors || dec.samples / dec.passes != walk.samples / walk.passes) {
		fprintf(stderr, "bench_codec: %s: %llu decode errors, %llu walk errors, "
			"samples per pass %llu vs %llu\n", name, (unsigned long long)dec.errors,
			(unsigned long long)walk.errors,
			(unsigned long long)(dec.samples / dec.passes),
			(unsigned long long)(walk.samples / walk.passes));
		return -1;
	}
	return dec_sps;
}

/* ---- encode ---- */

static const uint8_t bench_packet[128] = {
	/* Ethernet + IPv4 + TCP headers of a 1514-byte frame, then payload */
	0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e, 0x00, 0x1c, 0x23, 0x4d, 0x5e, 0x6f, 0x08, 0x00,
	0x45, 0x00, 0x05, 0xdc, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 0x0a, 0x00,
	0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0xc3, 0x50, 0x01, 0xbb, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x20, 0x00, 0x50, 0x10, 0x01, 0xf5, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t bench_macs[2][6] = {
	{ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, { 0x52, 0x54, 0x00, 0x65, 0x43, 0x21 },
};

static const struct sfl_adapter bench_adapters[2] = {
	{ .ifindex = 1, .num_macs = 0, .macs = NULL, .macs_xdr = false },
	{ .ifindex = 2, .num_macs = 2, .macs = &bench_macs[0][0], .macs_xdr = false },
};

#define STR(s) { (s), sizeof(s) - 1 }

/* The record set of a flow sample: sampled_header + extended_switch. */
static void flow_records(struct sfl_record rec[2])
{
	memset(rec, 0, 2 * sizeof(*rec));
	rec[0].tag = SFL_FLOW_HEADER;
	rec[0].v.header = (struct sfl_flow_header){ SFL_HEADER_ETHERNET, 1518, 4,
						    { bench_packet, sizeof(bench_packet) } };
	rec[1].tag = SFL_FLOW_EX_SWITCH;
	rec[1].v.ex_switch = (struct sfl_ex_switch){ 10, 0, 20, 0 };
	for (int i = 0; i < 2; i++) {
		rec[i].kind = SFL_KIND_FLOW;
		rec[i].known = true;
	}
}

/* hsflowd 2.1.25's host counter sample: 2000-2010 without 2002 (wire.md 1.6). */
static size_t host_records(struct sfl_record rec[10])
{
	static const uint32_t tags[10] = {
		SFL_CTR_HOST_ADAPTERS, SFL_CTR_HOST_UDP, SFL_CTR_HOST_TCP, SFL_CTR_HOST_ICMP,
		SFL_CTR_HOST_IP, SFL_CTR_HOST_DISK, SFL_CTR_HOST_MEM, SFL_CTR_HOST_CPU,
		SFL_CTR_HOST_NIO, SFL_CTR_HOST_DESCR,
	};

	memset(rec, 0, 10 * sizeof(*rec));
	for (int i = 0; i < 10; i++) {
		rec[i].tag = tags[i];
		rec[i].kind = SFL_KIND_COUNTERS;
		rec[i].known = true;
	}
	rec[0].v.host_adapters.adapters = (struct sfl_list){ NULL, 0, bench_adapters, 2 };
	rec[1].v.host_udp = (struct sfl_ctr_host_udp){ 1234567, 12, 0, 1234000, 0, 0, 0 };
	rec[2].v.host_tcp = (struct sfl_ctr_host_tcp){ 1, 200, 120000, UINT32_MAX, 5000, 300,
						       10, 20, 8, 900000, 800000, 42, 0, 30, 0 };
	rec[3].v.host_icmp.in_msgs = 77;
	rec[4].v.host_ip.forwarding = 2;
	rec[4].v.host_ip.default_ttl = 64;
	rec[4].v.host_ip.in_receives = 9000000;
	rec[5].v.host_disk = (struct sfl_ctr_host_disk){ 100000000000ull, 40000000000ull, 6000,
							 100000, 4000000000ull, 50000, 200000,
							 8000000000ull, 90000 };
	rec[6].v.host_mem = (struct sfl_ctr_host_mem){ 25000000000ull, 20000000000ull, 1000000,
						       300000000, 2000000000, 0, 0, 10, 20, 0, 0 };
	rec[7].v.host_cpu = (struct sfl_ctr_host_cpu){ .load_one = 0.25f, .load_five = 0.2f,
						       .load_fifteen = 0.1f, .proc_run = 2,
						       .proc_total = 180, .cpu_num = 2,
						       .cpu_speed_mhz = 2450, .uptime_s = 86400,
						       .cpu_user_ms = 1000000, .cpu_idle_ms = 9000000,
						       .has_steal = true };
	rec[8].v.host_nio = (struct sfl_ctr_host_nio){ 5000000000ull, 4000000, 0, 0,
						       6000000000ull, 4500000, 0, 0 };
	rec[9].v.host_descr = (struct sfl_ctr_host_descr){ STR("bench-host"), { 0x9f, 0x3c },
							   3, 2, STR("6.1.0-13-amd64") };
	return 10;
}

struct encode_job {
	struct sfl_sample sample;
	struct sfl_record rec[10];
	size_t nrec;
};

static int encode_sample(struct sfl_encoder *e, const struct encode_job *j)
{
	if (sfl_encode_sample_begin(e, &j->sample) == -1)
		return -1;
	for (size_t i = 0; i < j->nrec; i++)
		sfl_encode_record(e, &j->rec[i]);
	return sfl_encode_sample_end(e);
}

/* Close the datagram in `e` and start the next one. */
static void next_datagram(struct sfl_encoder *e, uint8_t *buf, struct sfl_datagram_hdr *hdr,
			  struct bench_result *r)
{
	r->checksum += sfl_encode_end(e) + buf[BENCH_DATAGRAM_BYTES / 2];
	r->datagrams++;
	hdr->seq++;
	sfl_encode_begin(e, buf, BENCH_DATAGRAM_BYTES, hdr);
}

/*
 * Encode `n` samples into as many 1400-byte datagrams as they need. As an
 * agent would, a datagram is sent when the room left is less than the last
 * sample took, so samples are rarely encoded twice; a sample that still
 * does not fit is rewound by the encoder and redone in the next datagram.
 */
static int encode_pass(struct encode_job *j, size_t n, struct bench_result *r)
{
	static uint8_t buf[BENCH_DATAGRAM_BYTES];
	struct sfl_datagram_hdr hdr = { { SFL_ADDR_IP4, { 192, 0, 2, 1 } }, 100000, 1, 1000 };
	struct sfl_encoder e;
	size_t last = 0;

	sfl_encode_begin(&e, buf, sizeof(buf), &hdr);
	for (size_t i = 0; i < n; i++) {
		size_t before;

		j->sample.seq = (uint32_t)i;
		if ((size_t)(e.w.end - e.w.p) < last)
			next_datagram(&e, buf, &hdr, r);
		before = sfl_writer_len(&e.w);
		if (encode_sample(&e, j) == -1) {
			if (!e.full || e.num_samples == 0)
				return -1; /* fails in an empty datagram: bad sample */
			next_datagram(&e, buf, &hdr, r);
			before = sfl_writer_len(&e.w);
			if (encode_sample(&e, j) == -1)
				return -1;
		}
		last = sfl_writer_len(&e.w) - before;
	}
	r->checksum += sfl_encode_end(&e);
	r->datagrams++;
	r->samples += n;
	r->records += n * j->nrec;
	return 0;
}

/* One sample of the job, alone in a datagram, must decode cleanly. */
static int encode_check(const struct encode_job *j)
{
	uint8_t buf[BENCH_DATAGRAM_BYTES];
	struct sfl_datagram_hdr hdr = { { SFL_ADDR_IP4, { 192, 0, 2, 1 } }, 100000, 1, 1000 };
	struct sfl_encoder e;
	struct bench_result r = { 0 };
	uint32_t off = 0, len;
	struct bench_buf one = { buf, &off, &len, 1, 0 };

	sfl_encode_begin(&e, buf, sizeof(buf), &hdr);
	if (encode_sample(&e, j) == -1)
		return -1;
	len = (uint32_t)sfl_encode_end(&e);
	decode_pass(&one, &r);
	return r.errors || r.samples != 1 || r.records != j->nrec ? -1 : 0;
}

/* Encode rate of one kind of sample; returns samples/s or -1. */
static double bench_encode(const char *name, struct encode_job *j, const struct bench_opts *o,
			   size_t n, uint64_t *checksum)
{
	struct bench_result r = { 0 };
	double t0, c0, sps;

	if (encode_check(j) == -1 || encode_pass(j, n / 4 + 1, &r) == -1) {
		fprintf(stderr, "bench_codec: the %s sample does not encode cleanly\n", name);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	t0 = now_s();
	c0 = cpu_s();
	do {
		if (encode_pass(j, n, &r) == -1)
			return -1;
		r.passes++;
		r.seconds = now_s() - t0;
	} while (r.passes < o->min_passes || r.seconds < o->min_seconds);
	r.cpu_seconds = cpu_s() - c0;
	sps = per_s(r.samples, &r);
	printf("  %-12s %-44s %6.2f M dg/s %7.2f M samples/s %6.1f ns/sample\n", "encode", name,
	       per_s(r.datagrams, &r) / 1e6, sps / 1e6, r.seconds * 1e9 / (double)r.samples);
	printf("  %.2f samples/datagram, %.1f M records/s; encode %s (>= %.0f M samples/s)\n",
	       (double)r.samples / (double)r.datagrams, per_s(r.records, &r) / 1e6,
	       verdict(sps, TARGET_ENCODE_SPS), TARGET_ENCODE_SPS / 1e6);
	print_cpu_share(&r);
	*checksum += r.checksum;
	return sps;
}

static int run_encode(const struct bench_opts *o, uint64_t *checksum)
{
	struct encode_job flow = { 0 }, host = { 0 };

	flow.sample.tag = SFL_SAMPLE_FLOW;
	flow.sample.ds_index = 47;
	flow.sample.sampling_rate = 300;
	flow.sample.sample_pool = 3000000;
	flow.sample.input = 47;
	flow.sample.output = 48;
	flow_records(flow.rec);
	flow.nrec = 2;
	host.sample.tag = SFL_SAMPLE_COUNTERS_EXPANDED;
	host.sample.ds_class = SFL_DS_PHYSICAL;
	host.sample.ds_index = 1;
	host.nrec = host_records(host.rec);
	printf("encode: samples into %d-byte datagrams with sflow/encode.h\n",
	       BENCH_DATAGRAM_BYTES);
	if (bench_encode("flow (128 B sampled_header + ex_switch)", &flow, o, o->encode_flows,
			 checksum) < 0)
		return -1;
	if (bench_encode("host counters (hsflowd set, 10 records)", &host, o, o->encode_hosts,
			 checksum) < 0)
		return -1;
	return 0;
}

/* Run on the CPU we are on, alone: no migrations in the timed loops. */
static void pin_to_current_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		printf("bench_codec: pinned to cpu %d\n", cpu);
}

int main(int argc, char **argv)
{
	struct bench_opts o = { 200000, 1.0, 3, 1000000, 250000 };
	uint64_t checksum = 0;
	double sw, host;

	if (argc > 1 && strcmp(argv[1], "--quick") == 0)
		o = (struct bench_opts){ 20000, 0.0, 2, 100000, 25000 };
	else if (argc > 1) {
		fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
		return 2;
	}
	pin_to_current_cpu();
	sw = bench_capture("overflowd__sflow", &o);
	host = bench_capture("hsflowd__host_counters_and_pcap_samples", &o);
	if (sw < 0 || host < 0 || run_encode(&o, &checksum) == -1)
		return 1;
	printf("reference: %s; %s\n", REF_GOFLOW2, REF_WALK);
	printf("reference: full decode of the switch stream = %.1fx goflow2's best (1.9 M)\n",
	       sw / 1.9e6);
	printf("checksum %016llx\n", (unsigned long long)checksum);
	return 0;
}
