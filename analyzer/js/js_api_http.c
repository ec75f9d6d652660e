/*
 * analyzer/js/js_api_http.c: the script HTTP client (reference §4.2):
 * - http(url[, 'get'[, user, password[, accept]]]) and
 *   http(url, 'put'|'post'|'delete', contentType, content[, user,
 *   password[, accept]]): the answer's body; throws on no answer or an
 *   HTTP status of 400 or more;
 * - http2({url, operation, headers, body, user, password}): {status,
 *   body}; throws only when there is no answer;
 * - httpAsync({url, operation, headers, body, user, password, success,
 *   error}): queued to the runtime's I/O thread (js_curl.h); later, on the
 *   script's own thread, success(res) for a 2xx answer, else error(res),
 *   with res = {status, url, body} (and `error`, the reason, when there
 *   was no answer). The callbacks wait in the global stash under their
 *   request's id.
 * A URL starting with '/' is the analyzer's own REST API (http.port on
 * 127.0.0.1). Requests are limited to the script's call time
 * (script.timeout).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer/js/js_curl.h"
#include "analyzer/js/js_internal.h"
#include "duktape.h"

static struct js_script *script_of(duk_context *ctx)
{
	return js_heap_owner(ctx);
}

/* A request for url (relative: the local REST API) with method. */
static struct js_curl_req *req_new(duk_context *ctx, const char *url, const char *method)
{
	struct js_script *s = script_of(ctx);
	struct js_curl_req *r = calloc(1, sizeof(*r));
	char port[16] = "8008", *m;

	if (!r)
		(void)duk_error(ctx, DUK_ERR_ERROR, "out of memory");
	if (url[0] == '/') {
		if (s->rt->cfg.property)
			s->rt->cfg.property(s->rt->cfg.property_arg, "http.port", port, sizeof(port));
		if (asprintf(&r->url, "http://127.0.0.1:%s%s", port, url) == -1)
			r->url = NULL;
	} else {
		r->url = strdup(url);
	}
	r->method = strdup(method);
	for (m = r->method; m && *m; m++)
		*m = (char)(*m >= 'a' && *m <= 'z' ? *m - 32 : *m);
	r->timeout_ms = s->rt->cfg.timeout_ms;
	if (!r->url || !r->method) {
		js_curl_req_free(r);
		(void)duk_error(ctx, DUK_ERR_ERROR, "out of memory");
	}
	return r;
}

static void req_header(struct js_curl_req *r, const char *name, const char *value)
{
	if (r->nheaders < JS_CURL_HEADERS &&
	    asprintf(&r->headers[r->nheaders], "%s: %s", name, value) != -1)
		r->nheaders++;
}

static void req_body(struct js_curl_req *r, const char *body, size_t len)
{
	r->body = malloc(len + 1);
	if (r->body) {
		memcpy(r->body, body, len);
		r->body[len] = '\0';
		r->body_len = len;
	}
}

static void req_auth(struct js_curl_req *r, duk_context *ctx, duk_idx_t user, duk_idx_t pass)
{
	if (duk_is_string(ctx, user)) {
		r->user = strdup(duk_get_string(ctx, user));
		r->password = strdup(duk_is_string(ctx, pass) ? duk_get_string(ctx, pass) : "");
	}
}

/* Run r (freed here) now; throw on no answer (and on status >= 400 when
 * `strict`); the result is left in *res. */
static void perform(duk_context *ctx, struct js_curl_req *r, struct js_curl_res *res, bool strict)
{
	char why[300];
	int rc = js_curl_perform(r, res);

	js_curl_req_free(r);
	if (rc == 0 && !(strict && res->status >= 400))
		return;
	if (rc == 0)
		snprintf(why, sizeof(why), "http: status %d", res->status);
	else
		snprintf(why, sizeof(why), "http: %s", res->error);
	free(res->body);
	(void)duk_error(ctx, DUK_ERR_ERROR, "%s", why);
}

