/*
 * agent/links.c: device and address tables fed by netlink events
 * (contract in links.h).
 *
 * Both tables are small arrays searched linearly: a host has tens of
 * devices, and events come at human speed, not per packet. Removal moves
 * the last entry into the hole; the election does not depend on table
 * order (ties go by ifIndex, then by the `order` stamped when an address
 * was first seen).
 */
#include "agent/links.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_addr.h"
#include "agent/netlink.h"
#include "common/log.h"
#include "sflow/sflow.h"

struct link {
	uint32_t ifindex;
	char name[NETLINK_PARSE_IFNAMSIZ];
	bool loopback, vlan;
	bool stale;          /* not yet seen in the current resync's dump */
};

struct links {
	struct loop *loop;
	const struct agent_config *config;
	struct if_poller *ifs;
	struct sender *sender;
	struct netlink *nl;
	unsigned dones;          /* DONE events since the last RESYNC */
	bool synced;             /* both dumps of the first resync have ended */
	bool no_addr_logged;
	bool full_logged;
	uint64_t order;          /* stamps addresses in discovery order */
	size_t nlinks, naddrs;
	struct link links[LINKS_MAX_LINKS];
	struct agent_addr_cand addrs[LINKS_MAX_ADDRS];
};

static const char *addr_text(const struct sfl_address *a, char *buf, size_t cap)
{
	if (!inet_ntop(a->type == SFL_ADDR_IP6 ? AF_INET6 : AF_INET, a->addr, buf, (socklen_t)cap))
		snprintf(buf, cap, "?");
	return buf;
}

static void elect(struct links *k)
{
	struct sfl_address now, was = k->sender->hdr.agent;
	char t1[INET6_ADDRSTRLEN], t2[INET6_ADDRSTRLEN];

	if (k->dones < 2)
		return; /* a resync's address dump has not ended yet */
	if (agent_addr_elect(k->config, k->addrs, k->naddrs, &now) == -1) {
		if (!k->no_addr_logged)
			log_msg(LOG_WARNING, "links: no address to elect; agent address stays %s",
				addr_text(&was, t1, sizeof(t1)));
		k->no_addr_logged = true;
		return;
	}
	k->no_addr_logged = false;
	if (sender_set_agent_address(k->sender, &now, loop_now_ms()))
		log_msg(LOG_INFO, "links: agent address %s (was %s)", addr_text(&now, t1, sizeof(t1)),
			addr_text(&was, t2, sizeof(t2)));
}

static void table_full(struct links *k, int max, const char *what)
{
	if (!k->full_logged)
		log_msg(LOG_WARNING, "links: more than %d %s; the rest are ignored", max, what);
	k->full_logged = true;
}

static struct link *link_of(struct links *k, uint32_t ifindex)
{
	for (size_t i = 0; i < k->nlinks; i++) {
		if (k->links[i].ifindex == ifindex)
			return &k->links[i];
	}
	return NULL;
}

/* Copy device facts into every address of ifindex. */
static void addrs_follow_link(struct links *k, const struct link *ln)
{
	for (size_t i = 0; i < k->naddrs; i++) {
		struct agent_addr_cand *c = &k->addrs[i];

		if (c->ifindex != ln->ifindex)
			continue;
		snprintf(c->ifname, sizeof(c->ifname), "%s", ln->name);
		c->loopback_dev = ln->loopback;
		c->vlan_dev = ln->vlan;
	}
}

static void on_link_new(struct links *k, const struct netlink_link *nl)
{
	struct link *ln = link_of(k, nl->ifindex);
	bool renamed;

	if (!ln) {
		if (k->nlinks == LINKS_MAX_LINKS) {
			table_full(k, LINKS_MAX_LINKS, "devices");
			return;
		}
		ln = &k->links[k->nlinks++];
		*ln = (struct link){ .ifindex = nl->ifindex };
	}
	renamed = strcmp(ln->name, nl->name) != 0;
	snprintf(ln->name, sizeof(ln->name), "%s", nl->name);
	ln->loopback = (nl->flags & IFF_LOOPBACK) != 0;
	ln->vlan = strcmp(nl->kind, "vlan") == 0;
	ln->stale = false;
	if (k->ifs && nl->name[0] != '\0')
		if_poller_link_set(k->ifs, ln->ifindex, ln->name, k->synced);
	addrs_follow_link(k, ln);
	if (renamed && k->config->agent_dev[0] != '\0')
		elect(k);
}

