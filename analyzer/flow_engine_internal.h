/*
 * analyzer/flow_engine_internal.h: what flow_engine.c (definitions,
 * snapshots, the shard hooks) and flow_query.c (the queries) share. Not a
 * public interface.
 *
 * Snapshot life: the engine's current snapshot (e->cur) holds one
 * reference; each attached store holds one on the snapshot it evaluates.
 * A store switches under e->snap_mu, so a snapshot's count cannot reach
 * zero between loading e->cur and taking the reference. The last release
 * frees it, on whichever thread that is.
 */
#ifndef RTFLOW_ANALYZER_FLOW_ENGINE_INTERNAL_H
#define RTFLOW_ANALYZER_FLOW_ENGINE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "analyzer/flow_cache.h"
#include "analyzer/flow_engine.h"
#include "analyzer/flow_keys.h"
#include "analyzer/flow_spec.h"
#include "analyzer/store_internal.h"

#define FLOW_KEYS_SEEN_MAX 512 /* distinct key names /flowkeys reports per store */
#define FLOW_KEYS_EVERY_MS 100 /* a store lists one sample's keys this often */

/* One definition as a snapshot holds it. */
struct flow_def {
	char name[FLOW_NAME_MAX];
	uint64_t id; /* unique per version: caches of another id reset */
	struct flow_spec *spec;
	struct flow_cache_shape shape;
	bool log_start; /* log:true and flowStart:true, with a log to write to */
	bool dropped;   /* counts discard samples (dropped:true), not flow samples */
};

struct flow_snap {
	atomic_uint refs;
	uint32_t ndefs;
	struct flow_def defs[FLOW_DEFS_MAX];
	struct flow_groups *groups;
	struct flow_maps *maps;
	struct flow_env env;
};

/* The caches of one data source, by definition index in its store's snapshot. */
struct flow_ds {
	uint32_t n;
	struct flow_ds_slot {
		uint64_t id; /* def id the cache belongs to */
		struct flow_cache *cache;
	} slot[];
};

struct flow_seen {
	char name[FLOW_KEY_NAME_MAX + 4];
	uint64_t last_ms;
};

/* The engine's state in one store (owned by the store's thread, read by
 * queries under the store's lock). */
struct flow_store {
	struct flow_engine *e;
	struct store *s;
	struct flow_snap *snap;
	uint64_t next_keys_ms; /* when the next sample's keys are listed */
	uint64_t tick_ms;      /* time of the tick being run */
	struct flow_seen seen[FLOW_KEYS_SEEN_MAX];
	uint32_t nseen;
	uint64_t samples, matched, cache_failures;
};

#define FLOW_STORES_MAX 256

struct flow_engine {
	struct flow_engine_config cfg;
	struct flow_geo *geo;
	struct flow_oui *oui;
	pthread_mutex_t mu; /* writers: the documents below, next_id */
	struct flow_doc {
		char name[FLOW_NAME_MAX];
		cJSON *spec; /* as PUT */
		uint64_t id;
	} docs[FLOW_DEFS_MAX];
	uint32_t ndocs;
	cJSON *group_doc; /* {name: {label: [cidr]}} */
	cJSON *map_doc;   /* {name: {label: [value]}} */
	uint64_t next_id;
	pthread_mutex_t snap_mu; /* publishing and taking snapshots */
	struct flow_snap *_Atomic cur;
	struct flow_store *stores[FLOW_STORES_MAX];
	unsigned nstores;
};

/* Take / drop a reference on the current snapshot (see the top comment). */
struct flow_snap *flow_snap_get(struct flow_engine *e);
void flow_snap_put(struct flow_snap *sn);

/* The definition named `name` in sn, or -1. */
int flow_snap_find(const struct flow_snap *sn, const char *name);

/* The store state of s, or NULL when s is not attached. */
struct flow_store *flow_store_of(struct flow_engine *e, const struct store *s);

#endif
