/*
 * analyzer/collector_ring.h: a bounded multi-producer, single-consumer
 * ring of datagrams, one per collector shard: the shards that receive a
 * datagram owned by another shard copy it in, the owner takes it out.
 *
 * Slots hold a datagram of up to COLLECTOR_RING_SLOT_BYTES with its
 * sender; each slot has a sequence number (D. Vyukov's bounded queue), so
 * producers claim slots with one compare-and-swap on the head and the
 * consumer needs no atomic read-modify-write. push fails when the ring is
 * full: the caller counts the drop. The ring is allocated once; nothing
 * is allocated per datagram. Slot memory is touched only when used.
 */
#ifndef RTFLOW_ANALYZER_COLLECTOR_RING_H
#define RTFLOW_ANALYZER_COLLECTOR_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define COLLECTOR_RING_SLOT_BYTES 16384 /* larger datagrams cannot be handed off */

struct collector_ring_slot {
	_Atomic size_t seq;             /* Vyukov sequence: whose turn the slot is */
	uint32_t len;                   /* datagram bytes */
	struct sockaddr_storage src;    /* sender */
	uint8_t data[COLLECTOR_RING_SLOT_BYTES];
};

struct collector_ring;

/* A ring of `slots` entries (a power of two >= 2), or NULL. */
struct collector_ring *collector_ring_new(size_t slots);
void collector_ring_free(struct collector_ring *r);

/* Copy a datagram in. 0, or -1 when the ring is full or len is larger
 * than a slot. Any thread. */
int collector_ring_push(struct collector_ring *r, const uint8_t *buf, size_t len,
			const struct sockaddr_storage *src);

/* The oldest datagram, or NULL when empty; it stays valid (and its slot
 * taken) until collector_ring_release(). Consumer thread only. */
struct collector_ring_slot *collector_ring_peek(struct collector_ring *r);
void collector_ring_release(struct collector_ring *r);

#endif
