/*
 * store_load.c - register synthetic documents, for the load, crash and
 * end-to-end tests of the register.  Test-only: it sets the register's
 * clock and fault points through store_testhook.h.
 *
 *   store_load -d DB [-s SPOOL] [-t THREADS] [-n COUNT] [-p PREFIX]
 *              [-f FIRST] [-k POINT:N] [-T EPOCH]
 *	register COUNT messages of one document each, split over THREADS
 *	threads; message i is "<PREFIX-i@load.test>" with the document
 *	"PREFIX document i".  With -s, each document's file is written to the
 *	spool durably (fsync of file and directories) before it is
 *	registered.  -k kills the process (SIGKILL) at fault point POINT of
 *	the Nth registration of this process.  -T fixes the clock.
 *   store_load -d DB -C [-s SPOOL]
 *	check the register: per book and year, count = max = distinct
 *	numbers, no gap; every registration has its document, message and
 *	arrival rows, and its spool file when -s is given.  Prints one line
 *	per (book, year) and "check ok", or the first fault and exits 1.
 *   store_load -d DB [-s SPOOL] -S
 *	register the fixed sample documents the tool's tests expect.
 *   store_load -d DB [-s SPOOL] -L
 *	then, later, a copy with other bytes of the first of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "facts.h"
#include "store.h"
#include "store_testhook.h"
#include "xmalloc.h"

struct load {
	struct store *st;
	const char *spool;
	const char *prefix;
	long	first;
	long	count;
	int	threads;
	char	kill_point[64];
	long	kill_at;
	atomic_long seen;
	atomic_long failed;
	time_t	clock;
};

struct worker {
	struct load *ld;
	int	index;
	pthread_t tid;
};

static void
sha_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[32];
	unsigned int hl = 0;

	EVP_Digest(p, n, h, &hl, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int
fsync_dir(const char *dir)
{
	int	fd = open(dir, O_RDONLY | O_DIRECTORY);
	int	rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Write the spool file the way the daemon's spool does: a temporary
 * file, fsync, rename, fsync of the directory. */
