/*
 * sflow/dump/print.h: the output sink of rtflow-dump.
 *
 * The record printers describe what they decode as (name, value) fields,
 * in sflowtool's order and with sflowtool's names; the sink renders the
 * fields in the chosen format: "name value" lines (text), the same with a
 * context prefix on every line (-g), one JSON object per datagram (-j,
 * -J), or it keeps the values of the fields named with -L for a CSV line.
 * Formats that print no fields (-l, -t, forwarding) make every field call
 * return at once. Field names get the prefixes pushed with
 * print_push_prefix() ("discarded_", "tunnel_ipv4_out_" ...).
 *
 * Everything for one datagram is appended to one growable buffer, which
 * the caller writes with a single fwrite() and then empties with
 * print_reset(). The buffer grows by doubling up to PRINT_MAX_BYTES; past
 * that the output is cut and `overflow` is set. Nothing is allocated per
 * field. Not thread-safe: one sink per thread.
 */
#ifndef DUMP_PRINT_H
#define DUMP_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sflow/records.h"

enum print_format {
	PRINT_TEXT,   /* default: "name value" lines */
	PRINT_GREP,   /* -g: context columns on every line */
	PRINT_JSON,   /* -j compact, -J pretty */
	PRINT_LINE,   /* -l: FLOW and CNTR CSV lines (written by the caller) */
	PRINT_CUSTOM, /* -L: selected fields as a CSV line per sample */
	PRINT_PCAP,   /* -t: sampled headers as pcap records (caller) */
	PRINT_NONE,   /* -f: nothing at all */
};

enum print_scope { PRINT_SCOPE_DATAGRAM = 1, PRINT_SCOPE_SAMPLE = 2 };

#define PRINT_MAX_PREFIX 4              /* sflowtool's nesting limit */
#define PRINT_MAX_BYTES (64u << 20)     /* output of one datagram */
#define PRINT_MAX_VALUE 2047            /* sflowtool's string scratch size - 1 */
#define PRINT_MAX_DEPTH 32              /* JSON levels remembered for unwinding */

/* -g: the context sflowtool repeats at the start of every line. */
struct print_context {
	char when[64];           /* ISO 8601 local time of the datagram */
	char agent[48];          /* agent address, "-" until known */
	uint32_t sub_agent_id;
	uint32_t seq;            /* datagram sequence number */
	uint32_t ds_class;
	uint32_t ds_index;
	uint32_t sample_tag;
	uint32_t record_tag;
};

/* -L: the selected fields and the value each took in this sample. */
struct print_custom {
	size_t n;
	char **names;            /* owned, NUL-terminated */
	char *values;            /* n slots of PRINT_MAX_VALUE + 1 bytes */
	uint8_t *scope;          /* enum print_scope of each value, 0 if unset */
	unsigned sample_fields;  /* sample-scope fields set since the last line */
};

struct print {
	enum print_format format;
	bool pretty;             /* -J: indented JSON */
	bool fields_on;          /* the format renders fields */
	char *buf;
	size_t len;
	size_t cap;
	bool overflow;           /* output was cut at PRINT_MAX_BYTES */

	const char *prefix[PRINT_MAX_PREFIX];
	unsigned nprefix;
	bool prefix_overflow;    /* a push went past PRINT_MAX_PREFIX */

	unsigned depth;          /* JSON nesting */
	char json_close[PRINT_MAX_DEPTH]; /* closing bracket of each open level */
	bool list_start;         /* JSON: next item is the first of its list */
	bool json_begin;         /* JSON: nothing printed yet for this datagram */

	enum print_scope scope;
	struct print_context ctx;
	struct print_custom custom;
};

/* Set up a sink; `pretty` only matters for PRINT_JSON. Cannot fail. */
void print_init(struct print *p, enum print_format format, bool pretty);
void print_fini(struct print *p);

/*
 * -L: select the fields named in `list` (separated by commas or spaces).
 * 0, or -1 when the list names no field.
 */
int print_custom_parse(struct print *p, const char *list);

/* Forget the buffered output and the per-datagram state. */
void print_reset(struct print *p);

/* Append raw bytes, or printf-formatted text, to the buffer. */
void print_raw(struct print *p, const void *data, size_t n);
void print_fmt(struct print *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A field: `value` is `len` bytes (escaped in JSON, raw elsewhere). */
void print_field_mem(struct print *p, const char *name, const char *value, size_t len);
void print_field(struct print *p, const char *name, const char *value);
void print_u32(struct print *p, const char *name, uint32_t v);
void print_u64(struct print *p, const char *name, uint64_t v);
void print_fieldf(struct print *p, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A wire string as sflowtool prints it: at most `max` bytes (its scratch
 * buffer size - 1) and no further than the first NUL.
 */
void print_str(struct print *p, const char *name, const char *s, size_t len, size_t max);
void print_mac(struct print *p, const char *name, const uint8_t *mac);
void print_address(struct print *p, const char *name, const struct sfl_address *a);
void print_tag(struct print *p, const char *name, uint32_t tag);

/*
 * Table-driven printing of a record struct: each column names a member by
 * offset and says how sflowtool prints it. Tables are listed in wire order.
 */
enum print_col_type {
	PRINT_COL_U32,   /* uint32_t (or int32_t shown unsigned), "%u" */
	PRINT_COL_U64,   /* uint64_t */
	PRINT_COL_PCT,   /* hundredths of a percent: "%.2f", "unknown" for -1 */
	PRINT_COL_FLOAT, /* float, "%.3f" */
};

struct print_col {
	const char *name;
	uint8_t type;      /* enum print_col_type */
	uint16_t offset;   /* offsetof the member */
};

#define PRINT_COL(type_, st, member, name_) { (name_), (type_), (uint16_t)offsetof(st, member) }

void print_cols(struct print *p, const void *base, const struct print_col *cols, size_t n);

/* A field under an extra, one-off prefix (sflowtool's *_formatted). */
void print_u32_prefixed(struct print *p, const char *prefix, const char *name, uint32_t v);

/* A free-form text line (sflowtool's sf_log): text and -g formats only. */
void print_log(struct print *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void print_push_prefix(struct print *p, const char *prefix);
void print_pop_prefix(struct print *p);

/* JSON nesting: `name` may be NULL for list items. No-ops in other formats. */
void print_json_open(struct print *p, const char *name, char bracket);
void print_json_close(struct print *p, char bracket);
/* JSON: close open levels until `depth` remain (error recovery). */
void print_json_unwind(struct print *p, unsigned depth);
/* JSON: a bare string item of the open list, as sflowtool prints MACs. */
void print_json_item(struct print *p, const char *value, bool first);

/* Datagram start and end markers, in the format's own way. */
void print_datagram_begin(struct print *p);
void print_datagram_end(struct print *p);

/* -L: emit the CSV line if any sample field matched; clear a scope. */
void print_custom_line(struct print *p);
void print_custom_clear(struct print *p, enum print_scope scope);

#endif
