/*
 * Datagram- and sample-level decoder tests. The reference datagram is the
 * annotated example of shared/reference/wire.md §1.2 (nxthdr__sflow.pcap),
 * typed in by hand from that text; error cases are built by editing it.
 */
#include "sflow/decode.h"
#include "tests/lib/test.h"
#include "tests/lib/wire_example.h"

#define EXAMPLE_LEN WIRE_EXAMPLE_LEN

/* Decode `buf` fully; returns the number of records seen and the error. */
static int walk(const uint8_t *buf, size_t len, struct sfl_error *err)
{
	struct sfl_datagram dg;
	struct sfl_sample s;
	struct sfl_record rec;
	int records = 0;

	if (sfl_datagram_init(&dg, buf, len) == 0) {
		while (sfl_datagram_next_sample(&dg, &s))
			while (sfl_sample_next_record(&s, &rec))
				records++;
	}
	*err = dg.err;
	return records;
}

TEST(header_fields_match_the_annotated_example)
{
	struct sfl_datagram dg;

	CHECK_EQ_U64(sfl_datagram_init(&dg, wire_example, EXAMPLE_LEN), 0);
	CHECK_EQ_U64(dg.version, 5);
	CHECK_EQ_U64(dg.agent.type, SFL_ADDR_IP4);
	CHECK_MEM(dg.agent.addr, "\x01\x01\x01\x01", 4);
	CHECK_EQ_U64(dg.sub_agent_id, 0);
	CHECK_EQ_U64(dg.seq, 264476700);
	CHECK_EQ_U64(dg.uptime_ms, 1991243781);
	CHECK_EQ_U64(dg.num_samples, 1);
}

TEST(flow_sample_and_ipv4_record_match_the_annotated_example)
{
	struct sfl_datagram dg;
	struct sfl_sample s;
	struct sfl_record rec;

	sfl_datagram_init(&dg, wire_example, EXAMPLE_LEN);
	CHECK(sfl_datagram_next_sample(&dg, &s));
	CHECK_EQ_U64(s.tag, SFL_SAMPLE_FLOW);
	CHECK_EQ_U64(s.len, 72);
	CHECK_EQ_U64(s.seq, 264476700);
	CHECK_EQ_U64(s.ds_class, 0);
	CHECK_EQ_U64(s.ds_index, 1);
	CHECK_EQ_U64(s.sampling_rate, 1000);
	CHECK_EQ_U64(s.sample_pool, 1);
	CHECK_EQ_U64(s.num_records, 1);
	CHECK(sfl_sample_next_record(&s, &rec));
	CHECK_EQ_U64(rec.tag, SFL_FLOW_IPV4);
	CHECK(rec.known);
	CHECK_EQ_U64(rec.v.ipv4.length, 40);
	CHECK_EQ_U64(rec.v.ipv4.protocol, 6);
	CHECK_MEM(rec.v.ipv4.src_ip, "\x03\x03\x03\x03", 4);
	CHECK_MEM(rec.v.ipv4.dst_ip, "\x04\x04\x04\x04", 4);
	CHECK_EQ_U64(rec.v.ipv4.src_port, 53032);
	CHECK_EQ_U64(rec.v.ipv4.dst_port, 25562);
	CHECK_EQ_U64(rec.v.ipv4.tcp_flags, 0x10);
	CHECK_EQ_U64(rec.v.ipv4.tos, 0x70);
	CHECK(!sfl_sample_next_record(&s, &rec));
	CHECK(!sfl_datagram_next_sample(&dg, &s));
	CHECK_EQ_U64(dg.err.code, SFL_ERR_NONE);
}

/* One edit of the example and the error it must give. */
struct bad_case {
	const char *name;
	size_t at;            /* byte to overwrite, or SIZE_MAX for none */
	uint8_t value;
	size_t len;           /* bytes of the edited datagram to decode */
	enum sfl_error_code code;
};

