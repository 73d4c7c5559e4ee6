/*
 * parser.h - the parser's state, shared by parse.c and cond.c only.
 *
 * All of a parse lives in one struct parser; nothing is global.  The p_
 * helpers read tokens and report errors at the current token; each error
 * is counted and written as "file:line:column: message".
 */
#ifndef VANTHU_PARSER_H
#define VANTHU_PARSER_H

#include "rint.h"

struct parser {
	struct lexer lx;
	struct token tok;
	struct ruleset *rs;
	const char *file;
	char   *dir;		/* for relative list file names */
	int     nerrors;
	int     depth;
	int     in_doc;		/* document fields refer to one document */
};

void    p_next(struct parser *);
void    p_err(struct parser *, int line, int col, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
int     p_expected(struct parser *, const char *what);	/* always -1 */
int     p_is_word(const struct parser *, const char *);
int     p_accept(struct parser *, const char *word);
int     p_expect(struct parser *, enum tok);
char   *p_take(struct parser *);
int     p_take_string(struct parser *, const char *what, char **out);

/* cond.c: a condition, from the current token; NULL after an error. */
struct cond *cond_parse(struct parser *);

#endif
