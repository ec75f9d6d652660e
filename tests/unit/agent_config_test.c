/*
 * agent/config tests. The three configs of reference/host-sflow.md §2.6 are
 * fixtures in tests/data/conf/ (as printed there, and *_supported.conf with
 * the module blocks rtflow does not build removed); every expected value
 * below was read off the fixture or input text, and every expected message
 * written from the rule in agent/config_keys.c or agent/config.c.
 */
#include "agent/config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/test.h"

#define G 1000000000ull
#define M 1000000ull

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 16);

	*len = f && buf ? fread(buf, 1, 1 << 16, f) : 0;
	if (f)
		fclose(f);
	return buf;
}

/* Parse a fixture; on failure print the errors so the test log says why. */
static struct agent_config *parse_fixture(const char *name, char **err)
{
	char path[256];
	size_t len;
	char *text;
	struct agent_config *c;

	snprintf(path, sizeof(path), "tests/data/conf/%s", name);
	text = read_text(path, &len);
	c = agent_config_parse(text, len, name, err);
	free(text);
	return c;
}

static struct agent_config *parse_ok(const char *name)
{
	char *err = NULL;
	struct agent_config *c = parse_fixture(name, &err);

	if (!c)
		printf("  %s: %s\n", name, err ? err : "(no message)");
	free(err);
	return c;
}

static bool ip_is(const struct agent_config_ip *ip, const char *text)
{
	uint8_t want[16] = { 0 };
	int family = strchr(text, ':') ? AF_INET6 : AF_INET;

	return inet_pton(family, text, want) == 1 && ip->family == family &&
	       memcmp(ip->addr, want, family == AF_INET ? 4 : 16) == 0;
}

TEST(baremetal_example_parses_to_its_values)
{
	struct agent_config *c = parse_ok("baremetal_supported.conf");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U64(c->agent_cidrs.count, 1);
	CHECK(ip_is(&c->agent_cidrs.v[0].ip, "10.0.0.0"));
	CHECK_EQ_U64(c->agent_cidrs.v[0].prefix_len, 8);
	CHECK(!c->agent_cidrs.v[0].exclude);
	CHECK_EQ_U64(c->polling_s, 20);
	CHECK(c->sampling.set);
	CHECK_EQ_U64(c->sampling.value, 1000);
	CHECK(c->bps_ratio.set);
	CHECK_EQ_U64(c->bps_ratio.value, 0);
	CHECK_EQ_U64(c->collector_count, 1);
	CHECK(ip_is(&c->collectors[0].ip, "10.0.0.50"));
	CHECK_EQ_U64(c->collectors[0].udp_port, 6343);
	CHECK_EQ_STR(c->collectors[0].dev, "");
	CHECK_EQ_U64(c->collectors[0].line, 6);
	CHECK_EQ_U64(c->pcap_count, 1);
	CHECK(c->pcaps[0].speed.set);
	CHECK_EQ_U64(c->pcaps[0].speed.min_bps, G);
	CHECK_EQ_U64(c->pcaps[0].speed.max_bps, UINT64_MAX);
	CHECK_EQ_STR(c->pcaps[0].dev, "");
	CHECK(!c->pcaps[0].promisc);
	CHECK(!c->pcaps[0].sampling.set);
	/* defaults of §2.2 */
	CHECK_EQ_U64(c->header_bytes, 128);
	CHECK_EQ_U64(c->datagram_bytes, 1400);
	CHECK_EQ_U64(c->sub_agent_id, 100000);
	CHECK(!c->uuid.set);
	CHECK_EQ_U64(c->agent_ip.family, 0);
	CHECK_EQ_STR(c->agent_dev, "");
	CHECK_EQ_U64(c->warning_count, 0);
	agent_config_free(c);
}

