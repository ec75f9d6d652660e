/*
 * agent/sender.c: datagram assembly and UDP output (see sender.h).
 *
 * The encoder writes the datagram header when a datagram opens; the uptime
 * word is patched just before sending, so it says when the datagram left,
 * as in hsflowd's SFDSend().
 */
#include "agent/sender.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sflow/sflow.h"

__attribute__((format(printf, 1, 2))) static char *err_dup(const char *fmt, ...)
{
	va_list ap;

	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return strdup(msg);
}

static void addr_from_config(const struct agent_config_ip *ip, struct sfl_address *out)
{
	memset(out, 0, sizeof(*out));
	out->type = ip->family == AF_INET6 ? SFL_ADDR_IP6 : SFL_ADDR_IP4;
	memcpy(out->addr, ip->addr, ip->family == AF_INET6 ? 16 : 4);
}

/* First usable address of `family` in getifaddrs() order: up, not
 * loopback, and for IPv6 not link-local. 0 when found. */
static int first_host_address(const struct ifaddrs *list, int family, struct sfl_address *out)
{
	for (const struct ifaddrs *i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family)
			continue;
		if (!(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		memset(out, 0, sizeof(*out));
		if (family == AF_INET) {
			const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)i->ifa_addr;

			out->type = SFL_ADDR_IP4;
			memcpy(out->addr, &sin->sin_addr, 4);
			return 0;
		}
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)i->ifa_addr;

		if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) || IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			continue;
		out->type = SFL_ADDR_IP6;
		memcpy(out->addr, &sin6->sin6_addr, 16);
		return 0;
	}
	return -1;
}

int sender_pick_agent_address(const struct agent_config *c, struct sfl_address *out)
{
	struct ifaddrs *list = NULL;
	static const uint8_t localhost[4] = { 127, 0, 0, 1 };

	if (c->agent_ip.family != 0) {
		addr_from_config(&c->agent_ip, out);
		return 0;
	}
	if (getifaddrs(&list) == 0) {
		int found = first_host_address(list, AF_INET, out) == 0 ||
			    first_host_address(list, AF_INET6, out) == 0;

		freeifaddrs(list);
		if (found)
			return 0;
	}
	memset(out, 0, sizeof(*out));
	out->type = SFL_ADDR_IP4;
	memcpy(out->addr, localhost, 4);
	return 0;
}

/* A UDP socket of `family` made inside /var/run/netns/<netns>. -1 with
 * *err set. Failing to return to our own namespace would leave every
 * later socket in the wrong one: that aborts. */
static int socket_in_netns(const char *netns, int family, const char *name, char **err)
{
	char path[128];
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), target, fd = -1;

	snprintf(path, sizeof(path), "/var/run/netns/%s", netns);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (self == -1 || target == -1) {
		*err = err_dup("collector %s: namespace=%s: open %s: %s", name, netns,
			       self == -1 ? "/proc/self/ns/net" : path, strerror(errno));
	} else if (setns(target, CLONE_NEWNET) == -1) {
		*err = err_dup("collector %s: namespace=%s: setns: %s%s", name, netns, strerror(errno),
			       errno == EPERM ? " (privileges already dropped: restart the agent to"
						" add a namespace)" : "");
	} else {
		fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd == -1)
			*err = err_dup("collector %s: namespace=%s: socket: %s", name, netns,
				       strerror(errno));
		if (setns(self, CLONE_NEWNET) == -1) {
			log_msg(LOG_CRIT, "sender: cannot return to the agent's network namespace: %s",
				strerror(errno));
			abort();
		}
	}
	if (self != -1)
		close(self);
	if (target != -1)
		close(target);
	return fd;
}

/* A socket of an open collector in `old` with cc's namespace, dev and
 * family, duplicated; -1 when there is none. */
