/*
 * agent/privs.h: dropping the agent's privileges after setup
 * (spec/architecture.md "Agent: one event loop").
 *
 * privs_drop() makes the process run as an unprivileged user with only
 * the capabilities it still needs:
 *   1. PR_SET_KEEPCAPS, so the permitted set survives the uid change;
 *   2. every capability not kept leaves the bounding set (when we may:
 *      CAP_SETPCAP), and the ambient set is cleared;
 *   3. supplementary groups become the user's primary group alone, then
 *      setresgid and setresuid to the user (only when running as uid 0;
 *      a process started unprivileged, e.g. by systemd with User=, keeps
 *      its uid);
 *   4. permitted = effective = the kept capabilities that were permitted,
 *      plus `reserve` in permitted only (raised briefly with privs_raise);
 *   5. PR_SET_NO_NEW_PRIVS: no exec can gain privileges again.
 * The agent keeps CAP_NET_RAW and CAP_NET_ADMIN (packet capture,
 * SO_BINDTODEVICE, ethtool) and reserves CAP_DAC_READ_SEARCH, raised only
 * while re-reading its config file on SIGHUP (configs are often 0600
 * root). Whatever needs more (setns into other network namespaces for
 * namespace= collectors) is done before the drop.
 *
 * Process-wide; call from the main thread before any other thread exists.
 */
#ifndef RTFLOW_AGENT_PRIVS_H
#define RTFLOW_AGENT_PRIVS_H

#include <stddef.h>
#include <sys/capability.h>

#define PRIVS_DEFAULT_USER "rtflow"    /* used when it exists ... */
#define PRIVS_FALLBACK_USER "nobody"   /* ... else this */

/* The user to run as: `wanted` when not NULL, else PRIVS_DEFAULT_USER if
 * such a user exists, else PRIVS_FALLBACK_USER. */
const char *privs_default_user(const char *wanted);

/* Drop to `user` keeping keep[0..nkeep) effective and reserve[0..nres)
 * permitted only (see above). 0, or -1 with *err set (caller frees): the
 * process may then be half-way, so the caller must exit. */
int privs_drop(const char *user, const cap_value_t *keep, size_t nkeep,
	       const cap_value_t *reserve, size_t nres, char **err);

/* Raise (on = 1) or lower (on = 0) cap in the effective set; it must be
 * permitted. 0, or -1 (errno set). */
int privs_set_effective(cap_value_t cap, int on);

#endif
