/*
 * analyzer/flow_keys.c: the flow key table (names of
 * reference/sflow-rt-api.md §2.5, from flow_keys_l2.c, flow_keys_l3.c and
 * flow_keys_ext.c), name resolution, the sample's records and the per
 * sample memo of values. Header keys read the layers flow_keys_pkt.c
 * finds; without a sampled header the IPv4/IPv6/Ethernet sampled records
 * (0:3, 0:4, 0:2) give the same keys at depth 0.
 *
 * Print forms: IPv4 dotted, IPv6 as inet_ntop, MACs as 12 upper-case hex
 * digits, numbers in decimal, booleans true/false, tcpflags as the 9 flag
 * bits NS CWR ECE URG ACK PSH RST SYN FIN as '0'/'1' (SYN is "000000010"),
 * ipflags as the 3 bits reserved/DF/MF, BGP paths and communities joined
 * with '-' and ':' as sFlow-RT does (unverified: reference §2.5 names the
 * keys, not their print forms). The tcp_info mapping of tcprttwait (to
 * min_rtt) is unverified too.
 */
#include "analyzer/flow_keys.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_addr.h"
#include "analyzer/flow_keys_internal.h"
#include "sflow/sflow.h"

/* ---- the table: every file's keys, numbered in order ---------------------- */

static const struct flow_key_def *key_def(size_t id)
{
	if (id < flow_keys_l2_ndefs)
		return &flow_keys_l2_defs[id];
	id -= flow_keys_l2_ndefs;
	if (id < flow_keys_l3_ndefs)
		return &flow_keys_l3_defs[id];
	id -= flow_keys_l3_ndefs;
	return id < flow_keys_ext_ndefs ? &flow_keys_ext_defs[id] : NULL;
}

#define NKEYS (flow_keys_l2_ndefs + flow_keys_l3_ndefs + flow_keys_ext_ndefs)

int flow_key_resolve(const char *name, struct flow_key_ref *out)
{
	size_t n = name ? strlen(name) : 0, base = n;
	unsigned depth = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= FLOW_KEY_NAME_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(name[i] == '_' || name[i] == '.' || name[i] == '-' ||
		      (name[i] >= '0' && name[i] <= '9') ||
		      ((name[i] | 0x20) >= 'a' && (name[i] | 0x20) <= 'z')))
			return -1;
	memcpy(out->name, name, n + 1);
	if (n >= 3 && name[n - 2] == '.' && name[n - 1] >= '1' &&
	    name[n - 1] <= '0' + FLOW_KEY_DEPTH_MAX) {
		depth = (unsigned)(name[n - 1] - '0');
		base = n - 2;
	}
	out->id = FLOW_KEY_DYNAMIC;
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(key_def(i)->name) == base && memcmp(key_def(i)->name, name, base) == 0 &&
		    (depth == 0 || key_def(i)->layered) && i < FLOW_KEYS_MAX) {
			out->id = (uint16_t)i;
			out->depth = (uint8_t)depth;
			out->def = key_def(i);
		}
	return 0;
}

/* ---- samples ------------------------------------------------------------------------ */

static void keep_record(struct flow_sample *fs, const struct sfl_record *r)
{
	if (!r->known)
		return;
	switch (r->tag) {
	case SFL_FLOW_HEADER:
		fs->v_header = r->v.header, fs->header = &fs->v_header;
		break;
	case SFL_FLOW_ETHERNET:
		fs->v_eth = r->v.ethernet, fs->eth = &fs->v_eth;
		break;
	case SFL_FLOW_IPV4:
		fs->v_ipv4 = r->v.ipv4, fs->ipv4 = &fs->v_ipv4;
		break;
	case SFL_FLOW_IPV6:
		fs->v_ipv6 = r->v.ipv6, fs->ipv6 = &fs->v_ipv6;
		break;
	case SFL_FLOW_EX_SWITCH:
		fs->v_switch = r->v.ex_switch, fs->ex_switch = &fs->v_switch;
		break;
	case SFL_FLOW_EX_ROUTER:
		fs->v_router = r->v.router, fs->ex_router = &fs->v_router;
		break;
	case SFL_FLOW_EX_GATEWAY:
		fs->v_gateway = r->v.gateway, fs->ex_gateway = &fs->v_gateway;
		break;
	case SFL_FLOW_EX_TCP_INFO:
		fs->v_tcp_info = r->v.tcp_info, fs->tcp_info = &fs->v_tcp_info;
		break;
	case SFL_FLOW_HTTP:
		fs->v_http = r->v.http, fs->http = &fs->v_http;
		break;
	case SFL_FLOW_EX_SOCKET4:
		fs->v_socket4 = r->v.socket4, fs->socket4 = &fs->v_socket4;
		break;
	case SFL_FLOW_EX_SOCKET6:
		fs->v_socket6 = r->v.socket6, fs->socket6 = &fs->v_socket6;
		break;
	default:
		break;
	}
}

