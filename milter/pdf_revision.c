/*
 * pdf_revision.c - what the revisions after a signature change.
 *
 * A signature covers the revision its byte range ends with.  Bytes after
 * it are later incremental updates.  Signing again, or adding validation
 * data, needs a few kinds of change; anything else changes the document
 * the signer saw, and the signature is then reported `modified`, even if
 * it verifies (viewers call it valid; the register must not).
 *
 * A later revision may, without being a modification:
 *   - add objects of any kind except pages, page trees, annotations other
 *     than signature widgets, and form fields other than signature fields;
 *     a widget without /FT is a signature's only when the nearest /FT up
 *     its /Parent chain is /Sig (a widget under a text field fills the
 *     text field), and a chain that cannot be followed is not;
 *   - rewrite a signature dictionary, a DSS or VRI dictionary, an xref
 *     stream, the AcroForm dictionary (a dictionary with /Fields), a
 *     signature field or widget, or the document information dictionary
 *     (metadata: dates, producer), each only as what it was in the signed
 *     revision: a content stream whose new dictionary says /Type /Sig
 *     is still a content stream;
 *   - rewrite the catalog (whatever its object number) changing only
 *     /AcroForm, /DSS, /Extensions, /Perms, /Metadata, /Names;
 *   - rewrite a page changing only /Annots;
 *   - rewrite an array only by appending to it (an indirect /Annots or
 *     /Fields array), unless a page's /Contents or a page tree's /Kids
 *     refers to it.
 * A later trailer (or xref stream) that names another catalog than the
 * signed revision's is a modification too, even when it writes no object:
 * the signed revision may carry a second catalog nothing used until then.
 * Everything else that is rewritten, in particular a content stream, a
 * page tree or a font, is a modification.  Objects inside object streams
 * (pdf_objstm.c) are judged like the others, at the place of their
 * stream; an object stream that cannot be read, in a later revision, is a
 * modification, since what it changes cannot be known.
 *
 * Failure: none; a file too odd to judge gets a `modified` reason saying so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_lex.h"
#include "pdf_sigloc.h"
#include "xmalloc.h"

#define MAX_ENTRIES	128

struct entry {
	const unsigned char *k, *ke;	/* key name */
	size_t  vs, ve;			/* value span */
};

/*
 * Split the dictionary at off into key/value spans; "N G R" is one value.
 * Returns the number of entries, -1 when it is not a dictionary or has
 * more than MAX_ENTRIES.
 */
static int
dict_entries(const unsigned char *buf, size_t len, size_t off, size_t end,
	     struct entry *ents)
{
	struct pdf_lex lx;
	struct pdf_tok_span t;
	int     n = 0;

	pdf_lex_init(&lx, buf, end < len ? end : len, off);
	if (pdf_lex_next(&lx, &t) != PDF_T_DICT_OPEN)
		return -1;
	for (;;) {
		struct pdf_lex save;
		struct pdf_tok_span t2, t3;

		if (pdf_lex_next(&lx, &t) == PDF_T_DICT_CLOSE)
			return n;
		if (t.t != PDF_T_NAME || n == MAX_ENTRIES)
			return -1;
		ents[n].k = t.s;
		ents[n].ke = t.e;
		if (pdf_lex_next(&lx, &t) == PDF_T_EOF || t.t == PDF_T_BAD ||
		    t.t == PDF_T_DICT_CLOSE || t.t == PDF_T_ARR_CLOSE)
			return -1;
		ents[n].vs = t.s - buf;
		ents[n].ve = pdf_lex_skip_value(&lx, &t);
		if (t.t == PDF_T_NUM) {
			save = lx;
			if (pdf_lex_next(&lx, &t2) == PDF_T_NUM &&
			    pdf_lex_next(&lx, &t3) == PDF_T_KW &&
			    pdf_tok_is(&t3, "R"))
				ents[n].ve = t3.e - buf;
			else
				lx = save;
		}
		n++;
	}
}

