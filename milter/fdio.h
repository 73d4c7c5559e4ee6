/*
 * fdio.h - whole writes to a file descriptor.
 */
#ifndef VANTHU_FDIO_H
#define VANTHU_FDIO_H

#include <stddef.h>

/* Write all len bytes of p to fd, again after EINTR and short writes.
 * Returns 0, or -1 with errno set (a write of nothing counts as failed). */
int     write_full(int fd, const void *p, size_t len);

#endif
