/*
 * agent/daemon.c: pid file and sd_notify (contract in daemon.h).
 */
#include "agent/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "common/log.h"

__attribute__((format(printf, 1, 2))) static char *err_fmt(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return strdup(msg);
}

/* The pid a locked file names, 0 when unreadable. */
static long holder_of(int fd)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	if (n <= 0)
		return 0;
	text[n] = '\0';
	return strtol(text, NULL, 10);
}

static int write_pid(int fd)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) == -1 || pwrite(fd, text, (size_t)n, 0) != n)
		return -1;
	return 0;
}

int daemon_pidfile_take(const char *path, char **err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd == -1) {
		*err = err_fmt("pidfile %s: open: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			*err = err_fmt("pidfile %s: another rtflow-agent (pid %ld) holds it", path,
				       holder_of(fd));
		else
			*err = err_fmt("pidfile %s: flock: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (write_pid(fd) == -1) {
		*err = err_fmt("pidfile %s: write: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void daemon_pidfile_release(const char *path, int fd)
{
	if (fd == -1)
		return;
	if (unlink(path) == -1 && ftruncate(fd, 0) == -1)
		log_msg(LOG_WARNING, "pidfile %s: cannot remove or empty it: %s", path,
			strerror(errno));
	close(fd);
}

void daemon_notify(const char *state)
{
	int rc = sd_notify(0, state);

	if (rc < 0)
		log_msg(LOG_WARNING, "sd_notify: %s", strerror(-rc));
}
