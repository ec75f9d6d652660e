/*
 * analyzer/js/js_curl.c: see js_curl.h. Transfers are limited to http
 * and https (no file:, no redirects to other schemes), signal-free
 * (CURLOPT_NOSIGNAL: many threads), and bounded in time and size.
 */
#include "analyzer/js/js_curl.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct body_buf {
	char *p;
	size_t len;
	bool too_big;
};

struct xfer {
	struct xfer *next;
	CURL *e;
	struct curl_slist *hdrs;
	struct js_curl_req *req;
	struct body_buf buf;
	void (*done)(void *arg, uint64_t id, struct js_curl_res *res);
	void *arg;
	uint64_t id;
};

struct js_curl {
	pthread_t thread;
	pthread_mutex_t mu; /* guards pending, inflight, stop */
	CURLM *m;
	struct xfer *pending; /* submitted, not yet added to m */
	struct xfer *running; /* added to m (the thread's own) */
	size_t inflight;
	bool stop;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void js_curl_req_free(struct js_curl_req *r)
{
	if (!r)
		return;
	free(r->url);
	free(r->method);
	free(r->body);
	for (size_t i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	free(r->user);
	free(r->password);
	free(r);
}

void js_curl_res_free(struct js_curl_res *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->url);
	free(r);
}

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct body_buf *b = arg;
	size_t add = size * n;
	char *p;

	if (b->len + add > JS_CURL_BODY_MAX) {
		b->too_big = true;
		return 0; /* ends the transfer */
	}
	p = realloc(b->p, b->len + add + 1);
	if (!p)
		return 0;
	memcpy(p + b->len, data, add);
	b->p = p;
	b->len += add;
	b->p[b->len] = '\0';
	return add;
}

/* An easy handle for req writing into b; NULL on no memory. */
static CURL *easy_new(const struct js_curl_req *req, struct body_buf *b, struct curl_slist **hdrs)
{
	CURL *e = curl_easy_init();

	*hdrs = NULL;
	if (!e)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)req->timeout_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
	}
	for (size_t i = 0; i < req->nheaders; i++)
		*hdrs = curl_slist_append(*hdrs, req->headers[i]);
	if (*hdrs)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, *hdrs);
	if (req->user) {
		curl_easy_setopt(e, CURLOPT_USERNAME, req->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
	return e;
}

/* Fill res from a finished transfer; 0, or -1 with res->error. */
static int result_of(CURL *e, CURLcode rc, struct body_buf *b, struct js_curl_res *res)
{
	long status = 0;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	res->status = (int)status;
	res->body = b->p ? b->p : strdup("");
	res->len = b->len;
	b->p = NULL;
	if (b->too_big)
		snprintf(res->error, sizeof(res->error), "answer larger than %u bytes",
			 JS_CURL_BODY_MAX);
	else if (rc != CURLE_OK)
		snprintf(res->error, sizeof(res->error), "%s", curl_easy_strerror(rc));
	return res->error[0] ? -1 : 0;
}

int js_curl_perform(const struct js_curl_req *req, struct js_curl_res *res)
{
	struct body_buf b = { 0 };
	struct curl_slist *hdrs;
	CURL *e;
	int rc;

	pthread_once(&curl_once, curl_init_once);
	memset(res, 0, sizeof(*res));
	e = easy_new(req, &b, &hdrs);
	if (!e) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	rc = result_of(e, curl_easy_perform(e), &b, res);
	curl_easy_cleanup(e);
	curl_slist_free_all(hdrs);
	free(b.p);
	return rc;
}

/* End x: its completion with res (or with `why` when it never ran). */
static void xfer_end(struct js_curl *c, struct xfer *x, CURLcode rc, const char *why)
{
	struct js_curl_res *res = calloc(1, sizeof(*res));

	if (res && x->e)
		result_of(x->e, rc, &x->buf, res);
	if (res && why)
		snprintf(res->error, sizeof(res->error), "%s", why);
	if (res) {
		res->url = x->req->url;
		x->req->url = NULL;
		x->done(x->arg, x->id, res);
	}
	if (x->e) {
		curl_multi_remove_handle(c->m, x->e);
		curl_easy_cleanup(x->e);
	}
	curl_slist_free_all(x->hdrs);
	free(x->buf.p);
	js_curl_req_free(x->req);
	free(x);
	pthread_mutex_lock(&c->mu);
	c->inflight--;
	pthread_mutex_unlock(&c->mu);
}

/* Add the submitted transfers to the multi handle. */
static void take_pending(struct js_curl *c)
{
	struct xfer *x, *next;

	pthread_mutex_lock(&c->mu);
	x = c->pending;
	c->pending = NULL;
	pthread_mutex_unlock(&c->mu);
	for (; x; x = next) {
		next = x->next;
		x->e = easy_new(x->req, &x->buf, &x->hdrs);
		if (!x->e || curl_multi_add_handle(c->m, x->e) != CURLM_OK) {
			xfer_end(c, x, CURLE_OUT_OF_MEMORY, "out of memory");
			continue;
		}
		curl_easy_setopt(x->e, CURLOPT_PRIVATE, x);
		x->next = c->running;
		c->running = x;
	}
}

static void unlink_running(struct js_curl *c, struct xfer *x)
{
	for (struct xfer **p = &c->running; *p; p = &(*p)->next)
		if (*p == x) {
			*p = x->next;
			return;
		}
}

/* End the transfers libcurl reports done. */
static void reap(struct js_curl *c)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(c->m, &left))) {
		struct xfer *x = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (!x)
			continue;
		unlink_running(c, x);
		xfer_end(c, x, msg->data.result, NULL);
	}
}

