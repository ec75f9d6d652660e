/*
 * analyzer/flow_keys_ext.c: keys of the extended router and gateway
 * records (BGP paths and communities), tcp_info (0:2209) and http_request
 * (0:2206).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_keys_internal.h"
#include "sflow/sflow.h"

/* ---- extended records ---------------------------------------------------------- */

/* 0 ipnexthoprouter, 1 ipsourcemaskbits, 2 ipdestinationmaskbits */
static int k_router(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct sfl_ex_router *r = fs->ex_router;

	if (!r || d)
		return -1;
	if (arg == 0)
		return out_addr(v, &r->nexthop);
	return out_u64(v, arg == 1 ? r->src_mask_len : r->dst_mask_len);
}

/* The AS path as '-'-joined numbers (all segments in order) into
 * t[0..FLOW_KEY_VALUE_MAX): its length (0: no path); the first (peer) and
 * last (origin) AS through *first and *last. */
static size_t as_path(const struct sfl_ex_gateway *g, char *t, uint32_t *first, uint32_t *last)
{
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	size_t n = 0;

	*first = *last = 0;
	sfl_list_iter_init(&it, &g->as_path);
	while (sfl_as_path_next(&it, &seg))
		for (uint32_t i = 0; i < seg.asns.count; i++) {
			uint32_t as = sfl_u32_array_get(&seg.asns, i);

			if (n + 12 >= FLOW_KEY_VALUE_MAX)
				return n;
			if (n)
				t[n++] = '-';
			n += flow_u64_digits(t + n, as);
			*first = *first ? *first : as;
			*last = as;
		}
	return n;
}

/* Communities as '-'-joined high:low pairs into t; the length. */
static size_t communities(const struct sfl_ex_gateway *g, char *t)
{
	size_t n = 0;

	for (uint32_t i = 0; i < g->communities.count && n + 24 < FLOW_KEY_VALUE_MAX; i++) {
		uint32_t c = sfl_u32_array_get(&g->communities, i);

		if (n)
			t[n++] = '-';
		n += flow_u64_digits(t + n, c >> 16);
		t[n++] = ':';
		n += flow_u64_digits(t + n, c & 0xffff);
	}
	return n;
}

/* 0 bgpnexthop, 1 bgpas, 2 bgpsourceas, 3 bgpsourcepeeras,
 * 4 bgpdestinationas, 5 bgpdestinationpeeras, 6 bgpdestinationaspath,
 * 7 bgpcommunities, 8 bgplocalpref */
static int k_gateway(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct sfl_ex_gateway *g = fs->ex_gateway;
	char t[FLOW_KEY_VALUE_MAX];
	uint32_t first, last;
	size_t n;

	if (!g || d)
		return -1;
	switch (arg) {
	case 0:
		return out_addr(v, &g->nexthop);
	case 1:
		return out_u64(v, g->as);
	case 2:
		return out_u64(v, g->src_as);
	case 3:
		return out_u64(v, g->src_peer_as);
	case 4:
		return as_path(g, t, &first, &last) ? out_u64(v, last) : -1;
	case 5:
		return as_path(g, t, &first, &last) ? out_u64(v, first) : -1;
	case 6:
		n = as_path(g, t, &first, &last);
		return n ? out_text(fs, v, t, n) : -1;
	case 8:
		return out_u64(v, g->local_pref);
	default:
		n = communities(g, t);
		return n ? out_text(fs, v, t, n) : -1;
	}
}

/* tcp_info 0:2209: the field at arg (an index into the struct's words) */
static int k_tcpinfo(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	const struct sfl_ex_tcp_info *t = fs->tcp_info;
	const uint32_t f[] = { t ? t->rtt_us : 0,    t ? t->unacked : 0,   t ? t->min_rtt_us : 0,
			 t ? t->rttvar_us : 0, t ? t->lost : 0,      t ? t->retrans : 0,
			 t ? t->snd_cwnd : 0,  t ? t->snd_mss : 0,   t ? t->rcv_mss : 0,
			 t ? t->pmtu : 0,      t ? t->reordering : 0 };

	return t && d == 0 ? out_u64(v, f[arg]) : -1;
}

/* http_request 0:2206: 0 httpmethod, 1 httpurl, 2 httphost, 3 httpstatus,
 * 4 duration (µs), 5 requests (1), 6 httpuseragent, 7 httpmimetype */
