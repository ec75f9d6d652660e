/*
 * analyzer/js/js_api.c: the script API of reference/sflow-rt-api.md §4.2
 * that does not need the analyzer's stores: version, logFine/Info/
 * Warning/Severe, getSystemProperty, scriptdir, include,
 * setIntervalHandler/clearIntervalHandler, sharedGet/sharedSet.
 *
 * Each function finds its script through the heap's owner. Argument
 * errors throw TypeErrors naming the function. Shared values cross heaps
 * as JSON text: sharedSet stores the value's JSON under the script's app,
 * sharedGet parses it into the caller's heap (so they hold data, not
 * functions or references).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/js/js_internal.h"
#include "common/log.h"
#include "duktape.h"

static struct js_script *script_of(duk_context *ctx)
{
	return js_heap_owner(ctx);
}

static duk_ret_t api_version(duk_context *ctx)
{
	const char *v = script_of(ctx)->rt->cfg.version;

	duk_push_string(ctx, v ? v : "");
	return 1;
}

/* logFine (debug), logInfo, logWarning, logSevere (error): magic is the
 * syslog level. */
static duk_ret_t api_log(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);

	log_msg(duk_get_current_magic(ctx), "script: %s: %s", s->id, duk_safe_to_string(ctx, 0));
	return 0;
}

static duk_ret_t api_get_property(duk_context *ctx)
{
	const struct js_runtime_config *cfg = &script_of(ctx)->rt->cfg;
	const char *name = duk_require_string(ctx, 0);
	char v[4096];

	if (cfg->property && cfg->property(cfg->property_arg, name, v, sizeof(v)))
		duk_push_string(ctx, v);
	else
		duk_push_null(ctx);
	return 1;
}

/* include(path): run another file in the global scope, now, within the
 * running call's time limit; its errors are the caller's. */
static duk_ret_t api_include(duk_context *ctx)
{
	const char *path = duk_require_string(ctx, 0);
	char err[JS_ERROR_MAX];
	size_t n;
	char *buf = js_read_file(path, &n, err, sizeof(err));

	if (!buf)
		return duk_error(ctx, DUK_ERR_ERROR, "include: %s", err);
	duk_push_string(ctx, path); /* the file name errors carry */
	if (duk_pcompile_lstring_filename(ctx, 0, buf, n) != 0) {
		free(buf);
		return duk_throw(ctx);
	}
	free(buf);
	duk_call(ctx, 0);
	return 0;
}

static duk_ret_t api_scriptdir(duk_context *ctx)
{
	const char *path = script_of(ctx)->path, *slash = strrchr(path, '/');

	if (slash)
		duk_push_lstring(ctx, path, (duk_size_t)(slash - path));
	else
		duk_push_string(ctx, ".");
	return 1;
}

/* setIntervalHandler(fn[, seconds = 1]): fn(now ms) every `seconds`
 * (at least JS_INTERVAL_MIN_S); the handler lives in the global stash. */
static duk_ret_t api_set_interval(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);
	double period = duk_is_undefined(ctx, 1) ? 1.0 : duk_require_number(ctx, 1);
	struct timespec ts;

	duk_require_function(ctx, 0);
	if (!(period >= JS_INTERVAL_MIN_S) || period > 86400)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "setIntervalHandler: seconds out of range");
	duk_push_global_stash(ctx);
	duk_dup(ctx, 0);
	duk_put_prop_string(ctx, -2, "interval");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->interval_s = period;
	s->next_ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u +
		     (uint64_t)(period * 1000);
	return 0;
}

static duk_ret_t api_clear_interval(duk_context *ctx)
{
	duk_push_global_stash(ctx);
	duk_del_prop_string(ctx, -1, "interval");
	script_of(ctx)->interval_s = 0;
	return 0;
}

/* The shared entry of key k of app (rt->shared_mu held), or NULL. */
static struct js_shared_entry *shared_find(struct js_runtime *rt, const char *app, const char *k)
{
	size_t alen = strlen(app);

