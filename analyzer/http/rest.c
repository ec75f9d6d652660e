/*
 * analyzer/http/rest.c: the REST context and reply helpers shared by the
 * rest_*.c handlers (see rest.h).
 */
#include "analyzer/http/rest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/http/server_wait.h"

#define REST_TRIM_BYTES (8u << 20) /* answers above this return freed memory */

void rest_ctx_init(struct rest_ctx *ctx, const struct store_set *ss, struct forward *fw,
		   rest_status_fn *status_json, void *status_arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->stores = ss;
	ctx->fw = fw;
	ctx->status_json = status_json;
	ctx->status_arg = status_arg;
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_mutex_init(&ctx->waits_lock, NULL);
	snprintf(ctx->settings.prom_prefix, sizeof(ctx->settings.prom_prefix), "sflow_");
}

void rest_ctx_fini(struct rest_ctx *ctx)
{
	pthread_mutex_destroy(&ctx->lock);
	pthread_mutex_destroy(&ctx->waits_lock);
}

void rest_apps_set(struct rest_ctx *ctx, const struct rest_apps *apps)
{
	pthread_mutex_lock(&ctx->lock);
	ctx->apps = *apps;
	pthread_mutex_unlock(&ctx->lock);
}

void rest_waits_set(struct rest_ctx *ctx, struct server_waits *w, bool on)
{
	pthread_mutex_lock(&ctx->waits_lock);
	if (on)
		ctx->waits = w;
	else if (ctx->waits == w) /* a reload's new server may have replaced it */
		ctx->waits = NULL;
	pthread_mutex_unlock(&ctx->waits_lock);
}

void rest_wake(void *arg)
{
	struct rest_ctx *ctx = arg;

	pthread_mutex_lock(&ctx->waits_lock);
	if (ctx->waits)
		server_waits_kick(ctx->waits);
	pthread_mutex_unlock(&ctx->waits_lock);
}

void rest_settings_set(struct rest_ctx *ctx, const struct rest_settings *s)
{
	pthread_mutex_lock(&ctx->lock);
	ctx->settings = *s;
	pthread_mutex_unlock(&ctx->lock);
}

void rest_settings_get(struct rest_ctx *ctx, struct rest_settings *out)
{
	pthread_mutex_lock(&ctx->lock);
	*out = ctx->settings;
	pthread_mutex_unlock(&ctx->lock);
}

static void set_body(struct http_response *resp, int status, const char *content_type, char *body,
		     size_t len)
{
	free(resp->body);
	resp->status = status;
	resp->content_type = content_type;
	resp->body = body;
	resp->body_len = len;
}

void rest_reply_error(struct http_response *resp, int status, const char *fmt, ...)
{
	char why[512];
	cJSON *o = cJSON_CreateObject();
	char *text;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!o || !cJSON_AddStringToObject(o, "error", why) || !(text = cJSON_PrintUnformatted(o)))
		abort();
	cJSON_Delete(o);
	set_body(resp, status, "application/json", text, strlen(text));
}

void rest_reply_json(struct http_request *req, struct http_response *resp, int status,
		     cJSON *json)
{
	struct rest_settings s;
	char *text;
	size_t len;

	if (!json) {
		rest_reply_error(resp, 500, "no result");
		return;
	}
	rest_settings_get(req->ctx, &s);

	text = s.json_indent ? cJSON_Print(json) : cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	if (!text) {
		rest_reply_error(resp, 500, "out of memory printing the reply");
		return;
	}
	len = strlen(text);
	/* A large answer (a /dump of everything) built a tree about ten times
	 * its size; glibc would keep those pages in the HTTP thread's arena
	 * for good, so give them back now. */
	if (len > REST_TRIM_BYTES)
		malloc_trim(0);
	set_body(resp, status, "application/json", text, len);
}

void rest_reply_text(struct http_response *resp, int status, const char *content_type,
		     const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		abort();
	memcpy(copy, text, len);
	copy[len] = '\0';
	set_body(resp, status, content_type, copy, len);
}

void rest_reply_take(struct http_response *resp, int status, const char *content_type,
		     char *text, size_t len)
{
	if (len > REST_TRIM_BYTES)
		malloc_trim(0); /* see rest_reply_json */
	set_body(resp, status, content_type, text, len);
}

void rest_reply_empty(struct http_response *resp, int status)
{
	set_body(resp, status, NULL, NULL, 0);
}

const char *rest_query_value(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->query.n; i++)
		if (strcmp(req->query.kv[i].name, name) == 0)
			return req->query.kv[i].value;
	return NULL;
}

bool rest_query_number(const struct http_request *req, struct http_response *resp,
		       const char *name, double min, double *out)
{
	const char *v = rest_query_value(req, name);
	char *end;
	double d;

	if (!v)
		return true;
	errno = 0;
	d = strtod(v, &end);
	if (!*v || *end || errno || !(d >= min)) {
		if (min > -INFINITY)
			rest_reply_error(resp, 400, "%s: not a number >= %g: %.40s", name, min, v);
		else
			rest_reply_error(resp, 400, "%s: not a number: %.40s", name, v);
		return false;
	}
	*out = d;
	return true;
}

bool rest_long_poll(const struct http_request *req, struct http_response *resp,
		    bool (*ready)(void *obj, int64_t after), void *obj, int64_t after,
		    double timeout_s)
{
	if (!(timeout_s > 0) || req->final || ready(obj, after))
		return false;
	timeout_s = timeout_s > REST_WAIT_MAX_S ? REST_WAIT_MAX_S : timeout_s;
	resp->wait_ready = ready;
	resp->wait_obj = obj;
	resp->wait_after = after;
	resp->wait_until_ms = server_waits_now_ms() + (uint64_t)(timeout_s * 1000);
	return true;
}

cJSON *rest_body_json(struct http_request *req, struct http_response *resp)
{
	cJSON *j;

	if (!req->body || req->body_len == 0) {
		rest_reply_error(resp, 400, "empty body: expected a JSON object");
		return NULL;
	}
	j = cJSON_ParseWithLength(req->body, req->body_len);
	if (!j) {
		/* cJSON_GetErrorPtr() is a process-wide global: no position. */
		rest_reply_error(resp, 400, "body is not valid JSON");
		return NULL;
	}
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		rest_reply_error(resp, 400, "body must be a JSON object");
		return NULL;
	}
	return j;
}
