/*
 * Datagram builder tests. The expected bytes of the first test are the
 * annotated datagram of shared/reference/wire.md §1.2 (a capture of another
 * agent); sizes elsewhere are computed by hand from the layouts in wire.md
 * §1.2 and §1.3.
 */
#include "sflow/decode.h"
#include "sflow/encode.h"
#include "tests/lib/test.h"
#include "tests/lib/wire_example.h"


static const struct sfl_datagram_hdr hdr4 = {
	.agent = { SFL_ADDR_IP4, { 1, 1, 1, 1 } },
	.sub_agent_id = 0,
	.seq = 264476700,
	.uptime_ms = 1991243781,
};

static struct sfl_record ipv4_record(void)
{
	struct sfl_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.tag = SFL_FLOW_IPV4;
	rec.kind = SFL_KIND_FLOW;
	rec.known = true;
	rec.v.ipv4.length = 40;
	rec.v.ipv4.protocol = 6;
	memcpy(rec.v.ipv4.src_ip, "\x03\x03\x03\x03", 4);
	memcpy(rec.v.ipv4.dst_ip, "\x04\x04\x04\x04", 4);
	rec.v.ipv4.src_port = 53032;
	rec.v.ipv4.dst_port = 25562;
	rec.v.ipv4.tcp_flags = 0x10;
	rec.v.ipv4.tos = 0x70;
	return rec;
}

static struct sfl_sample flow_sample(uint32_t tag)
{
	struct sfl_sample s;

	memset(&s, 0, sizeof(s));
	s.tag = tag;
	s.seq = 264476700;
	s.ds_index = 1;
	s.sampling_rate = 1000;
	s.sample_pool = 1;
	return s;
}

TEST(builds_the_annotated_example_byte_for_byte)
{
	uint8_t buf[256];
	struct sfl_encoder e;
	struct sfl_sample s = flow_sample(SFL_SAMPLE_FLOW);
	struct sfl_record rec = ipv4_record();

	CHECK_EQ_U64(sfl_encode_begin(&e, buf, sizeof(buf), &hdr4), 0);
	CHECK_EQ_U64(sfl_encode_sample_begin(&e, &s), 0);
	CHECK_EQ_U64(sfl_encode_record(&e, &rec), 0);
	CHECK_EQ_U64(sfl_encode_sample_end(&e), 0);
	CHECK_EQ_U64(sfl_encode_end(&e), WIRE_EXAMPLE_LEN);
	CHECK_MEM(buf, wire_example, WIRE_EXAMPLE_LEN);
}

TEST(ipv6_agent_header_is_40_bytes)
{
	struct sfl_datagram_hdr h = { .agent = { SFL_ADDR_IP6, { 0x20, 0x01, 0x0d, 0xb8 } } };
	uint8_t buf[64];
	struct sfl_encoder e;
	struct sfl_datagram dg;

	CHECK_EQ_U64(sfl_encode_begin(&e, buf, sizeof(buf), &h), 0);
	CHECK_EQ_U64(sfl_encode_end(&e), 40);
	CHECK_EQ_U64(sfl_datagram_init(&dg, buf, 40), 0);
	CHECK_EQ_U64(dg.agent.type, SFL_ADDR_IP6);
	CHECK_MEM(dg.agent.addr, h.agent.addr, 16);
}

TEST(unknown_agent_address_type_is_refused)
{
	struct sfl_datagram_hdr h = { .agent = { SFL_ADDR_UNKNOWN, { 0 } } };
	uint8_t buf[64];
	struct sfl_encoder e;

	CHECK_EQ_U64(sfl_encode_begin(&e, buf, sizeof(buf), &h), (uint64_t)-1);
}

/* Sample sizes by form: 8 (tag, length) + fixed part + the 40-byte record. */
struct form_case {
	uint32_t tag;
	size_t sample_bytes;
};

static const struct form_case form_cases[] = {
	{ SFL_SAMPLE_FLOW, 8 + 32 + 40 },
	{ SFL_SAMPLE_FLOW_EXPANDED, 8 + 44 + 40 },
	{ SFL_SAMPLE_DISCARD, 8 + 32 + 40 },
};

TEST(sample_forms_have_the_spec_sizes_and_decode_back)
{
	for (size_t i = 0; i < sizeof(form_cases) / sizeof(form_cases[0]); i++) {
		uint8_t buf[256];
		struct sfl_encoder e;
		struct sfl_sample s = flow_sample(form_cases[i].tag), back;
		struct sfl_record rec = ipv4_record();
		struct sfl_datagram dg;
		size_t len;

		s.reason = SFL_DROP_ACL;
		s.input = 7;
		s.output = 9;
		sfl_encode_begin(&e, buf, sizeof(buf), &hdr4);
		sfl_encode_sample_begin(&e, &s);
		sfl_encode_record(&e, &rec);
		CHECK_EQ_U64(sfl_encode_sample_end(&e), 0);
		len = sfl_encode_end(&e);
		CHECK_EQ_U64(len, 28 + form_cases[i].sample_bytes);
		CHECK_EQ_U64(sfl_datagram_init(&dg, buf, len), 0);
		CHECK(sfl_datagram_next_sample(&dg, &back));
		CHECK_EQ_U64(back.tag, s.tag);
		CHECK_EQ_U64(back.input, 7);
		CHECK_EQ_U64(back.output, 9);
		CHECK_EQ_U64(back.num_records, 1);
		if (s.tag == SFL_SAMPLE_DISCARD)
			CHECK_EQ_U64(back.reason, SFL_DROP_ACL);
		else
			CHECK_EQ_U64(back.sampling_rate, 1000);
	}
}

