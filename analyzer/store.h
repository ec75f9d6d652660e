/*
 * analyzer/store.h: one collector shard's state. A store owns a disjoint
 * set of agents (keyed by agent address and sub-agent id): their datagram
 * and per-data-source sequence accounting, the last counter record of every
 * data source, and the metrics derived from them (names and units of
 * reference/sflow-rt-api.md §3; counters as per-second rates).
 *
 * Threads: store_ingest() and store_tick() are called by the store's one
 * owning thread (its collector shard, or the replay thread). Queries
 * (analyzer/query.h) read a store from other threads under its mutex,
 * which ingest holds only while it updates one datagram's worth of state.
 * Nothing in ingest allocates per sample; agents and data sources are
 * allocated when first seen, up to the caps (hits are counted).
 */
#ifndef RTFLOW_ANALYZER_STORE_H
#define RTFLOW_ANALYZER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sflow/decode.h"

struct store;

struct store_limits {
	uint32_t agents_max;              /* agents in this store */
	uint32_t datasources_max;         /* data sources per agent */
	uint64_t agents_timeout_ms;       /* silent this long: agent removed */
	uint64_t datasources_timeout_ms;  /* silent this long: data source removed */
};

/* Counters of one store, read with store_get_stats() from any thread. */
struct store_stats {
	uint64_t datagrams;           /* datagrams handed to store_ingest */
	uint64_t bytes;
	uint64_t parse_errors;        /* datagrams libsflow rejected (not version) */
	uint64_t unsupported_version; /* version != 5 */
	uint64_t agents;              /* agent addresses now held (the sub-agents
				       * of one address count once, as in
				       * sFlow-RT's sFlowAgents) */
	uint64_t datasources;         /* data sources now held */
	uint64_t agents_cap_hits;     /* agents refused: agents_max reached */
	uint64_t datasources_cap_hits;
	uint64_t counter_samples;
	uint64_t flow_samples;
};

/* A store for shard `index`, or NULL (errno set). */
struct store *store_new(unsigned index, const struct store_limits *lim);
void store_free(struct store *s);

/* Apply new limits (reload). Owner thread or with no ingest running. */
void store_set_limits(struct store *s, const struct store_limits *lim);

/*
 * Decode one datagram received from `src` (for sFlowDatagramSource) at
 * now_ms (analyzer/clock.h) and update the agent it belongs to. Bad
 * datagrams are counted, never fatal. Owner thread only.
 */
void store_ingest(struct store *s, const uint8_t *buf, size_t len,
		  const struct sockaddr_storage *src, uint64_t now_ms);

/* Expire agents and data sources silent for longer than their timeouts.
 * The owner calls it about once a second. */
void store_tick(struct store *s, uint64_t now_ms);

void store_get_stats(struct store *s, struct store_stats *out);

/*
 * Flow samples (0:1, 0:3), discard samples (0:5) and rtflow samples
 * (4300:1003) go to a hook when one is set (the flow engine): `sample` runs
 * on the owner thread with s->mu held, after the sample's data source has
 * been accounted, with the data source's flow slot (*flow, owned by the
 * hook and released by `ds_free`); `tick` runs from store_tick. agent is
 * the printed agent address.
 */
struct store_flow_hook {
	void (*sample)(void *arg, void **flow, const struct sfl_sample *smp, const char *agent,
		       const char *ds_name, uint64_t now_ms);
	void (*ds_free)(void *arg, void *flow);
	void (*tick)(void *arg, struct store *s, uint64_t now_ms);
	/* the value of flow metric `name` on the data source whose flow slot
	 * is flow (queries, s->mu held); false when it has none */
	bool (*value)(void *arg, const void *flow, const char *name, double *out);
	void *arg;
};

/* Set the hook (NULL: none). Before the owner thread starts. */
void store_set_flow_hook(struct store *s, const struct store_flow_hook *h);

/* The set of every shard's store, as queries see it. */
struct store_set {
	struct store **v;
	unsigned n;
};

#endif
