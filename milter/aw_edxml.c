/*
 * aw_edxml.c - the QCVN 102:2016 (edXML) exchange packet.
 *
 * The MessageHeader's fields are authoritative: they become facts with
 * source edxml and confidence 100, and the text parser never overwrites
 * them.  Elements are matched by local name, in any namespace, each one
 * optional: no public XSD exists and packets in the wild differ.  Every
 * AttachmentEncoded/Attachment is decoded from base64 into a further
 * document (origin edxml) whose type the pipeline detects.
 *
 * libxml2 runs with XML_PARSE_NONET and neither NOENT nor DTDLOAD: no
 * entity is expanded, nothing is fetched.  Limits: EDXML_MAX bytes of
 * packet, EDXML_MAX_ATTACH attachments of at most EDXML_MAX_BYTES each.
 * A packet that does not parse gives -1 and a "malformed: edxml" entry
 * in a->skipped; nothing else changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

#include "aw_facts.h"
#include "aw_xml.h"
#include "textnorm.h"
#include "xmalloc.h"

#define EDXML_MAX		(128u << 20)
#define EDXML_MAX_ATTACH	64
#define EDXML_MAX_BYTES		(64u << 20)
#define EDXML_DEPTH		64
#define CONF_EDXML		100

static int
is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	    strcmp((const char *) n->name, name) == 0;
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
	if (n == NULL)
		return NULL;
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* First element of that name in the subtree, depth first. */
static const xmlNode *
find(const xmlNode *n, const char *name, int depth)
{
	const xmlNode *r;

	for (; n && depth < EDXML_DEPTH; n = n->next) {
		if (is(n, name))
			return n;
		if (n->type == XML_ELEMENT_NODE &&
		    (r = find(n->children, name, depth + 1)) != NULL)
			return r;
	}
	return NULL;
}

/* The text of an element: its text children only, NFC, spaces trimmed;
 * NULL when empty. */
static char *
text_max(const xmlNode *n, size_t max)
{
	char   *acc = NULL, *nfc, *p, *e;
	size_t  len = 0;

	if (n == NULL)
		return NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		size_t  k;

		if ((c->type != XML_TEXT_NODE &&
		     c->type != XML_CDATA_SECTION_NODE) || c->content == NULL)
			continue;
		k = strlen((const char *) c->content);
		if (len + k > max) {
			free(acc);
			return NULL;
		}
		acc = xrealloc(acc, len + k + 1);
		memcpy(acc + len, c->content, k);
		len += k;
		acc[len] = 0;
	}
	if (acc == NULL)
		return NULL;
	nfc = text_nfc(acc, len);
	free(acc);
	for (p = nfc; *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'; p++)
		;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' ||
			 e[-1] == '\r'))
		e--;
	if (e == p) {
		free(nfc);
		return NULL;
	}
	p = xstrndup(p, e - p);
	free(nfc);
	return p;
}

static char *
text_of(const xmlNode *n)
{
	return text_max(n, 65536);
}

static void
put(struct doc_facts *df, enum fact_id id, char *v)
{
	if (v != NULL && *v)
		fact_set(df, id, v, SRC_EDXML, CONF_EDXML);
	free(v);
}

/* CodeNumber 15 with CodeNotation QĐ-BNV, 2020/NĐ-CP or (Party) CV/TU. */
static void
reference(struct doc_facts *df, char *num, char *note)
{
	char   *sym = note, *year = NULL, *code, *ref;
	int     party = 0;

	if (num == NULL || note == NULL) {
		free(num);
		free(note);
		return;
	}
	if (strlen(note) > 5 && note[4] == '/' &&
	    strspn(note, "0123456789") == 4) {
		year = xstrndup(note, 4);
		sym = note + 5;
	} else if (strchr(note, '/') != NULL) {
		party = 1;
	}
	code = xstrndup(sym, strcspn(sym, party ? "/" : "-"));
	if (year)
		ref = xasprintf("%s/%s/%s", num, year, sym);
	else if (party)
		ref = xasprintf("%s-%s", num, sym);
	else
		ref = xasprintf("%s/%s", num, sym);
	put(df, FACT_NUMBER, num);
	put(df, FACT_SYMBOL, xstrdup(sym));
	put(df, FACT_REFERENCE, ref);
	put(df, FACT_YEAR, year);
	if (aw_facts_type_code(code))
		put(df, FACT_TYPE_CODE, xstrdup(aw_facts_type_code(code)));
	free(code);
	free(note);
}

