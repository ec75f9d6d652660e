/*
 * analyzer/query.c: /metric/{agents}/{metrics}/json (Statistic objects),
 * /agents/json, /metrics/json and /metric/{agent}/json over a store_set.
 *
 * A Statistic aggregates one metric over every selected data source that
 * has a value for it. For max/min/any, agent, dataSource and lastUpdate
 * are those of the chosen value; for the other aggregations those of the
 * most recently updated contributor. String metrics aggregate with max,
 * min (byte order) and any only; other aggregations of strings give no
 * metricValue. Sub-agents of one agent address are merged in /agents/json.
 */
#include "analyzer/query.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/query_internal.h"

struct item {
	double num;
	char *str;                    /* owned copy, NULL for numbers */
	char agent[STORE_ADDR_MAX];
	char ds[STORE_DS_NAME_MAX];
	uint64_t age_ms;
};

struct items {
	const struct query_metric *m;
	uint64_t now_ms;
	struct item *v;
	size_t n, cap;
	bool strings;                 /* the first value was a string */
};

static void items_add(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct items *it = arg;
	const struct store_val *v = query_metric_find(it->m, d);
	struct item *x;

	if (!v || it->n == QUERY_ITEMS_MAX)
		return;
	if (it->n == 0)
		it->strings = v->str != NULL;
	if ((v->str != NULL) != it->strings)
		return; /* one kind per Statistic: that of the first value */
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 16;
		it->v = realloc(it->v, it->cap * sizeof(*it->v));
		if (!it->v)
			abort();
	}
	x = &it->v[it->n++];
	x->num = v->num;
	x->str = v->str ? strdup(v->str) : NULL;
	snprintf(x->agent, sizeof(x->agent), "%s", a->name);
	snprintf(x->ds, sizeof(x->ds), "%s", d->name);
	x->age_ms = query_age(it->now_ms, v->updated_ms);
}

static void items_free(struct items *it)
{
	for (size_t i = 0; i < it->n; i++)
		free(it->v[i].str);
	free(it->v);
}

static size_t pick_string(const struct items *it, enum stats_agg agg)
{
	size_t best = 0;

	for (size_t i = 1; i < it->n && agg != STATS_ANY; i++) {
		int c = strcmp(it->v[i].str, it->v[best].str);

		if (agg == STATS_MAX ? c > 0 : c < 0)
			best = i;
	}
	return best;
}

static void add_quartiles(cJSON *o, const struct stats_quartiles *q)
{
	cJSON *j = cJSON_AddObjectToObject(o, "quartiles");

	cJSON_AddNumberToObject(j, "min", q->min);
	cJSON_AddNumberToObject(j, "q1", q->q1);
	cJSON_AddNumberToObject(j, "med", q->med);
	cJSON_AddNumberToObject(j, "q3", q->q3);
	cJSON_AddNumberToObject(j, "max", q->max);
}

/* Fills metricValue into o; returns the index of the reported contributor. */
static size_t aggregate(const struct items *it, enum stats_agg agg, cJSON *o)
{
	size_t newest = 0, pick = 0;
	struct stats_quartiles q;
	double *nums, r;

	for (size_t i = 1; i < it->n; i++)
		if (it->v[i].age_ms < it->v[newest].age_ms)
			newest = i;
	if (it->strings) {
		if (!stats_agg_selects(agg))
			return newest;
		pick = pick_string(it, agg);
		cJSON_AddStringToObject(o, "metricValue", it->v[pick].str);
		return pick;
	}
	nums = malloc(it->n * sizeof(*nums));
	if (!nums)
		abort();
	for (size_t i = 0; i < it->n; i++)
		nums[i] = it->v[i].num;
	r = stats_apply(agg, nums, it->n, &pick, agg == STATS_MED ? &q : NULL);
	free(nums);
	cJSON_AddNumberToObject(o, "metricValue", r);
	if (agg == STATS_MED)
		add_quartiles(o, &q);
	return stats_agg_selects(agg) ? pick : newest;
}

static cJSON *statistic(const struct query_metric *m, const struct items *it)
{
	cJSON *o = cJSON_CreateObject(), *val;
	uint64_t amin = UINT64_MAX, amax = 0;
	size_t at;

	if (it->n == 0) {
		cJSON_AddStringToObject(o, "metricName", m->text);
		cJSON_AddNumberToObject(o, "metricN", 0);
		return o;
	}
	val = cJSON_CreateObject();
	at = aggregate(it, m->agg, val);
	cJSON_AddStringToObject(o, "agent", it->v[at].agent);
	cJSON_AddStringToObject(o, "dataSource", it->v[at].ds);
	cJSON_AddStringToObject(o, "metricName", m->text);
	while (val->child) { /* metricValue, quartiles: after metricName */
		cJSON *c = cJSON_DetachItemViaPointer(val, val->child);

		cJSON_AddItemToObject(o, c->string, c);
	}
	cJSON_Delete(val);
	for (size_t i = 0; i < it->n; i++) {
		amin = it->v[i].age_ms < amin ? it->v[i].age_ms : amin;
		amax = it->v[i].age_ms > amax ? it->v[i].age_ms : amax;
	}
	cJSON_AddNumberToObject(o, "metricN", (double)it->n);
	cJSON_AddNumberToObject(o, "lastUpdate", (double)it->v[at].age_ms);
	cJSON_AddNumberToObject(o, "lastUpdateMin", (double)amin);
	cJSON_AddNumberToObject(o, "lastUpdateMax", (double)amax);
	return o;
}

