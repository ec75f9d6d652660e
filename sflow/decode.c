/*
 * sflow/decode.c: datagram and sample level of the sFlow v5 decoder.
 *
 * The datagram header is parsed by sfl_datagram_init(); samples and their
 * records are then pulled one at a time. Each sample is a TLV whose body is
 * walked with its own bounded reader, so a sample can never read into its
 * neighbour, and each record is handed to sfl_record_decode() (records.c)
 * for the typed view. The first error is recorded in the datagram and
 * stops every iterator over it.
 */
#include "sflow/decode.h"

#include <stdio.h>

#define SFL_IF_FORMAT(word) ((word) >> 30)
#define SFL_IF_VALUE(word) ((word) & 0x3fffffffu)

static void set_error(struct sfl_error *err, enum sfl_error_code code, uint32_t offset,
		      const char *what, uint32_t expected, uint32_t found)
{
	if (err->code != SFL_ERR_NONE)
		return;
	err->code = code;
	err->offset = offset;
	err->what = what;
	err->expected = expected;
	err->found = found;
}

int sfl_datagram_init(struct sfl_datagram *dg, const uint8_t *buf, size_t len)
{
	struct sfl_reader *r = &dg->r;

	memset(dg, 0, sizeof(*dg));
	dg->len = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
	sfl_reader_init(r, buf, buf, len);
	dg->version = sfl_read_u32(r);
	if (!r->bad && dg->version != SFL_VERSION) {
		set_error(&dg->err, SFL_ERR_VERSION, 0, "datagram", SFL_VERSION, dg->version);
		return -1;
	}
	dg->agent.type = sfl_read_u32(r);
	if (dg->agent.type == SFL_ADDR_IP4) {
		const uint8_t *a = sfl_read_fixed(r, 4);
		if (a)
			memcpy(dg->agent.addr, a, 4);
	} else if (dg->agent.type == SFL_ADDR_IP6) {
		const uint8_t *a = sfl_read_fixed(r, 16);
		if (a)
			memcpy(dg->agent.addr, a, 16);
	} else if (!r->bad) {
		set_error(&dg->err, SFL_ERR_ADDRESS, 4, "agent_address", 0, dg->agent.type);
		return -1;
	}
	dg->sub_agent_id = sfl_read_u32(r);
	dg->seq = sfl_read_u32(r);
	dg->uptime_ms = sfl_read_u32(r);
	dg->num_samples = sfl_read_u32(r);
	if (r->bad) {
		set_error(&dg->err, SFL_ERR_TRUNCATED, sfl_reader_offset(r), "datagram_header",
			  0, 0);
		return -1;
	}
	return 0;
}

/* Split a compact interface word into format and value. */
static void split_if(uint32_t word, uint32_t *format, uint32_t *value)
{
	*format = SFL_IF_FORMAT(word);
	*value = SFL_IF_VALUE(word);
}

/* Sequence number and source id, compact (class << 24 | index) or expanded. */
static void read_seq_source(struct sfl_sample *s, struct sfl_reader *r)
{
	s->seq = sfl_read_u32(r);
	if (s->expanded) {
		s->ds_class = sfl_read_u32(r);
		s->ds_index = sfl_read_u32(r);
	} else {
		uint32_t id = sfl_read_u32(r);

		s->ds_class = id >> 24;
		s->ds_index = id & 0x00ffffffu;
	}
}

static void read_flow_header(struct sfl_sample *s, struct sfl_reader *r)
{
	read_seq_source(s, r);
	s->sampling_rate = sfl_read_u32(r);
	s->sample_pool = sfl_read_u32(r);
	s->drops = sfl_read_u32(r);
	if (s->expanded) {
		s->input_format = sfl_read_u32(r);
		s->input = sfl_read_u32(r);
		s->output_format = sfl_read_u32(r);
		s->output = sfl_read_u32(r);
	} else {
		split_if(sfl_read_u32(r), &s->input_format, &s->input);
		split_if(sfl_read_u32(r), &s->output_format, &s->output);
	}
}

/*
 * Discard samples (sflow_drops.txt) always use the expanded source id and
 * plain ifIndex words for input and output.
 */
static void read_discard_header(struct sfl_sample *s, struct sfl_reader *r)
{
	s->seq = sfl_read_u32(r);
	s->ds_class = sfl_read_u32(r);
	s->ds_index = sfl_read_u32(r);
	s->drops = sfl_read_u32(r);
	s->input = sfl_read_u32(r);
	s->output = sfl_read_u32(r);
	s->reason = sfl_read_u32(r);
}

