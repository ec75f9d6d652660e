/*
 * tests/unit/http_router_test.c: analyzer/http/router.c. A table of
 * (method, path) → route pattern and captured parameters, or 404/405 with
 * the Allow list; then router_dispatch() over requests whose answers
 * follow from the REST conventions alone (reference/sflow-rt-api.md §1.1:
 * 403 read-only, 415 without application/json, 400 bad JSON, 404/405 with
 * a JSON error body), with empty stores.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analyzer/http/rest.h"
#include "analyzer/http/router.h"
#include "analyzer/store.h"
#include "tests/lib/test.h"

TEST(match_table)
{
	static const struct {
		const char *method, *path;
		int status;
		const char *pattern;     /* when status == 0 */
		const char *p0, *p1;     /* expected params */
		const char *allow;       /* when status == 405 */
	} cases[] = {
		{ "GET", "/", 0, "/", NULL, NULL, NULL },
		{ "GET", "/version", 0, "/version", NULL, NULL, NULL },
		{ "HEAD", "/version", 0, "/version", NULL, NULL, NULL },
		{ "GET", "/analyzer/json", 0, "/analyzer/json", NULL, NULL, NULL },
		{ "GET", "/agents/json", 0, "/agents/json", NULL, NULL, NULL },
		{ "GET", "/metrics/json", 0, "/metrics/json", NULL, NULL, NULL },
		{ "GET", "/metric/10.0.0.1/json", 0, "/metric/{agent}/json", "10.0.0.1", NULL, NULL },
		{ "GET", "/metric/2001:db8::1/json", 0, "/metric/{agent}/json", "2001:db8::1", NULL,
		  NULL },
		{ "GET", "/metric/ALL/max:load_one,2.1.mem_free/json", 0,
		  "/metric/{agents}/{metrics}/json", "ALL", "max:load_one,2.1.mem_free", NULL },
		{ "GET", "/dump/ALL/ALL/json", 0, "/dump/{agents}/{metrics}/json", "ALL", "ALL", NULL },
		{ "GET", "/table/10.0.0.1;10.0.0.2/sort:load_one:-10/json", 0,
		  "/table/{agents}/{columns}/json", "10.0.0.1;10.0.0.2", "sort:load_one:-10", NULL },
		{ "GET", "/prometheus/analyzer/txt", 0, "/prometheus/analyzer/txt", NULL, NULL, NULL },
		{ "GET", "/prometheus/metrics/ALL/ifinoctets/txt", 0,
		  "/prometheus/metrics/{agents}/{metrics}/txt", "ALL", "ifinoctets", NULL },
		{ "GET", "/forwarding/json", 0, "/forwarding/json", NULL, NULL, NULL },
		{ "GET", "/forwarding/f1/json", 0, "/forwarding/{name}/json", "f1", NULL, NULL },
		{ "PUT", "/forwarding/f1/json", 0, "/forwarding/{name}/json", "f1", NULL, NULL },
		{ "DELETE", "/forwarding/f1/json", 0, "/forwarding/{name}/json", "f1", NULL, NULL },
		{ "GET", "/nope", 404, NULL, NULL, NULL, NULL },
		{ "GET", "/version/", 404, NULL, NULL, NULL, NULL },
		{ "GET", "//version", 404, NULL, NULL, NULL, NULL },
		{ "GET", "/metric//json", 404, NULL, NULL, NULL, NULL },
		{ "GET", "/metric/a/b/c/json", 404, NULL, NULL, NULL, NULL },
		{ "GET", "/agents/txt", 404, NULL, NULL, NULL, NULL },
		{ "GET", "", 404, NULL, NULL, NULL, NULL },
		{ "GET", "version", 404, NULL, NULL, NULL, NULL },
		{ "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r", 404, NULL, NULL, NULL, NULL },
		{ "POST", "/version", 405, NULL, NULL, NULL, "GET" },
		{ "PUT", "/agents/json", 405, NULL, NULL, NULL, "GET" },
		{ "POST", "/forwarding/f1/json", 405, NULL, NULL, NULL, "GET, PUT, DELETE" },
		{ "DELETE", "/forwarding/json", 405, NULL, NULL, NULL, "GET" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char scratch[256], allow[ROUTER_ALLOW_LEN];
		const char *params[ROUTER_MAX_PARAMS] = { NULL };
		const struct router_route *r;
		size_t n = 99;
		int rc = router_match(cases[i].method, cases[i].path, scratch, params, &n, &r, allow);
		bool ok = rc == cases[i].status;

		if (ok && rc == 0) {
			ok = r && strcmp(r->pattern, cases[i].pattern) == 0 &&
			     n == (size_t)(cases[i].p0 != NULL) + (cases[i].p1 != NULL) &&
			     (!cases[i].p0 || strcmp(params[0], cases[i].p0) == 0) &&
			     (!cases[i].p1 || strcmp(params[1], cases[i].p1) == 0);
		} else if (ok && rc == 405) {
			ok = strcmp(allow, cases[i].allow) == 0;
		}
		if (!ok) {
			printf("  case %zu %s %s: rc %d pattern %s allow \"%s\"\n", i, cases[i].method,
			       cases[i].path, rc, rc == 0 && r ? r->pattern : "-", allow);
			test_failed_checks++;
		}
	}
}

