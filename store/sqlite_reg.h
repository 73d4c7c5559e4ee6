/*
 * sqlite_reg.h - what the two files that register a message share:
 * sqlite_register.c (the message, its numbers and arrivals) and
 * sqlite_document.c (a document's row, facts and signatures).
 */
#ifndef VANTHU_SQLITE_REG_H
#define VANTHU_SQLITE_REG_H

#include <stdint.h>
#include <time.h>

#include "sqlite_int.h"

/* Everything one call needs, so no state lives outside the call. */
struct regctx {
	struct store *st;
	struct sq *q;
	const struct msg_info *msg;
	const struct analysis *an;
	const struct register_request *req;
	struct register_result *res;
	const char *actor;
	time_t	now;
	int64_t	msg_row;
	int	retry;
	char   *err;
	size_t	errlen;
};

/* What a document's verdict became when a later arrival brought it a
 * signature its row did not have yet. */
struct verdict_change {
	int	changed;
	char	from[16], to[16];
};

/* Bind v, or NULL when v is NULL. */
void	reg_bind_opt(sqlite3_stmt *, int i, const char *v);
/* Step a statement that returns no row and reset it; -1 with err saying
 * what failed otherwise. */
int	reg_step_done(struct regctx *, sqlite3_stmt *, const char *what);

/* sqlite_document.c: the document's row (created when new, its id in
 * *id), with its facts and signatures unless skip; for a row seen before,
 * the signatures it lacked, and in *vc what that did to its verdict. */
int	reg_document_row(struct regctx *, const struct document *, int skip,
			 int64_t *id, struct verdict_change *vc);
/* A verdict a later arrival changed: the flag in the flags of entry reg
 * (0: none) follows it; now holds this arrival's flags; the audit log
 * says what changed. */
int	reg_verdict_changed(struct regctx *, const struct verdict_change *,
			    int64_t reg, const char *now);

#endif
