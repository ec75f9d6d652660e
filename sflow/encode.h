/*
 * sflow/encode.h: sFlow v5 datagram builder (agent side, and tests).
 *
 * Builds one datagram in caller memory, sample by sample:
 *
 *	sfl_encode_begin(&e, buf, 1400, &hdr);
 *	sfl_encode_sample_begin(&e, &sample);      // flow, counters, discard
 *	sfl_encode_record(&e, &rec); ...           // typed or raw records
 *	if (sfl_encode_sample_end(&e) == -1)       // did not fit: dropped,
 *		... send what is there, start again ... // datagram still valid
 *	len = sfl_encode_end(&e);
 *
 * Length words and counts are patched in when a sample or the datagram is
 * closed, so they are always exact. When a sample does not fit in the
 * capacity the encoder rewinds to before it and reports -1 with `full`
 * set; the samples already closed stay valid. The encoder only writes into
 * `buf`; it never allocates, logs or reads clocks.
 */
#ifndef SFL_ENCODE_H
#define SFL_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/decode.h"
#include "sflow/records.h"
#include "sflow/xdr_write.h"

struct sfl_datagram_hdr {
	struct sfl_address agent; /* IPv4 or IPv6 */
	uint32_t sub_agent_id;
	uint32_t seq;             /* datagram sequence number */
	uint32_t uptime_ms;
};

struct sfl_encoder {
	struct sfl_writer w;
	size_t num_samples_at;    /* offset of the num_samples word */
	uint32_t num_samples;     /* samples closed so far */
	bool in_sample;
	uint32_t sample_tag;
	size_t sample_mark;       /* offset of the open sample's tag */
	size_t sample_len_at;     /* offset of its length word */
	size_t records_count_at;  /* offset of its record count, 0 if none */
	uint32_t num_records;
	bool full;                /* the last sample did not fit */
	bool bad;                 /* a value could not be encoded (see sfl_encode_*) */
};

/* Start a datagram in buf[0..cap). -1 if the header does not fit or the
 * agent address is not IPv4/IPv6. */
int sfl_encode_begin(struct sfl_encoder *e, uint8_t *buf, size_t cap,
		     const struct sfl_datagram_hdr *hdr);

/*
 * Open a sample of format s->tag: 0:1/0:3 use seq, ds_*, sampling_rate,
 * sample_pool, drops, input*, output*; 0:2/0:4 use seq and ds_*; 0:5 adds
 * drops, input, output and reason. The compact forms (0:1, 0:2) need
 * ds_index < 2^24 and interface values < 2^30 and return -1 otherwise.
 * Any other tag opens a raw sample whose body is written with
 * sfl_encode_raw().
 */
int sfl_encode_sample_begin(struct sfl_encoder *e, const struct sfl_sample *s);

/* Append one record to the open sample: typed when rec->known, else
 * rec->body/rec->len verbatim. 0, or -1 when it does not fit or a value
 * cannot be encoded; the sample is then dropped at sfl_encode_sample_end. */
int sfl_encode_record(struct sfl_encoder *e, const struct sfl_record *rec);

/* Append raw bytes (a multiple of 4) to the open raw sample. */
int sfl_encode_raw(struct sfl_encoder *e, const void *bytes, size_t len);

/* Close the open sample. 0, or -1 if anything in it did not fit: the
 * sample is removed and e->full is set. */
int sfl_encode_sample_end(struct sfl_encoder *e);

/* Patch the sample count and return the datagram length in bytes. */
size_t sfl_encode_end(struct sfl_encoder *e);

/*
 * Write the body of one typed record (no tag, no length word) with `w`.
 * Returns 0, or -1 when a value cannot be encoded (e.g. an address type
 * other than 0/1/2); running out of room sets w->full instead.
 */
int sfl_record_encode_body(struct sfl_writer *w, enum sfl_record_kind kind,
			   uint32_t tag, const union sfl_record_value *v);

#endif
