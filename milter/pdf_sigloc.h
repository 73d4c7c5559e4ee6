/*
 * pdf_sigloc.h - find the signature dictionaries of a PDF and check them.
 *
 * pdf_sigloc_scan() reads raw PDF bytes once, including every incremental
 * update, and reports each dictionary that has a /ByteRange, in file
 * order, with the byte range rules checked:
 *   - /ByteRange is a direct array of four non-negative integers [a b c d];
 *   - a == 0;
 *   - the two ranges do not overlap (a + b <= c);
 *   - both lie inside the file (c + d <= file length);
 *   - the gap [b, c) is exactly the /Contents hex string of the same
 *     dictionary, delimiters included;
 *   - the range ends a revision: "%%EOF", perhaps with white space, is
 *     just before c + d;
 *   - /Contents is hex digits and white space only.
 * A dictionary breaking one of them has `malformed` set to the reason.
 * The same scan records every indirect object ("N G obj ... endobj"), which
 * pdf_revision_check() (pdf_revision.c) uses to judge what later revisions
 * changed.
 *
 * Signature dictionaries are never inside object streams (their byte range
 * refers to raw file offsets), so a raw scan finds them all.  Objects that
 * a later revision hides inside an object stream are reported as such by
 * the revision check rather than guessed at.
 *
 * It also records the /Root of every trailer and xref stream, so that a
 * later revision naming another catalog is seen.
 *
 * Limits: at most PDF_SIGLOC_MAX_SIGS signatures, PDF_SIGLOC_MAX_OBJS
 * objects and as many trailers, nesting depth PDF_SIGLOC_MAX_DEPTH,
 * /Contents of at most
 * PDF_SIGLOC_MAX_CONTENTS hex digits.  Beyond them the scan stops and sets
 * `error`; what was found so far stays.  Never fails otherwise.
 */
#ifndef VANTHU_PDF_SIGLOC_H
#define VANTHU_PDF_SIGLOC_H

#include <stddef.h>
#include <stdint.h>

#define PDF_SIGLOC_MAX_SIGS	64
#define PDF_SIGLOC_MAX_OBJS	(1u << 20)
#define PDF_SIGLOC_MAX_DEPTH	64
#define PDF_SIGLOC_MAX_CONTENTS	(4u << 20)

#define PDF_NAME_MAX	64

struct pdf_sigdict {
	size_t  dict_off;		/* offset of its "<<" */
	uint64_t range[4];
	int     nrange;			/* integers in /ByteRange; -1 not direct */
	size_t  contents_off;		/* '<' of /Contents; 0 when none */
	size_t  contents_end;		/* after its '>' */
	char    subfilter[PDF_NAME_MAX];	/* without the '/' */
	char    type[PDF_NAME_MAX];	/* Sig, DocTimeStamp, or empty */
	char    m[48];			/* /M as written, without parentheses */
	const char *malformed;		/* static text; NULL when the rules hold */
	unsigned char *cms;		/* /Contents decoded; NULL when malformed */
	size_t  cms_len;
	uint64_t covered_end;		/* c + d */

	/* Filled by pdf_revision_check(). */
	int     covers_whole_file;
	char   *modified;		/* why later revisions change content */
};

/*
 * One indirect object, as far as the revision check needs it.  An object
 * inside an object stream (after pdf_objstm_expand()) has `buf` set to the
 * inflated stream and `off` of its container, which places it in the
 * revision the container belongs to.
 */
struct pdf_obj {
	uint32_t num;
	size_t  off;			/* of the object number */
	size_t  val_start;		/* first byte of its value */
	size_t  val_end;		/* "endobj" or "stream" */
	const unsigned char *buf;	/* NULL: in the file itself */
	size_t  buflen;
	unsigned char kind;		/* PDF_OBJ_* */
	unsigned char is_stream;
	unsigned char has_fields;	/* an AcroForm-like /Fields key */
	unsigned char filter;		/* PDF_FILTER_* */
	unsigned char expanded;		/* an object stream we could read */
	char    type[24];		/* /Type, /Subtype, /FT; may be empty */
	char    subtype[24];
	char    ft[8];
	/* streams: the data; object streams: /N and /First */
	size_t  data_off, data_len;
	int64_t n, first;
};

#define PDF_FILTER_NONE		0
#define PDF_FILTER_FLATE	1
#define PDF_FILTER_OTHER	2	/* other filters, arrays, predictors */

#define PDF_OBJ_OTHER	0
#define PDF_OBJ_DICT	1
#define PDF_OBJ_ARRAY	2

/* A trailer, or an xref stream's dictionary, and the catalog it names. */
struct pdf_root {
	size_t  off;			/* of its "<<" */
	uint32_t num;			/* /Root N G R */
};

struct pdf_sigscan {
	struct pdf_sigdict *sigs;
	size_t  nsigs;
	struct pdf_root *roots;		/* file order */
	size_t  nroots;
	struct pdf_obj *objs;		/* file order, then expanded ones */
	size_t  nobjs;
	unsigned char **bufs;		/* inflated object streams */
	size_t  nbufs;
	int     expanded;		/* pdf_objstm_expand() ran */
	const char *error;		/* a limit was hit */
};

void    pdf_sigloc_scan(const unsigned char *buf, size_t len,
			struct pdf_sigscan *out);
void    pdf_sigscan_clear(struct pdf_sigscan *);

/* Check the byte range rules for one dictionary; the reason or NULL. */
const char *pdf_sigloc_check_range(const struct pdf_sigdict *, size_t len);

/*
 * For each well-formed signature, set covers_whole_file (only white space
 * after its range) and, when later revisions exist, `modified` to the
 * first change that is not a signature, validation data or the form and
 * annotation plumbing a new signature needs.  See pdf_revision.c.
 */
void    pdf_revision_check(const unsigned char *buf, size_t len,
			   struct pdf_sigscan *);

/*
 * Add the objects of every object stream (/Type /ObjStm, FlateDecode or
 * unfiltered) to s->objs, so that a later revision's plain object can be
 * compared with the compressed one it replaces.  Bounded by
 * PDF_OBJSTM_MAX_TOTAL inflated bytes for the whole file; an object
 * stream beyond the limits, with another filter, or corrupt, stays
 * unexpanded.  See pdf_objstm.c.
 */
#define PDF_OBJSTM_MAX_TOTAL	(64u << 20)
#define PDF_OBJSTM_MAX_N	100000

void    pdf_objstm_expand(const unsigned char *buf, size_t len,
			  struct pdf_sigscan *);

#endif
