/*
 * analyzer/query.h: the metric queries of the REST and JavaScript APIs
 * (reference/sflow-rt-api.md §1.2, §1.3, §3), answered over every shard's
 * store and merged. Results are cJSON trees with sFlow-RT's field names,
 * which the REST layer prints and the JS layer hands to scripts.
 *
 * Path segments are passed as they appear in the URL (already
 * percent-decoded):
 *   agents   "ALL", or addresses separated by ',' or ';' ("10.0.0.1;10.0.0.2")
 *   metrics  "[agg:][ds.]name" separated by ',' (and ';' for dump/table),
 *            agg one of max (default) min sum avg var sdev med q1 q2 q3 iqr
 *            any; ds a data source ("2.1", "3", "3.7"); "ALL" for dump.
 *   filter   name=value pairs from the query string: repeated names OR,
 *            different names AND, '*' is a wildcard.
 * A malformed segment returns -1 with a one-line reason in err (the REST
 * layer answers 400 with it). Times in results ("lastUpdate") are ms
 * before now_ms (analyzer/clock.h). Every function is thread-safe: it
 * takes each store's lock in turn, briefly.
 */
#ifndef RTFLOW_ANALYZER_QUERY_H
#define RTFLOW_ANALYZER_QUERY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/store.h"

#define QUERY_MAX_FILTERS 32

struct query_filter {
	size_t n;
	struct {
		const char *name;
		const char *value;
	} kv[QUERY_MAX_FILTERS];
};

/* GET /agents/json[?agent=a&agent=b]: object keyed by agent address with
 * the §1.2 per-agent fields. agents == NULL or n == 0: every agent. */
cJSON *query_agents_json(const struct store_set *ss, const char *const *agents, size_t n,
			 uint64_t now_ms);

/* The same as compact JSON text (malloc'd, *len bytes), or NULL when it
 * would pass the answer size cap. */
char *query_agents_text(const struct store_set *ss, const char *const *agents, size_t n,
			uint64_t now_ms, size_t *len);

/* GET /metrics/json: {name: ms since any data source last updated it}. */
cJSON *query_metric_names_json(const struct store_set *ss, uint64_t now_ms);

/* GET /metric/{agent}/json: {"ds.name": value, ...} of one agent, or NULL
 * when the agent is unknown (404). */
cJSON *query_agent_metrics_json(const struct store_set *ss, const char *agent, uint64_t now_ms);

/* GET /metric/{agents}/{metrics}/json: array of Statistic, one per metric
 * in request order (metricValue absent when no data). 0 or -1 (err). */
int query_metric_json(const struct store_set *ss, const char *agents, const char *metrics,
		      const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		      size_t errlen);

/* GET /dump/{agents}/{metrics|ALL}/json: array of Metric. 0 or -1 (err). */
int query_dump_json(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		    size_t errlen);

/* GET /table/{agents}/{columns}/json: array of rows (arrays of Metric or
 * null), with sort:m:±N and null:m columns. 0 or -1 (err). */
int query_table_json(const struct store_set *ss, const char *agents, const char *columns,
		     const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		     size_t errlen);

/* datasourceInfo(agent, ds) (reference §4.2): {samplingRate,
 * effectiveSamplingRate (sample pool growth per flow sample),
 * effectivePollingInterval (ms between its last two counter samples),
 * counterSamples, flowSamples, lastSeen (ms ago)}, or NULL when the agent
 * has no such data source. */
cJSON *query_datasource_json(const struct store_set *ss, const char *agent, const char *ds,
			     uint64_t now_ms);

/* One numeric or string metric of one data source, for exporters. */
struct query_item {
	const char *agent;       /* "10.0.0.1" */
	const char *datasource;  /* "2.1", "3" */
	const char *name;        /* "load_one" */
	bool is_string;
	double value;            /* when !is_string */
	const char *str;         /* when is_string */
	const char *host;        /* the agent's 2.1 host_name, or NULL */
	const char *ifname;      /* the data source's ifname, or NULL */
	uint64_t age_ms;         /* ms since it was updated */
};

typedef void query_item_cb(void *arg, const struct query_item *it);

/*
 * Call cb for every (agent, data source, metric) the selection matches, as
 * /dump does, in the same order; host and ifname are looked up only when
 * `labels`. The item's strings are valid during the call only (a store's
 * lock is held). 0 or -1 (err).
 */
int query_dump_each(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, uint64_t now_ms, bool labels, query_item_cb *cb,
		    void *arg, char *err, size_t errlen);

#endif
