/*
 * store_register_test.c - numbering, duplicates, retries, skips, outgoing
 * documents, the year boundary and rollback of the register.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "store_fixture.h"

static const char ISSUER[] = "BỘ NỘI VỤ";

static void
numbers_run_from_one(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	id[STORE_ID_MAX];

	(void) state;
	assert_int_equal(fx_register1(fx, "<a@x>", DIR_INBOUND, "doc a", "15",
				      "QĐ-BNV", ISSUER, "Về việc a", id, NULL),
			 REG_NEW);
	assert_string_equal(id, "den/2026/1");
	assert_int_equal(fx_register1(fx, "<b@x>", DIR_INBOUND, "doc b", "16",
				      "QĐ-BNV", ISSUER, "Về việc b", id, NULL),
			 REG_NEW);
	assert_string_equal(id, "den/2026/2");
	assert_int_equal(fx_register1(fx, "<c@x>", DIR_INBOUND, "doc c", NULL,
				      NULL, NULL, NULL, id, NULL), REG_NEW);
	assert_string_equal(id, "den/2026/3");
	fx_free(fx);
}

static void
same_bytes_get_no_new_number(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct reg_entry e;
	char	id[STORE_ID_MAX], err[256];

	(void) state;
	fx_register1(fx, "<a@x>", DIR_INBOUND, "doc a", "15", "QĐ-BNV", ISSUER,
		     "Về việc a", id, NULL);
	assert_int_equal(fx_register1(fx, "<again@x>", DIR_INBOUND, "doc a",
				      NULL, NULL, NULL, NULL, id, NULL),
			 REG_DUPLICATE);
	assert_string_equal(id, "den/2026/1");
	assert_int_equal(store_get(fx->st, "den/2026/1", &e, err, sizeof(err)), 1);
	assert_int_equal(e.arrivals, 2);
	reg_entry_clear(&e);
	/* and the next new document still gets 2 */
	fx_register1(fx, "<b@x>", DIR_INBOUND, "doc b", NULL, NULL, NULL, NULL,
		     id, NULL);
	assert_string_equal(id, "den/2026/2");
	fx_free(fx);
}

static void
same_reference_and_issuer_is_a_duplicate(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	id[STORE_ID_MAX];

	(void) state;
	fx_register1(fx, "<a@x>", DIR_INBOUND, "scan 1", "05", "QĐ-BNV", ISSUER,
		     NULL, id, NULL);
	/* other bytes, number without its zero, symbol and issuer typed
	 * without diacritics: the same document */
	assert_int_equal(fx_register1(fx, "<b@x>", DIR_INBOUND, "scan 2", "5",
				      "QD-BNV", "Bo Noi vu", NULL, id, NULL),
			 REG_DUPLICATE);
	assert_string_equal(id, "den/2026/1");
	/* another issuer: a new document */
	assert_int_equal(fx_register1(fx, "<c@x>", DIR_INBOUND, "scan 3", "05",
				      "QĐ-BNV", "BỘ TÀI CHÍNH", NULL, id, NULL),
			 REG_NEW);
	assert_string_equal(id, "den/2026/2");
	fx_free(fx);
}

static void
a_retried_message_is_registered_once(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	id[STORE_ID_MAX];
	int	retry = -1;

	(void) state;
	fx_register1(fx, "<r@x>", DIR_INBOUND, "doc r", "1", "TB-UBND", ISSUER,
		     NULL, id, &retry);
	assert_string_equal(id, "den/2026/1");
	assert_int_equal(retry, 0);
	assert_int_equal(fx_register1(fx, "<r@x>", DIR_INBOUND, "doc r", "1",
				      "TB-UBND", ISSUER, NULL, id, &retry),
			 REG_NEW);
	assert_string_equal(id, "den/2026/1");
	assert_int_equal(retry, 1);
	/* without a Message-ID the envelope digest keys the message */
	fx_register1(fx, NULL, DIR_INBOUND, "doc s", NULL, NULL, NULL, NULL, id,
		     &retry);
	assert_string_equal(id, "den/2026/2");
	assert_int_equal(retry, 0);
	fx_register1(fx, NULL, DIR_INBOUND, "doc s", NULL, NULL, NULL, NULL, id,
		     &retry);
	assert_string_equal(id, "den/2026/2");
	assert_int_equal(retry, 1);
	fx_free(fx);
}

