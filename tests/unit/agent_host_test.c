/*
 * Host counter readers (agent/host/: procfile, cpu, mem, disk, nio) over
 * the fixture trees of tests/data/proc/. Every expected value is worked out
 * by hand from the fixture text, with the arithmetic in a comment; nothing
 * is copied from the readers' output. USER_HZ is 100, so a tick is 10 ms.
 * One test reads the live root "/" and checks only that values are sane.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/host/cpu.h"
#include "agent/host/disk.h"
#include "agent/host/mem.h"
#include "agent/host/nio.h"
#include "agent/host/procfile.h"
#include "tests/lib/test.h"

#define CASE1 "tests/data/proc/case1"
#define CASE2 "tests/data/proc/case2"
#define GARBAGE "tests/data/proc/garbage"
#define MISSING "tests/data/proc/missing"

TEST(procfile_numbers_parse_strictly)
{
	static const struct {
		const char *text;
		bool ok;
		uint64_t value;
		size_t used; /* characters consumed */
	} cases[] = {
		{ "  42 rest", true, 42, 4 },
		{ "18446744073709551615", true, UINT64_MAX, 20 },
		{ "18446744073709551616", false, 0, 0 }, /* 2^64 */
		{ "", false, 0, 0 },
		{ "-1", false, 0, 0 },
		{ "x1", false, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *p = cases[i].text;
		uint64_t v = 7;

		CHECK_EQ_U64(host_procfile_u64(&p, &v), cases[i].ok);
		CHECK_EQ_U64(p - cases[i].text, cases[i].used);
		if (cases[i].ok)
			CHECK_EQ_U64(v, cases[i].value);
	}
}

TEST(procfile_signed_and_decimal)
{
	const char *p = " -1 ";
	uint64_t v = 0;
	double d = 0;

	CHECK(host_procfile_i64(&p, &v));
	CHECK_EQ_U64(v, UINT64_MAX); /* -1 modulo 2^64 */
	p = "- 1";
	CHECK(!host_procfile_i64(&p, &v));
	p = "-";
	CHECK(!host_procfile_i64(&p, &v));
	p = "12.5/";
	CHECK(host_procfile_decimal(&p, &d));
	CHECK(d == 12.5);
	CHECK_EQ_STR(p, "/");
	p = "7 ";
	CHECK(host_procfile_decimal(&p, &d));
	CHECK(d == 7.0);
	p = ".5";
	CHECK(!host_procfile_decimal(&p, &d));
}

TEST(procfile_path_joins_with_one_slash)
{
	char out[64];

	CHECK_EQ_U64(host_procfile_path(out, sizeof(out), "/", "proc/stat"), 0);
	CHECK_EQ_STR(out, "/proc/stat");
	CHECK_EQ_U64(host_procfile_path(out, sizeof(out), "a/b//", "/proc"), 0);
	CHECK_EQ_STR(out, "a/b/proc");
	CHECK_EQ_U64(host_procfile_path(out, 8, "/", "proc/stat"), (uint64_t)-1);
}

/* A file past the 1 MiB cap: lines before the cut come back, the cut one does not. */
TEST(procfile_caps_size_and_drops_the_cut_line)
{
	char dir[] = "/tmp/rtflow_host_XXXXXX", path[64];
	struct host_procfile f;
	size_t lines = 0;
	char *line, *big;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/big", dir);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	/* 2^20 / 8 = 131072 lines of 8 bytes fill the cap exactly; one more follows. */
	for (size_t i = 0; i < 131072 + 1; i++)
		fputs("1234567\n", fp);
	fclose(fp);
	CHECK_EQ_U64(host_procfile_open(&f, dir, "big"), 0);
	CHECK(f.truncated);
	CHECK_EQ_U64(f.len, 1u << 20);
	while ((line = host_procfile_next_line(&f)) != NULL) {
		CHECK_EQ_STR(line, "1234567");
		lines++;
	}
	CHECK_EQ_U64(lines, 131072);
	host_procfile_close(&f);

	/* Cut mid-line: 2^20 - 3 bytes of one line, then "\n": nothing complete. */
	fp = fopen(path, "w");
	big = malloc((1u << 20) + 16);
	if (fp && big) {
		memset(big, 'x', (1u << 20) + 8);
		fwrite(big, 1, (1u << 20) + 8, fp);
		fputc('\n', fp);
	}
	if (fp)
		fclose(fp);
	free(big);
	CHECK_EQ_U64(host_procfile_open(&f, dir, "big"), 0);
	CHECK(host_procfile_next_line(&f) == NULL);
	host_procfile_close(&f);
	unlink(path);
	rmdir(dir);
}