int query_metric_json(const struct store_set *ss, const char *agents, const char *metrics,
		      const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		      size_t errlen)
{
	struct query_agents *ag = malloc(sizeof(*ag));
	struct query_metrics *ms = malloc(sizeof(*ms));
	int rc = -1;

	*out = NULL;
	if (!ag || !ms)
		abort();
	if (query_parse_agents(agents, ag, err, errlen) == -1 ||
	    query_parse_metrics(metrics, QUERY_MODE_METRIC, ms, err, errlen) == -1)
		goto out;
	*out = cJSON_CreateArray();
	for (size_t i = 0; i < ms->n; i++) {
		struct items it = { .m = &ms->m[i], .now_ms = now_ms };

		query_walk(ss, ag, f, items_add, &it);
		cJSON_AddItemToArray(*out, statistic(&ms->m[i], &it));
		items_free(&it);
	}
	rc = 0;
out:
	free(ag);
	free(ms);
	return rc;
}

/* Add v to the number `key` of o (created at v). */
static void add_num(cJSON *o, const char *key, double v)
{
	cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (j)
		cJSON_SetNumberValue(j, j->valuedouble + v);
	else
		cJSON_AddNumberToObject(o, key, v);
}

static void keep_num(cJSON *o, const char *key, double v, bool want_max)
{
	cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!j)
		cJSON_AddNumberToObject(o, key, v);
	else if (want_max ? v > j->valuedouble : v < j->valuedouble)
		cJSON_SetNumberValue(j, v);
}

struct agent_sums {
	uint64_t cds, fds, drops;
	struct store_seq c, f;
};

static void sum_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct agent_sums *t = arg;

	(void)a;
	if (d->cseq.received || d->blocks || d->ncustom)
		t->cds++;
	if (d->fseq.received)
		t->fds++;
	t->drops += d->flow_drops;
	t->c.received += d->cseq.received;
	t->c.lost += d->cseq.lost;
	t->c.duplicates += d->cseq.duplicates;
	t->c.out_of_order += d->cseq.out_of_order;
	t->f.received += d->fseq.received;
	t->f.lost += d->fseq.lost;
	t->f.duplicates += d->fseq.duplicates;
	t->f.out_of_order += d->fseq.out_of_order;
}

static void add_sources(cJSON *o, const struct store_agent *a)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "sFlowDatagramSource"), *e;

	if (!arr)
		arr = cJSON_AddArrayToObject(o, "sFlowDatagramSource");
	for (uint32_t i = 0; i < a->nsources; i++) {
		bool have = false;

		cJSON_ArrayForEach(e, arr)
			have = have || (cJSON_IsString(e) && strcmp(e->valuestring, a->sources[i]) == 0);
		if (!have && cJSON_GetArraySize(arr) < STORE_SOURCES_MAX)
			cJSON_AddItemToArray(arr, cJSON_CreateString(a->sources[i]));
	}
}

/* Hidden while merging sub-agents: last_ms of the one whose uptime is shown. */
#define QUERY_NEWEST_KEY "\001newest"

static void agent_fields(cJSON *o, const struct store_agent *a, uint64_t now_ms)
{
	struct agent_sums t;
	cJSON *newest = cJSON_GetObjectItemCaseSensitive(o, QUERY_NEWEST_KEY);
	double seen = (double)query_age(now_ms, a->last_ms);

	memset(&t, 0, sizeof(t));
	store_each_ds(a, sum_ds, &t);
	if (!newest || (double)a->last_ms > newest->valuedouble) { /* the newest sub-agent's */
		cJSON_DeleteItemFromObjectCaseSensitive(o, "uptime");
		cJSON_AddNumberToObject(o, "uptime", a->uptime_ms);
		cJSON_DeleteItemFromObjectCaseSensitive(o, QUERY_NEWEST_KEY);
		cJSON_AddNumberToObject(o, QUERY_NEWEST_KEY, (double)a->last_ms);
	}
	add_sources(o, a);
	keep_num(o, "firstSeen", (double)query_age(now_ms, a->first_ms), true);
	keep_num(o, "lastSeen", seen, false);
	add_num(o, "sFlowDatagramsReceived", (double)a->dseq.received);
	add_num(o, "sFlowDatagramsLost", (double)a->dseq.lost);
	add_num(o, "sFlowDatagramsOutOfOrder", (double)a->dseq.out_of_order);
	add_num(o, "sFlowDatagramsDuplicates", (double)a->dseq.duplicates);
	add_num(o, "sFlowCounterDatasources", (double)t.cds);
	add_num(o, "sFlowCounterSamples", (double)t.c.received);
	add_num(o, "sFlowCounterLostSamples", (double)t.c.lost);
	add_num(o, "sFlowCounterDuplicateSamples", (double)t.c.duplicates);
	add_num(o, "sFlowCounterOutOfOrderSamples", (double)t.c.out_of_order);
	add_num(o, "sFlowFlowDatasources", (double)t.fds);
	add_num(o, "sFlowFlowSamples", (double)t.f.received);
	add_num(o, "sFlowFlowLostSamples", (double)t.f.lost);
	add_num(o, "sFlowFlowDuplicateSamples", (double)t.f.duplicates);
	add_num(o, "sFlowFlowOutOfOrderSamples", (double)t.f.out_of_order);
	add_num(o, "sFlowFlowDrops", (double)t.drops);
}

