/*
 * analyzer/collector.c: the shard threads (see collector.h).
 *
 * Each shard thread loops: take what other shards handed it (its ring),
 * read its socket in recvmmsg batches of COLLECTOR_BATCH (at most
 * COLLECTOR_RECV_QUOTA batches before it looks at the ring again), tick
 * its store once a second, and sleep in poll() on the socket and its
 * eventfd (at most COLLECTOR_POLL_MS, so stop is noticed) once the socket
 * is drained. A datagram is processed by the shard that owns its agent
 * (collector_owner_shard()); one read by another shard is copied into the
 * owner's ring and the owner's eventfd is written once per batch.
 *
 * Counters live per shard and each has one writer (the shard thread, or
 * the replay thread when replaying), which publishes them with relaxed
 * atomic stores; collector_get_stats() sums them from any thread.
 * Receive buffers, rings and counters are allocated at start; nothing is
 * allocated per datagram.
 */
#include "analyzer/collector.h"

#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "analyzer/clock.h"
#include "analyzer/collector_replay.h"
#include "analyzer/collector_ring.h"
#include "analyzer/collector_steer.h"

#define COLLECTOR_BATCH 64           /* datagrams per recvmmsg */
#define COLLECTOR_RECV_QUOTA 8       /* full batches per wakeup before the ring again */
#define COLLECTOR_DATAGRAM_MAX 65536 /* receive buffer per datagram: any UDP payload */
#define COLLECTOR_RING_SLOTS 256     /* handoff ring per shard */
#define COLLECTOR_POLL_MS 100
#define COLLECTOR_TICK_MS 1000
#define COLLECTOR_SFLOW_HEADER_MIN 28 /* v5 header with an IPv4 agent */

struct shard_stats {
	_Atomic uint64_t datagrams;
	_Atomic uint64_t bytes;
	_Atomic uint64_t handoffs;
	_Atomic uint64_t ring_drops;
	_Atomic uint64_t kernel_drops;
	_Atomic uint64_t runts;
};

struct shard {
	struct collector *c;
	unsigned index;
	int fd;                        /* UDP socket; -1 when replaying */
	int efd;                       /* eventfd: the ring has datagrams */
	pthread_t thread;
	bool running;                  /* thread was started */
	struct store *store;
	struct collector_ring *ring;   /* datagrams other shards received for us */
	struct mmsghdr *msgs;          /* COLLECTOR_BATCH of each */
	struct iovec *iov;
	struct sockaddr_storage *src;
	uint8_t *ctl;                  /* SO_RXQ_OVFL control buffers */
	uint8_t *bufs;                 /* COLLECTOR_BATCH x COLLECTOR_DATAGRAM_MAX */
	bool *wake;                    /* [c->n]: owners to wake after this batch */
	uint64_t next_tick_ms;         /* CLOCK_MONOTONIC */
	struct shard_stats st;
};

struct collector {
	unsigned n;
	struct shard *shards;
	struct forward *fw;
	struct collector_replay *replay;
	uint64_t replay_next_tick_ms;  /* replay clock of the next store_tick */
	uint16_t port;
	bool steered;                  /* the reuseport program is attached */
	_Atomic bool stop;
};

#define CTL_BYTES CMSG_SPACE(sizeof(uint32_t))

