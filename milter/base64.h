/*
 * base64.h - lenient base64 decoding for MIME bodies and encoded words,
 * and the hex digits of quoted-printable, RFC 2231 and URLs.
 */
#ifndef VANTHU_BASE64_H
#define VANTHU_BASE64_H

#include <stddef.h>

/*
 * Decode len characters of s into out, which has room for
 * base64_decoded_max(len) bytes; returns the bytes written.  Characters
 * outside the alphabet (line ends, spaces, stray bytes) are skipped as
 * RFC 2045 asks; '=' ends a group of four.  *quanta, when not NULL, gets
 * the count of alphabet and '=' characters, so that a caller can tell
 * a body cut short (a count that is not a multiple of 4).
 */
size_t  base64_decode(const char *s, size_t len, unsigned char *out,
		      size_t *quanta);

static inline size_t
base64_decoded_max(size_t len)
{
	return len / 4 * 3 + 3;
}

/* The value of hex digit c, either case, or -1. */
int     hex_digit(int c);

#endif
