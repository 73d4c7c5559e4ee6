/*
 * store_sqlite.c - the SQLite backend: connection, schema and migrations.
 *
 * The database runs in WAL mode with synchronous=FULL (a commit is on
 * disk when COMMIT returns), foreign keys on and a busy timeout, so that
 * several daemons and the clerk's tool can share one file.  The schema is
 * versioned with PRAGMA user_version: migrations[i] takes version i to
 * i + 1, each in its own BEGIN IMMEDIATE transaction, so a database is
 * always at one known version.  A database from a newer vanthu (version
 * above ours) is refused, never written.
 *
 * Failures: open returns NULL with the reason, naming a missing file, a
 * file that is not a database, or a lock held past the busy timeout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "xmalloc.h"

/* Version 1: the whole register; 2: detached signature files.  Add new
 * versions at the end; never edit one that has shipped. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE books("
	"  code TEXT PRIMARY KEY CHECK(length(code) BETWEEN 1 AND 31"
	"    AND code NOT GLOB '*[^a-z0-9_-]*'),"
	"  name TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK(direction IN ('in', 'out')),"
	"  created_at INTEGER NOT NULL);"
	"INSERT INTO books VALUES"
	"  ('den', 'Sổ đăng ký văn bản đến', 'in', 0),"
	"  ('di', 'Sổ đăng ký văn bản đi', 'out', 0);"
	"CREATE TABLE counters("
	"  book TEXT NOT NULL REFERENCES books(code),"
	"  year INTEGER NOT NULL,"
	"  last INTEGER NOT NULL CHECK(last > 0),"
	"  PRIMARY KEY(book, year)) WITHOUT ROWID;"
	"CREATE TABLE messages("
	"  id INTEGER PRIMARY KEY,"
	"  msg_key TEXT NOT NULL UNIQUE,"
	"  message_id TEXT, queue_id TEXT, env_from TEXT, rcpts TEXT,"
	"  header_from TEXT, subject TEXT, client_addr TEXT, direction TEXT,"
	"  size INTEGER, received_at INTEGER NOT NULL, outcome TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 1);"
	"CREATE TABLE documents("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64),"
	"  name TEXT, type TEXT, declared_type TEXT, size INTEGER,"
	"  sig_verdict TEXT, needs_ocr INTEGER, text TEXT,"
	"  first_seen INTEGER NOT NULL);"
	"CREATE TABLE doc_facts("
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  fact TEXT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL,"
	"  confidence INTEGER NOT NULL,"
	"  PRIMARY KEY(document_id, fact)) WITHOUT ROWID;"
	"CREATE TABLE signatures("
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  idx INTEGER NOT NULL, verdict TEXT NOT NULL, signer TEXT,"
	"  organization TEXT, email TEXT, issuer TEXT, serial TEXT,"
	"  signing_time TEXT, signing_time_source TEXT, subfilter TEXT,"
	"  digest TEXT, covers_whole_file INTEGER, reason TEXT,"
	"  PRIMARY KEY(document_id, idx)) WITHOUT ROWID;"
	"CREATE TABLE registrations("
	"  id INTEGER PRIMARY KEY,"
	"  book TEXT NOT NULL REFERENCES books(code),"
	"  year INTEGER NOT NULL, number INTEGER NOT NULL CHECK(number > 0),"
	"  symbol TEXT NOT NULL DEFAULT '',"
	"  registered_at INTEGER NOT NULL,"
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  status TEXT NOT NULL DEFAULT 'registered'"
	"    CHECK(status IN ('registered', 'cancelled')),"
	"  cancel_reason TEXT,"
	"  reference TEXT, ref_key TEXT, issuer TEXT, doc_date TEXT,"
	"  type_name TEXT, type_code TEXT, summary TEXT, urgency TEXT,"
	"  signer TEXT, recipients TEXT,"
	"  lead TEXT, coop TEXT, due TEXT, assigned_at INTEGER, notes TEXT,"
	"  UNIQUE(book, year, number, symbol));"
	"CREATE INDEX registrations_document ON registrations(document_id);"
	"CREATE INDEX registrations_ref_key ON registrations(ref_key)"
	"  WHERE ref_key IS NOT NULL;"
	"CREATE INDEX registrations_time ON registrations(registered_at);"
	"CREATE TABLE arrivals("
	"  message_id INTEGER NOT NULL REFERENCES messages(id),"
	"  sha256 TEXT NOT NULL, copy INTEGER NOT NULL,"
	"  document_id INTEGER REFERENCES documents(id),"
	"  part TEXT, name TEXT,"
	"  disposition TEXT NOT NULL"
	"    CHECK(disposition IN ('new', 'duplicate', 'skipped', 'unnumbered')),"
	"  registration_id INTEGER REFERENCES registrations(id),"
	"  reason TEXT, at INTEGER NOT NULL,"
	"  PRIMARY KEY(message_id, sha256, copy)) WITHOUT ROWID;"
	"CREATE INDEX arrivals_registration ON arrivals(registration_id);"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
	"  action TEXT NOT NULL, registration_id INTEGER, detail TEXT);"
	"CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER registrations_kept BEFORE DELETE ON registrations BEGIN"
	"  SELECT RAISE(ABORT, 'registrations are never deleted'); END;"
	"CREATE TRIGGER registrations_keep_number BEFORE UPDATE OF"
	"  book, year, number, symbol, document_id, message_id, registered_at"
	"  ON registrations BEGIN"
	"  SELECT RAISE(ABORT, 'a registration keeps its number'); END;"
	"CREATE VIRTUAL TABLE reg_fts USING fts5(body, content='',"
	"  tokenize='unicode61');",
	/* 1 -> 2: a signature that came as a file beside its document
	 * (.p7s) names that file; its bytes are in the spool too. */
	"ALTER TABLE signatures ADD COLUMN file_name TEXT;"
	"ALTER TABLE signatures ADD COLUMN file_sha256 TEXT;",
	/* 2 -> 3: the flags the rules set on an entry get a column of
	 * their own, so that a clerk's notes never replace them.  Notes
	 * of an entry never assigned can only be the daemon's flags; an
	 * assigned entry's notes may be the clerk's and stay notes. */
	"ALTER TABLE registrations ADD COLUMN flags TEXT;"
	"UPDATE registrations SET flags = notes, notes = NULL"
	"  WHERE assigned_at IS NULL AND notes IS NOT NULL;",
	/* 3 -> 4: a clerk's corrections of what the daemon read, each
	 * field's old and new value with the reason, kept as made.  The
	 * search index is contentless, so an entry's old words cannot be
	 * taken out of reg_fts: the words of the corrected entry go into
	 * fix_fts under the correction's id, and a search looks in both. */
	"CREATE TABLE corrections("
	"  id INTEGER PRIMARY KEY,"
	"  registration_id INTEGER NOT NULL REFERENCES registrations(id),"
	"  at INTEGER NOT NULL, actor TEXT NOT NULL, field TEXT NOT NULL,"
	"  old TEXT, new TEXT, reason TEXT NOT NULL);"
	"CREATE INDEX corrections_registration"
	"  ON corrections(registration_id);"
	"CREATE TRIGGER corrections_kept_u BEFORE UPDATE ON corrections BEGIN"
	"  SELECT RAISE(ABORT, 'corrections are kept as made'); END;"
	"CREATE TRIGGER corrections_kept_d BEFORE DELETE ON corrections BEGIN"
	"  SELECT RAISE(ABORT, 'corrections are kept as made'); END;"
	"CREATE VIRTUAL TABLE fix_fts USING fts5(body, content='',"
	"  tokenize='unicode61');",
};