static void
one_message_with_several_documents(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct msg_info m;
	struct analysis an = {0};
	struct register_result res = {0};
	struct doc_request dr[4] = {
		{0}, {.skip = 1, .skip_reason = "secret: MẬT"}, {0}, {0},
	};
	struct register_request req = { .outcome = "accept", .docs = dr };

	(void) state;
	fx_msg(&m, "<many@x>", DIR_INBOUND);
	fx_doc(&an, "first", NULL, NULL, NULL, NULL);
	fx_doc(&an, "secret", NULL, NULL, NULL, NULL);
	fx_doc(&an, "second", NULL, NULL, NULL, NULL);
	fx_doc(&an, "first", NULL, NULL, NULL, NULL);	/* attached twice */
	assert_int_equal(store_register(fx->st, &m, &an, &req, &res), 0);
	assert_int_equal(res.ndocs, 4);
	assert_int_equal(res.docs[0].status, REG_NEW);
	assert_string_equal(res.docs[0].id, "den/2026/1");
	assert_int_equal(res.docs[1].status, REG_SKIPPED);
	assert_string_equal(res.docs[1].id, "");
	assert_int_equal(res.docs[2].status, REG_NEW);
	assert_string_equal(res.docs[2].id, "den/2026/2");
	assert_int_equal(res.docs[3].status, REG_DUPLICATE);
	assert_string_equal(res.docs[3].id, "den/2026/1");
	register_result_clear(&res);
	/* the retry answers the same, document by document */
	assert_int_equal(store_register(fx->st, &m, &an, &req, &res), 0);
	assert_int_equal(res.docs[0].retry, 1);
	assert_string_equal(res.docs[0].id, "den/2026/1");
	assert_int_equal(res.docs[1].status, REG_SKIPPED);
	assert_string_equal(res.docs[2].id, "den/2026/2");
	assert_int_equal(res.docs[3].status, REG_DUPLICATE);
	assert_string_equal(res.docs[3].id, "den/2026/1");
	register_result_clear(&res);
	analysis_clear(&an);
	msg_info_clear(&m);
	fx_free(fx);
}

static void
outgoing_documents_keep_their_own_number(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct reg_entry e;
	char	id[STORE_ID_MAX], err[256];

	(void) state;
	assert_int_equal(fx_register1(fx, "<o@x>", DIR_OUTBOUND, "out 1", "15",
				      "QĐ-UBND", "UBND TỈNH", "Về việc x", id,
				      NULL), REG_NEW);
	assert_string_equal(id, "di/2026/15/QĐ-UBND");
	assert_int_equal(store_get(fx->st, id, &e, err, sizeof(err)), 1);
	assert_string_equal(e.recipients, "vanthu@hcm.gov.vn\nso-noi-vu@hcm.gov.vn");
	assert_int_equal(e.number, 15);
	reg_entry_clear(&e);
	/* no number of its own: vanthu invents none */
	assert_int_equal(fx_register1(fx, "<o2@x>", DIR_OUTBOUND, "out 2", NULL,
				      NULL, NULL, NULL, id, NULL), REG_UNNUMBERED);
	assert_string_equal(id, "");
	/* the incoming book is untouched */
	assert_int_equal(fx_register1(fx, "<i@x>", DIR_INBOUND, "in 1", NULL,
				      NULL, NULL, NULL, id, NULL), REG_NEW);
	assert_string_equal(id, "den/2026/1");
	fx_free(fx);
}

/* Register one inbound document dated date; returns the status, id in id. */
static int
register_dated(struct fixture *fx, const char *mid, const char *content,
	       const char *date, char id[STORE_ID_MAX])
{
	struct msg_info m;
	struct analysis an = {0};
	struct document *d;

	fx_msg(&m, mid, DIR_INBOUND);
	d = fx_doc(&an, content, "15", "QĐ-BNV", ISSUER, NULL);
	fact_set(&d->facts, FACT_DATE, date, SRC_TEXT, 90);
	return fx_register_msg(fx, &m, &an, NULL, id, NULL);
}

