/*
 * agent/loop.c: epoll + timer min-heap + signalfd (see loop.h).
 *
 * Watched fds live in a fixed table; epoll's data word holds the slot
 * index, so lookup on an event is O(1). Timers live in a binary min-heap
 * ordered by (due_ms, id); ids grow monotonically, so equal due times keep
 * insertion order. Cancelling searches the heap (O(n)); with tens of timers
 * that is cheaper than keeping an index, and a heap keeps firing O(log n)
 * (redis ae.c keeps an unsorted list and documents the O(n) cost instead).
 */
#include "agent/loop.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_SIGNALS 65      /* signal numbers 1..64 */
#define LOOP_SIGNAL_SLOT LOOP_MAX_FDS /* epoll data of the signalfd */

struct loop_fd {
	int fd;            /* -1 = free slot */
	loop_fd_cb *cb;
	void *arg;
};

struct loop_timer {
	uint64_t due_ms;   /* CLOCK_MONOTONIC ms */
	uint64_t id;
	loop_timer_cb *cb;
	void *arg;
};

struct loop_signal {
	loop_signal_cb *cb;
	void *arg;
};

struct loop {
	int epfd;
	int sigfd;                         /* -1 until the first loop_on_signal */
	sigset_t sigmask;                  /* signals delivered through sigfd */
	bool stop;
	uint64_t next_id;                  /* last timer id handed out */
	struct loop_fd fds[LOOP_MAX_FDS];
	size_t timer_count;
	struct loop_timer timers[LOOP_MAX_TIMERS]; /* min-heap */
	struct loop_signal signals[LOOP_SIGNALS];
	loop_hook_cb *before_sleep;
	void *before_sleep_arg;
};

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd == -1) {
		free(l);
		return NULL;
	}
	l->sigfd = -1;
	sigemptyset(&l->sigmask);
	for (size_t i = 0; i < LOOP_MAX_FDS; i++)
		l->fds[i].fd = -1;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	if (l->sigfd != -1)
		close(l->sigfd);
	close(l->epfd);
	free(l);
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb *cb, void *arg)
{
	struct epoll_event ev = { .events = events };
	size_t i;

	for (i = 0; i < LOOP_MAX_FDS && l->fds[i].fd != -1; i++)
		;
	if (i == LOOP_MAX_FDS) {
		errno = ENOSPC;
		return -1;
	}
	ev.data.u32 = (uint32_t)i;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
		return -1;
	l->fds[i] = (struct loop_fd){ .fd = fd, .cb = cb, .arg = arg };
	return 0;
}

int loop_del_fd(struct loop *l, int fd)
{
	for (size_t i = 0; i < LOOP_MAX_FDS; i++) {
		if (l->fds[i].fd != fd)
			continue;
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
		l->fds[i].fd = -1;
		return 0;
	}
	return -1;
}

static bool timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->id < b->id);
}

static void heap_swap(struct loop *l, size_t a, size_t b)
{
	struct loop_timer t = l->timers[a];

	l->timers[a] = l->timers[b];
	l->timers[b] = t;
}

/* Move timers[i] (i < timer_count) up to its place. */
static void heap_up(struct loop *l, size_t i)
{
	while (i > 0 && i < l->timer_count) {
		size_t parent = (i - 1) / 2;

		/* i < timer_count <= LOOP_MAX_TIMERS; cppcheck cannot see it */
		// cppcheck-suppress arrayIndexOutOfBoundsCond
		if (!timer_before(&l->timers[i], &l->timers[parent]))
			return;
		heap_swap(l, i, parent);
		i = parent;
	}
}

static void heap_down(struct loop *l, size_t i)
{
	for (;;) {
		size_t m = i, c = 2 * i + 1;

		if (c < l->timer_count && timer_before(&l->timers[c], &l->timers[m]))
			m = c;
		if (c + 1 < l->timer_count && timer_before(&l->timers[c + 1], &l->timers[m]))
			m = c + 1;
		if (m == i)
			return;
		heap_swap(l, i, m);
		i = m;
	}
}

