/*
 * analyzer/threshold.c: see threshold.h.
 *
 * States live in an open-addressing table keyed by "threshold, agent, data
 * source, flow key"; the tick marks what it sees and drops what it has not
 * seen for the threshold's timeout (re-arming it), rebuilding the table.
 */
#include "analyzer/threshold.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/clock.h"
#include "analyzer/events.h"
#include "analyzer/flow_engine.h"
#include "analyzer/query.h"

#define THRESHOLD_NAME_MAX   64
#define THRESHOLD_METRIC_MAX 160
#define THRESHOLD_TIMEOUT_S  60.0

struct threshold {
	char name[THRESHOLD_NAME_MAX];
	char metric[THRESHOLD_METRIC_MAX];
	double value;
	bool by_flow;
	double timeout_s;
	cJSON *filter;                       /* as given, or NULL */
	struct query_filter qf;              /* points into filter */
	char numbers[QUERY_MAX_FILTERS][32]; /* numeric filter values as text */
};

struct tstate {
	char *key; /* NULL: empty slot */
	uint64_t hash;
	bool fired;              /* not armed: an event was raised */
	uint64_t below_since_ms; /* fired and at or below since then (0: not) */
	uint64_t seen_ms;
	uint64_t timeout_ms;
};

struct thresholds {
	const struct store_set *ss;
	struct flow_engine *flows;
	struct events *ev;
	pthread_mutex_t mu;
	struct threshold *v[THRESHOLD_MAX];
	size_t n;
	struct tstate *st;
	size_t st_cap, st_n;
	uint64_t evicted;
	pthread_t thread;
	bool running;
	atomic_bool stop;
};

static void threshold_free(struct threshold *th)
{
	if (th)
		cJSON_Delete(th->filter);
	free(th);
}

struct thresholds *thresholds_new(const struct store_set *ss, struct flow_engine *flows,
				  struct events *ev)
{
	struct thresholds *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ss = ss;
	t->flows = flows;
	t->ev = ev;
	t->st_cap = 1024;
	t->st = calloc(t->st_cap, sizeof(*t->st));
	if (!t->st) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->mu, NULL);
	return t;
}

void thresholds_free(struct thresholds *t)
{
	if (!t)
		return;
	if (t->running) {
		atomic_store(&t->stop, true);
		pthread_join(t->thread, NULL);
	}
	for (size_t i = 0; i < t->n; i++)
		threshold_free(t->v[i]);
	for (size_t i = 0; i < t->st_cap; i++)
		free(t->st[i].key);
	free(t->st);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* filter {name: [value, ...]} into th->qf; false with a reason. */
static bool parse_filter(struct threshold *th, const cJSON *f, char *err, size_t errlen)
{
	const cJSON *k, *v;

	if (!f)
		return true;
	if (!cJSON_IsObject(f)) {
		snprintf(err, errlen, "filter: expected {name: [value, ...]}");
		return false;
	}
	th->filter = cJSON_Duplicate(f, true);
	cJSON_ArrayForEach(k, th->filter)
	{
		if (!cJSON_IsArray(k)) {
			snprintf(err, errlen, "filter: %.64s: expected an array of values",
				 k->string);
			return false;
		}
		cJSON_ArrayForEach(v, k)
		{
			size_t i = th->qf.n;

			if (i == QUERY_MAX_FILTERS || !(cJSON_IsString(v) || cJSON_IsNumber(v))) {
				snprintf(err, errlen,
					 i == QUERY_MAX_FILTERS ?
						 "filter: too many values" :
						 "filter: values must be strings or numbers");
				return false;
			}
			if (cJSON_IsNumber(v))
				snprintf(th->numbers[i], sizeof(th->numbers[i]), "%.15g",
					 v->valuedouble);
			th->qf.kv[i].name = k->string;
			th->qf.kv[i].value = cJSON_IsString(v) ? v->valuestring : th->numbers[i];
			th->qf.n++;
		}
	}
	return true;
}

static struct threshold *parse_threshold(const char *name, const cJSON *body, char *err,
					 size_t errlen)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "metric");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "value");
	const cJSON *bf = cJSON_GetObjectItemCaseSensitive(body, "byFlow");
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(body, "timeout");
	struct threshold *th = calloc(1, sizeof(*th));

	if (!th)
		return NULL;
	snprintf(th->name, sizeof(th->name), "%s", name);
	th->timeout_s = THRESHOLD_TIMEOUT_S;
	if (!cJSON_IsObject(body))
		snprintf(err, errlen, "expected a threshold object");
	else if (!cJSON_IsString(m) || !m->valuestring[0] ||
		 strlen(m->valuestring) >= THRESHOLD_METRIC_MAX)
		snprintf(err, errlen, "metric: expected a metric or flow name");
	else if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		snprintf(err, errlen, "value: expected a number");
	else if (bf && !cJSON_IsBool(bf))
		snprintf(err, errlen, "byFlow: expected true or false");
	else if (to && (!cJSON_IsNumber(to) || !(to->valuedouble >= 0) || to->valuedouble > 86400))
		snprintf(err, errlen, "timeout: expected seconds, 0 to 86400");
	else if (parse_filter(th, cJSON_GetObjectItemCaseSensitive(body, "filter"), err, errlen)) {
		snprintf(th->metric, sizeof(th->metric), "%s", m->valuestring);
		th->value = v->valuedouble;
		th->by_flow = cJSON_IsTrue(bf);
		th->timeout_s = to ? to->valuedouble : THRESHOLD_TIMEOUT_S;
		return th;
	}
	threshold_free(th);
	return NULL;
}

