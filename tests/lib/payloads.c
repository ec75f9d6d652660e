/*
 * tests/lib/payloads.c: see payloads.h. Test support code: it may allocate
 * and it trusts the link type libpcap reports.
 */
#include "tests/lib/payloads.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Offset of the UDP payload in an Ethernet frame, or -1. */
static long udp_payload_offset(const uint8_t *f, size_t n, size_t *plen)
{
	size_t off = 12;
	uint16_t type;
	uint8_t proto;

	if (n < 14)
		return -1;
	type = be16(f + off);
	while ((type == 0x8100 || type == 0x88a8) && off + 6 <= n) {
		off += 4;
		type = be16(f + off);
	}
	off += 2;
	if (type == 0x0800 && off + 20 <= n) {
		proto = f[off + 9];
		off += (size_t)(f[off] & 0x0f) * 4;
	} else if (type == 0x86dd && off + 40 <= n) {
		proto = f[off + 6];
		off += 40;
	} else {
		return -1;
	}
	if (proto != 17 || off + 8 > n)
		return -1;
	*plen = be16(f + off + 4) - 8u;
	off += 8;
	if (*plen > n - off)
		*plen = n - off;
	return (long)off;
}

static void append(struct payloads *p, size_t *cap, const uint8_t *b, size_t n)
{
	size_t used = p->count ? p->offset[p->count - 1] + p->len[p->count - 1] : 0;

	if (used + n > cap[0] || p->count == cap[1]) {
		cap[0] = (used + n) * 2 + 65536;
		cap[1] = cap[1] * 2 + 64;
		p->data = realloc(p->data, cap[0]);
		p->offset = realloc(p->offset, cap[1] * sizeof(size_t));
		p->len = realloc(p->len, cap[1] * sizeof(size_t));
		if (!p->data || !p->offset || !p->len)
			abort();
	}
	memcpy(p->data + used, b, n);
	p->offset[p->count] = used;
	p->len[p->count] = n;
	p->count++;
}

int payloads_load(struct payloads *p, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *frame;
	size_t cap[2] = { 0, 0 };
	pcap_t *pc;

	memset(p, 0, sizeof(*p));
	pc = pcap_open_offline(path, errbuf);
	if (!pc)
		return -1;
	while (pcap_next_ex(pc, &h, &frame) == 1) {
		size_t plen;
		long off = udp_payload_offset(frame, h->caplen, &plen);

		if (off >= 0 && pcap_datalink(pc) == DLT_EN10MB)
			append(p, cap, frame + off, plen);
	}
	pcap_close(pc);
	return 0;
}

void payloads_free(struct payloads *p)
{
	free(p->data);
	free(p->offset);
	free(p->len);
	memset(p, 0, sizeof(*p));
}