TEST(docker_example_parses_to_its_values)
{
	struct agent_config *c = parse_ok("docker_host_supported.conf");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_STR(c->agent_dev, "eth0");
	CHECK_EQ_U64(c->polling_s, 10);
	CHECK_EQ_U64(c->sampling_rates.count, 1);
	CHECK_EQ_STR(c->sampling_rates.v[0].name, "10G");
	CHECK(c->sampling_rates.v[0].is_speed);
	CHECK_EQ_U64(c->sampling_rates.v[0].speed_bps, 10 * G);
	CHECK_EQ_U64(c->sampling_rates.v[0].value, 4000);
	CHECK_EQ_U64(c->sampling.value, 400);
	CHECK(!c->bps_ratio.set);
	CHECK_EQ_U64(c->collector_count, 2);
	CHECK(ip_is(&c->collectors[0].ip, "192.0.2.10"));
	CHECK_EQ_U64(c->collectors[0].udp_port, 6343);
	CHECK(ip_is(&c->collectors[1].ip, "192.0.2.11"));
	CHECK_EQ_U64(c->collectors[1].udp_port, 6344);
	CHECK_EQ_U64(c->pcap_count, 2);
	CHECK_EQ_STR(c->pcaps[0].dev, "docker0");
	CHECK(!c->pcaps[0].sampling.set);
	CHECK_EQ_STR(c->pcaps[1].dev, "eth0");
	CHECK(c->pcaps[1].sampling.set);
	CHECK_EQ_U64(c->pcaps[1].sampling.value, 2000);
	CHECK_EQ_U64(c->warning_count, 0);
	agent_config_free(c);
}

TEST(router_example_parses_to_its_values)
{
	struct agent_config *c = parse_ok("router_vrf_supported.conf");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U64(c->polling_s, 30);
	CHECK_EQ_U64(c->sampling.value, 2000);
	CHECK_EQ_U64(c->bps_ratio.value, 0);
	CHECK_EQ_U64(c->collector_count, 2);
	CHECK(ip_is(&c->collectors[0].ip, "10.1.1.1"));
	CHECK_EQ_U64(c->collectors[0].udp_port, 6343);
	CHECK_EQ_STR(c->collectors[0].dev, "mgmt");
	CHECK_EQ_STR(c->collectors[0].netns, "");
	CHECK(ip_is(&c->collectors[1].ip, "172.16.100.2"));
	CHECK_EQ_U64(c->collectors[1].udp_port, 7777);
	CHECK_EQ_STR(c->collectors[1].dev, "");
	CHECK_EQ_STR(c->collectors[1].netns, "red");
	CHECK_EQ_U64(c->pcap_count, 0);
	agent_config_free(c);
}

