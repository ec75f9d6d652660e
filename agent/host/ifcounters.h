/*
 * agent/host/ifcounters.h: the counters of one interface data source
 * 0:ifIndex, if_counters (sFlow 0:1) and port_name (0:1005), read from
 * <root>/sys/class/net/<ifname>/.
 *
 * Fields and their sources (hsflowd's choices unless said otherwise, see
 * host-sflow.md 4.2; "unknown" follows wire.md 1.5: unknown integers 0,
 * unknown counters all-ones):
 *   ifindex       ifindex (required: without it the read fails)
 *   iftype        type: ARPHRD_ETHER 1 -> 6 ethernetCsmacd, ARPHRD_LOOPBACK
 *                 772 -> 24 softwareLoopback, anything else or missing ->
 *                 1 other. hsflowd always says 6.
 *   ifspeed       speed (Mb/s) * 1e6 in bps; -1, SPEED_UNKNOWN as u32, a
 *                 read error (EINVAL on a link that is down or virtual) or
 *                 a missing file -> 0 unknown.
 *   ifdirection   duplex: "full" 1, "half" 2, anything else or missing 0.
 *   ifstatus      bit 0 admin up = IFF_UP (0x1) in flags; bit 1 oper up =
 *                 operstate "up", or operstate "unknown" with carrier "1"
 *                 (loopback, tun and many virtual drivers never report
 *                 operstate but do report carrier). "dormant", "down",
 *                 "lowerlayerdown", "testing", "notpresent" -> down.
 *                 hsflowd sets both bits from IFF_UP alone.
 *   octets        statistics/rx_bytes, tx_bytes, full 64 bits.
 *   in_multicast  statistics/multicast (the kernel's receive multicast
 *                 count; drivers that do not count multicast report 0).
 *   in_ucast      rx_packets - multicast: broadcasts are included, since
 *                 the kernel does not count them apart. hsflowd instead
 *                 sends all of rx_packets as unicast and multicast
 *                 all-ones unless ethtool gives all four mcast/bcast
 *                 counters; rtflow uses the kernel's multicast count.
 *   in_broadcast, out_multicast, out_broadcast, in_unknown_protos
 *                 all-ones: the kernel does not report them (as hsflowd).
 *   out_ucast     tx_packets (multicast and broadcast included).
 *   discards      rx_dropped, tx_dropped.
 *   errors        rx_errors, tx_errors.
 *   promiscuous   IFF_PROMISC (0x100) in flags: 1, else 0.
 * A statistics file that is missing or malformed gives that counter
 * all-ones (2^64-1 for the octets); so does in_ucast when rx_packets or
 * multicast is missing, except that a multicast count that is missing or
 * larger than rx_packets is itself unknown and leaves in_ucast =
 * rx_packets. 32-bit counters are the low 32 bits of the
 * kernel's 64-bit values: they wrap, and computing deltas across the wrap
 * is the collector's job.
 *
 * port_name is the interface name itself (not ifalias). The record points
 * into struct host_ifcounters, so it lives as long as that object and must
 * not be used from a copy. Pure: no logging, no state, not thread-safe per
 * object.
 */
#ifndef AGENT_HOST_IFCOUNTERS_H
#define AGENT_HOST_IFCOUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "sflow/records.h"

#define HOST_IFCOUNTERS_IFNAMSIZ 16 /* IFNAMSIZ, including the NUL */

struct host_ifcounters {
	struct sfl_ctr_generic generic;
	struct sfl_ctr_portname portname;     /* portname.name.ptr -> name */
	char name[HOST_IFCOUNTERS_IFNAMSIZ]; /* NUL-terminated copy of ifname */
	/* The 64-bit sysfs values behind the 32-bit fields, for
	 * agent/host/ethtool's unicast arithmetic; valid when have_*. */
	bool have_rx_packets, have_tx_packets, have_rx_mcast;
	uint64_t rx_packets, tx_packets, rx_mcast;
};

/* True when ifname can name a device directory: 1 to 15 bytes, no '/',
 * no blanks, not "." or "..". */
bool host_ifcounters_valid_name(const char *ifname);

/* Fill *out for <root>/sys/class/net/<ifname>. Returns 0, or -1 with errno
 * EINVAL when ifname is not valid, ENOENT when the device (its ifindex
 * file) is missing or its ifindex is not a positive 32-bit number. *out is
 * zeroed first, whatever the result. */
int host_ifcounters_read(const char *root, const char *ifname, struct host_ifcounters *out);

#endif
