/*
 * analyzer/flow_group.c: groups (longest-prefix match) and maps (exact
 * match), see flow_group.h.
 *
 * A group set is built as one binary trie per address family and group
 * (nodes in one array, a node per prefix bit, the label index on the node
 * where a prefix ends), then flattened into the sorted starts of the
 * address ranges that share a longest-match label: a lookup is a binary
 * search over contiguous memory (a trie walk is a chain of up to 32 or 128
 * dependent loads). At most 2 ranges per prefix, plus one. Maps keep (map,
 * value) pairs sorted for binary search.
 */
#include "analyzer/flow_group.h"

#include "analyzer/flow_addr.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trie_node {
	int32_t child[2];
	int32_t label; /* index into the group set's labels, or -1 */
};

typedef unsigned __int128 addr_u128; /* an address as a number (IPv4 in the low bits) */

struct range_set {
	addr_u128 *start; /* ascending; start[0] == 0 */
	int32_t *label;   /* of [start[i], start[i+1]): a labels index, or -1 */
	size_t n, cap;
};

struct group {
	char *name;
	int32_t root[2];       /* IPv4, IPv6 trie roots (while building) */
	struct range_set r[2]; /* IPv4, IPv6 ranges */
};

struct flow_groups {
	struct group *g;
	size_t ng;
	struct trie_node *nodes;
	size_t nnodes, cap;
	char **labels;
	uint16_t *label_lens; /* strlen of each, cut to 65535 */
	size_t nlabels;
	size_t nprefixes;
};

static int32_t node_new(struct flow_groups *s)
{
	if (s->nnodes == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct trie_node *n = realloc(s->nodes, cap * sizeof(*n));

		if (!n)
			return -1;
		s->nodes = n;
		s->cap = cap;
	}
	s->nodes[s->nnodes] = (struct trie_node){ { -1, -1 }, -1 };
	return (int32_t)s->nnodes++;
}

/* Parse "a.b.c.d/len" or "x::/len" (no length: a host). */
static int parse_prefix(const char *s, uint8_t *addr, int *fam, int *bits)
{
	char t[64], *slash;
	size_t len = strlen(s);
	char *end;
	long n;

	if (len >= sizeof(t))
		return -1;
	memcpy(t, s, len + 1);
	slash = strchr(t, '/');
	if (slash)
		*slash = '\0';
	*fam = strchr(t, ':') ? 6 : 4;
	if (inet_pton(*fam == 4 ? AF_INET : AF_INET6, t, addr) != 1)
		return -1;
	*bits = *fam == 4 ? 32 : 128;
	if (!slash)
		return 0;
	n = strtol(slash + 1, &end, 10);
	if (!slash[1] || *end || n < 0 || n > *bits)
		return -1;
	*bits = (int)n;
	return 0;
}

static int trie_insert(struct flow_groups *s, struct group *g, const uint8_t *addr, int fam,
		       int bits, int32_t label)
{
	int32_t *root = &g->root[fam == 6], n;

	if (*root < 0 && (*root = node_new(s)) < 0)
		return -1;
	n = *root;
	for (int i = 0; i < bits; i++) {
		int b = (addr[i / 8] >> (7 - i % 8)) & 1;

		if (s->nodes[n].child[b] < 0) {
			int32_t c = node_new(s);

			if (c < 0)
				return -1;
			s->nodes[n].child[b] = c;
		}
		n = s->nodes[n].child[b];
	}
	if (s->nodes[n].label < 0) /* the first label listing a prefix keeps it */
		s->nodes[n].label = label;
	return 0;
}

static int range_push(struct range_set *r, addr_u128 start, int32_t label)
{
	if (r->n && r->label[r->n - 1] == label)
		return 0; /* the same label goes on */
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		addr_u128 *st = realloc(r->start, cap * sizeof(*st));
		int32_t *lb;

		if (!st)
			return -1;
		r->start = st;
		if (!(lb = realloc(r->label, cap * sizeof(*lb))))
			return -1;
		r->label = lb;
		r->cap = cap;
	}
	r->start[r->n] = start;
	r->label[r->n++] = label;
	return 0;
}

/* The ranges under trie node n (-1: none) for the prefix of `depth` bits
 * at `prefix`, in address order; `inherited` is the label of the longest
 * prefix above. */
static int flatten(const struct flow_groups *s, struct range_set *r, int32_t n, addr_u128 prefix,
		   int depth, int width, int32_t inherited)
{
	int32_t label = n >= 0 && s->nodes[n].label >= 0 ? s->nodes[n].label : inherited;

	if (n < 0 || depth == width || (s->nodes[n].child[0] < 0 && s->nodes[n].child[1] < 0))
		return range_push(r, prefix, label);
	for (int b = 0; b < 2; b++)
		if (flatten(s, r, s->nodes[n].child[b], prefix | (addr_u128)b << (width - 1 - depth),
			    depth + 1, width, label) == -1)
			return -1;
	return 0;
}

static addr_u128 addr_value(const uint8_t *a, bool ip6)
{
	uint64_t hi, lo;
	uint32_t v4;

	if (!ip6) {
		memcpy(&v4, a, 4);
		return be32toh(v4);
	}
	memcpy(&hi, a, 8);
	memcpy(&lo, a + 8, 8);
	return (addr_u128)be64toh(hi) << 64 | be64toh(lo);
}