static struct store_set empty_stores;
static struct rest_ctx ctx;

/* Dispatch one request; the response (caller frees body). */
static struct http_response dispatch(const char *method, const char *path, const char *ctype,
				     const char *body)
{
	struct http_request req = { .method = method, .path = path, .content_type = ctype,
				    .body = body ? body : "", .body_len = body ? strlen(body) : 0,
				    .ctx = &ctx };
	struct http_response resp = { 0 };

	router_dispatch(&req, &resp);
	return resp;
}

/* The "error" string of a JSON error body, or NULL. */
static bool error_body(const struct http_response *r)
{
	cJSON *j = cJSON_ParseWithLength(r->body ? r->body : "", r->body_len);
	bool ok = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "error"));

	cJSON_Delete(j);
	return ok;
}

TEST(dispatch_table)
{
	static const struct {
		bool readonly;
		const char *method, *path, *ctype, *body;
		int status;
		const char *allow;
	} cases[] = {
		{ false, "GET", "/nope", NULL, NULL, 404, "" },
		{ false, "POST", "/version", NULL, NULL, 405, "GET" },
		{ false, "PUT", "/forwarding/f/json", NULL, "{}", 415, "" },
		{ false, "PUT", "/forwarding/f/json", "text/plain", "{}", 415, "" },
		{ false, "PUT", "/forwarding/f/json", "application/json", "{nope", 400, "" },
		{ false, "PUT", "/forwarding/f/json", "application/json", "", 400, "" },
		{ false, "PUT", "/forwarding/f/json", "application/json; charset=utf-8", "[1]", 400,
		  "" },
		{ true, "PUT", "/forwarding/f/json", "application/json", "{\"address\":\"127.0.0.1\"}",
		  403, "" },
		{ true, "DELETE", "/forwarding/f/json", NULL, NULL, 403, "" },
		{ false, "GET", "/metric/192.0.2.99/json", NULL, NULL, 404, "" },
		{ false, "GET", "/forwarding/absent/json", NULL, NULL, 404, "" },
		{ false, "DELETE", "/forwarding/absent/json", NULL, NULL, 404, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rest_settings s;
		struct http_response r;

		rest_settings_get(&ctx, &s);
		s.readonly = cases[i].readonly;
		rest_settings_set(&ctx, &s);
		r = dispatch(cases[i].method, cases[i].path, cases[i].ctype, cases[i].body);
		if (r.status != cases[i].status || strcmp(r.allow, cases[i].allow) != 0 ||
		    !error_body(&r) || strcmp(r.content_type, "application/json") != 0) {
			printf("  case %zu %s %s: %d allow \"%s\" body %.*s\n", i, cases[i].method,
			       cases[i].path, r.status, r.allow, (int)r.body_len,
			       r.body ? r.body : "");
			test_failed_checks++;
		}
		free(r.body);
	}
}

TEST(version_and_empty_lists)
{
	struct http_response r = dispatch("GET", "/version", NULL, NULL);

	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_STR(r.body, REST_VERSION);
	CHECK_EQ_STR(r.content_type, "text/plain");
	free(r.body);
	r = dispatch("GET", "/agents/json", NULL, NULL);
	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_STR(r.body, "{}");
	free(r.body);
	r = dispatch("GET", "/forwarding/json", NULL, NULL);
	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_STR(r.body, "{}");
	free(r.body);
	r = dispatch("GET", "/prometheus/metrics/ALL/ALL/txt", NULL, NULL);
	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_U64(r.body_len, 0);
	free(r.body);
	r = dispatch("GET", "/", NULL, NULL);
	CHECK_EQ_U64(r.status, 200);
	CHECK(r.body && strstr(r.body, "<h1>rtflow-analyzer " REST_VERSION "</h1>"));
	free(r.body);
}

static cJSON *fake_status(void *arg)
{
	cJSON *o = cJSON_CreateObject();

	(void)arg;
	cJSON_AddNumberToObject(o, "sFlowAgents", 7);
	cJSON_AddNumberToObject(o, "sFlowDatagramsReceived", 12345);
	cJSON_AddStringToObject(o, "version", "x");
	return o;
}

TEST(analyzer_json_and_prometheus)
{
	struct rest_settings s;
	struct http_response r;

	ctx.status_json = fake_status;
	rest_settings_get(&ctx, &s);
	snprintf(s.prom_prefix, sizeof(s.prom_prefix), "rt_");
	rest_settings_set(&ctx, &s);
	r = dispatch("GET", "/analyzer/json", NULL, NULL);
	CHECK_EQ_STR(r.body, "{\"sFlowAgents\":7,\"sFlowDatagramsReceived\":12345,\"version\":\"x\"}");
	free(r.body);
	r = dispatch("GET", "/prometheus/analyzer/txt", NULL, NULL);
	CHECK_EQ_STR(r.body, "rt_analyzer_agent_count 7\nrt_analyzer_agents 7\n"
			     "rt_analyzer_received_datagrams 12345\n");
	CHECK_EQ_STR(r.content_type, "text/plain; version=0.0.4");
	free(r.body);
	s.prom_type = true;
	rest_settings_set(&ctx, &s);
	r = dispatch("GET", "/prometheus/analyzer/txt", NULL, NULL);
	CHECK_EQ_STR(r.body, "# TYPE rt_analyzer_agent_count gauge\nrt_analyzer_agent_count 7\n"
			     "# TYPE rt_analyzer_agents gauge\nrt_analyzer_agents 7\n"
			     "# TYPE rt_analyzer_received_datagrams counter\n"
			     "rt_analyzer_received_datagrams 12345\n");
	free(r.body);
	s.prom_type = false;
	s.json_indent = 2;
	rest_settings_set(&ctx, &s);
	r = dispatch("GET", "/analyzer/json", NULL, NULL);
	CHECK(r.body && strchr(r.body, '\n') != NULL);
	free(r.body);
	ctx.status_json = NULL;
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_ENTRY(match_table), TEST_ENTRY(dispatch_table),
		TEST_ENTRY(version_and_empty_lists), TEST_ENTRY(analyzer_json_and_prometheus),
	};
	struct store *v[1];
	int rc;

	(void)argc;
	v[0] = store_new(0, &(struct store_limits){ 10, 10, 60000, 60000 });
	empty_stores = (struct store_set){ v, 1 };
	rest_ctx_init(&ctx, &empty_stores, forward_new(), NULL, NULL);
	rc = test_run_all(argv[0], cases, sizeof(cases) / sizeof(cases[0]));
	forward_free(ctx.fw);
	rest_ctx_fini(&ctx);
	store_free(v[0]);
	return rc;
}
