/*
 * analyzer/metrics.h: the table that turns sFlow counter records into
 * sFlow-RT metrics (reference/sflow-rt-api.md §3), as pure functions.
 *
 * Every known counter record format has one metrics_record: its fields in
 * a fixed order, each {name, where in the typed record, how to read it,
 * kind}, then the names of the metrics derived from them. The store keeps
 * one value slot per field and derived name, in that order, per data
 * source, so the hot path indexes, never searches.
 *
 * Kinds: COUNTER32/COUNTER64 become per-second rates between two samples
 * (metrics_rate: 32-bit counters wrap, a 64-bit counter going backwards is
 * a reset and gives no rate); GAUGE values pass through; STRING values
 * stay strings. A counter of all ones means "unknown" (sFlow's rule) and
 * gives no value. Derived metrics are computed after the fields of one
 * record by the record's derive function from the field values.
 * Nothing here allocates, locks or keeps state.
 */
#ifndef RTFLOW_ANALYZER_METRICS_H
#define RTFLOW_ANALYZER_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/records.h"

#define METRICS_STR_MAX 256 /* longest string value kept (bytes, with NUL) */

enum metrics_kind {
	METRICS_COUNTER32,
	METRICS_COUNTER64,
	METRICS_GAUGE,
	METRICS_STRING,
};

/* How a field is read from the typed record (union sfl_record_value). */
enum metrics_type {
	METRICS_U32,
	METRICS_U64,
	METRICS_I32,        /* signed */
	METRICS_PCT100,     /* int32 hundredths of a percent, -1 unknown → percent */
	METRICS_MILLI,      /* int32 thousandths → units (SFP temperature) */
	METRICS_FLOAT,
	METRICS_STR,        /* struct sfl_str */
	METRICS_MAC,        /* uint8_t[6] → "001122334455" */
	METRICS_UUID,       /* uint8_t[16] → "8-4-4-4-12" hex */
	METRICS_ENUM,       /* uint32 → names[value], else the number */
	METRICS_ADMIN,      /* ifstatus bit 0 → "up"/"down" */
	METRICS_OPER,       /* ifstatus bit 1 → "up"/"down" */
};

struct metrics_field {
	const char *name;          /* sFlow-RT metric name */
	uint16_t offset;           /* in union sfl_record_value */
	uint8_t type;              /* enum metrics_type */
	uint8_t kind;              /* enum metrics_kind */
	const char *const *names;  /* METRICS_ENUM: value → name */
	uint32_t names_n;
};

/* One metric value: a number or a string, or nothing (valid == false). */
struct metrics_value {
	bool valid;
	bool is_string;
	double num;
	const char *str;           /* is_string: NUL-terminated, see metrics_read */
};

/*
 * Fills vals[nfields .. nfields + nderived) from the field values
 * vals[0 .. nfields) (rates or gauges, each maybe invalid) and the record;
 * may also rewrite field values (host_cpu turns CPU ms/s into percent).
 */
typedef void metrics_derive_fn(const union sfl_record_value *v, struct metrics_value *vals);

struct metrics_record {
	uint32_t tag;                      /* counter record format */
	const struct metrics_field *fields;
	uint32_t nfields;
	const char *const *derived;        /* derived metric names */
	uint32_t nderived;
	metrics_derive_fn *derive;         /* NULL when nderived == 0 */
};

/* The table entry for counter record `tag` in a data source of class
 * ds_class (host_descr and friends take vir_* names in class 3), or NULL. */
const struct metrics_record *metrics_lookup(uint32_t tag, uint32_t ds_class);

/* Name of slot i (< nfields + nderived) of rec. */
const char *metrics_slot_name(const struct metrics_record *rec, uint32_t i);

/*
 * Raw reading of field f of record v: integers in *u (counters), numbers
 * in out->num (gauges), strings copied NUL-terminated into buf[0..buflen)
 * (truncated) with out->str = buf. out->valid is false for an unknown
 * value (-1 percentages, all-ones counters).
 */
void metrics_read(const struct metrics_field *f, const union sfl_record_value *v,
		  struct metrics_value *out, uint64_t *u, char *buf, size_t buflen);

/*
 * Copy wire string s[0..n) into buf[0..buflen) NUL-terminated: it ends at
 * the first NUL or when buf is full, and control characters and bytes that
 * are not UTF-8 become '?', so every value prints as valid JSON text.
 */
void metrics_copy_str(char *buf, size_t buflen, const char *s, size_t n);

/*
 * Per-second rate of a counter of `kind` that went from prev to cur in
 * dt_ms. false when there is no rate: dt_ms == 0, or a 64-bit counter
 * went backwards (reset). 32-bit counters wrap modulo 2^32.
 */
bool metrics_rate(enum metrics_kind kind, uint64_t prev, uint64_t cur, uint64_t dt_ms,
		  double *per_s);

/* Every table entry, for listing and tests: *n entries. */
const struct metrics_record *metrics_table(size_t *n);

/* Record tables there are, counting the class-3 vir_* variants. */
#define METRICS_RECORDS_MAX 48

/* Dense id of a table returned by metrics_lookup (< METRICS_RECORDS_MAX). */
uint32_t metrics_record_id(const struct metrics_record *rec);

/*
 * For every record table id, the first slot named `name` there, or -1: a
 * query resolves a metric name once and then reads each data source's
 * slot by index instead of comparing names (which was most of the CPU of
 * a /metric/ALL request over thousands of data sources).
 */
void metrics_name_slots(const char *name, int16_t slots[METRICS_RECORDS_MAX]);

#endif
