/*
 * analyzer/flow_spec.c: flow definitions (see flow_spec.h).
 */
#include "analyzer/flow_spec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_expr.h"
#include "sflow/sflow.h"

#define SPEC_FS_MAX 16

enum value_src { VAL_BYTES, VAL_FRAMES, VAL_KEY };

struct spec_value {
	enum flow_agg agg;
	enum value_src src;
	struct flow_key_ref key;
};

struct flow_spec {
	cJSON *keys_json; /* keys as given (string or array) */
	struct flow_expr *keys[FLOW_SPEC_KEYS_MAX];
	const struct flow_key_ref *plain[FLOW_SPEC_KEYS_MAX]; /* keys[i]'s key when a plain key */
	uint32_t nkeys;
	char *value_text;
	cJSON *values_json; /* values as given, or NULL */
	struct spec_value val[1 + FLOW_CACHE_VALUES_MAX];
	uint32_t nvals;
	char *filter_text;
	struct flow_filter *filter;
	unsigned n, active_timeout_s;
	double t_s;
	char fs[SPEC_FS_MAX];
	bool log, flow_start, dropped;
	char *agg_mode; /* as given, or NULL */
};

void flow_spec_free(struct flow_spec *sp)
{
	if (!sp)
		return;
	cJSON_Delete(sp->keys_json);
	for (uint32_t i = 0; i < sp->nkeys; i++)
		flow_expr_free(sp->keys[i]);
	free(sp->value_text);
	cJSON_Delete(sp->values_json);
	free(sp->filter_text);
	flow_filter_free(sp->filter);
	free(sp->agg_mode);
	free(sp);
}

static bool spec_fail(char *err, size_t errlen, const char *attr, const char *why)
{
	char t[256];

	snprintf(t, sizeof(t), "%s", why); /* why may point into err */
	snprintf(err, errlen, "%s: %s", attr, t);
	return false;
}

static bool add_key(struct flow_spec *sp, const char *s, size_t len, char *err, size_t errlen)
{
	if (sp->nkeys == FLOW_SPEC_KEYS_MAX)
		return spec_fail(err, errlen, "keys", "too many keys");
	sp->keys[sp->nkeys] = flow_expr_parse(s, len, err, errlen);
	if (sp->keys[sp->nkeys])
		sp->plain[sp->nkeys] = flow_expr_key(sp->keys[sp->nkeys]);
	if (!sp->keys[sp->nkeys])
		return spec_fail(err, errlen, "keys", err);
	sp->nkeys++;
	return true;
}

/* "a,group:b:x,[c]": keys split at top-level commas. */
static bool parse_key_string(struct flow_spec *sp, const char *s, char *err, size_t errlen)
{
	size_t start = 0, len = strlen(s);
	int depth = 0;

	if (len > FLOW_SPEC_TEXT_MAX)
		return spec_fail(err, errlen, "keys", "too long");
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		depth += i < len && s[i] == '[' ? 1 : i < len && s[i] == ']' ? -1 : 0;
		if ((i == len || (s[i] == ',' && depth == 0)) && i > start &&
		    !add_key(sp, s + start, i - start, err, errlen))
			return false;
		if (i < len && s[i] == ',' && depth == 0)
			start = i + 1;
	}
	return true;
}

static bool parse_keys(struct flow_spec *sp, const cJSON *k, char *err, size_t errlen)
{
	const cJSON *e;

	if (!k)
		return true; /* a keyless definition: one flow per data source */
	sp->keys_json = cJSON_Duplicate(k, true);
	if (cJSON_IsString(k))
		return parse_key_string(sp, k->valuestring, err, errlen);
	if (!cJSON_IsArray(k))
		return spec_fail(err, errlen, "keys", "expected a string or an array of strings");
	cJSON_ArrayForEach(e, k)
	{
		if (!cJSON_IsString(e))
			return spec_fail(err, errlen, "keys", "expected an array of strings");
		if (!add_key(sp, e->valuestring, strlen(e->valuestring), err, errlen))
			return false;
	}
	return true;
}

