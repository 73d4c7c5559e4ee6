/*
 * pdf_objstm.c - read the objects of object streams; see pdf_sigloc.h.
 *
 * An object stream (ISO 32000-1 §7.5.7) holds /N objects after a header
 * of /N pairs "number offset", offsets counted from /First.  Modern PDFs
 * keep their pages and catalog there, and a signing tool's incremental
 * update then rewrites a page as a plain object.  To judge that rewrite
 * the revision check needs the compressed original, so each object
 * stream is inflated (zlib) and its objects are added to the object list
 * as if they stood at the container's offset.
 *
 * Limits: PDF_OBJSTM_MAX_TOTAL inflated bytes for the file,
 * PDF_OBJSTM_MAX_N objects a stream.  A stream over a limit, with a
 * filter other than FlateDecode (or with a predictor), or whose data or
 * header is corrupt, is left unexpanded; the revision check then says it
 * could not inspect it.  Never fails otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pdf_lex.h"
#include "pdf_sigloc.h"
#include "xmalloc.h"

/* Inflate at most cap bytes; NULL when corrupt or over the cap. */
static unsigned char *
inflate_capped(const unsigned char *in, size_t inlen, size_t cap,
	       size_t *outlen)
{
	z_stream z;
	size_t  size = inlen * 4 + 1024, got = 0;
	unsigned char *out;
	int     rc;

	if (size > cap)
		size = cap;
	if (size == 0)
		return NULL;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return NULL;
	out = xmalloc(size);
	z.next_in = (unsigned char *) in;
	z.avail_in = inlen > UINT32_MAX ? UINT32_MAX : (uInt) inlen;
	for (;;) {
		z.next_out = out + got;
		z.avail_out = (uInt) (size - got);
		rc = inflate(&z, Z_NO_FLUSH);
		got = size - z.avail_out;
		if (rc == Z_STREAM_END)
			break;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			goto bad;
		if (z.avail_out == 0) {
			if (size == cap)
				goto bad;
			size = size * 2 > cap ? cap : size * 2;
			out = xrealloc(out, size);
		} else if (z.avail_in == 0 || rc == Z_BUF_ERROR) {
			break;		/* truncated data: keep what there is */
		}
	}
	inflateEnd(&z);
	*outlen = got;
	return out;
bad:
	inflateEnd(&z);
	free(out);
	return NULL;
}

/* Kind, extent and the few keys the revision check reads. */
static void
classify(struct pdf_obj *o)
{
	struct pdf_lex lx;
	struct pdf_tok_span t;

	pdf_lex_init(&lx, o->buf, o->buflen, o->val_start);
	if (pdf_lex_next(&lx, &t) == PDF_T_EOF) {
		o->val_end = o->val_start;
		return;
	}
	o->kind = t.t == PDF_T_DICT_OPEN ? PDF_OBJ_DICT :
	    t.t == PDF_T_ARR_OPEN ? PDF_OBJ_ARRAY : PDF_OBJ_OTHER;
	if (o->kind != PDF_OBJ_DICT) {
		o->val_end = pdf_lex_skip_value(&lx, &t);
		return;
	}
	for (;;) {
		struct pdf_tok_span key, t2, t3;
		struct pdf_lex save;

		if (pdf_lex_next(&lx, &key) != PDF_T_NAME) {
			o->val_end = key.e - o->buf;	/* >> (or the end) */
			return;
		}
		if (pdf_lex_next(&lx, &t) == PDF_T_EOF)
			break;
		if (t.t == PDF_T_NAME) {
			if (pdf_tok_is(&key, "/Type"))
				pdf_tok_name_copy(o->type, sizeof(o->type), &t);
			else if (pdf_tok_is(&key, "/Subtype"))
				pdf_tok_name_copy(o->subtype, sizeof(o->subtype), &t);
			else if (pdf_tok_is(&key, "/FT"))
				pdf_tok_name_copy(o->ft, sizeof(o->ft), &t);
		}
		if (pdf_tok_is(&key, "/Fields"))
			o->has_fields = 1;
		pdf_lex_skip_value(&lx, &t);
		if (t.t == PDF_T_NUM) {		/* N G R is one value */
			save = lx;
			if (!(pdf_lex_next(&lx, &t2) == PDF_T_NUM &&
			      pdf_lex_next(&lx, &t3) == PDF_T_KW &&
			      pdf_tok_is(&t3, "R")))
				lx = save;
		}
	}
	o->val_end = o->buflen;
}

/* Expand container c (a copy: s->objs moves as it grows). */
static size_t
expand_one(const unsigned char *file, size_t flen, struct pdf_sigscan *s,
	   const struct pdf_obj *c, size_t budget)
{
	unsigned char *data;
	size_t  dlen, base = s->nobjs;
	struct pdf_lex lx;
	struct pdf_tok_span t;

	if (c->data_off > flen || c->data_len > flen - c->data_off ||
	    c->n < 0 || c->n > PDF_OBJSTM_MAX_N || c->first < 0 ||
	    s->nobjs + (size_t) c->n > PDF_SIGLOC_MAX_OBJS)
		return 0;
	if (c->filter == PDF_FILTER_FLATE) {
		data = inflate_capped(file + c->data_off, c->data_len, budget, &dlen);
	} else {
		if (c->data_len > budget)
			return 0;
		data = xmalloc(c->data_len + 1);
		memcpy(data, file + c->data_off, c->data_len);
		dlen = c->data_len;
	}
	if (data == NULL)
		return 0;
	if ((uint64_t) c->first > dlen) {
		free(data);
		return 0;
	}
	s->objs = xreallocarray(s->objs, s->nobjs + (size_t) c->n + 1,
				sizeof(*s->objs));
	pdf_lex_init(&lx, data, (size_t) c->first, 0);
	for (int64_t k = 0; k < c->n; k++) {
		int64_t num, rel;
		struct pdf_obj *o;

		if (pdf_lex_next(&lx, &t) != PDF_T_NUM || (num = pdf_tok_uint(&t)) < 0 ||
		    num > UINT32_MAX ||
		    pdf_lex_next(&lx, &t) != PDF_T_NUM || (rel = pdf_tok_uint(&t)) < 0 ||
		    (uint64_t) rel > dlen - (size_t) c->first) {
			s->nobjs = base;	/* a corrupt header: none of it */
			free(data);
			return 0;
		}
		o = &s->objs[s->nobjs++];
		memset(o, 0, sizeof(*o));
		o->num = (uint32_t) num;
		o->off = c->off;
		o->buf = data;
		o->buflen = dlen;
		o->val_start = (size_t) c->first + (size_t) rel;
		classify(o);
	}
	s->bufs = xreallocarray(s->bufs, s->nbufs + 1, sizeof(*s->bufs));
	s->bufs[s->nbufs++] = data;
	return dlen ? dlen : 1;
}

void
pdf_objstm_expand(const unsigned char *buf, size_t len, struct pdf_sigscan *s)
{
	size_t  used = 0, norig = s->nobjs;

	if (s->expanded)
		return;
	s->expanded = 1;
	for (size_t i = 0; i < norig; i++) {
		struct pdf_obj c = s->objs[i];
		size_t  got;

		if (!c.is_stream || strcmp(c.type, "ObjStm") != 0 ||
		    c.filter == PDF_FILTER_OTHER || used >= PDF_OBJSTM_MAX_TOTAL)
			continue;
		got = expand_one(buf, len, s, &c, PDF_OBJSTM_MAX_TOTAL - used);
		if (got) {
			s->objs[i].expanded = 1;
			used += got;
		}
	}
}
