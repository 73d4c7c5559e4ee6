/*
 * sqlite_query.c - what the clerk reads from the SQLite backend: list,
 * get, show, books, stats (the changes are in sqlite_change.c).
 *
 * Reads run as single statements (a consistent snapshot in WAL mode).
 * Filters are bound as parameters, never pasted into SQL.  A bad id or
 * date is an error naming the expected form.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sqlite_int.h"
#include "textnorm.h"
#include "xmalloc.h"

#define ENTRY_COLUMNS \
    "SELECT r.id, r.book, r.year, r.number, r.symbol, r.registered_at," \
    " r.status, r.cancel_reason, r.reference, r.issuer, r.doc_date," \
    " r.type_name, r.summary, r.urgency, r.signer, r.recipients," \
    " d.sig_verdict, d.sha256, d.name, d.type, d.size, m.message_id," \
    " m.env_from, r.lead, r.coop, r.due, r.assigned_at, r.notes, r.flags," \
    " (SELECT count(*) FROM arrivals a WHERE a.registration_id = r.id)" \
    " FROM registrations r JOIN documents d ON d.id = r.document_id" \
    " JOIN messages m ON m.id = r.message_id"

static void
entry_read(sqlite3_stmt *s, struct reg_entry *e)
{
	char	id[STORE_ID_MAX];

	memset(e, 0, sizeof(*e));
	e->rowid = sqlite3_column_int64(s, 0);
	e->book = sq_text(s, 1);
	e->year = sqlite3_column_int(s, 2);
	e->number = sqlite3_column_int64(s, 3);
	e->symbol = sq_text(s, 4);
	e->registered_at = sqlite3_column_int64(s, 5);
	e->status = sq_text(s, 6);
	e->cancel_reason = sq_text(s, 7);
	e->reference = sq_text(s, 8);
	e->issuer = sq_text(s, 9);
	e->date = sq_text(s, 10);
	e->type_name = sq_text(s, 11);
	e->summary = sq_text(s, 12);
	e->urgency = sq_text(s, 13);
	e->signer = sq_text(s, 14);
	e->recipients = sq_text(s, 15);
	e->signature_verdict = sq_text(s, 16);
	e->sha256 = sq_text(s, 17);
	e->doc_name = sq_text(s, 18);
	e->doc_type = sq_text(s, 19);
	e->size = sqlite3_column_int64(s, 20);
	e->message_id = sq_text(s, 21);
	e->env_from = sq_text(s, 22);
	e->lead = sq_text(s, 23);
	e->coop = sq_text(s, 24);
	e->due = sq_text(s, 25);
	e->assigned_at = sqlite3_column_int64(s, 26);
	e->notes = sq_text(s, 27);
	e->flags = sq_text(s, 28);
	e->arrivals = sqlite3_column_int64(s, 29);
	store_id_format(id, sizeof(id), e->book, e->year, e->number, e->symbol);
	e->id = xstrdup(id);
}

static void
sig_files_free(struct sig_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].sha256);
	}
	free(f);
}

void
reg_entry_clear(struct reg_entry *e)
{
	char  **f[] = {
		&e->id, &e->book, &e->symbol, &e->status, &e->cancel_reason,
		&e->reference, &e->issuer, &e->date, &e->type_name, &e->summary,
		&e->urgency, &e->signer, &e->recipients, &e->signature_verdict,
		&e->sha256, &e->doc_name, &e->doc_type, &e->message_id,
		&e->env_from, &e->lead, &e->coop, &e->due, &e->notes, &e->flags,
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		free(*f[i]);
	sig_files_free(e->sig_files, e->nsig_files);
	for (size_t i = 0; i < e->ncopies; i++) {
		free(e->copies[i].name);
		free(e->copies[i].sha256);
		sig_files_free(e->copies[i].sig_files, e->copies[i].nsig_files);
	}
	free(e->copies);
	memset(e, 0, sizeof(*e));
}

/* Local midnight starting the day YYYY-MM-DD. */
static time_t
day_start(const char *d)
{
	struct tm tm = {0};

	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8);
	tm.tm_isdst = -1;
	return mktime(&tm);
}

