/*
 * analyzer/flow_query.c: queries over the flow caches of every store
 * (flow_engine.h): /activeflows, /flowvalue, /flowkeys, the per-flow walk
 * thresholds use, and the engine's counters.
 *
 * /activeflows merges the top flows of each selected data source by key:
 * aggMode max (the default) keeps, for a key seen on several data sources
 * (one flow sampled by several switches), the largest value and where it
 * was seen, so a flow is not counted once per hop; sum adds them. Each
 * data source contributes its top maxFlows flows, which is exact for max
 * and for flows concentrated on few data sources.
 */
#include "analyzer/flow_engine_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/query_internal.h"

#define FLOW_MERGE_MAX  (1u << 18) /* distinct keys one /activeflows merges */
#define FLOW_ACTIVE_MAX 10000      /* maxFlows ceiling */

struct merged {
	char *key;
	double value;
	double values[FLOW_CACHE_VALUES_MAX];
	char agent[STORE_ADDR_MAX];
	char ds[STORE_DS_NAME_MAX];
	uint32_t flow_n; /* data sources that saw the key */
};

struct merge {
	const char *name;
	const struct flow_active_query *q;
	uint64_t now_ms;
	struct merged *v; /* open addressing, cap a power of two */
	size_t cap, n;
	uint32_t nvalues;
	struct flow_cache_item *items; /* scratch for one data source's top */
	bool full;
};

static uint64_t key_hash(const char *k, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)k[i]) * 1099511628211ull;
	return h;
}

static bool merge_grow(struct merge *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct merged *nv = calloc(cap, sizeof(*nv));

	if (!nv)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->v[i].key)
			continue;
		j = key_hash(m->v[i].key, strlen(m->v[i].key)) & (cap - 1);
		while (nv[j].key)
			j = (j + 1) & (cap - 1);
		nv[j] = m->v[i];
	}
	free(m->v);
	m->v = nv;
	m->cap = cap;
	return true;
}

/* The entry for key (created empty), or NULL when the merge is full. */
static struct merged *merge_slot(struct merge *m, const char *key, size_t len)
{
	size_t j;

	if (2 * (m->n + 1) > m->cap && (m->n >= FLOW_MERGE_MAX || !merge_grow(m))) {
		m->full = true;
		return NULL;
	}
	for (j = key_hash(key, len) & (m->cap - 1); m->v[j].key; j = (j + 1) & (m->cap - 1))
		if (strlen(m->v[j].key) == len && memcmp(m->v[j].key, key, len) == 0)
			return &m->v[j];
	m->v[j].key = strndup(key, len);
	if (!m->v[j].key)
		abort();
	m->n++;
	return &m->v[j];
}

static void merge_item(struct merge *m, const struct flow_cache_item *it, const char *key,
		       const char *agent, const char *ds)
{
	struct merged *e = merge_slot(m, key, strlen(key));
	bool take;

	if (!e)
		return;
	take = e->flow_n == 0 || it->value[0] > e->value;
	e->flow_n++;
	if (m->q->agg_sum && e->flow_n > 1) {
		e->value += it->value[0];
		for (uint32_t i = 1; i < m->nvalues; i++)
			e->values[i - 1] += it->value[i];
		return;
	}
	if (!take)
		return;
	e->value = it->value[0];
	for (uint32_t i = 1; i < m->nvalues; i++)
		e->values[i - 1] = it->value[i];
	snprintf(e->agent, sizeof(e->agent), "%s", agent);
	snprintf(e->ds, sizeof(e->ds), "%s", ds);
}

/* The cache of definition `name` on d in store state fst, or NULL; the
 * definition's values and spec (for printing keys) through the pointers. */
static const struct flow_cache *ds_cache_of(const struct flow_store *fst, const struct store_ds *d,
					    const char *name, uint32_t *nvalues,
					    const struct flow_spec **spec)
{
	const struct flow_ds *fd = d->flow;
	int i = fst ? flow_snap_find(fst->snap, name) : -1;

	if (i < 0 || !fd || (uint32_t)i >= fd->n || !fd->slot[i].cache ||
	    fd->slot[i].id != fst->snap->defs[i].id)
		return NULL;
	*nvalues = fst->snap->defs[i].shape.nvalues;
	*spec = fst->snap->defs[i].spec;
	return fd->slot[i].cache;
}

