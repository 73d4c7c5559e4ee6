/*
 * lex.c - cut a rules file into tokens.
 *
 * The lexer keeps its whole state in a struct lexer (no globals) and
 * reports each error as "file:line:column: message", columns counted in
 * characters from 1.  A bad token is reported once and comes back as
 * T_ERROR, so the parser can go on and find further errors.
 *
 * Tokens: identifiers [A-Za-z_][A-Za-z0-9_-]*, "strings" (UTF-8, with
 * \" \\ \n \t escapes, one line), /patterns/flags, numbers with an
 * optional k, M or G (1024-based) suffix, dates YYYY-MM-DD, dotted codes
 * 5.7.1, punctuation { } ( ) [ ] , ; and = != < <= > >=.  '#' starts a
 * comment to the end of the line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rint.h"
#include "textnorm.h"
#include "xmalloc.h"

void
lex_init(struct lexer *lx, const char *name, const char *buf, size_t len,
	 FILE *errors, int *nerrors)
{
	memset(lx, 0, sizeof(*lx));
	lx->name = name;
	lx->p = buf;
	lx->end = buf + len;
	lx->line = 1;
	lx->col = 1;
	lx->errors = errors;
	lx->nerrors = nerrors;
}

void
lex_error(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	va_list ap;

	(*lx->nerrors)++;
	if (lx->errors == NULL || *lx->nerrors > RULES_MAX_ERRORS)
		return;
	fprintf(lx->errors, "%s:%d:%d: ", lx->name, line, col);
	va_start(ap, fmt);
	vfprintf(lx->errors, fmt, ap);
	va_end(ap);
	fputc('\n', lx->errors);
	if (*lx->nerrors == RULES_MAX_ERRORS)
		fprintf(lx->errors, "%s:%d:%d: too many errors, giving up "
			"on this file\n", lx->name, line, col);
}

const char *
tok_describe(enum tok t)
{
	switch (t) {
	case T_EOF:	return "end of file";
	case T_ERROR:	return "bad token";
	case T_IDENT:	return "word";
	case T_STRING:	return "string";
	case T_REGEX:	return "pattern";
	case T_NUMBER:	return "number";
	case T_DATE:	return "date";
	case T_DOTTED:	return "dotted code";
	case T_LBRACE:	return "'{'";
	case T_RBRACE:	return "'}'";
	case T_LPAREN:	return "'('";
	case T_RPAREN:	return "')'";
	case T_LBRACK:	return "'['";
	case T_RBRACK:	return "']'";
	case T_COMMA:	return "','";
	case T_SEMI:	return "';'";
	case T_EQ:	return "'='";
	case T_NE:	return "'!='";
	case T_LT:	return "'<'";
	case T_LE:	return "'<='";
	case T_GT:	return "'>'";
	case T_GE:	return "'>='";
	}
	return "token";
}

/* Advance one byte, keeping line and character column. */
static void
adv(struct lexer *lx)
{
	if (lx->p >= lx->end)
		return;
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else if (((unsigned char) *lx->p & 0xC0) != 0x80) {
		lx->col++;
	}
	lx->p++;
}

static int
peekc(const struct lexer *lx, size_t ahead)
{
	return lx->p + ahead < lx->end ? (unsigned char) lx->p[ahead] : -1;
}

static int
ident_char(int c)
{
	return c >= 0 && (isalnum(c) || c == '_' || c == '-');
}

