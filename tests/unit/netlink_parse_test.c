/*
 * netlink_parse (agent/netlink_parse.c) over kernel replies captured by
 * tests/data/netlink/capture.py in a namespace it made: lo (ifindex 1,
 * 127.0.0.1/8 scope host, ::1/128), veth cap1 (2, down) and its peer cap0
 * (3, up, 198.18.5.1/24 scope global). The expected values are what
 * `ip -d link` / `ip addr` printed at capture time (in capture.py's
 * output). Then hand-made malformed messages, and every truncation of the
 * captures: each must be refused (-1) or parse cleanly, never read past
 * the end (run under asan in `make asan`).
 */
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/netlink_parse.h"
#include "tests/lib/test.h"

#define DATA "tests/data/netlink/"
#define MAX_EVENTS 64

struct got {
	size_t n;
	struct netlink_event ev[MAX_EVENTS];
};

static void collect(const struct netlink_event *ev, void *arg)
{
	struct got *g = arg;

	if (g->n < MAX_EVENTS)
		g->ev[g->n++] = *ev;
}

/* The file's bytes (caller frees), length in *len; NULL when unreadable. */
static uint8_t *load(const char *name, size_t *len)
{
	static uint8_t buf[65536];
	FILE *f = fopen(name, "rb");
	uint8_t *out;

	if (!f)
		return NULL;
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	out = malloc(*len ? *len : 1);
	if (out)
		memcpy(out, buf, *len);
	return out;
}

static int parse_file(const char *name, struct got *g)
{
	size_t len = 0;
	uint8_t *b = load(name, &len);
	int rc;

	memset(g, 0, sizeof(*g));
	if (!b)
		return -2;
	rc = netlink_parse(b, len, collect, g);
	free(b);
	return rc;
}

struct link_case {
	uint32_t ifindex;
	const char *name, *kind;
	bool up, loopback;
};

TEST(link_dump)
{
	static const struct link_case want[] = {
		{ 1, "lo", "", true, true },
		{ 2, "cap1", "veth", false, false },
		{ 3, "cap0", "veth", true, false },
	};
	struct got g;
	int rc = parse_file(DATA "link_dump.bin", &g);

	CHECK_EQ_U64(rc, 4);
	CHECK_EQ_U64(g.n, 4);
	for (size_t i = 0; i < 3 && i < g.n; i++) {
		const struct netlink_link *l = &g.ev[i].u.link;

		CHECK_EQ_U64(g.ev[i].type, NETLINK_EV_LINK_NEW);
		CHECK_EQ_U64(g.ev[i].seq, 1);
		CHECK_EQ_U64(l->ifindex, want[i].ifindex);
		CHECK_EQ_STR(l->name, want[i].name);
		CHECK_EQ_STR(l->kind, want[i].kind);
		CHECK_EQ_U64((l->flags & IFF_UP) != 0, want[i].up);
		CHECK_EQ_U64((l->flags & IFF_LOOPBACK) != 0, want[i].loopback);
		CHECK(l->has_multicast); /* IFLA_STATS64 is in every dump entry */
	}
	if (g.n == 4)
		CHECK_EQ_U64(g.ev[3].type, NETLINK_EV_DONE);
}

struct addr_case {
	uint32_t ifindex;
	int family;
	const char *addr; /* 4 or 16 raw bytes */
	uint8_t prefix_len, scope;
};

TEST(addr_dump)
{
	static const struct addr_case want[] = {
		{ 1, AF_INET, "\x7f\x00\x00\x01", 8, RT_SCOPE_HOST },
		{ 3, AF_INET, "\xc6\x12\x05\x01", 24, RT_SCOPE_UNIVERSE },
		{ 1, AF_INET6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 128, RT_SCOPE_HOST },
	};
	struct got g;
	int rc = parse_file(DATA "addr_dump.bin", &g);

	CHECK_EQ_U64(rc, 4);
	for (size_t i = 0; i < 3 && i < g.n; i++) {
		const struct netlink_addr *a = &g.ev[i].u.addr;

		CHECK_EQ_U64(g.ev[i].type, NETLINK_EV_ADDR_NEW);
		CHECK_EQ_U64(a->ifindex, want[i].ifindex);
		CHECK_EQ_U64(a->family, want[i].family);
		CHECK_MEM(a->addr, want[i].addr, want[i].family == AF_INET ? 4u : 16u);
		CHECK_EQ_U64(a->prefix_len, want[i].prefix_len);
		CHECK_EQ_U64(a->scope, want[i].scope);
		CHECK(a->flags & IFA_F_PERMANENT); /* added by hand, not learnt */
	}
	if (g.n == 4)
		CHECK_EQ_U64(g.ev[3].type, NETLINK_EV_DONE);
}

/* `ip link del cap0` removes both ends: a DELLINK for each, as
 * notifications (seq 0). */
