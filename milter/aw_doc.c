/*
 * aw_doc.c - text and facts of one document of an analysis.
 *
 * aw_document_read() is what the worker's pipeline calls for each
 * document, after type detection and signature checking (which sets
 * signed_len): an edXML packet gives its header's facts and adds its
 * attachments as further documents; anything else gives its text; then
 * the facts parser runs.  When the pipeline left the type unknown
 * (NULL, application/octet-stream, a bare zip or XML type) the leading
 * bytes decide between PDF, DOCX, ODT, edXML, and the formats that are
 * only identified: DOC, XLS (OLE) and RTF.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aw_facts.h"
#include "aw_text.h"
#include "xmalloc.h"

#define EDXML_NS	"http://www.mic.gov.vn/TBT/QCVN_102_2016"

static int
has(const unsigned char *d, size_t len, const char *s)
{
	return memmem(d, len, s, strlen(s)) != NULL;
}

/* The type from the bytes, or NULL. */
static const char *
sniff(const struct document *d)
{
	size_t  head = d->len < 4096 ? d->len : 4096;

	if (d->len >= 5 && memmem(d->data, d->len < 1024 ? d->len : 1024,
				  "%PDF-", 5) != NULL)
		return TEXT_MIME_PDF;
	if (d->len >= 4 && memcmp(d->data, "PK\3\4", 4) == 0) {
		if (has(d->data, d->len, "word/document.xml"))
			return TEXT_MIME_DOCX;
		if (has(d->data, head, "application/vnd.oasis.opendocument.text"))
			return TEXT_MIME_ODT;
		return NULL;
	}
	/* Old Word and Excel files share the OLE container: say which when
	 * the stream names tell, so the reason names it. */
	if (d->len >= 8 && memcmp(d->data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return has(d->data, d->len, "W\0o\0r\0k\0b\0o\0o\0k") ?
		    TEXT_MIME_XLS : TEXT_MIME_DOC;
	if (d->len >= 5 && memcmp(d->data, "{\\rtf", 5) == 0)
		return TEXT_MIME_RTF;
	if (has(d->data, head, EDXML_NS) || has(d->data, head, "edXMLEnvelope"))
		return TEXT_MIME_EDXML;
	return NULL;
}

static int
vague(const char *type)
{
	return type == NULL || strcasecmp(type, "application/octet-stream") == 0
	    || strcasecmp(type, "application/zip") == 0 ||
	    strcasecmp(type, "application/xml") == 0 ||
	    strcasecmp(type, "text/xml") == 0 ||
	    strcasecmp(type, "text/plain") == 0;
}

int
aw_document_read(struct analysis *a, size_t i, const char *subject,
		 const struct text_limits *lim, const char **why)
{
	struct document *d = &a->docs[i];
	const char *t;
	int     rc;

	*why = NULL;
	if (d->data == NULL)
		return -1;
	if (vague(d->type) && (t = sniff(d)) != NULL) {
		free(d->type);
		d->type = xstrdup(t);
	}
	if (d->type && strcasecmp(d->type, TEXT_MIME_EDXML) == 0) {
		rc = aw_edxml_read(a, i);
		d = &a->docs[i];	/* the array may have moved */
		if (rc != 0)
			*why = "malformed: edxml";
	} else {
		rc = aw_text_read(d, lim, why);
	}
	aw_facts_read(d, subject);
	return rc;
}