TEST(procfile_read_str_refuses_multiline_and_oversize)
{
	char buf[65];

	CHECK_EQ_U64(host_procfile_read_str(CASE1, "proc/sys/kernel/hostname", buf, sizeof(buf)), 18);
	CHECK_EQ_STR(buf, "web-01.example.net");
	CHECK_EQ_U64(host_procfile_read_str(GARBAGE, "proc/sys/kernel/hostname", buf, sizeof(buf)),
		     (uint64_t)-1);
	CHECK_EQ_U64(host_procfile_read_str(CASE1, "proc/sys/kernel/hostname", buf, 18), (uint64_t)-1);
	CHECK_EQ_U64(host_procfile_read_str(MISSING, "proc/sys/kernel/hostname", buf, sizeof(buf)),
		     (uint64_t)-1);
}

TEST(cpu_case1_x86_with_steal_and_guest)
{
	struct sfl_ctr_host_cpu c;

	CHECK_EQ_U64(host_cpu_read(CASE1, &c), 0);
	/* loadavg "1.25 0.50 0.75 3/412 23456": all three are exact binary fractions */
	CHECK(c.load_one == 1.25f);
	CHECK(c.load_five == 0.5f);
	CHECK(c.load_fifteen == 0.75f);
	CHECK_EQ_U64(c.proc_run, 2);     /* 3 running minus the agent itself */
	CHECK_EQ_U64(c.proc_total, 412);
	CHECK_EQ_U64(c.cpu_num, 2);      /* cpu0, cpu1 */
	CHECK_EQ_U64(c.cpu_speed_mhz, 2500); /* first "cpu MHz: 2499.998", rounded */
	CHECK_EQ_U64(c.uptime_s, 86523);     /* 86523.71 */
	/* cpu  123456 789 23456 987654321 2345 0 1234 567 89 12 (ticks x 10 = ms) */
	CHECK_EQ_U64(c.cpu_user_ms, 1234560);
	CHECK_EQ_U64(c.cpu_nice_ms, 7890);
	CHECK_EQ_U64(c.cpu_system_ms, 234560);
	CHECK_EQ_U64(c.cpu_idle_ms, 1286608618); /* 9876543210 - 2 * 4294967296 */
	CHECK_EQ_U64(c.cpu_wio_ms, 23450);
	CHECK_EQ_U64(c.cpu_intr_ms, 0);
	CHECK_EQ_U64(c.cpu_sintr_ms, 12340);
	CHECK_EQ_U64(c.cpu_steal_ms, 5670);
	CHECK_EQ_U64(c.cpu_guest_ms, 890);
	CHECK_EQ_U64(c.cpu_guest_nice_ms, 120);
	CHECK(c.has_steal);
	CHECK_EQ_U64(c.interrupts, 98765432);
	CHECK_EQ_U64(c.contexts, 828489493); /* 5123456789 - 4294967296 */
}