static void *curl_thread(void *arg)
{
	struct js_curl *c = arg;
	bool stop = false;

	while (!stop) {
		int running;

		take_pending(c);
		curl_multi_perform(c->m, &running);
		reap(c);
		curl_multi_poll(c->m, NULL, 0, 1000, NULL);
		pthread_mutex_lock(&c->mu);
		stop = c->stop;
		pthread_mutex_unlock(&c->mu);
	}
	take_pending(c);
	while (c->running) {
		struct xfer *x = c->running;

		c->running = x->next;
		xfer_end(c, x, CURLE_ABORTED_BY_CALLBACK, "stopped");
	}
	return NULL;
}

struct js_curl *js_curl_start(char *err, size_t errlen)
{
	struct js_curl *c = calloc(1, sizeof(*c));

	pthread_once(&curl_once, curl_init_once);
	if (!c || !(c->m = curl_multi_init())) {
		snprintf(err, errlen, "out of memory");
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	if (pthread_create(&c->thread, NULL, curl_thread, c) != 0) {
		snprintf(err, errlen, "cannot start the HTTP client thread");
		curl_multi_cleanup(c->m);
		pthread_mutex_destroy(&c->mu);
		free(c);
		return NULL;
	}
	return c;
}

int js_curl_submit(struct js_curl *c, struct js_curl_req *req,
		   void (*done)(void *arg, uint64_t id, struct js_curl_res *res), void *arg,
		   uint64_t id)
{
	struct xfer *x = calloc(1, sizeof(*x));
	bool ok;

	if (!x) {
		js_curl_req_free(req);
		return -1;
	}
	*x = (struct xfer){ .req = req, .done = done, .arg = arg, .id = id };
	pthread_mutex_lock(&c->mu);
	ok = !c->stop && c->inflight < JS_CURL_INFLIGHT;
	if (ok) {
		x->next = c->pending;
		c->pending = x;
		c->inflight++;
	}
	pthread_mutex_unlock(&c->mu);
	if (!ok) {
		js_curl_req_free(req);
		free(x);
		return -1;
	}
	curl_multi_wakeup(c->m);
	return 0;
}

void js_curl_stop(struct js_curl *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->m);
	pthread_join(c->thread, NULL);
	curl_multi_cleanup(c->m);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