#define SCHEMA_VERSION	((int) (sizeof(migrations) / sizeof(migrations[0])))

sqlite3_stmt *
sq_prep(struct sq *q, const char *sql, char *err, size_t errlen)
{
	size_t	i;

	for (i = 0; i < SQ_CACHE && q->cache[i].sql != NULL; i++) {
		if (q->cache[i].sql == sql) {
			sqlite3_reset(q->cache[i].stmt);
			sqlite3_clear_bindings(q->cache[i].stmt);
			return q->cache[i].stmt;
		}
	}
	if (i == SQ_CACHE) {
		store_err(err, errlen, "statement cache full");
		return NULL;
	}
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &q->cache[i].stmt, NULL) != SQLITE_OK) {
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		q->cache[i].stmt = NULL;
		return NULL;
	}
	q->cache[i].sql = sql;
	return q->cache[i].stmt;
}

/*
 * Switch to WAL.  Two processes that create the same register at once
 * (two daemons started together) race here: SQLite answers BUSY to the
 * loser at once, without calling the busy handler, since it needs the
 * file to itself to change the journal mode.  So wait here, within the
 * same busy timeout, for the winner to finish.
 */
static int
set_wal(struct sq *q, char *err, size_t errlen)
{
	unsigned waited = 0;

	for (;;) {
		int	rc = sqlite3_exec(q->db, "PRAGMA journal_mode = WAL", NULL,
					  NULL, NULL);
		int	code = rc & 0xff;

		if (rc == SQLITE_OK)
			return 0;
		if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
		    waited >= q->busy_ms)
			return sq_exec(q, "PRAGMA journal_mode = WAL", err, errlen);
		sqlite3_sleep(10);
		waited += 10;
	}
}

