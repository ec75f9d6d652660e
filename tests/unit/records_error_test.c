/*
 * tests/unit/records_error_test.c: the record codec on bad input and at
 * its edges.
 *
 * Decoding: bad address types, counts so large that multiplying them
 * would overflow 32 bits, string lengths past the end, unknown formats.
 * Every malformed body is copied into an exact-size heap buffer so that
 * ASan reports any read past it. Encoding: strings truncated to the
 * specification maxima, values that cannot be encoded, lists and arrays
 * in both their host and decoded forms, a full writer. Names and the
 * flow/counter name spaces. Expected bytes and sizes are computed by hand.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sflow/decode.h"
#include "sflow/encode.h"
#include "sflow/records.h"
#include "tests/lib/test.h"

#define BUF_BYTES 2048
#define ERR_OFFSET 200

#define FLOW SFL_KIND_FLOW
#define CTR SFL_KIND_COUNTERS

static unsigned int nibble(char c)
{
	return isdigit((unsigned char)c) ? (unsigned int)(c - '0')
					 : (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
}

/* Bytes of a hex string; blanks are ignored, digits come in pairs. */
static size_t hex(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		out[n++] = (uint8_t)(nibble(s[0]) << 4 | nibble(s[1]));
		s++;
	}
	return n;
}

/* Decode a hex body from an exact-size heap copy. */
static int decode_hex(enum sfl_record_kind kind, uint32_t tag, const char *body,
		      struct sfl_record *rec, struct sfl_error *err)
{
	uint8_t tmp[BUF_BYTES];
	size_t n = hex(body, tmp);
	uint8_t *copy = malloc(n ? n : 1);
	int rc;

	memcpy(copy, tmp, n);
	memset(rec, 0, sizeof(*rec));
	memset(err, 0, sizeof(*err));
	rec->kind = kind;
	rec->tag = tag;
	rec->body = copy;
	rec->len = (uint32_t)n;
	rc = sfl_record_decode(rec, ERR_OFFSET, err);
	free(copy); /* the tests below only look at scalars after this */
	return rc;
}

static int encode(enum sfl_record_kind kind, uint32_t tag, const union sfl_record_value *v,
		  uint8_t *buf, size_t *len)
{
	struct sfl_writer w;
	int rc;

	sfl_writer_init(&w, buf, BUF_BYTES);
	rc = sfl_record_encode_body(&w, kind, tag, v);
	*len = sfl_writer_len(&w);
	return rc;
}

/* ---- decoding bad input ---- */

struct bad_case {
	const char *name;
	enum sfl_record_kind kind;
	uint32_t tag;
	const char *body;
	enum sfl_error_code code;
	uint32_t at; /* error offset from the body start */
};