static void
the_same_reference_next_year_is_a_new_document(void **state)
{
	/* An issuer numbers its documents from 01 every year: 15/QĐ-BNV of
	 * 2026 is not 15/QĐ-BNV of 2025. */
	struct fixture *fx = fx_new(FX_T0 - 365 * 86400);
	char	id[STORE_ID_MAX];

	(void) state;
	assert_int_equal(register_dated(fx, "<y25@x>", "qd 15 of 2025",
					"2025-02-27", id), REG_NEW);
	assert_string_equal(id, "den/2025/1");
	fx->now = FX_T0;
	assert_int_equal(register_dated(fx, "<y26@x>", "qd 15 of 2026",
					"2026-02-27", id), REG_NEW);
	assert_string_equal(id, "den/2026/1");
	/* a scan of last year's document is still last year's entry */
	assert_int_equal(register_dated(fx, "<scan@x>", "qd 15 of 2025, scan",
					"2025-02-27", id), REG_DUPLICATE);
	assert_string_equal(id, "den/2025/1");
	assert_int_equal(register_dated(fx, "<scan2@x>", "qd 15 of 2026, scan",
					"2026-02-27", id), REG_DUPLICATE);
	assert_string_equal(id, "den/2026/1");
	fx_free(fx);
}

static void
the_year_turns_at_local_midnight(void **state)
{
	/* 2026-12-31 23:59:59 +07 and one second later, which is
	 * 2026-12-31 17:00:00 UTC: still 2026 in UTC. */
	struct fixture *fx = fx_new((time_t) 1798736399);
	char	id[STORE_ID_MAX];

	(void) state;
	fx_register1(fx, "<y1@x>", DIR_INBOUND, "y1", NULL, NULL, NULL, NULL,
		     id, NULL);
	assert_string_equal(id, "den/2026/1");
	fx_register1(fx, "<y2@x>", DIR_INBOUND, "y2", NULL, NULL, NULL, NULL,
		     id, NULL);
	assert_string_equal(id, "den/2026/2");
	fx->now++;
	fx_register1(fx, "<y3@x>", DIR_INBOUND, "y3", NULL, NULL, NULL, NULL,
		     id, NULL);
	assert_string_equal(id, "den/2027/1");
	fx_register1(fx, "<y4@x>", DIR_INBOUND, "y4", NULL, NULL, NULL, NULL,
		     id, NULL);
	assert_string_equal(id, "den/2027/2");
	assert_int_equal(store_local_year((time_t) 1798736400), 2027);
	fx_free(fx);
}

static void
a_missing_spool_file_takes_no_number(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	id[STORE_ID_MAX], sha[65], *p, dir[256];
	FILE   *f;

	(void) state;
	store_set_spool(fx->st, fx->dir);
	assert_int_equal(fx_register1(fx, "<s@x>", DIR_INBOUND, "spooled", NULL,
				      NULL, NULL, NULL, id, NULL), -1);
	fx_sha("spooled", sha);
	snprintf(dir, sizeof(dir), "%s/%.2s", fx->dir, sha);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/%.2s/%.2s", fx->dir, sha, sha + 2);
	mkdir(dir, 0700);
	p = store_spool_path(fx->dir, sha);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("spooled", f);
	fclose(f);
	free(p);
	assert_int_equal(fx_register1(fx, "<s@x>", DIR_INBOUND, "spooled", NULL,
				      NULL, NULL, NULL, id, NULL), REG_NEW);
	assert_string_equal(id, "den/2026/1");
	fx_free(fx);
}

