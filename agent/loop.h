/*
 * agent/loop.h: the agent's one event loop (STYLE B8): epoll for file
 * descriptors, a binary min-heap of one-shot timers on CLOCK_MONOTONIC
 * milliseconds, signals delivered through a signalfd, and a before_sleep
 * hook run before every wait.
 *
 * Everything runs on the thread that calls loop_run(); no function here is
 * safe from another thread. Callbacks may add and remove fds and timers,
 * including their own, and may call loop_stop(). A timer fires once;
 * periodic work re-arms itself from its callback (so a slow callback never
 * stacks up runs). Signals handed to loop_on_signal() are blocked for the
 * whole process, so call it before starting any thread.
 */
#ifndef RTFLOW_AGENT_LOOP_H
#define RTFLOW_AGENT_LOOP_H

#include <stdint.h>

#define LOOP_MAX_FDS 64    /* watched descriptors */
#define LOOP_MAX_TIMERS 256 /* pending timers */

struct loop;

typedef void loop_fd_cb(struct loop *l, int fd, uint32_t events, void *arg);
typedef void loop_timer_cb(struct loop *l, void *arg);
typedef void loop_signal_cb(struct loop *l, int signo, void *arg);
typedef void loop_hook_cb(struct loop *l, void *arg);

/* A new loop, or NULL (errno set) when epoll cannot be created. */
struct loop *loop_new(void);

/* Close the loop's own descriptors and free it; the fds it watched are the
 * callers'. NULL is a no-op. */
void loop_free(struct loop *l);

/* CLOCK_MONOTONIC in milliseconds, read now. */
uint64_t loop_now_ms(void);

/* A random first delay in 1 .. interval_ms (interval_ms > 0), so pollers
 * of many agents and data sources do not fire in step. */
uint64_t loop_random_phase_ms(uint64_t interval_ms);

/* Watch fd for epoll `events` (EPOLLIN ...). 0, or -1 (errno set; ENOSPC
 * past LOOP_MAX_FDS). */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb *cb, void *arg);

/* Stop watching fd. 0, or -1 when it was not watched. */
int loop_del_fd(struct loop *l, int fd);

/* Run cb(arg) once, delay_ms from now. Returns a timer id (never 0), or 0
 * when LOOP_MAX_TIMERS are pending. Timers due at the same time run in the
 * order they were added. */
uint64_t loop_timer_add(struct loop *l, uint64_t delay_ms, loop_timer_cb *cb, void *arg);

/* Cancel a pending timer. 0, or -1 when id is not pending (it ran, was
 * cancelled, or is 0). */
int loop_timer_del(struct loop *l, uint64_t id);

/* Deliver signal signo to cb on the loop (replacing an earlier cb). The
 * signal is blocked in the calling thread. 0, or -1 (errno set). */
int loop_on_signal(struct loop *l, int signo, loop_signal_cb *cb, void *arg);

/* Call cb(arg) before every wait (for flushing batched output). */
void loop_set_before_sleep(struct loop *l, loop_hook_cb *cb, void *arg);

/* Wait at most max_wait_ms (-1: until something happens) and run what is
 * due: fds, then signals, then timers. 0, or -1 when epoll_wait fails with
 * something other than EINTR. */
int loop_run_once(struct loop *l, int max_wait_ms);

/* Run until loop_stop(). 0, or -1 on an epoll failure. */
int loop_run(struct loop *l);

/* Make loop_run() return after the current iteration. */
void loop_stop(struct loop *l);

#endif