/* Token by token equality of two spans (white space does not count). */
static int
spans_equal(const unsigned char *abuf, size_t as, size_t ae,
	    const unsigned char *bbuf, size_t bs, size_t be, int prefix_only)
{
	struct pdf_lex la, lb;
	struct pdf_tok_span ta, tb;

	pdf_lex_init(&la, abuf, ae, as);
	pdf_lex_init(&lb, bbuf, be, bs);
	for (;;) {
		pdf_lex_next(&la, &ta);
		pdf_lex_next(&lb, &tb);
		if (prefix_only && ta.t == PDF_T_ARR_CLOSE)
			return 1;	/* the old array ended: b only grew */
		if (ta.t != tb.t || ta.e - ta.s != tb.e - tb.s ||
		    memcmp(ta.s, tb.s, ta.e - ta.s) != 0)
			return 0;
		if (ta.t == PDF_T_EOF)
			return 1;
	}
}

static int
name_in(const unsigned char *k, const unsigned char *ke, const char *const *list)
{
	for (; *list; list++)
		if ((size_t) (ke - k) == strlen(*list) &&
		    memcmp(k, *list, ke - k) == 0)
			return 1;
	return 0;
}

/* The bytes an object's offsets refer to. */
static const unsigned char *
obj_bytes(const unsigned char *file, size_t flen, const struct pdf_obj *o,
	  size_t *len)
{
	*len = o->buf ? o->buflen : flen;
	return o->buf ? o->buf : file;
}

/*
 * Do the two dictionaries differ only in the keys of `free_keys`?
 * 1 yes, 0 no; *which gets the first differing key (static storage of
 * the caller's buffer).
 */
static int
dicts_equal_but(const unsigned char *buf, size_t len, const struct pdf_obj *a,
		const struct pdf_obj *b, const char *const *free_keys,
		char *which, size_t wsize)
{
	struct entry *ea = xcalloc(2 * MAX_ENTRIES, sizeof(*ea));
	struct entry *eb = ea + MAX_ENTRIES;
	int     na, nb, ok = 1;
	size_t  alen, blen;
	const unsigned char *abuf = obj_bytes(buf, len, a, &alen);
	const unsigned char *bbuf = obj_bytes(buf, len, b, &blen);

	na = dict_entries(abuf, alen, a->val_start, a->val_end, ea);
	nb = dict_entries(bbuf, blen, b->val_start, b->val_end, eb);
	if (na < 0 || nb < 0) {
		snprintf(which, wsize, "(unreadable dictionary)");
		free(ea);
		return 0;
	}
	for (int pass = 0; pass < 2 && ok; pass++) {
		struct entry *x = pass ? eb : ea, *y = pass ? ea : eb;
		int     nx = pass ? nb : na, ny = pass ? na : nb;
		const unsigned char *xb = pass ? bbuf : abuf;
		const unsigned char *yb = pass ? abuf : bbuf;

		for (int i = 0; i < nx && ok; i++) {
			int     j;

			if (name_in(x[i].k, x[i].ke, free_keys))
				continue;
			for (j = 0; j < ny; j++)
				if (y[j].ke - y[j].k == x[i].ke - x[i].k &&
				    memcmp(y[j].k, x[i].k, x[i].ke - x[i].k) == 0)
					break;
			if (j == ny || !spans_equal(xb, x[i].vs, x[i].ve,
						   yb, y[j].vs, y[j].ve, 0)) {
				int     kl = (int) (x[i].ke - x[i].k);

				snprintf(which, wsize, "%.*s", kl > 40 ? 40 : kl,
					 (const char *) x[i].k);
				ok = 0;
			}
		}
	}
	free(ea);
	return ok;
}

/* A document information dictionary: only the keys of §14.3.3. */
static int
is_info_dict(const unsigned char *buf, size_t len, const struct pdf_obj *o)
{
	static const char *const info_keys[] = {"/Title", "/Author",
	"/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate",
	"/ModDate", "/Trapped", NULL};
	struct entry *e;
	int     n, ok;

	if (o->kind != PDF_OBJ_DICT || o->is_stream || o->type[0])
		return 0;
	buf = obj_bytes(buf, len, o, &len);
	e = xcalloc(MAX_ENTRIES, sizeof(*e));
	n = dict_entries(buf, len, o->val_start, o->val_end, e);
	ok = n > 0;
	for (int i = 0; i < n && ok; i++)
		ok = name_in(e[i].k, e[i].ke, info_keys);
	free(e);
	return ok;
}

