/*
 * sqlite_register.c - registering the documents of one message.
 *
 * One BEGIN IMMEDIATE transaction holds everything of a message: the
 * message row, each document with its facts and signatures, the numbers,
 * the arrivals, the search index and the audit lines.  Several messages
 * may share the transaction (group commit, store.c), each inside its own
 * savepoint: an error rolls back that message alone, a failed COMMIT
 * all of them, so a number exists only together with its rows.
 *
 * For each document, in order:
 *   - a retry of a message seen before returns what the first attempt
 *     decided (same id), marked retry, and writes nothing new;
 *   - a document the caller asked to skip is recorded as an arrival only
 *     (its hash, size and type: no text and no facts, since it may be
 *     secret);
 *   - the same SHA-256, or the same number + symbol + issuer (compared
 *     folded, punctuation ignored) of the same year of issue, as a
 *     registration still in force makes a duplicate: no number, an
 *     arrival pointing at the existing entry;
 *     signatures the document's row lacks (a .p7s sent with it this
 *     time) are added, and its verdict is again the weakest of all;
 *   - otherwise an incoming book gives the next number of (book, local
 *     year), and an outgoing book takes the document's own number and
 *     symbol (none: "unnumbered", not registered).
 * With a spool configured, a document whose file is missing from the spool
 * is an error: a number must never exist without its file.  A document's
 * own row, facts and signatures are written by sqlite_document.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "sqlite_reg.h"
#include "textnorm.h"
#include "xmalloc.h"

static const char sql_msg_find[] =
    "SELECT id FROM messages WHERE msg_key = ?1";
static const char sql_msg_retry[] =
    "UPDATE messages SET attempts = attempts + 1, outcome = ?2 WHERE id = ?1";
static const char sql_msg_insert[] =
    "INSERT INTO messages(msg_key, message_id, queue_id, env_from, rcpts,"
    " header_from, subject, client_addr, direction, size, received_at,"
    " outcome) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char sql_arrival_find[] =
    "SELECT a.disposition, r.book, r.year, r.number, r.symbol"
    " FROM arrivals a LEFT JOIN registrations r ON r.id = a.registration_id"
    " WHERE a.message_id = ?1 AND a.sha256 = ?2 AND a.copy = ?3";
static const char sql_arrival_insert[] =
    "INSERT INTO arrivals(message_id, sha256, copy, document_id, part, name,"
    " disposition, registration_id, reason, at)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_dup_sha[] =
    "SELECT r.book, r.year, r.number, r.symbol, r.id FROM registrations r"
    " JOIN documents d ON d.id = r.document_id"
    " WHERE d.sha256 = ?1 AND r.status = 'registered' ORDER BY r.id LIMIT 1";
/* Issuers number from 01 every year: a reference of another year of
 * issue is another document.  An unknown date matches any year. */
static const char sql_dup_ref[] =
    "SELECT book, year, number, symbol, id FROM registrations"
    " WHERE ref_key = ?1 AND status = 'registered' AND (?2 IS NULL OR"
    " doc_date IS NULL OR substr(doc_date, 1, 4) = substr(?2, 1, 4))"
    " ORDER BY id LIMIT 1";
static const char sql_dup_own[] =
    "SELECT book, year, number, symbol, id FROM registrations"
    " WHERE book = ?1 AND year = ?2 AND number = ?3 AND symbol = ?4";
static const char sql_book_dir[] =
    "SELECT direction FROM books WHERE code = ?1";
static const char sql_reg_insert[] =
    "INSERT INTO registrations(book, year, number, symbol, registered_at,"
    " document_id, message_id, reference, ref_key, issuer, doc_date,"
    " type_name, type_code, summary, urgency, signer, recipients, flags)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?17, ?18)";

static const char *
fact(const struct document *d, enum fact_id id)
{
	const char *v = d->facts.f[id].value;

	return v != NULL && v[0] != 0 ? v : NULL;
}

void
reg_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

int
reg_step_done(struct regctx *c, sqlite3_stmt *s, const char *what)
{
	int	rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(c->err, c->errlen, "%s: %s", what,
			  sqlite3_errmsg(c->q->db));
		return -1;
	}
	return 0;
}