TEST(cpu_case2_arm_old_kernel_no_steal)
{
	struct sfl_ctr_host_cpu c;

	CHECK_EQ_U64(host_cpu_read(CASE2, &c), 0);
	CHECK(c.load_one == 0.0f);
	CHECK(c.load_five == 12.5f);
	CHECK(c.load_fifteen == 100.25f);
	CHECK_EQ_U64(c.proc_run, 0);      /* 1 running: only the agent */
	CHECK_EQ_U64(c.proc_total, 9999);
	CHECK_EQ_U64(c.cpu_num, 4);
	CHECK_EQ_U64(c.cpu_speed_mhz, 2100); /* no "cpu MHz": cpufreq 2100000 kHz / 1000 */
	CHECK_EQ_U64(c.uptime_s, 0);         /* 0.99 */
	/* cpu  100 200 300 400 500 600 700: seven columns, no steal */
	CHECK_EQ_U64(c.cpu_user_ms, 1000);
	CHECK_EQ_U64(c.cpu_nice_ms, 2000);
	CHECK_EQ_U64(c.cpu_system_ms, 3000);
	CHECK_EQ_U64(c.cpu_idle_ms, 4000);
	CHECK_EQ_U64(c.cpu_wio_ms, 5000);
	CHECK_EQ_U64(c.cpu_intr_ms, 6000);
	CHECK_EQ_U64(c.cpu_sintr_ms, 7000);
	CHECK_EQ_U64(c.cpu_steal_ms, 0);
	CHECK_EQ_U64(c.cpu_guest_ms, 0);
	CHECK_EQ_U64(c.cpu_guest_nice_ms, 0);
	CHECK(!c.has_steal);
	CHECK_EQ_U64(c.interrupts, 1); /* 4294967297 - 2^32 */
	CHECK_EQ_U64(c.contexts, 42);
}

TEST(mem_case1_bytes_from_kb)
{
	struct sfl_ctr_host_mem m;

	CHECK_EQ_U64(host_mem_read(CASE1, &m), 0);
	CHECK_EQ_U64(m.mem_total, 8246210560ull);   /* 8052940 kB * 1024 */
	CHECK_EQ_U64(m.mem_free, 524636160ull);     /* 512340 * 1024 */
	CHECK_EQ_U64(m.mem_shared, 67108864ull);    /* Shmem 65536 * 1024 */
	CHECK_EQ_U64(m.mem_buffers, 104857600ull);  /* 102400 * 1024 */
	CHECK_EQ_U64(m.mem_cached, 3489660928ull);  /* (Cached 3145728 + SReclaimable 262144) * 1024;
						     * SwapCached is another key */
	CHECK_EQ_U64(m.swap_total, 2147479552ull);  /* 2097148 * 1024 */
	CHECK_EQ_U64(m.swap_free, 2048000000ull);   /* 2000000 * 1024 */
	CHECK_EQ_U64(m.page_in, 6413874);
	CHECK_EQ_U64(m.page_out, 10);               /* 4294967306 - 2^32 */
	CHECK_EQ_U64(m.swap_in, 123);
	CHECK_EQ_U64(m.swap_out, 4567);
}

TEST(mem_case2_minimal_meminfo_no_vmstat)
{
	struct sfl_ctr_host_mem m;

	CHECK_EQ_U64(host_mem_read(CASE2, &m), 0);
	CHECK_EQ_U64(m.mem_total, 1048576);  /* 1024 * 1024 */
	CHECK_EQ_U64(m.mem_free, 1024);      /* 1 * 1024 */
	CHECK_EQ_U64(m.mem_shared, 0);       /* no Shmem line */
	CHECK_EQ_U64(m.mem_buffers, 0);
	CHECK_EQ_U64(m.mem_cached, 10240);   /* 10 * 1024, no SReclaimable */
	CHECK_EQ_U64(m.swap_total, 0);
	CHECK_EQ_U64(m.swap_free, 0);
	CHECK_EQ_U64(m.page_in, 0);
	CHECK_EQ_U64(m.page_out, 0);
	CHECK_EQ_U64(m.swap_in, 0);
	CHECK_EQ_U64(m.swap_out, 0);
}

