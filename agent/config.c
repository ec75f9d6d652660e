/*
 * agent/config.c: the hsflowd.conf parser and the questions the agent asks
 * of a parsed config. The grammar is tiny: the file is "sflow { items }";
 * an item is "key value" (the lexer has already dropped '=' and ';') or
 * "name { items }" for a block of config_keys_blocks. Keys are looked up in
 * the block's table (agent/config_keys.c) and their values parsed by type
 * (agent/config_value.c); nothing here names a key.
 *
 * Error recovery: a bad value, unknown key or refused block is reported and
 * parsing goes on with the next item (a refused or unknown block is skipped
 * to its '}'); only the end of the file inside a block stops it. Messages
 * are collected up to AGENT_CONFIG_MAX_ERRORS.
 */
#include "agent/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/config_keys.h"
#include "agent/config_lex.h"
#include "agent/config_value.h"

#define SEEN_MAX 64     /* keys remembered per block for "set again" warnings */
#define SEEN_KEY_BYTES 64
#define MESSAGE_BYTES 512

struct seen {
	size_t count;
	struct {
		char key[SEEN_KEY_BYTES];
		unsigned line;
	} v[SEEN_MAX];
};

struct parser {
	struct config_lex lx;
	struct config_lex_token tok, peek;
	bool have_peek;
	const char *file;
	struct agent_config *c;
	char *errors; /* newline-separated messages */
	size_t errors_len;
	unsigned error_count;
	bool stop;    /* too many errors */
};

