/*
 * pdf_sigloc.c - locate and check PDF signature dictionaries; see
 * pdf_sigloc.h.
 *
 * One pass of pdf_lex over the whole file.  A stack of frames follows
 * dictionaries and arrays; in a dictionary a name at key position names
 * the pending key, and the next complete value (one token, or a closed
 * array or dictionary) is its value.  Tokens that are neither ("5 0 R"
 * leaves "0 R" at key position) are skipped, which is how an indirect
 * reference passes.  "N G obj" resets the stack, so an unbalanced object
 * cannot poison the objects after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "pdf_lex.h"
#include "pdf_sigloc.h"
#include "xmalloc.h"

enum key {
	K_NONE,
	K_OTHER,
	K_BYTERANGE,
	K_CONTENTS,
	K_SUBFILTER,
	K_TYPE,
	K_SUBTYPE,
	K_FT,
	K_M,
	K_LENGTH,
	K_FIELDS,
	K_N,
	K_FIRST,
	K_FILTER,
	K_DECODEPARMS,
	K_ROOT
};

struct frame {
	int     is_dict;
	enum key key;			/* pending key (dictionary) */
	enum key parent_key;		/* key this container is the value of */
	/* dictionary */
	int     has_byterange;
	struct pdf_sigdict sig;
	int64_t length;
	int64_t n, first;
	int64_t root;			/* /Root's object number, or -1 */
	int     filter;
	int     has_fields;
	char    type[24], subtype[24], ft[8];
	/* array */
	uint64_t nums[4];
	int     nnums;
	int     all_uint;
};

struct scan {
	const unsigned char *buf;
	size_t  len;
	struct pdf_sigscan *out;
	struct frame *stack;
	int     depth;
	struct pdf_obj *obj;		/* object being read, or NULL */
	int64_t last_len;		/* /Length of the last closed dictionary */
	size_t  objs_cap;
	size_t  roots_cap;
};

static const struct {
	const char *name;
	enum key key;
} keys[] = {
	{"/ByteRange", K_BYTERANGE},
	{"/Contents", K_CONTENTS},
	{"/SubFilter", K_SUBFILTER},
	{"/Type", K_TYPE},
	{"/Subtype", K_SUBTYPE},
	{"/FT", K_FT},
	{"/M", K_M},
	{"/Length", K_LENGTH},
	{"/Fields", K_FIELDS},
	{"/N", K_N},
	{"/First", K_FIRST},
	{"/Filter", K_FILTER},
	{"/DecodeParms", K_DECODEPARMS},
	{"/Root", K_ROOT},
};

static enum key
key_of(const struct pdf_tok_span *t)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (pdf_tok_is(t, keys[i].name))
			return keys[i].key;
	return K_OTHER;
}

const char *
pdf_sigloc_check_range(const struct pdf_sigdict *s, size_t len)
{
	const uint64_t *r = s->range;

	if (s->nrange != 4)
		return "/ByteRange is not an array of four non-negative integers";
	if (s->contents_end == 0)
		return "no /Contents hex string in the signature dictionary";
	if (r[0] != 0)
		return "byte range does not start at 0";
	if (r[1] > r[2])
		return "byte ranges overlap";
	if (r[2] > len || r[3] > len - r[2])
		return "byte range runs beyond the end of the file";
	if (r[1] != s->contents_off || r[2] != s->contents_end)
		return "byte range gap is not the /Contents string";
	return NULL;
}

