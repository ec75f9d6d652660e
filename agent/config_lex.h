/*
 * agent/config_lex.h: the hsflowd.conf tokenizer (reference/host-sflow.md
 * §2.1), used by agent/config.c.
 *
 * Tokens are separated by space, tab, CR, LF, '=' or ';'; '#' starts a
 * comment that runs to the end of the line; '{' and '}' are tokens even when
 * glued to text ("pcap{dev=eth0}"); a double-quoted string is one word (no
 * escapes, it may not span lines) and is how regexes with spaces or '#' are
 * written. The lexer works on caller memory, never allocates, and copies
 * each token into the token struct, so tokens are bounded by
 * CONFIG_LEX_MAX_TOKEN: a longer one is an error token, and the lexer
 * resumes after it so the parser can go on reporting.
 */
#ifndef RTFLOW_AGENT_CONFIG_LEX_H
#define RTFLOW_AGENT_CONFIG_LEX_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_LEX_MAX_TOKEN 255 /* bytes of one word, quotes excluded */

enum config_lex_kind {
	CONFIG_LEX_WORD,  /* text holds the word (unquoted contents for "...") */
	CONFIG_LEX_OPEN,  /* '{' */
	CONFIG_LEX_CLOSE, /* '}' */
	CONFIG_LEX_EOF,   /* end of input; line is the last line */
	CONFIG_LEX_ERROR, /* text holds the reason; the bad bytes are consumed */
};

struct config_lex_token {
	enum config_lex_kind kind;
	unsigned line;                       /* 1-based line the token starts on */
	bool quoted;                         /* WORD came from "..." */
	char text[CONFIG_LEX_MAX_TOKEN + 1]; /* NUL-terminated */
};

struct config_lex {
	const char *p, *end; /* unread input */
	unsigned line;       /* current line, 1-based */
};

/* Start reading text[0..len). The text must outlive the lexer. */
void config_lex_init(struct config_lex *lx, const char *text, size_t len);

/* Read the next token into *t and return its kind. After EOF, keeps
 * returning EOF. */
enum config_lex_kind config_lex_next(struct config_lex *lx, struct config_lex_token *t);

#endif
