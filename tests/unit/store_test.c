/*
 * analyzer/store tests: datagrams built with libsflow's encoder carrying
 * known counter values at known times; expected rates and sequence
 * accounting are computed by hand in the comments.
 */
#include <math.h>
#include <stdio.h>

#include "analyzer/query.h"
#include "analyzer/store.h"
#include "analyzer/store_internal.h"
#include "tests/lib/test.h"
#include "tests/unit/store_test_util.h"

#define CHECK_NEAR(a, b)                                                                   \
	do {                                                                               \
		double a_ = (a), b_ = (b);                                                 \
		if (fabs(a_ - b_) > 1e-9 * (fabs(b_) + 1)) {                               \
			printf("  %s:%d: %s == %s: %.12g != %.12g\n", __FILE__, __LINE__, #a, \
			       #b, a_, b_);                                                \
			test_failed_checks++;                                              \
		}                                                                          \
	} while (0)

struct find {
	const char *agent, *ds;
	const struct store_ds *d;
	const struct store_agent *a;
};

static void find_ds(void *arg, const struct store_agent *a, const struct store_ds *d)
{
	struct find *f = arg;

	(void)a;
	if (strcmp(d->name, f->ds) == 0)
		f->d = d;
}

static void find_agent(void *arg, const struct store_agent *a)
{
	struct find *f = arg;

	if (strcmp(a->name, f->agent) == 0) {
		f->a = a;
		store_each_ds(a, find_ds, f);
	}
}

/* The value of agent/ds/name, or NULL when it has none. */
static const struct store_val *val(struct store *s, const char *agent, const char *ds,
				   const char *name)
{
	struct find f = { agent, ds, NULL, NULL };

	store_each_agent(s, find_agent, &f);
	return f.d ? store_ds_find(f.d, name) : NULL;
}

static const struct store_ds *ds_of(struct store *s, const char *agent, const char *ds)
{
	struct find f = { agent, ds, NULL, NULL };

	store_each_agent(s, find_agent, &f);
	return f.d;
}

static double num(struct store *s, const char *ds, const char *name)
{
	const struct store_val *v = val(s, "10.0.0.1", ds, name);

	return v ? v->num : NAN;
}

struct seq_case {
	const char *what;
	uint32_t seq[6];
	size_t n;
	uint64_t lost, dup, ooo;
	enum store_seq_verdict last;
};

TEST(sequence_accounting_table)
{
	static const struct seq_case cases[] = {
		{ "in order", { 1, 2, 3 }, 3, 0, 0, 0, STORE_SEQ_NEXT },
		{ "gap of two", { 1, 2, 5 }, 3, 2, 0, 0, STORE_SEQ_NEXT },
		{ "swap", { 1, 3, 2 }, 3, 1, 0, 1, STORE_SEQ_OOO },
		{ "duplicate", { 1, 2, 2 }, 3, 0, 1, 0, STORE_SEQ_DUP },
		{ "32-bit wrap", { 0xfffffffe, 0xffffffff, 0, 1 }, 4, 0, 0, 0, STORE_SEQ_NEXT },
		{ "wrap with loss", { 0xffffffff, 2 }, 2, 2, 0, 0, STORE_SEQ_NEXT },
		{ "restart at 1", { 1000, 1001, 1, 2 }, 4, 0, 0, 0, STORE_SEQ_NEXT },
		{ "restart verdict", { 1000, 1001, 1 }, 3, 0, 0, 0, STORE_SEQ_RESTART },
		{ "late, not restart", { 100, 101, 60 }, 3, 0, 0, 1, STORE_SEQ_OOO },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct seq_case *c = &cases[i];
		struct store_seq q;
		enum store_seq_verdict v = STORE_SEQ_FIRST;
		int before = test_failed_checks;

		memset(&q, 0, sizeof(q));
		for (size_t j = 0; j < c->n; j++)
			v = store_seq_check(&q, c->seq[j]);
		CHECK_EQ_U64(q.received, c->n);
		CHECK_EQ_U64(q.lost, c->lost);
		CHECK_EQ_U64(q.duplicates, c->dup);
		CHECK_EQ_U64(q.out_of_order, c->ooo);
		CHECK_EQ_U64(v, c->last);
		if (test_failed_checks != before)
			printf("  in case \"%s\"\n", c->what);
	}
}

static void send_generic(struct store *s, uint32_t dseq, uint32_t uptime, uint32_t sseq,
			 uint64_t in_oct, uint32_t ucast, uint64_t now_ms)
{
	struct tdg d;
	union sfl_record_value v = tdg_generic(3, 1000000, in_oct, ucast, 0);

	tdg_begin(&d, 1, 0, dseq, uptime);
	tdg_counters(&d, 0, 3, sseq, SFL_CTR_GENERIC, &v);
	tdg_ingest(s, &d, now_ms);
}

TEST(counter_rates_and_derived)
{
	struct store *s = tdg_store(10, 10);

	send_generic(s, 1, 10000, 1, 1000, 10, 100000);
	/* first sample: no rate yet; gauges and strings are there */
	CHECK(val(s, "10.0.0.1", "3", "ifinoctets") == NULL);
	CHECK_NEAR(num(s, "3", "ifspeed"), 1e6);
	CHECK_EQ_STR(val(s, "10.0.0.1", "3", "ifoperstatus")->str, "up");
	CHECK_EQ_STR(val(s, "10.0.0.1", "3", "iftype")->str, "ethernetCsmacd");
	CHECK_EQ_STR(val(s, "10.0.0.1", "3", "ifdirection")->str, "full-duplex");
	/* 10 s later: +10000 octets → 1000 B/s; 1000*800/1e6 = 0.8 %; +50 pkts → 5/s */
	send_generic(s, 2, 20000, 2, 11000, 60, 110000);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 1000);
	CHECK_NEAR(num(s, "3", "ifinutilization"), 0.8);
	CHECK_NEAR(num(s, "3", "ifinucastpkts"), 5);
	CHECK_NEAR(num(s, "3", "ifinpkts"), 5);
	CHECK_NEAR(num(s, "3", "ifoutoctets"), 0);
	CHECK_EQ_U64(val(s, "10.0.0.1", "3", "ifinoctets")->updated_ms, 110000);
	store_free(s);
}

