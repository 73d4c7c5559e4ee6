/*
 * store_fixture.h - shared set-up for the register's unit tests: a private
 * directory, messages and documents built by hand, a settable clock.
 */
#ifndef VANTHU_STORE_FIXTURE_H
#define VANTHU_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "facts.h"
#include "store.h"
#include "store_testhook.h"
#include "xmalloc.h"

struct fixture {
	char	dir[64];
	char	db[128];
	time_t	now;
	struct store *st;
};

static time_t
fx_clock(void *arg)
{
	return *(time_t *) arg;
}

/* The register in a fresh directory, its clock at t. */
static struct fixture *
fx_new(time_t t)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	char	err[256];

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vanthu-store.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		abort();
	snprintf(fx->db, sizeof(fx->db), "%s/register.db", fx->dir);
	fx->now = t;
	fx->st = store_open(fx->db, NULL, STORE_CREATE, err, sizeof(err));
	if (fx->st == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		abort();
	}
	store_test_set_clock(fx->st, fx_clock, &fx->now);
	return fx;
}

static void
fx_free(struct fixture *fx)
{
	char	cmd[160];

	fx->st = store_close(fx->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	free(fx);
}

/* 2026-03-02 09:00:00 +07 */
#define FX_T0	((time_t) 1772416800)

static void
fx_sha(const char *content, char out[65])
{
	unsigned char h[32];
	unsigned int n = 0;

	EVP_Digest(content, strlen(content), h, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
fx_msg(struct msg_info *m, const char *mid, enum direction dir)
{
	memset(m, 0, sizeof(*m));
	m->message_id = mid != NULL ? xstrdup(mid) : NULL;
	m->queue_id = xstrdup("4QX1Y2Z3");
	m->from = xstrdup("vanthu@bnv.gov.vn");
	m->rcpts = xcalloc(2, sizeof(char *));
	m->rcpts[0] = xstrdup("vanthu@hcm.gov.vn");
	m->rcpts[1] = xstrdup("so-noi-vu@hcm.gov.vn");
	m->nrcpts = 2;
	m->subject = xstrdup("Công văn số 15");
	m->direction = dir;
}

/* A document whose bytes are content, with the usual facts. */
static struct document *
fx_doc(struct analysis *an, const char *content, const char *number,
       const char *symbol, const char *issuer, const char *summary)
{
	struct document *d = analysis_add_document(an);

	fx_sha(content, d->sha256);
	d->name = xstrdup("Quyết định 15.pdf");
	d->type = xstrdup("application/pdf");
	d->size = strlen(content);
	d->text = xstrdup(content);
	d->sig_verdict = SIG_VALID;
	if (number != NULL) {
		char   *ref = xasprintf("%s/%s", number, symbol);

		fact_set(&d->facts, FACT_NUMBER, number, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_SYMBOL, symbol, SRC_TEXT, 90);
		fact_set(&d->facts, FACT_REFERENCE, ref, SRC_TEXT, 90);
		free(ref);
	}
	if (issuer != NULL)
		fact_set(&d->facts, FACT_ISSUER, issuer, SRC_TEXT, 80);
	fact_set(&d->facts, FACT_DATE, "2026-02-27", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_TYPE_NAME, "Quyết định", SRC_TEXT, 90);
	fact_set(&d->facts, FACT_TYPE_CODE, "QĐ", SRC_TEXT, 90);
	if (summary != NULL)
		fact_set(&d->facts, FACT_SUMMARY, summary, SRC_TEXT, 70);
	return d;
}

/* Register a message of one document; returns the status, id in id. */
/* Register m with an, then clear both: the first document's status,
 * its id in id and its retry flag in *retry (when not NULL); -1 when the
 * registration failed. */
static int
fx_register_msg(struct fixture *fx, struct msg_info *m, struct analysis *an,
		const struct register_request *req, char id[STORE_ID_MAX],
		int *retry)
{
	struct register_result res = {0};
	int	status;

	if (store_register(fx->st, m, an, req, &res) != 0) {
		fprintf(stderr, "store_register: %s\n", res.error);
		status = -1;
	} else {
		status = res.docs[0].status;
		strcpy(id, res.docs[0].id);
		if (retry != NULL)
			*retry = res.docs[0].retry;
	}
	register_result_clear(&res);
	analysis_clear(an);
	msg_info_clear(m);
	return status;
}

static int
fx_register1(struct fixture *fx, const char *mid, enum direction dir,
	     const char *content, const char *number, const char *symbol,
	     const char *issuer, const char *summary, char id[STORE_ID_MAX],
	     int *retry)
{
	struct msg_info m;
	struct analysis an = {0};

	fx_msg(&m, mid, dir);
	fx_doc(&an, content, number, symbol, issuer, summary);
	return fx_register_msg(fx, &m, &an, NULL, id, retry);
}

#endif
