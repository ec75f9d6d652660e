/*
 * analyzer/http/rest_prometheus.c: Prometheus text exposition format
 * 0.0.4 (reference/sflow-rt-api.md §1.9).
 *
 * /prometheus/analyzer/txt maps the numeric /analyzer/json fields to
 * <prefix>analyzer_<name> samples. /prometheus/metrics/{agents}/{metrics}/txt
 * walks the selection with query_dump_each() and prints one sample per
 * numeric (agent, data source, metric): <prefix><metric>{agent, datasource,
 * host, ifname} value. Names map every character outside [A-Za-z0-9_] to
 * '_'; label values escape '\', '"' and newline. The format wants every
 * sample of one metric in one group, so lines are collected, sorted by
 * metric name (stable) and then printed. Output is capped
 * (REST_MAX_REPLY_BYTES): a larger reply is a 500, never unbounded memory.
 */
#include "analyzer/http/rest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/clock.h"
#include "analyzer/query.h"

struct prom_line {
	char *name;             /* metric name, the sort key */
	char *text;             /* whole line with '\n' */
	size_t seq;             /* arrival order, keeps the sort stable */
	const char *type;       /* "gauge" or "counter", for # TYPE */
};

struct prom_out {
	struct prom_line *v;
	size_t n, cap;
	size_t bytes;
	bool too_big;
	const struct rest_settings *s;
};

/* prefix + name with every non-[A-Za-z0-9_] byte as '_'; caller frees. */
static char *prom_name(const char *prefix, const char *name)
{
	size_t lp = strlen(prefix), ln = strlen(name);
	char *out = malloc(lp + ln + 2);
	size_t o = 0;

	if (!out)
		abort();
	memcpy(out, prefix, lp);
	o = lp;
	if (o == 0 && ln && name[0] >= '0' && name[0] <= '9')
		out[o++] = '_';
	for (size_t i = 0; i < ln; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_';

		out[o++] = (char)(ok ? c : '_');
	}
	out[o] = '\0';
	return out;
}

/* Append key="escaped value" to f (a memstream). */
static void prom_label(FILE *f, bool *first, const char *key, const char *value)
{
	if (!value)
		return;
	fprintf(f, "%s%s=\"", *first ? "" : ",", key);
	*first = false;
	for (const char *p = value; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"')
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* The shortest of %.15g and %.17g that reads back as v. */
static const char *shortest(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, size, "%.17g", v);
	return buf;
}

static void prom_value(FILE *f, double v)
{
	char buf[32];

	if (isnan(v))
		fputs("NaN", f);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", f);
	else
		fputs(shortest(v, buf, sizeof(buf)), f);
}

/* Keep one line; takes name and text. */
static void prom_add(struct prom_out *o, char *name, char *text, size_t len, const char *type)
{
	if (o->too_big || o->bytes + len > REST_MAX_REPLY_BYTES) {
		o->too_big = true;
		free(name);
		free(text);
		return;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 256;
		o->v = realloc(o->v, o->cap * sizeof(*o->v));
		if (!o->v)
			abort();
	}
	o->v[o->n] = (struct prom_line){ name, text, o->n, type };
	o->n++;
	o->bytes += len;
}

static void prom_item(void *arg, const struct query_item *it)
{
	struct prom_out *o = arg;
	char *name, *text = NULL;
	size_t len = 0;
	bool first = true;
	FILE *f;

	if (it->is_string || o->too_big)
		return;
	name = prom_name(o->s->prom_prefix, it->name);
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	fprintf(f, "%s{", name);
	prom_label(f, &first, "agent", it->agent);
	prom_label(f, &first, "datasource", it->datasource);
	prom_label(f, &first, "host", it->host);
	prom_label(f, &first, "ifname", it->ifname);
	fputs("} ", f);
	prom_value(f, it->value);
	fputc('\n', f);
	fclose(f);
	prom_add(o, name, text, len, "gauge");
}

static int line_cmp(const void *a, const void *b)
{
	const struct prom_line *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort, join (with # TYPE lines when asked) and free the lines. */
static char *prom_join(struct prom_out *o, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), line_cmp);
	for (size_t i = 0; i < o->n; i++) {
		if (o->s->prom_type && (i == 0 || strcmp(o->v[i - 1].name, o->v[i].name) != 0))
			fprintf(f, "# TYPE %s %s\n", o->v[i].name, o->v[i].type);
		fputs(o->v[i].text, f);
	}
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].name);
		free(o->v[i].text);
	}
	free(o->v);
	fclose(f);
	return text;
}

