/*
 * analyzer/query.c: /metric/{agents}/{metrics}/json (Statistic objects),
 * /agents/json, /metrics/json and /metric/{agent}/json over a store_set.
 *
 * A Statistic aggregates one metric over every selected data source that
 * has a value for it. For max/min/any, agent, dataSource and lastUpdate
 * are those of the chosen value; for the other aggregations those of the
 * most recently updated contributor. String metrics aggregate with max,
 * min (byte order) and any only; other aggregations of strings give no
 * metricValue.
 */
#include "analyzer/query.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/query_internal.h"

/* A contributor a Statistic reports (agent, dataSource, lastUpdate). */
struct pick {
	bool set;
	double num;
	char *str; /* owned copy, NULL for numbers */
	char agent[STORE_ADDR_MAX];
	char ds[STORE_DS_NAME_MAX];
	uint64_t age_ms;
};

/*
 * One Statistic being gathered. Values are read under each store's lock
 * in turn; only the numbers are kept, and the names of the two
 * contributors that can be reported are copied when they change (a
 * handful of times per request, not once per data source).
 */
struct items {
	const struct query_metric *m;
	uint64_t now_ms;
	double *nums; /* every numeric value, for sum/avg/quantiles */
	size_t n, cap;
	bool strings;        /* the first value was a string */
	uint64_t amin, amax; /* ages of the oldest and newest values */
	bool selects;        /* stats_agg_selects(m->agg) */
	int16_t slot;        /* the slot items_add_block reads */
	struct pick best;    /* max/min/any: the value chosen (first of equals) */
	struct pick newest;  /* the most recently updated contributor */
};

static void pick_set(struct pick *p, const struct store_agent *a, const struct store_ds *d,
		     const struct store_val *v, uint64_t age_ms)
{
	p->set = true;
	p->num = v->num;
	free(p->str);
	p->str = v->str ? strdup(v->str) : NULL;
	if (v->str && !p->str)
		abort();
	memcpy(p->agent, a->name, sizeof(p->agent));
	memcpy(p->ds, d->name, sizeof(p->ds));
	p->age_ms = age_ms;
}

/* Whether v beats the best so far under agg (max, min, any). */
static bool beats(const struct pick *best, const struct store_val *v, enum stats_agg agg)
{
	int c;

	if (!best->set)
		return true;
	if (agg == STATS_ANY)
		return false;
	c = v->str ? strcmp(v->str, best->str) : (v->num > best->num) - (v->num < best->num);
	return agg == STATS_MAX ? c > 0 : c < 0;
}

static void items_push(struct items *it, double num)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 256;
		it->nums = realloc(it->nums, it->cap * sizeof(*it->nums));
		if (!it->nums)
			abort();
	}
	it->nums[it->n] = num;
}

static void items_take(struct items *it, const struct store_agent *a, const struct store_ds *d,
		       const struct store_val *v)
{
	uint64_t age;

	if (it->n == QUERY_ITEMS_MAX)
		return;
	if (it->n == 0)
		it->strings = v->str != NULL;
	if ((v->str != NULL) != it->strings)
		return; /* one kind per Statistic: that of the first value */
	if (!it->strings)
		items_push(it, v->num);
	it->n++;
	age = query_age(it->now_ms, v->updated_ms);
	it->amin = age < it->amin ? age : it->amin;
	it->amax = age > it->amax ? age : it->amax;
	if (!it->newest.set || age < it->newest.age_ms)
		pick_set(&it->newest, a, d, v, age);
	if (it->selects && beats(&it->best, v, it->m->agg))
		pick_set(&it->best, a, d, v, age);
}

static void items_add(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct items *it = arg;
	const struct store_val *v = query_metric_find(it->m, d);

	if (v)
		items_take(it, a, d, v);
}

/* items_add for the blocks of the one record table that has the metric. */
static void items_add_block(void *arg, const struct store_block *b)
{
	struct items *it = arg;
	const struct store_val *v = &b->v[it->slot];

	if (v->valid && (!it->m->ds[0] || strcmp(it->m->ds, b->ds->name) == 0))
		items_take(it, b->ds->agent, b->ds, v);
}

