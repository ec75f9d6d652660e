/*
 * tests/unit/js_runtime_test.c: script threads on real duktape heaps
 * (analyzer/js/js_runtime.h), with scripts this test writes to a scratch
 * directory:
 * - a script's interval handler runs (0.1 s) and shares values with
 *   another script (sharedSet/sharedGet); version(), getSystemProperty()
 *   and scriptdir() answer what the test configured;
 * - a script that throws at load, one with a syntax error, one that
 *   loops forever, one that exhausts its heap cap, one whose handler
 *   throws, and a missing file: each stops (or goes on, for the handler)
 *   with "file:line: message" in /scripts/json, while the good scripts
 *   keep running; argument errors throw TypeErrors scripts can catch;
 * - stopping the runtime is prompt;
 * - storeSet/storeGet/storeDelete/storeKeys keep JSON values in one file
 *   per key (escaped: "a/b" and ".." stay inside the script's directory),
 *   and a new runtime reads them back; include() runs a file in the
 *   global scope and a missing one throws.
 * Expected values are the ones the scripts were written with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/js/js_internal.h"
#include "tests/lib/test.h"

static char dir[] = "/tmp/js_runtime_test.XXXXXX";

static const struct {
	const char *name, *src;
} scripts[] = {
	{ "ticker.js", "logInfo('ticker on ' + version());\n"
		       "var n = 0;\n"
		       "setIntervalHandler(function (now) { n++; sharedSet('ticks', n);\n"
		       "  sharedSet('now', now); }, 0.1);\n" },
	{ "reader.js", "sharedSet('prop', getSystemProperty('my.prop'));\n"
		       "sharedSet('noprop', getSystemProperty('no.such'));\n"
		       "sharedSet('dir', scriptdir());\n"
		       "try { setIntervalHandler(5); } catch (e) { sharedSet('argerr', String(e)); }\n"
		       "setIntervalHandler(function () {\n"
		       "  var t = sharedGet('ticks');\n"
		       "  if (t >= 3) sharedSet('seen', {ticks: t});\n"
		       "}, 0.1);\n" },
	{ "throws.js", "var x = 1;\n\nthrow new Error('boom');\n" },
	{ "syntax.js", "var a = 1;\nvar = ;\n" },
	{ "loops.js", "var i = 0;\nwhile (true) { i++; }\n" },
	{ "hog.js", "var a = [];\nfor (;;) a.push(new Array(1000).join('x') + a.length);\n" },
	{ "handler.js", "setIntervalHandler(function () {\n  throw new Error('tick failed');\n}, 0.1);\n" },
};

static bool property(void *arg, const char *name, char *buf, size_t cap)
{
	(void)arg;
	if (strcmp(name, "my.prop") != 0)
		return false;
	snprintf(buf, cap, "forty-two");
	return true;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The JSON text shared under key (app ""), or "" when none. */
static void shared(struct js_runtime *rt, const char *key, char *out, size_t cap)
{
	char k[128];

	snprintf(k, sizeof(k), "\x1f%s", key);
	out[0] = '\0';
	pthread_mutex_lock(&rt->shared_mu);
	for (size_t i = 0; i < rt->nshared; i++)
		if (strcmp(rt->shared[i].key, k) == 0)
			snprintf(out, cap, "%s", rt->shared[i].json);
	pthread_mutex_unlock(&rt->shared_mu);
}

static const cJSON *status_of(const cJSON *all, const char *id)
{
	return cJSON_GetObjectItemCaseSensitive(all, id);
}

static const char *error_of(const cJSON *all, const char *id)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(status_of(all, id), "error");

	return cJSON_IsString(e) ? e->valuestring : "";
}

static bool alive(const cJSON *all, const char *id)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(status_of(all, id), "alive"));
}

