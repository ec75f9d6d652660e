/*
 * agent/host/nio.c: host_net_io (0:2006) from /proc/net/dev (contract in
 * nio.h).
 *
 * A data line is "<name>: rx bytes packets errs drop fifo frame compressed
 * multicast, tx bytes packets errs drop ...". Interface names cannot hold
 * ':' or '/' (dev_valid_name()), so the first ':' ends the name and the
 * name is safe in a sysfs path once "." and ".." are refused.
 */
#include "agent/host/nio.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/host/procfile.h"

#define NIO_IFNAMSIZ 16      /* IFNAMSIZ including the NUL */
#define NIO_COLS 12          /* rx 8 columns, then tx bytes packets errs drop */
#define NIO_IFF_LOOPBACK 0x8 /* from <linux/if.h>, kept local to stay libc-only */

static bool exists(const char *root, const char *dir, const char *name, const char *sub)
{
	char rel[128], path[HOST_PROCFILE_MAX_PATH];
	int n = snprintf(rel, sizeof(rel), "%s/%s%s", dir, name, sub);

	if (n < 0 || (size_t)n >= sizeof(rel) ||
	    host_procfile_path(path, sizeof(path), root, rel) == -1)
		return false;
	return access(path, F_OK) == 0;
}

static bool is_loopback(const char *root, const char *name)
{
	char rel[64], flags[32];
	const char *p = flags;
	uint64_t v = 0;

	if (strcmp(name, "lo") == 0)
		return true;
	snprintf(rel, sizeof(rel), "sys/class/net/%s/flags", name);
	if (host_procfile_read_str(root, rel, flags, sizeof(flags)) < 3 ||
	    strncmp(flags, "0x", 2) != 0)
		return false;
	for (p += 2; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
		v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	return (v & NIO_IFF_LOOPBACK) != 0;
}

/* True when name's traffic must not be added (see nio.h). */
static bool excluded(const char *root, const char *name)
{
	return is_loopback(root, name) || exists(root, "sys/class/net", name, "/bonding") ||
	       exists(root, "sys/class/net", name, "/bridge") ||
	       exists(root, "proc/net/vlan", name, "");
}

struct nio_sums {
	uint64_t v[NIO_COLS];
};

/* Add one /proc/net/dev line to *s. Returns 0 when it was a counted interface. */
static int add_line(const char *root, char *line, struct nio_sums *s)
{
	char *colon = strchr(line, ':'), *name = line;
	const char *p;
	uint64_t v[NIO_COLS];

	if (!colon)
		return -1;
	*colon = '\0';
	while (*name == ' ' || *name == '\t')
		name++;
	if (*name == '\0' || strlen(name) >= NIO_IFNAMSIZ || strpbrk(name, " \t/") ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -1;
	p = colon + 1;
	for (int i = 0; i < NIO_COLS; i++)
		if (!host_procfile_u64(&p, &v[i]))
			return -1;
	if (excluded(root, name))
		return -1;
	for (int i = 0; i < NIO_COLS; i++)
		s->v[i] += v[i];
	return 0;
}

int host_nio_read(const char *root, struct sfl_ctr_host_nio *out)
{
	struct nio_sums s = { { 0 } };
	struct host_procfile f;
	char *line;

	memset(out, 0, sizeof(*out));
	if (host_procfile_open(&f, root, "proc/net/dev") == -1)
		return -1;
	while ((line = host_procfile_next_line(&f)) != NULL)
		add_line(root, line, &s);
	host_procfile_close(&f);
	out->bytes_in = s.v[0];
	out->pkts_in = (uint32_t)s.v[1];
	out->errs_in = (uint32_t)s.v[2];
	out->drops_in = (uint32_t)s.v[3];
	out->bytes_out = s.v[8];
	out->pkts_out = (uint32_t)s.v[9];
	out->errs_out = (uint32_t)s.v[10];
	out->drops_out = (uint32_t)s.v[11];
	return 0;
}
