/*
 * agent/config_keys.h: the key tables agent/config.c walks: the keys of
 * sflow { } itself, the blocks inside it (collector, pcap) with theirs, and
 * the hsflowd module blocks rtflow-agent refuses because it does not build
 * them yet. A new module adds one struct agent_config_block to
 * config_keys_blocks and removes its name from config_keys_refused.
 */
#ifndef RTFLOW_AGENT_CONFIG_KEYS_H
#define RTFLOW_AGENT_CONFIG_KEYS_H

#include "agent/config.h"

/* Keys of sflow { }, stored in struct agent_config; ends with { NULL }. */
extern const struct agent_config_key config_keys_sflow[];

/* Blocks allowed inside sflow { }; ends with { NULL }. */
extern const struct agent_config_block config_keys_blocks[];

/* hsflowd module blocks that are refused with an error; ends with NULL. */
extern const char *const config_keys_refused[];

#endif