static void
an_unknown_book_is_an_error(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct msg_info m;
	struct analysis an = {0};
	struct register_result res = {0};
	struct doc_request dr = { .book = "mat" };
	struct register_request req = { .docs = &dr };
	char	err[256], id[STORE_ID_MAX];

	(void) state;
	fx_msg(&m, "<book@x>", DIR_INBOUND);
	fx_doc(&an, "for a book", NULL, NULL, NULL, NULL);
	assert_int_equal(store_register(fx->st, &m, &an, &req, &res), -1);
	assert_string_equal(res.error, "no such book: mat");
	register_result_clear(&res);
	assert_int_equal(store_book_add(fx->st, "mat", "Sổ văn bản mật", "in",
					"root", "vanthu books add", err,
					sizeof(err)), 0);
	assert_int_equal(store_register(fx->st, &m, &an, &req, &res), 0);
	assert_string_equal(res.docs[0].id, "mat/2026/1");
	register_result_clear(&res);
	analysis_clear(&an);
	msg_info_clear(&m);
	/* a failed message consumed nothing: den still starts at 1 */
	fx_register1(fx, "<n@x>", DIR_INBOUND, "n", NULL, NULL, NULL, NULL, id,
		     NULL);
	assert_string_equal(id, "den/2026/1");
	fx_free(fx);
}

static void
one_process_opens_a_register_once(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	err[256], id[STORE_ID_MAX];
	struct store *again;

	(void) state;
	again = store_open(fx->db, NULL, 0, err, sizeof(err));
	assert_null(again);
	assert_non_null(strstr(err, "already open in this process"));
	/* the first handle still works */
	assert_int_equal(fx_register1(fx, "<o@x>", DIR_INBOUND, "o", NULL, NULL,
				      NULL, NULL, id, NULL), REG_NEW);
	again = store_open("/nonexistent/register.db", NULL, 0, err, sizeof(err));
	assert_null(again);
	assert_string_equal(err, "/nonexistent/register.db: no such database");
	fx_free(fx);
}

static void
registrations_and_audit_cannot_be_rewritten(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	id[STORE_ID_MAX], cmd[400];
	int	rc;

	(void) state;
	fx_register1(fx, "<a@x>", DIR_INBOUND, "a", NULL, NULL, NULL, NULL, id,
		     NULL);
	fx->st = store_close(fx->st);
	/* sqlite3(1) as a second, independent writer */
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"DELETE FROM audit\" "
		 "2>/dev/null", fx->db);
	rc = system(cmd);
	assert_int_not_equal(rc, 0);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE registrations SET "
		 "number = 7\" 2>/dev/null", fx->db);
	rc = system(cmd);
	assert_int_not_equal(rc, 0);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"DELETE FROM registrations\" "
		 "2>/dev/null", fx->db);
	rc = system(cmd);
	assert_int_not_equal(rc, 0);
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 %s 'PRAGMA user_version;"
		 " PRAGMA journal_mode; SELECT count(*) FROM audit')\" = "
		 "\"$(printf '4\\nwal\\n1')\"", fx->db);
	assert_int_equal(system(cmd), 0);
	fx->st = store_open(fx->db, NULL, 0, NULL, 0);
	assert_non_null(fx->st);
	fx_free(fx);
}

struct racer {
	struct fixture *fx;
	int	index;
	int	ok, failed;
	pthread_t tid;
};

/* Every fifth message names a book that does not exist and must fail
 * alone, whichever batch it shares with the others. */
static void *
race(void *arg)
{
	struct racer *r = arg;

	for (int i = 0; i < 50; i++) {
		struct msg_info m;
		struct analysis an = {0};
		struct register_result res = {0};
		struct doc_request dr = { .book = i % 5 == 4 ? "nope" : NULL };
		struct register_request req = { .docs = &dr };
		char	mid[64], content[64];

		snprintf(mid, sizeof(mid), "<race-%d-%d@x>", r->index, i);
		snprintf(content, sizeof(content), "race %d %d", r->index, i);
		fx_msg(&m, mid, DIR_INBOUND);
		fx_doc(&an, content, NULL, NULL, NULL, NULL);
		if (store_register(r->fx->st, &m, &an, &req, &res) == 0 &&
		    res.docs[0].status == REG_NEW)
			r->ok++;
		else if (strcmp(res.error, "no such book: nope") == 0 &&
			 res.docs[0].id[0] == 0)
			r->failed++;
		register_result_clear(&res);
		analysis_clear(&an);
		msg_info_clear(&m);
	}
	return NULL;
}

