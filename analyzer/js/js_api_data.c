/*
 * analyzer/js/js_api_data.c: the script functions over the analyzer's
 * data (reference/sflow-rt-api.md §4.2): analyzer, agents, metrics,
 * metric, dump, table; setFlow, clearFlow, flowKeys, activeFlows,
 * flowValue, setGroups, setMap; setThreshold, clearThreshold.
 *
 * Each answers what the REST endpoint of the same name answers: the same
 * query function (analyzer/query.h, flow_engine.h, threshold.h) builds a
 * cJSON tree, which crosses into the script's heap as JSON text. Agents
 * and metric lists may be strings or arrays; a filter object
 * {attr: [values]} is the REST query string. Bad arguments, unknown
 * definitions and invalid specs throw Errors with the reason REST gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer/clock.h"
#include "analyzer/flow_engine.h"
#include "analyzer/js/js_internal.h"
#include "analyzer/query.h"
#include "analyzer/threshold.h"
#include "duktape.h"

#define JS_LIST_MAX 4096 /* bytes of an agents, metrics or columns list */

static const struct js_analyzer *data_of(duk_context *ctx)
{
	return &((struct js_script *)js_heap_owner(ctx))->rt->cfg.an;
}

/* The stores; throws when the runtime has none (tests without an analyzer). */
static const struct store_set *stores_of(duk_context *ctx)
{
	const struct store_set *ss = data_of(ctx)->ss;

	if (!ss)
		(void)duk_error(ctx, DUK_ERR_ERROR, "no metric stores in this runtime");
	return ss;
}

/* Push tree (taken) into the heap as the value its JSON text is. */
int js_push_json(duk_context *ctx, cJSON *tree)
{
	char *text = tree ? cJSON_PrintUnformatted(tree) : NULL;

	cJSON_Delete(tree);
	if (!text)
		return duk_error(ctx, DUK_ERR_ERROR, "out of memory");
	duk_push_string(ctx, text);
	free(text);
	duk_json_decode(ctx, -1);
	return 1;
}

/* Argument i as a list: a string as it is, an array's strings joined by
 * sep; into buf. */
static const char *list_arg(duk_context *ctx, duk_idx_t i, char sep, char *buf, size_t cap)
{
	size_t n = 0;

	if (duk_is_string(ctx, i))
		return duk_get_string(ctx, i);
	if (!duk_is_array(ctx, i))
		(void)duk_type_error(ctx, "expected a string or an array of strings");
	buf[0] = '\0';
	for (duk_uarridx_t k = 0; k < duk_get_length(ctx, i); k++) {
		const char *s;

		duk_get_prop_index(ctx, i, k);
		s = duk_require_string(ctx, -1);
		n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", k ? (char[]){ sep, 0 } : "",
				      s);
		duk_pop(ctx);
		if (n >= cap)
			(void)duk_range_error(ctx, "list longer than %d bytes", JS_LIST_MAX);
	}
	return buf;
}

/* Argument i, a filter object {attr: value or [values]}, into f; its
 * strings stay on the value stack (above i) until the call returns. */
static void filter_arg(duk_context *ctx, duk_idx_t i, struct query_filter *f)
{
	f->n = 0;
	if (duk_is_undefined(ctx, i) || duk_is_null(ctx, i))
		return;
	if (!duk_is_object(ctx, i) || duk_is_array(ctx, i))
		(void)duk_type_error(ctx, "filter: expected an object {attribute: [values]}");
	duk_enum(ctx, i, DUK_ENUM_OWN_PROPERTIES_ONLY);
	while (duk_next(ctx, -1, 1)) {
		const char *name = duk_require_string(ctx, -2);
		duk_uarridx_t nv = duk_is_array(ctx, -1) ? (duk_uarridx_t)duk_get_length(ctx, -1) : 1;

		for (duk_uarridx_t k = 0; k < nv; k++) {
			if (f->n == QUERY_MAX_FILTERS)
				(void)duk_range_error(ctx, "filter: more than %d values", QUERY_MAX_FILTERS);
			if (duk_is_array(ctx, -1))
				duk_get_prop_index(ctx, -1, k);
			else
				duk_dup(ctx, -1);
			f->kv[f->n].name = name;
			f->kv[f->n++].value = duk_to_string(ctx, -1); /* stays on the stack */
			duk_insert(ctx, -4);                         /* below the key and value */
		}
		duk_pop_2(ctx);
	}
	duk_pop(ctx);
}