/* 2021/04/28 or 2021-04-28; no date when it does not exist. */
static char *
iso_date(char *s)
{
	int     y, m, d;
	char    c1, c2, extra;
	char   *r = NULL;

	if (s && sscanf(s, "%4d%c%2d%c%2d%c", &y, &c1, &m, &c2, &d, &extra) == 5
	    && (c1 == '/' || c1 == '-') && c1 == c2 &&
	    aw_facts_date_valid(y, m, d))
		r = xasprintf("%04d-%02d-%02d", y, m, d);
	free(s);
	return r;
}

/* "KT. BỘ TRƯỞNG" -> "KT."; "T/M" -> "T/M". */
static char *
competence(char *s)
{
	static const char *const forms[] = {"T/M", "TM.", "KT.", "K/T", "TL.",
	"T/L", "TUQ.", "Q.", NULL};
	char   *r = NULL;

	if (s == NULL)
		return NULL;
	for (int k = 0; forms[k]; k++) {
		size_t  n = strlen(forms[k]);

		if (strncasecmp(s, forms[k], n) == 0 &&
		    (s[n] == 0 || s[n] == ' ' || forms[k][n - 1] == '.')) {
			r = xstrdup(forms[k]);
			break;
		}
	}
	free(s);
	return r;
}

static void
header_facts(struct doc_facts *df, const xmlNode *h)
{
	const xmlNode *code = child(h, "Code");
	const xmlNode *pi = child(h, "PromulgationInfo");
	const xmlNode *si = child(h, "SignerInfo");
	const xmlNode *oi = child(h, "OtherInfo");
	char   *t;

	put(df, FACT_ISSUER, text_of(child(child(h, "From"), "OrganName")));
	reference(df, text_of(child(code, "CodeNumber")),
		  text_of(child(code, "CodeNotation")));
	put(df, FACT_PLACE, text_of(child(pi, "Place")));
	put(df, FACT_DATE, iso_date(text_of(child(pi, "PromulgationDate"))));
	put(df, FACT_TYPE_NAME, text_of(child(child(h, "DocumentType"),
					      "TypeName")));
	t = text_of(child(h, "Subject"));
	if (t == NULL)
		t = text_of(child(h, "Content"));
	if (t && strncasecmp(t, "V/v", 3) == 0) {
		char   *u = xstrdup(t + 3 + strspn(t + 3, " :"));

		free(t);
		t = u;
	}
	put(df, FACT_SUMMARY, t);
	put(df, FACT_SIGNER_COMPETENCE, competence(text_of(child(si,
							"Competence"))));
	put(df, FACT_SIGNER_POSITION, text_of(child(si, "Position")));
	put(df, FACT_SIGNER_NAME, text_of(child(si, "FullName")));
	t = text_of(child(oi, "Priority"));
	if (t && strcmp(t, "1") == 0)
		put(df, FACT_URGENCY, xstrdup("KHẨN"));
	else if (t && strcmp(t, "2") == 0)
		put(df, FACT_URGENCY, xstrdup("THƯỢNG KHẨN"));
	else if (t && (strcmp(t, "3") == 0 || strcmp(t, "4") == 0))
		put(df, FACT_URGENCY, xstrdup("HỎA TỐC"));
	free(t);
	/* A TypeName without a code in the notation: công văn stays NULL. */
}

