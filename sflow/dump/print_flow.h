/*
 * sflow/dump/print_flow.h: printers of flow records (flow samples and the
 * records of discard samples), with sflowtool's field names and order.
 *
 * Each record is one JSON object in the sample's "elements" list; its
 * first field is flowBlock_tag. Records that sflowtool does not decode are
 * reported as "skipping unknown flow_sample_element" lines (text and -g
 * formats) whether or not libsflow knows them, as sflowtool does.
 */
#ifndef DUMP_PRINT_FLOW_H
#define DUMP_PRINT_FLOW_H

#include "sflow/dump/print.h"
#include "sflow/dump/sample.h"
#include "sflow/records.h"

/* Print one flow record and update the sample state `s` from it. */
void print_flow_record(struct print *p, struct dump_sample *s, const struct sfl_record *rec);

#endif
