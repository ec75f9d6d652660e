/*
 * agent/main.c: rtflow-agent's entry point: arguments, config load, the
 * loop with its signals and timers, reload.
 *
 * One loop thread (agent/loop.h) drives everything: the host and
 * interface counter pollers' timers, a 1 s timer that flushes the open
 * datagram, and signals (SIGTERM/SIGINT stop, SIGHUP reloads, SIGUSR1
 * logs the counters). A reload parses the new file beside the running
 * config and swaps only when it parsed and its collector sockets opened;
 * sequence numbers go on.
 * Logs go to stderr (-d or not: under systemd journald keeps them).
 * After setup (sockets, netlink) the agent drops to an unprivileged user
 * with CAP_NET_RAW and CAP_NET_ADMIN (agent/privs.h), then tells systemd
 * it is ready (agent/daemon.h), and again around every reload.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "agent/daemon.h"
#include "agent/host/descr.h"
#include "agent/host_poller.h"
#include "agent/if_poller.h"
#include "agent/links.h"
#include "agent/privs.h"
#include "common/log.h"
#include "agent/loop.h"
#include "agent/pcap_sampler.h"
#include "agent/sender.h"

#define AGENT_DEFAULT_CONFIG "/etc/rtflow/agent.conf"
#define AGENT_FLUSH_MS 1000

struct agent {
	const char *config_path;
	const char *root;              /* host readers' root, "/" unless --root */
	struct agent_config *config;   /* the running config, owned */
	struct loop *loop;
	struct sender *sender;
	struct host_poller *host;
	struct if_poller *ifs;
	struct pcap_sampler *pcap;     /* pcap { } packet sampling */
	struct links *links;           /* netlink tracking; NULL when unavailable */
	uint64_t start_ms;             /* CLOCK_MONOTONIC at start */
	const char *user;              /* -u; NULL: the default (privs.h) */
	bool keep_privs;               /* -P: no privilege drop */
	const char *pidfile;           /* -p; NULL: none */
	struct agent_config_uuid dmi_uuid; /* DMI UUID read before the drop */
	int pidfile_fd;
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [-d] [-f FILE] [-p PIDFILE] [-u USER | -P] [--root DIR] [--check]\n"
		"  -f FILE      config in hsflowd.conf syntax (default " AGENT_DEFAULT_CONFIG ")\n"
		"  -d           foreground, logs on stderr; repeat for debug logs\n"
		"  -p PIDFILE   write the pid there, locked; refuse to start if a live\n"
		"               agent holds it\n"
		"  -u USER      after setup run as USER (default " PRIVS_DEFAULT_USER " if it exists,\n"
		"               else " PRIVS_FALLBACK_USER "; with --root: no drop unless -u)\n"
		"  -P           keep the privileges the agent was started with\n"
		"  --check      parse the config, print warnings to stderr and the\n"
		"               effective settings to stdout; exit 0, or 2 on errors\n"
		"  --root DIR   read /proc and /sys under DIR (tests)\n"
		"  -h, --help   this help\n",
		prog);
}

/* Read and parse path. Returns the config, or NULL after printing the
 * reasons ("file:line: reason" lines) to stderr. */
static struct agent_config *config_load(const char *path)
{
	char *text = malloc(AGENT_CONFIG_MAX_BYTES + 1), *err = NULL;
	struct agent_config *c = NULL;
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f || !text) {
		fprintf(stderr, "%s: %s\n", path, f ? "out of memory" : strerror(errno));
		goto out;
	}
	len = fread(text, 1, AGENT_CONFIG_MAX_BYTES + 1, f);
	if (ferror(f) || len > AGENT_CONFIG_MAX_BYTES) {
		fprintf(stderr, "%s: %s\n", path, ferror(f) ? "read error" : "file too large");
		goto out;
	}
	c = agent_config_parse(text, len, path, &err);
	if (!c)
		fprintf(stderr, "%s\n", err ? err : "config: parse failed");
out:
	free(err);
	free(text);
	if (f)
		fclose(f);
	return c;
}

static void print_warnings(const struct agent_config *c)
{
	for (size_t i = 0; i < c->warning_count; i++)
		log_msg(LOG_WARNING, "config: %s", c->warnings[i]);
}