/* Characters of a string or pattern up to the closing quote, one line. */
static int
lex_quoted(struct lexer *lx, struct token *t, int quote)
{
	char   *buf = xmalloc(64);
	size_t  n = 0, cap = 64;
	int     bad = 0;

	adv(lx);			/* the opening quote */
	for (;;) {
		int     c = peekc(lx, 0);

		if (c == -1 || c == '\n') {
			lex_error(lx, t->line, t->col, "unterminated %s",
				  quote == '"' ? "string" : "pattern");
			free(buf);
			return -1;
		}
		if (c == quote) {
			adv(lx);
			break;
		}
		if (c == '\\') {
			int     e = peekc(lx, 1);
			int     ecol = lx->col;

			if (quote == '/') {
				/* Patterns keep escapes for PCRE2, but \/
				 * stands for a slash. */
				if (e == '/') {
					adv(lx);
					c = '/';
				} else if (e != -1 && e != '\n') {
					if (n + 2 >= cap)
						buf = xrealloc(buf, cap *= 2);
					buf[n++] = '\\';
					adv(lx);
					c = e;
				}
			} else if (e == -1 || e == '\n') {
				adv(lx);	/* then: unterminated */
				continue;
			} else {
				switch (e) {
				case '"': c = '"'; break;
				case '\\': c = '\\'; break;
				case 'n': c = '\n'; break;
				case 't': c = '\t'; break;
				default:
					lex_error(lx, lx->line, ecol,
						  "unknown escape '\\%c' in "
						  "string", e > 32 && e < 127 ?
						  e : '?');
					bad = 1;
					c = '?';
				}
				adv(lx);
			}
		} else if (c < 32 && c != '\t') {
			lex_error(lx, lx->line, lx->col,
				  "control character in %s",
				  quote == '"' ? "string" : "pattern");
			bad = 1;
		}
		if (n + 2 >= cap)
			buf = xrealloc(buf, cap *= 2);
		buf[n++] = (char) c;
		adv(lx);
		if (n > RULES_MAX_TOKEN) {
			lex_error(lx, t->line, t->col, "%s longer than %d bytes",
				  quote == '"' ? "string" : "pattern",
				  RULES_MAX_TOKEN);
			free(buf);
			/* Skip the rest of the line. */
			while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n')
				adv(lx);
			return -1;
		}
	}
	buf[n] = 0;
	if (!bad && !text_utf8_valid(buf, n)) {
		lex_error(lx, t->line, t->col, "%s is not valid UTF-8",
			  quote == '"' ? "string" : "pattern");
		bad = 1;
	}
	if (bad) {
		free(buf);
		return -1;
	}
	t->text = buf;
	t->len = n;
	return 0;
}

static int
lex_regex(struct lexer *lx, struct token *t)
{
	size_t  nf = 0;

	if (lex_quoted(lx, t, '/') < 0)
		return -1;
	if (t->len == 0) {
		lex_error(lx, t->line, t->col, "empty pattern");
		return -1;
	}
	while (ident_char(peekc(lx, 0))) {
		int     c = peekc(lx, 0);

		if (c != 'i' && c != 'f') {
			lex_error(lx, lx->line, lx->col, "unknown pattern flag "
				  "'%c' (known: i, f)", c);
			while (ident_char(peekc(lx, 0)))
				adv(lx);
			return -1;
		}
		if (strchr(t->flags, c) == NULL && nf < sizeof(t->flags) - 1)
			t->flags[nf++] = (char) c;
		adv(lx);
	}
	return 0;
}

static int
valid_date(const char *s)
{
	int     y, m, d;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31};

	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1900)
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 1;
}