/* What store_each gave: how many, each number, the first id. */
struct seen {
	size_t	n;
	int64_t	numbers[400];
	char	first[STORE_ID_MAX];
};

static int
see(const struct reg_entry *e, void *arg)
{
	struct seen *sn = arg;

	if (sn->n == 0)
		snprintf(sn->first, sizeof(sn->first), "%s", e->id);
	if (sn->n < sizeof(sn->numbers) / sizeof(sn->numbers[0]))
		sn->numbers[sn->n] = e->number;
	sn->n++;
	return 0;
}

static void
a_failing_message_does_not_fail_its_batch(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct racer r[8];
	struct reg_filter f = { .book = "den", .year = 2026 };
	struct seen sn = {0};
	char	err[256];
	int	ok = 0, failed = 0;

	(void) state;
	for (int i = 0; i < 8; i++) {
		r[i] = (struct racer) { .fx = fx, .index = i };
		pthread_create(&r[i].tid, NULL, race, &r[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(r[i].tid, NULL);
		ok += r[i].ok;
		failed += r[i].failed;
	}
	assert_int_equal(ok, 320);
	assert_int_equal(failed, 80);
	assert_int_equal(store_each(fx->st, &f, see, &sn, err, sizeof(err)), 0);
	assert_int_equal(sn.n, 320);
	for (size_t i = 0; i < sn.n; i++)
		assert_int_equal(sn.numbers[i], (int64_t) i + 1);
	fx_free(fx);
}

/* Files this process has open that are not the register's own. */
static int
count_foreign_files(const char *dir)
{
	char	path[PATH_MAX], to[PATH_MAX];
	struct dirent *e;
	DIR    *d = opendir("/proc/self/fd");
	int	n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		ssize_t	len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		if ((len = readlink(path, to, sizeof(to) - 1)) <= 0)
			continue;
		to[len] = 0;
		if (to[0] == '/' && strncmp(to, "/dev/", 5) != 0 &&
		    strncmp(to, "/proc/", 6) != 0 &&
		    strncmp(to, dir, strlen(dir)) != 0)
			n++;
	}
	closedir(d);
	return n;
}

static void
foreign_files_at_commit(const char *point, void *arg)
{
	int    *worst = arg;
	int	n;

	if (strcmp(point, "register.commit") == 0 &&
	    (n = count_foreign_files("/tmp/vanthu-store.")) > *worst)
		*worst = n;
}

/*
 * A batch's savepoints journal every page they change that existed
 * before; past 64 KiB SQLite would spill that to a temporary file, made
 * and deleted each batch.  The daemon's connection keeps it in memory.
 * Sixty documents with random hashes touch most leaves of the indexes
 * over three hundred earlier ones: well past the spill point.
 */
static void
a_batch_makes_no_temporary_file(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct msg_info m;
	struct analysis an = {0};
	struct register_result res = {0};
	char	id[STORE_ID_MAX], content[64];
	int	before, worst = 0;

	(void) state;
	for (int i = 0; i < 300; i++) {
		char	mid[64];

		snprintf(mid, sizeof(mid), "<earlier-%d@x>", i);
		snprintf(content, sizeof(content), "earlier %d", i);
		assert_int_equal(fx_register1(fx, mid, DIR_INBOUND, content,
					      NULL, NULL, NULL, NULL, id,
					      NULL), REG_NEW);
	}
	before = count_foreign_files("/tmp/vanthu-store.");
	assert_true(before >= 0);
	store_test_set_fault(fx->st, foreign_files_at_commit, &worst);
	fx_msg(&m, "<sixty@x>", DIR_INBOUND);
	for (int i = 0; i < 60; i++) {
		snprintf(content, sizeof(content), "one of sixty %d", i);
		fx_doc(&an, content, NULL, NULL, NULL, NULL);
	}
	assert_int_equal(store_register(fx->st, &m, &an, NULL, &res), 0);
	assert_int_equal(res.ndocs, 60);
	assert_string_equal(res.docs[59].id, "den/2026/360");
	assert_int_equal(worst, before);
	register_result_clear(&res);
	analysis_clear(&an);
	msg_info_clear(&m);
	fx_free(fx);
}

static void
a_read_only_register_refuses_writes(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct reg_filter f = {0};
	struct seen sn = {0};
	char	id[STORE_ID_MAX], err[256];

	(void) state;
	fx_register1(fx, "<ro@x>", DIR_INBOUND, "ro", NULL, NULL, NULL, NULL,
		     id, NULL);
	fx->st = store_close(fx->st);
	fx->st = store_open(fx->db, NULL, STORE_READONLY, err, sizeof(err));
	assert_non_null(fx->st);
	assert_int_equal(store_each(fx->st, &f, see, &sn, err, sizeof(err)), 0);
	assert_int_equal(sn.n, 1);
	assert_string_equal(sn.first, "den/2026/1");
	assert_int_equal(store_cancel(fx->st, "den/2026/1", "x", "me", "cmd",
				      err, sizeof(err)), -1);
	assert_string_equal(err, "the register is open read-only");
	assert_int_equal(fx_register1(fx, "<ro2@x>", DIR_INBOUND, "ro2", NULL,
				      NULL, NULL, NULL, id, NULL), -1);
	fx_free(fx);
}

/* Register the document content once more in a message of its own: a
 * signature inside it when emb says so, and a .p7s beside it whose bytes
 * are p7s (none when NULL), with these verdicts; the flags as the default
 * rules would flag it, with "urgent" from another rule. */
static int
register_signed(struct fixture *fx, const char *mid, const char *content,
		int emb, enum sig_verdict emb_v, const char *p7s,
		enum sig_verdict p7s_v, char id[STORE_ID_MAX])
{
	struct msg_info m;
	struct analysis an = {0};
	struct doc_request dr = {0};
	struct register_request req = {.docs = &dr};
	struct document *d;
	char	flags[64] = "urgent";

	dr.flags = flags;
	fx_msg(&m, mid, DIR_INBOUND);
	d = fx_doc(&an, content, NULL, NULL, NULL, NULL);
	d->sig_verdict = SIG_ABSENT;
	d->sigs = xcalloc(2, sizeof(*d->sigs));
	if (emb) {
		d->sigs[d->nsigs].verdict = emb_v;
		d->sigs[d->nsigs++].signer = xstrdup("Nguyễn Văn A");
		d->sig_verdict = emb_v;
	}
	if (p7s != NULL) {
		struct signature *g = &d->sigs[d->nsigs++];

		g->verdict = p7s_v;
		g->signer = xstrdup("Bộ Nội vụ");
		g->detached = 1;
		g->file = 0;
		an.sigfiles = xcalloc(1, sizeof(*an.sigfiles));
		an.nsigfiles = 1;
		an.sigfiles[0].name = xstrdup("qd.pdf.p7s");
		fx_sha(p7s, an.sigfiles[0].sha256);
		d->sig_verdict = emb ? sig_verdict_weakest(emb_v, p7s_v) : p7s_v;
	}
	/* the flag require-signature sets, with one of a rule's own */
	if (d->sig_verdict != SIG_VALID)
		snprintf(flags, sizeof(flags), "urgent signature-%s",
			 sig_verdict_names[d->sig_verdict]);
	return fx_register_msg(fx, &m, &an, &req, id, NULL);
}

/* The first row of a query on the register, its columns joined by '|'. */
static void
query(struct fixture *fx, const char *sql, char *out, size_t len)
{
	char	cmd[600];
	FILE   *p;
	size_t	n;

	snprintf(cmd, sizeof(cmd), "sqlite3 -readonly %s \"%s\"", fx->db, sql);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, len - 1, p);
	out[n] = 0;
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = 0;
	pclose(p);
}

