/*
 * sqlite_backup.c - a copy of the register for safekeeping.
 *
 * SQLite's online backup copies every page inside one read transaction:
 * the copy is the register as of one commit, made while the daemon goes
 * on numbering (in WAL mode a reader never holds up the writer).  It is
 * written beside its final name, turned into a single file (rollback
 * journal, no -wal beside it), checked with PRAGMA integrity_check,
 * fsync'd and renamed over the last one, so the destination holds either
 * the last good copy or the new one, never half of one.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "sqlite_int.h"
#include "xmalloc.h"

/* fsync the file at path, or with dir the directory holding it. */
static int
sync_path(const char *path, int dir, char *err, size_t errlen)
{
	char   *copy = xstrdup(path);
	const char *target = dir ? dirname(copy) : path;
	int     r = fsync_path(target);

	if (r < 0)
		store_err(err, errlen, "%s: %s", target, strerror(errno));
	free(copy);
	return r;
}

/* Check the copy and list its registered documents; 0 or -1 with err. */
static int
read_copy(sqlite3 *d, const char *part, char ***sha256, size_t *n,
	  char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	const char *verdict;
	int     rc;

	if (sqlite3_exec(d, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK) {
		store_err(err, errlen, "%s: %s", part, sqlite3_errmsg(d));
		sqlite3_finalize(s);
		return -1;
	}
	rc = sqlite3_step(s);
	verdict = rc == SQLITE_ROW ? (const char *) sqlite3_column_text(s, 0) : NULL;
	if (verdict == NULL || strcmp(verdict, "ok") != 0) {
		store_err(err, errlen, "%s: the copy fails its integrity check: %s",
			  part, verdict ? verdict : sqlite3_errmsg(d));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	/* Only numbered documents have a file in the document store, and
	 * the copies with other bytes that arrived as their entries:
	 * secret, skipped and quarantined ones are recorded by digest.  The
	 * files of their detached signatures are kept beside them. */
	if (sqlite3_prepare_v2(d, "WITH kept(id) AS ("
			       " SELECT document_id FROM registrations"
			       " UNION SELECT document_id FROM arrivals"
			       " WHERE registration_id IS NOT NULL"
			       " AND disposition = 'duplicate')"
			       " SELECT d.sha256 FROM documents d"
			       " JOIN kept k ON k.id = d.id"
			       " UNION SELECT g.file_sha256 FROM signatures g"
			       " JOIN kept k ON k.id = g.document_id"
			       " WHERE g.file_sha256 IS NOT NULL"
			       " ORDER BY 1", -1, &s, NULL) != SQLITE_OK) {
		store_err(err, errlen, "%s: %s", part, sqlite3_errmsg(d));
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*sha256 = xreallocarray(*sha256, *n + 1, sizeof(**sha256));
		(*sha256)[(*n)++] = xstrdup((const char *) sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "%s: %s", part, sqlite3_errmsg(d));
		return -1;
	}
	return 0;
}

int
sq_backup(struct store *st, const char *dest, char ***sha256, size_t *n,
	  char *err, size_t errlen)
{
	struct sq *q = st->conn;
	sqlite3 *d = NULL;
	sqlite3_backup *b;
	char   *part = xasprintf("%s.part", dest);
	int     rc;

	*sha256 = NULL;
	*n = 0;
	/* What a backup that died half-way left behind. */
	if (unlink(part) < 0 && errno != ENOENT) {
		store_err(err, errlen, "%s: %s", part, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(part, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		store_err(err, errlen, "%s: %s", part,
			  d != NULL ? sqlite3_errmsg(d) : "cannot open");
		goto fail;
	}
	if ((b = sqlite3_backup_init(d, "main", q->db, "main")) == NULL) {
		store_err(err, errlen, "%s: %s", part, sqlite3_errmsg(d));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "%s: %s", part, sqlite3_errstr(rc));
		goto fail;
	}
	if (read_copy(d, part, sha256, n, err, errlen) < 0)
		goto fail;
	if (sqlite3_close(d) != SQLITE_OK) {
		store_err(err, errlen, "%s: %s", part, sqlite3_errmsg(d));
		goto fail;
	}
	d = NULL;
	if (sync_path(part, 0, err, errlen) < 0)
		goto fail;
	if (rename(part, dest) < 0) {
		store_err(err, errlen, "%s: %s", dest, strerror(errno));
		goto fail;
	}
	free(part);
	return sync_path(dest, 1, err, errlen);
fail:
	if (d != NULL)
		sqlite3_close(d);
	unlink(part);
	free(part);
	for (size_t i = 0; i < *n; i++)
		free((*sha256)[i]);
	free(*sha256);
	*sha256 = NULL;
	*n = 0;
	return -1;
}
