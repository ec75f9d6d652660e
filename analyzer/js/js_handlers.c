/*
 * analyzer/js/js_handlers.c: what reaches a script from other threads,
 * through its bounded queues (js_queue.h): logged flows
 * (setFlowHandler), threshold events (setEventHandler) and HTTP requests
 * (setHttpHandler, js_http_submit); and the script-thread side that
 * turns each into a handler call.
 *
 * Producers (collector shards for flows, the threshold thread for
 * events, HTTP server threads for requests) copy a record into the
 * queue of every script whose handler wants it, under that script's
 * lock, and signal its thread; a full queue drops the record and counts
 * it (flowsLost, eventsLost, requestsLost in /scripts/json). The script
 * thread pops records in batches and calls its handler for each, with
 * the script's time limit per call.
 * HTTP requests are js_http.c's.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/flow_log.h"
#include "analyzer/js/js_internal.h"
#include "duktape.h"

/* Records handled per turn of the script's loop (on its stack: 48 kB). */
#define JS_FLOW_BATCH  64
#define JS_EVENT_BATCH 16


static struct js_script *script_of(duk_context *ctx)
{
	return js_heap_owner(ctx);
}

/* ---- producers ------------------------------------------------------ */

static bool names_want(const struct js_names *f, const char *name)
{
	if (f->n == 0)
		return true;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i], name) == 0)
			return true;
	return false;
}

static void flow_rec_fill(struct js_flow_rec *r, uint64_t id, const struct flow_log_entry *e)
{
	r->id = id;
	r->start_ms = e->start_ms;
	r->end_ms = e->end_ms;
	r->value = e->value;
	snprintf(r->name, sizeof(r->name), "%s", e->name);
	snprintf(r->agent, sizeof(r->agent), "%s", e->agent);
	snprintf(r->ds, sizeof(r->ds), "%s", e->datasource);
	snprintf(r->keys, sizeof(r->keys), "%s", e->keys);
}

/* flow_log's listener (a collector shard): every logged flow. */
static void flow_listener(void *arg, uint64_t id, const void *entry)
{
	struct js_runtime *rt = arg;
	const struct flow_log_entry *e = entry;
	struct js_flow_rec rec;
	bool filled = false;

	for (size_t i = 0; i < rt->nscripts; i++) {
		struct js_script *s = &rt->scripts[i];

		pthread_mutex_lock(&s->mu);
		if (s->flow_handler && names_want(&s->flow_names, e->name)) {
			if (!filled)
				flow_rec_fill(&rec, id, e);
			filled = true;
			js_queue_push(&s->flows, &rec);
			pthread_cond_signal(&s->cv);
		}
		pthread_mutex_unlock(&s->mu);
	}
}

static void event_rec_fill(struct js_event_rec *r, uint64_t id, const struct event *e)
{
	r->id = id;
	r->timestamp_ms = e->timestamp_ms;
	r->threshold = e->threshold;
	r->value = e->value;
	r->nvalues = e->nvalues < EVENTS_VALUES_MAX ? e->nvalues : EVENTS_VALUES_MAX;
	for (uint32_t k = 0; k < r->nvalues; k++)
		r->values[k] = e->values[k];
	r->has_key = e->flow_key != NULL;
	snprintf(r->threshold_id, sizeof(r->threshold_id), "%s", e->threshold_id);
	snprintf(r->metric, sizeof(r->metric), "%s", e->metric);
	snprintf(r->agent, sizeof(r->agent), "%s", e->agent);
	snprintf(r->ds, sizeof(r->ds), "%s", e->datasource);
	snprintf(r->key, sizeof(r->key), "%s", e->flow_key ? e->flow_key : "");
}