struct sqlbuf {
	char   *s;
	size_t	len;
};

static void
sql_add(struct sqlbuf *b, const char *part)
{
	size_t	n = strlen(part);

	b->s = xrealloc(b->s, b->len + n + 1);
	memcpy(b->s + b->len, part, n + 1);
	b->len += n;
}

int
sq_each(struct store *st, const struct reg_filter *f, reg_each_fn fn,
	void *arg, char *err, size_t errlen)
{
	struct sq *q = st->conn;
	struct sqlbuf b = {0};
	sqlite3_stmt *s = NULL;
	char   *match = NULL;
	int	rc, stop = 0;

	if ((f->from != NULL && !store_date_valid(f->from)) ||
	    (f->to != NULL && !store_date_valid(f->to))) {
		store_err(err, errlen, "bad date '%s': expected YYYY-MM-DD",
			  f->from != NULL && !store_date_valid(f->from) ?
			  f->from : f->to);
		return -1;
	}
	if (f->text != NULL && (match = search_match_expr(f->text)) == NULL) {
		store_err(err, errlen, "nothing to search for in '%s'", f->text);
		return -1;
	}
	sql_add(&b, ENTRY_COLUMNS " WHERE 1");
	if (f->book != NULL)
		sql_add(&b, " AND r.book = ?1");
	if (f->year != 0)
		sql_add(&b, " AND r.year = ?2");
	if (f->from != NULL)
		sql_add(&b, " AND r.registered_at >= ?3");
	if (f->to != NULL)
		sql_add(&b, " AND r.registered_at < ?4");
	if (f->type != NULL)
		sql_add(&b, " AND (vanthu_fold(r.type_name) = vanthu_fold(?5)"
			" OR vanthu_fold(r.type_code) = vanthu_fold(?5))");
	if (f->issuer != NULL)
		sql_add(&b, " AND instr(vanthu_fold(r.issuer),"
			" vanthu_fold(?6)) > 0");
	if (f->verdict != NULL)
		sql_add(&b, " AND d.sig_verdict = ?7");
	if (f->status != NULL)
		sql_add(&b, " AND r.status = ?8");
	if (match != NULL)
		sql_add(&b, " AND (r.id IN (SELECT rowid FROM reg_fts"
			" WHERE reg_fts MATCH ?9) OR r.id IN"
			" (SELECT registration_id FROM corrections WHERE id IN"
			" (SELECT rowid FROM fix_fts WHERE fix_fts MATCH ?9)))");
	sql_add(&b, " ORDER BY r.book, r.year, r.number, r.symbol");
	if (f->limit > 0)
		sql_add(&b, " LIMIT ?10");
	if (sqlite3_prepare_v2(q->db, b.s, -1, &s, NULL) != SQLITE_OK) {
		store_err(err, errlen, "list: %s", sqlite3_errmsg(q->db));
		free(b.s);
		free(match);
		return -1;
	}
	free(b.s);
	if (f->book != NULL)
		sqlite3_bind_text(s, 1, f->book, -1, SQLITE_STATIC);
	if (f->year != 0)
		sqlite3_bind_int(s, 2, f->year);
	if (f->from != NULL)
		sqlite3_bind_int64(s, 3, (sqlite3_int64) day_start(f->from));
	if (f->to != NULL)
		sqlite3_bind_int64(s, 4, (sqlite3_int64) day_start(f->to) +
				   86400);
	if (f->type != NULL)
		sqlite3_bind_text(s, 5, f->type, -1, SQLITE_STATIC);
	if (f->issuer != NULL)
		sqlite3_bind_text(s, 6, f->issuer, -1, SQLITE_STATIC);
	if (f->verdict != NULL)
		sqlite3_bind_text(s, 7, f->verdict, -1, SQLITE_STATIC);
	if (f->status != NULL)
		sqlite3_bind_text(s, 8, f->status, -1, SQLITE_STATIC);
	if (match != NULL)
		sqlite3_bind_text(s, 9, match, -1, SQLITE_STATIC);
	if (f->limit > 0)
		sqlite3_bind_int64(s, 10, (sqlite3_int64) f->limit);
	/* One statement: the whole walk reads one snapshot. */
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct reg_entry e;

		entry_read(s, &e);
		stop = fn(&e, arg);
		reg_entry_clear(&e);
	}
	if (stop == 0 && rc != SQLITE_DONE)
		store_err(err, errlen, "list: %s", sqlite3_errmsg(q->db));
	sqlite3_finalize(s);
	free(match);
	return stop != 0 ? stop : rc == SQLITE_DONE ? 0 : -1;
}