static void addrs_drop_link(struct links *k, uint32_t ifindex)
{
	size_t i = 0;

	while (i < k->naddrs) {
		if (k->addrs[i].ifindex == ifindex)
			k->addrs[i] = k->addrs[--k->naddrs];
		else
			i++;
	}
}

static void link_drop(struct links *k, struct link *ln)
{
	uint32_t ifindex = ln->ifindex;

	*ln = k->links[--k->nlinks];
	addrs_drop_link(k, ifindex);
	if (k->ifs)
		if_poller_link_del(k->ifs, ifindex);
}

static struct agent_addr_cand *addr_of(struct links *k, const struct netlink_addr *a)
{
	for (size_t i = 0; i < k->naddrs; i++) {
		struct agent_addr_cand *c = &k->addrs[i];

		if (c->ifindex == a->ifindex && c->family == a->family &&
		    memcmp(c->addr, a->addr, a->family == AF_INET ? 4 : 16) == 0)
			return c;
	}
	return NULL;
}

static void on_addr_new(struct links *k, const struct netlink_addr *a)
{
	struct agent_addr_cand *c = addr_of(k, a);
	const struct link *ln = link_of(k, a->ifindex);

	if (!c) {
		if (k->naddrs == LINKS_MAX_ADDRS) {
			table_full(k, LINKS_MAX_ADDRS, "addresses");
			return;
		}
		c = &k->addrs[k->naddrs++];
		*c = (struct agent_addr_cand){ .family = a->family, .ifindex = a->ifindex,
					       .order = ++k->order };
		memcpy(c->addr, a->addr, sizeof(c->addr));
	}
	c->learnt = (a->flags & IFA_F_PERMANENT) == 0;
	if (ln) {
		snprintf(c->ifname, sizeof(c->ifname), "%s", ln->name);
		c->loopback_dev = ln->loopback;
		c->vlan_dev = ln->vlan;
	}
	elect(k);
}

static void on_addr_del(struct links *k, const struct netlink_addr *a)
{
	struct agent_addr_cand *c = addr_of(k, a);

	if (c) {
		*c = k->addrs[--k->naddrs];
		elect(k);
	}
}

/* A RESYNC starts: everything may be stale. */
static void on_resync(struct links *k)
{
	k->dones = 0;
	k->naddrs = 0;
	for (size_t i = 0; i < k->nlinks; i++)
		k->links[i].stale = true;
}

/* The end of a dump: the first ends the links (sweep the stale ones),
 * the second the addresses (elect). */
static void on_done(struct links *k)
{
	size_t i = 0;

	if (++k->dones == 1) {
		while (i < k->nlinks) {
			if (k->links[i].stale)
				link_drop(k, &k->links[i]);
			else
				i++;
		}
		return;
	}
	if (k->dones == 2) {
		k->synced = true;
		elect(k);
	}
}

static void on_event(const struct netlink_event *ev, void *arg)
{
	struct links *k = arg;
	struct link *ln;

	switch (ev->type) {
	case NETLINK_EV_LINK_NEW: on_link_new(k, &ev->u.link); break;
	case NETLINK_EV_LINK_DEL:
		ln = link_of(k, ev->u.link.ifindex);
		if (ln) {
			link_drop(k, ln);
			elect(k);
		}
		break;
	case NETLINK_EV_ADDR_NEW: on_addr_new(k, &ev->u.addr); break;
	case NETLINK_EV_ADDR_DEL: on_addr_del(k, &ev->u.addr); break;
	case NETLINK_EV_RESYNC: on_resync(k); break;
	case NETLINK_EV_DONE:
	case NETLINK_EV_ERROR: on_done(k); break;
	}
}

struct links *links_new(struct loop *l, const struct agent_config *c, struct if_poller *ifs,
			struct sender *s)
{
	struct links *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->loop = l;
	k->config = c;
	k->ifs = ifs;
	k->sender = s;
	k->nl = netlink_new(l, on_event, k);
	if (!k->nl) {
		free(k);
		return NULL;
	}
	return k;
}

void links_free(struct links *k)
{
	if (!k)
		return;
	netlink_free(k->nl);
	free(k);
}

void links_reconfigure(struct links *k, const struct agent_config *c)
{
	k->config = c;
	elect(k);
}

size_t links_count(const struct links *k)
{
	return k->nlinks;
}

size_t links_addr_count(const struct links *k)
{
	return k->naddrs;
}
