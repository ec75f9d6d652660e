/*
 * tests/bench/tools/udp_sink.c: the bare receiver of tests/bench/ingest.sh:
 * a dual-stack UDP socket read with recvmmsg batches of 64 into 64 KiB
 * buffers (as the analyzer reads), each datagram counted and its first
 * word touched, nothing else. Sleeps in poll() when the socket is empty.
 *
 *   udp_sink -p PORT [-b RCVBUF_BYTES] [-o COUNT_FILE]
 *
 * About once a second and at SIGTERM the count "datagrams bytes" is
 * written to COUNT_FILE (renamed into place), or printed at exit.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SINK_BATCH 64
#define SINK_BYTES 65536

static volatile sig_atomic_t stop;
static volatile unsigned long long touched; /* keeps the reads of the datagrams */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int sink_socket(int port, int rcvbuf)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	int zero = 0, fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (fd == -1)
		return -1;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void report(const char *path, unsigned long long n, unsigned long long bytes)
{
	FILE *f;
	char tmp[4096];

	if (!path) {
		printf("%llu %llu\n", n, bytes);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%llu %llu\n", n, bytes);
	fclose(f);
	rename(tmp, path);
}

int main(int argc, char **argv)
{
	static uint8_t bufs[SINK_BATCH][SINK_BYTES];
	struct mmsghdr msgs[SINK_BATCH];
	struct iovec iov[SINK_BATCH];
	struct sockaddr_storage src[SINK_BATCH];
	unsigned long long n = 0, bytes = 0;
	const char *out = NULL;
	int port = 6343, rcvbuf = 0, opt, fd;
	time_t last = 0;

	while ((opt = getopt(argc, argv, "p:b:o:")) != -1) {
		if (opt == 'p')
			port = (int)strtol(optarg, NULL, 10);
		else if (opt == 'b')
			rcvbuf = (int)strtol(optarg, NULL, 10);
		else if (opt == 'o')
			out = optarg;
		else
			return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fd = sink_socket(port, rcvbuf);
	if (fd == -1) {
		perror("udp_sink: bind");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < SINK_BATCH; i++) {
		iov[i] = (struct iovec){ bufs[i], SINK_BYTES };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &src[i];
	}
	while (!stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r;

		for (int i = 0; i < SINK_BATCH; i++)
			msgs[i].msg_hdr.msg_namelen = sizeof(src[i]);
		r = recvmmsg(fd, msgs, SINK_BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < r; i++) {
			bytes += msgs[i].msg_len;
			touched += bufs[i][3]; /* read the datagram, as any receiver does */
		}
		n += r > 0 ? (unsigned long long)r : 0;
		if (time(NULL) != last) {
			last = time(NULL);
			report(out, n, bytes);
		}
		if (r < SINK_BATCH)
			poll(&p, 1, 100);
	}
	report(out, n, bytes);
	return 0;
}
