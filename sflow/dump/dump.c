/*
 * sflow/dump/dump.c: datagram driver of rtflow-dump (see dump.h).
 *
 * Prints the datagram fields sflowtool prints before decoding anything
 * (source, size, arrival and capture times), then walks the samples with
 * the libsflow iterators and hands each to its printer in print_sample.c.
 * The per-sample outputs of the line formats -- the -l FLOW/CNTR lines,
 * the -t pcap records and the -L CSV lines -- are produced here at the end
 * of each sample, from the state the record printers left, and only for
 * samples that decoded cleanly, as sflowtool (which abandons a datagram at
 * its first error) does.
 */
#include "sflow/dump/dump.h"

#include <inttypes.h>
#include <string.h>

#include "sflow/decode.h"
#include "sflow/dump/pcap_out.h"
#include "sflow/dump/print_sample.h"

void dump_init(struct dump *d, enum print_format format, bool pretty, FILE *out, FILE *err)
{
	memset(d, 0, sizeof(*d));
	print_init(&d->print, format, pretty);
	d->out = out;
	d->err = err;
	if (format == PRINT_PCAP)
		pcap_out_file_header(&d->print);
}

void dump_fini(struct dump *d)
{
	print_fini(&d->print);
}

static int write_out(struct dump *d)
{
	struct print *p = &d->print;
	int rc = 0;

	if (d->out && p->len) {
		if (fwrite(p->buf, 1, p->len, d->out) != p->len)
			rc = -1;
		if (d->flush_each && fflush(d->out) == EOF)
			rc = -1;
		if (rc == -1)
			d->stats.write_errors++;
	}
	print_reset(p);
	return rc;
}

int dump_flush(struct dump *d)
{
	int rc = write_out(d);

	if (d->out && fflush(d->out) == EOF)
		rc = -1;
	return rc;
}

static void report(struct dump *d, const struct dump_meta *m, const char *what)
{
	char src[FMT_ADDRESS_LEN];

	if (!d->err)
		return;
	if (m->frame) {
		fprintf(d->err, "rtflow-dump: frame %" PRIu64 ": %s\n", m->frame, what);
	} else {
		fmt_address(src, &m->source);
		fprintf(d->err, "rtflow-dump: datagram from %s: %s\n", src, what);
	}
}

static void write_flow_line(struct dump *d)
{
	const struct dump_sample *s = &d->sample;
	char smac[13], dmac[13], sip[FMT_ADDRESS_LEN], dip[FMT_ADDRESS_LEN];

	fmt_mac(smac, s->eth_src);
	fmt_mac(dmac, s->eth_dst);
	fmt_address(sip, &s->ip_src);
	fmt_address(dip, &s->ip_dst);
	/* sflowtool prints these unsigned values with %d */
	print_fmt(&d->print, "FLOW,%s,%d,%d,%s,%s,0x%04x,%d,%d,%s,%s,%d,0x%02x,%d,%d,%d,0x%02x,%d,%d,%d\n",
		  d->agent, (int)s->input, (int)s->output, smac, dmac, s->eth_type,
		  (int)s->in_vlan, (int)s->out_vlan, sip, dip, (int)s->ip_proto, s->ip_tos,
		  (int)s->ip_ttl, (int)s->sport, (int)s->dport, s->tcp_flags,
		  (int)s->packet_bytes, (int)(s->packet_bytes - s->stripped - s->ipv4_offset),
		  (int)s->sampling_rate);
}

static void write_counters_line(struct dump *d)
{
	const struct sfl_ctr_generic *c = &d->sample.ifc;

	print_fmt(&d->print,
		  "CNTR,%s,%u,%u,%" PRIu64 ",%u,%u,%" PRIu64 ",%u,%u,%u,%u,%u,%u,%" PRIu64
		  ",%u,%u,%u,%u,%u,%u\n",
		  d->agent, c->ifindex, c->iftype, c->ifspeed, c->ifdirection, c->ifstatus,
		  c->in_octets, c->in_ucast_pkts, c->in_multicast_pkts, c->in_broadcast_pkts,
		  c->in_discards, c->in_errors, c->in_unknown_protos, c->out_octets,
		  c->out_ucast_pkts, c->out_multicast_pkts, c->out_broadcast_pkts, c->out_discards,
		  c->out_errors, c->promiscuous_mode);
}

/* The line-format output of one cleanly decoded sample. */
static void sample_outputs(struct dump *d, uint32_t tag, const struct dump_meta *m)
{
	struct print *p = &d->print;
	const struct dump_sample *s = &d->sample;
	bool flow = tag == SFL_SAMPLE_FLOW || tag == SFL_SAMPLE_FLOW_EXPANDED;
	bool counters = tag == SFL_SAMPLE_COUNTERS || tag == SFL_SAMPLE_COUNTERS_EXPANDED;

	if (p->format == PRINT_CUSTOM) {
		print_custom_line(p);
	} else if (p->format == PRINT_LINE && flow) {
		write_flow_line(d);
	} else if (p->format == PRINT_LINE && counters) {
		write_counters_line(d);
	} else if (p->format == PRINT_PCAP && flow) {
		bool from_pcap = m->pcap_sec != 0;

		pcap_out_record(p, (uint32_t)(from_pcap ? m->pcap_sec : m->read_sec),
				from_pcap ? m->pcap_usec : m->read_usec, s->packet_bytes, s->header,
				s->header_len);
	}
}

