/*
 * tests/unit/flow_cache_test.c: analyzer/flow_cache against hand
 * computation and against exact decayed counts kept by the test:
 * - a steady flow reads its rate; after it stops it decays as e^(-Δ/t);
 * - Space-Saving's guarantee with many random mice (fixed-seed xorshift)
 *   beside a few heavy flows: every flow whose exact decayed count exceeds
 *   total/cap is held, reported <= exact, exact - reported <= total/cap,
 *   and the top flows are the heavy ones in order;
 * - weeks of simulated time (landmark moves) keep values exact;
 * - AVG, MIN, MAX and COUNT values; the sweep's idle and active timeouts;
 * - growth up to cap, evictions counted, bytes per flow <= 256 for a
 *   40-byte key; bad weights and amounts ignored; long keys cut.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_cache.h"
#include "tests/lib/test.h"

#define CHECK_NEAR(a, b, tol)                                                                     \
	do {                                                                                      \
		double a_ = (a), b_ = (b);                                                        \
		if (!(fabs(a_ - b_) <= (tol))) {                                                  \
			printf("  %s:%d: %s ~ %s: %.9g vs %.9g (tol %.3g)\n", __FILE__, __LINE__, \
			       #a, #b, a_, b_, (double)(tol));                                    \
			test_failed_checks++;                                                     \
		}                                                                                 \
	} while (0)

static struct flow_cache *rate_cache(uint32_t cap, double t_s)
{
	struct flow_cache_shape sh = {
		.cap = cap, .t_s = t_s, .nvalues = 1, .agg = { FLOW_AGG_RATE }
	};

	return flow_cache_new(&sh);
}

static void add(struct flow_cache *c, const char *key, double amount, double weight,
		uint64_t now_ms)
{
	struct flow_cache_contrib x = { .weight = weight, .v = { amount } };

	CHECK(flow_cache_add(c, key, strlen(key), &x, now_ms));
}

static double value_of(struct flow_cache *c, const char *key, uint64_t now_ms)
{
	struct flow_cache_item it;

	return flow_cache_get(c, key, strlen(key), now_ms, &it) ? it.value[0] : -1;
}

/* 1000 bytes every 10 ms (100 kB/s, weight 1) for 30 s, t = 2 s: the sum of
 * w·e^(-(T-ti)/t)/t over the samples is, at T = the last sample,
 * (w/t)·(1 - e^(-n·δ/t))/(1 - e^(-δ/t)) with δ = 10 ms. */
TEST(steady_rate_and_decay)
{
	struct flow_cache *c = rate_cache(10, 2.0);
	uint64_t t0 = 1700000000000ull, last = t0 + 2999 * 10;
	double delta = 0.01, expect;

	for (int i = 0; i < 3000; i++)
		add(c, "a", 1000, 1, t0 + (uint64_t)i * 10);
	expect = (1000 / 2.0) * (1 - exp(-3000 * delta / 2)) / (1 - exp(-delta / 2));
	CHECK_NEAR(value_of(c, "a", last), expect, expect * 1e-7);
	CHECK_NEAR(expect, 100000, 260); /* a steady flow reads its rate (+ δ/2t) */
	CHECK_NEAR(value_of(c, "a", last + 4000), expect * exp(-2.0), expect * 1e-7);
	CHECK_NEAR(flow_cache_total(c, last + 4000), expect * exp(-2.0), expect * 1e-7);
	flow_cache_free(c);
}

static uint64_t rng = 88172645463325252ull;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define MICE  20000
#define HEAVY 4
#define CAP   256

/* Exact decayed counts at `end` of every flow, computed the slow way. */
struct exact {
	double count[MICE + HEAVY];
};

