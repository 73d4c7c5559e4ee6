/*
 * sqlite_int.h - pieces shared by the SQLite backend's files.
 *
 * struct sq is the backend's connection: one sqlite3 handle and a cache of
 * prepared statements keyed by their (static) SQL text.  It is used only
 * with the store's mutex held.
 */
#ifndef VANTHU_SQLITE_INT_H
#define VANTHU_SQLITE_INT_H

#include <sqlite3.h>

#include "store_impl.h"

#define SQ_CACHE	64

struct sq {
	sqlite3 *db;
	int	readonly;
	unsigned busy_ms;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[SQ_CACHE];
};

/* A cached statement, reset and unbound, or NULL with err set. */
sqlite3_stmt *sq_prep(struct sq *, const char *sql, char *err, size_t errlen);
int	sq_exec(struct sq *, const char *sql, char *err, size_t errlen);
/* BEGIN IMMEDIATE, waiting up to the busy timeout. */
int	sq_begin(struct sq *, char *err, size_t errlen);
int	sq_commit(struct sq *, char *err, size_t errlen);
void	sq_rollback(struct sq *);
/* A column as an allocated string, or NULL. */
char   *sq_text(sqlite3_stmt *, int col);

/* number.c: the next number of (book, year), inside the transaction. */
int	number_next(struct sq *, const char *book, int year, int64_t *out,
		    char *err, size_t errlen);

/* audit.c: append one line to the audit log, inside the transaction. */
int	audit_append(struct sq *, time_t at, const char *actor,
		     const char *action, int64_t registration,
		     const char *detail, char *err, size_t errlen);

/* search.c: index a registration's words; build a MATCH expression from
 * a clerk's words (NULL when they hold no word). */
int	search_index(struct sq *, int64_t registration, const char *const *parts,
		     size_t nparts, char *err, size_t errlen);
/* The words of an entry as corrected, under the correction's id. */
int	search_index_fix(struct sq *, int64_t correction,
			 const char *const *parts, size_t nparts, char *err,
			 size_t errlen);
char   *search_match_expr(const char *words);
/* The SQL function vanthu_fold(x), for diacritic-free comparisons. */
int	search_register_fold(sqlite3 *);

/* sqlite_query.c: what the tool reads. */
/* Row id of a registration by its id (den/2026/123): >0, 0 when none
 * (err says so), -1 on error. */
int64_t	sq_rowid_of(struct sq *, const char *id, char *err, size_t errlen);
int	sq_each(struct store *, const struct reg_filter *, reg_each_fn, void *,
		char *, size_t);
int	sq_get(struct store *, const char *, struct reg_entry *, char *, size_t);
int	sq_show(struct store *, const char *, FILE *, char *, size_t);
int	sq_books(struct store *, struct book_list *, char *, size_t);
int	sq_stats(struct store *, int, FILE *, char *, size_t);

/* sqlite_change.c: what the tool changes, each with its audit line. */
int	sq_assign(struct store *, const char *, const struct reg_assign *,
		  const char *, const char *, char *, size_t);
int	sq_cancel(struct store *, const char *, const char *, const char *,
		  const char *, char *, size_t);
int	sq_book_add(struct store *, const char *, const char *, const char *,
		    const char *, const char *, char *, size_t);

/* sqlite_correct.c: a clerk's correction, with its audit line. */
int	sq_correct(struct store *, const char *, const struct reg_correct *,
		   const char *, const char *, char *, char *, size_t);

/* sqlite_register.c: the key that finds an entry by number, symbol and
 * issuer (allocated; NULL when one is unknown), and the number and
 * symbol of a reference as written ("15/QĐ-BNV", "572-CV/TU"): 0 with
 * both allocated, -1 when it does not read so. */
char   *reg_ref_key(const char *number, const char *symbol,
		    const char *issuer);
int	reg_ref_split(const char *reference, char **number, char **symbol);

/* sqlite_backup.c */
int	sq_backup(struct store *, const char *, char ***, size_t *, char *,
		  size_t);

/* sqlite_register.c */
void	sq_register(struct store *, struct reg_job *const *, size_t);

#endif
