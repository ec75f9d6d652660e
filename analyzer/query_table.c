/*
 * analyzer/query_table.c: the per-data-source queries: /dump (Metric
 * objects), /table (rows of Metric or null, sorted and truncated),
 * /metric/{agent}/json and the exporter walk query_dump_each().
 *
 * A table row is one data source of a selected agent: its cells are the
 * columns' metrics in that data source. A row is kept when every column
 * that is not null: has a value; rows are sorted by the first sort:
 * column (rows without a sort value last) and cut to its N.
 */
#include "analyzer/query.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/query_internal.h"

struct dump_ctx {
	const struct query_metrics *ms;
	uint64_t now_ms;
	cJSON *out;
	size_t n;                 /* Metric objects in out (capped) */
	query_item_cb *cb;
	void *arg;
	bool labels;              /* cb wants host and ifname */
};

struct emit_ctx {
	struct dump_ctx *c;
	const struct store_agent *a;
	const struct store_ds *d;
	const char *host, *ifname;  /* the exporter's labels, found once per ds */
};

static const char *ds_string(const struct store_ds *d, const char *name)
{
	const struct store_val *v = d ? store_ds_find(d, name) : NULL;

	return v ? v->str : NULL;
}

static void emit(void *arg, const char *name, const struct store_val *v)
{
	struct emit_ctx *e = arg;
	struct dump_ctx *c = e->c;
	struct query_item it;

	if (c->out) {
		if (c->n < QUERY_DUMP_MAX) {
			cJSON_AddItemToArray(c->out, query_metric_object(e->a, e->d, name, v, c->now_ms));
			c->n++;
		}
		return;
	}
	if (!c->cb)
		return;
	memset(&it, 0, sizeof(it));
	it.agent = e->a->name;
	it.datasource = e->d->name;
	it.name = name;
	it.is_string = v->str != NULL;
	it.value = v->num;
	it.str = v->str;
	it.host = e->host;
	it.ifname = e->ifname;
	it.age_ms = query_age(c->now_ms, v->updated_ms);
	c->cb(c->arg, &it);
}

static void dump_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct dump_ctx *c = arg;
	struct emit_ctx e = { c, a, d, NULL, NULL };

	if (c->cb && c->labels) {
		e.host = ds_string(store_agent_find_ds(a, SFL_DS_PHYSICAL, 1), "host_name");
		e.ifname = ds_string(d, "ifname");
	}

	for (size_t i = 0; i < c->ms->n; i++) {
		const struct query_metric *m = &c->ms->m[i];
		const struct store_val *v;

		if (m->all) {
			store_ds_each_metric(d, emit, &e);
			continue;
		}
		v = query_metric_find(m, d);
		if (v)
			emit(&e, m->name, v);
	}
}

static int dump_run(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, struct dump_ctx *c, char *err, size_t errlen)
{
	struct query_agents *ag = malloc(sizeof(*ag));
	struct query_metrics *ms = malloc(sizeof(*ms));
	int rc = -1;

	if (!ag || !ms)
		abort();
	if (query_parse_agents(agents, ag, err, errlen) == 0 &&
	    query_parse_metrics(metrics, QUERY_MODE_DUMP, ms, err, errlen) == 0) {
		c->ms = ms;
		query_walk(ss, ag, f, dump_ds, c);
		rc = 0;
	}
	free(ag);
	free(ms);
	return rc;
}

int query_dump_json(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		    size_t errlen)
{
	struct dump_ctx c = { .now_ms = now_ms, .out = cJSON_CreateArray() };

	*out = NULL;
	if (dump_run(ss, agents, metrics, f, &c, err, errlen) == -1) {
		cJSON_Delete(c.out);
		return -1;
	}
	*out = c.out;
	return 0;
}

int query_dump_each(const struct store_set *ss, const char *agents, const char *metrics,
		    const struct query_filter *f, uint64_t now_ms, bool labels, query_item_cb *cb,
		    void *arg, char *err, size_t errlen)
{
	struct dump_ctx c = { .now_ms = now_ms, .cb = cb, .arg = arg, .labels = labels };

	if (!cb) {
		snprintf(err, errlen, "no callback");
		return -1;
	}
	return dump_run(ss, agents, metrics, f, &c, err, errlen);
}

struct row {
	cJSON *cells;
	bool has_key;
	double key;
	const char *skey;   /* points into cells (string sort values) */
};

struct table_ctx {
	const struct query_metrics *ms;
	int sort_col;       /* -1: unsorted */
	uint64_t now_ms;
	struct row *rows;
	size_t n, cap;
	bool truncated;
};

static void table_key(struct row *r, const struct store_val *v, cJSON *cell)
{
	r->has_key = true;
	if (v->str)
		r->skey = cJSON_GetObjectItemCaseSensitive(cell, "metricValue")->valuestring;
	else
		r->key = v->num;
}

