/*
 * agent/host/descr.c: host_descr (0:2000) from files under a root
 * (contract in descr.h).
 *
 * Every source is a one-line file read through host_procfile_read_str(),
 * so an oversized or binary file is refused rather than half-used. The
 * machine table is matched by prefix in order, so "x86_64" is tested
 * before the "i?86" family and "aarch64" before "arm".
 */
#include "agent/host/descr.h"

#include <string.h>

#include "agent/host/procfile.h"

#define DESCR_UTS_MAX 65 /* __NEW_UTS_LEN + 1: what the kernel can hand out */

struct machine_map {
	const char *prefix;
	uint32_t type;
};

static const struct machine_map machines[] = {
	{ "x86_64", 3 }, { "amd64", 3 }, { "i386", 2 }, { "i486", 2 }, { "i586", 2 },
	{ "i686", 2 }, { "ia64", 4 }, { "sparc", 5 }, { "alpha", 6 }, { "ppc", 7 },
	{ "powerpc", 7 }, { "m68k", 8 }, { "mips", 9 }, { "aarch64", 10 }, { "arm", 10 },
	{ "parisc", 11 }, { "s390", 12 },
};

uint32_t host_descr_machine_type(const char *machine)
{
	if (!machine || *machine == '\0')
		return 0;
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (strncmp(machine, machines[i].prefix, strlen(machines[i].prefix)) == 0)
			return machines[i].type;
	return 1;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int host_descr_parse_uuid(const char *text, uint8_t out[16])
{
	static const int dash_at[] = { 8, 12, 16, 20 }; /* hex digits before each dash */
	const char *p = text;
	int digits = 0, dashes = 0;
	uint8_t u[16];

	while (*p == ' ' || *p == '\t')
		p++;
	for (; digits < 32; p++) {
		int h = hex_val(*p);

		if (*p == '-' && dashes < 4 && digits == dash_at[dashes]) {
			dashes++;
			continue;
		}
		if (h < 0)
			return -1;
		if (digits % 2 == 0)
			u[digits / 2] = (uint8_t)(h << 4);
		else
			u[digits / 2] |= (uint8_t)h;
		digits++;
	}
	if (dashes != 0 && dashes != 4)
		return -1;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p != '\0')
		return -1;
	memcpy(out, u, 16);
	return 0;
}

/* All bytes equal to b: firmware placeholders, not identities. */
static bool all_bytes(const uint8_t u[16], uint8_t b)
{
	for (int i = 0; i < 16; i++)
		if (u[i] != b)
			return false;
	return true;
}

static uint32_t fnv1a_signed(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (uint32_t)(int32_t)(int8_t)p[i]; /* hsflowd hashes plain (signed) chars */
		h *= 16777619u;
	}
	return h;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void host_descr_fold_machine_id(const uint8_t mid[16], uint8_t out[16])
{
	uint32_t h1 = fnv1a_signed(mid, 8), h2 = fnv1a_signed(mid + 8, 8);

	put_le32(out, h1);
	put_le32(out + 4, h2);
	put_le32(out + 8, h1);
	put_le32(out + 12, h2);
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x50);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

/* The DMI UUID, else the folded machine-id. Returns the source used. */
static enum host_descr_uuid_src read_uuid(const char *root, uint8_t uuid[16])
{
	uint8_t mid[16];
	char text[64];

	if (host_procfile_read_str(root, "sys/class/dmi/id/product_uuid", text, sizeof(text)) > 0 &&
	    host_descr_parse_uuid(text, uuid) == 0 && !all_bytes(uuid, 0) && !all_bytes(uuid, 0xff))
		return HOST_UUID_DMI;
	if (host_procfile_read_str(root, "etc/machine-id", text, sizeof(text)) == 32 &&
	    host_descr_parse_uuid(text, mid) == 0 && !all_bytes(mid, 0)) {
		host_descr_fold_machine_id(mid, uuid);
		return HOST_UUID_MACHINE_ID;
	}
	memset(uuid, 0, 16);
	return HOST_UUID_NONE;
}

int host_descr_read(const char *root, const uint8_t *config_uuid, struct host_descr *d)
{
	char buf[DESCR_UTS_MAX];
	int n;

	memset(d, 0, sizeof(*d));
	n = host_procfile_read_str(root, "proc/sys/kernel/hostname", d->hostname,
				   sizeof(d->hostname));
	if (n <= 0)
		return -1;
	d->rec.hostname.ptr = d->hostname;
	d->rec.hostname.len = (uint32_t)n;

	n = host_procfile_read_str(root, "proc/sys/kernel/osrelease", buf, sizeof(buf));
	if (n > HOST_DESCR_RELEASE_MAX)
		n = HOST_DESCR_RELEASE_MAX;
	if (n > 0)
		memcpy(d->os_release, buf, (size_t)n);
	d->rec.os_release.ptr = d->os_release;
	d->rec.os_release.len = n > 0 ? (uint32_t)n : 0;

	n = host_procfile_read_str(root, "proc/sys/kernel/arch", buf, sizeof(buf));
	d->rec.machine_type = host_descr_machine_type(n > 0 ? buf : NULL);
	d->rec.os_name = 2; /* linux in the sFlow os_name enum */

	if (config_uuid) {
		memcpy(d->rec.uuid, config_uuid, 16);
		d->uuid_src = HOST_UUID_CONFIG;
	} else {
		d->uuid_src = read_uuid(root, d->rec.uuid);
	}
	return 0;
}
