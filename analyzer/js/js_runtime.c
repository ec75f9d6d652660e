/*
 * analyzer/js/js_runtime.c: script threads (see js_runtime.h).
 *
 * A script thread: read the file, make the heap, register the API, run
 * the file; then, while not stopped, sleep until the interval handler's
 * next turn (or the stop) and call it with the time in ms. The heap and
 * the handler live on the thread; the status fields are read by
 * /scripts/json under the script's lock.
 */
#include "analyzer/js/js_runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/js/js_internal.h"
#include "common/log.h"
#include "duktape.h"

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void js_script_error(struct js_script *s, const char *err)
{
	pthread_mutex_lock(&s->mu);
	snprintf(s->error, sizeof(s->error), "%s", err);
	s->call_errors++;
	pthread_mutex_unlock(&s->mu);
	log_every(&s->log_lim, 60, LOG_WARNING, "script: %s: %s", s->id, err);
}

char *js_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (!f) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(JS_SCRIPT_SIZE_MAX + 1);
	if (buf)
		n = fread(buf, 1, JS_SCRIPT_SIZE_MAX + 1, f);
	fclose(f);
	if (!buf || n > JS_SCRIPT_SIZE_MAX) {
		snprintf(err, errlen, "%.300s: %s", path, buf ? "larger than 4 MB" : "out of memory");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Load and run the file; false (error recorded) when that fails. */
static bool script_load(struct js_script *s)
{
	char err[JS_ERROR_MAX];
	size_t len;
	char *src = js_read_file(s->path, &len, err, sizeof(err));
	int rc;

	if (!src) {
		js_script_error(s, err);
		return false;
	}
	pthread_mutex_lock(&s->mu); /* js_runtime_stop reads it */
	s->heap = js_heap_new(s->rt->cfg.heap_max, s);
	if (s->heap && s->stop)
		js_heap_interrupt(s->heap);
	pthread_mutex_unlock(&s->mu);
	if (!s->heap) {
		free(src);
		js_script_error(s, "out of memory");
		return false;
	}
	js_api_register(js_heap_ctx(s->heap));
	rc = js_heap_eval(s->heap, s->id, src, len, s->rt->cfg.timeout_ms, err, sizeof(err));
	free(src);
	if (rc == -1)
		js_script_error(s, err);
	return rc == 0;
}

/* Call the interval handler (kept in the global stash) with the time. */
static void script_tick(struct js_script *s)
{
	duk_context *ctx = js_heap_ctx(s->heap);
	char err[JS_ERROR_MAX];

	duk_push_global_stash(ctx);
	if (!duk_get_prop_string(ctx, -1, "interval") || !duk_is_function(ctx, -1)) {
		duk_pop_2(ctx);
		s->interval_s = 0;
		return;
	}
	duk_push_number(ctx, (double)epoch_ms());
	if (js_heap_call(s->heap, 1, s->rt->cfg.timeout_ms, err, sizeof(err)) == -1)
		js_script_error(s, err);
	duk_pop_2(ctx);
	pthread_mutex_lock(&s->mu);
	s->calls++;
	pthread_mutex_unlock(&s->mu);
}

static void status_update(struct js_script *s)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	pthread_mutex_lock(&s->mu);
	s->cpu_ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	s->heap_bytes = s->heap ? js_heap_bytes(s->heap) : 0;
	pthread_mutex_unlock(&s->mu);
}

/* Sleep until the next interval turn, queued work or the stop; true
 * when stopped. */
static bool script_wait(struct js_script *s)
{
	uint64_t due = s->interval_s > 0 ? s->next_ms : mono_ms() + 1000;
	struct timespec until = { (time_t)(due / 1000), (long)(due % 1000) * 1000000 };
	bool stop;

	pthread_mutex_lock(&s->mu);
	while (!s->stop && !js_handlers_pending(s) && mono_ms() < due)
		if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
			break;
	stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

static void *script_main(void *arg)
{
	struct js_script *s = arg;
	bool ok;

	pthread_mutex_lock(&s->mu); /* running while it loads */
	s->alive = true;
	pthread_mutex_unlock(&s->mu);
	ok = script_load(s);
	pthread_mutex_lock(&s->mu);
	s->alive = ok;
	pthread_mutex_unlock(&s->mu);
	status_update(s);
	while (ok && !script_wait(s)) {
		js_handlers_run(s);
		if (s->interval_s > 0 && mono_ms() >= s->next_ms) {
			s->next_ms += (uint64_t)(s->interval_s * 1000);
			if (s->next_ms < mono_ms()) /* a slow handler: no catching up */
				s->next_ms = mono_ms() + (uint64_t)(s->interval_s * 1000);
			script_tick(s);
		}
		status_update(s);
	}
	pthread_mutex_lock(&s->mu);
	s->graceful = ok;
	s->alive = false;
	pthread_mutex_unlock(&s->mu);
	js_handlers_drop(s);
	return NULL;
}

static void script_init(struct js_script *s, struct js_runtime *rt, const char *path,
			const char *app)
{
	pthread_condattr_t ca;
	const char *base = strrchr(path, '/');

	s->rt = rt;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->app, sizeof(s->app), "%s", app);
	snprintf(s->id, sizeof(s->id), "%s", base ? base + 1 : path);
	snprintf(s->key, sizeof(s->key), "%s%s%s", app, *app ? "~" : "", s->id);
	js_queue_init(&s->flows, JS_FLOW_QUEUE, sizeof(struct js_flow_rec));
	js_queue_init(&s->events, JS_EVENT_QUEUE, sizeof(struct js_event_rec));
	js_queue_init(&s->http, JS_HTTP_QUEUE, sizeof(struct js_http_job *));
	js_queue_init(&s->async, JS_ASYNC_QUEUE, sizeof(struct js_async_rec));
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
}

