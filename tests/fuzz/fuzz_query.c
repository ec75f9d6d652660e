/*
 * tests/fuzz/fuzz_query.c: fuzz target for the metric query parsers and
 * evaluators (agents and metrics path segments, filters, table columns).
 *
 * A store is filled once with three agents (host data source 2.1 and
 * interface 3, twice so counters have rates). The input is split at
 * newlines into: agents, metrics, then name/value filter pairs (at most
 * QUERY_MAX_FILTERS). Every query runs with those strings; a -1 must come
 * with a non-empty reason, a 0 with a result. Plain C11, no libFuzzer
 * dependency (tests/fuzz/replay.c runs it over the corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/query.h"
#include "analyzer/store.h"
#include "tests/unit/store_test_util.h"

#define FUZZ_MAX_BYTES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *fuzz_store;
static volatile size_t fuzz_sink;

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_query: invariant broken: %s\n", why);
	abort();
}

static void fill(struct store *s, uint8_t a, uint32_t seq, uint64_t now_ms)
{
	struct tdg d;
	union sfl_record_value v;

	tdg_begin(&d, a, 0, seq, seq * 1000);
	tdg_sample(&d, SFL_SAMPLE_COUNTERS, 2, 1, seq);
	memset(&v, 0, sizeof(v));
	v.host_descr.hostname.ptr = a == 1 ? "web1" : "db";
	v.host_descr.hostname.len = a == 1 ? 4 : 2;
	tdg_record(&d, SFL_CTR_HOST_DESCR, &v);
	memset(&v, 0, sizeof(v));
	v.host_cpu.load_one = a;
	v.host_cpu.cpu_num = 2;
	v.host_cpu.cpu_user_ms = 100 * seq * a;
	v.host_cpu.cpu_idle_ms = 1000 * seq;
	tdg_record(&d, SFL_CTR_HOST_CPU, &v);
	sfl_encode_sample_end(&d.e);
	v = tdg_generic(3, 1000000, 1000 * seq * a, seq, 500 * seq);
	tdg_counters(&d, 0, 3, seq, SFL_CTR_GENERIC, &v);
	tdg_ingest(s, &d, now_ms);
}

static struct store *get_store(void)
{
	if (!fuzz_store) {
		fuzz_store = tdg_store(16, 16);
		for (uint8_t a = 1; a <= 3; a++) {
			fill(fuzz_store, a, 1, 1000);
			fill(fuzz_store, a, 2, 2000);
		}
	}
	return fuzz_store;
}

/* Split buf (NUL-terminated) at newlines into at most max fields. */
static size_t split(char *buf, char **field, size_t max)
{
	size_t n = 0;
	char *p = buf;

	while (n < max) {
		char *nl = strchr(p, '\n');

		field[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return n;
}

static void check(int rc, cJSON *out, const char *err)
{
	char *s;

	if (rc == -1 && (out || !err[0]))
		fail("-1 without a reason, or with a result");
	if (rc == 0 && !out)
		fail("0 without a result");
	s = out ? cJSON_PrintUnformatted(out) : NULL;
	if (s)
		fuzz_sink += strlen(s);
	free(s);
	cJSON_Delete(out);
}

static void item_cb(void *arg, const struct query_item *it)
{
	(void)arg;
	fuzz_sink += strlen(it->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = get_store();
	struct store_set ss = { &s, 1 };
	char buf[FUZZ_MAX_BYTES + 1], *field[2 + 2 * QUERY_MAX_FILTERS], err[256];
	struct query_filter f = { 0 };
	const char *ag[1];
	cJSON *out;
	size_t n;
	int rc;

	if (size > FUZZ_MAX_BYTES)
		size = FUZZ_MAX_BYTES;
	memcpy(buf, data, size);
	buf[size] = '\0';
	n = split(buf, field, sizeof(field) / sizeof(field[0]));
	for (size_t i = 2; i + 1 < n; i += 2, f.n++) {
		f.kv[f.n].name = field[i];
		f.kv[f.n].value = field[i + 1];
	}
	const char *agents = field[0], *metrics = n > 1 ? field[1] : "load_one";

	err[0] = '\0';
	out = NULL;
	rc = query_metric_json(&ss, agents, metrics, &f, 5000, &out, err, sizeof(err));
	check(rc, out, err);
	err[0] = '\0';
	out = NULL;
	rc = query_dump_json(&ss, agents, metrics, &f, 5000, &out, err, sizeof(err));
	check(rc, out, err);
	err[0] = '\0';
	out = NULL;
	rc = query_table_json(&ss, agents, metrics, &f, 5000, &out, err, sizeof(err));
	check(rc, out, err);
	err[0] = '\0';
	query_dump_each(&ss, agents, metrics, &f, 5000, true, item_cb, NULL, err, sizeof(err));
	ag[0] = agents;
	check(0, query_agents_json(&ss, ag, 1, 5000), "");
	out = query_agent_metrics_json(&ss, agents, 5000);
	cJSON_Delete(out);
	return 0;
}