static void dump_sample(struct dump *d, struct sfl_sample *smp, const uint8_t *end,
			const struct dump_meta *m)
{
	struct print *p = &d->print;
	struct dump_sample *s = &d->sample;
	bool known = true;

	memset(s, 0, sizeof(*s));
	s->tag = smp->tag;
	s->datagram_end = end;
	p->ctx.sample_tag = smp->tag;
	p->ctx.record_tag = 0;
	p->ctx.ds_class = p->ctx.ds_index = 0;
	print_json_open(p, NULL, '{');
	print_log(p, "startSample ----------------------\n");
	print_tag(p, "sampleType_tag", smp->tag);
	switch (smp->tag) {
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_FLOW_EXPANDED: print_sample_flow(p, s, smp); break;
	case SFL_SAMPLE_COUNTERS:
	case SFL_SAMPLE_COUNTERS_EXPANDED: print_sample_counters(p, s, smp); break;
	case SFL_SAMPLE_DISCARD: print_sample_discard(p, s, smp); break;
	case SFL_SAMPLE_RTMETRIC:
	case SFL_SAMPLE_RTFLOW: print_sample_rt(p, smp); break;
	default: {
		char tag[24];

		fmt_tag(tag, smp->tag);
		print_log(p, "skipping unknown %s: %s len=%u\n", "sample", tag, smp->len);
		known = false;
		break;
	}
	}
	if (known && smp->err->code == SFL_ERR_NONE)
		sample_outputs(d, smp->tag, m);
	if (p->format == PRINT_CUSTOM)
		print_custom_clear(p, PRINT_SCOPE_SAMPLE);
	print_json_close(p, '}');
	print_log(p, "endSample   ----------------------\n");
}

/* The fields sflowtool prints before it reads the datagram. */
static void print_arrival(struct print *p, size_t len, const struct dump_meta *m)
{
	char when[64];

	print_address(p, "datagramSourceIP", &m->source);
	print_u32(p, "datagramSize", (uint32_t)len);
	print_u32(p, "unixSecondsUTC", (uint32_t)m->read_sec);
	print_u32(p, "unixSecondsUTC_uS", m->read_usec);
	if (p->fields_on)
		print_field_mem(p, "localtime", when, fmt_time(when, (time_t)m->read_sec));
	if (m->pcap_sec) {
		if (p->fields_on)
			print_field_mem(p, "pcapTimestamp", when,
					fmt_time(when, (time_t)m->pcap_sec));
		print_u32(p, "pcapTimestamp_uS", m->pcap_usec);
	}
}

static void reset_context(struct print *p, const struct dump_meta *m)
{
	memset(&p->ctx, 0, sizeof(p->ctx));
	if (p->format == PRINT_GREP)
		fmt_time(p->ctx.when, (time_t)(m->pcap_sec ? m->pcap_sec : m->read_sec));
	p->ctx.agent[0] = '-';
}

/* The datagram header fields, once libsflow has parsed them. */
static void print_header(struct dump *d, const struct sfl_datagram *dg)
{
	struct print *p = &d->print;

	fmt_address(d->agent, &dg->agent);
	memcpy(p->ctx.agent, d->agent, sizeof(p->ctx.agent));
	p->ctx.sub_agent_id = dg->sub_agent_id;
	print_u32(p, "agentSubId", dg->sub_agent_id);
	p->ctx.seq = dg->seq;
	print_field(p, "agent", d->agent);
	print_u32(p, "packetSequenceNo", dg->seq);
	print_u32(p, "sysUpTime", dg->uptime_ms);
	print_u32(p, "samplesInPacket", dg->num_samples);
}

static void reject(struct dump *d, const struct sfl_datagram *dg, const struct dump_meta *m)
{
	struct print *p = &d->print;
	char msg[192];

	sfl_error_format(&dg->err, msg, sizeof(msg));
	p->nprefix = 0;
	print_json_unwind(p, 1);
	p->scope = PRINT_SCOPE_DATAGRAM;
	print_field(p, "decodeError", msg);
	if (p->format == PRINT_CUSTOM)
		print_custom_clear(p, PRINT_SCOPE_SAMPLE);
	d->stats.rejected++;
	report(d, m, msg);
}

int dump_datagram(struct dump *d, const uint8_t *buf, size_t len, const struct dump_meta *m)
{
	struct print *p = &d->print;
	struct sfl_datagram dg;
	struct sfl_sample smp;
	int rc;

	d->stats.datagrams++;
	d->agent[0] = '-';
	d->agent[1] = '\0';
	reset_context(p, m);
	print_datagram_begin(p);
	print_arrival(p, len, m);
	rc = sfl_datagram_init(&dg, buf, len);
	if (len >= 4)
		print_u32(p, "datagramVersion", dg.version);
	if (rc == 0) {
		print_header(d, &dg);
		p->scope = PRINT_SCOPE_SAMPLE;
		print_json_open(p, "samples", '[');
		while (sfl_datagram_next_sample(&dg, &smp))
			dump_sample(d, &smp, buf + len, m);
		print_json_close(p, ']');
	}
	rc = dg.err.code == SFL_ERR_NONE ? 0 : -1;
	if (rc == 0 && dg.trailing_bytes) {
		/* sflowtool ignores them too (akvorado's captures have some) */
		char msg[96];

		snprintf(msg, sizeof(msg), "%u bytes after the last sample ignored",
			 dg.trailing_bytes);
		report(d, m, msg);
	}
	if (rc == -1)
		reject(d, &dg, m);
	print_datagram_end(p);
	if (p->overflow)
		report(d, m, "output of this datagram too large, cut short");
	if (write_out(d) == -1 && d->stats.write_errors == 1)
		report(d, m, "cannot write the output");
	return rc;
}
