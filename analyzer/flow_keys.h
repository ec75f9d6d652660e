/*
 * analyzer/flow_keys.h: the flow keys of one sampled packet (names and
 * value formats of reference/sflow-rt-api.md §2.5), computed lazily.
 *
 * A collector shard fills one struct flow_sample per flow (or discard)
 * sample with flow_sample_init(); flow definitions then ask for the keys
 * they need by resolved reference. The sampled header is parsed on the
 * first request for a header key, once; nothing is allocated and nothing
 * is read outside the datagram. Values are typed (flow_val.h: addresses,
 * numbers, MACs, bit strings such as tcpflags, text) and print as
 * sFlow-RT prints them.
 *
 * Names resolve once, when a definition is compiled: flow_key_resolve()
 * turns "ipsource.1" into (key id, tunnel depth 1). A name that is not
 * built in still resolves (FLOW_KEY_DYNAMIC): it is looked up by name in
 * the sample's rtflow (4300:1003) entries, so custom keys work.
 *
 * Threads: a struct flow_sample belongs to the thread that initialised it
 * and lives as long as the datagram it points into. The key table is
 * constant.
 */
#ifndef RTFLOW_ANALYZER_FLOW_KEYS_H
#define RTFLOW_ANALYZER_FLOW_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/flow_val.h"
#include "sflow/decode.h"

#define FLOW_KEY_NAME_MAX  64     /* key name bytes, with NUL */
#define FLOW_KEY_VALUE_MAX 256    /* longest key value written, with NUL */
#define FLOW_KEY_DEPTH_MAX 3      /* ".1" .. ".3": inner tunnel layers */
#define FLOW_KEY_DYNAMIC   0xffff /* id of a name looked up in rtflow entries */

struct flow_key_def;

/* A resolved key name. */
struct flow_key_ref {
	uint16_t id;                    /* index into the built-in table, or FLOW_KEY_DYNAMIC */
	uint8_t depth;                  /* 0 outer, 1.. the N-th inner header (".N") */
	const struct flow_key_def *def; /* the table entry of id, NULL for DYNAMIC */
	char name[FLOW_KEY_NAME_MAX]; /* as written, for DYNAMIC and printing */
};

/* Parsed layers of the sampled header (private to flow_keys*.c; in the
 * header so a sample can live on the stack with no allocation). */
#define FLOW_PKT_LAYERS_MAX 24
#define FLOW_KEYS_MAX       192  /* built-in keys the memo has room for */
#define FLOW_MEMO_SLOTS     (FLOW_KEYS_MAX * (FLOW_KEY_DEPTH_MAX + 1))
#define FLOW_KEY_TEXT_BYTES 1024 /* text key values built for a sample */
#define FLOW_FN_TEXT_BYTES  4096 /* text built by key functions, per definition */

enum flow_layer {
	FLOW_L_ETH = 1,
	FLOW_L_VLAN,
	FLOW_L_MPLS,
	FLOW_L_ARP,
	FLOW_L_IP4,
	FLOW_L_IP6,
	FLOW_L_TCP,
	FLOW_L_UDP,
	FLOW_L_ICMP,
	FLOW_L_ICMP6,
	FLOW_L_GRE,
	FLOW_L_VXLAN,
	FLOW_L_GENEVE,
	FLOW_L_DNS,
	FLOW_L_FRAG6,
};

struct flow_pkt_layer {
	uint8_t proto; /* enum flow_layer */
	uint8_t depth; /* tunnel depth the layer belongs to */
	uint16_t off;  /* offset in the header bytes */
	uint16_t len;  /* bytes of this layer present in the header */
};

#define FLOW_PKT_PROTOS 16 /* enum flow_layer values are below this */

struct flow_pkt {
	uint8_t nlayers;
	bool parsed;
	struct flow_pkt_layer l[FLOW_PKT_LAYERS_MAX];
	/* 1 + index in l of the first layer of each protocol at each depth,
	 * 0 when there is none: key functions find layers in O(1) */
	uint8_t first[FLOW_KEY_DEPTH_MAX + 1][FLOW_PKT_PROTOS];
};