TEST(compact_forms_refuse_values_that_need_expanded)
{
	uint8_t buf[256];
	struct sfl_encoder e;
	struct sfl_sample s = flow_sample(SFL_SAMPLE_FLOW);

	sfl_encode_begin(&e, buf, sizeof(buf), &hdr4);
	s.ds_index = 1u << 24; /* 369098852 in akvorado__data-qinq needs 0:3 */
	CHECK_EQ_U64(sfl_encode_sample_begin(&e, &s), (uint64_t)-1);
	s.ds_index = 1;
	s.output = 1u << 30;
	CHECK_EQ_U64(sfl_encode_sample_begin(&e, &s), (uint64_t)-1);
	s.tag = SFL_SAMPLE_FLOW_EXPANDED;
	CHECK_EQ_U64(sfl_encode_sample_begin(&e, &s), 0);
}

TEST(a_sample_that_does_not_fit_is_dropped_and_the_datagram_stays_valid)
{
	/* header 28 + one sample of 80 = 108; a second needs 80 more */
	uint8_t buf[150];
	struct sfl_encoder e;
	struct sfl_sample s = flow_sample(SFL_SAMPLE_FLOW);
	struct sfl_record rec = ipv4_record();
	struct sfl_datagram dg;
	struct sfl_sample back;
	size_t len;
	int n = 0;

	sfl_encode_begin(&e, buf, sizeof(buf), &hdr4);
	for (int i = 0; i < 2; i++) {
		sfl_encode_sample_begin(&e, &s);
		sfl_encode_record(&e, &rec);
		if (sfl_encode_sample_end(&e) == 0)
			n++;
	}
	CHECK_EQ_U64(n, 1);
	CHECK(e.full);
	len = sfl_encode_end(&e);
	CHECK_EQ_U64(len, 108);
	CHECK_EQ_U64(sfl_datagram_init(&dg, buf, len), 0);
	CHECK_EQ_U64(dg.num_samples, 1);
	CHECK(sfl_datagram_next_sample(&dg, &back));
	CHECK(!sfl_datagram_next_sample(&dg, &back));
	CHECK_EQ_U64(dg.err.code, SFL_ERR_NONE);
}

TEST(raw_samples_and_records_are_copied_verbatim)
{
	static const uint8_t body[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t buf[128];
	struct sfl_encoder e;
	struct sfl_sample raw = { .tag = SFL_TAG(9999, 7) };
	struct sfl_sample s = flow_sample(SFL_SAMPLE_COUNTERS);
	struct sfl_record rec = { .tag = SFL_TAG(8888, 1), .kind = SFL_KIND_COUNTERS,
				  .body = body, .len = 8 };
	size_t len;

	sfl_encode_begin(&e, buf, sizeof(buf), &hdr4);
	sfl_encode_sample_begin(&e, &raw);
	CHECK_EQ_U64(sfl_encode_raw(&e, body, 6), (uint64_t)-1); /* not a multiple of 4 */
	CHECK_EQ_U64(sfl_encode_raw(&e, body, 8), 0);
	CHECK_EQ_U64(sfl_encode_sample_end(&e), 0);
	sfl_encode_sample_begin(&e, &s);
	CHECK_EQ_U64(sfl_encode_record(&e, &rec), 0);
	CHECK_EQ_U64(sfl_encode_sample_end(&e), 0);
	len = sfl_encode_end(&e);
	/* 28 + (8 + 8) + (8 + 12 + 8 + 8) */
	CHECK_EQ_U64(len, 80);
	CHECK_MEM(buf + 28, "\x02\x70\xf0\x07\x00\x00\x00\x08", 8);
	CHECK_MEM(buf + 36, body, 8);
	CHECK_MEM(buf + 64, "\x02\x2b\x80\x01\x00\x00\x00\x08", 8);
}

TEST_MAIN(TEST_ENTRY(builds_the_annotated_example_byte_for_byte),
	  TEST_ENTRY(ipv6_agent_header_is_40_bytes),
	  TEST_ENTRY(unknown_agent_address_type_is_refused),
	  TEST_ENTRY(sample_forms_have_the_spec_sizes_and_decode_back),
	  TEST_ENTRY(compact_forms_refuse_values_that_need_expanded),
	  TEST_ENTRY(a_sample_that_does_not_fit_is_dropped_and_the_datagram_stays_valid),
	  TEST_ENTRY(raw_samples_and_records_are_copied_verbatim))
