/*
 * analyzer/analyzer.c: the daemon object (see analyzer.h): start, reload,
 * stop, and the /analyzer/json composition.
 *
 * agents.max is the whole analyzer's cap, so each of the N stores gets
 * ceil(agents.max / N); datasources.max is per agent and passes through.
 */
#include "analyzer/analyzer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "analyzer/clock.h"
#include "analyzer/collector.h"
#include "analyzer/flow_dns.h"
#include "analyzer/flow_engine.h"
#include "analyzer/events.h"
#include "analyzer/flow_log.h"
#include "analyzer/forward.h"
#include "analyzer/http/rest.h"
#include "analyzer/http/server.h"
#include "analyzer/store.h"
#include "analyzer/threshold.h"
#include "common/log.h"

/* The last CPU sample, for the load figures (deltas between two calls). */
struct cpu_sample {
	uint64_t wall_ms;            /* CLOCK_MONOTONIC */
	uint64_t proc_ms;            /* process user + system CPU */
	uint64_t sys_busy, sys_total; /* /proc/stat jiffies */
	double proc_load, sys_load;  /* last computed, 0..1 */
};

struct analyzer {
	struct analyzer_config *cfg;  /* running config, owned */
	struct store_set ss;          /* one store per worker */
	struct forward *fw;
	struct flow_engine *flows;    /* flow definitions over every store */
	struct flow_log *flog;        /* logged flows (log:true) */
	struct flow_dns *dns;         /* dns: key function lookups */
	struct events *events;        /* threshold events */
	struct thresholds *thr;       /* thresholds, checked once a second */
	struct collector *coll;       /* replaced on reload under coll_lock */
	pthread_mutex_t coll_lock;    /* status readers vs a collector restart */
	struct server *http;          /* replaced on reload under http_lock */
	pthread_mutex_t http_lock;    /* status readers vs a listener swap */
	pthread_mutex_t cfg_lock;     /* property readers vs a reload's swap */
	struct rest_ctx rest;
	uint64_t start_ms;            /* CLOCK_MONOTONIC at start */
	unsigned ncpu;
	pthread_mutex_t cpu_lock;     /* guards cpu */
	struct cpu_sample cpu;
};

static void limits_of(const struct analyzer_config *c, unsigned n, struct store_limits *l)
{
	l->agents_max = (uint32_t)(((uint64_t)c->agents_max + n - 1) / n);
	l->datasources_max = c->datasources_max;
	l->agents_timeout_ms = c->agents_timeout_ms;
	l->datasources_timeout_ms = c->datasources_timeout_ms;
}

static void collector_opts_of(const struct analyzer_config *c, struct collector_opts *o)
{
	*o = (struct collector_opts){ .port = c->sflow_port, .hostname = c->sflow_hostname,
				      .rcvbuf_bytes = c->sflow_rcvbuf_bytes,
				      .file = c->sflow_file, .file_speed = c->sflow_file_speed };
}

static bool yes(const struct analyzer_config *c, const char *name)
{
	const char *v = analyzer_config_get(c, name);

	return v && (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
		     (v[0] >= '1' && v[0] <= '9'));
}

