/*
 * aw_text.c - choose the reader by the document's real type; see
 * aw_text.h.  Legacy encodings are converted here, after every reader.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aw_text.h"
#include "xmalloc.h"

void
text_limits_default(struct text_limits *lim)
{
	lim->max_input = 64u << 20;
	lim->max_text = 256u << 10;
	lim->first_pages = 2;
	lim->max_entries = 2000;
	lim->max_entry = 16u << 20;
	lim->max_ratio = 200;
}

/* s, or its conversion from a legacy encoding. */
static char *
legacy(char *s)
{
	char   *conv;

	if (s == NULL || (conv = aw_legacy_convert(s)) == NULL)
		return s;
	free(s);
	return conv;
}

static void
put_text(char **field, char *text)
{
	free(*field);
	*field = legacy(text);
}

static int
type_is(const char *type, const char *want)
{
	size_t  n = strlen(want);

	/* Ignore parameters: "application/pdf; charset=binary". */
	return type && strncasecmp(type, want, n) == 0 &&
	    (type[n] == 0 || type[n] == ';' || type[n] == ' ');
}

int
aw_text_read(struct document *d, const struct text_limits *lim,
	     const char **why)
{
	size_t  len = d->len;
	char   *text = NULL, *head = NULL, *foot = NULL;

	*why = NULL;
	if (d->data == NULL) {
		*why = "malformed: no data";
		return -1;
	}
	if (type_is(d->type, TEXT_MIME_PDF)) {
		/* Read what the last signature covers, when one does. */
		if (d->signed_len > 0 && d->signed_len <= d->len) {
			len = d->signed_len;
			d->text_from_signed_revision = 1;
		}
		text = aw_pdf_text(d->data, len, lim, &d->needs_ocr, why);
		if (text == NULL && d->needs_ocr)
			return 0;
	} else if (type_is(d->type, TEXT_MIME_DOCX)) {
		text = aw_office_text(d->data, len, 0, lim, &head, &foot, why);
	} else if (type_is(d->type, TEXT_MIME_ODT)) {
		text = aw_office_text(d->data, len, 1, lim, &head, &foot, why);
	} else if (type_is(d->type, TEXT_MIME_DOC) ||
		   type_is(d->type, "application/x-ole-storage") ||
		   type_is(d->type, "application/CDFV2")) {
		*why = "unsupported: msword";
	} else if (type_is(d->type, TEXT_MIME_RTF)) {
		*why = "unsupported: rtf";
	} else if (type_is(d->type, TEXT_MIME_XLS)) {
		*why = "unsupported: ms-excel";
	} else {
		*why = "unsupported: type";
	}
	if (text == NULL)
		return -1;
	put_text(&d->text, text);
	put_text(&d->page_headers, head);
	put_text(&d->page_footers, foot);
	return 0;
}