static duk_ret_t api_analyzer(duk_context *ctx)
{
	const struct js_analyzer *an = data_of(ctx);

	return js_push_json(ctx, an->status_json ? an->status_json(an->status_arg) : cJSON_CreateObject());
}

static duk_ret_t api_agents(duk_context *ctx)
{
	const char *agents[QUERY_MAX_FILTERS];
	size_t n = 0;

	if (duk_is_array(ctx, 0))
		for (duk_uarridx_t k = 0; k < duk_get_length(ctx, 0) && n < QUERY_MAX_FILTERS; k++) {
			duk_get_prop_index(ctx, 0, k);
			agents[n++] = duk_require_string(ctx, -1); /* stays on the stack */
		}
	else if (!duk_is_undefined(ctx, 0))
		agents[n++] = duk_require_string(ctx, 0);
	return js_push_json(ctx, query_agents_json(stores_of(ctx), agents, n, clock_now_ms()));
}

static duk_ret_t api_metrics(duk_context *ctx)
{
	const struct store_set *ss = stores_of(ctx);
	cJSON *j;

	if (duk_is_undefined(ctx, 0))
		return js_push_json(ctx, query_metric_names_json(ss, clock_now_ms()));
	j = query_agent_metrics_json(ss, duk_require_string(ctx, 0), clock_now_ms());
	if (!j)
		return duk_error(ctx, DUK_ERR_ERROR, "metrics: unknown agent %s", duk_get_string(ctx, 0));
	return js_push_json(ctx, j);
}

typedef int js_query_fn(const struct store_set *ss, const char *agents, const char *metrics,
			const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
			size_t errlen);

/* metric, dump, table: (agents, metrics or columns[, filter]). */
static duk_ret_t api_query(duk_context *ctx)
{
	static js_query_fn *const fns[] = { query_metric_json, query_dump_json, query_table_json };
	char agents_buf[JS_LIST_MAX], metrics_buf[JS_LIST_MAX], err[256];
	const char *agents = list_arg(ctx, 0, ';', agents_buf, sizeof(agents_buf));
	const char *metrics = list_arg(ctx, 1, ',', metrics_buf, sizeof(metrics_buf));
	struct query_filter f;
	cJSON *out = NULL;

	filter_arg(ctx, 2, &f);
	if (fns[duk_get_current_magic(ctx)](stores_of(ctx), agents, metrics, &f, clock_now_ms(),
					    &out, err, sizeof(err)) == -1)
		return duk_error(ctx, DUK_ERR_ERROR, "%s", err);
	return js_push_json(ctx, out);
}

/* The JSON of argument i as a cJSON tree (caller frees); throws when it
 * is not JSON data. */
static cJSON *tree_arg(duk_context *ctx, duk_idx_t i)
{
	cJSON *t;

	duk_dup(ctx, i);
	t = cJSON_Parse(duk_json_encode(ctx, -1));
	duk_pop(ctx);
	if (!t)
		(void)duk_type_error(ctx, "expected JSON data");
	return t;
}

/* setFlow, setGroups, setMap, setThreshold (magic 0..3): (name, spec). */
static duk_ret_t api_set(duk_context *ctx)
{
	const struct js_analyzer *an = data_of(ctx);
	const char *name = duk_require_string(ctx, 0);
	cJSON *spec = tree_arg(ctx, 1);
	int magic = duk_get_current_magic(ctx), rc = -1;
	char err[256] = "not available";

	if (magic == 0 && an->flows)
		rc = flow_engine_set(an->flows, name, spec, err, sizeof(err));
	else if (magic == 1 && an->flows)
		rc = flow_engine_set_group(an->flows, name, spec, err, sizeof(err));
	else if (magic == 2 && an->flows)
		rc = flow_engine_set_map(an->flows, name, spec, err, sizeof(err));
	else if (magic == 3 && an->thr)
		rc = thresholds_set(an->thr, name, spec, err, sizeof(err));
	cJSON_Delete(spec);
	if (magic == 1 || magic == 2) { /* setGroups, setMap answer, as sFlow-RT's */
		duk_push_boolean(ctx, rc == 0);
		return 1;
	}
	if (rc == -1)
		return duk_error(ctx, DUK_ERR_ERROR, "%s", err);
	return 0;
}