static int
spool_put(const char *spool, const char *sha, const char *data, size_t n)
{
	char	d1[512], d2[520], tmp[640], *path;
	int	fd;

	snprintf(d1, sizeof(d1), "%s/%.2s", spool, sha);
	snprintf(d2, sizeof(d2), "%s/%.2s", d1, sha + 2);
	if ((mkdir(d1, 0750) != 0 && errno != EEXIST) ||
	    (mkdir(d2, 0750) != 0 && errno != EEXIST))
		return -1;
	path = store_spool_path(spool, sha);
	snprintf(tmp, sizeof(tmp), "%s/.tmp.%d.%lx", d2, getpid(),
		 (unsigned long) pthread_self());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || write(fd, data, n) != (ssize_t) n || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0 || fsync_dir(d2) != 0 ||
	    fsync_dir(d1) != 0) {
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

static void
kill_here(const char *point, void *arg)
{
	struct load *ld = arg;

	if (strcmp(point, ld->kill_point) != 0)
		return;
	if (atomic_fetch_add(&ld->seen, 1) + 1 >= ld->kill_at)
		raise(SIGKILL);
}

static time_t
fixed_clock(void *arg)
{
	return *(time_t *) arg;
}

static int
register_one(struct load *ld, long i)
{
	struct msg_info m = {0};
	struct analysis an = {0};
	struct register_result res = {0};
	struct document *d;
	char   *content;
	int	rc;

	content = xasprintf("%s document %ld", ld->prefix, i);
	d = analysis_add_document(&an);
	sha_hex(content, strlen(content), d->sha256);
	d->name = xasprintf("van-ban-%ld.pdf", i);
	d->type = xstrdup("application/pdf");
	d->size = strlen(content);
	d->text = content;
	fact_set(&d->facts, FACT_SUMMARY, "Về việc kiểm tra tải", SRC_TEXT, 50);
	m.message_id = xasprintf("<%s-%ld@load.test>", ld->prefix, i);
	m.queue_id = xasprintf("Q%ld", i);
	m.from = xstrdup("load@example.gov.vn");
	m.direction = DIR_INBOUND;
	if (ld->spool != NULL &&
	    spool_put(ld->spool, d->sha256, content, strlen(content)) != 0) {
		fprintf(stderr, "store_load: spool %s: %s\n", d->sha256,
			strerror(errno));
		rc = -1;
	} else if ((rc = store_register(ld->st, &m, &an, NULL, &res)) != 0)
		fprintf(stderr, "store_load: %s: %s\n", m.message_id, res.error);
	register_result_clear(&res);
	analysis_clear(&an);
	msg_info_clear(&m);
	return rc;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct load *ld = w->ld;

	for (long i = w->index; i < ld->count; i += ld->threads)
		if (register_one(ld, ld->first + i) != 0)
			atomic_fetch_add(&ld->failed, 1);
	return NULL;
}

/* ---- the check ---- */

static int
query_int(sqlite3 *db, const char *sql, long *out)
{
	sqlite3_stmt *s;
	int	rc;

	*out = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "check: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
check(const char *dbpath, const char *spool)
{
	static const char *const faults[][2] = {
		{"registrations without their document",
		 "SELECT count(*) FROM registrations r LEFT JOIN documents d"
		 " ON d.id = r.document_id WHERE d.id IS NULL"},
		{"registrations without their message",
		 "SELECT count(*) FROM registrations r LEFT JOIN messages m"
		 " ON m.id = r.message_id WHERE m.id IS NULL"},
		{"registrations without their arrival",
		 "SELECT count(*) FROM registrations r WHERE NOT EXISTS"
		 " (SELECT 1 FROM arrivals a WHERE a.registration_id = r.id"
		 " AND a.disposition = 'new')"},
		{"documents registered twice",
		 "SELECT count(*) FROM (SELECT document_id FROM registrations"
		 " GROUP BY document_id HAVING count(*) > 1)"},
		{"messages registered twice",
		 "SELECT count(*) FROM (SELECT message_id, count(*) n FROM"
		 " messages GROUP BY message_id HAVING n > 1)"},
		{"counters out of step",
		 "SELECT count(*) FROM counters c WHERE c.last <> (SELECT"
		 " max(number) FROM registrations r WHERE r.book = c.book"
		 " AND r.year = c.year)"},
	};
	sqlite3 *db;
	sqlite3_stmt *s;
	long	v;
	int	bad = 0;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "check: %s: %s\n", dbpath, sqlite3_errmsg(db));
		return 1;
	}
	if (query_int(db, "SELECT count(*) FROM pragma_integrity_check"
		      " WHERE integrity_check <> 'ok'", &v) != 0 || v != 0) {
		printf("integrity_check failed\n");
		bad = 1;
	}
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		if (query_int(db, faults[i][1], &v) != 0 || v != 0) {
			printf("%s: %ld\n", faults[i][0], v);
			bad = 1;
		}
	}
	sqlite3_prepare_v2(db, "SELECT book, year, count(*), max(number),"
			   " count(DISTINCT number) FROM registrations r"
			   " JOIN books b ON b.code = r.book AND b.direction = 'in'"
			   " GROUP BY book, year ORDER BY book, year", -1, &s, NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		long	n = sqlite3_column_int64(s, 2),
		    max = sqlite3_column_int64(s, 3),
		    distinct = sqlite3_column_int64(s, 4);

		printf("%s/%d count=%ld max=%ld distinct=%ld\n",
		       sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), n,
		       max, distinct);
		if (n != max || n != distinct)
			bad = 1;
	}
	sqlite3_finalize(s);
	if (spool != NULL) {
		long	missing = 0;

		sqlite3_prepare_v2(db, "SELECT d.sha256 FROM registrations r"
				   " JOIN documents d ON d.id = r.document_id",
				   -1, &s, NULL);
		while (sqlite3_step(s) == SQLITE_ROW) {
			char   *p = store_spool_path(spool,
			    (const char *) sqlite3_column_text(s, 0));

			if (access(p, R_OK) != 0)
				missing++;
			free(p);
		}
		sqlite3_finalize(s);
		if (missing != 0) {
			printf("registrations without a spool file: %ld\n",
			       missing);
			bad = 1;
		}
	}
	sqlite3_close(db);
	printf("%s\n", bad ? "check FAILED" : "check ok");
	return bad;
}

/* ---- the fixed sample for the tool's tests ---- */

struct sample {
	time_t	at;
	const char *mid;
	enum direction dir;
	const char *content, *name, *number, *symbol, *issuer, *date;
	const char *type, *code, *summary, *signer;
	enum sig_verdict verdict;
	int	skip;
	const char *p7s;	/* its signature in a file name.p7s, or NULL */
};

