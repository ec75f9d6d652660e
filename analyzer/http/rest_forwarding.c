/*
 * analyzer/http/rest_forwarding.c: /forwarding/json and
 * /forwarding/{name}/json (reference/sflow-rt-api.md §1.6) over
 * analyzer/forward.h. PUT creates or replaces (204), DELETE removes (204,
 * 404 when absent); a body forward_set() rejects is a 400 with its reason.
 */
#include "analyzer/http/rest.h"

#include <string.h>

#define REST_FORWARD_MAX_NAME 128

static bool have_forward(struct http_request *req, struct http_response *resp)
{
	if (req->ctx->fw)
		return true;
	rest_reply_error(resp, 503, "forwarding is not available");
	return false;
}

static bool name_ok(struct http_request *req, struct http_response *resp)
{
	if (strlen(req->params[0]) <= REST_FORWARD_MAX_NAME)
		return true;
	rest_reply_error(resp, 400, "name longer than %d bytes", REST_FORWARD_MAX_NAME);
	return false;
}

static void forwarding_list(struct http_request *req, struct http_response *resp)
{
	if (have_forward(req, resp))
		rest_reply_json(req, resp, 200, forward_list_json(req->ctx->fw));
}

static void forwarding_get(struct http_request *req, struct http_response *resp)
{
	cJSON *j;

	if (!have_forward(req, resp))
		return;
	j = forward_get_json(req->ctx->fw, req->params[0]);
	if (!j) {
		rest_reply_error(resp, 404, "no forwarding target %.128s", req->params[0]);
		return;
	}
	rest_reply_json(req, resp, 200, j);
}

static void forwarding_put(struct http_request *req, struct http_response *resp)
{
	char err[256] = "";
	cJSON *body;

	if (!have_forward(req, resp) || !name_ok(req, resp))
		return;
	body = rest_body_json(req, resp);
	if (!body)
		return;
	if (forward_set(req->ctx->fw, req->params[0], body, err, sizeof(err)) == -1)
		rest_reply_error(resp, 400, "%s", err[0] ? err : "bad forwarding target");
	else
		rest_reply_empty(resp, 204);
	cJSON_Delete(body);
}

static void forwarding_delete(struct http_request *req, struct http_response *resp)
{
	if (!have_forward(req, resp))
		return;
	if (forward_delete(req->ctx->fw, req->params[0]) == -1)
		rest_reply_error(resp, 404, "no forwarding target %.128s", req->params[0]);
	else
		rest_reply_empty(resp, 204);
}

const struct router_route rest_forwarding_routes[] = {
	{ "GET", "/forwarding/json", forwarding_list, 0 },
	{ "GET", "/forwarding/{name}/json", forwarding_get, 0 },
	{ "PUT", "/forwarding/{name}/json", forwarding_put, 0 },
	{ "DELETE", "/forwarding/{name}/json", forwarding_delete, 0 },
	{ NULL, NULL, NULL, 0 },
};