struct agents_ctx {
	cJSON *out;
	const char *const *agents;
	size_t n;
	uint64_t now_ms;
	/* name -> entry of out, open addressing, so that merging the
	 * sub-agents of one address is not a linear search of out (which
	 * made /agents/json quadratic in the number of agents) */
	cJSON **index;
	size_t index_cap;     /* a power of two, or 0: search out instead */
	size_t index_used;
};

static size_t agents_index_slot(const struct agents_ctx *c, const char *name)
{
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (size_t i = h & (c->index_cap - 1);; i = (i + 1) & (c->index_cap - 1))
		if (!c->index[i] || strcmp(c->index[i]->string, name) == 0)
			return i;
}

/* The entry for name in c->out, created when missing. */
static cJSON *agents_entry(struct agents_ctx *c, const char *name)
{
	size_t i;
	cJSON *o;

	/* keep the table at most half full; past that (agents arrived
	 * during the walk) fall back to the linear search */
	if (c->index_cap == 0 || 2 * (c->index_used + 1) > c->index_cap) {
		o = cJSON_GetObjectItemCaseSensitive(c->out, name);
		return o ? o : cJSON_AddObjectToObject(c->out, name);
	}
	i = agents_index_slot(c, name);
	if (!c->index[i]) {
		c->index[i] = cJSON_AddObjectToObject(c->out, name);
		c->index_used += c->index[i] != NULL;
	}
	return c->index[i];
}

/* Size the index for the agents the stores hold now, 0 when unknown. */
static void agents_index_init(struct agents_ctx *c, const struct store_set *ss)
{
	size_t n = 0;

	for (unsigned i = 0; ss && i < ss->n; i++) {
		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		n += ss->v[i]->nagents;
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	for (c->index_cap = 64; c->index_cap < 4 * n + 64; c->index_cap *= 2)
		;
	c->index = calloc(c->index_cap, sizeof(cJSON *));
	if (!c->index)
		c->index_cap = 0;
}

static void agents_one(void *arg, const struct store_agent *a)
{
	struct agents_ctx *c = arg;
	bool want = c->n == 0;
	cJSON *o;

	for (size_t i = 0; i < c->n && !want; i++)
		want = c->agents[i] && strcmp(c->agents[i], a->name) == 0;
	if (!want)
		return;
	o = agents_entry(c, a->name);
	if (o)
		agent_fields(o, a, c->now_ms);
}

cJSON *query_agents_json(const struct store_set *ss, const char *const *agents, size_t n,
			 uint64_t now_ms)
{
	struct agents_ctx c = { cJSON_CreateObject(), agents, agents ? n : 0, now_ms, NULL, 0, 0 };

	agents_index_init(&c, ss);
	for (unsigned i = 0; ss && i < ss->n; i++) {
		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		store_each_agent(ss->v[i], agents_one, &c);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	free(c.index);
	for (cJSON *o = c.out->child; o; o = o->next)
		cJSON_DeleteItemFromObjectCaseSensitive(o, QUERY_NEWEST_KEY);
	return c.out;
}

struct names_ctx {
	cJSON *out;
	uint64_t now_ms;
};

static void names_metric(void *arg, const char *name, const struct store_val *v)
{
	struct names_ctx *c = arg;

	keep_num(c->out, name, (double)query_age(c->now_ms, v->updated_ms), false);
}

static void names_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	(void)a;
	store_ds_each_metric(d, names_metric, arg);
}

cJSON *query_metric_names_json(const struct store_set *ss, uint64_t now_ms)
{
	struct query_agents all = { .all = true };
	struct names_ctx c = { cJSON_CreateObject(), now_ms };

	query_walk(ss, &all, NULL, names_ds, &c);
	return c.out;
}
