/*
 * agent/host/procfile.c: bounded reads of /proc and /sys text files under a
 * root directory (contract in procfile.h).
 *
 * /proc files report st_size 0, so the buffer grows by doubling from 4 KiB
 * up to HOST_PROCFILE_MAX_BYTES while read() returns data; the cap bounds
 * the memory any file can make us take. Reads retry on EINTR. Numbers are
 * parsed by hand rather than with strtoull(), which skips signs, honours the
 * locale and saturates silently.
 */
#include "agent/host/procfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROCFILE_FIRST_BYTES 4096

int host_procfile_path(char *out, size_t cap, const char *root, const char *rel)
{
	size_t rl = strlen(root);
	int n;

	while (rl > 0 && root[rl - 1] == '/')
		rl--;
	while (*rel == '/')
		rel++;
	n = snprintf(out, cap, "%.*s/%s", (int)rl, root, rel);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return 0;
}

/* Read fd to its end or the cap into f->buf. Returns 0 or -1. */
static int read_all(struct host_procfile *f, int fd)
{
	size_t cap = PROCFILE_FIRST_BYTES;

	f->buf = malloc(cap + 1);
	if (!f->buf)
		return -1;
	for (;;) {
		ssize_t n;

		if (f->len == cap) {
			char *nb;

			if (cap >= HOST_PROCFILE_MAX_BYTES) {
				char probe;

				while ((n = read(fd, &probe, 1)) == -1 && errno == EINTR)
					;
				f->truncated = n > 0;
				break;
			}
			cap *= 2;
			nb = realloc(f->buf, cap + 1);
			if (!nb)
				return -1;
			f->buf = nb;
		}
		n = read(fd, f->buf + f->len, cap - f->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		f->len += (size_t)n;
	}
	f->buf[f->len] = '\0';
	return 0;
}

int host_procfile_open(struct host_procfile *f, const char *root, const char *rel)
{
	char path[HOST_PROCFILE_MAX_PATH];
	int fd, rc, saved;

	memset(f, 0, sizeof(*f));
	if (host_procfile_path(path, sizeof(path), root, rel) == -1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	rc = read_all(f, fd);
	saved = errno;
	close(fd);
	if (rc == -1) {
		host_procfile_close(f);
		errno = saved;
	}
	return rc;
}

void host_procfile_close(struct host_procfile *f)
{
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

char *host_procfile_next_line(struct host_procfile *f)
{
	char *line, *nl;

	if (!f->buf || f->pos >= f->len)
		return NULL;
	line = f->buf + f->pos;
	nl = memchr(line, '\n', f->len - f->pos);
	if (!nl) {
		/* A cut file's last line is incomplete: its numbers would lie. */
		if (f->truncated) {
			f->pos = f->len;
			return NULL;
		}
		f->pos = f->len;
		return line;
	}
	*nl = '\0';
	f->pos = (size_t)(nl - f->buf) + 1;
	return line;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool host_procfile_u64(const char **p, uint64_t *out)
{
	const char *s = skip_blanks(*p);
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	*p = s;
	return true;
}

bool host_procfile_i64(const char **p, uint64_t *out)
{
	const char *s = skip_blanks(*p);
	bool neg = *s == '-';
	uint64_t v;

	if (neg && (*++s < '0' || *s > '9'))
		return false;
	if (!host_procfile_u64(&s, &v))
		return false;
	*out = neg ? (uint64_t)0 - v : v;
	*p = s;
	return true;
}

bool host_procfile_decimal(const char **p, double *out)
{
	const char *s = *p;
	uint64_t whole, frac = 0, scale = 1;

	if (!host_procfile_u64(&s, &whole))
		return false;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (scale < 1000000000u) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
		}
	}
	*out = (double)whole + (double)frac / (double)scale;
	*p = s;
	return true;
}

int host_procfile_read_str(const char *root, const char *rel, char *out, size_t cap)
{
	struct host_procfile f;
	size_t n;

	if (cap == 0 || host_procfile_open(&f, root, rel) == -1)
		return -1;
	n = f.len;
	while (n > 0 && (f.buf[n - 1] == '\n' || f.buf[n - 1] == ' ' || f.buf[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= cap || f.truncated || memchr(f.buf, '\0', n) || memchr(f.buf, '\n', n)) {
		host_procfile_close(&f);
		return -1;
	}
	memcpy(out, f.buf, n);
	out[n] = '\0';
	host_procfile_close(&f);
	return (int)n;
}
