/*
 * sqlite_document.c - a document's row in the register: created the
 * first time its SHA-256 is seen, with its facts and signatures; a later
 * arrival that brings a signature the row lacks (a .p7s sent the second
 * time) adds it, and the verdict becomes the weakest of all again, with
 * the flag in the entry's flags following it.  Runs inside the message's
 * transaction (sqlite_register.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_reg.h"
#include "wbuf.h"
#include "xmalloc.h"

static const char sql_doc_insert[] =
    "INSERT INTO documents(sha256, name, type, declared_type, size,"
    " sig_verdict, needs_ocr, text, first_seen)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT(sha256) DO NOTHING";
static const char sql_doc_find[] =
    "SELECT id FROM documents WHERE sha256 = ?1";
/* A document first seen skipped (secret) keeps no name or text; when it
 * later comes to be registered, they are filled in. */
static const char sql_doc_fill[] =
    "UPDATE documents SET name = coalesce(name, ?2),"
    " text = coalesce(text, ?3), sig_verdict = coalesce(sig_verdict, ?4)"
    " WHERE id = ?1 AND (name IS NULL OR text IS NULL"
    " OR sig_verdict IS NULL)";
static const char sql_fact_insert[] =
    "INSERT OR IGNORE INTO doc_facts(document_id, fact, value, source,"
    " confidence) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char sql_sig_insert[] =
    "INSERT OR IGNORE INTO signatures(document_id, idx, verdict, signer,"
    " organization, email, issuer, serial, signing_time,"
    " signing_time_source, subfilter, digest, covers_whole_file, reason,"
    " file_name, file_sha256)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16)";
/* A signature a document's row already has: a detached one by its file,
 * one inside the document by its place (the same bytes hold the same). */
static const char sql_sig_known[] =
    "SELECT 1 FROM signatures WHERE document_id = ?1 AND (file_sha256 = ?2"
    " OR (?2 IS NULL AND file_sha256 IS NULL AND idx = ?3))";
static const char sql_sig_next[] =
    "SELECT coalesce(max(idx) + 1, 0) FROM signatures WHERE document_id = ?1";
static const char sql_sig_verdicts[] =
    "SELECT verdict FROM signatures WHERE document_id = ?1";
static const char sql_doc_verdict[] =
    "SELECT sig_verdict FROM documents WHERE id = ?1";
static const char sql_doc_set_verdict[] =
    "UPDATE documents SET sig_verdict = ?2 WHERE id = ?1";
static const char sql_reg_flags[] =
    "SELECT flags FROM registrations WHERE id = ?1";
static const char sql_reg_set_flags[] =
    "UPDATE registrations SET flags = ?2 WHERE id = ?1";

/* Whether the document's row holds this signature already: 1, 0, or -1
 * on error. */
