/*
 * sflow/dump/reasons.h: discard reason code names, as sflowtool prints
 * them in the discardReason field of discard samples.
 */
#ifndef DUMP_REASONS_H
#define DUMP_REASONS_H

#include <stdint.h>

/* The registry name of `code`, or NULL when it has none. */
const char *reasons_name(uint32_t code);

#endif
