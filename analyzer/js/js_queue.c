/*
 * analyzer/js/js_queue.c: see js_queue.h.
 */
#include "analyzer/js/js_queue.h"

#include <stdlib.h>
#include <string.h>

void js_queue_init(struct js_queue *q, size_t cap, size_t rec_size)
{
	memset(q, 0, sizeof(*q));
	q->cap = cap;
	q->rec_size = rec_size;
}

void js_queue_fini(struct js_queue *q)
{
	free(q->slots);
	q->slots = NULL;
	q->n = 0;
}

bool js_queue_push(struct js_queue *q, const void *rec)
{
	q->received++;
	if (!q->slots && q->cap)
		q->slots = malloc(q->cap * q->rec_size);
	if (!q->slots || q->n == q->cap) {
		q->lost++;
		return false;
	}
	memcpy(q->slots + ((q->head + q->n) % q->cap) * q->rec_size, rec, q->rec_size);
	q->n++;
	return true;
}

size_t js_queue_pop(struct js_queue *q, void *out, size_t max)
{
	size_t k = 0;

	while (k < max && q->n) {
		memcpy((unsigned char *)out + k * q->rec_size, q->slots + q->head * q->rec_size,
		       q->rec_size);
		q->head = (q->head + 1) % q->cap;
		q->n--;
		k++;
	}
	return k;
}
