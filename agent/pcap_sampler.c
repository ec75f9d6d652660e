/*
 * agent/pcap_sampler.c: the pcap { } captures and their data sources (see
 * pcap_sampler.h).
 *
 * A fixed table of slots, one per tapped interface name; a slot outlives
 * its capture (down, failed, reopened) so the sequence number, pool and
 * drops of data source 0:ifIndex go on, and is released when its device
 * leaves /sys/class/net, no block takes it any more, or its ifIndex
 * changes (a new device under an old name is a new data source).
 */
#include "agent/pcap_sampler.h"

#include <dirent.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/flow_sample.h"
#include "agent/host/ifcounters.h"
#include "agent/host/procfile.h"
#include "agent/pcap_tap.h"
#include "common/log.h"

#define SYS_NET "/sys/class/net"
#define ARPHRD_LOOPBACK_TYPE 772
#define IFF_UP_FLAG 0x1u
#define BPS_PER_MBPS 1000000u
#define SPEED_UNKNOWN_U32 4294967295u /* SPEED_UNKNOWN (-1) printed as u32 */

/* What the scan reads of one device. */
struct dev_info {
	uint32_t ifindex, iflink, type;
	uint64_t flags, speed_bps;
	bool has_mac;
	uint8_t mac[6];
};

/* A packet read and not yet sent, with its bytes. */
struct batch_pkt {
	struct flow_sample_packet pkt;     /* pkt.data -> data */
	uint8_t data[PCAP_SAMPLER_MAX_HEADER];
};

struct slot {
	struct pcap_sampler *owner;
	bool used;               /* holds a data source */
	bool seen;               /* wanted by the current scan */
	char dev[PCAP_TAP_DEV_BYTES];
	uint32_t ifindex;
	bool promisc;
	uint32_t seq;            /* last sample sequence number */
	uint64_t pool;           /* sample_pool of the last sample sent */
	uint64_t true_pool;      /* packets at the tap since the source began */
	uint64_t pool_mark;      /* counters at the last refresh */
	bool have_mark;          /* pool_mark is valid: pool from counters */
	uint64_t drops;
	uint64_t drops_ms;       /* when drops were last read */
	uint64_t resume_timer;   /* quota used up: come back, 0 = none */
	struct pcap_tap tap;
	struct log_limit lim;
};

struct pcap_sampler {
	struct loop *loop;
	struct sender *sender;
	const struct agent_config *config;
	uint64_t rescan_timer;
	uint64_t rescan_due_ms;            /* when rescan_timer fires */
	int link_fd;                       /* rtnetlink link events, -1 = none */
	bool links_failed;                 /* could not subscribe: poll instead */
	uint64_t now_ms;                   /* time of the batch being read */
	bool excess_logged;
	bool found[AGENT_CONFIG_MAX_PCAPS]; /* dev= of block i exists (last scan) */
	struct log_limit missing_lim[AGENT_CONFIG_MAX_PCAPS];
	struct flow_sample_macs macs;
	struct pcap_sampler_stats stats;
	size_t batch_n;                     /* packets in batch */
	struct batch_pkt batch[PCAP_SAMPLER_QUOTA];
	struct slot slots[PCAP_SAMPLER_MAX_TAPS];
};

static void drain(struct slot *s, uint32_t events);

static void close_tap(struct slot *s)
{
	if (s->resume_timer != 0)
		loop_timer_del(s->owner->loop, s->resume_timer);
	s->resume_timer = 0;
	if (s->tap.fd != -1)
		loop_del_fd(s->owner->loop, s->tap.fd);
	pcap_tap_close(&s->tap);
}

static void finish_tap(struct slot *s);

static void release(struct slot *s)
{
	struct pcap_sampler *owner = s->owner;

	finish_tap(s);
	memset(s, 0, sizeof(*s));
	s->owner = owner;
	pcap_tap_init(&s->tap);
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	(void)l;
	(void)fd;
	drain(arg, events);
}