int64_t
sq_rowid_of(struct sq *q, const char *id, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT id FROM registrations WHERE book = ?1 AND year = ?2"
	    " AND number = ?3 AND symbol = ?4";
	char	book[32], sym[STORE_ID_MAX];
	int	year, rc;
	int64_t	number, row = 0;
	sqlite3_stmt *s;

	if (store_id_parse(id, book, &year, &number, sym, sizeof(sym)) != 0) {
		store_err(err, errlen, "bad registration id '%s': expected "
			  "book/year/number such as den/2026/123", id);
		return -1;
	}
	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, book, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int64(s, 3, number);
	sqlite3_bind_text(s, 4, sym, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		row = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		return -1;
	}
	if (row == 0)
		store_err(err, errlen, "no registration %s", id);
	return row;
}

/* Column i of s as text, or dflt when it is NULL. */
static const char *
col(sqlite3_stmt *s, int i, const char *dflt)
{
	return sqlite3_column_type(s, i) != SQLITE_NULL ?
	    (const char *) sqlite3_column_text(s, i) : dflt;
}

/*
 * The signature files of the document whose bytes hash to sha256 onto
 * *files: 0, or -1 with err.
 */
static int
read_sig_files(struct sq *q, const char *sha256, struct sig_file **files,
	       size_t *n, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT g.file_name, g.file_sha256 FROM signatures g"
	    " JOIN documents d ON d.id = g.document_id"
	    " WHERE d.sha256 = ?1 AND g.file_sha256 IS NOT NULL ORDER BY g.idx";
	sqlite3_stmt *s;
	int	rc;

	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, sha256, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct sig_file *f;

		*files = xreallocarray(*files, *n + 1, sizeof(**files));
		f = &(*files)[(*n)++];
		f->name = xstrdup(col(s, 0, ""));
		f->sha256 = xstrdup(col(s, 1, ""));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		return -1;
	}
	return 0;
}

/* The copies with other bytes that arrived as entry row, each once, in
 * the order they came: 0, or -1 with err. */
static int
read_copies(struct sq *q, int64_t row, struct reg_entry *e, char *err,
	    size_t errlen)
{
	static const char sql[] =
	    "SELECT a.name, a.sha256 FROM arrivals a"
	    " JOIN registrations r ON r.id = a.registration_id"
	    " WHERE a.registration_id = ?1 AND a.document_id IS NOT NULL"
	    " AND a.document_id IS NOT r.document_id"
	    " GROUP BY a.sha256 ORDER BY min(a.at), min(a.message_id)";
	sqlite3_stmt *s;
	int	rc;

	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct copy_file *c;

		e->copies = xreallocarray(e->copies, e->ncopies + 1,
					  sizeof(*e->copies));
		c = &e->copies[e->ncopies++];
		memset(c, 0, sizeof(*c));
		c->name = xstrdup(col(s, 0, ""));
		c->sha256 = xstrdup(col(s, 1, ""));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		return -1;
	}
	for (size_t i = 0; i < e->ncopies; i++)
		if (read_sig_files(q, e->copies[i].sha256,
				   &e->copies[i].sig_files,
				   &e->copies[i].nsig_files, err, errlen) < 0)
			return -1;
	return 0;
}

