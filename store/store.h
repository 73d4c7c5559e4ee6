/*
 * store.h - the register: the only header the daemon and `vanthu` include.
 *
 * A struct store is one open register database.  The daemon opens one at
 * startup, before its threads, and shares it between them: every function
 * here may be called from any thread (one mutex serialises the
 * connection; concurrent store_register() calls share one commit, see
 * store.c).  A process never opens the same database twice, because
 * POSIX advisory locks drop when any descriptor on the file is closed;
 * store_open() refuses a second open of the same file in one process.
 * Several processes may share one database file: numbering stays gap-free
 * and unique because it runs inside one BEGIN IMMEDIATE transaction.
 *
 * Numbering (DOMAIN.md section 4): one gap-free sequence per (book, year)
 * for incoming books; the year is the local year in the configured
 * timezone at the moment of registration.  A number is assigned in the
 * same transaction as the document's rows, so a crash or an error leaves
 * neither; numbers are never reused and a cancelled entry keeps its own.
 * Outgoing books take the document's own number and symbol.
 *
 * Idempotency: a message is keyed by its Message-ID (or, without one, by a
 * digest of its envelope, subject and documents); a document is keyed by
 * its SHA-256 within that message.  Registering the same message again
 * (the MTA retrying after a tempfail) returns the first answers, marked
 * as a retry, and assigns nothing.
 *
 * Failures: functions return 0 on success and -1 on error with a reason
 * in the caller's buffer; a locked or busy database is an error after the
 * busy timeout, never a hang.  Nothing here exits the process.
 *
 * Storage backends sit behind a table of functions (store_impl.h);
 * SQLite is the only one so far.
 */
#ifndef VANTHU_STORE_H
#define VANTHU_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "facts.h"

struct store;

#define STORE_CREATE	0x01	/* create the database when missing */
#define STORE_READONLY	0x02	/* no writes: list, show, export */

#define STORE_WAIT_MS	10000	/* for another writer, by default */

#define STORE_DEFAULT_TIMEZONE	"Asia/Ho_Chi_Minh"
#define STORE_ID_MAX	160	/* den/2026/123, di/2026/15/QĐ-BNV */

/*
 * Open (and, with STORE_CREATE, create and migrate) the register at path.
 * tz names the zone whose local year numbers the register (NULL:
 * Asia/Ho_Chi_Minh); it becomes the process's TZ, so call store_open()
 * before starting threads.  Returns NULL with a reason in err.
 */
struct store *store_open(const char *path, const char *tz, int flags,
			 char *err, size_t errlen);
/* The same, waiting at most wait_ms for another writer, from the open
 * on (a schema upgrade, the switch to WAL), where store_open() waits
 * STORE_WAIT_MS. */
struct store *store_open_wait(const char *path, const char *tz, int flags,
			      unsigned wait_ms, char *err, size_t errlen);
struct store *store_close(struct store *);

/* Where document files live: <spool>/ab/cd/<sha256>.  When set,
 * store_register() refuses to number a document whose file is missing; the
 * caller must have made the file durable (fsync) before it calls. */
void	store_set_spool(struct store *, const char *spool);
const char *store_spool(const struct store *);

/* How long a call waits for another writer before it fails with "database
 * is locked" (STORE_WAIT_MS unless the store was opened with another). */
void	store_set_busy_timeout(struct store *, unsigned milliseconds);

/* ---- Registration, for the daemon ---- */

/* What to do with one document of the analysis. */
struct doc_request {
	const char *book;	/* NULL: den inbound, di outbound */
	int	skip;		/* secret document, skip rule: record only */
	const char *skip_reason;
	const char *flags;	/* kept with the registration: rule flags */
};

struct register_request {
	const char *outcome;	/* the message's fate: accept, quarantine... */
	const struct doc_request *docs;	/* ndocs of the analysis, or NULL */
	const char *actor;	/* for the audit log; NULL: "milter" */
};

enum reg_status {
	REG_NEW,		/* numbered now */
	REG_DUPLICATE,		/* already registered: id names that entry */
	REG_SKIPPED,		/* not registered on request */
	REG_UNNUMBERED,		/* outgoing document with no number of its own */
	REG__COUNT
};

extern const char *const reg_status_names[REG__COUNT];

struct doc_result {
	enum reg_status status;
	int	retry;		/* the same message was registered before */
	char	id[STORE_ID_MAX];	/* "" when SKIPPED or UNNUMBERED */
	char	book[32];
	int	year;
	int64_t	number;
};

