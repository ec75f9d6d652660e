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
const struct flow_pkt_layer *flow_pkt_find(struct flow_sample *fs, uint8_t proto, uint8_t depth);

/* A key: its name, the function that writes its value (-1: null) for
 * tunnel depth `depth`, and the function's argument. */
typedef int flow_key_fn(struct flow_sample *fs, uint8_t depth, int arg, char *b, size_t cap);

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

/* ---- formatters shared by the key files: each returns the length
 * written, -1 for null ---- */

static inline int out_str(char *b, size_t cap, const char *s, size_t n)
{
	if (cap == 0)
		return -1;
	n = n < cap - 1 ? n : cap - 1;
	memcpy(b, s, n);
	b[n] = '\0';
	return (int)n;
}

static inline int out_u64(char *b, size_t cap, uint64_t v)
{
	char t[24];
	size_t n = 0;

	do {
		t[sizeof(t) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return out_str(b, cap, t + sizeof(t) - n, n);
}

static inline int out_ip4(char *b, size_t cap, const uint8_t *p)
{
	char t[16];

	return out_str(b, cap, t, (size_t)flow_ip4_format(p, t));
}

static inline int out_ip6(char *b, size_t cap, const uint8_t *p)
{
	char t[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, p, t, sizeof(t)))
		return -1;
	return out_str(b, cap, t, strlen(t));
}

static inline int out_mac(char *b, size_t cap, const uint8_t *p)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[12];

	for (size_t i = 0; i < 6; i++) {
		t[2 * i] = hex[p[i] >> 4];
		t[2 * i + 1] = hex[p[i] & 15];
	}
	return out_str(b, cap, t, 12);
}

static inline int out_bool(char *b, size_t cap, bool v)
{
	return v ? out_str(b, cap, "true", 4) : out_str(b, cap, "false", 5);
}

static inline int out_bits(char *b, size_t cap, uint32_t v, int nbits)
{
	char t[32];

	for (int i = 0; i < nbits; i++)
		t[i] = (v >> (nbits - 1 - i)) & 1 ? '1' : '0';
	return out_str(b, cap, t, (size_t)nbits);
}

static inline int out_addr(char *b, size_t cap, const struct sfl_address *a)
{
	if (a->type == SFL_ADDR_IP4)
		return out_ip4(b, cap, a->addr);
	if (a->type == SFL_ADDR_IP6)
		return out_ip6(b, cap, a->addr);
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
