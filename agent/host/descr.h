/*
 * agent/host/descr.h: the host_descr record (sFlow 0:2000) from files under
 * a root: hostname <root>/proc/sys/kernel/hostname (= uname nodename of the
 * agent's UTS namespace), os_release <root>/proc/sys/kernel/osrelease,
 * machine type from <root>/proc/sys/kernel/arch (= uname machine; kernels
 * without that sysctl leave type 0 and the caller may set
 * rec.machine_type = host_descr_machine_type(uname().machine)).
 *
 * The UUID is, in order: the configured one; the DMI product UUID
 * (<root>/sys/class/dmi/id/product_uuid) unless it is all 0 or all f, the
 * placeholders firmware writes when it has none; the systemd machine-id
 * (<root>/etc/machine-id, 32 hex digits) folded into a UUID exactly as
 * hsflowd does under systemd (host_descr_fold_machine_id), so a host keeps
 * its identity in the collector when it moves from hsflowd to rtflow (and
 * the machine-id, which systemd says must not leave the host, is not sent
 * as is); else all zero (unknown).
 * product_uuid is readable by root only (mode 0400): the agent must take
 * the UUID before dropping privileges and keep it, or it would switch to
 * the machine-id afterwards. The record points into struct host_descr; it
 * lives as long as that does.
 */
#ifndef AGENT_HOST_DESCR_H
#define AGENT_HOST_DESCR_H

#include <stdbool.h>
#include <stdint.h>

#include "sflow/records.h"

#define HOST_DESCR_HOSTNAME_MAX 64 /* sFlow host_descr string<64> */
#define HOST_DESCR_RELEASE_MAX 32  /* sFlow host_descr string<32> */

enum host_descr_uuid_src { HOST_UUID_NONE, HOST_UUID_CONFIG, HOST_UUID_DMI, HOST_UUID_MACHINE_ID };

struct host_descr {
	struct sfl_ctr_host_descr rec;             /* strings point into the buffers below */
	char hostname[HOST_DESCR_HOSTNAME_MAX + 1];
	char os_release[HOST_DESCR_RELEASE_MAX + 1];
	enum host_descr_uuid_src uuid_src;         /* where rec.uuid came from */
};

/* sFlow machine_type for a uname machine string: x86_64 3, i386 to i686 2,
 * aarch64 and arm... 10, ia64 4, sparc... 5, alpha 6, ppc... and powerpc...
 * 7, m68k 8, mips... 9, parisc... 11, s390... 12, any other non-empty
 * string 1 (other), NULL or "" 0 (unknown). */
uint32_t host_descr_machine_type(const char *machine);

/* Parse a UUID in text ("8-4-4-4-12" with dashes, or 32 hex digits, either
 * case, surrounding blanks allowed) into out[16]. Returns 0 or -1. */
int host_descr_parse_uuid(const char *text, uint8_t out[16]);

/* hsflowd's machine-id fallback: h1 = FNV-1a over mid[0..8), h2 over
 * mid[8..16) (each byte taken as a signed char, as hsflowd's hash does on
 * x86), out = h1 h2 h1 h2 as little-endian 32-bit words (hsflowd's memory
 * layout on x86, kept on every architecture), then stamped version 5 and
 * variant 10 (out[6] = 0x5X, out[8] = 0b10XXXXXX). */
void host_descr_fold_machine_id(const uint8_t mid[16], uint8_t out[16]);

/* Fill *d. config_uuid (16 bytes) wins when not NULL. Returns 0, or -1
 * when the hostname cannot be read (an unnamed host cannot be reported).
 * A missing osrelease or arch leaves an empty string or type 0; a
 * release longer than 32 bytes is cut to 32, as hsflowd does. */
int host_descr_read(const char *root, const uint8_t *config_uuid, struct host_descr *d);

#endif
