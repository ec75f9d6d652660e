/*
 * analyzer/clock.c: wall or replay time (see clock.h). The replay time is
 * one atomic; 0 means "live".
 */
#include "analyzer/clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic uint64_t clock_replay_ms;

static uint64_t clock_read_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t clock_now_ms(void)
{
	uint64_t r = atomic_load_explicit(&clock_replay_ms, memory_order_relaxed);

	return r != 0 ? r : clock_read_ms(CLOCK_REALTIME);
}

void clock_set_replay_ms(uint64_t ms)
{
	uint64_t cur = atomic_load_explicit(&clock_replay_ms, memory_order_relaxed);

	if (ms == 0)
		ms = 1; /* 0 is "live"; a capture at the epoch still replays */
	while (ms > cur &&
	       !atomic_compare_exchange_weak_explicit(&clock_replay_ms, &cur, ms,
						      memory_order_relaxed, memory_order_relaxed))
		;
}

bool clock_is_replay(void)
{
	return atomic_load_explicit(&clock_replay_ms, memory_order_relaxed) != 0;
}

uint64_t clock_monotonic_ms(void)
{
	return clock_read_ms(CLOCK_MONOTONIC);
}
