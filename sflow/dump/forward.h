/*
 * sflow/dump/forward.h: -f host/port, sending every datagram unchanged to
 * one or more collectors, as sflowtool's forwarding mode does (nothing is
 * decoded or printed then). Hosts are numeric IPv4 or IPv6 addresses;
 * one UDP socket per target. Not thread-safe.
 */
#ifndef DUMP_FORWARD_H
#define DUMP_FORWARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct forward_target {
	int fd;
	struct sockaddr_storage addr;
	socklen_t addr_len;
};

struct forward {
	struct forward_target *targets; /* owned */
	size_t n;
	uint64_t sent;                  /* datagrams sent, counted per target */
	uint64_t errors;                /* failed or short sends */
	char last_error[128];
};

/* Add "host/port" (IPv6 hosts may be bracketed). 0, or -1 with err set. */
int forward_add(struct forward *f, const char *spec, char *err, size_t errlen);

/* Send buf[0..len) to every target; failures are counted, not fatal. */
void forward_send(struct forward *f, const uint8_t *buf, size_t len);

/* Close the sockets; `f` is empty afterwards. Safe on a zeroed struct. */
void forward_fini(struct forward *f);

#endif