TEST(link_del_notifications)
{
	struct got g;
	bool del2 = false, del3 = false;

	CHECK(parse_file(DATA "link_del.bin", &g) >= 2);
	for (size_t i = 0; i < g.n; i++) {
		CHECK_EQ_U64(g.ev[i].seq, 0);
		if (g.ev[i].type != NETLINK_EV_LINK_DEL)
			continue;
		del2 |= g.ev[i].u.link.ifindex == 2 && strcmp(g.ev[i].u.link.name, "cap1") == 0;
		del3 |= g.ev[i].u.link.ifindex == 3 && strcmp(g.ev[i].u.link.name, "cap0") == 0;
	}
	CHECK(del2);
	CHECK(del3);
}

/* Every prefix of every capture: -1 or a clean parse, never a crash. */
TEST(truncations)
{
	static const char *const files[] = { DATA "link_dump.bin", DATA "addr_dump.bin",
					     DATA "link_del.bin" };

	for (size_t f = 0; f < 3; f++) {
		size_t len = 0;
		uint8_t *b = load(files[f], &len);
		struct got g;
		int full;

		CHECK(b != NULL);
		if (!b)
			continue;
		full = netlink_parse(b, len, collect, &(struct got){ 0 });
		for (size_t cut = 0; cut < len; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			int rc;

			memcpy(copy, b, cut);
			memset(&g, 0, sizeof(g));
			rc = netlink_parse(copy, cut, collect, &g);
			CHECK(rc == -1 || rc <= full);
			free(copy);
		}
		free(b);
	}
}

/* One hand-made message: header + body of body_len bytes. */
static size_t make_msg(uint8_t *buf, uint16_t type, uint32_t nlmsg_len, const void *body,
		       size_t body_len)
{
	struct nlmsghdr h = { .nlmsg_len = nlmsg_len, .nlmsg_type = type };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, body_len);
	return sizeof(h) + body_len;
}

struct bad_case {
	const char *why;
	uint16_t type;
	int32_t len_delta;      /* added to the true nlmsg_len */
	uint8_t body[40];
	size_t body_len;
	int want;
};

TEST(malformed)
{
	static const struct bad_case cases[] = {
		{ "nlmsg_len past the buffer", RTM_NEWLINK, 4,
		  { 0, 0, 0, 0, 1, 0, 0, 0 }, 16, -1 },
		{ "nlmsg_len below the header", RTM_NEWLINK, -20, { 0 }, 16, -1 },
		{ "ifinfomsg cut short", RTM_NEWLINK, 0, { 0 }, 8, -1 },
		{ "ifindex 0", RTM_NEWLINK, 0, { 0 }, 16, -1 },
		/* ifinfomsg index 5, then rta_len 2 (< 4) */
		{ "attribute shorter than its header", RTM_NEWLINK, 0,
		  { 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0 }, 20, -1 },
		/* ifaddrmsg AF_INET /24 index 5, IFA_ADDRESS of 2 bytes */
		{ "IPv4 address of 2 bytes", RTM_NEWADDR, 0,
		  { AF_INET, 24, 0, 0, 5, 0, 0, 0, 6, 0, IFA_ADDRESS, 0, 1, 2, 0, 0 }, 16, -1 },
		{ "IPv4 /33", RTM_NEWADDR, 0,
		  { AF_INET, 33, 0, 0, 5, 0, 0, 0, 8, 0, IFA_ADDRESS, 0, 1, 2, 3, 4 }, 16, -1 },
		{ "address message without an address", RTM_NEWADDR, 0,
		  { AF_INET, 24, 0, 0, 5, 0, 0, 0 }, 8, -1 },
		{ "AF_PACKET address: skipped", RTM_NEWADDR, 0,
		  { AF_PACKET, 0, 0, 0, 5, 0, 0, 0 }, 8, 0 },
		{ "route message: skipped", RTM_NEWROUTE, 0, { 0 }, 12, 0 },
		{ "ACK (error 0): skipped", NLMSG_ERROR, 0, { 0 }, 4, 0 },
		{ "error -EBUSY: one ERROR event", NLMSG_ERROR, 0, { 0xf0, 0xff, 0xff, 0xff }, 4, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		uint8_t buf[128];
		size_t n = make_msg(buf, c->type,
				    (uint32_t)((int32_t)(NLMSG_HDRLEN + c->body_len) + c->len_delta),
				    c->body, c->body_len);
		struct got g = { 0 };
		int rc = netlink_parse(buf, n, collect, &g);

		if (rc != c->want)
			printf("  case: %s\n", c->why);
		CHECK_EQ_U64((int64_t)rc, (int64_t)c->want);
		if (c->want == 1 && g.n == 1)
			CHECK_EQ_U64(g.ev[0].u.error, 16); /* EBUSY */
	}
}

TEST_MAIN(TEST_ENTRY(link_dump), TEST_ENTRY(addr_dump), TEST_ENTRY(link_del_notifications),
	  TEST_ENTRY(truncations), TEST_ENTRY(malformed))
