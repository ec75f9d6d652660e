/*
 * analyzer/flow_dns.c: reverse lookups for the dns: key function (see
 * flow_dns.h), with c-ares on a resolver thread.
 *
 * Callers (collector shards) look an address up in the cache under one
 * mutex: a fresh name is copied out; anything else returns the address
 * itself, and an address not yet asked about is marked pending and put on
 * a bounded queue (dropped and counted when the queue is full, so a flood
 * of new addresses never blocks ingest or grows memory). The resolver
 * thread takes the queue, asks c-ares (ares_gethostbyaddr: PTR), and
 * stores names for ttl_s, failures for neg_ttl_s. The cache has a fixed
 * number of slots (open addressing over a probe window of
 * DNS_PROBE slots; a full window reuses its stalest slot).
 */
#include "analyzer/flow_dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define DNS_PROBE    16
#define DNS_QUEUE    1024
#define DNS_ADDR_MAX 46
#define DNS_NAME_MAX 256

enum dns_state { DNS_EMPTY, DNS_PENDING, DNS_OK, DNS_FAIL };

struct dns_entry {
	char addr[DNS_ADDR_MAX];
	char name[DNS_NAME_MAX];
	uint64_t expires_ms;
	uint8_t state;
};

struct flow_dns {
	struct flow_dns_config cfg;
	pthread_mutex_t mu; /* entries, queue, stats */
	struct dns_entry *e;
	uint32_t size; /* a power of two */
	char queue[DNS_QUEUE][DNS_ADDR_MAX];
	uint32_t qhead, qlen;
	struct flow_dns_stats st;
	ares_channel ch;
	int wake; /* eventfd */
	atomic_bool stop;
	pthread_t thread;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t addr_hash(const char *a)
{
	uint32_t h = 2166136261u;

	for (; *a; a++)
		h = (h ^ (uint8_t)*a) * 16777619u;
	return h;
}

/* The slot of addr, or (with *found false) the one to use for it: a free
 * slot of its window, else the stalest (mu held). */
static struct dns_entry *slot_of(struct flow_dns *d, const char *addr, bool *found)
{
	uint32_t h = addr_hash(addr), mask = d->size - 1;
	struct dns_entry *free_slot = NULL, *stalest = NULL;

	*found = false;
	for (uint32_t i = 0; i < DNS_PROBE; i++) {
		struct dns_entry *e = &d->e[(h + i) & mask];

		if (e->state != DNS_EMPTY && strcmp(e->addr, addr) == 0) {
			*found = true;
			return e;
		}
		if (e->state == DNS_EMPTY && !free_slot)
			free_slot = e;
		if (e->state != DNS_PENDING && (!stalest || e->expires_ms < stalest->expires_ms))
			stalest = e;
	}
	return free_slot ? free_slot : stalest;
}

static int copy_out(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (cap == 0)
		return 0;
	n = n < cap - 1 ? n : cap - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (int)n;
}

/* Queue addr for the resolver (mu held); false when the queue is full. */
static bool enqueue(struct flow_dns *d, const char *addr)
{
	uint64_t one = 1;

	if (d->qlen == DNS_QUEUE) {
		d->st.queue_drops++;
		return false;
	}
	snprintf(d->queue[(d->qhead + d->qlen++) % DNS_QUEUE], DNS_ADDR_MAX, "%s", addr);
	d->st.queued++;
	if (write(d->wake, &one, sizeof(one)) < 0) {
		/* the counter is saturated: the resolver is awake anyway */
	}
	return true;
}

int flow_dns_name(struct flow_dns *d, const char *addr, char *buf, size_t cap)
{
	struct dns_entry *e;
	bool found;
	int n;

	if (!d || strlen(addr) >= DNS_ADDR_MAX)
		return copy_out(buf, cap, addr);
	pthread_mutex_lock(&d->mu);
	d->st.lookups++;
	e = slot_of(d, addr, &found);
	if (found && e->state == DNS_OK && e->expires_ms > now_ms()) {
		d->st.hits++;
		n = copy_out(buf, cap, e->name);
		pthread_mutex_unlock(&d->mu);
		return n;
	}
	d->st.misses++;
	if (e && (!found || (e->state != DNS_PENDING && e->expires_ms <= now_ms()))) {
		if (!found && e->state != DNS_EMPTY)
			d->st.evictions++;
		if (enqueue(d, addr)) {
			snprintf(e->addr, sizeof(e->addr), "%s", addr);
			e->state = DNS_PENDING;
		}
	}
	pthread_mutex_unlock(&d->mu);
	return copy_out(buf, cap, addr);
}

struct lookup {
	struct flow_dns *d;
	char addr[DNS_ADDR_MAX];
};

/* c-ares callback (resolver thread): store the answer. */
static void on_answer(void *arg, int status, int timeouts, struct hostent *h)
{
	struct lookup *q = arg;
	struct flow_dns *d = q->d;
	struct dns_entry *e;
	bool found;

	(void)timeouts;
	pthread_mutex_lock(&d->mu);
	e = slot_of(d, q->addr, &found);
	if (found) {
		bool ok = status == ARES_SUCCESS && h && h->h_name && h->h_name[0];

		e->state = ok ? DNS_OK : DNS_FAIL;
		snprintf(e->name, sizeof(e->name), "%s", ok ? h->h_name : "");
		e->expires_ms = now_ms() + 1000ull * (ok ? d->cfg.ttl_s : d->cfg.neg_ttl_s);
		d->st.answers += ok;
		d->st.failures += !ok && status != ARES_ETIMEOUT;
		d->st.timeouts += status == ARES_ETIMEOUT;
	}
	pthread_mutex_unlock(&d->mu);
	free(q);
}

/* Start a PTR lookup of every queued address. */
static void drain_queue(struct flow_dns *d)
{
	uint64_t n;

	if (read(d->wake, &n, sizeof(n)) < 0) {
		/* nothing to read: EAGAIN */
	}
	for (;;) {
		struct lookup *q = malloc(sizeof(*q));
		unsigned char a[16];
		int fam;

		if (!q)
			return;
		pthread_mutex_lock(&d->mu);
		if (d->qlen == 0) {
			pthread_mutex_unlock(&d->mu);
			free(q);
			return;
		}
		q->d = d;
		snprintf(q->addr, sizeof(q->addr), "%s", d->queue[d->qhead]);
		d->qhead = (d->qhead + 1) % DNS_QUEUE;
		d->qlen--;
		pthread_mutex_unlock(&d->mu);
		fam = strchr(q->addr, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(fam, q->addr, a) != 1) {
			on_answer(q, ARES_EBADNAME, 0, NULL);
			continue;
		}
		ares_gethostbyaddr(d->ch, a, fam == AF_INET ? 4 : 16, fam, on_answer, q);
	}
}

static void *resolver(void *arg)
{
	struct flow_dns *d = arg;

	while (!atomic_load(&d->stop)) {
		struct pollfd p[ARES_GETSOCK_MAXNUM + 1];
		ares_socket_t s[ARES_GETSOCK_MAXNUM];
		int bits = ares_getsock(d->ch, s, ARES_GETSOCK_MAXNUM), n = 1;
		struct timeval tv, max = { 0, 200000 }, *t = ares_timeout(d->ch, &max, &tv);

		p[0] = (struct pollfd){ .fd = d->wake, .events = POLLIN };
		for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			/* c-ares's ARES_GETSOCK_WRITABLE shifts a signed 1 by up to
			 * 31 bits (undefined); test the bits unsigned */
			short ev = (short)(((unsigned)bits & (1u << i) ? POLLIN : 0) |
					   ((unsigned)bits & (1u << (i + ARES_GETSOCK_MAXNUM)) ?
						    POLLOUT :
						    0));

			if (ev)
				p[n++] = (struct pollfd){ .fd = s[i], .events = ev };
		}
		poll(p, (nfds_t)n, (int)(t->tv_sec * 1000 + t->tv_usec / 1000));
		if (p[0].revents & POLLIN)
			drain_queue(d);
		for (int i = 1; i < n; i++)
			ares_process_fd(d->ch,
					p[i].revents & (POLLIN | POLLERR | POLLHUP) ?
						p[i].fd :
						ARES_SOCKET_BAD,
					p[i].revents & POLLOUT ? p[i].fd : ARES_SOCKET_BAD);
		ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
	}
	return NULL;
}