/* One value: bytes, frames, a numeric key, or agg:key. */
static bool parse_value(struct spec_value *v, const char *s, const char *attr, char *err,
			size_t errlen)
{
	static const struct {
		const char *prefix;
		enum flow_agg agg;
	} aggs[] = { { "rate:", FLOW_AGG_RATE },
		     { "avg:", FLOW_AGG_AVG },
		     { "count:", FLOW_AGG_COUNT },
		     { "min:", FLOW_AGG_MIN },
		     { "max:", FLOW_AGG_MAX } };
	char why[128];

	v->agg = FLOW_AGG_RATE;
	for (size_t i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
		if (strncmp(s, aggs[i].prefix, strlen(aggs[i].prefix)) == 0) {
			v->agg = aggs[i].agg;
			s += strlen(aggs[i].prefix);
			break;
		}
	v->src = !strcmp(s, "bytes") ? VAL_BYTES : !strcmp(s, "frames") ? VAL_FRAMES : VAL_KEY;
	if (v->src == VAL_KEY && (strchr(s, ':') || flow_key_resolve(s, &v->key) == -1)) {
		snprintf(why, sizeof(why), "bad value '%.64s'", s);
		return spec_fail(err, errlen, attr, why);
	}
	return true;
}

static bool parse_values(struct flow_spec *sp, const cJSON *body, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "value");
	const cJSON *vs = cJSON_GetObjectItemCaseSensitive(body, "values"), *e;
	char *list, *save = NULL;

	if (v && !cJSON_IsString(v))
		return spec_fail(err, errlen, "value", "expected a string");
	sp->value_text = strdup(v ? v->valuestring : "bytes");
	if (!sp->value_text || !parse_value(&sp->val[0], sp->value_text, "value", err, errlen))
		return false;
	sp->nvals = 1;
	if (!vs)
		return true;
	sp->values_json = cJSON_Duplicate(vs, true);
	if (cJSON_IsString(vs)) {
		list = strdup(vs->valuestring);
		for (char *t = list ? strtok_r(list, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save)) {
			if (sp->nvals == 1 + FLOW_CACHE_VALUES_MAX) {
				free(list);
				return spec_fail(err, errlen, "values", "too many values");
			}
			if (!parse_value(&sp->val[sp->nvals++], t, "values", err, errlen)) {
				free(list);
				return false;
			}
		}
		free(list);
		return true;
	}
	if (!cJSON_IsArray(vs))
		return spec_fail(err, errlen, "values", "expected a string or an array of strings");
	cJSON_ArrayForEach(e, vs)
	{
		if (!cJSON_IsString(e) || sp->nvals == 1 + FLOW_CACHE_VALUES_MAX)
			return spec_fail(err, errlen, "values",
					 cJSON_IsString(e) ? "too many values" :
							     "expected strings");
		if (!parse_value(&sp->val[sp->nvals++], e->valuestring, "values", err, errlen))
			return false;
	}
	return true;
}

/* Number attribute `name` clamped to [lo, hi] (def when absent). */
static bool number_attr(const cJSON *body, const char *name, double def, double lo, double hi,
			double *out, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(body, name);
	double v = def;

	if (j && cJSON_IsString(j)) { /* apps pass "10" as often as 10 */
		char *end;

		v = strtod(j->valuestring, &end);
		if (end == j->valuestring || *end)
			return spec_fail(err, errlen, name, "not a number");
	} else if (j && !cJSON_IsNumber(j)) {
		return spec_fail(err, errlen, name, "not a number");
	} else if (j) {
		v = j->valuedouble;
	}
	if (!isfinite(v))
		return spec_fail(err, errlen, name, "not a number");
	*out = v < lo ? lo : v > hi ? hi : v;
	return true;
}

static bool bool_attr(const cJSON *body, const char *name, bool *out, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(body, name);

	*out = false;
	if (!j)
		return true;
	if (cJSON_IsBool(j))
		*out = cJSON_IsTrue(j);
	else if (cJSON_IsString(j) &&
		 (!strcmp(j->valuestring, "true") || !strcmp(j->valuestring, "false")))
		*out = !strcmp(j->valuestring, "true");
	else
		return spec_fail(err, errlen, name, "not a boolean");
	return true;
}

