/*
 * sqlite_change.c - what the clerk changes in the SQLite backend: assign
 * an entry, cancel it (its number stays taken), add a book.
 *
 * Each change runs in its own BEGIN IMMEDIATE transaction together with
 * its audit line (the login name and the whole command line), so the
 * register never holds a change the audit log does not.
 */
#include <string.h>
#include <time.h>

#include "sqlite_int.h"

/* Run one change with its audit line in a transaction. */
static int
change(struct store *st, const char *id, const char *sql,
       const char *const *args, size_t nargs, const char *action,
       const char *actor, const char *command, const char *must_status,
       char *err, size_t errlen)
{
	static const char sql_status[] =
	    "SELECT status FROM registrations WHERE id = ?1";
	struct sq *q = st->conn;
	sqlite3_stmt *s;
	int64_t	row;
	time_t	now;
	int	rc;

	if (sq_begin(q, err, errlen) != 0)
		return -1;
	now = store_now(st);
	if ((row = sq_rowid_of(q, id, err, errlen)) <= 0)
		goto fail;
	if ((s = sq_prep(q, sql_status, err, errlen)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, row);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || strcmp((const char *)
	    sqlite3_column_text(s, 0), must_status) != 0) {
		store_err(err, errlen, "%s is %s", id, rc == SQLITE_ROW ?
			  (const char *) sqlite3_column_text(s, 0) : "missing");
		sqlite3_reset(s);
		goto fail;
	}
	sqlite3_reset(s);
	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int64(s, 2, (sqlite3_int64) now);
	for (size_t i = 0; i < nargs; i++)
		if (args[i] != NULL)
			sqlite3_bind_text(s, (int) i + 3, args[i], -1,
					  SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "%s: %s", id, sqlite3_errmsg(q->db));
		goto fail;
	}
	if (audit_append(q, now, actor, action, row, command, err, errlen) != 0)
		goto fail;
	return sq_commit(q, err, errlen);
fail:
	sq_rollback(q);
	return -1;
}

int
sq_assign(struct store *st, const char *id, const struct reg_assign *a,
	  const char *actor, const char *command, char *err, size_t errlen)
{
	static const char sql[] =
	    "UPDATE registrations SET assigned_at = ?2,"
	    " lead = coalesce(?3, lead), coop = coalesce(?4, coop),"
	    " due = coalesce(?5, due), notes = coalesce(?6, notes)"
	    " WHERE id = ?1";
	const char *args[] = { a->lead, a->coop, a->due, a->notes };

	return change(st, id, sql, args, 4, "assign", actor, command,
		      "registered", err, errlen);
}

int
sq_cancel(struct store *st, const char *id, const char *reason,
	  const char *actor, const char *command, char *err, size_t errlen)
{
	static const char sql[] =
	    "UPDATE registrations SET status = 'cancelled',"
	    " cancel_reason = ?3 WHERE id = ?1 AND ?2 IS NOT NULL";
	const char *args[] = { reason };

	return change(st, id, sql, args, 1, "cancel", actor, command,
		      "registered", err, errlen);
}

/* A book's name heads its export and is a column of "vanthu books",
 * whose lines are split at tabs: text on one line, not blank. */
#define BOOK_NAME_MAX	200

int
sq_book_add(struct store *st, const char *code, const char *name,
	    const char *direction, const char *actor, const char *command,
	    char *err, size_t errlen)
{
	static const char sql[] =
	    "INSERT INTO books(code, name, direction, created_at)"
	    " VALUES(?1, ?2, ?3, ?4)";
	struct sq *q = st->conn;
	sqlite3_stmt *s;
	time_t	now;
	int	rc;

	if (code == NULL || code[0] == 0 || strlen(code) > 31 ||
	    strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
	    strlen(code)) {
		store_err(err, errlen, "bad book code '%s': use 1 to 31 of "
			  "a-z, 0-9, _ and -", code != NULL ? code : "");
		return -1;
	}
	if (!store_line_ok(name, BOOK_NAME_MAX)) {
		store_err(err, errlen, "a book's name is 1 to 200 bytes of "
			  "text on one line, not blank");
		return -1;
	}
	if (direction == NULL || (strcmp(direction, "in") != 0 &&
				  strcmp(direction, "out") != 0)) {
		store_err(err, errlen, "a book's direction is in or out");
		return -1;
	}
	if (sq_begin(q, err, errlen) != 0)
		return -1;
	now = store_now(st);
	if ((s = sq_prep(q, sql, err, errlen)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, direction, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (sqlite3_int64) now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			store_err(err, errlen, "book %s exists already", code);
		else
			store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		goto fail;
	}
	if (audit_append(q, now, actor, "book-add", 0, command, err,
			 errlen) != 0)
		goto fail;
	return sq_commit(q, err, errlen);
fail:
	sq_rollback(q);
	return -1;
}
