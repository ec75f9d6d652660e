/*
 * analyzer/flow_engine.c: flow definitions, groups and maps as published
 * snapshots, and the store hooks that evaluate them over every flow
 * sample (see flow_engine.h and flow_engine_internal.h).
 *
 * Writers keep the documents as given (cJSON) and rebuild a whole
 * snapshot from them on every change: definitions are compiled again
 * (cheap), and a definition keeps its id while its spec is unchanged, so
 * its caches survive changes to other definitions.
 */
#include "analyzer/flow_engine_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_group.h"

struct flow_snap *flow_snap_get(struct flow_engine *e)
{
	struct flow_snap *sn;

	pthread_mutex_lock(&e->snap_mu);
	sn = atomic_load(&e->cur);
	atomic_fetch_add(&sn->refs, 1);
	pthread_mutex_unlock(&e->snap_mu);
	return sn;
}

void flow_snap_put(struct flow_snap *sn)
{
	if (!sn || atomic_fetch_sub(&sn->refs, 1) != 1)
		return;
	for (uint32_t i = 0; i < sn->ndefs; i++)
		flow_spec_free(sn->defs[i].spec);
	flow_groups_free(sn->groups);
	flow_maps_free(sn->maps);
	free(sn);
}

int flow_snap_find(const struct flow_snap *sn, const char *name)
{
	for (uint32_t i = 0; i < sn->ndefs; i++)
		if (strcmp(sn->defs[i].name, name) == 0)
			return (int)i;
	return -1;
}

struct flow_store *flow_store_of(struct flow_engine *e, const struct store *s)
{
	for (unsigned i = 0; i < e->nstores; i++)
		if (e->stores[i]->s == s)
			return e->stores[i];
	return NULL;
}

/* Compile every document into a new snapshot (e->mu held); NULL with a
 * reason when one does not compile. */
static struct flow_snap *snap_build(struct flow_engine *e, char *err, size_t errlen)
{
	struct flow_snap *sn = calloc(1, sizeof(*sn));

	if (!sn) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	atomic_init(&sn->refs, 1);
	sn->groups = flow_groups_build(e->group_doc, err, errlen);
	sn->maps = sn->groups ? flow_maps_build(e->map_doc, err, errlen) : NULL;
	if (!sn->groups || !sn->maps) {
		flow_snap_put(sn);
		return NULL;
	}
	sn->env = (struct flow_env){ .groups = sn->groups,
				     .maps = sn->maps,
				     .geo = e->geo,
				     .dns = e->cfg.dns,
				     .oui = e->oui };
	for (uint32_t i = 0; i < e->ndocs; i++) {
		struct flow_def *d = &sn->defs[i];

		d->spec = flow_spec_parse(e->docs[i].spec, err, errlen);
		if (!d->spec) {
			flow_snap_put(sn);
			return NULL;
		}
		memcpy(d->name, e->docs[i].name, sizeof(d->name));
		d->id = e->docs[i].id;
		flow_spec_shape(d->spec, e->cfg.cache_max, &d->shape);
		d->log_start = flow_spec_log(d->spec) && flow_spec_flow_start(d->spec) && e->cfg.log;
		d->dropped = flow_spec_dropped(d->spec);
		sn->ndefs++;
	}
	return sn;
}

/* Build from the documents and publish (e->mu held). 0, or -1 (err). */
static int publish(struct flow_engine *e, char *err, size_t errlen)
{
	struct flow_snap *sn = snap_build(e, err, errlen), *old;

	if (!sn)
		return -1;
	pthread_mutex_lock(&e->snap_mu);
	old = atomic_exchange(&e->cur, sn);
	pthread_mutex_unlock(&e->snap_mu);
	flow_snap_put(old);
	return 0;
}

struct flow_engine *flow_engine_new(const struct flow_engine_config *cfg, char *err, size_t errlen)
{
	struct flow_engine *e = calloc(1, sizeof(*e));

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->cfg = *cfg;
	e->cfg.cache_max = cfg->cache_max ? cfg->cache_max : 1000;
	pthread_mutex_init(&e->mu, NULL);
	pthread_mutex_init(&e->snap_mu, NULL);
	e->group_doc = cJSON_CreateObject();
	e->map_doc = cJSON_CreateObject();
	e->geo = flow_geo_open(cfg->geo_country, cfg->geo_asn, err, errlen);
	if (e->geo && cfg->oui_names)
		e->oui = flow_oui_load(cfg->oui_names, err, errlen);
	if (!e->geo || (cfg->oui_names && !e->oui) || publish(e, err, errlen) == -1) {
		flow_engine_free(e);
		return NULL;
	}
	return e;
}

