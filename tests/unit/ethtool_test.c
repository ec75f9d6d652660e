/*
 * agent/host/ethtool's pure half: link settings and GSET replies into
 * speed/duplex, driver statistic names into unicast/multicast/broadcast,
 * and the merge into if_counters, table-driven. The replies are the
 * structs the kernel writes, built here with the values the comments give
 * (uapi linux/ethtool.h: SPEED_UNKNOWN -1, DUPLEX_HALF 0, DUPLEX_FULL 1,
 * DUPLEX_UNKNOWN 0xff). A last test reads the live "lo", which has no
 * ethtool link ops: -1, never a crash.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/host/ethtool.h"
#include "tests/lib/test.h"

struct link_case {
	uint32_t speed_mbps;
	uint8_t duplex;
	bool have_speed, have_duplex;
	uint64_t speed_bps;
	uint32_t direction;
};

static const struct link_case link_cases[] = {
	{ 10000, DUPLEX_FULL, true, true, 10000000000ull, 1 }, /* veth: 10 Gb/s full */
	{ 100, DUPLEX_HALF, true, true, 100000000ull, 2 },
	{ 400000, DUPLEX_FULL, true, true, 400000000000ull, 1 }, /* 400G: past 32 bits in bps */
	{ (uint32_t)SPEED_UNKNOWN, DUPLEX_UNKNOWN, false, false, 0, 0 }, /* link down */
	{ 0, DUPLEX_FULL, false, true, 0, 1 },
};

TEST(link_settings)
{
	for (size_t i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++) {
		const struct link_case *c = &link_cases[i];
		struct ethtool_link_settings ls = { .cmd = ETHTOOL_GLINKSETTINGS,
						    .speed = c->speed_mbps, .duplex = c->duplex };
		struct ethtool_cmd cmd = { .cmd = ETHTOOL_GSET, .duplex = c->duplex };
		struct host_ethtool a = { 0 }, b = { 0 };

		ethtool_cmd_speed_set(&cmd, c->speed_mbps);
		CHECK_EQ_U64(host_ethtool_parse_link_settings(&ls, sizeof(ls), &a), 0);
		CHECK_EQ_U64(host_ethtool_parse_cmd(&cmd, sizeof(cmd), &b), 0);
		for (int k = 0; k < 2; k++) {
			const struct host_ethtool *e = k ? &b : &a;

			CHECK_EQ_U64(e->have_speed, c->have_speed);
			CHECK_EQ_U64(e->speed_bps, c->speed_bps);
			CHECK_EQ_U64(e->have_duplex, c->have_duplex);
			CHECK_EQ_U64(e->direction, c->direction);
		}
	}
}

TEST(short_replies)
{
	struct ethtool_link_settings ls = { 0 };
	struct ethtool_cmd cmd = { 0 };
	struct host_ethtool e = { 0 };

	CHECK_EQ_U64(host_ethtool_parse_link_settings(&ls, sizeof(ls) - 1, &e), (uint64_t)-1);
	CHECK_EQ_U64(host_ethtool_parse_cmd(&cmd, sizeof(cmd) - 1, &e), (uint64_t)-1);
	CHECK_EQ_U64(host_ethtool_parse_cmd(&cmd, 0, &e), (uint64_t)-1);
}

#define NAMES_MAX 8

struct stats_case {
	const char *why;
	const char *names[NAMES_MAX]; /* NULL ends */
	bool have[HOST_ETHTOOL_NSTATS];
	uint64_t want[HOST_ETHTOOL_NSTATS];
};

