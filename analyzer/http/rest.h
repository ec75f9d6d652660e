/*
 * analyzer/http/rest.h: what every REST handler shares: the context
 * (stores, forwarding, the analyzer's status callback, live settings,
 * HTTP counters), reply helpers, and the route tables of the rest_*.c
 * files, which router.c concatenates.
 *
 * Threads: handlers run on the HTTP server's threads, several at once.
 * The context's stores and forward are thread-safe by their own
 * contracts; settings change on reload under the context's mutex
 * (rest_settings_get copies them); counters are atomics.
 */
#ifndef RTFLOW_ANALYZER_HTTP_REST_H
#define RTFLOW_ANALYZER_HTTP_REST_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "analyzer/forward.h"
#include "analyzer/http/router.h"
#include "analyzer/store.h"

struct flow_engine;
struct flow_log;
struct js_runtime;
struct server_waits;
struct thresholds;
struct events;

#define REST_VERSION "1.0-1"            /* sFlow-RT style "major.minor-build" */
#define REST_MAX_BODY_BYTES (1u << 20)  /* larger request bodies get 413 */
#define REST_MAX_REPLY_BYTES (64u << 20) /* text replies stop here (500) */
#define REST_PROM_PREFIX_LEN 64
#define REST_DUMP_MAX (1u << 20)        /* Metric objects in one /dump answer */
#define REST_DUMP_MAX_BYTES (256u << 20) /* its text (1 M objects fit) */

/* Settings that a reload may change. */
struct rest_settings {
	bool readonly;                      /* http.readonly: writes get 403 */
	int json_indent;                    /* http.json.indent: 0 = compact */
	char prom_prefix[REST_PROM_PREFIX_LEN]; /* prometheus.metric.prefix */
	bool prom_type;                     /* prometheus.type: "# TYPE" lines */
	bool log_requests;                  /* http.log: one INFO line per request */
};

/* HTTP counters of /analyzer/json; they outlive a server restart. */
struct rest_counters {
	_Atomic uint64_t connections_total;
	_Atomic uint64_t messages_received;
	_Atomic uint64_t bytes_sent;
	_Atomic uint64_t bytes_received;
};

typedef cJSON *rest_status_fn(void *arg);

/* Scripts, apps and static files (rest_apps.c), set once the script
 * runtime has started. */
struct rest_apps {
	struct js_runtime *js;       /* NULL: no scripts (answers as none) */
	char inc_dir[4096];          /* served as /inc/; "": none */
	char redirect[256];          /* where "/" goes; "": the status page */
	unsigned script_timeout_ms;  /* an app script's HTTP answer (503 after) */
};

struct rest_ctx {
	const struct store_set *stores;
	struct forward *fw;                 /* may be NULL: /forwarding answers 503 */
	struct flow_engine *flows;          /* may be NULL: flow endpoints answer 503 */
	struct flow_log *flog;              /* may be NULL: /flows/json answers 503 */
	struct thresholds *thr;             /* may be NULL: thresholds answer 503 */
	struct events *events;
	rest_status_fn *status_json;        /* /analyzer/json object, caller frees */
	void *status_arg;
	pthread_mutex_t lock;               /* guards settings and apps */
	struct rest_apps apps;
	struct rest_settings settings;
	pthread_mutex_t waits_lock;         /* guards waits */
	struct server_waits *waits;         /* the running server's parked requests */
	struct rest_counters counters;
};

/* Initialise ctx (settings: writable, compact JSON, prefix "sflow_"). */
void rest_ctx_init(struct rest_ctx *ctx, const struct store_set *ss, struct forward *fw,
		   rest_status_fn *status_json, void *status_arg);
void rest_ctx_fini(struct rest_ctx *ctx);
void rest_settings_set(struct rest_ctx *ctx, const struct rest_settings *s);
void rest_settings_get(struct rest_ctx *ctx, struct rest_settings *out);

/* Set the apps (a copy is kept); stop the runtime only after setting
 * one without it. */
void rest_apps_set(struct rest_ctx *ctx, const struct rest_apps *apps);

/* The server's parked set: set (on) when it starts, unset before it
 * stops. rest_wake(ctx) kicks it from any thread (a script answered). */
void rest_waits_set(struct rest_ctx *ctx, struct server_waits *w, bool on);
void rest_wake(void *ctx);

/* Reply with `json` (taken: freed here; NULL answers 500), printed
 * compact or indented per the settings. */
void rest_reply_json(struct http_request *req, struct http_response *resp, int status,
		     cJSON *json);

/* Reply {"error": "<fmt>"} with status. */
void rest_reply_error(struct http_response *resp, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reply with a copy of text[0..len) as content_type (a static string). */
void rest_reply_text(struct http_response *resp, int status, const char *content_type,
		     const char *text, size_t len);

/* Reply with text[0..len) (malloc'd, NUL-terminated; taken). */
void rest_reply_take(struct http_response *resp, int status, const char *content_type,
		     char *text, size_t len);

/* Reply with no body (204). */
void rest_reply_empty(struct http_response *resp, int status);

/* Parse the request body as JSON. The tree (caller frees), or NULL after
 * answering 400 with the reason. */
cJSON *rest_body_json(struct http_request *req, struct http_response *resp);

/* The value of query parameter `name` (the first one), or NULL. */
const char *rest_query_value(const struct http_request *req, const char *name);

/* Query parameter `name` as a number >= min into *out (left alone when
 * absent); false after answering 400. */
bool rest_query_number(const struct http_request *req, struct http_response *resp,
		       const char *name, double min, double *out);

/* Long polls (/flows/json, /events/json) wait at most this long. */
#define REST_WAIT_MAX_S 60

/*
 * A long poll: when timeout_s > 0, the request is not already final and
 * ready(obj, after) is false, park it (server_wait.h) until ready or
 * min(timeout_s, REST_WAIT_MAX_S) seconds pass and answer true: the
 * handler answers nothing now. false: answer at once.
 */
bool rest_long_poll(const struct http_request *req, struct http_response *resp,
		    bool (*ready)(void *obj, int64_t after), void *obj, int64_t after,
		    double timeout_s);

/* Route tables, each ended by { NULL }. */
extern const struct router_route rest_server_routes[];
extern const struct router_route rest_metrics_routes[];
extern const struct router_route rest_prometheus_routes[];
extern const struct router_route rest_forwarding_routes[];
extern const struct router_route rest_flow_routes[];
extern const struct router_route rest_events_routes[];
extern const struct router_route rest_apps_routes[];

#endif
