/*
 * analyzer/forward.h: raw sFlow forwarding (/forwarding/{name}/json,
 * reference/sflow-rt-api.md §1.6). A target is {address, port (6343),
 * agents: [ip...] (absent or empty: every agent)}; every datagram whose
 * agent matches is re-sent unchanged to it over UDP.
 *
 * Threads: forward_datagram() is called by every collector shard at once;
 * the REST thread changes targets with forward_set()/forward_delete(). The
 * table is copied on write and published atomically, so the hot path
 * takes no lock. At most FORWARD_MAX_TARGETS targets.
 */
#ifndef RTFLOW_ANALYZER_FORWARD_H
#define RTFLOW_ANALYZER_FORWARD_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/records_types.h"

#define FORWARD_MAX_TARGETS 64

struct forward;

struct forward *forward_new(void);
void forward_free(struct forward *fw);

/* Create or replace target `name` from a Forwarding JSON body. 0, or -1
 * with a reason in err (bad address, port, agents; too many targets). */
int forward_set(struct forward *fw, const char *name, const cJSON *body, char *err,
		size_t errlen);

/* Remove target `name`. 0, or -1 when there is none. */
int forward_delete(struct forward *fw, const char *name);

/* The Forwarding object of `name` ({address, port, agents}), or NULL. */
cJSON *forward_get_json(struct forward *fw, const char *name);

/* GET /forwarding/json: {name: Forwarding, ...}. */
cJSON *forward_list_json(struct forward *fw);

/* Re-send buf[0..len) to every target that wants `agent`. Any thread. */
void forward_datagram(struct forward *fw, const uint8_t *buf, size_t len,
		      const struct sfl_address *agent);

/* Datagrams sent and send errors, all targets. */
void forward_get_counts(struct forward *fw, uint64_t *sent, uint64_t *errors);

#endif
