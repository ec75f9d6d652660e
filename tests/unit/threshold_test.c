/*
 * tests/unit/threshold_test.c: thresholds and events over a real store fed
 * hand-built host counter samples (load_one values chosen here):
 * - a value above the threshold raises one event with §1.5's fields, only
 *   for the source above it, and not again while it stays above;
 * - it re-arms after staying at or below for `timeout` seconds, not before;
 * - filter {name: [values]} selects data sources; a deleted threshold
 *   raises nothing; the events ring keeps the newest, newest first, with
 *   eventID paging and thresholdID selection;
 * - bad bodies are refused with the attribute named.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/events.h"
#include "analyzer/threshold.h"
#include "tests/lib/test.h"
#include "tests/unit/store_test_util.h"

static struct store *store;
static struct store_set ss;
static uint32_t seqs[8];

/* Agent 10.0.0.a (host name h<a>) reports load_one at now_ms. */
static void load(uint8_t a, double load_one, uint64_t now_ms)
{
	union sfl_record_value v;
	char name[8];
	struct tdg d;

	snprintf(name, sizeof(name), "h%u", a);
	seqs[a]++;
	tdg_begin(&d, a, 0, seqs[a], (uint32_t)now_ms);
	tdg_sample(&d, SFL_SAMPLE_COUNTERS, 2, 1, seqs[a]);
	memset(&v, 0, sizeof(v));
	v.host_descr.hostname.ptr = name;
	v.host_descr.hostname.len = (uint32_t)strlen(name);
	tdg_record(&d, SFL_CTR_HOST_DESCR, &v);
	memset(&v, 0, sizeof(v));
	v.host_cpu.load_one = (float)load_one;
	v.host_cpu.cpu_num = 2;
	tdg_record(&d, SFL_CTR_HOST_CPU, &v);
	sfl_encode_sample_end(&d.e);
	tdg_ingest(store, &d, now_ms);
}

static cJSON *put(struct thresholds *t, const char *name, const char *json, char *err, size_t n)
{
	cJSON *j = cJSON_Parse(json);

	if (thresholds_set(t, name, j, err, n) == -1) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

static int count(struct events *ev, const char *id)
{
	cJSON *a = events_json(ev, id, -1, 1000);
	int n = cJSON_GetArraySize(a);

	cJSON_Delete(a);
	return n;
}

TEST(fire_once_and_rearm)
{
	struct events *ev = events_new(100);
	struct thresholds *t = thresholds_new(&ss, NULL, ev);
	char err[128];
	cJSON *j = put(t, "busy", "{\"metric\":\"load_one\",\"value\":2,\"timeout\":2}", err,
		       sizeof(err)),
	      *a, *e;
	uint64_t now = 1000000;

	CHECK(j != NULL);
	load(1, 1, now);
	load(3, 3, now);
	thresholds_tick(t, now);
	CHECK_EQ_U64(count(ev, NULL), 1);
	a = events_json(ev, NULL, -1, 10);
	e = cJSON_GetArrayItem(a, 0);
	CHECK_EQ_STR(cJSON_GetObjectItem(e, "agent")->valuestring, "10.0.0.3");
	CHECK_EQ_STR(cJSON_GetObjectItem(e, "dataSource")->valuestring, "2.1");
	CHECK_EQ_STR(cJSON_GetObjectItem(e, "thresholdID")->valuestring, "busy");
	CHECK_EQ_STR(cJSON_GetObjectItem(e, "metric")->valuestring, "load_one");
	CHECK(cJSON_GetObjectItem(e, "threshold")->valuedouble == 2);
	CHECK(cJSON_GetObjectItem(e, "value")->valuedouble == 3);
	CHECK(cJSON_GetObjectItem(e, "eventID")->valuedouble == 1);
	CHECK(cJSON_GetObjectItem(e, "timestamp")->valuedouble == (double)now);
	CHECK(cJSON_GetObjectItem(e, "flowKey") == NULL);
	cJSON_Delete(a);
	for (int i = 1; i <= 3; i++) { /* still above: nothing new */
		load(3, 4, now + 1000u * i);
		thresholds_tick(t, now + 1000u * i);
	}
	CHECK_EQ_U64(count(ev, NULL), 1);
	load(3, 1, now + 4000); /* below from 4 s on */
	thresholds_tick(t, now + 4000);
	load(3, 1, now + 5000);
	thresholds_tick(t, now + 5000);
	load(3, 5, now + 5500); /* above again 1.5 s later: not re-armed yet */
	thresholds_tick(t, now + 5500);
	CHECK_EQ_U64(count(ev, NULL), 1);
	load(3, 1, now + 6000);
	thresholds_tick(t, now + 6000);
	load(3, 1, now + 8000);
	thresholds_tick(t, now + 8000); /* 2 s below: re-armed */
	load(3, 5, now + 9000);
	thresholds_tick(t, now + 9000);
	CHECK_EQ_U64(count(ev, NULL), 2);
	a = events_json(ev, NULL, 1, 10); /* paging: after event 1 */
	CHECK_EQ_U64(cJSON_GetArraySize(a), 1);
	CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "value")->valuedouble == 5);
	cJSON_Delete(a);
	thresholds_free(t);
	events_free(ev);
	cJSON_Delete(j);
}