static int
signature_known(struct regctx *c, int64_t doc, const char *file_sha,
		size_t i)
{
	sqlite3_stmt *s;
	int	rc;

	if ((s = sq_prep(c->q, sql_sig_known, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	reg_bind_opt(s, 2, file_sha);
	sqlite3_bind_int64(s, 3, (sqlite3_int64) i);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	store_err(c->err, c->errlen, "signature: %s", sqlite3_errmsg(c->q->db));
	return -1;
}

/* The first free place among the document's signature rows; -1 on error. */
static int64_t
signature_next(struct regctx *c, int64_t doc)
{
	sqlite3_stmt *s;
	int64_t	idx = -1;

	if ((s = sq_prep(c->q, sql_sig_next, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	if (sqlite3_step(s) == SQLITE_ROW)
		idx = sqlite3_column_int64(s, 0);
	else
		store_err(c->err, c->errlen, "signature: %s",
			  sqlite3_errmsg(c->q->db));
	sqlite3_reset(s);
	return idx;
}

static int
signature_insert(struct regctx *c, int64_t doc, int64_t idx,
		 const struct signature *g)
{
	sqlite3_stmt *s;

	if ((s = sq_prep(c->q, sql_sig_insert, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_int64(s, 2, idx);
	sqlite3_bind_text(s, 3, g->verdict < SIG__COUNT ?
			  sig_verdict_names[g->verdict] : "malformed",
			  -1, SQLITE_STATIC);
	reg_bind_opt(s, 4, g->signer);
	reg_bind_opt(s, 5, g->organization);
	reg_bind_opt(s, 6, g->email);
	reg_bind_opt(s, 7, g->issuer);
	reg_bind_opt(s, 8, g->serial);
	reg_bind_opt(s, 9, g->signing_time);
	reg_bind_opt(s, 10, g->signing_time_source);
	reg_bind_opt(s, 11, g->subfilter);
	reg_bind_opt(s, 12, g->digest);
	sqlite3_bind_int(s, 13, g->covers_whole_file);
	reg_bind_opt(s, 14, g->reason);
	if (g->detached && g->file < c->an->nsigfiles) {
		reg_bind_opt(s, 15, c->an->sigfiles[g->file].name);
		reg_bind_opt(s, 16, c->an->sigfiles[g->file].sha256);
	}
	return reg_step_done(c, s, "signature");
}

/*
 * After a later arrival added signatures to a document's row, its
 * verdict is again the weakest of all the row holds, as for one message:
 * a document first sent without its .p7s is valid once the file comes,
 * one sent again with a file that does not verify is invalid.  vc says
 * what changed, for the audit log.
 */
static int
verdict_recompute(struct regctx *c, int64_t doc, struct verdict_change *vc)
{
	enum sig_verdict v = SIG_VALID;
	sqlite3_stmt *s;
	const char *old;
	int	rc, k;

	if ((s = sq_prep(c->q, sql_sig_verdicts, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		old = (const char *) sqlite3_column_text(s, 0);
		k = old != NULL ? sig_verdict_by_name(old) : -1;
		v = sig_verdict_weakest(v, k < 0 ? SIG_MALFORMED :
					(enum sig_verdict) k);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(c->err, c->errlen, "signature: %s",
			  sqlite3_errmsg(c->q->db));
		return -1;
	}
	if ((s = sq_prep(c->q, sql_doc_verdict, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	rc = sqlite3_step(s);
	old = rc == SQLITE_ROW ? (const char *) sqlite3_column_text(s, 0) : NULL;
	snprintf(vc->from, sizeof(vc->from), "%s", old != NULL ? old : "none");
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_err(c->err, c->errlen, "document %" PRId64 " vanished", doc);
		return -1;
	}
	if (strcmp(vc->from, sig_verdict_names[v]) == 0)
		return 0;
	if ((s = sq_prep(c->q, sql_doc_set_verdict, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_text(s, 2, sig_verdict_names[v], -1, SQLITE_STATIC);
	if (reg_step_done(c, s, "document") != 0)
		return -1;
	vc->changed = 1;
	snprintf(vc->to, sizeof(vc->to), "%s", sig_verdict_names[v]);
	return 0;
}

/* The document's signatures: all of them for a new row; for one seen
 * before, those it does not hold yet, after the others. */
static int
signature_rows(struct regctx *c, const struct document *d, int64_t doc,
	       int fresh, struct verdict_change *vc)
{
	size_t	added = 0;
	int64_t	next = -1;	/* the first free place, once asked */

	for (size_t i = 0; i < d->nsigs; i++) {
		const struct signature *g = &d->sigs[i];
		const char *file_sha = g->detached &&
		    g->file < c->an->nsigfiles ?
		    c->an->sigfiles[g->file].sha256 : NULL;
		int64_t	idx = (int64_t) i;

		if (!fresh) {
			int	known = signature_known(c, doc, file_sha, i);

			if (known < 0)
				return -1;
			if (known)
				continue;
			if (next < 0 && (next = signature_next(c, doc)) < 0)
				return -1;
			idx = next++;
		}
		if (signature_insert(c, doc, idx, g) != 0)
			return -1;
		added++;
	}
	return !fresh && added > 0 ? verdict_recompute(c, doc, vc) : 0;
}

/* The document's row (created when new); facts and signatures are kept
 * unless the document is skipped. */
int
reg_document_row(struct regctx *c, const struct document *d, int skip,
	     int64_t *id, struct verdict_change *vc)
{
	sqlite3_stmt *s;
	int	rc, fresh;

	if ((s = sq_prep(c->q, sql_doc_insert, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, d->sha256, -1, SQLITE_STATIC);
	reg_bind_opt(s, 2, skip ? NULL : d->name);
	reg_bind_opt(s, 3, d->type);
	reg_bind_opt(s, 4, d->declared_type);
	sqlite3_bind_int64(s, 5, (sqlite3_int64) d->size);
	reg_bind_opt(s, 6, skip || d->sig_verdict >= SIG__COUNT ? NULL :
		 sig_verdict_names[d->sig_verdict]);
	sqlite3_bind_int(s, 7, d->needs_ocr);
	reg_bind_opt(s, 8, skip ? NULL : d->text);
	sqlite3_bind_int64(s, 9, (sqlite3_int64) c->now);
	if (reg_step_done(c, s, "document") != 0)
		return -1;
	fresh = sqlite3_changes(c->q->db) > 0;
	if (fresh) {
		*id = sqlite3_last_insert_rowid(c->q->db);
	} else {
		if ((s = sq_prep(c->q, sql_doc_find, c->err, c->errlen)) == NULL)
			return -1;
		sqlite3_bind_text(s, 1, d->sha256, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (*id == 0) {
			store_err(c->err, c->errlen, "document %s vanished",
				  d->sha256);
			return -1;
		}
	}
	if (skip)
		return 0;
	if (!fresh) {
		if ((s = sq_prep(c->q, sql_doc_fill, c->err, c->errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, *id);
		reg_bind_opt(s, 2, d->name);
		reg_bind_opt(s, 3, d->text);
		reg_bind_opt(s, 4, d->sig_verdict < SIG__COUNT ?
			 sig_verdict_names[d->sig_verdict] : NULL);
		if (reg_step_done(c, s, "document") != 0)
			return -1;
	}
	for (int f = 0; f < FACT__COUNT; f++) {
		const struct fact *fa = &d->facts.f[f];

		if (fa->value == NULL)
			continue;
		if ((s = sq_prep(c->q, sql_fact_insert, c->err, c->errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_text(s, 2, fact_names[f], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, fa->value, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, fa->source < SRC__COUNT ?
				  fact_source_names[fa->source] : "none", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(s, 5, fa->confidence);
		if (reg_step_done(c, s, "fact") != 0)
			return -1;
	}
	return signature_rows(c, d, *id, fresh, vc);
}

/* Whether the word of len bytes at p is w, or with prefix set, starts
 * with it. */
static int
word_is(const char *p, size_t len, const char *w, int prefix)
{
	size_t	n = strlen(w);

	return (prefix ? len >= n : len == n) && memcmp(p, w, n) == 0;
}

/* Whether flags (blank-separated) hold such a word. */
static int
has_word(const char *flags, const char *w, int prefix)
{
	for (const char *p = flags; p != NULL && *p != 0;) {
		size_t	len = strcspn(p, " ");

		if (word_is(p, len, w, prefix))
			return 1;
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

/*
 * The flags of an entry whose verdict went from one to another, or NULL
 * when they stay as they are.  require-signature flags a document
 * "signature-<verdict>": the old verdict's flag goes, and the new one's
 * (none for valid) takes its place when the entry had the old one or
 * this arrival was flagged too (now), i.e. when the rules tag documents
 * like it.
 */
static char *
flags_reflag(const char *flags, const char *from, const char *to,
	     const char *now)
{
	char   *old = xasprintf("signature-%s", from);
	char   *new = strcmp(to, "valid") != 0 ?
	    xasprintf("signature-%s", to) : NULL;
	int	had = has_word(flags, old, 0);
	struct wbuf out;

	if (!had && (new == NULL || !has_word(now, "signature-", 1) ||
		     has_word(flags, new, 0))) {
		free(old);
		free(new);
		return NULL;
	}
	wbuf_init(&out);
	for (const char *p = flags != NULL ? flags : ""; *p != 0;) {
		size_t	len = strcspn(p, " ");

		if (word_is(p, len, old, 0)) {
			if (new != NULL) {
				if (out.len > 0)
					wbuf_put(&out, " ", 1);
				wbuf_put(&out, new, strlen(new));
			}
		} else if (len > 0) {
			if (out.len > 0)
				wbuf_put(&out, " ", 1);
			wbuf_put(&out, p, len);
		}
		p += len;
		p += strspn(p, " ");
	}
	if (!had) {
		if (out.len > 0)
			wbuf_put(&out, " ", 1);
		wbuf_put(&out, new, strlen(new));
	}
	wbuf_put(&out, "", 1);
	free(old);
	free(new);
	return (char *) out.data;
}

/*
 * A verdict a later arrival changed: on reg, the entry that registered
 * the document (0: none), the verdict's flag among its flags (which the
 * export prints under Ghi chú) follows it; now is this arrival's flags.
 * The audit log says what changed.
 */
int
reg_verdict_changed(struct regctx *c, const struct verdict_change *vc,
		int64_t reg, const char *now)
{
	sqlite3_stmt *s;
	char   *detail, *flags = NULL;
	int	rc;

	if (reg > 0) {
		if ((s = sq_prep(c->q, sql_reg_flags, c->err, c->errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, reg);
		if (sqlite3_step(s) == SQLITE_ROW)
			flags = flags_reflag((const char *)
					     sqlite3_column_text(s, 0),
					     vc->from, vc->to, now);
		sqlite3_reset(s);
	}
	if (flags != NULL) {
		if ((s = sq_prep(c->q, sql_reg_set_flags, c->err,
				 c->errlen)) == NULL) {
			free(flags);
			return -1;
		}
		sqlite3_bind_int64(s, 1, reg);
		reg_bind_opt(s, 2, flags[0] ? flags : NULL);
		if (reg_step_done(c, s, "registration") != 0) {
			free(flags);
			return -1;
		}
	}
	detail = xasprintf("%s: signature verdict %s -> %s%s%s%s",
			   c->msg->message_id ? c->msg->message_id :
			   "(no Message-ID)", vc->from, vc->to,
			   flags != NULL ? "; flags now \"" : "",
			   flags != NULL ? flags : "", flags != NULL ? "\"" : "");
	rc = audit_append(c->q, c->now, c->actor, "signature-added", reg,
			  detail, c->err, c->errlen);
	free(detail);
	free(flags);
	return rc;
}
