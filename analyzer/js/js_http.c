/*
 * analyzer/js/js_http.c: HTTP requests to scripts (setHttpHandler,
 * reference §0 item 4): the job an HTTP server thread hands to a script
 * (js_http_submit), the script thread's call of its handler, and the
 * mapping of what the handler returns or throws to an HTTP answer:
 * - an object or array: JSON; a string: text for format txt, a JSON
 *   string for format json; undefined: an empty body;
 * - a thrown "not_found", "bad_request", "service_unavailable" or
 *   "internal_server_error" (a string, or an error with that message):
 *   404, 400, 503, 500; any other error: 500 with its text.
 *
 * A job is shared by the server and the script, a reference each; the
 * last to let go frees it. The server may give up (its deadline passed,
 * the client left): the script then skips the job, or drops its late
 * answer, and counts it in requestsLost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/js/js_internal.h"
#include "duktape.h"

#define JS_HTTP_BATCH 16

struct js_http_job {
	pthread_mutex_t mu; /* guards refs, answered, abandoned and the answer */
	int refs;
	bool answered, abandoned;
	int status;
	const char *content_type; /* static */
	char *out;
	size_t out_len;
	/* the request, read by the script thread only */
	char *head_json, *body;
	size_t body_len;
	bool body_json;
	void (*wake)(void *arg);
	void *wake_arg;
};

static void job_put(struct js_http_job *j)
{
	bool last;

	pthread_mutex_lock(&j->mu);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->mu);
	if (!last)
		return;
	pthread_mutex_destroy(&j->mu);
	free(j->out);
	free(j->head_json);
	free(j->body);
	free(j);
}

static struct js_http_job *job_new(const char *head_json, const char *body, size_t body_len,
				   bool body_json)
{
	struct js_http_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->head_json = strdup(head_json);
	j->body = malloc(body_len + 1);
	if (!j->head_json || !j->body) {
		free(j->head_json);
		free(j->body);
		free(j);
		return NULL;
	}
	memcpy(j->body, body, body_len);
	j->body[body_len] = '\0';
	j->body_len = body_len;
	j->body_json = body_json;
	j->refs = 2; /* the server's and the script's */
	pthread_mutex_init(&j->mu, NULL);
	return j;
}

static struct js_script *script_find(struct js_runtime *rt, const char *key)
{
	for (size_t i = 0; rt && i < rt->nscripts; i++)
		if (strcmp(rt->scripts[i].key, key) == 0)
			return &rt->scripts[i];
	return NULL;
}

/* Queue j for s: 0, or the status of the refusal. */
static int job_queue(struct js_script *s, struct js_http_job *j)
{
	int status = 0;

	pthread_mutex_lock(&s->mu);
	if (!s->http_handler)
		status = s->alive ? 404 : 503;
	else if (!js_queue_push(&s->http, &j))
		status = 503;
	else
		pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return status;
}

struct js_http_job *js_http_submit(struct js_runtime *rt, const char *script_key,
				   const char *head_json, const char *body, size_t body_len,
				   bool body_json, void (*wake)(void *arg), void *wake_arg,
				   int *status)
{
	struct js_script *s = script_find(rt, script_key);
	struct js_http_job *j;

	*status = 404;
	if (!s)
		return NULL;
	j = job_new(head_json, body, body_len, body_json);
	*status = 503;
	if (!j)
		return NULL;
	j->wake = wake;
	j->wake_arg = wake_arg;
	*status = job_queue(s, j);
	if (*status) {
		j->refs = 1;
		job_put(j);
		return NULL;
	}
	return j;
}

bool js_http_ready(void *arg, int64_t unused)
{
	struct js_http_job *j = arg;
	bool done;

	(void)unused;
	pthread_mutex_lock(&j->mu);
	done = j->answered;
	pthread_mutex_unlock(&j->mu);
	return done;
}

void js_http_answer(const struct js_http_job *j, int *status, const char **content_type,
		    const char **body, size_t *len)
{
	*status = j->status;
	*content_type = j->content_type;
	*body = j->out ? j->out : "";
	*len = j->out_len;
}

void js_http_release(struct js_http_job *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->abandoned = true;
	pthread_mutex_unlock(&j->mu);
	job_put(j);
}

/* Answer j (taking out) and drop the script's reference; a late answer
 * counts as lost. */
static void job_answer(struct js_script *s, struct js_http_job *j, int status,
		       const char *content_type, char *out, size_t len)
{
	bool late;

	pthread_mutex_lock(&j->mu);
	late = j->abandoned;
	j->status = status;
	j->content_type = content_type;
	j->out = out;
	j->out_len = len;
	j->answered = true;
	pthread_mutex_unlock(&j->mu);
	if (late) {
		pthread_mutex_lock(&s->mu);
		s->http.lost++;
		pthread_mutex_unlock(&s->mu);
	} else if (j->wake) {
		j->wake(j->wake_arg);
	}
	job_put(j);
}

/* ---- the script thread ------------------------------------------------- */

static duk_ret_t json_decode_top(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_json_decode(ctx, -1);
	return 1;
}

static duk_ret_t json_encode_top(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_json_encode(ctx, -1);
	return 1;
}

/* Push req = head + {body, error}; false when the head does not parse. */
static bool push_request(duk_context *ctx, const struct js_http_job *j)
{
	bool error = false;

	duk_push_string(ctx, j->head_json);
	if (duk_safe_call(ctx, json_decode_top, NULL, 1, 1) != 0 || !duk_is_object(ctx, -1)) {
		duk_pop(ctx);
		return false;
	}
	if (j->body_len) {
		duk_push_lstring(ctx, j->body, j->body_len);
		if (j->body_json && duk_safe_call(ctx, json_decode_top, NULL, 1, 1) != 0) {
			duk_pop(ctx);
			duk_push_lstring(ctx, j->body, j->body_len);
			error = true;
		}
		duk_put_prop_string(ctx, -2, "body");
	}
	duk_push_boolean(ctx, error);
	duk_put_prop_string(ctx, -2, "error");
	return true;
}

