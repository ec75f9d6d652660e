/*
 * agent/privs.c: the privilege drop (contract in privs.h), on libcap.
 */
#include "agent/privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

__attribute__((format(printf, 1, 2))) static char *err_fmt(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return strdup(msg);
}

const char *privs_default_user(const char *wanted)
{
	if (wanted)
		return wanted;
	return getpwnam(PRIVS_DEFAULT_USER) ? PRIVS_DEFAULT_USER : PRIVS_FALLBACK_USER;
}

static bool in_list(cap_value_t c, const cap_value_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i] == c)
			return true;
	}
	return false;
}

/* Drop from the bounding set every capability in neither list. Needs
 * CAP_SETPCAP; without it (an unprivileged start) the set stays, which
 * no_new_privs makes harmless. */
static void drop_bounding(const cap_value_t *keep, size_t nkeep, const cap_value_t *res,
			  size_t nres)
{
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		if (!in_list(c, keep, nkeep) && !in_list(c, res, nres))
			(void)prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	}
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

static int change_user(const struct passwd *pw, char **err)
{
	gid_t gid = pw->pw_gid;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1) {
		*err = err_fmt("privs: PR_SET_KEEPCAPS: %s", strerror(errno));
		return -1;
	}
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		*err = err_fmt("privs: switching to user %s (uid %u): %s", pw->pw_name,
			       (unsigned)pw->pw_uid, strerror(errno));
		return -1;
	}
	(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	return 0;
}

/* Add to caps, in `flags` sets, those of v[0..n) that `have` permits. */
static void add_permitted(cap_t caps, cap_t have, const cap_value_t *v, size_t n, bool effective)
{
	for (size_t i = 0; i < n; i++) {
		cap_flag_value_t on = CAP_CLEAR;

		if (cap_get_flag(have, v[i], CAP_PERMITTED, &on) == -1 || on != CAP_SET)
			continue;
		cap_set_flag(caps, CAP_PERMITTED, 1, &v[i], CAP_SET);
		if (effective)
			cap_set_flag(caps, CAP_EFFECTIVE, 1, &v[i], CAP_SET);
	}
}

static int set_caps(cap_t have, const cap_value_t *keep, size_t nkeep, const cap_value_t *res,
		    size_t nres, char **err)
{
	cap_t caps = cap_init();
	int rc = 0;

	if (!caps) {
		*err = err_fmt("privs: cap_init: %s", strerror(errno));
		return -1;
	}
	add_permitted(caps, have, keep, nkeep, true);
	add_permitted(caps, have, res, nres, false);
	if (cap_set_proc(caps) == -1) {
		*err = err_fmt("privs: cap_set_proc: %s", strerror(errno));
		rc = -1;
	}
	cap_free(caps);
	return rc;
}

int privs_drop(const char *user, const cap_value_t *keep, size_t nkeep,
	       const cap_value_t *reserve, size_t nres, char **err)
{
	const struct passwd *pw = getpwnam(user);
	cap_t have = cap_get_proc(); /* what we may keep, read before the uid change */
	int rc = -1;

	if (!pw) {
		*err = err_fmt("privs: no user '%s' (give another with -u)", user);
		goto out;
	}
	if (!have) {
		*err = err_fmt("privs: cap_get_proc: %s", strerror(errno));
		goto out;
	}
	drop_bounding(keep, nkeep, reserve, nres);
	if (getuid() == 0 && pw->pw_uid != 0 && change_user(pw, err) == -1)
		goto out;
	if (set_caps(have, keep, nkeep, reserve, nres, err) == -1)
		goto out;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		*err = err_fmt("privs: PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (have)
		cap_free(have);
	return rc;
}

int privs_set_effective(cap_value_t cap, int on)
{
	cap_t caps = cap_get_proc();
	int rc;

	if (!caps)
		return -1;
	rc = cap_set_flag(caps, CAP_EFFECTIVE, 1, &cap, on ? CAP_SET : CAP_CLEAR);
	if (rc == 0)
		rc = cap_set_proc(caps);
	cap_free(caps);
	return rc;
}
