/*
 * aw_office.c - the text of DOCX (word/document.xml) and ODT
 * (content.xml) through libzip and libxml2, and apart from it the text of
 * the page headers and footers: the parts word/_rels/document.xml.rels
 * names as header or footer, and the master pages of an ODT's styles.xml.
 *
 * Limits before any inflation: the number of ZIP entries, the declared
 * size of each XML entry and its ratio to the compressed size; while
 * inflating, never more than the declared size (a lying header stops
 * there).  The header and footer parts, at most MAX_MARGIN_PARTS, have
 * lim->max_entry between them.  libxml2 runs with XML_PARSE_NONET,
 * without NOENT or DTDLOAD, so no entity is expanded and nothing is
 * fetched; entity references are skipped.  Paragraphs, table cells and
 * line breaks become lines, in document order (the left cell of a header
 * table before the right one); in a page header a tab ends a line too,
 * since it separates what stands left, centre and right.
 *
 * Failure: NULL with *why: "malformed: zip", "malformed: xml",
 * "limit: zip entries", "limit: xml size", "limit: compression ratio".
 * Only the body can fail: a header or footer part that is missing,
 * malformed or past a limit is passed over.
 */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "aw_text.h"
#include "aw_xml.h"
#include "textnorm.h"
#include "xmalloc.h"

#define MAX_DEPTH	256
#define MAX_MARGIN_PARTS 64

#define DOCX_BODY	"word/document.xml"
#define DOCX_RELS	"word/_rels/document.xml.rels"
#define ODT_BODY	"content.xml"
#define ODT_STYLES	"styles.xml"

struct obuf {
	char   *s;
	size_t  len;
	size_t  cap;
	size_t  max;
};

/* The page headers and footers, and the inflation they may still use. */
struct margins {
	struct obuf head;
	struct obuf foot;
	size_t  budget;
	unsigned parts;
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

/* The NFC text of b, NULL when empty; b is emptied. */
static char *
obuf_nfc(struct obuf *b)
{
	char   *nfc = NULL;

	if (b->len > 0)
		nfc = text_nfc(b->s, b->len);
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	return nfc;
}

static int
name_is(const xmlNode *n, const char *name)
{
	return n->name && strcmp((const char *) n->name, name) == 0;
}

/* DOCX: w:t text, w:tab, w:ptab, w:br and w:cr; w:p ends a line.  tab is
 * what a tab becomes. */
static void
walk_docx(const xmlNode *n, struct obuf *b, const char *tab, int depth)
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
		if (name_is(n, "tab") || name_is(n, "ptab"))
			obuf_add(b, tab, 1);
		else if (name_is(n, "br") || name_is(n, "cr"))
			obuf_add(b, "\n", 1);
		else if (name_is(n, "delText") || name_is(n, "instrText"))
			continue;
		walk_docx(n->children, b, tab, depth + 1);
		if (name_is(n, "p"))
			obuf_add(b, "\n", 1);
	}
}

/* ODT: text:p and text:h end a line; text:s, text:tab, text:line-break. */
static void
walk_odt(const xmlNode *n, struct obuf *b, const char *tab, int depth)
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
			obuf_add(b, tab, 1);
		else if (name_is(n, "line-break"))
			obuf_add(b, "\n", 1);
		else if (name_is(n, "annotation") || name_is(n, "tracked-changes"))
			continue;
		walk_odt(n->children, b, tab, depth + 1);
		if (name_is(n, "p") || name_is(n, "h"))
			obuf_add(b, "\n", 1);
	}
}

/* The ZIP archive in data, or NULL. */
static zip_t *
zip_open_mem(const unsigned char *data, size_t len,
	     const struct text_limits *lim, const char **why)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t  *z;

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
		zip_discard(z);		/* frees src too */
		*why = "limit: zip entries";
		return NULL;
	}
	return z;
}