/* The status a thrown value names (a string, or an Error's message: the
 * call leaves an Error as its text "Error: message"), or 0. */
static int thrown_status(duk_context *ctx)
{
	static const struct {
		const char *name;
		int status;
	} names[] = {
		{ "not_found", 404 },
		{ "bad_request", 400 },
		{ "service_unavailable", 503 },
		{ "internal_server_error", 500 },
	};
	const char *v = NULL;

	if (duk_is_string(ctx, -1)) /* a thrown Error arrives as its text */
		v = duk_get_string(ctx, -1);
	if (v && strncmp(v, "Error: ", 7) == 0)
		v += 7;
	for (size_t i = 0; v && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i].name) == 0)
			return names[i].status;
	return 0;
}

/* Answer j from the handler's result on top of the stack. */
static void answer_result(struct js_script *s, struct js_http_job *j, bool txt)
{
	duk_context *ctx = js_heap_ctx(s->heap);
	const char *text;
	size_t len = 0;
	bool as_text = txt && duk_is_string(ctx, -1);

	if (duk_is_undefined(ctx, -1)) {
		job_answer(s, j, 200, txt ? "text/plain; charset=utf-8" : "application/json", NULL,
			   0);
		return;
	}
	duk_dup_top(ctx);
	if (!as_text && duk_safe_call(ctx, json_encode_top, NULL, 1, 1) != 0) {
		job_answer(s, j, 500, "text/plain; charset=utf-8",
			   strdup("the handler's answer is not JSON"), 31);
		duk_pop(ctx);
		return;
	}
	text = duk_get_lstring(ctx, -1, &len);
	job_answer(s, j, 200, as_text ? "text/plain; charset=utf-8" : "application/json",
		   text ? strndup(text, len) : NULL, text ? len : 0);
	duk_pop(ctx);
}

/* Answer j from the error the handler threw (on top of the stack). */
static void answer_error(struct js_script *s, struct js_http_job *j, const char *err)
{
	int status = thrown_status(js_heap_ctx(s->heap));

	if (!status) {
		js_script_error(s, err);
		status = 500;
	}
	job_answer(s, j, status, "text/plain; charset=utf-8", strdup(err), strlen(err));
}

/* Call the handler with j's request and answer j. */
static void job_run(struct js_script *s, struct js_http_job *j)
{
	duk_context *ctx = js_heap_ctx(s->heap);
	char err[JS_ERROR_MAX];
	bool txt;

	duk_push_global_stash(ctx);
	if (!duk_get_prop_string(ctx, -1, "http") || !duk_is_function(ctx, -1)) {
		duk_pop_2(ctx);
		job_answer(s, j, 404, "text/plain; charset=utf-8", strdup("no handler"), 10);
		return;
	}
	if (!push_request(ctx, j)) {
		duk_pop_2(ctx);
		job_answer(s, j, 500, "text/plain; charset=utf-8", strdup("bad request head"), 16);
		return;
	}
	duk_get_prop_string(ctx, -1, "format");
	txt = duk_is_string(ctx, -1) && strcmp(duk_get_string(ctx, -1), "txt") == 0;
	duk_pop(ctx);
	if (js_heap_call(s->heap, 1, s->rt->cfg.timeout_ms, err, sizeof(err)) == 0)
		answer_result(s, j, txt);
	else
		answer_error(s, j, err);
	duk_pop_2(ctx);
}

void js_http_run(struct js_script *s)
{
	struct js_http_job *jobs[JS_HTTP_BATCH];
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = js_queue_pop(&s->http, jobs, JS_HTTP_BATCH);
	pthread_mutex_unlock(&s->mu);
	for (size_t i = 0; i < n; i++) {
		bool gone;

		pthread_mutex_lock(&jobs[i]->mu);
		gone = jobs[i]->abandoned;
		pthread_mutex_unlock(&jobs[i]->mu);
		if (gone) /* counted when answered */
			job_answer(s, jobs[i], 503, "text/plain; charset=utf-8", NULL, 0);
		else
			job_run(s, jobs[i]);
	}
}

void js_handlers_drop(struct js_script *s)
{
	struct js_http_job *j;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		s->http_handler = false;
		s->flow_handler = false;
		s->event_handler = false;
		if (js_queue_pop(&s->http, &j, 1) == 0) {
			pthread_mutex_unlock(&s->mu);
			return;
		}
		pthread_mutex_unlock(&s->mu);
		job_answer(s, j, 503, "text/plain; charset=utf-8", strdup("script stopped"), 14);
	}
}

/* setHttpHandler(fn) (magic 1), clearHttpHandler() (magic 0). */
static duk_ret_t api_http_handler(duk_context *ctx)
{
	struct js_script *s = js_heap_owner(ctx);
	bool set = duk_get_current_magic(ctx) == 1;

	if (set)
		duk_require_function(ctx, 0);
	duk_push_global_stash(ctx);
	if (set) {
		duk_dup(ctx, 0);
		duk_put_prop_string(ctx, -2, "http");
	} else {
		duk_del_prop_string(ctx, -1, "http");
	}
	pthread_mutex_lock(&s->mu);
	s->http_handler = set;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

void js_http_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "setHttpHandler", api_http_handler, 1, 1 },
		{ "clearHttpHandler", api_http_handler, 0, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
}
