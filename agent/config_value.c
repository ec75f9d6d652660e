/*
 * agent/config_value.c: one parser and one printer per value type of
 * agent/config.h. Numbers are hsflowd's: decimal, 32-bit values take a
 * K/M/G suffix (x1000, §2.1), speeds K/M/G/T/P; anything else is refused,
 * never read as 0 as atoi() would. Addresses are literals only (inet_pton):
 * resolving host names would make parsing depend on DNS, which hsflowd did
 * at parse time and exited on a lookup failure.
 */
#include "agent/config_value.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define FIELD(inst, k) ((void *)((char *)(inst) + (k)->offset))
#define CFIELD(inst, k) ((const void *)((const char *)(inst) + (k)->offset))

/* Decimal digits and at most one unit letter from `units` (x1000 each). */
static bool parse_scaled(const char *s, const char *units, uint64_t max, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p) {
		const char *u = strchr(units, toupper((unsigned char)*p));

		if (!u || p[1])
			return false;
		for (const char *q = units; q <= u; q++)
			mult *= 1000;
	}
	if (v > max / mult)
		return false;
	*out = v * mult;
	return true;
}

bool config_value_speed(const char *s, uint64_t *out_bps)
{
	return parse_scaled(s, "KMGTP", UINT64_MAX, out_bps);
}

static int parse_u32(const struct agent_config_key *k, const char *val, uint32_t *out, char *why,
		     size_t n)
{
	uint64_t v;

	if (!parse_scaled(val, "KMG", UINT32_MAX, &v)) {
		snprintf(why, n, "'%s' is not a number", val);
		return -1;
	}
	if (v < k->min || v > k->max) {
		snprintf(why, n, "%s is out of range %u..%u", val, k->min, k->max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_bool(const char *val, bool *out, char *why, size_t n)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(val, yes[i]) == 0 || strcasecmp(val, no[i]) == 0) {
			*out = strcasecmp(val, yes[i]) == 0;
			return 0;
		}
	}
	snprintf(why, n, "'%s' is not on or off", val);
	return -1;
}

/* Device and netns names: no '/', not "." or "..", fits the field. */
static int parse_name(const char *val, size_t size, char *out, char *why, size_t n)
{
	size_t len = strlen(val);

	if (len == 0 || len >= size) {
		snprintf(why, n, "'%s' must be 1..%zu characters", val, size - 1);
		return -1;
	}
	if (strchr(val, '/') || strcmp(val, ".") == 0 || strcmp(val, "..") == 0) {
		snprintf(why, n, "'%s' is not a valid name", val);
		return -1;
	}
	if (out)
		memcpy(out, val, len + 1);
	return 0;
}

static bool ip_from_text(const char *s, struct agent_config_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, ip->addr) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, s, ip->addr) == 1)
		ip->family = AF_INET6;
	return ip->family != 0;
}

static int parse_ip(const char *val, struct agent_config_ip *out, char *why, size_t n)
{
	struct agent_config_ip ip;

	if (!ip_from_text(val, &ip)) {
		snprintf(why, n, "'%s' is not an IPv4 or IPv6 address (host names are not resolved)",
			 val);
		return -1;
	}
	if (out)
		*out = ip;
	return 0;
}

