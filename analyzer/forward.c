/*
 * analyzer/forward.c: raw sFlow forwarding targets (see forward.h).
 *
 * The targets form an immutable table. A change (forward_set/_delete,
 * serialised by fw->lock) builds a new table that shares the unchanged
 * targets, publishes it with one atomic store and then waits for a grace
 * period before freeing the old table and the target it replaced.
 *
 * Grace period (a two-counter scheme, as in classic SRCU): a reader
 * increments readers[epoch & 1], loads the table, sends, decrements. The
 * writer, after publishing, flips the epoch and waits for the old
 * counter to drain, then flips again and waits for the other one. A
 * reader that loaded the old table incremented a counter before the
 * table was replaced, and each counter is waited on once after that, so
 * the old table is never freed under it; new readers go to the counter
 * not being waited on, so the wait ends. When there are no targets the
 * table pointer is NULL and readers return after one atomic load.
 */
#include "analyzer/forward.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sflow/sflow.h"

#define FORWARD_NAME_MAX 128      /* bytes of a target name */
#define FORWARD_MAX_AGENTS 1024   /* agents listed per target */
#define FORWARD_DEFAULT_PORT 6343

struct forward_target {
	char name[FORWARD_NAME_MAX + 1];
	char address[INET6_ADDRSTRLEN];  /* as given, normalised by inet_ntop */
	uint16_t port;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	int fd;                          /* UDP socket of this target */
	size_t nagents;                  /* 0: every agent */
	struct sfl_address *agents;
};

struct forward_table {
	size_t n;
	struct forward_target *t[FORWARD_MAX_TARGETS];
};

struct forward {
	_Atomic(struct forward_table *) table; /* NULL when there is no target */
	_Atomic unsigned epoch;
	_Atomic unsigned long readers[2];
	pthread_mutex_t lock;                  /* writers */
	_Atomic uint64_t sent;
	_Atomic uint64_t errors;
};

struct forward *forward_new(void)
{
	struct forward *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return NULL;
	pthread_mutex_init(&fw->lock, NULL);
	return fw;
}

static void target_free(struct forward_target *t)
{
	if (!t)
		return;
	if (t->fd != -1)
		close(t->fd);
	free(t->agents);
	free(t);
}

void forward_free(struct forward *fw)
{
	struct forward_table *tb;

	if (!fw)
		return;
	tb = atomic_load(&fw->table);
	for (size_t i = 0; tb && i < tb->n; i++)
		target_free(tb->t[i]);
	free(tb);
	pthread_mutex_destroy(&fw->lock);
	free(fw);
}

static bool agent_wanted(const struct forward_target *t, const struct sfl_address *a)
{
	size_t alen = a->type == SFL_ADDR_IP6 ? 16 : 4;

	if (t->nagents == 0)
		return true;
	for (size_t i = 0; i < t->nagents; i++)
		if (t->agents[i].type == a->type && memcmp(t->agents[i].addr, a->addr, alen) == 0)
			return true;
	return false;
}

void forward_datagram(struct forward *fw, const uint8_t *buf, size_t len,
		      const struct sfl_address *agent)
{
	struct forward_table *tb;
	unsigned e;

	if (!fw || !atomic_load_explicit(&fw->table, memory_order_relaxed))
		return;
	e = atomic_load(&fw->epoch) & 1;
	atomic_fetch_add(&fw->readers[e], 1);
	tb = atomic_load(&fw->table);
	for (size_t i = 0; tb && i < tb->n; i++) {
		const struct forward_target *t = tb->t[i];

		if (!agent_wanted(t, agent))
			continue;
		if (sendto(t->fd, buf, len, MSG_DONTWAIT, (const struct sockaddr *)&t->dst,
			   t->dst_len) == (ssize_t)len)
			atomic_fetch_add_explicit(&fw->sent, 1, memory_order_relaxed);
		else
			atomic_fetch_add_explicit(&fw->errors, 1, memory_order_relaxed);
	}
	atomic_fetch_sub(&fw->readers[e], 1);
}

