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

#include "analyzer/js/js_heap.h"
#include "analyzer/js/js_runtime.h"
#include "common/log.h"

#define JS_ERROR_MAX      512
#define JS_SHARED_MAX     10000     /* sharedSet keys over all apps */
#define JS_SHARED_VAL_MAX (1u << 20) /* bytes of one shared value (as JSON) */
#define JS_INTERVAL_MIN_S 0.1

struct js_shared_entry {
	char *key; /* "app\x1fkey" */
	char *json;
};

struct js_runtime {
	struct js_runtime_config cfg;
	struct js_script *scripts; /* nscripts of them, never moved (locks inside) */
	size_t nscripts;
	char *store_dir;           /* script.store, copied */
	pthread_mutex_t shared_mu; /* guards shared[] */
	struct js_shared_entry *shared;
	size_t nshared;
};

struct js_script {
	struct js_runtime *rt;
	char path[PATH_MAX]; /* the file */
	char id[PATH_MAX];   /* its name in /scripts/json */
	char app[64];        /* "" for standalone scripts */
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

/* Put fns[0..n) in the global object of ctx. */
void js_api_put(struct duk_hthread *ctx, const struct js_fn *fns, size_t n);

/* Register the script API in the global object of ctx: js_api.c's, and
 * js_api_data.c's (the analyzer's data), js_api_store.c's (storeGet ...). */
void js_api_register(struct duk_hthread *ctx);
void js_api_data_register(struct duk_hthread *ctx);
void js_api_store_register(struct duk_hthread *ctx);

#endif
