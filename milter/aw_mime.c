/*
 * aw_mime.c - walk a message's MIME tree and collect its documents; see
 * aw_mime.h for the contract and which parts are documents.
 *
 * The walk goes level by level: aw_entity.c parses one entity's header
 * with libetpan's field parsers, this file splits multipart bodies itself
 * and recurses with an explicit depth bound, and libetpan's
 * mailmime_part_parse() undoes base64 and quoted-printable.  It never
 * calls mailmime_parse(), which in libetpan 1.9.4 (Debian 12) overflows
 * the heap on boundary="\"" (mailmime_extract_boundary), overflows the
 * stack on 50,000 nested message/rfc822 parts, spends 30 s of CPU on
 * 20,000 nested multiparts and reports a bogus preamble for a multipart
 * without boundary.  Here a boundary is checked before use, nesting stops
 * at max_depth (never more than MIME_MAX_DEPTH), and each level scans its
 * bytes once, so the cost is at most depth x message size.
 *
 * Failure behaviour: a damaged or refused part becomes a skipped[] entry
 * with a reason ("limit: ...", "unsupported: ...", "malformed: ...") and
 * the walk goes on; only a bad call returns -1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/objects.h>

#include "aw_archive.h"
#include "aw_cid.h"
#include "aw_entity.h"
#include "aw_mime.h"
#include "aw_names.h"
#include "base64.h"
#include "textnorm.h"
#include "xmalloc.h"

#define SUBJECT_MAX	998

struct walk {
	struct mime_limits lim;
	struct aw_type *types;
	struct analysis *out;
	unsigned nparts;
	int     full;		/* max_parts reached and reported */
};

/* What a part inherits from the parts around it. */
struct ctx {
	const char *prefix;	/* part number of the container, "" on top */
	int     msg_root;	/* the entity is the top of a message */
	int     top;		/* not inside a forwarded message */
	int     digest;		/* the parent is multipart/digest */
	struct cid_refs *refs;	/* the parent is multipart/related: the IDs
				 * its HTML names */
	int     new_msg;	/* the entity opens a forwarded message */
	unsigned depth;
	const char *fwd;	/* subject of the forwarded message, if any */
};

static void walk_entity(struct walk *, const struct ctx *, const char *,
			size_t);
static void walk_forwarded(struct walk *, const struct ctx *, const char *,
			   const char *, const char *, size_t);

void
mime_limits_default(struct mime_limits *l, uint64_t msg_size)
{
	l->max_parts = 1000;
	l->max_depth = 10;
	l->max_archive_files = 100;
	l->max_archive_size = 100ULL * 1024 * 1024;
	l->max_doc_size = msg_size;
	l->max_archive_ratio = 100;
}

static void
skip(struct walk *w, const char *part, const char *name, const char *why)
{
	analysis_skip(w->out, part, name, why);
}

static char *
part_join(const char *prefix, unsigned i)
{
	return prefix[0] ? xasprintf("%s.%u", prefix, i) : xasprintf("%u", i);
}

/* The label of an entity: see the numbering in aw_mime.h. */
static char *
part_label(const struct ctx *c, int multipart)
{
	if (c->msg_root && multipart)
		return xstrdup(c->prefix[0] ? c->prefix : "0");
	if (c->msg_root)
		return part_join(c->prefix, 1);
	return xstrdup(c->prefix);
}