void flow_engine_free(struct flow_engine *e)
{
	if (!e)
		return;
	for (unsigned i = 0; i < e->nstores; i++) { /* their stores are gone */
		flow_snap_put(e->stores[i]->snap);
		free(e->stores[i]);
	}
	flow_snap_put(atomic_load(&e->cur));
	for (uint32_t i = 0; i < e->ndocs; i++)
		cJSON_Delete(e->docs[i].spec);
	cJSON_Delete(e->group_doc);
	cJSON_Delete(e->map_doc);
	flow_geo_close(e->geo);
	flow_oui_free(e->oui);
	pthread_mutex_destroy(&e->mu);
	pthread_mutex_destroy(&e->snap_mu);
	free(e);
}

static bool name_ok(const char *name, char *err, size_t errlen)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n >= FLOW_NAME_MAX) {
		snprintf(err, errlen, "name must be 1 to %d characters", FLOW_NAME_MAX - 1);
		return false;
	}
	for (const char *p = name; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
		      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) {
			snprintf(err, errlen, "name may hold letters, digits, '-' and '_' only");
			return false;
		}
	return true;
}

static int doc_find(const struct flow_engine *e, const char *name)
{
	for (uint32_t i = 0; i < e->ndocs; i++)
		if (strcmp(e->docs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Check spec alone first, so a bad one gets its own message. */
static int set_doc(struct flow_engine *e, const char *name, const cJSON *spec, char *err,
		   size_t errlen)
{
	struct flow_spec *sp = flow_spec_parse(spec, err, errlen);
	int i = doc_find(e, name);
	struct flow_doc old;

	if (!sp)
		return -1;
	flow_spec_free(sp);
	if (i >= 0 && cJSON_Compare(e->docs[i].spec, spec, true))
		return 0; /* the same definition again: keep its caches */
	if (i < 0 && e->ndocs == FLOW_DEFS_MAX) {
		snprintf(err, errlen, "more than %d flow definitions", FLOW_DEFS_MAX);
		return -1;
	}
	if (i < 0) {
		i = (int)e->ndocs++;
		memset(&e->docs[i], 0, sizeof(e->docs[i]));
		snprintf(e->docs[i].name, sizeof(e->docs[i].name), "%s", name);
	}
	old = e->docs[i];
	e->docs[i].spec = cJSON_Duplicate(spec, true);
	e->docs[i].id = ++e->next_id;
	if (!e->docs[i].spec || publish(e, err, errlen) == -1) {
		cJSON_Delete(e->docs[i].spec);
		if (old.spec)
			e->docs[i] = old;
		else
			e->ndocs--;
		return -1;
	}
	cJSON_Delete(old.spec);
	return 0;
}

int flow_engine_set(struct flow_engine *e, const char *name, const cJSON *spec, char *err,
		    size_t errlen)
{
	int rc = -1;

	if (!name_ok(name, err, errlen))
		return -1;
	pthread_mutex_lock(&e->mu);
	rc = set_doc(e, name, spec, err, errlen);
	pthread_mutex_unlock(&e->mu);
	return rc;
}

int flow_engine_delete(struct flow_engine *e, const char *name)
{
	char err[128];
	int i, rc = -1;

	pthread_mutex_lock(&e->mu);
	i = doc_find(e, name);
	if (i >= 0) {
		cJSON_Delete(e->docs[i].spec);
		memmove(&e->docs[i], &e->docs[i + 1],
			(e->ndocs - (uint32_t)i - 1) * sizeof(e->docs[0]));
		e->ndocs--;
		rc = publish(e, err, sizeof(err)) == 0 ? 0 : -1;
	}
	pthread_mutex_unlock(&e->mu);
	return rc;
}

/* The definition as GET shows it (with defaults), compiled from the document. */
static cJSON *def_json(const cJSON *spec)
{
	char err[16];
	struct flow_spec *sp = flow_spec_parse(spec, err, sizeof(err));
	cJSON *j = sp ? flow_spec_json(sp) : NULL;

	flow_spec_free(sp);
	return j;
}

cJSON *flow_engine_get_json(struct flow_engine *e, const char *name)
{
	cJSON *j = NULL;
	int i;

	pthread_mutex_lock(&e->mu);
	i = doc_find(e, name);
	if (i >= 0)
		j = def_json(e->docs[i].spec);
	pthread_mutex_unlock(&e->mu);
	return j;
}

cJSON *flow_engine_list_json(struct flow_engine *e)
{
	cJSON *o = cJSON_CreateObject();

	pthread_mutex_lock(&e->mu);
	for (uint32_t i = 0; i < e->ndocs; i++) {
		cJSON *j = def_json(e->docs[i].spec);

		if (j)
			cJSON_AddItemToObject(o, e->docs[i].name, j);
	}
	pthread_mutex_unlock(&e->mu);
	return o;
}

bool flow_engine_has(struct flow_engine *e, const char *name)
{
	bool has;

	pthread_mutex_lock(&e->mu);
	has = doc_find(e, name) >= 0;
	pthread_mutex_unlock(&e->mu);
	return has;
}

/* Groups and maps: replace entry `name` of *doc with body (NULL: remove)
 * and republish; the old document comes back when the new one does not
 * compile. 0, or -1 (err; "no such" when deleting a missing one). */
static int set_named(struct flow_engine *e, cJSON **doc, const char *name, const cJSON *body,
		     char *err, size_t errlen)
{
	cJSON *next, *old = *doc;
	int rc;

	if (!name_ok(name, err, errlen))
		return -1;
	pthread_mutex_lock(&e->mu);
	if (!body && !cJSON_GetObjectItemCaseSensitive(old, name)) {
		pthread_mutex_unlock(&e->mu);
		snprintf(err, errlen, "no such name");
		return -1;
	}
	next = cJSON_Duplicate(old, true);
	cJSON_DeleteItemFromObjectCaseSensitive(next, name);
	if (body)
		cJSON_AddItemToObject(next, name, cJSON_Duplicate(body, true));
	*doc = next;
	rc = publish(e, err, errlen);
	if (rc == -1) {
		*doc = old;
		cJSON_Delete(next);
	} else {
		cJSON_Delete(old);
	}
	pthread_mutex_unlock(&e->mu);
	return rc;
}

static cJSON *get_named(struct flow_engine *e, cJSON *const *doc, const char *name)
{
	cJSON *j;

	pthread_mutex_lock(&e->mu);
	j = name ? cJSON_GetObjectItemCaseSensitive(*doc, name) : *doc;
	j = j ? cJSON_Duplicate(j, true) : NULL;
	pthread_mutex_unlock(&e->mu);
	return j;
}

int flow_engine_set_group(struct flow_engine *e, const char *name, const cJSON *body, char *err,
			  size_t errlen)
{
	return set_named(e, &e->group_doc, name, body, err, errlen);
}

int flow_engine_delete_group(struct flow_engine *e, const char *name)
{
	char err[64];

	return set_named(e, &e->group_doc, name, NULL, err, sizeof(err));
}

cJSON *flow_engine_group_json(struct flow_engine *e, const char *name)
{
	return get_named(e, &e->group_doc, name);
}

cJSON *flow_engine_groups_json(struct flow_engine *e)
{
	return get_named(e, &e->group_doc, NULL);
}

int flow_engine_set_map(struct flow_engine *e, const char *name, const cJSON *body, char *err,
			size_t errlen)
{
	return set_named(e, &e->map_doc, name, body, err, errlen);
}

int flow_engine_delete_map(struct flow_engine *e, const char *name)
{
	char err[64];

	return set_named(e, &e->map_doc, name, NULL, err, sizeof(err));
}

cJSON *flow_engine_map_json(struct flow_engine *e, const char *name)
{
	return get_named(e, &e->map_doc, name);
}

cJSON *flow_engine_maps_json(struct flow_engine *e)
{
	return get_named(e, &e->map_doc, NULL);
}
