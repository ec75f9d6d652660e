/*
 * analyzer/collector_ring.c: bounded MPSC datagram ring (see
 * collector_ring.h).
 *
 * Slot i starts with seq = i. A producer that finds seq == pos (its claim
 * on the head) may take it; seq < pos means the consumer has not freed it
 * yet: full. After copying, the producer publishes seq = pos + 1 (release)
 * and the consumer, which waits for exactly that value at its tail,
 * reads the data (acquire). Freeing sets seq = pos + slots, the value the
 * producer one lap later expects. Indexes are size_t and wrap harmlessly:
 * the differences are taken as signed.
 */
#include "analyzer/collector_ring.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct collector_ring {
	_Alignas(64) _Atomic size_t head;     /* next slot to claim (producers) */
	_Alignas(64) size_t tail;             /* next slot to read (consumer) */
	size_t mask;
	struct collector_ring_slot *slots;
};

struct collector_ring *collector_ring_new(size_t slots)
{
	struct collector_ring *r;

	if (slots < 2 || (slots & (slots - 1)) != 0)
		return NULL;
	r = aligned_alloc(64, sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	/* calloc of this size maps fresh zero pages: a slot costs memory
	 * only once a datagram has been handed through it */
	r->slots = calloc(slots, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return NULL;
	}
	r->mask = slots - 1;
	for (size_t i = 0; i < slots; i++)
		atomic_init(&r->slots[i].seq, i);
	atomic_init(&r->head, 0);
	return r;
}

void collector_ring_free(struct collector_ring *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r);
}

int collector_ring_push(struct collector_ring *r, const uint8_t *buf, size_t len,
			const struct sockaddr_storage *src)
{
	struct collector_ring_slot *s;
	size_t pos = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (len > COLLECTOR_RING_SLOT_BYTES)
		return -1;
	for (;;) {
		size_t seq;
		intptr_t diff;

		s = &r->slots[pos & r->mask];
		seq = atomic_load_explicit(&s->seq, memory_order_acquire);
		diff = (intptr_t)seq - (intptr_t)pos;
		if (diff == 0) {
			/* on failure pos is reloaded with the current head */
			if (atomic_compare_exchange_weak_explicit(&r->head, &pos, pos + 1,
								  memory_order_relaxed,
								  memory_order_relaxed))
				break;
		} else if (diff < 0) {
			return -1;
		} else {
			pos = atomic_load_explicit(&r->head, memory_order_relaxed);
		}
	}
	s->len = (uint32_t)len;
	s->src = *src;
	memcpy(s->data, buf, len);
	atomic_store_explicit(&s->seq, pos + 1, memory_order_release);
	return 0;
}

struct collector_ring_slot *collector_ring_peek(struct collector_ring *r)
{
	struct collector_ring_slot *s = &r->slots[r->tail & r->mask];

	if (atomic_load_explicit(&s->seq, memory_order_acquire) != r->tail + 1)
		return NULL;
	return s;
}

void collector_ring_release(struct collector_ring *r)
{
	struct collector_ring_slot *s = &r->slots[r->tail & r->mask];

	atomic_store_explicit(&s->seq, r->tail + r->mask + 1, memory_order_release);
	r->tail++;
}
