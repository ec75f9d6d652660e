/*
 * tests/unit/flow_val_test.c: typed flow key values (analyzer/flow_val.h),
 * table-driven: each type's print form (sFlow-RT's, written out by hand),
 * its encoded length (worked out from the encoding described in
 * flow_val.c), a decode of the encoding that prints the same, every
 * shorter prefix of an encoding refused, values joined with a separator,
 * and the numeric reading.
 */
#include <stdio.h>
#include <string.h>

#include "analyzer/flow_val.h"
#include "tests/lib/test.h"

static struct flow_val ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct flow_val v = { .type = FLOW_V_IP4 };

	v.a[0] = a, v.a[1] = b, v.a[2] = c, v.a[3] = d;
	return v;
}

static struct flow_val num(uint64_t u)
{
	struct flow_val v = { .type = FLOW_V_U64 };

	v.u = u;
	return v;
}

static struct flow_val text(const char *s)
{
	struct flow_val v = { .type = FLOW_V_TEXT };

	v.s = s;
	v.len = (uint16_t)strlen(s);
	return v;
}

TEST(print_and_encode)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t mac[6] = { 0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef };
	struct {
		struct flow_val v;
		const char *printed;
		size_t enc_len;
	} cases[] = {
		{ ip4(10, 0, 0, 1), "10.0.0.1", 5 },
		{ ip4(255, 255, 255, 255), "255.255.255.255", 5 },
		{ num(0), "0", 1 },
		{ num(80), "80", 2 },
		{ num(443), "443", 3 },
		{ num(65536), "65536", 4 },
		{ num(18446744073709551615ull), "18446744073709551615", 9 },
		{ text("eth.ip.tcp"), "eth.ip.tcp", 12 },
		{ text(""), "", 2 },
		{ { .type = FLOW_V_BOOL, .u = 1 }, "true", 1 },
		{ { .type = FLOW_V_BOOL, .u = 0 }, "false", 1 },
		{ { .type = FLOW_V_BITS, .nbits = 9, .u = 0x012 }, "000010010", 6 },
		{ { .type = FLOW_V_BITS, .nbits = 3, .u = 2 }, "010", 6 },
		{ { .type = FLOW_V_F64, .d = 1.5 }, "1.5", 9 },
	};
	struct flow_val v6v = { .type = FLOW_V_IP6 }, macv = { .type = FLOW_V_MAC };

	memcpy(v6v.a, v6, 16);
	memcpy(macv.a, mac, 6);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) + 2; i++) {
		const struct flow_val *v = i < sizeof(cases) / sizeof(cases[0]) ? &cases[i].v :
					   i == sizeof(cases) / sizeof(cases[0]) ? &v6v :
										   &macv;
		const char *want = v == &v6v ? "2001:db8::1" : v == &macv ? "001B21ABCDEF" :
									   cases[i].printed;
		size_t want_len = v == &v6v ? 17 : v == &macv ? 7 : cases[i].enc_len;
		uint8_t enc[300];
		char got[64], back[64];
		struct flow_val d;
		size_t n = flow_val_encode(v, enc, sizeof(enc));

		CHECK(flow_val_format(v, got, sizeof(got)) == (int)strlen(want));
		CHECK_EQ_STR(got, want);
		CHECK_EQ_U64(n, want_len);
		CHECK(flow_val_decode(enc, n, &d) == n);
		CHECK(flow_val_format(&d, back, sizeof(back)) >= 0);
		CHECK_EQ_STR(back, want);
		for (size_t k = 0; k < n; k++) /* every cut encoding is refused */
			CHECK(flow_val_decode(enc, k, &d) == 0);
		CHECK(flow_val_encode(v, enc, n - 1) == 0); /* no room: nothing written */
	}
}

TEST(joined_and_numbers)
{
	struct flow_val vals[] = { ip4(192, 0, 2, 1), num(6), text("web") };
	uint8_t enc[64];
	size_t n = 0;
	char out[64];
	double d;

	for (size_t i = 0; i < 3; i++)
		n += flow_val_encode(&vals[i], enc + n, sizeof(enc) - n);
	CHECK(flow_val_format_joined(enc, n, ",", out, sizeof(out)) == 15);
	CHECK_EQ_STR(out, "192.0.2.1,6,web");
	CHECK(flow_val_format_joined(enc, n, "_SEP_", out, 12) == 11); /* cut to the cap */
	CHECK_EQ_STR(out, "192.0.2.1_S");
	CHECK(flow_val_format_joined(enc, n - 1, ",", out, sizeof(out)) == -1);
	CHECK(flow_val_format_joined(enc, 0, ",", out, sizeof(out)) == 0 && out[0] == '\0');
	CHECK(flow_val_number(&vals[1], &d) && d == 6);
	CHECK(!flow_val_number(&vals[0], &d) && !flow_val_number(&vals[2], &d));
	vals[2] = text("2.25");
	CHECK(flow_val_number(&vals[2], &d) && d == 2.25);
}

TEST_MAIN(TEST_ENTRY(print_and_encode), TEST_ENTRY(joined_and_numbers))