/* The §2.6 configs as printed: only their module blocks are refused. */
TEST(examples_as_printed_refuse_exactly_their_module_blocks)
{
	static const struct {
		const char *file, *errors;
	} cases[] = {
		{ "baremetal.conf",
		  "baremetal.conf:8: 'tcp { }': module 'tcp' is not built into rtflow-agent yet\n"
		  "baremetal.conf:9: 'systemd { }': module 'systemd' is not built into rtflow-agent yet" },
		{ "docker_host.conf",
		  "docker_host.conf:10: 'docker { }': module 'docker' is not built into rtflow-agent yet\n"
		  "docker_host.conf:11: 'tcp { }': module 'tcp' is not built into rtflow-agent yet" },
		{ "router_vrf.conf",
		  "router_vrf.conf:7: 'epcap { }': module 'epcap' is not built into rtflow-agent yet\n"
		  "router_vrf.conf:8: 'dropmon { }': module 'dropmon' is not built into rtflow-agent yet\n"
		  "router_vrf.conf:9: 'json { }': module 'json' is not built into rtflow-agent yet" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *err = NULL;
		struct agent_config *c = parse_fixture(cases[i].file, &err);

		CHECK(c == NULL);
		CHECK_EQ_STR(err, cases[i].errors);
		agent_config_free(c);
		free(err);
	}
}

static struct agent_config *parse_text(const char *text)
{
	char *err = NULL;
	struct agent_config *c = agent_config_parse(text, strlen(text), "agent.conf", &err);

	if (!c)
		printf("  %s\n", err ? err : "(no message)");
	free(err);
	return c;
}

#define SFLOW(body) "sflow { collector { ip = 10.0.0.1 } " body " }"

#define COL " collector { ip = 10.0.0.1 }\n" /* line 2 of most cases */

static const struct {
	const char *text;
	const char *errors;
} bad_cases[] = {
	{ "sflow {\n" COL " headerBytes = 9999\n}\n",
	  "agent.conf:3: headerBytes: 9999 is out of range 64..256" },
	{ "sflow {\n" COL " headerBytes = 63\n}\n",
	  "agent.conf:3: headerBytes: 63 is out of range 64..256" },
	{ "sflow {\n" COL " datagramBytes = 100\n}\n",
	  "agent.conf:3: datagramBytes: 100 is out of range 200..8192" },
	{ "sflow {\n" COL " polling = 301\n}\n", "agent.conf:3: polling: 301 is out of range 0..300" },
	{ "sflow {\n" COL " sampling = 10000001\n}\n",
	  "agent.conf:3: sampling: 10000001 is out of range 0..10000000" },
	{ "sflow {\n" COL " sampling = 1X\n}\n", "agent.conf:3: sampling: '1X' is not a number" },
	{ "sflow {\n" COL " sampling = -1\n}\n", "agent.conf:3: sampling: '-1' is not a number" },
	{ "sflow {\n" COL " sampling.10G = 5G\n}\n",
	  "agent.conf:3: sampling.10G: '5G' is not a number" },
	{ "sflow {\n" COL " subAgentId = 200000\n}\n",
	  "agent.conf:3: subAgentId: 200000 is out of range 0..199999" },
	{ "sflow {\n" COL "}\n}\n", "agent.conf:4: unexpected '}'" },
	{ "sflow {\n" COL " pcap {\n  dev = eth0\n",
	  "agent.conf:3: 'pcap' block is not closed ('}' missing before the end of the file)" },
	{ "sflow {\n" COL,
	  "agent.conf:1: 'sflow' block is not closed ('}' missing before the end of the file)" },
	{ "sflow {\n" COL " headerByte = 100\n}\n",
	  "agent.conf:3: unknown key 'headerByte' (did you mean 'headerBytes'?)" },
	{ "sflow {\n" COL " Sampleing = 100\n}\n",
	  "agent.conf:3: unknown key 'Sampleing' (did you mean 'sampling'?)" },
	{ "sflow {\n" COL " frobnicate = 1\n}\n", "agent.conf:3: unknown key 'frobnicate'" },
	{ "sflow {\n" COL " samplng.10G = 1\n}\n",
	  "agent.conf:3: unknown key 'samplng.10G' (did you mean 'sampling.10G'?)" },
	{ "sflow {\n" COL " agent.cdr = 10.0.0.0/8\n}\n",
	  "agent.conf:3: unknown key 'agent.cdr' (did you mean 'agent.cidr'?)" },
	{ "sflow {\n" COL " pcap { devv = eth0 }\n}\n",
	  "agent.conf:3: unknown key 'devv' (did you mean 'dev'?)" },
	{ "sflow {\n colector { ip = 10.0.0.1 }\n}\n",
	  "agent.conf:2: unknown block 'colector' (did you mean 'collector'?)\n"
	  "agent.conf:1: sflow: at least one 'collector { ip = ... }' is required" },
	{ "sflow {\n collector { ip = example.com }\n}\n",
	  "agent.conf:2: ip: 'example.com' is not an IPv4 or IPv6 address (host names are not resolved)\n"
	  "agent.conf:2: collector: 'ip' is required" },
	{ "sflow {\n collector { udpport = 6343 }\n}\n", "agent.conf:2: collector: 'ip' is required" },
	{ "sflow {\n collector { ip = 10.0.0.1 udpport = 0 }\n}\n",
	  "agent.conf:2: udpport: 0 is out of range 1..65535" },
	{ "sflow {\n collector { ip = ::1 udpport = 65536 }\n}\n",
	  "agent.conf:2: udpport: 65536 is out of range 1..65535" },
	{ "sflow {\n collector { ip = 10.0.0.1 namespace = a/b }\n}\n",
	  "agent.conf:2: namespace: 'a/b' is not a valid name" },
	{ "sflow {\n collector { ip = 10.0.0.1 dev = averyveryverylongname }\n}\n",
	  "agent.conf:2: dev: 'averyveryverylongname' must be 1..15 characters" },
	{ "sflow {\n" COL " uuid = 1234\n}\n",
	  "agent.conf:3: uuid: '1234' is not a UUID (8-4-4-4-12 hex digits)" },
	{ "sflow {\n" COL " uuid = 0123abcd-4567-89ab-cdef-0123456789ag\n}\n",
	  "agent.conf:3: uuid: '0123abcd-4567-89ab-cdef-0123456789ag' is not a UUID "
	  "(8-4-4-4-12 hex digits)" },
	{ "sflow {\n" COL " agent.cidr = 10.0.0.0\n}\n",
	  "agent.conf:3: agent.cidr: '10.0.0.0' is not address/prefix" },
	{ "sflow {\n" COL " agent.cidr = 10.0.0.0/33\n}\n",
	  "agent.conf:3: agent.cidr: '10.0.0.0/33' is not address/prefix" },
	{ "sflow {\n" COL " agentIP = 10.0.0.256\n}\n",
	  "agent.conf:3: agentIP: '10.0.0.256' is not an IPv4 or IPv6 address "
	  "(host names are not resolved)" },
	{ "sflow {\n" COL " headerBytes }\n", "agent.conf:3: headerBytes: missing value" },
	{ "sflow {\n" COL " pcap { speed = 10G-1G }\n}\n",
	  "agent.conf:3: speed: '10G-1G': the range is empty" },
	{ "sflow {\n" COL " pcap { speed = fast }\n}\n",
	  "agent.conf:3: speed: 'fast' is not a speed or speed range (e.g. 1G, 100M-10G, 1G-)" },
	{ "sflow {\n" COL " pcap { promisc = maybe }\n}\n",
	  "agent.conf:3: promisc: 'maybe' is not on or off" },
	{ "sflow {\n" COL " pcap { dev.pattern = \"eth.*\n }\n}\n",
	  "agent.conf:3: dev.pattern: unterminated string (a quoted string ends on its line)" },
	{ "sflow {\n" COL " tcp { }\n}\n",
	  "agent.conf:3: 'tcp { }': module 'tcp' is not built into rtflow-agent yet" },
	{ "sflow {\n" COL " kvm {\n  refreshVMs = 60\n }\n nvml { }\n}\n",
	  "agent.conf:3: 'kvm { }': module 'kvm' is not built into rtflow-agent yet\n"
	  "agent.conf:6: 'nvml { }': module 'nvml' is not built into rtflow-agent yet" },
	{ "sflow {\n" COL " polling { }\n}\n", "agent.conf:3: 'polling' takes a value, not a block" },
	{ "sflow {\n collector = 10.0.0.1\n}\n",
	  "agent.conf:2: 'collector' is a block: write 'collector { ... }'\n"
	  "agent.conf:1: sflow: at least one 'collector { ip = ... }' is required" },
	{ "sflow {\n" COL " pcap { x { y { } } }\n}\n",
	  "agent.conf:3: unknown block 'x'\nagent.conf:3: blocks nested deeper than 3 levels" },
	{ "sflow {\n" COL " pcap { collector { ip = 10.0.0.2 } }\n}\n",
	  "agent.conf:3: unknown block 'collector'" },
	{ "", "agent.conf:1: no 'sflow { }' block" },
	{ "# only a comment\n", "agent.conf:2: no 'sflow { }' block" },
	{ "foo = 1\nsflow {\n collector { ip = 10.0.0.1 }\n}\n",
	  "agent.conf:1: expected 'sflow {', found 'foo'" },
	{ "sflow {\n" COL "}\nsflow {\n}\n",
	  "agent.conf:4: second 'sflow' block (the first opened on line 1)" },
	{ "sflow {\n" COL "} extra\n", "agent.conf:3: expected 'sflow {', found 'extra'" },
	{ "sflow {\n" COL " {\n }\n}\n", "agent.conf:3: unexpected '{'" },
};

TEST(bad_configs_give_their_errors)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const char *text = bad_cases[i].text, *want = bad_cases[i].errors;
		char *err = NULL;
		struct agent_config *c = agent_config_parse(text, strlen(text), "agent.conf", &err);
		bool same = err && strcmp(err, want) == 0;

		CHECK(c == NULL);
		CHECK(same);
		if (!same)
			printf("  case %zu: got \"%s\"\n  want \"%s\"\n", i, err ? err : "(null)", want);
		agent_config_free(c);
		free(err);
	}
}

