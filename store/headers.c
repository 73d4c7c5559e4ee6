/*
 * headers.c - the values of the headers the daemon adds to registered mail.
 *
 * X-Vanthu-Register names the registration: "den/2026/123" when numbered
 * now, "den/2026/123 (duplicate)" when the document repeats that entry.
 * The facts header carries "reference=...; date=...; issuer=...;
 * type=...; summary=..." for what is known ("none" when nothing is).
 * Header values must be ASCII (RFC 5322), so a value with other bytes is
 * written whole as RFC 2047 encoded-words (UTF-8, base64) that decode to
 * exactly that text, each at most 75 characters and cut only between
 * characters; lines are folded with "\n\t" (as libmilter's
 * smfi_addheader() expects) to stay within 78 columns.  Values are capped
 * at STORE_FACT_MAX bytes, cut between characters, so a header stays
 * small whatever the document says.  Control characters become spaces.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "xmalloc.h"

#define STORE_FACT_MAX	240
#define EW_RAW_MAX	45	/* bytes per encoded-word: 60 base64 chars */
#define LINE_MAX_COLS	76
#define NAME_COLS	18	/* room left for "X-Vanthu-Facts: " */

struct hbuf {
	char   *s;
	size_t	len;
	size_t	col;
};

static void
hb_add(struct hbuf *b, const char *s, size_t n)
{
	b->s = xrealloc(b->s, b->len + n + 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
	b->col += n;
}

/* A token, folded onto a new line when it would not fit. */
static void
hb_token(struct hbuf *b, const char *s, size_t n, int space_before)
{
	if (space_before) {
		if (b->col + 1 + n > LINE_MAX_COLS) {
			hb_add(b, "\n\t", 2);
			b->col = 1;
		} else
			hb_add(b, " ", 1);
	}
	hb_add(b, s, n);
}

static int
needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s >= 0x7f || (unsigned char) *s < 0x20 ||
		    (s[0] == '=' && s[1] == '?'))
			return 1;
	return 0;
}

/* Length of the UTF-8 sequence starting at p (1 for a stray byte). */
static size_t
u8len(const unsigned char *p, size_t left)
{
	size_t	n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 :
	    *p >= 0xc0 ? 2 : 1;

	for (size_t i = 1; i < n; i++)
		if (i >= left || (p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

static void
b64(const unsigned char *in, size_t n, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = in[i] << 16;

		if (i + 1 < n)
			v |= in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = 0;
}

/* Append v to plain, capped and with control characters made spaces. */
static void
plain_add(struct hbuf *plain, const char *label, const char *v)
{
	const unsigned char *p = (const unsigned char *) v;
	size_t	left = strlen(v), n = 0;

	if (plain->len > 0)
		hb_add(plain, "; ", 2);
	hb_add(plain, label, strlen(label));
	hb_add(plain, "=", 1);
	while (left > 0) {
		size_t	l = u8len(p, left);

		if (n + l > STORE_FACT_MAX)
			break;
		if (l == 1 && (p[0] < 0x20 || p[0] == 0x7f))
			hb_add(plain, " ", 1);
		else
			hb_add(plain, (const char *) p, l);
		n += l;
		p += l;
		left -= l;
	}
}

/* The header value for text: its words when ASCII, else encoded-words
 * that decode to exactly text (whitespace between adjacent encoded-words
 * is not part of the decoded text, RFC 2047 section 6.2). */
static char *
encode(const char *text)
{
	struct hbuf b = {0};

	b.col = NAME_COLS;
	if (!needs_encoding(text)) {
		char   *save = NULL, *w, *copy = xstrdup(text);

		for (w = strtok_r(copy, " ", &save); w != NULL;
		     w = strtok_r(NULL, " ", &save))
			hb_token(&b, w, strlen(w), b.len > 0);
		free(copy);
	} else {
		const unsigned char *q = (const unsigned char *) text;
		size_t	rem = strlen(text);

		while (rem > 0) {
			size_t	chunk = 0;
			char	enc[EW_RAW_MAX / 3 * 4 + 8], word[100];

			while (chunk < rem) {
				size_t	l = u8len(q + chunk, rem - chunk);

				if (chunk + l > EW_RAW_MAX)
					break;
				chunk += l;
			}
			b64(q, chunk, enc);
			snprintf(word, sizeof(word), "=?UTF-8?B?%s?=", enc);
			hb_token(&b, word, strlen(word), b.len > 0);
			q += chunk;
			rem -= chunk;
		}
	}
	return b.s != NULL ? b.s : xstrdup("");
}

char *
store_header_register(const struct doc_result *r)
{
	char   *id, *v;

	if ((r->status != REG_NEW && r->status != REG_DUPLICATE) ||
	    r->id[0] == 0)
		return NULL;
	id = encode(r->id);
	if (r->status != REG_DUPLICATE)
		return id;
	v = xasprintf("%s (duplicate)", id);
	free(id);
	return v;
}

char *
store_header_facts(const struct document *d)
{
	static const struct {
		const char *label;
		enum fact_id id;
	} fields[] = {
		{"reference", FACT_REFERENCE},
		{"date", FACT_DATE},
		{"issuer", FACT_ISSUER},
		{"type", FACT_TYPE_NAME},
		{"summary", FACT_SUMMARY},
	};
	struct hbuf plain = {0};
	char   *v;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *f = d->facts.f[fields[i].id].value;

		if (f != NULL && f[0] != 0)
			plain_add(&plain, fields[i].label, f);
	}
	if (plain.s == NULL)
		return xstrdup("none");
	v = encode(plain.s);
	free(plain.s);
	return v;
}