static const struct bad_case bad_cases[] = {
	{ "router address type 3", FLOW, SFL_FLOW_EX_ROUTER,
	  "00000003 0a000001 00000018 00000018", SFL_ERR_ADDRESS, 0 },
	{ "nat dst address type 7", FLOW, SFL_FLOW_EX_NAT,
	  "00000001 0a000001 00000007 0a000002", SFL_ERR_ADDRESS, 8 },
	{ "gateway nexthop type ~0", FLOW, SFL_FLOW_EX_GATEWAY,
	  "ffffffff 00000000 00000000 00000000 00000000 00000000 00000000", SFL_ERR_ADDRESS, 0 },
	{ "mpls nexthop type 3", FLOW, SFL_FLOW_EX_MPLS,
	  "00000003 00000000 00000000", SFL_ERR_ADDRESS, 0 },
	{ "router ipv6 address cut", FLOW, SFL_FLOW_EX_ROUTER,
	  "00000002 20010db8 00000000", SFL_ERR_TRUNCATED, 4 },
	{ "vlan stack count ~0", FLOW, SFL_FLOW_EX_VLAN_TUNNEL,
	  "ffffffff 88a80064 810000c8", SFL_ERR_TRUNCATED, 4 },
	{ "mpls in_stack count 2^30 (x4 wraps 32 bits)", FLOW, SFL_FLOW_EX_MPLS,
	  "00000000 40000000 00000001 00000000", SFL_ERR_TRUNCATED, 8 },
	{ "as path count ~0", FLOW, SFL_FLOW_EX_GATEWAY,
	  "00000000 00000001 00000002 00000003 ffffffff 00000002 00000001 00000001",
	  SFL_ERR_TRUNCATED, 20 },
	{ "as path segment count 2^30 + 1", FLOW, SFL_FLOW_EX_GATEWAY,
	  "00000000 00000001 00000002 00000003 00000001 00000002 40000001 00000001"
	  "00000000 00000064", SFL_ERR_TRUNCATED, 28 },
	{ "communities count 2^30", FLOW, SFL_FLOW_EX_GATEWAY,
	  "00000000 00000001 00000002 00000003 00000000 40000000 00000064",
	  SFL_ERR_TRUNCATED, 24 },
	{ "adapters count 2^29 (x8 wraps 32 bits)", CTR, SFL_CTR_HOST_ADAPTERS,
	  "20000000 00000001 00000000", SFL_ERR_TRUNCATED, 4 },
	{ "adapter mac count 2^29", CTR, SFL_CTR_HOST_ADAPTERS,
	  "00000001 00000004 20000000 02fc0000 00010000", SFL_ERR_TRUNCATED, 12 },
	{ "sfp lane count 107374183 (x40 wraps to 24)", CTR, SFL_CTR_SFP,
	  "00000001 00000004 00000cf0 0000927c 06666667 00000001 00000002 00000003"
	  "00000004 00000005 00000006", SFL_ERR_TRUNCATED, 20 },
	{ "hostname length past the end", CTR, SFL_CTR_HOST_DESCR,
	  "00000064 766d0000 00000000 00000000 00000000 00000000", SFL_ERR_TRUNCATED, 4 },
	{ "hostname length ~0", CTR, SFL_CTR_HOST_DESCR,
	  "ffffffff 766d0000 00000000 00000000 00000000 00000000", SFL_ERR_TRUNCATED, 4 },
	{ "hostname length ~0 - 2 (pad wraps 32 bits)", CTR, SFL_CTR_HOST_DESCR,
	  "fffffffd 766d0000 00000000 00000000 00000000 00000000", SFL_ERR_TRUNCATED, 4 },
	{ "header length ~0 - 3", FLOW, SFL_FLOW_HEADER,
	  "00000001 00000040 00000004 fffffffc 45000014", SFL_ERR_TRUNCATED, 16 },
	{ "string padding missing", FLOW, SFL_FLOW_APP_ACTOR_INIT,
	  "00000005 75736572 30", SFL_ERR_TRUNCATED, 4 },
	{ "uuid cut", CTR, SFL_CTR_HOST_DESCR,
	  "00000000 9f3c2a1e 5b6d4e7f 8a9b0c1d", SFL_ERR_TRUNCATED, 4 },
	{ "switch one word short", FLOW, SFL_FLOW_EX_SWITCH,
	  "0000000a 00000003 00000014", SFL_ERR_TRUNCATED, 0 }, /* the run starts at 0 */
	{ "switch one word long", FLOW, SFL_FLOW_EX_SWITCH,
	  "0000000a 00000003 00000014 00000000 00000000", SFL_ERR_LENGTH, 0 },
	{ "actor with a trailing word", FLOW, SFL_FLOW_APP_ACTOR_TGT,
	  "00000002 69640000 00000000", SFL_ERR_LENGTH, 0 },
	{ "empty if_counters", CTR, SFL_CTR_GENERIC, "", SFL_ERR_TRUNCATED, 0 },
};

