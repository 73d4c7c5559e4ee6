/*
 * number.c - the next number of a book's yearly series.
 *
 * Runs inside the caller's BEGIN IMMEDIATE transaction, so the counter
 * and the registration rows commit or vanish together and two writers,
 * threads or processes, never take the same number.  The counter row is
 * checked against the register itself: the largest number registered in
 * (book, year) must be the counter's value, or the register has been
 * tampered with and numbering stops with an error rather than skip or
 * repeat a number.
 */
#include <inttypes.h>

#include "sqlite_int.h"

static const char sql_bump[] =
    "UPDATE counters SET last = last + 1 WHERE book = ?1 AND year = ?2 "
    "RETURNING last";
static const char sql_first[] =
    "INSERT INTO counters(book, year, last) VALUES(?1, ?2, 1)";
static const char sql_max[] =
    "SELECT coalesce(max(number), 0) FROM registrations "
    "WHERE book = ?1 AND year = ?2";

int
number_next(struct sq *q, const char *book, int year, int64_t *out,
	    char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int64_t	n = 0, max;
	int	rc;

	if ((s = sq_prep(q, sql_bump, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, book, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, year);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	if (n == 0) {
		if ((s = sq_prep(q, sql_first, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_text(s, 1, book, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, year);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			goto fail;
		n = 1;
	}
	if ((s = sq_prep(q, sql_max, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, book, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, year);
	rc = sqlite3_step(s);
	max = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	if (max != n - 1) {
		store_err(err, errlen, "register %s/%d is inconsistent: counter "
			  "at %" PRId64 " but last number %" PRId64, book, year,
			  n - 1, max);
		return -1;
	}
	*out = n;
	return 0;
fail:
	store_err(err, errlen, "numbering %s/%d: %s", book, year,
		  sqlite3_errmsg(q->db));
	return -1;
}
