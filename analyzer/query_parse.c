/*
 * analyzer/query_parse.c: the agents and metrics path segments of the
 * metric queries, filters, and the walk over selected data sources.
 */
#include "analyzer/query_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_sep(char c, bool semicolon)
{
	return c == ',' || (semicolon && c == ';');
}

/* Next token of s at *pos, trimmed of blanks; its length, or 0 at the end. */
static size_t next_token(const char *s, size_t *pos, bool semicolon, const char **tok)
{
	size_t i = *pos, start, end;

	while (s[i] && (is_sep(s[i], semicolon) || s[i] == ' '))
		i++;
	start = i;
	while (s[i] && !is_sep(s[i], semicolon))
		i++;
	end = i;
	while (end > start && s[end - 1] == ' ')
		end--;
	*pos = i;
	*tok = s + start;
	return end - start;
}

int query_parse_agents(const char *s, struct query_agents *out, char *err, size_t errlen)
{
	const char *tok;
	size_t pos = 0, len;

	memset(out, 0, offsetof(struct query_agents, name));
	if (!s) {
		snprintf(err, errlen, "no agent");
		return -1;
	}
	while ((len = next_token(s, &pos, true, &tok)) > 0) {
		if (len == 3 && memcmp(tok, "ALL", 3) == 0) {
			out->all = true;
			continue;
		}
		if (len >= STORE_ADDR_MAX) {
			snprintf(err, errlen, "agent too long: %.*s", (int)(len > 60 ? 60 : len), tok);
			return -1;
		}
		if (out->n == QUERY_MAX_AGENTS) {
			snprintf(err, errlen, "more than %d agents", QUERY_MAX_AGENTS);
			return -1;
		}
		memcpy(out->name[out->n], tok, len);
		out->name[out->n++][len] = '\0';
	}
	if (!out->all && out->n == 0) {
		snprintf(err, errlen, "no agent");
		return -1;
	}
	return 0;
}

/* "load_one:-10" → name and ±N; a missing N means descending, all rows. */
static int parse_sort(struct query_metric *m, char *rest, char *err, size_t errlen)
{
	char *colon = strrchr(rest, ':'), *end;
	long n;

	m->sort = true;
	m->sort_desc = true;
	if (!colon)
		return 0;
	errno = 0;
	n = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno == ERANGE) {
		snprintf(err, errlen, "bad sort count: %s", colon + 1);
		return -1;
	}
	*colon = '\0';
	m->sort_desc = n < 0 || colon[1] == '-';
	m->sort_n = n < 0 ? -n : n;
	return 0;
}

/* Strip "agg:", "sort:", "null:" prefixes into m; returns the rest. */
static char *parse_prefix(struct query_metric *m, char *t, enum query_mode mode, char *err,
			  size_t errlen)
{
	char *colon = strchr(t, ':');

	m->agg = STATS_MAX;
	if (!colon)
		return t;
	if (mode == QUERY_MODE_TABLE && colon - t == 4 && memcmp(t, "sort", 4) == 0)
		return parse_sort(m, colon + 1, err, errlen) == 0 ? colon + 1 : NULL;
	if (mode == QUERY_MODE_TABLE && colon - t == 4 && memcmp(t, "null", 4) == 0) {
		m->nullable = true;
		return colon + 1;
	}
	if (stats_agg_parse(t, (size_t)(colon - t), &m->agg) == -1) {
		snprintf(err, errlen, "unknown aggregation: %.*s", (int)(colon - t), t);
		return NULL;
	}
	return colon + 1;
}

static int parse_metric(struct query_metric *m, const char *tok, size_t len,
			enum query_mode mode, char *err, size_t errlen)
{
	char t[QUERY_TOKEN_MAX], *name, *dot;

	memset(m, 0, sizeof(*m));
	if (len >= QUERY_TOKEN_MAX) {
		snprintf(err, errlen, "metric too long: %.40s...", tok);
		return -1;
	}
	memcpy(t, tok, len);
	t[len] = '\0';
	memcpy(m->text, t, len + 1);
	name = parse_prefix(m, t, mode, err, errlen);
	if (!name)
		return -1;
	if (mode == QUERY_MODE_DUMP && strcmp(name, "ALL") == 0) {
		m->all = true;
		metrics_name_slots("", m->slots);
		return 0;
	}
	dot = strrchr(name, '.');
	if (dot) {
		if (dot == name || (size_t)(dot - name) >= STORE_DS_NAME_MAX) {
			snprintf(err, errlen, "bad data source in metric: %s", m->text);
			return -1;
		}
		memcpy(m->ds, name, (size_t)(dot - name));
		name = dot + 1;
	}
	if (!*name) {
		snprintf(err, errlen, "empty metric name: %s", m->text);
		return -1;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	metrics_name_slots(m->name, m->slots);
	return 0;
}

int query_parse_metrics(const char *s, enum query_mode mode, struct query_metrics *out,
			char *err, size_t errlen)
{
	const char *tok;
	size_t pos = 0, len;

	out->n = 0;
	if (!s) {
		snprintf(err, errlen, "no metric");
		return -1;
	}
	while ((len = next_token(s, &pos, mode != QUERY_MODE_METRIC, &tok)) > 0) {
		if (out->n == QUERY_MAX_METRICS) {
			snprintf(err, errlen, "more than %d metrics", QUERY_MAX_METRICS);
			return -1;
		}
		if (parse_metric(&out->m[out->n], tok, len, mode, err, errlen) == -1)
			return -1;
		out->n++;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "no metric");
		return -1;
	}
	return 0;
}