TEST(bad_bodies_are_rejected)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct sfl_record rec;
		struct sfl_error err;
		int rc = decode_hex(c->kind, c->tag, c->body, &rec, &err);

		if (rc != -1 || err.code != c->code || err.offset != ERR_OFFSET + c->at)
			printf("  %s: rc %d code %d offset %u\n", c->name, rc, err.code,
			       err.offset);
		CHECK(rc == -1);
		CHECK(!rec.known);
		CHECK_EQ_U64(err.code, c->code);
		CHECK_EQ_U64(err.offset, ERR_OFFSET + c->at);
		CHECK_EQ_STR(err.what, sfl_record_name(c->kind, c->tag));
	}
}

TEST(length_error_reports_both_lengths)
{
	struct sfl_record rec;
	struct sfl_error err;

	CHECK(decode_hex(FLOW, SFL_FLOW_EX_SWITCH, "00000001 00000002 00000003 00000004 00000005",
			 &rec, &err) == -1);
	CHECK_EQ_U64(err.code, SFL_ERR_LENGTH);
	CHECK_EQ_U64(err.expected, 20);
	CHECK_EQ_U64(err.found, 16);
	CHECK_EQ_STR(err.what, "extended_switch");
}

TEST(unknown_formats_are_kept_raw)
{
	static const uint32_t unknown_flow[] = { SFL_FLOW_EX_AGGREGATION, SFL_TAG(0, 1037),
						 SFL_TAG(0, 2208), SFL_TAG(9, 1), SFL_TAG(0, 0) };
	static const uint32_t unknown_ctr[] = { SFL_TAG(0, 8), SFL_TAG(0, 2011),
						SFL_TAG(0, 2208), SFL_TAG(5703, 2) };
	union sfl_record_value v;
	uint8_t buf[BUF_BYTES];
	size_t n;

	memset(&v, 0, sizeof(v));
	for (size_t i = 0; i < sizeof(unknown_flow) / sizeof(unknown_flow[0]); i++) {
		struct sfl_record rec;
		struct sfl_error err;

		CHECK(decode_hex(FLOW, unknown_flow[i], "00000001", &rec, &err) == 0);
		CHECK(!rec.known);
		CHECK_EQ_U64(err.code, SFL_ERR_NONE);
		CHECK(!sfl_record_known(FLOW, unknown_flow[i]));
		CHECK(sfl_record_name(FLOW, unknown_flow[i]) == NULL);
		CHECK(encode(FLOW, unknown_flow[i], &v, buf, &n) == -1);
	}
	for (size_t i = 0; i < sizeof(unknown_ctr) / sizeof(unknown_ctr[0]); i++) {
		CHECK(!sfl_record_known(CTR, unknown_ctr[i]));
		CHECK(encode(CTR, unknown_ctr[i], &v, buf, &n) == -1);
	}
}

TEST(names_and_name_spaces)
{
	CHECK_EQ_STR(sfl_record_name(FLOW, SFL_FLOW_EX_SWITCH), "extended_switch");
	CHECK_EQ_STR(sfl_record_name(FLOW, SFL_FLOW_HEADER), "sampled_header");
	CHECK_EQ_STR(sfl_record_name(FLOW, SFL_FLOW_HTTP), "http_request");
	CHECK_EQ_STR(sfl_record_name(CTR, SFL_CTR_APP_WORKERS), "app_workers");
	CHECK_EQ_STR(sfl_record_name(CTR, SFL_CTR_GENERIC), "if_counters");
	CHECK_EQ_STR(sfl_record_name(CTR, SFL_CTR_HOST_CPU), "host_cpu");
	CHECK_EQ_STR(sfl_record_name(CTR, SFL_CTR_NVML_GPU), "nvml_gpu");
	CHECK_EQ_STR(sfl_record_name(CTR, SFL_CTR_BCM_TABLES), "bcm_tables");
	/* Flow and counter formats are separate name spaces. */
	CHECK(sfl_record_known(FLOW, SFL_TAG(0, 1043)));
	CHECK(!sfl_record_known(CTR, SFL_TAG(0, 1043)));
	CHECK(sfl_record_known(CTR, SFL_TAG(0, 7)));
	CHECK(!sfl_record_known(FLOW, SFL_TAG(0, 7)));
	CHECK(!sfl_record_known(FLOW, SFL_CTR_NVML_GPU));
}