TEST(lexer_errors_are_reported_and_parsing_goes_on)
{
	static const char text[] = "sflow {\n" COL " ab\0c = 1\n headerBytes = 1\n}\n";
	char long_word[400], *err = NULL;
	struct agent_config *c = agent_config_parse(text, sizeof(text) - 1, "agent.conf", &err);

	CHECK(c == NULL);
	CHECK_EQ_STR(err, "agent.conf:3: NUL byte in the text\n"
			  "agent.conf:4: headerBytes: 1 is out of range 64..256");
	free(err);
	/* the reason after the colon is glibc's regerror() text */
	c = agent_config_parse(SFLOW("pcap { dev.pattern = \"(\" }"),
			       strlen(SFLOW("pcap { dev.pattern = \"(\" }")), "agent.conf", &err);
	CHECK(c == NULL);
	CHECK(err && strncmp(err, "agent.conf:1: dev.pattern: '(' is not a regular expression: ",
			     60) == 0 && !strchr(err, '\n'));
	free(err);
	memset(long_word, 'a', sizeof(long_word));
	memcpy(long_word, "sflow {\n", 8);
	memcpy(long_word + 390, "\n}\n", 3);
	c = agent_config_parse(long_word, 393, "agent.conf", &err);
	CHECK(c == NULL);
	CHECK_EQ_STR(err, "agent.conf:2: word longer than 255 bytes\n"
			  "agent.conf:1: sflow: at least one 'collector { ip = ... }' is required");
	free(err);
}