/* The rate interval is the agent's clock (datagram uptime), not arrival
 * time: two samples 10 s apart on the agent that arrive 50 ms apart (a
 * delayed first datagram) give 10000 octets / 10 s = 1000 B/s. An uptime
 * step over an hour is not trusted: then the arrival clock decides. */
TEST(rate_interval_is_the_agents_uptime)
{
	struct store *s = tdg_store(10, 10);

	send_generic(s, 1, 10000, 1, 1000, 10, 100000);
	send_generic(s, 2, 20000, 2, 11000, 60, 100050);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 1000);
	/* uptime jumps 2 h while 20 s pass at the collector: 20000 / 20 s */
	send_generic(s, 3, 20000 + 7200000, 3, 31000, 60, 120050);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 1000);
	store_free(s);
}

TEST(counter32_wraps_counter64_reset_gives_no_rate)
{
	struct store *s = tdg_store(10, 10);

	send_generic(s, 1, 1000, 1, 5000, 0xffffff00u, 0);
	/* ucast wraps: 0xffffff00 → 0x100 is 0x200 = 512 packets in 1 s */
	send_generic(s, 2, 2000, 2, 6000, 0x100, 1000);
	CHECK_NEAR(num(s, "3", "ifinucastpkts"), 512);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 1000);
	/* 64-bit octets go back (6000 → 1000): a reset, no value this interval */
	send_generic(s, 3, 3000, 3, 1000, 0x200, 2000);
	CHECK(val(s, "10.0.0.1", "3", "ifinoctets") == NULL);
	CHECK(val(s, "10.0.0.1", "3", "ifinutilization") == NULL);
	CHECK_NEAR(num(s, "3", "ifinucastpkts"), 256);
	/* next interval from the new base: 1000 → 3000 in 2 s = 1000/s */
	send_generic(s, 4, 5000, 4, 3000, 0x200, 4000);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 1000);
	store_free(s);
}

