/*
 * store_bench.c - registrations per second with synchronous=FULL.
 *
 *   store_bench [-t WRITERS] [-n TOTAL] [-r RUNS] [-d DIR] [-k]
 *
 * WRITERS threads (8 by default) share one struct store, as the daemon's
 * threads do, and register TOTAL one-document messages (20,000) into a
 * fresh database in DIR (/var/tmp: a real disk, not tmpfs).  Each run
 * prints the rate and the time store_register() took per call (which is
 * the time until the COMMIT holding the message returned): median, p99
 * and max, and how many messages a commit held on average, then the rate
 * in each tenth of the run: a register that slows as it grows shows there.
 * The last line gives the median rate over the runs and its spread
 * (max - min) / median as the noise.  With -k the last run's database is
 * kept and its path printed, for the clerk's tool to be timed on it.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "facts.h"
#include "store.h"
#include "xmalloc.h"

struct bench {
	struct store *st;
	int	writers;
	long	total;
	double *lat;		/* seconds, one per registration */
	double *done;		/* when each one returned, from the start */
	double	t0;
	int	run;
};

struct writer {
	struct bench *b;
	int	index;
	pthread_t tid;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
work(void *arg)
{
	struct writer *w = arg;
	struct bench *b = w->b;

	for (long i = w->index; i < b->total; i += b->writers) {
		struct msg_info m = {0};
		struct analysis an = {0};
		struct register_result res = {0};
		struct document *d = analysis_add_document(&an);
		unsigned char h[32];
		unsigned int hl;
		char   *content = xasprintf("bench %d document %ld", b->run, i);
		double	t0;

		EVP_Digest(content, strlen(content), h, &hl, EVP_sha256(), NULL);
		for (int k = 0; k < 32; k++)
			snprintf(d->sha256 + 2 * k, 3, "%02x", h[k]);
		d->name = xasprintf("cong-van-%ld.pdf", i);
		d->type = xstrdup("application/pdf");
		d->size = 120000;
		d->text = content;
		fact_set(&d->facts, FACT_ISSUER, "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH",
			 SRC_TEXT, 80);
		fact_set(&d->facts, FACT_SUMMARY, "Về việc triển khai công tác "
			 "văn thư, lưu trữ năm 2026", SRC_TEXT, 70);
		m.message_id = xasprintf("<bench-%d-%ld@bench.test>", b->run, i);
		m.from = xstrdup("vanthu@binhdinh.gov.vn");
		m.direction = DIR_INBOUND;
		t0 = now_s();
		if (store_register(b->st, &m, &an, NULL, &res) != 0) {
			fprintf(stderr, "store_bench: %s\n", res.error);
			exit(1);
		}
		b->lat[i] = now_s() - t0;
		b->done[i] = t0 + b->lat[i] - b->t0;
		register_result_clear(&res);
		analysis_clear(&an);
		msg_info_clear(&m);
	}
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

/* The rate in each tenth of the registrations, by the time they returned. */
static void
print_tenths(struct bench *b)
{
	double	prev = 0;

	qsort(b->done, b->total, sizeof(double), cmp_double);
	printf("  rate by tenth:");
	for (int k = 1; k <= 10; k++) {
		double	end = b->done[b->total * k / 10 - 1];

		printf(" %.0f", end > prev ? (b->total / 10.0) / (end - prev) : 0);
		prev = end;
	}
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct bench b = { .writers = 8, .total = 20000 };
	const char *dir = "/var/tmp";
	int	runs = 3, keep = 0, ch;
	double	rates[16];

	while ((ch = getopt(argc, argv, "t:n:r:d:k")) != -1) {
		switch (ch) {
		case 't': b.writers = atoi(optarg); break;
		case 'n': b.total = atol(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 'd': dir = optarg; break;
		case 'k': keep = 1; break;
		default:
			fprintf(stderr, "usage: store_bench [-t writers] "
				"[-n total] [-r runs] [-d dir] [-k]\n");
			return 2;
		}
	}
	if (b.writers < 1 || b.writers > 64 || b.total < 100 || runs < 1 ||
	    runs > 16)
		return 2;
	b.lat = xcalloc(b.total, sizeof(double));
	b.done = xcalloc(b.total, sizeof(double));
	printf("store_bench: %d writers, %ld registrations a run, "
	       "synchronous=FULL, WAL, database in %s\n", b.writers, b.total,
	       dir);
	for (int r = 0; r < runs; r++) {
		char	path[512], cmd[600], err[256];
		struct writer *w = xcalloc(b.writers, sizeof(*w));
		double	t0, secs;
		uint64_t commits, batched;

		snprintf(path, sizeof(path), "%s/vanthu-bench.XXXXXX", dir);
		if (mkdtemp(path) == NULL) {
			perror(path);
			return 1;
		}
		strcat(path, "/register.db");
		b.st = store_open(path, NULL, STORE_CREATE, err, sizeof(err));
		if (b.st == NULL) {
			fprintf(stderr, "store_bench: %s\n", err);
			return 1;
		}
		b.run = r;
		t0 = b.t0 = now_s();
		for (int i = 0; i < b.writers; i++) {
			w[i].b = &b;
			w[i].index = i;
			pthread_create(&w[i].tid, NULL, work, &w[i]);
		}
		for (int i = 0; i < b.writers; i++)
			pthread_join(w[i].tid, NULL);
		secs = now_s() - t0;
		store_commit_stats(b.st, &commits, &batched);
		b.st = store_close(b.st);
		qsort(b.lat, b.total, sizeof(double), cmp_double);
		rates[r] = b.total / secs;
		printf("run %d: %.0f registrations/s; commit time median %.2f ms, "
		       "p99 %.2f ms, max %.2f ms; %.1f messages a commit\n",
		       r + 1, rates[r], b.lat[b.total / 2] * 1e3,
		       b.lat[(size_t) (b.total * 0.99)] * 1e3,
		       b.lat[b.total - 1] * 1e3,
		       commits ? (double) batched / commits : 0.0);
		print_tenths(&b);
		if (keep && r == runs - 1) {
			printf("kept %s\n", path);
			free(w);
			continue;
		}
		snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'",
			 (int) (strlen(path) - strlen("/register.db")), path);
		if (system(cmd) != 0)
			fprintf(stderr, "store_bench: cannot remove the database\n");
		free(w);
	}
	qsort(rates, runs, sizeof(double), cmp_double);
	printf("median %.0f registrations/s over %d runs, noise %.1f%%\n",
	       rates[runs / 2], runs,
	       100.0 * (rates[runs - 1] - rates[0]) / rates[runs / 2]);
	free(b.lat);
	free(b.done);
	return 0;
}
