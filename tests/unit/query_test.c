/*
 * analyzer/query tests. Seven agents 10.0.0.1..7, split over two stores
 * (odd agents in store 0, even in store 1), each with a host data source
 * 2.1 whose load_one is the agent number i and whose host_name is "web<i>"
 * for odd i and "db<i>" for even i, cpu_num 2 for i <= 3 else 4, and an
 * interface data source 3 (ifspeed 1000 * i, ifname "eth<i>"). Agent i's
 * datagram arrives at 1000 * i ms; queries run at 10000 ms. Expected
 * aggregates are hand-computed over 1..7.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>

#include "analyzer/query.h"
#include "analyzer/stats.h"
#include "tests/lib/test.h"
#include "tests/unit/store_test_util.h"

#define NOW_MS 10000

#define CHECK_NEAR(a, b)                                                                   \
	do {                                                                               \
		double a_ = (a), b_ = (b);                                                 \
		if (!(fabs(a_ - b_) <= 1e-9 * (fabs(b_) + 1))) {                           \
			printf("  %s:%d: %s == %s: %.12g != %.12g\n", __FILE__, __LINE__, #a, \
			       #b, a_, b_);                                                \
			test_failed_checks++;                                              \
		}                                                                          \
	} while (0)

static struct store *stores[2];
static struct store_set ss = { stores, 2 };

static void send_agent(uint8_t i)
{
	struct tdg d;
	union sfl_record_value v;
	char name[16];

	snprintf(name, sizeof(name), "%s%u", i % 2 ? "web" : "db", i);
	tdg_begin(&d, i, 0, 1, 1000);
	tdg_sample(&d, SFL_SAMPLE_COUNTERS, 2, 1, 1);
	memset(&v, 0, sizeof(v));
	v.host_descr.hostname.ptr = name;
	v.host_descr.hostname.len = (uint32_t)strlen(name);
	tdg_record(&d, SFL_CTR_HOST_DESCR, &v);
	memset(&v, 0, sizeof(v));
	v.host_cpu.load_one = i;
	v.host_cpu.cpu_num = i <= 3 ? 2 : 4;
	tdg_record(&d, SFL_CTR_HOST_CPU, &v);
	sfl_encode_sample_end(&d.e);
	snprintf(name, sizeof(name), "eth%u", i);
	tdg_sample(&d, SFL_SAMPLE_COUNTERS, 0, 3, 1);
	v = tdg_generic(3, 1000u * i, 0, 0, 0);
	tdg_record(&d, SFL_CTR_GENERIC, &v);
	memset(&v, 0, sizeof(v));
	v.portname.name.ptr = name;
	v.portname.name.len = (uint32_t)strlen(name);
	tdg_record(&d, SFL_CTR_PORTNAME, &v);
	sfl_encode_sample_end(&d.e);
	tdg_ingest(stores[i % 2 ? 0 : 1], &d, 1000u * i);
}

static void setup(void)
{
	stores[0] = tdg_store(100, 100);
	stores[1] = tdg_store(100, 100);
	for (uint8_t i = 1; i <= 7; i++)
		send_agent(i);
}

static void teardown(void)
{
	store_free(stores[0]);
	store_free(stores[1]);
}

static double jnum(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(j) ? j->valuedouble : NAN;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* The one Statistic of metric m over ALL with filter f. */
static cJSON *stat1(const char *agents, const char *m, const struct query_filter *f)
{
	cJSON *out = NULL;
	char err[128] = "";

	if (query_metric_json(&ss, agents, m, f, NOW_MS, &out, err, sizeof(err)) == -1) {
		printf("  query %s: %s\n", m, err);
		return NULL;
	}
	return out;
}

struct agg_case {
	const char *metric;
	double value;
};