static const char SIGROWS[] = "SELECT group_concat(idx || ':' || verdict ||"
    " ':' || coalesce(file_name, '-'), ',') FROM (SELECT * FROM signatures"
    " ORDER BY idx)";

static void
a_signature_file_sent_later_sets_the_verdict(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct reg_entry e;
	char	id[STORE_ID_MAX], err[256], out[512];

	(void) state;
	assert_int_equal(register_signed(fx, "<a@x>", "doc a", 0, 0, NULL, 0,
					 id), REG_NEW);
	assert_string_equal(id, "den/2026/1");
	/* The same PDF again, now with its .p7s: no number, but the
	 * register's verdict is the signature's, and the audit says why. */
	fx->now += 60;
	assert_int_equal(register_signed(fx, "<b@x>", "doc a", 0, 0,
					 "p7s one", SIG_VALID, id),
			 REG_DUPLICATE);
	assert_string_equal(id, "den/2026/1");
	assert_int_equal(store_get(fx->st, "den/2026/1", &e, err, sizeof(err)), 1);
	assert_string_equal(e.signature_verdict, "valid");
	assert_int_equal(e.nsig_files, 1);
	assert_string_equal(e.sig_files[0].name, "qd.pdf.p7s");
	reg_entry_clear(&e);
	query(fx, SIGROWS, out, sizeof(out));
	assert_string_equal(out, "0:valid:qd.pdf.p7s");
	query(fx, "SELECT registration_id, detail FROM audit WHERE action ="
	      " 'signature-added'", out, sizeof(out));
	assert_string_equal(out, "1|<b@x>: signature verdict absent -> valid; "
			    "flags now \"urgent\"");
	query(fx, "SELECT flags FROM registrations", out, sizeof(out));
	assert_string_equal(out, "urgent");
	/* The arrival is logged before what it changed. */
	query(fx, "SELECT group_concat(action, ',') FROM (SELECT action FROM"
	      " audit WHERE registration_id = 1 ORDER BY id)", out, sizeof(out));
	assert_string_equal(out, "register,arrived-again,signature-added");

	/* The same file a third time adds nothing. */
	assert_int_equal(register_signed(fx, "<c@x>", "doc a", 0, 0,
					 "p7s one", SIG_VALID, id),
			 REG_DUPLICATE);
	query(fx, SIGROWS, out, sizeof(out));
	assert_string_equal(out, "0:valid:qd.pdf.p7s");
	query(fx, "SELECT count(*) FROM audit WHERE action = 'signature-added'",
	      out, sizeof(out));
	assert_string_equal(out, "1");

	/* Another file that does not verify is kept beside the first, and
	 * the verdict is the weakest of the two. */
	assert_int_equal(register_signed(fx, "<d@x>", "doc a", 0, 0,
					 "p7s two", SIG_INVALID, id),
			 REG_DUPLICATE);
	query(fx, SIGROWS, out, sizeof(out));
	assert_string_equal(out, "0:valid:qd.pdf.p7s,1:invalid:qd.pdf.p7s");
	assert_int_equal(store_get(fx->st, "den/2026/1", &e, err, sizeof(err)), 1);
	assert_string_equal(e.signature_verdict, "invalid");
	assert_int_equal(e.nsig_files, 2);
	assert_int_equal(e.arrivals, 4);
	reg_entry_clear(&e);
	query(fx, "SELECT group_concat(detail, ',') FROM audit WHERE action ="
	      " 'signature-added'", out, sizeof(out));
	assert_string_equal(out, "<b@x>: signature verdict absent -> valid; "
			    "flags now \"urgent\",<d@x>: signature verdict "
			    "valid -> invalid; flags now \"urgent "
			    "signature-invalid\"");
	/* flagged again, since the rules flagged this copy */
	query(fx, "SELECT flags FROM registrations", out, sizeof(out));
	assert_string_equal(out, "urgent signature-invalid");
	fx_free(fx);
}

