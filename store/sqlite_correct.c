/*
 * sqlite_correct.c - a clerk's correction of an entry in the SQLite
 * backend: the fields the daemon read wrong get the clerk's values, each
 * change is kept in corrections with its old value and the reason, the
 * entry's corrected words are indexed for search, and the command goes
 * to the audit log, all in one transaction.
 *
 * The entry's number never changes.  An outgoing book's entry is named
 * by its document's number and symbol, so its reference is not corrected
 * here: such an entry is cancelled and the document registered again.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sqlite_int.h"
#include "xmalloc.h"

/* The fields a correction may change, in the order of the columns of
 * sql_entry and sql_update. */
enum field {
	F_REFERENCE, F_ISSUER, F_DATE, F_TYPE_NAME, F_TYPE_CODE, F_SUMMARY,
	F_URGENCY, F_SIGNER, F__COUNT
};

static const char *const field_names[F__COUNT] = {
	"reference", "issuer", "date", "type", "type_code", "summary",
	"urgency", "signer",
};

static const char sql_entry[] =
    "SELECT r.reference, r.issuer, r.doc_date, r.type_name, r.type_code,"
    " r.summary, r.urgency, r.signer, r.status, b.direction, r.ref_key,"
    " (SELECT a.name FROM arrivals a WHERE a.registration_id = r.id"
    "  AND a.disposition = 'new' LIMIT 1), d.name, d.text"
    " FROM registrations r JOIN books b ON b.code = r.book"
    " JOIN documents d ON d.id = r.document_id WHERE r.id = ?1";
static const char sql_update[] =
    "UPDATE registrations SET reference = ?2, issuer = ?3, doc_date = ?4,"
    " type_name = ?5, type_code = ?6, summary = ?7, urgency = ?8,"
    " signer = ?9, ref_key = ?10 WHERE id = ?1";
static const char sql_insert[] =
    "INSERT INTO corrections(registration_id, at, actor, field, old, new,"
    " reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/* As the daemon's duplicate check: a reference of another year of issue
 * is another document. */
static const char sql_same_ref[] =
    "SELECT book, year, number, symbol FROM registrations"
    " WHERE ref_key = ?1 AND status = 'registered' AND id != ?2 AND"
    " (?3 IS NULL OR doc_date IS NULL OR"
    "  substr(doc_date, 1, 4) = substr(?3, 1, 4)) ORDER BY id LIMIT 1";

/* What the entry holds and what it will hold. */
struct entry {
	char   *old[F__COUNT];
	const char *new[F__COUNT];
	char   *ref_key;	/* as it will be */
	char   *arrival_name;	/* the file's name when it was registered */
	char   *doc_name;
	char   *text;
};

static void
entry_free(struct entry *e)
{
	for (int f = 0; f < F__COUNT; f++)
		free(e->old[f]);
	free(e->ref_key);
	free(e->arrival_name);
	free(e->doc_name);
	free(e->text);
}

/* Whether two values differ, NULL and "" being the same. */
static int
differs(const char *a, const char *b)
{
	if (a == NULL || a[0] == 0)
		return b != NULL && b[0] != 0;
	return b == NULL || strcmp(a, b) != 0;
}

/* The clerk's value for f, or NULL when the correction leaves it. */
static const char *
given(const struct reg_correct *c, enum field f, int *set)
{
	const char *v[F__COUNT] = {
		c->reference, c->issuer, c->date, c->type, c->type_code,
		c->summary, c->urgency, c->signer,
	};

	/* type_code goes with type: NULL there clears the code. */
	*set = f == F_TYPE_CODE ? c->type != NULL : v[f] != NULL;
	return v[f];
}

