/*
 * agent/if_poller.c: polls the interface counters (see if_poller.h).
 *
 * The sequence table is a small array searched linearly (256 entries at
 * most, once per interface per poll). Each entry carries the number of
 * the last poll that saw it; after a poll the entries it did not see are
 * dropped by compacting the array in place.
 */
#include "agent/if_poller.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/host/ethtool.h"
#include "agent/host/ifcounters.h"
#include "agent/host/procfile.h"
#include "common/log.h"
#include "sflow/sflow.h"

#define IF_POLLER_ROOT_BYTES 4096
#define IF_POLLER_COMPACT_MAX 0xffffffu /* 2^24 - 1: largest 0:2 source index */
#define IF_POLLER_LOOPBACK_IFTYPE 24    /* softwareLoopback, from ARPHRD_LOOPBACK */

struct if_seq {
	uint32_t ifindex;
	uint32_t seq;       /* last sample sequence number sent */
	uint64_t seen;      /* number of the last poll that saw it */
};

/* A device known from netlink (tracked mode). */
struct if_link {
	uint32_t ifindex;
	char name[HOST_IFCOUNTERS_IFNAMSIZ];
	bool announce;      /* sample it at the announce timer */
};

struct if_poller {
	struct loop *loop;
	struct sender *sender;
	char root[IF_POLLER_ROOT_BYTES];
	uint32_t polling_s;           /* 0 = off */
	uint64_t timer;               /* pending poll timer id, 0 = none */
	uint64_t polls;               /* polls done, numbers entries' `seen` */
	uint64_t excess;              /* samples not sent for want of an entry */
	bool excess_logged;
	struct log_limit read_limit;  /* one read/send failure line a minute */
	size_t n;                     /* entries in use */
	struct if_seq seqs[IF_POLLER_MAX_IFS];
	struct host_ifcounters ifc;   /* the interface being sent */
	int ethtool_fd;               /* socket for SIOCETHTOOL; -1 under a --root */
	struct host_ethtool eth;      /* ethtool view of the interface being sent */
	bool tracked;                 /* links[] replaces the sys/class/net scan */
	uint64_t announce_timer;      /* pending announce timer id, 0 = none */
	size_t nlinks;
	struct if_link links[IF_POLLER_MAX_IFS];
};

static void poll_cb(struct loop *l, void *arg);

static void arm(struct if_poller *p, uint64_t delay_ms)
{
	if (p->timer != 0)
		loop_timer_del(p->loop, p->timer);
	p->timer = 0;
	if (p->polling_s == 0)
		return;
	p->timer = loop_timer_add(p->loop, delay_ms, poll_cb, p);
	if (p->timer == 0)
		log_msg(LOG_ERR, "if_poller: no timer slot; interface counters stop");
}

struct if_poller *if_poller_new(struct loop *l, struct sender *s, const char *root,
				const struct agent_config *c)
{
	struct if_poller *p;

	if (strlen(root) >= IF_POLLER_ROOT_BYTES)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = l;
	p->sender = s;
	memcpy(p->root, root, strlen(root) + 1);
	/* ethtool describes the live devices, not a fixture tree. */
	p->ethtool_fd = strcmp(root, "/") == 0
				? socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)
				: -1;
	p->polling_s = c->polling_s;
	if (p->polling_s > 0)
		arm(p, loop_random_phase_ms((uint64_t)p->polling_s * 1000));
	return p;
}

void if_poller_free(struct if_poller *p)
{
	if (!p)
		return;
	if (p->timer != 0)
		loop_timer_del(p->loop, p->timer);
	if (p->announce_timer != 0)
		loop_timer_del(p->loop, p->announce_timer);
	if (p->ethtool_fd != -1)
		close(p->ethtool_fd);
	free(p);
}

void if_poller_reconfigure(struct if_poller *p, const struct agent_config *c)
{
	uint32_t old = p->polling_s;

	p->polling_s = c->polling_s;
	if (p->polling_s != old || p->timer == 0)
		arm(p, p->polling_s ? loop_random_phase_ms((uint64_t)p->polling_s * 1000) : 0);
}

static void poll_cb(struct loop *l, void *arg)
{
	struct if_poller *p = arg;

	(void)l;
	p->timer = 0;
	if_poller_poll(p, loop_now_ms());
	arm(p, (uint64_t)p->polling_s * 1000);
}

/* Index of ifindex's entry, or p->n when it has none. */
static size_t find(const struct if_poller *p, uint32_t ifindex)
{
	size_t i = 0;

	while (i < p->n && p->seqs[i].ifindex != ifindex)
		i++;
	return i;
}

/* The entry of ifindex, a new one if there is room, else NULL (counted). */
static struct if_seq *entry_of(struct if_poller *p, uint32_t ifindex)
{
	size_t i = find(p, ifindex);
	struct if_seq *e;

	if (i < p->n)
		return &p->seqs[i];
	if (p->n == IF_POLLER_MAX_IFS) {
		p->excess++;
		if (!p->excess_logged)
			log_msg(LOG_WARNING,
				"if_poller: more than %d interfaces; the rest are not sent",
				IF_POLLER_MAX_IFS);
		p->excess_logged = true;
		return NULL;
	}
	e = &p->seqs[p->n++];
	*e = (struct if_seq){ .ifindex = ifindex };
	return e;
}