static void
a_signature_inside_is_not_kept_twice(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	struct reg_entry e;
	char	id[STORE_ID_MAX], err[256], out[512];

	(void) state;
	assert_int_equal(register_signed(fx, "<a@x>", "doc e", 1, SIG_VALID,
					 NULL, 0, id), REG_NEW);
	assert_int_equal(register_signed(fx, "<b@x>", "doc e", 1, SIG_VALID,
					 NULL, 0, id), REG_DUPLICATE);
	query(fx, SIGROWS, out, sizeof(out));
	assert_string_equal(out, "0:valid:-");
	query(fx, "SELECT count(*) FROM audit WHERE action = 'signature-added'",
	      out, sizeof(out));
	assert_string_equal(out, "0");
	assert_int_equal(register_signed(fx, "<c@x>", "doc e", 1, SIG_VALID,
					 "p7s three", SIG_UNTRUSTED, id),
			 REG_DUPLICATE);
	query(fx, SIGROWS, out, sizeof(out));
	assert_string_equal(out, "0:valid:-,1:untrusted:qd.pdf.p7s");
	assert_int_equal(store_get(fx->st, "den/2026/1", &e, err, sizeof(err)), 1);
	assert_string_equal(e.signature_verdict, "untrusted");
	reg_entry_clear(&e);
	fx_free(fx);

	/* untrusted first, then a .p7s that is not valid either: the flag
	 * follows the verdict */
	fx = fx_new(FX_T0);
	assert_int_equal(register_signed(fx, "<a@x>", "doc f", 1, SIG_UNTRUSTED,
					 NULL, 0, id), REG_NEW);
	query(fx, "SELECT flags FROM registrations", out, sizeof(out));
	assert_string_equal(out, "urgent signature-untrusted");
	assert_int_equal(register_signed(fx, "<b@x>", "doc f", 1, SIG_UNTRUSTED,
					 "p7s four", SIG_EXPIRED, id),
			 REG_DUPLICATE);
	query(fx, "SELECT flags FROM registrations", out, sizeof(out));
	assert_string_equal(out, "urgent signature-expired");
	fx_free(fx);
}

