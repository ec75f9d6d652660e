/*
 * common/log.h: log lines on stderr for both daemons, one per message:
 * "2026-01-01T00:00:00Z INFO: sender: sendto 127.0.0.1/6343: ...".
 *
 * Levels are the syslog levels (LOG_ERR ... LOG_DEBUG from <syslog.h>);
 * messages above the threshold set with log_set_level() cost one compare.
 * Anything that can fire per datagram or per sample goes through
 * log_every(), which prints at most once per interval and then reports how
 * many were held back. Callers put their unit's prefix ("sender: ") in the
 * message. Thread-safe: each line is one write to stderr, and a
 * log_limit may be shared by threads (its fields are atomics, so a burst
 * from several threads still prints one line per interval).
 */
#ifndef RTFLOW_COMMON_LOG_H
#define RTFLOW_COMMON_LOG_H

#include <stdint.h>
#include <syslog.h>

/* State of one rate-limited message site; zero-initialise. */
struct log_limit {
	_Atomic int64_t last_ms;     /* CLOCK_MONOTONIC ms of the last line printed, 0 = never */
	_Atomic uint32_t suppressed; /* calls held back since then */
};

/* Print messages at `level` or more severe (default LOG_INFO). */
void log_set_level(int level);

/* Whether a message at `level` would be printed. */
int log_enabled(int level);

/* Print one line at `level`. */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print one line at `level` unless one was printed for `lim` less than
 * interval_s seconds ago; then it is only counted, and the next line
 * printed ends with "(N more since)". */
void log_every(struct log_limit *lim, int interval_s, int level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