static void sample_reset(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent)
{
	fs->smp = smp;
	fs->agent = agent;
	fs->dropped = smp->tag == SFL_SAMPLE_DISCARD;
	fs->header = NULL;
	fs->eth = NULL;
	fs->ipv4 = NULL;
	fs->ipv6 = NULL;
	fs->ex_switch = NULL;
	fs->ex_router = NULL;
	fs->ex_gateway = NULL;
	fs->tcp_info = NULL;
	fs->http = NULL;
	fs->socket4 = NULL;
	fs->socket6 = NULL;
	fs->rt_valid = false;
	memset(fs->memo_have, 0, sizeof(fs->memo_have));
	fs->key_text_used = 0;
	fs->fn_text_used = 0;
	fs->pkt.parsed = false;
	fs->pkt.nlayers = 0;
}

/* The records keep_record keeps: the others are not decoded at all. */
static bool kept_tag(uint32_t tag)
{
	switch (tag) {
	case SFL_FLOW_HEADER:
	case SFL_FLOW_ETHERNET:
	case SFL_FLOW_IPV4:
	case SFL_FLOW_IPV6:
	case SFL_FLOW_EX_SWITCH:
	case SFL_FLOW_EX_ROUTER:
	case SFL_FLOW_EX_GATEWAY:
	case SFL_FLOW_EX_TCP_INFO:
	case SFL_FLOW_HTTP:
	case SFL_FLOW_EX_SOCKET4:
	case SFL_FLOW_EX_SOCKET6:
		return true;
	default:
		return false;
	}
}

void flow_sample_init(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent)
{
	struct sfl_sample walk = *smp; /* the caller's cursor stays where it is */
	struct sfl_error err = { 0 };
	struct sfl_record r;

	sample_reset(fs, smp, agent);
	walk.err = &err;
	while (sfl_sample_next_record_raw(&walk, &r))
		if (kept_tag(r.tag) &&
		    sfl_record_decode(&r, (uint32_t)(r.body - walk.r.base), &err) == 0)
			keep_record(fs, &r); /* a bad record is skipped, the others still count */
}

void flow_sample_init_rt(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent)
{
	sample_reset(fs, smp, agent);
	fs->rt_valid = sfl_rt_open(smp, &fs->rt) == 0;
}

uint32_t flow_sample_bytes(const struct flow_sample *fs)
{
	if (fs->header)
		return fs->header->frame_bytes;
	if (fs->ipv4)
		return fs->ipv4->length;
	if (fs->ipv6)
		return fs->ipv6->length;
	if (fs->eth)
		return fs->eth->frame_bytes;
	return 0;
}

bool flow_sample_text(struct flow_sample *fs, bool fn, const char *s, size_t n,
		      struct flow_val *v)
{
	char *buf = fn ? fs->fn_text : fs->key_text;
	uint16_t *used = fn ? &fs->fn_text_used : &fs->key_text_used;
	size_t cap = fn ? sizeof(fs->fn_text) : sizeof(fs->key_text);

	n = n < FLOW_VAL_TEXT_MAX ? n : FLOW_VAL_TEXT_MAX;
	if (*used + n > cap)
		return false;
	memcpy(buf + *used, s, n);
	v->type = FLOW_V_TEXT;
	v->s = buf + *used;
	v->len = (uint16_t)n;
	*used = (uint16_t)(*used + n);
	return true;
}

/* A custom key: the rtflow entry named `name` (its text points into the
 * datagram). */
static int rt_value(const struct flow_sample *fs, const char *name, struct flow_val *v)
{
	struct sfl_rt_sample rt = fs->rt;
	struct sfl_error err = { 0 };
	struct sfl_rt_entry e;
	size_t n = strlen(name);

	rt.err = &err;
	while (sfl_rt_next(&rt, &e)) {
		if (e.name.len != n || memcmp(e.name.ptr, name, n) != 0)
			continue;
		switch (e.type) {
		case SFL_RTF_STRING:
			return out_str(v, e.str.ptr ? (const char *)e.str.ptr : "", e.str.len);
		case SFL_RTF_MAC:
			return out_mac(v, e.raw);
		case SFL_RTF_IP:
			return out_ip4(v, e.raw);
		case SFL_RTF_IP6:
			return out_ip6(v, e.raw);
		case SFL_RTF_FLOAT:
		case SFL_RTF_DOUBLE:
			return out_f64(v, e.dbl);
		default:
			return out_u64(v, e.u64);
		}
	}
	return -1;
}

