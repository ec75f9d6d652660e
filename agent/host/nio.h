/*
 * agent/host/nio.h: the host_net_io counter record (sFlow 0:2006) summed
 * from <root>/proc/net/dev.
 *
 * Like hsflowd, the sum leaves out interfaces whose traffic other
 * interfaces already count: loopback ("lo" or IFF_LOOPBACK in
 * <root>/sys/class/net/<if>/flags), bonding masters (sysfs bonding/),
 * bridges (sysfs bridge/) and VLAN devices (<root>/proc/net/vlan/<if>).
 * Unlike hsflowd, interfaces that are down still count, so the sum does not
 * drop when a link goes down. The sum is of raw kernel counters; an
 * interface that disappears takes its share with it (keeping the sum
 * monotonic across such changes is the caller's job). 32-bit fields are cut
 * from the 64-bit sums. Pure: no logging, no state.
 */
#ifndef AGENT_HOST_NIO_H
#define AGENT_HOST_NIO_H

#include "sflow/records.h"

/* Fill *out from the files under root. Returns 0, or -1 when /proc/net/dev
 * cannot be read. Malformed lines are skipped. */
int host_nio_read(const char *root, struct sfl_ctr_host_nio *out);

#endif
