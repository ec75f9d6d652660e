/*
 * sflow/dump/run.c: capture and live loops of rtflow-dump (see run.h).
 *
 * Frames of a capture that hold no UDP datagram are skipped silently and
 * counted; UDP datagrams cut short by the capture are reported and count
 * as rejected, like datagrams the decoder refuses. Output goes to stdout
 * through the dump sink, flushed per datagram when live so that a reader
 * on a pipe sees each datagram as it arrives.
 */
#include "sflow/dump/run.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/capture.h"
#include "sflow/dump/dump.h"
#include "sflow/dump/forward.h"
#include "sflow/dump/live.h"

struct run_state {
	struct dump dump;
	struct forward fwd;
	uint64_t skipped;    /* frames without UDP */
	uint64_t truncated;  /* UDP datagrams not captured whole */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_datagram(void *arg, const uint8_t *buf, size_t len, const struct dump_meta *m)
{
	struct run_state *rs = arg;

	if (rs->fwd.n)
		forward_send(&rs->fwd, buf, len);
	else
		dump_datagram(&rs->dump, buf, len, m);
}

/* What the printers show for a frame read from a file: its capture time
 * and number; the sender stays unknown ("-"), as sflowtool prints it. */
static void run_meta(struct dump_meta *m, const struct capture_meta *cm)
{
	memset(m, 0, sizeof(*m));
	m->pcap_sec = cm->sec;
	m->pcap_usec = cm->usec;
	m->frame = cm->frame;
}

static int run_capture(struct run_state *rs, const char *path)
{
	char err[512];
	struct capture *c = capture_open(path, err, sizeof(err));
	struct capture_meta cm;
	struct dump_meta m;
	const uint8_t *payload;
	size_t len;
	enum capture_status st;
	int rc = RUN_OK;

	if (!c) {
		fprintf(stderr, "rtflow-dump: cannot read capture: %s\n", err);
		return RUN_FATAL;
	}
	while ((st = capture_next(c, &payload, &len, &cm)) != CAPTURE_END) {
		if (st == CAPTURE_DATAGRAM) {
			run_meta(&m, &cm);
			on_datagram(rs, payload, len, &m);
		} else if (st == CAPTURE_SKIP) {
			rs->skipped++;
		} else if (st == CAPTURE_TRUNCATED) {
			rs->truncated++;
			fprintf(stderr, "rtflow-dump: frame %" PRIu64
				": UDP datagram not captured whole (snap length), skipped\n",
				cm.frame);
		} else {
			fprintf(stderr, "rtflow-dump: %s: %s\n", path, capture_error(c));
			rc = RUN_FATAL;
			break;
		}
	}
	capture_close(c);
	return rc;
}

static int run_live(struct run_state *rs, const struct opts *o)
{
	char err[256];
	struct sigaction sa;
	int fd = live_open(o->port, o->family, err, sizeof(err));
	int rc;

	if (fd == -1) {
		fprintf(stderr, "rtflow-dump: %s\n", err);
		return RUN_FATAL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() must return EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rs->dump.flush_each = true;
	dump_flush(&rs->dump); /* -t: the pcap file header goes out before any datagram */
	rc = live_run(fd, on_datagram, rs, &stop_requested, err, sizeof(err));
	close(fd);
	if (rc == -1) {
		fprintf(stderr, "rtflow-dump: %s\n", err);
		return RUN_FATAL;
	}
	return RUN_OK;
}

/* The closing stderr line and the exit status of a finished run. */
static int finish(struct run_state *rs, int rc)
{
	const struct dump_stats *st = &rs->dump.stats;
	uint64_t bad = st->rejected + rs->truncated;

	if (dump_flush(&rs->dump) == -1 || st->write_errors) {
		fprintf(stderr, "rtflow-dump: writing the output failed: %s\n", strerror(errno));
		rc = RUN_FATAL;
	}
	if (rs->fwd.errors) {
		fprintf(stderr, "rtflow-dump: %" PRIu64 " datagrams not forwarded (%s)\n",
			rs->fwd.errors, rs->fwd.last_error);
		rc = RUN_FATAL;
	}
	if (bad) {
		fprintf(stderr, "rtflow-dump: %" PRIu64 " datagrams, %" PRIu64 " rejected\n",
			st->datagrams + rs->truncated, bad);
		if (rc == RUN_OK)
			rc = RUN_REJECTED;
	}
	return rc;
}

int run(const struct opts *o)
{
	static struct run_state rs; /* large: keep it off the stack */
	char err[256];
	int rc = RUN_OK;

	memset(&rs, 0, sizeof(rs));
	dump_init(&rs.dump, o->format, o->pretty, stdout, stderr);
	if (o->format == PRINT_CUSTOM && print_custom_parse(&rs.dump.print, o->fields) == -1) {
		fprintf(stderr, "rtflow-dump: -L: no field names given\n");
		rc = RUN_FATAL;
	}
	for (size_t i = 0; rc == RUN_OK && i < o->n_forward; i++) {
		if (forward_add(&rs.fwd, o->forward[i], err, sizeof(err)) == -1) {
			fprintf(stderr, "rtflow-dump: %s\n", err);
			rc = RUN_FATAL;
		}
	}
	if (rc == RUN_OK)
		rc = o->read_path ? run_capture(&rs, o->read_path) : run_live(&rs, o);
	rc = finish(&rs, rc);
	forward_fini(&rs.fwd);
	dump_fini(&rs.dump);
	return rc;
}
