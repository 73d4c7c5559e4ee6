/*
 * aw_facts_int.h - what the parts of the facts parser share; private.
 *
 * The text is cut into lines.  Each line is kept twice: as printed (NFC,
 * spaces collapsed, trimmed) and folded (lower case, no diacritics,
 * đ -> d) with a map from every folded byte back to the printed one, so
 * that a pattern matched on the folded line yields the printed value.
 */
#ifndef VANTHU_AW_FACTS_INT_H
#define VANTHU_AW_FACTS_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "facts.h"

struct fline {
	char   *s;		/* as printed */
	char   *f;		/* folded */
	size_t *map;		/* f byte -> s byte; map[flen] == slen */
	size_t  slen;
	size_t  flen;
	int     upper;		/* has letters, none in lower case */
	int     lower_start;	/* first letter is lower case */
};

struct flines {
	struct fline *v;
	size_t  n;
};

/* Cuts text into lines; blank lines are dropped. */
void    flines_split(struct flines *, const char *text, size_t len);
void    flines_free(struct flines *);

/* Folds s: the folded string, with *mapp (may be NULL) as above. */
char   *fold_map(const char *s, size_t len, size_t **mapp, size_t *flenp);

/* A copy of the printed bytes behind folded bytes [fs, fe) of l. */
char   *fline_orig(const struct fline *l, size_t fs, size_t fe);

/* Match pattern p (see aw_facts_re.c) on folded line l from byte off;
 * ov gets up to nov pairs of folded offsets (-1 when unset).  1, 0. */
enum fre {
	RE_REF,
	RE_DATE,
	RE_DATE_BARE,
	RE_VV,
	RE_COMPETENCE,
	RE_RECIPIENTS,
	RE_SEPARATOR,
	RE_MOTTO,
	RE_BODY_START,
	RE_SUBJ_REF,
	RE_FILE_REF,
	RE_CITATION,
	RE__COUNT
};
int     fre_match(enum fre p, const char *s, size_t len, size_t off,
		  size_t *ov, int nov);

/* Trims spaces and the characters of junk at both ends, in place. */
char   *trim_chars(char *s, const char *junk);
char   *str_nospace(const char *s);
/* Whether s[0..n) has letters, none of them in lower case. */
int     str_upper(const char *s, size_t n);
/* Whether the first letter of s[0..n) is in lower case. */
int     str_lower_start(const char *s, size_t n);

/* The parts of the parser. */
struct parse_ctx {
	struct flines L;
	int     party;		/* Party reference form seen */
	ssize_t ref_line;
	ssize_t date_line;
	ssize_t head_line;
	size_t  header_end;	/* lines of the header region */
};

void    facts_signer(struct doc_facts *, const struct parse_ctx *);
void    facts_recipients(struct doc_facts *, const struct parse_ctx *);

#endif
