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
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

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

/* Where the shipped parts are, beside the binary: the source tree's
 * (build/<variant>/rtflow-analyzer: ../../js-apps, ../inc) or an
 * installed tree's (<prefix>/sbin/rtflow-analyzer: ../share/rtflow/...),
 * else /usr/share/rtflow/. The first that exists goes into out. */
static bool shipped_dir(const char *in_tree, const char *installed, char *out, size_t cap)
{
	char exe[PATH_MAX], path[3][PATH_MAX + 64], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(path[0], sizeof(path[0]), "%s/%s", exe, in_tree);
	snprintf(path[1], sizeof(path[1]), "%s/../share/rtflow/%s", exe, installed);
	snprintf(path[2], sizeof(path[2]), "/usr/share/rtflow/%s", installed);
	for (size_t i = 0; i < 3; i++)
		if (stat(path[i], &st) == 0 && S_ISDIR(st.st_mode) && realpath(path[i], exe) &&
		    strlen(exe) < cap) {
			memcpy(out, exe, strlen(exe) + 1);
			return true;
		}
	return false;
}

static unsigned prop_uint(const struct analyzer_config *c, const char *name, unsigned dflt)
{
	const char *v = analyzer_config_get(c, name);

	return v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

/* Split a comma-separated list (copy: strdup'd, the caller frees) into
 * list[*n..max). */
static char *split_list(const char *text, const char **list, size_t *n, size_t max)
{
	char *copy = text ? strdup(text) : NULL, *save = NULL;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && *n < max;
	     t = strtok_r(NULL, ",", &save))
		if (*t)
			list[(*n)++] = t;
	return copy;
}

/* The scripts: property script.file (comma-separated paths) and the apps
 * of app.dir (comma-separated), the source tree's js-apps/ and the
 * installed apps, each script on its own thread and heap: script.memory
 * MB of heap (default 64), script.timeout ms per load or handler call
 * (default 10000), script.http.timeout ms for an HTTP handler's answer
 * (default 5000). NULL when they cannot start (logged). */
static struct js_runtime *scripts_start(struct analyzer *a, const struct analyzer_config *c)
{
	const char *list[JS_SCRIPTS_MAX], *dirs[18];
	char shipped[PATH_MAX], err[256];
	struct js_runtime_config rc = {
		.heap_max = (size_t)prop_uint(c, "script.memory", 64) << 20,
		.timeout_ms = prop_uint(c, "script.timeout", 10000),
		.http_timeout_ms = prop_uint(c, "script.http.timeout", 5000),
		.version = REST_VERSION, .store_dir = analyzer_config_get(c, "script.store"),
		.property = analyzer_property, .property_names = analyzer_property_names,
		.property_arg = a,
	};
	const struct rest_ctx *rest = analyzer_rest_ctx(a);
	char *files = split_list(analyzer_config_get(c, "script.file"), list, &rc.nfiles,
				 JS_SCRIPTS_MAX);
	char *user = split_list(analyzer_config_get(c, "app.dir"), dirs, &rc.napp_dirs, 16);
	struct js_runtime *rt;

	if (shipped_dir("../../js-apps", "apps", shipped, sizeof(shipped)))
		dirs[rc.napp_dirs++] = shipped;
	rc.files = list;
	rc.app_dirs = dirs;
	rc.an = (struct js_analyzer){ rest->stores, rest->flows, rest->thr, rest->flog,
				      rest->events, rest->fw, rest->status_json, rest->status_arg };
	rt = js_runtime_start(&rc, err, sizeof(err));
	if (rt)
		log_msg(LOG_INFO, "scripts: %zu files, apps from %zu directories", rc.nfiles,
			rc.napp_dirs);
	else
		log_msg(LOG_ERR, "scripts: %s", err);
	free(files); /* the runtime keeps its own copies of the paths */
	free(user);
	return rt;
}

/* Serve the runtime's apps, the /inc/ bundle (property inc.dir, else the
 * shipped one) and "/" (http.html.redirect, else the home app). */
static void apps_serve(struct analyzer *a, const struct analyzer_config *c,
		       struct js_runtime *rt)
{
	struct rest_apps ra = { .js = rt,
				.script_timeout_ms = prop_uint(c, "script.http.timeout", 5000) };
	const char *inc = analyzer_config_get(c, "inc.dir");
	const char *redirect = analyzer_config_get(c, "http.html.redirect");

	if (inc)
		snprintf(ra.inc_dir, sizeof(ra.inc_dir), "%s", inc);
	else
		shipped_dir("../inc", "inc", ra.inc_dir, sizeof(ra.inc_dir));
	if (redirect)
		snprintf(ra.redirect, sizeof(ra.redirect), "%s", redirect);
	else if (js_runtime_app_status(rt, "home") != 404)
		snprintf(ra.redirect, sizeof(ra.redirect), "/app/home/html/");
	rest_apps_set(analyzer_rest_ctx(a), &ra);
}

/* Block the signals main waits for, before any thread starts, so that
 * every thread inherits the mask and only sigwaitinfo() sees them. */
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
	apps_serve(a, c, scripts);
	sd_notifyf(0, "READY=1\nSTATUS=HTTP port %u, sFlow port %u", c->http_port, c->sflow_port);
	run(a, &m, &set);
	sd_notify(0, "STOPPING=1");
	rest_apps_set(analyzer_rest_ctx(a), &(struct rest_apps){ .js = NULL });
	js_runtime_stop(scripts);
	analyzer_stop(a);
	log_msg(LOG_INFO, "stopped");
	return 0;
}
