/*
 * tests/fuzz/fuzz_agent_host.c: fuzz target for the host counter readers
 * (agent/host/). The input is split at form feeds ('\f'); chunk i becomes
 * file i of the table below inside a private temporary root, and files
 * without a chunk get the whole input. Every reader then runs over that
 * root, with a fake filesystem-space function whose sizes come from the
 * input so the part_max_used arithmetic sees extreme values. Invariants:
 * no crash or sanitizer report, strings within their sFlow bounds and
 * pointing into the record's own storage, part_max_used in -1..10000,
 * unread groups zero, and at most one adapter from the one interface. A broken invariant aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/host/adapters.h"
#include "agent/host/cpu.h"
#include "agent/host/descr.h"
#include "agent/host/disk.h"
#include "agent/host/mem.h"
#include "agent/host/nio.h"
#include "agent/host/snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char *const files[] = {
	"proc/net/snmp", "proc/stat", "proc/loadavg", "proc/meminfo", "proc/vmstat",
	"proc/diskstats", "proc/mounts", "proc/net/dev", "proc/sys/kernel/hostname",
	"proc/sys/kernel/osrelease", "proc/sys/kernel/arch", "etc/machine-id",
	"sys/class/dmi/id/product_uuid", "proc/uptime", "proc/cpuinfo",
	"sys/class/net/eth0/ifindex", "sys/class/net/eth0/iflink", "sys/class/net/eth0/type",
	"sys/class/net/eth0/flags", "sys/class/net/eth0/address",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static const char *const dirs[] = {
	"proc", "proc/net", "proc/sys", "proc/sys/kernel", "etc", "sys", "sys/class",
	"sys/class/dmi", "sys/class/dmi/id", "sys/block", "sys/class/net", "sys/class/net/eth0",
};

static char root[200]; /* $TMPDIR (or /tmp)/rtflow_fuzz_host_XXXXXX */
static uint64_t fake_total, fake_free;

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_agent_host: invariant broken: %s\n", why);
	abort();
}

static void remove_root(void)
{
	char path[256];

	for (size_t i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sys/block/sda", root);
	unlink(path);
	for (size_t i = sizeof(dirs) / sizeof(dirs[0]); i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		rmdir(path);
	}
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[256];

	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (!tmp || !*tmp || strlen(tmp) > 150)
		tmp = "/tmp";
	snprintf(root, sizeof(root), "%s/rtflow_fuzz_host_XXXXXX", tmp);
	if (!mkdtemp(root))
		fail("mkdtemp");
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0700) == -1)
			fail("mkdir");
	}
	/* one physical disk so diskstats lines naming sda are summed */
	snprintf(path, sizeof(path), "%s/sys/block/sda", root);
	if (symlink("../devices/pci0000:00/block/sda", path) == -1)
		fail("symlink");
	atexit(remove_root);
	return 0;
}

static void write_file(const char *rel, const uint8_t *p, size_t n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "wb");
	if (!f)
		fail("fopen");
	if (n && fwrite(p, 1, n, f) != n)
		fail("fwrite");
	fclose(f);
}

static int fake_space(const char *path, uint64_t *total, uint64_t *free_b, void *arg)
{
	(void)path;
	(void)arg;
	*total = fake_total;
	*free_b = fake_free;
	return 0;
}

static void check_descr(void)
{
	struct host_descr d;

	if (host_descr_read(root, NULL, &d) == -1)
		return;
	if (d.rec.hostname.len == 0 || d.rec.hostname.len > HOST_DESCR_HOSTNAME_MAX ||
	    d.rec.hostname.ptr != d.hostname)
		fail("hostname bounds");
	if (d.rec.os_release.len > HOST_DESCR_RELEASE_MAX || d.rec.os_release.ptr != d.os_release)
		fail("os_release bounds");
	if (d.rec.machine_type > 12 || d.rec.os_name != 2)
		fail("enum range");
}

static void check_adapters(void)
{
	struct host_adapters a;

	if (host_adapters_read(root, &a) == -1)
		fail("sys/class/net exists");
	if (a.rec.adapters.count > 1)
		fail("one interface directory, at most one adapter");
	if (a.rec.adapters.count == 1 && (a.list[0].ifindex == 0 || a.list[0].macs != a.mac[0]))
		fail("adapter fields");
}

static void check_counters(void)
{
	struct sfl_ctr_host_cpu c;
	struct sfl_ctr_host_mem m;
	struct sfl_ctr_host_disk dk;
	struct sfl_ctr_host_nio n;
	struct host_snmp s;

	host_cpu_read(root, &c);
	host_mem_read(root, &m);
	host_nio_read(root, &n);
	if (host_disk_read(root, fake_space, NULL, &dk) == 0 &&
	    (dk.part_max_used < -1 || dk.part_max_used > 10000))
		fail("part_max_used range");
	if (host_snmp_read(root, &s) == 0 && !s.has_tcp && (s.tcp.rto_algorithm || s.tcp.in_csum_errs))
		fail("unread group not zero");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;

	fake_total = size ? (uint64_t)data[0] << (size % 57) : 0;
	fake_free = size > 1 ? (uint64_t)data[1] << (size % 61) : 0;
	for (size_t i = 0; i < NFILES; i++) {
		const uint8_t *ff = p < end ? memchr(p, '\f', (size_t)(end - p)) : NULL;

		if (p < end) {
			write_file(files[i], p, ff ? (size_t)(ff - p) : (size_t)(end - p));
			p = ff ? ff + 1 : end;
		} else {
			write_file(files[i], data, size);
		}
	}
	check_descr();
	check_adapters();
	check_counters();
	return 0;
}