struct active_walk {
	struct merge *m;
	const struct flow_store *fst;
};

static void active_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct active_walk *w = arg;
	struct merge *m = w->m;
	const struct flow_spec *sp;
	const struct flow_cache *c = ds_cache_of(w->fst, d, m->name, &m->nvalues, &sp);
	char key[FLOW_KEY_TEXT_MAX];
	size_t n;

	if (!c)
		return;
	n = flow_cache_top(c, m->now_ms, m->items, m->q->max_flows);
	for (size_t i = 0; i < n; i++)
		if (flow_spec_key_format(sp, m->items[i].key, m->items[i].key_len, key,
					 sizeof(key)) >= 0)
			merge_item(m, &m->items[i], key, a->name, d->name);
}

static int merged_cmp(const void *pa, const void *pb)
{
	const struct merged *a = pa, *b = pb;

	if (!a->key || !b->key)
		return a->key ? -1 : b->key ? 1 : 0;
	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return strcmp(a->key, b->key);
}

static cJSON *merged_json(const struct merged *e, uint32_t nvalues)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "key", e->key);
	cJSON_AddNumberToObject(o, "value", e->value);
	if (nvalues > 1) {
		cJSON *arr = cJSON_AddArrayToObject(o, "values");

		for (uint32_t i = 1; i < nvalues; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateNumber(e->values[i - 1]));
	}
	cJSON_AddStringToObject(o, "agent", e->agent);
	cJSON_AddStringToObject(o, "dataSource", e->ds);
	cJSON_AddNumberToObject(o, "flowN", e->flow_n);
	return o;
}

static cJSON *merge_finish(struct merge *m)
{
	cJSON *out = cJSON_CreateArray();
	size_t kept = 0;

	if (m->cap)
		qsort(m->v, m->cap, sizeof(m->v[0]), merged_cmp);
	for (size_t i = 0; i < m->n && kept < m->q->max_flows; i++) {
		const struct merged *e = &m->v[i];

		if (e->value < m->q->min_value || !(e->value > 0))
			continue;
		if (m->q->filter && m->q->filter[0] && !query_glob(m->q->filter, e->key))
			continue;
		cJSON_AddItemToArray(out, merged_json(e, m->nvalues));
		kept++;
	}
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	free(m->items);
	return out;
}

