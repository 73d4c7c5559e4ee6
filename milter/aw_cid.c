/*
 * aw_cid.c - the Content-IDs an HTML body names; see aw_cid.h.
 *
 * No HTML parser: a reference is "cid:" followed by the characters up to
 * the first that ends a URL in HTML or CSS (blank, quote, angle bracket,
 * parenthesis, backslash, ampersand, control).  A msg-id may hold some of
 * those, but HTML escapes them, and a part the scan misses becomes a
 * document: the register gains a logo, it never loses a document.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aw_cid.h"
#include "base64.h"
#include "xmalloc.h"

static int
ends_url(unsigned char ch)
{
	return ch <= 0x20 || ch == 0x7f || strchr("\"'<>()\\&", ch) != NULL;
}

/* p[0..n) folded to lower case and, for a URL, percent-decoded (never
 * to a NUL). */
static char *
id_fold(const char *p, size_t n, int url)
{
	char   *id = xmalloc(n + 1);
	size_t  k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char) p[i];
		int     hi, lo;

		if (url && ch == '%' && i + 2 < n &&
		    (hi = hex_digit((unsigned char) p[i + 1])) >= 0 &&
		    (lo = hex_digit((unsigned char) p[i + 2])) >= 0 &&
		    (hi | lo) != 0) {
			ch = (unsigned char) (hi << 4 | lo);
			i += 2;
		}
		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		id[k++] = (char) ch;
	}
	id[k] = 0;
	return id;
}

static int
want_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cid_want *) a)->id,
		      ((const struct cid_want *) b)->id);
}

/* Sorted and without repeats, for bsearch(). */
static void
wants_sort(struct cid_refs *r)
{
	size_t  k = 0;

	if (r->sorted)
		return;
	qsort(r->v, r->n, sizeof(*r->v), want_cmp);
	for (size_t i = 0; i < r->n; i++) {
		if (k > 0 && strcmp(r->v[k - 1].id, r->v[i].id) == 0) {
			r->v[k - 1].named |= r->v[i].named;
			free(r->v[i].id);
		} else {
			r->v[k++] = r->v[i];
		}
	}
	r->n = k;
	r->sorted = 1;
}

static struct cid_want *
want_find(struct cid_refs *r, const char *folded)
{
	struct cid_want key = {(char *) folded, 0};

	wants_sort(r);
	return bsearch(&key, r->v, r->n, sizeof(*r->v), want_cmp);
}

void
aw_cid_want(struct cid_refs *r, const char *cid)
{
	if (cid == NULL || cid[0] == 0)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n].id = id_fold(cid, strlen(cid), 0);
	r->v[r->n].named = 0;
	r->n++;
	r->sorted = 0;
}

void
aw_cid_html(struct cid_refs *r, unsigned char *html, size_t len)
{
	if (r->nhtml == r->caphtml) {
		r->caphtml = r->caphtml ? 2 * r->caphtml : 4;
		r->html = xreallocarray(r->html, r->caphtml, sizeof(*r->html));
	}
	r->html[r->nhtml].p = html;
	r->html[r->nhtml].len = len;
	r->nhtml++;
}

/* Mark the wanted IDs that html[0..len) names. */
static void
scan(struct cid_refs *r, const char *html, size_t len)
{
	size_t  i = 0;

	while (i < len) {
		const char *c = memchr(html + i, ':', len - i);
		struct cid_want *w;
		size_t  at, end;
		char   *id;

		if (c == NULL)
			break;
		at = (size_t) (c - html);
		i = at + 1;
		if (at < 3 || strncasecmp(html + at - 3, "cid", 3) != 0)
			continue;
		for (end = i; end < len && !ends_url((unsigned char) html[end]);
		     end++)
			;
		id = id_fold(html + i, end - i, 1);
		if ((w = want_find(r, id)) != NULL)
			w->named = 1;
		free(id);
		i = end;
	}
}

/* Read the bodies handed over since the last question, then free them. */
static void
scan_pending(struct cid_refs *r)
{
	for (size_t i = 0; i < r->nhtml; i++) {
		if (r->n > 0)
			scan(r, (const char *) r->html[i].p, r->html[i].len);
		free(r->html[i].p);
	}
	r->nhtml = 0;
}

int
aw_cid_named(struct cid_refs *r, const char *cid)
{
	struct cid_want *w;
	char   *id;

	if (r == NULL)
		return 0;
	scan_pending(r);
	if (r->n == 0 || cid == NULL)
		return 0;
	id = id_fold(cid, strlen(cid), 0);
	w = want_find(r, id);
	free(id);
	return w != NULL && w->named;
}

void
aw_cid_free(struct cid_refs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].id);
	free(r->v);
	for (size_t i = 0; i < r->nhtml; i++)
		free(r->html[i].p);
	free(r->html);
	memset(r, 0, sizeof(*r));
}