TEST(aggregations_over_1_to_7)
{
	static const struct agg_case cases[] = {
		{ "load_one", 7 }, { "max:load_one", 7 }, { "min:load_one", 1 },
		{ "sum:load_one", 28 }, { "avg:load_one", 4 },
		{ "var:load_one", 28.0 / 6 },          /* squared deviations 9+4+1+0+1+4+9 */
		{ "sdev:load_one", 2.1602468994692865 }, /* sqrt(28/6) */
		{ "med:load_one", 4 }, { "q1:load_one", 2.5 }, { "q2:load_one", 4 },
		{ "q3:load_one", 5.5 }, { "iqr:load_one", 3 },
	};

	setup();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *out = stat1("ALL", cases[i].metric, NULL), *s = cJSON_GetArrayItem(out, 0);
		int before = test_failed_checks;

		CHECK_NEAR(jnum(s, "metricValue"), cases[i].value);
		CHECK_NEAR(jnum(s, "metricN"), 7);
		CHECK_EQ_STR(jstr(s, "metricName"), cases[i].metric);
		CHECK_NEAR(jnum(s, "lastUpdateMin"), 3000);
		CHECK_NEAR(jnum(s, "lastUpdateMax"), 9000);
		if (test_failed_checks != before)
			printf("  in case %s\n", cases[i].metric);
		cJSON_Delete(out);
	}
	teardown();
}

TEST(statistic_fields_of_max_min_med)
{
	cJSON *out, *s, *q;

	setup();
	out = stat1("ALL", "max:load_one,min:load_one,med:load_one,any:host_name", NULL);
	CHECK_EQ_U64(cJSON_GetArraySize(out), 4);
	s = cJSON_GetArrayItem(out, 0);
	CHECK_EQ_STR(jstr(s, "agent"), "10.0.0.7");
	CHECK_EQ_STR(jstr(s, "dataSource"), "2.1");
	CHECK_NEAR(jnum(s, "lastUpdate"), 3000);
	s = cJSON_GetArrayItem(out, 1);
	CHECK_EQ_STR(jstr(s, "agent"), "10.0.0.1");
	CHECK_NEAR(jnum(s, "lastUpdate"), 9000);
	q = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(out, 2), "quartiles");
	CHECK_NEAR(jnum(q, "min"), 1);
	CHECK_NEAR(jnum(q, "q1"), 2.5);
	CHECK_NEAR(jnum(q, "med"), 4);
	CHECK_NEAR(jnum(q, "q3"), 5.5);
	CHECK_NEAR(jnum(q, "max"), 7);
	s = cJSON_GetArrayItem(out, 3);
	CHECK(jstr(s, "metricValue") && (strncmp(jstr(s, "metricValue"), "web", 3) == 0 ||
					 strncmp(jstr(s, "metricValue"), "db", 2) == 0));
	cJSON_Delete(out);
	teardown();
}

TEST(no_data_has_no_metric_value)
{
	cJSON *out, *s;

	setup();
	out = stat1("ALL", "nosuchmetric,3.load_one", NULL);
	for (int i = 0; i < 2; i++) {
		s = cJSON_GetArrayItem(out, i);
		CHECK(s && !cJSON_HasObjectItem(s, "metricValue"));
		CHECK_NEAR(jnum(s, "metricN"), 0);
	}
	cJSON_Delete(out);
	teardown();
}

struct filter_case {
	const char *agents, *metric;
	size_t n;
	const char *kv[4][2];
	double sum, count;
};

