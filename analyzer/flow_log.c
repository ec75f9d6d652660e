/*
 * analyzer/flow_log.c: see flow_log.h; the records live in an id ring
 * (id_ring.h).
 */
#include "analyzer/flow_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/id_ring.h"

#define FLOW_LOG_KEYS_MAX 512 /* bytes of a record's printed keys */

struct log_rec {
	char name[64];
	char keys[FLOW_LOG_KEYS_MAX + 1];
	double value;
	uint64_t start_ms, end_ms;
	char agent[48];
	char ds[64];
};

struct flow_log {
	struct id_ring *ring;
};

struct flow_log *flow_log_new(size_t max)
{
	struct flow_log *l = calloc(1, sizeof(*l));

	if (l && !(l->ring = id_ring_new(max, sizeof(struct log_rec)))) {
		free(l);
		return NULL;
	}
	return l;
}

void flow_log_free(struct flow_log *l)
{
	if (l)
		id_ring_free(l->ring);
	free(l);
}

void flow_log_push(struct flow_log *l, const char *name, const char *keys, double value,
		   uint64_t start_ms, uint64_t end_ms, const char *agent, const char *datasource)
{
	struct log_rec *r;
	uint64_t id;

	if (!l)
		return;
	r = id_ring_push_begin(l->ring, &id);
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->keys, sizeof(r->keys), "%s", keys);
	r->value = value;
	r->start_ms = start_ms;
	r->end_ms = end_ms;
	snprintf(r->agent, sizeof(r->agent), "%s", agent);
	snprintf(r->ds, sizeof(r->ds), "%s", datasource);
	id_ring_push_end(l->ring);
	id_ring_notify(l->ring, id,
		       &(struct flow_log_entry){ name, keys, value, start_ms, end_ms, agent,
						 datasource });
}

void flow_log_set_listener(struct flow_log *l,
			   void (*fn)(void *arg, uint64_t id, const void *entry), void *arg)
{
	id_ring_set_listener(l->ring, fn, arg);
}

static cJSON *rec_json(uint64_t id, const struct log_rec *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "flowID", (double)id);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "flowKeys", r->keys);
	cJSON_AddNumberToObject(o, "value", r->value);
	cJSON_AddNumberToObject(o, "start", (double)r->start_ms);
	cJSON_AddNumberToObject(o, "end", (double)r->end_ms);
	cJSON_AddStringToObject(o, "agent", r->agent);
	cJSON_AddStringToObject(o, "dataSource", r->ds);
	return o;
}

struct log_walk {
	const char *name;
	cJSON *out;
};

static bool take(void *arg, uint64_t id, const void *rec)
{
	struct log_walk *w = arg;
	const struct log_rec *r = rec;

	if (w->name && strcmp(w->name, r->name) != 0)
		return false;
	cJSON_AddItemToArray(w->out, rec_json(id, r));
	return true;
}

cJSON *flow_log_json(struct flow_log *l, const char *name, int64_t after_id, size_t max)
{
	struct log_walk w = { name, cJSON_CreateArray() };

	id_ring_walk(l->ring, after_id, max, take, &w);
	return w.out;
}

bool flow_log_ready(void *arg, int64_t after_id)
{
	const struct flow_log *l = arg;

	return id_ring_ready(l->ring, after_id);
}

void flow_log_counts(struct flow_log *l, uint64_t *pushed, uint64_t *lost)
{
	id_ring_counts(l->ring, pushed, lost);
}