struct flow_sample {
	const struct sfl_sample *smp; /* flow (0:1, 0:3), discard (0:5) or rtflow sample */
	const char *agent;            /* printed agent address */
	bool dropped;                 /* a discard sample */
	/* the records of the sample this module reads (NULL when absent);
	 * they point into recs[] */
	const struct sfl_flow_header *header;
	const struct sfl_flow_ethernet *eth;
	const struct sfl_flow_ipv4 *ipv4;
	const struct sfl_flow_ipv6 *ipv6;
	const struct sfl_ex_switch *ex_switch;
	const struct sfl_ex_router *ex_router;
	const struct sfl_ex_gateway *ex_gateway;
	const struct sfl_ex_tcp_info *tcp_info;
	const struct sfl_flow_http *http;
	const struct sfl_ex_socket4 *socket4;
	const struct sfl_ex_socket6 *socket6;
	struct sfl_rt_sample rt; /* rtflow (4300:1003) entries when rt_valid */
	bool rt_valid;
	/* copies of the records the pointers above point at (only the typed
	 * values: a whole struct sfl_record is 184 bytes) */
	struct sfl_flow_header v_header;
	struct sfl_flow_ethernet v_eth;
	struct sfl_flow_ipv4 v_ipv4;
	struct sfl_flow_ipv6 v_ipv6;
	struct sfl_ex_switch v_switch;
	struct sfl_ex_router v_router;
	struct sfl_ex_gateway v_gateway;
	struct sfl_ex_tcp_info v_tcp_info;
	struct sfl_flow_http v_http;
	struct sfl_ex_socket4 v_socket4;
	struct sfl_ex_socket6 v_socket6;
	struct flow_pkt pkt; /* lazily parsed header */
	/* values already computed for this sample, at slot id * 4 + depth:
	 * several definitions ask for the same keys (ipsource, stack ...).
	 * Only the bitmap is cleared per sample. */
	uint64_t memo_have[(FLOW_MEMO_SLOTS + 63) / 64];
	struct flow_val memo[FLOW_MEMO_SLOTS]; /* FLOW_V_NULL: the key is null */
	/* bytes TEXT values point at: key_text holds key values built from
	 * pieces (stack, dnsqname, AS paths) for the sample's life; fn_text
	 * holds key function results, reset for each definition evaluated
	 * (flow_sample_fn_reset) */
	uint16_t key_text_used, fn_text_used;
	char key_text[FLOW_KEY_TEXT_BYTES];
	char fn_text[FLOW_FN_TEXT_BYTES];
};

/*
 * Resolve a key name ("ipsource", "ipsource.1", "tcprtt", any custom name).
 * Returns 0, or -1 when the name is empty, too long or not a key name
 * (characters outside [A-Za-z0-9_.-]).
 */
int flow_key_resolve(const char *name, struct flow_key_ref *out);

/* Fill fs from a flow or discard sample of a datagram (walks its records;
 * the sample's record cursor is not consumed). agent outlives fs. */
void flow_sample_init(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent);

/* The same for an rtflow (4300:1003) sample. */
void flow_sample_init_rt(struct flow_sample *fs, const struct sfl_sample *smp, const char *agent);

/*
 * Key k of fs as a typed value: NULL when the sample does not have the
 * key (sFlow-RT's null). The value is fs's own (valid as long as fs) or,
 * for keys an rtflow sample carries, written to *tmp.
 */
const struct flow_val *flow_key_get_slow(struct flow_sample *fs, const struct flow_key_ref *k,
					 struct flow_val *tmp);

static inline const struct flow_val *flow_key_get(struct flow_sample *fs,
						  const struct flow_key_ref *k,
						  struct flow_val *tmp)
{
	size_t slot = (size_t)k->id * (FLOW_KEY_DEPTH_MAX + 1) + k->depth;

	if (k->def && !fs->rt_valid && (fs->memo_have[slot / 64] >> (slot % 64) & 1))
		return fs->memo[slot].type != FLOW_V_NULL ? &fs->memo[slot] : NULL;
	return flow_key_get_slow(fs, k, tmp); /* computed once, or an rtflow sample */
}

/* The same printed into buf[0..cap) NUL-terminated: the length, or -1 for
 * null. */
int flow_key_value(struct flow_sample *fs, const struct flow_key_ref *k, char *buf, size_t cap);

/* Copy s[0..n) (cut to FLOW_VAL_TEXT_MAX) into fs's key text (fn false)
 * or function text (fn true) and point *v at it; false when full. */
bool flow_sample_text(struct flow_sample *fs, bool fn, const char *s, size_t n,
		      struct flow_val *v);

/* Forget the function text: a new definition's evaluation starts. */
static inline void flow_sample_fn_reset(struct flow_sample *fs)
{
	fs->fn_text_used = 0;
}

/* Key k as a number (bytes, frames, tcprtt, ipttl, ...); false when absent
 * or not numeric. */
bool flow_key_number(struct flow_sample *fs, const struct flow_key_ref *k, double *out);

/* The frame length in bytes the sample stands for (header frame_bytes,
 * else the sampled ipv4/ipv6/ethernet record's length), 0 if none. */
uint32_t flow_sample_bytes(const struct flow_sample *fs);

/*
 * Every key fs has, for /flowkeys/json: calls cb with each present key's
 * printed name ("ipsource", "ipsource.1"). Slower than flow_key_value;
 * callers sample it (a few samples a second per shard).
 */
typedef void flow_key_present_cb(void *arg, const char *name);
void flow_sample_each_key(struct flow_sample *fs, flow_key_present_cb *cb, void *arg);

#endif