/* The decoded body of a leaf, or a reason why not. */
static const char *
body_decode(const struct walk *w, const struct entity *e,
	    unsigned char **out, size_t *outlen, char *buf, size_t buflen)
{
	char   *dec = NULL;
	size_t  declen = 0, idx = 0, body_len = e->body_len;
	int     mech;

	*out = NULL;
	*outlen = 0;
	switch (e->enc) {
	case ENC_IDENTITY:
		if (e->body_len > w->lim.max_doc_size)
			return "limit: document size";
		*out = xmalloc(e->body_len + 1);
		memcpy(*out, e->body, e->body_len);
		*outlen = e->body_len;
		return NULL;
	case ENC_BASE64: {
		size_t  quanta;

		if (e->body_len / 2 > w->lim.max_doc_size)
			return "limit: document size";
		*out = xmalloc(base64_decoded_max(e->body_len) + 1);
		*outlen = base64_decode(e->body, e->body_len, *out, &quanta);
		if (quanta % 4 != 0) {
			free(*out);
			*out = NULL;
			*outlen = 0;
			return "malformed: truncated base64";
		}
		if (*outlen > w->lim.max_doc_size) {
			free(*out);
			*out = NULL;
			*outlen = 0;
			return "limit: document size";
		}
		return NULL;
	}
	case ENC_QP:
		mech = MAILMIME_MECHANISM_QUOTED_PRINTABLE;
		/*
		 * libetpan 1.9.4 reads the two bytes after an '=' even when
		 * the data ends first (found by fuzz/mime_fuzz.c): an escape
		 * cut short at the very end is dropped before decoding.
		 */
		while (body_len > 0) {
			if (e->body[body_len - 1] == '=')
				body_len--;
			else if (body_len >= 2 && e->body[body_len - 2] == '=' &&
				 e->body[body_len - 1] != '\n')
				body_len -= 2;
			else
				break;
		}
		break;
	default:
		snprintf(buf, buflen, "unsupported: transfer encoding %s",
			 e->enc_token ? e->enc_token : "?");
		return buf;
	}
	if (body_len == 0) {
		*out = xmalloc(1);
		return NULL;
	}
	if (mailmime_part_parse(e->body, body_len, &idx, mech, &dec,
				&declen) != MAILIMF_NO_ERROR || dec == NULL)
		return "malformed: transfer encoding";
	if (declen > w->lim.max_doc_size) {
		mailmime_decoded_part_free(dec);
		return "limit: document size";
	}
	*out = xmalloc(declen + 1);
	memcpy(*out, dec, declen);
	*outlen = declen;
	mailmime_decoded_part_free(dec);
	return NULL;
}

/* Append a document; takes data. */
static void
doc_add(struct walk *w, const char *part, const char *name,
	const char *declared, char *type, const char *kind,
	enum doc_origin origin, const char *detail,
	unsigned char *data, size_t len)
{
	struct document *d = analysis_add_document(w->out);

	d->name = name ? xstrdup(name) : NULL;
	d->declared_type = declared ? xstrdup(declared) : NULL;
	d->type = type;
	d->kind = xstrdup(kind);
	d->part = xstrdup(part);
	d->origin = origin;
	d->origin_detail = detail ? xstrdup(detail) : NULL;
	d->data = data;
	d->len = len;
	d->size = len;
}

struct arc {
	struct walk *w;
	const char *part;
	const char *name;	/* the archive's */
};

static int
arc_entry(void *vctx, const char *path, const unsigned char *data,
	  size_t len, const char *reason)
{
	struct arc *a = vctx;
	struct walk *w = a->w;
	char   *raw = path ? text_nfc(path, strlen(path)) : NULL;
	char   *name = aw_name_safe(raw);
	const char *kind;
	char   *type, *why;

	free(raw);
	if (path == NULL)	/* what a compressed file holds */
		name = aw_name_uncompressed(a->name);
	if (++w->nparts > w->lim.max_parts) {
		analysis_skip_in(w->out, a->part, name, "limit: max parts",
				 a->name);
		w->full = 1;
		free(name);
		return 1;
	}
	if (reason != NULL) {
		analysis_skip_in(w->out, a->part, name, reason, a->name);
		free(name);
		return 0;
	}
	type = aw_type_detect(w->types, data, len);
	kind = aw_type_kind(type, name, NULL, data, len);
	if (kind != NULL && (strcmp(kind, "archive") == 0 ||
			     strcmp(kind, "message") == 0)) {
		analysis_skip_in(w->out, a->part, name, "limit: archive depth",
				 a->name);
	} else if (kind == NULL) {
		why = xasprintf("unsupported: %s", type);
		analysis_skip_in(w->out, a->part, name, why, a->name);
		free(why);
	} else {
		unsigned char *copy = xmalloc(len + 1);

		memcpy(copy, data, len);
		doc_add(w, a->part, name, NULL, type, kind, ORIGIN_ARCHIVE,
			a->name, copy, len);
		type = NULL;
	}
	free(type);
	free(name);
	return 0;
}