/* "[!]address/prefix" */
static int parse_cidr(const char *val, struct agent_config_cidrs *out, char *why, size_t n)
{
	struct agent_config_cidr c = { .exclude = val[0] == '!' };
	const char *a = val + c.exclude, *slash = strchr(a, '/');
	char addr[64];
	uint64_t plen;

	if (!slash || (size_t)(slash - a) >= sizeof(addr)) {
		snprintf(why, n, "'%s' is not address/prefix", val);
		return -1;
	}
	memcpy(addr, a, (size_t)(slash - a));
	addr[slash - a] = '\0';
	if (!ip_from_text(addr, &c.ip) || !parse_scaled(slash + 1, "", 128, &plen) ||
	    strlen(slash + 1) > 3 || plen > (c.ip.family == AF_INET ? 32u : 128u)) {
		snprintf(why, n, "'%s' is not address/prefix", val);
		return -1;
	}
	c.prefix_len = (uint8_t)plen;
	if (out && out->count >= AGENT_CONFIG_MAX_CIDRS) {
		snprintf(why, n, "more than %d lines", AGENT_CONFIG_MAX_CIDRS);
		return -1;
	}
	if (out)
		out->v[out->count++] = c;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_uuid(const char *val, struct agent_config_uuid *out, char *why, size_t n)
{
	struct agent_config_uuid u = { .set = true };
	size_t b = 0;

	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		int nibble = dash ? 0 : hex_digit(val[i]);

		if (dash ? val[i] != '-' : nibble < 0)
			goto bad;
		if (dash)
			continue;
		u.bytes[b / 2] = (uint8_t)(b % 2 ? u.bytes[b / 2] | nibble : nibble << 4);
		b++;
	}
	if (val[36] != '\0')
		goto bad;
	if (out)
		*out = u;
	return 0;
bad:
	snprintf(why, n, "'%s' is not a UUID (8-4-4-4-12 hex digits)", val);
	return -1;
}

/* "a", "a-b" or "a-" (open ended), with K/M/G/T/P units. */
static int parse_speeds(const char *val, struct agent_config_speeds *out, char *why, size_t n)
{
	struct agent_config_speeds s = { .set = true };
	const char *dash = strchr(val, '-');
	char lo[64];

	if (!dash) {
		if (!config_value_speed(val, &s.min_bps))
			goto bad;
		s.max_bps = s.min_bps;
	} else {
		if ((size_t)(dash - val) >= sizeof(lo))
			goto bad;
		memcpy(lo, val, (size_t)(dash - val));
		lo[dash - val] = '\0';
		if (!config_value_speed(lo, &s.min_bps))
			goto bad;
		s.max_bps = UINT64_MAX;
		if (dash[1] && !config_value_speed(dash + 1, &s.max_bps))
			goto bad;
		if (s.max_bps < s.min_bps) {
			snprintf(why, n, "'%s': the range is empty", val);
			return -1;
		}
	}
	if (out)
		*out = s;
	return 0;
bad:
	snprintf(why, n, "'%s' is not a speed or speed range (e.g. 1G, 100M-10G, 1G-)", val);
	return -1;
}

static int parse_regex(const char *val, struct agent_config_regex *out, char *why, size_t n)
{
	regex_t re;
	int rc = regcomp(&re, val, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char msg[128];

		regerror(rc, &re, msg, sizeof(msg));
		snprintf(why, n, "'%s' is not a regular expression: %s", val, msg);
		return -1;
	}
	if (!out || strlen(val) >= sizeof(out->text)) {
		regfree(&re);
		return 0;
	}
	if (out->set)
		regfree(&out->re);
	out->set = true;
	out->re = re;
	memcpy(out->text, val, strlen(val) + 1);
	return 0;
}

/* "<name><x> = N": replaces an earlier line for the same <x>. */
static int parse_rate(const struct agent_config_key *k, const char *key, const char *val,
		      struct agent_config_rates *out, char *why, size_t n)
{
	struct agent_config_rate r = { .value = 0 };
	const char *x = key + strlen(k->name);
	size_t i;

	if (strlen(x) >= sizeof(r.name)) {
		snprintf(why, n, "'%s' is longer than %zu characters", x, sizeof(r.name) - 1);
		return -1;
	}
	memcpy(r.name, x, strlen(x) + 1);
	r.is_speed = config_value_speed(x, &r.speed_bps);
	if (parse_u32(k, val, &r.value, why, n) < 0)
		return -1;
	if (!out)
		return r.is_speed ? 0 : 1;
	for (i = 0; i < out->count; i++)
		if (strcasecmp(out->v[i].name, r.name) == 0)
			break;
	if (i == AGENT_CONFIG_MAX_RATES) {
		snprintf(why, n, "more than %d %s<x> lines", AGENT_CONFIG_MAX_RATES, k->name);
		return -1;
	}
	out->v[i] = r;
	out->count += i == out->count;
	return r.is_speed ? 0 : 1;
}

