/*
 * aw_archive.h - expand one level of an archive held in memory.
 *
 * aw_archive_each() opens ZIP, RAR (4 and 5), 7z and tar data, and files
 * compressed with gzip, bzip2, xz, lzma, lzip, zstd, lz4 or compress
 * (.Z), with libarchive, and calls fn
 * once for every regular file in it, in archive order, with the entry's
 * raw path name (UTF-8 when the archive says so, else as stored; may be
 * NULL) and its bytes.  A compressed tar is one archive; a compressed
 * file that is no tar is an archive of one entry, named as the gzip
 * header says, else NULL (the caller names it after the archive).
 * Which formats are tried depends on the type libmagic found: reading
 * any bytes as a compressed file would accept every input.  Outlook's
 * winmail.dat (AW_TNEF_TYPE) goes to aw_tnef_each().  Directories, links and devices are
 * passed over silently.  An entry that cannot be read (encrypted, damaged)
 * reaches fn with data NULL and a reason.  The walk stops
 * when fn returns non-zero or at the first limit crossed; the return value
 * then says why ("limit: archive files", "limit: archive size",
 * "limit: archive ratio", "malformed: archive: ..."), NULL when the whole
 * archive was read.  The reason is a static string or one kept in buf.
 * Memory stays within max_archive_size plus one read block.
 */
#ifndef VANTHU_AW_ARCHIVE_H
#define VANTHU_AW_ARCHIVE_H

#include <stddef.h>

struct mime_limits;

typedef int (*aw_archive_fn)(void *ctx, const char *path,
			     const unsigned char *data, size_t len,
			     const char *reason);

/* Whether aw_archive_each() opens bytes of this type: kind "archive". */
int     aw_archive_type(const char *type);

const char *aw_archive_each(const char *type,
			    const unsigned char *data, size_t len,
			    const struct mime_limits *, aw_archive_fn fn,
			    void *ctx, char *buf, size_t buflen);

#endif
