/*
 * digest.h - SHA-256 as lower-case hex, with OpenSSL.
 */
#ifndef VANTHU_DIGEST_H
#define VANTHU_DIGEST_H

#include <stddef.h>

void    sha256_hex(const void *data, size_t len, char out[65]);

/* The same over bytes that come in pieces: begin, add each, end (which
 * frees the stream). */
struct sha256_stream;
struct sha256_stream *sha256_begin(void);
void    sha256_add(struct sha256_stream *, const void *data, size_t len);
void    sha256_end(struct sha256_stream *, char out[65]);

#endif
