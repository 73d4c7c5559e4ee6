/*
 * aw_names.c - RFC 2231 and RFC 2047 name decoding, charsets, NFC, and
 * safe names; see aw_names.h.
 *
 * libetpan 1.9.4 has no RFC 2231 support and its windows-1258 conversion
 * loses the last character (glibc's CP1258 converter holds a base letter
 * back until it knows whether a tone mark follows, and libetpan never
 * flushes it), so names are decoded here with iconv directly.  Charset
 * names from mail are checked against a conservative alphabet before they
 * reach iconv_open().  All sizes derive from the input length; there is no
 * fixed buffer to overrun.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/charconv.h>
#include <utf8proc.h>

#include "aw_names.h"
#include "base64.h"
#include "textnorm.h"
#include "xmalloc.h"

#define REPLACEMENT	"\xEF\xBF\xBD"	/* U+FFFD */
#define MAX_SEGMENTS	100		/* RFC 2231 continuations kept */

struct bytes {
	char   *p;
	size_t  len;
	size_t  cap;
};

static void
bytes_add(struct bytes *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t  cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n > 0)		/* data may be NULL then */
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
}

/* Whether a charset name from mail may be handed to iconv_open(). */
static int
charset_plausible(const char *cs)
{
	size_t  n = strlen(cs);

	if (n == 0 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char) cs[i]) && !strchr("._:-", cs[i]))
			return 0;
	return 1;
}

static int
charset_is_utf8(const char *cs)
{
	return cs == NULL || *cs == 0 || strcasecmp(cs, "utf-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0 || strcasecmp(cs, "us-ascii") == 0 ||
	    strcasecmp(cs, "ascii") == 0;
}

/* Convert with iconv into b; a byte that does not convert becomes U+FFFD
 * and the conversion goes on after it. */
static int
convert_into(struct bytes *b, iconv_t cd, const char *s, size_t len)
{
	char   *in = (char *) s;
	size_t  inleft = len;
	size_t  cap = len * 4 + 16;
	char   *buf = xmalloc(cap);
	char   *out = buf;
	size_t  outleft = cap;

	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &out, &outleft) != (size_t) -1)
			break;
		if (errno == E2BIG) {
			size_t  used = out - buf;

			cap *= 2;
			buf = xrealloc(buf, cap);
			out = buf + used;
			outleft = cap - used;
			continue;
		}
		/* EILSEQ or EINVAL (a sequence cut short): mark and go on. */
		if (outleft < 8) {
			size_t  used = out - buf;

			cap *= 2;
			buf = xrealloc(buf, cap);
			out = buf + used;
			outleft = cap - used;
		}
		memcpy(out, REPLACEMENT, 3);
		out += 3;
		outleft -= 3;
		in++;
		inleft--;
	}
	/* Flush: CP1258 and other combining converters hold the last
	 * character back until told that the input has ended. */
	for (;;) {
		if (iconv(cd, NULL, NULL, &out, &outleft) != (size_t) -1)
			break;
		if (errno != E2BIG)
			break;
		size_t  used = out - buf;

		cap *= 2;
		buf = xrealloc(buf, cap);
		out = buf + used;
		outleft = cap - used;
	}
	bytes_add(b, buf, out - buf);
	free(buf);
	return 0;
}

/* Append s[0..len) in charset cs to b as UTF-8 (not yet NFC). */
static void
convert_append(struct bytes *b, const char *cs, const char *s, size_t len)
{
	iconv_t cd;

	if (len == 0)
		return;
	if (charset_is_utf8(cs) || !charset_plausible(cs) ||
	    (cd = iconv_open("UTF-8", cs)) == (iconv_t) -1) {
		/* Read as UTF-8; text_nfc() marks what is not. */
		bytes_add(b, s, len);
		return;
	}
	convert_into(b, cd, s, len);
	iconv_close(cd);
}

static char *
bytes_nfc(struct bytes *b)
{
	char   *r = text_nfc(b->p ? b->p : "", b->len);

	free(b->p);
	memset(b, 0, sizeof(*b));
	return r;
}

char   *
aw_name_convert(const char *charset, const char *s, size_t len)
{
	struct bytes b = {0};

	convert_append(&b, charset, s, len);
	return bytes_nfc(&b);
}

/* Lenient base64 into b (base64.c). */
static void
base64_append(struct bytes *b, const char *s, size_t len)
{
	unsigned char *tmp = xmalloc(base64_decoded_max(len));

	bytes_add(b, tmp, base64_decode(s, len, tmp, NULL));
	free(tmp);
}

/* RFC 2047 Q: '_' is a space, =XX a byte. */
static void
q_append(struct bytes *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		int     h, l;

		if (c == '_')
			c = ' ';
		else if (c == '=' && i + 2 < len &&
			 (h = hex_digit(s[i + 1])) >= 0 &&
			 (l = hex_digit(s[i + 2])) >= 0) {
			c = (unsigned char) (h << 4 | l);
			i += 2;
		}
		bytes_add(b, &c, 1);
	}
}