void forward_get_counts(struct forward *fw, uint64_t *sent, uint64_t *errors)
{
	*sent = atomic_load_explicit(&fw->sent, memory_order_relaxed);
	*errors = atomic_load_explicit(&fw->errors, memory_order_relaxed);
}

/* Wait until no reader can still hold a table replaced before the call. */
static void forward_synchronize(struct forward *fw)
{
	for (int phase = 0; phase < 2; phase++) {
		unsigned old = atomic_fetch_add(&fw->epoch, 1) & 1;

		while (atomic_load(&fw->readers[old]) != 0)
			sched_yield();
	}
}

/* Publish `next` (NULL when empty), then free the old table and `gone`. */
static void forward_publish(struct forward *fw, struct forward_table *next,
			    struct forward_target *gone)
{
	struct forward_table *old;

	if (next && next->n == 0) {
		free(next);
		next = NULL;
	}
	old = atomic_exchange(&fw->table, next);
	forward_synchronize(fw);
	free(old);
	target_free(gone);
}

/* A copy of the current table (writers only, under fw->lock). */
static struct forward_table *table_copy(struct forward *fw)
{
	struct forward_table *cur = atomic_load(&fw->table);
	struct forward_table *tb = calloc(1, sizeof(*tb));

	if (tb && cur)
		*tb = *cur;
	return tb;
}

static size_t table_find(const struct forward_table *tb, const char *name)
{
	size_t i;

	for (i = 0; tb && i < tb->n; i++)
		if (strcmp(tb->t[i]->name, name) == 0)
			break;
	return i;
}

/* An IPv4 or IPv6 literal; false for anything else (names included). */
static bool parse_ip(const char *s, struct sfl_address *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->type = SFL_ADDR_IP4;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->type = SFL_ADDR_IP6;
		return true;
	}
	return false;
}

static int parse_address(struct forward_target *t, const cJSON *body, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(body, "address");
	struct sfl_address a;

	if (!j) {
		snprintf(err, errlen, "address: required");
		return -1;
	}
	if (!cJSON_IsString(j) || !parse_ip(j->valuestring, &a)) {
		snprintf(err, errlen, "address: must be an IPv4 or IPv6 address string");
		return -1;
	}
	if (a.type == SFL_ADDR_IP4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&t->dst;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a.addr, 4);
		t->dst_len = sizeof(*s4);
		inet_ntop(AF_INET, a.addr, t->address, sizeof(t->address));
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->dst;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a.addr, 16);
		t->dst_len = sizeof(*s6);
		inet_ntop(AF_INET6, a.addr, t->address, sizeof(t->address));
	}
	return 0;
}

static int parse_port(struct forward_target *t, const cJSON *body, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(body, "port");
	double v;

	t->port = FORWARD_DEFAULT_PORT;
	if (!j || cJSON_IsNull(j))
		return 0;
	v = cJSON_IsNumber(j) ? j->valuedouble : -1;
	if (v < 1 || v > 65535 || v != (double)(long)v) {
		snprintf(err, errlen, "port: must be an integer from 1 to 65535");
		return -1;
	}
	t->port = (uint16_t)v;
	/* sin_port and sin6_port sit at the same offset */
	((struct sockaddr_in *)&t->dst)->sin_port = htons(t->port);
	return 0;
}

static int parse_agents(struct forward_target *t, const cJSON *body, char *err, size_t errlen)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(body, "agents");
	const cJSON *e;
	int n;

	if (!j || cJSON_IsNull(j))
		return 0;
	n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
	if (n < 0 || n > FORWARD_MAX_AGENTS) {
		snprintf(err, errlen, "agents: must be an array of at most %d IP address strings",
			 FORWARD_MAX_AGENTS);
		return -1;
	}
	t->agents = calloc((size_t)n + 1, sizeof(*t->agents));
	if (!t->agents) {
		snprintf(err, errlen, "agents: out of memory");
		return -1;
	}
	cJSON_ArrayForEach(e, j) {
		if (!cJSON_IsString(e) || !parse_ip(e->valuestring, &t->agents[t->nagents])) {
			snprintf(err, errlen, "agents[%zu]: must be an IPv4 or IPv6 address string",
				 t->nagents);
			return -1;
		}
		t->nagents++;
	}
	return 0;
}

