/*
 * tests/unit/analyzer_config_test.c: analyzer/config.c over tables of
 * property files and -D arguments: good input gives the typed fields the
 * text states (defaults from reference/sflow-rt-api.md §5 otherwise); bad
 * input fails with "file:line: reason" (or "-Dname: reason") naming the
 * line that is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/config.h"
#include "tests/lib/test.h"

static char conf_path[256];

/* Write text to a fresh temp file and load it with defs. */
static struct analyzer_config *load_text(const char *text, size_t len, const char *const *defs,
					 size_t ndefs, char **err)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(conf_path, sizeof(conf_path), "%s/acfg.XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(conf_path);
	if (fd == -1 || write(fd, text, len) != (ssize_t)len) {
		printf("  cannot write %s\n", conf_path);
		test_failed_checks++;
		return NULL;
	}
	close(fd);
	*err = NULL;
	return analyzer_config_load(conf_path, defs, ndefs, err);
}

TEST(defaults)
{
	char *err;
	struct analyzer_config *c = load_text("", 0, NULL, 0, &err);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_U64(c->http_port, 8008);
	CHECK_EQ_U64(c->sflow_port, 6343);
	CHECK(!c->http_readonly);
	CHECK(c->http_hostname == NULL && c->sflow_hostname == NULL && c->sflow_file == NULL);
	CHECK(c->sflow_file_speed == 1.0);
	CHECK_EQ_U64(c->sflow_rcvbuf_bytes, 1000 * 2048);
	CHECK_EQ_U64(c->workers, ncpu > 256 ? 256 : ncpu);
	CHECK_EQ_U64(c->agents_timeout_ms, 3600000);
	CHECK_EQ_U64(c->datasources_timeout_ms, 300000);
	CHECK_EQ_U64(c->agents_max, 100000);
	CHECK_EQ_U64(c->datasources_max, 10000);
	CHECK_EQ_STR(c->script_store, "store");
	CHECK_EQ_U64(c->prop_count, 0);
	CHECK_EQ_U64(c->warning_count, 0);
	analyzer_config_free(c);
	unlink(conf_path);
}

enum field { F_HTTP_PORT, F_SFLOW_PORT, F_READONLY, F_RCVBUF, F_AGENTS_TMO, F_DS_TMO,
	     F_WORKERS, F_SPEED_X1000, F_AGENTS_MAX, F_DS_MAX };

static uint64_t field_of(const struct analyzer_config *c, enum field f)
{
	switch (f) {
	case F_HTTP_PORT: return c->http_port;
	case F_SFLOW_PORT: return c->sflow_port;
	case F_READONLY: return c->http_readonly;
	case F_RCVBUF: return c->sflow_rcvbuf_bytes;
	case F_AGENTS_TMO: return c->agents_timeout_ms;
	case F_DS_TMO: return c->datasources_timeout_ms;
	case F_WORKERS: return c->workers;
	case F_SPEED_X1000: return (uint64_t)(c->sflow_file_speed * 1000 + 0.5);
	case F_AGENTS_MAX: return c->agents_max;
	case F_DS_MAX: return c->datasources_max;
	}
	return 0;
}

