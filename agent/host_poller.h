/*
 * agent/host_poller.h: the host data source 2:1 (physicalEntity 1, as
 * hsflowd): every `polling` seconds one compact (0:2) counters sample with
 * records 2000 host_descr, 2001 host_adapters, 2003 cpu, 2004 memory, 2005
 * disk, 2006 net I/O and 2007-2010 IP/ICMP/TCP/UDP, read by the agent/host readers
 * under a root directory ("/" in production, a fixture tree in tests), and
 * handed to the sender.
 *
 * The first poll comes at a random phase within the interval (uniform
 * 1 ms .. interval), later ones every interval after, so many agents
 * started together do not poll in step. polling=0 stops polling. A record
 * whose reader fails is left out of that sample (logged at most once a
 * minute); the sample goes out with the rest. The sample sequence number
 * counts from 1 and survives reconfiguration. Loop thread only.
 */
#ifndef RTFLOW_AGENT_HOST_POLLER_H
#define RTFLOW_AGENT_HOST_POLLER_H

#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"
#include "common/log.h"
#include "agent/loop.h"
#include "agent/sender.h"

#define HOST_POLLER_DS_CLASS 2 /* SFL_DS_PHYSICAL */
#define HOST_POLLER_DS_INDEX 1
#define HOST_POLLER_MAX_RECORDS 11

struct host_poller;

/* A poller reading under root (copied) and sending through s (not owned,
 * must outlive the poller), with config c's polling interval and uuid.
 * Schedules its first poll on l. NULL on out of memory or a root path
 * too long. */
struct host_poller *host_poller_new(struct loop *l, struct sender *s, const char *root,
				    const struct agent_config *c);

/* Cancel the poll timer and free p. NULL is a no-op. */
void host_poller_free(struct host_poller *p);

/* Take a reloaded config (c is not kept): a changed interval re-arms the
 * timer at a fresh random phase; the sequence number goes on. */
void host_poller_reconfigure(struct host_poller *p, const struct agent_config *c);

/* Read the counters now and hand one sample to the sender. Returns the
 * number of records in it (0: nothing could be read, nothing sent). */
size_t host_poller_poll(struct host_poller *p, uint64_t now_ms);

/* Sample sequence number of the last sample sent (0 before the first). */
uint32_t host_poller_seq(const struct host_poller *p);

#endif
