/*
 * agent/flow_sample.c: packet -> flow sample (contract in flow_sample.h).
 *
 * The MAC table is searched linearly: a host has a handful of interfaces,
 * and one 6-byte compare per interface per sample is cheaper than keeping
 * a hash in step with interfaces coming and going.
 */
#include "agent/flow_sample.h"

#include <string.h>

#include "sflow/sflow.h"

#define COOKED_HDR_BYTES 16   /* struct sll_header */
#define COOKED_OUTGOING 4     /* PACKET_OUTGOING */
#define COOKED_OTHERHOST 3    /* PACKET_OTHERHOST */
#define NOTIONAL_STRIPPED (FLOW_SAMPLE_FCS_BYTES + FLOW_SAMPLE_MAC_BYTES)

enum direction { DIR_UNKNOWN, DIR_IN, DIR_OUT };

bool flow_sample_macs_has(const struct flow_sample_macs *m, const uint8_t mac[6])
{
	for (size_t i = 0; i < m->count; i++) {
		if (memcmp(m->mac[i], mac, 6) == 0)
			return true;
	}
	return false;
}

bool flow_sample_macs_add(struct flow_sample_macs *m, const uint8_t mac[6])
{
	if (flow_sample_macs_has(m, mac))
		return true;
	if (m->count == FLOW_SAMPLE_MAX_MACS)
		return false;
	memcpy(m->mac[m->count++], mac, 6);
	return true;
}

static enum direction ethernet_direction(const struct flow_sample_macs *macs, const uint8_t *eth)
{
	const uint8_t *dst = eth, *src = eth + 6;

	if (flow_sample_macs_has(macs, src))
		return DIR_OUT;
	if ((dst[0] & 1) != 0 || flow_sample_macs_has(macs, dst)) /* group bit: bcast, mcast */
		return DIR_IN;
	return DIR_UNKNOWN;
}

static enum direction cooked_direction(const uint8_t *sll)
{
	unsigned type = (unsigned)sll[0] << 8 | sll[1];

	if (type == COOKED_OUTGOING)
		return DIR_OUT;
	return type == COOKED_OTHERHOST ? DIR_UNKNOWN : DIR_IN;
}

/* Fill the header record for an IP packet ip[0..cap) of ip_len bytes on
 * the wire. -1 when it is not IPv4 or IPv6. */
static int ip_header(struct sfl_flow_header *h, const uint8_t *ip, uint32_t cap,
		     uint32_t ip_len, uint32_t header_bytes)
{
	unsigned version = cap > 0 ? ip[0] >> 4 : 0;

	if (version != 4 && version != 6)
		return -1;
	h->protocol = version == 4 ? SFL_HEADER_IPV4 : SFL_HEADER_IPV6;
	h->frame_bytes = ip_len + NOTIONAL_STRIPPED;
	h->stripped = NOTIONAL_STRIPPED;
	h->header.ptr = ip;
	h->header.len = cap < header_bytes ? cap : header_bytes;
	return 0;
}

static bool zero_mac_header(const uint8_t *eth)
{
	static const uint8_t zero[8];

	return memcmp(eth, zero, sizeof(zero)) == 0;
}

/* The header record and direction of pkt. -1 when it gives no sample. */
static int header_of(struct sfl_flow_header *h, enum direction *dir,
		     const struct flow_sample_macs *macs, const struct flow_sample_packet *pkt,
		     uint32_t header_bytes)
{
	const uint8_t *d = pkt->data;
	uint32_t cap = pkt->cap_bytes, len = pkt->wire_bytes;

	*dir = DIR_UNKNOWN;
	switch (pkt->link) {
	case FLOW_SAMPLE_LINK_ETHERNET:
		if (cap < FLOW_SAMPLE_MAC_BYTES || len < FLOW_SAMPLE_MAC_BYTES)
			return -1;
		*dir = ethernet_direction(macs, d);
		if (zero_mac_header(d))
			return ip_header(h, d + FLOW_SAMPLE_MAC_BYTES, cap - FLOW_SAMPLE_MAC_BYTES,
					 len - FLOW_SAMPLE_MAC_BYTES, header_bytes);
		h->protocol = SFL_HEADER_ETHERNET;
		h->frame_bytes = len + FLOW_SAMPLE_FCS_BYTES;
		h->stripped = FLOW_SAMPLE_FCS_BYTES;
		h->header.ptr = d;
		h->header.len = cap < header_bytes ? cap : header_bytes;
		return 0;
	case FLOW_SAMPLE_LINK_COOKED:
		if (cap < COOKED_HDR_BYTES || len < COOKED_HDR_BYTES)
			return -1;
		*dir = cooked_direction(d);
		return ip_header(h, d + COOKED_HDR_BYTES, cap - COOKED_HDR_BYTES,
				 len - COOKED_HDR_BYTES, header_bytes);
	case FLOW_SAMPLE_LINK_RAW:
		return ip_header(h, d, cap, len, header_bytes);
	}
	return -1;
}

int flow_sample_build(struct flow_sample *out, const struct flow_sample_source *src,
		      const struct flow_sample_macs *macs, const struct flow_sample_packet *pkt)
{
	struct sfl_sample *s = &out->hdr;
	enum direction dir;

	memset(out, 0, sizeof(*out));
	out->recs[0] = (struct sfl_record){ .tag = SFL_FLOW_HEADER, .kind = SFL_KIND_FLOW,
					    .known = true };
	if (header_of(&out->recs[0].v.header, &dir, macs, pkt, src->header_bytes) == -1)
		return -1;
	out->recs[1] = (struct sfl_record){ .tag = SFL_FLOW_EX_TIMESTAMP, .kind = SFL_KIND_FLOW,
					    .known = true, .v.timestamp.ts_ns = pkt->ts_ns };
	out->rec_count = 2;
	s->tag = src->ifindex <= FLOW_SAMPLE_COMPACT_MAX ? SFL_SAMPLE_FLOW : SFL_SAMPLE_FLOW_EXPANDED;
	s->seq = src->seq;
	s->ds_class = SFL_DS_IFINDEX;
	s->ds_index = src->ifindex;
	s->sampling_rate = src->sampling_rate;
	s->sample_pool = src->sample_pool;
	s->drops = src->drops;
	s->input_format = SFL_IF_SINGLE;
	s->output_format = SFL_IF_SINGLE;
	if (dir == DIR_OUT) {
		s->input = SFL_IF_INTERNAL;
		s->output = src->ifindex;
	} else if (dir == DIR_IN) {
		s->input = src->ifindex;
		s->output = SFL_IF_INTERNAL;
	}
	return 0;
}
