/*
 * agent/host/adapters.c: host_adapters (0:2001) from sysfs (contract in
 * adapters.h).
 *
 * Each candidate's small files are read with host_procfile_read_str(), so
 * a missing or malformed file simply disqualifies that interface. The kept
 * set is an array sorted by ifIndex; a new candidate is inserted in place
 * and, when the array is full, the highest ifIndex falls off the end.
 */
#include "agent/host/adapters.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "agent/host/procfile.h"

#define ADAPTERS_IFNAMSIZ 16
#define ADAPTERS_IFF_UP 0x1
#define ADAPTERS_IFF_LOOPBACK 0x8
#define ADAPTERS_ARPHRD_ETHER 1

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decimal ("2") or hex ("0x1003") number in <root>/sys/class/net/<ifname>/<file>. */
static bool read_num(const char *root, const char *ifname, const char *file, uint64_t *v)
{
	char rel[96], text[32];
	const char *p = text;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/%s", ifname, file);
	if (host_procfile_read_str(root, rel, text, sizeof(text)) <= 0)
		return false;
	if (strncmp(text, "0x", 2) == 0) {
		*v = 0;
		for (p += 2; *p; p++) {
			int d = hex_digit(*p);

			if (d < 0 || p - text > 17) /* 16 hex digits at most */
				return false;
			*v = *v * 16 + (uint64_t)d;
		}
		return true;
	}
	return host_procfile_u64(&p, v) && *p == '\0';
}

/* "52:54:00:12:34:56" -> 6 bytes; false unless exactly that shape and non-zero. */
static bool read_mac(const char *root, const char *ifname, uint8_t mac[6])
{
	char rel[96], text[32];
	unsigned any = 0;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/address", ifname);
	if (host_procfile_read_str(root, rel, text, sizeof(text)) != 17)
		return false;
	for (size_t i = 0; i < 6; i++) {
		const char *t = text + 3 * i; /* "hh:" per byte */
		int hi = hex_digit(t[0]), lo = hex_digit(t[1]);

		if (hi < 0 || lo < 0 || (i < 5 && t[2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi * 16 + lo);
		any |= mac[i];
	}
	return any != 0;
}

/* True when ifname qualifies (adapters.h); sets its ifIndex and MAC. */
static bool qualifies(const char *root, const char *ifname, uint32_t *ifindex, uint8_t mac[6])
{
	uint64_t idx, link, type, flags;

	if (!read_num(root, ifname, "ifindex", &idx) || idx == 0 || idx > UINT32_MAX ||
	    !read_num(root, ifname, "iflink", &link) || link != idx ||
	    !read_num(root, ifname, "type", &type) || type != ADAPTERS_ARPHRD_ETHER ||
	    !read_num(root, ifname, "flags", &flags) || !(flags & ADAPTERS_IFF_UP) ||
	    (flags & ADAPTERS_IFF_LOOPBACK) || !read_mac(root, ifname, mac))
		return false;
	*ifindex = (uint32_t)idx;
	return true;
}

/* Insert (ifindex, mac) into the sorted kept set of *n entries. */
static void keep(struct host_adapters *a, uint32_t *n, uint32_t ifindex, const uint8_t mac[6])
{
	uint32_t at = *n;

	while (at > 0 && a->list[at - 1].ifindex > ifindex)
		at--;
	if (at == HOST_ADAPTERS_MAX)
		return;
	if (*n < HOST_ADAPTERS_MAX)
		(*n)++;
	memmove(&a->list[at + 1], &a->list[at], (*n - 1 - at) * sizeof(a->list[0]));
	memmove(a->mac[at + 1], a->mac[at], (*n - 1 - at) * sizeof(a->mac[0]));
	a->list[at].ifindex = ifindex;
	memcpy(a->mac[at], mac, 6);
}

int host_adapters_read(const char *root, struct host_adapters *a)
{
	char path[HOST_PROCFILE_MAX_PATH];
	struct dirent *de;
	uint32_t n = 0;
	DIR *dir;

	memset(a, 0, sizeof(*a));
	if (host_procfile_path(path, sizeof(path), root, "sys/class/net") == -1 ||
	    !(dir = opendir(path)))
		return -1;
	for (int seen = 0; seen < HOST_ADAPTERS_MAX_SCAN && (de = readdir(dir)) != NULL; seen++) {
		uint32_t ifindex;
		uint8_t mac[6];

		if (de->d_name[0] == '.' || strlen(de->d_name) >= ADAPTERS_IFNAMSIZ)
			continue;
		if (qualifies(root, de->d_name, &ifindex, mac))
			keep(a, &n, ifindex, mac);
	}
	closedir(dir);
	for (uint32_t i = 0; i < n; i++) {
		a->list[i].num_macs = 1;
		a->list[i].macs = a->mac[i];
		a->list[i].macs_xdr = false;
	}
	a->rec.adapters.host = a->list;
	a->rec.adapters.count = n;
	return 0;
}
