/*
 * analyzer/flow_log.c: see flow_log.h. A fixed array used as a ring;
 * record i lives at slot (id - 1) % max.
 */
#include "analyzer/flow_log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/flow_cache.h"

struct log_rec {
	uint64_t id;
	char name[64];
	char keys[FLOW_CACHE_KEY_MAX + 1];
	double value;
	uint64_t start_ms, end_ms;
	char agent[48];
	char ds[64];
};

struct flow_log {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct log_rec *v;
	size_t max;
	uint64_t next_id; /* id of the next record, from 1 */
};

struct flow_log *flow_log_new(size_t max)
{
	struct flow_log *l = calloc(1, sizeof(*l));
	pthread_condattr_t ca;

	if (!l)
		return NULL;
	l->max = max ? max : 1000;
	l->v = calloc(l->max, sizeof(*l->v));
	if (!l->v) {
		free(l);
		return NULL;
	}
	l->next_id = 1;
	pthread_mutex_init(&l->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->cv, &ca);
	pthread_condattr_destroy(&ca);
	return l;
}

void flow_log_free(struct flow_log *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l->v);
	free(l);
}

void flow_log_push(struct flow_log *l, const char *name, const char *keys, double value,
		   uint64_t start_ms, uint64_t end_ms, const char *agent, const char *datasource)
{
	struct log_rec *r;

	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	r = &l->v[(l->next_id - 1) % l->max];
	r->id = l->next_id++;
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->keys, sizeof(r->keys), "%s", keys);
	r->value = value;
	r->start_ms = start_ms;
	r->end_ms = end_ms;
	snprintf(r->agent, sizeof(r->agent), "%s", agent);
	snprintf(r->ds, sizeof(r->ds), "%s", datasource);
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static cJSON *rec_json(const struct log_rec *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "flowID", (double)r->id);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "flowKeys", r->keys);
	cJSON_AddNumberToObject(o, "value", r->value);
	cJSON_AddNumberToObject(o, "start", (double)r->start_ms);
	cJSON_AddNumberToObject(o, "end", (double)r->end_ms);
	cJSON_AddStringToObject(o, "agent", r->agent);
	cJSON_AddStringToObject(o, "dataSource", r->ds);
	return o;
}

cJSON *flow_log_json(struct flow_log *l, const char *name, int64_t after_id, size_t max)
{
	cJSON *out = cJSON_CreateArray();
	uint64_t first;

	pthread_mutex_lock(&l->mu);
	first = l->next_id > l->max ? l->next_id - l->max : 1;
	for (uint64_t id = l->next_id - 1; id >= first && id > 0 && max > 0; id--) {
		const struct log_rec *r = &l->v[(id - 1) % l->max];

		if (after_id >= 0 && id <= (uint64_t)after_id)
			break;
		if (name && strcmp(name, r->name) != 0)
			continue;
		cJSON_AddItemToArray(out, rec_json(r));
		max--;
	}
	pthread_mutex_unlock(&l->mu);
	return out;
}

bool flow_log_wait(struct flow_log *l, int64_t after_id, uint64_t timeout_ms)
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
	pthread_mutex_lock(&l->mu);
	while (!(after_id < 0 || l->next_id - 1 > (uint64_t)after_id))
		if (pthread_cond_timedwait(&l->cv, &l->mu, &until) == ETIMEDOUT)
			break;
	have = after_id < 0 || l->next_id - 1 > (uint64_t)after_id;
	pthread_mutex_unlock(&l->mu);
	return have;
}

void flow_log_counts(struct flow_log *l, uint64_t *pushed, uint64_t *lost)
{
	pthread_mutex_lock(&l->mu);
	*pushed = l->next_id - 1;
	*lost = *pushed > l->max ? *pushed - l->max : 0;
	pthread_mutex_unlock(&l->mu);
}
