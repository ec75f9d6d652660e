/*
 * analyzer/flow_cache.h: the bounded top-flows cache of one flow
 * definition on one data source.
 *
 * Values are per-second rates smoothed exponentially with time constant
 * t: a sample adding amount w at time ti contributes w/t * exp(-(now-ti)/t)
 * to its flow's value at `now` (so a steady flow of r units/s reads r).
 * Decay is forward decay (amounts are stored scaled by exp((ti-L)/t) from
 * a landmark L that moves forward now and then), so entries never need to
 * be touched to age, and the order of entries is the order of their
 * decayed values.
 *
 * Eviction is Space-Saving over the decayed counts: a cache of capacity k
 * holds every flow whose decayed count exceeds (decayed total)/k, and each
 * entry knows the most its count can be overestimated by (err). Reported
 * values are count - err (never more than the truth). flow_cache.c states
 * and tests the guarantee.
 *
 * Beside the ranking value (value 0) an entry carries up to
 * FLOW_CACHE_VALUES_MAX extra values with their own aggregation, and the
 * start time and undecayed total used by the flow log.
 *
 * Threads: a cache belongs to one collector shard; its owner adds and
 * sweeps; readers call the const functions under the shard's lock.
 * flow_cache_add allocates nothing once the cache has grown to hold its
 * entries (it grows by doubling up to `cap`).
 */
#ifndef RTFLOW_ANALYZER_FLOW_CACHE_H
#define RTFLOW_ANALYZER_FLOW_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLOW_CACHE_VALUES_MAX 8   /* values besides the ranking value */
#define FLOW_CACHE_KEY_MAX    512 /* joined key bytes */

enum flow_agg {
	FLOW_AGG_RATE,  /* decayed sum of amount × weight, per second */
	FLOW_AGG_AVG,   /* weighted average of the sample values */
	FLOW_AGG_MIN,   /* smallest sample value seen */
	FLOW_AGG_MAX,   /* largest sample value seen */
	FLOW_AGG_COUNT, /* distinct values (v = a 64-bit hash of the value) */
};

struct flow_cache_shape {
	uint32_t cap;                                 /* most entries kept */
	double t_s;                                   /* smoothing time constant, seconds */
	uint32_t nvalues;                             /* 1 + extra values */
	enum flow_agg agg[1 + FLOW_CACHE_VALUES_MAX]; /* agg[0]: the flow's value */
};

/* One sample's contribution: weight is the sampling rate (each sampled
 * packet stands for `weight` packets); v[i] is the amount (RATE), the
 * sample value (AVG/MIN/MAX) or the hash of the value (COUNT). */
struct flow_cache_contrib {
	double weight;
	double v[1 + FLOW_CACHE_VALUES_MAX];
	uint64_t hash[1 + FLOW_CACHE_VALUES_MAX]; /* COUNT values */
};

/* A flow as reported. */
struct flow_cache_item {
	const void *key; /* points into the cache: valid until the next add/sweep */
	uint32_t key_len;
	double value[1 + FLOW_CACHE_VALUES_MAX];
	uint64_t start_ms; /* first sample of this flow */
	uint64_t last_ms;  /* latest sample */
	double total;      /* undecayed sum of value 0's amounts × weight (flow log) */
};

struct flow_cache;

/* A cache of the given shape, or NULL (errno set; shape invalid or no
 * memory). */
struct flow_cache *flow_cache_new(const struct flow_cache_shape *shape);
void flow_cache_free(struct flow_cache *c);

/* Add one sample of flow key[0..len) (len <= FLOW_CACHE_KEY_MAX, longer keys
 * are cut) at now_ms (never earlier than an earlier add's). Returns false
 * when the entry could not be created (out of memory: counted, not fatal). */
bool flow_cache_add(struct flow_cache *c, const void *key, size_t len,
		    const struct flow_cache_contrib *x, uint64_t now_ms);

/* Up to n flows by value[0], largest first, as of now_ms; returns how many. */
size_t flow_cache_top(const struct flow_cache *c, uint64_t now_ms, struct flow_cache_item *out,
		      size_t n);

/* One flow by key, as of now_ms; false when not cached. */
bool flow_cache_get(const struct flow_cache *c, const void *key, size_t len, uint64_t now_ms,
		    struct flow_cache_item *out);

/* Decayed rate of every sample added (value 0 of all flows, evicted ones
 * too): a keyless definition's value and /metric's metricValue. */
double flow_cache_total(const struct flow_cache *c, uint64_t now_ms);

/*
 * Remove flows idle for idle_ms and report ended flows (idle, or active
 * for longer than active_ms since their start or last report) to cb, when
 * cb is not NULL, before they go. Owner thread, about once a second.
 */
typedef void flow_cache_end_cb(void *arg, const struct flow_cache_item *it);
void flow_cache_sweep(struct flow_cache *c, uint64_t now_ms, uint64_t idle_ms, uint64_t active_ms,
		      flow_cache_end_cb *cb, void *arg);

/* Entries held, bytes allocated, and evictions so far. */
size_t flow_cache_len(const struct flow_cache *c);
size_t flow_cache_bytes(const struct flow_cache *c);
uint64_t flow_cache_evictions(const struct flow_cache *c);

/* Entries started so far for keys not in the cache (flowStart logging
 * compares it before and after an add). */
uint64_t flow_cache_created(const struct flow_cache *c);

#endif
