/*
 * tests/unit/forward_test.c: forwarding targets (analyzer/forward.c).
 *
 * The JSON body checks as a table of {body, accepted, error text or the
 * target read back}; re-sending on loopback, where receiving sockets must
 * get the exact bytes, only for the agents a target lists; replace and
 * delete; the target cap; and targets changed while other threads forward
 * (no datagram to a deleted target's socket after forward_delete returns,
 * none lost for a target that stays).
 */
#include "analyzer/forward.h"
#include "tests/lib/test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct body_case {
	const char *body;
	const char *error;      /* NULL: accepted */
	const char *read_back;  /* forward_get_json, printed unformatted */
};

static const struct body_case body_cases[] = {
	{ "{\"address\":\"10.0.0.1\"}", NULL,
	  "{\"address\":\"10.0.0.1\",\"port\":6343,\"agents\":[]}" },
	{ "{\"address\":\"2001:DB8:0:0::1\",\"port\":9999,\"agents\":[\"10.1.1.1\",\"fe80::1\"]}",
	  NULL,
	  "{\"address\":\"2001:db8::1\",\"port\":9999,\"agents\":[\"10.1.1.1\",\"fe80::1\"]}" },
	{ "{\"address\":\"127.0.0.1\",\"port\":1,\"agents\":null}", NULL,
	  "{\"address\":\"127.0.0.1\",\"port\":1,\"agents\":[]}" },
	{ "{\"address\":\"127.0.0.1\",\"port\":65535}", NULL,
	  "{\"address\":\"127.0.0.1\",\"port\":65535,\"agents\":[]}" },
	{ "{}", "address: required", NULL },
	{ "{\"port\":6343}", "address: required", NULL },
	{ "[]", "body: must be a JSON object", NULL },
	{ "\"10.0.0.1\"", "body: must be a JSON object", NULL },
	{ "{\"address\":\"collector.example\"}", "address: must be an IPv4 or IPv6", NULL },
	{ "{\"address\":\"10.0.0.256\"}", "address: must be an IPv4 or IPv6", NULL },
	{ "{\"address\":\"\"}", "address: must be an IPv4 or IPv6", NULL },
	{ "{\"address\":10}", "address: must be an IPv4 or IPv6", NULL },
	{ "{\"address\":\"10.0.0.1\",\"port\":0}", "port: must be an integer from 1 to 65535", NULL },
	{ "{\"address\":\"10.0.0.1\",\"port\":65536}", "port: must be an integer", NULL },
	{ "{\"address\":\"10.0.0.1\",\"port\":-5}", "port: must be an integer", NULL },
	{ "{\"address\":\"10.0.0.1\",\"port\":63.5}", "port: must be an integer", NULL },
	{ "{\"address\":\"10.0.0.1\",\"port\":\"6343\"}", "port: must be an integer", NULL },
	{ "{\"address\":\"10.0.0.1\",\"agents\":\"10.0.0.2\"}", "agents: must be an array", NULL },
	{ "{\"address\":\"10.0.0.1\",\"agents\":[\"10.0.0.2\",7]}",
	  "agents[1]: must be an IPv4 or IPv6 address string", NULL },
	{ "{\"address\":\"10.0.0.1\",\"agents\":[\"10.0.0.0/8\"]}",
	  "agents[0]: must be an IPv4 or IPv6 address string", NULL },
};

TEST(body_validation_table)
{
	struct forward *fw = forward_new();

	for (size_t i = 0; i < sizeof(body_cases) / sizeof(body_cases[0]); i++) {
		const struct body_case *c = &body_cases[i];
		cJSON *body = cJSON_Parse(c->body), *got;
		char err[256] = "";
		int rc = forward_set(fw, "t", body, err, sizeof(err));

		if ((rc == 0) != (c->error == NULL) || (c->error && !strstr(err, c->error)))
			printf("  case %s: rc %d, err \"%s\"\n", c->body, rc, err);
		CHECK((rc == 0) == (c->error == NULL));
		if (c->error) {
			CHECK(strstr(err, c->error) != NULL);
		} else {
			char *s;

			got = forward_get_json(fw, "t");
			s = got ? cJSON_PrintUnformatted(got) : NULL;
			CHECK_EQ_STR(s, c->read_back);
			free(s);
			cJSON_Delete(got);
			CHECK(forward_delete(fw, "t") == 0);
		}
		cJSON_Delete(body);
	}
	forward_free(fw);
}

