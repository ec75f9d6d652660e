/*
 * analyzer/threshold.h: thresholds over counter and flow metrics, and the
 * events they raise (reference/sflow-rt-api.md §1.5).
 *
 * A threshold is {metric, value, byFlow, timeout, filter}. Once a second
 * (thresholds_tick, from the module's own thread) every threshold is
 * checked against each data source's value of its metric (a counter
 * metric, or a flow definition's largest flow), or with byFlow against
 * each flow of the definition: a value above the threshold raises one
 * event for that (agent, data source[, flow key]); it re-arms once the
 * value has stayed at or below the threshold for `timeout` seconds
 * (default 60; fractions allowed), or when that source or flow has not
 * been seen for as long. filter {name: [value, ...]} selects data sources
 * by their metric values, as /metric's query filters do. The state of
 * every (threshold, source, key) is bounded (THRESHOLD_STATES_MAX,
 * evictions counted); the registry holds at most THRESHOLD_MAX.
 *
 * Threads: set/delete/get from REST and script threads; the tick on the
 * module's thread; one mutex.
 */
#ifndef RTFLOW_ANALYZER_THRESHOLD_H
#define RTFLOW_ANALYZER_THRESHOLD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/store.h"

#define THRESHOLD_MAX        256
#define THRESHOLD_STATES_MAX 100000

struct thresholds;
struct flow_engine;
struct events;

/* A registry checking the stores (and the flow engine, may be NULL) and
 * pushing to ev; NULL on no memory. */
struct thresholds *thresholds_new(const struct store_set *ss, struct flow_engine *flows,
				  struct events *ev);

/* Start / stop the 1-second thread. start: 0, or -1 with a reason. */
int thresholds_start(struct thresholds *t, char *err, size_t errlen);
void thresholds_free(struct thresholds *t);

/* PUT: 0, or -1 with a reason (400). DELETE: 0, or -1 when absent. */
int thresholds_set(struct thresholds *t, const char *name, const cJSON *body, char *err,
		   size_t errlen);
int thresholds_delete(struct thresholds *t, const char *name);
cJSON *thresholds_get_json(struct thresholds *t, const char *name); /* NULL: none */
cJSON *thresholds_list_json(struct thresholds *t);

/* One check of every threshold at now_ms (the thread's tick; tests call it). */
void thresholds_tick(struct thresholds *t, uint64_t now_ms);

/* Whether threshold `name` has fired for (agent, "ds.metric"[, flow_key])
 * and not re-armed since (thresholdTriggered). */
bool thresholds_triggered(struct thresholds *t, const char *name, const char *agent,
			  const char *ds_metric, const char *flow_key);

/* States held, and evicted at the cap. */
void thresholds_counts(struct thresholds *t, uint64_t *states, uint64_t *evicted);

#endif