static void settings_of(const struct analyzer_config *c, struct rest_settings *s)
{
	const char *prefix = analyzer_config_get(c, "prometheus.metric.prefix");

	memset(s, 0, sizeof(*s));
	s->readonly = c->http_readonly;
	s->json_indent = yes(c, "http.json.indent") ? 2 : 0;
	s->prom_type = yes(c, "prometheus.type");
	s->log_requests = yes(c, "http.log");
	snprintf(s->prom_prefix, sizeof(s->prom_prefix), "%s", prefix ? prefix : "sflow_");
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool collector_changed(const struct analyzer_config *a, const struct analyzer_config *b)
{
	return a->sflow_port != b->sflow_port || !str_eq(a->sflow_hostname, b->sflow_hostname) ||
	       a->sflow_rcvbuf_bytes != b->sflow_rcvbuf_bytes ||
	       !str_eq(a->sflow_file, b->sflow_file) || a->sflow_file_speed != b->sflow_file_speed;
}

static bool limits_changed(const struct analyzer_config *a, const struct analyzer_config *b)
{
	return a->agents_max != b->agents_max || a->datasources_max != b->datasources_max ||
	       a->agents_timeout_ms != b->agents_timeout_ms ||
	       a->datasources_timeout_ms != b->datasources_timeout_ms;
}

static void stores_free(struct analyzer *a)
{
	for (unsigned i = 0; a->ss.v && i < a->ss.n; i++)
		store_free(a->ss.v[i]);
	free(a->ss.v);
	a->ss.v = NULL;
}

static int stores_new(struct analyzer *a, char *err, size_t errlen)
{
	struct store_limits lim;

	a->ss.n = a->cfg->workers;
	a->ss.v = calloc(a->ss.n, sizeof(struct store *));
	if (!a->ss.v)
		abort();
	limits_of(a->cfg, a->ss.n, &lim);
	for (unsigned i = 0; i < a->ss.n; i++) {
		a->ss.v[i] = store_new(i, &lim);
		if (!a->ss.v[i]) {
			snprintf(err, errlen, "store %u: %s", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Install s as the listener; the old one (to stop outside the lock, as
 * its threads may be waiting for it in add_http). */
static struct server *swap_http(struct analyzer *a, struct server *s)
{
	struct server *old;

	pthread_mutex_lock(&a->http_lock);
	old = a->http;
	a->http = s;
	pthread_mutex_unlock(&a->http_lock);
	return old;
}

/* The flow engine, from the flow.cache.max, geo.*, oui.names properties,
 * attached to every store. */
static int flows_new(struct analyzer *a, char *err, size_t errlen)
{
	const char *max = analyzer_config_get(a->cfg, "flow.cache.max");
	const char *log_max = analyzer_config_get(a->cfg, "flows.max");
	struct flow_dns_config dc = { .servers = analyzer_config_get(a->cfg, "dns.servers") };
	struct flow_engine_config fc = {
		.cache_max = max ? (uint32_t)strtoul(max, NULL, 10) : 0,
		.geo_country = analyzer_config_get(a->cfg, "geo.country"),
		.geo_asn = analyzer_config_get(a->cfg, "geo.asn"),
		.oui_names = analyzer_config_get(a->cfg, "oui.names"),
	};

	a->flog = flow_log_new(log_max ? strtoul(log_max, NULL, 10) : 0);
	a->dns = flow_dns_new(&dc, err, errlen);
	if (!a->flog || !a->dns)
		return -1;
	fc.log = a->flog;
	fc.dns = a->dns;
	a->flows = flow_engine_new(&fc, err, errlen);
	if (!a->flows)
		return -1;
	for (unsigned i = 0; i < a->ss.n; i++)
		flow_engine_attach(a->flows, a->ss.v[i]);
	return 0;
}

/* Events (events.max) and the threshold thread over the stores and flows. */
static int thresholds_new_for(struct analyzer *a, char *err, size_t errlen)
{
	const char *max = analyzer_config_get(a->cfg, "events.max");

	a->events = events_new(max ? strtoul(max, NULL, 10) : 0);
	a->thr = a->events ? thresholds_new(&a->ss, a->flows, a->events) : NULL;
	if (!a->thr || thresholds_start(a->thr, err, errlen) == -1)
		return -1;
	a->rest.thr = a->thr;
	a->rest.events = a->events;
	return 0;
}

struct analyzer *analyzer_start(struct analyzer_config *c, char *err, size_t errlen)
{
	struct analyzer *a = calloc(1, sizeof(*a));
	struct server *http;
	struct collector_opts o;
	struct rest_settings s;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (!a)
		abort();
	a->cfg = c;
	a->start_ms = clock_monotonic_ms();
	a->ncpu = n > 0 ? (unsigned)n : 1;
	pthread_mutex_init(&a->cpu_lock, NULL);
	pthread_mutex_init(&a->coll_lock, NULL);
	pthread_mutex_init(&a->http_lock, NULL);
	pthread_mutex_init(&a->cfg_lock, NULL);
	if (stores_new(a, err, errlen) == -1 || flows_new(a, err, errlen) == -1)
		goto fail;
	a->fw = forward_new();
	rest_ctx_init(&a->rest, &a->ss, a->fw, analyzer_status_json, a);
	a->rest.flows = a->flows;
	a->rest.flog = a->flog;
	if (thresholds_new_for(a, err, errlen) == -1)
		goto fail;
	settings_of(c, &s);
	rest_settings_set(&a->rest, &s);
	collector_opts_of(c, &o);
	a->coll = collector_start(&o, &a->ss, a->fw, err, errlen);
	if (!a->coll)
		goto fail;
	http = server_start(c->http_hostname, c->http_port, &a->rest, err, errlen);
	if (!http)
		goto fail;
	swap_http(a, http);
	return a;
fail:
	a->cfg = NULL; /* the caller keeps c */
	analyzer_stop(a);
	return NULL;
}

void analyzer_stop(struct analyzer *a)
{
	if (!a)
		return;
	server_stop(swap_http(a, NULL));
	collector_stop(a->coll);
	if (a->ss.v && a->rest.stores)
		rest_ctx_fini(&a->rest);
	thresholds_free(a->thr); /* its thread reads the stores and the engine */
	events_free(a->events);
	forward_free(a->fw);
	stores_free(a); /* releases the flow caches through the engine's hooks */
	flow_engine_free(a->flows);
	flow_dns_free(a->dns);
	flow_log_free(a->flog);
	pthread_mutex_destroy(&a->cpu_lock);
	pthread_mutex_destroy(&a->coll_lock);
	pthread_mutex_destroy(&a->http_lock);
	pthread_mutex_destroy(&a->cfg_lock);
	analyzer_config_free(a->cfg);
	free(a);
}

const struct analyzer_config *analyzer_config(const struct analyzer *a)
{
	return a->cfg;
}

/* Stop the collector, apply c's limits, start it on c's settings; on
 * failure come back on the running ones. 0 or -1 (err). */
static int collector_restart(struct analyzer *a, const struct analyzer_config *c, char *err,
			     size_t errlen)
{
	struct store_limits lim;
	struct collector_opts o;
	char err2[256];
	int rc = 0;

	pthread_mutex_lock(&a->coll_lock);
	collector_stop(a->coll);
	a->coll = NULL;
	limits_of(c, a->ss.n, &lim);
	for (unsigned i = 0; i < a->ss.n; i++)
		store_set_limits(a->ss.v[i], &lim);
	collector_opts_of(c, &o);
	a->coll = collector_start(&o, &a->ss, a->fw, err, errlen);
	if (a->coll)
		goto out;
	rc = -1;
	limits_of(a->cfg, a->ss.n, &lim);
	for (unsigned i = 0; i < a->ss.n; i++)
		store_set_limits(a->ss.v[i], &lim);
	collector_opts_of(a->cfg, &o);
	a->coll = collector_start(&o, &a->ss, a->fw, err2, sizeof(err2));
	if (!a->coll)
		snprintf(err + strlen(err), errlen - strlen(err),
			 "; and the old settings failed too: %s", err2);
out:
	pthread_mutex_unlock(&a->coll_lock);
	return rc;
}

int analyzer_reload(struct analyzer *a, struct analyzer_config *c, char *err, size_t errlen)
{
	bool http_changed = c->http_port != a->cfg->http_port ||
			    !str_eq(c->http_hostname, a->cfg->http_hostname);
	struct server *http = NULL;
	struct rest_settings s;

	if (c->workers != a->cfg->workers) {
		log_msg(LOG_WARNING, "reload: workers.number %u -> %u needs a restart; keeping %u",
			a->cfg->workers, c->workers, a->cfg->workers);
		c->workers = a->cfg->workers;
	}
	if (http_changed) {
		http = server_start(c->http_hostname, c->http_port, &a->rest, err, errlen);
		if (!http)
			return -1;
	}
	if ((collector_changed(a->cfg, c) || limits_changed(a->cfg, c)) &&
	    collector_restart(a, c, err, errlen) == -1) {
		server_stop(http);
		return -1;
	}
	if (http)
		server_stop(swap_http(a, http));
	settings_of(c, &s);
	rest_settings_set(&a->rest, &s);
	pthread_mutex_lock(&a->cfg_lock);
	analyzer_config_free(a->cfg);
	a->cfg = c;
	pthread_mutex_unlock(&a->cfg_lock);
	return 0;
}

bool analyzer_property(void *arg, const char *name, char *buf, size_t cap)
{
	struct analyzer *a = arg;
	const char *v;

	pthread_mutex_lock(&a->cfg_lock);
	v = analyzer_config_get(a->cfg, name);
	if (v)
		snprintf(buf, cap, "%s", v);
	pthread_mutex_unlock(&a->cfg_lock);
	return v != NULL;
}

cJSON *analyzer_property_names(void *arg)
{
	struct analyzer *a = arg;
	cJSON *list = cJSON_CreateArray();

	pthread_mutex_lock(&a->cfg_lock);
	for (size_t i = 0; list && i < a->cfg->prop_count; i++) {
		const char *name = a->cfg->props[i].name;
		bool dup = false;

		for (size_t k = 0; k < i && !dup; k++) /* a -D may repeat a file's name */
			dup = strcmp(a->cfg->props[k].name, name) == 0;
		if (!dup)
			cJSON_AddItemToArray(list, cJSON_CreateString(name));
	}
	pthread_mutex_unlock(&a->cfg_lock);
	return list;
}

struct rest_ctx *analyzer_rest_ctx(struct analyzer *a)
{
	return &a->rest;
}

/* First number after `key` in /proc/meminfo-style text, in kB → bytes. */
static uint64_t meminfo_bytes(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) * 1024 : 0;
}

/* Read a small file whole into buf (NUL-terminated). Bytes read or 0. */
static size_t read_small(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/* The tightest memory cap: RAM, the cgroup's limit, RLIMIT_AS. */
static uint64_t memory_cap(uint64_t mem_total)
{
	static const char *const files[] = { "/sys/fs/cgroup/memory.max",
					     "/sys/fs/cgroup/memory/memory.limit_in_bytes" };
	uint64_t cap = mem_total;
	struct rlimit rl;
	char buf[64];

	for (size_t i = 0; i < 2; i++) {
		if (read_small(files[i], buf, sizeof(buf)) && buf[0] >= '0' && buf[0] <= '9') {
			uint64_t v = strtoull(buf, NULL, 10);

			if (v && v < cap)
				cap = v;
		}
	}
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < cap)
		cap = rl.rlim_cur;
	return cap;
}

/* Resident set (bytes) from /proc/self/statm and threads from
 * /proc/self/stat (field 20, counted after the ')' that ends comm). */
static void self_figures(uint64_t *rss, unsigned *threads)
{
	char buf[1024];
	const char *p;

	*rss = 0;
	*threads = 0;
	if (read_small("/proc/self/statm", buf, sizeof(buf))) {
		char *end;

		strtoull(buf, &end, 10); /* size; resident follows */
		*rss = strtoull(end, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
	}
	if (read_small("/proc/self/stat", buf, sizeof(buf)) && (p = strrchr(buf, ')'))) {
		unsigned field = 2;

		for (; *p && field < 20; p++)
			if (*p == ' ')
				field++;
		*threads = (unsigned)strtoul(p, NULL, 10);
	}
}

/* Busy and total jiffies of the "cpu" line of /proc/stat. */
static void system_jiffies(uint64_t *busy, uint64_t *total)
{
	char buf[512], *p = buf + 3;
	unsigned long long v[8] = { 0 };

	*busy = *total = 0;
	if (!read_small("/proc/stat", buf, sizeof(buf)) || strncmp(buf, "cpu ", 4) != 0)
		return;
	for (int i = 0; i < 8; i++) {
		v[i] = strtoull(p, &p, 10);
		*total += v[i];
	}
	*busy = *total - v[3] - v[4]; /* minus idle and iowait */
}

/* Process CPU ms and the loads since the previous call (0..1). */
static void cpu_figures(struct analyzer *a, uint64_t *cpu_ms, double *proc, double *sys)
{
	struct rusage ru;
	uint64_t now = clock_monotonic_ms(), busy, total;

	getrusage(RUSAGE_SELF, &ru);
	*cpu_ms = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		  (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
	system_jiffies(&busy, &total);
	pthread_mutex_lock(&a->cpu_lock);
	if (a->cpu.wall_ms && now > a->cpu.wall_ms + 100) {
		double l = (double)(*cpu_ms - a->cpu.proc_ms) / (double)(now - a->cpu.wall_ms) / a->ncpu;

		a->cpu.proc_load = l > 1 ? 1 : l;
		if (total > a->cpu.sys_total)
			a->cpu.sys_load = (double)(busy - a->cpu.sys_busy) /
					  (double)(total - a->cpu.sys_total);
	}
	if (!a->cpu.wall_ms || now > a->cpu.wall_ms + 100) {
		a->cpu.wall_ms = now;
		a->cpu.proc_ms = *cpu_ms;
		a->cpu.sys_busy = busy;
		a->cpu.sys_total = total;
	}
	*proc = a->cpu.proc_load;
	*sys = a->cpu.sys_load;
	pthread_mutex_unlock(&a->cpu_lock);
}

static void add_num(cJSON *o, const char *name, double v)
{
	if (!cJSON_AddNumberToObject(o, name, v))
		abort();
}

static void add_ingest(cJSON *o, struct analyzer *a)
{
	struct store_stats sum = { 0 }, st;
	struct collector_stats cs = { 0 };
	uint64_t sent = 0, errors = 0;

	for (unsigned i = 0; i < a->ss.n; i++) {
		store_get_stats(a->ss.v[i], &st);
		sum.agents += st.agents;
		sum.datasources += st.datasources;
		sum.bytes += st.bytes;
		sum.datagrams += st.datagrams;
		sum.parse_errors += st.parse_errors;
		sum.unsupported_version += st.unsupported_version;
		sum.agents_cap_hits += st.agents_cap_hits;
		sum.datasources_cap_hits += st.datasources_cap_hits;
		sum.counter_samples += st.counter_samples;
		sum.flow_samples += st.flow_samples;
	}
	pthread_mutex_lock(&a->coll_lock);
	if (a->coll)
		collector_get_stats(a->coll, &cs);
	pthread_mutex_unlock(&a->coll_lock);
	if (a->fw)
		forward_get_counts(a->fw, &sent, &errors);
	add_num(o, "sFlowAgents", (double)sum.agents);
	add_num(o, "sFlowDatasources", (double)sum.datasources);
	add_num(o, "sFlowBytesReceived", (double)sum.bytes);
	add_num(o, "sFlowDatagramsReceived", (double)sum.datagrams);
	/* datagrams the analyzer lost: queue (ring) overflow and kernel
	 * receive-buffer overflow; runts are parse errors, counted there */
	add_num(o, "sFlowDatagramsDiscarded", (double)(cs.ring_drops + cs.kernel_drops));
	add_num(o, "sFlowParseErrors", (double)sum.parse_errors);
	add_num(o, "sFlowUnsupportedVersion", (double)sum.unsupported_version);
	add_num(o, "sFlowCounterSamples", (double)sum.counter_samples);
	add_num(o, "sFlowFlowSamples", (double)sum.flow_samples);
	add_num(o, "sFlowKernelDrops", (double)cs.kernel_drops);
	add_num(o, "sFlowRingDrops", (double)cs.ring_drops);
	add_num(o, "sFlowHandoffs", (double)cs.handoffs);
	add_num(o, "sFlowRunts", (double)cs.runts);
	add_num(o, "agentsCapHits", (double)sum.agents_cap_hits);
	add_num(o, "datasourcesCapHits", (double)sum.datasources_cap_hits);
	add_num(o, "forwardSent", (double)sent);
	add_num(o, "forwardErrors", (double)errors);
	if (clock_is_replay() && !cJSON_AddBoolToObject(o, "replayDone", cs.replay_done))
		abort();
}

static void add_http(cJSON *o, struct analyzer *a)
{
	struct rest_counters *c = &a->rest.counters;

	unsigned current;

	pthread_mutex_lock(&a->http_lock);
	current = server_connections(a->http);
	pthread_mutex_unlock(&a->http_lock);
	add_num(o, "httpConnectionsCurrent", current);
	add_num(o, "httpConnectionsTotal", (double)c->connections_total);
	add_num(o, "httpMessagesReceived", (double)c->messages_received);
	add_num(o, "httpBytesSent", (double)c->bytes_sent);
	add_num(o, "httpBytesReceived", (double)c->bytes_received);
}

static void add_process(cJSON *o, struct analyzer *a)
{
	char buf[4096];
	uint64_t mem_total = 0, mem_free = 0, rss, cpu_ms;
	unsigned threads;
	double proc, sys;

	if (read_small("/proc/meminfo", buf, sizeof(buf))) {
		mem_total = meminfo_bytes(buf, "MemTotal:");
		mem_free = meminfo_bytes(buf, "MemFree:");
	}
	self_figures(&rss, &threads);
	cpu_figures(a, &cpu_ms, &proc, &sys);
	add_num(o, "availableProcessors", a->ncpu);
	add_num(o, "heapMax", (double)memory_cap(mem_total));
	add_num(o, "heapUsed", (double)rss);
	add_num(o, "threadCount", threads);
	add_num(o, "threadDaemonCount", threads ? threads - 1 : 0);
	add_num(o, "threadTotalStartedCount", threads);
	add_num(o, "gcTime", 0);
	add_num(o, "gcCount", 0);
	add_num(o, "cpuTime", (double)cpu_ms);
	add_num(o, "cpuLoadProcess", proc);
	add_num(o, "cpuLoadSystem", sys);
	add_num(o, "memTotal", (double)mem_total);
	add_num(o, "memFree", (double)mem_free);
}

static void add_events(cJSON *o, struct analyzer *a)
{
	uint64_t pushed = 0, lost = 0, states = 0, evicted = 0;

	if (a->events)
		events_counts(a->events, &pushed, &lost);
	if (a->thr)
		thresholds_counts(a->thr, &states, &evicted);
	add_num(o, "eventsGenerated", (double)pushed);
	add_num(o, "eventsLost", (double)lost);
	add_num(o, "thresholdStates", (double)states);
	add_num(o, "thresholdStatesCapHits", (double)evicted);
}

static void add_flow_log(cJSON *o, struct analyzer *a)
{
	uint64_t pushed = 0, lost = 0;
	struct flow_dns_stats ds = { 0 };

	if (a->flog)
		flow_log_counts(a->flog, &pushed, &lost);
	add_num(o, "flowsGenerated", (double)pushed);
	add_num(o, "flowsLost", (double)lost);
	if (a->dns)
		flow_dns_stats(a->dns, &ds);
	add_num(o, "dnsLookups", (double)ds.lookups);
	add_num(o, "dnsCacheHits", (double)ds.hits);
	add_num(o, "dnsQueueDrops", (double)ds.queue_drops);
	add_num(o, "dnsFailures", (double)(ds.failures + ds.timeouts));
}

cJSON *analyzer_status_json(void *arg)
{
	struct analyzer *a = arg;
	cJSON *o = cJSON_CreateObject();

	if (!o)
		abort();
	add_num(o, "uptime", (double)(clock_monotonic_ms() - a->start_ms));
	add_ingest(o, a);
	add_http(o, a);
	add_process(o, a);
	if (a->flows)
		flow_engine_stats_json(a->flows, &a->ss, o);
	add_flow_log(o, a);
	add_events(o, a);
	if (!cJSON_AddStringToObject(o, "version", REST_VERSION) ||
	    !cJSON_AddBoolToObject(o, "updateAvailable", false))
		abort();
	return o;
}
