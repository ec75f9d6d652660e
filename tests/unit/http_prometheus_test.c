/*
 * tests/unit/http_prometheus_test.c: /prometheus/metrics/.../txt over a
 * real store fed datagrams built here (tests/unit/store_test_util.h): the
 * exact exposition text — names with the prefix, labels agent, datasource,
 * host (escaped: '"' and '\' as the text format 0.0.4 requires), ifname,
 * families grouped and sorted, "# TYPE" lines with prometheus.type, string
 * metrics left out — and a bad selection answered 400.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer/forward.h"
#include "analyzer/http/rest.h"
#include "analyzer/http/router.h"
#include "tests/lib/test.h"
#include "tests/unit/store_test_util.h"

static struct rest_ctx ctx;

static struct http_response get(const char *path)
{
	struct http_request req = { .method = "GET", .path = path, .body = "", .ctx = &ctx };
	struct http_response resp = { 0 };

	router_dispatch(&req, &resp);
	return resp;
}

/* Agent 10.0.0.1: host 2:1 (hostname a"b\c, load 1.5 / 0.25) and
 * interface 3 (port name "eth0", 1 Gb/s), two datagrams 10 s apart. */
static void feed(struct store *s)
{
	static const char host[] = "a\"b\\c";
	union sfl_record_value v;
	struct tdg d;

	for (uint32_t i = 0; i < 2; i++) {
		tdg_begin(&d, 1, 0, i + 1, 100000 + 10000 * i);
		tdg_sample(&d, SFL_SAMPLE_COUNTERS, 2, 1, i + 1);
		memset(&v, 0, sizeof(v));
		v.host_descr.hostname = (struct sfl_str){ host, (uint32_t)strlen(host) };
		v.host_descr.os_release = (struct sfl_str){ "6.1", 3 };
		tdg_record(&d, SFL_CTR_HOST_DESCR, &v);
		memset(&v, 0, sizeof(v));
		v.host_cpu.load_one = 1.5f;
		v.host_cpu.load_five = 0.25f;
		v.host_cpu.cpu_num = 4;
		tdg_record(&d, SFL_CTR_HOST_CPU, &v);
		sfl_encode_sample_end(&d.e);
		tdg_sample(&d, SFL_SAMPLE_COUNTERS, 0, 3, i + 1);
		v = tdg_generic(3, 1000000000, 1000000 + 1250000 * i, 1000, 0);
		tdg_record(&d, SFL_CTR_GENERIC, &v);
		memset(&v, 0, sizeof(v));
		v.portname.name = (struct sfl_str){ "eth0", 4 };
		tdg_record(&d, SFL_CTR_PORTNAME, &v);
		sfl_encode_sample_end(&d.e);
		tdg_ingest(s, &d, 1000000 + 10000 * i);
	}
}

TEST(metrics_text)
{
	struct http_response r = get("/prometheus/metrics/ALL/load_one,load_five,ifinoctets,"
				     "host_name/txt");

	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_STR(r.content_type, "text/plain; version=0.0.4");
	/* ifinoctets: (2250000 - 1000000) bytes / 10 s */
	CHECK_EQ_STR(r.body,
		     "sflow_ifinoctets{agent=\"10.0.0.1\",datasource=\"3\",host=\"a\\\"b\\\\c\","
		     "ifname=\"eth0\"} 125000\n"
		     "sflow_load_five{agent=\"10.0.0.1\",datasource=\"2.1\",host=\"a\\\"b\\\\c\"} 0.25\n"
		     "sflow_load_one{agent=\"10.0.0.1\",datasource=\"2.1\",host=\"a\\\"b\\\\c\"} 1.5\n");
	free(r.body);
}

TEST(prefix_and_type)
{
	struct rest_settings s, saved;
	struct http_response r;

	rest_settings_get(&ctx, &saved);
	s = saved;
	snprintf(s.prom_prefix, sizeof(s.prom_prefix), "rt_");
	s.prom_type = true;
	rest_settings_set(&ctx, &s);
	r = get("/prometheus/metrics/10.0.0.1/load_one/txt");
	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_STR(r.body, "# TYPE rt_load_one gauge\n"
			     "rt_load_one{agent=\"10.0.0.1\",datasource=\"2.1\",host=\"a\\\"b\\\\c\"} 1.5\n");
	free(r.body);
	rest_settings_set(&ctx, &saved);
}

TEST(selection_errors)
{
	struct http_response r = get("/prometheus/metrics/ALL/nosuchagg:load_one/txt");

	CHECK_EQ_U64(r.status, 400);
	CHECK(r.body && strstr(r.body, "\"error\":") != NULL);
	free(r.body);
	r = get("/prometheus/metrics/192.0.2.200/load_one/txt");
	CHECK_EQ_U64(r.status, 200);
	CHECK_EQ_U64(r.body_len, 0);
	free(r.body);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_ENTRY(metrics_text), TEST_ENTRY(prefix_and_type), TEST_ENTRY(selection_errors),
	};
	struct store *v[1] = { tdg_store(100, 100) };
	struct store_set ss = { v, 1 };
	int rc;

	(void)argc;
	feed(v[0]);
	rest_ctx_init(&ctx, &ss, forward_new(), NULL, NULL);
	rc = test_run_all(argv[0], cases, sizeof(cases) / sizeof(cases[0]));
	forward_free(ctx.fw);
	rest_ctx_fini(&ctx);
	store_free(v[0]);
	return rc;
}
