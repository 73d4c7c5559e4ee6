/*
 * aw_text.h - the text of a document, inside an analysis worker.
 *
 * aw_text_read() fills d->text (valid UTF-8, NFC, at most lim->max_text
 * bytes) from d->data by the document's real type: PDF through
 * poppler-glib, DOCX and ODT through libzip and libxml2; for these two also
 * d->page_headers and d->page_footers, the text of the page headers and
 * footers, kept apart from the body's.  It reads the
 * first lim->first_pages pages and the last one, which is enough for the
 * header block and the signer block.  When d->signed_len is non-zero it
 * reads only d->data[0..signed_len), the revision the last signature
 * covers, and sets d->text_from_signed_revision.  A PDF with no text layer
 * gets d->needs_ocr = 1 and no text.  Text in a legacy Vietnamese
 * encoding (TCVN3, VNI) is converted when it is clearly one of them.
 *
 * Every input is hostile: sizes, entry counts, compression ratios and XML
 * depth are capped; a bad document yields -1 and a static reason string,
 * never a crash.  The worker's rlimits remain the last line of defence.
 */
#ifndef VANTHU_AW_TEXT_H
#define VANTHU_AW_TEXT_H

#include <stddef.h>

#include "facts.h"

struct text_limits {
	size_t  max_input;	/* bytes of document accepted */
	size_t  max_text;	/* bytes of text kept */
	unsigned first_pages;	/* PDF pages read from the start */
	unsigned max_entries;	/* ZIP entries in an office file */
	size_t  max_entry;	/* uncompressed bytes of one XML entry */
	unsigned max_ratio;	/* uncompressed / compressed, per entry */
};

#define TEXT_MIME_PDF	"application/pdf"
#define TEXT_MIME_DOCX	"application/vnd.openxmlformats-officedocument." \
			"wordprocessingml.document"
#define TEXT_MIME_ODT	"application/vnd.oasis.opendocument.text"
#define TEXT_MIME_DOC	"application/msword"
#define TEXT_MIME_RTF	"text/rtf"
#define TEXT_MIME_XLS	"application/vnd.ms-excel"
#define TEXT_MIME_EDXML	"application/edxml+xml"

/* Fills *lim with the defaults: 64 MB in, 256 KB of text, 2 first pages,
 * 2000 entries, 16 MB per entry, ratio 200. */
void    text_limits_default(struct text_limits *lim);

/* 0 on success (d->text set, or d->needs_ocr set), -1 with *why set to a
 * static string such as "malformed: pdf" or "unsupported: msword". */
int     aw_text_read(struct document *d, const struct text_limits *lim,
		     const char **why);

/*
 * Text and facts of a->docs[i], as the pipeline wants them: edXML header
 * and attachments (added to a), or text; then aw_facts_read() with the
 * message's subject.  An unknown type is sniffed from the leading bytes.
 * 0, or -1 with *why set; the facts are read in both cases.
 */
int     aw_document_read(struct analysis *a, size_t i, const char *subject,
			 const struct text_limits *lim, const char **why);

/* Keep poppler's global tables for the life of the process (aw_pdf.c);
 * -1 if the built-in document does not open. */
int     aw_pdf_keep_globals(void);

/* The readers behind aw_text_read(); each returns NFC text or NULL.
 * aw_office_text() also sets *headers and *footers to the NFC text of
 * the page headers and footers, or NULL when none. */
char   *aw_pdf_text(const unsigned char *data, size_t len,
		    const struct text_limits *lim, int *needs_ocr,
		    const char **why);
char   *aw_office_text(const unsigned char *data, size_t len, int odt,
		       const struct text_limits *lim, char **headers,
		       char **footers, const char **why);

/* Whether s looks like text typed with a legacy Vietnamese encoding seen
 * through a one-byte font; if so a converted NFC copy, else NULL. */
char   *aw_legacy_convert(const char *s);

#endif
