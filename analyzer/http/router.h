/*
 * analyzer/http/router.h: the REST request model and the route table.
 *
 * A request is method, percent-decoded path, query pairs and body, already
 * read by the server (analyzer/http/server.c), so the router and every
 * handler run without libmicrohttpd (unit tests and fuzzing drive them
 * directly). Routes are declared beside their handlers in rest_*.c as
 * tables ({ "GET", "/metric/{agent}/json", fn }); router.c concatenates
 * them. A pattern segment "{x}" matches one non-empty path segment, which
 * the handler reads as req->params[i] in order; a last segment "{...}"
 * matches the rest of the path, none or more segments, as one param
 * ("a/b", or "" for none). Only such patterns take a path that ends in
 * '/' (the param then ends in '/' too). Method "*" matches any method.
 *
 * router_dispatch() answers what no handler should have to: 404 for an
 * unknown path, 405 with Allow for a known path and another method, 403
 * for writes when http.readonly is set, 415 for a write body that is not
 * application/json. Every error body is {"error": "why"}.
 */
#ifndef RTFLOW_ANALYZER_HTTP_ROUTER_H
#define RTFLOW_ANALYZER_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/query.h"

#define ROUTER_MAX_PARAMS   4
#define ROUTER_MAX_SEGMENTS 16
#define ROUTER_ALLOW_LEN    64
#define ROUTER_LOCATION_LEN 256

struct rest_ctx;

/* State a handler keeps across the routings of one parked request (the
 * server releases it when the request ends). */
struct http_state {
	void *obj;
	void (*release)(void *obj);
};

struct http_request {
	const char *method;                    /* "GET", "PUT", ... */
	const char *path;                      /* percent-decoded, starts with '/' */
	const char *params[ROUTER_MAX_PARAMS]; /* "{x}" segments, in pattern order */
	size_t nparams;
	struct query_filter query; /* every query pair, in order */
	const char *content_type;  /* NULL when absent */
	const char *body;          /* NUL-terminated, body_len bytes */
	size_t body_len;
	struct rest_ctx *ctx;
	bool final; /* answer now: a long poll's deadline passed */
	struct http_state *state; /* NULL when the caller cannot park requests */
};

struct http_response {
	int status;
	const char *content_type; /* static string */
	char *body;               /* malloc'd, owned by the response */
	size_t body_len;
	char allow[ROUTER_ALLOW_LEN]; /* Allow header for 405, "" otherwise */
	char location[ROUTER_LOCATION_LEN]; /* Location header (redirects), or "" */
	/* Long polls (server_wait.h): a handler with nothing newer to answer
	 * sets wait_ready instead of a reply; the request is routed again
	 * when wait_ready(wait_obj, wait_after) holds or at wait_until_ms
	 * (CLOCK_MONOTONIC), then with req->final set. */
	bool (*wait_ready)(void *obj, int64_t after);
	void *wait_obj;
	int64_t wait_after;
	uint64_t wait_until_ms;
};

typedef void router_handler(struct http_request *req, struct http_response *resp);

/* Route flags: the route takes writes with any body, and on a read-only
 * server too (app scripts decide for themselves). */
#define ROUTER_APP 1u

struct router_route {
	const char *method;
	const char *pattern;
	router_handler *fn;
	unsigned flags;
};

/*
 * Find the route of (method, path). Returns 0 with *route set and
 * the "{x}" values in params[] and their count in nparams (pointers into `scratch`, a
 * caller buffer at least strlen(path)+1 bytes), 404 when no pattern
 * matches the path, 405 when only other methods do (allow then lists
 * them, "GET, PUT"). HEAD matches GET routes.
 */
int router_match(const char *method, const char *path, char *scratch, const char **params,
		 size_t *nparams, const struct router_route **route, char allow[ROUTER_ALLOW_LEN]);

/* Answer req into resp (status, body). resp starts zeroed; the caller
 * frees resp->body. Never fails: errors are HTTP statuses. */
void router_dispatch(struct http_request *req, struct http_response *resp);

#endif