TEST(space_saving_guarantee)
{
	static struct exact ex;
	struct flow_cache *c = rate_cache(CAP, 5.0);
	struct flow_cache_item top[HEAVY + 2];
	uint64_t t0 = 1700000000000ull, end = t0 + 60000;
	double total = 0, bound;
	char key[32];
	size_t n, held = 0;

	memset(&ex, 0, sizeof(ex));
	for (uint64_t t = t0; t <= end; t += 1) {
		uint64_t r = xorshift();
		uint32_t f = r % 10 < 3 ? MICE + (uint32_t)(r >> 32) % HEAVY :
					  (uint32_t)(r >> 32) % MICE;
		double w = f >= MICE ? 500.0 * (1 + f - MICE) : 100.0;

		snprintf(key, sizeof(key), "flow-%u", f);
		add(c, key, w, 1, t);
		ex.count[f] += w * exp(-(double)(end - t) / 1000.0 / 5.0) / 5.0;
	}
	for (uint32_t f = 0; f < MICE + HEAVY; f++)
		total += ex.count[f];
	CHECK_NEAR(flow_cache_total(c, end), total, total * 1e-6);
	bound = total / CAP;
	for (uint32_t f = 0; f < MICE + HEAVY; f++) {
		double v;

		snprintf(key, sizeof(key), "flow-%u", f);
		v = value_of(c, key, end);
		if (ex.count[f] > bound && v < 0) {
			printf("  flow-%u (%.6g > %.6g) is not held\n", f, ex.count[f], bound);
			test_failed_checks++;
		}
		if (v >= 0) {
			held++;
			if (v > ex.count[f] * (1 + 1e-6) || ex.count[f] - v > bound * (1 + 1e-6)) {
				printf("  flow-%u reported %.6g, exact %.6g, bound %.6g\n", f, v,
				       ex.count[f], bound);
				test_failed_checks++;
			}
		}
	}
	CHECK_EQ_U64(held, CAP);
	CHECK(flow_cache_evictions(c) > 10000);
	n = flow_cache_top(c, end, top, HEAVY);
	CHECK_EQ_U64(n, HEAVY);
	for (size_t i = 0; i < n; i++) { /* heavier flows are numbered higher */
		snprintf(key, sizeof(key), "flow-%u", MICE + HEAVY - 1 - (unsigned)i);
		CHECK(top[i].key_len == strlen(key) &&
		      memcmp(top[i].key, key, top[i].key_len) == 0);
	}
	flow_cache_free(c);
}

/* The landmark moves every 40 time constants: after three weeks of one
 * sample a second, the value is still the closed form of steady_rate. */
TEST(weeks_of_time)
{
	struct flow_cache *c = rate_cache(4, 1.0);
	uint64_t t0 = 1700000000000ull, n = 21 * 86400, last = t0 + (n - 1) * 1000;
	double expect = 10.0 * (1 - exp(-(double)n)) / (1 - exp(-1.0));

	for (uint64_t i = 0; i < n; i++)
		add(c, "slow", 10, 1, t0 + i * 1000);
	CHECK_NEAR(value_of(c, "slow", last), expect, expect * 1e-6);
	CHECK(isfinite(flow_cache_total(c, last)));
	flow_cache_free(c);
}

TEST(avg_min_max_count)
{
	struct flow_cache_shape sh = { .cap = 4,
				       .t_s = 2,
				       .nvalues = 5,
				       .agg = { FLOW_AGG_RATE, FLOW_AGG_AVG, FLOW_AGG_MIN,
						FLOW_AGG_MAX, FLOW_AGG_COUNT } };
	struct flow_cache *c = flow_cache_new(&sh);
	static const double rtt[] = { 10, 30, 20, 40 };
	struct flow_cache_item it;
	uint64_t t = 1700000000000ull;

	for (int i = 0; i < 4; i++) {
		struct flow_cache_contrib x = { .weight = 2,
						.v = { 100, rtt[i], rtt[i], rtt[i], 0 },
						.hash = { 0, 0, 0, 0, (uint64_t)i } };

		CHECK(flow_cache_add(c, "k", 1, &x, t)); /* all at one time: no decay */
	}
	CHECK(flow_cache_get(c, "k", 1, t, &it));
	CHECK_NEAR(it.value[0], 4 * 100 * 2 / 2.0, 1e-9); /* amount × weight / t */
	CHECK_NEAR(it.value[1], 25, 1e-9);                /* equal weights: mean */
	CHECK_NEAR(it.value[2], 10, 0);
	CHECK_NEAR(it.value[3], 40, 0);
	CHECK_NEAR(it.value[4], -64 * log(60 / 64.0), 1e-9); /* 4 bits set of 64 */
	CHECK_NEAR(it.total, 800, 0);
	flow_cache_free(c);
}

struct ended {
	int n;
	char key[8];
	double total;
	uint64_t start_ms, last_ms;
};

static void on_end(void *arg, const struct flow_cache_item *it)
{
	struct ended *e = arg;

	e->n++;
	memcpy(e->key, it->key, it->key_len < 7 ? it->key_len : 7);
	e->key[it->key_len < 7 ? it->key_len : 7] = '\0';
	e->total = it->total;
	e->start_ms = it->start_ms;
	e->last_ms = it->last_ms;
}