static void resume_cb(struct loop *l, void *arg)
{
	struct slot *s = arg;

	(void)l;
	s->resume_timer = 0;
	if (s->tap.pcap)
		drain(s, 0);
}

/* Read the counters now into true_pool, and the kernel drops when they
 * were last read PCAP_SAMPLER_DROPS_MS ago or more (see pool and drops in
 * pcap_sampler.h). */
static void refresh(struct slot *s)
{
	uint64_t pkts, now_ms = s->owner->now_ms;
	uint32_t d;

	if (pcap_tap_packets(&s->tap, &pkts)) {
		if (s->have_mark && pkts >= s->pool_mark)
			s->true_pool += pkts - s->pool_mark;
		s->pool_mark = pkts;
		s->have_mark = true;
	} else {
		s->have_mark = false;
	}
	if (now_ms - s->drops_ms < PCAP_SAMPLER_DROPS_MS)
		return;
	s->drops_ms = now_ms;
	d = pcap_tap_new_drops(&s->tap);
	s->drops += d;
	s->owner->stats.drops += d;
}

/* Copy one packet into the batch (its bytes live only during the call). */
static void on_packet(void *arg, const struct flow_sample_packet *pkt)
{
	struct slot *s = arg;
	struct pcap_sampler *p = s->owner;
	struct batch_pkt *b;
	uint32_t cap = pkt->cap_bytes < s->tap.header_bytes ? pkt->cap_bytes : s->tap.header_bytes;

	if (p->batch_n == PCAP_SAMPLER_QUOTA)
		return; /* cannot happen: reads are capped at the quota */
	b = &p->batch[p->batch_n++];
	b->pkt = *pkt;
	b->pkt.cap_bytes = cap < PCAP_SAMPLER_MAX_HEADER ? cap : PCAP_SAMPLER_MAX_HEADER;
	memcpy(b->data, pkt->data, b->pkt.cap_bytes);
	b->pkt.data = b->data;
}

/* The pool the last sample of a batch of k should carry. A batch that
 * ends the ring's backlog ("final") takes the counters (at least 1 more
 * per sample so pool deltas stay positive); one cut by the quota, whose
 * successors are still queued, takes N per sample for now and the final
 * batch settles the difference. Without counters, N per sample. */
static uint64_t batch_target(const struct slot *s, uint64_t k, bool final)
{
	if (!final || !s->have_mark)
		return s->pool + (uint64_t)s->tap.sampling_rate * k;
	return s->true_pool > s->pool + k ? s->true_pool : s->pool + k;
}

/* Send the batch, spreading its pool growth evenly over its samples: a
 * collector that takes pool deltas between samples as the rate (pmacct)
 * must not see one sample carry a whole batch. */
static void send_batch(struct slot *s, bool final)
{
	struct pcap_sampler *p = s->owner;
	uint64_t base = s->pool, k = p->batch_n, grown = batch_target(s, k, final) - s->pool;

	for (uint64_t i = 0; i < k; i++) {
		struct flow_sample_source src = {
			.ifindex = s->ifindex, .seq = s->seq + 1,
			.sampling_rate = pcap_tap_rate_at(&s->tap, p->batch[i].pkt.ts_ns),
			.sample_pool = (uint32_t)(base + grown * (i + 1) / k),
			.drops = (uint32_t)s->drops, .header_bytes = s->tap.header_bytes,
		};
		struct flow_sample fs;

		if (flow_sample_build(&fs, &src, &p->macs, &p->batch[i].pkt) == -1) {
			p->stats.unknown++;
			continue;
		}
		if (sender_add_sample(p->sender, &fs.hdr, fs.recs, fs.rec_count, p->now_ms) == -1) {
			log_every(&s->lim, 60, LOG_WARNING, "pcap: %s: sample does not fit", s->dev);
			continue;
		}
		s->seq = src.seq;
		p->stats.samples++;
	}
	s->pool = base + grown;
	if (final && s->have_mark && s->true_pool > s->pool)
		s->pool = s->true_pool; /* packets after the last sample */
	p->batch_n = 0;
}

