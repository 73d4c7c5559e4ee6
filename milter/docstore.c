/*
 * docstore.c - write documents into the spool by their SHA-256; see
 * docstore.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "docstore.h"
#include "fdio.h"
#include "xmalloc.h"

static int
hex_ok(const char *h)
{
	if (h == NULL || strlen(h) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

int
docstore_path(const char *spool, const char *hex, char *buf, size_t buflen)
{
	int     n;

	if (!hex_ok(hex))
		return -1;
	n = snprintf(buf, buflen, "%s/%.2s/%.2s/%s", spool, hex, hex + 2, hex);
	return n < 0 || (size_t) n >= buflen ? -1 : 0;
}

/*
 * Where the document hex goes: its two directories and its name, in
 * buffers of size bytes.  -1 with err and errno for a bad hash or a path
 * too long.
 */
static int
place(const char *spool, const char *hex, char *d1, char *d2, char *path,
      size_t size, char *err, size_t errlen)
{
	if (!hex_ok(hex)) {
		snprintf(err, errlen, "docstore: bad sha256 \"%.70s\"",
			 hex ? hex : "(null)");
		errno = EINVAL;
		return -1;
	}
	if ((size_t) snprintf(d1, size, "%s/%.2s", spool, hex) >= size ||
	    (size_t) snprintf(d2, size, "%s/%.2s", d1, hex + 2) >= size ||
	    (size_t) snprintf(path, size, "%s/%s", d2, hex) >= size) {
		snprintf(err, errlen, "docstore: spool path too long");
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Make dir if it is missing; *made says whether this call made it. */
static int
mkdir_missing(const char *dir, int *made)
{
	*made = mkdir(dir, 0700) == 0;
	return *made || errno == EEXIST ? 0 : -1;
}

/* Both directories of a document, *made1 and *made2 saying which are new. */
static int
make_dirs(const char *d1, const char *d2, int *made1, int *made2, char *err,
	  size_t errlen)
{
	int     saved;

	if (mkdir_missing(d1, made1) < 0 || mkdir_missing(d2, made2) < 0) {
		saved = errno;
		snprintf(err, errlen, "docstore: mkdir %s: %s", d2, strerror(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

/*
 * The document's new name in d2, then any directory made for it, from
 * the inside out.  On ext4 the first fsync commits the others' entries
 * in the same journal transaction, so the later ones cost next to
 * nothing; each is still made, for file systems that do not work that
 * way.
 */
static int
sync_entry(const char *spool, const char *d1, const char *d2, int made1,
	   int made2, char *err, size_t errlen)
{
	int     saved;

	if (fsync_path(d2) < 0 || (made2 && fsync_path(d1) < 0) ||
	    (made1 && fsync_path(spool) < 0)) {
		saved = errno;
		snprintf(err, errlen, "docstore: fsync %s: %s", d2, strerror(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

int
docstore_link(const char *spool, int fd, const char *hex, char *err,
	      size_t errlen)
{
	char    d1[4096], d2[4096], path[4096], proc[64];
	struct stat st;
	int     saved, made1 = 0, made2 = 0;

	if (place(spool, hex, d1, d2, path, sizeof(path), err, errlen) < 0)
		return -1;
	if (stat(path, &st) == 0)
		return 0;		/* stored once */
	if (make_dirs(d1, d2, &made1, &made2, err, errlen) < 0)
		return -1;
	if (fsync(fd) < 0) {
		saved = errno;
		snprintf(err, errlen, "docstore: fsync %s: %s", hex, strerror(saved));
		errno = saved;
		return -1;
	}
	/* linkat(AT_EMPTY_PATH) would need CAP_DAC_READ_SEARCH; the link
	 * through /proc needs nothing.  Another thread may link the same
	 * document first: its bytes hash the same, so that is success. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0 &&
	    errno != EEXIST) {
		saved = errno;
		snprintf(err, errlen, "docstore: link %s: %s", path, strerror(saved));
		errno = saved;
		return -1;
	}
	return sync_entry(spool, d1, d2, made1, made2, err, errlen);
}

int
docstore_begin(const char *spool, const char *hex, struct docstore_tmp *t,
	       char *err, size_t errlen)
{
	struct stat st;
	int     saved;

	t->fd = -1;
	t->made1 = t->made2 = 0;
	if (place(spool, hex, t->d1, t->d2, t->path, sizeof(t->path), err,
		  errlen) < 0)
		return -1;
	if ((size_t) snprintf(t->tmp, sizeof(t->tmp), "%s/.tmp.XXXXXX", t->d2) >=
	    sizeof(t->tmp)) {
		snprintf(err, errlen, "docstore: spool path too long");
		errno = ENAMETOOLONG;
		return -1;
	}
	if (stat(t->path, &st) == 0)
		return 1;		/* stored once */
	if (make_dirs(t->d1, t->d2, &t->made1, &t->made2, err, errlen) < 0)
		return -1;
	/* A name of its own: milter threads may store the same document at
	 * the same moment; the second rename then replaces equal bytes. */
	t->fd = mkostemp(t->tmp, O_CLOEXEC);
	if (t->fd < 0) {
		saved = errno;
		snprintf(err, errlen, "docstore: create %s: %s", t->tmp,
			 strerror(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

int
docstore_commit(const char *spool, struct docstore_tmp *t, char *err,
		size_t errlen)
{
	int     saved, fd = t->fd;

	t->fd = -1;
	if (fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(t->tmp);
		snprintf(err, errlen, "docstore: write %s: %s", t->tmp,
			 strerror(saved));
		errno = saved;
		return -1;
	}
	if (close(fd) < 0 || rename(t->tmp, t->path) < 0) {
		saved = errno;
		unlink(t->tmp);
		snprintf(err, errlen, "docstore: rename to %s: %s", t->path,
			 strerror(saved));
		errno = saved;
		return -1;
	}
	return sync_entry(spool, t->d1, t->d2, t->made1, t->made2, err, errlen);
}

void
docstore_abort(struct docstore_tmp *t)
{
	int     saved = errno;

	if (t->fd >= 0) {
		close(t->fd);
		unlink(t->tmp);
		t->fd = -1;
	}
	errno = saved;
}

int
docstore_put(const char *spool, const unsigned char *data, size_t len,
	     const char *hex, char *err, size_t errlen)
{
	struct docstore_tmp *t;
	char    got[65];
	int     r, saved;

	sha256_hex(data, len, got);
	if (hex_ok(hex) && strcmp(got, hex) != 0) {
		snprintf(err, errlen, "docstore: content hashes to %s, not %s",
			 got, hex);
		errno = EINVAL;
		return -1;
	}
	t = xmalloc(sizeof(*t));
	if ((r = docstore_begin(spool, hex, t, err, errlen)) != 0) {
		free(t);
		return r < 0 ? -1 : 0;
	}
	if (write_full(t->fd, data, len) < 0) {
		saved = errno;
		snprintf(err, errlen, "docstore: write %s: %s", t->tmp,
			 strerror(saved));
		docstore_abort(t);
		free(t);
		errno = saved;
		return -1;
	}
	r = docstore_commit(spool, t, err, errlen);
	free(t);
	return r;
}
