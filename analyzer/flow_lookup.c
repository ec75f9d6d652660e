/*
 * analyzer/flow_lookup.c: maps, MaxMind DB country/ASN lookups and OUI
 * vendor names (see flow_group.h).
 */
#include <ctype.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_group.h"

/* ---- maps: (map, value) → label, sorted for bsearch ---------------------- */

struct map_entry {
	const char *map, *value, *label; /* point into the document copy */
};

struct flow_maps {
	cJSON *doc; /* a copy: the strings live here */
	struct map_entry *v;
	size_t n;
};

static int map_cmp(const void *pa, const void *pb)
{
	const struct map_entry *a = pa, *b = pb;
	int c = strcmp(a->map, b->map);

	return c ? c : strcmp(a->value, b->value);
}

static int maps_collect(struct flow_maps *m, const cJSON *mj, char *err, size_t errlen)
{
	const cJSON *lj, *vj;

	if (!cJSON_IsObject(mj)) {
		snprintf(err, errlen, "%.64s: expected {label: [value, ...]}", mj->string);
		return -1;
	}
	cJSON_ArrayForEach(lj, mj)
	{
		if (!cJSON_IsArray(lj)) {
			snprintf(err, errlen, "%.64s: %.64s: expected an array of values",
				 mj->string, lj->string);
			return -1;
		}
		cJSON_ArrayForEach(vj, lj)
		{
			if (!cJSON_IsString(vj)) {
				snprintf(err, errlen, "%.64s: %.64s: values must be strings",
					 mj->string, lj->string);
				return -1;
			}
			if (m->n == FLOW_MAP_VALUES_MAX) {
				snprintf(err, errlen, "more than %d map values",
					 FLOW_MAP_VALUES_MAX);
				return -1;
			}
			m->v[m->n++] =
				(struct map_entry){ mj->string, vj->valuestring, lj->string };
		}
	}
	return 0;
}

static size_t count_values(const cJSON *doc)
{
	const cJSON *mj, *lj;
	size_t n = 0;

	cJSON_ArrayForEach(mj, doc)
	{
		cJSON_ArrayForEach(lj, mj)
		{
			n += (size_t)cJSON_GetArraySize(lj);
		}
	}
	return n;
}

struct flow_maps *flow_maps_build(const cJSON *doc, char *err, size_t errlen)
{
	struct flow_maps *m = calloc(1, sizeof(*m));
	const cJSON *mj;
	size_t n;

	if (!m)
		return NULL;
	m->doc = doc ? cJSON_Duplicate(doc, true) : cJSON_CreateObject();
	if (!m->doc || !cJSON_IsObject(m->doc)) {
		snprintf(err, errlen, "maps: expected an object");
		flow_maps_free(m);
		return NULL;
	}
	n = count_values(m->doc);
	m->v = calloc(n ? (n > FLOW_MAP_VALUES_MAX ? FLOW_MAP_VALUES_MAX : n) : 1, sizeof(*m->v));
	if (!m->v) {
		flow_maps_free(m);
		return NULL;
	}
	cJSON_ArrayForEach(mj, m->doc)
	{
		if (maps_collect(m, mj, err, errlen) == -1) {
			flow_maps_free(m);
			return NULL;
		}
	}
	qsort(m->v, m->n, sizeof(*m->v), map_cmp);
	return m;
}

void flow_maps_free(struct flow_maps *m)
{
	if (!m)
		return;
	cJSON_Delete(m->doc);
	free(m->v);
	free(m);
}

const char *flow_maps_match(const struct flow_maps *m, const char *name, const char *value)
{
	struct map_entry k = { name, value, NULL };
	const struct map_entry *e;

	if (!m || m->n == 0)
		return NULL;
	e = bsearch(&k, m->v, m->n, sizeof(*m->v), map_cmp);
	return e ? e->label : NULL;
}

/* ---- MaxMind DB ------------------------------------------------------------ */

struct flow_geo {
	MMDB_s country, asn;
	bool have_country, have_asn;
};

static bool geo_open_one(const char *path, MMDB_s *db, const char *what, char *err, size_t errlen)
{
	int rc = MMDB_open(path, MMDB_MODE_MMAP, db);

	if (rc != MMDB_SUCCESS) {
		snprintf(err, errlen, "%s: %.200s: %s", what, path, MMDB_strerror(rc));
		return false;
	}
	return true;
}

struct flow_geo *flow_geo_open(const char *country_path, const char *asn_path, char *err,
			       size_t errlen)
{
	struct flow_geo *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	if (country_path && *country_path) {
		if (!geo_open_one(country_path, &g->country, "geo.country", err, errlen)) {
			free(g);
			return NULL;
		}
		g->have_country = true;
	}
	if (asn_path && *asn_path) {
		if (!geo_open_one(asn_path, &g->asn, "geo.asn", err, errlen)) {
			flow_geo_close(g);
			return NULL;
		}
		g->have_asn = true;
	}
	return g;
}

void flow_geo_close(struct flow_geo *g)
{
	if (!g)
		return;
	if (g->have_country)
		MMDB_close(&g->country);
	if (g->have_asn)
		MMDB_close(&g->asn);
	free(g);
}

/* snprintf's result as the length written into cap bytes. */
static int clamp(int w, size_t cap)
{
	return w < 0 ? -1 : (size_t)w >= cap ? (int)cap - 1 : w;
}

