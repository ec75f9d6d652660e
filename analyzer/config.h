/*
 * analyzer/config.h: rtflow-analyzer's configuration, sFlow-RT system
 * properties: `name=value` lines in /etc/rtflow/analyzer.conf (or -f FILE),
 * '#' comments, blank lines ignored, then `-Dname=value` arguments, which
 * win over the file.
 *
 * Known properties are parsed into typed fields and checked (a bad value:
 * "file:line: reason", or "-Dname: reason" for a command-line one).
 * Unknown names are kept verbatim in props[] for apps (getSystemProperty);
 * one that looks like a misspelt known name (edit distance 1-2, e.g.
 * `htp.port`) produces a warning line in warnings[]. The config is an
 * immutable value once built: a reload builds a new one and swaps it.
 */
#ifndef RTFLOW_ANALYZER_CONFIG_H
#define RTFLOW_ANALYZER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ANALYZER_CONFIG_MAX_PROPS 1024     /* name=value pairs kept */
#define ANALYZER_CONFIG_MAX_WARNINGS 32
#define ANALYZER_CONFIG_DEFAULT_FILE "/etc/rtflow/analyzer.conf"

struct analyzer_prop {
	char *name;
	char *value;
};

struct analyzer_config {
	/* http.* */
	uint16_t http_port;            /* http.port, 8008 */
	char *http_hostname;           /* http.hostname, NULL = every address */
	bool http_readonly;            /* http.readonly=yes: writes get 403 */
	/* sflow.* */
	uint16_t sflow_port;           /* sflow.port, 6343 */
	char *sflow_hostname;          /* sflow.hostname, NULL = every address (v4 and v6) */
	char *sflow_file;              /* sflow.file: replay this capture, no UDP */
	double sflow_file_speed;       /* sflow.file.speed: 1 = recorded pace, 0 = flat out */
	uint32_t sflow_rcvbuf_bytes;   /* sflow.rcvpktsbuffer (packets) x 2048, default 1000 */
	/* workers.number: collector shards/receive threads; 0 in the file means
	 * "number of cores", which config_load resolves, so this is >= 1. */
	unsigned workers;
	/* agents.timeout / datasources.timeout, seconds in the file */
	uint64_t agents_timeout_ms;       /* default 3600 s: agent forgotten */
	uint64_t datasources_timeout_ms;  /* default 300 s: data source forgotten */
	/* caps (agents.max, datasources.max): hits are counted, never fatal */
	uint32_t agents_max;           /* default 100000 */
	uint32_t datasources_max;      /* per agent, default 10000 */
	char *script_store;            /* script.store, "store" */

	struct analyzer_prop *props;   /* every pair, known or not, file order then -D */
	size_t prop_count;
	char *warnings[ANALYZER_CONFIG_MAX_WARNINGS]; /* "file:line: warning" lines */
	size_t warning_count;
};

/*
 * Build a config from `file` (NULL: the default file, which may be
 * missing; a named file must exist) and the `defs` "-Dname=value" strings
 * (without the "-D"). Returns the config, or NULL with *err set to one
 * "file:line: reason" line (caller frees with free()).
 */
struct analyzer_config *analyzer_config_load(const char *file, const char *const *defs,
					     size_t def_count, char **err);

void analyzer_config_free(struct analyzer_config *c);

/* The value of property `name` (the last one set), or NULL. */
const char *analyzer_config_get(const struct analyzer_config *c, const char *name);

#endif
