/*
 * agent/host/cpu.c: host_cpu (0:2003) from /proc under a root path
 * (contract in cpu.h).
 *
 * /proc/stat is read by line key, not position: "cpu" (aggregate ticks),
 * "cpuN" (one per online CPU), "intr" (first number is the total) and
 * "ctxt". Columns of the "cpu" line that an older kernel lacks stay 0;
 * has_steal is set only when the steal column exists, so the encoder can
 * send the short 68-byte form for such kernels.
 */
#include "agent/host/cpu.h"

#include <string.h>
#include <unistd.h>

#include "agent/host/procfile.h"

#define CPU_STAT_COLS 10 /* user nice system idle iowait irq softirq steal guest guest_nice */

/* Ticks of USER_HZ to ms, exact for any 64-bit tick count, cut to 32 bits
 * as the sFlow field is (collectors take deltas modulo 2^32). */
static uint32_t ticks_to_ms(uint64_t ticks, uint64_t hz)
{
	return (uint32_t)((ticks / hz) * 1000 + (ticks % hz) * 1000 / hz);
}

static uint64_t user_hz(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? (uint64_t)hz : 100; /* USER_HZ is 100 on every Linux ABI */
}

/* The aggregate "cpu" line (after the key). Returns 0 or -1. */
static int parse_cpu_line(const char *p, struct sfl_ctr_host_cpu *out)
{
	uint64_t v[CPU_STAT_COLS] = { 0 };
	uint64_t hz = user_hz();
	int n = 0;

	while (n < CPU_STAT_COLS && host_procfile_u64(&p, &v[n]))
		n++;
	if (n < 4) /* user nice system idle exist on every 2.6+ kernel */
		return -1;
	out->cpu_user_ms = ticks_to_ms(v[0], hz);
	out->cpu_nice_ms = ticks_to_ms(v[1], hz);
	out->cpu_system_ms = ticks_to_ms(v[2], hz);
	out->cpu_idle_ms = ticks_to_ms(v[3], hz);
	out->cpu_wio_ms = ticks_to_ms(v[4], hz);
	out->cpu_intr_ms = ticks_to_ms(v[5], hz);
	out->cpu_sintr_ms = ticks_to_ms(v[6], hz);
	out->cpu_steal_ms = ticks_to_ms(v[7], hz);
	out->cpu_guest_ms = ticks_to_ms(v[8], hz);
	out->cpu_guest_nice_ms = ticks_to_ms(v[9], hz);
	out->has_steal = n >= 8;
	return 0;
}

/* True when line is "<key> ..." exactly (key followed by a blank). */
static bool key_is(const char *line, const char *key, const char **rest)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) != 0 || (line[n] != ' ' && line[n] != '\t'))
		return false;
	*rest = line + n;
	return true;
}

static int read_stat(const char *root, struct sfl_ctr_host_cpu *out)
{
	struct host_procfile f;
	const char *rest;
	char *line;
	bool have_cpu = false;
	uint64_t v;

	if (host_procfile_open(&f, root, "proc/stat") == -1)
		return -1;
	while ((line = host_procfile_next_line(&f)) != NULL) {
		if (key_is(line, "cpu", &rest)) {
			have_cpu = parse_cpu_line(rest, out) == 0;
		} else if (strncmp(line, "cpu", 3) == 0 && line[3] >= '0' && line[3] <= '9') {
			out->cpu_num++;
		} else if (key_is(line, "intr", &rest) && host_procfile_u64(&rest, &v)) {
			out->interrupts = (uint32_t)v;
		} else if (key_is(line, "ctxt", &rest) && host_procfile_u64(&rest, &v)) {
			out->contexts = (uint32_t)v;
		}
	}
	host_procfile_close(&f);
	return have_cpu ? 0 : -1;
}

/* "1.25 0.50 0.75 3/412 12345": loads, running/total scheduling entities. */
static int read_loadavg(const char *root, struct sfl_ctr_host_cpu *out)
{
	struct host_procfile f;
	const char *p;
	double l1, l5, l15;
	uint64_t run, total;
	int rc = -1;

	if (host_procfile_open(&f, root, "proc/loadavg") == -1)
		return -1;
	p = host_procfile_next_line(&f);
	if (p && host_procfile_decimal(&p, &l1) && host_procfile_decimal(&p, &l5) &&
	    host_procfile_decimal(&p, &l15) && host_procfile_u64(&p, &run) && *p++ == '/' &&
	    host_procfile_u64(&p, &total)) {
		out->load_one = (float)l1;
		out->load_five = (float)l5;
		out->load_fifteen = (float)l15;
		/* The agent itself is running while it reads: leave it out, as hsflowd does. */
		out->proc_run = run > 0 ? (uint32_t)(run - 1) : 0;
		out->proc_total = (uint32_t)total;
		rc = 0;
	}
	host_procfile_close(&f);
	return rc;
}

static void read_uptime(const char *root, struct sfl_ctr_host_cpu *out)
{
	struct host_procfile f;
	const char *p;
	double up;

	if (host_procfile_open(&f, root, "proc/uptime") == -1)
		return;
	p = host_procfile_next_line(&f);
	if (p && host_procfile_decimal(&p, &up) && up < 4294967296.0)
		out->uptime_s = (uint32_t)up;
	host_procfile_close(&f);
}

/* First "cpu MHz : 2445.402" of cpuinfo, rounded to whole MHz; else the
 * cpufreq maximum of cpu0 (kHz). 0 when neither says. */
static void read_speed(const char *root, struct sfl_ctr_host_cpu *out)
{
	struct host_procfile f;
	const char *p;
	char *line, khz[32];
	double mhz;
	uint64_t v;

	if (host_procfile_open(&f, root, "proc/cpuinfo") == 0) {
		while ((line = host_procfile_next_line(&f)) != NULL) {
			if (strncmp(line, "cpu MHz", 7) != 0 || !(p = strchr(line, ':')))
				continue;
			p++;
			if (host_procfile_decimal(&p, &mhz) && mhz < 4294967295.0 - 0.5)
				out->cpu_speed_mhz = (uint32_t)(mhz + 0.5);
			break;
		}
		host_procfile_close(&f);
	}
	if (out->cpu_speed_mhz != 0)
		return;
	p = khz;
	if (host_procfile_read_str(root, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq",
				   khz, sizeof(khz)) > 0 &&
	    host_procfile_u64(&p, &v) && *p == '\0')
		out->cpu_speed_mhz = (uint32_t)((v + 500) / 1000);
}

int host_cpu_read(const char *root, struct sfl_ctr_host_cpu *out)
{
	memset(out, 0, sizeof(*out));
	if (read_stat(root, out) == -1 || read_loadavg(root, out) == -1)
		return -1;
	read_uptime(root, out);
	read_speed(root, out);
	return 0;
}