static const struct sample samples[] = {
	/* 2026-03-02 09:00 +07 */
	{1772416800, "<s1@bnv.gov.vn>", DIR_INBOUND, "sample one",
	 "Quyết định 15.signed.pdf", "15", "QĐ-BNV", "BỘ NỘI VỤ", "2026-02-27",
	 "Quyết định", "QĐ", "Về việc ban hành Quy chế công tác văn thư",
	 "Nguyễn Văn A", SIG_VALID, 0},
	/* 2026-03-02 10:30 +07 */
	{1772422200, "<s2@hcm.gov.vn>", DIR_INBOUND, "sample two",
	 "../../CV 572.pdf", "572", "UBND-VP", "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
	 "2026-03-01", "Công văn", NULL,
	 "Về việc gửi, nhận văn bản điện tử, \"khẩn\"", NULL, SIG_UNTRUSTED, 0},
	/* 2026-03-05 08:00 +07: the first one again, from another sender */
	{1772672400, "<s3@other.gov.vn>", DIR_INBOUND, "sample one",
	 "qd15.pdf", "15", "QĐ-BNV", "BỘ NỘI VỤ", "2026-02-27", "Quyết định",
	 "QĐ", "Về việc ban hành Quy chế công tác văn thư", NULL, SIG_VALID, 0},
	/* 2026-03-06 14:00 +07 */
	{1772780400, "<s4@tu.dcs.vn>", DIR_INBOUND, "sample four",
	 "Kế hoạch 90.docx", "90", "KH/TU", "TỈNH ỦY BÌNH ĐỊNH", "2026-03-04",
	 "Kế hoạch", "KH", "Triển khai chuyển đổi số năm 2026", NULL,
	 SIG_ABSENT, 0},
	/* 2026-03-06 15:00 +07: secret, not registered */
	{1772784000, "<s5@bqp.gov.vn>", DIR_INBOUND, "sample secret",
	 "mat.pdf", "7", "CV-BQP", "BỘ QUỐC PHÒNG", "2026-03-05", "Công văn",
	 NULL, "Tài liệu mật", NULL, SIG_VALID, 1},
	/* 2026-03-07 09:00 +07: outgoing */
	{1772848800, "<s6@hcm.gov.vn>", DIR_OUTBOUND, "sample out",
	 "QD 101.pdf", "101", "QĐ-UBND", "ỦY BAN NHÂN DÂN QUẬN 1", "2026-03-07",
	 "Quyết định", "QĐ", "Phê duyệt kế hoạch năm", "Trần Thị B",
	 SIG_VALID, 0},
};

/* -L, once the tests of the sample are done: den/2026/1 again, other
 * bytes (a PDF signed in a .p7s beside it), from its issuer. */
static const struct sample later_samples[] = {
	/* 2026-03-09 09:00 +07 */
	{1773021600, "<s7@bnv.gov.vn>", DIR_INBOUND, "sample one, signed",
	 "Quyết định 15.pdf", "15", "QĐ-BNV", "BỘ NỘI VỤ", "2026-02-27",
	 "Quyết định", "QĐ", "Về việc ban hành Quy chế công tác văn thư",
	 "Nguyễn Văn A", SIG_VALID, 0, "sample one, its signature"},
};

