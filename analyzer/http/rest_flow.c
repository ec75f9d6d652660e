/*
 * analyzer/http/rest_flow.c: the flow endpoints of
 * reference/sflow-rt-api.md §1.4 and §1.6 over analyzer/flow_engine.h:
 * /flow, /activeflows, /flowvalue, /flowkeys, /group, /map. PUT creates
 * or replaces (204), DELETE removes (204, 404 when absent); a definition,
 * group or map the engine refuses is a 400 with its reason. Without an
 * engine every endpoint answers 503.
 */
#include "analyzer/http/rest.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer/clock.h"
#include "analyzer/flow_engine.h"
#include "analyzer/flow_log.h"

static bool have_engine(struct http_request *req, struct http_response *resp)
{
	if (req->ctx->flows)
		return true;
	rest_reply_error(resp, 503, "the flow engine is not available");
	return false;
}

static void flow_list(struct http_request *req, struct http_response *resp)
{
	if (have_engine(req, resp))
		rest_reply_json(req, resp, 200, flow_engine_list_json(req->ctx->flows));
}

static void flow_get(struct http_request *req, struct http_response *resp)
{
	cJSON *j;

	if (!have_engine(req, resp))
		return;
	j = flow_engine_get_json(req->ctx->flows, req->params[0]);
	if (!j)
		rest_reply_error(resp, 404, "no flow definition %.64s", req->params[0]);
	else
		rest_reply_json(req, resp, 200, j);
}

typedef int named_set_fn(struct flow_engine *e, const char *name, const cJSON *body, char *err,
			 size_t errlen);

static void named_put(struct http_request *req, struct http_response *resp, named_set_fn *fn)
{
	char err[256] = "";
	cJSON *body;

	if (!have_engine(req, resp))
		return;
	body = rest_body_json(req, resp);
	if (!body)
		return;
	if (fn(req->ctx->flows, req->params[0], body, err, sizeof(err)) == -1)
		rest_reply_error(resp, 400, "%s", err[0] ? err : "refused");
	else
		rest_reply_empty(resp, 204);
	cJSON_Delete(body);
}

static void flow_put(struct http_request *req, struct http_response *resp)
{
	named_put(req, resp, flow_engine_set);
}

static void flow_delete(struct http_request *req, struct http_response *resp)
{
	if (!have_engine(req, resp))
		return;
	if (flow_engine_delete(req->ctx->flows, req->params[0]) == -1)
		rest_reply_error(resp, 404, "no flow definition %.64s", req->params[0]);
	else
		rest_reply_empty(resp, 204);
}

static void activeflows_get(struct http_request *req, struct http_response *resp)
{
	struct flow_active_query q = { .max_flows = 100 };
	const char *mode = rest_query_value(req, "aggMode");
	double max_flows = 100;
	char err[256] = "";
	cJSON *out;

	if (!have_engine(req, resp) || !rest_query_number(req, resp, "maxFlows", 0, &max_flows) ||
	    !rest_query_number(req, resp, "minValue", 0, &q.min_value))
		return;
	if (mode && strcasecmp(mode, "max") != 0 && strcasecmp(mode, "sum") != 0 &&
	    strcasecmp(mode, "edge") != 0 && strcasecmp(mode, "core") != 0) {
		rest_reply_error(resp, 400, "aggMode: expected max, sum, edge or core");
		return;
	}
	/* edge and core need topology; until it exists they merge as max */
	q.agg_sum = mode && strcasecmp(mode, "sum") == 0;
	q.max_flows = (size_t)max_flows;
	q.filter = rest_query_value(req, "filter");
	if (!flow_engine_has(req->ctx->flows, req->params[1])) {
		rest_reply_error(resp, 404, "no flow definition %.64s", req->params[1]);
		return;
	}
	if (flow_engine_activeflows(req->ctx->flows, req->ctx->stores, req->params[0],
				    req->params[1], &q, clock_now_ms(), &out, err,
				    sizeof(err)) == -1)
		rest_reply_error(resp, 400, "%s", err);
	else
		rest_reply_json(req, resp, 200, out);
}

static void flowvalue_get(struct http_request *req, struct http_response *resp)
{
	char err[256] = "";
	double v;

	if (!have_engine(req, resp))
		return;
	if (flow_engine_flowvalue(req->ctx->flows, req->ctx->stores, req->params[0], req->params[1],
				  rest_query_value(req, "key"), clock_now_ms(), &v, err,
				  sizeof(err)) == -1)
		rest_reply_error(resp, 404, "%s", err);
	else
		rest_reply_json(req, resp, 200, cJSON_CreateNumber(v));
}

