/*
 * sflow/dump/pcap_out.h: -t output, sampled packet headers as a classic
 * pcap file (for `rtflow-dump -t ... | tcpdump -r -`).
 *
 * Like sflowtool: host byte order, microsecond timestamps, snap length
 * 65536 and link type Ethernet whatever the header protocol; one record
 * per flow sample, whose captured bytes are the sample's last sampled
 * header (or sampled_ipv4/ipv6 structure) and whose original length is
 * the sampled packet size. Records are appended to the print buffer so
 * they leave with the datagram's single write.
 */
#ifndef DUMP_PCAP_OUT_H
#define DUMP_PCAP_OUT_H

#include <stdint.h>

#include "sflow/dump/print.h"

#define PCAP_OUT_SNAPLEN 65536
#define PCAP_OUT_LINKTYPE 1 /* Ethernet */

void pcap_out_file_header(struct print *p);

/* One packet record; `caplen` bytes of `data` follow the record header. */
void pcap_out_record(struct print *p, uint32_t ts_sec, uint32_t ts_usec, uint32_t len,
		     const uint8_t *data, uint32_t caplen);

#endif