TEST(agent_restart_is_not_loss_and_not_a_spike)
{
	struct store *s = tdg_store(10, 10);
	const struct store_agent *a;
	struct find f = { "10.0.0.1", "3", NULL, NULL };

	send_generic(s, 500, 900000, 700, 1000000, 0, 0);
	send_generic(s, 501, 910000, 701, 2000000, 0, 10000);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 100000);
	/* restart: uptime back to 5 s, sequences from 1, counters from 0 */
	send_generic(s, 1, 5000, 1, 500, 0, 20000);
	CHECK(val(s, "10.0.0.1", "3", "ifinoctets") == NULL);
	send_generic(s, 2, 15000, 2, 10500, 0, 30000);
	CHECK_NEAR(num(s, "3", "ifinoctets"), 1000);
	store_each_agent(s, find_agent, &f);
	a = f.a;
	CHECK(a != NULL);
	if (a) {
		CHECK_EQ_U64(a->dseq.received, 4);
		CHECK_EQ_U64(a->dseq.lost, 0);
		CHECK_EQ_U64(a->dseq.out_of_order, 0);
		CHECK_EQ_U64(a->epoch, 1);
	}
	CHECK_EQ_U64(f.d->cseq.lost, 0);
	CHECK_EQ_U64(f.d->cseq.out_of_order, 0);
	store_free(s);
}

TEST(sample_sequence_per_data_source)
{
	struct store *s = tdg_store(10, 10);
	/* counter sample seqs 1 2 4 4 3 in datagrams 1..5: lost 1, dup 1, ooo 1 */
	static const uint32_t sseq[] = { 1, 2, 4, 4, 3 };
	const struct store_ds *d;

	for (uint32_t i = 0; i < 5; i++)
		send_generic(s, i + 1, 1000 * (i + 1), sseq[i], 100 * i, 0, 1000 * i);
	d = ds_of(s, "10.0.0.1", "3");
	CHECK(d != NULL);
	if (d) {
		CHECK_EQ_U64(d->cseq.received, 5);
		CHECK_EQ_U64(d->cseq.lost, 1);
		CHECK_EQ_U64(d->cseq.duplicates, 1);
		CHECK_EQ_U64(d->cseq.out_of_order, 1);
	}
	store_free(s);
}

static double jnum(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(j) ? j->valuedouble : NAN;
}

TEST(agents_json_fields)
{
	struct store *s = tdg_store(10, 10);
	struct store_set ss = { &s, 1 };
	static const uint32_t dseq[] = { 1, 2, 4, 4, 3 }; /* lost 1 dup 1 ooo 1 */
	cJSON *j, *a;

	for (uint32_t i = 0; i < 5; i++) {
		struct tdg d;
		union sfl_record_value v = tdg_generic(3, 1000, 0, 0, 0);

		tdg_begin(&d, 1, 0, dseq[i], 1000 + i);
		tdg_counters(&d, 0, 3, i + 1, SFL_CTR_GENERIC, &v);
		tdg_flow(&d, 3, 10 + i * 2, 7); /* flow seqs 10 12 14 16 18: lost 4 */
		tdg_ingest(s, &d, 5000 + i * 1000);
	}
	j = query_agents_json(&ss, NULL, 0, 10000);
	a = cJSON_GetObjectItemCaseSensitive(j, "10.0.0.1");
	CHECK(a != NULL);
	CHECK_NEAR(jnum(a, "sFlowDatagramsReceived"), 5);
	CHECK_NEAR(jnum(a, "sFlowDatagramsLost"), 1);
	CHECK_NEAR(jnum(a, "sFlowDatagramsDuplicates"), 1);
	CHECK_NEAR(jnum(a, "sFlowDatagramsOutOfOrder"), 1);
	CHECK_NEAR(jnum(a, "firstSeen"), 5000);
	CHECK_NEAR(jnum(a, "lastSeen"), 1000);
	CHECK_NEAR(jnum(a, "uptime"), 1002); /* the last in-order datagram (seq 4) */
	CHECK_NEAR(jnum(a, "sFlowCounterDatasources"), 1);
	CHECK_NEAR(jnum(a, "sFlowCounterSamples"), 5);
	CHECK_NEAR(jnum(a, "sFlowCounterLostSamples"), 0);
	CHECK_NEAR(jnum(a, "sFlowFlowDatasources"), 1);
	CHECK_NEAR(jnum(a, "sFlowFlowSamples"), 5);
	CHECK_NEAR(jnum(a, "sFlowFlowLostSamples"), 4);
	CHECK_NEAR(jnum(a, "sFlowFlowDrops"), 7);
	CHECK_EQ_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "sFlowDatagramSource"),
					0)->valuestring, "192.168.0.1");
	cJSON_Delete(j);
	store_free(s);
}

