/*
 * agent/host/snmp.c: mib2 ip/icmp/tcp/udp from /proc/net/snmp by column
 * name (contract in snmp.h).
 *
 * One table per group lists (kernel column name, field offset). The parser
 * pairs each "<Proto>:" header line with the next "<Proto>:" line, walks
 * both token by token, and stores a value wherever the column name is in
 * the table. A value line with fewer tokens than its header keeps the rest
 * unknown; a non-numeric token leaves its field unknown and parsing goes on.
 */
#include "agent/host/snmp.h"

#include <stddef.h>
#include <string.h>

#include "agent/host/procfile.h"

#define SNMP_MAX_COLS 64 /* header columns considered per protocol */

struct snmp_col {
	const char *name;
	size_t offset; /* of a uint32_t in the group struct */
};

#define C(s, f, n) { n, offsetof(struct s, f) }
static const struct snmp_col ip_cols[] = {
	C(sfl_ctr_host_ip, forwarding, "Forwarding"), C(sfl_ctr_host_ip, default_ttl, "DefaultTTL"),
	C(sfl_ctr_host_ip, in_receives, "InReceives"), C(sfl_ctr_host_ip, in_hdr_errors, "InHdrErrors"),
	C(sfl_ctr_host_ip, in_addr_errors, "InAddrErrors"),
	C(sfl_ctr_host_ip, forw_datagrams, "ForwDatagrams"),
	C(sfl_ctr_host_ip, in_unknown_protos, "InUnknownProtos"),
	C(sfl_ctr_host_ip, in_discards, "InDiscards"), C(sfl_ctr_host_ip, in_delivers, "InDelivers"),
	C(sfl_ctr_host_ip, out_requests, "OutRequests"), C(sfl_ctr_host_ip, out_discards, "OutDiscards"),
	C(sfl_ctr_host_ip, out_no_routes, "OutNoRoutes"),
	C(sfl_ctr_host_ip, reasm_timeout, "ReasmTimeout"), C(sfl_ctr_host_ip, reasm_reqds, "ReasmReqds"),
	C(sfl_ctr_host_ip, reasm_oks, "ReasmOKs"), C(sfl_ctr_host_ip, reasm_fails, "ReasmFails"),
	C(sfl_ctr_host_ip, frag_oks, "FragOKs"), C(sfl_ctr_host_ip, frag_fails, "FragFails"),
	C(sfl_ctr_host_ip, frag_creates, "FragCreates"),
};

static const struct snmp_col icmp_cols[] = {
	C(sfl_ctr_host_icmp, in_msgs, "InMsgs"), C(sfl_ctr_host_icmp, in_errors, "InErrors"),
	C(sfl_ctr_host_icmp, in_dest_unreachs, "InDestUnreachs"),
	C(sfl_ctr_host_icmp, in_time_excds, "InTimeExcds"),
	C(sfl_ctr_host_icmp, in_parm_probs, "InParmProbs"),
	C(sfl_ctr_host_icmp, in_src_quenchs, "InSrcQuenchs"),
	C(sfl_ctr_host_icmp, in_redirects, "InRedirects"), C(sfl_ctr_host_icmp, in_echos, "InEchos"),
	C(sfl_ctr_host_icmp, in_echo_reps, "InEchoReps"),
	C(sfl_ctr_host_icmp, in_timestamps, "InTimestamps"),
	C(sfl_ctr_host_icmp, in_addr_masks, "InAddrMasks"),
	C(sfl_ctr_host_icmp, in_addr_mask_reps, "InAddrMaskReps"),
	C(sfl_ctr_host_icmp, out_msgs, "OutMsgs"), C(sfl_ctr_host_icmp, out_errors, "OutErrors"),
	C(sfl_ctr_host_icmp, out_dest_unreachs, "OutDestUnreachs"),
	C(sfl_ctr_host_icmp, out_time_excds, "OutTimeExcds"),
	C(sfl_ctr_host_icmp, out_parm_probs, "OutParmProbs"),
	C(sfl_ctr_host_icmp, out_src_quenchs, "OutSrcQuenchs"),
	C(sfl_ctr_host_icmp, out_redirects, "OutRedirects"), C(sfl_ctr_host_icmp, out_echos, "OutEchos"),
	C(sfl_ctr_host_icmp, out_echo_reps, "OutEchoReps"),
	C(sfl_ctr_host_icmp, out_timestamps, "OutTimestamps"),
	C(sfl_ctr_host_icmp, out_timestamp_reps, "OutTimestampReps"),
	C(sfl_ctr_host_icmp, out_addr_masks, "OutAddrMasks"),
	C(sfl_ctr_host_icmp, out_addr_mask_reps, "OutAddrMaskReps"),
};