	for (size_t i = 0; i < rt->nshared; i++) {
		const char *e = rt->shared[i].key;

		if (strncmp(e, app, alen) == 0 && e[alen] == '\x1f' && strcmp(e + alen + 1, k) == 0)
			return &rt->shared[i];
	}
	return NULL;
}

static int shared_put(struct js_runtime *rt, const char *app, const char *k, const char *json)
{
	struct js_shared_entry *e = shared_find(rt, app, k), *v;
	size_t klen = strlen(app) + strlen(k) + 2;
	char *copy = strdup(json), *key;

	if (!copy)
		return -1;
	if (e) {
		free(e->json);
		e->json = copy;
		return 0;
	}
	key = malloc(klen);
	v = rt->nshared < JS_SHARED_MAX ?
		    realloc(rt->shared, (rt->nshared + 1) * sizeof(*rt->shared)) :
		    NULL;
	if (!key || !v) {
		free(copy);
		free(key);
		return -1;
	}
	snprintf(key, klen, "%s\x1f%s", app, k);
	rt->shared = v;
	rt->shared[rt->nshared].key = key;
	rt->shared[rt->nshared++].json = copy;
	return 0;
}

/* sharedSet(key, value): value as JSON for the scripts of this app. */
static duk_ret_t api_shared_set(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);
	const char *k = duk_require_string(ctx, 0);
	const char *json;
	int rc;

	duk_dup(ctx, 1);
	json = duk_json_encode(ctx, -1);
	if (!json || strlen(json) > JS_SHARED_VAL_MAX)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "sharedSet: value too large or not JSON");
	pthread_mutex_lock(&s->rt->shared_mu);
	rc = shared_put(s->rt, s->app, k, json);
	pthread_mutex_unlock(&s->rt->shared_mu);
	if (rc == -1)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "sharedSet: too many shared values");
	return 0;
}

static duk_ret_t api_shared_get(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);
	const char *k = duk_require_string(ctx, 0);
	struct js_shared_entry *e;
	char *json = NULL;

	pthread_mutex_lock(&s->rt->shared_mu);
	e = shared_find(s->rt, s->app, k);
	if (e)
		json = strdup(e->json);
	pthread_mutex_unlock(&s->rt->shared_mu);
	if (!json) {
		duk_push_undefined(ctx);
		return 1;
	}
	duk_push_string(ctx, json);
	free(json);
	duk_json_decode(ctx, -1);
	return 1;
}

void js_api_put(struct duk_hthread *ctx, const struct js_fn *fns, size_t n)
{
	duk_push_global_object(ctx);
	for (size_t i = 0; i < n; i++) {
		duk_push_c_function(ctx, fns[i].fn, fns[i].nargs);
		duk_set_magic(ctx, -1, fns[i].magic);
		duk_put_prop_string(ctx, -2, fns[i].name);
	}
	duk_pop(ctx);
}

void js_api_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "version", api_version, 0, 0 },
		{ "logFine", api_log, 1, LOG_DEBUG },
		{ "logInfo", api_log, 1, LOG_INFO },
		{ "logWarning", api_log, 1, LOG_WARNING },
		{ "logSevere", api_log, 1, LOG_ERR },
		{ "getSystemProperty", api_get_property, 1, 0 },
		{ "scriptdir", api_scriptdir, 0, 0 },
		{ "include", api_include, 1, 0 },
		{ "setIntervalHandler", api_set_interval, 2, 0 },
		{ "clearIntervalHandler", api_clear_interval, 0, 0 },
		{ "sharedSet", api_shared_set, 2, 0 },
		{ "sharedGet", api_shared_get, 1, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
	js_api_data_register(ctx);
	js_api_store_register(ctx);
	js_handlers_register(ctx);
	js_api_util_register(ctx);
	js_api_info_register(ctx);
	js_api_http_register(ctx);
}