TEST(names_and_cap)
{
	struct forward *fw = forward_new();
	cJSON *body = cJSON_Parse("{\"address\":\"127.0.0.1\"}");
	char err[256] = "", name[300], *s;
	cJSON *list;
	int ok = 0;

	CHECK(forward_set(fw, "", body, err, sizeof(err)) == -1);
	memset(name, 'n', 200);
	name[200] = 0;
	CHECK(forward_set(fw, name, body, err, sizeof(err)) == -1);
	CHECK(strstr(err, "name:") != NULL);
	for (int i = 0; i < FORWARD_MAX_TARGETS + 1; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		ok += forward_set(fw, name, body, err, sizeof(err)) == 0;
	}
	CHECK_EQ_U64(ok, FORWARD_MAX_TARGETS);
	CHECK(strstr(err, "too many forwarding targets") != NULL);
	CHECK(forward_set(fw, "t0", body, err, sizeof(err)) == 0); /* replacing is fine */
	list = forward_list_json(fw);
	CHECK_EQ_U64(cJSON_GetArraySize(list), FORWARD_MAX_TARGETS);
	s = cJSON_PrintUnformatted(cJSON_GetObjectItem(list, "t5"));
	CHECK_EQ_STR(s, "{\"address\":\"127.0.0.1\",\"port\":6343,\"agents\":[]}");
	free(s);
	cJSON_Delete(list);
	CHECK(forward_delete(fw, "nope") == -1);
	CHECK(forward_get_json(fw, "nope") == NULL);
	cJSON_Delete(body);
	forward_free(fw);
	forward_free(NULL);
}

/* A UDP receiver on loopback with a large buffer; its port in *port. */
static int receiver(const char *addr, uint16_t *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int big = 8 << 20, fd;

	if (strchr(addr, ':')) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr);
		sl = sizeof(struct sockaddr_in6);
	} else {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr);
		sl = sizeof(struct sockaddr_in);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1)
		return -1;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* The next datagram within 1 s: its length, or -1. */
static ssize_t receive(int fd, uint8_t *buf, size_t size, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	return recv(fd, buf, size, MSG_DONTWAIT);
}

static void set_target(struct forward *fw, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_target(struct forward *fw, const char *name, const char *fmt, ...)
{
	char json[512], err[256] = "";
	cJSON *body;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(json, sizeof(json), fmt, ap);
	va_end(ap);
	body = cJSON_Parse(json);
	if (forward_set(fw, name, body, err, sizeof(err)) == -1)
		printf("  forward_set %s: %s\n", json, err);
	cJSON_Delete(body);
}

static struct sfl_address agent(const char *s)
{
	struct sfl_address a = { 0 };

	if (inet_pton(AF_INET, s, a.addr) == 1)
		a.type = 1;
	else if (inet_pton(AF_INET6, s, a.addr) == 1)
		a.type = 2;
	return a;
}

TEST(resends_exact_bytes_to_wanted_agents)
{
	struct forward *fw = forward_new();
	uint16_t p4, p6;
	int r4 = receiver("127.0.0.1", &p4), r6 = receiver("::1", &p6);
	uint8_t a[100], b[1400], got[2048];
	struct sfl_address ag7 = agent("10.0.0.7"), ag8 = agent("10.0.0.8");
	struct sfl_address ag6 = agent("2001:db8::7"), ag6b = agent("2001:db8::8");
	uint64_t sent, errors;

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 7 + 3);
	memcpy(a, b + 50, sizeof(a));
	forward_datagram(fw, a, sizeof(a), &ag7); /* no targets: nothing */
	set_target(fw, "all", "{\"address\":\"127.0.0.1\",\"port\":%u}", p4);
	set_target(fw, "some", "{\"address\":\"::1\",\"port\":%u,\"agents\":[\"10.0.0.7\","
		   "\"2001:db8::7\"]}", p6);
	forward_datagram(fw, a, sizeof(a), &ag7);
	forward_datagram(fw, b, sizeof(b), &ag8);
	forward_datagram(fw, b, sizeof(b), &ag6);
	forward_datagram(fw, a, sizeof(a), &ag6b);
	CHECK_EQ_U64(receive(r4, got, sizeof(got), 1000), sizeof(a));
	CHECK_MEM(got, a, sizeof(a));
	CHECK_EQ_U64(receive(r4, got, sizeof(got), 1000), sizeof(b));
	CHECK_MEM(got, b, sizeof(b));
	CHECK_EQ_U64(receive(r4, got, sizeof(got), 1000), sizeof(b));
	CHECK_EQ_U64(receive(r4, got, sizeof(got), 1000), sizeof(a));
	CHECK_EQ_U64(receive(r6, got, sizeof(got), 1000), sizeof(a)); /* 10.0.0.7 */
	CHECK_MEM(got, a, sizeof(a));
	CHECK_EQ_U64(receive(r6, got, sizeof(got), 1000), sizeof(b)); /* 2001:db8::7 */
	CHECK_MEM(got, b, sizeof(b));
	CHECK(receive(r6, got, sizeof(got), 100) == -1);              /* not 10.0.0.8, ::8 */
	forward_get_counts(fw, &sent, &errors);
	CHECK_EQ_U64(sent, 6);
	CHECK_EQ_U64(errors, 0);
	CHECK(forward_delete(fw, "all") == 0);
	forward_datagram(fw, a, sizeof(a), &ag7);
	CHECK(receive(r4, got, sizeof(got), 100) == -1);
	CHECK_EQ_U64(receive(r6, got, sizeof(got), 1000), sizeof(a));
	set_target(fw, "some", "{\"address\":\"127.0.0.1\",\"port\":%u}", p4); /* replaced */
	forward_datagram(fw, b, sizeof(b), &ag8);
	CHECK_EQ_U64(receive(r4, got, sizeof(got), 1000), sizeof(b));
	CHECK(receive(r6, got, sizeof(got), 100) == -1);
	close(r4);
	close(r6);
	forward_free(fw);
}