/* The string at path of addr's record in db into buf; length or -1. */
static int geo_string(const MMDB_s *db, const char *addr, const char *const *path, char *buf,
		      size_t cap)
{
	int gai, rc;
	MMDB_lookup_result_s r = MMDB_lookup_string(db, addr, &gai, &rc);
	MMDB_entry_data_s d;
	size_t n;

	if (gai || rc != MMDB_SUCCESS || !r.found_entry ||
	    MMDB_aget_value(&r.entry, &d, path) != MMDB_SUCCESS || !d.has_data)
		return -1;
	if (d.type == MMDB_DATA_TYPE_UTF8_STRING) {
		n = d.data_size < cap - 1 ? d.data_size : cap - 1;
		memcpy(buf, d.utf8_string, n);
		buf[n] = '\0';
		return (int)n;
	}
	if (d.type == MMDB_DATA_TYPE_UINT32)
		return clamp(snprintf(buf, cap, "%u", d.uint32), cap);
	return -1;
}

int flow_geo_country(const struct flow_geo *g, const char *addr, char *buf, size_t cap)
{
	static const char *const geolite[] = { "country", "iso_code", NULL };
	static const char *const plain[] = { "country_code", NULL };
	int n;

	if (!g || !g->have_country || cap == 0)
		return -1;
	n = geo_string(&g->country, addr, geolite, buf, cap);
	return n >= 0 ? n : geo_string(&g->country, addr, plain, buf, cap);
}

int flow_geo_asn(const struct flow_geo *g, const char *addr, int what, char *buf, size_t cap)
{
	static const char *const number[] = { "autonomous_system_number", NULL };
	static const char *const org[] = { "autonomous_system_organization", NULL };
	char a[16], o[128];
	int na, no;

	if (!g || !g->have_asn || cap == 0)
		return -1;
	if (what == 0)
		return geo_string(&g->asn, addr, number, buf, cap);
	if (what == 1)
		return geo_string(&g->asn, addr, org, buf, cap);
	na = geo_string(&g->asn, addr, number, a, sizeof(a));
	no = geo_string(&g->asn, addr, org, o, sizeof(o));
	if (na < 0)
		return -1;
	return clamp(snprintf(buf, cap, "%s%s%s", a, no >= 0 ? " " : "", no >= 0 ? o : ""), cap);
}

/* ---- OUI vendor names --------------------------------------------------------- */

struct oui_entry {
	uint32_t oui;
	char *name;
};

struct flow_oui {
	struct oui_entry *v;
	size_t n, cap;
};

static int oui_cmp(const void *pa, const void *pb)
{
	const struct oui_entry *a = pa, *b = pb;

	return (a->oui > b->oui) - (a->oui < b->oui);
}

/* "00-00-0C   (hex)\t\tCisco", "00:00:0C\tCisco" or "00000C Cisco": the
 * OUI and where the name starts; false for other lines (comments, the
 * "(base 16)" duplicates of oui.txt, addresses with a mask). */
static bool oui_line(const char *l, uint32_t *oui, const char **name)
{
	int digits = 0;
	const char *p = l;

	*oui = 0;
	for (; *p && digits < 6; p++) {
		if (isxdigit((unsigned char)*p)) {
			*oui = *oui << 4 |
			       (uint32_t)(isdigit((unsigned char)*p) ?
						  *p - '0' :
						  (tolower((unsigned char)*p) - 'a' + 10));
			digits++;
		} else if (*p != '-' && *p != ':' && *p != '.') {
			return false;
		}
	}
	if (digits != 6 || !(*p == ' ' || *p == '\t'))
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "(base 16)", 9) == 0)
		return false;
	if (strncmp(p, "(hex)", 5) == 0)
		p += 5;
	while (*p == ' ' || *p == '\t')
		p++;
	*name = p;
	return *p && *p != '\n' && *p != '\r';
}

static bool oui_add(struct flow_oui *o, uint32_t oui, const char *name)
{
	size_t n = strcspn(name, "\r\n");

	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 1024;
		struct oui_entry *v = realloc(o->v, cap * sizeof(*v));

		if (!v)
			return false;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n].oui = oui;
	o->v[o->n].name = strndup(name, n);
	return o->v[o->n++].name != NULL;
}

struct flow_oui *flow_oui_load(const char *path, char *err, size_t errlen)
{
	struct flow_oui *o = calloc(1, sizeof(*o));
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned lineno = 0;

	if (!o || !f) {
		snprintf(err, errlen, "oui.names: %.200s: cannot open", path);
		free(o);
		if (f)
			fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		uint32_t oui;
		const char *name;

		lineno++;
		if (oui_line(line, &oui, &name) && !oui_add(o, oui, name)) {
			snprintf(err, errlen, "%.200s:%u: out of memory", path, lineno);
			fclose(f);
			flow_oui_free(o);
			return NULL;
		}
	}
	fclose(f);
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), oui_cmp);
	return o;
}

void flow_oui_free(struct flow_oui *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].name);
	free(o->v);
	free(o);
}

const char *flow_oui_name(const struct flow_oui *o, const char *mac)
{
	struct oui_entry k = { 0, NULL };
	const struct oui_entry *e;

	if (!o || o->n == 0 || strlen(mac) < 6)
		return NULL;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)mac[i]))
			return NULL;
		k.oui = k.oui << 4 | (uint32_t)(isdigit((unsigned char)mac[i]) ?
							mac[i] - '0' :
							tolower((unsigned char)mac[i]) - 'a' + 10);
	}
	e = bsearch(&k, o->v, o->n, sizeof(*o->v), oui_cmp);
	return e ? e->name : NULL;
}