TEST(sub_agents_merge_per_address)
{
	struct store *s = tdg_store(10, 10);
	struct store_set ss = { &s, 1 };
	const char *want[] = { "10.0.0.1" };
	cJSON *j;

	for (uint32_t sub = 0; sub < 2; sub++) {
		struct tdg d;
		union sfl_record_value v = tdg_generic(3 + sub, 1000, 0, 0, 0);

		tdg_begin(&d, 1, sub, 7, 1000);
		tdg_counters(&d, 0, 3 + sub, 1, SFL_CTR_GENERIC, &v);
		tdg_ingest(s, &d, 1000);
	}
	j = query_agents_json(&ss, want, 1, 2000);
	CHECK_EQ_U64(cJSON_GetArraySize(j), 1);
	CHECK_NEAR(jnum(cJSON_GetObjectItemCaseSensitive(j, "10.0.0.1"), "sFlowDatagramsReceived"), 2);
	CHECK_NEAR(jnum(cJSON_GetObjectItemCaseSensitive(j, "10.0.0.1"), "sFlowCounterDatasources"), 2);
	cJSON_Delete(j);
	/* two sub-agents of one address, and a second address: 2 agents */
	{
		struct store_stats st;
		struct tdg d;
		union sfl_record_value v = tdg_generic(3, 1000, 0, 0, 0);

		tdg_begin(&d, 2, 0, 1, 1000);
		tdg_counters(&d, 0, 3, 1, SFL_CTR_GENERIC, &v);
		tdg_ingest(s, &d, 1000);
		store_get_stats(s, &st);
		CHECK_EQ_U64(st.agents, 2);
	}
	store_free(s);
}

TEST(caps_are_counted)
{
	struct store *s = tdg_store(2, 2);
	struct store_stats st;

	for (uint8_t a = 1; a <= 3; a++) {
		struct tdg d;
		union sfl_record_value v = tdg_generic(1, 1000, 0, 0, 0);

		tdg_begin(&d, a, 0, 1, 1000);
		for (uint32_t i = 1; i <= 3; i++)
			tdg_counters(&d, 0, i, 1, SFL_CTR_GENERIC, &v);
		tdg_ingest(s, &d, 1000);
	}
	store_get_stats(s, &st);
	CHECK_EQ_U64(st.agents, 2);
	CHECK_EQ_U64(st.agents_cap_hits, 1);
	CHECK_EQ_U64(st.datasources, 4);
	CHECK_EQ_U64(st.datasources_cap_hits, 2);
	CHECK_EQ_U64(st.datagrams, 3);
	CHECK_EQ_U64(st.counter_samples, 6); /* the refused agent's samples are not seen */
	store_free(s);
}

TEST(expiry_of_data_sources_then_agents)
{
	struct store_limits lim = { 10, 10, 60000, 20000 };
	struct store *s = store_new(0, &lim);
	struct store_stats st;

	send_generic(s, 1, 1000, 1, 0, 0, 1000);
	store_tick(s, 21000); /* 20 s silent: not more than the timeout */
	store_get_stats(s, &st);
	CHECK_EQ_U64(st.datasources, 1);
	store_tick(s, 21001);
	store_get_stats(s, &st);
	CHECK_EQ_U64(st.datasources, 0);
	CHECK_EQ_U64(st.agents, 1);
	store_tick(s, 61001);
	store_get_stats(s, &st);
	CHECK_EQ_U64(st.agents, 0);
	store_free(s);
}

