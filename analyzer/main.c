/*
 * analyzer/main.c: rtflow-analyzer's entry point: arguments, config,
 * signals, systemd readiness.
 *
 * The main thread is the control thread: it blocks the signals it handles
 * before any other thread starts (so they reach only it), starts the
 * daemon object (analyzer/analyzer.h) and then waits in sigwaitinfo():
 * SIGTERM/SIGINT stop (every thread joined, exit 0), SIGHUP re-reads the
 * file and the -D arguments and applies them build-then-swap. sd_notify()
 * reports READY=1, RELOADING=1 and STOPPING=1; without systemd
 * ($NOTIFY_SOCKET unset) it does nothing. Logs go to stderr, which
 * journald keeps under systemd.
 */
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "analyzer/analyzer.h"
#include "analyzer/config.h"
#include "analyzer/http/rest.h"
#include "analyzer/js/js_runtime.h"
#include "common/log.h"

#define MAIN_MAX_DEFS 256

struct main_args {
	const char *file;                  /* -f, NULL: the default file */
	const char *defs[MAIN_MAX_DEFS];   /* -D values, "name=value" */
	size_t ndefs;
	bool check;
	int debug;
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [-f FILE] [-Dname=value ...] [-d] [--check]\n"
		"  -f FILE         properties file (default " ANALYZER_CONFIG_DEFAULT_FILE
		", optional)\n"
		"  -Dname=value    set a property (wins over the file), e.g. -Dhttp.port=8008\n"
		"  -d              debug logs\n"
		"  --check         check the configuration, print the effective settings; exit 0,\n"
		"                  or 2 on errors\n"
		"  -h, --help      this help\n"
		"signals: SIGHUP reloads the configuration, SIGTERM/SIGINT stop.\n",
		prog);
}

/* Parse argv. Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct main_args *m)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "f:D:dh", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': m->file = optarg; break;
		case 'D':
			if (m->ndefs == MAIN_MAX_DEFS) {
				fprintf(stderr, "%s: more than %d -D options\n", argv[0], MAIN_MAX_DEFS);
				return 2;
			}
			m->defs[m->ndefs++] = optarg;
			break;
		case 'd': m->debug++; break;
		case 'c': m->check = true; break;
		case 'h': usage(stdout, argv[0]); return 0;
		default: usage(stderr, argv[0]); return 1;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 1;
	}
	return -1;
}

static struct analyzer_config *load(const struct main_args *m)
{
	char *err = NULL;
	struct analyzer_config *c = analyzer_config_load(m->file, m->defs, m->ndefs, &err);

	if (!c) {
		log_msg(LOG_ERR, "config: %s", err ? err : "load failed");
		free(err);
		return NULL;
	}
	for (size_t i = 0; i < c->warning_count; i++)
		log_msg(LOG_WARNING, "config: %s", c->warnings[i]);
	return c;
}

/* --check: the effective settings on stdout. */
static void print_config(const struct analyzer_config *c)
{
	printf("http.port=%u\nhttp.hostname=%s\nhttp.readonly=%s\n", c->http_port,
	       c->http_hostname ? c->http_hostname : "", c->http_readonly ? "yes" : "no");
	printf("sflow.port=%u\nsflow.hostname=%s\nsflow.file=%s\nsflow.file.speed=%g\n",
	       c->sflow_port, c->sflow_hostname ? c->sflow_hostname : "",
	       c->sflow_file ? c->sflow_file : "", c->sflow_file_speed);
	printf("sflow.rcvpktsbuffer=%u\nworkers.number=%u\n", c->sflow_rcvbuf_bytes / 2048,
	       c->workers);
	printf("agents.timeout=%llu\ndatasources.timeout=%llu\nagents.max=%u\n"
	       "datasources.max=%u\nscript.store=%s\n",
	       (unsigned long long)(c->agents_timeout_ms / 1000),
	       (unsigned long long)(c->datasources_timeout_ms / 1000), c->agents_max,
	       c->datasources_max, c->script_store);
	for (size_t i = 0; i < c->prop_count; i++)
		printf("# set: %s=%s\n", c->props[i].name, c->props[i].value);
}

