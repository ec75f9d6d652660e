/*
 * analyzer/js/js_api_info.c: script functions about the analyzer's
 * state (reference/sflow-rt-api.md §4.2): getSystemPropertyNames,
 * datasourceInfo, ifName, thresholdTriggered, setForward/clearForward.
 * Each reads the same structure its REST counterpart reads.
 */
#include <stdio.h>
#include <string.h>

#include "analyzer/clock.h"
#include "analyzer/forward.h"
#include "analyzer/js/js_internal.h"
#include "analyzer/query.h"
#include "analyzer/threshold.h"
#include "duktape.h"

static const struct js_runtime_config *cfg_of(duk_context *ctx)
{
	return &((struct js_script *)js_heap_owner(ctx))->rt->cfg;
}

static duk_ret_t api_property_names(duk_context *ctx)
{
	const struct js_runtime_config *cfg = cfg_of(ctx);

	return js_push_json(ctx, cfg->property_names ? cfg->property_names(cfg->property_arg) :
						       cJSON_CreateArray());
}

/* datasourceInfo(agent, ds): the data source's sampling and polling, or
 * null when the agent has no such data source. */
static duk_ret_t api_datasource_info(duk_context *ctx)
{
	const char *agent = duk_require_string(ctx, 0);
	const char *ds = duk_to_string(ctx, 1);
	cJSON *j;

	if (!cfg_of(ctx)->an.ss)
		return duk_error(ctx, DUK_ERR_ERROR, "datasourceInfo: no metric stores");
	j = query_datasource_json(cfg_of(ctx)->an.ss, agent, ds, clock_now_ms());
	if (!j) {
		duk_push_null(ctx);
		return 1;
	}
	return js_push_json(ctx, j);
}

struct ifname_find {
	const char *ifindex;
	char name[256];
	bool found;
};

static void ifname_item(void *arg, const struct query_item *it)
{
	struct ifname_find *f = arg;

	if (!f->found && it->is_string && strcmp(it->datasource, f->ifindex) == 0) {
		snprintf(f->name, sizeof(f->name), "%s", it->str);
		f->found = true;
	}
}

/* ifName(agent, ifIndex): the interface's ifname metric, or null. */
static duk_ret_t api_ifname(duk_context *ctx)
{
	const char *agent = duk_require_string(ctx, 0);
	struct ifname_find f = { .ifindex = duk_to_string(ctx, 1) };
	char err[256];

	if (!cfg_of(ctx)->an.ss)
		return duk_error(ctx, DUK_ERR_ERROR, "ifName: no metric stores");
	if (query_dump_each(cfg_of(ctx)->an.ss, agent, "ifname", NULL, clock_now_ms(), false,
			    ifname_item, &f, err, sizeof(err)) == -1)
		return duk_error(ctx, DUK_ERR_ERROR, "ifName: %s", err);
	if (f.found)
		duk_push_string(ctx, f.name);
	else
		duk_push_null(ctx);
	return 1;
}

/* thresholdTriggered(thresholdID, agent, "ds.metric"[, flowKey]). */
static duk_ret_t api_threshold_triggered(duk_context *ctx)
{
	struct thresholds *t = cfg_of(ctx)->an.thr;
	const char *name = duk_require_string(ctx, 0);
	const char *agent = duk_require_string(ctx, 1);
	const char *ds_metric = duk_require_string(ctx, 2);
	const char *key = duk_is_string(ctx, 3) ? duk_get_string(ctx, 3) : NULL;

	duk_push_boolean(ctx, t && thresholds_triggered(t, name, agent, ds_metric, key));
	return 1;
}

/* setForward(name, address[, port = 6343]), as PUT /forwarding/{name}/json. */
static duk_ret_t api_set_forward(duk_context *ctx)
{
	struct forward *fw = cfg_of(ctx)->an.fw;
	const char *name = duk_require_string(ctx, 0);
	cJSON *body = cJSON_CreateObject();
	char err[256];
	int rc;

	cJSON_AddStringToObject(body, "address", duk_require_string(ctx, 1));
	cJSON_AddNumberToObject(body, "port", duk_is_undefined(ctx, 2) ? 6343 :
									 duk_require_number(ctx, 2));
	rc = fw ? forward_set(fw, name, body, err, sizeof(err)) : -1;
	cJSON_Delete(body);
	if (rc == -1)
		return duk_error(ctx, DUK_ERR_ERROR, "setForward: %s", fw ? err : "no forwarding");
	return 0;
}

static duk_ret_t api_clear_forward(duk_context *ctx)
{
	struct forward *fw = cfg_of(ctx)->an.fw;

	duk_push_boolean(ctx, fw && forward_delete(fw, duk_require_string(ctx, 0)) == 0);
	return 1;
}

void js_api_info_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "getSystemPropertyNames", api_property_names, 0, 0 },
		{ "datasourceInfo", api_datasource_info, 2, 0 },
		{ "ifName", api_ifname, 2, 0 },
		{ "thresholdTriggered", api_threshold_triggered, 4, 0 },
		{ "setForward", api_set_forward, 3, 0 },
		{ "clearForward", api_clear_forward, 1, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
}