int
sq_get(struct store *st, const char *id, struct reg_entry *e, char *err,
       size_t errlen)
{
	static const char sql[] = ENTRY_COLUMNS " WHERE r.id = ?1";
	struct sq *q = st->conn;
	sqlite3_stmt *s;
	int64_t	row;
	int	rc;

	memset(e, 0, sizeof(*e));
	if ((row = sq_rowid_of(q, id, err, errlen)) <= 0)
		return (int) row;
	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		entry_read(s, e);
	else
		store_err(err, errlen, "%s: %s", id, sqlite3_errmsg(q->db));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return -1;
	if (read_sig_files(q, e->sha256, &e->sig_files, &e->nsig_files, err,
			   errlen) < 0 ||
	    read_copies(q, row, e, err, errlen) < 0) {
		reg_entry_clear(e);
		return -1;
	}
	return 1;
}

static void
local_time(int64_t t, char buf[32])
{
	time_t	tt = (time_t) t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		strcpy(buf, "?");
	else
		strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Text from mail and documents goes out through text_put(): it may hold
 * anything a sender put there, escape sequences included. */
static void
field(FILE *out, const char *name, const char *value)
{
	if (value != NULL && value[0] != 0) {
		fprintf(out, "%s: ", name);
		text_put(out, value, 1);
		putc('\n', out);
	}
}

/* "  time actor what: " of a history or correction row: its columns 0
 * to 2. */
static void
event_head(FILE *out, sqlite3_stmt *s)
{
	char	t[32];

	local_time(sqlite3_column_int64(s, 0), t);
	fprintf(out, "  %s ", t);
	text_put(out, col(s, 1, ""), 0);
	fprintf(out, " %s: ", col(s, 2, ""));
}

/* The clerk's corrections, each field with its old and new value; the
 * heading only when there is one. */
static int
show_corrections(struct sq *q, const char *sql, int64_t row, FILE *out,
		 char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int	n = 0;

	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ == 0)
			fprintf(out, "Corrections:\n");
		event_head(out, s);
		text_put(out, col(s, 5, ""), 0);
		fputs("\n    was: ", out);
		text_put(out, col(s, 3, "(none)"), 0);
		fputs("\n    now: ", out);
		text_put(out, col(s, 4, "(none)"), 0);
		putc('\n', out);
	}
	sqlite3_reset(s);
	return 0;
}