static int
by_num_then_off(const void *a, const void *b)
{
	const struct pdf_obj *x = *(struct pdf_obj *const *) a;
	const struct pdf_obj *y = *(struct pdf_obj *const *) b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The last definition of num that starts before `end`, or NULL.  A binary
 * search for the first entry past it: a file that defines one number
 * again and again costs no more than any other.
 */
static const struct pdf_obj *
old_definition(struct pdf_obj **index, size_t n, uint32_t num, size_t end)
{
	size_t  lo = 0, hi = n;

	while (lo < hi) {
		size_t  mid = lo + (hi - lo) / 2;

		if (index[mid]->num < num ||
		    (index[mid]->num == num && index[mid]->off < end))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && index[lo - 1]->num == num)
		return index[lo - 1];
	return NULL;
}

static const struct pdf_obj *
old_catalog(const struct pdf_sigscan *s, size_t end)
{
	const struct pdf_obj *found = NULL;

	/* File order, then the expanded objects, each at its container. */
	for (size_t i = 0; i < s->nobjs; i++)
		if (s->objs[i].off < end && strcmp(s->objs[i].type, "Catalog") == 0 &&
		    (found == NULL || s->objs[i].off >= found->off))
			found = &s->objs[i];
	return found;
}

static int
is_typeless_widget(const struct pdf_obj *o)
{
	return strcmp(o->subtype, "Widget") == 0 && o->ft[0] == 0;
}

/*
 * A signature field or widget, as far as the object itself tells: a widget
 * without /FT may belong to a signature field up its /Parent chain, which
 * widget_field() then decides.
 */
static int
is_sig_field(const struct pdf_obj *o)
{
	return strcmp(o->ft, "Sig") == 0 || is_typeless_widget(o);
}

/*
 * An annotation: /Type /Annot, or, since that entry is optional, one of
 * the annotation subtypes of ISO 32000-2 §12.5.6.  No other dictionary a
 * PDF holds (fonts, images, forms, metadata) uses these subtypes.
 */
static int
is_annotation(const struct pdf_obj *o)
{
	static const char *const subtypes[] = {"Text", "Link", "FreeText",
	"Line", "Square", "Circle", "Polygon", "PolyLine", "Highlight",
	"Underline", "Squiggly", "StrikeOut", "Caret", "Stamp", "Ink",
	"Popup", "FileAttachment", "Sound", "Movie", "Screen", "Widget",
	"PrinterMark", "TrapNet", "Watermark", "3D", "Redact", "Projection",
	"RichMedia", NULL};

	if (strcmp(o->type, "Annot") == 0)
		return 1;
	if (o->type[0] != 0 || o->is_stream)
		return 0;
	for (const char *const *p = subtypes; *p; p++)
		if (strcmp(o->subtype, *p) == 0)
			return 1;
	return 0;
}

static int
type_is(const struct pdf_obj *o, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(o->type, *list) == 0)
			return 1;
	return 0;
}

/*
 * May o, which rewrites old, do so without changing the document?  Only
 * when both are the same kind of plumbing; what old was decides, since
 * viewers ignore the extra keys that make a page or a content stream look
 * like a signature, a widget or an AcroForm.
 */
static int
same_plumbing(const unsigned char *buf, size_t len, const struct pdf_obj *old,
	      const struct pdf_obj *o)
{
	static const char *const vri[] = {"Sig", "DocTimeStamp", "DSS", "VRI",
	"XRef", NULL};

	if (o->is_stream != old->is_stream || o->kind != old->kind)
		return 0;
	if (type_is(o, vri))
		return strcmp(o->type, old->type) == 0;
	if (is_sig_field(o))
		return is_sig_field(old);
	if (o->has_fields && o->type[0] == 0)
		return old->has_fields && old->type[0] == 0;
	return is_info_dict(buf, len, o) && is_info_dict(buf, len, old);
}

