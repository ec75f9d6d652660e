/*
 * analyzer/collector_steer.c: owner hashing, the reuseport steering
 * program and the collector's sockets (see collector_steer.h).
 *
 * The owner of a datagram is a hash of its agent address: the IPv4 word,
 * or the XOR of the four IPv6 words, multiplied by a 32-bit golden-ratio
 * constant (so consecutive addresses spread), its high half folded into
 * the low one (so "mod n" sees the high product bits) and taken mod n.
 * Every step is a classic BPF ALU operation on 32-bit words, so the C
 * function and the kernel program compute the same value by construction;
 * tests/unit/collector_steer_test.c checks it on real sockets.
 */
#include "analyzer/collector_steer.h"

#include <errno.h>
#include <linux/filter.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "analyzer/collector.h"

#define STEER_GOLDEN 0x9e3779b1u
#define STEER_ADDR_IP4 1 /* sFlow address types */
#define STEER_ADDR_IP6 2

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

unsigned collector_owner_shard(const uint8_t *buf, size_t len, unsigned nshards)
{
	uint32_t h, type;

	if (nshards <= 1 || len < 8)
		return 0;
	type = be32_at(buf + 4);
	if (type == STEER_ADDR_IP4 && len >= 12)
		h = be32_at(buf + 8);
	else if (type == STEER_ADDR_IP6 && len >= 24)
		h = be32_at(buf + 8) ^ be32_at(buf + 12) ^ be32_at(buf + 16) ^ be32_at(buf + 20);
	else
		return 0;
	h *= STEER_GOLDEN;
	h ^= h >> 16;
	return h % nshards;
}

int collector_steer_attach(int fd, unsigned n)
{
	/* A load past the end of the datagram ends the program with 0. */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),                  /* 0: A = address type */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STEER_ADDR_IP4, 0, 2), /* 1: IPv4? */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8),                  /* 2: A = address */
		BPF_JUMP(BPF_JMP | BPF_JA, 11, 0, 0),                   /* 3: to 15 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STEER_ADDR_IP6, 0, 16), /* 4: IPv6? else 21 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8),                  /* 5: A = w0 */
		BPF_STMT(BPF_MISC | BPF_TAX, 0),                        /* 6 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 12),                 /* 7: A = w1 */
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),                 /* 8: A ^= X */
		BPF_STMT(BPF_MISC | BPF_TAX, 0),                        /* 9 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),                 /* 10: A = w2 */
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),                 /* 11 */
		BPF_STMT(BPF_MISC | BPF_TAX, 0),                        /* 12 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20),                 /* 13: A = w3 */
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),                 /* 14 */
		BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, STEER_GOLDEN),      /* 15: A *= golden */
		BPF_STMT(BPF_MISC | BPF_TAX, 0),                        /* 16: X = A */
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16),                /* 17: A >>= 16 */
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),                 /* 18: A ^= X */
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, n),                 /* 19: A %= n */
		BPF_STMT(BPF_RET | BPF_A, 0),                           /* 20: socket index */
		BPF_STMT(BPF_RET | BPF_K, 0),                           /* 21: shard 0 */
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof(prog));
}

/* The port of an IPv4 or IPv6 address, host order (sin_port and
 * sin6_port sit at the same offset). */
static uint16_t sa_port(const struct sockaddr_storage *ss)
{
	struct sockaddr_in s4;

	memcpy(&s4, ss, sizeof(s4));
	return ntohs(s4.sin_port);
}

static void sa_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	uint16_t be = htons(port);

	memcpy((uint8_t *)ss + offsetof(struct sockaddr_in, sin_port), &be, sizeof(be));
}

/* The address to bind: the hostname's first address, or the IPv6 (or,
 * without IPv6, the IPv4) wildcard. */
static int steer_address(const char *hostname, uint16_t port, struct sockaddr_storage *ss,
			 socklen_t *len, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res;
	int rc, fd;

	memset(ss, 0, sizeof(*ss));
	if (!hostname) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd != -1) {
			close(fd);
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(port);
			*len = sizeof(*s6);
		} else {
			s4->sin_family = AF_INET;
			s4->sin_port = htons(port);
			*len = sizeof(*s4);
		}
		return 0;
	}
	rc = getaddrinfo(hostname, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "sflow.hostname %s: %s", hostname, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	sa_set_port(ss, port);
	return 0;
}

static void steer_rcvbuf(int fd, uint32_t bytes)
{
	int v = bytes > (uint32_t)INT32_MAX / 2 ? INT32_MAX / 2 : (int)bytes;

	if (bytes == 0)
		return;
	/* SO_RCVBUFFORCE needs CAP_NET_ADMIN; without it SO_RCVBUF is capped
	 * at net.core.rmem_max, which is the best an unprivileged run gets. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

/* One bound socket; -1 with errno set. */
static int steer_socket(const struct sockaddr_storage *ss, socklen_t len, bool reuse,
			uint32_t rcvbuf_bytes)
{
	int one = 1, zero = 0;
	int fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd == -1)
		return -1;
	/* dual stack: IPv4 senders arrive as ::ffff:a.b.c.d */
	if (ss->ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if ((reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == -1) ||
	    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) == -1 ||
	    bind(fd, (const struct sockaddr *)ss, len) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	steer_rcvbuf(fd, rcvbuf_bytes);
	return fd;
}

/* Bind without SO_REUSEPORT to see whether anyone holds the port; with
 * port 0, pick the port every shard then binds. */
static int steer_probe(struct sockaddr_storage *ss, socklen_t len, char *err, size_t errlen)
{
	struct sockaddr_storage got;
	socklen_t glen = sizeof(got);
	int fd = steer_socket(ss, len, false, 0);

	if (fd == -1) {
		snprintf(err, errlen, "sflow.port %u: bind: %s", sa_port(ss), strerror(errno));
		return -1;
	}
	memset(&got, 0, sizeof(got));
	if (getsockname(fd, (struct sockaddr *)&got, &glen) == 0)
		sa_set_port(ss, sa_port(&got));
	close(fd);
	return 0;
}

int collector_steer_bind(const struct collector_steer_opts *o, int *fds, unsigned n,
			 uint16_t *port_out, bool *steered, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned i;

	if (steer_address(o->hostname, o->port, &ss, &len, err, errlen) == -1 ||
	    steer_probe(&ss, len, err, errlen) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		fds[i] = steer_socket(&ss, len, true, o->rcvbuf_bytes);
		if (fds[i] == -1) {
			snprintf(err, errlen, "sflow.port %u: bind shard %u: %s", sa_port(&ss), i,
				 strerror(errno));
			while (i > 0)
				close(fds[--i]);
			return -1;
		}
	}
	*port_out = sa_port(&ss);
	*steered = n > 1 && collector_steer_attach(fds[0], n) == 0;
	return 0;
}
