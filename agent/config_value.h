/*
 * agent/config_value.h: value parsers and printers for the key types of
 * agent/config.h (enum agent_config_type), used by agent/config.c. A parser
 * checks one value word against its key (type, range, size) and stores it
 * into the key's field of a block instance; a printer writes the field back
 * as "key = value" lines that parse to the same value. Pure functions over
 * caller memory; the only allocation is regcomp() for AGENT_CONFIG_REGEX.
 */
#ifndef RTFLOW_AGENT_CONFIG_VALUE_H
#define RTFLOW_AGENT_CONFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent/config.h"

/* Store `val` for key `k` (written as `key` in the file, which for a
 * "name." key carries the <x>) into inst + k->offset; inst NULL checks
 * only. Returns 0, 1 when the value is accepted but not acted on (e.g.
 * per-application sampling.http), or -1 with a reason in why[0..why_len). */
int config_value_parse(const struct agent_config_key *k, const char *key, const char *val,
		       void *inst, char *why, size_t why_len);

/* Write `k`'s field of inst as config lines, each prefixed by indent.
 * Unset optional values print as a comment. */
void config_value_print(FILE *f, const struct agent_config_key *k, const void *inst,
			const char *indent);

/* "10G", "100M", "1500" (bps; K/M/G/T/P are x1000 steps). */
bool config_value_speed(const char *s, uint64_t *out_bps);

/* Release what parsing allocated in k's field (a compiled regex). */
void config_value_fini(const struct agent_config_key *k, void *inst);

#endif