static const struct bad_case bad_cases[] = {
	{ "version 4", 3, 4, EXAMPLE_LEN, SFL_ERR_VERSION },
	{ "agent type 3", 7, 3, EXAMPLE_LEN, SFL_ERR_ADDRESS },
	{ "header cut short", SIZE_MAX, 0, 20, SFL_ERR_TRUNCATED },
	{ "two samples announced", 27, 2, EXAMPLE_LEN, SFL_ERR_TRUNCATED },
	{ "sample longer than datagram", 35, 0x4c, EXAMPLE_LEN, SFL_ERR_TRUNCATED },
	{ "sample shorter than its records", 35, 0x44, EXAMPLE_LEN, SFL_ERR_TRUNCATED },
	{ "record count impossible", 67, 0x40, EXAMPLE_LEN, SFL_ERR_COUNT },
	{ "record longer than sample", 75, 0x24, EXAMPLE_LEN, SFL_ERR_TRUNCATED },
	{ "datagram cut in a record", SIZE_MAX, 0, EXAMPLE_LEN - 4, SFL_ERR_TRUNCATED },
};

TEST(bad_datagrams_give_the_right_error)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		uint8_t buf[EXAMPLE_LEN];
		struct sfl_error err;

		memcpy(buf, wire_example, EXAMPLE_LEN);
		if (c->at != SIZE_MAX)
			buf[c->at] = c->value;
		walk(buf, c->len, &err);
		if (err.code != c->code)
			printf("  case \"%s\": got %s\n", c->name, sfl_error_name(err.code));
		CHECK_EQ_U64(err.code, c->code);
		CHECK(err.offset <= c->len);
	}
}

TEST(bytes_after_the_last_sample_are_counted_not_fatal)
{
	struct sfl_datagram dg;
	struct sfl_sample s;
	uint8_t buf[EXAMPLE_LEN];

	memcpy(buf, wire_example, EXAMPLE_LEN);
	buf[27] = 0; /* no samples: the 80 sample bytes now trail */
	CHECK_EQ_U64(sfl_datagram_init(&dg, buf, EXAMPLE_LEN), 0);
	CHECK(!sfl_datagram_next_sample(&dg, &s));
	CHECK_EQ_U64(dg.err.code, SFL_ERR_NONE);
	CHECK_EQ_U64(dg.trailing_bytes, EXAMPLE_LEN - 28);
}

TEST(every_prefix_of_a_good_datagram_is_rejected_cleanly)
{
	for (size_t len = 0; len < EXAMPLE_LEN; len++) {
		struct sfl_error err;

		walk(wire_example, len, &err);
		CHECK(err.code != SFL_ERR_NONE);
	}
}

TEST(unknown_sample_is_returned_raw_and_skipped)
{
	uint8_t buf[EXAMPLE_LEN + 12];
	struct sfl_datagram dg;
	struct sfl_sample s;
	int n = 0;

	memcpy(buf, wire_example, EXAMPLE_LEN);
	buf[27] = 2;
	/* enterprise 9999 format 7, 4-byte body */
	memcpy(buf + EXAMPLE_LEN, "\x02\x70\xf0\x07\x00\x00\x00\x04\xde\xad\xbe\xef", 12);
	CHECK_EQ_U64(sfl_datagram_init(&dg, buf, sizeof(buf)), 0);
	while (sfl_datagram_next_sample(&dg, &s)) {
		if (n++ == 1) {
			CHECK(!s.known);
			CHECK_EQ_U64(SFL_TAG_ENTERPRISE(s.tag), 9999);
			CHECK_EQ_U64(SFL_TAG_FORMAT(s.tag), 7);
			CHECK_EQ_U64(s.len, 4);
			CHECK_MEM(s.body, "\xde\xad\xbe\xef", 4);
		}
	}
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_U64(dg.err.code, SFL_ERR_NONE);
}

TEST(error_message_names_structure_and_offset)
{
	struct sfl_error err = { SFL_ERR_LENGTH, 36, "flow_sample", 72, 76 };
	char buf[128];

	CHECK_EQ_STR(sfl_error_format(&err, buf, sizeof(buf)),
		     "flow_sample length error (expected 72, found 76) at byte 36");
}

TEST_MAIN(TEST_ENTRY(header_fields_match_the_annotated_example),
	  TEST_ENTRY(flow_sample_and_ipv4_record_match_the_annotated_example),
	  TEST_ENTRY(bad_datagrams_give_the_right_error),
	  TEST_ENTRY(bytes_after_the_last_sample_are_counted_not_fatal),
	  TEST_ENTRY(every_prefix_of_a_good_datagram_is_rejected_cleanly),
	  TEST_ENTRY(unknown_sample_is_returned_raw_and_skipped),
	  TEST_ENTRY(error_message_names_structure_and_offset))
