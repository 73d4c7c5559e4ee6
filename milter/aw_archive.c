/*
 * aw_archive.c - one level of ZIP, RAR, 7z, tar and compressed files
 * with libarchive; see aw_archive.h.
 *
 * Limits are checked while reading, block by block, so a zip bomb stops
 * after at most max_archive_ratio times its own size (or max_archive_size,
 * whichever is smaller) of output, not after inflating in full.  The
 * ratio is measured over the whole archive: expanded bytes so far against
 * the archive's size.  max_doc_size does not apply to entries: it bounds
 * decoded MIME parts (by default the message size), and a compressed
 * document is meant to grow; the archive limits bound the memory instead.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "aw_archive.h"
#include "aw_mime.h"
#include "aw_names.h"
#include "aw_tnef.h"
#include "textnorm.h"
#include "xmalloc.h"

#define BLOCK	65536

/* The types libmagic gives archives, and those that are one compressed
 * stream. */
static const char *const containers[] = {
	"application/zip", "application/x-rar", "application/vnd.rar",
	"application/x-7z-compressed", "application/x-tar", AW_TNEF_TYPE,
};
static const char *const compressed[] = {
	"application/gzip", "application/x-gzip", "application/x-bzip2",
	"application/x-xz", "application/zstd", "application/x-lzma",
	"application/x-lzip", "application/x-lz4", "application/x-compress",
};

static int
listed(const char *type, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (type != NULL && strcmp(type, list[i]) == 0)
			return 1;
	return 0;
}

static int
is_compressed(const char *type)
{
	return listed(type, compressed,
		      sizeof(compressed) / sizeof(compressed[0]));
}

int
aw_archive_type(const char *type)
{
	return is_compressed(type) ||
	    listed(type, containers, sizeof(containers) / sizeof(containers[0]));
}

/*
 * The decompressors.  Without its library a filter would run an external
 * program, which the worker's sandbox forbids (the worker would die on
 * every such file): those are offered only when libarchive has the
 * library.  gzip, bzip2 and compress are its own code or always linked.
 */
static void
support_filters(struct archive *a)
{
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_compress(a);
	if (archive_liblzma_version() != NULL) {
		archive_read_support_filter_xz(a);
		archive_read_support_filter_lzma(a);
		archive_read_support_filter_lzip(a);
	}
	if (archive_libzstd_version() != NULL)
		archive_read_support_filter_zstd(a);
	if (archive_liblz4_version() != NULL)
		archive_read_support_filter_lz4(a);
}

/*
 * Why libarchive stopped.  Out of memory is AnalysisMemory's doing (an xz
 * stream may ask for a 64 MB dictionary), not damage.
 */
static const char *
failure(struct archive *a, const char *what, char *buf, size_t buflen)
{
	if (archive_errno(a) == ENOMEM)
		return "limit: archive memory (AnalysisMemory)";
	snprintf(buf, buflen, "malformed: archive: %s",
		 archive_error_string(a) ? archive_error_string(a) : what);
	return buf;
}

/* Read the current entry into a buffer; *total counts every archive byte
 * expanded so far.  Returns NULL and the bytes, or a reason. */
static const char *
entry_read(struct archive *a, const struct mime_limits *lim, size_t arclen,
	   uint64_t *total, unsigned char **out, size_t *outlen,
	   char *buf, size_t buflen)
{
	unsigned char *data = NULL;
	size_t  len = 0, cap = 0;
	uint64_t ratio_cap = (uint64_t) arclen * lim->max_archive_ratio;

	*out = NULL;
	*outlen = 0;
	for (;;) {
		la_ssize_t n;

		if (cap - len < BLOCK) {
			cap = cap ? cap * 2 : BLOCK;
			data = xrealloc(data, cap);
		}
		n = archive_read_data(a, data + len, BLOCK);
		if (n == 0)
			break;
		if (n < 0) {
			free(data);
			return failure(a, "read error", buf, buflen);
		}
		len += n;
		*total += n;
		if (*total > lim->max_archive_size) {
			free(data);
			return "limit: archive size";
		}
		if (*total > ratio_cap) {
			free(data);
			return "limit: archive ratio";
		}
	}
	*out = data;
	*outlen = len;
	return NULL;
}

const char *
aw_archive_each(const char *type, const unsigned char *data, size_t len,
		const struct mime_limits *lim, aw_archive_fn fn, void *ctx,
		char *buf, size_t buflen)
{
	struct archive *a;
	struct archive_entry *e;
	const char *why = NULL;
	char   *legacy = NULL;	/* a name converted from windows-1258 */
	uint64_t total = 0;
	unsigned files = 0;
	int     r;

	if (type != NULL && strcmp(type, AW_TNEF_TYPE) == 0)
		return aw_tnef_each(data, len, lim, fn, ctx, buf, buflen);
	a = archive_read_new();
	if (a == NULL)
		return "limit: archive memory (AnalysisMemory)";
	if (is_compressed(type)) {
		/*
		 * A compressed tar, else the one file compressed.  The raw
		 * format takes any bytes, so it is offered only here, where
		 * a filter has recognised them.  A filter's output may be
		 * compressed again (x.gz.gz); libarchive undoes each layer,
		 * and the limits below weigh what comes out of the last
		 * against the bytes that went into the first.
		 */
		support_filters(a);
		archive_read_support_format_tar(a);
		archive_read_support_format_raw(a);
	} else {
		archive_read_support_format_zip(a);
		archive_read_support_format_rar(a);
		archive_read_support_format_rar5(a);
		archive_read_support_format_7zip(a);
		archive_read_support_format_tar(a);
	}
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		why = failure(a, "cannot open", buf, buflen);
		archive_read_free(a);
		return why;
	}
	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *path;
		unsigned char *bytes;
		size_t  n;
		const char *bad;

		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			why = failure(a, "bad header", buf, buflen);
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (++files > lim->max_archive_files) {
			why = "limit: archive files";
			break;
		}
		free(legacy);
		legacy = NULL;
		path = archive_entry_pathname_utf8(e);
		if (path == NULL && (path = archive_entry_pathname(e)) != NULL &&
		    !text_utf8_valid(path, strlen(path))) {
			/*
			 * A ZIP name without the UTF-8 flag whose bytes are
			 * not UTF-8 either: Vietnamese Windows writes such
			 * names in its code page, 1258.
			 */
			legacy = aw_name_convert("WINDOWS-1258", path,
						 strlen(path));
			path = legacy;
		}
		/* The raw format calls a file whose name it was not told
		 * "data". */
		if (archive_format(a) == ARCHIVE_FORMAT_RAW && path != NULL &&
		    strcmp(path, "data") == 0)
			path = NULL;
		if (archive_entry_is_encrypted(e)) {
			if (fn(ctx, path, NULL, 0,
			       "unsupported: encrypted archive entry") != 0)
				break;
			continue;
		}
		bad = entry_read(a, lim, len, &total, &bytes, &n, buf, buflen);
		if (bad != NULL && strncmp(bad, "limit: archive", 14) == 0) {
			why = bad;
			break;
		}
		if (bad != NULL && strncmp(bad, "malformed", 9) == 0) {
			/* The stream is unusable after a read error. */
			(void) fn(ctx, path, NULL, 0, bad);
			break;
		}
		r = fn(ctx, path, bytes, n, bad);
		free(bytes);
		if (r != 0)
			break;
	}
	free(legacy);
	archive_read_free(a);
	return why;
}
