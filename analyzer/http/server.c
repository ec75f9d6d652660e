/*
 * analyzer/http/server.c: libmicrohttpd glue (see server.h). The access
 * callback runs three phases per request, as libmicrohttpd drives it:
 * first call (state allocated; a Content-Length far over the cap is
 * answered 413 at once, before any body is read), body chunks (appended up to the
 * cap, then discarded and marked), final call (the request is built and
 * routed, the reply queued). HTTP counters for /analyzer/json are kept in
 * the REST context so that they survive a listener restart.
 */
#include "analyzer/http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "analyzer/http/rest.h"
#include "analyzer/http/router.h"
#include "analyzer/http/server_wait.h"
#include "common/log.h"

/* A declared body up to this size over the cap is read and dropped
 * before the 413, so that a client which writes its whole body before
 * reading sees the answer instead of a reset; a larger one is refused at
 * once and the connection closed. */
#define SERVER_DISCARD_BYTES (64u << 20)

struct server {
	struct MHD_Daemon *mhd;
	struct server_waits *waits; /* parked long polls */
	int fd;                     /* listening socket, owned */
	struct rest_ctx *ctx;
};

/* One request's state between access-callback calls. */
struct server_req {
	char *body; /* NUL-terminated, len bytes */
	size_t len;
	bool too_big;  /* body passed REST_MAX_BODY_BYTES */
	bool answered; /* a reply was queued early */
	bool final;    /* resumed at a long poll's deadline */
	bool parked;   /* suspended once already */
	struct http_state state; /* the handler's, across routings */
};

/* Bind and listen on one address. The fd, or -1 with errno set. */
static int listen_on(const struct sockaddr *sa, socklen_t len, bool dual)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1, zero = 0, saved;

	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    (dual && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) == -1) ||
	    bind(fd, sa, len) == -1 || listen(fd, 128) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* The listening socket for (hostname, port), or -1 with a reason. */
static int open_listener(const char *hostname, uint16_t port, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char service[8];
	int fd = -1, rc;

	if (!hostname) {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
					   .sin6_port = htons(port),
					   .sin6_addr = IN6ADDR_ANY_INIT };
		struct sockaddr_in a4 = { .sin_family = AF_INET,
					  .sin_port = htons(port),
					  .sin_addr.s_addr = htonl(INADDR_ANY) };

		fd = listen_on((struct sockaddr *)&a6, sizeof(a6), true);
		if (fd == -1 && (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL))
			fd = listen_on((struct sockaddr *)&a4, sizeof(a4), false);
		if (fd == -1)
			snprintf(err, errlen, "http: listen on port %u: %s", port, strerror(errno));
		return fd;
	}
	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(hostname, service, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "http: http.hostname %s: %s", hostname, gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *ai = res; ai && fd == -1; ai = ai->ai_next)
		fd = listen_on(ai->ai_addr, ai->ai_addrlen, false);
	if (fd == -1)
		snprintf(err, errlen, "http: listen on %s port %u: %s", hostname, port,
			 strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct http_request *req = cls;

	(void)kind;
	if (req->query.n == QUERY_MAX_FILTERS) {
		req->query.n++; /* one past the end marks "too many" */
		return MHD_NO;
	}
	req->query.kv[req->query.n].name = key;
	req->query.kv[req->query.n].value = value ? value : "";
	req->query.n++;
	return MHD_YES;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	uint64_t *bytes = cls;

	(void)kind;
	*bytes += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
	return MHD_YES;
}

static enum MHD_Result send_reply(struct server *s, struct MHD_Connection *conn,
				  struct http_response *r)
{
	struct MHD_Response *mr;
	enum MHD_Result ok;

	if (r->body)
		mr = MHD_create_response_from_buffer(r->body_len, r->body, MHD_RESPMEM_MUST_FREE);
	else
		mr = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		free(r->body);
		return MHD_NO;
	}
	r->body = NULL;
	if (r->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (r->allow[0])
		MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->location[0])
		MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION, r->location);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	s->ctx->counters.bytes_sent += r->body_len;
	ok = MHD_queue_response(conn, (unsigned)r->status, mr);
	MHD_destroy_response(mr);
	return ok;
}

static enum MHD_Result reply_error(struct server *s, struct MHD_Connection *conn, int status,
				   const char *why)
{
	struct http_response r = { 0 };

	rest_reply_error(&r, status, "%s", why);
	return send_reply(s, conn, &r);
}

/* First call: allocate the state; refuse a declared body over the cap. */
static enum MHD_Result begin(struct server *s, struct MHD_Connection *conn, const char *url,
			     void **con_cls)
{
	struct server_req *sr = calloc(1, sizeof(*sr));
	const char *cl =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t hdr_bytes = strlen(url) + 16;

	if (!sr)
		abort();
	*con_cls = sr;
	s->ctx->counters.messages_received++;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &hdr_bytes);
	s->ctx->counters.bytes_received += hdr_bytes;
	if (cl && strtoull(cl, NULL, 10) > SERVER_DISCARD_BYTES) {
		sr->answered = true;
		return reply_error(s, conn, 413, "request body larger than 1048576 bytes");
	}
	return MHD_YES;
}