bool query_glob(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static bool value_matches(const struct store_ds *d, const char *name, const char *pattern)
{
	const struct store_val *v = store_ds_find(d, name);
	char num[64];

	if (!v || !pattern)
		return false;
	if (v->str)
		return query_glob(pattern, v->str);
	snprintf(num, sizeof(num), "%.15g", v->num);
	return query_glob(pattern, num);
}

bool query_filter_ok(const struct query_filter *f, const struct store_ds *d)
{
	size_t n;

	if (!f)
		return true;
	n = f->n < QUERY_MAX_FILTERS ? f->n : QUERY_MAX_FILTERS;
	for (size_t i = 0; i < n; i++) {
		bool seen = false, any = false;

		if (!f->kv[i].name)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = f->kv[j].name && strcmp(f->kv[j].name, f->kv[i].name) == 0;
		if (seen)
			continue; /* this name's group was decided at its first entry */
		for (size_t j = i; j < n && !any; j++)
			any = f->kv[j].name && strcmp(f->kv[j].name, f->kv[i].name) == 0 &&
			      value_matches(d, f->kv[i].name, f->kv[j].value);
		if (!any)
			return false;
	}
	return true;
}

const struct store_val *query_metric_find(const struct query_metric *m,
					  const struct store_ds *d)
{
	if (m->ds[0] && strcmp(m->ds, d->name) != 0)
		return NULL;
	static _Thread_local struct store_val flow_val;
	const struct store_val *v = store_ds_find_slots(d, m->name, m->slots);
	const struct store *s = d->agent->store;

	if (v || !d->flow || !s->hook.value)
		return v;
	/* a flow definition's value on this data source (flow_engine.h) */
	memset(&flow_val, 0, sizeof(flow_val));
	if (!s->hook.value(s->hook.arg, d->flow, m->name, &flow_val.num))
		return NULL;
	flow_val.valid = true;
	flow_val.updated_ms = d->last_ms;
	return &flow_val;
}

static bool agent_selected(const struct query_agents *ag, const struct store_agent *a)
{
	if (ag->all)
		return true;
	for (size_t i = 0; i < ag->n; i++)
		if (strcmp(ag->name[i], a->name) == 0)
			return true;
	return false;
}

struct walk {
	const struct query_agents *ag;
	const struct query_filter *f;
	query_ds_fn *fn;
	void *arg;
};

static void walk_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct walk *w = arg;

	if (query_filter_ok(w->f, d))
		w->fn(w->arg, a, d);
}

static void walk_agent(void *arg, const struct store_agent *a)
{
	struct walk *w = arg;

	if (agent_selected(w->ag, a))
		store_each_ds(a, walk_ds, w);
}

void query_walk_store(const struct store *s, const struct query_agents *ag,
		      const struct query_filter *f, query_ds_fn *fn, void *arg)
{
	struct walk w = { ag, f, fn, arg };

	store_each_agent(s, walk_agent, &w);
}

void query_walk(const struct store_set *ss, const struct query_agents *ag,
		const struct query_filter *f, query_ds_fn *fn, void *arg)
{
	for (unsigned i = 0; ss && i < ss->n; i++) {
		struct store *s = ss->v[i];

		if (!s)
			continue;
		pthread_mutex_lock(&s->mu);
		query_walk_store(s, ag, f, fn, arg);
		pthread_mutex_unlock(&s->mu);
	}
}

cJSON *query_metric_object(const struct store_agent *a, const struct store_ds *d,
			   const char *name, const struct store_val *v, uint64_t now_ms)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "agent", a->name);
	cJSON_AddStringToObject(o, "dataSource", d->name);
	cJSON_AddStringToObject(o, "metricName", name);
	if (v->str)
		cJSON_AddStringToObject(o, "metricValue", v->str);
	else
		cJSON_AddNumberToObject(o, "metricValue", v->num);
	cJSON_AddNumberToObject(o, "lastUpdate", (double)query_age(now_ms, v->updated_ms));
	return o;
}
