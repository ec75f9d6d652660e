/*
 * analyzer/events.c: see events.h; the events live in an id ring
 * (id_ring.h).
 */
#include "analyzer/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/id_ring.h"

struct ev_rec {
	uint64_t timestamp_ms;
	char threshold_id[64], metric[160], agent[48], ds[64], key[512];
	bool has_key;
	double threshold, value;
	double values[EVENTS_VALUES_MAX];
	uint32_t nvalues;
};

struct events {
	struct id_ring *ring;
};

struct events *events_new(size_t max)
{
	struct events *ev = calloc(1, sizeof(*ev));

	if (ev && !(ev->ring = id_ring_new(max, sizeof(struct ev_rec)))) {
		free(ev);
		return NULL;
	}
	return ev;
}

void events_free(struct events *ev)
{
	if (ev)
		id_ring_free(ev->ring);
	free(ev);
}

void events_push(struct events *ev, const struct event *e)
{
	struct ev_rec *r;
	uint64_t id;

	if (!ev)
		return;
	r = id_ring_push_begin(ev->ring, &id);
	r->timestamp_ms = e->timestamp_ms;
	snprintf(r->threshold_id, sizeof(r->threshold_id), "%s", e->threshold_id);
	snprintf(r->metric, sizeof(r->metric), "%s", e->metric);
	snprintf(r->agent, sizeof(r->agent), "%s", e->agent);
	snprintf(r->ds, sizeof(r->ds), "%s", e->datasource);
	r->has_key = e->flow_key != NULL;
	snprintf(r->key, sizeof(r->key), "%s", e->flow_key ? e->flow_key : "");
	r->threshold = e->threshold;
	r->value = e->value;
	r->nvalues = e->nvalues < EVENTS_VALUES_MAX ? e->nvalues : EVENTS_VALUES_MAX;
	for (uint32_t i = 0; i < r->nvalues; i++)
		r->values[i] = e->values[i];
	id_ring_push_end(ev->ring);
	id_ring_notify(ev->ring, id, e);
}

void events_set_listener(struct events *ev,
			 void (*fn)(void *arg, uint64_t id, const void *event), void *arg)
{
	id_ring_set_listener(ev->ring, fn, arg);
}

static cJSON *rec_json(uint64_t id, const struct ev_rec *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "eventID", (double)id);
	cJSON_AddNumberToObject(o, "timestamp", (double)r->timestamp_ms);
	cJSON_AddStringToObject(o, "thresholdID", r->threshold_id);
	cJSON_AddStringToObject(o, "metric", r->metric);
	cJSON_AddNumberToObject(o, "threshold", r->threshold);
	cJSON_AddNumberToObject(o, "value", r->value);
	cJSON_AddStringToObject(o, "agent", r->agent);
	cJSON_AddStringToObject(o, "dataSource", r->ds);
	if (r->has_key)
		cJSON_AddStringToObject(o, "flowKey", r->key);
	if (r->nvalues) {
		cJSON *a = cJSON_AddArrayToObject(o, "values");

		for (uint32_t i = 0; i < r->nvalues; i++)
			cJSON_AddItemToArray(a, cJSON_CreateNumber(r->values[i]));
	}
	return o;
}

struct ev_walk {
	const char *threshold_id;
	cJSON *out;
};

static bool take(void *arg, uint64_t id, const void *rec)
{
	struct ev_walk *w = arg;
	const struct ev_rec *r = rec;

	if (w->threshold_id && strcmp(w->threshold_id, r->threshold_id) != 0)
		return false;
	cJSON_AddItemToArray(w->out, rec_json(id, r));
	return true;
}

cJSON *events_json(struct events *ev, const char *threshold_id, int64_t after_id, size_t max)
{
	struct ev_walk w = { threshold_id, cJSON_CreateArray() };

	id_ring_walk(ev->ring, after_id, max, take, &w);
	return w.out;
}

bool events_ready(void *arg, int64_t after_id)
{
	const struct events *ev = arg;

	return id_ring_ready(ev->ring, after_id);
}

void events_counts(struct events *ev, uint64_t *pushed, uint64_t *lost)
{
	id_ring_counts(ev->ring, pushed, lost);
}
