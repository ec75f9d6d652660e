/*
 * analyzer/query_agents.c: /agents/json (reference/sflow-rt-api.md §1.2).
 *
 * One row per agent address: the sub-agents of an address are merged
 * (counters summed, firstSeen the oldest, lastSeen and uptime those of the
 * most recently heard sub-agent, datagram sources united). Rows are
 * gathered into plain structs under each store's lock in turn, then
 * written with jsonw: an answer for thousands of agents is hundreds of KB,
 * and a cJSON tree of it cost several times the writing.
 */
#include "analyzer/query.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/jsonw.h"
#include "analyzer/query_internal.h"

#define QUERY_AGENTS_ROWS_MAX (1u << 20)
#define QUERY_AGENTS_TEXT_MAX (256u << 20)

struct agent_row {
	char name[STORE_ADDR_MAX];
	char sources[STORE_SOURCES_MAX][STORE_ADDR_MAX];
	uint32_t nsources;
	bool have;          /* a sub-agent was merged in */
	uint64_t newest_ms; /* last_ms of the sub-agent whose uptime is shown */
	uint32_t uptime_ms;
	uint64_t first_age, last_age;
	struct store_seq dg; /* datagram stream sums */
	uint64_t cds, fds, drops;
	struct store_seq c, f; /* counter and flow sample sums */
};

struct agents_ctx {
	const char *const *want;
	size_t nwant;
	uint64_t now_ms;
	struct agent_row *rows; /* in the order first seen */
	size_t n, cap;
	uint32_t *index;  /* open addressing over rows: row + 1, 0 empty */
	size_t index_cap; /* a power of two, at least 2 * cap */
};

static uint32_t name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

static bool rows_grow(struct agents_ctx *c)
{
	size_t cap = c->cap ? 2 * c->cap : 256;
	struct agent_row *nr = realloc(c->rows, cap * sizeof(*nr));
	uint32_t *ni = calloc(2 * cap, sizeof(*ni));

	if (!nr || !ni) {
		free(ni);
		if (nr)
			c->rows = nr;
		return false;
	}
	c->rows = nr;
	c->cap = cap;
	free(c->index);
	c->index = ni;
	c->index_cap = 2 * cap;
	for (size_t r = 0; r < c->n; r++) {
		size_t i = name_hash(c->rows[r].name) & (c->index_cap - 1);

		while (c->index[i])
			i = (i + 1) & (c->index_cap - 1);
		c->index[i] = (uint32_t)r + 1;
	}
	return true;
}

/* The row of agent address `name`, created zeroed; NULL at the cap. */
static struct agent_row *row_of(struct agents_ctx *c, const char *name)
{
	size_t i;

	if (c->n == c->cap && (c->n >= QUERY_AGENTS_ROWS_MAX || !rows_grow(c)))
		return NULL;
	for (i = name_hash(name) & (c->index_cap - 1); c->index[i];
	     i = (i + 1) & (c->index_cap - 1))
		if (strcmp(c->rows[c->index[i] - 1].name, name) == 0)
			return &c->rows[c->index[i] - 1];
	memset(&c->rows[c->n], 0, sizeof(c->rows[0]));
	memcpy(c->rows[c->n].name, name, sizeof(c->rows[0].name));
	c->rows[c->n].first_age = 0;
	c->rows[c->n].last_age = UINT64_MAX;
	c->index[i] = (uint32_t)++c->n;
	return &c->rows[c->n - 1];
}

static void seq_add(struct store_seq *t, const struct store_seq *q)
{
	t->received += q->received;
	t->lost += q->lost;
	t->duplicates += q->duplicates;
	t->out_of_order += q->out_of_order;
}

static void sum_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct agent_row *r = arg;

	(void)a;
	if (d->cseq.received || d->blocks || d->ncustom)
		r->cds++;
	if (d->fseq.received)
		r->fds++;
	r->drops += d->flow_drops;
	seq_add(&r->c, &d->cseq);
	seq_add(&r->f, &d->fseq);
}

static void add_sources(struct agent_row *r, const struct store_agent *a)
{
	for (uint32_t i = 0; i < a->nsources; i++) {
		bool have = false;

		for (uint32_t j = 0; j < r->nsources && !have; j++)
			have = strcmp(r->sources[j], a->sources[i]) == 0;
		if (!have && r->nsources < STORE_SOURCES_MAX)
			memcpy(r->sources[r->nsources++], a->sources[i], STORE_ADDR_MAX);
	}
}

static void agent_one(void *arg, const struct store_agent *a)
{
	struct agents_ctx *c = arg;
	bool want = c->nwant == 0;
	uint64_t first = query_age(c->now_ms, a->first_ms), last = query_age(c->now_ms, a->last_ms);
	struct agent_row *r;

	for (size_t i = 0; i < c->nwant && !want; i++)
		want = c->want[i] && strcmp(c->want[i], a->name) == 0;
	if (!want || !(r = row_of(c, a->name)))
		return;
	if (!r->have || a->last_ms > r->newest_ms) {
		r->have = true;
		r->newest_ms = a->last_ms;
		r->uptime_ms = a->uptime_ms;
	}
	add_sources(r, a);
	r->first_age = first > r->first_age ? first : r->first_age;
	r->last_age = last < r->last_age ? last : r->last_age;
	seq_add(&r->dg, &a->dseq);
	store_each_ds(a, sum_ds, r);
}

