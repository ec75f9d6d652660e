/*
 * sflow/dump/run.h: the two ways rtflow-dump runs: over a capture file
 * until its end, or on a UDP port until SIGINT/SIGTERM. Each datagram is
 * forwarded (-f) or decoded and printed. Errors go to stderr with one
 * line each and a closing summary when anything was rejected.
 */
#ifndef DUMP_RUN_H
#define DUMP_RUN_H

#include "sflow/dump/opts.h"

#define RUN_OK 0
#define RUN_FATAL 1     /* usage, input, socket or output failure */
#define RUN_REJECTED 2  /* finished, but some datagrams could not be decoded */

/* Run as `o` says; returns the process exit status. */
int run(const struct opts *o);

#endif
