/*
 * wproto_seeds.c - seeds for wproto_fuzz: the replies a real worker
 * sends for real messages.
 *
 *	wproto_seeds [-c CONFIG] OUTDIR MESSAGE...
 *
 * Each MESSAGE is analysed in this process as a worker would (aw_analyse,
 * with the limits of CONFIG or of the embedded defaults); the body of the
 * reply's frame (wproto_encode_reply()), what wproto_decode_reply()
 * reads, is written to OUTDIR/<message's base name>.  Built and run by
 * fuzz/seeds.sh, not by make.
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
	int     ok;

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
	wreply_clear(&rep);
	free(msg);
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
	return ok ? 0 : -1;
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
