/*
 * analyzer/http/server_wait.c: parked long-poll connections (see
 * server_wait.h).
 */
#include "analyzer/http/server_wait.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

struct parked {
	struct MHD_Connection *conn;
	bool *final;
	server_wait_ready_fn *ready;
	void *obj;
	int64_t after;
	uint64_t until_ms;
};

struct server_waits {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* a kick, or the stop */
	bool kicked;
	struct parked v[SERVER_WAITS_MAX];
	size_t n;
	bool stopping;
	atomic_bool stop;
	pthread_t thread;
};

uint64_t server_waits_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Resume every parked connection that is ready or due (all when `all`);
 * w->mu held. */
static void sweep(struct server_waits *w, bool all)
{
	uint64_t now = server_waits_now_ms();

	for (size_t i = 0; i < w->n;) {
		struct parked *p = &w->v[i];
		bool due = all || now >= p->until_ms;

		if (!due && !p->ready(p->obj, p->after)) {
			i++;
			continue;
		}
		*p->final = due;
		MHD_resume_connection(p->conn);
		w->v[i] = w->v[--w->n];
	}
}

/* Sweep every SERVER_WAIT_TICK_MS, and at once when kicked. */
static void *waits_thread(void *arg)
{
	struct server_waits *w = arg;

	pthread_mutex_lock(&w->mu);
	while (!atomic_load(&w->stop)) {
		uint64_t due = server_waits_now_ms() + SERVER_WAIT_TICK_MS;
		struct timespec until = { (time_t)(due / 1000), (long)(due % 1000) * 1000000 };

		if (!w->kicked)
			pthread_cond_timedwait(&w->cv, &w->mu, &until);
		w->kicked = false;
		sweep(w, false);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

void server_waits_kick(struct server_waits *w)
{
	pthread_mutex_lock(&w->mu);
	w->kicked = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

struct server_waits *server_waits_new(void)
{
	struct server_waits *w = calloc(1, sizeof(*w));

	pthread_condattr_t ca;

	if (!w)
		return NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, waits_thread, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

void server_waits_free(struct server_waits *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	atomic_store(&w->stop, true);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_lock(&w->mu);
	sweep(w, true);
	pthread_mutex_unlock(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

bool server_waits_park(struct server_waits *w, struct MHD_Connection *conn, bool *final,
		       server_wait_ready_fn *ready, void *obj, int64_t after, uint64_t until_ms)
{
	bool parked = false;

	if (!w)
		return false;
	/* suspended and recorded under the lock, so the thread cannot resume
	 * a connection that is not suspended yet */
	pthread_mutex_lock(&w->mu);
	if (!w->stopping && w->n < SERVER_WAITS_MAX) {
		MHD_suspend_connection(conn);
		w->v[w->n++] = (struct parked){ conn, final, ready, obj, after, until_ms };
		parked = true;
	}
	pthread_mutex_unlock(&w->mu);
	return parked;
}
