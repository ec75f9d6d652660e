/*
 * analyzer/js/js_queue.h: a bounded FIFO of fixed-size records, from the
 * threads that produce flows, events and HTTP requests to the one script
 * thread that handles them (spec/architecture.md: "events, flow records
 * and HTTP requests reach a script through bounded queues").
 *
 * A full queue drops the new record and counts it lost; nothing waits
 * for a slow script. The queue has no lock of its own: its users hold the
 * script's mutex (the one its thread waits on), so a push and the wake-up
 * are one step.
 */
#ifndef RTFLOW_ANALYZER_JS_JS_QUEUE_H
#define RTFLOW_ANALYZER_JS_JS_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct js_queue {
	unsigned char *slots; /* cap records of rec_size bytes; NULL until first push */
	size_t rec_size, cap;
	size_t head, n;       /* oldest record's slot, records queued */
	uint64_t received;    /* pushed, lost included */
	uint64_t lost;        /* dropped because the queue was full (or had no memory) */
};

/* An empty queue of cap records of rec_size bytes; its memory is taken at
 * the first push. */
void js_queue_init(struct js_queue *q, size_t cap, size_t rec_size);
void js_queue_fini(struct js_queue *q);

/* Copy rec in; false (counted lost) when full. */
bool js_queue_push(struct js_queue *q, const void *rec);

/* Move up to max of the oldest records to out (max * rec_size bytes);
 * how many. */
size_t js_queue_pop(struct js_queue *q, void *out, size_t max);

#endif
