/*
 * analyzer/http/rest_server.c: the server endpoints: /version (text/plain
 * REST_VERSION: sFlow-RT clients parse "major.minor-build", e.g.
 * "3.0-1477", so the body is the bare version), /analyzer/json (composed
 * by the analyzer's status callback), /scripts/json (the script runtime's)
 * and "/": a redirect to the home app, or without one a small HTML
 * status page with links to the JSON endpoints.
 */
#include "analyzer/http/rest.h"
#include "analyzer/js/js_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void version_get(struct http_request *req, struct http_response *resp)
{
	(void)req;
	rest_reply_text(resp, 200, "text/plain", REST_VERSION, strlen(REST_VERSION));
}

static cJSON *status_json(struct rest_ctx *ctx)
{
	return ctx->status_json ? ctx->status_json(ctx->status_arg) : cJSON_CreateObject();
}

static void analyzer_get(struct http_request *req, struct http_response *resp)
{
	rest_reply_json(req, resp, 200, status_json(req->ctx));
}

/* /scripts/json: the script runtime's status of each script. */
static void scripts_get(struct http_request *req, struct http_response *resp)
{
	struct rest_ctx *ctx = req->ctx;
	cJSON *j;

	pthread_mutex_lock(&ctx->lock); /* the runtime is not stopped meanwhile */
	j = js_runtime_scripts_json(ctx->apps.js);
	pthread_mutex_unlock(&ctx->lock);
	rest_reply_json(req, resp, 200, j);
}

static double field(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char status_page[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>rtflow-analyzer</title>"
	"<style>body{font-family:sans-serif;margin:2em}td{padding:2px 1em}</style></head>\n"
	"<body><h1>rtflow-analyzer %s</h1>\n<table>\n"
	"<tr><td>Uptime</td><td>%.0f s</td></tr>\n"
	"<tr><td>sFlow agents</td><td>%.0f</td></tr>\n"
	"<tr><td>sFlow datagrams received</td><td>%.0f</td></tr>\n"
	"<tr><td>sFlow datagrams discarded</td><td>%.0f</td></tr>\n"
	"<tr><td>Parse errors</td><td>%.0f</td></tr>\n"
	"</table>\n<h2>REST API</h2>\n<ul>\n"
	"<li><a href=\"version\">/version</a></li>\n"
	"<li><a href=\"analyzer/json\">/analyzer/json</a></li>\n"
	"<li><a href=\"agents/json\">/agents/json</a></li>\n"
	"<li><a href=\"metrics/json\">/metrics/json</a></li>\n"
	"<li><a href=\"dump/ALL/ALL/json\">/dump/ALL/ALL/json</a></li>\n"
	"<li><a href=\"forwarding/json\">/forwarding/json</a></li>\n"
	"<li><a href=\"prometheus/analyzer/txt\">/prometheus/analyzer/txt</a></li>\n"
	"<li><a href=\"prometheus/metrics/ALL/ALL/txt\">/prometheus/metrics/ALL/ALL/txt</a></li>\n"
	"</ul></body></html>\n";

/* "/": the home app (rest_apps.redirect), or the status page. */
static void index_get(struct http_request *req, struct http_response *resp)
{
	struct rest_ctx *ctx = req->ctx;
	cJSON *s;
	char *page = NULL;
	int n;

	pthread_mutex_lock(&ctx->lock);
	snprintf(resp->location, sizeof(resp->location), "%s", ctx->apps.redirect);
	pthread_mutex_unlock(&ctx->lock);
	if (resp->location[0]) {
		rest_reply_text(resp, 302, "text/plain", "", 0);
		return;
	}
	s = status_json(ctx);
	n = asprintf(&page, status_page, REST_VERSION, field(s, "uptime") / 1000,
		     field(s, "sFlowAgents"), field(s, "sFlowDatagramsReceived"),
		     field(s, "sFlowDatagramsDiscarded"), field(s, "sFlowParseErrors"));
	cJSON_Delete(s);
	if (n == -1) {
		rest_reply_error(resp, 500, "out of memory");
		return;
	}
	rest_reply_text(resp, 200, "text/html; charset=utf-8", page, (size_t)n);
	free(page);
}

const struct router_route rest_server_routes[] = {
	{ "GET", "/", index_get, 0 },
	{ "GET", "/version", version_get, 0 },
	{ "GET", "/analyzer/json", analyzer_get, 0 },
	{ "GET", "/scripts/json", scripts_get, 0 },
	{ NULL, NULL, NULL, 0 },
};
