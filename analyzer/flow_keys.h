/*
 * analyzer/flow_keys.h: the flow keys of one sampled packet (names and
 * value formats of reference/sflow-rt-api.md §2.5), computed lazily.
 *
 * A collector shard fills one struct flow_sample per flow (or discard)
 * sample with flow_sample_init(); flow definitions then ask for the keys
 * they need by resolved reference. The sampled header is parsed on the
 * first request for a header key, once; nothing is allocated and nothing
 * is read outside the datagram. Values are written as sFlow-RT prints
 * them (addresses dotted or colon-hex, MACs as 12 upper-case hex digits,
 * numbers in decimal, tcpflags as a 9-character binary string).
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

#include "sflow/decode.h"

#define FLOW_KEY_NAME_MAX  64     /* key name bytes, with NUL */
#define FLOW_KEY_VALUE_MAX 256    /* longest key value written, with NUL */
#define FLOW_KEY_DEPTH_MAX 3      /* ".1" .. ".3": inner tunnel layers */
#define FLOW_KEY_DYNAMIC   0xffff /* id of a name looked up in rtflow entries */

/* A resolved key name. */
struct flow_key_ref {
	uint16_t id;                  /* index into the built-in table, or FLOW_KEY_DYNAMIC */
	uint8_t depth;                /* 0 outer, 1.. the N-th inner header (".N") */
	char name[FLOW_KEY_NAME_MAX]; /* as written, for DYNAMIC and printing */
};

/* Parsed layers of the sampled header (private to flow_keys*.c; in the
 * header so a sample can live on the stack with no allocation). */
#define FLOW_PKT_LAYERS_MAX 24
#define FLOW_MEMO_KEYS      24   /* key values a sample remembers */
#define FLOW_MEMO_BYTES     1024 /* and their bytes */

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

struct flow_pkt {
	uint8_t nlayers;
	bool parsed;
	struct flow_pkt_layer l[FLOW_PKT_LAYERS_MAX];
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
	/* values already computed for this sample: several definitions ask
	 * for the same keys (ipsource, ipdestination, stack ...) */
	uint8_t nmemo;
	uint16_t memo_used;
	struct flow_memo {
		uint16_t id;
		uint8_t depth;
		int16_t len;  /* -1: the key is null */
		uint16_t off; /* in memo_buf */
	} memo[FLOW_MEMO_KEYS];
	char memo_buf[FLOW_MEMO_BYTES];
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
 * Write key k of fs into buf[0..cap) NUL-terminated. Returns the length,
 * or -1 when the sample does not have the key (sFlow-RT's null).
 */
int flow_key_value(struct flow_sample *fs, const struct flow_key_ref *k, char *buf, size_t cap);

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
