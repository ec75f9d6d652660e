/*
 * tests/unit/flow_spec_test.c: flow definitions, filters, key functions,
 * groups and maps (analyzer/flow_spec.h, flow_group.h), table-driven,
 * over one hand-built sample whose keys are worked out by hand:
 * Ethernet 00:11:22:33:44:55 -> ff..ff, IPv4 10.0.0.1 -> 10.0.0.2 TTL 63
 * TOS 0, TCP 1234 -> 80 SYN, frame 1000 bytes, sampled 1 in 100.
 * - bad definitions are refused with a message naming the attribute;
 * - defaults and clamps in the JSON a GET shows;
 * - filters with every operator, lists, quotes, null, parentheses;
 * - every key function, nested and escaped;
 * - the joined key and the contribution of flow_spec_eval;
 * - longest-prefix match (IPv4, IPv6, overlapping), maps, bad documents.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_expr.h"
#include "analyzer/flow_group.h"
#include "analyzer/flow_spec.h"
#include "sflow/encode.h"
#include "sflow/sflow.h"
#include "tests/lib/test.h"

static uint8_t dgram[2048];
static struct sfl_datagram dg;
static struct sfl_sample smp;
static struct flow_sample fs;
static struct flow_env env;

static void make_sample(void)
{
	static const uint8_t h[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x11, 0x22,
				     0x33, 0x44, 0x55, 0x08, 0x00, 0x45, 0,    0x00, 0x28,
				     0,    0,    0x40, 0x00, 63,   6,    0,    0,    10,
				     0,    0,    1,    10,   0,    0,    2,    0x04, 0xd2,
				     0x00, 0x50, 0,    0,    0,    0,    0,    0,    0,
				     0,    0x50, 0x02, 0xff, 0xff, 0,    0,    0,    0 };
	struct sfl_encoder e;
	struct sfl_datagram_hdr hdr = { .seq = 1, .uptime_ms = 1 };
	struct sfl_sample s = {
		.tag = SFL_SAMPLE_FLOW, .ds_index = 3, .sampling_rate = 100, .input = 3, .output = 7
	};
	struct sfl_record r = { .tag = SFL_FLOW_HEADER, .kind = SFL_KIND_FLOW, .known = true };

	hdr.agent.type = SFL_ADDR_IP4;
	r.v.header.protocol = 1;
	r.v.header.frame_bytes = 1000;
	r.v.header.header.ptr = h;
	r.v.header.header.len = sizeof(h);
	sfl_encode_begin(&e, dgram, sizeof(dgram), &hdr);
	sfl_encode_sample_begin(&e, &s);
	sfl_encode_record(&e, &r);
	sfl_encode_sample_end(&e);
	sfl_datagram_init(&dg, dgram, sfl_encode_end(&e));
	sfl_datagram_next_sample(&dg, &smp);
	flow_sample_init(&fs, &smp, "192.0.2.1");
}

static cJSON *spec(const char *json)
{
	cJSON *j = cJSON_Parse(json);

	if (!j)
		printf("  test bug: bad JSON %s\n", json);
	return j;
}

TEST(bad_definitions)
{
	static const struct {
		const char *json, *why;
	} cases[] = {
		{ "[1]", "expected a flow definition object" },
		{ "{\"keys\":5}", "keys: expected a string or an array" },
		{ "{\"keys\":[\"ipsource\",3]}", "keys: expected an array of strings" },
		{ "{\"keys\":\"grp:ipsource:lan\"}", "keys: unknown function 'grp'" },
		{ "{\"keys\":\"mask:ipsource\"}", "keys: mask: expected 2 to 2 arguments, got 1" },
		{ "{\"keys\":\"group:[ipsource:lan\"}", "keys: unbalanced" },
		{ "{\"keys\":\"ip source\"}", "keys: bad key name" },
		{ "{\"keys\":\"ipsource\",\"value\":\"avg:\"}", "value: bad value" },
		{ "{\"keys\":\"ipsource\",\"value\":7}", "value: expected a string" },
		{ "{\"keys\":\"ipsource\",\"values\":{}}",
		  "values: expected a string or an array" },
		{ "{\"keys\":\"ipsource\",\"filter\":\"ipsource\"}",
		  "filter: expected =, !=, ~ or !~" },
		{ "{\"keys\":\"ipsource\",\"filter\":\"(ipsource=1\"}", "filter: expected ')'" },
		{ "{\"keys\":\"ipsource\",\"filter\":\"ipsource=1)\"}",
		  "filter: unexpected ')' at 10" },
		{ "{\"keys\":\"ipsource\",\"filter\":\"ipsource~(\"}",
		  "filter: bad regular expression" },
		{ "{\"keys\":\"ipsource\",\"filter\":7}", "filter: expected a string" },
		{ "{\"keys\":\"ipsource\",\"filter\":\"ipsource~(a{1000}){1000}\"}",
		  "filter: bad regular expression" },
		{ "{\"keys\":\"ipsource\",\"filter\":\"ipsource~a**\"}", "filter: bad regular expression" },
		{ "{\"keys\":\"ipsource\",\"t\":\"x\"}", "t: not a number" },
		{ "{\"keys\":\"ipsource\",\"n\":true}", "n: not a number" },
		{ "{\"keys\":\"ipsource\",\"log\":\"yes\"}", "log: not a boolean" },
		{ "{\"keys\":\"ipsource\",\"fs\":\"\"}", "fs: expected a separator" },
		{ "{\"keys\":\"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\"}", "keys: too many keys" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		cJSON *j = spec(cases[i].json);
		struct flow_spec *sp = flow_spec_parse(j, err, sizeof(err));

		CHECK(sp == NULL);
		if (!strstr(err, cases[i].why)) {
			printf("  %s: error \"%s\", expected \"%s\"\n", cases[i].json, err,
			       cases[i].why);
			test_failed_checks++;
		}
		flow_spec_free(sp);
		cJSON_Delete(j);
	}
}

TEST(defaults_and_clamps)
{
	static const struct {
		const char *json, *expect;
	} cases[] = {
		{ "{\"keys\":\"ipsource\"}",
		  "{\"keys\":\"ipsource\",\"value\":\"bytes\",\"n\":5,\"t\":2,\"fs\":\",\",\"log\":false,"
		  "\"flowStart\":false,\"activeTimeout\":60,\"dropped\":false}" },
		{ "{\"keys\":[\"ipsource\",\"ipdestination\"],\"value\":\"frames\",\"n\":100,\"t\":0.1,"
		  "\"fs\":\"_SEP_\",\"log\":true,\"filter\":\"ipprotocol=6\",\"values\":[\"avg:ipttl\"],"
		  "\"aggMode\":\"edge\",\"activeTimeout\":0}",
		  "{\"keys\":[\"ipsource\",\"ipdestination\"],\"value\":\"frames\",\"values\":[\"avg:ipttl\"],"
		  "\"filter\":\"ipprotocol=6\",\"n\":20,\"t\":0.2,\"fs\":\"_SEP_\",\"log\":true,"
		  "\"flowStart\":false,\"activeTimeout\":1,\"aggMode\":\"edge\",\"dropped\":false}" },
		{ "{\"value\":\"bytes\",\"n\":\"1\",\"t\":\"1000\",\"dropped\":true}",
		  "{\"keys\":\"\",\"value\":\"bytes\",\"n\":5,\"t\":600,\"fs\":\",\",\"log\":false,"
		  "\"flowStart\":false,\"activeTimeout\":60,\"dropped\":true}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		cJSON *j = spec(cases[i].json), *want = spec(cases[i].expect), *got;
		struct flow_spec *sp = flow_spec_parse(j, err, sizeof(err));

		CHECK(sp != NULL);
		if (!sp) {
			printf("  %s: %s\n", cases[i].json, err);
			cJSON_Delete(j);
			cJSON_Delete(want);
			continue;
		}
		got = flow_spec_json(sp);
		if (!cJSON_Compare(got, want, true)) {
			char *t = cJSON_PrintUnformatted(got);

			printf("  %s gives %s\n", cases[i].json, t);
			free(t);
			test_failed_checks++;
		}
		cJSON_Delete(got);
		cJSON_Delete(want);
		cJSON_Delete(j);
		flow_spec_free(sp);
	}
}

TEST(filters)
{
	static const struct {
		const char *filter;
		bool match;
	} cases[] = {
		{ "ipsource=10.0.0.1", true },
		{ "ipsource=10.0.0.9", false },
		{ "ipsource=10.0.0.9,10.0.0.1", true },
		{ "ipsource!=10.0.0.9,10.0.0.1", false },
		{ "ipsource!=10.0.0.9", true },
		{ "'ipsource'='10.0.0.1'", true },
		{ "tcpflags~.......1.", true },
		{ "tcpflags~....1..1.", false },
		{ "tcpflags!~....1..1.", true },
		{ "ipsource~10\\.0\\..*", true },
		{ "ipsource~10", false }, /* a full match, as Java's matches() */
		{ "ipprotocol=6&tcpdestinationport=80", true },
		{ "ipprotocol=6&tcpdestinationport=81", false },
		{ "ipprotocol=17|tcpdestinationport=80", true },
		{ "(ipsource=1.1.1.1|ipdestination=10.0.0.2)&ipprotocol=1,6,17", true },
		{ "ipsource=1.1.1.1|ipdestination=10.0.0.2&ipprotocol=17", false },
		{ "vxlanvni=null", true },
		{ "vxlanvni!=null", false },
		{ "vxlanvni=5", false },
		{ "vxlanvni!=5", true },
		{ "vxlanvni!~5", true },
		{ "group:ipsource:lan=inside", true },
		{ "group:ipdestination:lan!=inside,outside", false },
		{ "direction=ingress & isbroadcast=true", true },
		{ "[mask:ipsource:8]=10.0.0.0", true },
		/* equality is of print forms, whatever the value's type */
		{ "ipsource=010.0.0.1", false },
		{ "ipprotocol=06", false },
		{ "ipprotocol=6.0", false },
		{ "ipprotocol=18446744073709551622", false },
		{ "tcpsourceport=1234", true },
		{ "ipttl=63", true },
		{ "tcpflags=000000010", true },
		{ "macsource=001122334455", true },
		{ "macsource=00:11:22:33:44:55", false },
		{ "stack=eth.ip.tcp", true },
		{ "stack=eth.ip", false },
		{ "stack!=eth.ip,eth.ip.tcp", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct flow_filter *f = flow_filter_parse(cases[i].filter, err, sizeof(err));

		CHECK(f != NULL);
		if (!f) {
			printf("  %s: %s\n", cases[i].filter, err);
			continue;
		}
		if (flow_filter_match(f, &env, &fs) != cases[i].match) {
			printf("  %s should %smatch\n", cases[i].filter,
			       cases[i].match ? "" : "not ");
			test_failed_checks++;
		}
		flow_filter_free(f);
	}
}

