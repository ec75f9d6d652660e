/*
 * agent/host/disk.h: the host_disk_io counter record (sFlow 0:2005) read
 * from <root>/proc/diskstats, <root>/sys/block and <root>/proc/mounts.
 *
 * I/O counts are summed over whole physical disks only: a diskstats name
 * counts when <root>/sys/block/<name> exists (so partitions, which live
 * below their disk in sysfs, never double-count) and its link does not
 * point into devices/virtual (loop, ram, zram, dm-*, md*, nbd: these sit on
 * top of physical disks or on memory). hsflowd instead skips majors 9 and
 * 253 and sums partitions with their disks. bytes = sectors x 512.
 * Space comes from the local read-write /dev/... mounts of /proc/mounts, one
 * per device, through an injectable function: statvfs() in production,
 * a table in tests, NULL to skip (space then reads as unknown).
 */
#ifndef AGENT_HOST_DISK_H
#define AGENT_HOST_DISK_H

#include <stdint.h>

#include "sflow/records.h"

#define HOST_DISK_MAX_MOUNTS 256 /* distinct devices looked at; more are ignored */

/* Size and free bytes of the filesystem mounted at path. Returns 0 or -1. */
typedef int host_disk_space_fn(const char *path, uint64_t *total_bytes, uint64_t *free_bytes,
			       void *arg);

/* statvfs(path): total f_blocks and free f_bfree, in f_frsize units. arg unused. */
int host_disk_space_statvfs(const char *path, uint64_t *total_bytes, uint64_t *free_bytes,
			    void *arg);

/* Fill *out from the files under root. space (with arg) is called with
 * "<root>/<mount point>" for each counted mount; NULL leaves disk_total and
 * disk_free 0 and part_max_used -1 (unknown), as does a host with no such
 * mount. part_max_used is the fullest mount's used share in hundredths of a
 * percent. Returns 0, or -1 when diskstats cannot be read. */
int host_disk_read(const char *root, host_disk_space_fn *space, void *arg,
		   struct sfl_ctr_host_disk *out);

#endif