static int k_http(struct flow_sample *fs, uint8_t d, int arg, struct flow_val *v)
{
	static const char *const methods[] = { "OTHER", "OPTIONS", "GET",   "HEAD",   "POST",
					       "PUT",   "DELETE",  "TRACE", "CONNECT" };
	const struct sfl_flow_http *h = fs->http;

	if (!h || d)
		return -1;
	switch (arg) {
	case 0: {
		const char *m = h->method < 9 ? methods[h->method] : "OTHER";

		return out_str(v, m, strlen(m));
	}
	case 1:
		return h->uri.ptr ? out_str(v, h->uri.ptr, h->uri.len) : -1;
	case 2:
		return h->host.ptr ? out_str(v, h->host.ptr, h->host.len) : -1;
	case 3:
		return out_u64(v, h->status < 0 ? 0 : (uint64_t)h->status);
	case 4:
		return out_u64(v, h->duration_us);
	case 5:
		return out_u64(v, 1);
	case 6:
		return h->useragent.ptr ? out_str(v, h->useragent.ptr, h->useragent.len) : -1;
	default:
		return h->mime_type.ptr ? out_str(v, h->mime_type.ptr, h->mime_type.len) : -1;
	}
}

const struct flow_key_def flow_keys_ext_defs[] = {
	{ "ipnexthoprouter", k_router, 0, false, FLOW_KEY_PLAIN },
	{ "ipsourcemaskbits", k_router, 1, false, FLOW_KEY_PLAIN },
	{ "ipdestinationmaskbits", k_router, 2, false, FLOW_KEY_PLAIN },
	{ "bgpnexthop", k_gateway, 0, false, FLOW_KEY_PLAIN },
	{ "bgpas", k_gateway, 1, false, FLOW_KEY_PLAIN },
	{ "bgpsourceas", k_gateway, 2, false, FLOW_KEY_PLAIN },
	{ "bgpsourcepeeras", k_gateway, 3, false, FLOW_KEY_PLAIN },
	{ "bgpdestinationas", k_gateway, 4, false, FLOW_KEY_PLAIN },
	{ "bgpdestinationpeeras", k_gateway, 5, false, FLOW_KEY_PLAIN },
	{ "bgpdestinationaspath", k_gateway, 6, false, FLOW_KEY_PLAIN },
	{ "bgpcommunities", k_gateway, 7, false, FLOW_KEY_PLAIN },
	{ "bgplocalpref", k_gateway, 8, false, FLOW_KEY_PLAIN },
	{ "tcprtt", k_tcpinfo, 0, false, FLOW_KEY_PLAIN },
	{ "tcpunacked", k_tcpinfo, 1, false, FLOW_KEY_PLAIN },
	{ "tcprttwait", k_tcpinfo, 2, false, FLOW_KEY_PLAIN },
	{ "tcprttsdev", k_tcpinfo, 3, false, FLOW_KEY_PLAIN },
	{ "tcplost", k_tcpinfo, 4, false, FLOW_KEY_PLAIN },
	{ "tcpretrans", k_tcpinfo, 5, false, FLOW_KEY_PLAIN },
	{ "tcpcwndsnd", k_tcpinfo, 6, false, FLOW_KEY_PLAIN },
	{ "tcpmss", k_tcpinfo, 7, false, FLOW_KEY_PLAIN },
	{ "tcprcvmss", k_tcpinfo, 8, false, FLOW_KEY_PLAIN },
	{ "tcppmtu", k_tcpinfo, 9, false, FLOW_KEY_PLAIN },
	{ "tcpreordering", k_tcpinfo, 10, false, FLOW_KEY_PLAIN },
	{ "httpmethod", k_http, 0, false, FLOW_KEY_PLAIN },
	{ "httpurl", k_http, 1, false, FLOW_KEY_PLAIN },
	{ "httphost", k_http, 2, false, FLOW_KEY_PLAIN },
	{ "httpstatus", k_http, 3, false, FLOW_KEY_PLAIN },
	{ "duration", k_http, 4, false, FLOW_KEY_PLAIN },
	{ "requests", k_http, 5, false, FLOW_KEY_PLAIN },
	{ "httpuseragent", k_http, 6, false, FLOW_KEY_PLAIN },
	{ "httpmimetype", k_http, 7, false, FLOW_KEY_PLAIN },
};

const size_t flow_keys_ext_ndefs = sizeof(flow_keys_ext_defs) / sizeof(flow_keys_ext_defs[0]);