/* The entry, inflated within the limits and at most max bytes, or NULL. */
static char *
zip_entry(zip_t *z, const char *entry, const struct text_limits *lim,
	  size_t max, size_t *outlen, const char **why)
{
	zip_stat_t st;
	zip_int64_t idx, n;
	zip_file_t *f;
	char   *buf;
	size_t  got = 0;

	idx = zip_name_locate(z, entry, 0);
	if (idx < 0 || zip_stat_index(z, idx, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		*why = "malformed: zip";
		return NULL;
	}
	if (st.size > max || st.size > (zip_uint64_t) INT32_MAX) {
		*why = "limit: xml size";
		return NULL;
	}
	if (st.size > 65536 && st.size / (st.comp_size + 1) > lim->max_ratio) {
		*why = "limit: compression ratio";
		return NULL;
	}
	if ((f = zip_fopen_index(z, idx, 0)) == NULL) {
		*why = "malformed: zip";
		return NULL;
	}
	buf = xmalloc(st.size + 1);
	while (got < st.size &&
	       (n = zip_fread(f, buf + got, st.size - got)) > 0)
		got += n;
	zip_fclose(f);
	if (got != st.size) {
		free(buf);
		*why = "malformed: zip";
		return NULL;
	}
	buf[got] = 0;
	*outlen = got;
	return buf;
}

/* The parsed XML entry, at most max bytes, or NULL. */
static xmlDoc *
xml_entry(zip_t *z, const char *entry, const struct text_limits *lim,
	  size_t max, size_t *used, const char **why)
{
	char   *xml;
	size_t  xlen = 0;
	xmlDoc *doc;

	if ((xml = zip_entry(z, entry, lim, max, &xlen, why)) == NULL)
		return NULL;
	doc = aw_xml_read(xml, xlen, "office.xml", XML_PARSE_NOCDATA);
	free(xml);
	if (doc == NULL)
		*why = "malformed: xml";
	if (used)
		*used = xlen;
	return doc;
}

/* A header or footer part, within what the margins may still inflate. */
static xmlDoc *
margin_entry(zip_t *z, const char *entry, const struct text_limits *lim,
	     struct margins *m)
{
	const char *why;
	size_t  used = 0;
	xmlDoc *doc;

	if (m->parts >= MAX_MARGIN_PARTS)
		return NULL;
	m->parts++;
	doc = xml_entry(z, entry, lim, m->budget, &used, &why);
	m->budget -= used;
	return doc;
}

static int
ends_with(const char *s, const char *end)
{
	size_t  n = strlen(s), e = strlen(end);

	return n >= e && strcmp(s + n - e, end) == 0;
}

/* One relationship of document.xml: its header or footer part. */
static void
docx_rel(zip_t *z, const xmlNode *rel, const struct text_limits *lim,
	 struct margins *m)
{
	xmlChar *type = xmlGetProp(rel, (const xmlChar *) "Type");
	xmlChar *target = xmlGetProp(rel, (const xmlChar *) "Target");
	xmlChar *mode = xmlGetProp(rel, (const xmlChar *) "TargetMode");
	struct obuf *b = NULL;
	char   *part;
	xmlDoc *doc;

	if (type && ends_with((const char *) type, "/relationships/header"))
		b = &m->head;
	else if (type && ends_with((const char *) type, "/relationships/footer"))
		b = &m->foot;
	if (b != NULL && target != NULL &&
	    (mode == NULL || xmlStrcmp(mode, (const xmlChar *) "Internal") == 0)) {
		/* Relative to word/, or from the package root. */
		part = target[0] == '/' ? xstrdup((const char *) target + 1) :
		    xasprintf("word/%s", (const char *) target);
		if ((doc = margin_entry(z, part, lim, m)) != NULL) {
			walk_docx(xmlDocGetRootElement(doc), b, "\n", 0);
			xmlFreeDoc(doc);
		}
		free(part);
	}
	xmlFree(type);
	xmlFree(target);
	xmlFree(mode);
}

static void
docx_margins(zip_t *z, const struct text_limits *lim, struct margins *m)
{
	const xmlNode *root, *n;
	xmlDoc *rels;
	const char *why;

	rels = xml_entry(z, DOCX_RELS, lim, lim->max_entry, NULL, &why);
	if (rels == NULL)
		return;
	if ((root = xmlDocGetRootElement(rels)) != NULL)
		for (n = root->children; n; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    name_is(n, "Relationship"))
				docx_rel(z, n, lim, m);
	xmlFreeDoc(rels);
}

/* style:header, style:header-left, style:header-first; footers alike. */
static struct obuf *
odt_margin_of(const xmlNode *n, struct margins *m)
{
	static const char *const heads[] = {"header", "header-left",
	"header-first", NULL};
	static const char *const feet[] = {"footer", "footer-left",
	"footer-first", NULL};

	for (int k = 0; heads[k]; k++) {
		if (name_is(n, heads[k]))
			return &m->head;
		if (name_is(n, feet[k]))
			return &m->foot;
	}
	return NULL;
}

/* The headers and footers of every style:master-page under n. */
static void
walk_master(const xmlNode *n, struct margins *m, int depth)
{
	struct obuf *b;

	for (; n && depth < MAX_DEPTH; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!name_is(n, "master-page")) {
			walk_master(n->children, m, depth + 1);
			continue;
		}
		for (const xmlNode *c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    (b = odt_margin_of(c, m)) != NULL)
				walk_odt(c->children, b, "\n", depth + 1);
	}
}

static void
odt_margins(zip_t *z, const struct text_limits *lim, struct margins *m)
{
	xmlDoc *doc;

	if ((doc = margin_entry(z, ODT_STYLES, lim, m)) == NULL)
		return;
	walk_master(xmlDocGetRootElement(doc), m, 0);
	xmlFreeDoc(doc);
}

char *
aw_office_text(const unsigned char *data, size_t len, int odt,
	       const struct text_limits *lim, char **headers, char **footers,
	       const char **why)
{
	zip_t  *z;
	xmlDoc *doc;
	struct obuf b = {.max = lim->max_text};
	struct margins m = {.head = {.max = lim->max_text},
	.foot = {.max = lim->max_text}, .budget = lim->max_entry};

	*why = NULL;
	*headers = *footers = NULL;
	if (len > lim->max_input) {
		*why = "limit: office size";
		return NULL;
	}
	if ((z = zip_open_mem(data, len, lim, why)) == NULL)
		return NULL;
	doc = xml_entry(z, odt ? ODT_BODY : DOCX_BODY, lim, lim->max_entry,
			NULL, why);
	if (doc == NULL) {
		zip_discard(z);
		return NULL;
	}
	if (odt)
		walk_odt(xmlDocGetRootElement(doc), &b, "\t", 0);
	else
		walk_docx(xmlDocGetRootElement(doc), &b, "\t", 0);
	xmlFreeDoc(doc);
	if (odt)
		odt_margins(z, lim, &m);
	else
		docx_margins(z, lim, &m);
	zip_discard(z);		/* frees the source too */
	*headers = obuf_nfc(&m.head);
	*footers = obuf_nfc(&m.foot);
	return b.s ? obuf_nfc(&b) : xstrdup("");
}