TEST(key_functions)
{
	static const struct {
		const char *expr, *value; /* NULL: null */
	} cases[] = {
		{ "group:ipsource:lan", "inside" },
		{ "group:ipsource:nosuch:lan", "inside" },
		{ "group:ipsource:nosuch", NULL },
		{ "mask:ipsource:24", "10.0.0.0" },
		{ "mask:ipdestination:31", "10.0.0.2" },
		{ "mask:ipsource:0", "0.0.0.0" },
		{ "mask:ipsource:33", NULL },
		/* text addresses (here a literal through null:) are masked too */
		{ "mask:[null:vlan:2001\\:db8\\:ffff\\:2\\:\\:5]:33", "2001:db8:8000::" },
		{ "mask:[null:vlan:2001\\:db8\\:ffff\\:2\\:\\:5]:80", "2001:db8:ffff:2::" },
		{ "mask:[null:vlan:2001\\:db8\\:ffff\\:2\\:\\:5]:128", "2001:db8:ffff:2::5" },
		{ "mask:[null:vlan:2001\\:db8\\:ffff\\:2\\:\\:5]:0", "::" },
		{ "mask:[null:vlan:192.168.7.9]:20", "192.168.0.0" },
		{ "mask:[null:vlan:none]:8", NULL },
		{ "prefix:stack:.:2", "eth.ip" },
		{ "suffix:stack:.:1", "tcp" },
		{ "first:stack:.:ip6:ip", "ip" },
		{ "first:stack:.:ip6", NULL },
		{ "null:vlan:none", "none" },
		{ "null:vlan", "null" },
		{ "null:ipttl:x", "63" },
		{ "or:udpsourceport:tcpsourceport", "1234" },
		{ "eq:ipsource:ipdestination", "false" },
		{ "eq:ipsource:[mask:ipsource:32]", "true" },
		{ "range:tcpdestinationport:1:1024", "true" },
		{ "range:tcpdestinationport:81", "false" },
		{ "if:[first:stack:.:ip:ip6]:ip:[mask:ipsource:8]:other", "10.0.0.0" },
		{ "if:[first:stack:.:ip:ip6]:ip6:[mask:ipsource:8]:[null:x:other]", "other" },
		{ "map:tcpdestinationport:ports", "web" },
		{ "map:tcpsourceport:ports", NULL },
		{ "concat:-:ipsource:ipdestination", "10.0.0.1-10.0.0.2" },
		{ "concat:\\::ipsource:tcpsourceport", "10.0.0.1:1234" },
		{ "bits:tcpdestinationport:0x0f", "0" },
		{ "bits:tcpsourceport:255", "210" },
		{ "link:inputifindex", NULL },
		{ "dns:ipsource", "10.0.0.1" }, /* no resolver: the address stands for itself */
		{ "country:ipsource", NULL },   /* no database */
		{ "uri:[null:httpurl:http\\://example.com\\:8080/a/b.html?x=1#f]:host",
		  "example.com" },
		{ "uri:[null:httpurl:http\\://example.com\\:8080/a/b.html?x=1#f]:port", "8080" },
		{ "uri:[null:httpurl:http\\://example.com\\:8080/a/b.html?x=1#f]:path",
		  "/a/b.html" },
		{ "uri:[null:httpurl:/a/b.html?x=1#f]:file", "b.html" },
		{ "uri:[null:httpurl:/a/b.html?x=1#f]:extension", "html" },
		{ "uri:[null:httpurl:/a/b.html?x=1#f]:query", "x=1" },
		{ "uri:[null:httpurl:/a/b.html?x=1#f]:fragment", "f" },
		{ "prefix:[uri:[null:httpurl:/a/b/c]:path]:/:2", "/a" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "", got[FLOW_KEY_VALUE_MAX];
		struct flow_expr *x =
			flow_expr_parse(cases[i].expr, strlen(cases[i].expr), err, sizeof(err));
		int n;

		CHECK(x != NULL);
		if (!x) {
			printf("  %s: %s\n", cases[i].expr, err);
			continue;
		}
		n = flow_expr_eval(x, &env, &fs, got, sizeof(got));
		if (cases[i].value ? n < 0 || strcmp(got, cases[i].value) : n >= 0) {
			printf("  %s = %s, expected %s\n", cases[i].expr, n < 0 ? "(null)" : got,
			       cases[i].value ? cases[i].value : "(null)");
			test_failed_checks++;
		}
		flow_expr_free(x);
	}
}

TEST(eval_key_and_contribution)
{
	char err[256] = "", text[FLOW_KEY_TEXT_MAX];
	uint8_t key[FLOW_CACHE_KEY_MAX];
	cJSON *j = spec(
		"{\"keys\":\"ipsource,[mask:ipdestination:8],tcpdestinationport\","
		"\"fs\":\"_SEP_\",\"value\":\"bytes\",\"values\":\"frames,avg:ipttl,count:ipsource\","
		"\"filter\":\"ipprotocol=6\"}");
	struct flow_spec *sp = flow_spec_parse(j, err, sizeof(err));
	struct flow_cache_contrib x;
	struct flow_cache_shape sh;
	size_t len = 0;

	CHECK(sp != NULL);
	if (!sp)
		return;
	CHECK(flow_spec_eval(sp, &env, &fs, key, sizeof(key), &len, &x));
	/* encoded: IPv4 tag + 4, IPv4 tag + 4, U64 tag + 1 byte (80) */
	CHECK_EQ_U64(len, 5 + 5 + 2);
	CHECK(flow_spec_key_format(sp, key, len, text, sizeof(text)) ==
	      (int)strlen("10.0.0.1_SEP_10.0.0.0_SEP_80"));
	CHECK_EQ_STR(text, "10.0.0.1_SEP_10.0.0.0_SEP_80");
	CHECK(flow_spec_key_format(sp, key, len - 1, text, sizeof(text)) == -1);
	CHECK(x.weight == 100 && x.v[0] == 1000 && x.v[1] == 1 && x.v[2] == 63);
	flow_spec_shape(sp, 50, &sh);
	CHECK(sh.cap == 50 && sh.nvalues == 4 && sh.agg[0] == FLOW_AGG_RATE &&
	      sh.agg[2] == FLOW_AGG_AVG && sh.agg[3] == FLOW_AGG_COUNT && sh.t_s == 2);
	flow_spec_free(sp);
	cJSON_Delete(j);
	/* a key the sample lacks, and a filter that fails: the sample does not count */
	j = spec("{\"keys\":\"udpsourceport\"}");
	sp = flow_spec_parse(j, err, sizeof(err));
	CHECK(sp && !flow_spec_eval(sp, &env, &fs, key, sizeof(key), &len, &x));
	flow_spec_free(sp);
	cJSON_Delete(j);
	j = spec("{\"keys\":\"ipsource\",\"filter\":\"ipprotocol=17\"}");
	sp = flow_spec_parse(j, err, sizeof(err));
	CHECK(sp && !flow_spec_eval(sp, &env, &fs, key, sizeof(key), &len, &x));
	flow_spec_free(sp);
	cJSON_Delete(j);
}

TEST(groups_longest_prefix)
{
	static const struct {
		const char *group, *addr, *label;
	} cases[] = {
		{ "g", "10.9.9.9", "a" },       { "g", "10.1.9.9", "b" },
		{ "g", "10.1.2.3", "c" },       { "g", "11.0.0.1", "rest" },
		{ "g", "2001:db8::1", "v6" },   { "g", "2001:db9::1", "rest6" },
		{ "h", "10.1.2.3", NULL },      { "h", "192.168.1.1", "home" },
		{ "nosuch", "10.1.2.3", NULL }, { "g", "not an address", NULL },
	};
	char err[256] = "";
	cJSON *doc =
		spec("{\"g\":{\"a\":[\"10.0.0.0/8\"],\"b\":[\"10.1.0.0/16\"],\"c\":[\"10.1.2.3\"],"
		     "\"rest\":[\"0.0.0.0/0\"],\"v6\":[\"2001:db8::/32\"],\"rest6\":[\"::/0\"]},"
		     "\"h\":{\"home\":[\"192.168.0.0/16\"]}}");
	struct flow_groups *g = flow_groups_build(doc, err, sizeof(err));
	static const char *const bad[] = { "{\"g\":{\"a\":[\"10.0.0.0/33\"]}}",
					   "{\"g\":{\"a\":\"x\"}}", "{\"g\":[1]}",
					   "{\"g\":{\"a\":[\"fe80::/129\"]}}", "[]" };

	CHECK(g != NULL);
	for (size_t i = 0; g && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *l = flow_groups_match(g, cases[i].group, cases[i].addr);

		if (cases[i].label ? !l || strcmp(l, cases[i].label) : l != NULL) {
			printf("  %s %s -> %s, expected %s\n", cases[i].group, cases[i].addr,
			       l ? l : "(none)", cases[i].label ? cases[i].label : "(none)");
			test_failed_checks++;
		}
	}
	flow_groups_free(g);
	cJSON_Delete(doc);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = spec(bad[i]);
		err[0] = '\0';
		g = flow_groups_build(doc, err, sizeof(err));
		CHECK(g == NULL && err[0]);
		flow_groups_free(g);
		cJSON_Delete(doc);
	}
}

