/*
 * agent/if_poller.h: the interface data sources 0:ifIndex (as hsflowd,
 * host-sflow.md 4.2): every `polling` seconds, for every device under
 * <root>/sys/class/net but loopback (type 772 or name "lo"), one counters
 * sample with records 0:1 if_counters and 0:1005 port_name, read by
 * agent/host/ifcounters, with speed, duplex and the unicast/multicast/
 * broadcast counts of agent/host/ethtool merged in when reading the live
 * system (root "/"), handed to the sender. The sample is compact (0:2)
 * when ifIndex < 2^24, else expanded (0:4).
 *
 * Each data source has its own sample sequence number, counting from 1,
 * kept across polls and reconfiguration in a table of IF_POLLER_MAX_IFS
 * entries keyed by ifIndex. An interface absent from a poll leaves the
 * table (a later one with that ifIndex counts from 1 again). Interfaces
 * beyond the table's size are not sent: they are counted
 * (if_poller_excess()) and logged once. A device that cannot be read
 * (no valid ifindex) is skipped silently; a missing sys/class/net is
 * logged at most once a minute.
 *
 * The first poll comes at a random phase within the interval, later ones
 * every interval after; polling=0 stops polling. Loop thread only.
 */
#ifndef RTFLOW_AGENT_IF_POLLER_H
#define RTFLOW_AGENT_IF_POLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"
#include "agent/loop.h"
#include "agent/sender.h"

#define IF_POLLER_DS_CLASS 0 /* SFL_DS_IFINDEX */
#define IF_POLLER_MAX_IFS 256
#define IF_POLLER_ANNOUNCE_MS 200 /* a new or renamed device is sampled this soon */

struct if_poller;

/* A poller reading under root (copied) and sending through s (not owned,
 * must outlive the poller), with config c's polling interval. Schedules
 * its first poll on l. NULL on out of memory or a root path too long. */
struct if_poller *if_poller_new(struct loop *l, struct sender *s, const char *root,
				const struct agent_config *c);

/* Cancel the poll timer and free p. NULL is a no-op. */
void if_poller_free(struct if_poller *p);

/* Take a reloaded config (c is not kept): a changed interval re-arms the
 * timer at a fresh random phase; the sequence numbers go on. */
void if_poller_reconfigure(struct if_poller *p, const struct agent_config *c);

/* Read every interface now and hand one sample each to the sender.
 * Returns the number of samples sent. */
size_t if_poller_poll(struct if_poller *p, uint64_t now_ms);

/* Netlink tracking (agent/links). From the first call on, a poll reads
 * only the devices named here (under root) instead of scanning
 * sys/class/net. With `announce`, a device new to the list, or renamed,
 * gets one sample within IF_POLLER_ANNOUNCE_MS (its data source appears
 * at once, not at the next poll); the agent's first sync passes false so
 * that the first samples keep their random phase. Past IF_POLLER_MAX_IFS devices the rest are counted in
 * if_poller_excess(). */
void if_poller_link_set(struct if_poller *p, uint32_t ifindex, const char *name,
			bool announce);

/* The device ifindex is gone: no more samples, and its sequence number is
 * forgotten (a new device with that ifIndex counts from 1). */
void if_poller_link_del(struct if_poller *p, uint32_t ifindex);

/* Sequence number of the last sample sent for ifindex (0: none, or not in
 * the table). */
uint32_t if_poller_seq(const struct if_poller *p, uint32_t ifindex);

/* Number of interfaces in the table (sent in the last poll). */
size_t if_poller_count(const struct if_poller *p);

/* Interface samples not sent for want of a table entry, since start. */
uint64_t if_poller_excess(const struct if_poller *p);

#endif
