/*
 * sflow/dump/live.c: UDP input for -p (see live.h).
 *
 * The socket is non-blocking and drained until EAGAIN or LIVE_BATCH
 * datagrams, then poll() waits again; poll() without SA_RESTART returns
 * EINTR on a signal, which is how *stop gets noticed promptly. Arrival
 * times come from gettimeofday(), the wall clock sflowtool prints.
 */
#include "sflow/dump/live.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define LIVE_MAX_DATAGRAM 65536

static int bind_socket(int family, uint16_t port, int v6only, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, size = LIVE_RCVBUF_BYTES;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_any;
		a->sin6_port = htons(port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_ANY);
		a->sin_port = htons(port);
		len = sizeof(*a);
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		int e = errno;

		snprintf(err, errlen, "socket(%s): %s", family == AF_INET6 ? "IPv6" : "IPv4",
			 strerror(e));
		errno = e; /* live_open() looks at it */
		return -1;
	}
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) == -1) {
		snprintf(err, errlen, "IPV6_V6ONLY: %s", strerror(errno));
		close(fd);
		return -1;
	}
	/* best effort: the kernel caps it at net.core.rmem_max */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1) {
		int e = errno;

		snprintf(err, errlen, "bind UDP port %u (%s): %s", port,
			 family == AF_INET6 ? "IPv6" : "IPv4", strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int live_open(uint16_t port, enum live_family family, char *err, size_t errlen)
{
	int fd;

	if (family == LIVE_IPV4)
		return bind_socket(AF_INET, port, 0, err, errlen);
	if (family == LIVE_IPV6)
		return bind_socket(AF_INET6, port, 1, err, errlen);
	fd = bind_socket(AF_INET6, port, 0, err, errlen);
	if (fd == -1 && (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL))
		fd = bind_socket(AF_INET, port, 0, err, errlen); /* no IPv6 on this host */
	return fd;
}

/* The sender as sflowtool shows it: IPv4-mapped IPv6 becomes IPv4. */
static void set_source(struct sfl_address *a, const struct sockaddr_storage *ss)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->type = SFL_ADDR_IP4;
		memcpy(a->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		const uint8_t *ip = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;

		if (memcmp(ip, mapped, 12) == 0) {
			a->type = SFL_ADDR_IP4;
			memcpy(a->addr, ip + 12, 4);
		} else {
			a->type = SFL_ADDR_IP6;
			memcpy(a->addr, ip, 16);
		}
	}
}

/* Receive up to LIVE_BATCH datagrams. 0, or -1 on a socket error. */
static int drain(int fd, uint8_t *buf, live_handler *handler, void *arg)
{
	for (int i = 0; i < LIVE_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t slen = sizeof(ss);
		struct dump_meta m;
		struct timeval tv;
		ssize_t n;

		memset(&ss, 0, sizeof(ss)); /* family 0 ("-") if the kernel gives none */
		n = recvfrom(fd, buf, LIVE_MAX_DATAGRAM, 0, (struct sockaddr *)&ss, &slen);

		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return 0;
			return -1;
		}
		memset(&m, 0, sizeof(m));
		set_source(&m.source, &ss);
		if (gettimeofday(&tv, NULL) == 0) {
			m.read_sec = tv.tv_sec;
			m.read_usec = (uint32_t)tv.tv_usec;
		}
		handler(arg, buf, (size_t)n, &m);
	}
	return 0;
}

int live_run(int fd, live_handler *handler, void *arg, volatile sig_atomic_t *stop,
	     char *err, size_t errlen)
{
	static uint8_t buf[LIVE_MAX_DATAGRAM];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!*stop) {
		int rc = poll(&pfd, 1, 1000);

		if (rc == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			continue;
		if (drain(fd, buf, handler, arg) == -1) {
			snprintf(err, errlen, "recvfrom: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}
