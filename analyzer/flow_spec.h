/*
 * analyzer/flow_spec.h: sFlow-RT flow definitions (reference/sflow-rt-api.md
 * §2): compiled from their JSON once, then evaluated over every flow
 * sample with no allocation.
 *
 * A definition is {keys, value, values, filter, n, t, fs, log, flowStart,
 * activeTimeout, aggMode, dropped}. keys is a comma-separated string or an
 * array of keys and key functions (fn:arg:arg..., nested with [...], ':'
 * escaped as \:); value is bytes, frames, any numeric key, or
 * rate:/avg:/count:/min:/max: of a key; values adds more such values;
 * filter is the §2.4 grammar. Clamps (documented defaults): n to [5, 20],
 * t to [0.2, 600] s, activeTimeout to [1, 3600] s.
 *
 * Evaluation: a sample counts when the filter passes and every key has a
 * value (the null: function supplies a default); a value key missing from
 * the sample skips it too. Its flow key is the keys' values joined by fs.
 *
 * Threads: a compiled spec is immutable; any thread may evaluate it.
 */
#ifndef RTFLOW_ANALYZER_FLOW_SPEC_H
#define RTFLOW_ANALYZER_FLOW_SPEC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "analyzer/flow_cache.h"
#include "analyzer/flow_keys.h"

#define FLOW_SPEC_KEYS_MAX 16   /* keys of one definition */
#define FLOW_SPEC_TEXT_MAX 4096 /* bytes of keys, values or filter text */

struct flow_groups;
struct flow_maps;
struct flow_geo;
struct flow_dns;
struct flow_oui;

/* The lookup tables key functions read; any may be NULL (then the
 * function gives null, or for dns: the address itself). */
struct flow_env {
	const struct flow_groups *groups;
	const struct flow_maps *maps;
	const struct flow_geo *geo;
	struct flow_dns *dns;
	const struct flow_oui *oui;
};

struct flow_spec;

/* Compile; NULL with a reason that names the attribute and the problem
 * ("filter: expected a value at 12", "keys: unknown function 'grp'"). */
struct flow_spec *flow_spec_parse(const cJSON *body, char *err, size_t errlen);
void flow_spec_free(struct flow_spec *sp);

/* The definition with every default, as GET /flow/{name}/json shows it. */
cJSON *flow_spec_json(const struct flow_spec *sp);

/* The cache shape the definition needs (cap flows per data source). */
void flow_spec_shape(const struct flow_spec *sp, uint32_t cap, struct flow_cache_shape *out);

bool flow_spec_dropped(const struct flow_spec *sp);
bool flow_spec_log(const struct flow_spec *sp);
bool flow_spec_flow_start(const struct flow_spec *sp); /* log at the start, not the end */
unsigned flow_spec_active_timeout_s(const struct flow_spec *sp);
unsigned flow_spec_n(const struct flow_spec *sp);

/*
 * Evaluate over one sample: false when it does not count; else its flow
 * key in key[0..*keylen) and its contribution (weight: the sampling rate;
 * v[i]: the values' amounts). The key is the keys' typed values encoded
 * (flow_val.h), what flow caches hold; flow_spec_key_format prints it.
 */
bool flow_spec_eval(const struct flow_spec *sp, const struct flow_env *env, struct flow_sample *fs,
		    uint8_t *key, size_t keycap, size_t *keylen, struct flow_cache_contrib *x);

/* A flow key of sp as sFlow-RT prints it: the values joined by the
 * definition's fs separator, into out[0..cap) NUL-terminated (cut to
 * FLOW_KEY_TEXT_MAX - 1 at most). The length, or -1 when key is not one
 * of sp's keys. */
#define FLOW_KEY_TEXT_MAX 4096
int flow_spec_key_format(const struct flow_spec *sp, const void *key, size_t len, char *out,
			 size_t cap);

/* A standalone filter (thresholds and scripts use them too). */
struct flow_filter;
struct flow_filter *flow_filter_parse(const char *text, char *err, size_t errlen);
void flow_filter_free(struct flow_filter *f);
bool flow_filter_match(const struct flow_filter *f, const struct flow_env *env,
		       struct flow_sample *fs);

#endif