static int find(const struct thresholds *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i]->name, name) == 0)
			return (int)i;
	return -1;
}

int thresholds_set(struct thresholds *t, const char *name, const cJSON *body, char *err,
		   size_t errlen)
{
	struct threshold *th;
	int i;

	if (!name || !name[0] || strlen(name) >= THRESHOLD_NAME_MAX) {
		snprintf(err, errlen, "name must be 1 to %d bytes", THRESHOLD_NAME_MAX - 1);
		return -1;
	}
	th = parse_threshold(name, body, err, errlen);
	if (!th)
		return -1;
	pthread_mutex_lock(&t->mu);
	i = find(t, name);
	if (i < 0 && t->n == THRESHOLD_MAX) {
		pthread_mutex_unlock(&t->mu);
		threshold_free(th);
		snprintf(err, errlen, "more than %d thresholds", THRESHOLD_MAX);
		return -1;
	}
	if (i >= 0)
		threshold_free(t->v[i]);
	t->v[i >= 0 ? (size_t)i : t->n++] = th;
	pthread_mutex_unlock(&t->mu);
	return 0;
}

int thresholds_delete(struct thresholds *t, const char *name)
{
	int i;

	pthread_mutex_lock(&t->mu);
	i = find(t, name);
	if (i >= 0) {
		threshold_free(t->v[i]);
		t->v[i] = t->v[--t->n];
	}
	pthread_mutex_unlock(&t->mu);
	return i >= 0 ? 0 : -1;
}

static cJSON *threshold_json(const struct threshold *th)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "metric", th->metric);
	cJSON_AddNumberToObject(o, "value", th->value);
	cJSON_AddBoolToObject(o, "byFlow", th->by_flow);
	cJSON_AddNumberToObject(o, "timeout", th->timeout_s);
	if (th->filter)
		cJSON_AddItemToObject(o, "filter", cJSON_Duplicate(th->filter, true));
	return o;
}

cJSON *thresholds_get_json(struct thresholds *t, const char *name)
{
	cJSON *j = NULL;
	int i;

	pthread_mutex_lock(&t->mu);
	i = find(t, name);
	if (i >= 0)
		j = threshold_json(t->v[i]);
	pthread_mutex_unlock(&t->mu);
	return j;
}

cJSON *thresholds_list_json(struct thresholds *t)
{
	cJSON *o = cJSON_CreateObject();

	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->n; i++)
		cJSON_AddItemToObject(o, t->v[i]->name, threshold_json(t->v[i]));
	pthread_mutex_unlock(&t->mu);
	return o;
}

/* ---- states and the check ----------------------------------------------- */

static uint64_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ull;

	for (; *k; k++)
		h = (h ^ (uint8_t)*k) * 1099511628211ull;
	return h;
}

/* The state of key, or NULL. */
static struct tstate *state_find(const struct thresholds *t, const char *key)
{
	uint64_t h = key_hash(key);

	for (size_t i = h & (t->st_cap - 1); t->st_cap && t->st[i].key;
	     i = (i + 1) & (t->st_cap - 1))
		if (t->st[i].hash == h && strcmp(t->st[i].key, key) == 0)
			return &t->st[i];
	return NULL;
}

/* The state of key (created armed); NULL at the cap (counted). */
static struct tstate *state_of(struct thresholds *t, const char *key, uint64_t timeout_ms)
{
	uint64_t h = key_hash(key);
	size_t i = h & (t->st_cap - 1);
	struct tstate *s;

	for (; t->st[i].key; i = (i + 1) & (t->st_cap - 1))
		if (t->st[i].hash == h && strcmp(t->st[i].key, key) == 0)
			return &t->st[i];
	if (t->st_n >= THRESHOLD_STATES_MAX || 2 * (t->st_n + 1) > t->st_cap) {
		t->evicted++; /* the table grows at the next tick's rebuild */
		return NULL;
	}
	s = &t->st[i];
	s->key = strdup(key);
	if (!s->key)
		return NULL;
	s->hash = h;
	s->fired = false;
	s->below_since_ms = 0;
	s->timeout_ms = timeout_ms;
	t->st_n++;
	return s;
}

struct check {
	struct thresholds *t;
	const struct threshold *th;
	uint64_t now_ms;
};