/* Random prefixes (fixed seed) against a brute-force longest match over
 * the same list: every length, nesting and adjacency the generator makes. */
TEST(groups_longest_prefix_random)
{
	enum { NPREFIX = 300, NPROBE = 20000 };
	static uint32_t net[NPREFIX];
	static int len[NPREFIX];
	uint64_t seed = 0x5eed1234u;
	cJSON *doc = cJSON_CreateObject(), *grp = cJSON_AddObjectToObject(doc, "r");
	struct flow_groups *g;
	char err[256] = "", text[64];
	int wrong = 0;

	for (int i = 0; i < NPREFIX; i++) {
		cJSON *arr;
		uint8_t a[4];

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		len[i] = (int)(seed >> 59) + (int)(seed >> 61) + 1; /* 1..36, mostly short */
		len[i] = len[i] > 32 ? 32 : len[i];
		net[i] = (uint32_t)(seed >> 16) & (0xffffffffu << (32 - len[i]));
		for (int k = 0; k < 4; k++)
			a[k] = (uint8_t)(net[i] >> (24 - 8 * k));
		snprintf(text, sizeof(text), "%u.%u.%u.%u/%d", a[0], a[1], a[2], a[3], len[i]);
		snprintf(err, sizeof(err), "l%d", i);
		arr = cJSON_AddArrayToObject(grp, err);
		cJSON_AddItemToArray(arr, cJSON_CreateString(text));
	}
	g = flow_groups_build(doc, err, sizeof(err));
	CHECK(g != NULL);
	for (int p = 0; g && p < NPROBE; p++) {
		int best = -1;
		uint8_t a[4];
		uint32_t x;
		const char *got;
		char want[16];

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		/* half the probes inside a listed prefix, half anywhere */
		x = (uint32_t)(seed >> 32);
		if (p % 2)
			x = net[(seed >> 8) % NPREFIX] | (x & ~(0xffffffffu << (32 - len[(seed >> 8) % NPREFIX])));
		for (int i = 0; i < NPREFIX; i++) /* longest; the first listed on ties */
			if (((x ^ net[i]) & (0xffffffffu << (32 - len[i]))) == 0 &&
			    (best < 0 || len[i] > len[best]))
				best = i;
		for (int k = 0; k < 4; k++)
			a[k] = (uint8_t)(x >> (24 - 8 * k));
		got = flow_groups_match_addr(g, "r", a, false, NULL);
		snprintf(want, sizeof(want), "l%d", best);
		if (best < 0 ? got != NULL : !got || strcmp(got, want) != 0) {
			if (wrong++ < 5)
				printf("  %08x -> %s, expected %s\n", x, got ? got : "(none)",
				       best < 0 ? "(none)" : want);
		}
	}
	CHECK(wrong == 0);
	flow_groups_free(g);
	cJSON_Delete(doc);
}

