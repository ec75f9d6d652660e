/*
 * tests/unit/agent_sender_test.c: agent/sender.c on real loopback sockets:
 * the datagrams a collector receives decode with sflow/decode.h, carry the
 * configured agent address and sub-agent id, consecutive sequence numbers
 * and every sample; a full datagram is sent and the sample starts the
 * next; a sample bigger than a datagram is dropped and counted; a reload
 * moves output to the new collector without restarting the sequence; a
 * collector that cannot be opened fails sender_new with a reason.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/config.h"
#include "agent/sender.h"
#include "sflow/decode.h"
#include "sflow/sflow.h"
#include "tests/lib/test.h"

/* A UDP socket on 127.0.0.1, any port; *port gets the port. */
static int collector_socket(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*port = ntohs(a.sin_port);
	return fd;
}

static struct agent_config *config_for(uint16_t port, const char *extra)
{
	char text[512];
	char *err = NULL;
	struct agent_config *c;

	snprintf(text, sizeof(text),
		 "sflow {\n agentIP = 192.0.2.7\n subAgentId = 42\n %s\n"
		 " collector { ip = 127.0.0.1\n udpport = %u }\n}\n",
		 extra, (unsigned)port);
	c = agent_config_parse(text, strlen(text), "test.conf", &err);
	if (!c)
		printf("  config: %s\n", err);
	free(err);
	return c;
}

/* One counters sample of source 2:<index> with one host_udp record whose
 * in_datagrams is `mark`, and `pad` unknown 0:9999 records of 64 bytes. */
static void add_sample(struct sender *s, uint32_t seq, uint32_t mark, size_t pad, int want)
{
	static const uint8_t zeros[64];
	struct sfl_record recs[32] = { 0 };
	struct sfl_sample hdr = { .tag = SFL_SAMPLE_COUNTERS, .seq = seq, .ds_class = 2,
				  .ds_index = 1 };

	recs[0].tag = SFL_CTR_HOST_UDP;
	recs[0].kind = SFL_KIND_COUNTERS;
	recs[0].known = true;
	recs[0].v.host_udp.in_datagrams = mark;
	for (size_t i = 1; i <= pad && i < 32; i++) {
		recs[i].tag = SFL_TAG(0, 9999);
		recs[i].kind = SFL_KIND_COUNTERS;
		recs[i].body = zeros;
		recs[i].len = sizeof(zeros);
	}
	CHECK_EQ_U64(sender_add_sample(s, &hdr, recs, pad + 1, 1000) + 1, want + 1);
}

struct got {
	uint32_t seq, sub_agent, uptime_ms, len;
	uint8_t agent[4];
	uint32_t marks[16]; /* in_datagrams of each sample's host_udp */
	uint32_t n;
};

/* Receive and decode one datagram. 0, or -1 when none came in 200 ms. */
static int receive(int fd, struct got *g)
{
	uint8_t buf[9000];
	struct sfl_datagram dg;
	struct sfl_sample s;
	struct sfl_record r;
	ssize_t len = recv(fd, buf, sizeof(buf), 0);

	memset(g, 0, sizeof(*g));
	if (len <= 0 || sfl_datagram_init(&dg, buf, (size_t)len) == -1)
		return -1;
	g->seq = dg.seq;
	g->sub_agent = dg.sub_agent_id;
	g->uptime_ms = dg.uptime_ms;
	g->len = (uint32_t)len;
	memcpy(g->agent, dg.agent.addr, 4);
	while (sfl_datagram_next_sample(&dg, &s)) {
		while (sfl_sample_next_record(&s, &r)) {
			if (r.tag == SFL_CTR_HOST_UDP && g->n < 16)
				g->marks[g->n++] = r.v.host_udp.in_datagrams;
		}
	}
	return dg.err.code == SFL_ERR_NONE ? 0 : -1;
}

TEST(datagram_header_and_samples_decode)
{
	static const uint8_t agent[4] = { 192, 0, 2, 7 };
	uint16_t port;
	int fd = collector_socket(&port);
	struct agent_config *c = config_for(port, "");
	char *err = NULL;
	struct sender *s = sender_new(c, 500, &err);
	struct got g;

	CHECK(s != NULL);
	add_sample(s, 1, 11, 0, 0);
	add_sample(s, 2, 12, 0, 0);
	sender_flush(s, 1750);
	sender_flush(s, 1800); /* nothing open: nothing sent */
	CHECK(receive(fd, &g) == 0);
	CHECK_EQ_U64(g.seq, 1);
	CHECK_EQ_U64(g.sub_agent, 42);
	CHECK_EQ_U64(g.uptime_ms, 1250);
	CHECK_MEM(g.agent, agent, 4);
	CHECK_EQ_U64(g.n, 2);
	CHECK_EQ_U64(g.marks[0], 11);
	CHECK_EQ_U64(g.marks[1], 12);
	CHECK(receive(fd, &g) == -1);
	add_sample(s, 3, 13, 0, 0);
	sender_free(s, 2000); /* flushes */
	CHECK(receive(fd, &g) == 0);
	CHECK_EQ_U64(g.seq, 2);
	CHECK_EQ_U64(g.marks[0], 13);
	agent_config_free(c);
	close(fd);
}

