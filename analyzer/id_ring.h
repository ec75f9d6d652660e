/*
 * analyzer/id_ring.h: a bounded ring of fixed-size records numbered from
 * 1, newest kept, oldest overwritten: what the flow log (/flows/json) and
 * the event ring (/events/json) keep, read newest first after an id, as
 * sFlow-RT's flowID and eventID long polls ask.
 *
 * Record id lives at slot (id - 1) % max. Writers fill a slot between
 * id_ring_push_begin and id_ring_push_end; readers walk under the same
 * mutex, held briefly.
 *
 * Threads: any; one mutex.
 */
#ifndef RTFLOW_ANALYZER_ID_RING_H
#define RTFLOW_ANALYZER_ID_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ID_RING_DEFAULT 1000

struct id_ring;

/* max records (0: ID_RING_DEFAULT) of rec_size bytes; NULL on no memory. */
struct id_ring *id_ring_new(size_t max, size_t rec_size);
void id_ring_free(struct id_ring *r);

/* Lock the ring and give the slot of the next record (its old contents
 * undefined) with its id; id_ring_push_end unlocks. */
void *id_ring_push_begin(struct id_ring *r, uint64_t *id);
void id_ring_push_end(struct id_ring *r);

/* cb for each record with id > after_id (all when after_id < 0), newest
 * first, until max of them have been taken (cb returns true when it takes
 * one; false skips it). */
typedef bool id_ring_cb(void *arg, uint64_t id, const void *rec);
void id_ring_walk(struct id_ring *r, int64_t after_id, size_t max, id_ring_cb *cb, void *arg);

/* Whether a record with id > after_id exists (always, for after_id < 0). */
bool id_ring_ready(struct id_ring *r, int64_t after_id);

/* Records pushed so far, and those overwritten. */
void id_ring_counts(struct id_ring *r, uint64_t *pushed, uint64_t *lost);

/*
 * One listener per ring (the script runtime's setFlowHandler and
 * setEventHandler): id_ring_notify(r, id, entry), which the ring's owner
 * calls after each push with its own public form of the record, calls
 * fn(arg, id, entry) on the pushing thread. Setting (NULL fn: none)
 * waits for a call in progress to end, so arg may be freed after the
 * listener is unset.
 */
typedef void id_ring_listener(void *arg, uint64_t id, const void *entry);
void id_ring_set_listener(struct id_ring *r, id_ring_listener *fn, void *arg);
void id_ring_notify(struct id_ring *r, uint64_t id, const void *entry);

#endif