TEST(filters_and_agent_lists)
{
	static const struct filter_case cases[] = {
		{ "ALL", "sum:load_one", 1, { { "host_name", "web*" } }, 16, 4 },
		{ "ALL", "sum:load_one", 2, { { "host_name", "web1" }, { "host_name", "db2" } }, 3, 2 },
		{ "ALL", "sum:load_one", 2, { { "host_name", "web*" }, { "cpu_num", "4" } }, 12, 2 },
		{ "ALL", "sum:load_one", 1, { { "host_name", "*b*" } }, 28, 7 },
		{ "ALL", "sum:load_one", 1, { { "nosuch", "*" } }, NAN, 0 },
		{ "10.0.0.2;10.0.0.3", "sum:load_one", 0, { { NULL, NULL } }, 5, 2 },
		{ "10.0.0.2,10.0.0.9", "sum:2.1.load_one", 0, { { NULL, NULL } }, 2, 1 },
		{ "ALL", "sum:3.ifspeed", 0, { { NULL, NULL } }, 28000, 7 },
		{ "ALL", "sum:ifspeed", 1, { { "ifname", "eth7" } }, 7000, 1 },
	};

	setup();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct filter_case *c = &cases[i];
		struct query_filter f = { .n = c->n };
		cJSON *out, *s;
		int before = test_failed_checks;

		for (size_t k = 0; k < c->n; k++) {
			f.kv[k].name = c->kv[k][0];
			f.kv[k].value = c->kv[k][1];
		}
		out = stat1(c->agents, c->metric, &f);
		s = cJSON_GetArrayItem(out, 0);
		if (isnan(c->sum))
			CHECK(!cJSON_HasObjectItem(s, "metricValue"));
		else
			CHECK_NEAR(jnum(s, "metricValue"), c->sum);
		CHECK_NEAR(jnum(s, "metricN"), c->count);
		if (test_failed_checks != before)
			printf("  in case %zu\n", i);
		cJSON_Delete(out);
	}
	teardown();
}

struct err_case {
	const char *agents, *metrics, *reason;
};

TEST(malformed_segments_are_errors)
{
	static const struct err_case cases[] = {
		{ "ALL", "foo:load_one", "unknown aggregation: foo" },
		{ "", "load_one", "no agent" },
		{ "ALL", ",,", "no metric" },
		{ "ALL", "2.1.", "empty metric name: 2.1." },
		{ "ALL", ".load_one", "bad data source in metric: .load_one" },
		{ NULL, "load_one", "no agent" },
	};

	setup();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *out = NULL;
		char err[128] = "";

		CHECK_EQ_U64(query_metric_json(&ss, cases[i].agents, cases[i].metrics, NULL, NOW_MS,
					       &out, err, sizeof(err)), (uint64_t)-1);
		CHECK(out == NULL);
		CHECK_EQ_STR(err, cases[i].reason);
	}
	teardown();
}

static double cell_num(const cJSON *rows, int r, int c)
{
	return jnum(cJSON_GetArrayItem(cJSON_GetArrayItem(rows, r), c), "metricValue");
}

TEST(table_sort_truncate_and_null_columns)
{
	cJSON *rows = NULL;
	char err[128];

	setup();
	CHECK_EQ_U64(query_table_json(&ss, "ALL", "host_name,sort:load_one:-3", NULL, NOW_MS, &rows,
				      err, sizeof(err)), 0);
	CHECK_EQ_U64(cJSON_GetArraySize(rows), 3);
	CHECK_NEAR(cell_num(rows, 0, 1), 7);
	CHECK_NEAR(cell_num(rows, 1, 1), 6);
	CHECK_NEAR(cell_num(rows, 2, 1), 5);
	CHECK_EQ_STR(jstr(cJSON_GetArrayItem(cJSON_GetArrayItem(rows, 0), 0), "metricValue"), "web7");
	cJSON_Delete(rows);
	CHECK_EQ_U64(query_table_json(&ss, "ALL", "sort:load_one:2", NULL, NOW_MS, &rows, err,
				      sizeof(err)), 0);
	CHECK_EQ_U64(cJSON_GetArraySize(rows), 2);
	CHECK_NEAR(cell_num(rows, 0, 0), 1);
	CHECK_NEAR(cell_num(rows, 1, 0), 2);
	cJSON_Delete(rows);
	/* rows are data sources: 2.1 has load_one but no ifspeed (null), 3 lacks load_one */
	CHECK_EQ_U64(query_table_json(&ss, "ALL", "load_one,null:ifspeed", NULL, NOW_MS, &rows, err,
				      sizeof(err)), 0);
	CHECK_EQ_U64(cJSON_GetArraySize(rows), 7);
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetArrayItem(rows, 0), 1)));
	cJSON_Delete(rows);
	teardown();
}

