/*
 * analyzer/events.h: the ring of threshold events
 * (reference/sflow-rt-api.md §1.5 /events/json): the newest events.max
 * events, each with an id that increases from 1.
 *
 * Threads: the threshold thread pushes; REST and script threads read;
 * one mutex, held briefly.
 */
#ifndef RTFLOW_ANALYZER_EVENTS_H
#define RTFLOW_ANALYZER_EVENTS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENTS_VALUES_MAX 8

struct events;

struct event {
	uint64_t timestamp_ms;
	const char *threshold_id, *metric, *agent, *datasource;
	const char *flow_key; /* NULL unless byFlow */
	double threshold, value;
	const double *values; /* the flow's extra values (byFlow) */
	uint32_t nvalues;
};

/* A ring of max events (0: 1000); NULL on no memory. */
struct events *events_new(size_t max);
void events_free(struct events *ev);

/* Append an event (strings copied, cut to their caps). NULL ev: no-op. */
void events_push(struct events *ev, const struct event *e);

/* Events with id > after_id (all when after_id < 0), newest first, at most
 * max, of threshold `threshold_id` (NULL: any): an array of {eventID,
 * timestamp, thresholdID, metric, threshold, value, agent, dataSource,
 * flowKey?, values?}. */
cJSON *events_json(struct events *ev, const char *threshold_id, int64_t after_id, size_t max);

/* Whether an event with id > after_id exists: ev is a struct events, void *
 * so a long poll can wait on it (server_wait_ready_fn). */
bool events_ready(void *ev, int64_t after_id);

/* fn(arg, eventID, const struct event *) for every event pushed from now
 * on, on the threshold thread (fn must be quick); NULL fn: none. Returns
 * once no call is in progress. */
void events_set_listener(struct events *ev,
			 void (*fn)(void *arg, uint64_t id, const void *event), void *arg);

/* Events pushed so far, and those overwritten. */
void events_counts(struct events *ev, uint64_t *pushed, uint64_t *lost);

#endif
