/*
 * tests/bench/tools/sflow_blast.c: sends the sFlow datagrams of capture
 * files to a UDP port as fast as one core can (or at -R datagrams/s),
 * with sendmmsg batches of 64, for tests/bench/ingest.sh.
 *
 *   sflow_blast -d ADDR -p PORT -n COUNT [-R RATE] [-a AGENTS] FILE.pcap...
 *
 * The payloads of every file are loaded once and sent round-robin. With
 * -a N, the IPv4 agent address of each copy is rewritten to one of N
 * agents (10.77.x.y), so a sharded receiver sees several owners. Prints
 * one line: "sent N datagrams B bytes in S s: R datagrams/s".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/capture.h"

#define BLAST_BATCH 64
#define BLAST_MAX_PAYLOADS 100000
#define BLAST_MAX_BYTES 2048

struct payloads {
	size_t n;
	uint16_t *len;
	uint8_t (*buf)[BLAST_MAX_BYTES];
};

static int load(struct payloads *p, const char *file)
{
	char err[512];
	struct capture *c = capture_open(file, err, sizeof(err));
	struct capture_meta m;
	const uint8_t *d;
	size_t len;
	enum capture_status st;

	if (!c) {
		fprintf(stderr, "sflow_blast: %s\n", err);
		return -1;
	}
	while ((st = capture_next(c, &d, &len, &m)) != CAPTURE_END && st != CAPTURE_ERROR) {
		if (st != CAPTURE_DATAGRAM || len > BLAST_MAX_BYTES || len < 28 ||
		    p->n == BLAST_MAX_PAYLOADS)
			continue;
		memcpy(p->buf[p->n], d, len);
		p->len[p->n++] = (uint16_t)len;
	}
	capture_close(c);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static socklen_t parse_dst(const char *addr, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1 ? sizeof(*s6) : 0;
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, addr, &((struct sockaddr_in *)ss)->sin_addr) == 1
		       ? sizeof(struct sockaddr_in)
		       : 0;
}

/* Copies of the payloads, one per agent, so nothing is rewritten per send. */
static int replicate(struct payloads *p, unsigned agents)
{
	size_t n = p->n;

	if (agents <= 1)
		return 0;
	if (n * agents > BLAST_MAX_PAYLOADS)
		agents = (unsigned)(BLAST_MAX_PAYLOADS / n);
	for (unsigned a = 1; a < agents; a++) {
		for (size_t i = 0; i < n; i++) {
			uint8_t *b = p->buf[p->n];

			memcpy(b, p->buf[i], p->len[i]);
			p->len[p->n] = p->len[i];
			if (b[7] == 1) { /* IPv4 agent */
				b[8] = 10, b[9] = 77, b[10] = (uint8_t)(a >> 8), b[11] = (uint8_t)a;
			}
			p->n++;
		}
	}
	return 0;
}

static unsigned long long blast(int fd, const struct payloads *p, unsigned long long count,
				double rate, unsigned long long *bytes)
{
	struct mmsghdr msgs[BLAST_BATCH];
	struct iovec iov[BLAST_BATCH];
	unsigned long long sent = 0;
	size_t next = 0;
	double t0 = now_s();

	memset(msgs, 0, sizeof(msgs));
	while (sent < count) {
		unsigned k = count - sent < BLAST_BATCH ? (unsigned)(count - sent) : BLAST_BATCH;
		int r;

		for (unsigned i = 0; i < k; i++, next = (next + 1) % p->n) {
			iov[i].iov_base = p->buf[next];
			iov[i].iov_len = p->len[next];
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(fd, msgs, k, 0);
		if (r == -1 && errno != EINTR && errno != ENOBUFS && errno != EAGAIN) {
			perror("sflow_blast: sendmmsg");
			break;
		}
		for (int i = 0; i < r; i++)
			*bytes += msgs[i].msg_len;
		sent += r > 0 ? (unsigned long long)r : 0;
		while (rate > 0 && now_s() < t0 + (double)sent / rate)
			;
	}
	return sent;
}

int main(int argc, char **argv)
{
	const char *dst = "127.0.0.1";
	int port = 6343, opt, fd;
	unsigned long long count = 1000000, sent, bytes = 0;
	unsigned agents = 1;
	double rate = 0, t0, t;
	struct payloads p = { 0 };
	struct sockaddr_storage ss;
	socklen_t sl;

	while ((opt = getopt(argc, argv, "d:p:n:R:a:")) != -1) {
		if (opt == 'd')
			dst = optarg;
		else if (opt == 'p')
			port = (int)strtol(optarg, NULL, 10);
		else if (opt == 'n')
			count = strtoull(optarg, NULL, 10);
		else if (opt == 'R')
			rate = strtod(optarg, NULL);
		else if (opt == 'a')
			agents = (unsigned)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	p.len = calloc(BLAST_MAX_PAYLOADS, sizeof(*p.len));
	p.buf = calloc(BLAST_MAX_PAYLOADS, sizeof(*p.buf));
	if (!p.len || !p.buf)
		return 1;
	for (int i = optind; i < argc; i++)
		if (load(&p, argv[i]) == -1)
			return 1;
	sl = parse_dst(dst, port, &ss);
	if (p.n == 0 || sl == 0) {
		fprintf(stderr, "usage: sflow_blast -d ADDR -p PORT -n COUNT [-R RATE] [-a N] FILE...\n");
		return 2;
	}
	replicate(&p, agents);
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&ss, sl) == -1) {
		perror("sflow_blast: socket");
		return 1;
	}
	t0 = now_s();
	sent = blast(fd, &p, count, rate, &bytes);
	t = now_s() - t0;
	printf("sent %llu datagrams %llu bytes in %.3f s: %.0f datagrams/s\n", sent, bytes, t,
	       (double)sent / t);
	return 0;
}
