/*
 * Agent address election (agent/agent_addr.c) over synthetic address
 * lists. Each case's expected winner is read off the rules of
 * reference/host-sflow.md §5 (class order NONE < CLASS_E < MULTICAST <
 * LOOPBACK6 < LOOPBACK4 < SELFASSIGNED4 < IP6_LINK < VLAN6 < VLAN4 <
 * IP6_UNIQUE_LOCAL < IP6_GLOBAL < IP4_RFC1918 < IP4; agent=<dev> +13;
 * agent.cidr first line largest, '!' excludes; ties: assigned beats SLAAC,
 * lower ifIndex, earlier discovery), as the comment of each case says.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/agent_addr.h"
#include "sflow/sflow.h"
#include "tests/lib/test.h"

/* One candidate in text: "ifname/ifindex/address[/flags]" where flags are
 * letters: l loopback device, v VLAN device, s learnt (SLAAC/DHCP). */
struct cand_text {
	const char *ifname;
	uint32_t ifindex;
	const char *addr;
	const char *flags;
};

#define MAX_CANDS 8

struct elect_case {
	const char *why;
	const char *agent_ip, *agent_dev;
	const char *cidrs[4];         /* "10.0.0.0/8" or "!10.0.0.0/8" */
	struct cand_text cands[MAX_CANDS];
	const char *want;             /* winner, NULL = none */
};

