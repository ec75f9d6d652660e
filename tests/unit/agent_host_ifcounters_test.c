/*
 * if_counters and port_name (agent/host/ifcounters.c) over
 * tests/data/proc/ifc1/sys/class/net, one device per rule of
 * ifcounters.h, then bad names, missing devices and a live read of "lo".
 * Expected values are worked out by hand from the fixture files; the
 * arithmetic is in the comments.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "agent/host/ifcounters.h"
#include "tests/lib/test.h"

#define ROOT "tests/data/proc/ifc1"
#define U32 UINT32_MAX /* unknown counter */
#define U64 UINT64_MAX

struct ifc_case {
	const char *ifname;
	struct sfl_ctr_generic want;
};

static const struct ifc_case cases[] = {
	/* eth0: type 1 -> 6; speed 10000 Mb/s -> 10 000 000 000 bps; duplex
	 * full -> 1; flags 0x1003 has IFF_UP, not IFF_PROMISC; operstate up
	 * -> status 1|2 = 3. rx_packets 5 000 000 000 - multicast 1 234 567 =
	 * 4 998 765 433, low 32 bits 4 998 765 433 - 4 294 967 296 =
	 * 703 798 137. Octets keep all 64 bits (98 765 432 109 876 and
	 * 12 345 678 901 are both past 2^32). */
	{ "eth0",
	  { .ifindex = 2, .iftype = 6, .ifspeed = 10000000000ull, .ifdirection = 1,
	    .ifstatus = 3, .in_octets = 98765432109876ull, .in_ucast_pkts = 703798137,
	    .in_multicast_pkts = 1234567, .in_broadcast_pkts = U32, .in_discards = 345,
	    .in_errors = 12, .in_unknown_protos = U32, .out_octets = 12345678901ull,
	    .out_ucast_pkts = 87654321, .out_multicast_pkts = U32, .out_broadcast_pkts = U32,
	    .out_discards = 7, .out_errors = 3, .promiscuous_mode = 0 } },
	/* lo: type 772 -> 24; no speed or duplex file -> 0, 0; flags 0x9 has
	 * IFF_UP; operstate unknown + carrier 1 -> oper up: status 3.
	 * 31 337 - 0 multicast = 31 337 unicast each way. */
	{ "lo",
	  { .ifindex = 1, .iftype = 24, .ifspeed = 0, .ifdirection = 0, .ifstatus = 3,
	    .in_octets = 4242424, .in_ucast_pkts = 31337, .in_multicast_pkts = 0,
	    .in_broadcast_pkts = U32, .in_discards = 0, .in_errors = 0, .in_unknown_protos = U32,
	    .out_octets = 4242424, .out_ucast_pkts = 31337, .out_multicast_pkts = U32,
	    .out_broadcast_pkts = U32, .out_discards = 0, .out_errors = 0, .promiscuous_mode = 0 } },
	/* wlan0: speed -1 -> 0; duplex unknown -> 0; flags 0x1103 has IFF_UP
	 * and IFF_PROMISC (0x100); operstate dormant -> oper down: status 1.
	 * 612 345 - 4 321 = 608 024 unicast in. */
	{ "wlan0",
	  { .ifindex = 3, .iftype = 6, .ifspeed = 0, .ifdirection = 0, .ifstatus = 1,
	    .in_octets = 734003200, .in_ucast_pkts = 608024, .in_multicast_pkts = 4321,
	    .in_broadcast_pkts = U32, .in_discards = 98, .in_errors = 0, .in_unknown_protos = U32,
	    .out_octets = 52428800, .out_ucast_pkts = 210987, .out_multicast_pkts = U32,
	    .out_broadcast_pkts = U32, .out_discards = 0, .out_errors = 1, .promiscuous_mode = 1 } },
	/* tun0: type 65534 -> 1 other; flags 0x1090 without IFF_UP, operstate
	 * down: status 0; no statistics/ directory: every counter all-ones. */
	{ "tun0",
	  { .ifindex = 9, .iftype = 1, .ifspeed = 0, .ifdirection = 0, .ifstatus = 0,
	    .in_octets = U64, .in_ucast_pkts = U32, .in_multicast_pkts = U32,
	    .in_broadcast_pkts = U32, .in_discards = U32, .in_errors = U32,
	    .in_unknown_protos = U32, .out_octets = U64, .out_ucast_pkts = U32,
	    .out_multicast_pkts = U32, .out_broadcast_pkts = U32, .out_discards = U32,
	    .out_errors = U32, .promiscuous_mode = 0 } },
	/* eth1, malformed files: speed "fast" -> 0; duplex half -> 2; flags
	 * "1003" lacks 0x -> no flags, admin down; operstate unknown with
	 * carrier 0 -> oper down: status 0. multicast 11 > rx_packets 10 ->
	 * multicast unknown, unicast = 10. rx_errors "x" -> all-ones.
	 * rx_dropped 4 294 967 297 = 2^32 + 1 -> low 32 bits 1. */
	{ "eth1",
	  { .ifindex = 4, .iftype = 6, .ifspeed = 0, .ifdirection = 2, .ifstatus = 0,
	    .in_octets = 1000, .in_ucast_pkts = 10, .in_multicast_pkts = U32,
	    .in_broadcast_pkts = U32, .in_discards = 1, .in_errors = U32, .in_unknown_protos = U32,
	    .out_octets = 2000, .out_ucast_pkts = 20, .out_multicast_pkts = U32,
	    .out_broadcast_pkts = U32, .out_discards = 0, .out_errors = 0, .promiscuous_mode = 0 } },
};

