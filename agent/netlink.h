/*
 * agent/netlink.h: the I/O half of link and address tracking: one
 * NETLINK_ROUTE socket on the agent's loop, subscribed to RTMGRP_LINK,
 * RTMGRP_IPV4_IFADDR and RTMGRP_IPV6_IFADDR, whose bytes go through
 * netlink_parse() (agent/netlink_parse.h) to the owner's callback.
 *
 * Synchronisation: at start, and again whenever the kernel reports that
 * notifications were lost (ENOBUFS on a full receive buffer), the callback
 * first gets a NETLINK_EV_RESYNC event: everything it knew may be stale.
 * Then a dump of every link follows (LINK_NEW events ended by a DONE),
 * then a dump of every address (ADDR_NEW ... DONE), then live
 * notifications. So the first DONE after a RESYNC ends the links, the
 * second the addresses; a link absent from the first dump is gone.
 *
 * The socket is drained with a quota (NETLINK_RECV_QUOTA reads) per
 * wakeup (STYLE B8); the loop calls back while more is queued. Loop
 * thread only. Reading NETLINK_ROUTE needs no privilege, so the socket
 * works the same after the agent drops its privileges.
 */
#ifndef RTFLOW_AGENT_NETLINK_H
#define RTFLOW_AGENT_NETLINK_H

#include <stdint.h>

#include "agent/loop.h"
#include "agent/netlink_parse.h"

#define NETLINK_RECV_QUOTA 8          /* recv() calls per wakeup */
#define NETLINK_RECV_BYTES 32768      /* one recv() buffer */
#define NETLINK_RCVBUF_BYTES (1 << 20) /* SO_RCVBUF asked for */

struct netlink;

/* Open the socket, watch it on l and start the first dump (the callback
 * gets RESYNC before this returns). cb(ev, arg) is called on the loop for
 * every event. NULL (errno set) when the socket cannot be opened. */
struct netlink *netlink_new(struct loop *l, netlink_event_cb *cb, void *arg);

/* Stop watching, close the socket, free n. NULL is a no-op. */
void netlink_free(struct netlink *n);

/* Lost notifications (ENOBUFS) since start; each caused a resync. */
uint64_t netlink_overruns(const struct netlink *n);

#endif