static const struct elect_case cases[] = {
	{ "loopback only: LOOPBACK4 beats LOOPBACK6", NULL, NULL, { NULL },
	  { { "lo", 1, "::1", "l" }, { "lo", 1, "127.0.0.1", "l" } }, "127.0.0.1" },
	{ "global v4 beats link-local v6 and loopback", NULL, NULL, { NULL },
	  { { "lo", 1, "127.0.0.1", "l" }, { "eth0", 2, "fe80::1", "" },
	    { "eth0", 2, "192.0.2.7", "" } }, "192.0.2.7" },
	{ "global v4 beats RFC1918, whatever the order", NULL, NULL, { NULL },
	  { { "eth0", 2, "10.1.2.3", "" }, { "eth1", 3, "198.51.100.1", "" } }, "198.51.100.1" },
	{ "RFC1918 v4 beats global v6", NULL, NULL, { NULL },
	  { { "eth0", 2, "2001:db8::5", "" }, { "eth0", 2, "172.16.0.9", "" } }, "172.16.0.9" },
	{ "172.32/16 is not RFC1918: global beats 192.168", NULL, NULL, { NULL },
	  { { "eth0", 2, "192.168.1.1", "" }, { "eth1", 3, "172.32.0.1", "" } }, "172.32.0.1" },
	{ "global v6 beats unique-local v6", NULL, NULL, { NULL },
	  { { "eth0", 2, "fd00::1", "" }, { "eth1", 3, "2001:db8::1", "" } }, "2001:db8::1" },
	{ "unique-local v6 beats an address on a VLAN device", NULL, NULL, { NULL },
	  { { "eth0.10", 4, "192.0.2.1", "v" }, { "eth0", 2, "fd12::1", "" } }, "fd12::1" },
	{ "VLAN4 beats VLAN6", NULL, NULL, { NULL },
	  { { "eth0.10", 4, "2001:db8::1", "v" }, { "eth0.20", 5, "192.0.2.1", "v" } }, "192.0.2.1" },
	{ "IPv6 link-local beats self-assigned 169.254", NULL, NULL, { NULL },
	  { { "eth0", 2, "169.254.3.4", "" }, { "eth1", 3, "fe80::9", "" } }, "fe80::9" },
	{ "self-assigned beats loopback", NULL, NULL, { NULL },
	  { { "lo", 1, "127.0.0.1", "l" }, { "eth0", 2, "169.254.3.4", "" } }, "169.254.3.4" },
	{ "loopback beats multicast and class E", NULL, NULL, { NULL },
	  { { "eth0", 2, "240.0.0.1", "" }, { "eth1", 3, "224.0.0.5", "" },
	    { "lo", 1, "::1", "l" } }, "::1" },
	{ "0.0.0.0 and :: are never elected", NULL, NULL, { NULL },
	  { { "eth0", 2, "0.0.0.0", "" }, { "eth1", 3, "::", "" } }, NULL },
	{ "no candidates: none", NULL, NULL, { NULL }, { { NULL, 0, NULL, NULL } }, NULL },
	{ "agentIP wins outright, even if not local", "203.0.113.9", NULL, { NULL },
	  { { "eth0", 2, "192.0.2.7", "" } }, "203.0.113.9" },
	{ "agent=eth1: +13 lifts RFC1918 over global", NULL, "eth1", { NULL },
	  { { "eth0", 2, "192.0.2.7", "" }, { "eth1", 3, "10.0.0.7", "" } }, "10.0.0.7" },
	{ "agent= device without addresses: election as usual", NULL, "eth9", { NULL },
	  { { "eth0", 2, "10.0.0.1", "" }, { "eth1", 3, "192.0.2.1", "" } }, "192.0.2.1" },
	{ "agent.cidr: a matching loopback beats global v4", NULL, NULL, { "127.0.0.0/8" },
	  { { "eth0", 2, "192.0.2.7", "" }, { "lo", 1, "127.0.0.1", "l" } }, "127.0.0.1" },
	{ "agent.cidr: the earlier line wins", NULL, NULL, { "10.2.0.0/16", "10.0.0.0/8" },
	  { { "eth0", 2, "10.1.0.1", "" }, { "eth1", 3, "10.2.0.1", "" } }, "10.2.0.1" },
	{ "agent.cidr: a /20 boundary inside a byte", NULL, NULL, { "10.0.16.0/20" },
	  { { "eth0", 2, "10.0.32.1", "" }, { "eth1", 3, "10.0.31.1", "" } }, "10.0.31.1" },
	{ "!cidr excludes the best address", NULL, NULL, { "!192.0.2.0/24" },
	  { { "eth0", 2, "192.0.2.7", "" }, { "eth1", 3, "10.0.0.7", "" } }, "10.0.0.7" },
	{ "!cidr before a wider cidr: the exclusion decides", NULL, NULL,
	  { "!10.9.0.0/16", "10.0.0.0/8" },
	  { { "eth0", 2, "10.9.0.1", "" }, { "eth1", 3, "192.0.2.1", "" } }, "192.0.2.1" },
	{ "!cidr excluding everything: none", NULL, NULL, { "!0.0.0.0/0", "!::/0" },
	  { { "eth0", 2, "10.9.0.1", "" }, { "eth1", 3, "2001:db8::1", "" } }, NULL },
	/* 192.0.2.1: IP4 12 + first of two lines 26 = 38; 10.0.0.1: RFC1918
	 * 11 + agent= 13 + second line 13 = 37. */
	{ "pegs add up: first cidr line beats agent= plus the second line", NULL, "eth0",
	  { "192.0.2.0/24", "10.0.0.0/8" },
	  { { "eth1", 3, "192.0.2.1", "" }, { "eth0", 2, "10.0.0.1", "" } }, "192.0.2.1" },
	/* 10.0.0.1: 11 + 13 + 13 = 37 beats 192.0.2.1 at 12 + 0. */
	{ "agent= and a cidr add up over a better class", NULL, "eth0", { "10.0.0.0/8" },
	  { { "eth1", 3, "192.0.2.1", "" }, { "eth0", 2, "10.0.0.1", "" } }, "10.0.0.1" },
	{ "tie: assigned beats SLAAC, even on a higher ifIndex", NULL, NULL, { NULL },
	  { { "eth0", 2, "2001:db8::a", "s" }, { "eth1", 3, "2001:db8::b", "" } }, "2001:db8::b" },
	{ "tie: lower ifIndex wins", NULL, NULL, { NULL },
	  { { "eth5", 7, "192.0.2.1", "" }, { "eth0", 2, "192.0.2.2", "" } }, "192.0.2.2" },
	{ "tie on one device: the one seen first", NULL, NULL, { NULL },
	  { { "eth0", 2, "192.0.2.9", "" }, { "eth0", 2, "192.0.2.1", "" } }, "192.0.2.9" },
};