static void drain(struct slot *s, uint32_t events)
{
	struct pcap_sampler *p = s->owner;
	char err[PCAP_TAP_ERR_BYTES];
	int n;

	p->now_ms = loop_now_ms();
	p->batch_n = 0;
	n = pcap_tap_read(&s->tap, PCAP_SAMPLER_QUOTA, on_packet, s, err);
	if (n == 0 && (events & (EPOLLERR | EPOLLHUP)) != 0) {
		snprintf(err, sizeof(err), "socket error");
		n = -1;
	}
	if (n != PCAP_SAMPLER_QUOTA)
		refresh(s);
	send_batch(s, n != PCAP_SAMPLER_QUOTA);
	if (n == -1) {
		log_every(&s->lim, 60, LOG_WARNING, "pcap: %s: capture stopped: %s", s->dev, err);
		p->stats.read_errors++;
		close_tap(s);
		return;
	}
	if (n == PCAP_SAMPLER_QUOTA && s->resume_timer == 0)
		s->resume_timer = loop_timer_add(p->loop, 0, resume_cb, s);
}

/* Send what the ring still holds (bounded) and close the capture: a
 * reload or a rate change must not lose a block the kernel has not handed
 * over yet. */
static void finish_tap(struct slot *s)
{
	struct pcap_sampler *p = s->owner;
	char err[PCAP_TAP_ERR_BYTES];

	p->now_ms = loop_now_ms();
	s->drops_ms = 0; /* read the drops on the way out */
	for (int i = 0; s->tap.pcap && i < PCAP_SAMPLER_FINISH_ROUNDS; i++) {
		int n;

		p->batch_n = 0;
		n = pcap_tap_read(&s->tap, PCAP_SAMPLER_QUOTA, on_packet, s, err);
		if (n != PCAP_SAMPLER_QUOTA)
			refresh(s);
		send_batch(s, n != PCAP_SAMPLER_QUOTA);
		if (n <= 0)
			break;
	}
	close_tap(s);
}

static void open_tap(struct slot *s, uint32_t rate, uint32_t header_bytes)
{
	struct pcap_sampler *p = s->owner;
	char err[PCAP_TAP_ERR_BYTES];

	if (pcap_tap_open(&s->tap, s->dev, rate, header_bytes, s->promisc, err) == -1) {
		p->stats.open_errors++;
		log_every(&s->lim, 60, LOG_WARNING, "pcap: %s: cannot open: %s", s->dev, err);
		return;
	}
	if (loop_add_fd(p->loop, s->tap.fd, EPOLLIN, on_readable, s) == -1) {
		p->stats.open_errors++;
		log_every(&s->lim, 60, LOG_WARNING, "pcap: %s: cannot watch its fd", s->dev);
		pcap_tap_close(&s->tap);
		return;
	}
	p->stats.opens++;
	s->have_mark = pcap_tap_packets(&s->tap, &s->pool_mark);
	log_msg(LOG_INFO, "pcap: %s: sampling 1 in %u, ifIndex %u, headerBytes %u%s", s->dev,
		rate, s->ifindex, header_bytes, s->have_mark ? "" : ", pool estimated");
}

/* The slot of dev, a free one, or NULL (counted) when the table is full. */
static struct slot *slot_for(struct pcap_sampler *p, const char *dev)
{
	struct slot *free_slot = NULL;

	for (size_t i = 0; i < PCAP_SAMPLER_MAX_TAPS; i++) {
		struct slot *s = &p->slots[i];

		if (s->used && strcmp(s->dev, dev) == 0)
			return s;
		if (!s->used && !free_slot)
			free_slot = s;
	}
	if (!free_slot) {
		p->stats.excess++;
		if (!p->excess_logged)
			log_msg(LOG_WARNING, "pcap: more than %d interfaces; the rest are not sampled",
				PCAP_SAMPLER_MAX_TAPS);
		p->excess_logged = true;
		return NULL;
	}
	free_slot->used = true;
	memcpy(free_slot->dev, dev, strlen(dev) + 1);
	return free_slot;
}

