/*
 * agent/host/ifcounters.c: if_counters (0:1) and port_name (0:1005) of one
 * interface from sysfs (contract in ifcounters.h).
 *
 * Every attribute is a small one-line file read with
 * host_procfile_read_str(); a missing, unreadable or malformed file makes
 * that one field unknown and never fails the read, except ifindex, without
 * which there is no data source.
 */
#include "agent/host/ifcounters.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/host/procfile.h"

#define IFC_IFF_UP 0x1
#define IFC_IFF_PROMISC 0x100
#define IFC_ARPHRD_ETHER 1
#define IFC_ARPHRD_LOOPBACK 772
#define IFC_IFTYPE_OTHER 1
#define IFC_IFTYPE_ETHERNET 6 /* ethernetCsmacd */
#define IFC_IFTYPE_LOOPBACK 24 /* softwareLoopback */
#define IFC_SPEED_UNKNOWN_U32 4294967295u /* SPEED_UNKNOWN (-1) printed as u32 */
#define IFC_BPS_PER_MBPS 1000000u
#define IFC_UNKNOWN32 UINT32_MAX
#define IFC_UNKNOWN64 UINT64_MAX

/* Small text attribute <root>/sys/class/net/<ifname>/<file> into text. */
static bool read_attr(const char *root, const char *ifname, const char *file, char *text,
		      size_t cap)
{
	char rel[96];
	int n = snprintf(rel, sizeof(rel), "sys/class/net/%s/%s", ifname, file);

	if (n < 0 || (size_t)n >= sizeof(rel))
		return false;
	return host_procfile_read_str(root, rel, text, cap) > 0;
}

/* Unsigned decimal attribute, the whole file one number. */
static bool read_u64(const char *root, const char *ifname, const char *file, uint64_t *v)
{
	char text[32];
	const char *p = text;

	return read_attr(root, ifname, file, text, sizeof(text)) && host_procfile_u64(&p, v) &&
	       *p == '\0';
}

/* "0x1003"-style hex attribute (flags). */
static bool read_hex(const char *root, const char *ifname, const char *file, uint64_t *v)
{
	char text[32];
	const char *p;

	if (!read_attr(root, ifname, file, text, sizeof(text)) || strncmp(text, "0x", 2) != 0 ||
	    text[2] == '\0' || strlen(text) > 18) /* 16 hex digits at most */
		return false;
	*v = 0;
	for (p = text + 2; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return false;
		*v = *v * 16 + (uint64_t)d;
	}
	return true;
}

static bool attr_is(const char *root, const char *ifname, const char *file, const char *want)
{
	char text[32];

	return read_attr(root, ifname, file, text, sizeof(text)) && strcmp(text, want) == 0;
}

static uint32_t iftype_of(const char *root, const char *ifname)
{
	uint64_t t;

	if (!read_u64(root, ifname, "type", &t))
		return IFC_IFTYPE_OTHER;
	if (t == IFC_ARPHRD_ETHER)
		return IFC_IFTYPE_ETHERNET;
	if (t == IFC_ARPHRD_LOOPBACK)
		return IFC_IFTYPE_LOOPBACK;
	return IFC_IFTYPE_OTHER;
}

/* ifSpeed in bps, 0 when unknown. "-1" fails read_u64 (no digit at '-'). */
static uint64_t speed_bps_of(const char *root, const char *ifname)
{
	uint64_t mbps;

	if (!read_u64(root, ifname, "speed", &mbps) || mbps == IFC_SPEED_UNKNOWN_U32 ||
	    mbps > UINT64_MAX / IFC_BPS_PER_MBPS)
		return 0;
	return mbps * IFC_BPS_PER_MBPS;
}

static uint32_t direction_of(const char *root, const char *ifname)
{
	char text[16];

	if (!read_attr(root, ifname, "duplex", text, sizeof(text)))
		return 0;
	if (strcmp(text, "full") == 0)
		return 1;
	if (strcmp(text, "half") == 0)
		return 2;
	return 0;
}

static bool oper_up(const char *root, const char *ifname)
{
	char text[32];

	if (!read_attr(root, ifname, "operstate", text, sizeof(text)))
		return false;
	if (strcmp(text, "up") == 0)
		return true;
	return strcmp(text, "unknown") == 0 && attr_is(root, ifname, "carrier", "1");
}

