/*
 * agent/links.h: the agent's view of the host's network devices and
 * addresses, kept current by netlink (agent/netlink.h), and what follows
 * from changes:
 *   - a device appears, is renamed or goes: the interface poller is told
 *     (if_poller_link_set/_del), so its 0:ifIndex data source starts at
 *     once, follows the new name, or stops;
 *   - an address appears or goes (or its device is renamed, for agent=):
 *     the agent address is elected again (agent/agent_addr.h) and, when it
 *     changed, handed to the sender, whose datagram sequence then restarts
 *     (a new agent address is a new agent to collectors, as in hsflowd).
 * After a resync (start, lost notifications) devices missing from the new
 * dump are dropped and the election waits for the address dump to end.
 *
 * Tables are capped (LINKS_MAX_LINKS, LINKS_MAX_ADDRS); what does not fit
 * is counted and logged once. Loop thread only.
 */
#ifndef RTFLOW_AGENT_LINKS_H
#define RTFLOW_AGENT_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"
#include "agent/if_poller.h"
#include "agent/loop.h"
#include "agent/sender.h"

#define LINKS_MAX_LINKS 512
#define LINKS_MAX_ADDRS 512

struct links;

/* Start tracking on l. ifs (may be NULL: the poller keeps scanning sysfs,
 * as with --root) and s must outlive the tracker; c is the running config
 * (kept until links_reconfigure). NULL (errno set) when the netlink socket
 * cannot be opened. */
struct links *links_new(struct loop *l, const struct agent_config *c, struct if_poller *ifs,
			struct sender *s);

/* Stop tracking and free k. NULL is a no-op. */
void links_free(struct links *k);

/* Take the reloaded config c (kept) and elect again under it. */
void links_reconfigure(struct links *k, const struct agent_config *c);

/* Devices and addresses currently known. */
size_t links_count(const struct links *k);
size_t links_addr_count(const struct links *k);

#endif