static void
show_names_a_copy_with_other_bytes(void **state)
{
	struct fixture *fx = fx_new(FX_T0);
	char	id[STORE_ID_MAX], err[256], sha[65], want[256];
	char   *text = NULL;
	size_t	len = 0;
	FILE   *f;

	(void) state;
	fx_register1(fx, "<a@x>", DIR_INBOUND, "scan 1", "05", "QĐ-BNV", ISSUER,
		     NULL, id, NULL);
	fx_register1(fx, "<b@x>", DIR_INBOUND, "scan 1", NULL, NULL, NULL,
		     NULL, id, NULL);
	assert_int_equal(fx_register1(fx, "<c@x>", DIR_INBOUND, "signed 2",
				      "5", "QĐ-BNV", ISSUER, NULL, id, NULL),
			 REG_DUPLICATE);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(store_show(fx->st, "den/2026/1", f, err, sizeof(err)), 0);
	fclose(f);
	fx_sha("signed 2", sha);
	snprintf(want, sizeof(want), " duplicate <c@x> from vanthu@bnv.gov.vn: "
		 "another file, Quyết định 15.pdf (SHA-256 %s), signature "
		 "valid\n", sha);
	assert_non_null(strstr(text, want));
	/* the first and the same bytes again are the entry's own file */
	assert_non_null(strstr(text, " new <a@x> from vanthu@bnv.gov.vn\n"));
	assert_non_null(strstr(text, " duplicate <b@x> from vanthu@bnv.gov.vn\n"));
	free(text);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_run_from_one),
		cmocka_unit_test(same_bytes_get_no_new_number),
		cmocka_unit_test(same_reference_and_issuer_is_a_duplicate),
		cmocka_unit_test(a_retried_message_is_registered_once),
		cmocka_unit_test(one_message_with_several_documents),
		cmocka_unit_test(outgoing_documents_keep_their_own_number),
		cmocka_unit_test(the_year_turns_at_local_midnight),
		cmocka_unit_test(the_same_reference_next_year_is_a_new_document),
		cmocka_unit_test(a_missing_spool_file_takes_no_number),
		cmocka_unit_test(an_unknown_book_is_an_error),
		cmocka_unit_test(one_process_opens_a_register_once),
		cmocka_unit_test(registrations_and_audit_cannot_be_rewritten),
		cmocka_unit_test(a_failing_message_does_not_fail_its_batch),
		cmocka_unit_test(a_read_only_register_refuses_writes),
		cmocka_unit_test(a_batch_makes_no_temporary_file),
		cmocka_unit_test(a_signature_file_sent_later_sets_the_verdict),
		cmocka_unit_test(a_signature_inside_is_not_kept_twice),
		cmocka_unit_test(show_names_a_copy_with_other_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