/* clearFlow, clearThreshold (magic 0, 1): (name). */
static duk_ret_t api_clear(duk_context *ctx)
{
	const struct js_analyzer *an = data_of(ctx);
	const char *name = duk_require_string(ctx, 0);

	if (duk_get_current_magic(ctx) == 0 && an->flows)
		flow_engine_delete(an->flows, name);
	else if (an->thr)
		thresholds_delete(an->thr, name);
	return 0;
}

static duk_ret_t api_flow_keys(duk_context *ctx)
{
	const struct js_analyzer *an = data_of(ctx);

	return js_push_json(ctx, an->flows && an->ss ?
				      flow_engine_flowkeys_json(an->flows, an->ss, clock_now_ms()) :
				      cJSON_CreateObject());
}

/* activeFlows(agents, name[, maxFlows[, minValue[, aggMode]]]) */
static duk_ret_t api_active_flows(duk_context *ctx)
{
	const struct js_analyzer *an = data_of(ctx);
	char agents_buf[JS_LIST_MAX], err[256];
	const char *agents = list_arg(ctx, 0, ';', agents_buf, sizeof(agents_buf));
	const char *name = duk_require_string(ctx, 1);
	struct flow_active_query q = { .max_flows = 100 };
	cJSON *out = NULL;

	if (!duk_is_undefined(ctx, 2) && !duk_is_null(ctx, 2))
		q.max_flows = (size_t)duk_require_number(ctx, 2);
	if (!duk_is_undefined(ctx, 3) && !duk_is_null(ctx, 3))
		q.min_value = duk_require_number(ctx, 3);
	if (!duk_is_undefined(ctx, 4) && !duk_is_null(ctx, 4))
		q.agg_sum = strcasecmp(duk_require_string(ctx, 4), "sum") == 0;
	if (!an->flows || !an->ss || flow_engine_activeflows(an->flows, an->ss, agents, name, &q,
						  clock_now_ms(), &out, err, sizeof(err)) == -1)
		return duk_error(ctx, DUK_ERR_ERROR, "activeFlows: %s", an->flows ? err : "no flows");
	return js_push_json(ctx, out);
}

/* flowValue(agent, "ds.name"[, key]) */
static duk_ret_t api_flow_value(duk_context *ctx)
{
	const struct js_analyzer *an = data_of(ctx);
	const char *agent = duk_require_string(ctx, 0), *dsname = duk_require_string(ctx, 1);
	const char *key = duk_is_undefined(ctx, 2) ? NULL : duk_require_string(ctx, 2);
	char err[256];
	double v;

	if (!an->flows || !an->ss || flow_engine_flowvalue(an->flows, an->ss, agent, dsname, key,
						clock_now_ms(), &v, err, sizeof(err)) == -1)
		return duk_error(ctx, DUK_ERR_ERROR, "flowValue: %s", an->flows ? err : "no flows");
	duk_push_number(ctx, v);
	return 1;
}

void js_api_data_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "analyzer", api_analyzer, 0, 0 },
		{ "agents", api_agents, 1, 0 },
		{ "metrics", api_metrics, 1, 0 },
		{ "metric", api_query, 3, 0 },
		{ "dump", api_query, 3, 1 },
		{ "table", api_query, 3, 2 },
		{ "setFlow", api_set, 2, 0 },
		{ "setGroups", api_set, 2, 1 },
		{ "setMap", api_set, 2, 2 },
		{ "setThreshold", api_set, 2, 3 },
		{ "clearFlow", api_clear, 1, 0 },
		{ "clearThreshold", api_clear, 1, 1 },
		{ "flowKeys", api_flow_keys, 0, 0 },
		{ "activeFlows", api_active_flows, 5, 0 },
		{ "flowValue", api_flow_value, 3, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
}
