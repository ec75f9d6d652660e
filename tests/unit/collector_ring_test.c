/*
 * tests/unit/collector_ring_test.c: the shards' handoff ring: empty, full,
 * order, wrap-around over many laps, oversize refusal, and several
 * producer threads against one consumer, where every datagram pushed
 * successfully must come out exactly once, in each producer's order, and
 * pushed + refused must equal what the producers offered.
 */
#include "analyzer/collector_ring.h"
#include "tests/lib/test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define PRODUCERS 3
#define PER_PRODUCER 200000

static const struct sockaddr_storage src0;

static int push_u32(struct collector_ring *r, uint32_t v)
{
	uint8_t b[8];

	memcpy(b, &v, 4);
	memcpy(b + 4, &v, 4);
	return collector_ring_push(r, b, 8, &src0);
}

/* Pop one value; -1 when empty. */
static int64_t pop_u32(struct collector_ring *r)
{
	struct collector_ring_slot *s = collector_ring_peek(r);
	uint32_t v;

	if (!s)
		return -1;
	memcpy(&v, s->data, 4);
	if (s->len != 8 || memcmp(s->data, s->data + 4, 4) != 0)
		v = UINT32_MAX; /* torn: caught by the caller's compare */
	collector_ring_release(r);
	return v;
}

TEST(sizes_must_be_powers_of_two)
{
	CHECK(collector_ring_new(0) == NULL);
	CHECK(collector_ring_new(1) == NULL);
	CHECK(collector_ring_new(12) == NULL);
	collector_ring_free(NULL);
}

TEST(empty_full_and_order)
{
	struct collector_ring *r = collector_ring_new(4);

	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(collector_ring_peek(r) == NULL);
	for (uint32_t i = 0; i < 4; i++)
		CHECK(push_u32(r, 100 + i) == 0);
	CHECK(push_u32(r, 999) == -1); /* full */
	CHECK_EQ_U64(pop_u32(r), 100);
	CHECK(push_u32(r, 104) == 0);  /* one slot free again */
	CHECK(push_u32(r, 999) == -1);
	for (uint32_t i = 1; i <= 4; i++)
		CHECK_EQ_U64(pop_u32(r), 100 + i);
	CHECK(pop_u32(r) == -1);
	collector_ring_free(r);
}

TEST(wraps_over_many_laps)
{
	struct collector_ring *r = collector_ring_new(8);
	uint32_t next_in = 0, next_out = 0;
	bool ok = true;

	if (!r)
		return;
	/* 3 in, 2 out: the fill level walks up to full, then drains, 1000s of laps */
	for (int round = 0; round < 20000; round++) {
		for (int k = 0; k < 3; k++)
			if (push_u32(r, next_in) == 0)
				next_in++;
		for (int k = 0; k < 2 + (round % 5 == 0 ? 3 : 0); k++) {
			int64_t v = pop_u32(r);

			if (v == -1)
				break;
			ok = ok && v == next_out;
			next_out++;
		}
	}
	CHECK(ok);
	CHECK(next_in > 8 * 1000);
	collector_ring_free(r);
}

TEST(keeps_length_source_and_refuses_oversize)
{
	struct collector_ring *r = collector_ring_new(2);
	static uint8_t big[COLLECTOR_RING_SLOT_BYTES + 1];
	struct sockaddr_storage src = { .ss_family = AF_INET6 };
	struct collector_ring_slot *s;

	if (!r)
		return;
	memset(big, 0xab, sizeof(big));
	CHECK(collector_ring_push(r, big, sizeof(big), &src) == -1);
	CHECK(collector_ring_push(r, big, COLLECTOR_RING_SLOT_BYTES, &src) == 0);
	s = collector_ring_peek(r);
	CHECK(s != NULL);
	if (s) {
		CHECK_EQ_U64(s->len, COLLECTOR_RING_SLOT_BYTES);
		CHECK_EQ_U64(s->src.ss_family, AF_INET6);
		CHECK_MEM(s->data, big, COLLECTOR_RING_SLOT_BYTES);
		collector_ring_release(r);
	}
	collector_ring_free(r);
}

struct producer {
	struct collector_ring *r;
	uint32_t id;
	uint64_t pushed, refused;
};

static _Atomic bool go;

static void *produce(void *arg)
{
	struct producer *p = arg;

	while (!atomic_load(&go))
		;
	for (uint32_t i = 0; i < PER_PRODUCER; i++) {
		if (push_u32(p->r, p->id << 24 | i) == 0)
			p->pushed++;
		else
			p->refused++;
	}
	return NULL;
}

TEST(multi_producer_single_consumer)
{
	struct collector_ring *r = collector_ring_new(64);
	struct producer p[PRODUCERS];
	pthread_t t[PRODUCERS];
	int64_t last[PRODUCERS];
	uint64_t popped[PRODUCERS] = { 0 }, pushed = 0, refused = 0;
	bool in_order = true, joined[PRODUCERS] = { false };
	int done = 0;

	if (!r)
		return;
	for (int i = 0; i < PRODUCERS; i++) {
		p[i] = (struct producer){ .r = r, .id = (uint32_t)i };
		last[i] = -1;
		pthread_create(&t[i], NULL, produce, &p[i]);
	}
	atomic_store(&go, true);
	while (done < PRODUCERS || collector_ring_peek(r)) {
		int64_t v = pop_u32(r);

		if (v >= 0) {
			uint32_t id = (uint32_t)v >> 24, seq = (uint32_t)v & 0xffffff;

			if (id >= PRODUCERS || (int64_t)seq <= last[id]) {
				in_order = false;
				continue;
			}
			last[id] = seq;
			popped[id]++;
		}
		for (int i = 0; v < 0 && i < PRODUCERS; i++)
			if (!joined[i] && pthread_tryjoin_np(t[i], NULL) == 0) {
				joined[i] = true;
				done++;
			}
	}
	for (int i = 0; i < PRODUCERS; i++) {
		CHECK_EQ_U64(popped[i], p[i].pushed);
		CHECK_EQ_U64(p[i].pushed + p[i].refused, PER_PRODUCER);
		pushed += p[i].pushed;
		refused += p[i].refused;
	}
	CHECK(in_order);
	CHECK(pushed > 0);
	printf("  %" PRIu64 " pushed, %" PRIu64 " refused (ring full)\n", pushed, refused);
	collector_ring_free(r);
}

TEST_MAIN(TEST_ENTRY(sizes_must_be_powers_of_two), TEST_ENTRY(empty_full_and_order),
	  TEST_ENTRY(wraps_over_many_laps), TEST_ENTRY(keeps_length_source_and_refuses_oversize),
	  TEST_ENTRY(multi_producer_single_consumer))
