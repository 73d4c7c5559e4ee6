/*
 * aw_pipeline.c - the analysis of one message inside a worker.
 *
 * For now a plain libetpan walk: every leaf part that carries a file name
 * or is not text becomes a document, decoded, with its SHA-256.
 */
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "aw_pipeline.h"
#include "digest.h"
#include "textnorm.h"
#include "xmalloc.h"

struct aw_context {
	int     unused;
};

struct aw_context *
aw_context_open(const struct config *cfg, FILE *errors)
{
	(void) cfg;
	(void) errors;
	return xcalloc(1, sizeof(struct aw_context));
}

struct aw_context *
aw_context_close(struct aw_context *ctx)
{
	free(ctx);
	return NULL;
}

static int
is_document(struct mailmime *mm, const char **name)
{
	struct mailmime_single_fields sf;
	struct mailmime_type *t;

	memset(&sf, 0, sizeof(sf));
	mailmime_single_fields_init(&sf, mm->mm_mime_fields, mm->mm_content_type);
	*name = sf.fld_disposition_filename ? sf.fld_disposition_filename :
	    sf.fld_content_name;
	if (*name)
		return 1;
	t = mm->mm_content_type ? mm->mm_content_type->ct_type : NULL;
	return t && !(t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
		      t->tp_data.tp_discrete_type->dt_type == MAILMIME_DISCRETE_TYPE_TEXT);
}

static void
add_part(struct analysis *a, struct mailmime *mm, const char *part)
{
	struct mailmime_single_fields sf;
	struct document *d;
	const char *name;
	char   *decoded = NULL;
	size_t  idx = 0, dlen = 0;
	int     enc;

	if (mm->mm_body == NULL || !is_document(mm, &name))
		return;
	memset(&sf, 0, sizeof(sf));
	mailmime_single_fields_init(&sf, mm->mm_mime_fields, mm->mm_content_type);
	enc = sf.fld_encoding ? sf.fld_encoding->enc_type : MAILMIME_MECHANISM_8BIT;
	if (mailmime_part_parse(mm->mm_body->dt_data.dt_text.dt_data,
				mm->mm_body->dt_data.dt_text.dt_length, &idx, enc,
				&decoded, &dlen) != MAILIMF_NO_ERROR) {
		analysis_skip(a, part, name, "malformed: cannot decode the part");
		return;
	}
	d = analysis_add_document(a);
	d->name = name ? text_nfc(name, strlen(name)) : NULL;
	d->part = xstrdup(part);
	d->origin = ORIGIN_ATTACHMENT;
	d->size = dlen;
	d->len = dlen;
	d->data = xmalloc(dlen);
	memcpy(d->data, decoded, dlen);
	sha256_hex(d->data, d->len, d->sha256);
	d->type = xstrdup("application/octet-stream");
	mailmime_decoded_part_free(decoded);
}

static void
walk(struct analysis *a, struct mailmime *mm, const char *part, unsigned depth)
{
	clistiter *it;
	char    sub[256];
	int     i = 1;

	if (depth > 10) {
		analysis_skip(a, part, NULL, "limit: nesting too deep");
		return;
	}
	switch (mm->mm_type) {
	case MAILMIME_SINGLE:
		add_part(a, mm, *part ? part : "1");
		break;
	case MAILMIME_MULTIPLE:
		for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list); it;
		     it = clist_next(it), i++) {
			snprintf(sub, sizeof(sub), "%s%s%d", part, *part ? "." : "", i);
			walk(a, clist_content(it), sub, depth + 1);
		}
		break;
	case MAILMIME_MESSAGE:
		if (mm->mm_data.mm_message.mm_msg_mime)
			walk(a, mm->mm_data.mm_message.mm_msg_mime, part, depth + 1);
		break;
	}
}

int
aw_analyse(struct aw_context *ctx, const char *msg, size_t len,
	   const struct wrequest *q, struct analysis *a)
{
	struct mailmime *mime = NULL;
	size_t  idx = 0;

	(void) ctx;
	(void) q;
	if (mailmime_parse(msg, len, &idx, &mime) != MAILIMF_NO_ERROR) {
		a->error = xstrdup("malformed MIME structure");
		return -1;
	}
	walk(a, mime, "", 0);
	mailmime_free(mime);
	return 0;
}
