/*
 * wproto_seeds.c - seeds for wproto_fuzz: the replies a real worker
 * sends for real messages.
 *
 *	wproto_seeds [-c CONFIG] OUTDIR MESSAGE...
 *
 * Each MESSAGE is analysed in this process as a worker would (aw_analyse,
 * with the limits of CONFIG or of the embedded defaults); the body of the
 * reply's frame (wproto_encode_reply()), what wproto_decode_reply()
 * reads, is written to OUTDIR/<message's base name>.  Each frame is
 * decoded again and must give back what was encoded (a round trip of
 * the wire format over real replies); a message whose frame does not
 * makes the exit status 1.  `make tests` builds it; fuzz/seeds.sh runs
 * it.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aw_pipeline.h"
#include "conf.h"
#include "fdio.h"
#include "wbuf.h"
#include "wproto.h"
#include "xmalloc.h"

#define MESSAGE_MAX	(64u << 20)

static int
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static int
same_document(const struct document *a, const struct document *b)
{
	if (!same(a->name, b->name) || !same(a->type, b->type) ||
	    !same(a->declared_type, b->declared_type) || !same(a->part, b->part) ||
	    !same(a->kind, b->kind) || !same(a->text, b->text) ||
	    !same(a->origin_detail, b->origin_detail) ||
	    a->size != b->size || a->origin != b->origin ||
	    a->nsigs != b->nsigs || a->sig_verdict != b->sig_verdict ||
	    (a->data ? a->len : 0) != b->len)
		return 0;
	for (int f = 0; f < FACT__COUNT; f++)
		if (!same(a->facts.f[f].value, b->facts.f[f].value))
			return 0;
	for (size_t i = 0; i < a->nsigs; i++)
		if (a->sigs[i].verdict != b->sigs[i].verdict ||
		    !same(a->sigs[i].signer, b->sigs[i].signer) ||
		    !same(a->sigs[i].serial, b->sigs[i].serial))
			return 0;
	return 1;
}

/* What the daemon would decode from the frame in w is what r holds. */
static int
round_trip(const struct wbuf *w, const struct wreply *r)
{
	const struct analysis *a = &r->analysis, *b;
	struct wreply back;
	int     ok;

	if (wproto_decode_reply(w->data + 8, w->len - 8, &back) != 0)
		return 0;
	b = &back.analysis;
	ok = back.id == r->id && back.status == r->status && same(back.error, r->error) &&
	    b->ndocs == a->ndocs && b->nsigfiles == a->nsigfiles &&
	    b->nskipped == a->nskipped && b->smime.present == a->smime.present &&
	    b->smime.verdict == a->smime.verdict;
	for (size_t i = 0; ok && i < a->ndocs; i++)
		ok = same_document(&a->docs[i], &b->docs[i]);
	for (size_t i = 0; ok && i < a->nsigfiles; i++)
		ok = same_document(&a->sigfiles[i], &b->sigfiles[i]) &&
		    a->sigfiles[i].signs == b->sigfiles[i].signs;
	for (size_t i = 0; ok && i < a->nskipped; i++)
		ok = same(a->skipped[i].part, b->skipped[i].part) &&
		    same(a->skipped[i].name, b->skipped[i].name) &&
		    same(a->skipped[i].reason, b->skipped[i].reason) &&
		    same(a->skipped[i].archive, b->skipped[i].archive);
	wreply_clear(&back);
	return ok;
}

static int
seed_one(struct aw_context *ctx, const struct config *cfg, const char *outdir,
	 const char *path, uint64_t id)
{
	struct wrequest q;
	struct wreply rep;
	struct wbuf w;
	unsigned char *msg;
	size_t  len;
	char    out[4096], *copy;
	FILE   *f;
	int     ok, trip;

	if ((msg = file_read_whole(path, MESSAGE_MAX, &len)) == NULL) {
		fprintf(stderr, "wproto_seeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(&q, 0, sizeof(q));
	q.id = id;
	q.kind = WREQ_ANALYSE;
	q.limits.max_parts = cfg->max_parts;
	q.limits.max_depth = cfg->max_depth;
	q.limits.max_archive_files = cfg->max_archive_files;
	q.limits.max_archive_size = cfg->max_archive_size;
	q.limits.max_archive_ratio = cfg->max_archive_ratio;
	q.limits.max_doc_size = len;
	q.size = len;
	memset(&rep, 0, sizeof(rep));
	rep.id = id;
	rep.status = WREP_OK;
	if (aw_analyse(ctx, (const char *) msg, len, &q, &rep.analysis) < 0) {
		rep.status = WREP_FAILED;
		rep.error = xstrdup(rep.analysis.error ? rep.analysis.error :
				    "analysis failed");
	}
	wproto_encode_reply(&w, &rep);
	trip = round_trip(&w, &rep);
	wreply_clear(&rep);
	free(msg);
	if (!trip)
		fprintf(stderr, "wproto_seeds: %s: the reply does not decode to "
			"what was encoded\n", path);
	copy = xstrdup(path);
	snprintf(out, sizeof(out), "%s/%s", outdir, basename(copy));
	free(copy);
	ok = (f = fopen(out, "wb")) != NULL &&
	    fwrite(w.data + 8, 1, w.len - 8, f) == w.len - 8;
	if (f != NULL && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "wproto_seeds: %s: %s\n", out, strerror(errno));
	wbuf_free(&w);
	return ok && trip ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *config = NULL;
	struct config *cfg;
	struct aw_context *ctx;
	int     c, failed = 0;

	while ((c = getopt(argc, argv, "c:")) != -1) {
		if (c != 'c')
			goto usage;
		config = optarg;
	}
	if (argc - optind < 2)
		goto usage;
	cfg = config ? conf_load(config, stderr) : conf_defaults();
	if (cfg == NULL)
		return 1;
	if ((ctx = aw_context_open(cfg, stderr)) == NULL) {
		conf_free(cfg);
		return 1;
	}
	for (int i = optind + 1; i < argc; i++)
		if (seed_one(ctx, cfg, argv[optind], argv[i], (uint64_t) i) < 0)
			failed = 1;
	aw_context_close(ctx);
	conf_free(cfg);
	return failed;
usage:
	fprintf(stderr, "usage: wproto_seeds [-c CONFIG] OUTDIR MESSAGE...\n");
	return 2;
}