static duk_ret_t api_http(duk_context *ctx)
{
	const char *url = duk_require_string(ctx, 0);
	const char *op = duk_is_string(ctx, 1) ? duk_get_string(ctx, 1) : "get";
	bool plain = strcasecmp(op, "get") == 0 || strcasecmp(op, "head") == 0;
	duk_idx_t auth = plain ? 2 : 4;
	struct js_curl_req *r = req_new(ctx, url, op);
	struct js_curl_res res;

	if (!plain) {
		duk_size_t len = 0;
		const char *body = duk_is_null_or_undefined(ctx, 3) ? NULL :
								      duk_to_lstring(ctx, 3, &len);

		if (duk_is_string(ctx, 2))
			req_header(r, "Content-Type", duk_get_string(ctx, 2));
		if (body)
			req_body(r, body, len);
	}
	req_auth(r, ctx, auth, auth + 1);
	if (duk_is_string(ctx, auth + 2))
		req_header(r, "Accept", duk_get_string(ctx, auth + 2));
	perform(ctx, r, &res, true);
	duk_push_lstring(ctx, res.body, res.len);
	free(res.body);
	return 1;
}

/* A request from the object at idx: {url, operation, headers, body, user,
 * password}. */
static struct js_curl_req *req_of_object(duk_context *ctx, duk_idx_t idx, const char *fn)
{
	struct js_curl_req *r;
	const char *op;

	if (!duk_is_object(ctx, idx))
		(void)duk_type_error(ctx, "%s: expected {url, operation, ...}", fn);
	duk_get_prop_string(ctx, idx, "url");
	duk_get_prop_string(ctx, idx, "operation");
	op = duk_is_string(ctx, -1) ? duk_get_string(ctx, -1) : "get";
	r = req_new(ctx, duk_require_string(ctx, -2), op);
	duk_pop_2(ctx);
	if (duk_get_prop_string(ctx, idx, "headers") && duk_is_object(ctx, -1)) {
		duk_enum(ctx, -1, DUK_ENUM_OWN_PROPERTIES_ONLY);
		while (duk_next(ctx, -1, 1)) {
			req_header(r, duk_to_string(ctx, -2), duk_to_string(ctx, -1));
			duk_pop_2(ctx);
		}
		duk_pop(ctx);
	}
	duk_pop(ctx);
	if (duk_get_prop_string(ctx, idx, "body") && !duk_is_null_or_undefined(ctx, -1)) {
		duk_size_t len;
		const char *body = duk_to_lstring(ctx, -1, &len);

		req_body(r, body, len);
	}
	duk_pop(ctx);
	duk_get_prop_string(ctx, idx, "user");
	duk_get_prop_string(ctx, idx, "password");
	req_auth(r, ctx, -2, -1);
	duk_pop_2(ctx);
	return r;
}

static void push_res(duk_context *ctx, const struct js_curl_res *res)
{
	duk_push_object(ctx);
	duk_push_int(ctx, res->status);
	duk_put_prop_string(ctx, -2, "status");
	if (res->url) {
		duk_push_string(ctx, res->url);
		duk_put_prop_string(ctx, -2, "url");
	}
	duk_push_lstring(ctx, res->body ? res->body : "", res->body ? res->len : 0);
	duk_put_prop_string(ctx, -2, "body");
	if (res->error[0]) {
		duk_push_string(ctx, res->error);
		duk_put_prop_string(ctx, -2, "error");
	}
}

static duk_ret_t api_http2(duk_context *ctx)
{
	struct js_curl_req *r = req_of_object(ctx, 0, "http2");
	struct js_curl_res res;

	perform(ctx, r, &res, false);
	push_res(ctx, &res);
	free(res.body);
	return 1;
}