static bool parse_misc(struct flow_spec *sp, const cJSON *body, char *err, size_t errlen)
{
	const cJSON *fs = cJSON_GetObjectItemCaseSensitive(body, "fs");
	const cJSON *agg = cJSON_GetObjectItemCaseSensitive(body, "aggMode");
	double n, at;

	if (!number_attr(body, "n", 5, 5, 20, &n, err, errlen) ||
	    !number_attr(body, "t", 2, 0.2, 600, &sp->t_s, err, errlen) ||
	    !number_attr(body, "activeTimeout", 60, 1, 3600, &at, err, errlen) ||
	    !bool_attr(body, "log", &sp->log, err, errlen) ||
	    !bool_attr(body, "flowStart", &sp->flow_start, err, errlen) ||
	    !bool_attr(body, "dropped", &sp->dropped, err, errlen))
		return false;
	sp->n = (unsigned)n;
	sp->active_timeout_s = (unsigned)at;
	if (fs &&
	    (!cJSON_IsString(fs) || strlen(fs->valuestring) >= SPEC_FS_MAX || !fs->valuestring[0]))
		return spec_fail(err, errlen, "fs", "expected a separator of 1 to 15 characters");
	snprintf(sp->fs, sizeof(sp->fs), "%s", fs ? fs->valuestring : ",");
	if (agg && !cJSON_IsString(agg))
		return spec_fail(err, errlen, "aggMode", "expected a string");
	if (agg && !(sp->agg_mode = strdup(agg->valuestring)))
		return false;
	return true;
}

static bool parse_filter(struct flow_spec *sp, const cJSON *body, char *err, size_t errlen)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(body, "filter");

	if (!f || (cJSON_IsString(f) && !f->valuestring[0]))
		return true;
	if (!cJSON_IsString(f))
		return spec_fail(err, errlen, "filter", "expected a string");
	sp->filter_text = strdup(f->valuestring);
	sp->filter = flow_filter_parse(f->valuestring, err, errlen);
	return sp->filter ? true : spec_fail(err, errlen, "filter", err);
}

struct flow_spec *flow_spec_parse(const cJSON *body, char *err, size_t errlen)
{
	struct flow_spec *sp;

	if (!cJSON_IsObject(body)) {
		snprintf(err, errlen, "expected a flow definition object");
		return NULL;
	}
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return NULL;
	if (!parse_keys(sp, cJSON_GetObjectItemCaseSensitive(body, "keys"), err, errlen) ||
	    !parse_values(sp, body, err, errlen) || !parse_filter(sp, body, err, errlen) ||
	    !parse_misc(sp, body, err, errlen)) {
		flow_spec_free(sp);
		return NULL;
	}
	return sp;
}

cJSON *flow_spec_json(const struct flow_spec *sp)
{
	cJSON *o = cJSON_CreateObject();

	if (sp->keys_json)
		cJSON_AddItemToObject(o, "keys", cJSON_Duplicate(sp->keys_json, true));
	else
		cJSON_AddStringToObject(o, "keys", "");
	cJSON_AddStringToObject(o, "value", sp->value_text);
	if (sp->values_json)
		cJSON_AddItemToObject(o, "values", cJSON_Duplicate(sp->values_json, true));
	if (sp->filter_text)
		cJSON_AddStringToObject(o, "filter", sp->filter_text);
	cJSON_AddNumberToObject(o, "n", sp->n);
	cJSON_AddNumberToObject(o, "t", sp->t_s);
	cJSON_AddStringToObject(o, "fs", sp->fs);
	cJSON_AddBoolToObject(o, "log", sp->log);
	cJSON_AddBoolToObject(o, "flowStart", sp->flow_start);
	cJSON_AddNumberToObject(o, "activeTimeout", sp->active_timeout_s);
	if (sp->agg_mode)
		cJSON_AddStringToObject(o, "aggMode", sp->agg_mode);
	cJSON_AddBoolToObject(o, "dropped", sp->dropped);
	return o;
}