TEST(sweep_idle_and_active)
{
	struct flow_cache *c = rate_cache(8, 1.0);
	struct ended e = { 0 };
	uint64_t t = 1000000;

	add(c, "idle", 10, 3, t);
	add(c, "idle", 10, 3, t + 500);
	for (uint64_t i = 0; i <= 2; i++)
		add(c, "busy", 1, 1, t + i * 1000);
	flow_cache_sweep(c, t + 2400, 2000, 60000, on_end, &e);
	CHECK_EQ_U64(e.n, 0);
	flow_cache_sweep(c, t + 2600, 2000, 60000, on_end, &e); /* idle 2.1 s */
	CHECK_EQ_U64(e.n, 1);
	CHECK_EQ_STR(e.key, "idle");
	CHECK_NEAR(e.total, 60, 0);
	CHECK_EQ_U64(e.start_ms, t);
	CHECK_EQ_U64(e.last_ms, t + 500);
	CHECK(value_of(c, "idle", t + 2600) < 0);
	CHECK_EQ_U64(flow_cache_len(c), 1);
	for (uint64_t i = 3; i <= 60; i++) {
		add(c, "busy", 1, 1, t + i * 1000);
		flow_cache_sweep(c, t + i * 1000, 2000, 60000, on_end, &e);
	}
	CHECK_EQ_U64(e.n, 2);
	CHECK_EQ_STR(e.key, "busy");
	CHECK_NEAR(e.total, 61, 0);
	CHECK(value_of(c, "busy", t + 60000) > 0);
	for (uint64_t i = 61; i <= 70; i++) {
		add(c, "busy", 1, 1, t + i * 1000);
		flow_cache_sweep(c, t + i * 1000, 2000, 60000, on_end, &e);
	}
	CHECK_EQ_U64(e.n, 2); /* reported again only after another 60 s */
	flow_cache_free(c);
}

TEST(growth_memory_and_bad_input)
{
	struct flow_cache *c = rate_cache(1000, 2.0);
	struct flow_cache_contrib bad[] = { { .weight = 0, .v = { 1 } },
					    { .weight = -1, .v = { 1 } },
					    { .weight = NAN, .v = { 1 } },
					    { .weight = 1, .v = { -5 } },
					    { .weight = 1, .v = { INFINITY } } };
	char key[64], longkey[FLOW_CACHE_KEY_MAX + 100];
	struct flow_cache_item it;

	for (int i = 0; i < 1000; i++) { /* 40-byte 5-tuple-like keys */
		snprintf(key, sizeof(key), "10.%03d.%03d.1,10.200.0.%03d,6,%05d,443", i / 256,
			 i % 256, i % 200, 40000 + i);
		add(c, key, 1500, 16, 1000000 + (uint64_t)i);
	}
	CHECK_EQ_U64(flow_cache_len(c), 1000);
	CHECK_EQ_U64(flow_cache_evictions(c), 0);
	printf("  bytes per flow: %.1f\n", (double)flow_cache_bytes(c) / 1000);
	CHECK(flow_cache_bytes(c) / 1000 <= 256);
	add(c, "one more", 1, 1, 2000000);
	CHECK_EQ_U64(flow_cache_len(c), 1000);
	CHECK_EQ_U64(flow_cache_evictions(c), 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(flow_cache_add(c, "bad", 3, &bad[i], 2000000));
	CHECK(!flow_cache_get(c, "bad", 3, 2000000, &it));
	memset(longkey, 'x', sizeof(longkey));
	add(c, "", 1, 1, 2000001); /* the empty key: a keyless definition's flow */
	CHECK(flow_cache_get(c, "", 0, 2000001, &it) && it.key_len == 0);
	{
		struct flow_cache_contrib x = { .weight = 1, .v = { 1 } };

		CHECK(flow_cache_add(c, longkey, sizeof(longkey), &x, 2000002));
		CHECK(flow_cache_get(c, longkey, FLOW_CACHE_KEY_MAX, 2000002, &it));
		CHECK_EQ_U64(it.key_len, FLOW_CACHE_KEY_MAX);
	}
	flow_cache_free(c);
	CHECK(rate_cache(0, 1) == NULL);
	CHECK(rate_cache(1, 0) == NULL);
}

/* Keys of every length 1..40 that differ in one byte (first, middle,
 * last) are separate flows, each with its own amount: the comparison
 * reads every byte whatever the length. */
TEST(keys_differing_in_one_byte)
{
	for (size_t len = 1; len <= 40; len++) {
		size_t at[] = { 0, len / 2, len - 1 };

		for (size_t k = 0; k < 3; k++) {
			struct flow_cache *c = rate_cache(8, 1);
			char a[41], b[41];

			memset(a, 'a', len);
			a[len] = '\0';
			memcpy(b, a, len + 1);
			b[at[k]] = 'b';
			add(c, a, 100, 1, 1000);
			add(c, b, 300, 1, 1000);
			add(c, a, 100, 1, 1000);
			CHECK_EQ_U64(flow_cache_len(c), 2);
			CHECK(value_of(c, a, 1000) == 200 && value_of(c, b, 1000) == 300);
			flow_cache_free(c);
		}
	}
}

TEST_MAIN(TEST_ENTRY(steady_rate_and_decay), TEST_ENTRY(keys_differing_in_one_byte), TEST_ENTRY(space_saving_guarantee),
	  TEST_ENTRY(weeks_of_time), TEST_ENTRY(avg_min_max_count),
	  TEST_ENTRY(sweep_idle_and_active), TEST_ENTRY(growth_memory_and_bad_input))
