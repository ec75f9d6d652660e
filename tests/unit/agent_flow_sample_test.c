/*
 * tests/unit/agent_flow_sample_test.c: agent/flow_sample.c. A table of
 * packets (Ethernet sent, received, broadcast, foreign; loopback's zero
 * MACs; raw IPv4/IPv6; cooked outgoing/host/otherhost; non-IP and short
 * ones) with the header record and direction worked out by hand from
 * reference/host-sflow.md §3.4; then one sample through sflow/encode and
 * back through sflow/decode, compact and expanded, to see every field on
 * the wire, and the MAC table's bounds.
 */
#include <stdio.h>
#include <string.h>

#include "agent/flow_sample.h"
#include "sflow/encode.h"
#include "sflow/sflow.h"
#include "tests/lib/test.h"

#define IFX 7u
#define INT SFL_IF_INTERNAL

static const uint8_t local_mac[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero_mac[6];

struct pkt_case {
	const char *name;
	enum flow_sample_link link;
	const uint8_t *dst, *src;  /* Ethernet MACs, or NULL */
	uint16_t cooked_type;      /* cooked packet type */
	uint8_t ip_version;        /* first nibble of the payload */
	uint32_t cap, wire;        /* captured and wire bytes */
	int want_rc;
	uint32_t protocol, frame, stripped, hdr_len, in, out;
};

static const struct pkt_case cases[] = {
	{ "eth sent", FLOW_SAMPLE_LINK_ETHERNET, peer_mac, local_mac, 0, 4, 128, 1000,
	  0, SFL_HEADER_ETHERNET, 1004, 4, 128, INT, IFX },
	{ "eth received", FLOW_SAMPLE_LINK_ETHERNET, local_mac, peer_mac, 0, 4, 60, 60,
	  0, SFL_HEADER_ETHERNET, 64, 4, 60, IFX, INT },
	{ "eth broadcast in", FLOW_SAMPLE_LINK_ETHERNET, bcast_mac, peer_mac, 0, 0, 42, 42,
	  0, SFL_HEADER_ETHERNET, 46, 4, 42, IFX, INT },
	{ "eth foreign", FLOW_SAMPLE_LINK_ETHERNET, other_mac, peer_mac, 0, 4, 98, 98,
	  0, SFL_HEADER_ETHERNET, 102, 4, 98, 0, 0 },
	{ "eth src local wins", FLOW_SAMPLE_LINK_ETHERNET, local_mac, local_mac, 0, 6, 200, 300,
	  0, SFL_HEADER_ETHERNET, 304, 4, 128, INT, IFX },
	{ "loopback zero macs", FLOW_SAMPLE_LINK_ETHERNET, zero_mac, zero_mac, 0, 4, 142, 1514,
	  0, SFL_HEADER_IPV4, 1500 + 18, 18, 128, 0, 0 },
	{ "loopback non-ip", FLOW_SAMPLE_LINK_ETHERNET, zero_mac, zero_mac, 0, 0, 60, 60,
	  -1, 0, 0, 0, 0, 0, 0 },
	{ "eth too short", FLOW_SAMPLE_LINK_ETHERNET, peer_mac, local_mac, 0, 4, 13, 13,
	  -1, 0, 0, 0, 0, 0, 0 },
	{ "raw ipv4", FLOW_SAMPLE_LINK_RAW, NULL, NULL, 0, 4, 84, 84,
	  0, SFL_HEADER_IPV4, 102, 18, 84, 0, 0 },
	{ "raw ipv6", FLOW_SAMPLE_LINK_RAW, NULL, NULL, 0, 6, 128, 1280,
	  0, SFL_HEADER_IPV6, 1298, 18, 128, 0, 0 },
	{ "raw other", FLOW_SAMPLE_LINK_RAW, NULL, NULL, 0, 5, 40, 40,
	  -1, 0, 0, 0, 0, 0, 0 },
	{ "raw empty", FLOW_SAMPLE_LINK_RAW, NULL, NULL, 0, 4, 0, 0,
	  -1, 0, 0, 0, 0, 0, 0 },
	{ "cooked outgoing", FLOW_SAMPLE_LINK_COOKED, NULL, NULL, 4, 4, 100, 116,
	  0, SFL_HEADER_IPV4, 118, 18, 84, INT, IFX },
	{ "cooked host", FLOW_SAMPLE_LINK_COOKED, NULL, NULL, 0, 6, 144, 1016,
	  0, SFL_HEADER_IPV6, 1018, 18, 128, IFX, INT },
	{ "cooked otherhost", FLOW_SAMPLE_LINK_COOKED, NULL, NULL, 3, 4, 60, 60,
	  0, SFL_HEADER_IPV4, 62, 18, 44, 0, 0 },
	{ "cooked short", FLOW_SAMPLE_LINK_COOKED, NULL, NULL, 0, 4, 15, 15,
	  -1, 0, 0, 0, 0, 0, 0 },
};

/* Bytes of case c in buf; returns the header's offset of the IP packet. */
static size_t fill(uint8_t *buf, size_t cap, const struct pkt_case *c)
{
	size_t ip_at = 0;

	memset(buf, 0xee, cap);
	if (c->link == FLOW_SAMPLE_LINK_ETHERNET) {
		memcpy(buf, c->dst, 6);
		memcpy(buf + 6, c->src, 6);
		buf[12] = 0x08;
		buf[13] = 0x00;
		ip_at = 14;
	} else if (c->link == FLOW_SAMPLE_LINK_COOKED) {
		memset(buf, 0, 16);
		buf[1] = (uint8_t)c->cooked_type;
		ip_at = 16;
	}
	buf[ip_at] = (uint8_t)(c->ip_version << 4 | 5);
	return ip_at;
}

static struct flow_sample_macs macs_of_host(void)
{
	struct flow_sample_macs m = { 0 };

	flow_sample_macs_add(&m, local_mac);
	flow_sample_macs_add(&m, local_mac); /* a duplicate is kept once */
	return m;
}

static void check_built(const struct flow_sample *fs, const struct pkt_case *c, const uint8_t *buf,
			size_t ip_at)
{
	const struct sfl_flow_header *h = &fs->recs[0].v.header;

	CHECK_EQ_U64(h->protocol, c->protocol);
	CHECK_EQ_U64(h->frame_bytes, c->frame);
	CHECK_EQ_U64(h->stripped, c->stripped);
	CHECK_EQ_U64(h->header.len, c->hdr_len);
	CHECK(h->header.ptr == buf + (c->protocol == SFL_HEADER_ETHERNET ? 0 : ip_at));
	CHECK_EQ_U64(fs->hdr.input, c->in);
	CHECK_EQ_U64(fs->hdr.output, c->out);
	CHECK_EQ_U64(fs->rec_count, 2);
	CHECK_EQ_U64(fs->recs[1].tag, SFL_FLOW_EX_TIMESTAMP);
	CHECK_EQ_U64(fs->recs[1].v.timestamp.ts_ns, 1234567890123456789ull);
}

TEST(packets_table)
{
	struct flow_sample_macs m = macs_of_host();
	struct flow_sample_source src = { .ifindex = IFX, .seq = 3, .sampling_rate = 100,
					  .sample_pool = 5000, .drops = 2, .header_bytes = 128 };
	uint8_t buf[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pkt_case *c = &cases[i];
		size_t ip_at = fill(buf, sizeof(buf), c);
		struct flow_sample_packet p = { .link = c->link, .data = buf, .cap_bytes = c->cap,
						.wire_bytes = c->wire, .ts_ns = 1234567890123456789ull };
		struct flow_sample fs;
		int rc = flow_sample_build(&fs, &src, &m, &p), before = test_failed_checks;

		CHECK_EQ_U64(rc, c->want_rc);
		if (rc == 0)
			check_built(&fs, c, buf, ip_at);
		if (test_failed_checks != before)
			printf("  in case \"%s\"\n", c->name);
	}
}

/* Encode fs into a datagram and decode it back into *s and its records. */
static int round_trip(const struct flow_sample *fs, uint8_t *dg, size_t cap,
		      struct sfl_sample *s, struct sfl_record *recs, size_t *n)
{
	struct sfl_datagram_hdr h = { .agent = { .type = SFL_ADDR_IP4, .addr = { 192, 0, 2, 1 } },
				      .sub_agent_id = 1, .seq = 1 };
	struct sfl_encoder e;
	struct sfl_datagram d;

	if (sfl_encode_begin(&e, dg, cap, &h) == -1 || sfl_encode_sample_begin(&e, &fs->hdr) == -1)
		return -1;
	for (size_t i = 0; i < fs->rec_count; i++)
		sfl_encode_record(&e, &fs->recs[i]);
	if (sfl_encode_sample_end(&e) == -1 ||
	    sfl_datagram_init(&d, dg, sfl_encode_end(&e)) == -1 || !sfl_datagram_next_sample(&d, s))
		return -1;
	*n = 0;
	while (*n < 4 && sfl_sample_next_record(s, &recs[*n]))
		(*n)++;
	return d.err.code == SFL_ERR_NONE ? 0 : -1;
}

TEST(wire_compact_and_expanded)
{
	static const uint32_t ifindexes[] = { 7, FLOW_SAMPLE_COMPACT_MAX, FLOW_SAMPLE_COMPACT_MAX + 1,
					      0xfffffff0u };
	struct flow_sample_macs m = macs_of_host();
	uint8_t buf[300], dg[1400];

	for (size_t i = 0; i < sizeof(ifindexes) / sizeof(ifindexes[0]); i++) {
		struct flow_sample_source src = { .ifindex = ifindexes[i], .seq = 9,
						  .sampling_rate = 1000, .sample_pool = 4000000000u,
						  .drops = 17, .header_bytes = 64 };
		size_t n = 0;
		struct flow_sample_packet p = { .link = FLOW_SAMPLE_LINK_ETHERNET, .data = buf,
						.cap_bytes = 128, .wire_bytes = 1000, .ts_ns = 42 };
		struct flow_sample fs;
		struct sfl_sample s;
		struct sfl_record r[4];
		bool compact = ifindexes[i] <= FLOW_SAMPLE_COMPACT_MAX;

		fill(buf, sizeof(buf), &cases[0]);
		CHECK_EQ_U64(m.count, 1);
		CHECK(flow_sample_build(&fs, &src, &m, &p) == 0);
		CHECK(round_trip(&fs, dg, sizeof(dg), &s, r, &n) == 0);
		CHECK_EQ_U64(s.tag, compact ? SFL_SAMPLE_FLOW : SFL_SAMPLE_FLOW_EXPANDED);
		CHECK_EQ_U64(s.ds_class, 0);
		CHECK_EQ_U64(s.ds_index, ifindexes[i]);
		CHECK_EQ_U64(s.seq, 9);
		CHECK_EQ_U64(s.sampling_rate, 1000);
		CHECK_EQ_U64(s.sample_pool, 4000000000u);
		CHECK_EQ_U64(s.drops, 17);
		CHECK_EQ_U64(s.input, SFL_IF_INTERNAL);
		CHECK_EQ_U64(s.output, ifindexes[i]);
		CHECK_EQ_U64(n, 2);
		CHECK_EQ_U64(r[0].tag, SFL_FLOW_HEADER);
		CHECK_EQ_U64(r[0].v.header.header.len, 64);
		CHECK_MEM(r[0].v.header.header.ptr, buf, 64);
		CHECK_EQ_U64(r[1].tag, SFL_FLOW_EX_TIMESTAMP);
		CHECK_EQ_U64(r[1].v.timestamp.ts_ns, 42);
	}
}

TEST(mac_table_bounds)
{
	static struct flow_sample_macs m;
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0 };

	for (unsigned i = 0; i < FLOW_SAMPLE_MAX_MACS; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		CHECK(flow_sample_macs_add(&m, mac));
	}
	CHECK_EQ_U64(m.count, FLOW_SAMPLE_MAX_MACS);
	CHECK(flow_sample_macs_add(&m, mac)); /* present already */
	mac[3] = 1;
	CHECK(!flow_sample_macs_add(&m, mac)); /* full */
	CHECK(!flow_sample_macs_has(&m, mac));
	CHECK_EQ_U64(m.count, FLOW_SAMPLE_MAX_MACS);
}

int main(void)
{
	static const struct test_case tests[] = {
		TEST_ENTRY(packets_table),
		TEST_ENTRY(wire_compact_and_expanded),
		TEST_ENTRY(mac_table_bounds),
	};

	return test_run_all("agent_flow_sample_test", tests, sizeof(tests) / sizeof(tests[0]));
}