/* Where a leaf that is a document came from. */
static enum doc_origin
leaf_origin(const struct ctx *c, const struct entity *e)
{
	if (!c->top)
		return ORIGIN_FORWARDED;
	if (e->disp == DISP_ATTACHMENT)
		return ORIGIN_ATTACHMENT;
	if (e->disp == DISP_INLINE)
		return ORIGIN_INLINE;
	return e->name ? ORIGIN_ATTACHMENT : ORIGIN_INLINE;
}

static void
walk_leaf(struct walk *w, const struct ctx *c, const struct entity *e,
	  const char *label)
{
	unsigned char *data;
	size_t  len;
	char    buf[256], *type, *why;
	const char *bad, *kind;

	if (strncmp(e->declared, "text/", 5) == 0 && e->name == NULL &&
	    e->disp != DISP_ATTACHMENT)
		return;		/* the message's own text */
	bad = body_decode(w, e, &data, &len, buf, sizeof(buf));
	if (bad != NULL) {
		skip(w, label, e->name, bad);
		return;
	}
	type = aw_type_detect(w->types, data, len);
	kind = aw_type_kind(type, e->name, e->declared, data, len);
	if (kind == NULL) {
		why = xasprintf("unsupported: %s", type);
		skip(w, label, e->name, why);
		free(why);
	} else if (strcmp(kind, "image") == 0 && e->disp != DISP_ATTACHMENT &&
		   aw_cid_named(c->refs, e->cid)) {
		/*
		 * An image the HTML body shows (RFC 2387): a logo in a
		 * signature, no document.  Numbered, every such mail would
		 * put its sender's logo in the register.  One the HTML does
		 * not show is a document, however it is labelled.
		 */
		skip(w, label, e->name, "body: inline image");
	} else if (strcmp(kind, "message") == 0) {
		/* A forwarded .eml attached under another type. */
		walk_forwarded(w, c, label, e->name, (const char *) data, len);
	} else if (strcmp(kind, "archive") == 0) {
		struct arc a = {w, label, e->name};

		bad = aw_archive_each(type, data, len, &w->lim, arc_entry, &a,
				      buf, sizeof(buf));
		if (bad != NULL)
			skip(w, label, e->name, bad);
	} else {
		/* doc_add() takes type and data. */
		doc_add(w, label, e->name, e->declared, type, kind,
			leaf_origin(c, e), c->top ? NULL : c->fwd, data, len);
		return;
	}
	free(type);
	free(data);
}

