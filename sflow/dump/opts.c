/*
 * sflow/dump/opts.c: command line parsing (see opts.h).
 *
 * As in sflowtool, the last output format option wins and -f turns
 * decoding off (forward only). Unlike sflowtool, bad values are errors
 * rather than silently zero: -p takes 1..65535.
 */
#include "sflow/dump/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void opts_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [-r FILE | -p PORT [-4|-6]] [-j|-J|-l|-L FIELDS|-g|-t] [-f HOST/PORT]...\n"
		"\n"
		"Decode sFlow v5 datagrams and print them as sflowtool does.\n"
		"\n"
		"input:\n"
		"  -r FILE       read a pcap or pcapng capture (\"-\" = stdin); every UDP\n"
		"                payload is decoded, whatever its port\n"
		"  -p PORT       listen on UDP PORT (default %d), IPv4 and IPv6\n"
		"  -4, -6        listen on IPv4 only, IPv6 only\n"
		"output (default: \"name value\" lines between startDatagram/endDatagram):\n"
		"  -j            one compact JSON object per datagram\n"
		"  -J            pretty-printed JSON\n"
		"  -l            CSV lines: FLOW per flow sample, CNTR per counter sample\n"
		"  -L FIELDS     CSV of the named fields (e.g. -L srcIP,dstIP), one line per sample\n"
		"  -g            grep-friendly: context columns on every line\n"
		"  -t            sampled packet headers as a pcap file (| tcpdump -r -)\n"
		"  -f HOST/PORT  forward datagrams unchanged to a collector (repeatable);\n"
		"                nothing is decoded or printed then\n"
		"  -h            this help\n"
		"\n"
		"exit status: 0 all decoded; 2 some datagrams rejected (reported on stderr);\n"
		"1 usage, input, socket or write errors.\n",
		prog, OPTS_DEFAULT_PORT);
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end != '\0' || end == s || v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* One option letter; -1 with err set when it is wrong. */
static int apply(struct opts *o, int c, const char *arg, char *err, size_t errlen)
{
	switch (c) {
	case 'r': o->read_path = arg; break;
	case 'p':
		if (parse_port(arg, &o->port) == -1) {
			snprintf(err, errlen, "-p %s: not a UDP port (1-65535)", arg);
			return -1;
		}
		break;
	case '4': o->family = LIVE_IPV4; break;
	case '6': o->family = LIVE_IPV6; break;
	case 'j': o->format = PRINT_JSON; o->pretty = false; break;
	case 'J': o->format = PRINT_JSON; o->pretty = true; break;
	case 'l': o->format = PRINT_LINE; break;
	case 'L': o->format = PRINT_CUSTOM; o->fields = arg; break;
	case 'g': o->format = PRINT_GREP; break;
	case 't': o->format = PRINT_PCAP; break;
	case 'f':
		if (o->n_forward == OPTS_MAX_FORWARD) {
			snprintf(err, errlen, "-f: at most %d targets", OPTS_MAX_FORWARD);
			return -1;
		}
		o->forward[o->n_forward++] = arg;
		break;
	case 'h': o->help = true; break;
	default:
		snprintf(err, errlen, "unknown option or missing argument");
		return -1;
	}
	return 0;
}

int opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->port = OPTS_DEFAULT_PORT;
	o->format = PRINT_TEXT;
	o->family = LIVE_DUAL;
	opterr = 0;
	optind = 1;
	while ((c = getopt(argc, argv, "r:p:46jJlL:gtf:h")) != -1) {
		if (c == '?') {
			snprintf(err, errlen, "unknown option or missing argument: -%c",
				 optopt ? optopt : '?');
			return -1;
		}
		if (apply(o, c, optarg, err, errlen) == -1)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument: %s", argv[optind]);
		return -1;
	}
	if (o->n_forward)
		o->format = PRINT_NONE;
	return 0;
}