/* One observed value of (agent, ds[, key]). */
static void observe(struct check *c, const char *agent, const char *ds, const char *flow_key,
		    double value, const double *values, uint32_t nvalues)
{
	const struct threshold *th = c->th;
	uint64_t timeout_ms = (uint64_t)(th->timeout_s * 1000);
	char key[THRESHOLD_NAME_MAX + THRESHOLD_METRIC_MAX + 700];
	struct tstate *s;

	snprintf(key, sizeof(key), "%s\x1f%s\x1f%s\x1f%s", th->name, agent, ds,
		 flow_key ? flow_key : "");
	s = state_of(c->t, key, timeout_ms);
	if (!s)
		return;
	s->seen_ms = c->now_ms;
	s->timeout_ms = timeout_ms;
	if (value > th->value) {
		struct event e = { c->now_ms, th->name,  th->metric, agent,  ds,
				   flow_key,  th->value, value,      values, nvalues };

		if (!s->fired)
			events_push(c->t->ev, &e);
		s->fired = true;
		s->below_since_ms = 0;
	} else if (s->fired && s->below_since_ms == 0) {
		s->below_since_ms = c->now_ms;
	}
	if (s->fired && s->below_since_ms && c->now_ms - s->below_since_ms >= timeout_ms)
		s->fired = false; /* re-armed */
}

static void counter_item(void *arg, const struct query_item *it)
{
	if (!it->is_string)
		observe(arg, it->agent, it->datasource, NULL, it->value, NULL, 0);
}

static void flow_item(void *arg, const struct flow_engine_flow *f)
{
	observe(arg, f->agent, f->datasource, f->key, f->value, f->values,
		f->nvalues > 0 ? f->nvalues - 1 : 0);
}

/* Drop states not seen within their timeout (a vanished source or flow
 * re-arms) and rebuild the table, grown when it is getting full. */
static void states_sweep(struct thresholds *t, uint64_t now_ms)
{
	size_t cap = t->st_cap, n = 0;
	struct tstate *old = t->st, *nt;

	while (4 * t->st_n > cap && cap < 4 * (size_t)THRESHOLD_STATES_MAX)
		cap *= 2;
	nt = calloc(cap, sizeof(*nt));
	if (!nt)
		return;
	for (size_t i = 0; i < t->st_cap; i++) {
		struct tstate *s = &old[i];
		size_t j;

		if (!s->key)
			continue;
		if (now_ms - s->seen_ms > s->timeout_ms + 1000) {
			free(s->key);
			continue;
		}
		for (j = s->hash & (cap - 1); nt[j].key; j = (j + 1) & (cap - 1))
			;
		nt[j] = *s;
		n++;
	}
	free(old);
	t->st = nt;
	t->st_cap = cap;
	t->st_n = n;
}

void thresholds_tick(struct thresholds *t, uint64_t now_ms)
{
	char err[128];

	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->n; i++) {
		struct check c = { t, t->v[i], now_ms };

		if (c.th->by_flow && t->flows && flow_engine_has(t->flows, c.th->metric))
			flow_engine_each_flow(t->flows, t->ss, c.th->metric, now_ms, flow_item, &c);
		else
			query_dump_each(t->ss, "ALL", c.th->metric, &c.th->qf, now_ms, false,
					counter_item, &c, err, sizeof(err));
	}
	states_sweep(t, now_ms);
	pthread_mutex_unlock(&t->mu);
}

void thresholds_counts(struct thresholds *t, uint64_t *states, uint64_t *evicted)
{
	pthread_mutex_lock(&t->mu);
	*states = t->st_n;
	*evicted = t->evicted;
	pthread_mutex_unlock(&t->mu);
}

static void *tick_thread(void *arg)
{
	struct thresholds *t = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&t->stop)) {
		next.tv_sec++;
		while (!atomic_load(&t->stop) &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0)
			;
		if (!atomic_load(&t->stop))
			thresholds_tick(t, clock_now_ms());
	}
	return NULL;
}

int thresholds_start(struct thresholds *t, char *err, size_t errlen)
{
	if (pthread_create(&t->thread, NULL, tick_thread, t) != 0) {
		snprintf(err, errlen, "thresholds: cannot start the check thread");
		return -1;
	}
	t->running = true;
	return 0;
}

bool thresholds_triggered(struct thresholds *t, const char *name, const char *agent,
			  const char *ds_metric, const char *flow_key)
{
	char key[THRESHOLD_NAME_MAX + THRESHOLD_METRIC_MAX + 700];
	const struct tstate *st = NULL;
	int i;

	pthread_mutex_lock(&t->mu);
	i = find(t, name);
	if (i >= 0) {
		const char *metric = t->v[i]->metric;
		size_t dlen = strlen(ds_metric), mlen = strlen(metric);
		int ds_len = dlen > mlen && ds_metric[dlen - mlen - 1] == '.' &&
				     strcmp(ds_metric + dlen - mlen, metric) == 0 ?
			     (int)(dlen - mlen - 1) :
			     (int)strcspn(ds_metric, ".");

		snprintf(key, sizeof(key), "%s\x1f%s\x1f%.*s\x1f%s", name, agent, ds_len, ds_metric,
			 flow_key ? flow_key : "");
		st = state_find(t, key);
	}
	pthread_mutex_unlock(&t->mu);
	return st && st->fired;
}
