/*
 * tests/fuzz/fuzz_store_ingest.c: fuzz target for the analyzer store's
 * ingest and the metric queries over what it holds.
 *
 * The input is one datagram. It is ingested twice into a fresh store with
 * small caps (1 s apart, so counter rates and duplicate accounting run),
 * then every query kind runs over the result (agents, metric names, one
 * agent's metrics, Statistic with every aggregation, dump ALL, a sorted
 * table, the exporter walk), then everything expires. Every JSON result is
 * printed and freed so the sanitizers see the whole tree. Invariants: the
 * store's counters add up (datagrams == 2, data sources within the caps)
 * and expiry empties the store; a broken one aborts. Plain C11, no
 * libFuzzer dependency (tests/fuzz/replay.c runs it over the corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/query.h"
#include "analyzer/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink;

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_store_ingest: invariant broken: %s\n", why);
	abort();
}

static void consume(cJSON *j)
{
	char *s = j ? cJSON_PrintUnformatted(j) : NULL;

	if (s)
		fuzz_sink += strlen(s);
	free(s);
	cJSON_Delete(j);
}

static void item_cb(void *arg, const struct query_item *it)
{
	(void)arg;
	fuzz_sink += strlen(it->agent) + strlen(it->datasource) + strlen(it->name) +
		     (it->str ? strlen(it->str) : 0) + (it->host ? strlen(it->host) : 0) +
		     (it->ifname ? strlen(it->ifname) : 0);
}

static void run_queries(const struct store_set *ss, uint64_t now_ms)
{
	static const char *const metrics[] = {
		"ifinoctets,max:ifinutilization,min:load_one,sum:ifspeed,avg:cpu_utilization",
		"var:mem_utilization,sdev:ifoutoctets,med:ifinpkts,q1:load_one,q3:load_one",
		"iqr:ifinoctets,any:host_name,max:host_name,2.1.load_one,3.ifspeed,q2:uptime",
	};
	struct query_filter f = { .n = 2, .kv = { { "ifoperstatus", "up" }, { "ifspeed", "*0*" } } };
	cJSON *out = NULL;
	char err[256];

	consume(query_agents_json(ss, NULL, 0, now_ms));
	consume(query_metric_names_json(ss, now_ms));
	consume(query_agent_metrics_json(ss, "10.0.0.1", now_ms));
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		if (query_metric_json(ss, "ALL", metrics[i], NULL, now_ms, &out, err, sizeof(err)) == 0)
			consume(out);
		if (query_metric_json(ss, "ALL", metrics[i], &f, now_ms, &out, err, sizeof(err)) == 0)
			consume(out);
	}
	if (query_dump_json(ss, "ALL", "ALL", NULL, now_ms, &out, err, sizeof(err)) == 0)
		consume(out);
	if (query_table_json(ss, "ALL", "host_name,null:ifname,sort:ifinoctets:-5", NULL, now_ms,
			     &out, err, sizeof(err)) == 0)
		consume(out);
	query_dump_each(ss, "ALL", "ALL", NULL, now_ms, true, item_cb, NULL, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_limits lim = { 4, 16, 60000, 30000 };
	struct store *s = store_new(0, &lim);
	struct store_set ss = { &s, 1 };
	struct store_stats st;

	if (!s)
		fail("store_new");
	store_ingest(s, data, size, NULL, 1000);
	store_ingest(s, data, size, NULL, 2000);
	store_get_stats(s, &st);
	if (st.datagrams != 2 || st.bytes != 2 * (uint64_t)size)
		fail("datagram count");
	if (st.agents > lim.agents_max || st.datasources > (uint64_t)lim.agents_max * 16)
		fail("caps");
	run_queries(&ss, 3000);
	store_tick(s, 40000);
	run_queries(&ss, 40000);
	store_tick(s, 100000);
	store_get_stats(s, &st);
	if (st.agents != 0 || st.datasources != 0)
		fail("expiry left state behind");
	store_free(s);
	return 0;
}