static const struct {
	const char *config; /* NULL: the fixture full.conf */
	const char *dev;
	uint64_t speed_bps;
	uint32_t want;
} sampling_cases[] = {
	/* no sampling key at all: hsflowd's ifSpeed/1e6, floor 100, 400 unknown */
	{ SFLOW(""), "eth0", 10 * G, 10000 },
	{ SFLOW(""), "eth0", G, 1000 },
	{ SFLOW(""), "eth0", 2500 * M, 2500 },
	{ SFLOW(""), "eth0", 50 * G, 50000 },
	{ SFLOW(""), "eth0", 100 * M, 100 },
	{ SFLOW(""), "eth0", 10 * M, 100 },
	{ SFLOW(""), "eth0", 0, 400 },
	/* sampling = N applies everywhere (hsflowd: only to unknown speeds) */
	{ SFLOW("sampling = 1000"), "eth0", 10 * G, 1000 },
	{ SFLOW("sampling = 1000"), "eth0", 0, 1000 },
	{ SFLOW("sampling = 0"), "eth0", G, 0 },
	/* sampling.<speed>: exact, then hsflowd's truncated spelling */
	{ SFLOW("sampling = 1000 sampling.2G = 3000"), "eth0", 2 * G, 3000 },
	{ SFLOW("sampling = 1000 sampling.2G = 3000"), "eth0", 2500 * M, 3000 },
	{ SFLOW("sampling = 1000 sampling.2G = 3000 sampling.2500M = 7"), "eth0", 2500 * M, 7 },
	{ SFLOW("sampling = 1000 sampling.2G = 3000"), "eth0", 25 * G, 1000 },
	{ SFLOW("sampling = 1000 sampling.2G = 3000"), "eth0", 0, 1000 },
	{ SFLOW("sampling.10G = 4000"), "eth0", G, 1000 },
	/* bps_ratio */
	{ SFLOW("sampling.bps_ratio = 1000000"), "eth0", 10 * G, 10000 },
	{ SFLOW("sampling.bps_ratio = 1000000"), "eth0", 0, 400 },
	{ SFLOW("sampling.bps_ratio = 4000000000"), "eth0", G, 1 },
	{ SFLOW("sampling.bps_ratio = 1000000 sampling = 500"), "eth0", G, 1000 },
	{ SFLOW("sampling.bps_ratio = 1000000 sampling = 500"), "eth0", 0, 500 },
	{ SFLOW("sampling.bps_ratio = 0"), "eth0", 10 * G, 400 },
	{ SFLOW("sampling.bps_ratio = 0 sampling = 250"), "eth0", 10 * G, 250 },
	/* pcap { sampling } wins for the devices its block takes */
	{ SFLOW("sampling = 1000 pcap { dev = eth0 sampling = 2000 }"), "eth0", G, 2000 },
	{ SFLOW("sampling = 1000 pcap { dev = eth0 sampling = 2000 }"), "eth1", G, 1000 },
	{ SFLOW("sampling.1G = 9 pcap { dev = eth0 sampling = 2000 }"), "eth0", G, 2000 },
	{ SFLOW("pcap { dev = eth0 }"), "eth0", G, 1000 },
	/* full.conf: pcap { dev.pattern = "^(eth|en)[0-9]+$" speed = 100M-10G sampling = 64 } */
	{ NULL, "eth3", G, 64 },
	{ NULL, "en0", 100 * M, 64 },
	{ NULL, "eth3", 25 * G, 512 },
	{ NULL, "eth0x", G, 1000 },
	{ NULL, "wlan0", G, 1000 },
	{ NULL, "wlan0", 2500 * M, 512 },
	{ NULL, "wlan0", 10 * G, 8000 },
	{ NULL, "wlan0", 100 * M, 100 },
	{ NULL, "wlan0", 0, 512 },
};