/* Drop the entries the current poll did not see. */
static void forget_unseen(struct if_poller *p)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->n; i++) {
		if (p->seqs[i].seen == p->polls)
			p->seqs[kept++] = p->seqs[i];
	}
	p->n = kept;
}

/* Send p->ifc as one sample. True when it was placed. */
static bool send_one(struct if_poller *p, struct if_seq *e, uint64_t now_ms)
{
	uint32_t ifindex = p->ifc.generic.ifindex;
	struct sfl_sample s = {
		.tag = ifindex <= IF_POLLER_COMPACT_MAX ? SFL_SAMPLE_COUNTERS
							: SFL_SAMPLE_COUNTERS_EXPANDED,
		.seq = e->seq + 1,
		.ds_class = IF_POLLER_DS_CLASS,
		.ds_index = ifindex,
	};
	struct sfl_record recs[2] = {
		{ .tag = SFL_CTR_GENERIC, .kind = SFL_KIND_COUNTERS, .known = true,
		  .v.generic = p->ifc.generic },
		{ .tag = SFL_CTR_PORTNAME, .kind = SFL_KIND_COUNTERS, .known = true,
		  .v.portname = p->ifc.portname },
	};

	if (sender_add_sample(p->sender, &s, recs, 2, now_ms) == -1) {
		log_every(&p->read_limit, 60, LOG_WARNING,
			  "if_poller: sample of %s does not fit a datagram", p->ifc.name);
		return false;
	}
	e->seq = s.seq;
	return true;
}

/* Read device ifname and send it unless it is loopback. 1 when sent. */
static size_t poll_one(struct if_poller *p, const char *ifname, uint64_t now_ms)
{
	struct if_seq *e;

	if (!host_ifcounters_valid_name(ifname) ||
	    host_ifcounters_read(p->root, ifname, &p->ifc) == -1)
		return 0;
	if (strcmp(ifname, "lo") == 0 || p->ifc.generic.iftype == IF_POLLER_LOOPBACK_IFTYPE)
		return 0;
	if (p->ethtool_fd != -1 && host_ethtool_read(p->ethtool_fd, ifname, &p->eth) == 0)
		host_ethtool_apply(&p->eth, &p->ifc);
	e = entry_of(p, p->ifc.generic.ifindex);
	if (!e)
		return 0;
	e->seen = p->polls;
	return send_one(p, e, now_ms) ? 1 : 0;
}

size_t if_poller_poll(struct if_poller *p, uint64_t now_ms)
{
	char path[HOST_PROCFILE_MAX_PATH];
	struct dirent *de;
	size_t sent = 0;
	DIR *dir;

	p->polls++;
	if (p->tracked) {
		for (size_t i = 0; i < p->nlinks; i++)
			sent += poll_one(p, p->links[i].name, now_ms);
		forget_unseen(p);
		return sent;
	}
	if (host_procfile_path(path, sizeof(path), p->root, "sys/class/net") == -1 ||
	    !(dir = opendir(path))) {
		log_every(&p->read_limit, 60, LOG_WARNING,
			  "if_poller: cannot read sys/class/net under %s", p->root);
		forget_unseen(p);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] != '.')
			sent += poll_one(p, de->d_name, now_ms);
	}
	closedir(dir);
	forget_unseen(p);
	return sent;
}

uint32_t if_poller_seq(const struct if_poller *p, uint32_t ifindex)
{
	size_t i = find(p, ifindex);

	return i < p->n ? p->seqs[i].seq : 0;
}

size_t if_poller_count(const struct if_poller *p)
{
	return p->n;
}

uint64_t if_poller_excess(const struct if_poller *p)
{
	return p->excess;
}

static void announce_cb(struct loop *l, void *arg)
{
	struct if_poller *p = arg;
	uint64_t now_ms = loop_now_ms();

	(void)l;
	p->announce_timer = 0;
	for (size_t i = 0; i < p->nlinks; i++) {
		if (p->links[i].announce) {
			p->links[i].announce = false;
			poll_one(p, p->links[i].name, now_ms);
		}
	}
}

/* Index of ifindex in links[], or p->nlinks. */
static size_t link_find(const struct if_poller *p, uint32_t ifindex)
{
	size_t i = 0;

	while (i < p->nlinks && p->links[i].ifindex != ifindex)
		i++;
	return i;
}

void if_poller_link_set(struct if_poller *p, uint32_t ifindex, const char *name, bool announce)
{
	size_t i = link_find(p, ifindex);
	struct if_link *k;

	p->tracked = true;
	if (i == p->nlinks) {
		if (p->nlinks == IF_POLLER_MAX_IFS) {
			p->excess++;
			return;
		}
		p->nlinks++;
		p->links[i] = (struct if_link){ .ifindex = ifindex };
	}
	k = &p->links[i];
	if (strcmp(k->name, name) == 0)
		return;
	snprintf(k->name, sizeof(k->name), "%s", name);
	k->announce = announce;
	if (announce && p->announce_timer == 0 && p->polling_s > 0)
		p->announce_timer = loop_timer_add(p->loop, IF_POLLER_ANNOUNCE_MS, announce_cb, p);
}

void if_poller_link_del(struct if_poller *p, uint32_t ifindex)
{
	size_t i = link_find(p, ifindex), j = find(p, ifindex);

	p->tracked = true;
	if (i < p->nlinks)
		p->links[i] = p->links[--p->nlinks];
	if (j < p->n)
		p->seqs[j] = p->seqs[--p->n];
}
