/*
 * tests/unit/agent_loop_test.c: agent/loop.c: timers fire in due order
 * (ties in insertion order), cancelled timers never fire, callbacks may
 * re-arm and stop the loop, fd callbacks see readable pipes, and a signal
 * sent to the process arrives through the loop. Every wait is bounded.
 */
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "agent/loop.h"
#include "tests/lib/test.h"

struct order {
	int seen[16];
	int n;
};

struct tick {
	struct order *o;
	int tag;
};

static void record_cb(struct loop *l, void *arg)
{
	const struct tick *t = arg;

	(void)l;
	if (t->o->n < 16)
		t->o->seen[t->o->n++] = t->tag;
}

/* Run the loop until `done` holds or max_ms pass. */
static void run_until(struct loop *l, const int *done, int want, uint64_t max_ms)
{
	uint64_t end = loop_now_ms() + max_ms;

	while (*done < want && loop_now_ms() < end)
		loop_run_once(l, 10);
}

TEST(timers_fire_in_due_order_ties_in_insertion_order)
{
	static const struct {
		uint64_t delay_ms;
		int tag;
	} table[] = { { 30, 3 }, { 10, 1 }, { 20, 2 }, { 20, 22 }, { 0, 0 }, { 40, 4 } };
	static const int want[] = { 0, 1, 2, 22, 3, 4 };
	struct tick ticks[6];
	struct order o = { .n = 0 };
	struct loop *l = loop_new();

	for (size_t i = 0; i < 6; i++) {
		ticks[i] = (struct tick){ &o, table[i].tag };
		CHECK(loop_timer_add(l, table[i].delay_ms, record_cb, &ticks[i]) != 0);
	}
	run_until(l, &o.n, 6, 2000);
	CHECK_EQ_U64(o.n, 6);
	for (int i = 0; i < 6; i++)
		CHECK_EQ_U64(o.seen[i], want[i]);
	loop_free(l);
}

TEST(cancelled_timers_never_fire)
{
	struct order o = { .n = 0 };
	struct tick a = { &o, 1 }, b = { &o, 2 }, c = { &o, 3 };
	struct loop *l = loop_new();
	uint64_t ia = loop_timer_add(l, 5, record_cb, &a);
	uint64_t ib = loop_timer_add(l, 10, record_cb, &b);

	loop_timer_add(l, 15, record_cb, &c);
	CHECK(loop_timer_del(l, ib) == 0);
	CHECK(loop_timer_del(l, ib) == -1);
	CHECK(loop_timer_del(l, 0) == -1);
	run_until(l, &o.n, 2, 2000);
	CHECK_EQ_U64(o.n, 2);
	CHECK_EQ_U64(o.seen[0], 1);
	CHECK_EQ_U64(o.seen[1], 3);
	CHECK(loop_timer_del(l, ia) == -1);
	loop_free(l);
}

struct rearm {
	int runs;
	uint64_t first_ms, last_ms;
};

static void rearm_cb(struct loop *l, void *arg)
{
	struct rearm *r = arg;

	if (r->runs++ == 0)
		r->first_ms = loop_now_ms();
	r->last_ms = loop_now_ms();
	if (r->runs < 5)
		loop_timer_add(l, 20, rearm_cb, r);
	else
		loop_stop(l);
}

TEST(periodic_timer_rearms_and_stops_the_loop)
{
	struct rearm r = { 0 };
	struct loop *l = loop_new();

	loop_timer_add(l, 0, rearm_cb, &r);
	loop_timer_add(l, 3000, rearm_cb, &r); /* bound: stops the loop anyway */
	CHECK(loop_run(l) == 0);
	CHECK_EQ_U64(r.runs, 5);
	CHECK(r.last_ms - r.first_ms >= 80);
	CHECK(r.last_ms - r.first_ms < 1000);
	loop_free(l);
}

static void read_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	char c;
	int *got = arg;

	(void)l;
	(void)events;
	if (read(fd, &c, 1) == 1)
		*got = c;
}

TEST(fd_callback_sees_a_readable_pipe)
{
	struct loop *l = loop_new();
	int p[2], got = 0;

	CHECK(pipe(p) == 0);
	CHECK(loop_add_fd(l, p[0], 0x001 /* EPOLLIN */, read_cb, &got) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	for (int i = 0; i < 100 && got == 0; i++)
		loop_run_once(l, 10);
	CHECK_EQ_U64(got, 'x');
	CHECK(loop_del_fd(l, p[0]) == 0);
	CHECK(loop_del_fd(l, p[0]) == -1);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void signal_cb(struct loop *l, int signo, void *arg)
{
	(void)l;
	*(int *)arg = signo;
}

TEST(signal_arrives_through_the_loop)
{
	struct loop *l = loop_new();
	int got = 0;

	CHECK(loop_on_signal(l, SIGUSR2, signal_cb, &got) == 0);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	for (int i = 0; i < 100 && got == 0; i++)
		loop_run_once(l, 10);
	CHECK_EQ_U64(got, SIGUSR2);
	loop_free(l);
}

TEST_MAIN(TEST_ENTRY(timers_fire_in_due_order_ties_in_insertion_order),
	  TEST_ENTRY(cancelled_timers_never_fire),
	  TEST_ENTRY(periodic_timer_rearms_and_stops_the_loop),
	  TEST_ENTRY(fd_callback_sees_a_readable_pipe), TEST_ENTRY(signal_arrives_through_the_loop))