/* Folded, letters and digits only: "Số 15/QĐ-BNV" and "so 15 qd bnv"
 * give the same key part.  Leading zeros of numbers go too. */
static void
key_part(char **buf, size_t *len, const char *s, int number)
{
	char   *f = text_fold(s);
	const char *p = f;

	if (number)
		while (*p == '0' && p[1] != 0)
			p++;
	for (; *p; p++) {
		if (!isalnum((unsigned char) *p) && (unsigned char) *p < 0x80)
			continue;
		*buf = xrealloc(*buf, *len + 2);
		(*buf)[(*len)++] = *p;
		(*buf)[*len] = 0;
	}
	*buf = xrealloc(*buf, *len + 2);
	(*buf)[(*len)++] = '|';
	(*buf)[*len] = 0;
	free(f);
}

/* number|symbol|issuer, or NULL when one of them is unknown. */
char   *
reg_ref_key(const char *n, const char *s, const char *i)
{
	char   *k = NULL;
	size_t	len = 0;

	if (n == NULL || s == NULL || i == NULL || !n[0] || !s[0] || !i[0])
		return NULL;
	key_part(&k, &len, n, 1);
	key_part(&k, &len, s, 0);
	key_part(&k, &len, i, 0);
	return k;
}

static char *
ref_key(const struct document *d)
{
	return reg_ref_key(fact(d, FACT_NUMBER), fact(d, FACT_SYMBOL),
			   fact(d, FACT_ISSUER));
}

/* Digits, then "/" or "-" (spaces around), an optional year of issue
 * and "/", then the symbol: what the daemon reads into number and
 * symbol from "Số: 30/2020/NĐ-CP" or "Số 572-CV/TU". */
int
reg_ref_split(const char *ref, char **number, char **symbol)
{
	const char *p = ref, *n, *y;
	size_t	nlen;

	*number = *symbol = NULL;
	while (*p == ' ')
		p++;
	n = p;
	while (isdigit((unsigned char) *p))
		p++;
	if ((nlen = (size_t) (p - n)) == 0)
		return -1;
	while (*p == ' ')
		p++;
	if (*p != '/' && *p != '-')
		return -1;
	for (p++; *p == ' '; p++)
		;
	for (y = p; isdigit((unsigned char) *y); y++)
		;
	if (y - p == 4) {
		while (*y == ' ')
			y++;
		if (*y == '/')
			for (p = y + 1; *p == ' '; p++)
				;
	}
	if (*p == 0)
		return -1;
	*number = xstrndup(n, nlen);
	*symbol = xstrdup(p);
	return 0;
}

/* The Message-ID, or a digest of what identifies the message otherwise:
 * sender, recipients, subject and the documents' hashes. */
static char *
message_key(const struct msg_info *m, const struct analysis *an)
{
	EVP_MD_CTX *md;
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	char	hex[2 * EVP_MAX_MD_SIZE + 1];

	if (m->message_id != NULL && m->message_id[0] != 0)
		return xasprintf("mid:%s", m->message_id);
	md = EVP_MD_CTX_new();
	if (md == NULL)
		return NULL;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, m->from ? m->from : "", m->from ? strlen(m->from) + 1 : 1);
	for (size_t i = 0; i < m->nrcpts; i++)
		EVP_DigestUpdate(md, m->rcpts[i], strlen(m->rcpts[i]) + 1);
	EVP_DigestUpdate(md, m->subject ? m->subject : "",
			 m->subject ? strlen(m->subject) + 1 : 1);
	for (size_t i = 0; i < an->ndocs; i++)
		EVP_DigestUpdate(md, an->docs[i].sha256, 64);
	EVP_DigestFinal_ex(md, h, &hl);
	EVP_MD_CTX_free(md);
	for (unsigned int i = 0; i < hl; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	return xasprintf("sum:%s", hex);
}

static char *
join_lines(char *const *v, size_t n)
{
	size_t	len = 1, o = 0;
	char   *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	s = xmalloc(len);
	for (size_t i = 0; i < n; i++) {
		size_t	l = strlen(v[i]);

		memcpy(s + o, v[i], l);
		o += l;
		if (i + 1 < n)
			s[o++] = '\n';
	}
	s[o] = 0;
	return s;
}

