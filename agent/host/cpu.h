/*
 * agent/host/cpu.h: the host_cpu counter record (sFlow 0:2003) read from
 * <root>/proc/loadavg, /proc/stat, /proc/uptime and /proc/cpuinfo (or, when
 * cpuinfo has no "cpu MHz" line as on arm64, sysfs cpufreq of cpu0).
 *
 * Sources and units follow hsflowd's readCpuCounters(): loads as floats,
 * proc_run without the agent itself, cpu_* in ms (USER_HZ ticks x 1000 /
 * USER_HZ, truncated to 32 bits so they wrap like any sFlow counter), the
 * intr total and ctxt truncated to 32 bits, cpu_speed rounded to whole MHz
 * (hsflowd truncates). cpu_num counts the "cpuN" lines
 * of /proc/stat only (hsflowd also asks get_nprocs(), which would read the
 * live host under a fixture root). Pure: no logging, no state.
 */
#ifndef AGENT_HOST_CPU_H
#define AGENT_HOST_CPU_H

#include "sflow/records.h"

/* Fill *out from the files under root. Returns 0, or -1 when /proc/stat or
 * /proc/loadavg is missing or has no usable "cpu" / load line (then *out
 * must not be sent). Missing optional sources (uptime, MHz) leave 0. */
int host_cpu_read(const char *root, struct sfl_ctr_host_cpu *out);

#endif
