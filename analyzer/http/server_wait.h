/*
 * analyzer/http/server_wait.h: long-poll requests (/flows/json and
 * /events/json with timeout) parked as suspended libmicrohttpd
 * connections, not as blocked server threads.
 *
 * A handler that has nothing newer to answer sets the wait fields of its
 * http_response (router.h); the server suspends the connection and hands
 * it here. One thread checks every parked connection every
 * SERVER_WAIT_TICK_MS: when ready(obj, after) turns true, or the deadline
 * passes (then *final is set), it resumes the connection and the request
 * is routed again, this time to an answer. A producer that makes a parked
 * request ready may kick the thread to check at once (script answers). At most SERVER_WAITS_MAX
 * connections are parked; past that the handler answers at once.
 *
 * Threads: server_waits_park is called from libmicrohttpd's access
 * handler; the checking thread resumes; one mutex.
 */
#ifndef RTFLOW_ANALYZER_HTTP_SERVER_WAIT_H
#define RTFLOW_ANALYZER_HTTP_SERVER_WAIT_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#define SERVER_WAITS_MAX    256
#define SERVER_WAIT_TICK_MS 20

typedef bool server_wait_ready_fn(void *obj, int64_t after);

struct server_waits;

/* The parked set and its thread, or NULL. */
struct server_waits *server_waits_new(void);

/* Resume every parked connection as final and stop the thread. Before
 * MHD_stop_daemon. */
void server_waits_free(struct server_waits *w);

/* Suspend conn until ready(obj, after) or until_ms (CLOCK_MONOTONIC ms),
 * setting *final when it is the deadline. false (conn untouched) when the
 * set is full or stopping. */
bool server_waits_park(struct server_waits *w, struct MHD_Connection *conn, bool *final,
		       server_wait_ready_fn *ready, void *obj, int64_t after, uint64_t until_ms);

/* Check the parked connections now. Any thread. */
void server_waits_kick(struct server_waits *w);

/* CLOCK_MONOTONIC in ms, the clock of until_ms. */
uint64_t server_waits_now_ms(void);

#endif