int config_value_parse(const struct agent_config_key *k, const char *key, const char *val,
		       void *inst, char *why, size_t why_len)
{
	void *dst = inst && k->size ? FIELD(inst, k) : NULL;
	struct agent_config_opt_u32 opt = { .set = true };
	uint32_t u;
	bool b;

	switch (k->type) {
	case AGENT_CONFIG_U32:
		if (parse_u32(k, val, &u, why, why_len) < 0)
			return -1;
		if (dst)
			*(uint32_t *)dst = u;
		return 0;
	case AGENT_CONFIG_OPT_U32:
		if (parse_u32(k, val, &opt.value, why, why_len) < 0)
			return -1;
		if (dst)
			*(struct agent_config_opt_u32 *)dst = opt;
		return 0;
	case AGENT_CONFIG_BOOL:
		if (parse_bool(val, &b, why, why_len) < 0)
			return -1;
		if (dst)
			*(bool *)dst = b;
		return 0;
	case AGENT_CONFIG_IFNAME:
		return parse_name(val, AGENT_CONFIG_IFNAME_BYTES, dst, why, why_len);
	case AGENT_CONFIG_NAME:
		return parse_name(val, k->size ? k->size : AGENT_CONFIG_NAME_BYTES, dst, why, why_len);
	case AGENT_CONFIG_TEXT:
		if (k->size && strlen(val) >= k->size) {
			snprintf(why, why_len, "longer than %zu characters", k->size - 1);
			return -1;
		}
		if (dst)
			memcpy(dst, val, strlen(val) + 1);
		return 0;
	case AGENT_CONFIG_IP:
		return parse_ip(val, dst, why, why_len);
	case AGENT_CONFIG_CIDR:
		return parse_cidr(val, dst, why, why_len);
	case AGENT_CONFIG_UUID:
		return parse_uuid(val, dst, why, why_len);
	case AGENT_CONFIG_SPEEDS:
		return parse_speeds(val, dst, why, why_len);
	case AGENT_CONFIG_REGEX:
		return parse_regex(val, dst, why, why_len);
	case AGENT_CONFIG_RATES:
		return parse_rate(k, key, val, dst, why, why_len);
	}
	snprintf(why, why_len, "internal: unknown key type");
	return -1;
}

void config_value_fini(const struct agent_config_key *k, void *inst)
{
	struct agent_config_regex *r;

	if (k->type != AGENT_CONFIG_REGEX || !k->size)
		return;
	r = FIELD(inst, k);
	if (r->set)
		regfree(&r->re);
	r->set = false;
}

/* 10000000000 -> "10G"; the largest unit that divides exactly. */
static void format_speed(uint64_t bps, char *out, size_t n)
{
	static const char units[] = "KMGTP";
	int u = -1;

	while (bps && bps % 1000 == 0 && u < 4) {
		bps /= 1000;
		u++;
	}
	if (u < 0)
		snprintf(out, n, "%llu", (unsigned long long)bps);
	else
		snprintf(out, n, "%llu%c", (unsigned long long)bps, units[u]);
}

static void format_ip(const struct agent_config_ip *ip, char *out, size_t n)
{
	if (!inet_ntop(ip->family, ip->addr, out, (socklen_t)n))
		snprintf(out, n, "?");
}

/* Quote a word that would not survive the lexer bare. */
static void print_word(FILE *f, const char *indent, const char *key, const char *val)
{
	bool quote = val[0] == '\0' || strpbrk(val, " \t\r\n=;#{}") != NULL;

	fprintf(f, "%s%s = %s%s%s\n", indent, key, quote ? "\"" : "", val, quote ? "\"" : "");
}