/* Every value is 100 + its index in the driver's list. */
static const struct stats_case stats_cases[] = {
	{ "e1000e spelling", { "rx_packets", "rx_broadcast", "tx_broadcast", "rx_multicast",
			       "tx_multicast", NULL },
	  { false, true, true, false, true, true }, { 0, 103, 101, 0, 104, 102 } },
	{ "bnx2x/tg3 spelling", { "rx_ucast_packets", "rx_mcast_packets", "rx_bcast_packets",
				  "tx_ucast_packets", "tx_mcast_packets", "tx_bcast_packets", NULL },
	  { true, true, true, true, true, true }, { 100, 101, 102, 103, 104, 105 } },
	{ "mlx5 vport spelling", { "rx_packets", "rx_vport_unicast_packets",
				   "rx_vport_multicast_packets", "rx_vport_broadcast_packets", NULL },
	  { true, true, true, false, false, false }, { 101, 102, 103, 0, 0, 0 } },
	{ "veth: none of them", { "peer_ifindex", "rx_queue_0_xdp_packets", "rx_queue_0_xdp_bytes",
				  NULL },
	  { false }, { 0 } },
	{ "first match wins", { "rx_multicast", "rx_mcast", NULL },
	  { false, true }, { 0, 100 } },
	{ "exact names only", { "rx_multicast_bytes", "xrx_unicast", "RX_UNICAST", NULL },
	  { false }, { 0 } },
};

TEST(stats_names)
{
	for (size_t i = 0; i < sizeof(stats_cases) / sizeof(stats_cases[0]); i++) {
		const struct stats_case *c = &stats_cases[i];
		char names[NAMES_MAX * HOST_ETHTOOL_NAME_BYTES];
		uint64_t vals[NAMES_MAX];
		struct host_ethtool e = { 0 };
		size_t n = 0;

		memset(names, 0, sizeof(names));
		for (; n < NAMES_MAX && c->names[n]; n++) {
			memcpy(names + n * HOST_ETHTOOL_NAME_BYTES, c->names[n], strlen(c->names[n]));
			vals[n] = 100 + n;
		}
		host_ethtool_match_stats(names, vals, n, &e);
		for (int s = 0; s < HOST_ETHTOOL_NSTATS; s++) {
			if (e.have[s] != c->have[s] || (c->have[s] && e.stat[s] != c->want[s]))
				printf("  case %s, counter %d\n", c->why, s);
			CHECK_EQ_U64(e.have[s], c->have[s]);
			if (c->have[s])
				CHECK_EQ_U64(e.stat[s], c->want[s]);
		}
	}
}

/* A name of exactly 32 bytes has no NUL in the table: still bounded. */
TEST(stats_name_full_width)
{
	char names[HOST_ETHTOOL_NAME_BYTES];
	uint64_t v = 7;
	struct host_ethtool e = { 0 };

	memset(names, 'x', sizeof(names));
	host_ethtool_match_stats(names, &v, 1, &e);
	for (int s = 0; s < HOST_ETHTOOL_NSTATS; s++)
		CHECK(!e.have[s]);
}

struct apply_case {
	const char *why;
	struct host_ethtool e;
	bool have_rx, have_tx, have_rm;
	uint64_t rx, tx, rm;
	uint32_t in_u, in_m, in_b, out_u, out_m, out_b;
};

#define U32 UINT32_MAX
#define RXU HOST_ETHTOOL_RX_UCAST
#define RXM HOST_ETHTOOL_RX_MCAST
#define RXB HOST_ETHTOOL_RX_BCAST
#define TXU HOST_ETHTOOL_TX_UCAST
#define TXM HOST_ETHTOOL_TX_MCAST
#define TXB HOST_ETHTOOL_TX_BCAST

static const struct apply_case apply_cases[] = {
	/* Driver gives all six: taken as they are. */
	{ "all six", { .have = { true, true, true, true, true, true },
		       .stat = { 900, 50, 40, 800, 30, 20 } },
	  true, true, true, 990, 850, 50, 900, 50, 40, 800, 30, 20 },
	/* Broadcast and multicast only: in 1000 - 50 - 40 = 910 (driver's
	 * multicast, not sysfs's 45), out 700 - 30 - 20 = 650. */
	{ "derive unicast", { .have = { [RXM] = true, [RXB] = true, [TXM] = true, [TXB] = true },
			      .stat = { [RXM] = 50, [RXB] = 40, [TXM] = 30, [TXB] = 20 } },
	  true, true, true, 1000, 700, 45, 910, 50, 40, 650, 30, 20 },
	/* Broadcast only on receive: 1000 - sysfs multicast 45 - 40 = 915. */
	{ "rx broadcast + sysfs multicast", { .have = { [RXB] = true }, .stat = { [RXB] = 40 } },
	  true, true, true, 1000, 700, 45, 915, 45, 40, 700, U32, U32 },
	/* Counts above the total (driver counters from another epoch): unknown. */
	{ "underflow", { .have = { [RXB] = true }, .stat = { [RXB] = 5000 } },
	  true, true, true, 1000, 700, 45, U32, 45, 5000, 700, U32, U32 },
	/* No total in sysfs: unicast unknown. */
	{ "no total", { .have = { [TXB] = true }, .stat = { [TXB] = 3 } },
	  true, false, true, 1000, 0, 45, 955, 45, U32, U32, U32, 3 },
	/* Nothing from the driver: the sysfs fields stand. */
	{ "nothing", { .have = { false } }, true, true, true, 1000, 700, 45, 955, 45, U32, 700,
	  U32, U32 },
};

