/*
 * agent/pcap_tap.c: one kernel-sampled libpcap capture (see pcap_tap.h).
 *
 * Not immediate mode: with TPACKET_V3 the kernel fills a block of the ring
 * and wakes the reader when the block is full or PCAP_TAP_TIMEOUT_MS old,
 * so a busy interface costs two wakeups a second instead of one per
 * sample (wakeups are what sampling costs on a VM: each is a few tens of
 * microseconds of syscall and scheduling overhead). A sample therefore
 * reaches the collector at most PCAP_TAP_TIMEOUT_MS + the sender's 1 s
 * flush after its packet.
 */
#include "agent/pcap_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_MAX_ROUNDS 64   /* pre-filter packets read at open, in dispatches */
#define COUNTER_TEXT_BYTES 32

struct read_ctx {
	struct pcap_tap *t;
	pcap_tap_cb *cb;
	void *arg;
};

size_t pcap_tap_filter(struct sock_filter *insns, size_t cap, uint32_t n, uint32_t snap_bytes)
{
	const struct sock_filter prog[PCAP_TAP_FILTER_INSNS] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_RANDOM)),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, n),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, snap_bytes),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	if (cap < PCAP_TAP_FILTER_INSNS || n < 2)
		return 0;
	memcpy(insns, prog, sizeof(prog));
	return PCAP_TAP_FILTER_INSNS;
}

void pcap_tap_init(struct pcap_tap *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->stat_fd[0] = t->stat_fd[1] = -1;
}

void pcap_tap_close(struct pcap_tap *t)
{
	if (t->pcap)
		pcap_close(t->pcap);
	for (int i = 0; i < 2; i++) {
		if (t->stat_fd[i] != -1)
			close(t->stat_fd[i]);
	}
	pcap_tap_init(t);
}

static void discard_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)user;
	(void)h;
	(void)bytes;
}

/* Attach the 1-in-n program (n >= 2), or detach any (n == 1). The kernel
 * swaps filters atomically. */
static int set_filter(struct pcap_tap *t, uint32_t n, char *err)
{
	struct sock_filter insns[PCAP_TAP_FILTER_INSNS];
	struct sock_fprog prog = { .filter = insns };

	if (n < 2) {
		if (setsockopt(t->fd, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0) == -1 && errno != ENOENT) {
			snprintf(err, PCAP_TAP_ERR_BYTES, "SO_DETACH_FILTER: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	prog.len = (unsigned short)pcap_tap_filter(insns, PCAP_TAP_FILTER_INSNS, n, t->header_bytes);
	if (setsockopt(t->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) == -1) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "SO_ATTACH_FILTER: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Attach the 1-in-n program and throw away what came in before it. */
static int attach_filter(struct pcap_tap *t, uint32_t n, char *err)
{
	if (set_filter(t, n, err) == -1)
		return -1;
	for (int i = 0; i < DRAIN_MAX_ROUNDS; i++) {
		if (pcap_dispatch(t->pcap, -1, discard_cb, NULL) <= 0)
			break;
	}
	return 0;
}

/* The link type to sample, switching to cooked capture if the device's
 * own is not one flow_sample knows. */
static int pick_link(struct pcap_tap *t, char *err)
{
	int dlt = pcap_datalink(t->pcap);

	if (dlt != DLT_EN10MB && dlt != DLT_RAW && dlt != DLT_LINUX_SLL &&
	    pcap_set_datalink(t->pcap, DLT_LINUX_SLL) == 0)
		dlt = DLT_LINUX_SLL;
	if (dlt == DLT_EN10MB)
		t->link = FLOW_SAMPLE_LINK_ETHERNET;
	else if (dlt == DLT_RAW)
		t->link = FLOW_SAMPLE_LINK_RAW;
	else if (dlt == DLT_LINUX_SLL)
		t->link = FLOW_SAMPLE_LINK_COOKED;
	else {
		snprintf(err, PCAP_TAP_ERR_BYTES, "link type %d not supported", dlt);
		return -1;
	}
	return 0;
}

static void open_counters(struct pcap_tap *t)
{
	static const char *const names[2] = { "rx_packets", "tx_packets" };
	char path[96];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", t->dev, names[i]);
		t->stat_fd[i] = open(path, O_RDONLY | O_CLOEXEC);
	}
}

/* pcap_create .. pcap_activate with our settings. */
static int activate(struct pcap_tap *t, bool promisc, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int rc;

	t->pcap = pcap_create(t->dev, ebuf);
	if (!t->pcap) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "pcap_create: %.200s", ebuf);
		return -1;
	}
	pcap_set_snaplen(t->pcap, (int)t->header_bytes);
	pcap_set_promisc(t->pcap, promisc ? 1 : 0);
	pcap_set_timeout(t->pcap, PCAP_TAP_TIMEOUT_MS);
	pcap_set_buffer_size(t->pcap, PCAP_TAP_BUFFER_BYTES);
	t->nano = pcap_set_tstamp_precision(t->pcap, PCAP_TSTAMP_PRECISION_NANO) == 0;
	rc = pcap_activate(t->pcap);
	if (rc < 0) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "pcap_activate: %s: %s", pcap_statustostr(rc),
			 pcap_geterr(t->pcap));
		return -1;
	}
	t->nano = pcap_get_tstamp_precision(t->pcap) == PCAP_TSTAMP_PRECISION_NANO;
	if (pcap_setnonblock(t->pcap, 1, ebuf) == -1) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "pcap_setnonblock: %.200s", ebuf);
		return -1;
	}
	t->fd = pcap_get_selectable_fd(t->pcap);
	if (t->fd == -1) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "no selectable fd");
		return -1;
	}
	return 0;
}