/* Read the entry; -1 with err when it cannot be corrected. */
static int
read_entry(struct sq *q, const char *id, int64_t row, int has_reference,
	   struct entry *e, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int	rc, ok = 0;

	if ((s = sq_prep(q, sql_entry, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		store_err(err, errlen, "%s: %s", id, rc == SQLITE_DONE ?
			  "no such registration" : sqlite3_errmsg(q->db));
	} else if (strcmp((const char *) sqlite3_column_text(s, 8),
			  "registered") != 0) {
		store_err(err, errlen, "%s is %s", id,
			  (const char *) sqlite3_column_text(s, 8));
	} else if (has_reference &&
		   strcmp((const char *) sqlite3_column_text(s, 9), "out") == 0) {
		store_err(err, errlen, "%s is in an outgoing book, where the "
			  "number and symbol name the entry: cancel it instead",
			  id);
	} else {
		for (int f = 0; f < F__COUNT; f++)
			e->old[f] = sq_text(s, f);
		e->ref_key = sq_text(s, 10);
		e->arrival_name = sq_text(s, 11);
		e->doc_name = sq_text(s, 12);
		e->text = sq_text(s, 13);
		ok = 1;
	}
	sqlite3_reset(s);
	return ok ? 0 : -1;
}

/* The key that finds the entry by number, symbol and issuer, after a
 * correction of its reference or issuer. */
static void
new_ref_key(struct entry *e)
{
	char   *num, *sym;

	if (!differs(e->old[F_REFERENCE], e->new[F_REFERENCE]) &&
	    !differs(e->old[F_ISSUER], e->new[F_ISSUER]))
		return;
	free(e->ref_key);
	e->ref_key = NULL;
	if (e->new[F_REFERENCE] == NULL ||
	    reg_ref_split(e->new[F_REFERENCE], &num, &sym) != 0)
		return;
	e->ref_key = reg_ref_key(num, sym, e->new[F_ISSUER]);
	free(num);
	free(sym);
}

static int
write_entry(struct sq *q, int64_t row, const struct entry *e, char *err,
	    size_t errlen)
{
	sqlite3_stmt *s;
	int	rc;

	if ((s = sq_prep(q, sql_update, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	for (int f = 0; f < F__COUNT; f++)
		if (e->new[f] != NULL && e->new[f][0] != 0)
			sqlite3_bind_text(s, f + 2, e->new[f], -1, SQLITE_STATIC);
	if (e->ref_key != NULL)
		sqlite3_bind_text(s, 10, e->ref_key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "correct: %s", sqlite3_errmsg(q->db));
		return -1;
	}
	return 0;
}

/* One row of corrections per changed field; *last the id of the last. */
static int
keep_changes(struct sq *q, int64_t row, time_t now, const char *actor,
	     const char *reason, const struct entry *e, int64_t *last,
	     char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int	rc;

	*last = 0;
	for (int f = 0; f < F__COUNT; f++) {
		if (!differs(e->old[f], e->new[f]))
			continue;
		if ((s = sq_prep(q, sql_insert, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, row);
		sqlite3_bind_int64(s, 2, (sqlite3_int64) now);
		sqlite3_bind_text(s, 3, actor != NULL ? actor : "unknown", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(s, 4, field_names[f], -1, SQLITE_STATIC);
		if (e->old[f] != NULL && e->old[f][0] != 0)
			sqlite3_bind_text(s, 5, e->old[f], -1, SQLITE_STATIC);
		if (e->new[f] != NULL && e->new[f][0] != 0)
			sqlite3_bind_text(s, 6, e->new[f], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, reason, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			store_err(err, errlen, "correct: %s",
				  sqlite3_errmsg(q->db));
			return -1;
		}
		*last = sqlite3_last_insert_rowid(q->db);
	}
	return 0;
}

/* Another registered entry the corrected one now reads as, into other. */
static void
same_reference(struct sq *q, int64_t row, const struct entry *e,
	       char other[STORE_ID_MAX])
{
	sqlite3_stmt *s;

	other[0] = 0;
	if (e->ref_key == NULL ||
	    (s = sq_prep(q, sql_same_ref, NULL, 0)) == NULL)
		return;
	sqlite3_bind_text(s, 1, e->ref_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, row);
	if (e->new[F_DATE] != NULL && e->new[F_DATE][0] != 0)
		sqlite3_bind_text(s, 3, e->new[F_DATE], -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *sym = (const char *) sqlite3_column_text(s, 3);

		store_id_format(other, STORE_ID_MAX,
				(const char *) sqlite3_column_text(s, 0),
				sqlite3_column_int(s, 1),
				sqlite3_column_int64(s, 2),
				sym != NULL && sym[0] != 0 ? sym : NULL);
	}
	sqlite3_reset(s);
}

int
sq_correct(struct store *st, const char *id, const struct reg_correct *c,
	   const char *actor, const char *command, char *other, char *err,
	   size_t errlen)
{
	struct sq *q = st->conn;
	struct entry e = {0};
	int64_t	row, last;
	time_t	now;
	int	set, changed = 0;

	other[0] = 0;
	if (sq_begin(q, err, errlen) != 0)
		return -1;
	now = store_now(st);
	if ((row = sq_rowid_of(q, id, err, errlen)) <= 0 ||
	    read_entry(q, id, row, c->reference != NULL, &e, err, errlen) != 0)
		goto fail;
	for (int f = 0; f < F__COUNT; f++) {
		const char *v = given(c, f, &set);

		e.new[f] = set ? v : e.old[f];
		changed |= differs(e.old[f], e.new[f]);
	}
	if (!changed) {
		store_err(err, errlen, "%s already reads so: nothing corrected",
			  id);
		goto fail;
	}
	new_ref_key(&e);
	if (write_entry(q, row, &e, err, errlen) != 0 ||
	    keep_changes(q, row, now, actor, c->reason, &e, &last, err,
			 errlen) != 0)
		goto fail;
	{
		const char *parts[] = {
			e.new[F_TYPE_NAME], e.new[F_SUMMARY], e.new[F_ISSUER],
			e.new[F_REFERENCE], e.new[F_SIGNER],
			e.arrival_name != NULL ? e.arrival_name : e.doc_name,
			e.text,
		};

		if (search_index_fix(q, last, parts, sizeof(parts) /
				     sizeof(parts[0]), err, errlen) != 0)
			goto fail;
	}
	if (audit_append(q, now, actor, "correct", row, command, err,
			 errlen) != 0)
		goto fail;
	/* Only a correction that touched what makes an entry the same as
	 * another asks: the warning is about this correction. */
	if (differs(e.old[F_REFERENCE], e.new[F_REFERENCE]) ||
	    differs(e.old[F_ISSUER], e.new[F_ISSUER]) ||
	    differs(e.old[F_DATE], e.new[F_DATE]))
		same_reference(q, row, &e, other);
	if (sq_commit(q, err, errlen) != 0) {
		other[0] = 0;
		entry_free(&e);
		return -1;
	}
	entry_free(&e);
	return 0;
fail:
	sq_rollback(q);
	entry_free(&e);
	return -1;
}