struct word {
	char    charset[48];
	int     enc;		/* 'B' or 'Q' */
	const char *text;
	size_t  textlen;
	const char *end;	/* just after "?=" */
};

/* Parse one encoded word at p: =?charset[*lang]?B|Q?text?= */
static int
word_parse(const char *p, const char *end, struct word *w)
{
	const char *q, *cs;
	size_t  cslen;

	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	cs = p + 2;
	for (q = cs; q < end && *q != '?'; q++)
		if (*q == ' ' || *q == '\t' || (unsigned char) *q < 0x20 ||
		    q - cs > 40)
			return 0;
	if (q >= end || q == cs)
		return 0;
	cslen = q - cs;
	if (memchr(cs, '*', cslen))	/* RFC 2231 language suffix */
		cslen = (const char *) memchr(cs, '*', cslen) - cs;
	if (cslen == 0 || cslen >= sizeof(w->charset))
		return 0;
	memcpy(w->charset, cs, cslen);
	w->charset[cslen] = 0;
	q++;
	if (end - q < 4 || q[1] != '?')
		return 0;
	w->enc = toupper((unsigned char) q[0]);
	if (w->enc != 'B' && w->enc != 'Q')
		return 0;
	w->text = q + 2;
	for (q = w->text; q + 1 < end; q++) {
		if (q[0] == '?' && q[1] == '=')
			break;
		if (*q == ' ' || *q == '\t' || (unsigned char) *q < 0x20)
			return 0;
	}
	if (q + 1 >= end)
		return 0;
	w->textlen = q - w->text;
	w->end = q + 2;
	return 1;
}

static int
all_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

char   *
aw_name_decode_words(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *lit = s;
	struct bytes out = {0}, pend = {0};
	char    pend_cs[48] = "";
	int     prev_word = 0;
	struct word w;

	while (p < end) {
		if (*p != '=' || !word_parse(p, end, &w)) {
			p++;
			continue;
		}
		/* Blanks between two encoded words vanish (RFC 2047 6.2);
		 * bytes of adjacent words in one charset join before
		 * conversion, so a character split across words survives. */
		if (!(prev_word && all_blank(lit, p - lit)) ||
		    strcasecmp(pend_cs, w.charset) != 0) {
			convert_append(&out, pend_cs, pend.p, pend.len);
			pend.len = 0;
			if (!(prev_word && all_blank(lit, p - lit)))
				bytes_add(&out, lit, p - lit);
			memcpy(pend_cs, w.charset, sizeof(pend_cs));
		}
		if (w.enc == 'B')
			base64_append(&pend, w.text, w.textlen);
		else
			q_append(&pend, w.text, w.textlen);
		p = lit = w.end;
		prev_word = 1;
	}
	convert_append(&out, pend_cs, pend.p, pend.len);
	bytes_add(&out, lit, end - lit);
	free(pend.p);
	return bytes_nfc(&out);
}

/* Percent-decode s into b; a '%' not followed by two hex digits stays. */
static void
pct_append(struct bytes *b, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = s[i];
		int     h, l;

		if (c == '%' && (h = hex_digit(s[i + 1])) >= 0 &&
		    (l = hex_digit(s[i + 2])) >= 0) {
			c = (unsigned char) (h << 4 | l);
			i += 2;
		}
		bytes_add(b, &c, 1);
	}
}

/* Split an RFC 2231 extended value charset'lang'text; *text points into v.
 * Without the two quotes the whole value is text in an unknown charset. */
static void
ext_split(const char *v, char *cs, size_t cslen, const char **text)
{
	const char *q1 = strchr(v, '\''), *q2;

	*cs = 0;
	*text = v;
	if (q1 == NULL || (q2 = strchr(q1 + 1, '\'')) == NULL)
		return;
	if ((size_t) (q1 - v) < cslen) {
		memcpy(cs, v, q1 - v);
		cs[q1 - v] = 0;
	}
	*text = q2 + 1;
}

/* Whether name is base followed by suffix "*", "*N" or "*N*";
 * *seg gets N (-1 for plain "*"), *ext whether the value is extended. */
static int
param_match(const char *name, const char *base, int *seg, int *ext)
{
	size_t  bl = strlen(base);
	const char *p;
	long    n = 0;

	if (strncasecmp(name, base, bl) != 0 || name[bl] != '*')
		return 0;
	p = name + bl + 1;
	if (*p == 0) {
		*seg = -1;
		*ext = 1;
		return 1;
	}
	if (!isdigit((unsigned char) *p) || (p[0] == '0' && isdigit((unsigned char) p[1])))
		return 0;
	while (isdigit((unsigned char) *p)) {
		n = n * 10 + (*p++ - '0');
		if (n >= MAX_SEGMENTS)
			return 0;
	}
	if (*p == '*' && p[1] == 0)
		*ext = 1;
	else if (*p == 0)
		*ext = 0;
	else
		return 0;
	*seg = (int) n;
	return 1;
}