static int reuse_socket(const struct sender *old, const struct agent_config_collector *cc)
{
	for (size_t i = 0; old && i < old->collector_count; i++) {
		const struct sender_collector *o = &old->collectors[i];

		if (o->fd != -1 && o->family == cc->ip.family && strcmp(o->netns, cc->netns) == 0 &&
		    strcmp(o->dev, cc->dev) == 0)
			return fcntl(o->fd, F_DUPFD_CLOEXEC, 0);
	}
	return -1;
}

/* Open the socket of collector cc into *out (reusing one of `old`'s for a
 * namespace). 0, or -1 with *err set. */
static int collector_open(const struct agent_config_collector *cc, const struct sender *old,
			  struct sender_collector *out, char **err)
{
	char ip[INET6_ADDRSTRLEN];

	memset(out, 0, sizeof(*out));
	out->family = cc->ip.family;
	memcpy(out->addr, cc->ip.addr, sizeof(out->addr));
	out->port = (uint16_t)cc->udp_port;
	inet_ntop(cc->ip.family, cc->ip.addr, ip, sizeof(ip));
	snprintf(out->name, sizeof(out->name), "%s/%u", ip, (unsigned)cc->udp_port);
	snprintf(out->netns, sizeof(out->netns), "%s", cc->netns);
	snprintf(out->dev, sizeof(out->dev), "%s", cc->dev);
	if (cc->netns[0] != '\0') {
		out->fd = reuse_socket(old, cc);
		if (out->fd != -1)
			return 0; /* bound to its device already */
		out->fd = socket_in_netns(cc->netns, cc->ip.family, out->name, err);
		if (out->fd == -1)
			return -1;
	} else {
		out->fd = socket(cc->ip.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (out->fd == -1) {
		*err = err_dup("collector %s: socket: %s", out->name, strerror(errno));
		return -1;
	}
	if (cc->dev[0] != '\0' &&
	    setsockopt(out->fd, SOL_SOCKET, SO_BINDTODEVICE, cc->dev, (socklen_t)strlen(cc->dev)) == -1) {
		*err = err_dup("collector %s: bind to device: %s", out->name, strerror(errno));
		close(out->fd);
		out->fd = -1;
		return -1;
	}
	return 0;
}

static void collectors_close(struct sender_collector *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].fd != -1)
			close(v[i].fd);
		v[i].fd = -1;
	}
}

/* Open every collector of c into v (old: the running sender, or NULL).
 * 0, or -1 with *err set and none open. */
static int collectors_open(const struct agent_config *c, const struct sender *old,
			   struct sender_collector *v, char **err)
{
	for (size_t i = 0; i < c->collector_count; i++) {
		if (collector_open(&c->collectors[i], old, &v[i], err) == -1) {
			collectors_close(v, i);
			return -1;
		}
	}
	return 0;
}

static void apply_settings(struct sender *s, const struct agent_config *c)
{
	s->datagram_bytes = c->datagram_bytes;
	if (s->datagram_bytes > SENDER_MAX_DATAGRAM_BYTES)
		s->datagram_bytes = SENDER_MAX_DATAGRAM_BYTES;
	s->hdr.sub_agent_id = c->sub_agent_id;
	if (c->agent_ip.family != 0 || s->hdr.agent.type == 0)
		sender_pick_agent_address(c, &s->hdr.agent);
}

bool sender_set_agent_address(struct sender *s, const struct sfl_address *a, uint64_t now_ms)
{
	size_t len = a->type == SFL_ADDR_IP6 ? 16 : 4;

	if (s->hdr.agent.type == a->type && memcmp(s->hdr.agent.addr, a->addr, len) == 0)
		return false;
	sender_flush(s, now_ms);
	memset(&s->hdr.agent, 0, sizeof(s->hdr.agent));
	s->hdr.agent.type = a->type;
	memcpy(s->hdr.agent.addr, a->addr, len);
	s->seq = 0;
	s->start_ms = now_ms;
	return true;
}

struct sender *sender_new(const struct agent_config *c, uint64_t start_ms, char **err)
{
	struct sender *s = calloc(1, sizeof(*s));

