/*
 * analyzer/js/js_api_store.c: storeGet, storeSet, storeDelete, storeKeys
 * (reference/sflow-rt-api.md §4.1): JSON values that survive restarts,
 * one file per key under <script.store>/<app>~<script>/ (the standalone
 * scripts' directory is the script's name), as sFlow-RT lays them out.
 *
 * Keys become file names: letters, digits, '.', '-' and '_' stay, any
 * other byte is %XX, so "a/b" or ".." cannot leave the directory; empty
 * keys and keys over JS_STORE_KEY_MAX bytes throw. A value is written to
 * a temporary file and renamed over the old one, so a crash leaves the
 * old value or the new one. Values are capped at JS_STORE_VAL_MAX bytes
 * of JSON.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/js/js_internal.h"
#include "duktape.h"

#define JS_STORE_KEY_MAX 200
#define JS_STORE_VAL_MAX (4u << 20)

/* The script's directory into buf; false when it does not fit. */
static bool store_dir(const struct js_script *s, char *buf, size_t cap)
{
	const char *root = s->rt->store_dir;
	int n = s->app[0] ? snprintf(buf, cap, "%s/%s~%s", root, s->app, s->id) :
			    snprintf(buf, cap, "%s/%s", root, s->id);

	return n > 0 && (size_t)n < cap;
}

/* The file of key k (escaped) into buf; throws on a bad key. */
static void key_path(duk_context *ctx, const char *k, char *buf, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	const struct js_script *s = js_heap_owner(ctx);
	size_t len = strlen(k), n;

	if (len == 0 || len > JS_STORE_KEY_MAX)
		(void)duk_range_error(ctx, "store: a key is 1 to %d bytes", JS_STORE_KEY_MAX);
	if (!store_dir(s, buf, cap - (size_t)3 * JS_STORE_KEY_MAX - 2))
		(void)duk_range_error(ctx, "store: path too long");
	n = strlen(buf);
	buf[n++] = '/';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)k[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || (c == '.' && i > 0)) {
			buf[n++] = (char)c;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		}
	}
	buf[n] = '\0';
}

static void mkdirs(const char *dir)
{
	char t[PATH_MAX];

	snprintf(t, sizeof(t), "%s", dir);
	for (char *p = t + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(t, 0755);
			*p = '/';
		}
	mkdir(t, 0755);
}

static duk_ret_t api_store_set(duk_context *ctx)
{
	const struct js_script *s = js_heap_owner(ctx);
	char path[PATH_MAX], tmp[PATH_MAX + 8], dir[PATH_MAX];
	const char *json;
	size_t len;
	FILE *f;

	key_path(ctx, duk_require_string(ctx, 0), path, sizeof(path));
	duk_dup(ctx, 1);
	json = duk_json_encode(ctx, -1);
	len = json ? strlen(json) : 0;
	if (!json || len > JS_STORE_VAL_MAX)
		return duk_range_error(ctx, "storeSet: value too large or not JSON");
	if (store_dir(s, dir, sizeof(dir)))
		mkdirs(dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fwrite(json, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		return duk_error(ctx, DUK_ERR_ERROR, "storeSet: %s: %s", path, strerror(e));
	}
	return 0;
}

static duk_ret_t api_store_get(duk_context *ctx)
{
	char path[PATH_MAX], *buf;
	FILE *f;
	size_t n;

	key_path(ctx, duk_require_string(ctx, 0), path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return 0; /* undefined */
	buf = malloc(JS_STORE_VAL_MAX + 1);
	n = buf ? fread(buf, 1, JS_STORE_VAL_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || n > JS_STORE_VAL_MAX) {
		free(buf);
		return duk_error(ctx, DUK_ERR_ERROR, "storeGet: %s: too large", path);
	}
	duk_push_lstring(ctx, buf, n);
	free(buf);
	duk_json_decode(ctx, -1); /* a damaged file throws a SyntaxError */
	return 1;
}

static duk_ret_t api_store_delete(duk_context *ctx)
{
	char path[PATH_MAX];

	key_path(ctx, duk_require_string(ctx, 0), path, sizeof(path));
	unlink(path);
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* storeKeys(): the keys stored, unescaped, in no particular order. */
static duk_ret_t api_store_keys(duk_context *ctx)
{
	char dir[PATH_MAX], key[JS_STORE_KEY_MAX + 1];
	struct dirent *e;
	duk_uarridx_t i = 0;
	DIR *d;

	duk_push_array(ctx);
	if (!store_dir(js_heap_owner(ctx), dir, sizeof(dir)) || !(d = opendir(dir)))
		return 1;
	while ((e = readdir(d))) {
		size_t n = 0, len = strlen(e->d_name);
		bool ok = e->d_name[0] != '.' && (len < 4 || strcmp(e->d_name + len - 4, ".tmp") != 0);

		for (size_t j = 0; ok && j < len && n < JS_STORE_KEY_MAX; j++) {
			if (e->d_name[j] != '%') {
				key[n++] = e->d_name[j];
				continue;
			}
			ok = j + 2 < len && hexval(e->d_name[j + 1]) >= 0 &&
			     hexval(e->d_name[j + 2]) >= 0;
			if (ok)
				key[n++] = (char)(hexval(e->d_name[j + 1]) << 4 | hexval(e->d_name[j + 2]));
			j += 2;
		}
		if (!ok)
			continue;
		duk_push_lstring(ctx, key, n);
		duk_put_prop_index(ctx, -2, i++);
	}
	closedir(d);
	return 1;
}

void js_api_store_register(struct duk_hthread *ctx)
{
	static const struct js_fn fns[] = {
		{ "storeSet", api_store_set, 2, 0 },
		{ "storeGet", api_store_get, 1, 0 },
		{ "storeDelete", api_store_delete, 1, 0 },
		{ "storeKeys", api_store_keys, 0, 0 },
	};

	js_api_put(ctx, fns, sizeof(fns) / sizeof(fns[0]));
}
