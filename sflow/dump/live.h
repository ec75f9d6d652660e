/*
 * sflow/dump/live.h: -p PORT, receiving sFlow datagrams on a UDP socket.
 *
 * By default one IPv6 socket that also receives IPv4 (dual stack, IPv4
 * senders reported as plain IPv4 addresses), falling back to IPv4 when the
 * host has no IPv6; -4 binds IPv4 only and -6 IPv6 only. The loop waits
 * with poll(), drains at most LIVE_BATCH datagrams per wakeup and returns
 * when *stop becomes non-zero (set it from a signal handler).
 */
#ifndef DUMP_LIVE_H
#define DUMP_LIVE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/dump/dump.h"

#define LIVE_BATCH 64
#define LIVE_RCVBUF_BYTES (2 * 1000 * 1000) /* asked for, as sflowtool does */

enum live_family { LIVE_DUAL, LIVE_IPV4, LIVE_IPV6 };

/* Called for every datagram; `buf` is valid during the call only. */
typedef void live_handler(void *arg, const uint8_t *buf, size_t len, const struct dump_meta *m);

/* Bound socket, or -1 with a reason in err[errlen] ("port in use" ...). */
int live_open(uint16_t port, enum live_family family, char *err, size_t errlen);

/* Receive until *stop; 0, or -1 with err set on a socket failure. */
int live_run(int fd, live_handler *handler, void *arg, volatile sig_atomic_t *stop,
	     char *err, size_t errlen);

#endif
