/*
 * sflow/dump/opts.h: rtflow-dump's command line (getopt), sflowtool's
 * option letters: -r file | -p port, -4/-6, -f host/port (repeatable),
 * and one output format of -j -J -l -L fields -g -t (default text).
 */
#ifndef DUMP_OPTS_H
#define DUMP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sflow/dump/live.h"
#include "sflow/dump/print.h"

#define OPTS_MAX_FORWARD 16
#define OPTS_DEFAULT_PORT 6343

struct opts {
	const char *read_path;       /* -r; NULL: listen */
	uint16_t port;               /* -p */
	enum live_family family;     /* -4 / -6 */
	enum print_format format;
	bool pretty;                 /* -J */
	const char *fields;          /* -L */
	const char *forward[OPTS_MAX_FORWARD]; /* -f */
	size_t n_forward;
	bool help;                   /* -h */
};

/* Parse argv; 0, or -1 with a message in err[errlen]. */
int opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen);

void opts_usage(FILE *f, const char *prog);

#endif
