/*
 * pdf_lex.h - a bounded tokenizer for raw PDF bytes.
 *
 * Splits PDF bytes into tokens (ISO 32000-1 §7.2) without building
 * objects: numbers, names, literal and hexadecimal strings, keywords and
 * the four delimiters << >> [ ].  It never reads outside [base, end), never
 * allocates and always advances, so a caller looping until PDF_T_EOF ends
 * on any input.  A literal string that runs to the end of the input comes
 * back as PDF_T_BAD.  Comments are skipped.
 *
 * The tokenizer keeps no state outside struct pdf_lex: use one per scan.
 */
#ifndef VANTHU_PDF_LEX_H
#define VANTHU_PDF_LEX_H

#include <stddef.h>
#include <stdint.h>

enum pdf_tok {
	PDF_T_EOF,
	PDF_T_NUM,
	PDF_T_NAME,		/* s points at the '/' */
	PDF_T_STR,		/* (literal), s at '(' and e after ')' */
	PDF_T_HEX,		/* <hex>, s at '<' and e after '>' */
	PDF_T_KW,		/* obj endobj stream R true null ... */
	PDF_T_DICT_OPEN,
	PDF_T_DICT_CLOSE,
	PDF_T_ARR_OPEN,
	PDF_T_ARR_CLOSE,
	PDF_T_BAD		/* unterminated string or stray delimiter */
};

struct pdf_tok_span {
	enum pdf_tok t;
	const unsigned char *s;	/* first byte of the token */
	const unsigned char *e;	/* one past its last byte */
};

struct pdf_lex {
	const unsigned char *base;
	const unsigned char *p;
	const unsigned char *end;
};

void    pdf_lex_init(struct pdf_lex *, const unsigned char *, size_t,
		     size_t start);
enum pdf_tok pdf_lex_next(struct pdf_lex *, struct pdf_tok_span *);

/* Is the token the keyword or name kw (name given with its '/')? */
int     pdf_tok_is(const struct pdf_tok_span *, const char *kw);
/* Copy a name token without its '/' into dst, truncated to fit. */
void    pdf_tok_name_copy(char *dst, size_t size, const struct pdf_tok_span *);

/* A non-negative integer token; -1 when it is not one or exceeds 2^53. */
int64_t pdf_tok_uint(const struct pdf_tok_span *);

/* Just after the keyword "stream", skip the stream data: use len when it
 * is >= 0 and "endstream" follows it, else search for "endstream".  Leaves
 * the lexer after "endstream" (or at the end).  The data's offset and
 * length go to *off and *dlen when they are not NULL. */
void    pdf_lex_skip_stream(struct pdf_lex *, int64_t len, size_t *off,
			    size_t *dlen);

/* The first token of a value has been read into *t: read the rest of it
 * (a nested array or dictionary) and return the offset just after it. */
size_t  pdf_lex_skip_value(struct pdf_lex *, struct pdf_tok_span *t);

/* Byte classes of §7.2.2. */
int     pdf_is_space(unsigned char);
int     pdf_is_delim(unsigned char);

#endif