static void append_body(struct server *s, struct server_req *sr, const char *data, size_t n)
{
	s->ctx->counters.bytes_received += n;
	if (sr->too_big || sr->len + n > REST_MAX_BODY_BYTES) {
		sr->too_big = true;
		free(sr->body);
		sr->body = NULL;
		sr->len = 0;
		return;
	}
	sr->body = realloc(sr->body, sr->len + n + 1);
	if (!sr->body)
		abort();
	memcpy(sr->body + sr->len, data, n);
	sr->len += n;
	sr->body[sr->len] = '\0';
}

/* http.log=yes: every request at INFO; otherwise at DEBUG (-d). */
static void log_request(struct server *s, const struct http_request *req, int status, size_t bytes)
{
	struct rest_settings st;

	rest_settings_get(s->ctx, &st);
	if (st.log_requests || log_enabled(LOG_DEBUG))
		log_msg(st.log_requests ? LOG_INFO : LOG_DEBUG, "http: %s %.200s %d %zu",
			req->method, req->path, status, bytes);
}

static enum MHD_Result finish(struct server *s, struct MHD_Connection *conn, const char *url,
			      const char *method, struct server_req *sr)
{
	struct http_request req = { .method = method, .path = url, .ctx = s->ctx,
				    .state = &sr->state };
	struct http_response resp = { 0 };

	if (sr->too_big)
		return reply_error(s, conn, 413, "request body larger than 1048576 bytes");
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, &req);
	if (req.query.n > QUERY_MAX_FILTERS)
		return reply_error(s, conn, 400, "more than 32 query parameters");
	req.content_type =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	req.body = sr->body ? sr->body : "";
	req.body_len = sr->len;
	req.final = sr->final || sr->parked;
	router_dispatch(&req, &resp);
	if (resp.wait_ready && !req.final) {
		free(resp.body);
		if (server_waits_park(s->waits, conn, &sr->final, resp.wait_ready, resp.wait_obj,
				      resp.wait_after, resp.wait_until_ms)) {
			sr->answered = false; /* the resumed call routes it again */
			sr->parked = true;
			return MHD_YES;
		}
		memset(&resp, 0, sizeof(resp)); /* nowhere to wait: answer now */
		req.final = true;
		router_dispatch(&req, &resp);
	}
	log_request(s, &req, resp.status, resp.body_len);
	return send_reply(s, conn, &resp);
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct server_req *sr = *con_cls;

	(void)version;
	if (!sr)
		return begin(s, conn, url, con_cls);
	if (sr->answered)
		return MHD_YES;
	if (*upload_data_size) {
		append_body(s, sr, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	sr->answered = true;
	return finish(s, conn, url, method, sr);
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server_req *sr = *con_cls;

	(void)cls, (void)conn, (void)toe;
	if (sr) {
		if (sr->state.release)
			sr->state.release(sr->state.obj);
		free(sr->body);
		free(sr);
		*con_cls = NULL;
	}
}

static void connection_cb(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;

	(void)conn, (void)socket_context;
	/* Only the total: a connection refused at the connection limit can be
	 * notified as started and never as closed, so the current count comes
	 * from libmicrohttpd itself (server_connections). */
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		s->ctx->counters.connections_total++;
}

struct server *server_start(const char *hostname, uint16_t port, struct rest_ctx *ctx, char *err,
			    size_t errlen)
{
	struct server *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->ctx = ctx;
	s->fd = open_listener(hostname, port, err, errlen);
	if (s->fd == -1) {
		free(s);
		return NULL;
	}
	s->waits = server_waits_new(); /* NULL: long polls answer at once */
	s->mhd = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, port,
		NULL, NULL, access_cb, s, MHD_OPTION_LISTEN_SOCKET, s->fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVER_THREADS, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)SERVER_MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)SERVER_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
		MHD_OPTION_NOTIFY_CONNECTION, connection_cb, s, MHD_OPTION_END);
	if (!s->mhd) {
		snprintf(err, errlen, "http: libmicrohttpd failed to start on port %u", port);
		server_waits_free(s->waits);
		close(s->fd);
		free(s);
		return NULL;
	}
	rest_waits_set(ctx, s->waits, true);
	return s;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	rest_waits_set(s->ctx, s->waits, false); /* no more kicks */
	server_waits_free(s->waits); /* parked long polls answer first */
	MHD_stop_daemon(s->mhd);
	close(s->fd);
	free(s);
}

unsigned server_connections(struct server *s)
{
	const union MHD_DaemonInfo *info;

	if (!s)
		return 0;
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info ? info->num_connections : 0;
}