/* Open, keep, reopen or close the capture of dev as block b says. */
static void consider(struct pcap_sampler *p, const char *dev, const struct dev_info *di,
		     const struct agent_config_pcap *b)
{
	const struct agent_config *c = p->config;
	bool up = (di->flags & IFF_UP_FLAG) != 0;
	uint32_t rate = up ? agent_config_sampling_for(c, dev, di->speed_bps) : 0;
	struct slot *s = slot_for(p, dev);

	if (!s)
		return;
	s->seen = true;
	if (s->ifindex != di->ifindex) {
		release(s);
		s->used = s->seen = true;
		memcpy(s->dev, dev, strlen(dev) + 1);
		s->ifindex = di->ifindex;
	}
	if (s->tap.pcap && rate == 0)
		log_msg(LOG_INFO, "pcap: %s: %s; capture closed", dev, up ? "sampling 0" : "not up");
	if (s->tap.pcap && rate > 0 && rate != s->tap.sampling_rate) {
		char err[PCAP_TAP_ERR_BYTES];

		if (pcap_tap_set_rate(&s->tap, rate, err) == 0)
			log_msg(LOG_INFO, "pcap: %s: sampling 1 in %u now", dev, rate);
		else
			finish_tap(s); /* reopened below */
	}
	if (s->tap.pcap && (rate != s->tap.sampling_rate || c->header_bytes != s->tap.header_bytes ||
			    b->promisc != s->promisc))
		finish_tap(s);
	s->promisc = b->promisc;
	if (!s->tap.pcap && rate > 0)
		open_tap(s, rate, c->header_bytes);
}

/* sys/class/net/<dev>/<attr> as text. */
static bool attr(const char *dev, const char *name, char *out, size_t cap)
{
	char rel[96];
	int n = snprintf(rel, sizeof(rel), "sys/class/net/%.16s/%s", dev, name);

	return n > 0 && (size_t)n < sizeof(rel) && host_procfile_read_str("/", rel, out, cap) > 0;
}

