/*
 * analyzer/http/rest_events.c: thresholds and events
 * (reference/sflow-rt-api.md §1.5) over analyzer/threshold.h and
 * analyzer/events.h. /events/json with eventID and timeout waits for a
 * newer event, at most REST_WAIT_MAX_S, as a parked connection
 * (rest_long_poll), not a busy server thread.
 */
#include "analyzer/http/rest.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/events.h"
#include "analyzer/threshold.h"

static bool have_thresholds(struct http_request *req, struct http_response *resp)
{
	if (req->ctx->thr && req->ctx->events)
		return true;
	rest_reply_error(resp, 503, "thresholds are not available");
	return false;
}

static void threshold_list(struct http_request *req, struct http_response *resp)
{
	if (have_thresholds(req, resp))
		rest_reply_json(req, resp, 200, thresholds_list_json(req->ctx->thr));
}

static void threshold_get(struct http_request *req, struct http_response *resp)
{
	cJSON *j;

	if (!have_thresholds(req, resp))
		return;
	j = thresholds_get_json(req->ctx->thr, req->params[0]);
	if (!j)
		rest_reply_error(resp, 404, "no threshold %.64s", req->params[0]);
	else
		rest_reply_json(req, resp, 200, j);
}

static void threshold_put(struct http_request *req, struct http_response *resp)
{
	char err[256] = "";
	cJSON *body;

	if (!have_thresholds(req, resp) || !(body = rest_body_json(req, resp)))
		return;
	if (thresholds_set(req->ctx->thr, req->params[0], body, err, sizeof(err)) == -1)
		rest_reply_error(resp, 400, "%s", err);
	else
		rest_reply_empty(resp, 204);
	cJSON_Delete(body);
}

static void threshold_delete(struct http_request *req, struct http_response *resp)
{
	if (!have_thresholds(req, resp))
		return;
	if (thresholds_delete(req->ctx->thr, req->params[0]) == -1)
		rest_reply_error(resp, 404, "no threshold %.64s", req->params[0]);
	else
		rest_reply_empty(resp, 204);
}

static void events_get(struct http_request *req, struct http_response *resp)
{
	double id = -1, max = 100, timeout = 0;

	if (!have_thresholds(req, resp) || !rest_query_number(req, resp, "eventID", -INFINITY, &id) ||
	    !rest_query_number(req, resp, "maxEvents", -INFINITY, &max) ||
	    !rest_query_number(req, resp, "timeout", -INFINITY, &timeout))
		return;
	if (rest_long_poll(req, resp, events_ready, req->ctx->events, (int64_t)id, timeout))
		return;
	rest_reply_json(req, resp, 200,
			events_json(req->ctx->events, rest_query_value(req, "thresholdID"), (int64_t)id,
				    max < 1 ? 1 : (size_t)max));
}

const struct router_route rest_events_routes[] = {
	{ "GET", "/threshold/json", threshold_list, 0 },
	{ "GET", "/threshold/{name}/json", threshold_get, 0 },
	{ "PUT", "/threshold/{name}/json", threshold_put, 0 },
	{ "DELETE", "/threshold/{name}/json", threshold_delete, 0 },
	{ "GET", "/events/json", events_get, 0 },
	{ NULL, NULL, NULL, 0 },
};