/* A fake filesystem table for host_disk_read(), matched by path suffix. */
struct fake_fs {
	const char *suffix;
	uint64_t total, free_b;
	int calls;
};

static int fake_space(const char *path, uint64_t *total, uint64_t *free_b, void *arg)
{
	struct fake_fs *fs = arg;
	size_t pl = strlen(path);

	for (; fs->suffix; fs++) {
		size_t sl = strlen(fs->suffix);

		if (pl >= sl && strcmp(path + pl - sl, fs->suffix) == 0) {
			fs->calls++;
			*total = fs->total;
			*free_b = fs->free_b;
			return 0;
		}
	}
	return -1;
}

TEST(disk_case1_whole_physical_disks_and_rw_mounts)
{
	struct fake_fs fs[] = {
		{ CASE1 "/", 10000000000ull, 2500000000ull, 0 },          /* 75.00 % used */
		{ CASE1 "/mnt/my data", 4000000000ull, 400000000ull, 0 }, /* 90.00 % used */
		{ CASE1 "/var/lib/docker", 1, 1, 0 },  /* same device as /: never asked */
		{ CASE1 "/boot/efi", 1, 1, 0 },        /* read-only: never asked */
		{ NULL, 0, 0, 0 },
	};
	struct sfl_ctr_host_disk d;

	CHECK_EQ_U64(host_disk_read(CASE1, fake_space, fs, &d), 0);
	/* counted: vda and sdb; not loop0, zram0 (virtual) nor vda1, sdb1 (partitions) */
	CHECK_EQ_U64(d.reads, 104292);                /* 102292 + 2000 */
	CHECK_EQ_U64(d.bytes_read, 3316671488ull);    /* (6413874 + 64000) * 512 */
	CHECK_EQ_U64(d.read_time_ms, 48066);          /* 46566 + 1500 */
	CHECK_EQ_U64(d.writes, 12872);                /* 12572 + 300 */
	CHECK_EQ_U64(d.bytes_written, 1148235776ull); /* (2233048 + 9600) * 512 */
	CHECK_EQ_U64(d.write_time_ms, 17332);         /* 16632 + 700 */
	CHECK_EQ_U64(d.disk_total, 14000000000ull);   /* 10e9 + 4e9 */
	CHECK_EQ_U64(d.disk_free, 2900000000ull);     /* 2.5e9 + 0.4e9 */
	CHECK_EQ_U64(d.part_max_used, 9000);          /* 3.6e9 / 4e9 = 90.00 % */
	CHECK_EQ_U64(fs[0].calls, 1);
	CHECK_EQ_U64(fs[1].calls, 1);
	CHECK_EQ_U64(fs[2].calls, 0);
	CHECK_EQ_U64(fs[3].calls, 0);
}

TEST(disk_case1_without_space_function_is_unknown)
{
	struct sfl_ctr_host_disk d;

	CHECK_EQ_U64(host_disk_read(CASE1, NULL, NULL, &d), 0);
	CHECK_EQ_U64(d.reads, 104292);
	CHECK_EQ_U64(d.disk_total, 0);
	CHECK_EQ_U64(d.disk_free, 0);
	CHECK(d.part_max_used == -1);
}

TEST(disk_case2_old_format_skips_dm_md_partitions)
{
	struct fake_fs fs[] = { { "/", 1, 1, 0 }, { NULL, 0, 0, 0 } };
	struct sfl_ctr_host_disk d;

	CHECK_EQ_U64(host_disk_read(CASE2, fake_space, fs, &d), 0);
	/* nvme0n1 and mmcblk0 only */
	CHECK_EQ_U64(d.reads, 13);                      /* 10 + 3 */
	CHECK_EQ_U64(d.bytes_read, 53248);              /* (80 + 24) * 512 */
	CHECK_EQ_U64(d.read_time_ms, 12);               /* 5 + 7 */
	CHECK_EQ_U64(d.writes, 24);                     /* 20 + 4 */
	CHECK_EQ_U64(d.bytes_written, 2199023337472ull); /* (160 + 4294967296) * 512 */
	CHECK_EQ_U64(d.write_time_ms, 20);              /* 9 + 11 */
	CHECK(d.part_max_used == -1);                  /* no proc/mounts */
	CHECK_EQ_U64(fs[0].calls, 0);
}