static void log_stats(const struct agent *a)
{
	const struct sender_stats *st = &a->sender->stats;

	log_msg(LOG_INFO,
		"counters: datagrams %llu samples %llu dropped_samples %llu send_errors %llu"
		" host_seq %u interfaces %zu if_excess %llu",
		(unsigned long long)st->datagrams, (unsigned long long)st->samples,
		(unsigned long long)st->dropped_samples, (unsigned long long)st->send_errors,
		host_poller_seq(a->host), if_poller_count(a->ifs),
		(unsigned long long)if_poller_excess(a->ifs));
	pcap_sampler_log_stats(a->pcap);
}

/* Swap in the reloaded config c (NULL: it did not parse). */
static void reload_apply(struct agent *a, struct agent_config *c)
{
	char *err = NULL;

	if (!c) {
		log_msg(LOG_ERR, "reload: %s has errors; keeping the running config",
			a->config_path);
		return;
	}
	if (sender_reconfigure(a->sender, c, loop_now_ms(), &err) == -1) {
		log_msg(LOG_ERR, "reload: %s; keeping the running config", err ? err : "?");
		free(err);
		agent_config_free(c);
		return;
	}
	if (!c->uuid.set)
		c->uuid = a->dmi_uuid; /* see pin_uuid() */
	host_poller_reconfigure(a->host, c);
	if_poller_reconfigure(a->ifs, c);
	pcap_sampler_reconfigure(a->pcap, c);
	if (a->links)
		links_reconfigure(a->links, c);
	print_warnings(c);
	agent_config_free(a->config);
	a->config = c;
	log_msg(LOG_INFO, "reload: %s: %zu collectors, polling %u s", a->config_path,
		c->collector_count, c->polling_s);
}

/* SIGHUP: build the new config beside the old, swap on success. The
 * config file may be readable by root only: CAP_DAC_READ_SEARCH, kept
 * permitted by the privilege drop, is raised for the read alone. */
static void reload(struct agent *a)
{
	struct agent_config *c;

	daemon_notify("RELOADING=1");
	(void)privs_set_effective(CAP_DAC_READ_SEARCH, 1);
	c = config_load(a->config_path);
	(void)privs_set_effective(CAP_DAC_READ_SEARCH, 0);
	reload_apply(a, c);
	daemon_notify("READY=1");
}

static void on_signal(struct loop *l, int signo, void *arg)
{
	struct agent *a = arg;

	if (signo == SIGHUP) {
		reload(a);
	} else if (signo == SIGUSR1) {
		log_stats(a);
	} else {
		log_msg(LOG_INFO, "%s: stopping", strsignal(signo));
		daemon_notify("STOPPING=1");
		loop_stop(l);
	}
}

static void flush_cb(struct loop *l, void *arg)
{
	struct agent *a = arg;

	sender_flush(a->sender, loop_now_ms());
	if (loop_timer_add(l, AGENT_FLUSH_MS, flush_cb, a) == 0)
		log_msg(LOG_ERR, "agent: no timer slot for the flush timer");
}

/* Open the sockets, the poller and the loop. 0, or -1 after logging. */
static int agent_start(struct agent *a)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	char *err = NULL;

	a->start_ms = loop_now_ms();
	a->loop = loop_new();
	if (!a->loop) {
		log_msg(LOG_ERR, "agent: epoll: %s", strerror(errno));
		return -1;
	}
	a->sender = sender_new(a->config, a->start_ms, &err);
	if (!a->sender) {
		log_msg(LOG_ERR, "%s", err ? err : "sender: start failed");
		free(err);
		return -1;
	}
	a->host = host_poller_new(a->loop, a->sender, a->root, a->config);
	if (!a->host) {
		log_msg(LOG_ERR, "host_poller: start failed (root %s)", a->root);
		return -1;
	}
	a->ifs = if_poller_new(a->loop, a->sender, a->root, a->config);
	if (!a->ifs) {
		log_msg(LOG_ERR, "if_poller: start failed (root %s)", a->root);
		return -1;
	}
	a->pcap = pcap_sampler_new(a->loop, a->sender, a->config);
	if (!a->pcap) {
		log_msg(LOG_ERR, "pcap: start failed: out of memory");
		return -1;
	}
	/* Devices and addresses by netlink; with --root the poller keeps
	 * scanning the fixture's sys/class/net. */
	a->links = links_new(a->loop, a->config, strcmp(a->root, "/") == 0 ? a->ifs : NULL,
			     a->sender);
	if (!a->links)
		log_msg(LOG_WARNING, "links: netlink: %s; agent address not elected", strerror(errno));
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		if (loop_on_signal(a->loop, signals[i], on_signal, a) == -1) {
			log_msg(LOG_ERR, "agent: signalfd: %s", strerror(errno));
			return -1;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	flush_cb(a->loop, a);
	return 0;
}

