/*
 * analyzer/collector_replay.c: capture replay thread (see
 * collector_replay.h).
 *
 * Pacing: the first datagram's capture time t0 is matched to the
 * monotonic time w0 at which it was read; a datagram captured at t is due
 * at w0 + (t - t0) / speed. A capture whose clock steps backwards is not
 * slept on for those frames (the replay clock itself never goes back).
 * Sleeps are cut into 50 ms pieces so that stop is noticed quickly.
 */
#include "analyzer/collector_replay.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/clock.h"
#include "common/capture.h"

#define REPLAY_SLEEP_SLICE_US 50000

struct collector_replay {
	struct capture *cap;
	double speed;                /* recorded pace divided by this; 0: flat out */
	collector_replay_fn *fn;
	void *arg;
	pthread_t thread;
	_Atomic bool stop;
	_Atomic bool done;
	bool started;                /* t0 and w0 are set */
	uint64_t t0_us;              /* capture time of the first datagram */
	uint64_t w0_us;              /* CLOCK_MONOTONIC when it was read */
};

static uint64_t replay_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Sleep until the datagram captured at t_us is due (see the file comment). */
static void replay_pace(struct collector_replay *r, uint64_t t_us)
{
	uint64_t due, now;

	if (r->speed <= 0)
		return;
	if (!r->started) {
		r->started = true;
		r->t0_us = t_us;
		r->w0_us = replay_mono_us();
		return;
	}
	if (t_us <= r->t0_us)
		return;
	due = r->w0_us + (uint64_t)((double)(t_us - r->t0_us) / r->speed);
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed) &&
	       (now = replay_mono_us()) < due) {
		uint64_t us = due - now < REPLAY_SLEEP_SLICE_US ? due - now : REPLAY_SLEEP_SLICE_US;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)us * 1000 };

		nanosleep(&ts, NULL);
	}
}

static void replay_source(const struct capture_meta *m, struct sockaddr_storage *src)
{
	memset(src, 0, sizeof(*src));
	if (m->src_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)src;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(m->src_port);
		memcpy(&s4->sin_addr, m->src_addr, 4);
	} else if (m->src_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)src;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(m->src_port);
		memcpy(&s6->sin6_addr, m->src_addr, 16);
	}
}

static void *replay_main(void *arg)
{
	struct collector_replay *r = arg;
	struct capture_meta m;
	struct sockaddr_storage src;
	const uint8_t *payload;
	size_t len;
	enum capture_status st;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		uint64_t t_us;

		st = capture_next(r->cap, &payload, &len, &m);
		if (st == CAPTURE_END || st == CAPTURE_ERROR)
			break;
		if (st != CAPTURE_DATAGRAM)
			continue;
		t_us = m.sec > 0 ? (uint64_t)m.sec * 1000000u + m.usec : 0;
		replay_pace(r, t_us);
		clock_set_replay_ms(t_us / 1000u);
		replay_source(&m, &src);
		r->fn(r->arg, payload, len, &src, clock_now_ms());
	}
	atomic_store(&r->done, true);
	return NULL;
}

struct collector_replay *collector_replay_start(const char *file, double speed,
						collector_replay_fn *fn, void *arg, char *err,
						size_t errlen)
{
	struct collector_replay *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "sflow.file: out of memory");
		return NULL;
	}
	r->cap = capture_open(file, err, errlen);
	if (!r->cap) {
		free(r);
		return NULL;
	}
	r->speed = speed;
	r->fn = fn;
	r->arg = arg;
	if (pthread_create(&r->thread, NULL, replay_main, r) != 0) {
		snprintf(err, errlen, "sflow.file: cannot start the replay thread");
		capture_close(r->cap);
		free(r);
		return NULL;
	}
	return r;
}

void collector_replay_stop(struct collector_replay *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, true);
	pthread_join(r->thread, NULL);
	capture_close(r->cap);
	free(r);
}

bool collector_replay_done(struct collector_replay *r)
{
	return atomic_load(&r->done);
}