static void check_generic(const struct sfl_ctr_generic *g, const struct sfl_ctr_generic *w)
{
	CHECK_EQ_U64(g->ifindex, w->ifindex);
	CHECK_EQ_U64(g->iftype, w->iftype);
	CHECK_EQ_U64(g->ifspeed, w->ifspeed);
	CHECK_EQ_U64(g->ifdirection, w->ifdirection);
	CHECK_EQ_U64(g->ifstatus, w->ifstatus);
	CHECK_EQ_U64(g->in_octets, w->in_octets);
	CHECK_EQ_U64(g->in_ucast_pkts, w->in_ucast_pkts);
	CHECK_EQ_U64(g->in_multicast_pkts, w->in_multicast_pkts);
	CHECK_EQ_U64(g->in_broadcast_pkts, w->in_broadcast_pkts);
	CHECK_EQ_U64(g->in_discards, w->in_discards);
	CHECK_EQ_U64(g->in_errors, w->in_errors);
	CHECK_EQ_U64(g->in_unknown_protos, w->in_unknown_protos);
	CHECK_EQ_U64(g->out_octets, w->out_octets);
	CHECK_EQ_U64(g->out_ucast_pkts, w->out_ucast_pkts);
	CHECK_EQ_U64(g->out_multicast_pkts, w->out_multicast_pkts);
	CHECK_EQ_U64(g->out_broadcast_pkts, w->out_broadcast_pkts);
	CHECK_EQ_U64(g->out_discards, w->out_discards);
	CHECK_EQ_U64(g->out_errors, w->out_errors);
	CHECK_EQ_U64(g->promiscuous_mode, w->promiscuous_mode);
}

TEST(ifcounters_fixture_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct host_ifcounters c;
		int before = test_failed_checks;

		CHECK_EQ_U64(host_ifcounters_read(ROOT, cases[i].ifname, &c), 0);
		check_generic(&c.generic, &cases[i].want);
		CHECK(c.portname.name.ptr == c.name);
		CHECK_EQ_U64(c.portname.name.len, strlen(cases[i].ifname));
		CHECK_EQ_STR(c.name, cases[i].ifname);
		if (test_failed_checks != before)
			printf("  in case %s\n", cases[i].ifname);
	}
}

TEST(ifcounters_bad_names)
{
	static const char *const bad[] = {
		"", ".", "..", "../lo", "lo/..", "eth0/statistics", "a b",
		"0123456789abcdef", /* 16 bytes: IFNAMSIZ leaves room for 15 */
	};
	struct host_ifcounters c;

	CHECK(!host_ifcounters_valid_name(NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int before = test_failed_checks;

		CHECK(!host_ifcounters_valid_name(bad[i]));
		errno = 0;
		CHECK_EQ_U64(host_ifcounters_read(ROOT, bad[i], &c), (uint64_t)-1);
		CHECK_EQ_U64(errno, EINVAL);
		CHECK_EQ_U64(c.generic.ifindex, 0);
		if (test_failed_checks != before)
			printf("  in name \"%s\"\n", bad[i]);
	}
	CHECK(host_ifcounters_valid_name("0123456789abcde")); /* 15 bytes */
	CHECK(host_ifcounters_valid_name("eth0.100"));
}

TEST(ifcounters_missing_device)
{
	/* eth9 has no directory; bad0's ifindex is "notanumber"; a root
	 * without sys/ at all. */
	static const struct {
		const char *root, *ifname;
	} miss[] = { { ROOT, "eth9" }, { ROOT, "bad0" }, { "tests/data/proc/nonexistent", "lo" } };
	struct host_ifcounters c;

	for (size_t i = 0; i < sizeof(miss) / sizeof(miss[0]); i++) {
		errno = 0;
		CHECK_EQ_U64(host_ifcounters_read(miss[i].root, miss[i].ifname, &c), (uint64_t)-1);
		CHECK_EQ_U64(errno, ENOENT);
		CHECK_EQ_U64(c.portname.name.len, 0);
	}
}

/* The real "lo" of this network namespace: ifIndex 1, softwareLoopback,
 * no speed (sysfs speed read fails with EINVAL), counters known and not
 * going backwards between two reads. */
TEST(ifcounters_live_lo)
{
	struct host_ifcounters a, b;

	if (access("/sys/class/net/lo/ifindex", R_OK) != 0) {
		printf("  skipped: no /sys/class/net/lo\n");
		return;
	}
	CHECK_EQ_U64(host_ifcounters_read("/", "lo", &a), 0);
	CHECK_EQ_U64(host_ifcounters_read("/", "lo", &b), 0);
	CHECK_EQ_U64(a.generic.ifindex, 1);
	CHECK_EQ_U64(a.generic.iftype, 24);
	CHECK_EQ_U64(a.generic.ifspeed, 0);
	CHECK_EQ_U64(a.generic.ifdirection, 0);
	CHECK(a.generic.in_octets != U64 && a.generic.out_octets != U64);
	CHECK(a.generic.in_ucast_pkts != U32 && a.generic.out_ucast_pkts != U32);
	CHECK(b.generic.in_octets >= a.generic.in_octets);
	CHECK(b.generic.out_octets >= a.generic.out_octets);
	CHECK_EQ_U64(a.generic.in_broadcast_pkts, U32);
	CHECK_EQ_U64(a.generic.in_unknown_protos, U32);
	CHECK_EQ_STR(a.name, "lo");
	CHECK_EQ_U64(a.portname.name.len, 2);
}

TEST_MAIN(TEST_ENTRY(ifcounters_fixture_table), TEST_ENTRY(ifcounters_bad_names),
	  TEST_ENTRY(ifcounters_missing_device), TEST_ENTRY(ifcounters_live_lo))