static void prom_reply(struct http_response *resp, struct prom_out *o)
{
	size_t len = 0;
	char *text;
	bool too_big = o->too_big;

	text = prom_join(o, &len);
	if (too_big)
		rest_reply_error(resp, 500, "reply larger than %u bytes; narrow the selection",
				 REST_MAX_REPLY_BYTES);
	else
		rest_reply_text(resp, 200, "text/plain; version=0.0.4", text, len);
	free(text);
}

static void metrics_txt(struct http_request *req, struct http_response *resp)
{
	struct rest_settings s;
	struct prom_out o = { .s = &s };
	char err[256] = "";

	rest_settings_get(req->ctx, &s);
	if (query_dump_each(req->ctx->stores, req->params[0], req->params[1], &req->query,
			    clock_now_ms(), true, prom_item, &o, err, sizeof(err)) == -1) {
		o.too_big = false;
		free(prom_join(&o, &(size_t){ 0 }));
		rest_reply_error(resp, 400, "%s", err[0] ? err : "bad query");
		return;
	}
	prom_reply(resp, &o);
}

/* /analyzer/json field → Prometheus name (after "<prefix>analyzer_");
 * counter: the value only grows (while the process runs). */
static const struct {
	const char *field, *name;
	bool counter;
} prom_analyzer_fields[] = {
	{ "uptime", "uptime_ms", true },
	{ "sFlowAgents", "agents", false },
	{ "sFlowAgents", "agent_count", false },
	{ "sFlowDatasources", "datasources", false },
	{ "sFlowBytesReceived", "received_bytes", true },
	{ "sFlowDatagramsReceived", "received_datagrams", true },
	{ "sFlowDatagramsDiscarded", "discarded_datagrams", true },
	{ "sFlowParseErrors", "parse_errors", true },
	{ "sFlowUnsupportedVersion", "unsupported_version_datagrams", true },
	{ "sFlowKernelDrops", "kernel_dropped_datagrams", true },
	{ "sFlowRingDrops", "ring_dropped_datagrams", true },
	{ "agentsCapHits", "agents_cap_hits", true },
	{ "datasourcesCapHits", "datasources_cap_hits", true },
	{ "forwardSent", "forwarded_datagrams", true },
	{ "forwardErrors", "forward_errors", true },
	{ "httpConnectionsCurrent", "http_connections_current", false },
	{ "httpConnectionsTotal", "http_connections_total", true },
	{ "httpMessagesReceived", "http_messages_received", true },
	{ "httpBytesSent", "http_sent_bytes", true },
	{ "httpBytesReceived", "http_received_bytes", true },
	{ "availableProcessors", "available_processors", false },
	{ "heapMax", "heap_max_bytes", false },
	{ "heapUsed", "heap_used_bytes", false },
	{ "threadCount", "thread_count", false },
	{ "cpuTime", "cpu_time_ms", true },
	{ "cpuLoadProcess", "cpu_load_process", false },
	{ "cpuLoadSystem", "cpu_load_system", false },
	{ "memTotal", "mem_total_bytes", false },
	{ "memFree", "mem_free_bytes", false },
	{ "flowsGenerated", "flows_generated", true },
	{ "flowsLost", "flows_lost", true },
	{ "eventsGenerated", "events_generated", true },
	{ "eventsLost", "events_lost", true },
};

static void analyzer_txt(struct http_request *req, struct http_response *resp)
{
	struct rest_settings s;
	struct prom_out o = { .s = &s };
	cJSON *st;

	rest_settings_get(req->ctx, &s);
	st = req->ctx->status_json ? req->ctx->status_json(req->ctx->status_arg) : NULL;
	for (size_t i = 0; i < sizeof(prom_analyzer_fields) / sizeof(prom_analyzer_fields[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, prom_analyzer_fields[i].field);
		char *name, *text = NULL;
		size_t len = 0;
		FILE *f;

		if (!cJSON_IsNumber(v))
			continue;
		if (asprintf(&name, "%sanalyzer_%s", s.prom_prefix, prom_analyzer_fields[i].name) ==
			    -1 ||
		    !(f = open_memstream(&text, &len)))
			abort();
		fprintf(f, "%s ", name);
		prom_value(f, v->valuedouble);
		fputc('\n', f);
		fclose(f);
		prom_add(&o, name, text, len, prom_analyzer_fields[i].counter ? "counter" : "gauge");
	}
	cJSON_Delete(st);
	prom_reply(resp, &o);
}

const struct router_route rest_prometheus_routes[] = {
	{ "GET", "/prometheus/analyzer/txt", analyzer_txt, 0 },
	{ "GET", "/prometheus/metrics/{agents}/{metrics}/txt", metrics_txt, 0 },
	{ NULL, NULL, NULL, 0 },
};
