/*
 * common/capture.c: capture file input (see capture.h).
 *
 * libpcap does the file formats (pcap in either byte order and time
 * precision, pcapng) and hands over frames with their link type; this
 * file walks link, network and UDP headers with explicit bounds checks.
 * IPv4 fragments other than the first cannot hold a UDP header and are
 * skipped; a first fragment, like a frame cut by the snap length, has a
 * UDP length longer than what was captured and is reported as truncated.
 */
#include "common/capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define UDP_HEADER_BYTES 8

struct capture {
	pcap_t *pc;
	int linktype;
	uint64_t frame;
	char err[PCAP_ERRBUF_SIZE + 64];
};

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static bool linktype_supported(int lt)
{
	return lt == DLT_EN10MB || lt == DLT_LINUX_SLL || lt == DLT_LINUX_SLL2 ||
	       lt == DLT_RAW || lt == DLT_IPV4 || lt == DLT_IPV6 || lt == DLT_NULL ||
	       lt == DLT_LOOP;
}

static struct capture *capture_start(pcap_t *pc, const char *name, char *err, size_t errlen)
{
	struct capture *c;
	int lt = pcap_datalink(pc);

	if (!linktype_supported(lt)) {
		snprintf(err, errlen, "%s: unsupported link type %d (%s)", name, lt,
			 pcap_datalink_val_to_name(lt) ? pcap_datalink_val_to_name(lt) : "?");
		pcap_close(pc);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "%s: out of memory", name);
		pcap_close(pc);
		return NULL;
	}
	c->pc = pc;
	c->linktype = lt;
	return c;
}

struct capture *capture_open(const char *path, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, perr);

	if (!pc) {
		/* libpcap names the file in some messages only */
		if (strncmp(perr, path, strlen(path)) == 0)
			snprintf(err, errlen, "%s", perr);
		else
			snprintf(err, errlen, "%s: %s", path, perr);
		return NULL;
	}
	return capture_start(pc, path, err, errlen);
}

struct capture *capture_open_mem(const uint8_t *data, size_t size, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	FILE *f;
	pcap_t *pc;

	if (size == 0) {
		snprintf(err, errlen, "empty capture");
		return NULL;
	}
	f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (!f) {
		snprintf(err, errlen, "fmemopen: %s", strerror(errno));
		return NULL;
	}
	pc = pcap_fopen_offline(f, perr); /* owns `f` on success only */
	if (!pc) {
		fclose(f);
		snprintf(err, errlen, "%s", perr);
		return NULL;
	}
	return capture_start(pc, "(memory)", err, errlen);
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	pcap_close(c->pc);
	free(c);
}

const char *capture_error(const struct capture *c)
{
	return c->err;
}

/* BSD loopback: a 4-byte address family, in host order for DLT_NULL and
 * network order for DLT_LOOP; AF_INET6 differs between systems. */
static unsigned loopback_type(const uint8_t *f)
{
	uint32_t fam;

	memcpy(&fam, f, 4);
	if (fam > 0xffff)
		fam = __builtin_bswap32(fam);
	if (fam == 2)
		return 0x0800;
	if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
		return 0x86dd;
	return 0;
}

/* Offset of the network header and its ethertype, for the link layer. */
static int link_layer(int lt, const uint8_t *f, size_t n, size_t *off, unsigned *type)
{
	if (lt == DLT_EN10MB) {
		if (n < 14)
			return -1;
		*type = be16(f + 12);
		*off = 14;
	} else if (lt == DLT_LINUX_SLL) {
		if (n < 16)
			return -1;
		*type = be16(f + 14);
		*off = 16;
	} else if (lt == DLT_LINUX_SLL2) {
		if (n < 20)
			return -1;
		*type = be16(f);
		*off = 20;
	} else if (lt == DLT_NULL || lt == DLT_LOOP) {
		if (n < 4)
			return -1;
		*type = loopback_type(f);
		*off = 4;
	} else {
		/* raw IP: the version nibble says which */
		if (n < 1)
			return -1;
		*type = f[0] >> 4 == 6 ? 0x86dd : 0x0800;
		*off = 0;
	}
	return 0;
}

/* VLAN tags and 802.2 SNAP between the link header and IP. */
static int inner_type(const uint8_t *f, size_t n, size_t *off, unsigned *type)
{
	while (*type == 0x8100 || *type == 0x88a8 || *type == 0x9100 || *type == 0x9200 ||
	       *type == 0x9300) {
		if (n - *off < 4)
			return -1;
		*type = be16(f + *off + 2);
		*off += 4;
	}
	if (*type <= 1500) { /* an 802.3 length: look for SNAP with a zero OUI */
		const uint8_t *p = f + *off;

		if (n - *off < 8 || p[0] != 0xaa || p[1] != 0xaa || p[2] != 0x03 || p[3] || p[4] ||
		    p[5])
			return -1;
		*type = be16(p + 6);
		*off += 8;
	}
	return 0;
}