/* events' listener (the threshold thread): every event. */
static void event_listener(void *arg, uint64_t id, const void *entry)
{
	struct js_runtime *rt = arg;
	const struct event *e = entry;
	struct js_event_rec rec;
	bool filled = false;

	for (size_t i = 0; i < rt->nscripts; i++) {
		struct js_script *s = &rt->scripts[i];

		pthread_mutex_lock(&s->mu);
		if (s->event_handler && names_want(&s->event_names, e->threshold_id)) {
			if (!filled)
				event_rec_fill(&rec, id, e);
			filled = true;
			js_queue_push(&s->events, &rec);
			pthread_cond_signal(&s->cv);
		}
		pthread_mutex_unlock(&s->mu);
	}
}

void js_handlers_start(struct js_runtime *rt)
{
	if (rt->cfg.an.flog)
		flow_log_set_listener(rt->cfg.an.flog, flow_listener, rt);
	if (rt->cfg.an.events)
		events_set_listener(rt->cfg.an.events, event_listener, rt);
}

void js_handlers_stop(struct js_runtime *rt)
{
	if (rt->cfg.an.flog)
		flow_log_set_listener(rt->cfg.an.flog, NULL, NULL);
	if (rt->cfg.an.events)
		events_set_listener(rt->cfg.an.events, NULL, NULL);
}

bool js_handlers_pending(const struct js_script *s)
{
	return s->http.n || s->events.n || s->flows.n || s->async.n;
}

/* ---- the script API ---------------------------------------------------- */

/* Read an optional filter argument (a name or an array of names). */
static void names_read(duk_context *ctx, duk_idx_t i, struct js_names *f, const char *fn)
{
	f->n = 0;
	if (duk_is_undefined(ctx, i) || duk_is_null(ctx, i))
		return;
	if (duk_is_string(ctx, i)) {
		snprintf(f->v[f->n++], JS_NAME_LEN, "%s", duk_get_string(ctx, i));
		return;
	}
	if (!duk_is_array(ctx, i))
		(void)duk_type_error(ctx, "%s: the filter is a name or an array of names", fn);
	for (duk_uarridx_t k = 0; k < duk_get_length(ctx, i); k++) {
		if (f->n == JS_NAMES_MAX)
			(void)duk_range_error(ctx, "%s: more than %d names", fn, JS_NAMES_MAX);
		duk_get_prop_index(ctx, i, k);
		snprintf(f->v[f->n++], JS_NAME_LEN, "%s", duk_require_string(ctx, -1));
		duk_pop(ctx);
	}
}

/* Keep fn (index 0) in the global stash under `slot`, or delete it. */
static void stash_put(duk_context *ctx, const char *slot, bool set)
{
	duk_push_global_stash(ctx);
	if (set) {
		duk_dup(ctx, 0);
		duk_put_prop_string(ctx, -2, slot);
	} else {
		duk_del_prop_string(ctx, -1, slot);
	}
	duk_pop(ctx);
}

/* setFlowHandler(fn[, names]) (magic 1), clearFlowHandler() (magic 0). */
static duk_ret_t api_flow_handler(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);
	bool set = duk_get_current_magic(ctx) == 1;
	struct js_names f = { .n = 0 };

	if (set) {
		duk_require_function(ctx, 0);
		names_read(ctx, 1, &f, "setFlowHandler");
	}
	stash_put(ctx, "flow", set);
	pthread_mutex_lock(&s->mu);
	s->flow_handler = set;
	s->flow_names = f;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* setEventHandler(fn[, thresholdIDs]) (magic 1), clearEventHandler(). */
static duk_ret_t api_event_handler(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);
	bool set = duk_get_current_magic(ctx) == 1;
	struct js_names f = { .n = 0 };

	if (set) {
		duk_require_function(ctx, 0);
		names_read(ctx, 1, &f, "setEventHandler");
	}
	stash_put(ctx, "event", set);
	pthread_mutex_lock(&s->mu);
	s->event_handler = set;
	s->event_names = f;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

void js_handlers_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "setFlowHandler", api_flow_handler, 2, 1 },
		{ "clearFlowHandler", api_flow_handler, 0, 0 },
		{ "setEventHandler", api_event_handler, 2, 1 },
		{ "clearEventHandler", api_event_handler, 0, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
	js_http_register(ctx);
}