/* Decode the fixed part of a known sample; leaves s->r at its records. */
static bool open_sample(struct sfl_sample *s)
{
	struct sfl_reader *r = &s->r;

	switch (s->tag) {
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_FLOW_EXPANDED:
		s->expanded = s->tag == SFL_SAMPLE_FLOW_EXPANDED;
		read_flow_header(s, r);
		s->kind = SFL_KIND_FLOW;
		break;
	case SFL_SAMPLE_COUNTERS:
	case SFL_SAMPLE_COUNTERS_EXPANDED:
		s->expanded = s->tag == SFL_SAMPLE_COUNTERS_EXPANDED;
		read_seq_source(s, r);
		s->kind = SFL_KIND_COUNTERS;
		break;
	case SFL_SAMPLE_DISCARD:
		s->expanded = true;
		read_discard_header(s, r);
		s->kind = SFL_KIND_FLOW;
		break;
	case SFL_SAMPLE_RTMETRIC:
	case SFL_SAMPLE_RTFLOW:
		s->known = true;
		return true; /* no records: walked with sfl_rt_open() */
	default:
		return true;
	}
	s->num_records = sfl_read_u32(r);
	s->known = true;
	if (r->bad) {
		set_error(s->err, SFL_ERR_TRUNCATED, sfl_reader_offset(r), "sample_header", 0, 0);
		return false;
	}
	/* each record takes at least 8 bytes: refuse impossible counts now */
	if (s->num_records > sfl_reader_left(r) / 8) {
		set_error(s->err, SFL_ERR_COUNT, sfl_reader_offset(r) - 4, "sample_records",
			  s->num_records, (uint32_t)(sfl_reader_left(r) / 8));
		return false;
	}
	return true;
}

bool sfl_datagram_next_sample(struct sfl_datagram *dg, struct sfl_sample *s)
{
	struct sfl_reader *r = &dg->r;

	if (dg->err.code != SFL_ERR_NONE)
		return false;
	if (dg->samples_read == dg->num_samples) {
		dg->trailing_bytes = (uint32_t)sfl_reader_left(r);
		return false;
	}
	memset(s, 0, sizeof(*s));
	s->err = &dg->err;
	s->tag = sfl_read_u32(r);
	s->len = sfl_read_u32(r);
	if (r->bad || s->len > sfl_reader_left(r)) {
		set_error(&dg->err, SFL_ERR_TRUNCATED, sfl_reader_offset(r), "sample",
			  s->len, (uint32_t)sfl_reader_left(r));
		return false;
	}
	s->offset = sfl_reader_offset(r);
	s->body = r->p;
	sfl_reader_init(&s->r, r->base, r->p, s->len);
	r->p += s->len;
	dg->samples_read++;
	return open_sample(s);
}

/* Called when the last record has been read: the sample must be used up. */
static bool finish_sample(struct sfl_sample *s)
{
	if (sfl_reader_left(&s->r) != 0)
		set_error(s->err, SFL_ERR_LENGTH, s->offset, "sample", s->len,
			  s->len - (uint32_t)sfl_reader_left(&s->r));
	return false;
}

bool sfl_sample_next_record_raw(struct sfl_sample *s, struct sfl_record *rec)
{
	struct sfl_reader *r = &s->r;

	if (!s->known || s->err->code != SFL_ERR_NONE)
		return false;
	if (s->tag == SFL_SAMPLE_RTMETRIC || s->tag == SFL_SAMPLE_RTFLOW)
		return false;
	if (s->records_read == s->num_records)
		return finish_sample(s);
	rec->tag = sfl_read_u32(r);
	rec->len = sfl_read_u32(r);
	rec->kind = s->kind;
	rec->known = false;
	if (r->bad || rec->len > sfl_reader_left(r)) {
		set_error(s->err, SFL_ERR_TRUNCATED, sfl_reader_offset(r),
			  s->kind == SFL_KIND_FLOW ? "flow_record" : "counters_record", rec->len,
			  (uint32_t)sfl_reader_left(r));
		return false;
	}
	rec->body = r->p;
	r->p += rec->len;
	s->records_read++;
	return true;
}

bool sfl_sample_next_record(struct sfl_sample *s, struct sfl_record *rec)
{
	if (!sfl_sample_next_record_raw(s, rec))
		return false;
	return sfl_record_decode(rec, (uint32_t)(rec->body - s->r.base), s->err) == 0;
}

int sfl_rt_open(const struct sfl_sample *s, struct sfl_rt_sample *rt)
{
	struct sfl_reader *r = &rt->r;
	const uint8_t *name;

	memset(rt, 0, sizeof(*rt));
	rt->err = s->err;
	rt->is_flow = s->tag == SFL_SAMPLE_RTFLOW;
	sfl_reader_init(r, s->r.base, s->body, s->len);
	name = sfl_read_opaque(r, s->len, &rt->datasource.len);
	rt->datasource.ptr = (const char *)name;
	if (rt->is_flow) {
		rt->sampling_rate = sfl_read_u32(r);
		rt->sample_pool = sfl_read_u32(r);
	}
	rt->num_entries = sfl_read_u32(r);
	if (r->bad) {
		set_error(s->err, SFL_ERR_TRUNCATED, sfl_reader_offset(r),
			  rt->is_flow ? "rtflow_sample" : "rtmetric_sample", 0, 0);
		return -1;
	}
	return 0;
}

