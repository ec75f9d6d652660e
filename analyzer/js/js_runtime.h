/*
 * analyzer/js/js_runtime.h: the scripts rtflow-analyzer runs, as sFlow-RT
 * runs them (reference/sflow-rt-api.md §4.1): one thread and one duktape
 * heap per .js file, its own global scope, the script API of
 * analyzer/js/js_api.c.
 *
 * A script runs its file once (at most timeout_ms), then waits for its
 * handlers' turns (setIntervalHandler). A script whose load fails, or
 * that loops, throws or exhausts its heap at load, stops there with the
 * error ("file:line: message") kept for /scripts/json; a handler that
 * fails is reported the same way and the script goes on. Nothing a
 * script does stops another script or the analyzer.
 *
 * Threads: js_runtime_start/stop on the main thread; js_runtime_scripts_json
 * from any thread (each script's status is under its own lock).
 */
#ifndef RTFLOW_ANALYZER_JS_JS_RUNTIME_H
#define RTFLOW_ANALYZER_JS_JS_RUNTIME_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define JS_SCRIPTS_MAX     256
#define JS_SCRIPT_SIZE_MAX (4u << 20) /* bytes of one .js file */

/* Property `name` (getSystemProperty) copied into buf[0..cap); false when
 * it is not set. Called from script threads. */
typedef bool js_property_fn(void *arg, const char *name, char *buf, size_t cap);

struct store_set;
struct flow_engine;
struct thresholds;

/* The analyzer's data the script functions read (js_api_data.c); any may
 * be NULL, and then the functions over it throw or answer empty. */
struct js_analyzer {
	const struct store_set *ss;
	struct flow_engine *flows;
	struct thresholds *thr;
	cJSON *(*status_json)(void *arg); /* analyzer(): /analyzer/json */
	void *status_arg;
};

struct js_runtime_config {
	const char *const *files; /* standalone scripts (property script.file) */
	size_t nfiles;
	size_t heap_max;     /* bytes of one script's heap (script.memory) */
	unsigned timeout_ms; /* of a load or a handler call (script.timeout) */
	const char *version; /* what version() answers */
	const char *store_dir; /* storeSet's root (script.store; copied), NULL: "store" */
	js_property_fn *property;
	void *property_arg;
	struct js_analyzer an;
};

struct js_runtime;

/* Start a thread per script; NULL with a reason (too many scripts, no
 * memory, no thread). A script that fails to load is not a reason: its
 * error shows in js_runtime_scripts_json. */
struct js_runtime *js_runtime_start(const struct js_runtime_config *cfg, char *err,
				    size_t errlen);

/* Stop every script (a running call is interrupted at its deadline) and
 * free everything. */
void js_runtime_stop(struct js_runtime *rt);

/* /scripts/json: {id: {alive, error, gracefulExit, cpuMs, heapBytes, ...}}
 * with the id the script's file name. rt is a struct js_runtime (void *
 * so it can serve as a status callback). */
cJSON *js_runtime_scripts_json(void *rt);

#endif