static int
sample(struct store *st, const char *spool, const struct sample *list,
       size_t n)
{
	time_t	now = 0;

	store_test_set_clock(st, fixed_clock, &now);
	for (size_t i = 0; i < n; i++) {
		const struct sample *s = &list[i];
		struct msg_info m = {0};
		struct analysis an = {0};
		struct register_result res = {0};
		struct doc_request dr = { .skip = s->skip,
			.skip_reason = "secret: MẬT" };
		struct register_request req = { .outcome = "accept", .docs = &dr };
		struct document *d = analysis_add_document(&an);
		char   *ref = xasprintf("%s/%s", s->number, s->symbol);

		now = s->at;
		sha_hex(s->content, strlen(s->content), d->sha256);
		d->name = xstrdup(s->name);
		d->type = xstrdup("application/pdf");
		d->size = strlen(s->content);
		d->text = xasprintf("%s\n%s\n%s", s->issuer, s->summary, s->content);
		d->sig_verdict = s->verdict;
		if (s->verdict != SIG_ABSENT) {
			d->sigs = xcalloc(1, sizeof(*d->sigs));
			d->nsigs = 1;
			d->sigs[0].verdict = s->verdict;
			d->sigs[0].signer = xstrdup(s->signer ? s->signer : "Văn thư");
			d->sigs[0].organization = xstrdup(s->issuer);
			d->sigs[0].signing_time = xstrdup("2026-02-27T02:00:00Z");
			d->sigs[0].signing_time_source = xstrdup("timestamp");
			d->sigs[0].covers_whole_file = 1;
			if (s->verdict != SIG_VALID)
				d->sigs[0].reason = xstrdup("unknown issuer");
		}
		if (s->p7s != NULL) {
			struct document *f;

			an.sigfiles = xcalloc(1, sizeof(*an.sigfiles));
			an.nsigfiles = 1;
			f = &an.sigfiles[0];
			f->name = xasprintf("%s.p7s", s->name);
			sha_hex(s->p7s, strlen(s->p7s), f->sha256);
			d->sigs[0].detached = 1;
			d->sigs[0].file = 0;
			if (spool != NULL && spool_put(spool, f->sha256, s->p7s,
						       strlen(s->p7s)) != 0) {
				fprintf(stderr, "store_load: spool: %s\n",
					strerror(errno));
				return 1;
			}
		}
		fact_set(&d->facts, FACT_NUMBER, s->number, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_SYMBOL, s->symbol, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_REFERENCE, ref, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_ISSUER, s->issuer, SRC_TEXT, 80);
		fact_set(&d->facts, FACT_DATE, s->date, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_TYPE_NAME, s->type, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_TYPE_CODE, s->code, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_SUMMARY, s->summary, SRC_TEXT, 70);
		fact_set(&d->facts, FACT_SIGNER_NAME, s->signer, SRC_TEXT, 60);
		free(ref);
		m.message_id = xstrdup(s->mid);
		m.from = xstrdup("vanthu@example.gov.vn");
		m.rcpts = xcalloc(1, sizeof(char *));
		m.rcpts[0] = xstrdup("vanthu@hcm.gov.vn");
		m.nrcpts = 1;
		m.direction = s->dir;
		if (spool != NULL && spool_put(spool, d->sha256, s->content,
					       strlen(s->content)) != 0) {
			fprintf(stderr, "store_load: spool: %s\n", strerror(errno));
			return 1;
		}
		if (store_register(st, &m, &an, &req, &res) != 0) {
			fprintf(stderr, "store_load: %s\n", res.error);
			return 1;
		}
		printf("%s %s %s\n", s->mid, reg_status_names[res.docs[0].status],
		       res.docs[0].id[0] ? res.docs[0].id : "-");
		register_result_clear(&res);
		analysis_clear(&an);
		msg_info_clear(&m);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct load ld = { .prefix = "load", .threads = 1, .count = 100 };
	struct worker *w;
	const char *db = NULL;
	char	err[256], *colon;
	int	ch, do_check = 0, do_sample = 0, rc = 0;

	while ((ch = getopt(argc, argv, "d:s:t:n:p:f:k:T:CSL")) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 's': ld.spool = optarg; break;
		case 't': ld.threads = atoi(optarg); break;
		case 'n': ld.count = atol(optarg); break;
		case 'p': ld.prefix = optarg; break;
		case 'f': ld.first = atol(optarg); break;
		case 'k':
			snprintf(ld.kill_point, sizeof(ld.kill_point), "%s", optarg);
			if ((colon = strchr(ld.kill_point, ':')) == NULL)
				return 2;
			*colon = 0;
			ld.kill_at = atol(colon + 1);
			break;
		case 'T': ld.clock = (time_t) atol(optarg); break;
		case 'C': do_check = 1; break;
		case 'S': do_sample = 1; break;
		case 'L': do_sample = 2; break;
		default:
			return 2;
		}
	}
	if (db == NULL || ld.threads < 1 || ld.threads > 64 || ld.count < 0)
		return 2;
	if (do_check)
		return check(db, ld.spool);
	ld.st = store_open(db, NULL, STORE_CREATE, err, sizeof(err));
	if (ld.st == NULL) {
		fprintf(stderr, "store_load: %s\n", err);
		return 1;
	}
	store_set_busy_timeout(ld.st, 60000);
	if (do_sample) {
		rc = do_sample == 1 ?
		    sample(ld.st, ld.spool, samples,
			   sizeof(samples) / sizeof(samples[0])) :
		    sample(ld.st, ld.spool, later_samples,
			   sizeof(later_samples) / sizeof(later_samples[0]));
		store_close(ld.st);
		return rc;
	}
	if (ld.spool != NULL)
		store_set_spool(ld.st, ld.spool);
	if (ld.kill_at > 0)
		store_test_set_fault(ld.st, kill_here, &ld);
	if (ld.clock != 0)
		store_test_set_clock(ld.st, fixed_clock, &ld.clock);
	w = xcalloc(ld.threads, sizeof(*w));
	for (int i = 0; i < ld.threads; i++) {
		w[i].ld = &ld;
		w[i].index = i;
		pthread_create(&w[i].tid, NULL, work, &w[i]);
	}
	for (int i = 0; i < ld.threads; i++)
		pthread_join(w[i].tid, NULL);
	free(w);
	store_close(ld.st);
	if (ld.failed > 0) {
		fprintf(stderr, "store_load: %ld registrations failed\n",
			(long) ld.failed);
		return 1;
	}
	return 0;
}