	if (!s) {
		*err = strdup("sender: out of memory");
		return NULL;
	}
	if (collectors_open(c, NULL, s->collectors, err) == -1) {
		free(s);
		return NULL;
	}
	s->collector_count = c->collector_count;
	s->start_ms = start_ms;
	apply_settings(s, c);
	return s;
}

void sender_free(struct sender *s, uint64_t now_ms)
{
	if (!s)
		return;
	sender_flush(s, now_ms);
	collectors_close(s->collectors, s->collector_count);
	free(s);
}

int sender_reconfigure(struct sender *s, const struct agent_config *c, uint64_t now_ms,
		       char **err)
{
	struct sender_collector fresh[AGENT_CONFIG_MAX_COLLECTORS];

	if (collectors_open(c, s, fresh, err) == -1)
		return -1;
	sender_flush(s, now_ms);
	collectors_close(s->collectors, s->collector_count);
	memcpy(s->collectors, fresh, c->collector_count * sizeof(fresh[0]));
	s->collector_count = c->collector_count;
	apply_settings(s, c);
	return 0;
}

/* Put the uptime at send time into the open datagram's header. */
static void patch_uptime(struct sender *s, uint64_t now_ms)
{
	size_t at = 8 + (s->hdr.agent.type == SFL_ADDR_IP6 ? 16 : 4) + 8;
	uint32_t v = htonl((uint32_t)(now_ms - s->start_ms));

	memcpy(s->buf + at, &v, 4);
}

static void send_one(struct sender *s, struct sender_collector *co, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;

	if (co->family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(co->port);
		memcpy(&a->sin6_addr, co->addr, 16);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(co->port);
		memcpy(&a->sin_addr, co->addr, 4);
		sl = sizeof(*a);
	}
	if (sendto(co->fd, buf, len, 0, (struct sockaddr *)&ss, sl) == -1) {
		s->stats.send_errors++;
		log_every(&co->err_limit, 60, LOG_WARNING, "sender: sendto %s: %s", co->name,
			  strerror(errno));
	}
}

void sender_flush(struct sender *s, uint64_t now_ms)
{
	size_t len;

	if (!s->open)
		return;
	s->open = false;
	if (s->enc.num_samples == 0)
		return;
	len = sfl_encode_end(&s->enc);
	patch_uptime(s, now_ms);
	s->seq = s->hdr.seq;
	s->stats.datagrams++;
	for (size_t i = 0; i < s->collector_count; i++)
		send_one(s, &s->collectors[i], s->buf, len);
}

/* Open a datagram numbered one past the last one sent. */
static int datagram_open(struct sender *s)
{
	s->hdr.seq = s->seq + 1;
	if (sfl_encode_begin(&s->enc, s->buf, s->datagram_bytes, &s->hdr) == -1)
		return -1;
	s->open = true;
	return 0;
}

/* Encode the sample into the open datagram. 0, or -1 (encoder rewound). */
static int encode_sample(struct sender *s, const struct sfl_sample *s_hdr,
			 const struct sfl_record *recs, size_t n)
{
	if (sfl_encode_sample_begin(&s->enc, s_hdr) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		sfl_encode_record(&s->enc, &recs[i]);
	return sfl_encode_sample_end(&s->enc);
}

int sender_add_sample(struct sender *s, const struct sfl_sample *s_hdr,
		      const struct sfl_record *recs, size_t n, uint64_t now_ms)
{
	if (!s->open && datagram_open(s) == -1)
		return -1;
	if (encode_sample(s, s_hdr, recs, n) == 0) {
		s->stats.samples++;
		return 0;
	}
	if (s->enc.full && s->enc.num_samples > 0) {
		/* Did not fit behind the samples already there: send them and
		 * try once more in an empty datagram. */
		sender_flush(s, now_ms);
		if (datagram_open(s) == -1)
			return -1;
		if (encode_sample(s, s_hdr, recs, n) == 0) {
			s->stats.samples++;
			return 0;
		}
	}
	s->stats.dropped_samples++;
	return -1;
}