/* ---- the script thread ------------------------------------------------- */

static void put_num(duk_context *ctx, const char *name, double v)
{
	duk_push_number(ctx, v);
	duk_put_prop_string(ctx, -2, name);
}

static void put_str(duk_context *ctx, const char *name, const char *v)
{
	duk_push_string(ctx, v);
	duk_put_prop_string(ctx, -2, name);
}

/* The /flows/json record (reference §1.4). */
static void push_flow(duk_context *ctx, const struct js_flow_rec *r)
{
	duk_push_object(ctx);
	put_num(ctx, "flowID", (double)r->id);
	put_str(ctx, "name", r->name);
	put_str(ctx, "flowKeys", r->keys);
	put_num(ctx, "value", r->value);
	put_num(ctx, "start", (double)r->start_ms);
	put_num(ctx, "end", (double)r->end_ms);
	put_str(ctx, "agent", r->agent);
	put_str(ctx, "dataSource", r->ds);
}

/* The /events/json event (reference §1.5). */
static void push_event(duk_context *ctx, const struct js_event_rec *r)
{
	duk_push_object(ctx);
	put_num(ctx, "eventID", (double)r->id);
	put_num(ctx, "timestamp", (double)r->timestamp_ms);
	put_str(ctx, "thresholdID", r->threshold_id);
	put_str(ctx, "metric", r->metric);
	put_num(ctx, "threshold", r->threshold);
	put_num(ctx, "value", r->value);
	put_str(ctx, "agent", r->agent);
	put_str(ctx, "dataSource", r->ds);
	if (r->has_key)
		put_str(ctx, "flowKey", r->key);
	if (r->nvalues) {
		duk_push_array(ctx);
		for (uint32_t k = 0; k < r->nvalues; k++) {
			duk_push_number(ctx, r->values[k]);
			duk_put_prop_index(ctx, -2, k);
		}
		duk_put_prop_string(ctx, -2, "values");
	}
}

/* Call the handler in stash slot `slot` with the record (pushed by
 * push(ctx, rec)); false when the handler is gone. */
static bool call_handler(struct js_script *s, const char *slot,
			 void (*push)(duk_context *ctx, const void *rec), const void *rec)
{
	duk_context *ctx = js_heap_ctx(s->heap);
	char err[JS_ERROR_MAX];

	duk_push_global_stash(ctx);
	if (!duk_get_prop_string(ctx, -1, slot) || !duk_is_function(ctx, -1)) {
		duk_pop_2(ctx);
		return false;
	}
	push(ctx, rec);
	if (js_heap_call(s->heap, 1, s->rt->cfg.timeout_ms, err, sizeof(err)) == -1)
		js_script_error(s, err);
	duk_pop_2(ctx);
	return true;
}

static void push_flow_v(duk_context *ctx, const void *rec)
{
	push_flow(ctx, rec);
}

static void push_event_v(duk_context *ctx, const void *rec)
{
	push_event(ctx, rec);
}

/* Pop up to max records of q (s->mu taken here) into buf. */
static size_t take(struct js_script *s, struct js_queue *q, void *buf, size_t max)
{
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = js_queue_pop(q, buf, max);
	pthread_mutex_unlock(&s->mu);
	return n;
}

void js_handlers_run(struct js_script *s)
{
	struct js_flow_rec flows[JS_FLOW_BATCH];
	struct js_event_rec events[JS_EVENT_BATCH];
	size_t n;

	js_http_run(s);
	js_api_http_run(s);
	n = take(s, &s->events, events, JS_EVENT_BATCH);
	for (size_t i = 0; i < n; i++)
		call_handler(s, "event", push_event_v, &events[i]);
	n = take(s, &s->flows, flows, JS_FLOW_BATCH);
	for (size_t i = 0; i < n; i++)
		call_handler(s, "flow", push_flow_v, &flows[i]);
}
