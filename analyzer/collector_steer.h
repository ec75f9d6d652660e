/*
 * analyzer/collector_steer.h: the collector's UDP sockets and the kernel
 * program that steers each datagram to the shard owning its agent.
 *
 * collector_steer_bind() opens one SO_REUSEPORT socket per shard on one
 * address and port, in shard order: the kernel keeps a reuseport group's
 * sockets in the order they were bound, and the classic BPF program
 * attached with SO_ATTACH_REUSEPORT_CBPF returns an index into that order.
 * The program runs with the packet data at the UDP payload (the kernel
 * pulls the UDP header before running it), so absolute load offsets are
 * sFlow datagram offsets: 4 is the agent address type, 8 the address. It
 * computes exactly collector_owner_shard() (analyzer/collector.h); a
 * datagram too short for a load ends the program with 0, which is shard 0,
 * as in C. Not thread-safe; called once at start.
 */
#ifndef RTFLOW_ANALYZER_COLLECTOR_STEER_H
#define RTFLOW_ANALYZER_COLLECTOR_STEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What collector_steer_bind() opens. */
struct collector_steer_opts {
	const char *hostname;   /* bind address or name; NULL: every address, v4 and v6 */
	uint16_t port;          /* 0: an ephemeral port, the same for every socket */
	uint32_t rcvbuf_bytes;  /* SO_RCVBUFFORCE (SO_RCVBUF without privilege); 0 = default */
};

/*
 * Bind n (>= 1) non-blocking reuseport sockets, fds[0..n), all with
 * SO_RXQ_OVFL, and attach the steering program when n > 1. The port is
 * checked to be free first (a plain bind), so a second collector, or one
 * of another program, is reported instead of silently sharing the
 * traffic. Sets *port_out and *steered (whether the program is attached).
 * 0, or -1 with a reason in err and no socket left open.
 */
int collector_steer_bind(const struct collector_steer_opts *o, int *fds, unsigned n,
			 uint16_t *port_out, bool *steered, char *err, size_t errlen);

/* Attach the steering program for n shards to the reuseport group of fd.
 * 0, or -1 with errno set. */
int collector_steer_attach(int fd, unsigned n);

#endif
