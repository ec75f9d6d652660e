/*
 * tests/unit/agent_pcap_tap_test.c: agent/pcap_tap.c's pure parts and its
 * filter in the real kernel without privileges.
 *   - pcap_tap_filter(): the five instructions, word for word as
 *     reference/host-sflow.md §3.1 lists hsflowd's (ld rand at
 *     0xfffff038, mod #N, then a compare and two returns), and its refusals;
 *   - the program attached to a UDP socket on loopback (socket filters run
 *     the same classic BPF with SKF_AD_RANDOM): of D datagrams sent to
 *     itself, about D/N arrive, within 4 sigma of the binomial, for three
 *     rates; N = 1 is refused (no filter is attached then);
 *   - pcap_tap_rate_at() across a rate change, and a closed tap's calls.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/pcap_tap.h"
#include "tests/lib/test.h"

TEST(filter_words)
{
	struct sock_filter f[PCAP_TAP_FILTER_INSNS + 1];
	static const struct {
		uint16_t code;
		uint8_t jt, jf;
		uint32_t k;
	} want[PCAP_TAP_FILTER_INSNS] = {
		{ 0x20, 0, 0, 0xfffff038 }, /* ld [SKF_AD_OFF + SKF_AD_RANDOM] */
		{ 0x94, 0, 0, 400 },        /* mod #400 */
		{ 0x15, 0, 1, 0 },          /* jeq #0, keep, drop */
		{ 0x06, 0, 0, 128 },        /* ret #128 */
		{ 0x06, 0, 0, 0 },          /* ret #0 */
	};

	CHECK_EQ_U64(pcap_tap_filter(f, sizeof(f) / sizeof(f[0]), 400, 128), PCAP_TAP_FILTER_INSNS);
	for (size_t i = 0; i < PCAP_TAP_FILTER_INSNS; i++) {
		CHECK_EQ_U64(f[i].code, want[i].code);
		CHECK_EQ_U64(f[i].jt, want[i].jt);
		CHECK_EQ_U64(f[i].jf, want[i].jf);
		CHECK_EQ_U64(f[i].k, want[i].k);
	}
	CHECK_EQ_U64(pcap_tap_filter(f, PCAP_TAP_FILTER_INSNS - 1, 400, 128), 0);
	CHECK_EQ_U64(pcap_tap_filter(f, PCAP_TAP_FILTER_INSNS, 1, 128), 0);
	CHECK_EQ_U64(pcap_tap_filter(f, PCAP_TAP_FILTER_INSNS, 0, 128), 0);
}

/* A UDP socket on 127.0.0.1 with the 1-in-n filter; its address in *a. */
static int filtered_socket(uint32_t n, struct sockaddr_in *a)
{
	struct sock_filter insns[PCAP_TAP_FILTER_INSNS];
	struct sock_fprog prog = { .filter = insns };
	socklen_t al = sizeof(*a);
	int rcvbuf = 1 << 20, fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	prog.len = (unsigned short)pcap_tap_filter(insns, PCAP_TAP_FILTER_INSNS, n, 128);
	if (fd == -1 || bind(fd, (struct sockaddr *)a, sizeof(*a)) == -1 ||
	    getsockname(fd, (struct sockaddr *)a, &al) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) == -1) {
		printf("  socket setup: %s\n", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send `count` datagrams to the socket, reading as it goes; how many came. */
static long pass_through(int fd, const struct sockaddr_in *a, long count)
{
	char buf[64] = "sample me";
	long got = 0;

	for (long i = 0; i < count; i++) {
		if (sendto(fd, buf, 16, 0, (const struct sockaddr *)a, sizeof(*a)) != 16)
			return -1;
		if (i % 256 == 255 || i == count - 1) {
			while (recv(fd, buf, sizeof(buf), 0) > 0)
				got++;
		}
	}
	return got;
}

TEST(kernel_samples_one_in_n)
{
	static const uint32_t rates[] = { 2, 10, 100 };
	const long sent = 20000;

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct sockaddr_in a;
		int fd = filtered_socket(rates[i], &a);
		double p = 1.0 / rates[i], mean = (double)sent * p;
		double sigma = sqrt((double)sent * p * (1 - p));
		long got;

		CHECK(fd != -1);
		if (fd == -1)
			continue;
		got = pass_through(fd, &a, sent);
		printf("  1 in %u: %ld of %ld (expected %.0f +- %.0f)\n", rates[i], got, sent, mean,
		       4 * sigma);
		CHECK(got >= 0 && fabs((double)got - mean) <= 4 * sigma);
		close(fd);
	}
}

TEST(rate_at_and_closed_tap)
{
	struct pcap_tap t;
	char err[PCAP_TAP_ERR_BYTES];
	uint64_t pkts = 0;

	pcap_tap_init(&t);
	CHECK(t.fd == -1 && t.pcap == NULL);
	CHECK(pcap_tap_set_rate(&t, 10, err) == -1);
	CHECK(pcap_tap_read(&t, 10, NULL, NULL, err) == -1);
	CHECK(!pcap_tap_packets(&t, &pkts));
	CHECK_EQ_U64(pcap_tap_new_drops(&t), 0);
	t.prev_rate = 100;
	t.sampling_rate = 10;
	t.rate_since_ns = 5000;
	CHECK_EQ_U64(pcap_tap_rate_at(&t, 4999), 100);
	CHECK_EQ_U64(pcap_tap_rate_at(&t, 5000), 10);
	CHECK_EQ_U64(pcap_tap_rate_at(&t, 9000), 10);
	pcap_tap_close(&t); /* closed: a no-op */
	CHECK(pcap_tap_open(&t, "this-name-is-too-long-for-ifnamsiz", 10, 128, false, err) == -1);
	CHECK(strstr(err, "bad device name") != NULL);
	CHECK(pcap_tap_open(&t, "lo", 0, 128, false, err) == -1);
}

int main(void)
{
	static const struct test_case tests[] = {
		TEST_ENTRY(filter_words),
		TEST_ENTRY(kernel_samples_one_in_n),
		TEST_ENTRY(rate_at_and_closed_tap),
	};

	return test_run_all("agent_pcap_tap_test", tests, sizeof(tests) / sizeof(tests[0]));
}
