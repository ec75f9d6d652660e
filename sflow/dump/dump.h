/*
 * sflow/dump/dump.h: one sFlow datagram in, sflowtool-compatible output
 * out. The core of rtflow-dump, shared by the capture reader, the live
 * socket loop and the fuzz target.
 *
 * dump_datagram() decodes the datagram with libsflow, prints it in the
 * configured format into the sink's buffer and writes the buffer with one
 * fwrite(). A datagram the decoder rejects is reported with one line on
 * `err` and counted; the output printed up to the fault is kept (closed
 * properly in JSON, with a "decodeError" field). With `out` NULL nothing
 * is written (the fuzz target's memory sink). Not thread-safe.
 */
#ifndef DUMP_DUMP_H
#define DUMP_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sflow/dump/fmt.h"
#include "sflow/dump/print.h"
#include "sflow/dump/sample.h"
#include "sflow/records.h"

/* Where a datagram came from. */
struct dump_meta {
	struct sfl_address source; /* sender; type 0 ("-") when read from a file */
	int64_t read_sec;          /* arrival time; 0 when read from a file */
	uint32_t read_usec;
	int64_t pcap_sec;          /* capture time; 0 when live */
	uint32_t pcap_usec;
	uint64_t frame;            /* frame number in the capture, 0 when live */
};

struct dump_stats {
	uint64_t datagrams;        /* handed to dump_datagram() */
	uint64_t rejected;         /* of which the decoder refused */
	uint64_t write_errors;
};

struct dump {
	struct print print;
	FILE *out;
	FILE *err;
	bool flush_each;           /* fflush(out) after every datagram (live) */
	struct dump_stats stats;
	struct dump_sample sample; /* the sample being printed */
	char agent[FMT_ADDRESS_LEN];
};

/*
 * Set up for `format` (`pretty` selects -J). For PRINT_PCAP the pcap file
 * header is queued at once, so the output is a valid capture even when no
 * datagram follows. Cannot fail; -L fields are added afterwards with
 * print_custom_parse(&d->print, ...).
 */
void dump_init(struct dump *d, enum print_format format, bool pretty, FILE *out, FILE *err);
void dump_fini(struct dump *d);

/* Decode and print one datagram. 0, or -1 when it was rejected. */
int dump_datagram(struct dump *d, const uint8_t *buf, size_t len, const struct dump_meta *m);

/* Write anything still queued and flush `out`. 0, or -1 on a write error. */
int dump_flush(struct dump *d);

#endif