/* Single-writer counter update: a plain load and a relaxed store. */
static void stat_add(_Atomic uint64_t *ctr, uint64_t n)
{
	atomic_store_explicit(ctr, atomic_load_explicit(ctr, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

static uint64_t stat_get(_Atomic uint64_t *ctr)
{
	return atomic_load_explicit(ctr, memory_order_relaxed);
}

/* The agent address of an sFlow v5 header, for forwarding. */
static bool collector_agent(const uint8_t *buf, size_t len, struct sfl_address *a)
{
	uint32_t type;

	if (len < 8)
		return false;
	type = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 | (uint32_t)buf[6] << 8 | buf[7];
	memset(a, 0, sizeof(*a));
	a->type = type;
	if (type == 1 && len >= 12)
		memcpy(a->addr, buf + 8, 4);
	else if (type == 2 && len >= 24)
		memcpy(a->addr, buf + 8, 16);
	else
		return false;
	return true;
}

/* Process one datagram this shard owns. Owner thread (or replay) only. */
static void shard_ingest(struct shard *sh, const uint8_t *buf, size_t len,
			 const struct sockaddr_storage *src, uint64_t now_ms)
{
	struct sfl_address agent;

	if (len < COLLECTOR_SFLOW_HEADER_MIN)
		stat_add(&sh->st.runts, 1);
	/* a runt still goes to the store, which counts it as a parse error */
	store_ingest(sh->store, buf, len, src, now_ms);
	if (sh->c->fw && collector_agent(buf, len, &agent))
		forward_datagram(sh->c->fw, buf, len, &agent);
}

/* IPv4 senders on the dual-stack socket arrive as ::ffff:a.b.c.d; the
 * store and sFlowDatagramSource want them as IPv4. */
static void unmap_v4(struct sockaddr_storage *ss)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	if (ss->ss_family != AF_INET6)
		return;
	memcpy(&s6, ss, sizeof(s6));
	if (!IN6_IS_ADDR_V4MAPPED(&s6.sin6_addr))
		return;
	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	s4->sin_port = s6.sin6_port;
	memcpy(&s4->sin_addr, &s6.sin6_addr.s6_addr[12], 4);
}

/* The socket's drop count from a SO_RXQ_OVFL control message, if any
 * (the kernel adds one only once the count is non-zero). */
static void shard_note_drops(struct shard *sh, struct msghdr *mh)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		uint32_t drops;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SO_RXQ_OVFL)
			continue;
		memcpy(&drops, CMSG_DATA(cm), sizeof(drops));
		if (drops > stat_get(&sh->st.kernel_drops))
			atomic_store_explicit(&sh->st.kernel_drops, drops, memory_order_relaxed);
	}
}

/* Hand a datagram to its owner's ring, to be woken after the batch. */
static void shard_handoff(struct shard *sh, unsigned owner, const uint8_t *buf, size_t len,
			  const struct sockaddr_storage *src)
{
	struct shard *o = &sh->c->shards[owner];

	if (collector_ring_push(o->ring, buf, len, src) == 0) {
		stat_add(&sh->st.handoffs, 1);
		sh->wake[owner] = true;
	} else {
		stat_add(&sh->st.ring_drops, 1);
	}
}

static void shard_wake_owners(struct shard *sh)
{
	for (unsigned i = 0; i < sh->c->n; i++) {
		uint64_t one = 1;

		if (!sh->wake[i])
			continue;
		sh->wake[i] = false;
		/* can fail only with EAGAIN: the counter is saturated, so the
		 * owner has a wakeup pending anyway */
		(void)!write(sh->c->shards[i].efd, &one, sizeof(one));
	}
}

static void shard_reset_batch(struct shard *sh)
{
	for (unsigned i = 0; i < COLLECTOR_BATCH; i++) {
		sh->msgs[i].msg_hdr.msg_namelen = sizeof(sh->src[i]);
		sh->msgs[i].msg_hdr.msg_controllen = CTL_BYTES;
		sh->msgs[i].msg_hdr.msg_flags = 0;
	}
}

/* One recvmmsg batch, each datagram processed or handed off. Returns how
 * many were read (0: none waiting, or an error that is not ours). */
