/*
 * analyzer/flow_group.h: the lookup tables of the group:, map:, country:,
 * asn: and oui: key functions (reference/sflow-rt-api.md §1.6, §2.2).
 *
 * Groups: {name: {label: [cidr, ...]}} (PUT /group/{name}/json). A group
 * matches an address to the label of its longest matching prefix (IPv4
 * and IPv6). Maps: {name: {label: [value, ...]}}: exact match of a key
 * value. Both are built whole from their document and never change, so
 * collector threads read them with no lock; a change builds new ones.
 * Caps: FLOW_GROUP_PREFIXES_MAX prefixes and FLOW_MAP_VALUES_MAX values
 * over all groups / maps (a larger document is refused with a reason).
 *
 * Geo: country and ASN lookups in MaxMind DB files (libmaxminddb) opened
 * from the geo.country and geo.asn properties. OUI: vendor names from an
 * IEEE oui.txt or Wireshark manuf style file (property oui.names).
 */
#ifndef RTFLOW_ANALYZER_FLOW_GROUP_H
#define RTFLOW_ANALYZER_FLOW_GROUP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLOW_GROUP_PREFIXES_MAX 1000000
#define FLOW_MAP_VALUES_MAX     1000000

struct flow_groups;
struct flow_maps;
struct flow_geo;
struct flow_oui;

/* NULL with a reason in err ("lan: inside: bad prefix 10.0.0.0/33"). An
 * empty or NULL document gives empty tables. */
struct flow_groups *flow_groups_build(const cJSON *doc, char *err, size_t errlen);
void flow_groups_free(struct flow_groups *g);

/* The label of the longest prefix of group `name` holding address `addr`
 * (dotted IPv4 or IPv6 text), or NULL. */
const char *flow_groups_match(const struct flow_groups *g, const char *name, const char *addr);

/* The same for the address bytes a (4 bytes, or 16 when ip6); the
 * label's length through *len when len is not NULL. */
const char *flow_groups_match_addr(const struct flow_groups *g, const char *name,
				   const uint8_t *a, bool ip6, size_t *len);

struct flow_maps *flow_maps_build(const cJSON *doc, char *err, size_t errlen);
void flow_maps_free(struct flow_maps *m);

/* The label of map `name` listing `value`, or NULL. */
const char *flow_maps_match(const struct flow_maps *m, const char *name, const char *value);

/* Open the country and/or ASN databases (either path may be NULL). NULL
 * with a reason when a given file cannot be opened. */
struct flow_geo *flow_geo_open(const char *country_path, const char *asn_path, char *err,
			       size_t errlen);
void flow_geo_close(struct flow_geo *g);

/* Country code of addr into buf; the length, or -1 (unknown, no database). */
int flow_geo_country(const struct flow_geo *g, const char *addr, char *buf, size_t cap);

/* AS of addr: what 0 number, 1 descr (organisation), 2 both ("15169 Google
 * LLC"); the length, or -1. */
int flow_geo_asn(const struct flow_geo *g, const char *addr, int what, char *buf, size_t cap);

/* Load an OUI file; NULL with "file:line: reason". */
struct flow_oui *flow_oui_load(const char *path, char *err, size_t errlen);
void flow_oui_free(struct flow_oui *o);

/* Vendor of the MAC mac (12 hex digits, as the macsource key prints), or NULL. */
const char *flow_oui_name(const struct flow_oui *o, const char *mac);

#endif