static void heap_remove(struct loop *l, size_t i)
{
	l->timer_count--;
	if (i == l->timer_count)
		return;
	l->timers[i] = l->timers[l->timer_count];
	heap_up(l, i);
	heap_down(l, i);
}

uint64_t loop_timer_add(struct loop *l, uint64_t delay_ms, loop_timer_cb *cb, void *arg)
{
	size_t i = l->timer_count;

	if (i == LOOP_MAX_TIMERS)
		return 0;
	l->timers[i] = (struct loop_timer){
		.due_ms = loop_now_ms() + delay_ms, .id = ++l->next_id, .cb = cb, .arg = arg,
	};
	l->timer_count++;
	heap_up(l, i);
	return l->next_id;
}

int loop_timer_del(struct loop *l, uint64_t id)
{
	for (size_t i = 0; id != 0 && i < l->timer_count; i++) {
		if (l->timers[i].id == id) {
			heap_remove(l, i);
			return 0;
		}
	}
	return -1;
}

int loop_on_signal(struct loop *l, int signo, loop_signal_cb *cb, void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = LOOP_SIGNAL_SLOT };
	sigset_t mask = l->sigmask;
	int fd;

	if (signo <= 0 || signo >= LOOP_SIGNALS) {
		errno = EINVAL;
		return -1;
	}
	sigaddset(&mask, signo);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1)
		return -1;
	fd = signalfd(l->sigfd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd == -1)
		return -1;
	if (l->sigfd == -1 && epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(fd);
		return -1;
	}
	l->sigfd = fd;
	l->sigmask = mask;
	l->signals[signo] = (struct loop_signal){ .cb = cb, .arg = arg };
	return 0;
}

void loop_set_before_sleep(struct loop *l, loop_hook_cb *cb, void *arg)
{
	l->before_sleep = cb;
	l->before_sleep_arg = arg;
}

/* Drain the signalfd; a bounded number of reads per wakeup (STYLE B8). */
static void run_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	for (int n = 0; n < 16; n++) {
		if (read(l->sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			return;
		if (si.ssi_signo < LOOP_SIGNALS && l->signals[si.ssi_signo].cb)
			l->signals[si.ssi_signo].cb(l, (int)si.ssi_signo,
						    l->signals[si.ssi_signo].arg);
	}
}

/* Run the timers due now. Timers added by callbacks with delay 0 wait for
 * the next iteration, so a callback re-arming itself cannot starve fds. */
static void run_timers(struct loop *l)
{
	uint64_t now = loop_now_ms(), last_id = l->next_id;

	while (l->timer_count > 0 && l->timers[0].due_ms <= now && l->timers[0].id <= last_id) {
		struct loop_timer t = l->timers[0];

		heap_remove(l, 0);
		t.cb(l, t.arg);
	}
}

static int wait_ms(const struct loop *l, int max_wait_ms)
{
	uint64_t now, due;

	if (l->timer_count == 0)
		return max_wait_ms;
	now = loop_now_ms();
	due = l->timers[0].due_ms;
	if (due <= now)
		return 0;
	if (max_wait_ms >= 0 && due - now > (uint64_t)max_wait_ms)
		return max_wait_ms;
	return due - now > INT32_MAX ? INT32_MAX : (int)(due - now);
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
	struct epoll_event ev[16];
	int n;

	if (l->before_sleep)
		l->before_sleep(l, l->before_sleep_arg);
	n = epoll_wait(l->epfd, ev, 16, wait_ms(l, max_wait_ms));
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	for (int i = 0; i < n; i++) {
		uint32_t slot = ev[i].data.u32;

		if (slot == LOOP_SIGNAL_SLOT)
			run_signals(l);
		else if (l->fds[slot].fd != -1)
			l->fds[slot].cb(l, l->fds[slot].fd, ev[i].events, l->fds[slot].arg);
	}
	run_timers(l);
	return 0;
}

int loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop) {
		if (loop_run_once(l, -1) == -1)
			return -1;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}

uint64_t loop_random_phase_ms(uint64_t interval_ms)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint64_t)rand(); /* entropy not ready yet: any spread will do */
	return 1 + r % interval_ms;
}