/* The one record table that has metric m, or -1 (none, or several). */
static int metric_rec(const struct query_metric *m)
{
	int rec = -1;

	for (int i = 0; i < METRICS_RECORDS_MAX; i++)
		if (m->slots[i] >= 0) {
			if (rec >= 0)
				return -1;
			rec = i;
		}
	return rec;
}

/*
 * Every value of it->m over the selected data sources. With every agent
 * and no filter, a metric of one record table is read from that table's
 * slab in address order (store_slab.c), unless the store holds custom
 * metrics (which could carry the same name); the result is the same as
 * the walk's, data source order aside.
 */
static void items_gather(const struct store_set *ss, const struct query_agents *ag,
			 const struct query_filter *f, struct items *it)
{
	int rec = ag->all && (!f || f->n == 0) ? metric_rec(it->m) : -1;

	it->selects = stats_agg_selects(it->m->agg);
	it->slot = -1;
	if (rec >= 0)
		it->slot = it->m->slots[rec];
	for (unsigned i = 0; ss && i < ss->n; i++) {
		struct store *s = ss->v[i];

		if (!s)
			continue;
		pthread_mutex_lock(&s->mu);
		if (rec >= 0 && s->ncustom == 0)
			store_slab_each(s, (uint32_t)rec, (uint32_t)it->slot, items_add_block, it);
		else
			query_walk_store(s, ag, f, items_add, it);
		pthread_mutex_unlock(&s->mu);
	}
}

static void items_free(struct items *it)
{
	free(it->best.str);
	free(it->newest.str);
	free(it->nums);
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

/* Fills metricValue (and quartiles) into o; returns the reported contributor. */
static const struct pick *aggregate(struct items *it, enum stats_agg agg, cJSON *o)
{
	struct stats_quartiles q;
	size_t unused;
	double r;

	if (stats_agg_selects(agg)) {
		if (it->best.str)
			cJSON_AddStringToObject(o, "metricValue", it->best.str);
		else
			cJSON_AddNumberToObject(o, "metricValue", it->best.num);
		return &it->best;
	}
	if (it->strings)
		return &it->newest;
	r = stats_apply(agg, it->nums, it->n, &unused, agg == STATS_MED ? &q : NULL);
	cJSON_AddNumberToObject(o, "metricValue", r);
	if (agg == STATS_MED)
		add_quartiles(o, &q);
	return &it->newest;
}

static cJSON *statistic(const struct query_metric *m, struct items *it)
{
	cJSON *o = cJSON_CreateObject(), *val;
	const struct pick *at;

	if (it->n == 0) {
		cJSON_AddStringToObject(o, "metricName", m->text);
		cJSON_AddNumberToObject(o, "metricN", 0);
		return o;
	}
	val = cJSON_CreateObject();
	at = aggregate(it, m->agg, val);
	cJSON_AddStringToObject(o, "agent", at->agent);
	cJSON_AddStringToObject(o, "dataSource", at->ds);
	cJSON_AddStringToObject(o, "metricName", m->text);
	while (val->child) { /* metricValue, quartiles: after metricName */
		cJSON *c = cJSON_DetachItemViaPointer(val, val->child);

		cJSON_AddItemToObject(o, c->string, c);
	}
	cJSON_Delete(val);
	cJSON_AddNumberToObject(o, "metricN", (double)it->n);
	cJSON_AddNumberToObject(o, "lastUpdate", (double)at->age_ms);
	cJSON_AddNumberToObject(o, "lastUpdateMin", (double)it->amin);
	cJSON_AddNumberToObject(o, "lastUpdateMax", (double)it->amax);
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
		struct items it = { .m = &ms->m[i], .now_ms = now_ms, .amin = UINT64_MAX };

		items_gather(ss, ag, f, &it);
		cJSON_AddItemToArray(*out, statistic(&ms->m[i], &it));
		items_free(&it);
	}
	rc = 0;
out:
	free(ag);
	free(ms);
	return rc;
}

static void keep_num(cJSON *o, const char *key, double v, bool want_max)
{
	cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!j)
		cJSON_AddNumberToObject(o, key, v);
	else if (want_max ? v > j->valuedouble : v < j->valuedouble)
		cJSON_SetNumberValue(j, v);
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