/* A target from a Forwarding body, with its socket; NULL with err set. */
static struct forward_target *target_parse(const char *name, const cJSON *body, char *err,
					   size_t errlen)
{
	struct forward_target *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = -1;
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (!cJSON_IsObject(body)) {
		snprintf(err, errlen, "body: must be a JSON object {address, port, agents}");
		goto fail;
	}
	if (parse_address(t, body, err, errlen) == -1 || parse_port(t, body, err, errlen) == -1 ||
	    parse_agents(t, body, err, errlen) == -1)
		goto fail;
	t->fd = socket(t->dst.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		goto fail;
	}
	return t;
fail:
	target_free(t);
	return NULL;
}

int forward_set(struct forward *fw, const char *name, const cJSON *body, char *err,
		size_t errlen)
{
	struct forward_target *t, *gone = NULL;
	struct forward_table *tb;
	size_t i;

	if (!name || !*name || strlen(name) > FORWARD_NAME_MAX) {
		snprintf(err, errlen, "name: must be 1 to %d bytes", FORWARD_NAME_MAX);
		return -1;
	}
	t = target_parse(name, body, err, errlen);
	if (!t)
		return -1;
	pthread_mutex_lock(&fw->lock);
	tb = table_copy(fw);
	i = table_find(tb, name);
	if (!tb || i == FORWARD_MAX_TARGETS) {
		snprintf(err, errlen, tb ? "too many forwarding targets (at most %d)" : "out of memory",
			 FORWARD_MAX_TARGETS);
		pthread_mutex_unlock(&fw->lock);
		free(tb);
		target_free(t);
		return -1;
	}
	if (i < tb->n)
		gone = tb->t[i];
	else
		tb->n++;
	tb->t[i] = t;
	forward_publish(fw, tb, gone);
	pthread_mutex_unlock(&fw->lock);
	return 0;
}

int forward_delete(struct forward *fw, const char *name)
{
	struct forward_table *tb;
	struct forward_target *gone;
	size_t i;

	pthread_mutex_lock(&fw->lock);
	tb = table_copy(fw);
	i = table_find(tb, name);
	if (!tb || i == tb->n) {
		pthread_mutex_unlock(&fw->lock);
		free(tb);
		return -1;
	}
	gone = tb->t[i];
	for (; i + 1 < tb->n; i++)
		tb->t[i] = tb->t[i + 1];
	tb->n--;
	forward_publish(fw, tb, gone);
	pthread_mutex_unlock(&fw->lock);
	return 0;
}

static cJSON *target_json(const struct forward_target *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *agents;
	char buf[INET6_ADDRSTRLEN];

	cJSON_AddStringToObject(o, "address", t->address);
	cJSON_AddNumberToObject(o, "port", t->port);
	agents = cJSON_AddArrayToObject(o, "agents");
	for (size_t i = 0; i < t->nagents; i++) {
		int af = t->agents[i].type == SFL_ADDR_IP6 ? AF_INET6 : AF_INET;

		inet_ntop(af, t->agents[i].addr, buf, sizeof(buf));
		cJSON_AddItemToArray(agents, cJSON_CreateString(buf));
	}
	return o;
}

/* The table is read under the writers' lock: no grace period needed. */
cJSON *forward_get_json(struct forward *fw, const char *name)
{
	struct forward_table *tb;
	cJSON *o = NULL;
	size_t i;

	pthread_mutex_lock(&fw->lock);
	tb = atomic_load(&fw->table);
	i = table_find(tb, name);
	if (tb && i < tb->n)
		o = target_json(tb->t[i]);
	pthread_mutex_unlock(&fw->lock);
	return o;
}

cJSON *forward_list_json(struct forward *fw)
{
	struct forward_table *tb;
	cJSON *o = cJSON_CreateObject();

	pthread_mutex_lock(&fw->lock);
	tb = atomic_load(&fw->table);
	for (size_t i = 0; tb && i < tb->n; i++)
		cJSON_AddItemToObject(o, tb->t[i]->name, target_json(tb->t[i]));
	pthread_mutex_unlock(&fw->lock);
	return o;
}