TEST(disk_garbage_lines_are_skipped)
{
	struct sfl_ctr_host_disk d;

	CHECK_EQ_U64(host_disk_read(GARBAGE, NULL, NULL, &d), 0);
	/* sdb "1 0 8 2 3 0 16 4" and sdd (last line, no newline) "5 5 5 5 5 5 5 5" */
	CHECK_EQ_U64(d.reads, 6);            /* 1 + 5 */
	CHECK_EQ_U64(d.bytes_read, 6656);    /* (8 + 5) * 512 */
	CHECK_EQ_U64(d.read_time_ms, 7);     /* 2 + 5 */
	CHECK_EQ_U64(d.writes, 8);           /* 3 + 5 */
	CHECK_EQ_U64(d.bytes_written, 10752); /* (16 + 5) * 512 */
	CHECK_EQ_U64(d.write_time_ms, 9);    /* 4 + 5 */
}

TEST(nio_case1_skips_loopback_bond_bridge_vlan)
{
	struct sfl_ctr_host_nio n;

	CHECK_EQ_U64(host_nio_read(CASE1, &n), 0);
	/* counted: eth0, eth1, wlan0 (down but counted); not lo, lo9 (flags 0x9),
	 * bond0 (bonding/), br0 (bridge/), eth0.100 (proc/net/vlan) */
	CHECK_EQ_U64(n.bytes_in, 5018699046ull); /* 18698946 + 5000000000 + 100 */
	CHECK_EQ_U64(n.pkts_in, 660);            /* 655 + 4294967300 + 1 - 2^32 */
	CHECK_EQ_U64(n.errs_in, 1);
	CHECK_EQ_U64(n.drops_in, 9);             /* 2 + 7 + 0 */
	CHECK_EQ_U64(n.bytes_out, 39899);        /* 38699 + 1000 + 200 */
	CHECK_EQ_U64(n.pkts_out, 517);           /* 505 + 10 + 2 */
	CHECK_EQ_U64(n.errs_out, 4);
	CHECK_EQ_U64(n.drops_out, 5);
}

TEST(nio_case2_columns_by_position)
{
	struct sfl_ctr_host_nio n;

	CHECK_EQ_U64(host_nio_read(CASE2, &n), 0);
	/* eth0: 1..16; rx bytes packets errs drop = 1 2 3 4, tx = 9 10 11 12 */
	CHECK_EQ_U64(n.bytes_in, 1);
	CHECK_EQ_U64(n.pkts_in, 2);
	CHECK_EQ_U64(n.errs_in, 3);
	CHECK_EQ_U64(n.drops_in, 4);
	CHECK_EQ_U64(n.bytes_out, 9);
	CHECK_EQ_U64(n.pkts_out, 10);
	CHECK_EQ_U64(n.errs_out, 11);
	CHECK_EQ_U64(n.drops_out, 12);
}

TEST(nio_garbage_counts_only_whole_lines)
{
	struct sfl_ctr_host_nio n;

	CHECK_EQ_U64(host_nio_read(GARBAGE, &n), 0);
	/* only eth1 "5 x 12"; eth0 and eth2 are short, eth3 has "-9", ": ..." has no name */
	CHECK_EQ_U64(n.bytes_in, 5);
	CHECK_EQ_U64(n.pkts_in, 5);
	CHECK_EQ_U64(n.errs_in, 5);
	CHECK_EQ_U64(n.drops_in, 5);
	CHECK_EQ_U64(n.bytes_out, 5);
	CHECK_EQ_U64(n.pkts_out, 5);
	CHECK_EQ_U64(n.errs_out, 5);
	CHECK_EQ_U64(n.drops_out, 5);
}

