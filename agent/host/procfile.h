/*
 * agent/host/procfile.h: bounded reads of /proc and /sys text files under a
 * root directory, for the host counter readers (cpu.c, mem.c, ...).
 *
 * A reader opens "<root>/<rel>" (root "/" in production, a fixture tree in
 * tests), reads at most HOST_PROCFILE_MAX_BYTES into a heap buffer it owns,
 * NUL-terminates it and hands out one line at a time. Files are never
 * trusted: a file cut at the cap loses its incomplete last line, numbers are
 * parsed digit by digit with overflow checks, and nothing here logs. Lines
 * have no cap of their own beyond the file's: /proc/stat's "intr" line runs
 * to tens of KiB on large hosts and its first number is needed. Not
 * thread-safe per object; separate objects are independent.
 */
#ifndef AGENT_HOST_PROCFILE_H
#define AGENT_HOST_PROCFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_PROCFILE_MAX_BYTES (1u << 20) /* read cap per file: /proc/stat on big hosts fits */
#define HOST_PROCFILE_MAX_PATH 4096        /* "<root>/<rel>" longer than this is refused */

struct host_procfile {
	char *buf;      /* NUL-terminated contents, owned; NULL when closed */
	size_t len;     /* bytes read (<= HOST_PROCFILE_MAX_BYTES) */
	size_t pos;     /* start of the next line */
	bool truncated; /* the file was longer than the cap */
};

/* Join root and rel into out (cap bytes) as "<root>/<rel>" with one slash
 * between them. Returns 0, or -1 when it does not fit. */
int host_procfile_path(char *out, size_t cap, const char *root, const char *rel);

/* Read "<root>/<rel>" into f. Returns 0, or -1 (errno set) when the file
 * cannot be opened or read; f is then closed. Call host_procfile_close(). */
int host_procfile_open(struct host_procfile *f, const char *root, const char *rel);

/* Free f's buffer; safe on a closed or zeroed object. */
void host_procfile_close(struct host_procfile *f);

/* Next line of f without its '\n' (the buffer is edited in place), or NULL
 * at the end. The pointer lives until host_procfile_close(). When the file
 * was truncated, its incomplete last line is never returned. */
char *host_procfile_next_line(struct host_procfile *f);

/* Skip blanks at *p, then parse decimal digits into *out and advance *p
 * past them. Returns false (and leaves *p) when there is no digit or the
 * value overflows 64 bits. */
bool host_procfile_u64(const char **p, uint64_t *out);

/* As host_procfile_u64 but accepts a leading '-' (e.g. Tcp MaxConn -1);
 * the result is the two's-complement value modulo 2^64. */
bool host_procfile_i64(const char **p, uint64_t *out);

/* Skip blanks at *p, then parse "digits[.digits]" into *out (at most 9
 * fraction digits are used). Returns false when there is no digit. */
bool host_procfile_decimal(const char **p, double *out);

/* Read a small file "<root>/<rel>" whole, strip trailing blanks and
 * newlines, and copy at most cap-1 bytes to out, NUL-terminated. Returns
 * the length, or -1 when the file is missing, empty, longer than cap-1, or
 * holds more than one line or a NUL byte. */
int host_procfile_read_str(const char *root, const char *rel, char *out, size_t cap);

#endif