static void fill_config(const struct elect_case *c, struct agent_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (c->agent_ip) {
		cfg->agent_ip.family = strchr(c->agent_ip, ':') ? AF_INET6 : AF_INET;
		inet_pton(cfg->agent_ip.family, c->agent_ip, cfg->agent_ip.addr);
	}
	if (c->agent_dev)
		snprintf(cfg->agent_dev, sizeof(cfg->agent_dev), "%s", c->agent_dev);
	for (size_t i = 0; i < 4 && c->cidrs[i]; i++) {
		struct agent_config_cidr *r = &cfg->agent_cidrs.v[cfg->agent_cidrs.count++];
		const char *t = c->cidrs[i];
		char ip[64];

		r->exclude = t[0] == '!';
		t += r->exclude;
		snprintf(ip, sizeof(ip), "%.*s", (int)strcspn(t, "/"), t);
		r->ip.family = strchr(ip, ':') ? AF_INET6 : AF_INET;
		inet_pton(r->ip.family, ip, r->ip.addr);
		r->prefix_len = (uint8_t)strtoul(strchr(t, '/') + 1, NULL, 10);
	}
}

static size_t fill_cands(const struct elect_case *c, struct agent_addr_cand *v)
{
	size_t n = 0;

	for (; n < MAX_CANDS && c->cands[n].ifname; n++) {
		const struct cand_text *t = &c->cands[n];

		memset(&v[n], 0, sizeof(v[n]));
		v[n].family = strchr(t->addr, ':') ? AF_INET6 : AF_INET;
		inet_pton(v[n].family, t->addr, v[n].addr);
		v[n].ifindex = t->ifindex;
		snprintf(v[n].ifname, sizeof(v[n].ifname), "%s", t->ifname);
		v[n].loopback_dev = strchr(t->flags, 'l') != NULL;
		v[n].vlan_dev = strchr(t->flags, 'v') != NULL;
		v[n].learnt = strchr(t->flags, 's') != NULL;
		v[n].order = n + 1;
	}
	return n;
}

TEST(election_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct elect_case *c = &cases[i];
		struct agent_addr_cand v[MAX_CANDS];
		struct agent_config cfg;
		struct sfl_address out = { 0 };
		char got[INET6_ADDRSTRLEN] = "(none)";
		size_t n;
		int rc;

		fill_config(c, &cfg);
		n = fill_cands(c, v);
		rc = agent_addr_elect(&cfg, v, n, &out);
		if (rc >= 0)
			inet_ntop(out.type == SFL_ADDR_IP6 ? AF_INET6 : AF_INET, out.addr, got,
				  sizeof(got));
		if (c->want ? strcmp(got, c->want) != 0 : rc != -1) {
			printf("  case %zu: %s\n", i, c->why);
			CHECK_EQ_STR(got, c->want ? c->want : "(none)");
		}
	}
}

/* The class ladder itself, one address per class, worst to best. */
TEST(class_order)
{
	static const struct cand_text ladder[] = {
		{ "e", 2, "0.0.0.0", "" },       { "e", 2, "250.1.1.1", "" },
		{ "e", 2, "239.1.1.1", "" },     { "lo", 1, "::1", "l" },
		{ "lo", 1, "127.0.0.1", "l" },   { "e", 2, "169.254.1.1", "" },
		{ "e", 2, "fe80::1", "" },       { "v", 3, "2001:db8::1", "v" },
		{ "v", 3, "192.0.2.1", "v" },    { "e", 2, "fc00::1", "" },
		{ "e", 2, "2001:db8::1", "" },   { "e", 2, "192.168.0.1", "" },
		{ "e", 2, "192.0.2.1", "" },
	};

	for (size_t i = 0; i < sizeof(ladder) / sizeof(ladder[0]); i++) {
		struct elect_case c = { .cands = { ladder[i] } };
		struct agent_addr_cand v[1];

		fill_cands(&c, v);
		if (agent_addr_classify(&v[0]) != (enum agent_addr_class)i)
			printf("  %s\n", ladder[i].addr);
		CHECK_EQ_U64(agent_addr_classify(&v[0]), i);
	}
}

TEST_MAIN(TEST_ENTRY(election_table), TEST_ENTRY(class_order))
