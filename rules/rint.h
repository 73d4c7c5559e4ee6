/*
 * rint.h - what the files of rules/ share among themselves.
 *
 * Nothing outside rules/ includes this: the compiled form of a ruleset
 * (rules, conditions, tests, actions), the lexer's tokens and the
 * pattern matcher.  Once loaded, everything here is read-only.
 */
#ifndef VANTHU_RINT_H
#define VANTHU_RINT_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "rules.h"

#define RULES_MAX_TOKEN		65536	/* bytes in one string or pattern */
#define RULES_MAX_DEPTH		64	/* nesting of conditions */
#define RULES_MAX_ERRORS	50	/* per file, then give up on it */
#define RULES_MAX_FILE		(16u << 20)
#define RULES_MAX_LIST		1000000	/* entries in one list */

/* ---- lexer (lex.c) ---- */

enum tok {
	T_EOF,
	T_ERROR,	/* already reported */
	T_IDENT,
	T_STRING,
	T_REGEX,
	T_NUMBER,
	T_DATE,
	T_DOTTED,	/* 5.7.1 */
	T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK,
	T_COMMA, T_SEMI,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE
};

struct token {
	enum tok kind;
	int     line, col;
	char   *text;		/* ident, string, pattern, dotted, date */
	size_t  len;
	uint64_t num;
	char    flags[8];	/* regex flags */
};

struct lexer {
	const char *name;
	const char *p, *end;
	int     line, col;
	FILE   *errors;
	int    *nerrors;
};

void    lex_init(struct lexer *, const char *name, const char *buf,
		 size_t len, FILE *errors, int *nerrors);
void    lex_next(struct lexer *, struct token *);	/* frees old text */
void    lex_error(struct lexer *, int line, int col, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
const char *tok_describe(enum tok);

/* ---- patterns (match.c) ---- */

struct regex;

#define RX_CASELESS	1
#define RX_FOLD		2

/* Compile; on error returns NULL, *erroff is the character offset in the
 * pattern and msg gets PCRE2's reason. */
struct regex *regex_compile(const char *pattern, int flags, size_t *erroff,
			    char *msg, size_t msglen);
struct regex *regex_free(struct regex *);
int     regex_flags(const struct regex *);
const char *regex_source(const struct regex *);
/* 1 match, 0 no match, -1 limit hit (what says which). */
int     regex_match(const struct regex *, const char *subject, size_t len,
		    const char **what);

/* Unicode case folding in NFC; text_fold() when diacritics are ignored. */
char   *str_casefold(const char *);
char   *str_fold(const char *s, int diacritics);

/* ---- compiled rules ---- */

enum ftype { FT_STR, FT_NUM, FT_DATE, FT_DIR, FT_SIG, FT_BOOL };

enum field {
	F_DIRECTION, F_OFFICIAL, F_SENDER, F_RECIPIENT, F_HEADER, F_SUBJECT,
	F_MSGSIZE, F_DOCUMENTS, F_SKIPPED,
	/* per document from here on */
	F_NAME, F_ARCHIVE, F_TYPE, F_SIZE, F_SIGNATURE, F_TEXT, F_FACT
};

struct field_def {
	const char *name;
	enum field id;
	enum ftype type;
	int     fact;		/* F_FACT: enum fact_id */
};

const struct field_def *field_lookup(const char *name);
#define FIELD_PER_DOC(f)	((f) >= F_NAME)

enum op { OP_EXISTS, OP_IS, OP_CONTAINS, OP_MATCHES, OP_IN,
	  OP_LT, OP_LE, OP_GT, OP_GE, OP_TRUE };

struct test {
	enum field field;
	enum ftype type;
	int     fact;
	char   *header;		/* F_HEADER */
	enum op op;
	int     folded;		/* compare without diacritics */
	/* the value: one of */
	char   *str;		/* folded as the comparison needs */
	uint64_t num;
	int     ival;		/* direction or verdict */
	char    date[11];
	struct regex *rx;
	char  **list;		/* sorted, folded */
	size_t  nlist;
	unsigned ilist;		/* bit set of directions or verdicts */
};

enum cond_kind { C_TEST, C_NOT, C_AND, C_OR, C_ANY, C_ALL };

struct cond {
	enum cond_kind kind;
	struct cond *a, *b;	/* NOT, ANY, ALL: a only */
	struct test *t;
};

struct action {
	enum rule_action_kind kind;
	char   *arg, *arg2;
	char  **list;
	size_t  nlist;
	int     code;
	char    xcode[12];
	enum rule_disposition otherwise;
};

struct rule {
	char   *name;
	char   *file;
	int     line, col;
	int     per_doc;	/* for each document */
	int     enabled;
	int     stop;
	struct cond *cond;	/* NULL: always */
	struct action *actions;
	size_t  nactions;
};

/* enable NAME; / disable NAME; resolved once every file is read */
struct toggle {
	char   *name;
	char   *file;
	int     line, col;
	int     enable;
};

struct ruleset {
	struct rule *rules;
	size_t  nrules;
	struct toggle *toggles;
	size_t  ntoggles;
	atomic_int refs;
};

/* parse.c: parse one file into rs; returns the number of errors. */
int     parse_file(struct ruleset *, const char *name, const char *buf,
		   size_t len, FILE *errors);
void    rule_clear(struct rule *);
struct cond *cond_free(struct cond *);

/* list.c: read a list file, one entry a line, '#' comments. */
int     list_read(const char *path, char ***list, size_t *n, char *why,
		  size_t whylen);

#endif
