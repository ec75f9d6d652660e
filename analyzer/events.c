/*
 * analyzer/events.c: see events.h. A fixed array used as a ring; event i
 * lives at slot (id - 1) % max.
 */
#include "analyzer/events.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ev_rec {
	uint64_t id, timestamp_ms;
	char threshold_id[64], metric[160], agent[48], ds[64], key[512];
	bool has_key;
	double threshold, value;
	double values[EVENTS_VALUES_MAX];
	uint32_t nvalues;
};

struct events {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ev_rec *v;
	size_t max;
	uint64_t next_id;
};

struct events *events_new(size_t max)
{
	struct events *ev = calloc(1, sizeof(*ev));
	pthread_condattr_t ca;

	if (!ev)
		return NULL;
	ev->max = max ? max : 1000;
	ev->v = calloc(ev->max, sizeof(*ev->v));
	if (!ev->v) {
		free(ev);
		return NULL;
	}
	ev->next_id = 1;
	pthread_mutex_init(&ev->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ev->cv, &ca);
	pthread_condattr_destroy(&ca);
	return ev;
}

void events_free(struct events *ev)
{
	if (!ev)
		return;
	pthread_mutex_destroy(&ev->mu);
	pthread_cond_destroy(&ev->cv);
	free(ev->v);
	free(ev);
}

void events_push(struct events *ev, const struct event *e)
{
	struct ev_rec *r;

	if (!ev)
		return;
	pthread_mutex_lock(&ev->mu);
	r = &ev->v[(ev->next_id - 1) % ev->max];
	r->id = ev->next_id++;
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
	pthread_cond_broadcast(&ev->cv);
	pthread_mutex_unlock(&ev->mu);
}

static cJSON *rec_json(const struct ev_rec *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "eventID", (double)r->id);
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

cJSON *events_json(struct events *ev, const char *threshold_id, int64_t after_id, size_t max)
{
	cJSON *out = cJSON_CreateArray();
	uint64_t first;

	pthread_mutex_lock(&ev->mu);
	first = ev->next_id > ev->max ? ev->next_id - ev->max : 1;
	for (uint64_t id = ev->next_id - 1; id >= first && id > 0 && max > 0; id--) {
		const struct ev_rec *r = &ev->v[(id - 1) % ev->max];

		if (after_id >= 0 && id <= (uint64_t)after_id)
			break;
		if (threshold_id && strcmp(threshold_id, r->threshold_id) != 0)
			continue;
		cJSON_AddItemToArray(out, rec_json(r));
		max--;
	}
	pthread_mutex_unlock(&ev->mu);
	return out;
}

bool events_wait(struct events *ev, int64_t after_id, uint64_t timeout_ms)
{
	struct timespec until;
	bool have;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(timeout_ms / 1000);
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ev->mu);
	while (!(after_id < 0 || ev->next_id - 1 > (uint64_t)after_id))
		if (pthread_cond_timedwait(&ev->cv, &ev->mu, &until) == ETIMEDOUT)
			break;
	have = after_id < 0 || ev->next_id - 1 > (uint64_t)after_id;
	pthread_mutex_unlock(&ev->mu);
	return have;
}

void events_counts(struct events *ev, uint64_t *pushed, uint64_t *lost)
{
	pthread_mutex_lock(&ev->mu);
	*pushed = ev->next_id - 1;
	*lost = *pushed > ev->max ? *pushed - ev->max : 0;
	pthread_mutex_unlock(&ev->mu);
}