struct register_result {
	struct doc_result *docs;	/* one per document of the analysis */
	size_t	ndocs;
	char	error[256];
};

/*
 * Register the documents of one message, at the end of the message, after
 * their spool files are durable.  req (may be NULL) gives the outcome for
 * the message row and, in req->docs, one entry per an->docs[i]: another
 * book named by a rule, or skip (secret documents, skip rules).  Returns 0
 * with res->docs[i] answering for an->docs[i]; the caller adds one
 * "<HeaderPrefix>Register: <store_header_register()>" header per document
 * whose value is not NULL, and a facts header from store_header_facts().
 * Returns -1 with res->error when nothing was registered (the database is
 * locked past the busy timeout, a book does not exist, a spool file is
 * missing...): the caller applies OnStoreError; a tempfail is safe, as
 * the MTA's retry is recognised.  Free res with register_result_clear().
 */
int	store_register(struct store *, const struct msg_info *,
		       const struct analysis *, const struct register_request *,
		       struct register_result *);
void	register_result_clear(struct register_result *);

/* Transactions run by store_register() and the messages they held since
 * the store was opened: their ratio is the group commit's batch size. */
void	store_commit_stats(struct store *, uint64_t *commits,
			   uint64_t *messages);

/* Header values the daemon adds (store/headers.c).  Both return allocated
 * strings.  The register header: "den/2026/123", with " (duplicate)" or
 * nothing, RFC 2047 encoded when the id is not ASCII.  The facts header:
 * reference, date, issuer, type and summary of the document, each encoded
 * as RFC 2047 words where needed and folded at 78 columns. */
char   *store_header_register(const struct doc_result *);
char   *store_header_facts(const struct document *);

/* ---- The register, for the clerk's tool ---- */

/* One registration, everything the tool shows or exports. */
struct reg_entry {
	int64_t	rowid;
	char   *id;		/* den/2026/123 */
	char   *book;
	int	year;
	int64_t	number;
	char   *symbol;		/* outgoing books: the document's symbol */
	int64_t	registered_at;	/* Unix time */
	char   *status;		/* registered | cancelled */
	char   *cancel_reason;
	char   *reference;
	char   *issuer;
	char   *date;		/* the document's date, ISO 8601 */
	char   *type_name;
	char   *summary;
	char   *urgency;
	char   *signer;
	char   *recipients;	/* Nơi nhận, one a line */
	char   *signature_verdict;
	char   *sha256;
	char   *doc_name;
	char   *doc_type;
	int64_t	size;
	char   *message_id;
	char   *env_from;
	char   *lead;
	char   *coop;
	char   *due;		/* ISO 8601 date */
	int64_t	assigned_at;	/* 0: never */
	char   *flags;		/* the rules' flags, blank-separated */
	char   *notes;		/* the clerk's */
	int64_t	arrivals;	/* times the document arrived, this one included */

	/* store_get only: the files of the document's detached signatures
	 * (.p7s), kept in the spool beside it. */
	struct sig_file {
		char   *name;
		char   *sha256;
	}      *sig_files;
	size_t	nsig_files;

	/* store_get only: copies with other bytes that arrived as this
	 * entry (the same number, symbol and issuer: a signed PDF after a
	 * scan), in the order they came, each with its signature files. */
	struct copy_file {
		char   *name;
		char   *sha256;
		struct sig_file *sig_files;
		size_t	nsig_files;
	}      *copies;
	size_t	ncopies;
};

struct reg_filter {
	const char *book;
	int	year;		/* 0: any */
	const char *from;	/* registered on or after, YYYY-MM-DD local */
	const char *to;		/* registered on or before, YYYY-MM-DD local */
	const char *type;	/* type name or code, diacritics ignored */
	const char *issuer;	/* substring, diacritics ignored */
	const char *verdict;	/* signature verdict name */
	const char *status;	/* registered | cancelled */
	const char *text;	/* full-text words (FTS), diacritics ignored */
	size_t	limit;		/* 0: all */
};

/* The registrations f selects, in book, year and number order, one at a
 * time, none held longer: fn sees each entry (freed after it returns) and
 * returns 0 to go on or a value above 0 to stop.  Returns 0 when every
 * entry was seen, -1 with err set when the register could not be read, or
 * what fn returned when it stopped the walk.  The walk reads one snapshot, held until it ends: in
 * WAL mode that keeps checkpoints from reusing the log, however long fn
 * takes (a pager waiting on its reader). */
