/*
 * agent/flow_sample.h: one captured packet -> one sFlow flow sample, the
 * pure half of packet sampling (agent/pcap_sampler.c does the I/O).
 *
 * The sample carries two records: 0:1 sampled_header and 0:1043 extended
 * timestamp (capture time, ns since the Unix epoch). It is compact (0:1)
 * when the data source ifIndex fits in 24 bits, else expanded (0:3);
 * interface values (ifIndex or 0x3FFFFFFF) fit the compact 30 bits.
 *
 * Header record (hsflowd's takeSample(), reference/host-sflow.md §3.4):
 *   Ethernet link (FLOW_SAMPLE_LINK_ETHERNET) with a MAC header whose
 *   first 8 bytes are not all zero: protocol 1, frame_bytes = wire length
 *   + 4 (FCS), stripped = 4, header = the first header_bytes bytes.
 *   Otherwise (loopback's zero MACs, raw IP, Linux cooked): the IP packet
 *   alone, protocol 11 (IPv4) or 12 (IPv6) by its version nibble,
 *   stripped = 4 + 14 (FCS and a notional Ethernet header), frame_bytes =
 *   IP length + 18. A non-IP packet without a MAC header gives no sample.
 *
 * Direction (host model, §3.4): on Ethernet, a source MAC owned by a local
 * interface means sent: input 0x3FFFFFFF (internal), output ifIndex; else a
 * destination MAC that is local, broadcast or multicast means received:
 * input ifIndex, output 0x3FFFFFFF; else both 0 (unknown: promiscuous or
 * bridged traffic). hsflowd leaves broadcast and multicast at 0/0; a host
 * does take them in, so rtflow counts them as received. Linux cooked
 * captures use the kernel's packet type (outgoing = sent, to-us, broadcast
 * and multicast = received, otherhost = unknown); raw IP has no direction.
 *
 * Pure: no I/O, no allocation, no logging. The built sample points into
 * the packet bytes and into *out; it lives as long as both.
 */
#ifndef RTFLOW_AGENT_FLOW_SAMPLE_H
#define RTFLOW_AGENT_FLOW_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/decode.h"
#include "sflow/records.h"

#define FLOW_SAMPLE_MAX_MACS 256        /* local MACs remembered */
#define FLOW_SAMPLE_COMPACT_MAX 0xffffffu /* largest ds_index of 0:1 */
#define FLOW_SAMPLE_FCS_BYTES 4
#define FLOW_SAMPLE_MAC_BYTES 14

/* Link types of captured packets (the agent maps pcap DLTs onto these). */
enum flow_sample_link {
	FLOW_SAMPLE_LINK_ETHERNET, /* DLT_EN10MB */
	FLOW_SAMPLE_LINK_RAW,      /* DLT_RAW: an IPv4 or IPv6 packet */
	FLOW_SAMPLE_LINK_COOKED,   /* DLT_LINUX_SLL: 16-byte cooked header */
};

/* The MAC addresses of the host's interfaces, unsorted. */
struct flow_sample_macs {
	size_t count;
	uint8_t mac[FLOW_SAMPLE_MAX_MACS][6];
};

/* One captured packet. */
struct flow_sample_packet {
	enum flow_sample_link link;
	const uint8_t *data;  /* captured bytes */
	uint32_t cap_bytes;   /* bytes at data */
	uint32_t wire_bytes;  /* length on the wire (pcap's len) */
	uint64_t ts_ns;       /* capture time, ns since the epoch */
};

/* The data source's state when the packet is sampled. */
struct flow_sample_source {
	uint32_t ifindex;       /* the tapped interface: ds 0:ifindex */
	uint32_t seq;           /* this sample's sequence number */
	uint32_t sampling_rate; /* 1-in-N */
	uint32_t sample_pool;   /* packets that reached the tap (mod 2^32) */
	uint32_t drops;         /* packets the kernel dropped (mod 2^32) */
	uint32_t header_bytes;  /* header record cap (headerBytes) */
};

/* A built sample: its header and the records it points to. */
struct flow_sample {
	struct sfl_sample hdr;
	struct sfl_record recs[2];
	size_t rec_count;
};

/* Add mac to m unless present or m is full. True when it is in m after. */
bool flow_sample_macs_add(struct flow_sample_macs *m, const uint8_t mac[6]);

/* True when mac is one of m's. */
bool flow_sample_macs_has(const struct flow_sample_macs *m, const uint8_t mac[6]);

/* Build the sample of pkt from source src into *out by the rules above,
 * with local MACs macs. 0, or -1 when pkt gives no sample (non-IP without
 * a MAC header, or too short to hold its link header). */
int flow_sample_build(struct flow_sample *out, const struct flow_sample_source *src,
		      const struct flow_sample_macs *macs, const struct flow_sample_packet *pkt);

#endif