TEST(bad_datagrams_are_counted)
{
	struct store *s = tdg_store(10, 10);
	struct store_stats st;
	struct tdg d;
	union sfl_record_value v = tdg_generic(1, 1000, 0, 0, 0);
	uint8_t v4[8] = { 0, 0, 0, 4, 0, 0, 0, 1 };

	store_ingest(s, v4, sizeof(v4), NULL, 1);
	store_ingest(s, v4, 3, NULL, 1);
	tdg_begin(&d, 1, 0, 1, 1);
	tdg_counters(&d, 0, 1, 1, SFL_CTR_GENERIC, &v);
	store_ingest(s, d.buf, tdg_end(&d) - 8, NULL, 1); /* cut inside the record */
	store_get_stats(s, &st);
	CHECK_EQ_U64(st.unsupported_version, 1);
	CHECK_EQ_U64(st.parse_errors, 2);
	CHECK_EQ_U64(st.datagrams, 3);
	CHECK_EQ_U64(st.bytes, 8 + 3 + d.len - 8);
	store_free(s);
}

static void send_host(struct store *s, uint32_t seq, uint64_t now_ms, uint32_t user_ms,
		      uint32_t idle_ms)
{
	struct tdg d;
	union sfl_record_value v;

	tdg_begin(&d, 1, 0, seq, (uint32_t)now_ms); /* agent clock = arrival clock */
	tdg_sample(&d, SFL_SAMPLE_COUNTERS, 2, 1, seq);
	memset(&v, 0, sizeof(v));
	v.host_descr.hostname.ptr = "web1";
	v.host_descr.hostname.len = 4;
	v.host_descr.machine_type = 3;
	v.host_descr.os_name = 2;
	tdg_record(&d, SFL_CTR_HOST_DESCR, &v);
	memset(&v, 0, sizeof(v));
	v.host_cpu.load_one = 1.5f;
	v.host_cpu.cpu_num = 4;
	v.host_cpu.cpu_user_ms = user_ms;
	v.host_cpu.cpu_idle_ms = idle_ms;
	tdg_record(&d, SFL_CTR_HOST_CPU, &v);
	memset(&v, 0, sizeof(v));
	v.host_mem.mem_total = 1000;
	v.host_mem.mem_free = 400;
	v.host_mem.mem_buffers = 100;
	v.host_mem.mem_cached = 100;
	tdg_record(&d, SFL_CTR_HOST_MEM, &v);
	memset(&v, 0, sizeof(v));
	v.host_disk.disk_total = 200;
	v.host_disk.disk_free = 50;
	v.host_disk.part_max_used = 8125; /* 81.25 % */
	tdg_record(&d, SFL_CTR_HOST_DISK, &v);
	sfl_encode_sample_end(&d.e);
	tdg_ingest(s, &d, now_ms);
}

TEST(host_metrics_and_derived)
{
	struct store *s = tdg_store(10, 10);

	send_host(s, 1, 1000, 1000, 3000);
	/* user +300 ms, idle +700 ms: cpu_user 30 %, cpu_idle 70 %, utilization 30 % */
	send_host(s, 2, 2000, 1300, 3700);
	CHECK_EQ_STR(val(s, "10.0.0.1", "2.1", "host_name")->str, "web1");
	CHECK_EQ_STR(val(s, "10.0.0.1", "2.1", "os_name")->str, "linux");
	CHECK_EQ_STR(val(s, "10.0.0.1", "2.1", "machine_type")->str, "x86_64");
	CHECK_NEAR(num(s, "2.1", "cpu_user"), 30);
	CHECK_NEAR(num(s, "2.1", "cpu_idle"), 70);
	CHECK_NEAR(num(s, "2.1", "cpu_utilization"), 30);
	CHECK_NEAR(num(s, "2.1", "load_one"), 1.5);
	CHECK_NEAR(num(s, "2.1", "load_one_per_cpu"), 0.375);
	/* (1000 - 400 - 100 - 100) / 1000 = 40 %; (200 - 50) / 200 = 75 % */
	CHECK_NEAR(num(s, "2.1", "mem_utilization"), 40);
	CHECK_NEAR(num(s, "2.1", "disk_utilization"), 75);
	CHECK_NEAR(num(s, "2.1", "part_max_used"), 81.25);
	CHECK(val(s, "10.0.0.1", "2.1", "cpu_steal") == NULL); /* 68-byte form: not sent */
	store_free(s);
}

