/*
 * agent/host/disk.c: host_disk_io (0:2005) from diskstats, sysfs and mounts
 * (contract in disk.h).
 *
 * A diskstats line is "major minor name" and at least 11 counters; only
 * reads (1st), sectors read (3rd), ms reading (4th), writes (5th), sectors
 * written (7th) and ms writing (8th) are used. Sums are kept in 64 bits and
 * cut to the 32-bit fields at the end. Mount points in /proc/mounts escape
 * blanks as \040 and are decoded before use.
 */
#include "agent/host/disk.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "agent/host/procfile.h"

#define DISK_NAME_MAX 64   /* longer names are not real block devices */
#define DISK_SECTOR_BYTES 512 /* diskstats sectors are always 512 bytes */

int host_disk_space_statvfs(const char *path, uint64_t *total_bytes, uint64_t *free_bytes,
			    void *arg)
{
	struct statvfs st;

	(void)arg;
	if (statvfs(path, &st) == -1)
		return -1;
	*total_bytes = (uint64_t)st.f_blocks * st.f_frsize;
	*free_bytes = (uint64_t)st.f_bfree * st.f_frsize;
	return 0;
}

/* True when name is a whole physical disk per <root>/sys/block. */
static bool is_physical_disk(const char *root, const char *name)
{
	char rel[16 + DISK_NAME_MAX], path[HOST_PROCFILE_MAX_PATH], target[PATH_MAX];
	size_t n = strlen(name);
	ssize_t len;

	if (n == 0 || n >= DISK_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	snprintf(rel, sizeof(rel), "sys/block/%s", name);
	for (char *c = rel + 10; *c; c++) /* sysfs spells "cciss/c0d0" as "cciss!c0d0" */
		if (*c == '/')
			*c = '!';
	if (host_procfile_path(path, sizeof(path), root, rel) == -1)
		return false;
	len = readlink(path, target, sizeof(target) - 1);
	if (len == -1)
		return false;
	target[len] = '\0';
	return strstr(target, "/virtual/") == NULL && strncmp(target, "virtual/", 8) != 0;
}

struct disk_sums {
	uint64_t reads, sectors_read, read_ms, writes, sectors_written, write_ms;
};

/* Add one diskstats line to *s when it names a physical disk. */
static void add_diskstats_line(const char *root, char *line, struct disk_sums *s)
{
	const char *p = line;
	uint64_t major, minor, v[8];
	char *name, *end;

	if (!host_procfile_u64(&p, &major) || !host_procfile_u64(&p, &minor))
		return;
	while (*p == ' ' || *p == '\t')
		p++;
	name = (char *)p;
	end = strpbrk(name, " \t");
	if (!end)
		return;
	*end = '\0';
	p = end + 1;
	for (int i = 0; i < 8; i++)
		if (!host_procfile_u64(&p, &v[i]))
			return;
	if (!is_physical_disk(root, name))
		return;
	s->reads += v[0];
	s->sectors_read += v[2];
	s->read_ms += v[3];
	s->writes += v[4];
	s->sectors_written += v[6];
	s->write_ms += v[7];
}

static int read_diskstats(const char *root, struct sfl_ctr_host_disk *out)
{
	struct disk_sums s = { 0 };
	struct host_procfile f;
	char *line;

	if (host_procfile_open(&f, root, "proc/diskstats") == -1)
		return -1;
	while ((line = host_procfile_next_line(&f)) != NULL)
		add_diskstats_line(root, line, &s);
	host_procfile_close(&f);
	out->reads = (uint32_t)s.reads;
	out->bytes_read = s.sectors_read * DISK_SECTOR_BYTES;
	out->read_time_ms = (uint32_t)s.read_ms;
	out->writes = (uint32_t)s.writes;
	out->bytes_written = s.sectors_written * DISK_SECTOR_BYTES;
	out->write_time_ms = (uint32_t)s.write_ms;
	return 0;
}

/* Decode /proc/mounts octal escapes (\040 blank, \011 tab, \012, \134) in place. */
static void unescape_mount(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* Split "dev mnt fstype opts ..." in place. True for a local rw /dev/ mount. */
static bool parse_mount_line(char *line, char **dev, char **mnt)
{
	char *save = NULL, *fstype, *opts;

	*dev = strtok_r(line, " \t", &save);
	*mnt = strtok_r(NULL, " \t", &save);
	fstype = strtok_r(NULL, " \t", &save);
	opts = strtok_r(NULL, " \t", &save);
	if (!*dev || !*mnt || !fstype || !opts || strncmp(*dev, "/dev/", 5) != 0)
		return false;
	if (strncmp(opts, "rw", 2) != 0 || (opts[2] != ',' && opts[2] != '\0'))
		return false; /* the kernel always lists rw/ro first */
	unescape_mount(*mnt);
	return true;
}

static bool seen_before(const char *const *devs, size_t n, const char *dev)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(devs[i], dev) == 0)
			return true;
	return false;
}

/* (total - free) * 10000 / total, rounded down, without 64-bit overflow;
 * total > 0 and free <= total. A used share that large has total >= 10000. */
static uint64_t used_hundredths(uint64_t total, uint64_t free_b)
{
	uint64_t used = total - free_b;

	if (used > UINT64_MAX / 10000)
		return used / (total / 10000);
	return used * 10000 / total;
}

static void read_space(const char *root, host_disk_space_fn *space, void *arg,
		       struct sfl_ctr_host_disk *out)
{
	const char *devs[HOST_DISK_MAX_MOUNTS];
	char path[HOST_PROCFILE_MAX_PATH], *line, *dev, *mnt;
	struct host_procfile f;
	size_t ndev = 0;
	uint64_t total, free_b, max_used = 0;
	bool any = false;

	if (!space || host_procfile_open(&f, root, "proc/mounts") == -1)
		return;
	while ((line = host_procfile_next_line(&f)) != NULL && ndev < HOST_DISK_MAX_MOUNTS) {
		if (!parse_mount_line(line, &dev, &mnt) || seen_before(devs, ndev, dev))
			continue;
		devs[ndev++] = dev;
		if (host_procfile_path(path, sizeof(path), root, mnt) == -1 ||
		    space(path, &total, &free_b, arg) == -1 || total == 0 || free_b > total)
			continue;
		out->disk_total += total;
		out->disk_free += free_b;
		if (used_hundredths(total, free_b) > max_used)
			max_used = used_hundredths(total, free_b);
		any = true;
	}
	host_procfile_close(&f);
	if (any)
		out->part_max_used = (int32_t)(max_used > 10000 ? 10000 : max_used);
}

int host_disk_read(const char *root, host_disk_space_fn *space, void *arg,
		   struct sfl_ctr_host_disk *out)
{
	memset(out, 0, sizeof(*out));
	out->part_max_used = -1;
	if (read_diskstats(root, out) == -1)
		return -1;
	read_space(root, space, arg, out);
	return 0;
}