TEST(dump_metric_names_and_agent_metrics)
{
	cJSON *out = NULL, *m;
	char err[128];

	setup();
	CHECK_EQ_U64(query_dump_json(&ss, "ALL", "load_one;host_name", NULL, NOW_MS, &out, err,
				     sizeof(err)), 0);
	CHECK_EQ_U64(cJSON_GetArraySize(out), 14);
	cJSON_Delete(out);
	CHECK_EQ_U64(query_dump_json(&ss, "10.0.0.2", "2.1.load_one", NULL, NOW_MS, &out, err,
				     sizeof(err)), 0);
	m = cJSON_GetArrayItem(out, 0);
	CHECK_EQ_U64(cJSON_GetArraySize(out), 1);
	CHECK_EQ_STR(jstr(m, "agent"), "10.0.0.2");
	CHECK_EQ_STR(jstr(m, "dataSource"), "2.1");
	CHECK_EQ_STR(jstr(m, "metricName"), "load_one");
	CHECK_NEAR(jnum(m, "metricValue"), 2);
	CHECK_NEAR(jnum(m, "lastUpdate"), 8000);
	cJSON_Delete(out);
	out = query_metric_names_json(&ss, NOW_MS);
	CHECK_NEAR(jnum(out, "load_one"), 3000);
	CHECK_NEAR(jnum(out, "ifname"), 3000);
	cJSON_Delete(out);
	out = query_agent_metrics_json(&ss, "10.0.0.4", NOW_MS);
	CHECK_NEAR(jnum(out, "2.1.load_one"), 4);
	CHECK_NEAR(jnum(out, "3.ifspeed"), 4000);
	CHECK_EQ_STR(jstr(out, "3.ifname"), "eth4");
	CHECK_EQ_STR(jstr(out, "2.1.host_name"), "db4");
	cJSON_Delete(out);
	CHECK(query_agent_metrics_json(&ss, "10.0.0.8", NOW_MS) == NULL);
	teardown();
}

struct each {
	int n;
	int with_host, with_ifname;
};

static void each_cb(void *arg, const struct query_item *it)
{
	struct each *e = arg;

	e->n++;
	if (strcmp(it->agent, "10.0.0.5") == 0 && strcmp(it->name, "ifspeed") == 0) {
		e->with_host += it->host && strcmp(it->host, "web5") == 0;
		e->with_ifname += it->ifname && strcmp(it->ifname, "eth5") == 0;
	}
}

TEST(dump_each_labels_host_and_ifname)
{
	struct each e = { 0, 0, 0 };
	char err[128];

	setup();
	CHECK_EQ_U64(query_dump_each(&ss, "ALL", "ifspeed,load_one", NULL, NOW_MS, true, each_cb, &e, err,
				     sizeof(err)), 0);
	CHECK_EQ_U64(e.n, 14);
	CHECK_EQ_U64(e.with_host, 1);
	CHECK_EQ_U64(e.with_ifname, 1);
	teardown();
}

TEST(quantiles_pure)
{
	double v4[] = { 1, 2, 3, 4 }, v1[] = { 42 }, v[] = { 3, 1, 2 };
	size_t pick = 99;
	struct stats_quartiles q;

	CHECK_NEAR(stats_quantile(v4, 4, 0.25), 1.75); /* h = 0.75 */
	CHECK_NEAR(stats_quantile(v4, 4, 0.5), 2.5);
	CHECK_NEAR(stats_quantile(v1, 1, 0.75), 42);
	CHECK_NEAR(stats_apply(STATS_MAX, v, 3, &pick, &q), 3);
	CHECK_EQ_U64(pick, 0);
	CHECK_NEAR(stats_apply(STATS_VAR, v1, 1, &pick, NULL), 0);
}

static void *ingest_thread(void *arg)
{
	struct store *s = arg;

	for (uint32_t i = 1; i <= 2000; i++) {
		struct tdg d;
		union sfl_record_value v = tdg_generic(3, 1000000, 1000ull * i, i, 0);

		tdg_begin(&d, (uint8_t)(i % 5 + 1), 0, i, i * 1000);
		tdg_counters(&d, 0, i % 7, i, SFL_CTR_GENERIC, &v);
		tdg_ingest(s, &d, i * 10);
		if (i % 100 == 0)
			store_tick(s, i * 10);
	}
	return NULL;
}

