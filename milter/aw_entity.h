/*
 * aw_entity.h - the headers of one MIME entity, parsed (worker side).
 *
 * aw_entity_parse() splits an entity into header and body itself and hands
 * only the values of Content-Type, Content-Disposition and
 * Content-Transfer-Encoding to libetpan's field parsers; it never calls
 * mailmime_parse(), whose multipart code has the defects listed in
 * aw_mime.c.  The header block is copied with NUL bytes turned into 0xFF
 * (an invalid UTF-8 byte, shown later as U+FFFD) and every kept value is
 * capped at ENTITY_VALUE_MAX bytes.  A header that does not parse leaves
 * its field unset (declared type falls back to the RFC 2045 default); the
 * function itself cannot fail.
 */
#ifndef VANTHU_AW_ENTITY_H
#define VANTHU_AW_ENTITY_H

#include <stddef.h>

#define ENTITY_VALUE_MAX	(64 * 1024)

enum entity_disp {
	DISP_NONE,
	DISP_INLINE,
	DISP_ATTACHMENT
};

enum entity_enc {
	ENC_IDENTITY,		/* 7bit, 8bit, binary, none */
	ENC_BASE64,
	ENC_QP,
	ENC_OTHER		/* enc_token names it */
};

struct entity {
	const char *body;	/* points into the caller's bytes */
	size_t  body_len;
	char   *declared;	/* type/subtype, lower case, never NULL */
	char   *name;		/* decoded, safe (aw_name_safe), or NULL */
	char   *boundary;	/* raw parameter value, or NULL */
	char   *smime_type;	/* smime-type parameter, or NULL */
	char   *subject;	/* raw Subject value, or NULL */
	char   *cid;		/* Content-ID without <> and blanks, or NULL */
	enum entity_disp disp;
	enum entity_enc enc;
	char   *enc_token;
};

/* Parse p[0..len).  in_digest: the parent is multipart/digest, so the
 * default type is message/rfc822.  skip_from: ignore a leading mbox
 * "From " line. */
void    aw_entity_parse(const char *p, size_t len, int in_digest,
			int skip_from, struct entity *);
void    aw_entity_clear(struct entity *);

/* Whether p[0..len) opens with a header block -- field lines, folded or
 * not, up to an empty line -- naming MIME-Version or Content-Type: a
 * MIME message saved to a file, whatever libmagic called it. */
int     aw_entity_mime_head(const char *p, size_t len);

#endif