#define FORWARDERS 2
#define PER_FORWARDER 20000

struct churn {
	struct forward *fw;
	int fd;
	_Atomic uint64_t received;
	_Atomic bool stop;
};

static void *forwarder(void *arg)
{
	struct churn *c = arg;
	struct sfl_address a = agent("10.9.9.9");
	uint8_t buf[64] = { 5 };

	for (uint32_t i = 0; i < PER_FORWARDER; i++) {
		memcpy(buf + 8, &i, sizeof(i));
		forward_datagram(c->fw, buf, sizeof(buf), &a);
		if (i % 256 == 0)
			usleep(100); /* let the receiver keep up */
	}
	return NULL;
}

static void *counter(void *arg)
{
	struct churn *c = arg;
	uint8_t buf[128];

	while (receive(c->fd, buf, sizeof(buf), 500) > 0 || !atomic_load(&c->stop))
		atomic_fetch_add(&c->received, 1);
	return NULL;
}

TEST(targets_change_while_forwarding)
{
	struct churn c = { .fw = forward_new() };
	uint16_t p4, p6;
	int r6 = receiver("::1", &p6);
	pthread_t f[FORWARDERS], cnt;
	uint64_t sent, errors;

	c.fd = receiver("127.0.0.1", &p4);
	set_target(c.fw, "stay", "{\"address\":\"127.0.0.1\",\"port\":%u}", p4);
	pthread_create(&cnt, NULL, counter, &c);
	for (int i = 0; i < FORWARDERS; i++)
		pthread_create(&f[i], NULL, forwarder, &c);
	for (int k = 0; k < 300; k++) {
		set_target(c.fw, "churn", "{\"address\":\"::1\",\"port\":%u,\"agents\":[\"10.9.9.%d\"]}",
			   p6, k % 2 ? 9 : 8);
		if (k % 3 == 0)
			forward_delete(c.fw, "churn");
	}
	for (int i = 0; i < FORWARDERS; i++)
		pthread_join(f[i], NULL);
	atomic_store(&c.stop, true);
	pthread_join(cnt, NULL);
	forward_get_counts(c.fw, &sent, &errors);
	CHECK_EQ_U64(errors, 0);
	CHECK_EQ_U64(atomic_load(&c.received), FORWARDERS * PER_FORWARDER);
	CHECK(sent >= FORWARDERS * PER_FORWARDER);
	close(c.fd);
	close(r6);
	forward_free(c.fw);
}

TEST_MAIN(TEST_ENTRY(body_validation_table), TEST_ENTRY(names_and_cap),
	  TEST_ENTRY(resends_exact_bytes_to_wanted_agents), TEST_ENTRY(targets_change_while_forwarding))
