/*
 * The output sink (sflow/dump/print.c), the value formatters (fmt.c) and
 * the discard reason names (reasons.c). Expected strings are written out
 * by hand from sflowtool's documented layout: compact JSON has no spaces,
 * -J puts a newline and one space per level before every item but the
 * first of a list, -g prefixes seven context columns.
 */
#include "sflow/dump/fmt.h"
#include "sflow/dump/print.h"
#include "sflow/dump/reasons.h"
#include "tests/lib/test.h"

#include <stddef.h>
#include <stdlib.h>

static const char *text_of(struct print *p)
{
	print_raw(p, "", 1);
	p->len--; /* keep the NUL out of the length */
	return p->buf;
}

/* One datagram with a sample holding one field, in the given format. */
static void small_datagram(struct print *p)
{
	print_datagram_begin(p);
	print_u32(p, "datagramSize", 28);
	p->scope = PRINT_SCOPE_SAMPLE;
	print_json_open(p, "samples", '[');
	print_json_open(p, NULL, '{');
	print_log(p, "startSample ----------------------\n");
	print_field(p, "sampleType_tag", "0:1");
	print_json_open(p, "elements", '[');
	print_json_close(p, ']');
	print_json_close(p, '}');
	print_log(p, "endSample   ----------------------\n");
	print_json_close(p, ']');
	print_datagram_end(p);
}

TEST(json_compact)
{
	struct print p;

	print_init(&p, PRINT_JSON, false);
	small_datagram(&p);
	CHECK_EQ_STR(text_of(&p),
		     "{\"datagramSize\":\"28\",\"samples\":[{\"sampleType_tag\":\"0:1\","
		     "\"elements\":[]}]}\n");
	print_fini(&p);
}

TEST(json_pretty)
{
	struct print p;

	print_init(&p, PRINT_JSON, true);
	small_datagram(&p);
	CHECK_EQ_STR(text_of(&p),
		     "{\n \"datagramSize\":\"28\",\n \"samples\":[{\n   \"sampleType_tag\":\"0:1\",\n"
		     "   \"elements\":[\n   ]\n  }\n ]\n}\n\n");
	print_fini(&p);
}

TEST(json_escaping_and_unwind)
{
	struct print p;

	print_init(&p, PRINT_JSON, false);
	print_datagram_begin(&p);
	print_field_mem(&p, "s", "a\"b\\c\nd\x01", 8);
	print_json_open(&p, "l", '[');
	print_json_open(&p, NULL, '{');
	print_json_item(&p, "x", true); /* bare items as in mac_list */
	print_json_item(&p, "y", false);
	print_datagram_end(&p); /* closes the open '{' and '[' itself */
	CHECK_EQ_STR(text_of(&p), "{\"s\":\"a\\\"b\\\\c\\u000ad\\u0001\",\"l\":[{\"x\" ,\"y\" }]}\n");
	print_fini(&p);
}

TEST(text_and_prefixes)
{
	struct print p;

	print_init(&p, PRINT_TEXT, false);
	small_datagram(&p);
	print_push_prefix(&p, "discarded_");
	print_u32_prefixed(&p, "out_", "VNI", 7);
	print_pop_prefix(&p);
	print_u64(&p, "big", UINT64_MAX);
	print_str(&p, "cut", "abc\0def", 7, 10); /* stops at the NUL */
	print_str(&p, "max", "abcdef", 6, 4);
	CHECK_EQ_STR(text_of(&p),
		     "startDatagram =================================\n"
		     "datagramSize 28\n"
		     "startSample ----------------------\n"
		     "sampleType_tag 0:1\n"
		     "endSample   ----------------------\n"
		     "endDatagram   =================================\n"
		     "discarded_out_VNI 7\n"
		     "big 18446744073709551615\n"
		     "cut abc\n"
		     "max abcd\n");
	print_fini(&p);
}

TEST(grep_context)
{
	struct print p;

	print_init(&p, PRINT_GREP, false);
	snprintf(p.ctx.when, sizeof(p.ctx.when), "2020-01-01T00:00:00+0000");
	snprintf(p.ctx.agent, sizeof(p.ctx.agent), "10.0.0.1");
	p.ctx.sub_agent_id = 7;
	p.ctx.seq = 42;
	p.ctx.ds_class = 0;
	p.ctx.ds_index = 3;
	p.ctx.sample_tag = SFL_TAG(0, 3);
	p.ctx.record_tag = SFL_TAG(4300, 1002);
	print_u32(&p, "x", 1);
	CHECK_EQ_STR(text_of(&p), "2020-01-01T00:00:00+0000 10.0.0.1 7 42 0:3 0:3 4300:1002 x 1\n");
	print_fini(&p);
}

