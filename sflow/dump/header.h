/*
 * sflow/dump/header.h: decoding of sampled packet headers (sampled_header
 * records) into the fields sflowtool prints: dstMAC, srcMAC, decodedVLAN,
 * ethernet_type, IPSize, srcIP, IPProtocol, TCPSrcPort, UDPBytes ...
 *
 * Handles Ethernet (802.1Q/802.1ad tags, 802.2 SNAP), raw IPv4 and IPv6
 * (header protocols 11 and 12), IPv6 extension headers, TCP, UDP and ICMP,
 * and the MAC addresses of 802.11 data frames. The results also land in
 * the sample state for the -l and -t outputs.
 */
#ifndef DUMP_HEADER_H
#define DUMP_HEADER_H

#include "sflow/dump/print.h"
#include "sflow/dump/sample.h"

/*
 * Decode s->header[0..s->header_len) as s->header_protocol. Fields that
 * sflowtool reads without checking the header length (IPX and SNAP peeks,
 * TCP flags, IPv6 option lengths) are read from the datagram bytes that
 * follow, up to s->header_avail, and as 0 beyond; everything else is
 * bounded by the header. Never reads outside header[0..header_avail).
 */
void header_decode(struct print *p, struct dump_sample *s);

#endif