static int
message_row(struct regctx *c)
{
	const struct msg_info *m = c->msg;
	const char *outcome = c->req != NULL ? c->req->outcome : NULL;
	sqlite3_stmt *s;
	char   *key, *rcpts;
	int	rc;

	key = message_key(m, c->an);
	if (key == NULL) {
		store_err(c->err, c->errlen, "message key: digest failed");
		return -1;
	}
	if ((s = sq_prep(c->q, sql_msg_find, c->err, c->errlen)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->msg_row = sqlite3_column_int64(s, 0);
		c->retry = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_err(c->err, c->errlen, "%s", sqlite3_errmsg(c->q->db));
		goto fail;
	}
	if (c->retry) {
		if ((s = sq_prep(c->q, sql_msg_retry, c->err, c->errlen)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, c->msg_row);
		reg_bind_opt(s, 2, outcome);
		if (reg_step_done(c, s, "message retry") != 0)
			goto fail;
		free(key);
		return audit_append(c->q, c->now, c->actor, "retry", 0,
				    m->message_id != NULL ? m->message_id :
				    m->queue_id, c->err, c->errlen);
	}
	if ((s = sq_prep(c->q, sql_msg_insert, c->err, c->errlen)) == NULL)
		goto fail;
	rcpts = join_lines(m->rcpts, m->nrcpts);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	reg_bind_opt(s, 2, m->message_id);
	reg_bind_opt(s, 3, m->queue_id);
	reg_bind_opt(s, 4, m->from);
	sqlite3_bind_text(s, 5, rcpts, -1, free);
	reg_bind_opt(s, 6, m->header_from);
	reg_bind_opt(s, 7, m->subject);
	reg_bind_opt(s, 8, m->client_addr);
	reg_bind_opt(s, 9, m->direction < DIR__COUNT ?
		 direction_names[m->direction] : NULL);
	sqlite3_bind_int64(s, 10, (sqlite3_int64) m->size);
	sqlite3_bind_int64(s, 11, (sqlite3_int64) c->now);
	reg_bind_opt(s, 12, outcome);
	if (reg_step_done(c, s, "message") != 0)
		goto fail;
	c->msg_row = sqlite3_last_insert_rowid(c->q->db);
	free(key);
	return 0;
fail:
	free(key);
	return -1;
}

static void
result_from_row(struct doc_result *r, sqlite3_stmt *s, int col)
{
	const char *book = (const char *) sqlite3_column_text(s, col);
	const char *sym = (const char *) sqlite3_column_text(s, col + 3);

	snprintf(r->book, sizeof(r->book), "%s", book != NULL ? book : "");
	r->year = sqlite3_column_int(s, col + 1);
	r->number = sqlite3_column_int64(s, col + 2);
	store_id_format(r->id, sizeof(r->id), r->book, r->year, r->number, sym);
}

/* A retry: what did the first attempt decide for this document?
 * Returns 1 when found (r filled), 0 when not, -1 on error. */
static int
earlier_answer(struct regctx *c, const struct document *d, int copy,
	       struct doc_result *r)
{
	sqlite3_stmt *s;
	int	rc, found = 0;

	if ((s = sq_prep(c->q, sql_arrival_find, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->msg_row);
	sqlite3_bind_text(s, 2, d->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, copy);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *disp = (const char *) sqlite3_column_text(s, 0);

		found = 1;
		r->retry = 1;
		for (int i = 0; i < REG__COUNT; i++)
			if (disp != NULL && strcmp(disp, reg_status_names[i]) == 0)
				r->status = i;
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			result_from_row(r, s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_err(c->err, c->errlen, "%s", sqlite3_errmsg(c->q->db));
		return -1;
	}
	return found;
}

static int
arrival(struct regctx *c, const struct document *d, int copy, int64_t doc,
	enum reg_status disp, int64_t reg, const char *reason)
{
	sqlite3_stmt *s;

	if ((s = sq_prep(c->q, sql_arrival_insert, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->msg_row);
	sqlite3_bind_text(s, 2, d->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, copy);
	sqlite3_bind_int64(s, 4, doc);
	reg_bind_opt(s, 5, d->part);
	reg_bind_opt(s, 6, d->name);
	sqlite3_bind_text(s, 7, reg_status_names[disp], -1, SQLITE_STATIC);
	if (reg > 0)
		sqlite3_bind_int64(s, 8, reg);
	reg_bind_opt(s, 9, reason);
	sqlite3_bind_int64(s, 10, (sqlite3_int64) c->now);
	return reg_step_done(c, s, "arrival");
}

/* An existing registration in force that this document repeats (date,
 * when not NULL, its date of issue, bound as ?2): 1 and r, reg filled; 0
 * none; -1 error. */
static int
find_duplicate(struct regctx *c, const char *sql, const char *key,
	       const char *date, struct doc_result *r, int64_t *reg)
{
	sqlite3_stmt *s;
	int	rc;

	if (key == NULL)
		return 0;
	if ((s = sq_prep(c->q, sql, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (date != NULL)
		sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		result_from_row(r, s, 0);
		*reg = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_err(c->err, c->errlen, "%s", sqlite3_errmsg(c->q->db));
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* 'in' or 'out' for a book code; -1 with err when no such book. */
static int
book_outgoing(struct regctx *c, const char *book)
{
	sqlite3_stmt *s;
	int	rc, out = -1;

	if ((s = sq_prep(c->q, sql_book_dir, c->err, c->errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, book, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out = strcmp((const char *) sqlite3_column_text(s, 0), "out") == 0;
	sqlite3_reset(s);
	if (out < 0)
		store_err(c->err, c->errlen, "no such book: %s", book);
	return out;
}

/* The document's own number for an outgoing book: digits only. */
static int64_t
own_number(const struct document *d)
{
	const char *n = fact(d, FACT_NUMBER);
	int64_t	v = 0;

	if (n == NULL)
		return 0;
	for (; *n; n++) {
		if (!isdigit((unsigned char) *n) || v > INT64_MAX / 100)
			return 0;
		v = v * 10 + (*n - '0');
	}
	return v;
}

static int
own_year(const struct document *d, time_t now)
{
	const char *s = fact(d, FACT_DATE);
	int	y = 0;

	if (s == NULL)
		s = fact(d, FACT_YEAR);
	if (s == NULL)
		return store_local_year(now);
	for (int i = 0; i < 4; i++) {
		if (!isdigit((unsigned char) s[i]))
			return 0;
		y = y * 10 + (s[i] - '0');
	}
	return y >= 1900 ? y : 0;
}

static int
spool_has(struct regctx *c, const struct document *d)
{
	const char *spool = store_spool(c->st);
	struct stat sb;
	char   *p;
	int	ok;

	if (spool == NULL)
		return 1;
	p = store_spool_path(spool, d->sha256);
	ok = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
	if (!ok)
		store_err(c->err, c->errlen, "document %s: not in the spool "
			  "(%s)", d->sha256, p);
	free(p);
	return ok;
}

static int
register_one(struct regctx *c, size_t i, int copy, struct doc_result *r)
{
	const struct document *d = &c->an->docs[i];
	const struct doc_request *dr = c->req != NULL && c->req->docs != NULL ?
	    &c->req->docs[i] : NULL;
	const char *book;
	char   *key = NULL, *rcpts = NULL;
	struct verdict_change vc = {0};
	int64_t	doc, reg = 0, number;
	int	outgoing, year, found, by_sha;
	sqlite3_stmt *s;

	if (c->retry) {
		found = earlier_answer(c, d, copy, r);
		if (found != 0)
			return found < 0 ? -1 : 0;
	}
	if (strlen(d->sha256) != 64) {
		store_err(c->err, c->errlen, "document %zu has no SHA-256", i);
		return -1;
	}
	if (dr != NULL && dr->skip) {
		r->status = REG_SKIPPED;
		if (reg_document_row(c, d, 1, &doc, &vc) != 0)
			return -1;
		return arrival(c, d, copy, doc, REG_SKIPPED, 0,
			       dr->skip_reason);
	}
	book = dr != NULL && dr->book != NULL ? dr->book :
	    c->msg->direction == DIR_OUTBOUND ? "di" : "den";
	if ((outgoing = book_outgoing(c, book)) < 0)
		return -1;
	if (reg_document_row(c, d, 0, &doc, &vc) != 0)
		return -1;
	key = ref_key(d);
	found = by_sha = find_duplicate(c, sql_dup_sha, d->sha256, NULL, r,
					&reg);
	if (found == 0)
		found = find_duplicate(c, sql_dup_ref, key, fact(d, FACT_DATE),
				       r, &reg);
	if (found < 0)
		goto fail;
	if (found) {
		free(key);
		r->status = REG_DUPLICATE;
		/* The arrival first, then what it changed; found by its
		 * bytes, reg is the entry of this very document. */
		return arrival(c, d, copy, doc, REG_DUPLICATE, reg, NULL) != 0 ||
		    audit_append(c->q, c->now, c->actor, "arrived-again", reg,
				 c->msg->message_id, c->err, c->errlen) != 0 ||
		    (vc.changed && reg_verdict_changed(c, &vc, by_sha ? reg : 0,
						   dr != NULL ? dr->flags :
						   NULL) != 0) ? -1 : 0;
	}
	/* A document kept before without an entry (skipped, secret). */
	if (vc.changed && reg_verdict_changed(c, &vc, 0,
					  dr != NULL ? dr->flags : NULL) != 0)
		goto fail;
	if (!spool_has(c, d))
		goto fail;
	snprintf(r->book, sizeof(r->book), "%s", book);
	if (outgoing) {
		const char *sym = fact(d, FACT_SYMBOL);

		number = own_number(d);
		year = own_year(d, c->now);
		if (number <= 0 || year == 0) {
			free(key);
			r->status = REG_UNNUMBERED;
			r->book[0] = 0;
			return arrival(c, d, copy, doc, REG_UNNUMBERED, 0,
				       "no number of its own");
		}
		/* The same number and symbol in our own book, from another
		 * issuer than ref_key saw: still the same entry. */
		if ((s = sq_prep(c->q, sql_dup_own, c->err, c->errlen)) == NULL)
			goto fail;
		sqlite3_bind_text(s, 1, book, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, year);
		sqlite3_bind_int64(s, 3, number);
		sqlite3_bind_text(s, 4, sym != NULL ? sym : "", -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW) {
			result_from_row(r, s, 0);
			reg = sqlite3_column_int64(s, 4);
			sqlite3_reset(s);
			free(key);
			r->status = REG_DUPLICATE;
			return arrival(c, d, copy, doc, REG_DUPLICATE, reg, NULL);
		}
		sqlite3_reset(s);
		rcpts = join_lines(c->msg->rcpts, c->msg->nrcpts);
		store_id_format(r->id, sizeof(r->id), book, year, number, sym);
	} else {
		year = store_local_year(c->now);
		if (number_next(c->q, book, year, &number, c->err, c->errlen) != 0)
			goto fail;
		store_id_format(r->id, sizeof(r->id), book, year, number, NULL);
	}
	store_fault(c->st, "register.numbered");
	r->status = REG_NEW;
	r->year = year;
	r->number = number;
	if ((s = sq_prep(c->q, sql_reg_insert, c->err, c->errlen)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, book, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int64(s, 3, number);
	sqlite3_bind_text(s, 4, outgoing && fact(d, FACT_SYMBOL) != NULL ?
			  fact(d, FACT_SYMBOL) : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, (sqlite3_int64) c->now);
	sqlite3_bind_int64(s, 6, doc);
	sqlite3_bind_int64(s, 7, c->msg_row);
	reg_bind_opt(s, 8, fact(d, FACT_REFERENCE));
	reg_bind_opt(s, 9, key);
	reg_bind_opt(s, 10, fact(d, FACT_ISSUER));
	reg_bind_opt(s, 11, fact(d, FACT_DATE));
	reg_bind_opt(s, 12, fact(d, FACT_TYPE_NAME));
	reg_bind_opt(s, 13, fact(d, FACT_TYPE_CODE));
	reg_bind_opt(s, 14, fact(d, FACT_SUMMARY));
	reg_bind_opt(s, 15, fact(d, FACT_URGENCY));
	reg_bind_opt(s, 16, fact(d, FACT_SIGNER_NAME));
	reg_bind_opt(s, 17, rcpts != NULL ? rcpts : fact(d, FACT_RECIPIENTS));
	reg_bind_opt(s, 18, dr != NULL ? dr->flags : NULL);
	if (reg_step_done(c, s, "registration") != 0)
		goto fail;
	reg = sqlite3_last_insert_rowid(c->q->db);
	{
		const char *parts[] = {
			fact(d, FACT_TYPE_NAME), fact(d, FACT_SUMMARY),
			fact(d, FACT_ISSUER), fact(d, FACT_REFERENCE),
			fact(d, FACT_SIGNER_NAME), d->name, d->text,
		};

		if (search_index(c->q, reg, parts, sizeof(parts) /
				 sizeof(parts[0]), c->err, c->errlen) != 0)
			goto fail;
	}
	if (arrival(c, d, copy, doc, REG_NEW, reg, NULL) != 0 ||
	    audit_append(c->q, c->now, c->actor, "register", reg, r->id,
			 c->err, c->errlen) != 0)
		goto fail;
	free(key);
	free(rcpts);
	return 0;
fail:
	free(key);
	free(rcpts);
	return -1;
}

/* One message inside the batch's transaction, in its own savepoint. */
static int
register_message(struct regctx *c)
{
	const struct analysis *an = c->an;

	if (sq_exec(c->q, "SAVEPOINT message", c->err, c->errlen) != 0)
		return -1;
	if (message_row(c) != 0)
		goto fail;
	for (size_t i = 0; i < an->ndocs; i++) {
		int	copy = 0;

		for (size_t j = 0; j < i; j++)
			if (strcmp(an->docs[j].sha256, an->docs[i].sha256) == 0)
				copy++;
		if (register_one(c, i, copy, &c->res->docs[i]) != 0)
			goto fail;
	}
	return sq_exec(c->q, "RELEASE message", c->err, c->errlen);
fail:
	sqlite3_exec(c->q->db, "ROLLBACK TO message; RELEASE message", NULL,
		     NULL, NULL);
	return -1;
}

/* Nothing was registered: the caller must not use any id. */
static void
job_failed(struct reg_job *j, const char *why)
{
	if (why != NULL && why != j->res->error)
		snprintf(j->res->error, sizeof(j->res->error), "%s", why);
	for (size_t i = 0; i < j->res->ndocs; i++)
		memset(&j->res->docs[i], 0, sizeof(j->res->docs[i]));
	j->rc = -1;
}

void
sq_register(struct store *st, struct reg_job *const *jobs, size_t n)
{
	struct sq *q = st->conn;
	char	err[256];
	time_t	now;
	size_t	i;

	for (i = 0; i < n; i++) {
		struct register_result *res = jobs[i]->res;

		res->error[0] = 0;
		res->ndocs = jobs[i]->an->ndocs;
		res->docs = xcalloc(res->ndocs ? res->ndocs : 1,
				    sizeof(*res->docs));
		jobs[i]->rc = 0;
	}
	if (sq_begin(q, err, sizeof(err)) != 0) {
		for (i = 0; i < n; i++)
			job_failed(jobs[i], err);
		return;
	}
	/* The clock is read with the write lock held, so registration
	 * times follow the numbers. */
	now = store_now(st);
	store_fault(st, "register.begin");
	for (i = 0; i < n; i++) {
		const struct register_request *req = jobs[i]->req;
		struct regctx c = {
			.st = st, .q = q, .msg = jobs[i]->msg,
			.an = jobs[i]->an, .req = req, .res = jobs[i]->res,
			.err = jobs[i]->res->error,
			.errlen = sizeof(jobs[i]->res->error), .now = now,
			.actor = req != NULL && req->actor != NULL ?
			    req->actor : "milter",
		};

		if (register_message(&c) != 0)
			job_failed(jobs[i], NULL);
	}
	store_fault(st, "register.commit");
	if (sq_commit(q, err, sizeof(err)) != 0) {
		for (i = 0; i < n; i++)
			if (jobs[i]->rc == 0)
				job_failed(jobs[i], err);
		return;
	}
	store_fault(st, "register.done");
}