static void agent_stop(struct agent *a)
{
	pcap_sampler_free(a->pcap);
	links_free(a->links);
	if_poller_free(a->ifs);
	host_poller_free(a->host);
	sender_free(a->sender, loop_now_ms());
	loop_free(a->loop);
	agent_config_free(a->config);
}

/* The DMI product UUID is readable by root only (agent/host/descr.h):
 * unless the config sets a uuid, keep the one read before the drop, so
 * the host does not switch to its machine-id afterwards. */
static void pin_uuid(struct agent *a)
{
	struct host_descr d;

	if (a->config->uuid.set || host_descr_read(a->root, NULL, &d) == -1 ||
	    d.uuid_src != HOST_UUID_DMI)
		return;
	a->dmi_uuid.set = true;
	memcpy(a->dmi_uuid.bytes, d.rec.uuid, sizeof(a->dmi_uuid.bytes));
	a->config->uuid = a->dmi_uuid;
	host_poller_reconfigure(a->host, a->config);
}

/* After setup: drop privileges (unless -P, or --root without -u), then
 * tell systemd the agent is ready. 0, or -1 after logging. */
static int agent_settle(struct agent *a)
{
	static const cap_value_t keep[] = { CAP_NET_RAW, CAP_NET_ADMIN };
	static const cap_value_t reserve[] = { CAP_DAC_READ_SEARCH };
	const char *user = a->user;
	char *err = NULL;

	if (!user && strcmp(a->root, "/") == 0)
		user = privs_default_user(NULL);
	pin_uuid(a);
	if (a->keep_privs || !user) {
		log_msg(LOG_INFO, "privileges: kept (%s)", a->keep_privs ? "-P" : "--root without -u");
	} else if (privs_drop(user, keep, 2, reserve, 1, &err) == -1) {
		log_msg(LOG_ERR, "%s", err ? err : "privs: drop failed");
		free(err);
		return -1;
	} else {
		log_msg(LOG_INFO, "privileges: running as %s with CAP_NET_RAW, CAP_NET_ADMIN", user);
	}
	daemon_notify("READY=1");
	return 0;
}

/* Parse argv into a. Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct agent *a, bool *check, int *debug)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'c' }, { "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "df:hp:u:P", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': (*debug)++; break;
		case 'f': a->config_path = optarg; break;
		case 'p': a->pidfile = optarg; break;
		case 'u': a->user = optarg; break;
		case 'P': a->keep_privs = true; break;
		case 'c': *check = true; break;
		case 'r': a->root = optarg; break;
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

int main(int argc, char **argv)
{
	struct agent a = { .config_path = AGENT_DEFAULT_CONFIG, .root = "/", .pidfile_fd = -1 };
	char *err = NULL;
	bool check = false;
	int debug = 0, rc;

	rc = parse_args(argc, argv, &a, &check, &debug);
	if (rc != -1)
		return rc;
	setvbuf(stderr, NULL, _IONBF, 0);
	log_set_level(debug > 1 ? LOG_DEBUG : LOG_INFO);
	a.config = config_load(a.config_path);
	if (!a.config)
		return 2;
	if (check) {
		for (size_t i = 0; i < a.config->warning_count; i++)
			fprintf(stderr, "%s\n", a.config->warnings[i]);
		rc = agent_config_print(a.config, stdout) == 0 ? 0 : 2;
		agent_config_free(a.config);
		return rc;
	}
	print_warnings(a.config);
	if (a.pidfile && (a.pidfile_fd = daemon_pidfile_take(a.pidfile, &err)) == -1) {
		log_msg(LOG_ERR, "%s", err ? err : "pidfile: failed");
		free(err);
		agent_config_free(a.config);
		return 1;
	}
	rc = agent_start(&a) == 0 && agent_settle(&a) == 0 ? 0 : 1;
	if (rc == 0) {
		log_msg(LOG_INFO, "agent: started: %zu collectors, polling %u s, root %s",
			a.config->collector_count, a.config->polling_s, a.root);
		if (loop_run(a.loop) == -1) {
			log_msg(LOG_ERR, "agent: epoll_wait: %s", strerror(errno));
			rc = 1;
		}
	}
	agent_stop(&a);
	daemon_pidfile_release(a.pidfile, a.pidfile_fd);
	return rc;
}