/*
 * The arrays a page draws or a page tree lists: the object numbers that a
 * /Contents or a page tree's /Kids refers to.  Such an array may not grow,
 * unlike an /Annots or /Fields array: one more element is more text on
 * the page, or one more page.  Built once, when a rewritten array first
 * needs it.
 */
struct page_arrays {
	uint32_t *nums;
	size_t  n;
	int     built;
};

/* The object number of a value span "N G R", or -1. */
static int64_t
ref_num(const unsigned char *buf, size_t vs, size_t ve)
{
	struct pdf_lex lx;
	struct pdf_tok_span n, g, r, eof;

	pdf_lex_init(&lx, buf, ve, vs);
	if (pdf_lex_next(&lx, &n) != PDF_T_NUM ||
	    pdf_lex_next(&lx, &g) != PDF_T_NUM ||
	    pdf_lex_next(&lx, &r) != PDF_T_KW || !pdf_tok_is(&r, "R") ||
	    pdf_lex_next(&lx, &eof) != PDF_T_EOF || pdf_tok_uint(&g) < 0)
		return -1;
	return pdf_tok_uint(&n);
}

/*
 * The /Parent of the dictionary o: 1 and its number in *num, 0 when there
 * is none, -1 when o cannot be read, or /Parent is not one reference.
 */
static int
parent_of(const unsigned char *buf, size_t len, const struct pdf_obj *o,
	  struct entry *e, uint32_t *num)
{
	const unsigned char *ob;
	size_t  ol;
	int     n, found = 0;

	if (o->kind != PDF_OBJ_DICT || o->is_stream)
		return -1;
	ob = obj_bytes(buf, len, o, &ol);
	if ((n = dict_entries(ob, ol, o->val_start, o->val_end, e)) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		static const char *const parent[] = {"/Parent", NULL};
		int64_t ref;

		if (!name_in(e[i].k, e[i].ke, parent))
			continue;
		/* Two of them: which one a viewer takes is anyone's guess. */
		if (found || (ref = ref_num(ob, e[i].vs, e[i].ve)) < 0 ||
		    ref > UINT32_MAX)
			return -1;
		*num = (uint32_t) ref;
		found = 1;
	}
	return found;
}

#define MAX_FIELD_DEPTH	32

/*
 * The nearest field up the /Parent chain of w that has a /FT, each parent
 * as defined before `end`.  NULL when there is none: *none is then 1 when
 * the chain ends without a type, 0 when it cannot be followed (a missing
 * or unreadable parent, a cycle, more than MAX_FIELD_DEPTH levels).
 */
static const struct pdf_obj *
typed_ancestor(const unsigned char *buf, size_t len,
	       const struct pdf_sigscan *s, struct pdf_obj **index,
	       const struct pdf_obj *w, size_t end, int *none)
{
	struct entry *e = xcalloc(MAX_ENTRIES, sizeof(*e));
	uint32_t seen[MAX_FIELD_DEPTH];
	const struct pdf_obj *o = w, *found = NULL;

	*none = 0;
	for (int depth = 0; depth < MAX_FIELD_DEPTH; depth++) {
		uint32_t num;
		int     r, i;

		if ((r = parent_of(buf, len, o, e, &num)) <= 0) {
			*none = r == 0;
			break;
		}
		seen[depth] = o->num;
		for (i = 0; i <= depth && seen[i] != num; i++)
			;
		if (i <= depth)
			break;		/* a cycle */
		if ((o = old_definition(index, s->nobjs, num, end)) == NULL ||
		    o->kind != PDF_OBJ_DICT || o->is_stream)
			break;		/* no field a viewer would take */
		if (o->ft[0]) {
			found = o;
			break;
		}
	}
	free(e);
	return found;
}

/*
 * Why the widget w, which has no /FT, is not a signature's, or NULL when
 * its field is a signature field.  Parents are looked up as defined before
 * `end`: the signed revision for what w was, the whole file for what a
 * later revision makes of it (the newest definitions, as viewers take
 * them: a parent added later may be written again as anything, since a
 * new object without a type passes).  A chain that cannot be followed
 * counts as no signature's: hostile files must not pass by being odd.
 */
