/*
 * sflow/dump/print_app.h: printers of the flow records from 1036 up: drop
 * annotations (egress queue, function, hardware trap, Linux reason),
 * transit delay, timestamps, sockets, memcache, HTTP, application
 * operations, TCP info and entities. Split from print_flow.c by concern.
 */
#ifndef DUMP_PRINT_APP_H
#define DUMP_PRINT_APP_H

#include <stdbool.h>

#include "sflow/dump/print.h"
#include "sflow/dump/sample.h"
#include "sflow/records.h"

/* Print a known record of these formats; false if sflowtool has no
 * printer for rec->tag (the caller then reports it as skipped). */
bool print_app_record(struct print *p, struct dump_sample *s, const struct sfl_record *rec);

#endif
