/*
 * aw_entity.c - split one MIME entity into parsed headers and body; see
 * aw_entity.h.
 *
 * Header lines end in LF or CRLF; a line starting with a blank continues
 * the previous field.  The header ends at the first empty line, or at the
 * first line that is not a field ("name:" with a printable name): such a
 * part had no header and its body starts there.  Parameters come from
 * libetpan when it reads the whole value, else from a lenient reader of
 * our own, since real mailers leave 8-bit names with blanks unquoted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "aw_entity.h"
#include "aw_names.h"
#include "xmalloc.h"

struct value {
	char   *p;
	size_t  len;
	int     seen;
};

static void
value_add(struct value *v, const char *s, size_t n)
{
	if (v->len + n > ENTITY_VALUE_MAX)
		n = ENTITY_VALUE_MAX - v->len;
	if (n == 0)
		return;
	v->p = xrealloc(v->p, v->len + n + 1);
	for (size_t i = 0; i < n; i++)
		v->p[v->len + i] = s[i] ? s[i] : (char) 0xff;
	v->len += n;
	v->p[v->len] = 0;
}

enum {
	H_TYPE, H_DISP, H_ENC, H_SUBJECT, H_CID, H__COUNT
};

static const char *const hnames[H__COUNT] = {
	"content-type", "content-disposition", "content-transfer-encoding",
	"subject", "content-id"
};

/* Whether line[0..n) is "name:" + value; *colon gets the colon. */
static int
field_line(const char *line, size_t n, const char **colon)
{
	const char *c = memchr(line, ':', n);
	size_t  nl;

	if (c == NULL || c == line)
		return 0;
	nl = c - line;
	while (nl > 0 && (line[nl - 1] == ' ' || line[nl - 1] == '\t'))
		nl--;
	if (nl == 0)
		return 0;
	for (size_t i = 0; i < nl; i++)
		if ((unsigned char) line[i] <= 0x20 ||
		    (unsigned char) line[i] >= 0x7f)
			return 0;
	*colon = c;
	return 1;
}

static int
field_is(const char *line, const char *colon, const char *name)
{
	size_t  nl = colon - line, want = strlen(name);

	while (nl > 0 && (line[nl - 1] == ' ' || line[nl - 1] == '\t'))
		nl--;
	return nl == want && strncasecmp(line, name, nl) == 0;
}

int
aw_entity_mime_head(const char *p, size_t len)
{
	size_t  i = 0, nfields = 0;
	int     mime = 0;

	while (i < len) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t  eol, n;
		const char *colon;

		if (nl == NULL)
			return 0;	/* no end of the header block */
		eol = (size_t) (nl - p);
		n = eol - i;
		if (n > 0 && p[eol - 1] == '\r')
			n--;
		if (n == 0)
			return nfields > 0 && mime;
		if (p[i] == ' ' || p[i] == '\t') {
			if (nfields == 0)
				return 0;
		} else if (!field_line(p + i, n, &colon)) {
			return 0;
		} else {
			if (field_is(p + i, colon, "mime-version") ||
			    field_is(p + i, colon, "content-type"))
				mime = 1;
			nfields++;
		}
		i = eol + 1;
	}
	return 0;
}

/* Collect the wanted header values; returns the offset of the body. */
static size_t
scan_headers(const char *p, size_t len, int skip_from, struct value *v)
{
	struct value *cur = NULL;
	size_t  i = 0;

	if (skip_from && len >= 5 && memcmp(p, "From ", 5) == 0) {
		const char *nl = memchr(p, '\n', len);

		i = nl ? (size_t) (nl - p) + 1 : len;
	}
	while (i < len) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t  eol = nl ? (size_t) (nl - p) : len;
		size_t  next = nl ? eol + 1 : len;
		size_t  n = eol - i;
		const char *colon;

		if (n > 0 && p[eol - 1] == '\r')
			n--;
		if (n == 0)
			return next;
		if (p[i] == ' ' || p[i] == '\t') {
			if (cur != NULL)
				value_add(cur, p + i, n);
			i = next;
			continue;
		}
		if (!field_line(p + i, n, &colon))
			return i;
		cur = NULL;
		for (int h = 0; h < H__COUNT; h++) {
			if (!v[h].seen && field_is(p + i, colon, hnames[h])) {
				v[h].seen = 1;
				cur = &v[h];
				{
					const char *vs = colon + 1;

					while (vs < p + i + n &&
					       (*vs == ' ' || *vs == '\t'))
						vs++;
					value_add(cur, vs, p + i + n - vs);
				}
				if (cur->p == NULL)
					value_add(cur, " ", 1);
				break;
			}
		}
		i = next;
	}
	return len;
}

static void
lower(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
		else if ((unsigned char) *s <= 0x20 || (unsigned char) *s >= 0x7f)
			*s = '?';
	}
}