static bool attr_u64(const char *dev, const char *name, int base, uint64_t *v)
{
	char text[32], *end;

	if (!attr(dev, name, text, sizeof(text)) || text[0] == '-')
		return false;
	*v = strtoull(text, &end, base);
	return *end == '\0' && end != text;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "aa:bb:cc:dd:ee:ff" into mac; false when malformed or all zero. */
static bool parse_mac(const char *text, uint8_t mac[6])
{
	uint8_t any = 0;

	if (strlen(text) != 17)
		return false;
	for (size_t i = 0; i < 6; i++) {
		const char *p = text + 3 * i;
		int hi = hex_digit(p[0]), lo = hex_digit(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
		any |= mac[i];
	}
	return any != 0;
}

/* Read dev's attributes. -1 when it has no usable ifindex. */
static int read_dev(const char *dev, struct dev_info *di)
{
	uint64_t v;
	char text[64];

	memset(di, 0, sizeof(*di));
	if (!host_ifcounters_valid_name(dev) || !attr_u64(dev, "ifindex", 10, &v) || v == 0 ||
	    v > UINT32_MAX)
		return -1;
	di->ifindex = (uint32_t)v;
	di->iflink = attr_u64(dev, "iflink", 10, &v) && v <= UINT32_MAX ? (uint32_t)v : di->ifindex;
	di->type = attr_u64(dev, "type", 10, &v) && v <= UINT32_MAX ? (uint32_t)v : 0;
	if (!attr_u64(dev, "flags", 16, &di->flags))
		di->flags = 0;
	if (attr_u64(dev, "speed", 10, &v) && v != SPEED_UNKNOWN_U32 && v < UINT64_MAX / BPS_PER_MBPS)
		di->speed_bps = v * BPS_PER_MBPS;
	di->has_mac = attr(dev, "address", text, sizeof(text)) && parse_mac(text, di->mac);
	return 0;
}

/* Whether block b may take dev: a block naming it always; one matching by
 * pattern or speed not a loopback or a device stacked on another. */
static bool eligible(const struct agent_config_pcap *b, const struct dev_info *di)
{
	if (b->dev[0] != '\0')
		return true;
	return di->type != ARPHRD_LOOPBACK_TYPE && di->iflink == di->ifindex;
}

static void scan_one(struct pcap_sampler *p, const char *dev)
{
	const struct agent_config *c = p->config;
	const struct agent_config_pcap *b;
	struct dev_info di;

	if (read_dev(dev, &di) == -1)
		return;
	if (di.has_mac)
		flow_sample_macs_add(&p->macs, di.mac);
	for (size_t i = 0; i < c->pcap_count && i < AGENT_CONFIG_MAX_PCAPS; i++) {
		if (strcmp(c->pcaps[i].dev, dev) == 0)
			p->found[i] = true;
	}
	b = agent_config_pcap_for(c, dev, di.speed_bps);
	if (b && eligible(b, &di))
		consider(p, dev, &di, b);
}

/* Warn about dev= blocks whose device does not exist. */
static void warn_missing(struct pcap_sampler *p)
{
	const struct agent_config *c = p->config;

	for (size_t i = 0; i < c->pcap_count && i < AGENT_CONFIG_MAX_PCAPS; i++) {
		if (c->pcaps[i].dev[0] != '\0' && !p->found[i])
			log_every(&p->missing_lim[i], 60, LOG_WARNING,
				  "pcap: dev %s (line %u): no such interface; waiting for it",
				  c->pcaps[i].dev, c->pcaps[i].line);
	}
}

/* List the devices, refresh the MAC table, open and close captures. */
static void scan(struct pcap_sampler *p)
{
	struct dirent *de;
	DIR *dir;

	for (size_t i = 0; i < PCAP_SAMPLER_MAX_TAPS; i++)
		p->slots[i].seen = false;
	memset(p->found, 0, sizeof(p->found));
	p->macs.count = 0;
	dir = p->config->pcap_count > 0 ? opendir(SYS_NET) : NULL;
	if (p->config->pcap_count > 0 && !dir)
		log_every(&p->missing_lim[0], 60, LOG_WARNING, "pcap: cannot list %s", SYS_NET);
	while (dir && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] != '.')
			scan_one(p, de->d_name);
	}
	if (dir)
		closedir(dir);
	for (size_t i = 0; i < PCAP_SAMPLER_MAX_TAPS; i++) {
		if (p->slots[i].used && !p->slots[i].seen) {
			log_msg(LOG_INFO, "pcap: %s: gone or no longer taken; data source 0:%u ends",
				p->slots[i].dev, p->slots[i].ifindex);
			release(&p->slots[i]);
		}
	}
	if (dir)
		warn_missing(p);
}

static void rescan_cb(struct loop *l, void *arg);

/* (Re)arm the rescan delay_ms from now. */
static void arm_rescan(struct pcap_sampler *p, uint64_t delay_ms)
{
	if (p->rescan_timer != 0)
		loop_timer_del(p->loop, p->rescan_timer);
	p->rescan_timer = 0;
	if (p->config->pcap_count == 0)
		return;
	p->rescan_due_ms = loop_now_ms() + delay_ms;
	p->rescan_timer = loop_timer_add(p->loop, delay_ms, rescan_cb, p);
	if (p->rescan_timer == 0)
		log_msg(LOG_ERR, "pcap: no timer slot; interfaces are no longer rescanned");
}

static void watch_links(struct pcap_sampler *p);