TEST(filter_delete_and_ring)
{
	struct events *ev = events_new(3);
	struct thresholds *t = thresholds_new(&ss, NULL, ev);
	char err[128];
	cJSON *j1 =
		put(t, "h5only",
		    "{\"metric\":\"load_one\",\"value\":0.5,\"filter\":{\"host_name\":[\"h5\"]}}",
		    err, sizeof(err));
	cJSON *j2 = put(t, "gone", "{\"metric\":\"load_one\",\"value\":0}", err, sizeof(err));
	uint64_t now = 2000000;

	CHECK(j1 && j2);
	CHECK_EQ_U64(thresholds_delete(t, "gone"), 0);
	CHECK(thresholds_delete(t, "gone") == -1);
	load(4, 7, now);
	load(5, 7, now);
	thresholds_tick(t, now);
	CHECK_EQ_U64(count(ev, "h5only"), 1);
	CHECK_EQ_U64(count(ev, "gone"), 0);
	CHECK_EQ_U64(count(ev, NULL), 1);
	for (int i = 0; i < 5; i++) { /* ring of 3 keeps the newest */
		struct event e = { (uint64_t)i, "x", "m", "a", "d", NULL, 1, (double)i, NULL, 0 };

		events_push(ev, &e);
	}
	{
		cJSON *a = events_json(ev, NULL, -1, 10);
		uint64_t pushed, lost;

		CHECK_EQ_U64(cJSON_GetArraySize(a), 3);
		CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "eventID")->valuedouble == 6);
		CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 2), "eventID")->valuedouble == 4);
		cJSON_Delete(a);
		events_counts(ev, &pushed, &lost);
		CHECK(pushed == 6 && lost == 3);
	}
	thresholds_free(t);
	events_free(ev);
	cJSON_Delete(j1);
	cJSON_Delete(j2);
}

TEST(bad_bodies)
{
	static const struct {
		const char *json, *why;
	} cases[] = {
		{ "[]", "expected a threshold object" },
		{ "{\"value\":1}", "metric:" },
		{ "{\"metric\":\"\",\"value\":1}", "metric:" },
		{ "{\"metric\":\"load_one\"}", "value:" },
		{ "{\"metric\":\"load_one\",\"value\":\"1\"}", "value:" },
		{ "{\"metric\":\"load_one\",\"value\":1,\"byFlow\":1}", "byFlow:" },
		{ "{\"metric\":\"load_one\",\"value\":1,\"timeout\":-1}", "timeout:" },
		{ "{\"metric\":\"load_one\",\"value\":1,\"filter\":[1]}", "filter:" },
		{ "{\"metric\":\"load_one\",\"value\":1,\"filter\":{\"a\":1}}", "filter:" },
		{ "{\"metric\":\"load_one\",\"value\":1,\"filter\":{\"a\":[{}]}}", "filter:" },
	};
	struct thresholds *t = thresholds_new(&ss, NULL, NULL);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[128] = "";
		cJSON *j = cJSON_Parse(cases[i].json);

		CHECK(thresholds_set(t, "x", j, err, sizeof(err)) == -1);
		if (!strstr(err, cases[i].why)) {
			printf("  %s: \"%s\", expected \"%s\"\n", cases[i].json, err, cases[i].why);
			test_failed_checks++;
		}
		cJSON_Delete(j);
	}
	{
		cJSON *l = thresholds_list_json(t);

		CHECK_EQ_U64(cJSON_GetArraySize(l), 0);
		cJSON_Delete(l);
	}
	thresholds_free(t);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = { TEST_ENTRY(fire_once_and_rearm),
						  TEST_ENTRY(filter_delete_and_ring),
						  TEST_ENTRY(bad_bodies) };
	int rc;

	(void)argc;
	store = tdg_store(100, 100);
	ss = (struct store_set){ &store, 1 };
	rc = test_run_all(argv[0], cases, sizeof(cases) / sizeof(cases[0]));
	store_free(store);
	return rc;
}