static void print_speeds(FILE *f, const char *indent, const char *key,
			 const struct agent_config_speeds *s)
{
	char lo[32], hi[32] = "";

	if (!s->set) {
		fprintf(f, "%s# %s: any\n", indent, key);
		return;
	}
	format_speed(s->min_bps, lo, sizeof(lo));
	if (s->max_bps != UINT64_MAX)
		format_speed(s->max_bps, hi, sizeof(hi));
	if (s->max_bps == s->min_bps)
		fprintf(f, "%s%s = %s\n", indent, key, lo);
	else
		fprintf(f, "%s%s = %s-%s\n", indent, key, lo, hi);
}

static void print_list(FILE *f, const struct agent_config_key *k, const void *v,
		       const char *indent)
{
	char a[INET6_ADDRSTRLEN];

	if (k->type == AGENT_CONFIG_CIDR) {
		const struct agent_config_cidrs *l = v;

		for (size_t i = 0; i < l->count; i++) {
			format_ip(&l->v[i].ip, a, sizeof(a));
			fprintf(f, "%s%s = %s%s/%u\n", indent, k->name, l->v[i].exclude ? "!" : "", a,
				l->v[i].prefix_len);
		}
		if (l->count == 0)
			fprintf(f, "%s# %s: none\n", indent, k->name);
	} else {
		const struct agent_config_rates *l = v;

		for (size_t i = 0; i < l->count; i++)
			fprintf(f, "%s%s%s = %u\n", indent, k->name, l->v[i].name, l->v[i].value);
	}
}

static void print_uuid(FILE *f, const char *indent, const char *key,
		       const struct agent_config_uuid *u)
{
	if (!u->set) {
		fprintf(f, "%s# %s: not set (from DMI or machine-id)\n", indent, key);
		return;
	}
	fprintf(f, "%s%s = ", indent, key);
	for (int i = 0; i < 16; i++)
		fprintf(f, "%02x%s", u->bytes[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
	fprintf(f, "\n");
}

void config_value_print(FILE *f, const struct agent_config_key *k, const void *inst,
			const char *indent)
{
	const void *v = CFIELD(inst, k);
	const struct agent_config_opt_u32 *opt = v;
	const struct agent_config_ip *ip = v;
	char a[INET6_ADDRSTRLEN];

	if (!k->size)
		return;
	switch (k->type) {
	case AGENT_CONFIG_U32:
		fprintf(f, "%s%s = %u\n", indent, k->name, *(const uint32_t *)v);
		break;
	case AGENT_CONFIG_OPT_U32:
		if (opt->set)
			fprintf(f, "%s%s = %u\n", indent, k->name, opt->value);
		else
			fprintf(f, "%s# %s: not set\n", indent, k->name);
		break;
	case AGENT_CONFIG_BOOL:
		fprintf(f, "%s%s = %s\n", indent, k->name, *(const bool *)v ? "on" : "off");
		break;
	case AGENT_CONFIG_IFNAME:
	case AGENT_CONFIG_NAME:
	case AGENT_CONFIG_TEXT:
		if (*(const char *)v)
			print_word(f, indent, k->name, v);
		else
			fprintf(f, "%s# %s: not set\n", indent, k->name);
		break;
	case AGENT_CONFIG_IP:
		if (ip->family) {
			format_ip(ip, a, sizeof(a));
			fprintf(f, "%s%s = %s\n", indent, k->name, a);
		} else {
			fprintf(f, "%s# %s: not set\n", indent, k->name);
		}
		break;
	case AGENT_CONFIG_CIDR:
	case AGENT_CONFIG_RATES:
		print_list(f, k, v, indent);
		break;
	case AGENT_CONFIG_UUID:
		print_uuid(f, indent, k->name, v);
		break;
	case AGENT_CONFIG_SPEEDS:
		print_speeds(f, indent, k->name, v);
		break;
	case AGENT_CONFIG_REGEX:
		if (((const struct agent_config_regex *)v)->set)
			print_word(f, indent, k->name, ((const struct agent_config_regex *)v)->text);
		else
			fprintf(f, "%s# %s: not set\n", indent, k->name);
		break;
	}
}