TEST(sampling_for_follows_the_precedence)
{
	struct agent_config *full = parse_ok("full.conf");

	CHECK(full != NULL);
	for (size_t i = 0; full && i < sizeof(sampling_cases) / sizeof(sampling_cases[0]); i++) {
		struct agent_config *c = sampling_cases[i].config ? parse_text(sampling_cases[i].config)
								  : full;
		uint32_t got = c ? agent_config_sampling_for(c, sampling_cases[i].dev,
							    sampling_cases[i].speed_bps)
				 : 0;

		CHECK(c != NULL);
		CHECK_EQ_U64(got, sampling_cases[i].want);
		if (got != sampling_cases[i].want)
			printf("  case %zu\n", i);
		if (c != full)
			agent_config_free(c);
	}
	agent_config_free(full);
}

TEST(every_key_of_full_conf_is_stored)
{
	static const uint8_t uuid[16] = { 0x01, 0x23, 0xab, 0xcd, 0x45, 0x67, 0x89, 0xab,
					  0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };
	struct agent_config *c = parse_ok("full.conf");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U64(c->sampling.value, 512);
	CHECK_EQ_U64(c->polling_s, 15);
	CHECK_EQ_U64(c->sampling_rates.count, 3);
	CHECK_EQ_STR(c->sampling_rates.v[0].name, "10G");
	CHECK_EQ_U64(c->sampling_rates.v[0].value, 8000);
	CHECK_EQ_U64(c->sampling_rates.v[2].speed_bps, 100 * M);
	CHECK_EQ_U64(c->header_bytes, 256);
	CHECK_EQ_U64(c->datagram_bytes, 8192);
	CHECK(ip_is(&c->agent_ip, "2001:db8::1"));
	CHECK_EQ_STR(c->agent_dev, "bond0");
	CHECK_EQ_U64(c->agent_cidrs.count, 3);
	CHECK(c->agent_cidrs.v[0].exclude);
	CHECK(ip_is(&c->agent_cidrs.v[0].ip, "10.9.0.0"));
	CHECK_EQ_U64(c->agent_cidrs.v[0].prefix_len, 16);
	CHECK(!c->agent_cidrs.v[1].exclude);
	CHECK(ip_is(&c->agent_cidrs.v[2].ip, "fd00::"));
	CHECK_EQ_U64(c->agent_cidrs.v[2].prefix_len, 8);
	CHECK_EQ_U64(c->sub_agent_id, 5);
	CHECK(c->uuid.set);
	CHECK_MEM(c->uuid.bytes, uuid, 16);
	CHECK_EQ_U64(c->collector_count, 1);
	CHECK(ip_is(&c->collectors[0].ip, "2001:db8::50"));
	CHECK_EQ_U64(c->collectors[0].udp_port, 16343);
	CHECK_EQ_STR(c->collectors[0].dev, "vrf-mgmt");
	CHECK_EQ_STR(c->collectors[0].netns, "blue");
	CHECK_EQ_U64(c->pcap_count, 1);
	CHECK_EQ_STR(c->pcaps[0].dev_pattern.text, "^(eth|en)[0-9]+$");
	CHECK_EQ_U64(c->pcaps[0].speed.min_bps, 100 * M);
	CHECK_EQ_U64(c->pcaps[0].speed.max_bps, 10 * G);
	CHECK(c->pcaps[0].promisc);
	CHECK_EQ_U64(c->pcaps[0].sampling.value, 64);
	CHECK_EQ_U64(c->warning_count, 0);
	agent_config_free(c);
}