int pcap_tap_open(struct pcap_tap *t, const char *dev, uint32_t n, uint32_t header_bytes,
		  bool promisc, char *err)
{
	struct pcap_stat ps;

	pcap_tap_init(t);
	if (strlen(dev) >= sizeof(t->dev) || n == 0 || header_bytes == 0) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "bad device name, rate or header size");
		return -1;
	}
	memcpy(t->dev, dev, strlen(dev) + 1);
	t->sampling_rate = t->prev_rate = n;
	t->header_bytes = header_bytes;
	if (activate(t, promisc, err) == -1 || pick_link(t, err) == -1 ||
	    (n > 1 && attach_filter(t, n, err) == -1)) {
		pcap_tap_close(t);
		return -1;
	}
	if (pcap_stats(t->pcap, &ps) == 0)
		t->ps_drop = ps.ps_drop;
	open_counters(t);
	return 0;
}

int pcap_tap_set_rate(struct pcap_tap *t, uint32_t n, char *err)
{
	struct timespec now;

	if (!t->pcap || n == 0 || set_filter(t, n, err) == -1) {
		if (!t->pcap || n == 0)
			snprintf(err, PCAP_TAP_ERR_BYTES, "not open, or rate 0");
		return -1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	t->prev_rate = t->sampling_rate;
	t->sampling_rate = n;
	t->rate_since_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	return 0;
}

uint32_t pcap_tap_rate_at(const struct pcap_tap *t, uint64_t ts_ns)
{
	return ts_ns < t->rate_since_ns ? t->prev_rate : t->sampling_rate;
}

static void packet_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct read_ctx *ctx = (struct read_ctx *)user;
	uint64_t frac = (uint64_t)h->ts.tv_usec * (ctx->t->nano ? 1u : 1000u);
	struct flow_sample_packet pkt = {
		.link = ctx->t->link,
		.data = bytes,
		.cap_bytes = h->caplen,
		.wire_bytes = h->len,
		.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + frac,
	};

	ctx->cb(ctx->arg, &pkt);
}

int pcap_tap_read(struct pcap_tap *t, int quota, pcap_tap_cb *cb, void *arg, char *err)
{
	struct read_ctx ctx = { .t = t, .cb = cb, .arg = arg };
	int n;

	if (!t->pcap) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "not open");
		return -1;
	}
	n = pcap_dispatch(t->pcap, quota, packet_cb, (u_char *)&ctx);
	if (n < 0) {
		snprintf(err, PCAP_TAP_ERR_BYTES, "%s", pcap_geterr(t->pcap));
		return -1;
	}
	return n;
}

static bool read_counter(int fd, uint64_t *v)
{
	char text[COUNTER_TEXT_BYTES];
	ssize_t n = fd == -1 ? -1 : pread(fd, text, sizeof(text) - 1, 0);
	uint64_t x = 0;
	ssize_t i;

	if (n <= 0)
		return false;
	for (i = 0; i < n && text[i] >= '0' && text[i] <= '9'; i++)
		x = x * 10 + (uint64_t)(text[i] - '0');
	if (i == 0 || i > 20)
		return false;
	*v = x;
	return true;
}

bool pcap_tap_packets(struct pcap_tap *t, uint64_t *pkts)
{
	uint64_t rx, tx;

	if (!read_counter(t->stat_fd[0], &rx) || !read_counter(t->stat_fd[1], &tx))
		return false;
	*pkts = rx + tx;
	return true;
}

uint32_t pcap_tap_new_drops(struct pcap_tap *t)
{
	struct pcap_stat ps;
	uint32_t delta;

	if (!t->pcap || pcap_stats(t->pcap, &ps) == -1)
		return 0;
	delta = (uint32_t)ps.ps_drop - t->ps_drop; /* modulo 2^32: libpcap's u_int wraps */
	t->ps_drop = (uint32_t)ps.ps_drop;
	return delta;
}
