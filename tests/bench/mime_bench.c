/*
 * mime_bench.c - cost of aw_mime_extract() on typical messages.
 *
 *	build/bench/mime_bench
 *
 * Prints, per message shape, the median and 99th percentile time of one
 * walk and the noise ((p90 - p10) / median).  A message without attachment
 * must cost next to nothing; one with a 1 MB PDF costs its base64 decode,
 * its SHA-256 and one libmagic look-up.  Run by hand, never in make check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aw_mime.h"
#include "facts.h"
#include "xmalloc.h"

static char *
text_msg(size_t body, size_t *len)
{
	const char *h = "From: a@b.gov.vn\r\nTo: c@d.gov.vn\r\nSubject: V/v test\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
	char   *m = xmalloc(strlen(h) + body + 1);

	strcpy(m, h);
	for (size_t i = 0; i < body; i++)
		m[strlen(h) + i] = (i % 72 == 71) ? '\n' : 'a' + i % 26;
	*len = strlen(h) + body;
	return m;
}

static char *
alt_msg(size_t *len)
{
	char   *m = xasprintf("From: a@b.gov.vn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
			      "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
			      "--b\r\nContent-Type: text/plain\r\n\r\n%0*d\r\n"
			      "--b\r\nContent-Type: text/html\r\n\r\n<p>%0*d</p>\r\n--b--\r\n",
			      8000, 0, 12000, 0);

	*len = strlen(m);
	return m;
}

static char *
pdf_msg(size_t raw, size_t *len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *h = "From: a@b.gov.vn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nXin chao\r\n"
	    "--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"qd.pdf\"\r\n\r\n"
	    "JVBERi0xLjQK";	/* %PDF-1.4\n */
	size_t  enc = raw / 3 * 4, hl = strlen(h), o;
	char   *m = xmalloc(hl + enc + enc / 76 * 2 + 64);

	memcpy(m, h, hl);
	o = hl;
	for (size_t i = 0; i < enc; i++) {
		m[o++] = b64[(i * 7) % 64];
		if (i % 76 == 63) {
			m[o++] = '\r';
			m[o++] = '\n';
		}
	}
	o += sprintf(m + o, "\r\n--b--\r\n");
	*len = o;
	return m;
}

static int
cmp(const void *a, const void *b)
{
	double  x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static void
bench(const char *what, const char *msg, size_t len, int n, struct aw_type *t)
{
	double *us = xcalloc(n, sizeof(*us));
	struct mime_limits lim;
	size_t  docs = 0;

	mime_limits_default(&lim, len);
	for (int i = 0; i < n; i++) {
		struct analysis a;
		struct timespec t0, t1;

		memset(&a, 0, sizeof(a));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		aw_mime_extract(msg, len, &lim, t, &a);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[i] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
		docs = a.ndocs;
		analysis_clear(&a);
	}
	qsort(us, n, sizeof(*us), cmp);
	printf("%-34s %8zu bytes %2zu docs  median %9.1f us  p99 %9.1f us  noise %4.1f%%\n",
	       what, len, docs, us[n / 2], us[n * 99 / 100],
	       100.0 * (us[n * 9 / 10] - us[n / 10]) / us[n / 2]);
	free(us);
}

int
main(void)
{
	char    err[256];
	struct aw_type *t = aw_type_open(err, sizeof(err));
	size_t  len;
	char   *m;

	if (t == NULL) {
		fprintf(stderr, "mime_bench: %s\n", err);
		return 1;
	}
	m = text_msg(4000, &len);
	bench("text/plain, 4 KB", m, len, 20000, t);
	free(m);
	m = text_msg(1000000, &len);
	bench("text/plain, 1 MB", m, len, 200, t);
	free(m);
	m = alt_msg(&len);
	bench("multipart/alternative, 20 KB", m, len, 5000, t);
	free(m);
	m = pdf_msg(100000, &len);
	bench("mixed + 100 KB PDF", m, len, 500, t);
	free(m);
	m = pdf_msg(1000000, &len);
	bench("mixed + 1 MB PDF", m, len, 50, t);
	free(m);
	aw_type_close(t);
	return 0;
}