static void table_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct table_ctx *t = arg;
	struct row r = { cJSON_CreateArray(), false, 0, NULL };
	size_t cells = 0;

	for (size_t i = 0; i < t->ms->n; i++) {
		const struct query_metric *m = &t->ms->m[i];
		const struct store_val *v = query_metric_find(m, d);
		cJSON *cell;

		if (!v && !m->nullable)
			goto drop;
		cell = v ? query_metric_object(a, d, m->name, v, t->now_ms) : cJSON_CreateNull();
		cJSON_AddItemToArray(r.cells, cell);
		if (v && (int)i == t->sort_col)
			table_key(&r, v, cell);
		cells += v != NULL;
	}
	if (cells == 0 || t->n == QUERY_ROWS_MAX) {
		t->truncated = t->truncated || cells;
		goto drop;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->rows = realloc(t->rows, t->cap * sizeof(*t->rows));
		if (!t->rows)
			abort();
	}
	t->rows[t->n++] = r;
	return;
drop:
	cJSON_Delete(r.cells);
}

static int row_cmp(const void *pa, const void *pb, void *desc)
{
	const struct row *a = pa, *b = pb;
	int c;

	if (a->has_key != b->has_key)
		return a->has_key ? -1 : 1; /* rows without a value last */
	if (!a->has_key)
		return 0;
	if (a->skey || b->skey)
		c = strcmp(a->skey ? a->skey : "", b->skey ? b->skey : "");
	else
		c = (a->key > b->key) - (a->key < b->key);
	return *(const bool *)desc ? -c : c;
}

static void table_finish(struct table_ctx *t, cJSON *out)
{
	size_t keep = t->n;

	if (t->sort_col >= 0 && t->n > 0) {
		const struct query_metric *m = &t->ms->m[t->sort_col];
		bool desc = m->sort_desc;

		qsort_r(t->rows, t->n, sizeof(*t->rows), row_cmp, &desc);
		if (m->sort_n > 0 && (size_t)m->sort_n < keep)
			keep = (size_t)m->sort_n;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (i < keep)
			cJSON_AddItemToArray(out, t->rows[i].cells);
		else
			cJSON_Delete(t->rows[i].cells);
	}
	free(t->rows);
}

int query_table_json(const struct store_set *ss, const char *agents, const char *columns,
		     const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		     size_t errlen)
{
	struct query_agents *ag = malloc(sizeof(*ag));
	struct query_metrics *ms = malloc(sizeof(*ms));
	struct table_ctx t = { .ms = ms, .sort_col = -1, .now_ms = now_ms };
	int rc = -1;

	*out = NULL;
	if (!ag || !ms)
		abort();
	if (query_parse_agents(agents, ag, err, errlen) == -1 ||
	    query_parse_metrics(columns, QUERY_MODE_TABLE, ms, err, errlen) == -1)
		goto done;
	for (size_t i = 0; i < ms->n && t.sort_col < 0; i++)
		if (ms->m[i].sort)
			t.sort_col = (int)i;
	query_walk(ss, ag, f, table_ds, &t);
	*out = cJSON_CreateArray();
	table_finish(&t, *out);
	rc = 0;
done:
	free(ag);
	free(ms);
	return rc;
}

struct agent_metrics_ctx {
	cJSON *out;
	const struct store_ds *d;
};

static void agent_metric(void *arg, const char *name, const struct store_val *v)
{
	struct agent_metrics_ctx *c = arg;
	char key[STORE_DS_NAME_MAX + QUERY_TOKEN_MAX];

	snprintf(key, sizeof(key), "%s.%s", c->d->name, name);
	if (cJSON_GetObjectItemCaseSensitive(c->out, key))
		return; /* the same name from another sub-agent: first wins */
	if (v->str)
		cJSON_AddStringToObject(c->out, key, v->str);
	else
		cJSON_AddNumberToObject(c->out, key, v->num);
}

static void agent_metrics_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct agent_metrics_ctx c = { arg, d };

	(void)a;
	store_ds_each_metric(d, agent_metric, &c);
}

struct agent_seen {
	const char *name;
	bool seen;
};

static void agent_seen(void *arg, const struct store_agent *a)
{
	struct agent_seen *s = arg;

	s->seen = s->seen || strcmp(a->name, s->name) == 0;
}

cJSON *query_agent_metrics_json(const struct store_set *ss, const char *agent, uint64_t now_ms)
{
	struct query_agents *ag = malloc(sizeof(*ag));
	struct agent_seen seen = { agent, false };
	cJSON *out = NULL;
	char err[128];

	(void)now_ms;
	if (!ag)
		abort();
	if (!agent || strchr(agent, ',') || strchr(agent, ';') ||
	    query_parse_agents(agent, ag, err, sizeof(err)) == -1 || ag->all)
		goto done;
	for (unsigned i = 0; ss && i < ss->n; i++) {
		if (!ss->v[i])
			continue;
		pthread_mutex_lock(&ss->v[i]->mu);
		store_each_agent(ss->v[i], agent_seen, &seen);
		pthread_mutex_unlock(&ss->v[i]->mu);
	}
	if (!seen.seen)
		goto done;
	out = cJSON_CreateObject();
	query_walk(ss, ag, NULL, agent_metrics_ds, out);
done:
	free(ag);
	return out;
}
