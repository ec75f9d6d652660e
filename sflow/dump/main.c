/*
 * sflow/dump/main.c: rtflow-dump, an sflowtool-compatible sFlow decoder.
 *
 * Reads sFlow v5 datagrams from a capture file (-r) or a UDP port (-p),
 * decodes them with libsflow and prints them in sflowtool's formats, or
 * forwards them unchanged (-f). Option parsing is in opts.c, the loops in
 * run.c, the printing in dump.c and the print_*.c files.
 */
#include <stdio.h>

#include "sflow/dump/opts.h"
#include "sflow/dump/run.h"

int main(int argc, char **argv)
{
	struct opts o;
	char err[256];

	if (opts_parse(&o, argc, argv, err, sizeof(err)) == -1) {
		fprintf(stderr, "rtflow-dump: %s\n", err);
		opts_usage(stderr, argv[0]);
		return RUN_FATAL;
	}
	if (o.help) {
		opts_usage(stdout, argv[0]);
		return RUN_OK;
	}
	return run(&o);
}
