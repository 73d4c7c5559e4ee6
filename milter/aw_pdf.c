/*
 * aw_pdf.c - the text of a PDF through poppler-glib.
 *
 * Reads the first lim->first_pages pages and the last page, in poppler's
 * reading order.  poppler_page_get_text() runs the text of two blocks
 * together ("BỘ NỘI VỤCỘNG HÒA..."), so the glyph boxes of the page's
 * layout are used to break a line wherever the next glyph jumps by more
 * than a gap in the line or leaves the line: the left and right columns
 * of an official header come out as separate lines.
 *
 * Failure: NULL with *why ("malformed: pdf", "unsupported: encrypted
 * pdf", "limit: pdf size").  A PDF whose pages hold no letter gives NULL,
 * *why NULL and *needs_ocr = 1.
 */
#include <math.h>
#include <string.h>

#include <poppler.h>

#include "aw_text.h"
#include "textnorm.h"
#include "xmalloc.h"

struct tbuf {
	char   *s;
	size_t  len;
	size_t  cap;
	size_t  max;
	int     full;
};

static void
tbuf_add(struct tbuf *b, const char *s, size_t n)
{
	if (b->full)
		return;
	if (b->len + n > b->max) {
		n = b->max - b->len;
		/* Never keep half of a character. */
		while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
			n--;
		b->full = 1;
	}
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

/* Length of the UTF-8 sequence that starts with byte c. */
static size_t
u8len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* Append the page's text, breaking lines where the layout says so. */
static void
page_text(PopplerPage *page, struct tbuf *b)
{
	char   *text = poppler_page_get_text(page);
	PopplerRectangle *r = NULL;
	guint   nr = 0;
	size_t  i, k, len;
	ssize_t prev = -1;

	if (text == NULL)
		return;
	len = strlen(text);
	if (!poppler_page_get_text_layout(page, &r, &nr))
		nr = 0;
	for (i = 0, k = 0; i < len; k++) {
		size_t  n = u8len((unsigned char) text[i]);

		if (i + n > len)
			n = len - i;
		if (text[i] == '\n') {
			prev = -1;
		} else if (k < nr && prev >= 0) {
			const PopplerRectangle *p = &r[prev], *c = &r[k];
			double  h = fabs(p->y2 - p->y1);
			double  gap = c->x1 - p->x2;

			if (h < 4)
				h = 4;
			if (gap > 2.0 * h || c->x1 < p->x1 - 2 * h ||
			    fabs(c->y1 - p->y1) > 0.8 * h)
				tbuf_add(b, "\n", 1);
		}
		if (text[i] != '\n' && k < nr)
			prev = k;
		tbuf_add(b, text + i, n);
		i += n;
	}
	tbuf_add(b, "\n", 1);
	g_free(r);
	g_free(text);
}

static int
has_letters(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s >= 0x80 ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			return 1;
	return 0;
}

/*
 * poppler-glib builds its global tables (font and glyph-name maps) when a
 * document opens while no other is open, and frees them when the last
 * one closes: once per PDF in a worker that reads one at a time, about a
 * third of the whole cost of a message with a one-page letter.  One
 * page-sized document, held open for the life of the process, keeps them.
 */
static const char keeper_pdf[] =
    "%PDF-1.4\n"
    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>\nendobj\n"
    "xref\n0 4\n"
    "0000000000 65535 f \n"
    "0000000009 00000 n \n"
    "0000000058 00000 n \n"
    "0000000115 00000 n \n"
    "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n182\n%%EOF\n";

int
aw_pdf_keep_globals(void)
{
	static PopplerDocument *keeper;
	GBytes *bytes;

	if (keeper != NULL)
		return 0;
	bytes = g_bytes_new_static(keeper_pdf, sizeof(keeper_pdf) - 1);
	keeper = poppler_document_new_from_bytes(bytes, NULL, NULL);
	g_bytes_unref(bytes);
	return keeper != NULL ? 0 : -1;
}

char *
aw_pdf_text(const unsigned char *data, size_t len,
	    const struct text_limits *lim, int *needs_ocr, const char **why)
{
	GBytes *bytes;
	GError *err = NULL;
	PopplerDocument *doc;
	struct tbuf b = {.max = lim->max_text};
	int     npages;
	char   *nfc;

	*needs_ocr = 0;
	*why = NULL;
	if (len > lim->max_input || len > G_MAXINT) {
		*why = "limit: pdf size";
		return NULL;
	}
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		*why = err && err->domain == POPPLER_ERROR &&
		    err->code == POPPLER_ERROR_ENCRYPTED ?
		    "unsupported: encrypted pdf" : "malformed: pdf";
		if (err)
			g_error_free(err);
		return NULL;
	}
	npages = poppler_document_get_n_pages(doc);
	if (npages <= 0) {
		g_object_unref(doc);
		*why = "malformed: pdf without pages";
		return NULL;
	}
	for (int i = 0; i < npages && !b.full; i++) {
		PopplerPage *page;

		/* The first pages and the last one. */
		if ((unsigned) i >= lim->first_pages && i != npages - 1)
			continue;
		page = poppler_document_get_page(doc, i);
		if (page == NULL)
			continue;
		page_text(page, &b);
		g_object_unref(page);
	}
	g_object_unref(doc);
	if (b.s == NULL || !has_letters(b.s)) {
		free(b.s);
		*needs_ocr = 1;
		return NULL;
	}
	nfc = text_nfc(b.s, b.len);
	free(b.s);
	return nfc;
}
