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
	/* Runs of words around the address: one bounds check each. */
	sfl_write_u32s(w, (const uint32_t[2]){ SFL_VERSION, hdr->agent.type }, 2);
	sfl_write_fixed(w, hdr->agent.addr, hdr->agent.type == SFL_ADDR_IP4 ? 4 : 16);
	sfl_write_u32s(w, (const uint32_t[3]){ hdr->sub_agent_id, hdr->seq, hdr->uptime_ms }, 3);
	e->num_samples_at = sfl_writer_reserve(w);
	return w->full ? -1 : 0;
}

static bool compact_ok(const struct sfl_sample *s)
{
	return s->ds_class <= 0xff && s->ds_index <= SFL_COMPACT_INDEX_MAX &&
	       s->input_format <= 3 && s->input <= SFL_COMPACT_IF_MAX &&
	       s->output_format <= 3 && s->output <= SFL_COMPACT_IF_MAX;
}

/*
 * The fixed part of a sample is gathered into words[] and written as one
 * run (one bounds check, see sfl_write_u32s). Each helper appends at
 * words[n] and returns the new count; an expanded flow sample is the
 * longest form: tag, length, 10 fields, record count.
 */
#define SFL_SAMPLE_HDR_WORDS 13

static size_t put_source(uint32_t *words, size_t n, const struct sfl_sample *s, bool expanded)
{
	if (expanded) {
		words[n++] = s->ds_class;
		words[n++] = s->ds_index;
	} else {
		words[n++] = s->ds_class << 24 | s->ds_index;
	}
	return n;
}

static size_t put_flow_fields(uint32_t *words, size_t n, const struct sfl_sample *s,
			      bool expanded)
{
	words[n++] = s->seq;
	n = put_source(words, n, s, expanded);
	words[n++] = s->sampling_rate;
	words[n++] = s->sample_pool;
	words[n++] = s->drops;
	if (expanded) {
		words[n++] = s->input_format;
		words[n++] = s->input;
		words[n++] = s->output_format;
		words[n++] = s->output;
	} else {
		words[n++] = s->input_format << 30 | s->input;
		words[n++] = s->output_format << 30 | s->output;
	}
	return n;
}

static size_t put_discard_fields(uint32_t *words, size_t n, const struct sfl_sample *s)
{
	words[n++] = s->seq;
	n = put_source(words, n, s, true);
	words[n++] = s->drops;
	words[n++] = s->input;
	words[n++] = s->output;
	words[n++] = s->reason;
	return n;
}

/*
 * The words of the fixed part of sample `s`: tag, length (0, patched when
 * the sample closes), the format's fields, and for a sample with records
 * their count (0, patched likewise) as the last word. Returns the count;
 * *has_records is false for a raw sample (body from sfl_encode_raw()).
 */
static size_t sample_header(uint32_t *words, const struct sfl_sample *s, bool *has_records)
{
	size_t n = 0;

	words[n++] = s->tag;
	words[n++] = 0;
	*has_records = true;
	switch (s->tag) {
	case SFL_SAMPLE_FLOW:
	case SFL_SAMPLE_FLOW_EXPANDED:
		n = put_flow_fields(words, n, s, s->tag == SFL_SAMPLE_FLOW_EXPANDED);
		break;
	case SFL_SAMPLE_COUNTERS:
	case SFL_SAMPLE_COUNTERS_EXPANDED:
		words[n++] = s->seq;
		n = put_source(words, n, s, s->tag == SFL_SAMPLE_COUNTERS_EXPANDED);
		break;
	case SFL_SAMPLE_DISCARD:
		n = put_discard_fields(words, n, s);
		break;
	default:
		*has_records = false;
		return n;
	}
	words[n++] = 0;
	return n;
}

int sfl_encode_sample_begin(struct sfl_encoder *e, const struct sfl_sample *s)
{
	struct sfl_writer *w = &e->w;
	uint32_t words[SFL_SAMPLE_HDR_WORDS];
	bool has_records;
	size_t n;

	if (e->in_sample || e->bad)
		return -1;
	if ((s->tag == SFL_SAMPLE_FLOW || s->tag == SFL_SAMPLE_COUNTERS) && !compact_ok(s))
		return -1;
	n = sample_header(words, s, &has_records);
	e->sample_mark = sfl_writer_mark(w);
	e->sample_tag = s->tag;
	e->num_records = 0;
	e->sample_len_at = e->sample_mark + 4;
	/* Never 0 (it follows the tag): 0 is what marks a raw sample. */
	e->records_count_at = has_records ? e->sample_mark + 4 * (n - 1) : 0;
	e->in_sample = true;
	e->full = false;
	sfl_write_u32s(w, words, n);
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
	/* The tag and the length word (patched below) as one run. */
	sfl_write_u32s(w, (const uint32_t[2]){ rec->tag, 0 }, 2);
	body_at = sfl_writer_len(w);
	len_at = body_at - 4;
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
