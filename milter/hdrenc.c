/*
 * hdrenc.c - see hdrenc.h.
 */
#include <stdlib.h>
#include <string.h>

#include "hdrenc.h"
#include "xmalloc.h"

#define WORD_MAX_BYTES	45	/* 60 base64 characters + 12 = 72 <= 75 */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
is_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 || (unsigned char) *s > 0x7e)
			return 0;
	return 1;
}

/* Bytes of the UTF-8 sequence that starts with c; 1 for a stray byte. */
static size_t
seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

static char *
put_word(char *o, const unsigned char *p, size_t n)
{
	memcpy(o, "=?UTF-8?B?", 10);
	o += 10;
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long) p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long) p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64[(v >> 18) & 63];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	memcpy(o, "?=", 2);
	return o + 2;
}

char *
hdr_encode(const char *value)
{
	const unsigned char *p = (const unsigned char *) value;
	size_t  len = strlen(value), words, cap;
	char   *out, *o;

	if (is_plain(value))
		return xstrdup(value);
	/* Each word holds at least WORD_MAX_BYTES - 3 input bytes. */
	words = len / (WORD_MAX_BYTES - 3) + 1;
	cap = words * (12 + 60 + 1) + 1;
	o = out = xmalloc(cap);
	while (*p) {
		size_t  n = 0, k;

		while (p[n]) {
			k = seq_len(p[n]);
			for (size_t j = 1; j < k; j++)
				if (p[n + j] == 0) {	/* truncated at the end */
					k = j;
					break;
				}
			if (n + k > WORD_MAX_BYTES)
				break;
			n += k;
		}
		if (o != out)
			*o++ = ' ';
		o = put_word(o, p, n);
		p += n;
	}
	*o = 0;
	return out;
}

char *
hdr_prefix_subject(const char *prefix, const char *raw_subject)
{
	size_t  n = strlen(prefix);
	char   *trimmed, *encoded, *out;
	const char *s = raw_subject ? raw_subject : "";

	while (n > 0 && (prefix[n - 1] == ' ' || prefix[n - 1] == '\t'))
		n--;
	trimmed = xstrndup(prefix, n);
	if (is_plain(trimmed)) {
		out = xasprintf("%s %s", trimmed, s);
	} else {
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "=?", 2) == 0) {
			char   *spaced = xasprintf("%s ", trimmed);

			encoded = hdr_encode(spaced);
			free(spaced);
		} else
			encoded = hdr_encode(trimmed);
		out = xasprintf("%s %s", encoded, s);
		free(encoded);
	}
	free(trimmed);
	return out;
}
