/*
 * agent/netlink_parse.c: NETLINK_ROUTE link and address messages into
 * events (contract in netlink_parse.h).
 *
 * Headers are copied out with memcpy, so the buffer needs no alignment
 * (captured files are read into any buffer). Lengths: nlmsg_len covers the
 * header and must fit the buffer; NLMSG_ALIGN padding after the last
 * message may be missing. rta_len likewise within the message.
 */
#include "agent/netlink_parse.h"

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

/* One attribute: type and payload within the message. */
struct nl_attr {
	uint16_t type;
	const uint8_t *data;
	size_t len;
};

/* The attribute at *off of body[0..len), advancing *off. 1 when one was
 * read, 0 at the end, -1 when malformed. */
static int next_attr(const uint8_t *body, size_t len, size_t *off, struct nl_attr *a)
{
	struct rtattr rta;

	if (*off >= len)
		return 0;
	if (len - *off < sizeof(rta))
		return -1;
	memcpy(&rta, body + *off, sizeof(rta));
	if (rta.rta_len < sizeof(rta) || rta.rta_len > len - *off)
		return -1;
	a->type = rta.rta_type & NLA_TYPE_MASK;
	a->data = body + *off + RTA_LENGTH(0);
	a->len = rta.rta_len - RTA_LENGTH(0);
	*off += RTA_ALIGN(rta.rta_len);
	return 1;
}

/* A NUL-terminated string attribute into out[cap]: -1 when too long. */
static int attr_str(const struct nl_attr *a, char *out, size_t cap)
{
	size_t n = strnlen((const char *)a->data, a->len);

	if (n >= cap)
		return -1;
	memcpy(out, a->data, n);
	out[n] = '\0';
	return 0;
}

/* IFLA_LINKINFO: nested; we want IFLA_INFO_KIND only. */
static int parse_linkinfo(const struct nl_attr *info, struct netlink_link *l)
{
	size_t off = 0;
	struct nl_attr a;
	int rc;

	while ((rc = next_attr(info->data, info->len, &off, &a)) == 1) {
		if (a.type == IFLA_INFO_KIND && attr_str(&a, l->kind, sizeof(l->kind)) == -1)
			return -1;
	}
	return rc;
}

static int parse_link_attr(const struct nl_attr *a, struct netlink_link *l)
{
	struct rtnl_link_stats64 st;

	switch (a->type) {
	case IFLA_IFNAME:
		return attr_str(a, l->name, sizeof(l->name));
	case IFLA_LINKINFO:
		return parse_linkinfo(a, l);
	case IFLA_STATS64:
		/* Older kernels send a shorter struct: take what is there. */
		if (a->len < offsetof(struct rtnl_link_stats64, multicast) + sizeof(st.multicast))
			return -1;
		memset(&st, 0, sizeof(st));
		memcpy(&st, a->data, a->len < sizeof(st) ? a->len : sizeof(st));
		l->has_multicast = true;
		l->rx_multicast = st.multicast;
		return 0;
	default:
		return 0;
	}
}

static int parse_link(const uint8_t *body, size_t len, struct netlink_event *ev)
{
	struct netlink_link *l = &ev->u.link;
	struct ifinfomsg ifi;
	size_t off = NLMSG_ALIGN(sizeof(ifi));
	struct nl_attr a;
	int rc;

	if (len < sizeof(ifi))
		return -1;
	memcpy(&ifi, body, sizeof(ifi));
	if (ifi.ifi_index <= 0)
		return -1;
	l->ifindex = (uint32_t)ifi.ifi_index;
	l->flags = ifi.ifi_flags;
	l->type = ifi.ifi_type;
	while ((rc = next_attr(body, len, &off, &a)) == 1) {
		if (parse_link_attr(&a, l) == -1)
			return -1;
	}
	return rc;
}

static int parse_addr_attr(const struct nl_attr *a, struct netlink_addr *ad, bool *have_addr)
{
	size_t want = ad->family == AF_INET ? 4 : 16;

	if (a->type == IFA_ADDRESS || a->type == IFA_LOCAL) {
		if (a->len != want)
			return -1;
		/* IFA_LOCAL is the address of this host; IFA_ADDRESS is the
		 * peer's on point-to-point links, so IFA_LOCAL wins. */
		if (a->type == IFA_LOCAL || !*have_addr)
			memcpy(ad->addr, a->data, want);
		*have_addr = true;
	} else if (a->type == IFA_FLAGS) {
		if (a->len != sizeof(uint32_t))
			return -1;
		memcpy(&ad->flags, a->data, sizeof(uint32_t));
	}
	return 0;
}

/* 1 for an event, 0 for an address family we skip, -1 when malformed. */
static int parse_addr(const uint8_t *body, size_t len, struct netlink_event *ev)
{
	struct netlink_addr *ad = &ev->u.addr;
	struct ifaddrmsg ifa;
	size_t off = NLMSG_ALIGN(sizeof(ifa));
	bool have_addr = false;
	struct nl_attr a;
	int rc;

	if (len < sizeof(ifa))
		return -1;
	memcpy(&ifa, body, sizeof(ifa));
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
		return 0;
	ad->family = ifa.ifa_family;
	ad->ifindex = ifa.ifa_index;
	ad->prefix_len = ifa.ifa_prefixlen;
	ad->scope = ifa.ifa_scope;
	ad->flags = ifa.ifa_flags;
	if (ad->prefix_len > (ad->family == AF_INET ? 32 : 128))
		return -1;
	while ((rc = next_attr(body, len, &off, &a)) == 1) {
		if (parse_addr_attr(&a, ad, &have_addr) == -1)
			return -1;
	}
	if (rc == -1 || !have_addr)
		return -1;
	return 1;
}

/* One message into ev. 1: deliver; 0: skip; -1: malformed. */
static int parse_msg(const struct nlmsghdr *h, const uint8_t *body, size_t len,
		     struct netlink_event *ev)
{
	struct nlmsgerr e;

	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ev->type = h->nlmsg_type == RTM_NEWLINK ? NETLINK_EV_LINK_NEW : NETLINK_EV_LINK_DEL;
		return parse_link(body, len, ev) == -1 ? -1 : 1;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ev->type = h->nlmsg_type == RTM_NEWADDR ? NETLINK_EV_ADDR_NEW : NETLINK_EV_ADDR_DEL;
		return parse_addr(body, len, ev);
	case NLMSG_DONE:
		ev->type = NETLINK_EV_DONE;
		return 1;
	case NLMSG_ERROR:
		if (len < sizeof(e.error))
			return -1;
		memcpy(&e.error, body, sizeof(e.error));
		if (e.error == 0)
			return 0; /* an ACK */
		ev->type = NETLINK_EV_ERROR;
		ev->u.error = e.error < 0 ? -e.error : e.error;
		return 1;
	default:
		return 0;
	}
}

int netlink_parse(const void *buf, size_t len, netlink_event_cb *cb, void *arg)
{
	const uint8_t *p = buf;
	size_t off = 0;
	int events = 0;

	while (off < len) {
		struct netlink_event ev;
		struct nlmsghdr h;
		int rc;

		if (len - off < sizeof(h))
			return -1;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return -1;
		memset(&ev, 0, sizeof(ev));
		ev.seq = h.nlmsg_seq;
		rc = parse_msg(&h, p + off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN, &ev);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			cb(&ev, arg);
			events++;
		}
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return events;
}
