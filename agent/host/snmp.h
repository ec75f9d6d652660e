/*
 * agent/host/snmp.h: the mib2 IP, ICMP, TCP and UDP group counter records
 * (sFlow 0:2007 to 0:2010) read from <root>/proc/net/snmp.
 *
 * Each protocol there is a header line of column names and a value line
 * ("Tcp: RtoAlgorithm RtoMin ..." then "Tcp: 1 200 ..."). Columns are
 * mapped BY NAME, not position: kernels add columns (Icmp InCsumErrors
 * since 3.10, OutRateLimitGlobal/Host in 6.x, Ip OutTransmits), which
 * shifts every later ICMP field in hsflowd's positional parse. A field whose
 * column is missing reads HOST_SNMP_UNKNOWN; columns with no sFlow field
 * (e.g. Icmp InTimestampReps, Udp IgnoredMulti) are ignored. Negative
 * values (Tcp MaxConn -1) and values past 32 bits keep their low 32 bits.
 * Pure: no logging, no state.
 */
#ifndef AGENT_HOST_SNMP_H
#define AGENT_HOST_SNMP_H

#include <stdbool.h>
#include <stdint.h>

#include "sflow/records.h"

#define HOST_SNMP_UNKNOWN 0xffffffffu /* a counter the kernel does not report */

struct host_snmp {
	struct sfl_ctr_host_ip ip;
	struct sfl_ctr_host_icmp icmp;
	struct sfl_ctr_host_tcp tcp;
	struct sfl_ctr_host_udp udp;
	bool has_ip, has_icmp, has_tcp, has_udp; /* header and value lines both seen */
};

/* Fill *out from <root>/proc/net/snmp. Returns 0 when the file was read
 * (check has_* for each group; a group without both lines must not be
 * sent), or -1 when it cannot be read. */
int host_snmp_read(const char *root, struct host_snmp *out);

#endif
