/*
 * agent/privs and agent/daemon in forked children (the drop cannot be
 * undone, so the test process itself keeps root): after privs_drop the
 * child's uid is nobody's (from the passwd database), its effective set is
 * exactly the kept capability, the reserved one is permitted only and can
 * be raised and lowered again, and no_new_privs is set. The pid file: a
 * second taker is refused with the holder's pid, a file left unlocked is
 * taken over, release removes it. Skipped checks need root: as non-root
 * the drop test only checks the error path.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/daemon.h"
#include "agent/privs.h"
#include "tests/lib/test.h"

static bool has(cap_t c, cap_value_t v, cap_flag_t set)
{
	cap_flag_value_t on = CAP_CLEAR;

	return cap_get_flag(c, v, set, &on) == 0 && on == CAP_SET;
}

/* Runs in the child: one bit per failed condition, 0 when all hold. */
static int child_checks(void)
{
	static const cap_value_t keep[] = { CAP_NET_RAW };
	static const cap_value_t reserve[] = { CAP_DAC_READ_SEARCH };
	const struct passwd *nobody = getpwnam("nobody");
	char *err = NULL;
	int bad = 0;
	cap_t c;

	if (!nobody || privs_drop("nobody", keep, 1, reserve, 1, &err) == -1)
		return 1;
	if (getuid() != nobody->pw_uid || geteuid() != nobody->pw_uid || getgid() != nobody->pw_gid)
		bad |= 2;
	c = cap_get_proc();
	if (!has(c, CAP_NET_RAW, CAP_EFFECTIVE) || has(c, CAP_NET_ADMIN, CAP_PERMITTED) ||
	    has(c, CAP_SYS_ADMIN, CAP_PERMITTED) || has(c, CAP_DAC_READ_SEARCH, CAP_EFFECTIVE) ||
	    !has(c, CAP_DAC_READ_SEARCH, CAP_PERMITTED))
		bad |= 4;
	cap_free(c);
	if (privs_set_effective(CAP_DAC_READ_SEARCH, 1) == -1 ||
	    privs_set_effective(CAP_DAC_READ_SEARCH, 0) == -1 ||
	    privs_set_effective(CAP_SYS_ADMIN, 1) != -1)
		bad |= 8;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		bad |= 16;
	if (setuid(0) != -1)
		bad |= 32;
	return bad;
}

TEST(drop_in_child)
{
	int st = 0;
	pid_t pid;

	if (geteuid() != 0) {
		char *err = NULL;
		static const cap_value_t keep[] = { CAP_NET_RAW };

		CHECK_EQ_U64(privs_drop("no-such-user-rtfl", keep, 1, NULL, 0, &err), (uint64_t)-1);
		CHECK(err && strstr(err, "no-such-user-rtfl"));
		free(err);
		return;
	}
	pid = fork();
	CHECK(pid != -1);
	if (pid == 0)
		_exit(child_checks());
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ_U64(WEXITSTATUS(st), 0);
}

TEST(unknown_user)
{
	static const cap_value_t keep[] = { CAP_NET_RAW };
	char *err = NULL;

	CHECK_EQ_U64(privs_drop("no-such-user-rtfl", keep, 1, NULL, 0, &err), (uint64_t)-1);
	CHECK(err && strstr(err, "no-such-user-rtfl"));
	free(err);
	CHECK_EQ_STR(privs_default_user("alice"), "alice");
	CHECK_EQ_STR(privs_default_user(NULL),
		     getpwnam(PRIVS_DEFAULT_USER) ? PRIVS_DEFAULT_USER : PRIVS_FALLBACK_USER);
}

TEST(pidfile)
{
	char dir[] = "/tmp/privs_test.XXXXXX", path[64], text[32] = { 0 };
	char *err = NULL;
	int fd, fd2, st = 0;
	pid_t pid;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/agent.pid", dir);
	/* A stale file (no lock): taken over. */
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	CHECK(write(fd, "99999\n", 6) == 6);
	close(fd);
	fd = daemon_pidfile_take(path, &err);
	CHECK(fd >= 0);
	fd2 = open(path, O_RDONLY);
	CHECK(read(fd2, text, sizeof(text) - 1) > 0);
	close(fd2);
	CHECK_EQ_U64(strtol(text, NULL, 10), getpid());
	/* A second taker (another process: flock is per open file) is refused. */
	pid = fork();
	if (pid == 0) {
		char *e = NULL;
		char want[64];

		snprintf(want, sizeof(want), "pid %ld", (long)getppid());
		_exit(daemon_pidfile_take(path, &e) == -1 && e && strstr(e, want) ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	daemon_pidfile_release(path, fd);
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);
	daemon_pidfile_release(path, -1);
	CHECK_EQ_U64(daemon_pidfile_take("/nonexistent-dir/x.pid", &err), (uint64_t)-1);
	CHECK(err && strstr(err, "/nonexistent-dir/x.pid"));
	free(err);
	rmdir(dir);
}

TEST_MAIN(TEST_ENTRY(drop_in_child), TEST_ENTRY(unknown_user), TEST_ENTRY(pidfile))
