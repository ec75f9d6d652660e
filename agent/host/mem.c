/*
 * agent/host/mem.c: host_memory (0:2004) from /proc/meminfo and /proc/vmstat
 * (contract in mem.h).
 *
 * Both files are "key value" lines (meminfo as "Key:   123 kB"); each key
 * is looked up in a small table, so order, unknown keys and missing keys
 * are all harmless. A value whose kB -> bytes product would overflow 64
 * bits is refused rather than wrapped.
 */
#include "agent/host/mem.h"

#include <stddef.h>
#include <string.h>

#include "agent/host/procfile.h"

enum mem_key { MK_TOTAL, MK_FREE, MK_SHMEM, MK_BUFFERS, MK_CACHED, MK_SRECLAIM,
	       MK_SWAP_TOTAL, MK_SWAP_FREE, MK_COUNT };

static const char *const meminfo_keys[MK_COUNT] = {
	[MK_TOTAL] = "MemTotal", [MK_FREE] = "MemFree", [MK_SHMEM] = "Shmem",
	[MK_BUFFERS] = "Buffers", [MK_CACHED] = "Cached", [MK_SRECLAIM] = "SReclaimable",
	[MK_SWAP_TOTAL] = "SwapTotal", [MK_SWAP_FREE] = "SwapFree",
};

struct vmstat_key {
	const char *name;
	size_t offset; /* of the uint32_t field in struct sfl_ctr_host_mem */
};

static const struct vmstat_key vmstat_keys[] = {
	{ "pgpgin", offsetof(struct sfl_ctr_host_mem, page_in) },
	{ "pgpgout", offsetof(struct sfl_ctr_host_mem, page_out) },
	{ "pswpin", offsetof(struct sfl_ctr_host_mem, swap_in) },
	{ "pswpout", offsetof(struct sfl_ctr_host_mem, swap_out) },
};

/* "Key:   123 kB" -> key index and bytes. Returns the index or -1. */
static int parse_meminfo_line(const char *line, uint64_t *bytes)
{
	const char *colon = strchr(line, ':'), *p;
	uint64_t kb;

	if (!colon)
		return -1;
	for (int k = 0; k < MK_COUNT; k++) {
		size_t n = strlen(meminfo_keys[k]);

		if ((size_t)(colon - line) != n || strncmp(line, meminfo_keys[k], n) != 0)
			continue;
		p = colon + 1;
		if (!host_procfile_u64(&p, &kb) || kb > UINT64_MAX / 1024)
			return -1;
		*bytes = kb * 1024;
		return k;
	}
	return -1;
}

static int read_meminfo(const char *root, struct sfl_ctr_host_mem *out)
{
	uint64_t v[MK_COUNT] = { 0 }, bytes;
	bool have_total = false;
	struct host_procfile f;
	char *line;

	if (host_procfile_open(&f, root, "proc/meminfo") == -1)
		return -1;
	while ((line = host_procfile_next_line(&f)) != NULL) {
		int k = parse_meminfo_line(line, &bytes);

		if (k < 0)
			continue;
		v[k] = bytes;
		have_total |= k == MK_TOTAL;
	}
	host_procfile_close(&f);
	if (!have_total)
		return -1;
	out->mem_total = v[MK_TOTAL];
	out->mem_free = v[MK_FREE];
	out->mem_shared = v[MK_SHMEM];
	out->mem_buffers = v[MK_BUFFERS];
	out->mem_cached = v[MK_CACHED] + v[MK_SRECLAIM];
	out->swap_total = v[MK_SWAP_TOTAL];
	out->swap_free = v[MK_SWAP_FREE];
	return 0;
}

static void read_vmstat(const char *root, struct sfl_ctr_host_mem *out)
{
	struct host_procfile f;
	char *line;

	if (host_procfile_open(&f, root, "proc/vmstat") == -1)
		return;
	while ((line = host_procfile_next_line(&f)) != NULL) {
		for (size_t i = 0; i < sizeof(vmstat_keys) / sizeof(vmstat_keys[0]); i++) {
			size_t n = strlen(vmstat_keys[i].name);
			const char *p = line + n;
			uint64_t v;
			uint32_t v32;

			if (strncmp(line, vmstat_keys[i].name, n) != 0 || *p != ' ' ||
			    !host_procfile_u64(&p, &v))
				continue;
			v32 = (uint32_t)v;
			memcpy((char *)out + vmstat_keys[i].offset, &v32, sizeof(v32));
		}
	}
	host_procfile_close(&f);
}

int host_mem_read(const char *root, struct sfl_ctr_host_mem *out)
{
	memset(out, 0, sizeof(*out));
	if (read_meminfo(root, out) == -1)
		return -1;
	read_vmstat(root, out);
	return 0;
}