/* Queries on one thread while another ingests: the per-store lock keeps
 * every answer well formed (run under TSan/ASan to see races). */
TEST(queries_while_ingesting)
{
	struct store *s = tdg_store(100, 100);
	struct store_set one = { &s, 1 };
	struct store_stats st;
	pthread_t t;
	int answers = 0;

	pthread_create(&t, NULL, ingest_thread, s);
	for (int i = 0; i < 200; i++) {
		cJSON *out = NULL;
		char err[64];

		if (query_metric_json(&one, "ALL", "sum:ifinoctets,max:ifspeed", NULL, 0, &out, err,
				      sizeof(err)) == 0)
			answers += cJSON_GetArraySize(out) == 2;
		cJSON_Delete(out);
		cJSON_Delete(query_agents_json(&one, NULL, 0, 0));
	}
	pthread_join(t, NULL);
	store_get_stats(s, &st);
	CHECK_EQ_U64(answers, 200);
	CHECK_EQ_U64(st.datagrams, 2000);
	CHECK_EQ_U64(st.agents, 5);
	store_free(s);
}

/*
 * A custom (rtmetric) metric that shares a counter record's name is found
 * beside it: /metric/ALL reads record tables' slabs only in stores without
 * custom metrics. Agents 1..7 have ifspeed 1000·i (sum 28000); agent 8 (in
 * its own store) adds an rtmetric gauge named ifspeed = 5.
 */
TEST(custom_metric_sharing_a_record_name)
{
	struct store *own[3];
	struct store_set ss3 = { own, 3 };
	struct tdg d;
	uint8_t body[128];
	size_t at = 0;
	char err[128];
	cJSON *out = NULL;

	setup();
	own[0] = stores[0];
	own[1] = stores[1];
	own[2] = tdg_store(10, 10);
	tdg_begin(&d, 8, 0, 1, 5000);
	at = tdg_putstr(body, at, "my-app");
	at = tdg_put32(body, at, 1);
	at = tdg_putstr(body, at, "ifspeed");
	at = tdg_put32(body, at, SFL_RTM_GAUGE32);
	at = tdg_put32(body, at, 5);
	tdg_sample(&d, SFL_SAMPLE_RTMETRIC, 0, 0, 0);
	sfl_encode_raw(&d.e, body, at);
	sfl_encode_sample_end(&d.e);
	tdg_ingest(own[2], &d, 5000);
	CHECK_EQ_U64(query_metric_json(&ss3, "ALL", "sum:ifspeed", NULL, NOW_MS, &out, err,
				       sizeof(err)), 0);
	CHECK_NEAR(jnum(cJSON_GetArrayItem(out, 0), "metricN"), 8);
	CHECK_NEAR(jnum(cJSON_GetArrayItem(out, 0), "metricValue"), 28005);
	cJSON_Delete(out);
	CHECK_EQ_U64(query_metric_json(&ss, "ALL", "sum:ifspeed", NULL, NOW_MS, &out, err,
				       sizeof(err)), 0);
	CHECK_NEAR(jnum(cJSON_GetArrayItem(out, 0), "metricValue"), 28000);
	cJSON_Delete(out);
	store_free(own[2]);
	teardown();
}

TEST_MAIN(TEST_ENTRY(queries_while_ingesting), TEST_ENTRY(custom_metric_sharing_a_record_name), TEST_ENTRY(aggregations_over_1_to_7),
	  TEST_ENTRY(statistic_fields_of_max_min_med),
	  TEST_ENTRY(no_data_has_no_metric_value), TEST_ENTRY(filters_and_agent_lists),
	  TEST_ENTRY(malformed_segments_are_errors),
	  TEST_ENTRY(table_sort_truncate_and_null_columns),
	  TEST_ENTRY(dump_metric_names_and_agent_metrics),
	  TEST_ENTRY(dump_each_labels_host_and_ifname), TEST_ENTRY(quantiles_pure))