static void send_rtmetric(struct store *s, uint32_t seq, uint64_t now_ms, uint32_t count,
			  const char *status)
{
	struct tdg d;
	uint8_t body[256];
	size_t at = 0;

	tdg_begin(&d, 1, 0, seq, (uint32_t)now_ms); /* agent clock = arrival clock */
	at = tdg_putstr(body, at, "my-app");
	at = tdg_put32(body, at, 3);
	at = tdg_putstr(body, at, "requests");
	at = tdg_put32(body, at, SFL_RTM_COUNTER32);
	at = tdg_put32(body, at, count);
	at = tdg_putstr(body, at, "threads");
	at = tdg_put32(body, at, SFL_RTM_GAUGE32);
	at = tdg_put32(body, at, 12);
	at = tdg_putstr(body, at, "status");
	at = tdg_put32(body, at, SFL_RTM_STRING);
	at = tdg_putstr(body, at, status);
	tdg_sample(&d, SFL_SAMPLE_RTMETRIC, 0, 0, 0);
	sfl_encode_raw(&d.e, body, at);
	sfl_encode_sample_end(&d.e);
	tdg_ingest(s, &d, now_ms);
}

TEST(rtmetric_custom_metrics)
{
	struct store *s = tdg_store(10, 10);

	send_rtmetric(s, 1, 1000, 100, "ok");
	CHECK(val(s, "10.0.0.1", "my-app", "requests") == NULL);
	CHECK_NEAR(num(s, "my-app", "threads"), 12);
	/* 100 → 400 requests in 2 s: 150/s */
	send_rtmetric(s, 2, 3000, 400, "degraded");
	CHECK_NEAR(num(s, "my-app", "requests"), 150);
	CHECK_EQ_STR(val(s, "10.0.0.1", "my-app", "status")->str, "degraded");
	store_free(s);
}

TEST(reserved_source_class_is_ignored)
{
	struct store *s = tdg_store(10, 10);
	struct store_stats st;
	struct tdg d;
	union sfl_record_value v = tdg_generic(1, 1000, 0, 0, 0);

	tdg_begin(&d, 1, 0, 1, 1);
	tdg_sample(&d, SFL_SAMPLE_COUNTERS_EXPANDED, STORE_CLASS_CUSTOM, 5, 1);
	tdg_record(&d, SFL_CTR_GENERIC, &v);
	sfl_encode_sample_end(&d.e);
	tdg_counters(&d, 0, 1, 1, SFL_CTR_GENERIC, &v);
	tdg_ingest(s, &d, 1);
	store_get_stats(s, &st);
	CHECK_EQ_U64(st.datasources, 1);
	CHECK_EQ_U64(st.parse_errors, 0);
	store_free(s);
}

TEST_MAIN(TEST_ENTRY(reserved_source_class_is_ignored), TEST_ENTRY(sequence_accounting_table),
	  TEST_ENTRY(counter_rates_and_derived), TEST_ENTRY(rate_interval_is_the_agents_uptime),
	  TEST_ENTRY(counter32_wraps_counter64_reset_gives_no_rate),
	  TEST_ENTRY(agent_restart_is_not_loss_and_not_a_spike),
	  TEST_ENTRY(sample_sequence_per_data_source), TEST_ENTRY(agents_json_fields),
	  TEST_ENTRY(sub_agents_merge_per_address), TEST_ENTRY(caps_are_counted),
	  TEST_ENTRY(expiry_of_data_sources_then_agents), TEST_ENTRY(bad_datagrams_are_counted),
	  TEST_ENTRY(host_metrics_and_derived), TEST_ENTRY(rtmetric_custom_metrics))