static char *
type_string(const struct mailmime_content *c)
{
	const struct mailmime_type *t = c->ct_type;
	const char *major = "application";
	char   *s;

	if (t != NULL && t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		const struct mailmime_discrete_type *d =
		    t->tp_data.tp_discrete_type;

		switch (d->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT:
			major = "text";
			break;
		case MAILMIME_DISCRETE_TYPE_IMAGE:
			major = "image";
			break;
		case MAILMIME_DISCRETE_TYPE_AUDIO:
			major = "audio";
			break;
		case MAILMIME_DISCRETE_TYPE_VIDEO:
			major = "video";
			break;
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			if (d->dt_extension)
				major = d->dt_extension;
			break;
		}
	} else if (t != NULL && t->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE) {
		const struct mailmime_composite_type *m =
		    t->tp_data.tp_composite_type;

		if (m->ct_type == MAILMIME_COMPOSITE_TYPE_MESSAGE)
			major = "message";
		else if (m->ct_type == MAILMIME_COMPOSITE_TYPE_MULTIPART)
			major = "multipart";
		else if (m->ct_token)
			major = m->ct_token;
	}
	s = xasprintf("%.60s/%.60s", major,
		      c->ct_subtype ? c->ct_subtype : "octet-stream");
	lower(s);
	return s;
}

/* Up to n parameters into pa[]; returns how many. */
static size_t
params_content(const struct mailmime_content *c, struct aw_param *pa,
	       size_t n)
{
	size_t  k = 0;

	if (c->ct_parameters == NULL)
		return 0;
	for (clistiter *it = clist_begin(c->ct_parameters);
	     it != NULL && k < n; it = clist_next(it)) {
		const struct mailmime_parameter *p = clist_content(it);

		pa[k].name = p->pa_name;
		pa[k].value = p->pa_value;
		k++;
	}
	return k;
}

static size_t
params_disp(const struct mailmime_disposition *d, struct aw_param *pa,
	    size_t n)
{
	size_t  k = 0;

	if (d->dsp_parms == NULL)
		return 0;
	for (clistiter *it = clist_begin(d->dsp_parms);
	     it != NULL && k < n; it = clist_next(it)) {
		const struct mailmime_disposition_parm *p = clist_content(it);

		if (p->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME) {
			pa[k].name = "filename";
			pa[k].value = p->pa_data.pa_filename;
			k++;
		} else if (p->pa_type == MAILMIME_DISPOSITION_PARM_PARAMETER) {
			pa[k].name = p->pa_data.pa_parameter->pa_name;
			pa[k].value = p->pa_data.pa_parameter->pa_value;
			k++;
		}
	}
	return k;
}

static char *
param_get(const struct aw_param *pa, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (pa[i].name && pa[i].value && strcasecmp(pa[i].name, name) == 0)
			return xstrdup(pa[i].value);
	return NULL;
}

#define MAX_PARAMS	256

/* Whether libetpan read the whole value: only blanks and ';' remain. */
static int
parsed_whole(const char *s, size_t len, size_t idx)
{
	for (; idx < len; idx++)
		if (s[idx] != ' ' && s[idx] != '\t' && s[idx] != ';')
			return 0;
	return 1;
}

/*
 * Parameters read leniently, for values libetpan stops short on: a value
 * with blanks or 8-bit bytes left unquoted (filename=Quyết định.pdf), a
 * quote never closed.  Names and values are copied into *scratch, which
 * the caller frees.
 */
static size_t
params_lenient(const char *s, struct aw_param *pa, size_t n, char **scratch)
{
	size_t  len = strlen(s), k = 0;
	char   *o = xmalloc(2 * len + 2);
	const char *p = strchr(s, ';');

	*scratch = o;
	if (p == NULL)
		return 0;
	p++;
	while (*p && k < n) {
		const char *name, *ne;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		name = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		if (*p != '=')
			continue;
		ne = p;
		while (ne > name && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		pa[k].name = o;
		memcpy(o, name, ne - name);
		o += ne - name;
		*o++ = 0;
		pa[k].value = o;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p;
			}
			while (*p && *p != ';')
				p++;
		} else {
			const char *vs = p, *ve;

			while (*p && *p != ';')
				p++;
			ve = p;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			memcpy(o, vs, ve - vs);
			o += ve - vs;
		}
		*o++ = 0;
		k++;
	}
	return k;
}

static void
parse_content(struct entity *e, const struct value *v)
{
	struct mailmime_content *c = NULL;
	struct aw_param pa[MAX_PARAMS];
	size_t  idx = 0, n;
	char   *raw, *scratch = NULL;

	if (mailmime_content_parse(v->p, v->len, &idx, &c) != MAILIMF_NO_ERROR)
		c = NULL;
	if (c != NULL) {
		free(e->declared);
		e->declared = type_string(c);
	} else {
		/* Keep what looks like type/subtype. */
		const char *s = v->p;
		size_t  k;

		while (*s == ' ' || *s == '\t')
			s++;
		k = strcspn(s, "; \t");
		if (k > 0 && k < 121 && memchr(s, '/', k) != NULL) {
			free(e->declared);
			e->declared = xstrndup(s, k);
			lower(e->declared);
		}
	}
	if (c != NULL && parsed_whole(v->p, v->len, idx))
		n = params_content(c, pa, MAX_PARAMS);
	else
		n = params_lenient(v->p, pa, MAX_PARAMS, &scratch);
	e->boundary = param_get(pa, n, "boundary");
	e->smime_type = param_get(pa, n, "smime-type");
	if (e->smime_type)
		lower(e->smime_type);
	if (e->name == NULL && (raw = aw_name_from_params(pa, n, "name"))) {
		e->name = aw_name_safe(raw);
		free(raw);
	}
	free(scratch);
	if (c != NULL)
		mailmime_content_free(c);
}

