/*
 * sflow/encode.c: datagram and sample level of the sFlow v5 encoder.
 *
 * The header is written at sfl_encode_begin() with a zero sample count that
 * sfl_encode_end() patches. Each sample reserves its length word (and its
 * record count) when it opens and patches them when it closes; a sample
 * that overflowed the capacity, or held a value that cannot be encoded, is
 * rewound away whole so the datagram built so far stays valid. Record
 * bodies are written by sfl_record_encode_body() (records.c).
 */
#include "sflow/encode.h"

#define SFL_COMPACT_INDEX_MAX 0x00ffffffu
#define SFL_COMPACT_IF_MAX 0x3fffffffu

int sfl_encode_begin(struct sfl_encoder *e, uint8_t *buf, size_t cap,
		     const struct sfl_datagram_hdr *hdr)
{
	struct sfl_writer *w = &e->w;

	memset(e, 0, sizeof(*e));
	sfl_writer_init(w, buf, cap);
	if (hdr->agent.type != SFL_ADDR_IP4 && hdr->agent.type != SFL_ADDR_IP6) {
		e->bad = true;
		return -1;
	}
	sfl_write_u32(w, SFL_VERSION);
	sfl_write_u32(w, hdr->agent.type);
	sfl_write_fixed(w, hdr->agent.addr, hdr->agent.type == SFL_ADDR_IP4 ? 4 : 16);
	sfl_write_u32(w, hdr->sub_agent_id);
	sfl_write_u32(w, hdr->seq);
	sfl_write_u32(w, hdr->uptime_ms);
	e->num_samples_at = sfl_writer_reserve(w);
	return w->full ? -1 : 0;
}

static bool compact_ok(const struct sfl_sample *s)
{
	return s->ds_class <= 0xff && s->ds_index <= SFL_COMPACT_INDEX_MAX &&
	       s->input_format <= 3 && s->input <= SFL_COMPACT_IF_MAX &&
	       s->output_format <= 3 && s->output <= SFL_COMPACT_IF_MAX;
}

static void write_source(struct sfl_writer *w, const struct sfl_sample *s, bool expanded)
{
	if (expanded) {
		sfl_write_u32(w, s->ds_class);
		sfl_write_u32(w, s->ds_index);
	} else {
		sfl_write_u32(w, s->ds_class << 24 | s->ds_index);
	}
}

static void write_flow_fields(struct sfl_writer *w, const struct sfl_sample *s, bool expanded)
{
	sfl_write_u32(w, s->seq);
	write_source(w, s, expanded);
	sfl_write_u32(w, s->sampling_rate);
	sfl_write_u32(w, s->sample_pool);
	sfl_write_u32(w, s->drops);
	if (expanded) {
		sfl_write_u32(w, s->input_format);
		sfl_write_u32(w, s->input);
		sfl_write_u32(w, s->output_format);
		sfl_write_u32(w, s->output);
	} else {
		sfl_write_u32(w, s->input_format << 30 | s->input);
		sfl_write_u32(w, s->output_format << 30 | s->output);
	}
}

static void write_discard_fields(struct sfl_writer *w, const struct sfl_sample *s)
{
	sfl_write_u32(w, s->seq);
	write_source(w, s, true);
	sfl_write_u32(w, s->drops);
	sfl_write_u32(w, s->input);
	sfl_write_u32(w, s->output);
	sfl_write_u32(w, s->reason);
}

int sfl_encode_sample_begin(struct sfl_encoder *e, const struct sfl_sample *s)
{
	struct sfl_writer *w = &e->w;
	bool has_records = true;

	if (e->in_sample || e->bad)
		return -1;
	if ((s->tag == SFL_SAMPLE_FLOW || s->tag == SFL_SAMPLE_COUNTERS) && !compact_ok(s))
		return -1;
	e->sample_mark = sfl_writer_mark(w);
	e->sample_tag = s->tag;
	e->num_records = 0;
	e->records_count_at = 0;
	e->in_sample = true;
	e->full = false;
	sfl_write_u32(w, s->tag);
	e->sample_len_at = sfl_writer_reserve(w);
	switch (s->tag) {
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_FLOW_EXPANDED:
		write_flow_fields(w, s, s->tag == SFL_SAMPLE_FLOW_EXPANDED);
		break;
	case SFL_SAMPLE_COUNTERS:
	case SFL_SAMPLE_COUNTERS_EXPANDED:
		sfl_write_u32(w, s->seq);
		write_source(w, s, s->tag == SFL_SAMPLE_COUNTERS_EXPANDED);
		break;
	case SFL_SAMPLE_DISCARD:
		write_discard_fields(w, s);
		break;
	default:
		has_records = false; /* raw sample: body from sfl_encode_raw() */
		break;
	}
	if (has_records)
		e->records_count_at = sfl_writer_reserve(w);
	return 0;
}

static bool sample_has_records(const struct sfl_encoder *e)
{
	return e->records_count_at != 0;
}

int sfl_encode_record(struct sfl_encoder *e, const struct sfl_record *rec)
{
	struct sfl_writer *w = &e->w;
	size_t len_at, body_at;

	if (!e->in_sample || !sample_has_records(e))
		return -1;
	sfl_write_u32(w, rec->tag);
	len_at = sfl_writer_reserve(w);
	body_at = sfl_writer_len(w);
	if (rec->known) {
		if (sfl_record_encode_body(w, rec->kind, rec->tag, &rec->v) == -1) {
			e->bad = true;
			return -1;
		}
	} else {
		sfl_write_fixed(w, rec->body, rec->len);
	}
	if (w->full)
		return -1;
	sfl_writer_put_u32_at(w, len_at, (uint32_t)(sfl_writer_len(w) - body_at));
	e->num_records++;
	return 0;
}

int sfl_encode_raw(struct sfl_encoder *e, const void *bytes, size_t len)
{
	if (!e->in_sample || sample_has_records(e) || (len & 3) != 0)
		return -1;
	sfl_write_fixed(&e->w, bytes, len);
	return e->w.full ? -1 : 0;
}

int sfl_encode_sample_end(struct sfl_encoder *e)
{
	struct sfl_writer *w = &e->w;
	size_t body_at = e->sample_len_at + 4;

	if (!e->in_sample)
		return -1;
	e->in_sample = false;
	if (w->full || e->bad) {
		e->full = w->full;
		e->bad = false;
		sfl_writer_rewind(w, e->sample_mark);
		return -1;
	}
	if (sample_has_records(e))
		sfl_writer_put_u32_at(w, e->records_count_at, e->num_records);
	sfl_writer_put_u32_at(w, e->sample_len_at, (uint32_t)(sfl_writer_len(w) - body_at));
	e->num_samples++;
	return 0;
}

size_t sfl_encode_end(struct sfl_encoder *e)
{
	if (e->in_sample) {
		sfl_writer_rewind(&e->w, e->sample_mark);
		e->in_sample = false;
	}
	sfl_writer_put_u32_at(&e->w, e->num_samples_at, e->num_samples);
	return sfl_writer_len(&e->w);
}