/* ---- encoding edges ---- */

static char long_text[400];

struct trunc_case {
	const char *name;
	enum sfl_record_kind kind;
	uint32_t tag;
	struct sfl_str *(*member)(union sfl_record_value *v);
	uint32_t len;     /* string length given */
	uint32_t max;     /* spec maximum: what must be written */
	uint32_t str_at;  /* offset of the length word in the body */
};

static struct sfl_str *m_hostname(union sfl_record_value *v)
{
	return &v->host_descr.hostname;
}

static struct sfl_str *m_os_release(union sfl_record_value *v)
{
	return &v->host_descr.os_release;
}

static struct sfl_str *m_uri(union sfl_record_value *v)
{
	return &v->http.uri;
}

static struct sfl_str *m_useragent(union sfl_record_value *v)
{
	return &v->http.useragent;
}

static struct sfl_str *m_xff(union sfl_record_value *v)
{
	return &v->http.xff;
}

static struct sfl_str *m_old_authuser(union sfl_record_value *v)
{
	return &v->http_old.authuser;
}

static struct sfl_str *m_attributes(union sfl_record_value *v)
{
	return &v->app_op.attributes;
}

static struct sfl_str *m_actor(union sfl_record_value *v)
{
	return &v->app_actor.actor;
}

static struct sfl_str *m_ifname(union sfl_record_value *v)
{
	return &v->portname.name;
}

static struct sfl_str *m_key(union sfl_record_value *v)
{
	return &v->memcache_op.key;
}

static struct sfl_str *m_vm_name(union sfl_record_value *v)
{
	return &v->jvm_runtime.vm_name;
}

static struct sfl_str *m_vm_version(union sfl_record_value *v)
{
	return &v->jvm_runtime.vm_version;
}

static struct sfl_str *m_src_user(union sfl_record_value *v)
{
	return &v->user.src_user;
}

static const struct trunc_case trunc_cases[] = {
	{ "hostname", CTR, SFL_CTR_HOST_DESCR, m_hostname, 70, 64, 0 },
	{ "os_release", CTR, SFL_CTR_HOST_DESCR, m_os_release, 40, 32, 4 + 16 + 8 },
	{ "http uri", FLOW, SFL_FLOW_HTTP, m_uri, 300, 255, 8 },
	{ "http useragent", FLOW, SFL_FLOW_HTTP, m_useragent, 200, 128, 8 + 3 * 4 },
	{ "http xff", FLOW, SFL_FLOW_HTTP, m_xff, 65, 64, 8 + 4 * 4 },
	{ "old http authuser", FLOW, SFL_FLOW_HTTP_OLD, m_old_authuser, 33, 32, 8 + 4 * 4 },
	{ "app attributes", FLOW, SFL_FLOW_APP, m_attributes, 399, 255, 2 * 4 },
	{ "actor", FLOW, SFL_FLOW_APP_ACTOR_TGT, m_actor, 100, 64, 0 },
	{ "ifName", CTR, SFL_CTR_PORTNAME, m_ifname, 256, 255, 0 },
	{ "memcache key", FLOW, SFL_FLOW_MEMCACHE, m_key, 256, 255, 8 },
	{ "vm_name", CTR, SFL_CTR_JVM_RUNTIME, m_vm_name, 65, 64, 0 },
	{ "vm_version", CTR, SFL_CTR_JVM_RUNTIME, m_vm_version, 33, 32, 2 * 4 },
	{ "extended_user has no maximum", FLOW, SFL_FLOW_EX_USER, m_src_user, 300, 300, 4 },
	{ "short strings are kept", CTR, SFL_CTR_HOST_DESCR, m_hostname, 64, 64, 0 },
};

/* Zeroed value whose strings are all empty (length words only). */
static uint32_t base_len(enum sfl_record_kind kind, uint32_t tag)
{
	union sfl_record_value v;
	uint8_t buf[BUF_BYTES];
	size_t n = 0;

	memset(&v, 0, sizeof(v));
	encode(kind, tag, &v, buf, &n);
	return (uint32_t)n;
}