static void
parse_disposition(struct entity *e, const struct value *v)
{
	struct mailmime_disposition *d = NULL;
	struct aw_param pa[MAX_PARAMS];
	size_t  idx = 0, n;
	char   *raw, *scratch = NULL;

	if (mailmime_disposition_parse(v->p, v->len, &idx, &d) !=
	    MAILIMF_NO_ERROR)
		d = NULL;
	if (d != NULL && d->dsp_type != NULL) {
		if (d->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			e->disp = DISP_ATTACHMENT;
		else if (d->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_INLINE)
			e->disp = DISP_INLINE;
	} else {
		const char *s = v->p;

		while (*s == ' ' || *s == '\t')
			s++;
		if (strncasecmp(s, "attachment", 10) == 0)
			e->disp = DISP_ATTACHMENT;
		else if (strncasecmp(s, "inline", 6) == 0)
			e->disp = DISP_INLINE;
	}
	if (d != NULL && parsed_whole(v->p, v->len, idx))
		n = params_disp(d, pa, MAX_PARAMS);
	else
		n = params_lenient(v->p, pa, MAX_PARAMS, &scratch);
	if ((raw = aw_name_from_params(pa, n, "filename")) != NULL) {
		e->name = aw_name_safe(raw);
		free(raw);
	}
	free(scratch);
	if (d != NULL)
		mailmime_disposition_free(d);
}

static void
parse_encoding(struct entity *e, const struct value *v)
{
	struct mailmime_mechanism *m = NULL;
	size_t  idx = 0;

	if (mailmime_encoding_parse(v->p, v->len, &idx, &m) != MAILIMF_NO_ERROR ||
	    m == NULL) {
		e->enc = ENC_OTHER;
		e->enc_token = xstrdup("unreadable");
		return;
	}
	switch (m->enc_type) {
	case MAILMIME_MECHANISM_BASE64:
		e->enc = ENC_BASE64;
		break;
	case MAILMIME_MECHANISM_QUOTED_PRINTABLE:
		e->enc = ENC_QP;
		break;
	case MAILMIME_MECHANISM_TOKEN:
		e->enc = ENC_OTHER;
		e->enc_token = xstrndup(m->enc_token ? m->enc_token : "?", 40);
		lower(e->enc_token);
		break;
	default:
		e->enc = ENC_IDENTITY;
		break;
	}
	mailmime_mechanism_free(m);
}

/*
 * A Content-ID as an HTML body names it after "cid:" (RFC 2392): the
 * msg-id without its angle brackets and the blanks of folding; NULL when
 * nothing is left.
 */
static char *
content_id(const char *v)
{
	size_t  n = 0;
	char   *id = xmalloc(strlen(v) + 1);

	for (; *v; v++)
		if (*v != ' ' && *v != '\t' && *v != '\r' && *v != '\n')
			id[n++] = *v;
	id[n] = 0;
	if (n >= 2 && id[0] == '<' && id[n - 1] == '>') {
		memmove(id, id + 1, n - 2);
		id[n -= 2] = 0;
	}
	if (n == 0) {
		free(id);
		return NULL;
	}
	return id;
}

void
aw_entity_parse(const char *p, size_t len, int in_digest, int skip_from,
		struct entity *e)
{
	struct value v[H__COUNT];
	size_t  body;

	memset(e, 0, sizeof(*e));
	memset(v, 0, sizeof(v));
	body = scan_headers(p, len, skip_from, v);
	e->body = p + body;
	e->body_len = len - body;
	e->declared = xstrdup(in_digest ? "message/rfc822" : "text/plain");
	/* The disposition's filename wins over Content-Type's name. */
	if (v[H_DISP].p)
		parse_disposition(e, &v[H_DISP]);
	if (v[H_TYPE].p)
		parse_content(e, &v[H_TYPE]);
	if (v[H_ENC].p)
		parse_encoding(e, &v[H_ENC]);
	if (v[H_SUBJECT].p)
		e->subject = xstrdup(v[H_SUBJECT].p);
	if (v[H_CID].p)
		e->cid = content_id(v[H_CID].p);
	for (int h = 0; h < H__COUNT; h++)
		free(v[h].p);
}

void
aw_entity_clear(struct entity *e)
{
	free(e->declared);
	free(e->name);
	free(e->boundary);
	free(e->smime_type);
	free(e->subject);
	free(e->enc_token);
	free(e->cid);
	memset(e, 0, sizeof(*e));
}
