/*
 * analyzer/js/js_apps.c: the apps of the app directories (reference §5):
 * <dir>/<app>/scripts/<name>.js are started, <dir>/<app>/scripts/inc/ is only
 * for include(), <dir>/<app>/html/ is served as /app/<app>/html/. The
 * first directory that names an app wins, so a user's app directory
 * (property app.dir, listed first) overrides a shipped app of the same
 * name. Names are sorted, so start order and /apps/json are stable.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer/js/js_internal.h"

#define JS_APPS_MAX 64

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An app or script name: [A-Za-z0-9._-], not hidden, not too long. */
static bool name_ok(const char *n, size_t cap)
{
	if (n[0] == '.' || strlen(n) >= cap)
		return false;
	return strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	       strlen(n);
}

static bool is_kind(const char *path, mode_t kind)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

/* The sorted entries of dir (malloc'd names, at most max), how many. */
static size_t list_dir(const char *dir, char **names, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while (n < max && (e = readdir(d)))
		if (name_ok(e->d_name, JS_NAME_LEN) && (names[n] = strdup(e->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	return n;
}

/* Append the scripts of app a (its scripts/<name>.js) to paths. */
static void app_scripts(struct js_app *a, char (*paths)[PATH_MAX], size_t *npaths, size_t max)
{
	char dir[PATH_MAX], *names[JS_SCRIPTS_MAX];
	size_t n;

	a->first = *npaths;
	a->n = 0;
	if (snprintf(dir, sizeof(dir), "%s/scripts", a->dir) >= (int)sizeof(dir))
		return;
	n = list_dir(dir, names, JS_SCRIPTS_MAX);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		char *p = paths[*npaths];

		if (*npaths < max && len > 3 && strcmp(names[i] + len - 3, ".js") == 0 &&
		    snprintf(p, PATH_MAX, "%s/%s", dir, names[i]) < PATH_MAX && is_kind(p, S_IFREG))
			(*npaths)++;
		free(names[i]);
	}
	a->n = *npaths - a->first;
}

static bool app_known(const struct js_app *apps, size_t napps, const char *name)
{
	for (size_t i = 0; i < napps; i++)
		if (strcmp(apps[i].name, name) == 0)
			return true;
	return false;
}

/* Add the apps of one directory. */
static void dir_apps(const char *root, struct js_app *apps, size_t *napps,
		     char (*paths)[PATH_MAX], size_t *npaths, size_t max)
{
	char *names[JS_APPS_MAX * 2];
	size_t n = list_dir(root, names, JS_APPS_MAX * 2);

	for (size_t i = 0; i < n; i++) {
		struct js_app *a = &apps[*napps];
		char sub[PATH_MAX];

		if (*napps < JS_APPS_MAX && !app_known(apps, *napps, names[i]) &&
		    snprintf(a->dir, sizeof(a->dir), "%s/%s", root, names[i]) < PATH_MAX &&
		    is_kind(a->dir, S_IFDIR)) {
			snprintf(a->name, sizeof(a->name), "%s", names[i]);
			a->has_html = snprintf(sub, sizeof(sub), "%s/html", a->dir) < PATH_MAX &&
				      is_kind(sub, S_IFDIR);
			app_scripts(a, paths, npaths, max);
			if (a->n || a->has_html)
				(*napps)++;
		}
		free(names[i]);
	}
}

int js_apps_find(const char *const *dirs, size_t ndirs, struct js_app **apps, size_t *napps,
		 char (*paths)[PATH_MAX], size_t *npaths, size_t max)
{
	*napps = 0;
	*apps = calloc(JS_APPS_MAX, sizeof(**apps));
	if (!*apps)
		return -1;
	for (size_t i = 0; i < ndirs; i++)
		dir_apps(dirs[i], *apps, napps, paths, npaths, max);
	return 0;
}

static struct js_app *app_find(struct js_runtime *rt, const char *name)
{
	for (size_t i = 0; rt && i < rt->napps; i++)
		if (strcmp(rt->apps[i].name, name) == 0)
			return &rt->apps[i];
	return NULL;
}

cJSON *js_runtime_apps_json(struct js_runtime *rt)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; rt && o && i < rt->napps; i++) {
		const struct js_app *a = &rt->apps[i];
		cJSON *j = cJSON_AddObjectToObject(o, a->name);
		cJSON *list = j ? cJSON_AddArrayToObject(j, "scripts") : NULL;

		if (j && a->has_html)
			cJSON_AddStringToObject(j, "entry", "/html/");
		for (size_t k = 0; list && k < a->n; k++)
			cJSON_AddItemToArray(list, cJSON_CreateString(rt->scripts[a->first + k].id));
	}
	return o;
}

/* Whether the scripts [first, first+n) all run or ended cleanly. */
static bool scripts_ok(struct js_runtime *rt, size_t first, size_t n)
{
	bool ok = true;

	for (size_t i = first; i < first + n; i++) {
		struct js_script *s = &rt->scripts[i];

		pthread_mutex_lock(&s->mu);
		ok = ok && (s->alive || s->graceful || !s->started);
		pthread_mutex_unlock(&s->mu);
	}
	return ok;
}

int js_runtime_app_status(struct js_runtime *rt, const char *app)
{
	const struct js_app *a;

	if (!app)
		return !rt || scripts_ok(rt, 0, rt->nscripts) ? 200 : 503;
	a = app_find(rt, app);
	if (!a)
		return 404;
	return scripts_ok(rt, a->first, a->n) ? 200 : 503;
}

bool js_runtime_app_dir(struct js_runtime *rt, const char *app, char *buf, size_t cap)
{
	const struct js_app *a = app_find(rt, app);

	return a && (size_t)snprintf(buf, cap, "%s", a->dir) < cap;
}