void flow_spec_shape(const struct flow_spec *sp, uint32_t cap, struct flow_cache_shape *out)
{
	memset(out, 0, sizeof(*out));
	out->cap = cap;
	out->t_s = sp->t_s;
	out->nvalues = sp->nvals;
	for (uint32_t i = 0; i < sp->nvals; i++)
		out->agg[i] = sp->val[i].agg;
}

bool flow_spec_dropped(const struct flow_spec *sp)
{
	return sp->dropped;
}

bool flow_spec_log(const struct flow_spec *sp)
{
	return sp->log;
}

bool flow_spec_flow_start(const struct flow_spec *sp)
{
	return sp->flow_start;
}

unsigned flow_spec_active_timeout_s(const struct flow_spec *sp)
{
	return sp->active_timeout_s;
}

unsigned flow_spec_n(const struct flow_spec *sp)
{
	return sp->n;
}

/* The keys' values encoded one after another (flow_val.h) into
 * key[0..keycap); false when a key is null or they do not fit. */
static bool spec_key(const struct flow_spec *sp, const struct flow_env *env, struct flow_sample *fs,
		     uint8_t *key, size_t keycap, size_t *keylen)
{
	size_t n = 0;

	for (uint32_t i = 0; i < sp->nkeys; i++) {
		struct flow_val tmp;
		const struct flow_val *v = sp->plain[i] ? flow_key_get(fs, sp->plain[i], &tmp) :
							  flow_expr_get(sp->keys[i], env, fs, &tmp);
		size_t w;

		if (!v || (w = flow_val_encode(v, key + n, keycap - n)) == 0)
			return false;
		n += w;
	}
	*keylen = n;
	return true;
}

static uint64_t bytes_hash(const uint8_t *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h ^ (h >> 31);
}

static bool spec_amount(const struct spec_value *v, struct flow_sample *fs, double *out,
			uint64_t *hash)
{
	struct flow_val tmp;
	const struct flow_val *kv;
	uint8_t enc[4 + FLOW_VAL_TEXT_MAX];
	size_t n;

	switch (v->src) {
	case VAL_BYTES:
		*out = flow_sample_bytes(fs);
		return *out > 0;
	case VAL_FRAMES:
		*out = 1;
		return true;
	default:
		break;
	}
	if (v->agg != FLOW_AGG_COUNT)
		return flow_key_number(fs, &v->key, out);
	if (!(kv = flow_key_get(fs, &v->key, &tmp)) || (n = flow_val_encode(kv, enc, sizeof(enc))) == 0)
		return false;
	*out = 0;
	*hash = bytes_hash(enc, n);
	return true;
}

/* Each sampled packet stands for sampling_rate packets (1 for discards). */
static double sample_weight(const struct flow_sample *fs)
{
	uint32_t r = fs->rt_valid ? fs->rt.sampling_rate : fs->dropped ? 1 : fs->smp->sampling_rate;

	return r ? (double)r : 1.0;
}

bool flow_spec_eval(const struct flow_spec *sp, const struct flow_env *env, struct flow_sample *fs,
		    uint8_t *key, size_t keycap, size_t *keylen, struct flow_cache_contrib *x)
{
	flow_sample_fn_reset(fs);
	if (sp->filter && !flow_filter_match(sp->filter, env, fs))
		return false;
	if (!spec_key(sp, env, fs, key, keycap, keylen))
		return false;
	x->weight = sample_weight(fs);
	for (uint32_t i = 0; i < sp->nvals; i++)
		if (!spec_amount(&sp->val[i], fs, &x->v[i], &x->hash[i]))
			return false;
	return true;
}

int flow_spec_key_format(const struct flow_spec *sp, const void *key, size_t len, char *out,
			 size_t cap)
{
	return flow_val_format_joined(key, len, sp->fs, out, cap);
}
