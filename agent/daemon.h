/*
 * agent/daemon.h: the agent as a system service: its pid file and its
 * readiness notifications to systemd.
 *
 * Pid file: opened (created 0644) and locked with flock(LOCK_EX) for the
 * agent's whole life; the lock, not the file's existence, says an agent
 * is running, so a file left by a crash is simply taken over, and a
 * second agent on the same file is refused while the first lives. The
 * file holds "<pid>\n". At exit it is removed; when it cannot be (the
 * agent dropped privileges and the directory is root's), it is truncated
 * to empty instead, which readers treat as "not running".
 *
 * Notifications: sd_notify(3) messages READY=1, RELOADING=1, STOPPING=1,
 * STATUS=...; a no-op when $NOTIFY_SOCKET is unset (not under systemd
 * Type=notify). Main thread only.
 */
#ifndef RTFLOW_AGENT_DAEMON_H
#define RTFLOW_AGENT_DAEMON_H

/* Lock and write pid file path. Returns its fd (keep it open), or -1 with
 * *err set (caller frees): "another rtflow-agent (pid N) holds it", or
 * the failing call and errno. */
int daemon_pidfile_take(const char *path, char **err);

/* Remove (else truncate) the pid file and close fd. fd -1 is a no-op. */
void daemon_pidfile_release(const char *path, int fd);

/* Send one sd_notify state string ("READY=1", "RELOADING=1\nSTATUS=..."). */
void daemon_notify(const char *state);

#endif