static void *xalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		fprintf(stderr, "rtflow-agent: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "rtflow-agent: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

/* "file:line: message" into buf. */
static void format_at(struct parser *ps, unsigned line, char *buf, size_t n, const char *fmt,
		      va_list ap)
{
	int k = snprintf(buf, n, "%.200s:%u: ", ps->file, line);

	vsnprintf(buf + k, n - (size_t)k, fmt, ap);
}

__attribute__((format(printf, 3, 4)))
static void error_at(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[MESSAGE_BYTES];
	size_t n;
	va_list ap;

	if (ps->stop)
		return;
	va_start(ap, fmt);
	format_at(ps, line, msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (++ps->error_count == AGENT_CONFIG_MAX_ERRORS) {
		snprintf(msg, sizeof(msg), "%.200s:%u: too many errors, stopping", ps->file, line);
		ps->stop = true;
	}
	n = strlen(msg);
	ps->errors = xrealloc(ps->errors, ps->errors_len + n + 2);
	if (ps->errors_len)
		ps->errors[ps->errors_len++] = '\n';
	memcpy(ps->errors + ps->errors_len, msg, n + 1);
	ps->errors_len += n;
}

__attribute__((format(printf, 3, 4)))
static void warn_at(struct parser *ps, unsigned line, const char *fmt, ...)
{
	struct agent_config *c = ps->c;
	char msg[MESSAGE_BYTES];
	va_list ap;

	if (c->warning_count >= AGENT_CONFIG_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	format_at(ps, line, msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->warnings)
		c->warnings = xalloc(AGENT_CONFIG_MAX_WARNINGS * sizeof(char *));
	c->warnings[c->warning_count] = xalloc(strlen(msg) + 1);
	memcpy(c->warnings[c->warning_count++], msg, strlen(msg) + 1);
}

static enum config_lex_kind next(struct parser *ps)
{
	if (ps->have_peek) {
		ps->tok = ps->peek;
		ps->have_peek = false;
	} else {
		config_lex_next(&ps->lx, &ps->tok);
	}
	return ps->tok.kind;
}

static const struct config_lex_token *peek(struct parser *ps)
{
	if (!ps->have_peek) {
		config_lex_next(&ps->lx, &ps->peek);
		ps->have_peek = true;
	}
	return &ps->peek;
}

static int tolower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_prefix_key(const struct agent_config_key *k)
{
	size_t n = strlen(k->name);

	return n && k->name[n - 1] == '.';
}

/* Exact names first, then "name." prefixes that leave a non-empty <x>. */
static const struct agent_config_key *find_key(const struct agent_config_key *keys,
					       const char *name)
{
	for (const struct agent_config_key *k = keys; k->name; k++)
		if (!is_prefix_key(k) && strcasecmp(k->name, name) == 0)
			return k;
	for (const struct agent_config_key *k = keys; k->name; k++) {
		size_t n = strlen(k->name);

		if (is_prefix_key(k) && strncasecmp(k->name, name, n) == 0 && name[n])
			return k;
	}
	return NULL;
}

static const struct agent_config_block *find_block(const char *name)
{
	for (const struct agent_config_block *b = config_keys_blocks; b->name; b++)
		if (strcasecmp(b->name, name) == 0)
			return b;
	return NULL;
}

static bool is_refused(const char *name)
{
	for (const char *const *r = config_keys_refused; *r; r++)
		if (strcasecmp(*r, name) == 0)
			return true;
	return false;
}

/* Case-insensitive Levenshtein distance, or 99 for words over 63 bytes. */
static unsigned edit_distance(const char *a, const char *b)
{
	unsigned row[64], prev_diag, tmp;
	size_t na = strlen(a), nb = strlen(b);

	if (na >= 64 || nb >= 64)
		return 99;
	for (size_t j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		prev_diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned sub = prev_diag + (tolower_ascii(a[i - 1]) != tolower_ascii(b[j - 1]));

			tmp = row[j];
			row[j] = sub;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev_diag = tmp;
		}
	}
	return row[nb];
}

/* " (did you mean 'x'?)" for the closest key or block name within 2 edits
 * (and fewer edits than the word has letters), else "". */
static void did_you_mean(const struct agent_config_key *keys, bool in_sflow, const char *word,
			 char *out, size_t n)
{
	const char *best = NULL, *best_tail = "";
	unsigned best_d = 3;

	const char *dot = strchr(word, '.');
	char head[64];

	/* "samplng.10G" is compared by its head "samplng." with "sampling." */
	head[0] = '\0';
	if (dot && (size_t)(dot - word) + 1 < sizeof(head)) {
		memcpy(head, word, (size_t)(dot - word) + 1);
		head[dot - word + 1] = '\0';
	}
	for (const struct agent_config_key *k = keys; k->name; k++) {
		unsigned d = is_prefix_key(k) ? (head[0] ? edit_distance(head, k->name) : 99)
					      : edit_distance(word, k->name);

		if (d < best_d)
			best = k->name, best_d = d, best_tail = is_prefix_key(k) ? dot + 1 : "";
	}
	for (const struct agent_config_block *b = config_keys_blocks; in_sflow && b->name; b++) {
		unsigned d = edit_distance(word, b->name);

		if (d < best_d)
			best = b->name, best_d = d, best_tail = "";
	}
	if (best && best_d < strlen(word))
		snprintf(out, n, " (did you mean '%s%s'?)", best, best_tail);
	else if (n)
		out[0] = '\0';
}

/* Warn when a single-valued key comes again; the later line wins, as in
 * hsflowd, which takes the last value silently. */
static void note_seen(struct parser *ps, struct seen *s, const struct agent_config_key *k,
		      const char *key, unsigned line)
{
	if ((k->flags & AGENT_CONFIG_REPEAT) && !is_prefix_key(k))
		return;
	for (size_t i = 0; i < s->count; i++) {
		if (strcasecmp(s->v[i].key, key) == 0) {
			warn_at(ps, line, "%s: set again, overriding line %u", key, s->v[i].line);
			s->v[i].line = line;
			return;
		}
	}
	if (s->count < SEEN_MAX && strlen(key) < SEEN_KEY_BYTES) {
		memcpy(s->v[s->count].key, key, strlen(key) + 1);
		s->v[s->count++].line = line;
	}
}

static void unterminated(struct parser *ps, const char *name, unsigned open_line)
{
	error_at(ps, open_line, "'%s' block is not closed ('}' missing before the end of the file)",
		 name);
}

/* Skip the rest of a block whose '{' was just read, at nesting `depth`.
 * Returns -1 at the end of the file. */
static int skip_block(struct parser *ps, const char *name, unsigned open_line, unsigned depth)
{
	unsigned level = 1;
	bool deep = false;

	while (level) {
		switch (next(ps)) {
		case CONFIG_LEX_OPEN:
			level++;
			if (depth + level - 1 > AGENT_CONFIG_MAX_DEPTH && !deep) {
				error_at(ps, ps->tok.line, "blocks nested deeper than %d levels",
					 AGENT_CONFIG_MAX_DEPTH);
				deep = true;
			}
			break;
		case CONFIG_LEX_CLOSE:
			level--;
			break;
		case CONFIG_LEX_EOF:
			unterminated(ps, name, open_line);
			return -1;
		default:
			break;
		}
	}
	return 0;
}

static int parse_block(struct parser *ps, const char *name, unsigned open_line, unsigned depth,
		       const struct agent_config_key *keys, void *inst, bool in_sflow);

static void apply_defaults(const struct agent_config_key *keys, void *inst)
{
	char why[MESSAGE_BYTES];

	for (const struct agent_config_key *k = keys; k->name; k++) {
		if (k->def && config_value_parse(k, k->name, k->def, inst, why, sizeof(why)) < 0) {
			fprintf(stderr, "rtflow-agent: bad default of key table: %s: %s\n", k->name, why);
			abort();
		}
	}
}

/* A new instance of block b inside sflow { }, whose '{' was just read. */
static int open_child(struct parser *ps, const struct agent_config_block *b, unsigned line,
		      unsigned depth)
{
	size_t *count = (size_t *)((char *)ps->c + b->count_offset);
	char *inst, why[MESSAGE_BYTES];
	int rc;

	if (*count >= b->max) {
		error_at(ps, line, "more than %zu '%s' blocks", b->max, b->name);
		return skip_block(ps, b->name, line, depth);
	}
	inst = (char *)ps->c + b->array_offset + *count * b->size;
	memset(inst, 0, b->size);
	apply_defaults(b->keys, inst);
	*(unsigned *)(inst + b->line_offset) = line;
	(*count)++;
	rc = parse_block(ps, b->name, line, depth, b->keys, inst, false);
	if (rc == 0 && b->check && b->check(inst, why, sizeof(why)) < 0)
		error_at(ps, line, "%s", why);
	return rc;
}

/* "name {" was read inside a block at depth-1: a child block of sflow, a
 * refused module, or a mistake. */
static int open_block(struct parser *ps, const struct agent_config_key *keys, bool in_sflow,
		      const char *name, unsigned line, unsigned depth)
{
	const struct agent_config_block *b = in_sflow ? find_block(name) : NULL;
	char hint[128];

	if (b && depth <= AGENT_CONFIG_MAX_DEPTH)
		return open_child(ps, b, line, depth);
	if (is_refused(name))
		error_at(ps, line, "'%s { }': module '%s' is not built into rtflow-agent yet", name, name);
	else if (find_key(keys, name))
		error_at(ps, line, "'%s' takes a value, not a block", name);
	else if (b)
		error_at(ps, line, "blocks nested deeper than %d levels", AGENT_CONFIG_MAX_DEPTH);
	else {
		did_you_mean(keys, in_sflow, name, hint, sizeof(hint));
		error_at(ps, line, "unknown block '%s'%s", name, hint);
	}
	return skip_block(ps, name, line, depth);
}

/* "key value" with the key in ps->tok and a word peeked. */
static void parse_setting(struct parser *ps, const struct agent_config_key *keys, void *inst,
			  bool in_sflow, struct seen *seen)
{
	char key[CONFIG_LEX_MAX_TOKEN + 1], why[MESSAGE_BYTES], hint[128];
	unsigned line = ps->tok.line;
	const struct agent_config_key *k = find_key(keys, ps->tok.text);
	int rc;

	memcpy(key, ps->tok.text, sizeof(key));
	next(ps); /* the value */
	if (!k) {
		did_you_mean(keys, in_sflow, key, hint, sizeof(hint));
		if (in_sflow && find_block(key))
			error_at(ps, line, "'%s' is a block: write '%s { ... }'", key, key);
		else
			error_at(ps, line, "unknown key '%s'%s", key, hint);
		return;
	}
	rc = config_value_parse(k, key, ps->tok.text, inst, why, sizeof(why));
	if (rc < 0) {
		error_at(ps, line, "%s: %s", key, why);
		return;
	}
	note_seen(ps, seen, k, key, line);
	if ((k->flags & AGENT_CONFIG_INERT) || rc == 1)
		warn_at(ps, line, "%s: accepted but not acted on by rtflow-agent (%s)", key,
			rc == 1 ? "per-application setting" : k->desc);
}

static int parse_item(struct parser *ps, const struct agent_config_key *keys, void *inst,
		      bool in_sflow, unsigned depth, struct seen *seen)
{
	const struct config_lex_token *p = peek(ps);
	char name[CONFIG_LEX_MAX_TOKEN + 1];
	unsigned line = ps->tok.line;

	switch (p->kind) {
	case CONFIG_LEX_OPEN:
		memcpy(name, ps->tok.text, sizeof(name));
		next(ps);
		return open_block(ps, keys, in_sflow, name, line, depth + 1);
	case CONFIG_LEX_WORD:
		parse_setting(ps, keys, inst, in_sflow, seen);
		return 0;
	case CONFIG_LEX_ERROR:
		error_at(ps, p->line, "%s: %s", ps->tok.text, p->text);
		next(ps);
		return 0;
	default:
		error_at(ps, line, "%s: missing value", ps->tok.text);
		return 0;
	}
}

/* After a bad key, drop the words left on its line (its value), so one
 * mistake is one message. */
static void skip_line(struct parser *ps)
{
	unsigned line = ps->tok.line;

	while (peek(ps)->kind == CONFIG_LEX_WORD && ps->peek.line == line)
		next(ps);
}

/* Items up to the '}' of a block whose '{' was read; -1 at end of file. */
static int parse_block(struct parser *ps, const char *name, unsigned open_line, unsigned depth,
		       const struct agent_config_key *keys, void *inst, bool in_sflow)
{
	struct seen seen = { .count = 0 };

	while (!ps->stop) {
		switch (next(ps)) {
		case CONFIG_LEX_EOF:
			unterminated(ps, name, open_line);
			return -1;
		case CONFIG_LEX_CLOSE:
			return 0;
		case CONFIG_LEX_OPEN:
			error_at(ps, ps->tok.line, "unexpected '{'");
			if (skip_block(ps, "{", ps->tok.line, depth + 1) < 0)
				return -1;
			break;
		case CONFIG_LEX_ERROR:
			error_at(ps, ps->tok.line, "%s", ps->tok.text);
			skip_line(ps);
			break;
		case CONFIG_LEX_WORD:
			if (parse_item(ps, keys, inst, in_sflow, depth, &seen) < 0)
				return -1;
			break;
		}
	}
	return -1;
}

/* The file: one "sflow { }". After anything else at the top, one error,
 * then tokens are skipped up to the next "sflow" word. */
static void parse_top(struct parser *ps)
{
	unsigned sflow_line = 0;
	bool lost = false;

	while (!ps->stop && next(ps) != CONFIG_LEX_EOF) {
		unsigned line = ps->tok.line;

		if (ps->tok.kind == CONFIG_LEX_WORD && strcasecmp(ps->tok.text, "sflow") == 0 &&
		    peek(ps)->kind == CONFIG_LEX_OPEN) {
			next(ps);
			lost = false;
			if (sflow_line)
				error_at(ps, line, "second 'sflow' block (the first opened on line %u)",
					 sflow_line);
			else
				sflow_line = line;
			if (parse_block(ps, "sflow", line, 1, config_keys_sflow, ps->c, true) < 0)
				return;
		} else if (ps->tok.kind == CONFIG_LEX_ERROR) {
			error_at(ps, line, "%s", ps->tok.text);
		} else if (!lost) {
			lost = true;
			if (ps->tok.kind == CONFIG_LEX_CLOSE)
				error_at(ps, line, "unexpected '}'");
			else
				error_at(ps, line, "expected 'sflow {', found '%s'", ps->tok.text);
		}
	}
	if (!sflow_line && !ps->error_count)
		error_at(ps, ps->tok.line, "no 'sflow { }' block");
	else if (sflow_line && ps->c->collector_count == 0)
		error_at(ps, sflow_line, "sflow: at least one 'collector { ip = ... }' is required");
}

struct agent_config *agent_config_parse(const char *text, size_t len, const char *file,
					char **err)
{
	struct parser ps = { .file = file ? file : "config" };

	if (err)
		*err = NULL;
	if (len > AGENT_CONFIG_MAX_BYTES) {
		if (err) {
			*err = xalloc(MESSAGE_BYTES);
			snprintf(*err, MESSAGE_BYTES, "%.200s:1: file is larger than %u bytes", ps.file,
				 AGENT_CONFIG_MAX_BYTES);
		}
		return NULL;
	}
	ps.c = xalloc(sizeof(*ps.c));
	apply_defaults(config_keys_sflow, ps.c);
	config_lex_init(&ps.lx, text, len);
	parse_top(&ps);
	if (ps.error_count) {
		agent_config_free(ps.c);
		if (err)
			*err = ps.errors;
		else
			free(ps.errors);
		return NULL;
	}
	return ps.c;
}

void agent_config_free(struct agent_config *c)
{
	if (!c)
		return;
	for (const struct agent_config_block *b = config_keys_blocks; b->name; b++) {
		size_t count = *(size_t *)((char *)c + b->count_offset);

		for (size_t i = 0; i < count; i++)
			for (const struct agent_config_key *k = b->keys; k->name; k++)
				config_value_fini(k, (char *)c + b->array_offset + i * b->size);
	}
	for (const struct agent_config_key *k = config_keys_sflow; k->name; k++)
		config_value_fini(k, c);
	for (size_t i = 0; i < c->warning_count; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c);
}

const struct agent_config_pcap *agent_config_pcap_for(const struct agent_config *c,
						      const char *dev, uint64_t speed_bps)
{
	for (size_t i = 0; i < c->pcap_count; i++) {
		const struct agent_config_pcap *p = &c->pcaps[i];

		if (p->dev[0] && strcmp(p->dev, dev) != 0)
			continue;
		if (p->dev_pattern.set && regexec(&p->dev_pattern.re, dev, 0, NULL, 0) != 0)
			continue;
		if (p->speed.set && (speed_bps < p->speed.min_bps || speed_bps > p->speed.max_bps))
			continue;
		return p;
	}
	return NULL;
}

/* hsflowd's printSpeed() truncation: 2500000000 -> 2000000000 ("2G"). */
static uint64_t truncated_speed(uint64_t bps)
{
	uint64_t unit = 1;

	while (unit <= UINT64_MAX / 1000 && bps >= unit * 1000 && unit < 1000000000000000ull)
		unit *= 1000;
	return bps / unit * unit;
}

static const struct agent_config_rate *speed_rate(const struct agent_config *c, uint64_t bps)
{
	const struct agent_config_rates *r = &c->sampling_rates;
	uint64_t trunc = truncated_speed(bps);

	for (size_t i = 0; i < r->count; i++)
		if (r->v[i].is_speed && r->v[i].speed_bps == bps)
			return &r->v[i];
	for (size_t i = 0; i < r->count; i++)
		if (r->v[i].is_speed && r->v[i].speed_bps == trunc)
			return &r->v[i];
	return NULL;
}

static uint32_t clamp_u32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/*
 * The precedence, most specific first:
 *   1. pcap { sampling = N } of the first pcap block that takes the device;
 *   2. sampling.<speed> equal to the interface speed (exactly, else as
 *      hsflowd prints it truncated: a 2.5G NIC matches sampling.2G);
 *   3. sampling.bps_ratio = R > 0 on a known speed: speed / R, at least 1;
 *   4. sampling = N, on every interface;
 *   5. no sampling key at all: hsflowd's default, speed / 1e6 with a floor
 *      of 100, or 400 when the speed is unknown (or with bps_ratio = 0).
 * hsflowd (§2.3) differs in one place: it consults `sampling` only when the
 * speed is unknown or bps_ratio = 0, so `sampling = 1000` alone is ignored
 * on every NIC whose speed ethtool reports (sflow/host-sflow#53, #75).
 * rtflow applies it everywhere, which is what users expect; a config that
 * relied on the speed default while also setting `sampling` gets one rate
 * for every interface (add sampling.<speed> lines to keep per-speed rates).
 */
uint32_t agent_config_sampling_for(const struct agent_config *c, const char *dev,
				   uint64_t speed_bps)
{
	const struct agent_config_pcap *p = agent_config_pcap_for(c, dev, speed_bps);
	const struct agent_config_rate *r;

	if (p && p->sampling.set)
		return p->sampling.value;
	if (speed_bps && (r = speed_rate(c, speed_bps)) != NULL)
		return r->value;
	if (speed_bps && c->bps_ratio.set && c->bps_ratio.value > 0) {
		uint64_t n = speed_bps / c->bps_ratio.value;

		return n ? clamp_u32(n) : 1;
	}
	if (c->sampling.set)
		return c->sampling.value;
	if (!speed_bps || c->bps_ratio.set)
		return AGENT_CONFIG_SAMPLING_UNKNOWN_SPEED;
	if (speed_bps / 1000000 < AGENT_CONFIG_SAMPLING_MIN_DEFAULT)
		return AGENT_CONFIG_SAMPLING_MIN_DEFAULT;
	return clamp_u32(speed_bps / 1000000);
}

static void print_keys(FILE *f, const struct agent_config_key *keys, const void *inst,
		       const char *indent)
{
	for (const struct agent_config_key *k = keys; k->name; k++)
		if (!(k->flags & AGENT_CONFIG_ALIAS))
			config_value_print(f, k, inst, indent);
}

int agent_config_print(const struct agent_config *c, FILE *f)
{
	fprintf(f, "# rtflow-agent effective settings (defaults included)\n");
	if (!c->sampling.set && c->sampling_rates.count == 0 && !c->bps_ratio.set)
		fprintf(f, "# no sampling key: 1-in-(ifSpeed/1e6), at least %d; %d if the speed "
			   "is unknown\n",
			AGENT_CONFIG_SAMPLING_MIN_DEFAULT, AGENT_CONFIG_SAMPLING_UNKNOWN_SPEED);
	fprintf(f, "sflow {\n");
	print_keys(f, config_keys_sflow, c, "\t");
	for (const struct agent_config_block *b = config_keys_blocks; b->name; b++) {
		size_t count = *(const size_t *)((const char *)c + b->count_offset);

		for (size_t i = 0; i < count; i++) {
			fprintf(f, "\t%s {\n", b->name);
			print_keys(f, b->keys, (const char *)c + b->array_offset + i * b->size,
				   "\t\t");
			fprintf(f, "\t}\n");
		}
	}
	fprintf(f, "}\n");
	return ferror(f) ? -1 : 0;
}
