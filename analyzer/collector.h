/*
 * analyzer/collector.h: sFlow ingest. N shard threads, each with its own
 * UDP socket on sflow.port (SO_REUSEPORT, IPv6 dual-stack or IPv4 when
 * sflow.hostname says so), a large receive buffer (SO_RCVBUFFORCE when
 * permitted) and recvmmsg batches. A SO_ATTACH_REUSEPORT_CBPF program
 * steers each datagram to the shard that owns its agent address
 * (collector_owner_shard(), the same function in C; IPv4 and IPv6
 * agents alike); one that still lands elsewhere (a program that failed
 * to attach, a reuseport group changed under us) is passed to its owner
 * through a bounded ring, so every (agent, sub-agent) pair has exactly
 * one owning thread. The owner calls store_ingest() (runts included: the
 * store counts them as parse errors) and forward_datagram(), and
 * store_tick() about once a second.
 *
 * With sflow.file set there are no sockets: one replay thread reads the
 * capture (libpcap), sets the replay clock (analyzer/clock.h) from each
 * frame's timestamp, paces itself at sflow.file.speed and ingests into the
 * owning store directly.
 */
#ifndef RTFLOW_ANALYZER_COLLECTOR_H
#define RTFLOW_ANALYZER_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/forward.h"
#include "analyzer/store.h"

struct collector;

struct collector_opts {
	uint16_t port;
	const char *hostname;        /* bind address, NULL = any (dual-stack) */
	uint32_t rcvbuf_bytes;
	const char *file;            /* replay this capture instead of listening */
	double file_speed;           /* 1 = recorded pace, 0 = as fast as possible */
};

struct collector_stats {
	uint64_t datagrams;      /* datagrams read from sockets or the capture */
	uint64_t bytes;
	uint64_t handoffs;       /* datagrams passed to another shard's ring */
	uint64_t ring_drops;     /* handoffs lost: the owner's ring was full */
	uint64_t kernel_drops;   /* socket receive-queue overflows (SO_RXQ_OVFL) */
	uint64_t runts;          /* too short to hold an sFlow header */
	bool replay_done;        /* sflow.file: the capture has been read */
};

/*
 * Start one thread per store in `ss` (ss->n shards). fw may be NULL. The
 * stores and fw must outlive the collector. NULL with a reason in err
 * (port in use, bad address, unreadable capture).
 */
struct collector *collector_start(const struct collector_opts *o, const struct store_set *ss,
				  struct forward *fw, char *err, size_t errlen);

/* Stop and join the threads, close the sockets. NULL is a no-op. */
void collector_stop(struct collector *c);

/* Sum of every shard's counters. Any thread. */
void collector_get_stats(struct collector *c, struct collector_stats *out);

/* The UDP port the shards listen on (the one picked when opts.port was
 * 0); 0 when replaying. */
uint16_t collector_port(const struct collector *c);

/* Whether the kernel steering program is attached (with one shard, or
 * replaying: false, and nothing needs steering). When it is not, every
 * datagram still reaches its owner, through the rings. */
bool collector_steered(const struct collector *c);

/* The shard (0 .. nshards-1) that owns the agent of datagram buf[0..len):
 * a hash of the agent address words, as the kernel steering program
 * computes it; 0 for a datagram too short to say. */
unsigned collector_owner_shard(const uint8_t *buf, size_t len, unsigned nshards);

#endif
