/*
 * analyzer/js/js_curl.h: HTTP requests for scripts (http, http2,
 * httpAsync; reference/sflow-rt-api.md §4.2) on libcurl: a blocking
 * request for the calling thread, and one I/O thread running libcurl's
 * multi interface for the asynchronous ones, whose results go back to
 * the caller through a completion function (the script's queue).
 *
 * Every request has a total time limit; answers are capped at
 * JS_CURL_BODY_MAX bytes (larger: an error). At most JS_CURL_INFLIGHT
 * asynchronous requests run at once; more are refused.
 *
 * Threads: js_curl_perform on any thread; js_curl_submit from any
 * thread; completion functions run on the I/O thread.
 */
#ifndef RTFLOW_ANALYZER_JS_JS_CURL_H
#define RTFLOW_ANALYZER_JS_JS_CURL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JS_CURL_BODY_MAX  (16u << 20)
#define JS_CURL_INFLIGHT  256
#define JS_CURL_HEADERS   32

struct js_curl_req {
	char *url, *method;          /* method: GET, PUT, POST, DELETE, ... */
	char *body;                  /* NULL: none */
	size_t body_len;
	char *headers[JS_CURL_HEADERS]; /* "Name: value", nheaders of them */
	size_t nheaders;
	char *user, *password;       /* NULL: no basic authentication */
	unsigned timeout_ms;
};

struct js_curl_res {
	int status;       /* HTTP status; 0 when there was no answer */
	char *body;       /* malloc'd, NUL-terminated */
	size_t len;
	char error[256];  /* why there was no answer, or "" */
	char *url;        /* the request's (taken from it) */
};

void js_curl_req_free(struct js_curl_req *r);
void js_curl_res_free(struct js_curl_res *r);

/* Run req now on this thread; 0 with *res filled (any HTTP status), or
 * -1 with res->error set (res->body may be NULL). req is left alone. */
int js_curl_perform(const struct js_curl_req *req, struct js_curl_res *res);

struct js_curl;

/* The I/O thread, or NULL with a reason. */
struct js_curl *js_curl_start(char *err, size_t errlen);

/* Queue req (taken, freed here) for the I/O thread; done(arg, id, res)
 * is called there once it ends (res taken by done). -1 (req freed, done
 * never called) when JS_CURL_INFLIGHT are already running or stopping. */
int js_curl_submit(struct js_curl *c, struct js_curl_req *req,
		   void (*done)(void *arg, uint64_t id, struct js_curl_res *res), void *arg,
		   uint64_t id);

/* End every request (done is called with "stopped") and the thread. */
void js_curl_stop(struct js_curl *c);

#endif