TEST(custom_fields)
{
	struct print p;

	print_init(&p, PRINT_CUSTOM, false);
	CHECK(print_custom_parse(&p, " agent, srcIP ,,dstIP") == 0);
	CHECK_EQ_U64(p.custom.n, 3);
	print_datagram_begin(&p);
	print_field(&p, "agent", "10.0.0.1");
	p.scope = PRINT_SCOPE_SAMPLE;
	print_custom_line(&p); /* no sample field yet: no line */
	print_field(&p, "srcIP", "1.2.3.4");
	print_field(&p, "other", "x");
	print_custom_line(&p);
	print_custom_clear(&p, PRINT_SCOPE_SAMPLE);
	print_field(&p, "dstIP", "5.6.7.8");
	print_custom_line(&p);
	print_custom_clear(&p, PRINT_SCOPE_SAMPLE);
	print_datagram_end(&p); /* clears the agent */
	p.scope = PRINT_SCOPE_SAMPLE;
	print_field(&p, "srcIP", "9.9.9.9");
	print_custom_line(&p);
	CHECK_EQ_STR(text_of(&p), "10.0.0.1,1.2.3.4,\n10.0.0.1,,5.6.7.8\n,9.9.9.9,\n");
	print_fini(&p);

	print_init(&p, PRINT_CUSTOM, false);
	CHECK(print_custom_parse(&p, " , ") == -1);
	print_fini(&p);
}

struct cols_rec {
	uint32_t pct;
	uint32_t unknown;
	float load;
	uint64_t big;
};

TEST(columns)
{
	static const struct print_col cols[] = {
		PRINT_COL(PRINT_COL_PCT, struct cols_rec, pct, "pct"),
		PRINT_COL(PRINT_COL_PCT, struct cols_rec, unknown, "unknown"),
		PRINT_COL(PRINT_COL_FLOAT, struct cols_rec, load, "load"),
		PRINT_COL(PRINT_COL_U64, struct cols_rec, big, "big"),
	};
	struct cols_rec r = { 6909, UINT32_MAX, 0.18f, 1ull << 40 };
	struct print p;

	print_init(&p, PRINT_TEXT, false);
	print_cols(&p, &r, cols, 4);
	CHECK_EQ_STR(text_of(&p), "pct 69.09\nunknown unknown\nload 0.180\nbig 1099511627776\n");
	print_fini(&p);
}

TEST(silent_formats)
{
	static const enum print_format silent[] = { PRINT_LINE, PRINT_PCAP, PRINT_NONE };

	for (size_t i = 0; i < 3; i++) {
		struct print p;

		print_init(&p, silent[i], false);
		small_datagram(&p);
		print_u64(&p, "x", 1);
		CHECK_EQ_U64(p.len, 0);
		print_fini(&p);
	}
}

TEST(formatters)
{
	static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t uuid[16] = { 0x9f, 0x3c, 0x2a, 0x1e, 0x5b, 0x6d, 0x4e, 0x7f,
					  0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b };
	struct sfl_address none = { .type = 0 };
	char buf[2048];
	uint8_t bytes[1000];

	fmt_ip6(buf, ip6);
	CHECK_EQ_STR(buf, "2001:0db8:0000:0000:0000:0000:0000:0001");
	fmt_uuid(buf, uuid);
	CHECK_EQ_STR(buf, "9f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b");
	fmt_address(buf, &none);
	CHECK_EQ_STR(buf, "-");
	fmt_tag(buf, SFL_TAG(4300, 1002));
	CHECK_EQ_STR(buf, "4300:1002");
	/* '/' is 0x2F: sflowtool's lookup prints the two digits swapped */
	fmt_urlencode(buf, sizeof(buf), "get a/B9", 8);
	CHECK_EQ_STR(buf, "get+a%F2B9");
	memset(bytes, 0xab, sizeof(bytes));
	/* a 2048-byte scratch string holds (2048 - 1) / 3 = 682 "AB-" groups */
	CHECK_EQ_U64(fmt_hex(buf, sizeof(buf), bytes, sizeof(bytes), true, '-'), 682 * 3 - 1);
	CHECK_EQ_U64(fmt_cstr_len("ab\0cd", 5, 10), 2);
	CHECK_EQ_U64(fmt_cstr_len("abcd", 4, 3), 3);
}

TEST(reason_names)
{
	CHECK_EQ_STR(reasons_name(0), "net_unreachable");
	CHECK_EQ_STR(reasons_name(15), "precedence_cutoff");
	CHECK(reasons_name(16) == NULL);
	CHECK_EQ_STR(reasons_name(256), "unknown");
	CHECK_EQ_STR(reasons_name(258), "acl");
	CHECK_EQ_STR(reasons_name(303), "split_horizon");
	CHECK_EQ_STR(reasons_name(304), "locked_port");
	CHECK_EQ_STR(reasons_name(371), "socket_filter");
	CHECK(reasons_name(372) == NULL);
}

TEST_MAIN(TEST_ENTRY(json_compact), TEST_ENTRY(json_pretty), TEST_ENTRY(json_escaping_and_unwind),
	  TEST_ENTRY(text_and_prefixes), TEST_ENTRY(grep_context), TEST_ENTRY(custom_fields),
	  TEST_ENTRY(columns), TEST_ENTRY(silent_formats), TEST_ENTRY(formatters),
	  TEST_ENTRY(reason_names))
