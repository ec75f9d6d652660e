/*
 * analyzer/flow_log.h: the ring of logged flows (definitions with
 * log:true; reference/sflow-rt-api.md §1.4 /flows/json): the newest
 * flows.max records, each with an id that increases from 1.
 *
 * Threads: collector shards push; REST and script threads read;
 * everything under one mutex, held briefly.
 */
#ifndef RTFLOW_ANALYZER_FLOW_LOG_H
#define RTFLOW_ANALYZER_FLOW_LOG_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flow_log;

/* A ring of max records (0: 1000); NULL on no memory. */
struct flow_log *flow_log_new(size_t max);
void flow_log_free(struct flow_log *l);

/* Append a record (strings copied, cut to their caps); NULL l is a no-op. */
void flow_log_push(struct flow_log *l, const char *name, const char *keys, double value,
		   uint64_t start_ms, uint64_t end_ms, const char *agent, const char *datasource);

/*
 * Records with id > after_id (all with after_id < 0), newest first, at most
 * max, of definition `name` (NULL: any): an array of {flowID, name,
 * flowKeys, value, start, end, agent, dataSource}.
 */
cJSON *flow_log_json(struct flow_log *l, const char *name, int64_t after_id, size_t max);

/* Whether a record with id > after_id exists: l is a struct flow_log,
 * void * so a long poll can wait on it (server_wait_ready_fn). */
bool flow_log_ready(void *l, int64_t after_id);

/* A logged flow as flow_log_set_listener's function sees it (strings
 * valid during the call). */
struct flow_log_entry {
	const char *name, *keys;
	double value;
	uint64_t start_ms, end_ms;
	const char *agent, *datasource;
};

/* fn(arg, flowID, entry) for every record pushed from now on, on the
 * pushing thread (a collector shard: fn must be quick and must not
 * block); NULL fn: none. Returns once no call is in progress. */
void flow_log_set_listener(struct flow_log *l,
			   void (*fn)(void *arg, uint64_t id, const void *entry), void *arg);

/* Records pushed so far, and those overwritten before anyone could read them. */
void flow_log_counts(struct flow_log *l, uint64_t *pushed, uint64_t *lost);

#endif
