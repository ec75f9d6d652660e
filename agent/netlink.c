/*
 * agent/netlink.c: the NETLINK_ROUTE socket (contract in netlink.h).
 *
 * State machine of the dumps: IDLE -> LINKS (RTM_GETLINK dump sent) ->
 * ADDRS (RTM_GETADDR dump sent) -> IDLE, advanced by the DONE (or ERROR)
 * that carries the dump's sequence number. The kernel runs one dump per
 * socket at a time, hence the two steps. A resync asked for during a dump
 * waits for IDLE.
 */
#include "agent/netlink.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"

enum nl_state { NL_IDLE, NL_LINKS, NL_ADDRS };

struct netlink {
	struct loop *loop;
	int fd;
	netlink_event_cb *cb;
	void *arg;
	enum nl_state state;
	uint32_t seq;              /* sequence number of the last request */
	bool resync_pending;       /* an overrun during a dump */
	uint64_t overruns;
	struct log_limit err_limit;
	uint8_t buf[NETLINK_RECV_BYTES];
};

/* Send a dump request of type (RTM_GETLINK, RTM_GETADDR). 0 or -1. */
static int request_dump(struct netlink *n, uint16_t type)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi; /* ifaddrmsg is shorter; family first in both */
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(type == RTM_GETLINK ? sizeof(struct ifinfomsg)
							    : sizeof(struct ifaddrmsg));
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = ++n->seq;
	req.ifi.ifi_family = AF_UNSPEC;
	if (sendto(n->fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) ==
	    -1) {
		log_every(&n->err_limit, 60, LOG_ERR, "netlink: dump request: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void start_resync(struct netlink *n)
{
	struct netlink_event ev = { .type = NETLINK_EV_RESYNC };

	n->resync_pending = false;
	n->cb(&ev, n->arg);
	n->state = request_dump(n, RTM_GETLINK) == 0 ? NL_LINKS : NL_IDLE;
}

/* Advance the dump state on the end (DONE or ERROR) of our request. */
static void dump_ended(struct netlink *n)
{
	if (n->state == NL_LINKS) {
		n->state = request_dump(n, RTM_GETADDR) == 0 ? NL_ADDRS : NL_IDLE;
		return;
	}
	n->state = NL_IDLE;
	if (n->resync_pending)
		start_resync(n);
}

static void on_event(const struct netlink_event *ev, void *arg)
{
	struct netlink *n = arg;
	bool ours = n->state != NL_IDLE && ev->seq == n->seq &&
		    (ev->type == NETLINK_EV_DONE || ev->type == NETLINK_EV_ERROR);

	if (ev->type == NETLINK_EV_ERROR)
		log_every(&n->err_limit, 60, LOG_WARNING, "netlink: request failed: %s",
			  strerror(ev->u.error));
	n->cb(ev, n->arg);
	if (ours)
		dump_ended(n);
}

static void on_overrun(struct netlink *n)
{
	n->overruns++;
	log_every(&n->err_limit, 60, LOG_WARNING,
		  "netlink: notifications lost (receive buffer full); reading all links again");
	if (n->state == NL_IDLE)
		start_resync(n);
	else
		n->resync_pending = true;
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct netlink *n = arg;

	(void)l;
	(void)events;
	for (int i = 0; i < NETLINK_RECV_QUOTA; i++) {
		ssize_t got = recv(fd, n->buf, sizeof(n->buf), MSG_DONTWAIT);

		if (got == -1) {
			if (errno == ENOBUFS)
				on_overrun(n);
			else if (errno != EAGAIN && errno != EINTR)
				log_every(&n->err_limit, 60, LOG_ERR, "netlink: recv: %s",
					  strerror(errno));
			if (errno != ENOBUFS)
				return;
			continue;
		}
		if (netlink_parse(n->buf, (size_t)got, on_event, n) == -1)
			log_every(&n->err_limit, 60, LOG_WARNING,
				  "netlink: malformed message in %zd bytes; skipped", got);
	}
}

static int open_socket(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	int size = NETLINK_RCVBUF_BYTES;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd == -1)
		return -1;
	/* A failed SO_RCVBUF only makes overruns likelier: not fatal. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct netlink *netlink_new(struct loop *l, netlink_event_cb *cb, void *arg)
{
	struct netlink *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->loop = l;
	n->cb = cb;
	n->arg = arg;
	n->fd = open_socket();
	if (n->fd == -1 || loop_add_fd(l, n->fd, EPOLLIN, on_readable, n) == -1) {
		int e = errno;

		if (n->fd != -1)
			close(n->fd);
		free(n);
		errno = e;
		return NULL;
	}
	start_resync(n);
	return n;
}

void netlink_free(struct netlink *n)
{
	if (!n)
		return;
	loop_del_fd(n->loop, n->fd);
	close(n->fd);
	free(n);
}

uint64_t netlink_overruns(const struct netlink *n)
{
	return n->overruns;
}