/* The built-in key k of fs, from the sample's memo or computed and kept;
 * NULL when null. The key function writes straight into the memo slot:
 * copying a just-written value would stall on store forwarding. */
static const struct flow_val *memo_value(struct flow_sample *fs, const struct flow_key_ref *k)
{
	size_t slot = (size_t)k->id * (FLOW_KEY_DEPTH_MAX + 1) + k->depth;
	uint64_t bit = 1ull << (slot % 64);
	const struct flow_key_def *def;
	struct flow_val *v = &fs->memo[slot];

	if (!(fs->memo_have[slot / 64] & bit)) {
		def = key_def(k->id);
		if (def->fn(fs, k->depth, def->arg, v) < 0)
			v->type = FLOW_V_NULL;
		fs->memo_have[slot / 64] |= bit;
	}
	return v->type != FLOW_V_NULL ? v : NULL;
}

const struct flow_val *flow_key_get_slow(struct flow_sample *fs, const struct flow_key_ref *k,
					 struct flow_val *tmp)
{
	if (__builtin_expect(!k->def || fs->rt_valid, 0)) {
		tmp->type = FLOW_V_NULL;
		/* an rtflow sample's keys are its entries */
		if (fs->rt_valid && rt_value(fs, k->name, tmp) == 0)
			return tmp;
		/* but for agent, which is the sample's own */
		tmp->type = FLOW_V_NULL;
		return fs->rt_valid && k->def && k->def->kind == FLOW_KEY_AGENT &&
			       k->def->fn(fs, 0, 0, tmp) == 0 ?
			       tmp :
			       NULL;
	}
	return memo_value(fs, k);
}

int flow_key_value(struct flow_sample *fs, const struct flow_key_ref *k, char *buf, size_t cap)
{
	struct flow_val tmp;
	const struct flow_val *v = flow_key_get(fs, k, &tmp);

	if (!v) {
		if (cap)
			buf[0] = '\0';
		return -1;
	}
	return flow_val_format(v, buf, cap);
}

bool flow_key_number(struct flow_sample *fs, const struct flow_key_ref *k, double *out)
{
	struct flow_val tmp;
	const struct flow_val *v;

	if (k->id < NKEYS && key_def(k->id)->kind == FLOW_KEY_BYTES && !fs->rt_valid) {
		*out = flow_sample_bytes(fs);
		return *out > 0;
	}
	if (k->id < NKEYS && key_def(k->id)->kind == FLOW_KEY_FRAMES && !fs->rt_valid) {
		*out = 1;
		return true;
	}
	v = flow_key_get(fs, k, &tmp);
	return v && flow_val_number(v, out);
}

void flow_sample_each_key(struct flow_sample *fs, flow_key_present_cb *cb, void *arg)
{
	char name[FLOW_KEY_NAME_MAX + 4];
	uint8_t maxdepth = 0;
	struct flow_val v;

	if (fs->rt_valid) {
		struct sfl_rt_sample rt = fs->rt;
		struct sfl_error err = { 0 };
		struct sfl_rt_entry e;

		rt.err = &err;
		while (sfl_rt_next(&rt, &e))
			if (e.name.len > 0 && e.name.len < FLOW_KEY_NAME_MAX) {
				memcpy(name, e.name.ptr, e.name.len);
				name[e.name.len] = '\0';
				cb(arg, name);
			}
		return;
	}
	if (!fs->pkt.parsed)
		flow_pkt_parse(fs);
	for (uint8_t i = 0; i < fs->pkt.nlayers; i++)
		maxdepth = fs->pkt.l[i].depth > maxdepth ? fs->pkt.l[i].depth : maxdepth;
	for (uint8_t d = 0; d <= maxdepth; d++)
		for (size_t i = 0; i < NKEYS; i++) {
			if (d > 0 && !key_def(i)->layered)
				continue;
			uint16_t used = fs->key_text_used;
			int r = key_def(i)->fn(fs, d, key_def(i)->arg, &v);

			fs->key_text_used = used; /* the value itself is not kept */
			if (r < 0)
				continue;
			if (d == 0)
				cb(arg, key_def(i)->name);
			else {
				snprintf(name, sizeof(name), "%s.%u", key_def(i)->name, d);
				cb(arg, name);
			}
		}
}