static int shard_receive(struct shard *sh)
{
	uint64_t now_ms, bytes = 0;
	int n;

	shard_reset_batch(sh);
	n = recvmmsg(sh->fd, sh->msgs, COLLECTOR_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0; /* EAGAIN, EINTR; ICMP errors are not reported on unconnected sockets */
	now_ms = clock_now_ms();
	for (int i = 0; i < n; i++) {
		const uint8_t *buf = sh->bufs + (size_t)i * COLLECTOR_DATAGRAM_MAX;
		size_t len = sh->msgs[i].msg_len;
		unsigned owner = collector_owner_shard(buf, len, sh->c->n);

		shard_note_drops(sh, &sh->msgs[i].msg_hdr);
		unmap_v4(&sh->src[i]);
		bytes += len;
		if (owner == sh->index)
			shard_ingest(sh, buf, len, &sh->src[i], now_ms);
		else
			shard_handoff(sh, owner, buf, len, &sh->src[i]);
	}
	stat_add(&sh->st.datagrams, (uint64_t)n);
	stat_add(&sh->st.bytes, bytes);
	shard_wake_owners(sh);
	return n;
}

/* Process what other shards handed over, at most one ring's worth. */
static void shard_drain_ring(struct shard *sh)
{
	uint64_t now_ms = clock_now_ms();
	struct collector_ring_slot *s;

	for (unsigned i = 0; i < COLLECTOR_RING_SLOTS && (s = collector_ring_peek(sh->ring)); i++) {
		shard_ingest(sh, s->data, s->len, &s->src, now_ms);
		collector_ring_release(sh->ring);
	}
}

static void shard_tick(struct shard *sh)
{
	uint64_t mono = clock_monotonic_ms();

	if (mono < sh->next_tick_ms)
		return;
	sh->next_tick_ms = mono + COLLECTOR_TICK_MS;
	store_tick(sh->store, clock_now_ms());
}

/* Sleep until the socket or the ring has something, or COLLECTOR_POLL_MS. */
static void shard_wait(struct shard *sh)
{
	struct pollfd p[2] = { { .fd = sh->fd, .events = POLLIN }, { .fd = sh->efd, .events = POLLIN } };
	uint64_t v;

	if (poll(p, 2, COLLECTOR_POLL_MS) > 0 && (p[1].revents & POLLIN))
		(void)!read(sh->efd, &v, sizeof(v));
}

static void *shard_main(void *arg)
{
	struct shard *sh = arg;

	while (!atomic_load_explicit(&sh->c->stop, memory_order_relaxed)) {
		int n = 0;

		shard_drain_ring(sh);
		for (int q = 0; q < COLLECTOR_RECV_QUOTA; q++) {
			n = shard_receive(sh);
			if (n < COLLECTOR_BATCH)
				break;
		}
		shard_tick(sh);
		/* a full last batch: more is probably queued, skip the sleep */
		if (n < COLLECTOR_BATCH)
			shard_wait(sh);
	}
	return NULL;
}

/* Replay: the one thread that ingests, into the owner's store; every
 * store is ticked once a second of capture time. */
static void collector_replay_datagram(void *arg, const uint8_t *buf, size_t len,
				      const struct sockaddr_storage *src, uint64_t now_ms)
{
	struct collector *c = arg;
	struct shard *sh = &c->shards[collector_owner_shard(buf, len, c->n)];

	stat_add(&sh->st.datagrams, 1);
	stat_add(&sh->st.bytes, len);
	shard_ingest(sh, buf, len, src, now_ms);
	if (now_ms < c->replay_next_tick_ms)
		return;
	c->replay_next_tick_ms = now_ms + COLLECTOR_TICK_MS;
	for (unsigned i = 0; i < c->n; i++)
		store_tick(c->shards[i].store, now_ms);
}

/* Receive buffers and the handoff ring of one shard. */
static int shard_alloc(struct shard *sh, unsigned n)
{
	sh->msgs = calloc(COLLECTOR_BATCH, sizeof(*sh->msgs));
	sh->iov = calloc(COLLECTOR_BATCH, sizeof(*sh->iov));
	sh->src = calloc(COLLECTOR_BATCH, sizeof(*sh->src));
	sh->ctl = calloc(COLLECTOR_BATCH, CTL_BYTES);
	sh->bufs = malloc((size_t)COLLECTOR_BATCH * COLLECTOR_DATAGRAM_MAX);
	sh->wake = calloc(n, sizeof(*sh->wake));
	sh->ring = collector_ring_new(COLLECTOR_RING_SLOTS);
	sh->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!sh->msgs || !sh->iov || !sh->src || !sh->ctl || !sh->bufs || !sh->wake || !sh->ring ||
	    sh->efd == -1)
		return -1;
	for (unsigned i = 0; i < COLLECTOR_BATCH; i++) {
		struct msghdr *mh = &sh->msgs[i].msg_hdr;

		sh->iov[i].iov_base = sh->bufs + (size_t)i * COLLECTOR_DATAGRAM_MAX;
		sh->iov[i].iov_len = COLLECTOR_DATAGRAM_MAX;
		mh->msg_name = &sh->src[i];
		mh->msg_iov = &sh->iov[i];
		mh->msg_iovlen = 1;
		mh->msg_control = sh->ctl + (size_t)i * CTL_BYTES;
	}
	return 0;
}

static void shard_release(struct shard *sh)
{
	if (sh->fd != -1)
		close(sh->fd);
	if (sh->efd != -1)
		close(sh->efd);
	collector_ring_free(sh->ring);
	free(sh->wake);
	free(sh->bufs);
	free(sh->ctl);
	free(sh->src);
	free(sh->iov);
	free(sh->msgs);
}

