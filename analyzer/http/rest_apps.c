/*
 * analyzer/http/rest_apps.c: apps over HTTP (reference/sflow-rt-api.md
 * §1.2): /apps/json, /status, /app/{app}/status, the apps' static files
 * (/app/{app}/html/...), the shared /inc/ bundle, and requests routed to
 * a script's setHttpHandler: /app/{app}/scripts/{script}/{path...}/{fmt}
 * and the legacy /script/{app}~{script}/{path...}/{fmt}.
 *
 * Static files: a path segment that is "..", "." or starts with '.' is
 * refused (404), so nothing outside the app's html/ (or the /inc/
 * directory) is served; a path ending in '/' serves its index.html.
 *
 * Script requests: the request is queued for the script (js_http_submit)
 * and the connection parked (server_wait.h) until the script answers or
 * rest_apps.script_timeout_ms pass (503), so a slow script holds no
 * server thread and other requests go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/http/rest.h"
#include "analyzer/http/server_wait.h"
#include "analyzer/js/js_runtime.h"

#define REST_FILE_MAX (32u << 20) /* bytes of one static file */

static void apps_get(struct http_request *req, struct http_response *resp)
{
	struct rest_ctx *ctx = req->ctx;
	cJSON *j;

	pthread_mutex_lock(&ctx->lock); /* the runtime is not stopped meanwhile */
	j = js_runtime_apps_json(ctx->apps.js);
	pthread_mutex_unlock(&ctx->lock);
	if (j && !j->child) {
		cJSON_Delete(j);
		rest_reply_error(resp, 404, "no apps");
		return;
	}
	rest_reply_json(req, resp, 200, j);
}

/* /status (no param) and /app/{app}/status: text OK or UNAVAILABLE. */
static void status_get(struct http_request *req, struct http_response *resp)
{
	struct rest_ctx *ctx = req->ctx;
	int status;

	pthread_mutex_lock(&ctx->lock);
	status = js_runtime_app_status(ctx->apps.js, req->nparams ? req->params[0] : NULL);
	pthread_mutex_unlock(&ctx->lock);
	if (status == 404)
		rest_reply_error(resp, 404, "no such app: %.64s", req->params[0]);
	else if (status == 200)
		rest_reply_text(resp, 200, "text/plain", "OK", 2);
	else
		rest_reply_text(resp, 503, "text/plain", "UNAVAILABLE", 11);
}