TEST(scripts_run_fail_and_stop)
{
	const char *files[sizeof(scripts) / sizeof(scripts[0]) + 1];
	char paths[sizeof(scripts) / sizeof(scripts[0]) + 1][256], v[256], want[300], err[256];
	struct js_runtime_config cfg = { .heap_max = 4u << 20, .timeout_ms = 300,
					 .version = "1.0-test", .property = property };
	struct js_runtime *rt;
	uint64_t t0 = now_ms(), t1;
	cJSON *st;
	size_t n = 0;

	for (; n < sizeof(scripts) / sizeof(scripts[0]); n++) {
		FILE *f;

		snprintf(paths[n], sizeof(paths[n]), "%s/%s", dir, scripts[n].name);
		f = fopen(paths[n], "w");
		CHECK(f != NULL);
		if (f) {
			fputs(scripts[n].src, f);
			fclose(f);
		}
		files[n] = paths[n];
	}
	snprintf(paths[n], sizeof(paths[n]), "%s/missing.js", dir);
	files[n] = paths[n];
	cfg.files = files;
	cfg.nfiles = n + 1;
	rt = js_runtime_start(&cfg, err, sizeof(err));
	CHECK(rt != NULL);
	if (!rt)
		return;
	for (int i = 0; i < 100; i++) { /* at most 5 s */
		shared(rt, "seen", v, sizeof(v));
		if (v[0])
			break;
		usleep(50000);
	}
	CHECK(strstr(v, "\"ticks\":") != NULL);
	shared(rt, "now", v, sizeof(v));
	t1 = now_ms();
	CHECK(v[0] && strtoull(v, NULL, 10) >= t0 && strtoull(v, NULL, 10) <= t1);
	shared(rt, "prop", v, sizeof(v));
	CHECK_EQ_STR(v, "\"forty-two\"");
	shared(rt, "noprop", v, sizeof(v));
	CHECK_EQ_STR(v, "null");
	shared(rt, "dir", v, sizeof(v));
	snprintf(want, sizeof(want), "\"%s\"", dir);
	CHECK_EQ_STR(v, want);
	shared(rt, "argerr", v, sizeof(v));
	CHECK(strstr(v, "TypeError") != NULL);
	for (int i = 0; i < 200; i++) { /* at most 10 s: the loop and the hog hit their limits */
		st = js_runtime_scripts_json(rt);
		if (error_of(st, "loops.js")[0] && error_of(st, "hog.js")[0])
			break;
		cJSON_Delete(st);
		st = NULL;
		usleep(50000);
	}
	if (!st)
		st = js_runtime_scripts_json(rt);
	CHECK(alive(st, "ticker.js") && alive(st, "reader.js") && alive(st, "handler.js"));
	CHECK_EQ_STR(error_of(st, "ticker.js"), "");
	CHECK_EQ_STR(error_of(st, "throws.js"), "throws.js:3: Error: boom");
	CHECK(strncmp(error_of(st, "syntax.js"), "syntax.js:2: SyntaxError", 24) == 0);
	/* where the deadline strikes depends on the machine's speed: any line */
	CHECK(strncmp(error_of(st, "loops.js"), "loops.js:", 9) == 0 &&
	      strstr(error_of(st, "loops.js"), "RangeError: execution timeout") != NULL);
	CHECK(strncmp(error_of(st, "hog.js"), "hog.js:2: ", 10) == 0 &&
	      strstr(error_of(st, "hog.js"), "alloc") != NULL);
	CHECK_EQ_STR(error_of(st, "handler.js"), "handler.js:2: Error: tick failed");
	CHECK(strstr(error_of(st, "missing.js"), "No such file") != NULL);
	CHECK(!alive(st, "throws.js") && !alive(st, "loops.js") && !alive(st, "hog.js") &&
	      !alive(st, "missing.js"));
	printf("  loops.js: %s\n  hog.js: %s\n", error_of(st, "loops.js"), error_of(st, "hog.js"));
	cJSON_Delete(st);
	t0 = now_ms();
	js_runtime_stop(rt);
	CHECK(now_ms() - t0 < 3000); /* a running call is interrupted, not waited for */
	for (size_t i = 0; i <= n; i++)
		unlink(paths[i]);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Run script `src` as store.js until it sets "done"; the runtime. */
static struct js_runtime *run_store_js(const char *src, const char *store)
{
	static char path[300];
	static const char *files[1] = { path };
	struct js_runtime_config cfg = { .files = files, .nfiles = 1, .heap_max = 4u << 20,
					 .timeout_ms = 1000, .store_dir = store };
	char err[256], v[64];
	struct js_runtime *rt;

	snprintf(path, sizeof(path), "%s/store.js", dir);
	write_file(path, src);
	rt = js_runtime_start(&cfg, err, sizeof(err));
	CHECK(rt != NULL);
	for (int i = 0; rt && i < 100; i++) {
		shared(rt, "done", v, sizeof(v));
		if (v[0])
			break;
		usleep(20000);
	}
	return rt;
}

TEST(store_and_include)
{
	char store[300], inc[300], f[400], v[256];
	struct js_runtime *rt;
	struct stat st;

	snprintf(store, sizeof(store), "%s/st", dir);
	snprintf(inc, sizeof(inc), "%s/inc.js", dir);
	write_file(inc, "function fromInc() { return 'inc ok'; }\n");
	rt = run_store_js("storeSet('a/b', {x: 1, s: 'caf\\u00e9'}); storeSet('..', 2); storeSet('k%', [1, 2]);\n"
			  "sharedSet('keys', storeKeys().sort());\n"
			  "sharedSet('back', storeGet('a/b'));\n"
			  "storeDelete('k%');\n"
			  "sharedSet('after', storeKeys().sort());\n"
			  "sharedSet('missing', storeGet('nope') === undefined);\n"
			  "include(scriptdir() + '/inc.js'); sharedSet('included', fromInc());\n"
			  "try { include('/no/such.js'); } catch (e) { sharedSet('incerr', String(e)); }\n"
			  "try { storeSet('', 1); } catch (e) { sharedSet('emptykey', String(e)); }\n"
			  "sharedSet('done', true);\n",
			  store);
	if (!rt)
		return;
	shared(rt, "keys", v, sizeof(v));
	CHECK_EQ_STR(v, "[\"..\",\"a/b\",\"k%\"]");
	shared(rt, "back", v, sizeof(v));
	CHECK_EQ_STR(v, "{\"x\":1,\"s\":\"caf\u00e9\"}");
	shared(rt, "after", v, sizeof(v));
	CHECK_EQ_STR(v, "[\"..\",\"a/b\"]");
	shared(rt, "missing", v, sizeof(v));
	CHECK_EQ_STR(v, "true");
	shared(rt, "included", v, sizeof(v));
	CHECK_EQ_STR(v, "\"inc ok\"");
	shared(rt, "incerr", v, sizeof(v));
	CHECK(strstr(v, "/no/such.js") != NULL);
	shared(rt, "emptykey", v, sizeof(v));
	CHECK(strstr(v, "RangeError") != NULL);
	js_runtime_stop(rt);
	/* the files, escaped, inside the script's directory */
	snprintf(f, sizeof(f), "%s/store.js/a%%2Fb", store);
	CHECK(stat(f, &st) == 0);
	snprintf(f, sizeof(f), "%s/store.js/%%2E.", store);
	CHECK(stat(f, &st) == 0);
	snprintf(f, sizeof(f), "%s/store.js/k%%25", store);
	CHECK(stat(f, &st) != 0);
	/* a new runtime reads what the last one stored */
	rt = run_store_js("sharedSet('persisted', storeGet('a/b')); sharedSet('done', true);\n", store);
	if (!rt)
		return;
	shared(rt, "persisted", v, sizeof(v));
	CHECK_EQ_STR(v, "{\"x\":1,\"s\":\"caf\u00e9\"}");
	js_runtime_stop(rt);
	snprintf(f, sizeof(f), "%s/store.js/a%%2Fb", store);
	unlink(f);
	snprintf(f, sizeof(f), "%s/store.js/%%2E.", store);
	unlink(f);
	snprintf(f, sizeof(f), "%s/store.js", store);
	rmdir(f);
	rmdir(store);
	unlink(inc);
	snprintf(f, sizeof(f), "%s/store.js", dir);
	unlink(f);
}

static void run_all(void)
{
	if (!mkdtemp(dir)) {
		CHECK(false);
		return;
	}
	scripts_run_fail_and_stop();
	store_and_include();
	rmdir(dir);
}

TEST_MAIN(TEST_ENTRY(run_all))
