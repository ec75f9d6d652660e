/*
 * sflow/decode.h: sFlow v5 datagram decoder (analyzer side).
 *
 * Zero-copy iteration over one datagram held by the caller:
 *
 *	struct sfl_datagram dg;
 *	struct sfl_sample s;
 *	struct sfl_record rec;
 *
 *	if (sfl_datagram_init(&dg, buf, len) == -1)
 *		... dg.err says why ...
 *	while (sfl_datagram_next_sample(&dg, &s))
 *		while (sfl_sample_next_record(&s, &rec))
 *			... rec.known ? rec.v.<type> : rec.body ...
 *	if (dg.err.code != SFL_ERR_NONE)
 *		... the datagram is bad from dg.err.offset on ...
 *
 * Every structure is checked against its declared length (a record whose
 * typed decode does not consume exactly its length is an error, except the
 * grown forms of host_cpu and jvm_statistics), counts must match what
 * follows. Bytes after the last sample are not an error (real switches
 * send them and sflowtool ignores them) but are counted in
 * dg.trailing_bytes so a collector can report them. Unknown samples and
 * records are returned raw (known = false) and skipped by length. Errors
 * are sticky in dg.err and stop the iteration. Nothing is allocated and
 * nothing is read outside buf[0..len). Pointers in samples and records
 * point into `buf` and live as long as it does. Not thread-safe per
 * datagram; distinct datagrams may be decoded on distinct threads.
 */
#ifndef SFL_DECODE_H
#define SFL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/records.h"
#include "sflow/xdr_read.h"

enum sfl_error_code {
	SFL_ERR_NONE = 0,
	SFL_ERR_TRUNCATED,    /* a structure runs past the end of its container */
	SFL_ERR_VERSION,      /* datagram version is not 5 */
	SFL_ERR_ADDRESS,      /* an address type is not 0, 1 or 2 (agent: 1 or 2) */
	SFL_ERR_LENGTH,       /* declared length differs from the bytes its content takes */
	SFL_ERR_COUNT,        /* a count disagrees with what follows, or bytes trail */
	SFL_ERR_VALUE,        /* a field holds a value the format does not allow */
};

struct sfl_error {
	enum sfl_error_code code;
	uint32_t offset;      /* byte offset in the datagram where it was found */
	const char *what;     /* static name of the structure ("flow_sample") */
	uint32_t expected;    /* for LENGTH/COUNT: what the header declared */
	uint32_t found;       /* for LENGTH/COUNT: what the content took */
};

struct sfl_datagram {
	uint32_t version;
	struct sfl_address agent;
	uint32_t sub_agent_id;
	uint32_t seq;
	uint32_t uptime_ms;
	uint32_t num_samples;
	uint32_t samples_read;   /* samples returned so far */
	uint32_t len;            /* datagram bytes */
	uint32_t trailing_bytes; /* bytes after the last sample (ignored, as
				  * sflowtool does; some switches pad) */
	struct sfl_reader r;     /* cursor at the next sample */
	struct sfl_error err;    /* sticky; code SFL_ERR_NONE while good */
};

struct sfl_sample {
	uint32_t tag;            /* enum sfl_sample_tag or another enterprise:format */
	bool known;              /* formats 0:1..0:5 and 4300:1002/1003 */
	const uint8_t *body;     /* raw body (after tag and length) */
	uint32_t len;            /* body bytes */
	uint32_t offset;         /* body offset in the datagram */

	uint32_t seq;            /* sample sequence number */
	uint32_t ds_class;       /* source id class (enum sfl_ds_class) */
	uint32_t ds_index;       /* source id index */
	/* flow and discard samples */
	uint32_t sampling_rate;  /* 1 in N (flow samples only) */
	uint32_t sample_pool;    /* packets that could have been sampled */
	uint32_t drops;          /* samples lost for lack of resources */
	uint32_t input_format;   /* enum sfl_if_format */
	uint32_t input;          /* ifIndex, or the value for format 1/2 */
	uint32_t output_format;
	uint32_t output;
	uint32_t reason;         /* discard samples: drop reason */
	bool expanded;           /* 0:3/0:4 (and 0:5) source and interface form */