static struct collector *collector_alloc(const struct store_set *ss, struct forward *fw)
{
	struct collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->shards = calloc(ss->n, sizeof(*c->shards));
	if (!c->shards) {
		free(c);
		return NULL;
	}
	c->n = ss->n;
	c->fw = fw;
	for (unsigned i = 0; i < c->n; i++) {
		c->shards[i].c = c;
		c->shards[i].index = i;
		c->shards[i].fd = -1;
		c->shards[i].efd = -1;
		c->shards[i].store = ss->v[i];
	}
	return c;
}

/* Sockets, buffers and threads of live collection. */
static int collector_listen(struct collector *c, const struct collector_opts *o, char *err,
			    size_t errlen)
{
	struct collector_steer_opts so = { o->hostname, o->port, o->rcvbuf_bytes };
	int *fds = calloc(c->n, sizeof(*fds));
	int rc = -1;

	if (!fds || collector_steer_bind(&so, fds, c->n, &c->port, &c->steered, err, errlen) == -1)
		goto out;
	for (unsigned i = 0; i < c->n; i++)
		c->shards[i].fd = fds[i];
	for (unsigned i = 0; i < c->n; i++) {
		if (shard_alloc(&c->shards[i], c->n) == -1) {
			snprintf(err, errlen, "collector: out of memory or file descriptors");
			goto out;
		}
	}
	for (unsigned i = 0; i < c->n; i++) {
		if (pthread_create(&c->shards[i].thread, NULL, shard_main, &c->shards[i]) != 0) {
			snprintf(err, errlen, "collector: cannot start shard thread %u", i);
			goto out;
		}
		c->shards[i].running = true;
	}
	rc = 0;
out:
	free(fds);
	return rc;
}

struct collector *collector_start(const struct collector_opts *o, const struct store_set *ss,
				  struct forward *fw, char *err, size_t errlen)
{
	struct collector *c;
	int rc;

	if (!ss || ss->n == 0) {
		snprintf(err, errlen, "collector: no store");
		return NULL;
	}
	c = collector_alloc(ss, fw);
	if (!c) {
		snprintf(err, errlen, "collector: out of memory");
		return NULL;
	}
	if (o->file) {
		c->replay = collector_replay_start(o->file, o->file_speed, collector_replay_datagram,
						   c, err, errlen);
		rc = c->replay ? 0 : -1;
	} else {
		rc = collector_listen(c, o, err, errlen);
	}
	if (rc == -1) {
		collector_stop(c);
		return NULL;
	}
	return c;
}

void collector_stop(struct collector *c)
{
	if (!c)
		return;
	atomic_store(&c->stop, true);
	collector_replay_stop(c->replay);
	for (unsigned i = 0; i < c->n; i++) {
		uint64_t one = 1;

		if (!c->shards[i].running)
			continue;
		(void)!write(c->shards[i].efd, &one, sizeof(one));
		pthread_join(c->shards[i].thread, NULL);
	}
	for (unsigned i = 0; i < c->n; i++)
		shard_release(&c->shards[i]);
	free(c->shards);
	free(c);
}

/* The socket's drop count now, which SO_RXQ_OVFL reports only with the
 * next datagram: SO_MEMINFO reads it at once (0 where unsupported). */
static uint64_t shard_kernel_drops(struct shard *sh)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);
	uint64_t seen = stat_get(&sh->st.kernel_drops);

	if (sh->fd == -1 || getsockopt(sh->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == -1 ||
	    len < sizeof(mem))
		return seen;
	return mem[SK_MEMINFO_DROPS] > seen ? mem[SK_MEMINFO_DROPS] : seen;
}

void collector_get_stats(struct collector *c, struct collector_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < c->n; i++) {
		struct shard *sh = &c->shards[i];

		out->datagrams += stat_get(&sh->st.datagrams);
		out->bytes += stat_get(&sh->st.bytes);
		out->handoffs += stat_get(&sh->st.handoffs);
		out->ring_drops += stat_get(&sh->st.ring_drops);
		out->runts += stat_get(&sh->st.runts);
		out->kernel_drops += shard_kernel_drops(sh);
	}
	out->replay_done = c->replay && collector_replay_done(c->replay);
}

uint16_t collector_port(const struct collector *c)
{
	return c->port;
}

bool collector_steered(const struct collector *c)
{
	return c->steered;
}
