/*
 * facts.c - names, constructors and destructors for facts.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "facts.h"
#include "xmalloc.h"

const char *const fact_names[FACT__COUNT] = {
	[FACT_ISSUER] = "issuer",
	[FACT_NUMBER] = "number",
	[FACT_SYMBOL] = "symbol",
	[FACT_REFERENCE] = "reference",
	[FACT_REFERENCE_PRINTED] = "reference_printed",
	[FACT_YEAR] = "year",
	[FACT_DATE] = "date",
	[FACT_PLACE] = "place",
	[FACT_TYPE_CODE] = "type_code",
	[FACT_TYPE_NAME] = "type_name",
	[FACT_SUMMARY] = "summary",
	[FACT_URGENCY] = "urgency",
	[FACT_SECRECY] = "secrecy",
	[FACT_CIRCULATION] = "circulation",
	[FACT_SIGNER_NAME] = "signer_name",
	[FACT_SIGNER_POSITION] = "signer_position",
	[FACT_SIGNER_COMPETENCE] = "signer_competence",
	[FACT_RECIPIENTS] = "recipients",
};

const char *const fact_source_names[SRC__COUNT] = {
	[SRC_NONE] = "none",
	[SRC_EDXML] = "edxml",
	[SRC_TEXT] = "text",
	[SRC_FILENAME] = "filename",
	[SRC_SUBJECT] = "subject",
	[SRC_PAGE_HEADER] = "page_header",
	[SRC_PAGE_FOOTER] = "page_footer",
};

const char *const sig_verdict_names[SIG__COUNT] = {
	[SIG_VALID] = "valid",
	[SIG_ABSENT] = "absent",
	[SIG_UNTRUSTED] = "untrusted",
	[SIG_EXPIRED] = "expired",
	[SIG_REVOKED] = "revoked",
	[SIG_MODIFIED] = "modified",
	[SIG_INVALID] = "invalid",
	[SIG_MALFORMED] = "malformed",
};

const char *const doc_origin_names[ORIGIN__COUNT] = {
	[ORIGIN_ATTACHMENT] = "attachment",
	[ORIGIN_INLINE] = "inline",
	[ORIGIN_ARCHIVE] = "archive",
	[ORIGIN_FORWARDED] = "forwarded",
	[ORIGIN_EDXML] = "edxml",
};

const char *const direction_names[DIR__COUNT] = {
	[DIR_INBOUND] = "inbound",
	[DIR_OUTBOUND] = "outbound",
	[DIR_INTERNAL] = "internal",
	[DIR_TRANSIT] = "transit",
};

int
fact_by_name(const char *name)
{
	for (int i = 0; i < FACT__COUNT; i++)
		if (strcasecmp(name, fact_names[i]) == 0)
			return i;
	return -1;
}

int
sig_verdict_by_name(const char *name)
{
	for (int i = 0; i < SIG__COUNT; i++)
		if (strcasecmp(name, sig_verdict_names[i]) == 0)
			return i;
	return -1;
}

/* The enum runs from strongest to weakest, so the weaker is the larger. */
enum sig_verdict
sig_verdict_weakest(enum sig_verdict a, enum sig_verdict b)
{
	return a > b ? a : b;
}

void
fact_set(struct doc_facts *df, enum fact_id id, const char *value,
	 enum fact_source source, unsigned char confidence)
{
	struct fact *f = &df->f[id];

	free(f->value);
	f->value = value ? xstrdup(value) : NULL;
	f->source = value ? source : SRC_NONE;
	f->confidence = value ? confidence : 0;
}

void
doc_facts_clear(struct doc_facts *df)
{
	for (int i = 0; i < FACT__COUNT; i++)
		free(df->f[i].value);
	memset(df, 0, sizeof(*df));
}

void
signature_clear(struct signature *s)
{
	free(s->signer);
	free(s->organization);
	free(s->email);
	free(s->issuer);
	free(s->serial);
	free(s->signing_time);
	free(s->signing_time_source);
	free(s->subfilter);
	free(s->digest);
	free(s->reason);
	memset(s, 0, sizeof(*s));
}

void
document_clear(struct document *d)
{
	free(d->name);
	free(d->type);
	free(d->declared_type);
	free(d->part);
	free(d->origin_detail);
	free(d->kind);
	free(d->text);
	free(d->page_headers);
	free(d->page_footers);
	doc_facts_clear(&d->facts);
	for (size_t i = 0; i < d->nsigs; i++)
		signature_clear(&d->sigs[i]);
	free(d->sigs);
	free(d->data);
	memset(d, 0, sizeof(*d));
	d->sig_verdict = SIG_ABSENT;
}

struct document *
analysis_add_document(struct analysis *a)
{
	struct document *d;

	a->docs = xreallocarray(a->docs, a->ndocs + 1, sizeof(*a->docs));
	d = &a->docs[a->ndocs++];
	memset(d, 0, sizeof(*d));
	d->sig_verdict = SIG_ABSENT;
	return d;
}

void
analysis_skip_in(struct analysis *a, const char *part, const char *name,
		 const char *reason, const char *archive)
{
	struct skipped *s;

	a->skipped = xreallocarray(a->skipped, a->nskipped + 1,
				   sizeof(*a->skipped));
	s = &a->skipped[a->nskipped++];
	s->part = part ? xstrdup(part) : NULL;
	s->name = name ? xstrdup(name) : NULL;
	s->reason = xstrdup(reason);
	s->archive = archive ? xstrdup(archive) : NULL;
}

void
analysis_skip(struct analysis *a, const char *part, const char *name,
	      const char *reason)
{
	analysis_skip_in(a, part, name, reason, NULL);
}

/* Documents and their unnamed files (fds may be NULL, an entry -1). */
static void
documents_free(struct document *docs, int *fds, size_t n)
{
	for (size_t i = 0; fds != NULL && i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	for (size_t i = 0; i < n; i++)
		document_clear(&docs[i]);
	free(docs);
}

void
analysis_clear(struct analysis *a)
{
	documents_free(a->docs, a->doc_fds, a->ndocs);
	documents_free(a->sigfiles, a->sigfile_fds, a->nsigfiles);
	for (size_t i = 0; i < a->nskipped; i++) {
		free(a->skipped[i].part);
		free(a->skipped[i].name);
		free(a->skipped[i].reason);
		free(a->skipped[i].archive);
	}
	free(a->skipped);
	free(a->smime.signer);
	free(a->smime.reason);
	free(a->error);
	free(a->smime_content);
	free(a->smime_der);
	memset(a, 0, sizeof(*a));
}

void
msg_info_clear(struct msg_info *m)
{
	free(m->queue_id);
	free(m->message_id);
	free(m->client_addr);
	free(m->auth);
	free(m->from);
	for (size_t i = 0; i < m->nrcpts; i++)
		free(m->rcpts[i]);
	free(m->rcpts);
	free(m->subject);
	free(m->header_from);
	for (size_t i = 0; i < m->nheaders; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
	}
	free(m->headers);
	memset(m, 0, sizeof(*m));
}