static void rescan_cb(struct loop *l, void *arg)
{
	struct pcap_sampler *p = arg;

	(void)l;
	p->rescan_timer = 0;
	if (p->config->pcap_count > 0 && p->link_fd == -1 && !p->links_failed)
		watch_links(p);
	scan(p);
	arm_rescan(p, p->link_fd != -1 ? PCAP_SAMPLER_RESCAN_MS : PCAP_SAMPLER_POLL_MS);
}

/* Link events: read at most a quota of messages (their content does not
 * matter: a rescan reads sysfs) and rescan shortly, once per burst. */
static void on_link_event(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct pcap_sampler *p = arg;
	char buf[8192];

	(void)l;
	(void)events;
	for (int i = 0; i < PCAP_SAMPLER_LINK_QUOTA; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n == -1 && errno != EINTR && errno != ENOBUFS)
			break; /* EAGAIN: drained; ENOBUFS: overrun, the rescan catches up */
	}
	if (p->rescan_timer == 0 || p->rescan_due_ms > loop_now_ms() + PCAP_SAMPLER_LINK_DELAY_MS)
		arm_rescan(p, PCAP_SAMPLER_LINK_DELAY_MS);
}

/* Subscribe to RTMGRP_LINK; without it rescans fall back to polling. */
static void watch_links(struct pcap_sampler *p)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    loop_add_fd(p->loop, fd, EPOLLIN, on_link_event, p) == -1) {
		log_msg(LOG_WARNING, "pcap: no link events (%s); rescanning every %d ms",
			strerror(errno), PCAP_SAMPLER_POLL_MS);
		if (fd != -1)
			close(fd);
		p->links_failed = true;
		return;
	}
	p->link_fd = fd;
}

struct pcap_sampler *pcap_sampler_new(struct loop *l, struct sender *s,
				      const struct agent_config *c)
{
	struct pcap_sampler *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->loop = l;
	p->sender = s;
	p->config = c;
	p->link_fd = -1;
	for (size_t i = 0; i < PCAP_SAMPLER_MAX_TAPS; i++) {
		p->slots[i].owner = p;
		pcap_tap_init(&p->slots[i].tap);
	}
	rescan_cb(l, p);
	return p;
}

void pcap_sampler_free(struct pcap_sampler *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < PCAP_SAMPLER_MAX_TAPS; i++)
		finish_tap(&p->slots[i]);
	if (p->rescan_timer != 0)
		loop_timer_del(p->loop, p->rescan_timer);
	if (p->link_fd != -1) {
		loop_del_fd(p->loop, p->link_fd);
		close(p->link_fd);
	}
	free(p);
}

void pcap_sampler_reconfigure(struct pcap_sampler *p, const struct agent_config *c)
{
	p->config = c;
	rescan_cb(p->loop, p);
}

size_t pcap_sampler_count(const struct pcap_sampler *p)
{
	size_t n = 0;

	for (size_t i = 0; i < PCAP_SAMPLER_MAX_TAPS; i++)
		n += p->slots[i].tap.pcap ? 1 : 0;
	return n;
}

const struct pcap_sampler_stats *pcap_sampler_stats(const struct pcap_sampler *p)
{
	return &p->stats;
}

void pcap_sampler_log_stats(const struct pcap_sampler *p)
{
	const struct pcap_sampler_stats *st = p ? &p->stats : NULL;

	if (!st || p->config->pcap_count == 0)
		return;
	log_msg(LOG_INFO,
		"pcap: captures %zu flow_samples %llu unknown %llu kernel_drops %llu opens %llu"
		" open_errors %llu read_errors %llu excess %llu",
		pcap_sampler_count(p), (unsigned long long)st->samples,
		(unsigned long long)st->unknown, (unsigned long long)st->drops,
		(unsigned long long)st->opens, (unsigned long long)st->open_errors,
		(unsigned long long)st->read_errors, (unsigned long long)st->excess);
}
