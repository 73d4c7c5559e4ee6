/*
 * search.c - full-text search over the register (SQLite FTS5).
 *
 * Vietnamese is matched without regard to case or diacritics: the index
 * holds only text_fold()ed words (NFC, case folded, marks stripped,
 * đ -> d), and a clerk's words are folded the same way before the query,
 * so "quyet dinh", "Quyết định" and "QUYẾT ĐỊNH" find the same entries.
 * The index is contentless (content=''): the words live in the register
 * tables, not twice.  A query is built from the clerk's words only, each
 * one quoted as an FTS5 string, so no FTS syntax reaches the engine;
 * words are ANDed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "textnorm.h"
#include "xmalloc.h"

static const char sql_index[] =
    "INSERT INTO reg_fts(rowid, body) VALUES(?1, ?2)";
static const char sql_index_fix[] =
    "INSERT INTO fix_fts(rowid, body) VALUES(?1, ?2)";

/* The parts, one a line, folded, into the index sql under rowid. */
static int
index_body(struct sq *q, const char *sql, int64_t rowid,
	   const char *const *parts, size_t nparts, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	size_t	len = 1, o = 0;
	char   *all, *folded;
	int	rc;

	for (size_t i = 0; i < nparts; i++)
		if (parts[i] != NULL)
			len += strlen(parts[i]) + 1;
	all = xmalloc(len);
	for (size_t i = 0; i < nparts; i++) {
		if (parts[i] == NULL)
			continue;
		size_t	n = strlen(parts[i]);

		memcpy(all + o, parts[i], n);
		o += n;
		all[o++] = '\n';
	}
	all[o] = 0;
	folded = text_fold(all);
	free(all);
	if ((s = sq_prep(q, sql, err, errlen)) == NULL) {
		free(folded);
		return -1;
	}
	sqlite3_bind_int64(s, 1, rowid);
	sqlite3_bind_text(s, 2, folded, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	free(folded);
	if (rc != SQLITE_DONE) {
		store_err(err, errlen, "search index: %s", sqlite3_errmsg(q->db));
		return -1;
	}
	return 0;
}

int
search_index(struct sq *q, int64_t registration, const char *const *parts,
	     size_t nparts, char *err, size_t errlen)
{
	return index_body(q, sql_index, registration, parts, nparts, err,
			  errlen);
}

int
search_index_fix(struct sq *q, int64_t correction, const char *const *parts,
		 size_t nparts, char *err, size_t errlen)
{
	return index_body(q, sql_index_fix, correction, parts, nparts, err,
			  errlen);
}

/* Split the folded words at anything but letters and digits (the same
 * boundaries the unicode61 tokenizer uses for folded text) and quote
 * each as "word". */
char *
search_match_expr(const char *words)
{
	char   *folded, *out;
	size_t	o = 0;
	const unsigned char *p;

	if (words == NULL)
		return NULL;
	folded = text_fold(words);
	out = xmalloc(strlen(folded) * 3 + 3);
	p = (const unsigned char *) folded;
	/* Every word counts: one left out would widen the search unseen. */
	while (*p != 0) {
		while (*p != 0 && !(isalnum(*p) || *p >= 0x80))
			p++;
		if (*p == 0)
			break;
		if (o > 0)
			out[o++] = ' ';
		out[o++] = '"';
		/* A word holds no '"', so quoting needs no escape. */
		while (*p != 0 && (isalnum(*p) || *p >= 0x80))
			out[o++] = *p++;
		out[o++] = '"';
	}
	out[o] = 0;
	free(folded);
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void
fold_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *in;
	char   *f;

	(void) argc;
	in = sqlite3_value_text(argv[0]);
	if (in == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	f = text_fold((const char *) in);
	sqlite3_result_text(ctx, f, -1, free);
}

int
search_register_fold(sqlite3 *db)
{
	return sqlite3_create_function(db, "vanthu_fold", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    fold_func, NULL, NULL);
}