/* IPv4 header at *off: sets *off to the UDP header. */
static enum capture_status ipv4(const uint8_t *f, size_t n, size_t *off)
{
	const uint8_t *ip = f + *off;
	size_t ihl;

	if (n - *off < 20 || ip[0] >> 4 != 4 || (ip[0] & 15) < 5)
		return CAPTURE_SKIP;
	ihl = (size_t)(ip[0] & 15) * 4;
	if (ip[9] != 17 || n - *off < ihl || (be16(ip + 6) & 0x1fff) != 0)
		return CAPTURE_SKIP;
	*off += ihl;
	return CAPTURE_DATAGRAM;
}

/* IPv6 header at *off, then hop-by-hop, routing and destination options. */
static enum capture_status ipv6(const uint8_t *f, size_t n, size_t *off)
{
	unsigned next;

	if (n - *off < 40 || f[*off] >> 4 != 6)
		return CAPTURE_SKIP;
	next = f[*off + 6];
	*off += 40;
	while (next == 0 || next == 43 || next == 60) {
		size_t ext;

		if (n - *off < 8)
			return CAPTURE_SKIP;
		ext = 8 * ((size_t)f[*off + 1] + 1);
		next = f[*off];
		if (n - *off < ext)
			return CAPTURE_SKIP;
		*off += ext;
	}
	return next == 17 ? CAPTURE_DATAGRAM : CAPTURE_SKIP;
}

/* Where the network header starts and which it is, for the source. */
struct ip_hdr {
	size_t off;
	unsigned type; /* 0x0800 or 0x86dd */
};

static enum capture_status udp_payload(int linktype, const uint8_t *frame, size_t caplen,
				       size_t *off, size_t *len, struct ip_hdr *ip)
{
	enum capture_status st;
	unsigned ulen;

	if (link_layer(linktype, frame, caplen, off, &ip->type) == -1 ||
	    inner_type(frame, caplen, off, &ip->type) == -1)
		return CAPTURE_SKIP;
	ip->off = *off;
	if (ip->type == 0x0800)
		st = ipv4(frame, caplen, off);
	else if (ip->type == 0x86dd)
		st = ipv6(frame, caplen, off);
	else
		return CAPTURE_SKIP;
	if (st != CAPTURE_DATAGRAM)
		return st;
	if (caplen - *off < UDP_HEADER_BYTES)
		return CAPTURE_TRUNCATED;
	ulen = be16(frame + *off + 4);
	*off += UDP_HEADER_BYTES;
	if (ulen == 0) /* IPv6 jumbogram: the length is elsewhere; take what is there */
		ulen = (unsigned)(caplen - *off) + UDP_HEADER_BYTES;
	if (ulen < UDP_HEADER_BYTES)
		return CAPTURE_SKIP;
	if (ulen - UDP_HEADER_BYTES > caplen - *off)
		return CAPTURE_TRUNCATED;
	*len = ulen - UDP_HEADER_BYTES;
	return CAPTURE_DATAGRAM;
}

enum capture_status capture_udp_payload(int linktype, const uint8_t *frame, size_t caplen,
					size_t *off, size_t *len)
{
	struct ip_hdr ip;

	return udp_payload(linktype, frame, caplen, off, len, &ip);
}

/* The IP sender and UDP source port; both headers were bounds-checked by
 * udp_payload(), which found the payload at `payload_off`. */
static void set_source(struct capture_meta *m, const uint8_t *frame, const struct ip_hdr *ip,
		       size_t payload_off)
{
	if (ip->type == 0x0800) {
		m->src_family = AF_INET;
		memcpy(m->src_addr, frame + ip->off + 12, 4);
	} else {
		m->src_family = AF_INET6;
		memcpy(m->src_addr, frame + ip->off + 8, 16);
	}
	m->src_port = (uint16_t)be16(frame + payload_off - UDP_HEADER_BYTES);
}

enum capture_status capture_next(struct capture *c, const uint8_t **payload, size_t *len,
				 struct capture_meta *m)
{
	struct pcap_pkthdr *h;
	const uint8_t *frame;
	size_t off = 0;
	struct ip_hdr ip;
	enum capture_status st;
	int rc = pcap_next_ex(c->pc, &h, &frame);

	if (rc == PCAP_ERROR_BREAK)
		return CAPTURE_END;
	if (rc != 1) {
		snprintf(c->err, sizeof(c->err), "frame %llu: %s",
			 (unsigned long long)c->frame + 1, pcap_geterr(c->pc));
		return CAPTURE_ERROR;
	}
	memset(m, 0, sizeof(*m));
	m->frame = ++c->frame;
	m->sec = h->ts.tv_sec;
	m->usec = (uint32_t)h->ts.tv_usec;
	st = udp_payload(c->linktype, frame, h->caplen, &off, len, &ip);
	if (st == CAPTURE_DATAGRAM) {
		*payload = frame + off;
		set_source(m, frame, &ip, off);
	}
	return st;
}
