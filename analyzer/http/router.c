/*
 * analyzer/http/router.c: route lookup over the rest_*.c tables and the
 * checks every route shares (see router.h). Lookup is a linear walk of a
 * few dozen patterns, segment by segment: no allocation, bounded by
 * ROUTER_MAX_SEGMENTS.
 */
#include "analyzer/http/router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyzer/http/rest.h"

static const struct router_route *const router_tables[] = {
	rest_server_routes,
	rest_metrics_routes,
	rest_prometheus_routes,
	rest_forwarding_routes,
	rest_flow_routes,
	rest_events_routes,
	rest_apps_routes,
};

#define ROUTER_NTABLES (sizeof(router_tables) / sizeof(router_tables[0]))

/* Split scratch (a copy of path) at '/', in place. Number of segments, or
 * -1 when there are too many or one is empty ("//"); a trailing '/' is
 * dropped and noted in *slash. */
static int split_path(char *scratch, char **seg, bool *slash)
{
	int n = 0;
	char *p = scratch;
	size_t len = strlen(scratch);

	*slash = len > 1 && scratch[len - 1] == '/';
	if (*slash)
		scratch[len - 1] = '\0';
	if (*p != '/')
		return -1;
	if (p[1] == '\0')
		return 0;
	while (*p == '/') {
		char *end;

		if (n == ROUTER_MAX_SEGMENTS)
			return -1;
		*p++ = '\0';
		seg[n++] = p;
		end = strchr(p, '/');
		if (end == p || *p == '\0')
			return -1;
		p = end ? end : p + strlen(p);
	}
	return n;
}

struct path_split {
	const char *path; /* the request's */
	char *const *seg; /* segments in the scratch copy, same offsets */
	const char *scratch;
	int nseg;
	bool slash; /* the path ended in '/' */
};

/* Whether pattern matches the path; fills params. */
static bool pattern_match(const char *pattern, const struct path_split *ps, const char **params,
			  size_t *nparams)
{
	const char *p = pattern;
	int i = 0;

	*nparams = 0;
	if (strcmp(pattern, "/") == 0)
		return ps->nseg == 0 && !ps->slash;
	while (*p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);

		if (*nparams == ROUTER_MAX_PARAMS && p[1] == '{')
			return false;
		if (strcmp(p, "/{...}") == 0) { /* the rest, as it is in the path */
			params[(*nparams)++] =
				i == ps->nseg ? "" : ps->path + (ps->seg[i] - ps->scratch);
			return true;
		}
		if (i == ps->nseg)
			return false;
		if (p[1] == '{') {
			params[(*nparams)++] = ps->seg[i];
		} else if (strlen(ps->seg[i]) != len || memcmp(ps->seg[i], p + 1, len) != 0) {
			return false;
		}
		i++;
		p += len + 1;
	}
	return i == ps->nseg && !ps->slash;
}

static bool method_is(const char *want, const char *method)
{
	return strcmp(want, "*") == 0 || strcmp(want, method) == 0 ||
	       (strcmp(want, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

static void allow_add(char *allow, const char *method)
{
	size_t len = strlen(allow);

	if (strstr(allow, method))
		return;
	snprintf(allow + len, ROUTER_ALLOW_LEN - len, "%s%s", len ? ", " : "", method);
}

int router_match(const char *method, const char *path, char *scratch,
		 const char **params, size_t *nparams, const struct router_route **route,
		 char allow[ROUTER_ALLOW_LEN])
{
	char *seg[ROUTER_MAX_SEGMENTS];
	const char *tmp[ROUTER_MAX_PARAMS];
	struct path_split ps = { .path = path, .seg = seg, .scratch = scratch };
	size_t ntmp;

	allow[0] = '\0';
	*route = NULL;
	*nparams = 0;
	memcpy(scratch, path, strlen(path) + 1);
	ps.nseg = split_path(scratch, seg, &ps.slash);
	if (ps.nseg < 0)
		return 404;
	for (size_t t = 0; t < ROUTER_NTABLES; t++) {
		for (const struct router_route *r = router_tables[t]; r->method; r++) {
			if (!pattern_match(r->pattern, &ps, tmp, &ntmp))
				continue;
			allow_add(allow, strcmp(r->method, "*") == 0 ? "GET, PUT, POST, DELETE" :
								      r->method);
			if (*route || !method_is(r->method, method))
				continue;
			*route = r;
			*nparams = ntmp;
			memcpy(params, tmp, ntmp * sizeof(*tmp));
		}
	}
	if (*route)
		return 0;
	return allow[0] ? 405 : 404;
}

static bool is_write(const char *method)
{
	return strcmp(method, "PUT") == 0 || strcmp(method, "POST") == 0 ||
	       strcmp(method, "DELETE") == 0;
}

/* application/json, optionally with parameters ("; charset=utf-8"). */
static bool is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct || strncasecmp(ct, "application/json", n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

void router_dispatch(struct http_request *req, struct http_response *resp)
{
	char scratch[4096];
	const struct router_route *route;
	struct rest_settings s;
	int rc;

	if (strlen(req->path) >= sizeof(scratch)) {
		rest_reply_error(resp, 414, "path longer than %zu bytes", sizeof(scratch) - 1);
		return;
	}
	rc = router_match(req->method, req->path, scratch, req->params, &req->nparams, &route,
			  resp->allow);
	if (rc == 404) {
		rest_reply_error(resp, 404, "no such resource: %.200s", req->path);
		return;
	}
	if (rc == 405) {
		rest_reply_error(resp, 405, "method %.16s not allowed on %.200s (allowed: %s)",
				 req->method, req->path, resp->allow);
		return;
	}
	resp->allow[0] = '\0';
	if (is_write(req->method) && !(route->flags & ROUTER_APP)) {
		rest_settings_get(req->ctx, &s);
		if (s.readonly) {
			rest_reply_error(resp, 403, "read-only server (http.readonly=yes)");
			return;
		}
		if (strcmp(req->method, "DELETE") != 0 && !is_json_type(req->content_type)) {
			rest_reply_error(resp, 415, "Content-Type must be application/json, got %.64s",
					 req->content_type ? req->content_type : "none");
			return;
		}
	}
	route->fn(req, resp);
}