static const struct snmp_col tcp_cols[] = {
	C(sfl_ctr_host_tcp, rto_algorithm, "RtoAlgorithm"), C(sfl_ctr_host_tcp, rto_min, "RtoMin"),
	C(sfl_ctr_host_tcp, rto_max, "RtoMax"), C(sfl_ctr_host_tcp, max_conn, "MaxConn"),
	C(sfl_ctr_host_tcp, active_opens, "ActiveOpens"),
	C(sfl_ctr_host_tcp, passive_opens, "PassiveOpens"),
	C(sfl_ctr_host_tcp, attempt_fails, "AttemptFails"),
	C(sfl_ctr_host_tcp, estab_resets, "EstabResets"), C(sfl_ctr_host_tcp, curr_estab, "CurrEstab"),
	C(sfl_ctr_host_tcp, in_segs, "InSegs"), C(sfl_ctr_host_tcp, out_segs, "OutSegs"),
	C(sfl_ctr_host_tcp, retrans_segs, "RetransSegs"), C(sfl_ctr_host_tcp, in_errs, "InErrs"),
	C(sfl_ctr_host_tcp, out_rsts, "OutRsts"), C(sfl_ctr_host_tcp, in_csum_errs, "InCsumErrors"),
};

static const struct snmp_col udp_cols[] = {
	C(sfl_ctr_host_udp, in_datagrams, "InDatagrams"), C(sfl_ctr_host_udp, no_ports, "NoPorts"),
	C(sfl_ctr_host_udp, in_errors, "InErrors"), C(sfl_ctr_host_udp, out_datagrams, "OutDatagrams"),
	C(sfl_ctr_host_udp, rcvbuf_errors, "RcvbufErrors"),
	C(sfl_ctr_host_udp, sndbuf_errors, "SndbufErrors"),
	C(sfl_ctr_host_udp, in_csum_errors, "InCsumErrors"),
};
#undef C

struct snmp_group {
	const char *proto;  /* line prefix before ':' */
	const struct snmp_col *cols;
	size_t ncols;
	size_t rec_offset;  /* of the group struct in struct host_snmp */
	size_t rec_size;
	size_t has_offset;  /* of its bool in struct host_snmp */
};

#define G(p, t, f) { p, t, sizeof(t) / sizeof((t)[0]), offsetof(struct host_snmp, f), \
		     sizeof(((struct host_snmp *)0)->f), offsetof(struct host_snmp, has_##f) }
static const struct snmp_group groups[] = {
	G("Ip", ip_cols, ip), G("Icmp", icmp_cols, icmp), G("Tcp", tcp_cols, tcp), G("Udp", udp_cols, udp),
};
#undef G

static const struct snmp_group *group_of(const char *line, const char **rest)
{
	const char *colon = strchr(line, ':');

	if (!colon)
		return NULL;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		size_t n = strlen(groups[i].proto);

		if ((size_t)(colon - line) == n && strncmp(line, groups[i].proto, n) == 0) {
			*rest = colon + 1;
			return &groups[i];
		}
	}
	return NULL;
}

/* Next blank-separated token of *p as [start, end), or false at the end. */
static bool next_token(const char **p, const char **start, size_t *len)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return false;
	*start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	*len = (size_t)(s - *start);
	*p = s;
	return true;
}

static const struct snmp_col *col_of(const struct snmp_group *g, const char *name, size_t len)
{
	for (size_t i = 0; i < g->ncols; i++)
		if (strlen(g->cols[i].name) == len && strncmp(g->cols[i].name, name, len) == 0)
			return &g->cols[i];
	return NULL;
}

/* Store the values of one group: header and values are the text after "Proto:". */
static void map_group(const struct snmp_group *g, const char *header, const char *values,
		      struct host_snmp *out)
{
	char *rec = (char *)out + g->rec_offset;
	const char *name, *val;
	size_t nlen, vlen;

	memset(rec, 0xff, g->rec_size); /* every field HOST_SNMP_UNKNOWN until seen */
	for (int i = 0; i < SNMP_MAX_COLS && next_token(&header, &name, &nlen); i++) {
		const struct snmp_col *c;
		const char *p;
		uint64_t v;
		uint32_t v32;

		if (!next_token(&values, &val, &vlen))
			break;
		c = col_of(g, name, nlen);
		p = val;
		if (!c || !host_procfile_i64(&p, &v) || p != val + vlen)
			continue;
		v32 = (uint32_t)v;
		memcpy(rec + c->offset, &v32, sizeof(v32));
	}
	*((bool *)((char *)out + g->has_offset)) = true;
}

/* A value line starts with a number; a second header line does not. */
static bool starts_numeric(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return (*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9');
}

int host_snmp_read(const char *root, struct host_snmp *out)
{
	const struct snmp_group *g, *pending = NULL;
	const char *rest = NULL, *header = NULL;
	struct host_procfile f;
	char *line;

	memset(out, 0, sizeof(*out));
	if (host_procfile_open(&f, root, "proc/net/snmp") == -1)
		return -1;
	while ((line = host_procfile_next_line(&f)) != NULL) {
		g = group_of(line, &rest);
		if (g && g == pending && starts_numeric(rest)) {
			map_group(g, header, rest, out);
			pending = NULL;
		} else {
			pending = g; /* a header, or a stray line that resets the pairing */
			header = rest;
		}
	}
	host_procfile_close(&f);
	return 0;
}
