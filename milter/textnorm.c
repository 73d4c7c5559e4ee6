/*
 * textnorm.c - NFC and folding with utf8proc; see textnorm.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "textnorm.h"
#include "xmalloc.h"

#define REPLACEMENT	"\xEF\xBF\xBD"	/* U+FFFD in UTF-8 */

/* Copy s, replacing every byte that does not start a valid sequence (and
 * every NUL) by U+FFFD.  The result is NUL-terminated valid UTF-8. */
static char *
utf8_sanitize(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;
	const utf8proc_uint8_t *end = p + len;
	char   *out = xmalloc(len * 3 + 1);
	size_t  o = 0;

	while (p < end) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		n = utf8proc_iterate(p, end - p, &cp);
		if (n <= 0 || cp == 0) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			p++;
			continue;
		}
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = 0;
	return out;
}

int
text_utf8_valid(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;
	const utf8proc_uint8_t *end = p + len;

	while (p < end) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &cp);

		if (n <= 0 || cp == 0)
			return 0;
		p += n;
	}
	return 1;
}

static char *
map_or_copy(const char *valid, int options)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *) valid, 0, &mapped,
			 options | UTF8PROC_NULLTERM | UTF8PROC_STABLE);
	if (n < 0) {
		/* Cannot happen on sanitized input short of memory. */
		free(mapped);
		return xstrdup(valid);
	}
	return (char *) mapped;
}

char *
text_nfc(const char *s, size_t len)
{
	char   *valid = utf8_sanitize(s, len);
	char   *nfc = map_or_copy(valid, UTF8PROC_COMPOSE);

	free(valid);
	return nfc;
}

char *
text_fold(const char *s)
{
	char   *valid = utf8_sanitize(s, strlen(s));
	char   *folded = map_or_copy(valid, UTF8PROC_DECOMPOSE |
				     UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	char   *r, *w;

	free(valid);

	/*
	 * đ (U+0111) has no decomposition, so stripping marks leaves it; fold
	 * it to d by hand.  Case folding already turned Đ into đ.  The
	 * result only shrinks, so rewrite in place.
	 */
	for (r = w = folded; *r; ) {
		if ((unsigned char) r[0] == 0xC4 && (unsigned char) r[1] == 0x91) {
			*w++ = 'd';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	return folded;
}

void
text_put(FILE *out, const char *s, int lines)
{
	const unsigned char *p = (const unsigned char *) s;

	for (; *p; p++) {
		if ((*p == '\n' && lines) || (*p >= 0x20 && *p != 0x7f &&
		    !(p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))) {
			putc(*p, out);
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			putc(' ', out);
		} else {
			fputs("\xEF\xBF\xBD", out);	/* U+FFFD */
			if (p[0] == 0xC2)
				p++;		/* a C1 control is two bytes */
		}
	}
}
