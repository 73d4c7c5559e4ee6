/*
 * facts_bench.c - time text + facts of PDFs, as a worker reads them.
 *
 *	facts_bench TYPICAL.pdf [HOSTILE.pdf ...]
 *
 * For each file: aw_text_read() with the default limits, then
 * aw_facts_read(), timed together; 300 runs of the first file (after 5 to
 * warm up), 5 runs of the others.  Prints the median, p99, min and max in
 * milliseconds, and the noise as the median absolute deviation.  The
 * hostile files run in a child with a CPU limit of BENCH_CPU seconds, as a
 * worker would; a child the limit kills is reported as such.  Run by hand
 * (tests/bench/facts_bench.sh makes the files); never in make check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define BENCH_CPU	10

#include "aw_facts.h"
#include "aw_text.h"
#include "fdio.h"
#include "xmalloc.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double  x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
one_run(unsigned char *data, size_t len, const struct text_limits *lim,
	int *facts)
{
	struct document d;
	const char *why;
	double  t0, t1;

	memset(&d, 0, sizeof(d));
	d.data = data;
	d.len = len;
	d.signed_len = len;
	d.type = (char *) TEXT_MIME_PDF;
	t0 = now_ms();
	(void) aw_text_read(&d, lim, &why);
	aw_facts_read(&d, NULL);
	t1 = now_ms();
	*facts = 0;
	for (int i = 0; i < FACT__COUNT; i++)
		*facts += d.facts.f[i].value != NULL;
	free(d.text);
	doc_facts_clear(&d.facts);
	return t1 - t0;
}

/* One run in a child under RLIMIT_CPU: its time, or -1 when killed. */
static double
child_run(unsigned char *data, size_t len, const struct text_limits *lim,
	  int *facts)
{
	int     fds[2], st;
	pid_t   pid;
	double  r[2] = {-1, 0}, t0 = now_ms();

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		struct rlimit rl = {BENCH_CPU, BENCH_CPU};

		close(fds[0]);
		setrlimit(RLIMIT_CPU, &rl);
		r[0] = one_run(data, len, lim, facts);
		r[1] = *facts;
		if (write(fds[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], r, sizeof(r)) != sizeof(r))
		r[0] = -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	*facts = (int) r[1];
	if (r[0] < 0)
		fprintf(stdout, "  (a run was stopped by the CPU limit of %d s "
			"after %.0f ms)\n", BENCH_CPU, now_ms() - t0);
	return r[0] < 0 ? now_ms() - t0 : r[0];
}

int
main(int argc, char **argv)
{
	struct text_limits lim;

	if (argc < 2) {
		fprintf(stderr, "usage: facts_bench TYPICAL.pdf [HOSTILE.pdf ...]\n");
		return 2;
	}
	text_limits_default(&lim);
	for (int a = 1; a < argc; a++) {
		size_t  len, n = a == 1 ? 300 : 5;
		unsigned char *data = file_read_whole(argv[a], SIZE_MAX, &len);
		double *t, *dev, med, mad;
		int     facts = 0;

		if (data == NULL) {
			perror(argv[a]);
			return 1;
		}
		t = xcalloc(n, sizeof(*t));
		dev = xcalloc(n, sizeof(*dev));
		for (int w = 0; a == 1 && w < 5; w++)
			(void) one_run(data, len, &lim, &facts);
		for (size_t i = 0; i < n; i++)
			t[i] = a == 1 ? one_run(data, len, &lim, &facts) :
			    child_run(data, len, &lim, &facts);
		qsort(t, n, sizeof(*t), cmp);
		med = t[n / 2];
		for (size_t i = 0; i < n; i++)
			dev[i] = t[i] > med ? t[i] - med : med - t[i];
		qsort(dev, n, sizeof(*dev), cmp);
		mad = dev[n / 2];
		printf("%s: %zu bytes, %d facts, %zu runs: median %.2f ms, "
		       "p99 %.2f ms, min %.2f ms, max %.2f ms, noise (MAD) %.2f ms\n",
		       strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a],
		       len, facts, n, med, t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1],
		       t[0], t[n - 1], mad);
		fflush(stdout);
		free(t);
		free(dev);
		free(data);
	}
	return 0;
}
