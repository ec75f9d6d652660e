/*
 * common/log.c: stderr log lines with a UTC timestamp and a level name, and
 * the rate-limited form (see log.h). Each line is formatted whole and
 * written with one fputs to an unbuffered stderr, so lines of one process
 * never interleave. The level is read and written with relaxed atomics.
 */
#include "common/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static _Atomic int log_level = LOG_INFO;

void log_set_level(int level)
{
	atomic_store_explicit(&log_level, level, memory_order_relaxed);
}

int log_enabled(int level)
{
	return level <= atomic_load_explicit(&log_level, memory_order_relaxed);
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_EMERG: return "EMERG";
	case LOG_ALERT: return "ALERT";
	case LOG_CRIT: return "CRIT";
	case LOG_ERR: return "ERROR";
	case LOG_WARNING: return "WARNING";
	case LOG_NOTICE: return "NOTICE";
	case LOG_INFO: return "INFO";
	default: return "DEBUG";
	}
}

static void log_vline(int level, const char *suffix, const char *fmt, va_list ap)
{
	char msg[1024], stamp[32], line[1200];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(line, sizeof(line), "%s %s: %s%s\n", stamp, level_name(level), msg, suffix);
	fputs(line, stderr);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	log_vline(level, "", fmt, ap);
	va_end(ap);
}

void log_every(struct log_limit *lim, int interval_s, int level, const char *fmt, ...)
{
	char suffix[48] = "";
	struct timespec ts;
	va_list ap;
	int64_t now_ms, last_ms;
	uint32_t held;

	if (!log_enabled(level))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	last_ms = atomic_load(&lim->last_ms);
	/* One thread wins the exchange and prints; the others only count. */
	if ((last_ms != 0 && now_ms - last_ms < (int64_t)interval_s * 1000) ||
	    !atomic_compare_exchange_strong(&lim->last_ms, &last_ms, now_ms)) {
		atomic_fetch_add(&lim->suppressed, 1);
		return;
	}
	held = atomic_exchange(&lim->suppressed, 0);
	if (held > 0)
		snprintf(suffix, sizeof(suffix), " (%u more since)", held);
	va_start(ap, fmt);
	log_vline(level, suffix, fmt, ap);
	va_end(ap);
}