TEST(apply)
{
	for (size_t i = 0; i < sizeof(apply_cases) / sizeof(apply_cases[0]); i++) {
		const struct apply_case *c = &apply_cases[i];
		struct host_ifcounters ifc;
		struct sfl_ctr_generic *g = &ifc.generic;

		/* What agent/host/ifcounters makes of the sysfs values. */
		memset(&ifc, 0, sizeof(ifc));
		ifc.have_rx_packets = c->have_rx;
		ifc.have_tx_packets = c->have_tx;
		ifc.have_rx_mcast = c->have_rm;
		ifc.rx_packets = c->rx;
		ifc.tx_packets = c->tx;
		ifc.rx_mcast = c->rm;
		g->in_ucast_pkts = (uint32_t)(c->rx - c->rm);
		g->in_multicast_pkts = (uint32_t)c->rm;
		g->in_broadcast_pkts = g->out_multicast_pkts = g->out_broadcast_pkts = U32;
		g->out_ucast_pkts = c->have_tx ? (uint32_t)c->tx : U32;
		host_ethtool_apply(&c->e, &ifc);
		if (g->in_ucast_pkts != c->in_u || g->out_ucast_pkts != c->out_u)
			printf("  case %s\n", c->why);
		CHECK_EQ_U64(g->in_ucast_pkts, c->in_u);
		CHECK_EQ_U64(g->in_multicast_pkts, c->in_m);
		CHECK_EQ_U64(g->in_broadcast_pkts, c->in_b);
		CHECK_EQ_U64(g->out_ucast_pkts, c->out_u);
		CHECK_EQ_U64(g->out_multicast_pkts, c->out_m);
		CHECK_EQ_U64(g->out_broadcast_pkts, c->out_b);
	}
}

TEST(apply_speed)
{
	struct host_ethtool e = { .have_speed = true, .speed_bps = 25000000000ull,
				  .have_duplex = true, .direction = 1 };
	struct host_ethtool none = { 0 };
	struct host_ifcounters ifc;

	memset(&ifc, 0, sizeof(ifc));
	ifc.generic.ifspeed = 7;
	ifc.generic.ifdirection = 2;
	host_ethtool_apply(&none, &ifc);
	CHECK_EQ_U64(ifc.generic.ifspeed, 7);
	CHECK_EQ_U64(ifc.generic.ifdirection, 2);
	host_ethtool_apply(&e, &ifc);
	CHECK_EQ_U64(ifc.generic.ifspeed, 25000000000ull);
	CHECK_EQ_U64(ifc.generic.ifdirection, 1);
}

TEST(live_lo_and_bad_name)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct host_ethtool e;

	CHECK(fd >= 0);
	CHECK_EQ_U64(host_ethtool_read(fd, "lo", &e), (uint64_t)-1);
	CHECK_EQ_U64(host_ethtool_read(fd, "a-name-far-too-long-for-ifnamsiz", &e), (uint64_t)-1);
	CHECK_EQ_U64(errno, EINVAL);
	CHECK_EQ_U64(host_ethtool_read(fd, "nosuchdev0", &e), (uint64_t)-1);
	close(fd);
}

TEST_MAIN(TEST_ENTRY(link_settings), TEST_ENTRY(short_replies), TEST_ENTRY(stats_names),
	  TEST_ENTRY(stats_name_full_width), TEST_ENTRY(apply), TEST_ENTRY(apply_speed),
	  TEST_ENTRY(live_lo_and_bad_name))