static xmlDoc *
parse(const unsigned char *data, size_t len)
{
	if (len == 0 || len > EDXML_MAX)
		return NULL;
	return aw_xml_read(data, len, "packet.edxml", 0);
}

int
aw_edxml_facts(struct doc_facts *df, const unsigned char *data, size_t len)
{
	xmlDoc *doc = parse(data, len);
	const xmlNode *h;

	if (doc == NULL)
		return -1;
	h = find(xmlDocGetRootElement(doc), "MessageHeader", 0);
	if (h)
		header_facts(df, h);
	xmlFreeDoc(doc);
	return h ? 0 : -1;
}

/* Base64 with line breaks; NULL when malformed or too large. */
static unsigned char *
unbase64(const char *s, size_t *outlen)
{
	size_t  n = strlen(s), cap = n / 4 * 3 + 3;
	unsigned char *out;
	EVP_ENCODE_CTX *ctx;
	int     k, k2;

	if (cap > EDXML_MAX_BYTES + 3 || n > INT32_MAX)
		return NULL;
	out = xmalloc(cap + 1);
	ctx = EVP_ENCODE_CTX_new();
	if (ctx == NULL) {
		free(out);
		return NULL;
	}
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, out, &k, (const unsigned char *) s,
			     (int) n) < 0 ||
	    EVP_DecodeFinal(ctx, out + k, &k2) < 0) {
		EVP_ENCODE_CTX_free(ctx);
		free(out);
		return NULL;
	}
	EVP_ENCODE_CTX_free(ctx);
	*outlen = (size_t) k + k2;
	return out;
}

static void
add_attachment(struct analysis *a, const xmlNode *att, size_t n)
{
	const char *names[] = {"Name", "AttachmentName", "FileName",
	"Description", NULL};
	const char *vals[] = {"Value", "Data", "Content", "AttachmentValue",
	NULL};
	char   *name = NULL, *b64 = NULL;
	unsigned char *bytes;
	size_t  len = 0;
	struct document *d;

	for (int k = 0; names[k] && name == NULL; k++)
		name = text_of(child(att, names[k]));
	for (int k = 0; vals[k] && b64 == NULL; k++)
		b64 = text_max(child(att, vals[k]), EDXML_MAX_BYTES / 3 * 4 + 4096);
	if (b64 == NULL)
		b64 = text_max(att, EDXML_MAX_BYTES / 3 * 4 + 4096);
	if (b64 == NULL || (bytes = unbase64(b64, &len)) == NULL) {
		analysis_skip(a, NULL, name, "malformed: edxml attachment");
		free(name);
		free(b64);
		return;
	}
	free(b64);
	d = analysis_add_document(a);
	d->name = name ? name : xasprintf("attachment-%zu", n);
	d->origin = ORIGIN_EDXML;
	d->data = bytes;
	d->len = len;
	d->size = len;
}

int
aw_edxml_read(struct analysis *a, size_t doc_index)
{
	struct document *d;
	xmlDoc *doc;
	const xmlNode *root, *h, *enc;
	size_t  n = 0;

	if (doc_index >= a->ndocs)
		return -1;
	d = &a->docs[doc_index];
	if ((doc = parse(d->data, d->len)) == NULL) {
		analysis_skip(a, d->part, d->name, "malformed: edxml");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if ((h = find(root, "MessageHeader", 0)) != NULL)
		header_facts(&d->facts, h);
	enc = find(root, "AttachmentEncoded", 0);
	for (const xmlNode *c = enc ? enc->children : NULL; c; c = c->next) {
		if (!is(c, "Attachment"))
			continue;
		if (n >= EDXML_MAX_ATTACH) {
			analysis_skip(a, NULL, NULL,
				      "limit: edxml attachments");
			break;
		}
		/* a->docs may move: d is not used past this point. */
		add_attachment(a, c, ++n);
	}
	xmlFreeDoc(doc);
	return h ? 0 : -1;
}