static void script_fini(struct js_script *s)
{
	js_heap_free(s->heap);
	js_queue_fini(&s->flows);
	js_queue_fini(&s->events);
	js_queue_fini(&s->http);
	js_queue_fini(&s->async);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}

/* The scripts to run: cfg->files, then the apps' scripts; rt->scripts
 * made. -1 with err. */
static int runtime_scripts(struct js_runtime *rt, const struct js_runtime_config *cfg, char *err,
			   size_t errlen)
{
	char(*paths)[PATH_MAX] = calloc(JS_SCRIPTS_MAX, PATH_MAX);
	size_t n = 0;

	if (!paths || cfg->nfiles > JS_SCRIPTS_MAX ||
	    js_apps_find(cfg->app_dirs, cfg->napp_dirs, &rt->apps, &rt->napps, paths, &n,
			 JS_SCRIPTS_MAX - cfg->nfiles) == -1 ||
	    !(rt->scripts = calloc(cfg->nfiles + n + 1, sizeof(struct js_script)))) {
		snprintf(err, errlen, "%s", paths && cfg->nfiles > JS_SCRIPTS_MAX ?
					     "more than 256 scripts" : "out of memory");
		free(paths);
		return -1;
	}
	for (size_t i = 0; i < cfg->nfiles; i++)
		script_init(&rt->scripts[rt->nscripts++], rt, cfg->files[i], "");
	for (size_t a = 0; a < rt->napps; a++) {
		size_t first = rt->apps[a].first;

		rt->apps[a].first = rt->nscripts;
		for (size_t i = 0; i < rt->apps[a].n; i++)
			script_init(&rt->scripts[rt->nscripts++], rt, paths[first + i],
				    rt->apps[a].name);
	}
	free(paths);
	return 0;
}

struct js_runtime *js_runtime_start(const struct js_runtime_config *cfg, char *err,
				    size_t errlen)
{
	struct js_runtime *rt = calloc(1, sizeof(*rt));

	if (!rt) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rt->cfg = *cfg;
	rt->cfg.files = NULL; /* the caller's; each script has its copy */
	rt->cfg.nfiles = 0;
	rt->cfg.app_dirs = NULL;
	rt->cfg.napp_dirs = 0;
	rt->store_dir = strdup(cfg->store_dir ? cfg->store_dir : "store");
	rt->cfg.store_dir = NULL; /* the caller's; rt->store_dir is ours */
	pthread_mutex_init(&rt->shared_mu, NULL);
	pthread_mutex_init(&rt->curl_mu, NULL);
	if (!rt->store_dir || runtime_scripts(rt, cfg, err, errlen) == -1) {
		if (!rt->store_dir)
			snprintf(err, errlen, "out of memory");
		js_runtime_stop(rt);
		return NULL;
	}
	js_handlers_start(rt);
	for (size_t i = 0; i < rt->nscripts; i++) {
		struct js_script *s = &rt->scripts[i];

		if (pthread_create(&s->thread, NULL, script_main, s) != 0) {
			snprintf(err, errlen, "%s: cannot start its thread", s->path);
			js_runtime_stop(rt);
			return NULL;
		}
		s->started = true;
	}
	return rt;
}

void js_runtime_stop(struct js_runtime *rt)
{
	if (!rt)
		return;
	js_handlers_stop(rt); /* nothing is queued from here on */
	js_api_http_stop(rt);
	for (size_t i = 0; i < rt->nscripts; i++) {
		struct js_script *s = &rt->scripts[i];

		pthread_mutex_lock(&s->mu);
		s->stop = true;
		if (s->heap) /* a call running now ends at once */
			js_heap_interrupt(s->heap);
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	for (size_t i = 0; i < rt->nscripts; i++) {
		if (rt->scripts[i].started)
			pthread_join(rt->scripts[i].thread, NULL);
		js_handlers_drop(&rt->scripts[i]); /* a script that never started */
		js_api_http_drop(&rt->scripts[i]);
		script_fini(&rt->scripts[i]);
	}
	free(rt->apps);
	for (size_t i = 0; i < rt->nshared; i++) {
		free(rt->shared[i].key);
		free(rt->shared[i].json);
	}
	free(rt->shared);
	free(rt->store_dir);
	pthread_mutex_destroy(&rt->shared_mu);
	pthread_mutex_destroy(&rt->curl_mu);
	free(rt->scripts);
	free(rt);
}

static void add_num(cJSON *j, const char *name, uint64_t v)
{
	cJSON_AddNumberToObject(j, name, (double)v);
}

cJSON *js_runtime_scripts_json(struct js_runtime *rt)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; rt && o && i < rt->nscripts; i++) {
		struct js_script *s = &rt->scripts[i];
		cJSON *j = cJSON_AddObjectToObject(o, s->key);

		if (!j)
			continue;
		pthread_mutex_lock(&s->mu);
		cJSON_AddBoolToObject(j, "alive", s->alive);
		cJSON_AddBoolToObject(j, "gracefulExit", s->graceful);
		if (s->error[0])
			cJSON_AddStringToObject(j, "error", s->error);
		add_num(j, "cpuMs", s->cpu_ms);
		add_num(j, "heapBytes", s->heap_bytes);
		add_num(j, "intervalCalls", s->calls);
		add_num(j, "errors", s->call_errors);
		add_num(j, "flowsReceived", s->flows.received);
		add_num(j, "flowsLost", s->flows.lost);
		add_num(j, "eventsReceived", s->events.received);
		add_num(j, "eventsLost", s->events.lost);
		add_num(j, "requestsReceived", s->http.received);
		add_num(j, "requestsLost", s->http.lost);
		pthread_mutex_unlock(&s->mu);
	}
	return o;
}