/* Numbers, dates and dotted codes all start with a digit. */
static int
lex_number(struct lexer *lx, struct token *t)
{
	const char *s = lx->p;
	size_t  n = 0;

	while (peekc(lx, n) != -1 && (isdigit(peekc(lx, n)) ||
	       peekc(lx, n) == '.' || peekc(lx, n) == '-'))
		n++;
	while (ident_char(peekc(lx, n)))
		n++;
	t->text = xstrndup(s, n);
	t->len = n;
	for (size_t i = 0; i < n; i++)
		adv(lx);

	if (n == 10 && t->text[4] == '-' && t->text[7] == '-') {
		if (!valid_date(t->text)) {
			lex_error(lx, t->line, t->col, "invalid date '%s'",
				  t->text);
			return -1;
		}
		t->kind = T_DATE;
		return 0;
	}
	if (strchr(t->text, '.') != NULL) {
		if (strspn(t->text, "0123456789.") != n || t->text[n - 1] == '.'
		    || strstr(t->text, "..") != NULL) {
			lex_error(lx, t->line, t->col, "malformed code '%s'",
				  t->text);
			return -1;
		}
		t->kind = T_DOTTED;
		return 0;
	}

	size_t  digits = strspn(t->text, "0123456789");
	uint64_t v = 0, mult = 1;

	if (digits + 1 == n) {
		switch (t->text[digits]) {
		case 'k': case 'K': mult = 1024; break;
		case 'm': case 'M': mult = 1024 * 1024; break;
		case 'g': case 'G': mult = 1024 * 1024 * 1024; break;
		default: digits = 0;
		}
	} else if (digits != n) {
		digits = 0;
	}
	if (digits == 0) {
		lex_error(lx, t->line, t->col, "malformed number '%s'",
			  t->text);
		return -1;
	}
	for (size_t i = 0; i < digits; i++) {
		if (v > (UINT64_MAX - 9) / 10) {
			lex_error(lx, t->line, t->col, "number '%s' is too "
				  "large", t->text);
			return -1;
		}
		v = v * 10 + (uint64_t) (t->text[i] - '0');
	}
	if (v > UINT64_MAX / mult) {
		lex_error(lx, t->line, t->col, "number '%s' is too large",
			  t->text);
		return -1;
	}
	t->num = v * mult;
	t->kind = T_NUMBER;
	return 0;
}

void
lex_next(struct lexer *lx, struct token *t)
{
	int     c;

	free(t->text);
	memset(t, 0, sizeof(*t));

	for (;;) {
		c = peekc(lx, 0);
		if (c == '#') {
			while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n')
				adv(lx);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			adv(lx);
		} else {
			break;
		}
	}
	t->line = lx->line;
	t->col = lx->col;
	if (c == -1) {
		t->kind = T_EOF;
		return;
	}
	if (isalpha(c) || c == '_') {
		size_t  n = 0;

		while (ident_char(peekc(lx, n)))
			n++;
		t->text = xstrndup(lx->p, n);
		t->len = n;
		for (size_t i = 0; i < n; i++)
			adv(lx);
		t->kind = T_IDENT;
		return;
	}
	if (isdigit(c)) {
		if (lex_number(lx, t) < 0) {
			free(t->text);
			t->text = NULL;
			t->kind = T_ERROR;
		}
		return;
	}
	if (c == '"' || c == '/') {
		t->kind = c == '"' ? T_STRING : T_REGEX;
		if ((c == '"' ? lex_quoted(lx, t, '"') : lex_regex(lx, t)) < 0) {
			free(t->text);
			t->text = NULL;
			t->kind = T_ERROR;
		}
		return;
	}

	int     c1 = peekc(lx, 1);

	adv(lx);
	switch (c) {
	case '{': t->kind = T_LBRACE; return;
	case '}': t->kind = T_RBRACE; return;
	case '(': t->kind = T_LPAREN; return;
	case ')': t->kind = T_RPAREN; return;
	case '[': t->kind = T_LBRACK; return;
	case ']': t->kind = T_RBRACK; return;
	case ',': t->kind = T_COMMA; return;
	case ';': t->kind = T_SEMI; return;
	case '=':
		t->kind = T_EQ;
		if (c1 == '=')
			adv(lx);
		return;
	case '<':
	case '>':
		t->kind = c == '<' ? T_LT : T_GT;
		if (c1 == '=') {
			t->kind = c == '<' ? T_LE : T_GE;
			adv(lx);
		}
		return;
	case '!':
		if (c1 == '=') {
			adv(lx);
			t->kind = T_NE;
			return;
		}
		break;
	}
	if (c >= 0x80) {
		/* Skip the rest of the character, report it whole. */
		while (peekc(lx, 0) != -1 && (peekc(lx, 0) & 0xC0) == 0x80)
			adv(lx);
		lex_error(lx, t->line, t->col, "unexpected character outside "
			  "a string");
	} else if (c < 32 || c == 127) {
		lex_error(lx, t->line, t->col, "unexpected control character "
			  "0x%02x", c);
	} else {
		lex_error(lx, t->line, t->col, "unexpected character '%c'", c);
	}
	t->kind = T_ERROR;
}
