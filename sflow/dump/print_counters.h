/*
 * sflow/dump/print_counters.h: printers of counter records, with
 * sflowtool's field names and order. Each record is one JSON object in the
 * sample's "elements" list, starting with counterBlock_tag. Records that
 * sflowtool does not decode are reported as "skipping unknown
 * counters_sample_element" lines in the text and -g formats.
 */
#ifndef DUMP_PRINT_COUNTERS_H
#define DUMP_PRINT_COUNTERS_H

#include "sflow/dump/print.h"
#include "sflow/dump/sample.h"
#include "sflow/records.h"

/* Print one counter record; if_counters and vlan_counters also update `s`. */
void print_counters_record(struct print *p, struct dump_sample *s, const struct sfl_record *rec);

#endif
