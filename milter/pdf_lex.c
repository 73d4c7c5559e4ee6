/*
 * pdf_lex.c - bounded PDF tokenizer; see pdf_lex.h.
 *
 * Every loop is bounded by lx->end and every call consumes at least one
 * byte unless it returns PDF_T_EOF, so scanning hostile bytes is linear.
 */
#include <string.h>

#include "pdf_lex.h"

int
pdf_is_space(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	    c == ' ';
}

int
pdf_is_delim(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

void
pdf_lex_init(struct pdf_lex *lx, const unsigned char *buf, size_t len,
	     size_t start)
{
	lx->base = buf;
	lx->end = buf + len;
	lx->p = buf + (start < len ? start : len);
}

/* Skip white space and comments. */
static void
skip_blank(struct pdf_lex *lx)
{
	while (lx->p < lx->end) {
		if (pdf_is_space(*lx->p)) {
			lx->p++;
		} else if (*lx->p == '%') {
			while (lx->p < lx->end && *lx->p != '\r' && *lx->p != '\n')
				lx->p++;
		} else {
			break;
		}
	}
}

/* A literal string: balanced parentheses, backslash escapes. */
static enum pdf_tok
lex_literal(struct pdf_lex *lx)
{
	size_t  depth = 0;

	while (lx->p < lx->end) {
		unsigned char c = *lx->p++;

		if (c == '\\') {
			if (lx->p < lx->end)
				lx->p++;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth == 0)
				return PDF_T_STR;
			depth--;
		}
	}
	return PDF_T_BAD;
}

enum pdf_tok
pdf_lex_next(struct pdf_lex *lx, struct pdf_tok_span *t)
{
	unsigned char c;

	skip_blank(lx);
	t->s = lx->p;
	if (lx->p >= lx->end) {
		t->e = lx->p;
		return t->t = PDF_T_EOF;
	}
	c = *lx->p++;
	switch (c) {
	case '(':
		t->t = lex_literal(lx);
		break;
	case '<':
		if (lx->p < lx->end && *lx->p == '<') {
			lx->p++;
			t->t = PDF_T_DICT_OPEN;
			break;
		}
		while (lx->p < lx->end && *lx->p != '>')
			lx->p++;
		if (lx->p < lx->end) {
			lx->p++;
			t->t = PDF_T_HEX;
		} else {
			t->t = PDF_T_BAD;
		}
		break;
	case '>':
		if (lx->p < lx->end && *lx->p == '>') {
			lx->p++;
			t->t = PDF_T_DICT_CLOSE;
		} else {
			t->t = PDF_T_BAD;
		}
		break;
	case '[':
		t->t = PDF_T_ARR_OPEN;
		break;
	case ']':
		t->t = PDF_T_ARR_CLOSE;
		break;
	case ')':
	case '{':
	case '}':
		t->t = PDF_T_BAD;
		break;
	case '/':
		while (lx->p < lx->end && !pdf_is_space(*lx->p) &&
		       !pdf_is_delim(*lx->p))
			lx->p++;
		t->t = PDF_T_NAME;
		break;
	default:
		while (lx->p < lx->end && !pdf_is_space(*lx->p) &&
		       !pdf_is_delim(*lx->p))
			lx->p++;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
			t->t = PDF_T_NUM;
		else
			t->t = PDF_T_KW;
		break;
	}
	t->e = lx->p;
	return t->t;
}

int
pdf_tok_is(const struct pdf_tok_span *t, const char *kw)
{
	size_t  n = strlen(kw);

	return (size_t) (t->e - t->s) == n && memcmp(t->s, kw, n) == 0;
}

void
pdf_tok_name_copy(char *dst, size_t size, const struct pdf_tok_span *t)
{
	size_t  n = t->e - t->s - 1;

	if (n >= size)
		n = size - 1;
	memcpy(dst, t->s + 1, n);
	dst[n] = 0;
}

int64_t
pdf_tok_uint(const struct pdf_tok_span *t)
{
	int64_t v = 0;

	if (t->t != PDF_T_NUM || t->s == t->e)
		return -1;
	for (const unsigned char *q = t->s; q < t->e; q++) {
		if (*q < '0' || *q > '9')
			return -1;
		v = v * 10 + (*q - '0');
		if (v > ((int64_t) 1 << 53))
			return -1;
	}
	return v;
}

void
pdf_lex_skip_stream(struct pdf_lex *lx, int64_t len, size_t *off, size_t *dlen)
{
	static const char endstream[] = "endstream";
	const size_t elen = sizeof(endstream) - 1;
	const unsigned char *q;

	/* The keyword is followed by CRLF or LF (a lone CR is tolerated). */
	if (lx->p < lx->end && *lx->p == '\r')
		lx->p++;
	if (lx->p < lx->end && *lx->p == '\n')
		lx->p++;
	if (off)
		*off = lx->p - lx->base;
	if (len >= 0 && (uint64_t) len <= (uint64_t) (lx->end - lx->p)) {
		q = lx->p + len;
		while (q < lx->end && pdf_is_space(*q))
			q++;
		if ((size_t) (lx->end - q) >= elen &&
		    memcmp(q, endstream, elen) == 0) {
			if (dlen)
				*dlen = (size_t) len;
			lx->p = q + elen;
			return;
		}
	}
	q = memmem(lx->p, lx->end - lx->p, endstream, elen);
	if (dlen) {
		/* Without a usable /Length the end of line before the
		 * keyword belongs to the syntax, not the data. */
		const unsigned char *e = q ? q : lx->end;

		if (e > lx->p && e[-1] == '\n')
			e--;
		if (e > lx->p && e[-1] == '\r')
			e--;
		*dlen = e - lx->p;
	}
	lx->p = q ? q + elen : lx->end;
}

size_t
pdf_lex_skip_value(struct pdf_lex *lx, struct pdf_tok_span *t)
{
	size_t  depth = 0;

	for (;;) {
		if (t->t == PDF_T_DICT_OPEN || t->t == PDF_T_ARR_OPEN)
			depth++;
		else if ((t->t == PDF_T_DICT_CLOSE || t->t == PDF_T_ARR_CLOSE) &&
			 depth > 0)
			depth--;
		if (depth == 0 || t->t == PDF_T_EOF)
			break;
		if (pdf_lex_next(lx, t) == PDF_T_EOF)
			break;
	}
	return t->e - lx->base;
}