static const char *content_type_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".htm", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".gif", "image/gif" },
		{ ".jpg", "image/jpeg" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".map", "application/json" },
		{ ".woff", "font/woff" },
		{ ".woff2", "font/woff2" },
		{ ".yml", "text/yaml; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Whether rel (segments joined by '/') stays inside its root. */
static bool rel_safe(const char *rel)
{
	for (const char *p = rel; *p;) {
		size_t len = strcspn(p, "/");

		if (len && p[0] == '.') /* ".", "..", hidden files */
			return false;
		p += len;
		if (*p == '/')
			p++;
	}
	return true;
}

/* Read a whole regular file (at most REST_FILE_MAX bytes). */
static char *file_read(const char *path, size_t *len, int *status)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	ssize_t n = -1;

	*status = 404;
	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= REST_FILE_MAX &&
	    (buf = malloc((size_t)st.st_size + 1)))
		n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != (ssize_t)st.st_size) {
		*status = buf ? 500 : 404;
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Serve root/rel (rel "" or ending in '/': its index.html). */
static void file_serve(struct http_response *resp, const char *root, const char *rel)
{
	char path[8192];
	size_t rlen = strlen(rel), len;
	bool dir = rlen == 0 || rel[rlen - 1] == '/';
	int status, n;
	char *body;

	if (!root[0] || !rel_safe(rel)) {
		rest_reply_error(resp, 404, "no such file: %.200s", rel);
		return;
	}
	n = snprintf(path, sizeof(path), "%s/%s%s", root, rel, dir ? "index.html" : "");
	body = n < (int)sizeof(path) ? file_read(path, &len, &status) : NULL;
	if (!body) {
		rest_reply_error(resp, n < (int)sizeof(path) ? status : 414, "no such file: %.200s",
				 rel);
		return;
	}
	rest_reply_take(resp, 200, content_type_of(path), body, len);
}

/* /app/{app}/html/{...} */
static void html_get(struct http_request *req, struct http_response *resp)
{
	struct rest_ctx *ctx = req->ctx;
	char dir[4096] = "", root[4200];
	bool found;

	pthread_mutex_lock(&ctx->lock);
	found = js_runtime_app_dir(ctx->apps.js, req->params[0], dir, sizeof(dir));
	pthread_mutex_unlock(&ctx->lock);
	if (!found) {
		rest_reply_error(resp, 404, "no such app: %.64s", req->params[0]);
		return;
	}
	snprintf(root, sizeof(root), "%s/html", dir);
	file_serve(resp, root, req->params[1]);
}

/* /inc/{...} */
static void inc_get(struct http_request *req, struct http_response *resp)
{
	struct rest_ctx *ctx = req->ctx;
	char root[sizeof(ctx->apps.inc_dir)];

	pthread_mutex_lock(&ctx->lock);
	memcpy(root, ctx->apps.inc_dir, sizeof(root));
	pthread_mutex_unlock(&ctx->lock);
	file_serve(resp, root, req->params[0]);
}

/*
 * The request without its body as JSON text, for the script: {method,
 * path: [segments before the format], query: {name: [values]}, format};
 * NULL when the last segment is not the format json or txt.
 */
static char *head_json(const struct http_request *req, const char *tail)
{
	const char *slash = strrchr(tail, '/'), *fmt = slash ? slash + 1 : tail;
	cJSON *o, *path, *query;
	char *text;

	if (strcmp(fmt, "json") != 0 && strcmp(fmt, "txt") != 0)
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "method", req->method);
	path = cJSON_AddArrayToObject(o, "path");
	for (const char *p = tail; p < fmt;) {
		size_t len = strcspn(p, "/");
		char seg[1024];

		snprintf(seg, sizeof(seg), "%.*s", (int)(len < sizeof(seg) ? len : sizeof(seg) - 1), p);
		if (len)
			cJSON_AddItemToArray(path, cJSON_CreateString(seg));
		p += len + 1;
	}
	query = cJSON_AddObjectToObject(o, "query");
	for (size_t i = 0; i < req->query.n; i++) {
		cJSON *list = cJSON_GetObjectItemCaseSensitive(query, req->query.kv[i].name);

		if (!list)
			list = cJSON_AddArrayToObject(query, req->query.kv[i].name);
		cJSON_AddItemToArray(list, cJSON_CreateString(req->query.kv[i].value));
	}
	cJSON_AddStringToObject(o, "format", fmt);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static void job_reply(struct http_response *resp, const struct js_http_job *j)
{
	const char *type, *body;
	size_t len;
	int status;

	js_http_answer(j, &status, &type, &body, &len);
	rest_reply_text(resp, status, type, body, len);
}

static void job_release(void *j)
{
	js_http_release(j);
}

/* No server to park in (unit tests): wait here. */
static void job_wait(struct http_response *resp, struct js_http_job *j, unsigned timeout_ms)
{
	uint64_t until = server_waits_now_ms() + timeout_ms;
	const struct timespec ms = { 0, 1000000 };

	while (!js_http_ready(j, 0) && server_waits_now_ms() < until)
		nanosleep(&ms, NULL);
	if (js_http_ready(j, 0))
		job_reply(resp, j);
	else
		rest_reply_error(resp, 503, "the script did not answer within %u ms", timeout_ms);
	js_http_release(j);
}

static bool body_is_json(const struct http_request *req)
{
	return req->content_type && strncmp(req->content_type, "application/json", 16) == 0;
}

/* Hand the request to script `key` (first routing), or answer it from
 * the script's answer (later routings). */
static void script_request(struct http_request *req, struct http_response *resp,
			   const char *key, const char *tail)
{
	struct rest_ctx *ctx = req->ctx;
	struct js_http_job *j = req->state ? req->state->obj : NULL;
	unsigned timeout_ms;
	char *head;
	int status;

	if (j) { /* routed again: answered, or the deadline passed */
		if (js_http_ready(j, 0))
			job_reply(resp, j);
		else
			rest_reply_error(resp, 503, "the script did not answer in time");
		return;
	}
	head = head_json(req, tail);
	if (!head) {
		rest_reply_error(resp, 404, "a script path ends in /json or /txt");
		return;
	}
	pthread_mutex_lock(&ctx->lock);
	timeout_ms = ctx->apps.script_timeout_ms ? ctx->apps.script_timeout_ms : 5000;
	j = js_http_submit(ctx->apps.js, key, head, req->body, req->body_len, body_is_json(req),
			   rest_wake, ctx, &status);
	pthread_mutex_unlock(&ctx->lock);
	free(head);
	if (!j) {
		rest_reply_error(resp, status, "%s: %.100s",
				 status == 404 ? "no such script, or it has no HTTP handler" :
						 "the script is busy or not running", key);
		return;
	}
	if (!req->state) {
		job_wait(resp, j, timeout_ms);
		return;
	}
	*req->state = (struct http_state){ j, job_release };
	resp->wait_ready = js_http_ready;
	resp->wait_obj = j;
	resp->wait_until_ms = server_waits_now_ms() + timeout_ms;
}

/* /app/{app}/scripts/{script}/{...} */
static void app_script(struct http_request *req, struct http_response *resp)
{
	char key[256];

	if (snprintf(key, sizeof(key), "%s~%s", req->params[0], req->params[1]) >=
	    (int)sizeof(key)) {
		rest_reply_error(resp, 404, "no such script");
		return;
	}
	script_request(req, resp, key, req->params[2]);
}

/* /script/{app~script or file}/{...} (legacy) */
static void legacy_script(struct http_request *req, struct http_response *resp)
{
	script_request(req, resp, req->params[0], req->params[1]);
}

const struct router_route rest_apps_routes[] = {
	{ "GET", "/apps/json", apps_get, 0 },
	{ "GET", "/status", status_get, 0 },
	{ "GET", "/app/{app}/status", status_get, 0 },
	{ "GET", "/app/{app}/html/{...}", html_get, 0 },
	{ "*", "/app/{app}/scripts/{script}/{...}", app_script, ROUTER_APP },
	{ "*", "/script/{script}/{...}", legacy_script, ROUTER_APP },
	{ "GET", "/inc/{...}", inc_get, 0 },
	{ NULL, NULL, NULL, 0 },
};
