/*
 * wbuf.c - see wbuf.h.
 */
#include <stdlib.h>
#include <string.h>

#include "wbuf.h"
#include "xmalloc.h"

#define WBUF_NULL_STR	0xFFFFFFFFu

void
wbuf_init(struct wbuf *w)
{
	memset(w, 0, sizeof(*w));
}

void
wbuf_free(struct wbuf *w)
{
	free(w->data);
	memset(w, 0, sizeof(*w));
}

void
wbuf_put(struct wbuf *w, const void *p, size_t n)
{
	if (n > w->cap - w->len) {
		size_t  cap = w->cap ? w->cap : 256;

		while (n > cap - w->len)
			cap *= 2;
		w->data = xrealloc(w->data, cap);
		w->cap = cap;
	}
	if (n)
		memcpy(w->data + w->len, p, n);
	w->len += n;
}

void
wbuf_u8(struct wbuf *w, uint8_t v)
{
	wbuf_put(w, &v, 1);
}

void
wbuf_u32(struct wbuf *w, uint32_t v)
{
	unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};

	wbuf_put(w, b, 4);
}

void
wbuf_u64(struct wbuf *w, uint64_t v)
{
	wbuf_u32(w, (uint32_t) (v >> 32));
	wbuf_u32(w, (uint32_t) v);
}

void
wbuf_set_u32(struct wbuf *w, size_t off, uint32_t v)
{
	w->data[off] = v >> 24;
	w->data[off + 1] = v >> 16;
	w->data[off + 2] = v >> 8;
	w->data[off + 3] = v;
}

void
wbuf_bytes(struct wbuf *w, const void *p, size_t n)
{
	wbuf_u32(w, (uint32_t) n);
	wbuf_put(w, p, n);
}

void
wbuf_str(struct wbuf *w, const char *s)
{
	if (s == NULL)
		wbuf_u32(w, WBUF_NULL_STR);
	else
		wbuf_bytes(w, s, strlen(s));
}

void
rbuf_init(struct rbuf *r, const void *p, size_t n)
{
	r->p = p;
	r->end = r->p + n;
	r->failed = 0;
}

static const unsigned char *
rbuf_take(struct rbuf *r, size_t n)
{
	const unsigned char *p = r->p;

	if (r->failed || n > (size_t) (r->end - r->p)) {
		r->failed = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

uint8_t
rbuf_u8(struct rbuf *r)
{
	const unsigned char *p = rbuf_take(r, 1);

	return p ? p[0] : 0;
}

uint32_t
rbuf_u32(struct rbuf *r)
{
	const unsigned char *p = rbuf_take(r, 4);

	if (p == NULL)
		return 0;
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
	    (uint32_t) p[2] << 8 | p[3];
}

uint64_t
rbuf_u64(struct rbuf *r)
{
	uint64_t hi = rbuf_u32(r);

	return hi << 32 | rbuf_u32(r);
}

char *
rbuf_str(struct rbuf *r, size_t max)
{
	uint32_t n = rbuf_u32(r);
	const unsigned char *p;

	if (r->failed || n == WBUF_NULL_STR)
		return NULL;
	if (n > max || (p = rbuf_take(r, n)) == NULL ||
	    memchr(p, 0, n) != NULL) {
		r->failed = 1;
		return NULL;
	}
	return xstrndup((const char *) p, n);
}

unsigned char *
rbuf_bytes(struct rbuf *r, size_t max, size_t *len)
{
	uint32_t n = rbuf_u32(r);
	const unsigned char *p;
	unsigned char *copy;

	*len = 0;
	if (r->failed || n > max || (p = rbuf_take(r, n)) == NULL) {
		r->failed = 1;
		return NULL;
	}
	copy = xmalloc(n);
	memcpy(copy, p, n);
	*len = n;
	return copy;
}

int
rbuf_end(const struct rbuf *r)
{
	return !r->failed && r->p == r->end;
}
