/*
 * wbuf.h - a growable output buffer and a bounded input cursor.
 *
 * The writer appends fixed-width integers (network order) and
 * length-prefixed strings.  The reader takes them back from a byte range
 * it never leaves: every get fails, and stays failed, once a field would
 * run past the end, so a decoder checks rd.failed once at the end and
 * rbuf_end() says whether every byte was consumed.  What remains is always
 * derived from one pair of pointers, never from a separate length.
 */
#ifndef VANTHU_WBUF_H
#define VANTHU_WBUF_H

#include <stddef.h>
#include <stdint.h>

struct wbuf {
	unsigned char *data;
	size_t  len;
	size_t  cap;
};

struct rbuf {
	const unsigned char *p;
	const unsigned char *end;
	int     failed;
};

void    wbuf_init(struct wbuf *);
void    wbuf_free(struct wbuf *);
void    wbuf_put(struct wbuf *, const void *, size_t);
void    wbuf_u8(struct wbuf *, uint8_t);
void    wbuf_u32(struct wbuf *, uint32_t);
void    wbuf_u64(struct wbuf *, uint64_t);
void    wbuf_str(struct wbuf *, const char *);	/* NULL is kept apart from "" */
void    wbuf_bytes(struct wbuf *, const void *, size_t);
void    wbuf_set_u32(struct wbuf *, size_t offset, uint32_t);

void    rbuf_init(struct rbuf *, const void *, size_t);
uint8_t rbuf_u8(struct rbuf *);
uint32_t rbuf_u32(struct rbuf *);
uint64_t rbuf_u64(struct rbuf *);
/* A new NUL-terminated copy, or NULL for a NULL string (or on failure).
 * Strings longer than max, or holding a NUL byte, fail the reader. */
char   *rbuf_str(struct rbuf *, size_t max);
/* A new copy of a byte field of at most max bytes; *len gets its size. */
unsigned char *rbuf_bytes(struct rbuf *, size_t max, size_t *len);
int     rbuf_end(const struct rbuf *);	/* 1: not failed and all consumed */

#endif
