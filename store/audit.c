/*
 * audit.c - the append-only audit log.
 *
 * Every change to the register writes one row here in the same
 * transaction as the change: registrations, arrivals of duplicates,
 * retries, and each clerk's command with its full command line.  Triggers
 * in the schema refuse UPDATE and DELETE on the table.
 */
#include "sqlite_int.h"

static const char sql_audit[] =
    "INSERT INTO audit(at, actor, action, registration_id, detail) "
    "VALUES(?1, ?2, ?3, ?4, ?5)";

int
audit_append(struct sq *q, time_t at, const char *actor, const char *action,
	     int64_t registration, const char *detail, char *err,
	     size_t errlen)
{
	sqlite3_stmt *s;
	int	rc;

	if ((s = sq_prep(q, sql_audit, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64) at);
	sqlite3_bind_text(s, 2, actor != NULL ? actor : "unknown", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(s, 3, action, -1, SQLITE_STATIC);
	if (registration > 0)
		sqlite3_bind_int64(s, 4, registration);
	sqlite3_bind_text(s, 5, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "audit log: %s", sqlite3_errmsg(q->db));
		return -1;
	}
	return 0;
}