int
sq_show(struct store *st, const char *id, FILE *out, char *err,
	size_t errlen)
{
	static const char sql_facts[] =
	    "SELECT f.fact, f.value, f.source, f.confidence FROM doc_facts f"
	    " JOIN registrations r ON r.document_id = f.document_id"
	    " WHERE r.id = ?1 ORDER BY f.fact";
	static const char sql_sigs[] =
	    "SELECT g.idx, g.verdict, g.signer, g.organization,"
	    " g.signing_time, g.signing_time_source, g.covers_whole_file,"
	    " g.reason, g.file_name, g.file_sha256 FROM signatures g"
	    " JOIN registrations r ON r.document_id = g.document_id"
	    " WHERE r.id = ?1 ORDER BY g.idx";
	/* A copy with other bytes (the same number, symbol and issuer) is
	 * named with its file and verdict: the entry's are those of the
	 * first. */
	static const char sql_arr[] =
	    "SELECT a.at, a.disposition, m.message_id, m.env_from, a.name,"
	    " a.document_id IS NOT r.document_id, a.sha256, d.sig_verdict"
	    " FROM arrivals a JOIN messages m ON m.id = a.message_id"
	    " JOIN registrations r ON r.id = a.registration_id"
	    " LEFT JOIN documents d ON d.id = a.document_id"
	    " WHERE a.registration_id = ?1 ORDER BY a.at, m.id";
	static const char sql_audit[] =
	    "SELECT at, actor, action, detail FROM audit"
	    " WHERE registration_id = ?1 ORDER BY id";
	static const char sql_fixes[] =
	    "SELECT at, actor, field, old, new, reason FROM corrections"
	    " WHERE registration_id = ?1 ORDER BY id";
	struct reg_entry e;
	struct sq *q = st->conn;
	sqlite3_stmt *s;
	char	t[32], num[32];
	int64_t	row;

	if (sq_get(st, id, &e, err, errlen) <= 0)
		return -1;	/* err names the id or the failure */
	row = e.rowid;
	fprintf(out, "Registration: %s\n", e.id);
	fprintf(out, "Status: %s\n", e.status);
	field(out, "Cancelled because", e.cancel_reason);
	local_time(e.registered_at, t);
	fprintf(out, "Registered: %s\n", t);
	field(out, "Reference", e.reference);
	field(out, "Issuer", e.issuer);
	field(out, "Date", e.date);
	field(out, "Type", e.type_name);
	field(out, "Summary", e.summary);
	field(out, "Urgency", e.urgency);
	field(out, "Signer", e.signer);
	field(out, "Recipients", e.recipients);
	field(out, "Document", e.doc_name);
	field(out, "Document type", e.doc_type);
	snprintf(num, sizeof(num), "%" PRId64, e.size);
	field(out, "Size", num);
	field(out, "SHA-256", e.sha256);
	field(out, "Signature", e.signature_verdict);
	field(out, "Message-ID", e.message_id);
	field(out, "From", e.env_from);
	field(out, "Lead", e.lead);
	field(out, "Co-operating", e.coop);
	field(out, "Due", e.due);
	if (e.assigned_at != 0) {
		local_time(e.assigned_at, t);
		field(out, "Assigned", t);
	}
	field(out, "Flags", e.flags);
	field(out, "Notes", e.notes);
	reg_entry_clear(&e);

	fprintf(out, "Facts:\n");
	if ((s = sq_prep(q, sql_facts, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	while (sqlite3_step(s) == SQLITE_ROW) {
		fprintf(out, "  %s: ", col(s, 0, ""));
		text_put(out, col(s, 1, ""), 0);
		fprintf(out, " [%s, %d]\n", col(s, 2, ""), sqlite3_column_int(s, 3));
	}
	sqlite3_reset(s);
	fprintf(out, "Signatures:\n");
	if ((s = sq_prep(q, sql_sigs, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	while (sqlite3_step(s) == SQLITE_ROW) {
		fprintf(out, "  %d. %s: ", sqlite3_column_int(s, 0) + 1,
			col(s, 1, ""));
		text_put(out, col(s, 2, "?"), 0);
		if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
			fputs(" (", out);
			text_put(out, col(s, 3, ""), 0);
			putc(')', out);
		}
		if (sqlite3_column_type(s, 4) != SQLITE_NULL)
			fprintf(out, ", signed %s (%s)", col(s, 4, ""),
				col(s, 5, "?"));
		fprintf(out, ", %s", sqlite3_column_int(s, 6) ?
			"covers the whole file" : "does not cover the whole file");
		if (sqlite3_column_type(s, 9) != SQLITE_NULL) {
			fputs(", in the file ", out);
			text_put(out, col(s, 8, "?"), 0);
			fprintf(out, " (SHA-256 %s)", col(s, 9, ""));
		}
		if (sqlite3_column_type(s, 7) != SQLITE_NULL) {
			fputs(": ", out);
			text_put(out, col(s, 7, ""), 0);
		}
		fputc('\n', out);
	}
	sqlite3_reset(s);
	fprintf(out, "Arrivals:\n");
	if ((s = sq_prep(q, sql_arr, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	while (sqlite3_step(s) == SQLITE_ROW) {
		local_time(sqlite3_column_int64(s, 0), t);
		fprintf(out, "  %s %s ", t, col(s, 1, ""));
		text_put(out, col(s, 2, "(no Message-ID)"), 0);
		fputs(" from ", out);
		text_put(out, col(s, 3, "<>"), 0);
		if (sqlite3_column_int(s, 5)) {
			fputs(": another file, ", out);
			text_put(out, col(s, 4, "(no name)"), 0);
			fprintf(out, " (SHA-256 %s), signature %s", col(s, 6, ""),
				col(s, 7, "not recorded"));
		}
		putc('\n', out);
	}
	sqlite3_reset(s);
	if (show_corrections(q, sql_fixes, row, out, err, errlen) != 0)
		return -1;
	fprintf(out, "History:\n");
	if ((s = sq_prep(q, sql_audit, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	while (sqlite3_step(s) == SQLITE_ROW) {
		event_head(out, s);
		text_put(out, col(s, 3, ""), 0);
		putc('\n', out);
	}
	sqlite3_reset(s);
	return 0;
}

int
sq_books(struct store *st, struct book_list *l, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT code, name, direction FROM books ORDER BY code";
	struct sq *q = st->conn;
	sqlite3_stmt *s;
	int	rc;

	memset(l, 0, sizeof(*l));
	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n].code = sq_text(s, 0);
		l->v[l->n].name = sq_text(s, 1);
		l->v[l->n].direction = sq_text(s, 2);
		l->n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "books: %s", sqlite3_errmsg(q->db));
		book_list_clear(l);
		return -1;
	}
	return 0;
}

void
book_list_clear(struct book_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].name);
		free(l->v[i].direction);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
sq_stats(struct store *st, int year, FILE *out, char *err, size_t errlen)
{
	static const char *const sql[][2] = {
		{"registered", "SELECT count(*) FROM registrations"
		 " WHERE status = 'registered' AND (?1 = 0 OR year = ?1)"},
		{"cancelled", "SELECT count(*) FROM registrations"
		 " WHERE status = 'cancelled' AND (?1 = 0 OR year = ?1)"},
		{"duplicates", "SELECT count(*) FROM arrivals"
		 " WHERE disposition = 'duplicate' AND (?1 = 0 OR"
		 " strftime('%Y', at, 'unixepoch', 'localtime') + 0 = ?1)"},
		{"skipped", "SELECT count(*) FROM arrivals"
		 " WHERE disposition = 'skipped' AND (?1 = 0 OR"
		 " strftime('%Y', at, 'unixepoch', 'localtime') + 0 = ?1)"},
		{"messages", "SELECT count(*) FROM messages"
		 " WHERE ?1 = 0 OR"
		 " strftime('%Y', received_at, 'unixepoch', 'localtime') + 0 = ?1"},
	};
	static const char sql_books[] =
	    "SELECT b.code, count(r.id) FROM books b LEFT JOIN registrations r"
	    " ON r.book = b.code AND r.status = 'registered'"
	    " AND (?1 = 0 OR r.year = ?1) GROUP BY b.code ORDER BY b.code";
	static const char sql_verdicts[] =
	    "SELECT coalesce(d.sig_verdict, 'unknown'), count(*)"
	    " FROM registrations r JOIN documents d ON d.id = r.document_id"
	    " WHERE r.status = 'registered' AND (?1 = 0 OR r.year = ?1)"
	    " GROUP BY 1 ORDER BY 1";
	struct sq *q = st->conn;
	sqlite3_stmt *s;

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((s = sq_prep(q, sql[i][1], err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int(s, 1, year);
		if (sqlite3_step(s) != SQLITE_ROW) {
			store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
			sqlite3_reset(s);
			return -1;
		}
		fprintf(out, "%s %" PRId64 "\n", sql[i][0],
			(int64_t) sqlite3_column_int64(s, 0));
		sqlite3_reset(s);
	}
	if ((s = sq_prep(q, sql_books, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int(s, 1, year);
	while (sqlite3_step(s) == SQLITE_ROW)
		fprintf(out, "book.%s %" PRId64 "\n", sqlite3_column_text(s, 0),
			(int64_t) sqlite3_column_int64(s, 1));
	sqlite3_reset(s);
	if ((s = sq_prep(q, sql_verdicts, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int(s, 1, year);
	while (sqlite3_step(s) == SQLITE_ROW)
		fprintf(out, "signature.%s %" PRId64 "\n",
			sqlite3_column_text(s, 0),
			(int64_t) sqlite3_column_int64(s, 1));
	sqlite3_reset(s);
	return 0;
}
