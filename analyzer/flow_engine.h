/*
 * analyzer/flow_engine.h: flow definitions (reference/sflow-rt-api.md
 * §1.4, §2) evaluated over every flow sample in the collector shards, and
 * the queries over their caches (/activeflows, /flowvalue, flow metrics).
 *
 * The set of definitions, groups and maps is an immutable snapshot
 * replaced whole on every change (PUT/DELETE, setFlow): writers build the
 * next one, publish it, and each shard switches to it at its next
 * datagram. A shard evaluates the definitions of its snapshot over each
 * flow sample of the agents it owns and keeps, per data source and
 * definition, one flow_cache (analyzer/flow_cache.h); those caches are
 * part of the shard's store state (owned by its thread, read by queries
 * under the store's lock). Samples are evaluated with no allocation.
 *
 * Ended flows of definitions with log:true go to the flow log
 * (analyzer/flow_log.h) when the engine has one.
 *
 * Threads: flow_engine_set/delete/group/map calls come from REST and
 * script threads (serialised inside); the store hooks run on shard
 * threads; queries run on any thread.
 */
#ifndef RTFLOW_ANALYZER_FLOW_ENGINE_H
#define RTFLOW_ANALYZER_FLOW_ENGINE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/store.h"

#define FLOW_NAME_MAX 64  /* definition, group and map names, with NUL */
#define FLOW_DEFS_MAX 256 /* flow definitions at once */

struct flow_log;
struct flow_dns;

struct flow_engine_config {
	uint32_t cache_max;      /* flow.cache.max: flows kept per data source
				     * and definition */
	struct flow_log *log;    /* may be NULL: log:true flows are dropped */
	struct flow_dns *dns;    /* may be NULL: dns: keys stay addresses */
	const char *geo_country; /* geo.country mmdb path, or NULL */
	const char *geo_asn;     /* geo.asn mmdb path, or NULL */
	const char *oui_names;   /* oui.names file, or NULL */
};

struct flow_engine;

/* An engine, or NULL with a reason in err (an unreadable geo/oui file). */
struct flow_engine *flow_engine_new(const struct flow_engine_config *cfg, char *err, size_t errlen);

/* Free e after the stores it is attached to (store_free releases their
 * flow caches through e's hooks). */
void flow_engine_free(struct flow_engine *e);

/* Attach the engine to a store: its flow samples are evaluated from now
 * on, its data sources carry caches. Before the store's thread starts. */
void flow_engine_attach(struct flow_engine *e, struct store *s);

/* Definitions. set: 0, or -1 with a reason pointing at the problem (400);
 * delete: 0, or -1 when there is none (404). */
int flow_engine_set(struct flow_engine *e, const char *name, const cJSON *spec, char *err,
		    size_t errlen);
int flow_engine_delete(struct flow_engine *e, const char *name);
cJSON *flow_engine_get_json(struct flow_engine *e, const char *name); /* NULL: none */
cJSON *flow_engine_list_json(struct flow_engine *e);

/* Groups ({label:[cidr...]}) and maps ({label:[value...]}), same contract. */
int flow_engine_set_group(struct flow_engine *e, const char *name, const cJSON *body, char *err,
			  size_t errlen);
int flow_engine_delete_group(struct flow_engine *e, const char *name);
cJSON *flow_engine_group_json(struct flow_engine *e, const char *name);
cJSON *flow_engine_groups_json(struct flow_engine *e);
int flow_engine_set_map(struct flow_engine *e, const char *name, const cJSON *body, char *err,
			size_t errlen);
int flow_engine_delete_map(struct flow_engine *e, const char *name);
cJSON *flow_engine_map_json(struct flow_engine *e, const char *name);
cJSON *flow_engine_maps_json(struct flow_engine *e);

/* GET /activeflows/{agents}/{name}/json. */
struct flow_active_query {
	size_t max_flows;   /* maxFlows, default 100 */
	double min_value;   /* minValue, default 0 */
	bool agg_sum;       /* aggMode=sum (default max) */
	const char *filter; /* filter over the result keys, or NULL */
};
int flow_engine_activeflows(struct flow_engine *e, const struct store_set *ss, const char *agents,
			    const char *name, const struct flow_active_query *q, uint64_t now_ms,
			    cJSON **out, char *err, size_t errlen);

/* GET /flowvalue/{agent}/{ds}.{name}/json?key=: the value of one flow, or
 * of the whole definition without key. 0, or -1 (err; 404 when unknown). */
int flow_engine_flowvalue(struct flow_engine *e, const struct store_set *ss, const char *agent,
			  const char *ds_name, const char *key, uint64_t now_ms, double *out,
			  char *err, size_t errlen);

/* GET /flowkeys/json: {key: ms since last seen}. */
cJSON *flow_engine_flowkeys_json(struct flow_engine *e, const struct store_set *ss,
				 uint64_t now_ms);

/*
 * Every flow of definition `name` on every data source that has one, for
 * thresholds with byFlow and for scripts: cb gets the agent, the data
 * source, the joined key, the value and the extra values (nvalues - 1 of
 * them). Strings are valid during the call only. -1 when there is no such
 * definition.
 */
struct flow_engine_flow {
	const char *agent, *datasource, *key;
	double value;
	const double *values;
	uint32_t nvalues;
};
typedef void flow_engine_flow_cb(void *arg, const struct flow_engine_flow *f);
int flow_engine_each_flow(struct flow_engine *e, const struct store_set *ss, const char *name,
			  uint64_t now_ms, flow_engine_flow_cb *cb, void *arg);

/* Whether `name` is a flow definition (then metric queries over it go to
 * flow_engine_ds_metric). */
bool flow_engine_has(struct flow_engine *e, const char *name);

/* Engine counters for /analyzer/json (flows held, cap hits, evictions,
 * samples evaluated). */
void flow_engine_stats_json(struct flow_engine *e, const struct store_set *ss, cJSON *out);

#endif
