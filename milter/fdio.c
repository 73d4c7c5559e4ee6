/*
 * fdio.c - see fdio.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "xmalloc.h"

int
write_full(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t) n;
	}
	return 0;
}

unsigned char *
file_read_whole(const char *path, size_t limit, size_t *len)
{
	FILE   *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t  cap = 0, n = 0, got;
	int     err = 0;

	if (fp == NULL)
		return NULL;
	do {
		if (n >= limit) {
			err = EFBIG;
			break;
		}
		if (cap - n < 2) {	/* a byte to read and the NUL */
			cap = cap ? cap * 2 : 65536;
			/* Never more than the limit's bytes and the NUL: a
			 * file at the limit is refused, not doubled for. */
			if (limit < SIZE_MAX && cap > limit + 1)
				cap = limit + 1;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
	} while (got > 0);
	if (err == 0 && ferror(fp))
		err = EIO;
	if (fp != stdin)
		fclose(fp);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

unsigned char *
fd_read_whole(int fd, size_t limit, size_t *len)
{
	unsigned char *buf = NULL;
	size_t  cap = 0, n = 0;
	ssize_t got;

	for (;;) {
		if (n >= limit) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if (cap - n < 2) {
			cap = cap ? cap * 2 : 4096;
			if (limit < SIZE_MAX && cap > limit + 1)
				cap = limit + 1;
			buf = xrealloc(buf, cap);
		}
		got = pread(fd, buf + n, cap - n - 1, (off_t) n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t) got;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

int
fsync_path(const char *path)
{
	int     fd = open(path, O_RDONLY | O_CLOEXEC);
	int     r, saved;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}
