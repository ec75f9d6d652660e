/*
 * sflow/dump/forward.c: datagram forwarding for -f (see forward.h).
 *
 * The target is parsed with getaddrinfo(AI_NUMERICHOST) so that no name
 * lookup happens behind the user's back (sflowtool needs -D for that).
 * Sends are blocking: with several targets a slow one delays the others,
 * which for a diagnostic tool is better than dropping silently.
 */
#include "sflow/dump/forward.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORWARD_MAX_SPEC 128

/* Split "host/port" into host[] and *port; strips IPv6 brackets. */
static int parse_spec(const char *spec, char *host, size_t hostlen, unsigned long *port)
{
	const char *slash = strrchr(spec, '/');
	size_t n;
	char *end;

	if (!slash || slash == spec)
		return -1;
	n = (size_t)(slash - spec);
	if (spec[0] == '[' && n >= 2 && spec[n - 1] == ']') {
		spec++;
		n -= 2;
	}
	if (n >= hostlen)
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	errno = 0;
	*port = strtoul(slash + 1, &end, 10);
	if (errno || *end != '\0' || end == slash + 1 || *port == 0 || *port > 65535)
		return -1;
	return 0;
}

int forward_add(struct forward *f, const char *spec, char *err, size_t errlen)
{
	char host[FORWARD_MAX_SPEC];
	unsigned long port;
	struct addrinfo hints, *ai = NULL;
	struct forward_target *t, *grown;
	int rc;

	if (parse_spec(spec, host, sizeof(host), &port) == -1) {
		snprintf(err, errlen, "-f %s: expected host/port with a numeric address", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST;
	rc = getaddrinfo(host, NULL, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "-f %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	grown = realloc(f->targets, (f->n + 1) * sizeof(*f->targets));
	if (!grown) {
		freeaddrinfo(ai);
		snprintf(err, errlen, "-f %s: out of memory", spec);
		return -1;
	}
	f->targets = grown;
	t = &f->targets[f->n];
	memset(t, 0, sizeof(*t));
	memcpy(&t->addr, ai->ai_addr, ai->ai_addrlen);
	t->addr_len = ai->ai_addrlen;
	if (ai->ai_family == AF_INET)
		((struct sockaddr_in *)&t->addr)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&t->addr)->sin6_port = htons((uint16_t)port);
	t->fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	freeaddrinfo(ai);
	if (t->fd == -1) {
		snprintf(err, errlen, "-f %s: socket: %s", spec, strerror(errno));
		return -1;
	}
	f->n++;
	return 0;
}

void forward_send(struct forward *f, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct forward_target *t = &f->targets[i];
		ssize_t sent;

		do {
			sent = sendto(t->fd, buf, len, 0, (const struct sockaddr *)&t->addr,
				      t->addr_len);
		} while (sent == -1 && errno == EINTR);
		if (sent == (ssize_t)len) {
			f->sent++;
			continue;
		}
		f->errors++;
		snprintf(f->last_error, sizeof(f->last_error), "sendto: %s",
			 sent == -1 ? strerror(errno) : "short send");
	}
}

void forward_fini(struct forward *f)
{
	for (size_t i = 0; i < f->n; i++)
		close(f->targets[i].fd);
	free(f->targets);
	memset(f, 0, sizeof(*f));
}