static int32_t range_find(const struct range_set *r, addr_u128 x)
{
	size_t lo = 0, n = r->n;

	if (n == 0)
		return -1;
	while (n > 1) { /* the last start <= x; start[0] == 0 <= x */
		size_t half = n / 2;

		lo = r->start[lo + half] <= x ? lo + half : lo;
		n -= half;
	}
	return r->label[lo];
}

static int32_t label_add(struct flow_groups *s, const char *label)
{
	char **l = realloc(s->labels, (s->nlabels + 1) * sizeof(*l));
	uint16_t *ll;
	size_t n = strlen(label);

	if (!l)
		return -1;
	s->labels = l;
	if (!(ll = realloc(s->label_lens, (s->nlabels + 1) * sizeof(*ll))))
		return -1;
	s->label_lens = ll;
	s->label_lens[s->nlabels] = (uint16_t)(n < 65535 ? n : 65535);
	s->labels[s->nlabels] = strdup(label);
	return s->labels[s->nlabels] ? (int32_t)s->nlabels++ : -1;
}

static int group_add(struct flow_groups *s, const cJSON *gj, char *err, size_t errlen)
{
	struct group *g = &s->g[s->ng];
	const cJSON *lj, *cj;

	g->name = strdup(gj->string);
	g->root[0] = g->root[1] = -1;
	if (!g->name)
		return -1;
	s->ng++;
	if (!cJSON_IsObject(gj)) {
		snprintf(err, errlen, "%.64s: expected {label: [cidr, ...]}", gj->string);
		return -1;
	}
	cJSON_ArrayForEach(lj, gj)
	{
		int32_t label = cJSON_IsArray(lj) ? label_add(s, lj->string) : -1;

		if (label < 0) {
			snprintf(err, errlen, "%.64s: %.64s: expected an array of prefixes",
				 gj->string, lj->string);
			return -1;
		}
		cJSON_ArrayForEach(cj, lj)
		{
			uint8_t addr[16];
			int fam, bits;

			if (!cJSON_IsString(cj) ||
			    parse_prefix(cj->valuestring, addr, &fam, &bits)) {
				snprintf(err, errlen, "%.64s: %.64s: bad prefix %.64s", gj->string,
					 lj->string,
					 cJSON_IsString(cj) ? cj->valuestring : "(not a string)");
				return -1;
			}
			if (++s->nprefixes > FLOW_GROUP_PREFIXES_MAX) {
				snprintf(err, errlen, "more than %d prefixes",
					 FLOW_GROUP_PREFIXES_MAX);
				return -1;
			}
			if (trie_insert(s, g, addr, fam, bits, label) == -1) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
	}
	if (flatten(s, &g->r[0], g->root[0], 0, 0, 32, -1) == -1 ||
	    flatten(s, &g->r[1], g->root[1], 0, 0, 128, -1) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

struct flow_groups *flow_groups_build(const cJSON *doc, char *err, size_t errlen)
{
	struct flow_groups *s = calloc(1, sizeof(*s));
	const cJSON *gj;
	size_t n = 0;

	if (!s)
		return NULL;
	if (doc && !cJSON_IsObject(doc)) {
		snprintf(err, errlen, "groups: expected an object");
		flow_groups_free(s);
		return NULL;
	}
	cJSON_ArrayForEach(gj, doc)
	{
		n++;
	}
	s->g = calloc(n ? n : 1, sizeof(*s->g));
	if (!s->g) {
		flow_groups_free(s);
		return NULL;
	}
	cJSON_ArrayForEach(gj, doc)
	{
		if (group_add(s, gj, err, errlen) == -1) {
			flow_groups_free(s);
			return NULL;
		}
	}
	free(s->nodes); /* lookups read the ranges */
	s->nodes = NULL;
	s->nnodes = s->cap = 0;
	return s;
}

void flow_groups_free(struct flow_groups *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ng; i++) {
		free(s->g[i].name);
		for (int f = 0; f < 2; f++) {
			free(s->g[i].r[f].start);
			free(s->g[i].r[f].label);
		}
	}
	for (size_t i = 0; i < s->nlabels; i++)
		free(s->labels[i]);
	free(s->g);
	free(s->labels);
	free(s->label_lens);
	free(s->nodes);
	free(s);
}

const char *flow_groups_match_addr(const struct flow_groups *s, const char *name,
				   const uint8_t *a, bool ip6, size_t *len)
{
	int32_t label;

	if (!s)
		return NULL;
	for (size_t i = 0; i < s->ng; i++)
		if (strcmp(s->g[i].name, name) == 0) {
			label = range_find(&s->g[i].r[ip6], addr_value(a, ip6));
			if (label < 0)
				return NULL;
			if (len)
				*len = s->label_lens[label];
			return s->labels[label];
		}
	return NULL;
}

const char *flow_groups_match(const struct flow_groups *s, const char *name, const char *addr)
{
	uint8_t a[16];
	bool ip6 = !flow_ip4_parse(addr, a);

	if (ip6 && inet_pton(AF_INET6, addr, a) != 1)
		return NULL;
	return flow_groups_match_addr(s, name, a, ip6, NULL);
}