static int
boundary_ok(const char *b)
{
	size_t  n = strlen(b);

	if (n == 0 || n > 200 || b[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = b[i];

		if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\')
			return 0;
	}
	return 1;
}

/* Find the next delimiter line "--boundary[--][blanks]" starting at or
 * after the line start `from`; *ds: its first byte, *dn: the byte after
 * its line end, *close: whether it is the closing delimiter. */
static int
delim_find(const char *b, size_t len, size_t from, const char *bnd,
	   size_t blen, size_t *ds, size_t *dn, int *close)
{
	size_t  i = from;

	while (i < len && len - i >= blen + 2) {
		if (b[i] == '-' && b[i + 1] == '-' &&
		    memcmp(b + i + 2, bnd, blen) == 0) {
			size_t  j = i + 2 + blen;
			int     cl = 0;

			if (len - j >= 2 && b[j] == '-' && b[j + 1] == '-') {
				cl = 1;
				j += 2;
			}
			while (j < len && (b[j] == ' ' || b[j] == '\t'))
				j++;
			if (j == len || b[j] == '\r' || b[j] == '\n') {
				if (j < len && b[j] == '\r')
					j++;
				if (j < len && b[j] == '\n')
					j++;
				*ds = i;
				*dn = j;
				*close = cl;
				return 1;
			}
		}
		{
			const char *nl = memchr(b + i, '\n', len - i);

			if (nl == NULL)
				break;
			i = (size_t) (nl - b) + 1;
		}
	}
	return 0;
}

/* The parts of a multipart body, one after the other. */
struct parts {
	const char *b, *bnd;
	size_t  len, blen;
	size_t  dn;		/* where the next part starts */
	int     close;		/* the closing delimiter was seen */
	int     last;		/* the last part ran to the end of the body */
};

/* Start on e's parts (its boundary checked); 0 when it has none. */
static int
parts_first(struct parts *it, const struct entity *e)
{
	size_t  ds;

	it->b = e->body;
	it->len = e->body_len;
	it->bnd = e->boundary;
	it->blen = strlen(e->boundary);
	it->last = 0;
	return delim_find(it->b, it->len, 0, it->bnd, it->blen, &ds, &it->dn,
			  &it->close) && !it->close;
}

/* The next part, b[*start..*end) without the line end before the
 * delimiter; 0 when there is none. */
static int
parts_next(struct parts *it, size_t *start, size_t *end)
{
	size_t  ds, dn;
	int     close;

	if (it->close || it->last)
		return 0;
	*start = it->dn;
	if (delim_find(it->b, it->len, it->dn, it->bnd, it->blen, &ds, &dn,
		       &close)) {
		*end = ds;
		if (*end > *start && it->b[*end - 1] == '\n')
			(*end)--;
		if (*end > *start && it->b[*end - 1] == '\r')
			(*end)--;
		it->dn = dn;
		it->close = close;
	} else {
		*end = it->len;	/* no closing delimiter */
		it->last = 1;
	}
	return 1;
}

/*
 * What the walk needs to know of multipart/related e before it reaches
 * its parts: their Content-IDs, and the HTML that may name them.  The
 * HTML is one of e's parts or one of theirs (Outlook puts a
 * multipart/alternative first), never deeper: were every level of a deep
 * tree of related parts to read all the levels below it again, the cost
 * would grow with the square of the depth.  Attachments and forwarded
 * messages are not the body.  Parts are bounded as for the walk.
 */
#define HTML_LEVELS	2

static void
related_refs(const struct walk *w, const struct entity *e, unsigned depth,
	     unsigned level, unsigned *visits, struct cid_refs *refs)
{
	struct parts it;
	size_t  start, end;

	if (depth >= w->lim.max_depth || e->boundary == NULL ||
	    !boundary_ok(e->boundary) || !parts_first(&it, e))
		return;
	while (*visits < w->lim.max_parts && parts_next(&it, &start, &end)) {
		struct entity c;
		unsigned char *html;
		size_t  len;
		char    buf[256];

		++*visits;
		aw_entity_parse(it.b + start, end - start, 0, 0, &c);
		if (level == 1)		/* only e's own parts can be body */
			aw_cid_want(refs, c.cid);
		if (strncmp(c.declared, "multipart/", 10) == 0) {
			if (level < HTML_LEVELS)
				related_refs(w, &c, depth + 1, level + 1,
					     visits, refs);
		} else if (strcmp(c.declared, "text/html") == 0 &&
			   c.name == NULL && c.disp != DISP_ATTACHMENT &&
			   body_decode(w, &c, &html, &len, buf, sizeof(buf)) ==
			   NULL) {
			aw_cid_html(refs, html, len);
		}
		aw_entity_clear(&c);
	}
}

/* The second part of the message's own multipart/signed. */
static void
walk_signature(struct walk *w, const struct ctx *c, const char *p,
	       size_t len, const char *content, size_t content_len)
{
	struct entity e;
	unsigned char *der;
	size_t  derlen;
	char    buf[256], *label = part_label(c, 0);
	const char *bad;

	aw_entity_parse(p, len, 0, 0, &e);
	if (strcmp(e.declared, "application/pkcs7-signature") != 0 &&
	    strcmp(e.declared, "application/x-pkcs7-signature") != 0) {
		walk_leaf(w, c, &e, label);	/* PGP or other: as any part */
	} else if (!c->top) {
		skip(w, label, e.name,
		     "unsupported: S/MIME signature of a forwarded message");
	} else if (w->out->smime_der != NULL) {
		skip(w, label, e.name, "unsupported: second S/MIME layer");
	} else if ((bad = body_decode(w, &e, &der, &derlen, buf,
				      sizeof(buf))) != NULL) {
		skip(w, label, e.name, bad);
	} else {
		w->out->smime_der = der;
		w->out->smime_der_len = derlen;
		w->out->smime_content = xmalloc(content_len + 1);
		memcpy(w->out->smime_content, content, content_len);
		w->out->smime_content_len = content_len;
	}
	aw_entity_clear(&e);
	free(label);
}

static void
walk_multipart(struct walk *w, const struct ctx *c, const struct entity *e,
	       const char *label)
{
	struct parts it;
	struct cid_refs refs = {0};
	size_t  start, end, first_start = 0, first_len = 0;
	int     is_signed, related;
	unsigned idx = 0, visits = 0;

	if (c->depth >= w->lim.max_depth) {
		skip(w, label, NULL, "limit: max depth");
		return;
	}
	if (e->boundary == NULL) {
		skip(w, label, NULL, "malformed: multipart without boundary");
		return;
	}
	if (!boundary_ok(e->boundary)) {
		skip(w, label, NULL, "malformed: bad boundary");
		return;
	}
	if (!parts_first(&it, e)) {
		skip(w, label, NULL, "malformed: multipart without parts");
		return;
	}
	is_signed = strcmp(e->declared, "multipart/signed") == 0;
	related = strcmp(e->declared, "multipart/related") == 0;
	if (related)
		related_refs(w, e, c->depth, 1, &visits, &refs);
	while (!w->full && parts_next(&it, &start, &end)) {
		struct ctx cc = *c;
		char   *prefix;

		prefix = part_join(c->prefix, ++idx);
		cc.prefix = prefix;
		cc.msg_root = 0;
		cc.new_msg = 0;
		cc.depth = c->depth + 1;
		cc.digest = strcmp(e->declared, "multipart/digest") == 0;
		cc.refs = related ? &refs : NULL;
		if (is_signed && idx == 1) {
			first_start = start;
			first_len = end - start;
		}
		if (is_signed && idx == 2) {
			if (++w->nparts > w->lim.max_parts) {
				skip(w, prefix, NULL, "limit: max parts");
				w->full = 1;
			} else {
				walk_signature(w, &cc, it.b + start,
					       end - start,
					       it.b + first_start, first_len);
			}
		} else {
			walk_entity(w, &cc, it.b + start, end - start);
		}
		free(prefix);
	}
	aw_cid_free(&refs);
}

/* The bytes of a forwarded message: walk them as a message of their own. */
static void
walk_forwarded(struct walk *w, const struct ctx *c, const char *label,
	       const char *name, const char *p, size_t len)
{
	struct ctx cc = *c;

	if (c->depth >= w->lim.max_depth) {
		skip(w, label, name, "limit: max depth");
		return;
	}
	cc.prefix = label;
	cc.msg_root = 1;
	cc.top = 0;
	cc.new_msg = 1;
	cc.digest = 0;
	cc.refs = NULL;
	cc.depth = c->depth + 1;
	walk_entity(w, &cc, p, len);
}

/* message/rfc822: walk the enclosed message as forwarded. */
static void
walk_message(struct walk *w, const struct ctx *c, const struct entity *e,
	     const char *label)
{
	unsigned char *dec = NULL;
	size_t  declen;
	char    buf[256];
	const char *bad;

	if (e->enc == ENC_IDENTITY) {
		walk_forwarded(w, c, label, e->name, e->body, e->body_len);
		return;
	}
	/* Not allowed by RFC 2046, but sent: decode first. */
	bad = body_decode(w, e, &dec, &declen, buf, sizeof(buf));
	if (bad != NULL) {
		skip(w, label, e->name, bad);
		return;
	}
	walk_forwarded(w, c, label, e->name, (const char *) dec, declen);
	free(dec);
}

/* application/pkcs7-mime: unwrap signed-data and walk what it holds. */
static void
walk_pkcs7(struct walk *w, const struct ctx *c, const struct entity *e,
	   const char *label)
{
	unsigned char *der = NULL, *inner = NULL;
	size_t  derlen, innerlen = 0;
	char    buf[256];
	const char *bad = NULL;
	CMS_ContentInfo *cms = NULL;
	BIO    *bio = NULL;
	struct ctx cc = *c;

	if (c->depth >= w->lim.max_depth) {
		skip(w, label, e->name, "limit: max depth");
		return;
	}
	if (e->smime_type && strstr(e->smime_type, "enveloped")) {
		skip(w, label, e->name, "unsupported: encrypted S/MIME");
		return;
	}
	if ((bad = body_decode(w, e, &der, &derlen, buf, sizeof(buf))) != NULL) {
		skip(w, label, e->name, bad);
		return;
	}
	if (derlen > 0 && derlen < 0x7fffffff)
		bio = BIO_new_mem_buf(der, (int) derlen);
	if (bio != NULL)
		cms = d2i_CMS_bio(bio, NULL);
	if (cms == NULL) {
		bad = "malformed: S/MIME";
	} else if (OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_enveloped ||
		   OBJ_obj2nid(CMS_get0_type(cms)) ==
		   NID_id_smime_ct_authEnvelopedData) {
		bad = "unsupported: encrypted S/MIME";
	} else if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		bad = "unsupported: S/MIME content type";
	} else {
		ASN1_OCTET_STRING **pos = CMS_get0_content(cms);

		if (pos == NULL || *pos == NULL || (*pos)->length <= 0) {
			bad = "malformed: S/MIME without content";
		} else {
			innerlen = (size_t) (*pos)->length;
			inner = xmalloc(innerlen);
			memcpy(inner, (*pos)->data, innerlen);
		}
	}
	CMS_ContentInfo_free(cms);
	BIO_free(bio);
	if (bad != NULL) {
		skip(w, label, e->name, bad);
		free(der);
		return;
	}
	if (c->top && w->out->smime_der == NULL) {
		w->out->smime_der = der;
		w->out->smime_der_len = derlen;
		der = NULL;
	}
	free(der);
	cc.depth = c->depth + 1;
	cc.refs = NULL;
	walk_entity(w, &cc, (const char *) inner, innerlen);
	free(inner);
}

