/*
 * sig_threads.c - verify one PDF from several threads sharing one
 * struct sig_trust, as the workers' threads would (tests only).
 *
 *	sig_threads FILE.pdf ANCHORS INTERMEDIATES [CRL]
 *
 * Prints "same VERDICT" when every thread, every round, got the verdicts
 * of a first single-threaded run; "differs" otherwise (exit 1).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aw_sig.h"
#include "facts.h"
#include "fdio.h"
#include "sig_trust.h"

#define THREADS	4
#define ROUNDS	25

struct shared {
	const struct sig_trust *trust;
	const unsigned char *buf;
	size_t  len;
	char    want[256];
	int     bad;
};

static void
verdicts(const struct sig_trust *t, const unsigned char *buf, size_t len,
	 char *out, size_t size)
{
	struct document d;
	size_t  o = 0;

	memset(&d, 0, sizeof(d));
	d.data = (unsigned char *) buf;
	d.len = len;
	aw_sig_pdf(t, &d);
	out[0] = 0;
	for (size_t i = 0; i < d.nsigs && o < size; i++)
		o += snprintf(out + o, size - o, "%s ",
			      sig_verdict_names[d.sigs[i].verdict]);
	d.data = NULL;
	document_clear(&d);
}

static void *
run(void *arg)
{
	struct shared *s = arg;
	char    got[256];

	for (int i = 0; i < ROUNDS; i++) {
		verdicts(s->trust, s->buf, s->len, got, sizeof(got));
		if (strcmp(got, s->want) != 0)
			__atomic_store_n(&s->bad, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct shared s;
	pthread_t th[THREADS];
	unsigned char *buf;
	size_t  len;
	struct sig_trust *t;

	if (argc < 4)
		return 2;
	t = sig_trust_load_paths(&argv[2], 1, &argv[3], 1, &argv[4],
				 argc > 4 ? 1 : 0, 0, stderr);
	if (t == NULL ||
	    (buf = file_read_whole(argv[1], SIZE_MAX, &len)) == NULL)
		return 2;
	memset(&s, 0, sizeof(s));
	s.trust = t;
	s.buf = buf;
	s.len = len;
	verdicts(t, buf, s.len, s.want, sizeof(s.want));
	for (int i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, run, &s);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	printf("%s %s\n", s.bad ? "differs" : "same", s.want);
	free(buf);
	sig_trust_free(t);
	return s.bad;
}
