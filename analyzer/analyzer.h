/*
 * analyzer/analyzer.h: the rtflow-analyzer daemon object. It wires one
 * configuration to its subsystems: one store per worker (store.h), the
 * collector threads (collector.h), raw forwarding (forward.h), the REST
 * context and the HTTP listener (http/). It also composes /analyzer/json
 * from every subsystem's counters and the process's own figures (/proc,
 * getrusage).
 *
 * Reload is build-then-swap: the new config is checked against the
 * running one, listeners restart only when their settings changed (the
 * HTTP listener opens its new socket before the old one closes; the
 * collector, whose stores must keep one owner thread, stops and restarts,
 * and comes back on the old settings if the new ones fail), live settings
 * (limits, http.readonly, JSON and Prometheus options) apply in place, and
 * only then is the new config adopted. workers.number needs a restart.
 *
 * Threads: start, reload and stop are called from one control thread
 * (main); analyzer_status_json() from any thread.
 */
#ifndef RTFLOW_ANALYZER_ANALYZER_H
#define RTFLOW_ANALYZER_ANALYZER_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "analyzer/config.h"

struct analyzer;
struct rest_ctx;

/* Start everything for config c (taken on success, left to the caller on
 * failure). NULL with a reason in err. */
struct analyzer *analyzer_start(struct analyzer_config *c, char *err, size_t errlen);

/* Stop the listeners, join every thread, free. NULL is a no-op. */
void analyzer_stop(struct analyzer *a);

/* Apply config c (taken on success: the old one is freed; on failure the
 * caller keeps c and the running config stays). 0, or -1 with err. */
int analyzer_reload(struct analyzer *a, struct analyzer_config *c, char *err, size_t errlen);

/* The /analyzer/json object (caller frees). Any thread. */
cJSON *analyzer_status_json(void *a);

/* Property `name` of the running config copied into buf[0..cap): false
 * when it is not set. Any thread (a reload waits for it). */
bool analyzer_property(void *a, const char *name, char *buf, size_t cap);

/* The names of every property set (file and -D), each once: a cJSON
 * array (caller frees). Any thread. */
cJSON *analyzer_property_names(void *a);

/* The REST context: the stores, flow engine, thresholds and status
 * callback scripts read too. Valid until analyzer_stop. */
struct rest_ctx *analyzer_rest_ctx(struct analyzer *a);

/* The running config (valid until the next reload). Control thread. */
const struct analyzer_config *analyzer_config(const struct analyzer *a);

#endif
