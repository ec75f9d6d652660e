/*
 * analyzer/flow_keys_internal.h: what flow_keys.c (the key table and
 * formatting) and flow_keys_pkt.c (the header parser) share.
 */
#ifndef RTFLOW_ANALYZER_FLOW_KEYS_INTERNAL_H
#define RTFLOW_ANALYZER_FLOW_KEYS_INTERNAL_H

#include "analyzer/flow_keys.h"

/* Parse fs->header into fs->pkt (once; flow_pkt_find calls it). */
void flow_pkt_parse(struct flow_sample *fs);

/* The first layer `proto` at tunnel depth `depth`, or NULL. */
const struct flow_pkt_layer *flow_pkt_find(struct flow_sample *fs, uint8_t proto, uint8_t depth);

#endif
