/*
 * agent/pcap_sampler.h: packet sampling for the `pcap { }` blocks of the
 * config: one kernel-sampled capture (agent/pcap_tap.h) per interface a
 * block takes, flow samples (agent/flow_sample.h) handed to the sender.
 *
 * Interfaces: at start, at reload, PCAP_SAMPLER_LINK_DELAY_MS after a
 * burst of rtnetlink link events (RTMGRP_LINK: a device added, removed,
 * up, down, renamed), and every PCAP_SAMPLER_RESCAN_MS as a safety net
 * (every PCAP_SAMPLER_POLL_MS when link events are unavailable), the
 * sampler lists /sys/class/net (always the real one: captures need real
 * devices, so --root does not apply) and, for every device, asks
 * agent_config_pcap_for() which block takes it. A block naming the device
 * with dev= takes it whatever it is; a block matching by dev.pattern or
 * speed alone skips loopbacks and devices stacked on another (iflink !=
 * ifindex: veth peers, VLANs, macvlans), close to hsflowd's rule. The rate
 * is agent_config_sampling_for() (pcap { sampling } > sampling.<speed> >
 * sampling.bps_ratio > sampling > hsflowd's default); 0 or an interface
 * that is not up (IFF_UP) means no capture. A capture opens when its
 * interface qualifies; a rate change swaps the kernel filter in place
 * (samples still queued keep the rate they were taken at); a new ifIndex,
 * header size or promisc setting reopens it (after sending what its ring
 * still holds, as at exit); it closes when the interface goes down,
 * vanishes or its capture fails. A failed open is logged (once a minute
 * per interface) and retried at the next rescan. The same scan refreshes
 * the table of local MACs that decides direction.
 *
 * Reading: each capture fd is on the loop; a wakeup reads at most
 * PCAP_SAMPLER_QUOTA packets (a batch), and when the quota was used up a
 * 0 ms timer comes back for the rest after other fds and timers had their
 * turn.
 *
 * Per data source 0:ifIndex (kept across reopen while the ifIndex stays):
 * the sample sequence number; sample_pool = packets that reached the tap,
 * i.e. the growth of the interface's rx_packets + tx_packets since the
 * capture opened (and over earlier opens), read after every batch that
 * empties the ring and spread evenly over its samples, so pool deltas
 * between samples are positive, average N and add up to the packets seen
 * (a batch cut by the quota carries N per sample until the next batch
 * settles the difference; N per sample throughout when the counters cannot
 * be read); drops = the sum of libpcap's kernel drop count deltas, read
 * with the counters at most every PCAP_SAMPLER_DROPS_MS. Both are 32-bit
 * on the wire and wrap.
 * Loop thread only.
 */
#ifndef RTFLOW_AGENT_PCAP_SAMPLER_H
#define RTFLOW_AGENT_PCAP_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"
#include "agent/loop.h"
#include "agent/sender.h"

#define PCAP_SAMPLER_MAX_TAPS 32
#define PCAP_SAMPLER_QUOTA 256          /* packets per wakeup per capture */
#define PCAP_SAMPLER_FINISH_ROUNDS 8    /* quotas read from a ring before closing it */
#define PCAP_SAMPLER_RESCAN_MS 30000    /* with link events */
#define PCAP_SAMPLER_POLL_MS 3000       /* without them */
#define PCAP_SAMPLER_LINK_DELAY_MS 100  /* event burst -> one rescan */
#define PCAP_SAMPLER_LINK_QUOTA 16      /* netlink messages per wakeup */
#define PCAP_SAMPLER_MAX_HEADER 256     /* headerBytes' ceiling in the config */
#define PCAP_SAMPLER_DROPS_MS 1000      /* kernel drops read at most this often */

struct pcap_sampler_stats {
	uint64_t samples;        /* flow samples handed to the sender */
	uint64_t unknown;        /* packets that gave no sample (non-IP without MAC) */
	uint64_t drops;          /* kernel drops, all captures */
	uint64_t opens, open_errors, read_errors;
	uint64_t excess;         /* interfaces not tapped for want of a slot */
};

struct pcap_sampler;

/* A sampler for config c sending through s (not owned, must outlive it).
 * c is kept and must live until the next pcap_sampler_reconfigure() or
 * pcap_sampler_free(). Scans now and schedules rescans on l. NULL on out
 * of memory. A config without pcap blocks gives an idle sampler. */
struct pcap_sampler *pcap_sampler_new(struct loop *l, struct sender *s,
				      const struct agent_config *c);

/* Close every capture, cancel the timers and free p. NULL is a no-op. */
void pcap_sampler_free(struct pcap_sampler *p);

/* Take a reloaded config (kept as in pcap_sampler_new) and rescan now:
 * captures whose settings did not change stay open. */
void pcap_sampler_reconfigure(struct pcap_sampler *p, const struct agent_config *c);

/* Captures open now. */
size_t pcap_sampler_count(const struct pcap_sampler *p);

const struct pcap_sampler_stats *pcap_sampler_stats(const struct pcap_sampler *p);

/* Log the stats in one INFO line (SIGUSR1); NULL or no pcap block: nothing. */
void pcap_sampler_log_stats(const struct pcap_sampler *p);

#endif
