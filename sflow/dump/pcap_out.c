/*
 * sflow/dump/pcap_out.c: classic pcap writer for -t (see pcap_out.h).
 *
 * The structures are spelled out with fixed-width fields instead of
 * libpcap's struct pcap_pkthdr, whose struct timeval is 16 bytes on
 * 64-bit hosts: the file format wants four 32-bit words per record.
 */
#include "sflow/dump/pcap_out.h"

#include <string.h>

#define PCAP_MAGIC_USEC 0xa1b2c3d4u

struct pcap_out_file_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_out_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_usec;
	uint32_t caplen;
	uint32_t len;
};

_Static_assert(sizeof(struct pcap_out_file_hdr) == 24, "pcap file header is 24 bytes");
_Static_assert(sizeof(struct pcap_out_rec_hdr) == 16, "pcap record header is 16 bytes");

void pcap_out_file_header(struct print *p)
{
	struct pcap_out_file_hdr h;

	memset(&h, 0, sizeof(h));
	h.magic = PCAP_MAGIC_USEC;
	h.version_major = 2;
	h.version_minor = 4;
	h.snaplen = PCAP_OUT_SNAPLEN;
	h.linktype = PCAP_OUT_LINKTYPE;
	print_raw(p, &h, sizeof(h));
}

void pcap_out_record(struct print *p, uint32_t ts_sec, uint32_t ts_usec, uint32_t len,
		     const uint8_t *data, uint32_t caplen)
{
	struct pcap_out_rec_hdr h = { ts_sec, ts_usec, caplen, len };

	print_raw(p, &h, sizeof(h));
	if (caplen && data)
		print_raw(p, data, caplen);
}