static void
walk_entity(struct walk *w, const struct ctx *c, const char *p, size_t len)
{
	struct entity e;
	struct ctx cc = *c;
	char   *label, *subject = NULL;
	int     multipart;

	if (w->full)
		return;
	aw_entity_parse(p, len, c->digest, c->msg_root && c->depth == 0, &e);
	multipart = strncmp(e.declared, "multipart/", 10) == 0;
	label = part_label(c, multipart);
	if (++w->nparts > w->lim.max_parts) {
		skip(w, label, NULL, "limit: max parts");
		w->full = 1;
	} else {
		cc.new_msg = 0;
		if (c->new_msg) {
			/* The forwarded message's subject names its documents. */
			if (e.subject != NULL) {
				subject = aw_name_decode_words(e.subject,
							       strlen(e.subject));
				if (strlen(subject) > SUBJECT_MAX) {
					size_t  cut = SUBJECT_MAX;

					/* At a character boundary. */
					while (cut > 0 &&
					       ((unsigned char) subject[cut] & 0xc0) == 0x80)
						cut--;
					subject[cut] = 0;
				}
			}
			cc.fwd = subject;
		}
		if (multipart)
			walk_multipart(w, &cc, &e, label);
		else if (strcmp(e.declared, "message/rfc822") == 0 ||
			 strcmp(e.declared, "message/global") == 0)
			walk_message(w, &cc, &e, label);
		else if (strcmp(e.declared, "application/pkcs7-mime") == 0 ||
			 strcmp(e.declared, "application/x-pkcs7-mime") == 0)
			walk_pkcs7(w, &cc, &e, label);
		else
			walk_leaf(w, &cc, &e, label);
	}
	free(subject);
	free(label);
	aw_entity_clear(&e);
}

int
aw_mime_extract(const char *msg, size_t len, const struct mime_limits *lim,
		struct aw_type *types, struct analysis *out)
{
	struct walk w;
	struct ctx c = {.prefix = "", .msg_root = 1, .top = 1};

	if (out == NULL)
		return -1;
	if (msg == NULL || lim == NULL || types == NULL) {
		free(out->error);
		out->error = xstrdup("aw_mime_extract: no message or limits");
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.lim = *lim;
	if (w.lim.max_depth > MIME_MAX_DEPTH)
		w.lim.max_depth = MIME_MAX_DEPTH;
	w.types = types;
	w.out = out;
	walk_entity(&w, &c, msg, len);
	return 0;
}