static int channel_open(struct flow_dns *d, char *err, size_t errlen)
{
	struct ares_options o = { .timeout = (int)d->cfg.timeout_ms, .tries = (int)d->cfg.tries };
	int rc = ares_init_options(&d->ch, &o, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);

	if (rc == ARES_SUCCESS && d->cfg.servers && d->cfg.servers[0])
		rc = ares_set_servers_ports_csv(d->ch, d->cfg.servers);
	if (rc != ARES_SUCCESS) {
		snprintf(err, errlen, "dns.servers: %s", ares_strerror(rc));
		return -1;
	}
	return 0;
}

struct flow_dns *flow_dns_new(const struct flow_dns_config *cfg, char *err, size_t errlen)
{
	struct flow_dns *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cfg = *cfg;
	d->cfg.cache_max = cfg->cache_max ? cfg->cache_max : 10000;
	d->cfg.ttl_s = cfg->ttl_s ? cfg->ttl_s : 600;
	d->cfg.neg_ttl_s = cfg->neg_ttl_s ? cfg->neg_ttl_s : 60;
	d->cfg.timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 2000;
	d->cfg.tries = cfg->tries ? cfg->tries : 2;
	for (d->size = 64; d->size < d->cfg.cache_max; d->size *= 2)
		;
	d->e = calloc(d->size, sizeof(*d->e));
	d->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&d->mu, NULL);
	if (!d->e || d->wake < 0 || ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		snprintf(err, errlen, "dns: %s", strerror(errno ? errno : ENOMEM));
		free(d->e);
		free(d);
		return NULL;
	}
	if (channel_open(d, err, errlen) == -1 || pthread_create(&d->thread, NULL, resolver, d)) {
		close(d->wake);
		free(d->e);
		free(d);
		return NULL;
	}
	return d;
}

void flow_dns_free(struct flow_dns *d)
{
	uint64_t one = 1;

	if (!d)
		return;
	atomic_store(&d->stop, true);
	if (write(d->wake, &one, sizeof(one)) < 0) {
		/* the thread also wakes within 200 ms */
	}
	pthread_join(d->thread, NULL);
	ares_destroy(d->ch); /* calls back every pending lookup (ARES_EDESTRUCTION) */
	ares_library_cleanup();
	close(d->wake);
	pthread_mutex_destroy(&d->mu);
	free(d->e);
	free(d);
}

void flow_dns_stats(struct flow_dns *d, struct flow_dns_stats *out)
{
	pthread_mutex_lock(&d->mu);
	*out = d->st;
	pthread_mutex_unlock(&d->mu);
}
