/*
 * analyzer/http/rest_metrics.c: the metric endpoints of
 * reference/sflow-rt-api.md §1.2-1.3: /agents, /metrics, /metric, /dump,
 * /table. The query string is the filter (name=value pairs, see
 * analyzer/query.h), except for /agents where agent= selects agents.
 * Query errors are the client's: 400 with the query's reason.
 */
#include "analyzer/http/rest.h"

#include <string.h>

#include "analyzer/clock.h"
#include "analyzer/jsonw.h"
#include "analyzer/query.h"

static void agents_get(struct http_request *req, struct http_response *resp)
{
	const char *agents[QUERY_MAX_FILTERS];
	size_t n = 0;

	struct rest_settings s;
	char *text;
	size_t len;

	for (size_t i = 0; i < req->query.n; i++)
		if (strcmp(req->query.kv[i].name, "agent") == 0)
			agents[n++] = req->query.kv[i].value;
	rest_settings_get(req->ctx, &s);
	if (s.json_indent) {
		rest_reply_json(req, resp, 200,
				query_agents_json(req->ctx->stores, agents, n, clock_now_ms()));
		return;
	}
	text = query_agents_text(req->ctx->stores, agents, n, clock_now_ms(), &len);
	if (!text)
		rest_reply_error(resp, 500, "answer too large");
	else
		rest_reply_take(resp, 200, "application/json", text, len);
}

static void metrics_get(struct http_request *req, struct http_response *resp)
{
	rest_reply_json(req, resp, 200, query_metric_names_json(req->ctx->stores, clock_now_ms()));
}

static void agent_metrics_get(struct http_request *req, struct http_response *resp)
{
	cJSON *j = query_agent_metrics_json(req->ctx->stores, req->params[0], clock_now_ms());

	if (!j) {
		rest_reply_error(resp, 404, "unknown agent %.100s", req->params[0]);
		return;
	}
	rest_reply_json(req, resp, 200, j);
}

typedef int query_fn(const struct store_set *ss, const char *agents, const char *metrics,
		     const struct query_filter *f, uint64_t now_ms, cJSON **out, char *err,
		     size_t errlen);

static void run_query(struct http_request *req, struct http_response *resp, query_fn *fn)
{
	char err[256] = "";
	cJSON *out = NULL;

	if (fn(req->ctx->stores, req->params[0], req->params[1], &req->query, clock_now_ms(), &out,
	       err, sizeof(err)) == -1) {
		cJSON_Delete(out);
		rest_reply_error(resp, 400, "%s", err[0] ? err : "bad query");
		return;
	}
	rest_reply_json(req, resp, 200, out);
}

static void metric_get(struct http_request *req, struct http_response *resp)
{
	run_query(req, resp, query_metric_json);
}

struct dump_out {
	struct jsonw w;
	size_t n;               /* Metric objects written (capped) */
};

static void dump_item(void *arg, const struct query_item *it)
{
	struct dump_out *o = arg;

	if (o->n++ >= REST_DUMP_MAX)
		return;
	jsonw_open(&o->w, '{');
	jsonw_key(&o->w, "agent");
	jsonw_str(&o->w, it->agent);
	jsonw_key(&o->w, "dataSource");
	jsonw_str(&o->w, it->datasource);
	jsonw_key(&o->w, "metricName");
	jsonw_str(&o->w, it->name);
	jsonw_key(&o->w, "metricValue");
	if (it->is_string)
		jsonw_str(&o->w, it->str);
	else
		jsonw_num(&o->w, it->value);
	jsonw_key(&o->w, "lastUpdate");
	jsonw_num(&o->w, (double)it->age_ms);
	jsonw_close(&o->w, '}');
}

/*
 * /dump can be every metric of every agent (tens of MB): compact answers
 * are written straight from the stores with jsonw, the same text the
 * cJSON tree would print (which http.json.indent still uses).
 */
static void dump_get(struct http_request *req, struct http_response *resp)
{
	struct rest_settings s;
	struct dump_out o = { .n = 0 };
	char err[256] = "", *text;
	size_t len;

	rest_settings_get(req->ctx, &s);
	if (s.json_indent) {
		run_query(req, resp, query_dump_json);
		return;
	}
	jsonw_init(&o.w, REST_DUMP_MAX_BYTES);
	jsonw_open(&o.w, '[');
	if (query_dump_each(req->ctx->stores, req->params[0], req->params[1], &req->query,
			    clock_now_ms(), false, dump_item, &o, err, sizeof(err)) == -1) {
		jsonw_free(&o.w);
		rest_reply_error(resp, 400, "%s", err[0] ? err : "bad query");
		return;
	}
	jsonw_close(&o.w, ']');
	text = jsonw_take(&o.w, &len);
	if (!text) {
		rest_reply_error(resp, 500, "answer larger than %u bytes", REST_DUMP_MAX_BYTES);
		return;
	}
	rest_reply_take(resp, 200, "application/json", text, len);
}

static void table_get(struct http_request *req, struct http_response *resp)
{
	run_query(req, resp, query_table_json);
}

const struct router_route rest_metrics_routes[] = {
	{ "GET", "/agents/json", agents_get, 0 },
	{ "GET", "/metrics/json", metrics_get, 0 },
	{ "GET", "/metric/{agent}/json", agent_metrics_get, 0 },
	{ "GET", "/metric/{agents}/{metrics}/json", metric_get, 0 },
	{ "GET", "/dump/{agents}/{metrics}/json", dump_get, 0 },
	{ "GET", "/table/{agents}/{columns}/json", table_get, 0 },
	{ NULL, NULL, NULL, 0 },
};