	uint32_t num_records;    /* flow or counter records that follow */
	uint32_t records_read;
	enum sfl_record_kind kind;
	struct sfl_reader r;     /* cursor at the next record */
	struct sfl_error *err;   /* the datagram's error */
};

/* rtmetric (4300:1002) and rtflow (4300:1003) samples: a name and typed
 * (name, value) entries, walked with sfl_rt_next(). */
enum sfl_rtmetric_type {
	SFL_RTM_STRING = 0, SFL_RTM_COUNTER32 = 1, SFL_RTM_COUNTER64 = 2,
	SFL_RTM_GAUGE32 = 3, SFL_RTM_GAUGE64 = 4, SFL_RTM_GAUGE_FLOAT = 5,
	SFL_RTM_GAUGE_DOUBLE = 6,
};
enum sfl_rtflow_type {
	SFL_RTF_STRING = 0, SFL_RTF_MAC = 1, SFL_RTF_IP = 2, SFL_RTF_IP6 = 3,
	SFL_RTF_INT32 = 4, SFL_RTF_INT64 = 5, SFL_RTF_FLOAT = 6, SFL_RTF_DOUBLE = 7,
};

struct sfl_rt_entry {
	struct sfl_str name;
	uint32_t type;       /* enum sfl_rtmetric_type or enum sfl_rtflow_type */
	struct sfl_str str;  /* STRING */
	const uint8_t *raw;  /* MAC (6), IP (4), IP6 (16) */
	uint64_t u64;        /* every integer type */
	double dbl;          /* FLOAT and DOUBLE */
};

struct sfl_rt_sample {
	struct sfl_str datasource;
	uint32_t sampling_rate;  /* rtflow only */
	uint32_t sample_pool;    /* rtflow only */
	uint32_t num_entries;
	uint32_t entries_read;
	bool is_flow;            /* 4300:1003 */
	struct sfl_reader r;
	struct sfl_error *err;
};

/*
 * Parse the datagram header of buf[0..len). Returns 0, or -1 with dg->err
 * set (then no sample can be read). `buf` must outlive `dg`.
 */
int sfl_datagram_init(struct sfl_datagram *dg, const uint8_t *buf, size_t len);

/*
 * The next sample, with its common fields decoded for known formats.
 * Returns false after the last sample or on error (dg->err.code != 0).
 * After the last sample it records any trailing bytes in dg->trailing_bytes.
 */
bool sfl_datagram_next_sample(struct sfl_datagram *dg, struct sfl_sample *s);

/*
 * The next record of a flow, counters or discard sample, typed when the
 * format is known. Returns false after the last record or on error; at the
 * end it checks the sample held exactly its records.
 */
bool sfl_sample_next_record(struct sfl_sample *s, struct sfl_record *rec);

/* As sfl_sample_next_record() but leaves rec->v undecoded (fast skip). */
bool sfl_sample_next_record_raw(struct sfl_sample *s, struct sfl_record *rec);

/*
 * Typed decode of one record body. rec->tag, kind, body and len must be
 * set; fills rec->v and rec->known. Returns 0 (also for unknown formats,
 * known = false) or -1 with *err set; `offset` is rec->body's offset in
 * the datagram, for the error.
 */
int sfl_record_decode(struct sfl_record *rec, uint32_t offset, struct sfl_error *err);

/* Open an rtmetric/rtflow sample (s->tag 4300:1002/1003). 0 or -1. */
int sfl_rt_open(const struct sfl_sample *s, struct sfl_rt_sample *rt);
bool sfl_rt_next(struct sfl_rt_sample *rt, struct sfl_rt_entry *e);

/* "flow_sample length error (expected 72, found 76) at byte 36" into buf. */
const char *sfl_error_format(const struct sfl_error *err, char *buf, size_t len);
const char *sfl_error_name(enum sfl_error_code code);

#endif