static void reload(struct analyzer *a, const struct main_args *m)
{
	struct analyzer_config *c;
	char err[512] = "";

	sd_notify(0, "RELOADING=1");
	c = load(m);
	if (!c) {
		log_msg(LOG_ERR, "reload: configuration has errors; keeping the running one");
	} else if (analyzer_reload(a, c, err, sizeof(err)) == -1) {
		log_msg(LOG_ERR, "reload: %s; keeping the running configuration", err);
		analyzer_config_free(c);
	} else {
		log_msg(LOG_INFO, "reload: done, HTTP port %u, sFlow port %u, readonly %s",
			c->http_port, c->sflow_port, c->http_readonly ? "yes" : "no");
	}
	sd_notify(0, "READY=1");
}

/* Wait for signals until a stop. */
static void run(struct analyzer *a, const struct main_args *m, const sigset_t *set)
{
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(set, &si);

		if (sig == SIGHUP) {
			reload(a, m);
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_msg(LOG_INFO, "%s: stopping", strsignal(sig));
			return;
		}
	}
}

/* Block the signals main waits for, before any thread starts, so that
 * every thread inherits the mask and only sigwaitinfo() sees them. */
/* The scripts of property script.file (comma-separated paths), each on
 * its own thread and heap: script.memory MB of heap (default 64) and
 * script.timeout ms per load or handler call (default 10000). NULL when
 * there are none or they cannot start (logged). */
static struct js_runtime *scripts_start(struct analyzer *a, const struct analyzer_config *c)
{
	const char *files = analyzer_config_get(c, "script.file");
	const char *mem = analyzer_config_get(c, "script.memory");
	const char *tmo = analyzer_config_get(c, "script.timeout");
	const char *list[JS_SCRIPTS_MAX];
	struct js_runtime_config rc = {
		.heap_max = (size_t)(mem ? strtoul(mem, NULL, 10) : 64) << 20,
		.timeout_ms = tmo ? (unsigned)strtoul(tmo, NULL, 10) : 10000,
		.version = REST_VERSION, .store_dir = analyzer_config_get(c, "script.store"),
		.property = analyzer_property, .property_arg = a,
	};
	const struct rest_ctx *rest = analyzer_rest_ctx(a);
	char *copy, *save = NULL, err[256];
	struct js_runtime *rt;

	if (!files || !*files || !(copy = strdup(files)))
		return NULL;
	for (char *t = strtok_r(copy, ",", &save); t && rc.nfiles < JS_SCRIPTS_MAX;
	     t = strtok_r(NULL, ",", &save))
		if (*t)
			list[rc.nfiles++] = t;
	rc.files = list;
	rc.an = (struct js_analyzer){ rest->stores, rest->flows, rest->thr, rest->status_json,
				      rest->status_arg };
	rt = js_runtime_start(&rc, err, sizeof(err));
	if (rt) {
		analyzer_set_scripts_json(a, js_runtime_scripts_json, rt);
		log_msg(LOG_INFO, "scripts: %zu started", rc.nfiles);
	} else {
		log_msg(LOG_ERR, "scripts: %s", err);
	}
	free(copy); /* the runtime keeps its own copies of the paths */
	return rt;
}

static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	struct main_args m = { 0 };
	struct analyzer_config *c;
	struct analyzer *a;
	struct js_runtime *scripts;
	char err[512] = "";
	sigset_t set;
	int rc = parse_args(argc, argv, &m);

	if (rc != -1)
		return rc;
	setvbuf(stderr, NULL, _IONBF, 0);
	log_set_level(m.debug ? LOG_DEBUG : LOG_INFO);
	c = load(&m);
	if (!c)
		return 2;
	if (m.check) {
		print_config(c);
		analyzer_config_free(c);
		return 0;
	}
	block_signals(&set);
	log_msg(LOG_INFO, "Starting rtflow-analyzer %s", REST_VERSION);
	a = analyzer_start(c, err, sizeof(err));
	if (!a) {
		log_msg(LOG_ERR, "start: %s", err);
		analyzer_config_free(c);
		return 1;
	}
	if (c->sflow_file)
		log_msg(LOG_INFO, "Replaying %s at speed %g", c->sflow_file, c->sflow_file_speed);
	else
		log_msg(LOG_INFO, "Listening, sFlow port %u", c->sflow_port);
	log_msg(LOG_INFO, "Listening, HTTP port %u", c->http_port);
	scripts = scripts_start(a, c);
	sd_notifyf(0, "READY=1\nSTATUS=HTTP port %u, sFlow port %u", c->http_port, c->sflow_port);
	run(a, &m, &set);
	sd_notify(0, "STOPPING=1");
	analyzer_set_scripts_json(a, NULL, NULL);
	js_runtime_stop(scripts);
	analyzer_stop(a);
	log_msg(LOG_INFO, "stopped");
	return 0;
}