TEST(inert_keys_and_repeats_are_warnings)
{
	static const char *const want[] = {
		"inert.conf:3: refreshAdaptors: accepted but not acted on by rtflow-agent "
		"(interfaces are tracked by netlink)",
		"inert.conf:4: DNSSD: accepted but not acted on by rtflow-agent "
		"(legacy DNS-SD; no dynamic configuration)",
		"inert.conf:5: sampling.http: accepted but not acted on by rtflow-agent "
		"(per-application setting)",
		"inert.conf:6: polling.app.myapp: accepted but not acted on by rtflow-agent "
		"(per-application setting)",
		"inert.conf:7: vport: accepted but not acted on by rtflow-agent "
		"(bridge ports are not sampled separately)",
		"inert.conf:9: headerBytes: set again, overriding line 8",
	};
	struct agent_config *c = parse_ok("inert.conf");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U64(c->warning_count, 6);
	for (size_t i = 0; i < 6 && i < c->warning_count; i++)
		CHECK_EQ_STR(c->warnings[i], want[i]);
	CHECK_EQ_U64(c->header_bytes, 64);
	CHECK_EQ_U64(c->polling_rates.count, 1);
	CHECK_EQ_U64(c->polling_rates.v[0].value, 20);
	CHECK_EQ_U64(agent_config_sampling_for(c, "eth0", G), 1000);
	agent_config_free(c);
}

TEST(syntax_forms_of_hsflowd_are_accepted)
{
	static const char *const forms[] = {
		"sflow{collector{ip=10.0.0.1}headerBytes=100}",
		"SFLOW {\r\n\tCollector { IP 10.0.0.1 } # comment { not a brace\r\n HEADERBYTES = 100; }",
		"sflow {\n collector {\n  ip = \"10.0.0.1\"\n }\n headerBytes = 100\n}\n# trailing",
		"sflow { collector { ip = 10.0.0.1 } headerBytes = 0.1K }",
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct agent_config *c;

		if (i == 3) { /* decimals are not numbers, even with a suffix */
			CHECK(agent_config_parse(forms[i], strlen(forms[i]), "x", NULL) == NULL);
			continue;
		}
		c = parse_text(forms[i]);
		CHECK(c != NULL);
		if (c && c->collector_count == 1)
			CHECK(ip_is(&c->collectors[0].ip, "10.0.0.1"));
		if (c)
			CHECK_EQ_U64(c->header_bytes, 100);
		agent_config_free(c);
	}
}

/* "sflow {" + n lines "<pre><i><post>" for i = 0..n-1 + "}". */
static char *repeated(const char *pre, const char *post, size_t n)
{
	size_t cap = 64 + n * (strlen(pre) + strlen(post) + 16), len = 0;
	char *text = malloc(cap);

	len += (size_t)snprintf(text, cap, "sflow {\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s%zu%s", pre, i, post);
	snprintf(text + len, cap - len, "}\n");
	return text;
}

TEST(caps_are_errors)
{
	static const struct {
		const char *pre, *post;
		size_t n;
		const char *want;
	} cases[] = {
		{ " collector { ip = 10.0.0.", " }\n", 17, "agent.conf:18: more than 16 'collector' blocks" },
		{ " pcap { dev = eth", " }\n", 33,
		  "agent.conf:34: more than 32 'pcap' blocks\n"
		  "agent.conf:1: sflow: at least one 'collector { ip = ... }' is required" },
		{ " agent.cidr = 10.", ".0.0/16\n", 33,
		  "agent.conf:34: agent.cidr: more than 32 lines\n"
		  "agent.conf:1: sflow: at least one 'collector { ip = ... }' is required" },
		{ " sampling.", "G = 1\n", 33,
		  "agent.conf:34: sampling.32G: more than 32 sampling.<x> lines\n"
		  "agent.conf:1: sflow: at least one 'collector { ip = ... }' is required" },
	};
	char *err = NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = repeated(cases[i].pre, cases[i].post, cases[i].n);
		struct agent_config *c = agent_config_parse(text, strlen(text), "agent.conf", &err);

		CHECK(c == NULL);
		CHECK_EQ_STR(err, cases[i].want);
		free(err);
		free(text);
	}
}