TEST(good_lines)
{
	static const struct {
		const char *text;
		const char *def;      /* one -D argument, or NULL */
		enum field f;
		uint64_t want;
		size_t warnings;
	} cases[] = {
		{ "http.port=9000\n", NULL, F_HTTP_PORT, 9000, 0 },
		{ "  http.port = 9001  \n", NULL, F_HTTP_PORT, 9001, 0 },
		{ "http.port: 9002", NULL, F_HTTP_PORT, 9002, 0 },
		{ "http.port 9003\n", NULL, F_HTTP_PORT, 9003, 0 },
		{ "http.port=9004\r\n", NULL, F_HTTP_PORT, 9004, 0 },
		{ "http.port=1\nhttp.port=65535\n", NULL, F_HTTP_PORT, 65535, 0 },
		{ "http.port=1\n", "http.port=4242", F_HTTP_PORT, 4242, 0 },
		{ "# comment\n! also\n\n\tsflow.port=7000\n", NULL, F_SFLOW_PORT, 7000, 0 },
		{ "http.readonly=yes", NULL, F_READONLY, 1, 0 },
		{ "http.readonly=TRUE", NULL, F_READONLY, 1, 0 },
		{ "http.readonly=no", "http.readonly=true", F_READONLY, 1, 0 },
		{ "http.readonly=yes", "http.readonly=false", F_READONLY, 0, 0 },
		{ "sflow.rcvpktsbuffer=10", NULL, F_RCVBUF, 20480, 0 },
		{ "agents.timeout=60", NULL, F_AGENTS_TMO, 60000, 0 },
		{ "datasources.timeout=1", NULL, F_DS_TMO, 1000, 0 },
		{ "workers.number=3", NULL, F_WORKERS, 3, 0 },
		{ "sflow.file.speed=0", NULL, F_SPEED_X1000, 0, 0 },
		{ "sflow.file.speed=2.5", NULL, F_SPEED_X1000, 2500, 0 },
		{ "agents.max=0", NULL, F_AGENTS_MAX, 0, 0 },
		{ "datasources.max=4294967295", NULL, F_DS_MAX, 4294967295u, 0 },
		{ "htp.port=1\n", NULL, F_HTTP_PORT, 8008, 1 },
		{ "sflow.prot=1\nmyapp.threshold=7\n", NULL, F_SFLOW_PORT, 6343, 1 },
		{ "bgp.start=yes\nbgp.port=1179\ngeo.country=/x.mmdb\nhttp.json.indent=2\n"
		  "prometheus.metric.prefix=rt_\nevents.max=10\n", NULL, F_HTTP_PORT, 8008, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *defs[1] = { cases[i].def };
		char *err;
		struct analyzer_config *c = load_text(cases[i].text, strlen(cases[i].text), defs,
						      cases[i].def ? 1 : 0, &err);

		if (!c) {
			printf("  case %zu: %s\n", i, err ? err : "?");
			test_failed_checks++;
			free(err);
			continue;
		}
		if (field_of(c, cases[i].f) != cases[i].want || c->warning_count != cases[i].warnings) {
			printf("  case %zu (%s): field %llu warnings %zu\n", i, cases[i].text,
			       (unsigned long long)field_of(c, cases[i].f), c->warning_count);
			test_failed_checks++;
		}
		analyzer_config_free(c);
		unlink(conf_path);
	}
}

TEST(props_kept)
{
	static const char text[] = "myapp.x=hello world\nhttp.port=1\nhttp.port=2\nhtp.port=3\n";
	const char *defs[] = { "other.y=z=w" };
	char *err;
	struct analyzer_config *c = load_text(text, strlen(text), defs, 1, &err);

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_STR(analyzer_config_get(c, "myapp.x"), "hello world");
	CHECK_EQ_STR(analyzer_config_get(c, "http.port"), "2");
	CHECK_EQ_STR(analyzer_config_get(c, "htp.port"), "3");
	CHECK_EQ_STR(analyzer_config_get(c, "other.y"), "z=w");
	CHECK(analyzer_config_get(c, "absent") == NULL);
	CHECK_EQ_U64(c->prop_count, 5);
	CHECK_EQ_U64(c->warning_count, 1);
	if (c->warning_count) {
		CHECK(strstr(c->warnings[0], ":4: ") != NULL);
		CHECK(strstr(c->warnings[0], "did you mean http.port?") != NULL);
	}
	analyzer_config_free(c);
	unlink(conf_path);
}

TEST(bad_lines)
{
	static const struct {
		const char *text;
		const char *def;
		const char *want;     /* in the error after the file name */
	} cases[] = {
		{ "http.port=0", NULL, ":1: http.port: bad value" },
		{ "http.port=65536", NULL, ":1: http.port: bad value" },
		{ "http.port=80x", NULL, ":1: http.port" },
		{ "http.port=-1", NULL, ":1: http.port" },
		{ "\n\nhttp.readonly=maybe\n", NULL, ":3: http.readonly: bad value \"maybe\"" },
		{ "sflow.file.speed=-1", NULL, ":1: sflow.file.speed" },
		{ "sflow.file.speed=nan", NULL, ":1: sflow.file.speed" },
		{ "sflow.file.speed=", NULL, ":1: sflow.file.speed" },
		{ "justaname\n", NULL, ":1: expected name=value" },
		{ "# ok\n=value\n", NULL, ":2: expected name=value" },
		{ "workers.number=257", NULL, ":1: workers.number" },
		{ "agents.timeout=0", NULL, ":1: agents.timeout" },
		{ "agents.max=4294967296", NULL, ":1: agents.max" },
		{ "prometheus.metric.prefix=9bad", NULL, ":1: prometheus.metric.prefix" },
		{ "prometheus.metric.prefix=a-b", NULL, ":1: prometheus.metric.prefix" },
		{ "http.hostname=", NULL, ":1: http.hostname: bad value \"\": expected a value" },
		{ "bgp.port=70000", NULL, ":1: bgp.port" },
		{ "http.json.indent=17", NULL, ":1: http.json.indent" },
		{ "http.port=1", "http.port", "-Dhttp.port: expected -Dname=value" },
		{ "http.port=1", "http.port=x", "-Dhttp.port: http.port: bad value" },
		{ "http.port=1", "=5", "-D=5: expected -Dname=value" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *defs[1] = { cases[i].def };
		char *err = NULL;
		struct analyzer_config *c = load_text(cases[i].text, strlen(cases[i].text), defs,
						      cases[i].def ? 1 : 0, &err);

		if (c || !err || !strstr(err, cases[i].want) ||
		    (!cases[i].def && strncmp(err, conf_path, strlen(conf_path)) != 0)) {
			printf("  case %zu (%s): got %s\n", i, cases[i].text, err ? err : "success");
			test_failed_checks++;
		}
		analyzer_config_free(c);
		free(err);
		unlink(conf_path);
	}
}

TEST(bad_files)
{
	char *err = NULL, *big;
	struct analyzer_config *c;
	static const char nul[] = "http.port=1\nab\0c=1\n";

	c = analyzer_config_load("/nonexistent/analyzer.conf", NULL, 0, &err);
	CHECK(c == NULL && err && strstr(err, "/nonexistent/analyzer.conf: "));
	free(err);
	big = malloc(5000);
	memset(big, 'a', 5000);
	memcpy(big, "myapp.x=", 8);
	c = load_text(big, 5000, NULL, 0, &err);
	CHECK(c == NULL && err && strstr(err, ":1: line longer than"));
	free(err);
	free(big);
	unlink(conf_path);
	c = load_text(nul, sizeof(nul) - 1, NULL, 0, &err);
	CHECK(c == NULL && err && strstr(err, ":2: NUL byte"));
	free(err);
	unlink(conf_path);
}

TEST_MAIN(TEST_ENTRY(defaults), TEST_ENTRY(good_lines), TEST_ENTRY(props_kept),
	  TEST_ENTRY(bad_lines), TEST_ENTRY(bad_files))