int flow_engine_activeflows(struct flow_engine *e, const struct store_set *ss, const char *agents,
			    const char *name, const struct flow_active_query *q, uint64_t now_ms,
			    cJSON **out, char *err, size_t errlen)
{
	struct flow_active_query qq = *q;
	struct merge m = { .name = name, .q = &qq, .now_ms = now_ms, .nvalues = 1 };
	struct query_agents *ag = malloc(sizeof(*ag));
	int rc = -1;

	*out = NULL;
	if (!ag)
		abort();
	qq.max_flows = qq.max_flows == 0              ? 100 :
		       qq.max_flows > FLOW_ACTIVE_MAX ? FLOW_ACTIVE_MAX :
							qq.max_flows;
	if (query_parse_agents(agents, ag, err, errlen) == -1)
		goto out;
	if (!flow_engine_has(e, name)) {
		snprintf(err, errlen, "no flow definition named %.64s", name);
		goto out;
	}
	m.items = calloc(qq.max_flows, sizeof(*m.items));
	if (!m.items)
		abort();
	for (unsigned i = 0; ss && i < ss->n; i++) {
		struct active_walk w = { &m, NULL };

		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		w.fst = flow_store_of(e, ss->v[i]);
		query_walk_store(ss->v[i], ag, NULL, active_ds, &w);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	*out = merge_finish(&m);
	rc = 0;
out:
	free(ag);
	return rc;
}

struct find_ds {
	const char *ds;
	const struct store_ds *found;
};

static void find_ds_cb(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct find_ds *f = arg;

	(void)a;
	if (!f->found && strcmp(d->name, f->ds) == 0)
		f->found = d;
}

/* The value of the flow of c whose key prints as `key`; false when there
 * is none. Caches hold encoded keys (flow_val.h) and several encodings may
 * print alike, so this prints each one: a REST path, not a per-sample one. */
static bool cache_find_text(const struct flow_cache *c, const struct flow_spec *sp,
			    const char *key, uint64_t now_ms, double *out)
{
	size_t n = flow_cache_len(c);
	struct flow_cache_item *items = calloc(n ? n : 1, sizeof(*items));
	char t[FLOW_KEY_TEXT_MAX];
	bool found = false;

	if (!items)
		abort();
	n = flow_cache_top(c, now_ms, items, n);
	for (size_t i = 0; i < n && !found; i++)
		if (flow_spec_key_format(sp, items[i].key, items[i].key_len, t, sizeof(t)) >= 0 &&
		    strcmp(t, key) == 0) {
			*out = items[i].value[0];
			found = true;
		}
	free(items);
	return found;
}

/* Flow `name` (key, or the total without one) on agent/ds of store s
 * (s->mu held); false when there is none. */
static bool flow_value_in(struct flow_engine *e, const struct store *s, const char *agent,
			  const char *ds, const char *name, const char *key, uint64_t now_ms,
			  double *out)
{
	struct query_agents *ag = malloc(sizeof(*ag));
	struct find_ds f = { ds, NULL };
	const struct flow_cache *c;
	const struct flow_spec *sp;
	char err[64];
	uint32_t nv;
	bool ok = false;

	if (!ag)
		abort();
	if (query_parse_agents(agent, ag, err, sizeof(err)) == 0 && !ag->all) {
		query_walk_store(s, ag, NULL, find_ds_cb, &f);
		c = f.found ? ds_cache_of(flow_store_of(e, s), f.found, name, &nv, &sp) : NULL;
		if (c && (!key || !key[0])) {
			*out = flow_cache_total(c, now_ms);
			ok = true;
		} else if (c) {
			ok = cache_find_text(c, sp, key, now_ms, out);
		}
	}
	free(ag);
	return ok;
}

int flow_engine_flowvalue(struct flow_engine *e, const struct store_set *ss, const char *agent,
			  const char *ds_name, const char *key, uint64_t now_ms, double *out,
			  char *err, size_t errlen)
{
	const char *dot = strrchr(ds_name, '.');
	char ds[STORE_DS_NAME_MAX];
	bool found = false;

	if (!dot || dot == ds_name || (size_t)(dot - ds_name) >= sizeof(ds)) {
		snprintf(err, errlen, "expected {datasource}.{flow name}: %.80s", ds_name);
		return -1;
	}
	memcpy(ds, ds_name, (size_t)(dot - ds_name));
	ds[dot - ds_name] = '\0';
	*out = 0;
	for (unsigned i = 0; ss && i < ss->n && !found; i++) {
		struct store *s = ss->v[i];

		if (!s)
			continue;
		pthread_mutex_lock(&s->mu);
		found = flow_value_in(e, s, agent, ds, dot + 1, key, now_ms, out);
		pthread_mutex_unlock(&s->mu);
	}
	if (!found)
		snprintf(err, errlen, "no flow %.64s on %.48s %.64s", dot + 1, agent, ds);
	return found ? 0 : -1;
}

cJSON *flow_engine_flowkeys_json(struct flow_engine *e, const struct store_set *ss, uint64_t now_ms)
{
	cJSON *out = cJSON_CreateObject();

	for (unsigned i = 0; ss && i < ss->n; i++) {
		const struct flow_store *fst;

		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		fst = flow_store_of(e, ss->v[i]);
		for (uint32_t k = 0; fst && k < fst->nseen; k++) {
			double age = (double)query_age(now_ms, fst->seen[k].last_ms);
			cJSON *j = cJSON_GetObjectItemCaseSensitive(out, fst->seen[k].name);

			if (!j)
				cJSON_AddNumberToObject(out, fst->seen[k].name, age);
			else if (age < j->valuedouble)
				cJSON_SetNumberValue(j, age);
		}
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	return out;
}

struct each_walk {
	const struct flow_store *fst;
	const char *name;
	uint64_t now_ms;
	flow_engine_flow_cb *cb;
	void *arg;
	struct flow_cache_item *items;
	size_t nitems;
};

static void each_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct each_walk *w = arg;
	uint32_t nv = 1;
	const struct flow_spec *sp;
	const struct flow_cache *c = ds_cache_of(w->fst, d, w->name, &nv, &sp);
	char key[FLOW_KEY_TEXT_MAX];
	size_t n;

	if (!c)
		return;
	n = flow_cache_top(c, w->now_ms, w->items, w->nitems);
	for (size_t i = 0; i < n; i++) {
		struct flow_engine_flow f = {
			a->name, d->name, key, w->items[i].value[0], &w->items[i].value[1], nv
		};

		if (flow_spec_key_format(sp, w->items[i].key, w->items[i].key_len, key,
					 sizeof(key)) >= 0)
			w->cb(w->arg, &f);
	}
}

int flow_engine_each_flow(struct flow_engine *e, const struct store_set *ss, const char *name,
			  uint64_t now_ms, flow_engine_flow_cb *cb, void *arg)
{
	struct query_agents all = { .all = true };
	struct each_walk w = { NULL, name, now_ms, cb, arg, NULL, e->cfg.cache_max };

	if (!flow_engine_has(e, name))
		return -1;
	w.items = calloc(w.nitems, sizeof(*w.items));
	if (!w.items)
		abort();
	for (unsigned i = 0; ss && i < ss->n; i++) {
		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		w.fst = flow_store_of(e, ss->v[i]);
		query_walk_store(ss->v[i], &all, NULL, each_ds, &w);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	free(w.items);
	return 0;
}

struct stats_walk {
	uint64_t flows, bytes, evictions, caches;
};

static void stats_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct stats_walk *t = arg;
	const struct flow_ds *fd = d->flow;

	(void)a;
	for (uint32_t i = 0; fd && i < fd->n; i++) {
		const struct flow_cache *c = fd->slot[i].cache;

		if (!c)
			continue;
		t->caches++;
		t->flows += flow_cache_len(c);
		t->bytes += flow_cache_bytes(c);
		t->evictions += flow_cache_evictions(c);
	}
}

void flow_engine_stats_json(struct flow_engine *e, const struct store_set *ss, cJSON *out)
{
	struct query_agents all = { .all = true };
	struct stats_walk t = { 0 };
	uint64_t samples = 0, matched = 0, failures = 0;

	for (unsigned i = 0; ss && i < ss->n; i++) {
		const struct flow_store *fst;

		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		fst = flow_store_of(e, ss->v[i]);
		if (fst) {
			samples += fst->samples;
			matched += fst->matched;
			failures += fst->cache_failures;
		}
		query_walk_store(ss->v[i], &all, NULL, stats_ds, &t);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	struct flow_snap *sn = flow_snap_get(e);

	cJSON_AddNumberToObject(out, "flowDefinitions", (double)sn->ndefs);
	flow_snap_put(sn);
	cJSON_AddNumberToObject(out, "flowSamplesEvaluated", (double)samples);
	cJSON_AddNumberToObject(out, "flowSamplesMatched", (double)matched);
	cJSON_AddNumberToObject(out, "flowCacheFailures", (double)failures);
	cJSON_AddNumberToObject(out, "flowCaches", (double)t.caches);
	cJSON_AddNumberToObject(out, "flowEntries", (double)t.flows);
	cJSON_AddNumberToObject(out, "flowEntriesBytes", (double)t.bytes);
	cJSON_AddNumberToObject(out, "flowCacheEvictions", (double)t.evictions);
}
