/*
 * tests/unit/store_test_util.h: datagram builders for the store and query
 * tests, on libsflow's encoder, so every expected value in those tests is
 * one the test itself put on the wire.
 */
#ifndef TESTS_STORE_TEST_UTIL_H
#define TESTS_STORE_TEST_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "analyzer/store.h"
#include "sflow/encode.h"

struct tdg {
	uint8_t buf[1400];
	struct sfl_encoder e;
	size_t len;
};

/* Start a datagram of agent 10.0.0.<a>. */
static inline void tdg_begin(struct tdg *d, uint8_t a, uint32_t sub, uint32_t seq,
			     uint32_t uptime_ms)
{
	struct sfl_datagram_hdr h = { .agent = { SFL_ADDR_IP4, { 10, 0, 0, a } },
				      .sub_agent_id = sub, .seq = seq, .uptime_ms = uptime_ms };

	memset(d, 0, sizeof(*d));
	sfl_encode_begin(&d->e, d->buf, sizeof(d->buf), &h);
}

static inline void tdg_sample(struct tdg *d, uint32_t tag, uint32_t cls, uint32_t idx, uint32_t seq)
{
	struct sfl_sample s;

	memset(&s, 0, sizeof(s));
	s.tag = tag;
	s.seq = seq;
	s.ds_class = cls;
	s.ds_index = idx;
	s.sampling_rate = 100;
	sfl_encode_sample_begin(&d->e, &s);
}

static inline void tdg_record(struct tdg *d, uint32_t tag, const union sfl_record_value *v)
{
	struct sfl_record r;

	memset(&r, 0, sizeof(r));
	r.tag = tag;
	r.kind = SFL_KIND_COUNTERS;
	r.known = true;
	r.v = *v;
	sfl_encode_record(&d->e, &r);
}

/* One counters sample holding one record. */
static inline void tdg_counters(struct tdg *d, uint32_t cls, uint32_t idx, uint32_t seq,
				uint32_t tag, const union sfl_record_value *v)
{
	tdg_sample(d, SFL_SAMPLE_COUNTERS, cls, idx, seq);
	tdg_record(d, tag, v);
	sfl_encode_sample_end(&d->e);
}

/* A flow sample with one ipv4 record. */
static inline void tdg_flow(struct tdg *d, uint32_t idx, uint32_t seq, uint32_t drops)
{
	struct sfl_sample s;
	struct sfl_record r;

	memset(&s, 0, sizeof(s));
	s.tag = SFL_SAMPLE_FLOW;
	s.seq = seq;
	s.ds_index = idx;
	s.sampling_rate = 100;
	s.drops = drops;
	sfl_encode_sample_begin(&d->e, &s);
	memset(&r, 0, sizeof(r));
	r.tag = SFL_FLOW_IPV4;
	r.kind = SFL_KIND_FLOW;
	r.known = true;
	r.v.ipv4.length = 64;
	sfl_encode_record(&d->e, &r);
	sfl_encode_sample_end(&d->e);
}

static inline size_t tdg_end(struct tdg *d)
{
	d->len = sfl_encode_end(&d->e);
	return d->len;
}

static inline void tdg_ingest(struct store *s, struct tdg *d, uint64_t now_ms)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0xc0a80001); /* 192.168.0.1 */
	store_ingest(s, d->buf, tdg_end(d), &ss, now_ms);
}

/* if_counters with the interesting fields set. */
static inline union sfl_record_value tdg_generic(uint32_t ifindex, uint64_t speed,
						 uint64_t in_octets, uint32_t in_ucast,
						 uint64_t out_octets)
{
	union sfl_record_value v;

	memset(&v, 0, sizeof(v));
	v.generic.ifindex = ifindex;
	v.generic.iftype = 6;
	v.generic.ifspeed = speed;
	v.generic.ifdirection = 1;
	v.generic.ifstatus = 3;
	v.generic.in_octets = in_octets;
	v.generic.in_ucast_pkts = in_ucast;
	v.generic.out_octets = out_octets;
	return v;
}

static inline struct store *tdg_store(uint32_t agents_max, uint32_t ds_max)
{
	struct store_limits lim = { agents_max, ds_max, 3600000, 300000 };

	return store_new(0, &lim);
}

/* XDR helpers for raw (rtmetric) sample bodies */
static inline size_t tdg_put32(uint8_t *p, size_t at, uint32_t v)
{
	p[at] = (uint8_t)(v >> 24);
	p[at + 1] = (uint8_t)(v >> 16);
	p[at + 2] = (uint8_t)(v >> 8);
	p[at + 3] = (uint8_t)v;
	return at + 4;
}

static inline size_t tdg_putstr(uint8_t *p, size_t at, const char *s)
{
	size_t n = strlen(s);

	at = tdg_put32(p, at, (uint32_t)n);
	memset(p + at, 0, (n + 3) & ~(size_t)3);
	memcpy(p + at, s, n);
	return at + ((n + 3) & ~(size_t)3);
}

#endif