/* Decode the /Contents hex string; NULL on a non-hex byte. */
static unsigned char *
hex_decode(const unsigned char *s, const unsigned char *e, size_t *outlen)
{
	unsigned char *out = xmalloc((e - s) / 2 + 1);
	size_t  n = 0;
	int     hi = -1;

	for (; s < e; s++) {
		int     v;

		if (pdf_is_space(*s))
			continue;
		if ((v = hex_digit(*s)) < 0) {
			free(out);
			return NULL;
		}
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (unsigned char) (hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)			/* odd count: a final 0 is implied */
		out[n++] = (unsigned char) (hi << 4);
	*outlen = n;
	return out;
}

/*
 * A signature signs a whole revision, which ends with %%EOF (and perhaps
 * an end of line).  A range that stops short leaves the end of the signed
 * revision, its cross-reference and trailer, unsigned.
 */
static int
ends_revision(const unsigned char *buf, size_t end)
{
	while (end > 0 && pdf_is_space(buf[end - 1]))
		end--;
	return end >= 5 && memcmp(buf + end - 5, "%%EOF", 5) == 0;
}

static int
same_range(const struct pdf_sigdict *a, const struct pdf_sigdict *b)
{
	return a->nrange == 4 && b->nrange == 4 &&
	    memcmp(a->range, b->range, sizeof(a->range)) == 0;
}

static void
emit_sig(struct scan *sc, struct pdf_sigdict *sig)
{
	struct pdf_sigscan *out = sc->out;

	sig->malformed = pdf_sigloc_check_range(sig, sc->len);
	if (sig->malformed == NULL) {
		const unsigned char *hs = sc->buf + sig->contents_off + 1;
		const unsigned char *he = sc->buf + sig->contents_end - 1;

		sig->covered_end = sig->range[2] + sig->range[3];
		if (!ends_revision(sc->buf, (size_t) sig->covered_end))
			sig->malformed = "byte range does not end at the end of a "
			    "revision (%%EOF)";
		else if ((size_t) (he - hs) > PDF_SIGLOC_MAX_CONTENTS)
			sig->malformed = "/Contents is too large";
		else if ((sig->cms = hex_decode(hs, he, &sig->cms_len)) == NULL)
			sig->malformed = "/Contents holds a byte that is not hex";
	}

	/*
	 * A later revision may write the same signature dictionary again;
	 * only one copy can have its /Contents in the gap.  Keep that one.
	 */
	for (size_t i = 0; i < out->nsigs; i++) {
		if (!same_range(&out->sigs[i], sig))
			continue;
		if (out->sigs[i].malformed && !sig->malformed) {
			free(out->sigs[i].cms);
			out->sigs[i] = *sig;
		} else {
			free(sig->cms);
		}
		return;
	}
	if (out->nsigs >= PDF_SIGLOC_MAX_SIGS) {
		free(sig->cms);
		out->error = "too many signature dictionaries";
		return;
	}
	out->sigs = xreallocarray(out->sigs, out->nsigs + 1, sizeof(*out->sigs));
	out->sigs[out->nsigs++] = *sig;
}

static void
frame_push(struct scan *sc, int is_dict, const struct pdf_tok_span *t)
{
	struct frame *f, *parent = sc->depth ? &sc->stack[sc->depth - 1] : NULL;

	f = &sc->stack[sc->depth++];
	memset(f, 0, sizeof(*f));
	f->is_dict = is_dict;
	f->parent_key = parent && parent->is_dict ? parent->key : K_NONE;
	f->length = -1;
	f->n = -1;
	f->first = -1;
	f->root = -1;
	f->all_uint = 1;
	f->sig.dict_off = t->s - sc->buf;
	f->sig.nrange = -1;
}

/* A value for the pending key of the dictionary on top of the stack. */
static void
dict_value(struct scan *sc, const struct pdf_tok_span *t,
	   const struct frame *closed)
{
	struct frame *f;

	if (sc->depth == 0 || !(f = &sc->stack[sc->depth - 1])->is_dict)
		return;
	switch (f->key) {
	case K_BYTERANGE:
		f->has_byterange = 1;
		if (closed && !closed->is_dict && closed->all_uint &&
		    closed->nnums == 4) {
			memcpy(f->sig.range, closed->nums, sizeof(f->sig.range));
			f->sig.nrange = 4;
		}
		break;
	case K_CONTENTS:
		if (t->t == PDF_T_HEX) {
			f->sig.contents_off = t->s - sc->buf;
			f->sig.contents_end = t->e - sc->buf;
		}
		break;
	case K_SUBFILTER:
		if (t->t == PDF_T_NAME)
			pdf_tok_name_copy(f->sig.subfilter, sizeof(f->sig.subfilter), t);
		break;
	case K_TYPE:
		if (t->t == PDF_T_NAME)
			pdf_tok_name_copy(f->type, sizeof(f->type), t);
		break;
	case K_SUBTYPE:
		if (t->t == PDF_T_NAME)
			pdf_tok_name_copy(f->subtype, sizeof(f->subtype), t);
		break;
	case K_FT:
		if (t->t == PDF_T_NAME)
			pdf_tok_name_copy(f->ft, sizeof(f->ft), t);
		break;
	case K_M:
		if (t->t == PDF_T_STR && t->e - t->s >= 2) {
			size_t  n = t->e - t->s - 2;

			if (n >= sizeof(f->sig.m))
				n = sizeof(f->sig.m) - 1;
			memcpy(f->sig.m, t->s + 1, n);
			f->sig.m[n] = 0;
		}
		break;
	case K_LENGTH:
		f->length = pdf_tok_uint(t);
		break;
	case K_FIELDS:
		f->has_fields = 1;
		break;
	case K_N:
		f->n = pdf_tok_uint(t);
		break;
	case K_FIRST:
		f->first = pdf_tok_uint(t);
		break;
	case K_ROOT:			/* the N of "N G R" */
		f->root = pdf_tok_uint(t);
		break;
	case K_FILTER:
		if (t->t == PDF_T_NAME && pdf_tok_is(t, "/FlateDecode") &&
		    f->filter != PDF_FILTER_OTHER)
			f->filter = PDF_FILTER_FLATE;
		else
			f->filter = PDF_FILTER_OTHER;
		break;
	case K_DECODEPARMS:
		f->filter = PDF_FILTER_OTHER;
		break;
	default:
		break;
	}
	f->key = K_NONE;
}

/*
 * A trailer is a dictionary outside any object; an xref stream's
 * dictionary holds the same keys.  Either names the catalog by /Root.
 */
static void
note_root(struct scan *sc, const struct frame *closed)
{
	struct pdf_sigscan *out = sc->out;

	if (closed->root < 0 || closed->root > UINT32_MAX || sc->depth != 0 ||
	    (sc->obj != NULL && strcmp(closed->type, "XRef") != 0))
		return;
	if (out->nroots >= PDF_SIGLOC_MAX_OBJS) {
		out->error = "too many trailers";
		return;
	}
	if (out->nroots == sc->roots_cap) {
		sc->roots_cap = sc->roots_cap ? sc->roots_cap * 2 : 8;
		out->roots = xreallocarray(out->roots, sc->roots_cap,
					   sizeof(*out->roots));
	}
	out->roots[out->nroots].off = closed->sig.dict_off;
	out->roots[out->nroots].num = (uint32_t) closed->root;
	out->nroots++;
}

static void
frame_close(struct scan *sc, const struct pdf_tok_span *t)
{
	struct frame closed = sc->stack[--sc->depth];

	if (closed.is_dict) {
		sc->last_len = closed.length;
		note_root(sc, &closed);
		if (closed.has_byterange) {
			snprintf(closed.sig.type, sizeof(closed.sig.type), "%s",
				 closed.type);
			emit_sig(sc, &closed.sig);
		}
		if (sc->depth == 0 && sc->obj && sc->obj->kind == PDF_OBJ_DICT) {
			memcpy(sc->obj->type, closed.type, sizeof(closed.type));
			memcpy(sc->obj->subtype, closed.subtype,
			       sizeof(closed.subtype));
			memcpy(sc->obj->ft, closed.ft, sizeof(closed.ft));
			sc->obj->has_fields = closed.has_fields;
			sc->obj->filter = (unsigned char) closed.filter;
			sc->obj->n = closed.n;
			sc->obj->first = closed.first;
		}
	}
	if (sc->depth > 0 && !sc->stack[sc->depth - 1].is_dict) {
		struct frame *f = &sc->stack[sc->depth - 1];

		f->all_uint = 0;
		if (f->nnums < 5)
			f->nnums++;
		return;
	}
	dict_value(sc, t, &closed);
}

static void
array_item(struct scan *sc, const struct pdf_tok_span *t)
{
	struct frame *f = &sc->stack[sc->depth - 1];
	int64_t v = pdf_tok_uint(t);

	if (v < 0)
		f->all_uint = 0;
	else if (f->nnums < 4)
		f->nums[f->nnums] = (uint64_t) v;
	if (f->nnums < 5)
		f->nnums++;		/* 5 means "more than four" */
}

static void
obj_begin(struct scan *sc, const struct pdf_tok_span *num, int64_t n,
	  const struct pdf_lex *lx)
{
	struct pdf_sigscan *out = sc->out;

	if (out->nobjs >= PDF_SIGLOC_MAX_OBJS) {
		out->error = "too many objects";
		sc->obj = NULL;
		return;
	}
	if (out->nobjs == sc->objs_cap) {
		sc->objs_cap = sc->objs_cap ? sc->objs_cap * 2 : 64;
		out->objs = xreallocarray(out->objs, sc->objs_cap,
					  sizeof(*out->objs));
	}
	sc->obj = &out->objs[out->nobjs++];
	memset(sc->obj, 0, sizeof(*sc->obj));
	sc->obj->num = (uint32_t) n;
	sc->obj->off = num->s - sc->buf;
	sc->obj->val_start = lx->p - sc->buf;
	sc->obj->val_end = sc->obj->val_start;
	sc->obj->kind = PDF_OBJ_OTHER;
}

void
pdf_sigloc_scan(const unsigned char *buf, size_t len, struct pdf_sigscan *out)
{
	struct scan sc;
	struct pdf_lex lx;
	struct pdf_tok_span t, prev[2];
	int     first_value = 0;

	memset(out, 0, sizeof(*out));
	memset(&sc, 0, sizeof(sc));
	memset(prev, 0, sizeof(prev));
	sc.buf = buf;
	sc.len = len;
	sc.out = out;
	sc.last_len = -1;
	sc.stack = xcalloc(PDF_SIGLOC_MAX_DEPTH, sizeof(*sc.stack));
	pdf_lex_init(&lx, buf, len, 0);

	while (pdf_lex_next(&lx, &t) != PDF_T_EOF && out->error == NULL) {
		struct frame *top = sc.depth ? &sc.stack[sc.depth - 1] : NULL;

		if (first_value && sc.obj) {
			sc.obj->kind = t.t == PDF_T_DICT_OPEN ? PDF_OBJ_DICT :
			    t.t == PDF_T_ARR_OPEN ? PDF_OBJ_ARRAY : PDF_OBJ_OTHER;
			first_value = 0;
		}
		switch (t.t) {
		case PDF_T_DICT_OPEN:
		case PDF_T_ARR_OPEN:
			if (sc.depth == PDF_SIGLOC_MAX_DEPTH) {
				out->error = "objects nested too deeply";
				break;
			}
			frame_push(&sc, t.t == PDF_T_DICT_OPEN, &t);
			break;
		case PDF_T_DICT_CLOSE:
		case PDF_T_ARR_CLOSE:
			/* A mismatched closer drops the frame all the same. */
			if (top)
				frame_close(&sc, &t);
			break;
		case PDF_T_NAME:
			if (top && top->is_dict && top->key == K_NONE)
				top->key = key_of(&t);
			else if (top && top->is_dict)
				dict_value(&sc, &t, NULL);
			else if (top)
				array_item(&sc, &t);
			break;
		case PDF_T_KW:
			if (pdf_tok_is(&t, "obj") && prev[0].t == PDF_T_NUM &&
			    prev[1].t == PDF_T_NUM &&
			    pdf_tok_uint(&prev[0]) >= 0 &&
			    pdf_tok_uint(&prev[1]) >= 0 &&
			    pdf_tok_uint(&prev[0]) <= UINT32_MAX) {
				sc.depth = 0;
				obj_begin(&sc, &prev[0], pdf_tok_uint(&prev[0]),
					  &lx);
				first_value = 1;
				break;
			}
			if (pdf_tok_is(&t, "stream") && sc.depth == 0) {
				if (sc.obj) {
					sc.obj->is_stream = 1;
					sc.obj->val_end = t.s - buf;
					pdf_lex_skip_stream(&lx, sc.last_len,
					    &sc.obj->data_off, &sc.obj->data_len);
				} else {
					pdf_lex_skip_stream(&lx, sc.last_len,
							    NULL, NULL);
				}
				break;
			}
			if (pdf_tok_is(&t, "endobj")) {
				if (sc.obj && !sc.obj->is_stream)
					sc.obj->val_end = t.s - buf;
				sc.obj = NULL;
				sc.depth = 0;
				break;
			}
			/* true, false, null, R are values */
			/* FALLTHROUGH */
		default:
			if (top && top->is_dict && top->key != K_NONE)
				dict_value(&sc, &t, NULL);
			else if (top && !top->is_dict)
				array_item(&sc, &t);
			break;
		}
		if (t.t == PDF_T_DICT_OPEN)
			sc.last_len = -1;
		prev[0] = prev[1];
		prev[1] = t;
	}
	/* Bits of unfinished dictionaries at the end are not signatures. */
	free(sc.stack);
}

void
pdf_sigscan_clear(struct pdf_sigscan *s)
{
	for (size_t i = 0; i < s->nsigs; i++) {
		free(s->sigs[i].cms);
		free(s->sigs[i].modified);
	}
	free(s->sigs);
	free(s->roots);
	free(s->objs);
	for (size_t i = 0; i < s->nbufs; i++)
		free(s->bufs[i]);
	free(s->bufs);
	memset(s, 0, sizeof(*s));
}
