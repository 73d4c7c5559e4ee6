/*
 * aw_pipeline.c - the analysis of one message inside a worker.
 *
 * In order: every document is extracted from the MIME tree with its real
 * type (aw_mime.c).  Then each document in turn: a PDF's signatures first
 * (aw_sig.c), so that its text can come from the revision the last
 * signature covers; then its text and facts (aw_doc.c).  Reading an edXML
 * packet adds its attachments as documents, which get their real type
 * here and are read in their turn, up to AW_MAX_DOCS in all.  Then each
 * detached signature file is paired with the document it signs
 * (aw_detached.c), and last comes the message's own S/MIME signature.
 */
#include <stdlib.h>
#include <string.h>

#include "aw_detached.h"
#include "aw_mime.h"
#include "aw_names.h"
#include "aw_pipeline.h"
#include "aw_sig.h"
#include "aw_text.h"
#include "log.h"
#include "sig_trust.h"
#include "xmalloc.h"

#define AW_MAX_DOCS	512

struct aw_context {
	struct aw_type *type;
	struct sig_trust *trust;	/* read-only once loaded */
};

struct aw_context *
aw_context_open(const struct config *cfg, FILE *errors)
{
	struct aw_context *ctx = xcalloc(1, sizeof(*ctx));
	char    err[256];

	aw_names_charconv_install();
	if (aw_pdf_keep_globals() < 0)
		log_warn("pdf: poppler's tables will be rebuilt for every PDF");
	if ((ctx->type = aw_type_open(err, sizeof(err))) == NULL) {
		fprintf(errors, "file types: %s\n", err);
		free(ctx);
		return NULL;
	}
	/* Every unusable trust file has been reported to `errors`. */
	ctx->trust = sig_trust_load(&cfg->trust_anchors, &cfg->intermediates,
				    &cfg->crl_files, cfg->signature_clock_skew, errors);
	if (ctx->trust == NULL)
		return aw_context_close(ctx);
	return ctx;
}

struct aw_context *
aw_context_close(struct aw_context *ctx)
{
	if (ctx == NULL)
		return NULL;
	aw_type_close(ctx->type);
	sig_trust_free(ctx->trust);
	free(ctx);
	return NULL;
}

static void
mime_limits_from(const struct analysis_limits *q, size_t len,
		 struct mime_limits *l)
{
	mime_limits_default(l, len);
	l->max_parts = q->max_parts;
	l->max_depth = q->max_depth;
	l->max_archive_files = q->max_archive_files;
	l->max_archive_size = q->max_archive_size;
	l->max_archive_ratio = q->max_archive_ratio;
	if (q->max_doc_size)
		l->max_doc_size = q->max_doc_size;
}

/* Documents that did not come through the MIME walk (edXML attachments)
 * get their real type from their bytes like every other. */
static void
type_document(struct aw_context *ctx, struct document *d)
{
	if (d->type != NULL || d->data == NULL)
		return;
	d->type = aw_type_detect(ctx->type, d->data, d->len);
	if (d->kind == NULL) {
		const char *kind = aw_type_kind(d->type, d->name, d->declared_type,
						d->data, d->len);

		d->kind = kind ? xstrdup(kind) : NULL;
	}
}

int
aw_analyse(struct aw_context *ctx, const char *msg, size_t len,
	   const struct wrequest *q, struct analysis *a)
{
	struct mime_limits lim;
	struct text_limits tlim;
	char   *subject = NULL;
	const char *why;

	mime_limits_from(&q->limits, len, &lim);
	if (aw_mime_extract(msg, len, &lim, ctx->type, a) < 0)
		return -1;

	text_limits_default(&tlim);
	if (q->limits.max_doc_size)
		tlim.max_input = q->limits.max_doc_size;
	if (q->subject)
		subject = aw_name_decode_words(q->subject, strlen(q->subject));
	for (size_t i = 0; i < a->ndocs && i < AW_MAX_DOCS; i++) {
		struct document *d = &a->docs[i];

		type_document(ctx, d);
		if (d->type && strcmp(d->type, "application/pdf") == 0)
			aw_sig_pdf(ctx->trust, d);
		if (aw_document_read(a, i, subject, &tlim, &why) < 0 && why)
			log_debug("worker: document %zu: %s", i, why);
	}
	free(subject);
	aw_detached_pair(ctx->trust, a);
	aw_sig_smime(ctx->trust, a, q->header_from);
	return 0;
}