static void read_rt_value(struct sfl_rt_sample *rt, struct sfl_rt_entry *e)
{
	struct sfl_reader *r = &rt->r;
	uint32_t t = e->type;

	if (t == SFL_RTM_STRING) { /* 0 is a string in both namespaces */
		e->str.ptr = (const char *)sfl_read_opaque(r, UINT32_MAX, &e->str.len);
	} else if (!rt->is_flow) {
		if (t == SFL_RTM_COUNTER32 || t == SFL_RTM_GAUGE32)
			e->u64 = sfl_read_u32(r);
		else if (t == SFL_RTM_COUNTER64 || t == SFL_RTM_GAUGE64)
			e->u64 = sfl_read_u64(r);
		else if (t == SFL_RTM_GAUGE_FLOAT)
			e->dbl = sfl_read_float(r);
		else if (t == SFL_RTM_GAUGE_DOUBLE) {
			uint64_t bits = sfl_read_u64(r);
			memcpy(&e->dbl, &bits, sizeof(e->dbl));
		} else
			r->bad = true;
	} else {
		if (t == SFL_RTF_MAC)
			e->raw = sfl_read_fixed(r, 6);
		else if (t == SFL_RTF_IP)
			e->raw = sfl_read_fixed(r, 4);
		else if (t == SFL_RTF_IP6)
			e->raw = sfl_read_fixed(r, 16);
		else if (t == SFL_RTF_INT32)
			e->u64 = sfl_read_u32(r);
		else if (t == SFL_RTF_INT64)
			e->u64 = sfl_read_u64(r);
		else if (t == SFL_RTF_FLOAT)
			e->dbl = sfl_read_float(r);
		else if (t == SFL_RTF_DOUBLE) {
			uint64_t bits = sfl_read_u64(r);
			memcpy(&e->dbl, &bits, sizeof(e->dbl));
		} else
			r->bad = true;
	}
}

bool sfl_rt_next(struct sfl_rt_sample *rt, struct sfl_rt_entry *e)
{
	struct sfl_reader *r = &rt->r;
	const char *what = rt->is_flow ? "rtflow_sample" : "rtmetric_sample";

	if (rt->err->code != SFL_ERR_NONE)
		return false;
	if (rt->entries_read == rt->num_entries) {
		if (sfl_reader_left(r) != 0)
			set_error(rt->err, SFL_ERR_LENGTH, sfl_reader_offset(r), what,
				  (uint32_t)(r->end - r->base), sfl_reader_offset(r));
		return false;
	}
	memset(e, 0, sizeof(*e));
	e->name.ptr = (const char *)sfl_read_opaque(r, UINT32_MAX, &e->name.len);
	e->type = sfl_read_u32(r);
	if (!r->bad)
		read_rt_value(rt, e);
	if (r->bad) {
		set_error(rt->err, e->type > 7 ? SFL_ERR_VALUE : SFL_ERR_TRUNCATED,
			  sfl_reader_offset(r), what, 0, e->type);
		return false;
	}
	rt->entries_read++;
	return true;
}

const char *sfl_error_name(enum sfl_error_code code)
{
	switch (code) {
	case SFL_ERR_NONE:
		return "no error";
	case SFL_ERR_TRUNCATED:
		return "truncated";
	case SFL_ERR_VERSION:
		return "unsupported version";
	case SFL_ERR_ADDRESS:
		return "bad address type";
	case SFL_ERR_LENGTH:
		return "length error";
	case SFL_ERR_COUNT:
		return "count error";
	case SFL_ERR_VALUE:
		return "bad value";
	}
	return "unknown error";
}

const char *sfl_error_format(const struct sfl_error *err, char *buf, size_t len)
{
	const char *what = err->what ? err->what : "datagram";

	switch (err->code) {
	case SFL_ERR_VERSION:
		snprintf(buf, len, "unsupported sFlow version %u", err->found);
		break;
	case SFL_ERR_ADDRESS:
		snprintf(buf, len, "%s: bad address type %u at byte %u", what, err->found,
			 err->offset);
		break;
	case SFL_ERR_LENGTH:
	case SFL_ERR_COUNT:
		snprintf(buf, len, "%s %s (expected %u, found %u) at byte %u", what,
			 sfl_error_name(err->code), err->expected, err->found, err->offset);
		break;
	default:
		snprintf(buf, len, "%s %s at byte %u", what, sfl_error_name(err->code),
			 err->offset);
		break;
	}
	return buf;
}