TEST(long_strings_are_truncated_to_the_spec_max)
{
	memset(long_text, 'x', sizeof(long_text));
	for (size_t i = 0; i < sizeof(trunc_cases) / sizeof(trunc_cases[0]); i++) {
		const struct trunc_case *c = &trunc_cases[i];
		union sfl_record_value v;
		uint8_t buf[BUF_BYTES];
		size_t n = 0;
		struct sfl_str *s;

		memset(&v, 0, sizeof(v));
		s = c->member(&v);
		s->ptr = long_text;
		s->len = c->len;
		CHECK(encode(c->kind, c->tag, &v, buf, &n) == 0);
		/* Length word then the bytes padded to 4, the rest empty. */
		CHECK_EQ_U64(sfl_load_u32(buf + c->str_at), c->max);
		CHECK_EQ_U64(n, base_len(c->kind, c->tag) + ((c->max + 3) & ~3u));
		if (sfl_load_u32(buf + c->str_at) != c->max)
			printf("  %s\n", c->name);
	}
}

TEST(values_that_cannot_be_encoded)
{
	union sfl_record_value v;
	uint8_t buf[BUF_BYTES];
	size_t n;

	memset(&v, 0, sizeof(v));
	v.router.nexthop.type = 3;
	CHECK(encode(FLOW, SFL_FLOW_EX_ROUTER, &v, buf, &n) == -1);

	memset(&v, 0, sizeof(v));
	v.host_descr.hostname.len = 4; /* no bytes behind it */
	CHECK(encode(CTR, SFL_CTR_HOST_DESCR, &v, buf, &n) == -1);

	memset(&v, 0, sizeof(v));
	v.vlan_tunnel.stack.count = 2; /* neither form present */
	CHECK(encode(FLOW, SFL_FLOW_EX_VLAN_TUNNEL, &v, buf, &n) == -1);

	memset(&v, 0, sizeof(v));
	v.gateway.as_path.count = 1; /* neither form present */
	CHECK(encode(FLOW, SFL_FLOW_EX_GATEWAY, &v, buf, &n) == -1);

	memset(&v, 0, sizeof(v));
	v.host_adapters.adapters.count = 3;
	CHECK(encode(CTR, SFL_CTR_HOST_ADAPTERS, &v, buf, &n) == -1);

	CHECK(sfl_record_encode_body(NULL, FLOW, SFL_FLOW_EX_SWITCH, NULL) == -1);
}

TEST(full_writer_sets_the_flag)
{
	union sfl_record_value v;
	uint8_t buf[40];
	struct sfl_writer w;

	memset(&v, 0, sizeof(v));
	sfl_writer_init(&w, buf, sizeof(buf));
	CHECK(sfl_record_encode_body(&w, CTR, SFL_CTR_GENERIC, &v) == 0);
	CHECK(w.full);
	CHECK(sfl_writer_len(&w) <= sizeof(buf));
}

TEST(empty_lists_and_arrays)
{
	union sfl_record_value v;
	uint8_t buf[BUF_BYTES], want[BUF_BYTES];
	size_t n = 0, wn;
	struct sfl_record rec;
	struct sfl_error err;
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;

	memset(&v, 0, sizeof(v));
	CHECK(encode(FLOW, SFL_FLOW_EX_GATEWAY, &v, buf, &n) == 0);
	wn = hex("00000000 00000000 00000000 00000000 00000000 00000000 00000000", want);
	CHECK_EQ_U64(n, wn);
	CHECK_MEM(buf, want, wn);
	CHECK(decode_hex(FLOW, SFL_FLOW_EX_GATEWAY,
			 "00000000 00000000 00000000 00000000 00000000 00000000 00000000", &rec,
			 &err) == 0);
	CHECK_EQ_U64(rec.v.gateway.as_path.count, 0);
	CHECK_EQ_U64(rec.v.gateway.communities.count, 0);
	sfl_list_iter_init(&it, &v.gateway.as_path);
	CHECK(!sfl_as_path_next(&it, &seg));
}

