/*
 * sflow/dump/print_sample.h: printers of whole samples: the fixed fields
 * of flow, discard and counter samples followed by their records, and the
 * name/value entries of rtmetric and rtflow samples, in sflowtool's order.
 * They also keep the -g context (data source, tags) current. Decode errors
 * are left in the datagram's error for the caller.
 */
#ifndef DUMP_PRINT_SAMPLE_H
#define DUMP_PRINT_SAMPLE_H

#include "sflow/decode.h"
#include "sflow/dump/print.h"
#include "sflow/dump/sample.h"

/* Flow samples, compact (0:1) and expanded (0:3). */
void print_sample_flow(struct print *p, struct dump_sample *st, struct sfl_sample *smp);

/* Discard samples (0:5): records under the "discarded_" prefix. */
void print_sample_discard(struct print *p, struct dump_sample *st, struct sfl_sample *smp);

/* Counter samples, compact (0:2) and expanded (0:4). */
void print_sample_counters(struct print *p, struct dump_sample *st, struct sfl_sample *smp);

/* rtmetric (4300:1002) and rtflow (4300:1003) samples. */
void print_sample_rt(struct print *p, const struct sfl_sample *smp);

#endif
