/*
 * sflow/dump/counters_cols.h: column tables of the counter records that
 * sflowtool prints as plain runs of numbers (see counters_cols.c), looked
 * up by tag, plus the tables of the records printed partly by code.
 */
#ifndef DUMP_COUNTERS_COLS_H
#define DUMP_COUNTERS_COLS_H

#include <stddef.h>
#include <stdint.h>

#include "sflow/dump/print.h"
#include "sflow/records.h"

struct counters_cols {
	uint32_t tag;
	const struct print_col *cols;
	size_t n;
};

/* The table for `tag`, or NULL when the record needs its own code. */
const struct counters_cols *counters_cols_find(uint32_t tag);

/* host_cpu: `short` columns in the 68-byte form, `long` in the 80-byte one. */
extern const struct print_col counters_host_cpu_cols[];
extern const size_t counters_host_cpu_short;
extern const size_t counters_host_cpu_long;

/* jvm_statistics: likewise for the 100- and 108-byte forms. */
extern const struct print_col counters_jvm_stats_cols[];
extern const size_t counters_jvm_stats_short;
extern const size_t counters_jvm_stats_long;

/* app_operations after the application name. */
extern const struct print_col counters_app_cols[];
extern const size_t counters_app_ncols;

#endif
