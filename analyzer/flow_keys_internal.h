/*
 * analyzer/flow_keys_internal.h: what flow_keys.c (the key table and
 * formatting) and flow_keys_pkt.c (the header parser) share.
 */
#ifndef RTFLOW_ANALYZER_FLOW_KEYS_INTERNAL_H
#define RTFLOW_ANALYZER_FLOW_KEYS_INTERNAL_H

#include <arpa/inet.h>
#include <string.h>

#include "analyzer/flow_addr.h"
#include "analyzer/flow_keys.h"

/* Parse fs->header into fs->pkt (once; flow_pkt_find calls it). */
void flow_pkt_parse(struct flow_sample *fs);

/* The first layer `proto` at tunnel depth `depth`, or NULL. */
static inline const struct flow_pkt_layer *flow_pkt_find(struct flow_sample *fs, uint8_t proto,
							 uint8_t depth)
{
	uint8_t i;

	if (!fs->pkt.parsed)
		flow_pkt_parse(fs);
	if (depth > FLOW_KEY_DEPTH_MAX || proto >= FLOW_PKT_PROTOS)
		return NULL;
	i = fs->pkt.first[depth][proto];
	return i ? &fs->pkt.l[i - 1] : NULL;
}

/* A key: its name, the function that sets its value (returning 0, or -1
 * for null) for tunnel depth `depth`, and the function's argument. */
typedef int flow_key_fn(struct flow_sample *fs, uint8_t depth, int arg, struct flow_val *v);

enum flow_key_kind { FLOW_KEY_PLAIN, FLOW_KEY_AGENT, FLOW_KEY_BYTES, FLOW_KEY_FRAMES };

struct flow_key_def {
	const char *name;
	flow_key_fn *fn;
	int arg;
	bool layered; /* has values at inner depths (".N") */
	enum flow_key_kind kind;
};

/* The keys of each file: sample metadata and layer 2 (flow_keys_l2.c),
 * layers 3 and 4, DNS and tunnels (flow_keys_l3.c), extended records
 * (flow_keys_ext.c). flow_keys.c numbers them in this order. */
extern const struct flow_key_def flow_keys_l2_defs[];
extern const size_t flow_keys_l2_ndefs;
extern const struct flow_key_def flow_keys_l3_defs[];
extern const size_t flow_keys_l3_ndefs;
extern const struct flow_key_def flow_keys_ext_defs[];
extern const size_t flow_keys_ext_ndefs;

/* ---- typed values for the key files: each returns 0 (the key has the
 * value), or -1 for null ---- */

/* Text at s[0..n) that outlives the sample (a constant, the datagram). */
static inline int out_str(struct flow_val *v, const char *s, size_t n)
{
	v->type = FLOW_V_TEXT;
	v->len = (uint16_t)(n < FLOW_VAL_TEXT_MAX ? n : FLOW_VAL_TEXT_MAX);
	v->s = s;
	return 0;
}

/* Text built in a temporary: copied into the sample's key text. */
static inline int out_text(struct flow_sample *fs, struct flow_val *v, const char *s, size_t n)
{
	return flow_sample_text(fs, false, s, n, v) ? 0 : -1;
}

static inline int out_u64(struct flow_val *v, uint64_t u)
{
	v->type = FLOW_V_U64;
	v->u = u;
	return 0;
}

static inline int out_ip4(struct flow_val *v, const uint8_t *p)
{
	v->type = FLOW_V_IP4;
	memcpy(v->a, p, 4);
	return 0;
}

static inline int out_ip6(struct flow_val *v, const uint8_t *p)
{
	v->type = FLOW_V_IP6;
	memcpy(v->a, p, 16);
	return 0;
}

static inline int out_mac(struct flow_val *v, const uint8_t *p)
{
	v->type = FLOW_V_MAC;
	memcpy(v->a, p, 6);
	return 0;
}

static inline int out_bool(struct flow_val *v, bool b)
{
	v->type = FLOW_V_BOOL;
	v->u = b;
	return 0;
}

static inline int out_bits(struct flow_val *v, uint32_t u, int nbits)
{
	v->type = FLOW_V_BITS;
	v->nbits = (uint8_t)nbits;
	v->u = u;
	return 0;
}

static inline int out_f64(struct flow_val *v, double d)
{
	v->type = FLOW_V_F64;
	v->d = d;
	return 0;
}

static inline int out_addr(struct flow_val *v, const struct sfl_address *a)
{
	if (a->type == SFL_ADDR_IP4)
		return out_ip4(v, a->addr);
	if (a->type == SFL_ADDR_IP6)
		return out_ip6(v, a->addr);
	return -1;
}

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The bytes of layer `proto` at depth with at least `need` of them, or NULL. */
static inline const uint8_t *lay(struct flow_sample *fs, uint8_t proto, uint8_t depth, size_t need)
{
	const struct flow_pkt_layer *l = flow_pkt_find(fs, proto, depth);

	if (!l || l->len < need)
		return NULL;
	return fs->header->header.ptr + l->off;
}

#endif