static void flowkeys_get(struct http_request *req, struct http_response *resp)
{
	if (have_engine(req, resp))
		rest_reply_json(req, resp, 200,
				flow_engine_flowkeys_json(req->ctx->flows, req->ctx->stores,
							  clock_now_ms()));
}

static void group_list(struct http_request *req, struct http_response *resp)
{
	if (have_engine(req, resp))
		rest_reply_json(req, resp, 200, flow_engine_groups_json(req->ctx->flows));
}

static void group_get(struct http_request *req, struct http_response *resp)
{
	cJSON *j;

	if (!have_engine(req, resp))
		return;
	j = flow_engine_group_json(req->ctx->flows, req->params[0]);
	if (!j)
		rest_reply_error(resp, 404, "no group %.64s", req->params[0]);
	else
		rest_reply_json(req, resp, 200, j);
}

static void group_put(struct http_request *req, struct http_response *resp)
{
	named_put(req, resp, flow_engine_set_group);
}

static void group_delete(struct http_request *req, struct http_response *resp)
{
	if (!have_engine(req, resp))
		return;
	if (flow_engine_delete_group(req->ctx->flows, req->params[0]) == -1)
		rest_reply_error(resp, 404, "no group %.64s", req->params[0]);
	else
		rest_reply_empty(resp, 204);
}

static void map_list(struct http_request *req, struct http_response *resp)
{
	if (have_engine(req, resp))
		rest_reply_json(req, resp, 200, flow_engine_maps_json(req->ctx->flows));
}

static void map_get(struct http_request *req, struct http_response *resp)
{
	cJSON *j;

	if (!have_engine(req, resp))
		return;
	j = flow_engine_map_json(req->ctx->flows, req->params[0]);
	if (!j)
		rest_reply_error(resp, 404, "no map %.64s", req->params[0]);
	else
		rest_reply_json(req, resp, 200, j);
}

static void map_put(struct http_request *req, struct http_response *resp)
{
	named_put(req, resp, flow_engine_set_map);
}

static void map_delete(struct http_request *req, struct http_response *resp)
{
	if (!have_engine(req, resp))
		return;
	if (flow_engine_delete_map(req->ctx->flows, req->params[0]) == -1)
		rest_reply_error(resp, 404, "no map %.64s", req->params[0]);
	else
		rest_reply_empty(resp, 204);
}

/*
 * GET /flows/json: logged flows newest first; with flowID, only newer ones,
 * waiting up to timeout seconds (at most REST_WAIT_MAX_S) for one to come,
 * as a parked connection (rest_long_poll).
 */
static void flows_get(struct http_request *req, struct http_response *resp)
{
	double max = 100, id = -1, timeout = 0;

	if (!req->ctx->flog) {
		rest_reply_error(resp, 503, "the flow log is not available");
		return;
	}
	if (!rest_query_number(req, resp, "flowID", -INFINITY, &id) ||
	    !rest_query_number(req, resp, "maxFlows", 0, &max) ||
	    !rest_query_number(req, resp, "timeout", 0, &timeout))
		return;
	if (rest_long_poll(req, resp, flow_log_ready, req->ctx->flog, (int64_t)id, timeout))
		return;
	rest_reply_json(req, resp, 200,
			flow_log_json(req->ctx->flog, rest_query_value(req, "name"), (int64_t)id,
				      max < 1 ? 1 : (size_t)max));
}

const struct router_route rest_flow_routes[] = {
	{ "GET", "/flows/json", flows_get, 0 },
	{ "GET", "/flow/json", flow_list, 0 },
	{ "GET", "/flow/{name}/json", flow_get, 0 },
	{ "PUT", "/flow/{name}/json", flow_put, 0 },
	{ "DELETE", "/flow/{name}/json", flow_delete, 0 },
	{ "GET", "/activeflows/{agents}/{name}/json", activeflows_get, 0 },
	{ "GET", "/flowvalue/{agent}/{dsname}/json", flowvalue_get, 0 },
	{ "GET", "/flowkeys/json", flowkeys_get, 0 },
	{ "GET", "/group/json", group_list, 0 },
	{ "GET", "/group/{name}/json", group_get, 0 },
	{ "PUT", "/group/{name}/json", group_put, 0 },
	{ "DELETE", "/group/{name}/json", group_delete, 0 },
	{ "GET", "/map/json", map_list, 0 },
	{ "GET", "/map/{name}/json", map_get, 0 },
	{ "PUT", "/map/{name}/json", map_put, 0 },
	{ "DELETE", "/map/{name}/json", map_delete, 0 },
	{ NULL, NULL, NULL, 0 },
};
