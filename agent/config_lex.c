/*
 * agent/config_lex.c: the hsflowd.conf tokenizer. See config_lex.h for the
 * token rules; this file only walks bytes. Every read checks p < end first,
 * and a word longer than CONFIG_LEX_MAX_TOKEN or a string left open at the
 * end of its line becomes one CONFIG_LEX_ERROR token, after which reading
 * resumes at the next separator (or the next line for strings).
 */
#include "agent/config_lex.h"

#include <stdio.h>
#include <string.h>

void config_lex_init(struct config_lex *lx, const char *text, size_t len)
{
	if (!text) { /* no arithmetic on a null pointer */
		text = "";
		len = 0;
	}
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '=' || c == ';';
}

/* Skip separators and comments, counting lines. */
static void skip_space(struct config_lex *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (!is_sep(c))
			return;
		if (c == '\n')
			lx->line++;
		lx->p++;
	}
}

static enum config_lex_kind error_token(struct config_lex_token *t, const char *why)
{
	t->kind = CONFIG_LEX_ERROR;
	snprintf(t->text, sizeof(t->text), "%s", why);
	return t->kind;
}

/* A "..." string: contents up to the closing quote on the same line. */
static enum config_lex_kind read_quoted(struct config_lex *lx, struct config_lex_token *t)
{
	size_t n = 0;

	lx->p++; /* opening quote */
	while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n') {
		if (n < CONFIG_LEX_MAX_TOKEN)
			t->text[n] = *lx->p;
		n++;
		lx->p++;
	}
	if (lx->p >= lx->end || *lx->p != '"')
		return error_token(t, "unterminated string (a quoted string ends on its line)");
	lx->p++; /* closing quote */
	if (n > CONFIG_LEX_MAX_TOKEN)
		return error_token(t, "string longer than 255 bytes");
	t->text[n] = '\0';
	t->quoted = true;
	t->kind = CONFIG_LEX_WORD;
	return t->kind;
}

/* A bare word: up to a separator, a brace, a quote or a comment. */
static enum config_lex_kind read_word(struct config_lex *lx, struct config_lex_token *t)
{
	size_t n = 0;
	bool nul = false;

	while (lx->p < lx->end) {
		char c = *lx->p;

		if (is_sep(c) || c == '{' || c == '}' || c == '#' || c == '"')
			break;
		if (c == '\0')
			nul = true;
		if (n < CONFIG_LEX_MAX_TOKEN)
			t->text[n] = c;
		n++;
		lx->p++;
	}
	if (nul)
		return error_token(t, "NUL byte in the text");
	if (n > CONFIG_LEX_MAX_TOKEN)
		return error_token(t, "word longer than 255 bytes");
	t->text[n] = '\0';
	t->kind = CONFIG_LEX_WORD;
	return t->kind;
}

enum config_lex_kind config_lex_next(struct config_lex *lx, struct config_lex_token *t)
{
	skip_space(lx);
	t->line = lx->line;
	t->quoted = false;
	t->text[0] = '\0';
	if (lx->p >= lx->end) {
		t->kind = CONFIG_LEX_EOF;
		return t->kind;
	}
	if (*lx->p == '{' || *lx->p == '}') {
		t->kind = *lx->p == '{' ? CONFIG_LEX_OPEN : CONFIG_LEX_CLOSE;
		t->text[0] = *lx->p;
		t->text[1] = '\0';
		lx->p++;
		return t->kind;
	}
	if (*lx->p == '"')
		return read_quoted(lx, t);
	return read_word(lx, t);
}