TEST(maps)
{
	char err[256] = "";
	cJSON *doc = spec(
		"{\"ports\":{\"web\":[\"80\",\"443\"],\"dns\":[\"53\"]},\"x\":{\"y\":[\"80\"]}}");
	struct flow_maps *m = flow_maps_build(doc, err, sizeof(err));

	CHECK(m && !strcmp(flow_maps_match(m, "ports", "443"), "web"));
	CHECK(m && !strcmp(flow_maps_match(m, "x", "80"), "y"));
	CHECK(m && flow_maps_match(m, "ports", "8080") == NULL);
	CHECK(m && flow_maps_match(m, "nosuch", "80") == NULL);
	flow_maps_free(m);
	cJSON_Delete(doc);
	doc = spec("{\"ports\":{\"web\":[80]}}");
	CHECK(flow_maps_build(doc, err, sizeof(err)) == NULL &&
	      strstr(err, "values must be strings"));
	cJSON_Delete(doc);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_ENTRY(bad_definitions),
		TEST_ENTRY(defaults_and_clamps),
		TEST_ENTRY(filters),
		TEST_ENTRY(key_functions),
		TEST_ENTRY(eval_key_and_contribution),
		TEST_ENTRY(groups_longest_prefix),
		TEST_ENTRY(groups_longest_prefix_random),
		TEST_ENTRY(maps),
	};
	char err[256];
	cJSON *g =
		cJSON_Parse("{\"lan\":{\"inside\":[\"10.0.0.0/8\"],\"outside\":[\"0.0.0.0/0\"]}}");
	cJSON *m = cJSON_Parse("{\"ports\":{\"web\":[\"80\",\"443\"]}}");
	int rc;

	(void)argc;
	make_sample();
	env.groups = flow_groups_build(g, err, sizeof(err));
	env.maps = flow_maps_build(m, err, sizeof(err));
	rc = test_run_all(argv[0], cases, sizeof(cases) / sizeof(cases[0]));
	flow_groups_free((struct flow_groups *)env.groups);
	flow_maps_free((struct flow_maps *)env.maps);
	cJSON_Delete(g);
	cJSON_Delete(m);
	return rc;
}
