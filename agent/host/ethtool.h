/*
 * agent/host/ethtool.h: what the SIOCETHTOOL ioctl adds to an interface's
 * if_counters (0:1): ifSpeed and ifDirection from ETHTOOL_GLINKSETTINGS
 * (ETHTOOL_GSET on kernels or drivers without it), and unicast, multicast
 * and broadcast packet counts from the driver's ETH_SS_STATS statistics
 * where it names them (rx_unicast, rx_mcast_packets, tx_broadcast ...).
 *
 * Split per STYLE B11: host_ethtool_read() is the thin ioctl I/O; the
 * parsers below are pure functions over the bytes the kernel returns and
 * are what the unit test feeds. Speed SPEED_UNKNOWN (-1) or 0 and duplex
 * DUPLEX_UNKNOWN (0xff) leave those fields unknown. A statistic absent
 * from the driver's list stays unknown; with none of them this adds
 * nothing, and the sysfs values of agent/host/ifcounters stand.
 *
 * The get ioctls need no capability. No logging; not thread-safe per
 * object.
 */
#ifndef AGENT_HOST_ETHTOOL_H
#define AGENT_HOST_ETHTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/host/ifcounters.h"

#define HOST_ETHTOOL_MAX_STATS 4096 /* driver statistics read, at most */
#define HOST_ETHTOOL_NAME_BYTES 32  /* ETH_GSTRING_LEN */

enum host_ethtool_stat {
	HOST_ETHTOOL_RX_UCAST,
	HOST_ETHTOOL_RX_MCAST,
	HOST_ETHTOOL_RX_BCAST,
	HOST_ETHTOOL_TX_UCAST,
	HOST_ETHTOOL_TX_MCAST,
	HOST_ETHTOOL_TX_BCAST,
	HOST_ETHTOOL_NSTATS,
};

struct host_ethtool {
	bool have_speed;
	uint64_t speed_bps;
	bool have_duplex;
	uint32_t direction;                     /* sFlow ifDirection: 1 full, 2 half */
	bool have[HOST_ETHTOOL_NSTATS];
	uint64_t stat[HOST_ETHTOOL_NSTATS];     /* by enum host_ethtool_stat */
};

/* Fill *out for device ifname through socket fd (any AF_INET datagram
 * socket). Returns 0 when the link settings were read (the statistics are
 * best effort), -1 with errno when neither GLINKSETTINGS nor GSET works
 * (EOPNOTSUPP for most virtual devices without ethtool ops). *out is
 * zeroed first. */
int host_ethtool_read(int fd, const char *ifname, struct host_ethtool *out);

/* Parse a struct ethtool_link_settings (GLINKSETTINGS reply, len bytes,
 * the link mode masks after it ignored) into speed and duplex. 0, or -1
 * when len is too short. */
int host_ethtool_parse_link_settings(const void *buf, size_t len, struct host_ethtool *out);

/* The same for a struct ethtool_cmd (GSET reply). */
int host_ethtool_parse_cmd(const void *buf, size_t len, struct host_ethtool *out);

/* Take the statistics named in names (n names of HOST_ETHTOOL_NAME_BYTES
 * bytes each, NUL-padded, as GSTRINGS returns them) with values[0..n)
 * (GSTATS). Known names per counter are in ethtool.c; the first match
 * wins. */
void host_ethtool_match_stats(const char *names, const uint64_t *values, size_t n,
			      struct host_ethtool *out);

/* Merge e into ifc->generic. Speed and duplex replace the sysfs values
 * when known. Counts: a driver's unicast/multicast/broadcast count
 * replaces the field; when the driver gives multicast or broadcast but not
 * unicast, unicast = the sysfs packet total - multicast (the driver's,
 * else sysfs's for receive) - broadcast, when the total is known and that
 * does not go below zero. Fields are the low 32 bits of 64-bit counts. */
void host_ethtool_apply(const struct host_ethtool *e, struct host_ifcounters *ifc);

#endif