/* The I/O thread's completion: queue the answer for the script. */
static void async_done(void *arg, uint64_t id, struct js_curl_res *res)
{
	struct js_script *s = arg;
	struct js_async_rec rec = { id, res };
	bool queued;

	pthread_mutex_lock(&s->mu);
	queued = js_queue_push(&s->async, &rec);
	if (queued)
		pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	if (!queued)
		js_curl_res_free(res);
}

/* The runtime's I/O thread, started at first use; NULL when it cannot. */
static struct js_curl *curl_of(struct js_runtime *rt)
{
	char err[128];
	struct js_curl *c;

	pthread_mutex_lock(&rt->curl_mu);
	if (!rt->curl)
		rt->curl = js_curl_start(err, sizeof(err));
	c = rt->curl;
	pthread_mutex_unlock(&rt->curl_mu);
	return c;
}

static duk_ret_t api_http_async(duk_context *ctx)
{
	struct js_script *s = script_of(ctx);
	struct js_curl_req *r = req_of_object(ctx, 0, "httpAsync");
	struct js_curl *c = curl_of(s->rt);
	uint64_t id = ++s->async_next;
	char key[24];

	snprintf(key, sizeof(key), "%llu", (unsigned long long)id);
	if (!c || js_curl_submit(c, r, async_done, s, id) == -1) {
		if (!c)
			js_curl_req_free(r);
		return duk_error(ctx, DUK_ERR_ERROR, "httpAsync: more than %d requests at once",
				 JS_CURL_INFLIGHT);
	}
	duk_push_global_stash(ctx);
	if (!duk_get_prop_string(ctx, -1, "async")) {
		duk_pop(ctx);
		duk_push_object(ctx);
		duk_dup_top(ctx);
		duk_put_prop_string(ctx, -3, "async");
	}
	duk_dup(ctx, 0); /* the request object holds success and error */
	duk_put_prop_string(ctx, -2, key);
	return 0;
}

/* Call the callback of one answer (on the script's thread). */
static void async_call(struct js_script *s, const struct js_async_rec *rec)
{
	duk_context *ctx = js_heap_ctx(s->heap);
	bool ok = rec->res->status >= 200 && rec->res->status < 300 && !rec->res->error[0];
	char key[24], err[JS_ERROR_MAX];

	snprintf(key, sizeof(key), "%llu", (unsigned long long)rec->id);
	duk_push_global_stash(ctx);
	duk_get_prop_string(ctx, -1, "async");
	duk_get_prop_string(ctx, -1, key); /* the request object */
	duk_del_prop_string(ctx, -2, key);
	if (duk_is_object(ctx, -1) && duk_get_prop_string(ctx, -1, ok ? "success" : "error") &&
	    duk_is_function(ctx, -1)) {
		push_res(ctx, rec->res);
		if (js_heap_call(s->heap, 1, s->rt->cfg.timeout_ms, err, sizeof(err)) == -1)
			js_script_error(s, err);
	}
	duk_pop_n(ctx, 4);
}

void js_api_http_run(struct js_script *s)
{
	struct js_async_rec recs[16];
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = js_queue_pop(&s->async, recs, 16);
	pthread_mutex_unlock(&s->mu);
	for (size_t i = 0; i < n; i++) {
		async_call(s, &recs[i]);
		js_curl_res_free(recs[i].res);
	}
}

void js_api_http_drop(struct js_script *s)
{
	struct js_async_rec rec;

	pthread_mutex_lock(&s->mu);
	while (js_queue_pop(&s->async, &rec, 1))
		js_curl_res_free(rec.res);
	pthread_mutex_unlock(&s->mu);
}

void js_api_http_stop(struct js_runtime *rt)
{
	js_curl_stop(rt->curl); /* its last answers land in the queues */
	rt->curl = NULL;
}

void js_api_http_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "http", api_http, DUK_VARARGS, 0 },
		{ "http2", api_http2, 1, 0 },
		{ "httpAsync", api_http_async, 1, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
}