TEST(full_datagram_is_sent_and_oversize_sample_dropped)
{
	uint16_t port;
	int fd = collector_socket(&port);
	struct agent_config *c = config_for(port, "datagramBytes = 450");
	char *err = NULL;
	struct sender *s = sender_new(c, 0, &err);
	struct got g;
	uint32_t total = 0, seq = 0;

	/* Each sample: 20 header + 8+28 udp + 2 x (8+64) pad = 200 bytes, two
	 * fit behind the 28-byte datagram header. */
	for (uint32_t i = 0; i < 5; i++)
		add_sample(s, i + 1, 100 + i, 2, 0);
	add_sample(s, 6, 999, 6, -1); /* 488 bytes: never fits */
	sender_flush(s, 10);
	while (receive(fd, &g) == 0) {
		CHECK(g.len <= 450);
		CHECK_EQ_U64(g.seq, ++seq);
		for (uint32_t i = 0; i < g.n; i++)
			CHECK_EQ_U64(g.marks[i], 100 + total + i);
		total += g.n;
	}
	CHECK_EQ_U64(total, 5);
	CHECK_EQ_U64(seq, 3);
	CHECK_EQ_U64(s->stats.datagrams, 3);
	CHECK_EQ_U64(s->stats.samples, 5);
	CHECK_EQ_U64(s->stats.dropped_samples, 1);
	sender_free(s, 20);
	agent_config_free(c);
	close(fd);
}

TEST(reconfigure_moves_output_and_keeps_the_sequence)
{
	uint16_t p1, p2;
	int fd1 = collector_socket(&p1), fd2 = collector_socket(&p2);
	struct agent_config *c1 = config_for(p1, ""), *c2 = config_for(p2, "subAgentId = 9");
	char *err = NULL;
	struct sender *s = sender_new(c1, 0, &err);
	struct got g;

	add_sample(s, 1, 1, 0, 0);
	CHECK(sender_reconfigure(s, c2, 5, &err) == 0);
	CHECK(receive(fd1, &g) == 0); /* the open datagram went to the old one */
	CHECK_EQ_U64(g.seq, 1);
	add_sample(s, 2, 2, 0, 0);
	sender_flush(s, 6);
	CHECK(receive(fd2, &g) == 0);
	CHECK_EQ_U64(g.seq, 2);
	CHECK_EQ_U64(g.sub_agent, 9);
	CHECK(receive(fd1, &g) == -1);
	sender_free(s, 7);
	agent_config_free(c1);
	agent_config_free(c2);
	close(fd1);
	close(fd2);
}

TEST(unopenable_collector_fails_with_a_reason)
{
	struct agent_config *c = config_for(6343, "");
	struct agent_config *bad;
	char text[] = "sflow {\n collector { ip = 127.0.0.1\n namespace = nowhere }\n}\n";
	char *err = NULL;
	struct sender *s;

	bad = agent_config_parse(text, strlen(text), "t", &err);
	CHECK(bad != NULL);
	s = sender_new(bad, 0, &err);
	CHECK(s == NULL);
	CHECK(err && strstr(err, "namespace=nowhere: open /var/run/netns/nowhere") != NULL);
	free(err);
	err = NULL;
	s = sender_new(c, 0, &err);
	CHECK(s != NULL);
	CHECK(sender_reconfigure(s, bad, 0, &err) == -1);
	CHECK_EQ_U64(s->collector_count, 1);
	free(err);
	sender_free(s, 0);
	agent_config_free(bad);
	agent_config_free(c);
}

TEST(agent_address_is_agentip_else_a_host_address)
{
	struct agent_config *c = config_for(6343, "");
	char text[] = "sflow {\n collector { ip = 127.0.0.1 }\n}\n";
	struct agent_config *plain = agent_config_parse(text, strlen(text), "t", NULL);
	struct sfl_address a;

	CHECK(sender_pick_agent_address(c, &a) == 0);
	CHECK_EQ_U64(a.type, SFL_ADDR_IP4);
	CHECK_EQ_U64(a.addr[0], 192);
	CHECK(sender_pick_agent_address(plain, &a) == 0);
	CHECK(a.type == SFL_ADDR_IP4 || a.type == SFL_ADDR_IP6);
	agent_config_free(c);
	agent_config_free(plain);
}

TEST_MAIN(TEST_ENTRY(datagram_header_and_samples_decode),
	  TEST_ENTRY(full_datagram_is_sent_and_oversize_sample_dropped),
	  TEST_ENTRY(reconfigure_moves_output_and_keeps_the_sequence),
	  TEST_ENTRY(unopenable_collector_fails_with_a_reason),
	  TEST_ENTRY(agent_address_is_agentip_else_a_host_address))