typedef int (*reg_each_fn)(const struct reg_entry *, void *arg);
int	store_each(struct store *, const struct reg_filter *, reg_each_fn fn,
		   void *arg, char *err, size_t errlen);

/* One registration by id ("den/2026/123", "di/2026/15/QĐ-BNV"); returns 1
 * when found, 0 when no such registration, -1 on error (bad id too). */
int	store_get(struct store *, const char *id, struct reg_entry *,
		  char *err, size_t errlen);
void	reg_entry_clear(struct reg_entry *);

/* Facts with their sources, signatures and arrivals of one registration,
 * printed as the `show` command does. */
int	store_show(struct store *, const char *id, FILE *out,
		   char *err, size_t errlen);

/* Clerk's changes; actor and the command line go to the audit log. */
struct reg_assign {
	const char *lead;
	const char *coop;
	const char *due;	/* YYYY-MM-DD */
	const char *notes;
};
int	store_assign(struct store *, const char *id, const struct reg_assign *,
		     const char *actor, const char *command,
		     char *err, size_t errlen);
int	store_cancel(struct store *, const char *id, const char *reason,
		     const char *actor, const char *command,
		     char *err, size_t errlen);

/*
 * A clerk's correction of what the daemon read wrong: each field given
 * (not NULL) replaces the entry's, "" clears it.  type is a code or a
 * name of ND30's list, urgency one of HỎA TỐC, THƯỢNG KHẨN, KHẨN (with or
 * without diacritics).  The old and new values are kept with the reason.
 */
struct reg_correct {
	const char *reference;	/* not for an outgoing book's entry */
	const char *issuer;
	const char *date;	/* YYYY-MM-DD */
	const char *type;
	const char *summary;
	const char *urgency;
	const char *signer;
	const char *reason;
	const char *type_code;	/* store_correct's reading of type */
};
/* 0, with other holding the id of another registered entry with the
 * same number, symbol and issuer if there is one, else ""; -1 with err. */
int	store_correct(struct store *, const char *id, const struct reg_correct *,
		      const char *actor, const char *command, char other[STORE_ID_MAX],
		      char *err, size_t errlen);

/* Whether s is text on one line: valid UTF-8, no control characters,
 * not blank, at most max bytes. */
int	store_line_ok(const char *s, size_t max);

struct book {
	char   *code;
	char   *name;
	char   *direction;	/* in | out */
};
struct book_list {
	struct book *v;
	size_t	n;
};
int	store_books(struct store *, struct book_list *, char *err, size_t errlen);
int	store_book_add(struct store *, const char *code, const char *name,
		       const char *direction, const char *actor,
		       const char *command, char *err, size_t errlen);
void	book_list_clear(struct book_list *);

/* Counts for `vanthu stats`, written as "name value" lines. */
int	store_stats(struct store *, int year, FILE *out, char *err, size_t errlen);

/*
 * A copy of the whole register as of one commit, in the file dest (made
 * beside it, checked, fsync'd and renamed over it), while other
 * processes go on writing.  *sha256 (n of them, allocated) names every
 * document a registration in the copy points to: those whose files the
 * document store holds.  0, or -1 with err.
 */
int	store_backup(struct store *, const char *dest, char ***sha256,
		     size_t *n, char *err, size_t errlen);

/* The register of one book and year in number order (ND30 appendix IV
 * columns), written to out, row by row: memory does not grow with the
 * register.  Formats: "csv", "html", "xlsx".  scratch is the path of the
 * file out writes to when the caller removes that file after a failure
 * (the xlsx writer opens it by name); with scratch NULL (standard output,
 * a pipe) the export goes to a temporary file first and out gets it only
 * when whole.  0, or -1 with err; when writing to out failed, errno says
 * why. */
int	store_export(struct store *, const char *book, int year,
		     const char *format, FILE *out, const char *scratch,
		     char *err, size_t errlen);

/* ---- Helpers shared by the tool and the tests ---- */

/* Local date and year of t in the process's timezone (set by store_open). */
int	store_local_year(time_t t);
void	store_local_date(time_t t, char buf[11]);	/* YYYY-MM-DD */

/* Whether s is a real calendar date YYYY-MM-DD (years 1900..9999). */
int	store_date_valid(const char *s);

/* Parse an id; book and rest point into a copy the caller frees. */
int	store_id_parse(const char *id, char book[32], int *year,
		       int64_t *number, char *symbol, size_t symlen);

/* The path of a document in the spool, allocated. */
char   *store_spool_path(const char *spool, const char *sha256);

#endif
