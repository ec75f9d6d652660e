/*
 * sflow/dump/sample.h: what rtflow-dump remembers while printing a sample.
 *
 * sflowtool keeps one structure per sample that every record decoder
 * updates (the last record to set a field wins) and that the -l CSV line
 * and the -t pcap record are made from at the end of the sample. This is
 * the same state; dump.c clears it at the start of every sample and the
 * record printers fill it. Types only: there is no sample.c.
 */
#ifndef DUMP_SAMPLE_H
#define DUMP_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "sflow/records.h"

struct dump_sample {
	uint32_t tag;             /* sample format */
	uint32_t input;           /* interface values (format bits removed) */
	uint32_t output;
	uint32_t sampling_rate;

	/* the sampled header, or the record standing in for it in -t */
	uint32_t header_protocol;
	uint32_t packet_bytes;    /* frame length on the wire (sampledPacketSize) */
	uint32_t stripped;        /* bytes the agent removed */
	const uint8_t *header;
	uint32_t header_len;
	uint32_t header_avail;    /* readable bytes from `header` to the datagram end */
	const uint8_t *datagram_end;

	/* decoded from the header or from sampled_ethernet/ipv4/ipv6 */
	uint8_t eth_src[6];
	uint8_t eth_dst[6];
	uint32_t eth_type;
	uint32_t in_vlan;
	uint32_t out_vlan;
	bool got_ipv4;
	bool got_ipv6;
	uint32_t ipv4_offset;     /* of the IP header in `header` */
	uint32_t ipv6_offset;
	uint32_t payload_offset;  /* of the layer-4 payload */
	struct sfl_address ip_src;
	struct sfl_address ip_dst;
	uint32_t ip_proto;
	uint32_t ip_tos;
	uint32_t ip_ttl;
	uint32_t sport;
	uint32_t dport;
	uint32_t tcp_flags;

	struct sfl_ctr_generic ifc; /* generic interface counters, for CNTR lines */
};

#endif
