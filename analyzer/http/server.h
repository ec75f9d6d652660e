/*
 * analyzer/http/server.h: the HTTP listener: libmicrohttpd with an
 * internal thread pool, on a socket this unit opens itself (so a bind
 * error is a clear message and a reload can open the new port before the
 * old one closes). Each request's body is read into memory up to
 * REST_MAX_BODY_BYTES (larger: 413), then handed to router_dispatch() on
 * the pool thread. Connections are capped; idle ones time out.
 */
#ifndef RTFLOW_ANALYZER_HTTP_SERVER_H
#define RTFLOW_ANALYZER_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

struct rest_ctx;
struct server;

#define SERVER_MAX_CONNECTIONS 512
#define SERVER_TIMEOUT_S 30
#define SERVER_THREADS 4

/*
 * Listen on hostname (NULL: every address, IPv6 dual-stack, or IPv4 when
 * the host has no IPv6) and port, serving ctx (which must outlive the
 * server). NULL with a reason in err.
 */
struct server *server_start(const char *hostname, uint16_t port, struct rest_ctx *ctx,
			    char *err, size_t errlen);

/* Stop accepting, finish the pool threads, close. NULL is a no-op. */
void server_stop(struct server *s);

/* Connections open now (0 for NULL). Any thread, while s runs. */
unsigned server_connections(struct server *s);

#endif