/*
 * A reader of a WAL database needs its -shm file, and makes it when it
 * is missing; a clerk who may read the register but not write in its
 * directory cannot, and would be refused whenever the daemon is stopped,
 * since the last writer to close deletes -wal and -shm.  So writers keep
 * them (SQLite gives them the register's owner and mode).  With a
 * journal_size_limit set, the last writer to close leaves the WAL empty,
 * all of it checkpointed, so that no stale frames wait beside the file;
 * while it runs the WAL is cut back to that size whenever it is reset.
 */
static int
keep_wal_files(struct sq *q, char *err, size_t errlen)
{
	int	on = 1;

	if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_PERSIST_WAL,
				 &on) != SQLITE_OK) {
		store_err(err, errlen, "cannot keep the WAL files: %s",
			  sqlite3_errmsg(q->db));
		return -1;
	}
	return sq_exec(q, "PRAGMA journal_size_limit = 4194304", err, errlen);
}

int
sq_exec(struct sq *q, const char *sql, char *err, size_t errlen)
{
	char   *msg = NULL;

	if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int	code = sqlite3_errcode(q->db);

		if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
			store_err(err, errlen, "database is locked by another "
				  "process (waited %.1f s)", q->busy_ms / 1000.0);
		else
			store_err(err, errlen, "%s", msg != NULL ? msg :
				  sqlite3_errmsg(q->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * A register file deleted, renamed or replaced while it is open (a backup
 * restored under a running daemon) would take writes that no one ever
 * reads again, and a restart would hand out its numbers a second time:
 * no write goes to a file that is no longer at its path.
 */
int
sq_begin(struct sq *q, char *err, size_t errlen)
{
	int     moved = 0;

	if (q->readonly) {
		store_err(err, errlen, "the register is open read-only");
		return -1;
	}
	if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_HAS_MOVED,
				 &moved) == SQLITE_OK && moved) {
		store_err(err, errlen, "the register file %s was moved, replaced or "
			  "deleted while open: nothing is written to it; restart "
			  "(stop before restoring a backup)",
			  sqlite3_db_filename(q->db, "main"));
		return -1;
	}
	return sq_exec(q, "BEGIN IMMEDIATE", err, errlen);
}

int
sq_commit(struct sq *q, char *err, size_t errlen)
{
	if (sq_exec(q, "COMMIT", err, errlen) != 0) {
		sq_rollback(q);
		return -1;
	}
	return 0;
}

void
sq_rollback(struct sq *q)
{
	if (!sqlite3_get_autocommit(q->db))
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

char *
sq_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t != NULL ? xstrdup((const char *) t) : NULL;
}

static int
user_version(struct sq *q, int *v, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int	rc;

	if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK) {
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		return -1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	else
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
migrate(struct sq *q, char *err, size_t errlen)
{
	int	v;
	char	sql[64];

	if (user_version(q, &v, err, errlen) != 0)
		return -1;
	if (v > SCHEMA_VERSION) {
		store_err(err, errlen, "register schema version %d is newer "
			  "than this vanthu (%d)", v, SCHEMA_VERSION);
		return -1;
	}
	while (v < SCHEMA_VERSION) {
		if (q->readonly) {
			store_err(err, errlen, "register schema version %d "
				  "needs an upgrade; open it read-write", v);
			return -1;
		}
		if (sq_exec(q, "BEGIN IMMEDIATE", err, errlen) != 0)
			return -1;
		/* Another process may have migrated while we waited. */
		if (user_version(q, &v, err, errlen) != 0)
			goto fail;
		if (v >= SCHEMA_VERSION) {
			sq_rollback(q);
			break;
		}
		if (sq_exec(q, migrations[v], err, errlen) != 0)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sq_exec(q, sql, err, errlen) != 0 ||
		    sq_exec(q, "COMMIT", err, errlen) != 0)
			goto fail;
		v++;
	}
	return 0;
fail:
	sq_rollback(q);
	return -1;
}

static void sq_close(void *);

static void *
sq_open(struct store *st, const char *path, int flags, char *err,
	size_t errlen)
{
	struct sq *q = xcalloc(1, sizeof(*q));
	int	oflags;

	q->readonly = (flags & STORE_READONLY) != 0;
	/* NOMUTEX: the store's own mutex serialises the connection. */
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
	if (q->readonly)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE |
		    ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &q->db, oflags, NULL) != SQLITE_OK) {
		store_err(err, errlen, "%s: %s", path,
			  q->db != NULL ? sqlite3_errmsg(q->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(q->db, 1);
	q->busy_ms = st->wait_ms;
	sqlite3_busy_timeout(q->db, (int) st->wait_ms);
	if (search_register_fold(q->db) != SQLITE_OK) {
		store_err(err, errlen, "%s", sqlite3_errmsg(q->db));
		goto fail;
	}
	/*
	 * journal_mode=WAL writes the header, so a read-only open of a file
	 * that is not in WAL mode yet leaves it as it is.  A writer keeps its
	 * temporary files in memory: the group commit's savepoints fill a
	 * statement journal that would otherwise spill to a file made and
	 * deleted every batch.  Readers keep them on disk, where a clerk's
	 * export of a large register may sort.
	 */
	if ((!q->readonly && (set_wal(q, err, errlen) != 0 ||
			      keep_wal_files(q, err, errlen) != 0 ||
			      sq_exec(q, "PRAGMA temp_store = MEMORY", err,
				      errlen) != 0)) ||
	    sq_exec(q, "PRAGMA synchronous = FULL", err, errlen) != 0 ||
	    sq_exec(q, "PRAGMA foreign_keys = ON", err, errlen) != 0) {
		/* "file is not a database" lands here on the first read. */
		char	why[256];

		snprintf(why, sizeof(why), "%s", err != NULL ? err : "");
		store_err(err, errlen, "%s: %s", path, why);
		goto fail;
	}
	if (migrate(q, err, errlen) != 0)
		goto fail;
	return q;
fail:
	sq_close(q);
	return NULL;
}

static void
sq_close(void *conn)
{
	struct sq *q = conn;

	if (q == NULL)
		return;
	for (size_t i = 0; i < SQ_CACHE; i++)
		if (q->cache[i].stmt != NULL)
			sqlite3_finalize(q->cache[i].stmt);
	if (q->db != NULL)
		sqlite3_close(q->db);
	free(q);
}

static void
sq_busy_timeout(void *conn, unsigned ms)
{
	struct sq *q = conn;

	q->busy_ms = ms;
	sqlite3_busy_timeout(q->db, (int) ms);
}

const struct store_backend store_sqlite_backend = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.busy_timeout = sq_busy_timeout,
	.reg = sq_register,
	.each = sq_each,
	.get = sq_get,
	.show = sq_show,
	.assign = sq_assign,
	.cancel = sq_cancel,
	.correct = sq_correct,
	.books = sq_books,
	.book_add = sq_book_add,
	.stats = sq_stats,
	.backup = sq_backup,
};
