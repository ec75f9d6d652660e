/*
 * agent/host/mem.h: the host_memory counter record (sFlow 0:2004) read from
 * <root>/proc/meminfo and <root>/proc/vmstat.
 *
 * meminfo values are kB and become bytes (x 1024). As in hsflowd,
 * mem_cached = Cached + SReclaimable (reclaimable slab is cache too).
 * Unlike hsflowd, which sends 0, mem_shared = Shmem. page_in/page_out and
 * swap_in/swap_out are vmstat's pgpgin/pgpgout/pswpin/pswpout as the kernel
 * counts them, cut to 32 bits. Pure: no logging, no state.
 */
#ifndef AGENT_HOST_MEM_H
#define AGENT_HOST_MEM_H

#include "sflow/records.h"

/* Fill *out from the files under root. Returns 0, or -1 when meminfo is
 * missing or has no MemTotal line. Other absent keys, or a missing vmstat,
 * leave their fields 0. */
int host_mem_read(const char *root, struct sfl_ctr_host_mem *out);

#endif
