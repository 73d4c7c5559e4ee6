/*
 * docstore.h - the content-addressed document spool (daemon side).
 *
 * docstore_put() stores one document's bytes as <spool>/ab/cd/<sha256>,
 * where ab and cd are the first two pairs of hex digits.  It checks that
 * the bytes hash to sha256_hex (64 lower-case hex digits) before anything
 * touches the disk, writes a temporary file in the final directory, fsyncs
 * it, renames it into place and fsyncs the directory, so a crash leaves
 * either the whole file or none.  A document already present is not
 * rewritten.  Files are mode 0600, directories 0700.
 * Returns 0 on success, -1 with a message in err (errno kept) otherwise.
 */
#ifndef VANTHU_DOCSTORE_H
#define VANTHU_DOCSTORE_H

#include <stddef.h>

int     docstore_put(const char *spool_dir, const unsigned char *data,
		     size_t len, const char *sha256_hex, char *err,
		     size_t errlen);

/*
 * The same for bytes already in fd, an unnamed file (O_TMPFILE) on the
 * spool's file system whose contents the caller has checked against
 * sha256_hex: fsync'd, linked into place, the directory fsync'd.
 */
int     docstore_link(const char *spool_dir, int fd, const char *sha256_hex,
		      char *err, size_t errlen);

/*
 * The steps of docstore_put() for bytes that come in pieces, where the
 * file system has no unnamed files (NFS): docstore_begin() returns 1 when
 * the document is stored already, else makes its directories and opens
 * a temporary file beside its final name (t->fd, 0 returned) for the
 * caller to write and check; docstore_commit() fsyncs and closes it,
 * renames it into place and fsyncs the directories; docstore_abort()
 * closes and removes it instead.  Both leave t->fd at -1.
 */
struct docstore_tmp {
	int     fd;
	int     made1, made2;	/* directories begin made */
	char    d1[4096], d2[4096], path[4096], tmp[4096];
};

int     docstore_begin(const char *spool_dir, const char *sha256_hex,
		       struct docstore_tmp *t, char *err, size_t errlen);
int     docstore_commit(const char *spool_dir, struct docstore_tmp *t,
			char *err, size_t errlen);
void    docstore_abort(struct docstore_tmp *t);

/* The path a document has in the spool, in buf; -1 if it does not fit or
 * the hash is not 64 lower-case hex digits. */
int     docstore_path(const char *spool_dir, const char *sha256_hex,
		      char *buf, size_t buflen);

#endif
