/*
 * agent/netlink_parse.h: a pure parser of NETLINK_ROUTE messages about
 * links (RTM_NEWLINK, RTM_DELLINK) and addresses (RTM_NEWADDR,
 * RTM_DELADDR), as the kernel sends them in dump replies and to the
 * RTMGRP_LINK / RTMGRP_IPV4_IFADDR / RTMGRP_IPV6_IFADDR groups.
 *
 * It is the "parse" half of agent/netlink (STYLE B11): it takes the bytes
 * of one recv() and turns every message into one struct netlink_event for
 * a callback; the unit test feeds it captured bytes
 * (tests/data/netlink/<case>.bin). Every length is checked before the read it
 * guards; a malformed message stops the walk and the call returns -1
 * (events before it were delivered). Messages of other types (RTM_NEWROUTE
 * ...) and attributes it does not know are skipped by length. No logging,
 * no allocation, no state: safe on any thread.
 */
#ifndef RTFLOW_AGENT_NETLINK_PARSE_H
#define RTFLOW_AGENT_NETLINK_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETLINK_PARSE_IFNAMSIZ 16 /* IFNAMSIZ, NUL included */

enum netlink_event_type {
	NETLINK_EV_LINK_NEW,  /* a link appeared or changed (name, flags) */
	NETLINK_EV_LINK_DEL,  /* a link is gone */
	NETLINK_EV_ADDR_NEW,  /* an address was added (or changed) */
	NETLINK_EV_ADDR_DEL,  /* an address was removed */
	NETLINK_EV_DONE,      /* NLMSG_DONE: the end of a dump */
	NETLINK_EV_ERROR,     /* NLMSG_ERROR with a non-zero error (a failed request) */
	NETLINK_EV_RESYNC,    /* never from the parser: agent/netlink starts a full dump */
};

struct netlink_link {
	uint32_t ifindex;
	char name[NETLINK_PARSE_IFNAMSIZ]; /* IFLA_IFNAME; "" when absent */
	uint32_t flags;                    /* IFF_* of ifinfomsg */
	uint16_t type;                     /* ARPHRD_* */
	char kind[NETLINK_PARSE_IFNAMSIZ]; /* IFLA_LINKINFO/IFLA_INFO_KIND ("veth", "vlan"), "" */
	bool has_multicast;                /* IFLA_STATS64 was present */
	uint64_t rx_multicast;             /* rtnl_link_stats64.multicast */
};

struct netlink_addr {
	uint32_t ifindex;
	int family;        /* AF_INET or AF_INET6 */
	uint8_t addr[16];  /* network order; 4 bytes used for AF_INET */
	uint8_t prefix_len;
	uint8_t scope;     /* RT_SCOPE_* */
	uint32_t flags;    /* IFA_F_* (IFA_FLAGS when present, else ifa_flags) */
};

struct netlink_event {
	enum netlink_event_type type;
	uint32_t seq;      /* nlmsg_seq: 0 for multicast notifications */
	union {
		struct netlink_link link;  /* LINK_NEW, LINK_DEL */
		struct netlink_addr addr;  /* ADDR_NEW, ADDR_DEL */
		int error;                 /* ERROR: a positive errno */
	} u;
};

/* Called once per event; ev is valid only during the call. */
typedef void netlink_event_cb(const struct netlink_event *ev, void *arg);

/* Walk the netlink messages in buf[0..len) and call cb for each one this
 * parser knows. Returns the number of events delivered, or -1 when a
 * message or attribute is malformed (truncated header, a length that runs
 * past the buffer, an address of the wrong size). An RTM_NEWADDR of a
 * family other than AF_INET/AF_INET6 is skipped, not an error. */
int netlink_parse(const void *buf, size_t len, netlink_event_cb *cb, void *arg);

#endif
