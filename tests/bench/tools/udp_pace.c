/*
 * tests/bench/tools/udp_pace.c: a paced UDP generator for the agent
 * benchmarks: COUNT_PER_S datagrams a second of PAYLOAD bytes from SRC to
 * DST:PORT for SECONDS, in sendmmsg() batches of BATCH on an absolute
 * CLOCK_MONOTONIC schedule (a late batch is sent at once, so the average
 * rate holds while the machine is busy). Prints "sent N in S s (R/s)".
 *
 * usage: udp_pace SRC DST PORT COUNT_PER_S SECONDS [PAYLOAD]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 50
#define MAX_PAYLOAD 1472

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_addr(const char *ip, unsigned port, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, ip, &a->sin_addr) == 1 ? 0 : -1;
}

static void sleep_until(uint64_t t_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(t_ns / 1000000000u),
			       .tv_nsec = (long)(t_ns % 1000000000u) };

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int main(int argc, char **argv)
{
	static char payload[MAX_PAYLOAD];
	struct sockaddr_in src, dst;
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { .iov_base = payload };
	uint64_t rate, secs, sent = 0, total, start, t;
	int fd;

	if (argc < 6 || parse_addr(argv[1], 0, &src) == -1 ||
	    parse_addr(argv[2], (unsigned)atoi(argv[3]), &dst) == -1) {
		fprintf(stderr, "usage: %s SRC DST PORT COUNT_PER_S SECONDS [PAYLOAD]\n", argv[0]);
		return 2;
	}
	rate = strtoull(argv[4], NULL, 10);
	secs = strtoull(argv[5], NULL, 10);
	iov.iov_len = argc > 6 ? (size_t)atoi(argv[6]) : 18; /* 18: 64-byte frames with FCS */
	if (rate == 0 || iov.iov_len > MAX_PAYLOAD)
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1) {
		perror("socket/bind");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst);
	}
	total = rate * secs;
	start = now_ns();
	while (sent < total) {
		unsigned n = total - sent < BATCH ? (unsigned)(total - sent) : BATCH;
		int r;

		t = start + sent * 1000000000u / rate;
		if (t > now_ns())
			sleep_until(t);
		r = sendmmsg(fd, msgs, n, 0);
		if (r > 0)
			sent += (uint64_t)r;
	}
	t = now_ns() - start;
	printf("sent %llu in %.3f s (%.0f/s)\n", (unsigned long long)sent, (double)t / 1e9,
	       (double)sent * 1e9 / (double)t);
	return 0;
}
