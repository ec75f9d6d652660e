/*
 * analyzer/js/js_internal.h: what js_runtime.c (threads, status) and
 * js_api.c (the functions scripts call) share.
 */
#ifndef RTFLOW_ANALYZER_JS_JS_INTERNAL_H
#define RTFLOW_ANALYZER_JS_JS_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "analyzer/events.h"
#include "analyzer/js/js_heap.h"
#include "analyzer/js/js_queue.h"
#include "analyzer/js/js_runtime.h"
#include "common/log.h"

#define JS_ERROR_MAX      512
#define JS_SHARED_MAX     10000     /* sharedSet keys over all apps */
#define JS_SHARED_VAL_MAX (1u << 20) /* bytes of one shared value (as JSON) */
#define JS_INTERVAL_MIN_S 0.1
#define JS_FLOW_QUEUE     8192 /* flow records waiting for one script */
#define JS_EVENT_QUEUE    1024
#define JS_HTTP_QUEUE     128
#define JS_ASYNC_QUEUE    256  /* httpAsync answers waiting for their callbacks */
#define JS_NAMES_MAX      32   /* names in a setFlowHandler/setEventHandler filter */
#define JS_NAME_LEN       64
#define JS_REC_KEYS_MAX   512  /* bytes of a flow record's keys (the flow log's cap) */

/* A logged flow waiting for a script's setFlowHandler. */
struct js_flow_rec {
	uint64_t id, start_ms, end_ms;
	double value;
	char name[JS_NAME_LEN], agent[48], ds[64], keys[JS_REC_KEYS_MAX + 1];
};

/* A threshold event waiting for a script's setEventHandler. */
struct js_event_rec {
	uint64_t id, timestamp_ms;
	double threshold, value, values[EVENTS_VALUES_MAX];
	uint32_t nvalues;
	bool has_key;
	char threshold_id[JS_NAME_LEN], metric[160], agent[48], ds[64], key[JS_REC_KEYS_MAX + 1];
};

/* An httpAsync answer waiting for its callback. */
struct js_async_rec {
	uint64_t id;
	struct js_curl_res *res;
};

/* A handler's filter: flow definition names or threshold ids (none: all). */
struct js_names {
	char v[JS_NAMES_MAX][JS_NAME_LEN];
	size_t n;
};

/* One app: <dir>/<name>/, its scripts rt->scripts[first .. first+n). */
struct js_app {
	char name[JS_NAME_LEN];
	char dir[PATH_MAX];
	bool has_html;
	size_t first, n;
};

struct js_shared_entry {
	char *key; /* "app\x1fkey" */
	char *json;
};

struct js_runtime {
	struct js_runtime_config cfg;
	struct js_app *apps; /* napps of them */
	size_t napps;
	struct js_script *scripts; /* nscripts of them, never moved (locks inside) */
	size_t nscripts;
	char *store_dir;           /* script.store, copied */
	pthread_mutex_t curl_mu;   /* guards curl */
	struct js_curl *curl;      /* httpAsync's I/O thread, started at first use */
	pthread_mutex_t shared_mu; /* guards shared[] */
	struct js_shared_entry *shared;
	size_t nshared;
};

struct js_script {
	struct js_runtime *rt;
	char path[PATH_MAX]; /* the file */
	char id[PATH_MAX];   /* its name in /scripts/json */
	char app[JS_NAME_LEN]; /* "" for standalone scripts */
	char key[PATH_MAX + JS_NAME_LEN]; /* its /scripts/json key: "app~file" or the file */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu; /* guards what follows */
	pthread_cond_t cv;  /* stop, or a handler set */
	bool stop;
	bool alive, graceful;
	char error[JS_ERROR_MAX];
	uint64_t cpu_ms;
	size_t heap_bytes;
	uint64_t calls, call_errors;
	struct log_limit log_lim; /* a failing handler logs once a minute */
	/* what other threads hand the script (js_handlers.c) */
	struct js_queue flows, events, http, async;
	uint64_t async_next; /* id of the next httpAsync (the script thread's) */
	bool flow_handler, event_handler, http_handler;
	struct js_names flow_names, event_names;
	/* the script thread's own */
	struct js_heap *heap;
	double interval_s; /* 0: no interval handler */
	uint64_t next_ms;  /* CLOCK_MONOTONIC ms of its next turn */
};

/* The bytes of a script file (malloc'd, NUL-terminated, at most
 * JS_SCRIPT_SIZE_MAX), or NULL with "path: reason" in err. */
char *js_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Record err as the script's latest error (and log it). */
void js_script_error(struct js_script *s, const char *err);

/* A script function: name, C function (a duk_c_function), argument count,
 * magic (duk_get_current_magic). */
struct js_fn {
	const char *name;
	int (*fn)(struct duk_hthread *ctx);
	int nargs;
	int magic;
};

/* Push tree (taken) into ctx's heap as the value its JSON text is; 1
 * (what a duk_c_function returns); throws when out of memory. */
int js_push_json(struct duk_hthread *ctx, cJSON *tree);

/* Put fns[0..n) in the global object of ctx. */
void js_api_put(struct duk_hthread *ctx, const struct js_fn *fns, size_t n);

/* Start / stop feeding flow records and events to the scripts' queues
 * (js_handlers.c); stop returns once no feed call is in progress. */
void js_handlers_start(struct js_runtime *rt);
void js_handlers_stop(struct js_runtime *rt);

/* Whether s has queued work (s->mu held). */
bool js_handlers_pending(const struct js_script *s);

/* Run the queued work of s on its thread: HTTP requests, events, then at
 * most a batch of flow records. */
void js_handlers_run(struct js_script *s);

/* httpAsync answers (js_api_http.c): call the callbacks of those queued
 * for s; free those still queued (the script stopping). Stop the I/O
 * thread of rt (its requests end as "stopped"). */
void js_api_http_run(struct js_script *s);
void js_api_http_drop(struct js_script *s);
void js_api_http_stop(struct js_runtime *rt);

/* HTTP requests (js_http.c): run the queued ones of s on its thread;
 * answer every one still queued with 503 (the script stopping). */
void js_http_run(struct js_script *s);
void js_handlers_drop(struct js_script *s);

/* Find the apps of dirs (js_apps.c): each <dir>/<app>/scripts/<name>.js, the
 * first dir naming an app wins. 0 with *apps (malloc'd), *napps and the
 * script paths appended to paths[*npaths..max); -1 on no memory. */
int js_apps_find(const char *const *dirs, size_t ndirs, struct js_app **apps, size_t *napps,
		 char (*paths)[PATH_MAX], size_t *npaths, size_t max);

/* Register the script API in the global object of ctx: js_api.c's, and
 * js_api_data.c's (the analyzer's data), js_api_store.c's (storeGet ...). */
void js_api_register(struct duk_hthread *ctx);
void js_api_data_register(struct duk_hthread *ctx);
void js_api_store_register(struct duk_hthread *ctx);
void js_handlers_register(struct duk_hthread *ctx);
void js_http_register(struct duk_hthread *ctx);
void js_api_util_register(struct duk_hthread *ctx); /* js_api_util.c */
void js_api_info_register(struct duk_hthread *ctx); /* js_api_info.c */
void js_api_http_register(struct duk_hthread *ctx); /* js_api_http.c */

#endif