TEST(garbage_and_missing_roots_fail_cleanly)
{
	struct sfl_ctr_host_cpu c;
	struct sfl_ctr_host_mem m;
	struct sfl_ctr_host_disk d;
	struct sfl_ctr_host_nio n;

	CHECK_EQ_U64(host_cpu_read(GARBAGE, &c), (uint64_t)-1); /* "1.25 abc", "cpu 12 34" */
	CHECK_EQ_U64(host_mem_read(GARBAGE, &m), (uint64_t)-1); /* no parsable MemTotal */
	CHECK_EQ_U64(host_cpu_read(MISSING, &c), (uint64_t)-1);
	CHECK_EQ_U64(host_mem_read(MISSING, &m), (uint64_t)-1);
	CHECK_EQ_U64(host_disk_read(MISSING, host_disk_space_statvfs, NULL, &d), (uint64_t)-1);
	CHECK_EQ_U64(host_nio_read(MISSING, &n), (uint64_t)-1);
	CHECK_EQ_U64(host_cpu_read("tests/data/proc/no-such-root", &c), (uint64_t)-1);
}

TEST(live_root_is_sane)
{
	struct sfl_ctr_host_cpu c;
	struct sfl_ctr_host_mem m;
	struct sfl_ctr_host_disk d;
	struct sfl_ctr_host_nio n;

	CHECK_EQ_U64(host_cpu_read("/", &c), 0);
	CHECK(c.cpu_num >= 1);
	CHECK(c.proc_total >= 1);
	CHECK(c.uptime_s >= 1);
	CHECK(c.cpu_idle_ms > 0 || c.cpu_user_ms > 0);
	CHECK(c.has_steal);
	CHECK_EQ_U64(host_mem_read("/", &m), 0);
	CHECK(m.mem_total > 0);
	CHECK(m.mem_free <= m.mem_total);
	CHECK_EQ_U64(host_disk_read("/", host_disk_space_statvfs, NULL, &d), 0);
	CHECK(d.part_max_used == -1 || (d.part_max_used >= 0 && d.part_max_used <= 10000));
	CHECK(d.disk_free <= d.disk_total);
	CHECK_EQ_U64(host_nio_read("/", &n), 0);
}

TEST_MAIN(TEST_ENTRY(procfile_numbers_parse_strictly), TEST_ENTRY(procfile_signed_and_decimal),
	  TEST_ENTRY(procfile_path_joins_with_one_slash),
	  TEST_ENTRY(procfile_caps_size_and_drops_the_cut_line),
	  TEST_ENTRY(procfile_read_str_refuses_multiline_and_oversize),
	  TEST_ENTRY(cpu_case1_x86_with_steal_and_guest), TEST_ENTRY(cpu_case2_arm_old_kernel_no_steal),
	  TEST_ENTRY(mem_case1_bytes_from_kb), TEST_ENTRY(mem_case2_minimal_meminfo_no_vmstat),
	  TEST_ENTRY(disk_case1_whole_physical_disks_and_rw_mounts),
	  TEST_ENTRY(disk_case1_without_space_function_is_unknown),
	  TEST_ENTRY(disk_case2_old_format_skips_dm_md_partitions),
	  TEST_ENTRY(disk_garbage_lines_are_skipped), TEST_ENTRY(nio_case1_skips_loopback_bond_bridge_vlan),
	  TEST_ENTRY(nio_case2_columns_by_position), TEST_ENTRY(nio_garbage_counts_only_whole_lines),
	  TEST_ENTRY(garbage_and_missing_roots_fail_cleanly), TEST_ENTRY(live_root_is_sane))
