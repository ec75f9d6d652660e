/*
 * agent/host/adapters.h: the host_adapters record (sFlow 0:2001) built from
 * <root>/sys/class/net/<if>/{ifindex,iflink,address,type,flags}.
 *
 * An interface is listed when it is Ethernet-like (type 1), up, not
 * loopback, has a non-zero MAC, and is nobody's child or peer (iflink equals
 * ifindex: this leaves out veth peers of containers, VLANs and macvlans,
 * whose MACs belong to a container or repeat their parent's), close to
 * hsflowd's "up, non-zero MAC, non-veth-peer" rule. At most
 * HOST_ADAPTERS_MAX are kept, those with the lowest ifIndex, in ifIndex
 * order so the record is stable from poll to poll. The record points into
 * struct host_adapters and lives as long as it does. Pure: no logging.
 */
#ifndef AGENT_HOST_ADAPTERS_H
#define AGENT_HOST_ADAPTERS_H

#include <stdint.h>

#include "sflow/records.h"

#define HOST_ADAPTERS_MAX 32        /* as hsflowd; one MAC each */
#define HOST_ADAPTERS_MAX_SCAN 4096 /* directory entries looked at per read */

struct host_adapters {
	struct sfl_ctr_host_adapters rec;           /* rec.adapters.host -> list */
	struct sfl_adapter list[HOST_ADAPTERS_MAX]; /* macs -> mac[i] */
	uint8_t mac[HOST_ADAPTERS_MAX][6];
};

/* Fill *a from <root>/sys/class/net. Returns 0 (possibly with no adapter),
 * or -1 when the directory cannot be opened. */
int host_adapters_read(const char *root, struct host_adapters *a);

#endif
