/*
 * agent/host/ethtool.c: SIOCETHTOOL link settings and driver statistics
 * (contract in ethtool.h).
 *
 * GLINKSETTINGS is a two-step handshake: asked with
 * link_mode_masks_nwords = 0, the kernel answers with -N, the number of
 * 32-bit words of each of its three link mode masks; asked again with N it
 * fills them. We only read speed and duplex but must provide room for the
 * masks. Drivers' statistic names are not standardised; the table below
 * lists the spellings of the common drivers (e1000/e1000e/igb/ixgbe say
 * rx_broadcast, bnx2x/tg3 rx_bcast_packets, mlx5 rx_vport_*_packets, ...).
 */
#include "agent/host/ethtool.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define ETHTOOL_MAX_MASK_WORDS 127 /* link_mode_masks_nwords is an s8 */
#define UNKNOWN32 UINT32_MAX

static const char *const stat_names[HOST_ETHTOOL_NSTATS][7] = {
	[HOST_ETHTOOL_RX_UCAST] = { "rx_unicast", "rx_ucast_packets", "rx_unicast_packets",
				    "rx_vport_unicast_packets", "rx_ucast", "rx_unicast_pkts", NULL },
	[HOST_ETHTOOL_RX_MCAST] = { "rx_multicast", "rx_mcast_packets", "rx_multicast_packets",
				    "rx_vport_multicast_packets", "rx_mcast", "rx_multicast_pkts",
				    NULL },
	[HOST_ETHTOOL_RX_BCAST] = { "rx_broadcast", "rx_bcast_packets", "rx_broadcast_packets",
				    "rx_vport_broadcast_packets", "rx_bcast", "rx_broadcast_pkts",
				    NULL },
	[HOST_ETHTOOL_TX_UCAST] = { "tx_unicast", "tx_ucast_packets", "tx_unicast_packets",
				    "tx_vport_unicast_packets", "tx_ucast", "tx_unicast_pkts", NULL },
	[HOST_ETHTOOL_TX_MCAST] = { "tx_multicast", "tx_mcast_packets", "tx_multicast_packets",
				    "tx_vport_multicast_packets", "tx_mcast", "tx_multicast_pkts",
				    NULL },
	[HOST_ETHTOOL_TX_BCAST] = { "tx_broadcast", "tx_bcast_packets", "tx_broadcast_packets",
				    "tx_vport_broadcast_packets", "tx_bcast", "tx_broadcast_pkts",
				    NULL },
};

static void set_speed_duplex(uint32_t speed_mbps, uint8_t duplex, struct host_ethtool *out)
{
	out->have_speed = speed_mbps != 0 && speed_mbps != (uint32_t)SPEED_UNKNOWN;
	out->speed_bps = out->have_speed ? (uint64_t)speed_mbps * 1000000u : 0;
	out->have_duplex = duplex == DUPLEX_FULL || duplex == DUPLEX_HALF;
	out->direction = duplex == DUPLEX_FULL ? 1 : duplex == DUPLEX_HALF ? 2 : 0;
}

int host_ethtool_parse_link_settings(const void *buf, size_t len, struct host_ethtool *out)
{
	struct ethtool_link_settings ls;

	if (len < sizeof(ls))
		return -1;
	memcpy(&ls, buf, sizeof(ls));
	set_speed_duplex(ls.speed, ls.duplex, out);
	return 0;
}

int host_ethtool_parse_cmd(const void *buf, size_t len, struct host_ethtool *out)
{
	struct ethtool_cmd cmd;

	if (len < sizeof(cmd))
		return -1;
	memcpy(&cmd, buf, sizeof(cmd));
	/* Not ethtool_cmd_speed(): it shifts speed_hi as an int, undefined for
	 * SPEED_UNKNOWN's 0xffff. */
	set_speed_duplex(((uint32_t)cmd.speed_hi << 16) | cmd.speed, cmd.duplex, out);
	return 0;
}

/* The counter a statistic name stands for, or HOST_ETHTOOL_NSTATS. */
static enum host_ethtool_stat stat_of(const char *name)
{
	for (int s = 0; s < HOST_ETHTOOL_NSTATS; s++) {
		for (const char *const *n = stat_names[s]; *n; n++) {
			if (strcmp(*n, name) == 0)
				return (enum host_ethtool_stat)s;
		}
	}
	return HOST_ETHTOOL_NSTATS;
}

void host_ethtool_match_stats(const char *names, const uint64_t *values, size_t n,
			      struct host_ethtool *out)
{
	for (size_t i = 0; i < n; i++) {
		char name[HOST_ETHTOOL_NAME_BYTES + 1];
		enum host_ethtool_stat s;

		memcpy(name, names + i * HOST_ETHTOOL_NAME_BYTES, HOST_ETHTOOL_NAME_BYTES);
		name[HOST_ETHTOOL_NAME_BYTES] = '\0';
		s = stat_of(name);
		if (s == HOST_ETHTOOL_NSTATS || out->have[s])
			continue;
		out->have[s] = true;
		out->stat[s] = values[i];
	}
}

/* unicast = total - mcast - bcast over what is known; false if unknown. */
static bool derive_ucast(bool have_total, uint64_t total, bool have_m, uint64_t m, bool have_b,
			 uint64_t b, uint32_t *out)
{
	uint64_t others = (have_m ? m : 0) + (have_b ? b : 0);

	if (!have_total || others > total)
		return false;
	*out = (uint32_t)(total - others);
	return true;
}