TEST(error_count_and_file_size_are_capped)
{
	char *text = repeated(" headerBytes = ", "\n", 30), *err = NULL;
	struct agent_config *c = agent_config_parse(text, strlen(text), "agent.conf", &err);
	size_t lines = 1;

	CHECK(c == NULL);
	for (const char *p = err; p && *p; p++)
		lines += *p == '\n';
	CHECK_EQ_U64(lines, 20);
	CHECK(err && strstr(err, "agent.conf:21: too many errors, stopping") != NULL);
	free(err);
	free(text);
	text = calloc(1, (1 << 20) + 1);
	c = agent_config_parse(text, (1 << 20) + 1, "agent.conf", &err);
	CHECK(c == NULL);
	CHECK_EQ_STR(err, "agent.conf:1: file is larger than 1048576 bytes");
	free(err);
	free(text);
}

static char *print_to_string(const struct agent_config *c)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CHECK_EQ_U64(agent_config_print(c, f), 0);
	fclose(f);
	return out;
}

TEST(print_shows_defaults_and_parses_back)
{
	static const char *const full_lines[] = {
		"\tsampling = 512\n", "\tsampling.bps_ratio = 0\n", "\tsampling.10G = 8000\n",
		"\tsampling.100M = 100\n", "\tpolling = 15\n", "\tdatagramBytes = 8192\n",
		"\tagentIP = 2001:db8::1\n", "\tagent.cidr = !10.9.0.0/16\n",
		"\tagent.cidr = fd00::/8\n", "\tuuid = 0123abcd-4567-89ab-cdef-0123456789ab\n",
		"\tcollector {\n\t\tip = 2001:db8::50\n\t\tudpport = 16343\n\t\tdev = vrf-mgmt\n"
		"\t\tnamespace = blue\n\t}\n",
		"\t\tdev.pattern = ^(eth|en)[0-9]+$\n\t\tspeed = 100M-10G\n\t\tpromisc = on\n"
		"\t\tsampling = 64\n",
	};
	static const char *const default_lines[] = {
		"# no sampling key: 1-in-(ifSpeed/1e6), at least 100; 400 if the speed is unknown\n",
		"\tpolling = 30\n", "\theaderBytes = 128\n", "\tdatagramBytes = 1400\n",
		"\tsubAgentId = 100000\n", "\t\tudpport = 6343\n",
	};
	struct agent_config *c = parse_ok("full.conf"), *again;
	char *once, *twice;

	CHECK(c != NULL);
	if (!c)
		return;
	once = print_to_string(c);
	for (size_t i = 0; i < sizeof(full_lines) / sizeof(full_lines[0]); i++)
		CHECK(strstr(once, full_lines[i]) != NULL);
	again = parse_text(once);
	CHECK(again != NULL);
	twice = again ? print_to_string(again) : NULL;
	CHECK_EQ_STR(twice, once);
	agent_config_free(c);
	agent_config_free(again);
	free(once);
	free(twice);

	c = parse_text(SFLOW(""));
	once = c ? print_to_string(c) : NULL;
	for (size_t i = 0; once && i < sizeof(default_lines) / sizeof(default_lines[0]); i++)
		CHECK(strstr(once, default_lines[i]) != NULL);
	agent_config_free(c);
	free(once);
}

TEST_MAIN(TEST_ENTRY(baremetal_example_parses_to_its_values),
	  TEST_ENTRY(docker_example_parses_to_its_values),
	  TEST_ENTRY(router_example_parses_to_its_values),
	  TEST_ENTRY(examples_as_printed_refuse_exactly_their_module_blocks),
	  TEST_ENTRY(bad_configs_give_their_errors),
	  TEST_ENTRY(lexer_errors_are_reported_and_parsing_goes_on),
	  TEST_ENTRY(sampling_for_follows_the_precedence),
	  TEST_ENTRY(every_key_of_full_conf_is_stored),
	  TEST_ENTRY(inert_keys_and_repeats_are_warnings),
	  TEST_ENTRY(syntax_forms_of_hsflowd_are_accepted),
	  TEST_ENTRY(caps_are_errors),
	  TEST_ENTRY(error_count_and_file_size_are_capped),
	  TEST_ENTRY(print_shows_defaults_and_parses_back))
