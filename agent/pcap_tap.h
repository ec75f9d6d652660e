/*
 * agent/pcap_tap.h: one libpcap capture on one interface with the kernel
 * doing the 1-in-N choice, the I/O half of packet sampling
 * (agent/pcap_sampler.c decides which interfaces, at what rate).
 *
 * pcap_tap_open() activates a non-blocking libpcap handle (snaplen =
 * headerBytes, buffer PCAP_TAP_BUFFER_BYTES, TPACKET_V3 blocks retired
 * after PCAP_TAP_TIMEOUT_MS, nanosecond time stamps where the kernel has
 * them) and, when N > 1, attaches to its socket with SO_ATTACH_FILTER the
 * classic BPF program of pcap_tap_filter():
 *
 *	ld  [SKF_AD_OFF + SKF_AD_RANDOM]   ; A = kernel prandom u32
 *	mod #N
 *	jneq #0, drop
 *	ret #snaplen                       ; keep, cut to the header bytes
 *	drop: ret #0
 *
 * so a packet that is not sampled never leaves the kernel. The filter is
 * attached to the socket directly, not through pcap_setfilter(), so
 * libpcap keeps no user-space copy it could run instead (its interpreter
 * has no SKF_AD_RANDOM and would reject every packet). Packets queued
 * between activation and the filter are read and discarded at open.
 *
 * The tap also keeps the interface's packet counters
 * (/sys/class/net/<dev>/statistics/{rx,tx}_packets, open for pread) for
 * an honest sample_pool, and reads libpcap's kernel drop count for the
 * drops field as deltas. Loop thread only; nothing here logs (errors come
 * back as text).
 */
#ifndef RTFLOW_AGENT_PCAP_TAP_H
#define RTFLOW_AGENT_PCAP_TAP_H

#include <linux/filter.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/flow_sample.h"

#define PCAP_TAP_BUFFER_BYTES (1024u * 1024) /* kernel ring per tap: 4 blocks of 256 KiB */
#define PCAP_TAP_TIMEOUT_MS 500             /* a block waits at most this */
#define PCAP_TAP_FILTER_INSNS 5
#define PCAP_TAP_ERR_BYTES 256
#define PCAP_TAP_DEV_BYTES 16

struct pcap_tap {
	pcap_t *pcap;                 /* NULL when closed */
	int fd;                       /* selectable fd, -1 when closed */
	enum flow_sample_link link;
	char dev[PCAP_TAP_DEV_BYTES];
	uint32_t sampling_rate;       /* 1-in-N done by the kernel */
	uint32_t prev_rate;           /* the rate before the last pcap_tap_set_rate */
	uint64_t rate_since_ns;       /* CLOCK_REALTIME ns of that change, 0 = none */
	uint32_t header_bytes;        /* snaplen */
	bool nano;                    /* time stamps in ns (else us) */
	int stat_fd[2];               /* rx_packets, tx_packets; -1 when unreadable */
	uint32_t ps_drop;             /* libpcap's ps_drop at the last read */
};

/* Called for every packet read: valid only during the call. */
typedef void pcap_tap_cb(void *arg, const struct flow_sample_packet *pkt);

/* The classic BPF 1-in-n program above into insns[0..cap), n >= 2.
 * Returns the number of instructions, or 0 when cap is too small or n < 2. */
size_t pcap_tap_filter(struct sock_filter *insns, size_t cap, uint32_t n, uint32_t snap_bytes);

/* Initialise t as closed. */
void pcap_tap_init(struct pcap_tap *t);

/* Open a capture on dev sampling 1 in n (n >= 1) packets of header_bytes.
 * 0, or -1 with the reason in err[0..PCAP_TAP_ERR_BYTES) and t closed. */
int pcap_tap_open(struct pcap_tap *t, const char *dev, uint32_t n, uint32_t header_bytes,
		  bool promisc, char *err);

/* Switch the open capture to 1 in n (n >= 1) by swapping the kernel
 * filter in place, so nothing queued is lost. 0, or -1 with err filled. */
int pcap_tap_set_rate(struct pcap_tap *t, uint32_t n, char *err);

/* The rate a packet captured at ts_ns (pcap time, ns since the epoch) was
 * sampled at: the one before the last change when it came before it. */
uint32_t pcap_tap_rate_at(const struct pcap_tap *t, uint64_t ts_ns);

/* Close t; a closed tap is a no-op. */
void pcap_tap_close(struct pcap_tap *t);

/* Hand at most quota queued packets to cb. Returns how many, or -1 (with
 * err filled) when the capture failed (interface down or gone). */
int pcap_tap_read(struct pcap_tap *t, int quota, pcap_tap_cb *cb, void *arg, char *err);

/* rx_packets + tx_packets of the interface now, into *pkts. False when
 * the counters cannot be read. */
bool pcap_tap_packets(struct pcap_tap *t, uint64_t *pkts);

/* Packets the kernel dropped for want of ring space since the last call
 * (the first call counts from open). */
uint32_t pcap_tap_new_drops(struct pcap_tap *t);

#endif