void host_ethtool_apply(const struct host_ethtool *e, struct host_ifcounters *ifc)
{
	struct sfl_ctr_generic *g = &ifc->generic;
	bool have_rm = e->have[HOST_ETHTOOL_RX_MCAST] || ifc->have_rx_mcast;
	uint64_t rm = e->have[HOST_ETHTOOL_RX_MCAST] ? e->stat[HOST_ETHTOOL_RX_MCAST] : ifc->rx_mcast;
	const uint64_t *st = e->stat;

	if (e->have_speed)
		g->ifspeed = e->speed_bps;
	if (e->have_duplex)
		g->ifdirection = e->direction;
	if (e->have[HOST_ETHTOOL_RX_MCAST])
		g->in_multicast_pkts = (uint32_t)rm;
	if (e->have[HOST_ETHTOOL_RX_BCAST])
		g->in_broadcast_pkts = (uint32_t)st[HOST_ETHTOOL_RX_BCAST];
	if (e->have[HOST_ETHTOOL_RX_UCAST])
		g->in_ucast_pkts = (uint32_t)st[HOST_ETHTOOL_RX_UCAST];
	else if ((e->have[HOST_ETHTOOL_RX_MCAST] || e->have[HOST_ETHTOOL_RX_BCAST]) &&
		 !derive_ucast(ifc->have_rx_packets, ifc->rx_packets, have_rm, rm,
			       e->have[HOST_ETHTOOL_RX_BCAST], st[HOST_ETHTOOL_RX_BCAST],
			       &g->in_ucast_pkts))
		g->in_ucast_pkts = UNKNOWN32;
	if (e->have[HOST_ETHTOOL_TX_MCAST])
		g->out_multicast_pkts = (uint32_t)st[HOST_ETHTOOL_TX_MCAST];
	if (e->have[HOST_ETHTOOL_TX_BCAST])
		g->out_broadcast_pkts = (uint32_t)st[HOST_ETHTOOL_TX_BCAST];
	if (e->have[HOST_ETHTOOL_TX_UCAST])
		g->out_ucast_pkts = (uint32_t)st[HOST_ETHTOOL_TX_UCAST];
	else if ((e->have[HOST_ETHTOOL_TX_MCAST] || e->have[HOST_ETHTOOL_TX_BCAST]) &&
		 !derive_ucast(ifc->have_tx_packets, ifc->tx_packets, e->have[HOST_ETHTOOL_TX_MCAST],
			       st[HOST_ETHTOOL_TX_MCAST], e->have[HOST_ETHTOOL_TX_BCAST],
			       st[HOST_ETHTOOL_TX_BCAST], &g->out_ucast_pkts))
		g->out_ucast_pkts = UNKNOWN32;
}

static int ethtool_ioctl(int fd, const char *ifname, void *data)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strnlen(ifname, IFNAMSIZ - 1));
	ifr.ifr_data = data;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

static int read_link(int fd, const char *ifname, struct host_ethtool *out)
{
	struct {
		struct ethtool_link_settings ls;
		uint32_t masks[3 * ETHTOOL_MAX_MASK_WORDS];
	} req;
	struct ethtool_cmd cmd;

	memset(&req, 0, sizeof(req));
	req.ls.cmd = ETHTOOL_GLINKSETTINGS;
	if (ethtool_ioctl(fd, ifname, &req) == 0 && req.ls.link_mode_masks_nwords < 0) {
		req.ls.cmd = ETHTOOL_GLINKSETTINGS;
		req.ls.link_mode_masks_nwords = (int8_t)-req.ls.link_mode_masks_nwords;
		if (ethtool_ioctl(fd, ifname, &req) == 0)
			return host_ethtool_parse_link_settings(&req, sizeof(req), out);
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.cmd = ETHTOOL_GSET;
	if (ethtool_ioctl(fd, ifname, &cmd) == -1)
		return -1;
	return host_ethtool_parse_cmd(&cmd, sizeof(cmd), out);
}

/* Number of ETH_SS_STATS strings, 0 when none or unsupported. */
static size_t stats_count(int fd, const char *ifname)
{
	struct {
		struct ethtool_sset_info info;
		uint32_t data[1];
	} req;

	memset(&req, 0, sizeof(req));
	req.info.cmd = ETHTOOL_GSSET_INFO;
	req.info.sset_mask = 1ull << ETH_SS_STATS;
	if (ethtool_ioctl(fd, ifname, &req) == -1 || !(req.info.sset_mask & (1ull << ETH_SS_STATS)))
		return 0;
	return req.data[0];
}

static void read_stats(int fd, const char *ifname, struct host_ethtool *out)
{
	size_t n = stats_count(fd, ifname);
	struct ethtool_gstrings *names = NULL;
	struct ethtool_stats *vals = NULL;

	if (n == 0 || n > HOST_ETHTOOL_MAX_STATS)
		return;
	names = calloc(1, sizeof(*names) + n * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + n * sizeof(uint64_t));
	if (!names || !vals)
		goto out;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = (uint32_t)n;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = (uint32_t)n;
	/* The driver may change its list between calls: use the shorter. */
	if (ethtool_ioctl(fd, ifname, names) == 0 && ethtool_ioctl(fd, ifname, vals) == 0)
		host_ethtool_match_stats((const char *)names->data, (const uint64_t *)(void *)vals->data,
					 names->len < vals->n_stats ? names->len : vals->n_stats,
					 out);
out:
	free(names);
	free(vals);
}

int host_ethtool_read(int fd, const char *ifname, struct host_ethtool *out)
{
	memset(out, 0, sizeof(*out));
	if (strlen(ifname) >= IFNAMSIZ) {
		errno = EINVAL;
		return -1;
	}
	if (read_link(fd, ifname, out) == -1)
		return -1;
	read_stats(fd, ifname, out);
	return 0;
}