/* statistics/<file>, or false when missing or malformed. */
static bool stat_of(const char *root, const char *ifname, const char *file, uint64_t *v)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "statistics/%s", file);
	return read_u64(root, ifname, rel, v);
}

/* Low 32 bits of statistics/<file>, all-ones when unknown. */
static uint32_t stat32(const char *root, const char *ifname, const char *file)
{
	uint64_t v;

	return stat_of(root, ifname, file, &v) ? (uint32_t)v : IFC_UNKNOWN32;
}

static uint64_t stat64(const char *root, const char *ifname, const char *file)
{
	uint64_t v;

	return stat_of(root, ifname, file, &v) ? v : IFC_UNKNOWN64;
}

bool host_ifcounters_valid_name(const char *ifname)
{
	size_t n = ifname ? strlen(ifname) : 0;

	return n > 0 && n < HOST_IFCOUNTERS_IFNAMSIZ && !strpbrk(ifname, "/ \t\n") &&
	       strcmp(ifname, ".") != 0 && strcmp(ifname, "..") != 0;
}

int host_ifcounters_read(const char *root, const char *ifname, struct host_ifcounters *out)
{
	struct sfl_ctr_generic *g = &out->generic;
	uint64_t ifindex, flags = 0, rx_pkts, mcast;
	bool have_pkts, have_mcast;

	memset(out, 0, sizeof(*out));
	if (!host_ifcounters_valid_name(ifname)) {
		errno = EINVAL;
		return -1;
	}
	if (!read_u64(root, ifname, "ifindex", &ifindex) || ifindex == 0 || ifindex > UINT32_MAX) {
		errno = ENOENT;
		return -1;
	}
	g->ifindex = (uint32_t)ifindex;
	g->iftype = iftype_of(root, ifname);
	g->ifspeed = speed_bps_of(root, ifname);
	g->ifdirection = direction_of(root, ifname);
	if (!read_hex(root, ifname, "flags", &flags))
		flags = 0;
	g->ifstatus = ((flags & IFC_IFF_UP) ? 1u : 0u) | (oper_up(root, ifname) ? 2u : 0u);
	g->promiscuous_mode = (flags & IFC_IFF_PROMISC) ? 1 : 0;

	g->in_octets = stat64(root, ifname, "rx_bytes");
	have_pkts = stat_of(root, ifname, "rx_packets", &rx_pkts);
	have_mcast = stat_of(root, ifname, "multicast", &mcast) && (!have_pkts || mcast <= rx_pkts);
	g->in_multicast_pkts = have_mcast ? (uint32_t)mcast : IFC_UNKNOWN32;
	if (!have_pkts)
		g->in_ucast_pkts = IFC_UNKNOWN32;
	else
		g->in_ucast_pkts = (uint32_t)(have_mcast ? rx_pkts - mcast : rx_pkts);
	g->in_broadcast_pkts = IFC_UNKNOWN32;
	g->in_discards = stat32(root, ifname, "rx_dropped");
	g->in_errors = stat32(root, ifname, "rx_errors");
	g->in_unknown_protos = IFC_UNKNOWN32;

	out->have_rx_packets = have_pkts;
	out->rx_packets = have_pkts ? rx_pkts : 0;
	out->have_rx_mcast = have_mcast;
	out->rx_mcast = have_mcast ? mcast : 0;
	out->have_tx_packets = stat_of(root, ifname, "tx_packets", &out->tx_packets);
	g->out_octets = stat64(root, ifname, "tx_bytes");
	g->out_ucast_pkts = out->have_tx_packets ? (uint32_t)out->tx_packets : IFC_UNKNOWN32;
	g->out_multicast_pkts = IFC_UNKNOWN32;
	g->out_broadcast_pkts = IFC_UNKNOWN32;
	g->out_discards = stat32(root, ifname, "tx_dropped");
	g->out_errors = stat32(root, ifname, "tx_errors");

	memcpy(out->name, ifname, strlen(ifname) + 1);
	out->portname.name.ptr = out->name;
	out->portname.name.len = (uint32_t)strlen(out->name);
	return 0;
}
