/*
 * aw_office.c - the text of DOCX (word/document.xml) and ODT
 * (content.xml) through libzip and libxml2.
 *
 * Limits before any inflation: the number of ZIP entries, the declared
 * size of the XML entry and its ratio to the compressed size; while
 * inflating, never more than the declared size (a lying header stops
 * there).  libxml2 runs with XML_PARSE_NONET, without NOENT or DTDLOAD,
 * so no entity is expanded and nothing is fetched; entity references are
 * skipped.  Paragraphs, table cells and line breaks become lines, in
 * document order (the left cell of a header table before the right one).
 *
 * Failure: NULL with *why: "malformed: zip", "malformed: xml",
 * "limit: zip entries", "limit: xml size", "limit: compression ratio".
 */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "aw_text.h"
#include "textnorm.h"
#include "xmalloc.h"

#define MAX_DEPTH	256

struct obuf {
	char   *s;
	size_t  len;
	size_t  cap;
	size_t  max;
};

static void
obuf_add(struct obuf *b, const char *s, size_t n)
{
	if (b->len + n > b->max)
		n = b->max - b->len;
	if (n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static int
name_is(const xmlNode *n, const char *name)
{
	return n->name && strcmp((const char *) n->name, name) == 0;
}

/* DOCX: w:t text, w:tab, w:br and w:cr; w:p ends a line. */
static void
walk_docx(const xmlNode *n, struct obuf *b, int depth)
{
	for (; n && depth < MAX_DEPTH; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->parent && name_is(n->parent, "t") && n->content)
				obuf_add(b, (const char *) n->content,
					 strlen((const char *) n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;	/* entity references included */
		if (name_is(n, "tab"))
			obuf_add(b, "\t", 1);
		else if (name_is(n, "br") || name_is(n, "cr"))
			obuf_add(b, "\n", 1);
		else if (name_is(n, "delText") || name_is(n, "instrText"))
			continue;
		walk_docx(n->children, b, depth + 1);
		if (name_is(n, "p"))
			obuf_add(b, "\n", 1);
	}
}

/* ODT: text:p and text:h end a line; text:s, text:tab, text:line-break. */
static void
walk_odt(const xmlNode *n, struct obuf *b, int depth)
{
	for (; n && depth < MAX_DEPTH; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				obuf_add(b, (const char *) n->content,
					 strlen((const char *) n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n, "s"))
			obuf_add(b, " ", 1);
		else if (name_is(n, "tab"))
			obuf_add(b, "\t", 1);
		else if (name_is(n, "line-break"))
			obuf_add(b, "\n", 1);
		else if (name_is(n, "annotation") || name_is(n, "tracked-changes"))
			continue;
		walk_odt(n->children, b, depth + 1);
		if (name_is(n, "p") || name_is(n, "h"))
			obuf_add(b, "\n", 1);
	}
}

/* The XML entry, inflated within the limits, or NULL. */
static char *
zip_entry(const unsigned char *data, size_t len, const char *entry,
	  const struct text_limits *lim, size_t *outlen, const char **why)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t  *z;
	zip_stat_t st;
	zip_int64_t idx, n;
	zip_file_t *f;
	char   *buf = NULL;
	size_t  got = 0;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (src == NULL) {
		*why = "malformed: zip";
		zip_error_fini(&zerr);
		return NULL;
	}
	z = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	zip_error_fini(&zerr);
	if (z == NULL) {
		zip_source_free(src);
		*why = "malformed: zip";
		return NULL;
	}
	if (zip_get_num_entries(z, 0) > (zip_int64_t) lim->max_entries) {
		*why = "limit: zip entries";
		goto out;
	}
	idx = zip_name_locate(z, entry, 0);
	if (idx < 0 || zip_stat_index(z, idx, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		*why = "malformed: zip";
		goto out;
	}
	if (st.size > lim->max_entry) {
		*why = "limit: xml size";
		goto out;
	}
	if (st.size > 65536 && st.size / (st.comp_size + 1) > lim->max_ratio) {
		*why = "limit: compression ratio";
		goto out;
	}
	if ((f = zip_fopen_index(z, idx, 0)) == NULL) {
		*why = "malformed: zip";
		goto out;
	}
	buf = xmalloc(st.size + 1);
	while (got < st.size &&
	       (n = zip_fread(f, buf + got, st.size - got)) > 0)
		got += n;
	zip_fclose(f);
	if (got != st.size) {
		free(buf);
		buf = NULL;
		*why = "malformed: zip";
		goto out;
	}
	buf[got] = 0;
	*outlen = got;
out:
	zip_discard(z);		/* frees src too */
	return buf;
}

char *
aw_office_text(const unsigned char *data, size_t len, int odt,
	       const struct text_limits *lim, const char **why)
{
	char   *xml, *nfc;
	size_t  xlen = 0;
	xmlDoc *doc;
	struct obuf b = {.max = lim->max_text};

	*why = NULL;
	if (len > lim->max_input) {
		*why = "limit: office size";
		return NULL;
	}
	xml = zip_entry(data, len, odt ? "content.xml" : "word/document.xml",
			lim, &xlen, why);
	if (xml == NULL)
		return NULL;
	if (xlen > (size_t) INT32_MAX) {
		free(xml);
		*why = "limit: xml size";
		return NULL;
	}
	doc = xmlReadMemory(xml, (int) xlen, "office.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	free(xml);
	if (doc == NULL) {
		*why = "malformed: xml";
		return NULL;
	}
	if (odt)
		walk_odt(xmlDocGetRootElement(doc), &b, 0);
	else
		walk_docx(xmlDocGetRootElement(doc), &b, 0);
	xmlFreeDoc(doc);
	if (b.s == NULL)
		return xstrdup("");
	nfc = text_nfc(b.s, b.len);
	free(b.s);
	return nfc;
}
