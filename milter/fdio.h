/*
 * fdio.h - whole writes to a file descriptor, whole reads of a file,
 * fsync by path.
 */
#ifndef VANTHU_FDIO_H
#define VANTHU_FDIO_H

#include <stddef.h>

/* Write all len bytes of p to fd, again after EINTR and short writes.
 * Returns 0, or -1 with errno set (a write of nothing counts as failed). */
int     write_full(int fd, const void *p, size_t len);

/*
 * Read the file at path ("-": standard input) to its end.  Returns an
 * xmalloc'd buffer holding the *len bytes and a NUL after them, or NULL
 * with errno set: EFBIG when the file holds limit bytes or more, EIO on
 * a read error, or what fopen said.  The buffer never grows past limit
 * bytes and the NUL.
 */
unsigned char *file_read_whole(const char *path, size_t limit, size_t *len);

/*
 * The same for the file open at fd, read with pread from its start and
 * its offset left alone: a descriptor shared between processes (the
 * configuration workers get) can be read by each at once.  NULL with
 * errno set: EFBIG past limit, or what pread said.
 */
unsigned char *fd_read_whole(int fd, size_t limit, size_t *len);

/* fsync the file or directory at path; 0, or -1 with errno set. */
int     fsync_path(const char *path);

#endif