static char *
widget_field(const unsigned char *buf, size_t len, const struct pdf_sigscan *s,
	     struct pdf_obj **index, const struct pdf_obj *w, size_t end)
{
	const struct pdf_obj *f;
	int     none;

	if ((f = typed_ancestor(buf, len, s, index, w, end, &none)) != NULL)
		return strcmp(f->ft, "Sig") == 0 ? NULL :
		    xasprintf("object %u: a widget of a %s field", w->num,
			      f->ft);
	if (none)
		return xasprintf("object %u: a widget of a field without a "
				 "type", w->num);
	return xasprintf("object %u: a widget whose field cannot be found",
			 w->num);
}

static int
by_num(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

static void
page_arrays_build(const unsigned char *buf, size_t len,
		  const struct pdf_sigscan *s, struct page_arrays *pa)
{
	struct entry *e = xcalloc(MAX_ENTRIES, sizeof(*e));
	size_t  cap = 0;

	pa->built = 1;
	for (size_t i = 0; i < s->nobjs; i++) {
		const struct pdf_obj *o = &s->objs[i];
		const unsigned char *ob;
		size_t  ol;
		int     n;

		/* Form fields have /Kids too; theirs may grow. */
		if (o->kind != PDF_OBJ_DICT || o->is_stream || o->ft[0] ||
		    strcmp(o->subtype, "Widget") == 0)
			continue;
		ob = obj_bytes(buf, len, o, &ol);
		n = dict_entries(ob, ol, o->val_start, o->val_end, e);
		for (int k = 0; k < n; k++) {
			static const char *const keys[] = {"/Contents", "/Kids",
			NULL};
			int64_t num;

			if (!name_in(e[k].k, e[k].ke, keys) ||
			    (num = ref_num(ob, e[k].vs, e[k].ve)) < 0 ||
			    num > UINT32_MAX)
				continue;
			if (pa->n == cap) {
				cap = cap ? cap * 2 : 64;
				pa->nums = xreallocarray(pa->nums, cap,
							 sizeof(*pa->nums));
			}
			pa->nums[pa->n++] = (uint32_t) num;
		}
	}
	free(e);
	if (pa->n > 0)
		qsort(pa->nums, pa->n, sizeof(*pa->nums), by_num);
}

static int
is_page_array(const unsigned char *buf, size_t len,
	      const struct pdf_sigscan *s, struct page_arrays *pa, uint32_t num)
{
	if (!pa->built)
		page_arrays_build(buf, len, s, pa);
	return pa->n > 0 && bsearch(&num, pa->nums, pa->n, sizeof(*pa->nums),
				    by_num) != NULL;
}

/* Why the appended object o modifies the document, or NULL. */
static char *
judge(const unsigned char *buf, size_t len, const struct pdf_sigscan *s,
      struct pdf_obj **index, struct page_arrays *pa, const struct pdf_obj *o,
      size_t end)
{
	static const char *const catalog_keys[] = {"/AcroForm", "/DSS",
	"/Extensions", "/Perms", "/Metadata", "/Names", NULL};
	static const char *const page_keys[] = {"/Annots", NULL};
	const struct pdf_obj *old;
	char    which[48], *why;

	if (strcmp(o->type, "ObjStm") == 0 && o->expanded)
		return NULL;		/* its objects are judged one by one */
	if (strcmp(o->type, "ObjStm") == 0)
		return xasprintf("object %u: a later revision packs objects "
				 "into an object stream, which is not inspected",
				 o->num);
	if (strcmp(o->type, "Catalog") == 0) {
		if ((old = old_catalog(s, end)) == NULL)
			return xasprintf("object %u: a catalog where the signed "
					 "revision had none", o->num);
		if (!dicts_equal_but(buf, len, old, o, catalog_keys, which,
				     sizeof(which)))
			return xasprintf("object %u: the catalog changes %s",
					 o->num, which);
		return NULL;
	}
	if (is_annotation(o) && !is_sig_field(o))
		return xasprintf("object %u: a %s annotation", o->num,
				 o->subtype[0] ? o->subtype : "new");
	if (o->ft[0] && strcmp(o->ft, "Sig") != 0)
		return xasprintf("object %u: a form field of type %s", o->num,
				 o->ft);
	if (is_typeless_widget(o) &&
	    (why = widget_field(buf, len, s, index, o, SIZE_MAX)) != NULL)
		return why;
	old = old_definition(index, s->nobjs, o->num, end);
	if (old == NULL) {
		if (strcmp(o->type, "Page") == 0 || strcmp(o->type, "Pages") == 0)
			return xasprintf("object %u: a new page", o->num);
		return NULL;		/* new objects are inert unless used */
	}
	/* A widget written again must have been a signature's when signed. */
	if (is_typeless_widget(old) &&
	    (why = widget_field(buf, len, s, index, old, end)) != NULL)
		return why;
	if (same_plumbing(buf, len, old, o))
		return NULL;
	if (strcmp(o->type, "Page") == 0 && strcmp(old->type, "Page") == 0) {
		if (!dicts_equal_but(buf, len, old, o, page_keys, which,
				     sizeof(which)))
			return xasprintf("object %u: the page changes %s",
					 o->num, which);
		return NULL;
	}
	if (o->kind == PDF_OBJ_ARRAY && old->kind == PDF_OBJ_ARRAY) {
		size_t  ol, nl;
		const unsigned char *ob = obj_bytes(buf, len, old, &ol);
		const unsigned char *nb = obj_bytes(buf, len, o, &nl);

		if (spans_equal(ob, old->val_start, old->val_end, nb,
				o->val_start, o->val_end, 1)) {
			if (is_page_array(buf, len, s, pa, o->num))
				return xasprintf("object %u: an array of page "
						 "contents or pages grows", o->num);
			return NULL;
		}
	}
	/* Named for what it was: the new copy may claim to be anything. */
	if (old->is_stream && old->type[0] == 0)
		return xasprintf("object %u: a stream (page content or "
				 "resource) is rewritten", o->num);
	return xasprintf("object %u%s%s is rewritten", o->num,
			 old->type[0] ? ", of type " : "", old->type);
}

/* A trailer after `end` naming another catalog than the signed one. */
static char *
judge_roots(const struct pdf_sigscan *s, size_t end)
{
	const struct pdf_root *signed_root = NULL;

	for (size_t i = 0; i < s->nroots && s->roots[i].off < end; i++)
		signed_root = &s->roots[i];
	if (signed_root == NULL)
		return NULL;		/* nothing to compare with */
	for (size_t i = 0; i < s->nroots; i++)
		if (s->roots[i].off >= end &&
		    s->roots[i].num != signed_root->num)
			return xasprintf("the trailer names another catalog, "
					 "object %u", s->roots[i].num);
	return NULL;
}

void
pdf_revision_check(const unsigned char *buf, size_t len, struct pdf_sigscan *s)
{
	struct pdf_obj **index = NULL;
	struct page_arrays pa;

	memset(&pa, 0, sizeof(pa));
	for (size_t i = 0; i < s->nsigs; i++) {
		struct pdf_sigdict *sig = &s->sigs[i];
		size_t  end, p;

		if (sig->malformed)
			continue;
		end = (size_t) sig->covered_end;
		for (p = end; p < len && pdf_is_space(buf[p]); p++)
			;
		if (p == len) {
			sig->covers_whole_file = 1;
			continue;
		}
		if (index == NULL) {
			pdf_objstm_expand(buf, len, s);
			index = xreallocarray(NULL, s->nobjs ? s->nobjs : 1,
					      sizeof(*index));
			for (size_t j = 0; j < s->nobjs; j++)
				index[j] = &s->objs[j];
			qsort(index, s->nobjs, sizeof(*index), by_num_then_off);
		}
		sig->modified = judge_roots(s, end);
		for (size_t j = 0; j < s->nobjs && !sig->modified; j++)
			if (s->objs[j].off >= end)
				sig->modified = judge(buf, len, s, index, &pa,
						      &s->objs[j], end);
		if (!sig->modified && s->error)
			sig->modified = xasprintf("later revisions not fully "
						  "read: %s", s->error);
	}
	free(index);
	free(pa.nums);
}