char   *
aw_name_from_params(const struct aw_param *pa, size_t n, const char *base)
{
	const char *plain = NULL, *extv = NULL;
	const char *segv[MAX_SEGMENTS] = {0};
	int     segext[MAX_SEGMENTS] = {0};
	struct bytes b = {0};
	char    cs[48] = "";
	const char *text;
	int     seg, ext;

	for (size_t i = 0; i < n; i++) {
		if (pa[i].name == NULL || pa[i].value == NULL)
			continue;
		if (strcasecmp(pa[i].name, base) == 0) {
			if (plain == NULL)
				plain = pa[i].value;
		} else if (param_match(pa[i].name, base, &seg, &ext)) {
			if (seg < 0) {
				if (extv == NULL)
					extv = pa[i].value;
			} else if (segv[seg] == NULL) {
				segv[seg] = pa[i].value;
				segext[seg] = ext;
			}
		}
	}
	if (extv != NULL) {
		ext_split(extv, cs, sizeof(cs), &text);
		pct_append(&b, text);
	} else if (segv[0] != NULL) {
		for (int i = 0; i < MAX_SEGMENTS && segv[i] != NULL; i++) {
			text = segv[i];
			if (i == 0 && segext[0])
				ext_split(segv[0], cs, sizeof(cs), &text);
			if (segext[i])
				pct_append(&b, text);
			else
				bytes_add(&b, text, strlen(text));
		}
	} else if (plain != NULL) {
		return aw_name_decode_words(plain, strlen(plain));
	} else {
		return NULL;
	}
	{
		char   *r = aw_name_convert(cs, b.p ? b.p : "", b.len);

		free(b.p);
		return r;
	}
}

/* Characters a name must not show as such: controls, and the bidirectional
 * marks that make "gpj.exe" look like "exe.jpg". */
static int
cp_unsafe(utf8proc_int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

char   *
aw_name_safe(const char *utf8)
{
	const char *base = utf8, *p;
	struct bytes b = {0};
	size_t  start, endpos;

	if (utf8 == NULL)
		return NULL;
	for (p = utf8; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	p = base;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		n = utf8proc_iterate((const utf8proc_uint8_t *) p, -1, &cp);
		if (n <= 0) {	/* not valid UTF-8: cannot happen after NFC */
			bytes_add(&b, REPLACEMENT, 3);
			p++;
			continue;
		}
		if (cp_unsafe(cp))
			bytes_add(&b, REPLACEMENT, 3);
		else
			bytes_add(&b, p, n);
		p += n;
	}
	if (b.p == NULL)
		return NULL;
	/* Trim blanks, then cut at a character boundary. */
	start = 0;
	while (b.p[start] == ' ')
		start++;
	endpos = b.len;
	while (endpos > start && b.p[endpos - 1] == ' ')
		endpos--;
	if (endpos - start > AW_NAME_MAX) {
		endpos = start + AW_NAME_MAX;
		while (endpos > start && ((unsigned char) b.p[endpos] & 0xc0) == 0x80)
			endpos--;
	}
	b.p[endpos] = 0;
	if (endpos == start || strcmp(b.p + start, ".") == 0 ||
	    strcmp(b.p + start, "..") == 0) {
		free(b.p);
		return NULL;
	}
	{
		char   *r = xstrdup(b.p + start);

		free(b.p);
		return r;
	}
}

char   *
aw_name_uncompressed(const char *name)
{
	static const char *const endings[] = {
		".gz", ".bz2", ".xz", ".zst", ".lzma", ".lz", ".lz4", ".z",
	};
	size_t  len = name ? strlen(name) : 0;

	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
		size_t  n = strlen(endings[i]);

		if (len > n && strcasecmp(name + len - n, endings[i]) == 0) {
			char   *stem = xstrndup(name, len - n);
			char   *safe = aw_name_safe(stem);

			free(stem);
			return safe;
		}
	}
	return NULL;
}

/* libetpan's extended_charconv hook: result has room for *result_len
 * bytes; other targets than UTF-8 go back to libetpan's iconv. */
static int
charconv_hook(const char *tocode, const char *fromcode, const char *str,
	      size_t length, char *result, size_t *result_len)
{
	char   *r;
	size_t  n;

	if (tocode == NULL || (strcasecmp(tocode, "utf-8") != 0 &&
			       strcasecmp(tocode, "utf8") != 0))
		return MAIL_CHARCONV_ERROR_UNKNOWN_CHARSET;
	r = aw_name_convert(fromcode, str, length);
	n = strlen(r);
	if (n > *result_len) {
		free(r);
		return MAIL_CHARCONV_ERROR_MEMORY;
	}
	memcpy(result, r, n);
	*result_len = n;
	free(r);
	return MAIL_CHARCONV_NO_ERROR;
}

void
aw_names_charconv_install(void)
{
	extended_charconv = charconv_hook;
}
