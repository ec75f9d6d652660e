/*
 * analyzer/id_ring.c: see id_ring.h.
 */
#include "analyzer/id_ring.h"

#include <pthread.h>
#include <stdlib.h>

struct id_ring {
	pthread_mutex_t mu;
	unsigned char *v; /* max records of size bytes */
	size_t max, size;
	uint64_t next_id; /* id of the next record, from 1 */
	pthread_rwlock_t listen_mu; /* guards listener; read-held during a call */
	id_ring_listener *listener;
	void *listener_arg;
};

struct id_ring *id_ring_new(size_t max, size_t rec_size)
{
	struct id_ring *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->max = max ? max : ID_RING_DEFAULT;
	r->size = rec_size;
	r->v = calloc(r->max, rec_size);
	if (!r->v) {
		free(r);
		return NULL;
	}
	r->next_id = 1;
	pthread_mutex_init(&r->mu, NULL);
	pthread_rwlock_init(&r->listen_mu, NULL);
	return r;
}

void id_ring_free(struct id_ring *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->mu);
	pthread_rwlock_destroy(&r->listen_mu);
	free(r->v);
	free(r);
}

static void *slot(const struct id_ring *r, uint64_t id)
{
	return r->v + (size_t)((id - 1) % r->max) * r->size;
}

void *id_ring_push_begin(struct id_ring *r, uint64_t *id)
{
	pthread_mutex_lock(&r->mu);
	*id = r->next_id++;
	return slot(r, *id);
}

void id_ring_push_end(struct id_ring *r)
{
	pthread_mutex_unlock(&r->mu);
}

void id_ring_walk(struct id_ring *r, int64_t after_id, size_t max, id_ring_cb *cb, void *arg)
{
	uint64_t first;

	pthread_mutex_lock(&r->mu);
	first = r->next_id > r->max ? r->next_id - r->max : 1;
	if (after_id >= 0 && (uint64_t)after_id + 1 > first)
		first = (uint64_t)after_id + 1;
	for (uint64_t id = r->next_id - 1; id >= first && id > 0 && max > 0; id--)
		if (cb(arg, id, slot(r, id)))
			max--;
	pthread_mutex_unlock(&r->mu);
}

bool id_ring_ready(struct id_ring *r, int64_t after_id)
{
	bool have;

	pthread_mutex_lock(&r->mu);
	have = after_id < 0 || r->next_id - 1 > (uint64_t)after_id;
	pthread_mutex_unlock(&r->mu);
	return have;
}

void id_ring_counts(struct id_ring *r, uint64_t *pushed, uint64_t *lost)
{
	pthread_mutex_lock(&r->mu);
	*pushed = r->next_id - 1;
	*lost = *pushed > r->max ? *pushed - r->max : 0;
	pthread_mutex_unlock(&r->mu);
}

void id_ring_set_listener(struct id_ring *r, id_ring_listener *fn, void *arg)
{
	pthread_rwlock_wrlock(&r->listen_mu);
	r->listener = fn;
	r->listener_arg = arg;
	pthread_rwlock_unlock(&r->listen_mu);
}

void id_ring_notify(struct id_ring *r, uint64_t id, const void *entry)
{
	pthread_rwlock_rdlock(&r->listen_mu);
	if (r->listener)
		r->listener(r->listener_arg, id, entry);
	pthread_rwlock_unlock(&r->listen_mu);
}
