/*
 * sig_bench.c - time aw_sig_pdf() on one signed PDF.
 *
 *	sig_bench FILE.pdf ANCHORS INTERMEDIATES [ROUNDS]
 *
 * The file is read once; each round verifies every signature of it
 * (locator, revision check, CMS, chain), excluding the file read.
 * Prints the verdict, then median, p99, min and the noise (median
 * absolute deviation over the median) in microseconds.
 * tests/bench/sig_bench.sh makes the standard input: two signatures,
 * chain of three, RSA-2048.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aw_sig.h"
#include "facts.h"
#include "fdio.h"
#include "sig_trust.h"

static int
cmp_double(const void *a, const void *b)
{
	double  x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	unsigned char *buf;
	size_t  len;
	int     rounds = argc > 4 ? atoi(argv[4]) : 2000;
	double *t, *dev, med;
	struct sig_trust *trust;
	struct document d;

	if (argc < 4 || rounds < 10) {
		fprintf(stderr, "usage: sig_bench FILE.pdf ANCHORS INTERMEDIATES [ROUNDS]\n");
		return 2;
	}
	trust = sig_trust_load_paths(&argv[2], 1, &argv[3], 1, NULL, 0, 0, stderr);
	if (trust == NULL ||
	    (buf = file_read_whole(argv[1], SIZE_MAX, &len)) == NULL)
		return 2;
	t = calloc(rounds, sizeof(*t));
	dev = calloc(rounds, sizeof(*dev));
	memset(&d, 0, sizeof(d));
	for (int i = -50; i < rounds; i++) {
		double  t0;

		d.data = buf;
		d.len = len;
		t0 = now_us();
		aw_sig_pdf(trust, &d);
		if (i >= 0)
			t[i] = now_us() - t0;
		if (i == rounds - 1)
			printf("%s: %zu signatures, %s\n", argv[1], d.nsigs,
			       sig_verdict_names[d.sig_verdict]);
		d.data = NULL;		/* not ours to free */
		document_clear(&d);
	}
	qsort(t, rounds, sizeof(*t), cmp_double);
	med = t[rounds / 2];
	for (int i = 0; i < rounds; i++)
		dev[i] = t[i] > med ? t[i] - med : med - t[i];
	qsort(dev, rounds, sizeof(*dev), cmp_double);
	printf("rounds %d  median %.1f us  p99 %.1f us  min %.1f us  "
	       "noise (MAD/median) %.1f%%\n", rounds, med,
	       t[(int) (rounds * 0.99)], t[0], 100 * dev[rounds / 2] / med);
	free(t);
	free(dev);
	free(buf);
	sig_trust_free(trust);
	return 0;
}