static void num(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_num(w, (double)v);
}

static void row_write(struct jsonw *w, const struct agent_row *r)
{
	jsonw_key(w, r->name);
	jsonw_open(w, '{');
	num(w, "uptime", r->uptime_ms);
	jsonw_key(w, "sFlowDatagramSource");
	jsonw_open(w, '[');
	for (uint32_t i = 0; i < r->nsources; i++)
		jsonw_str(w, r->sources[i]);
	jsonw_close(w, ']');
	num(w, "firstSeen", r->first_age);
	num(w, "lastSeen", r->last_age);
	num(w, "sFlowDatagramsReceived", r->dg.received);
	num(w, "sFlowDatagramsLost", r->dg.lost);
	num(w, "sFlowDatagramsOutOfOrder", r->dg.out_of_order);
	num(w, "sFlowDatagramsDuplicates", r->dg.duplicates);
	num(w, "sFlowCounterDatasources", r->cds);
	num(w, "sFlowCounterSamples", r->c.received);
	num(w, "sFlowCounterLostSamples", r->c.lost);
	num(w, "sFlowCounterDuplicateSamples", r->c.duplicates);
	num(w, "sFlowCounterOutOfOrderSamples", r->c.out_of_order);
	num(w, "sFlowFlowDatasources", r->fds);
	num(w, "sFlowFlowSamples", r->f.received);
	num(w, "sFlowFlowLostSamples", r->f.lost);
	num(w, "sFlowFlowDuplicateSamples", r->f.duplicates);
	num(w, "sFlowFlowOutOfOrderSamples", r->f.out_of_order);
	num(w, "sFlowFlowDrops", r->drops);
	jsonw_close(w, '}');
}

char *query_agents_text(const struct store_set *ss, const char *const *agents, size_t n,
			uint64_t now_ms, size_t *len)
{
	struct agents_ctx c = { .want = agents, .nwant = agents ? n : 0, .now_ms = now_ms };
	struct jsonw w;

	for (unsigned i = 0; ss && i < ss->n; i++) {
		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		store_each_agent(ss->v[i], agent_one, &c);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	jsonw_init(&w, QUERY_AGENTS_TEXT_MAX);
	jsonw_open(&w, '{');
	for (size_t r = 0; r < c.n; r++)
		row_write(&w, &c.rows[r]);
	jsonw_close(&w, '}');
	free(c.rows);
	free(c.index);
	return jsonw_take(&w, len);
}

cJSON *query_agents_json(const struct store_set *ss, const char *const *agents, size_t n,
			 uint64_t now_ms)
{
	size_t len;
	char *text = query_agents_text(ss, agents, n, now_ms, &len);
	cJSON *j = text ? cJSON_ParseWithLength(text, len) : NULL;

	free(text);
	return j ? j : cJSON_CreateObject();
}

struct ds_find {
	const char *ds;
	uint64_t now_ms;
	cJSON *out;
};

static void ds_one(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct ds_find *f = arg;

	(void)a;
	if (f->out || strcmp(d->name, f->ds) != 0)
		return;
	f->out = cJSON_CreateObject();
	cJSON_AddNumberToObject(f->out, "samplingRate", d->sampling_rate);
	cJSON_AddNumberToObject(f->out, "effectiveSamplingRate",
				d->pool_steps ? (double)d->pool_sum / (double)d->pool_steps :
						d->sampling_rate);
	cJSON_AddNumberToObject(f->out, "effectivePollingInterval", (double)d->counter_dt_ms);
	cJSON_AddNumberToObject(f->out, "counterSamples", (double)d->cseq.received);
	cJSON_AddNumberToObject(f->out, "flowSamples", (double)d->fseq.received);
	cJSON_AddNumberToObject(f->out, "lastSeen", (double)query_age(f->now_ms, d->last_ms));
}

struct agent_find {
	const char *agent;
	struct ds_find ds;
};

static void agent_ds(void *arg, const struct store_agent *a)
{
	struct agent_find *f = arg;

	if (!f->ds.out && strcmp(a->name, f->agent) == 0)
		store_each_ds(a, ds_one, &f->ds);
}

cJSON *query_datasource_json(const struct store_set *ss, const char *agent, const char *ds,
			     uint64_t now_ms)
{
	struct agent_find f = { agent, { ds, now_ms, NULL } };

	for (unsigned i = 0; ss && i < ss->n && !f.ds.out; i++) {
		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		store_each_agent(ss->v[i], agent_ds, &f);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	return f.ds.out;
}