TEST(decoded_lists_reencode_mixed_with_host_forms)
{
	/* Host adapters built with packed MACs next to a decoded adapter. */
	static const uint8_t macs[6] = { 1, 2, 3, 4, 5, 6 };
	struct sfl_adapter host[2];
	union sfl_record_value v;
	uint8_t buf[BUF_BYTES], want[BUF_BYTES];
	size_t n = 0, wn;
	struct sfl_record rec;
	struct sfl_error err;
	struct sfl_list_iter it;
	uint8_t body[64];
	size_t bn = hex("00000001 00000009 00000001 0a0b0c0d 0e0f0000", body);

	memset(&rec, 0, sizeof(rec));
	rec.kind = CTR;
	rec.tag = SFL_CTR_HOST_ADAPTERS;
	rec.body = body;
	rec.len = (uint32_t)bn;
	CHECK(sfl_record_decode(&rec, 0, &err) == 0);
	sfl_list_iter_init(&it, &rec.v.host_adapters.adapters);
	CHECK(sfl_adapter_next(&it, &host[0]));
	host[1] = (struct sfl_adapter){ 5, 1, macs, false };
	memset(&v, 0, sizeof(v));
	v.host_adapters.adapters = (struct sfl_list){ .host = host, .count = 2 };
	CHECK(encode(CTR, SFL_CTR_HOST_ADAPTERS, &v, buf, &n) == 0);
	wn = hex("00000002 00000009 00000001 0a0b0c0d 0e0f0000"
		 "00000005 00000001 01020304 05060000", want);
	CHECK_EQ_U64(n, wn);
	CHECK_MEM(buf, want, wn);
}

TEST(hand_built_xdr_lists_stop_at_their_end)
{
	/* An xdr-form list whose count claims more than its bytes hold. */
	static const uint8_t seg_bytes[] = { 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 1 };
	static const uint8_t lane_bytes[40];
	struct sfl_list l = { seg_bytes, sizeof(seg_bytes), NULL, 2 };
	struct sfl_list lanes = { lane_bytes, sizeof(lane_bytes), NULL, 2 };
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	struct sfl_adapter ad;
	struct sfl_sfp_lane lane;

	sfl_list_iter_init(&it, &l);
	CHECK(!sfl_as_path_next(&it, &seg)); /* 5 ASNs do not fit in 4 bytes */
	sfl_list_iter_init(&it, &l);
	CHECK(!sfl_adapter_next(&it, &ad));
	sfl_list_iter_init(&it, &lanes);
	CHECK(sfl_sfp_lane_next(&it, &lane));
	CHECK(!sfl_sfp_lane_next(&it, &lane));
}

TEST(adapter_mac_in_both_forms)
{
	static const uint8_t packed[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const uint8_t slots[16] = { 1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0 };
	struct sfl_adapter a = { 1, 2, packed, false };
	struct sfl_adapter b = { 1, 2, slots, true };

	CHECK_MEM(sfl_adapter_mac(&a, 1), packed + 6, 6);
	CHECK_MEM(sfl_adapter_mac(&b, 1), packed + 6, 6);
}

TEST_MAIN(TEST_ENTRY(bad_bodies_are_rejected), TEST_ENTRY(length_error_reports_both_lengths),
	  TEST_ENTRY(unknown_formats_are_kept_raw), TEST_ENTRY(names_and_name_spaces),
	  TEST_ENTRY(long_strings_are_truncated_to_the_spec_max),
	  TEST_ENTRY(values_that_cannot_be_encoded), TEST_ENTRY(full_writer_sets_the_flag),
	  TEST_ENTRY(empty_lists_and_arrays),
	  TEST_ENTRY(decoded_lists_reencode_mixed_with_host_forms),
	  TEST_ENTRY(hand_built_xdr_lists_stop_at_their_end),
	  TEST_ENTRY(adapter_mac_in_both_forms))
