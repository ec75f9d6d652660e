/*
 * analyzer/js/js_runtime.h: the scripts rtflow-analyzer runs, as sFlow-RT
 * runs them (reference/sflow-rt-api.md §4.1): one thread and one duktape
 * heap per .js file, its own global scope, the script API of
 * analyzer/js/js_api.c.
 *
 * Scripts are the files of property script.file and those of apps:
 * <app dir>/<app>/scripts/<name>.js (reference §5), each app's scripts sharing
 * sharedSet values and the app's name in storeSet's directory. A script
 * runs its file once (at most timeout_ms), then waits for its handlers'
 * turns: setIntervalHandler, and what reaches it through bounded queues
 * (js_queue.h): logged flows (setFlowHandler), threshold events
 * (setEventHandler) and HTTP requests (setHttpHandler, js_http_submit). A script whose load fails, or
 * that loops, throws or exhausts its heap at load, stops there with the
 * error ("file:line: message") kept for /scripts/json; a handler that
 * fails is reported the same way and the script goes on. Nothing a
 * script does stops another script or the analyzer.
 *
 * Threads: js_runtime_start/stop on the main thread; the queries and
 * js_http_* from any thread while the runtime runs (each script's state
 * is under its own lock).
 */
#ifndef RTFLOW_ANALYZER_JS_JS_RUNTIME_H
#define RTFLOW_ANALYZER_JS_JS_RUNTIME_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JS_SCRIPTS_MAX     256
#define JS_SCRIPT_SIZE_MAX (4u << 20) /* bytes of one .js file */

/* Property `name` (getSystemProperty) copied into buf[0..cap); false when
 * it is not set. Called from script threads. */
typedef bool js_property_fn(void *arg, const char *name, char *buf, size_t cap);

/* Every property name that is set (getSystemPropertyNames): a cJSON
 * array (caller frees). */
typedef cJSON *js_property_names_fn(void *arg);

struct store_set;
struct flow_engine;
struct flow_log;
struct events;
struct thresholds;
struct forward;

/* The analyzer's data the script functions read (js_api_data.c); any may
 * be NULL, and then the functions over it throw or answer empty. */
struct js_analyzer {
	const struct store_set *ss;
	struct flow_engine *flows;
	struct thresholds *thr;
	struct flow_log *flog;  /* setFlowHandler's records */
	struct events *events;  /* setEventHandler's events */
	struct forward *fw;     /* setForward's targets */
	cJSON *(*status_json)(void *arg); /* analyzer(): /analyzer/json */
	void *status_arg;
};

struct js_runtime_config {
	const char *const *files; /* standalone scripts (property script.file) */
	size_t nfiles;
	const char *const *app_dirs; /* directories of apps, first wins */
	size_t napp_dirs;
	unsigned http_timeout_ms; /* an HTTP handler's answer (script.http.timeout) */
	size_t heap_max;     /* bytes of one script's heap (script.memory) */
	unsigned timeout_ms; /* of a load or a handler call (script.timeout) */
	const char *version; /* what version() answers */
	const char *store_dir; /* storeSet's root (script.store; copied), NULL: "store" */
	js_property_fn *property;
	js_property_names_fn *property_names;
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

/* /scripts/json: {id: {alive, error, gracefulExit, cpuMs, heapBytes,
 * flowsReceived, flowsLost, eventsReceived, eventsLost, requestsReceived,
 * requestsLost, ...}} with the id "app~file" (the file alone for
 * standalone scripts). */
cJSON *js_runtime_scripts_json(struct js_runtime *rt);

/* /apps/json: {app: {entry: "/html/" (when it has html/), scripts: [file]}}. */
cJSON *js_runtime_apps_json(struct js_runtime *rt);

/* /app/{app}/status (app NULL: /status, every app): 200 when every
 * script runs or ended cleanly, 503 when one failed, 404 for no such app. */
int js_runtime_app_status(struct js_runtime *rt, const char *app);

/* The directory of app into buf; false when there is no such app. */
bool js_runtime_app_dir(struct js_runtime *rt, const char *app, char *buf, size_t cap);

/*
 * HTTP requests to a script's setHttpHandler (reference §0 item 4).
 * head_json is the request without its body, as JSON text: {method,
 * path: [segments], query: {name: [values]}, format}; the body is parsed
 * on the script thread (as JSON when body_json; error: true when that
 * fails). The job is queued for the script "app~file" (or the standalone
 * file): NULL with *status 404 (no such script, or no handler) or 503
 * (queue full, script not running). A job is answered by the script
 * thread, or with 503 when the script stops; wake(wake_arg) is called
 * from that thread once it is answered (the server resumes the
 * connection). Both sides hold a reference: js_http_release drops the
 * caller's.
 */
struct js_http_job;
struct js_http_job *js_http_submit(struct js_runtime *rt, const char *script_key,
				   const char *head_json, const char *body, size_t body_len,
				   bool body_json, void (*wake)(void *arg), void *wake_arg,
				   int *status);
/* Whether the job is answered: job is a struct js_http_job (void * for
 * server_wait_ready_fn); `unused` is ignored. */
bool js_http_ready(void *job, int64_t unused);
/* The answer of an answered job (pointers valid until release). */
void js_http_answer(const struct js_http_job *j, int *status, const char **content_type,
		    const char **body, size_t *len);
/* Give the job up (answered or not) and drop the caller's reference. */
void js_http_release(struct js_http_job *j);

#endif
