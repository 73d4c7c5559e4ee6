/*
 * aw_legacy.c - text typed in TCVN3 (ABC) or VNI, seen through a font.
 *
 * Before Unicode, Vietnamese documents were typed with one-byte fonts
 * (.VnTime for TCVN3, VNI-Times for VNI).  Their text layer, read as
 * Windows-1252 / Latin-1, shows "Céng hoµ x· héi" (TCVN3) or "Coäng hoøa
 * xaõ hoäi" (VNI).  TCVN3 codes a whole letter in one byte; its capitals
 * with marks exist only in separate ".VnTimeH" fonts that draw the small
 * letters' codes as capitals, so case is restored from the letters around.
 * VNI writes the base letter, then a byte for its marks.
 *
 * aw_legacy_convert() converts only when the text is clearly legacy:
 * almost no Vietnamese letter of Unicode, many Latin-1 letters, and many
 * more common Vietnamese words after conversion than before.  Otherwise
 * NULL: text is never damaged on a guess.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "aw_text.h"
#include "textnorm.h"
#include "xmalloc.h"

#define MAX_CP		(1u << 20)	/* code points examined */
#define MIN_HITS	6

/* TCVN3 byte -> Unicode, for 0xA1..0xFE; 0 where TCVN3 keeps Latin-1. */
static const uint16_t tcvn3[0x100 - 0xA0] = {
	[0xA1 - 0xA0] = 0x0102, [0xA2 - 0xA0] = 0x00C2, [0xA3 - 0xA0] = 0x00CA,
	[0xA4 - 0xA0] = 0x00D4, [0xA5 - 0xA0] = 0x01A0, [0xA6 - 0xA0] = 0x01AF,
	[0xA7 - 0xA0] = 0x0110, [0xA8 - 0xA0] = 0x0103, [0xA9 - 0xA0] = 0x00E2,
	[0xAA - 0xA0] = 0x00EA, [0xAB - 0xA0] = 0x00F4, [0xAC - 0xA0] = 0x01A1,
	[0xAD - 0xA0] = 0x01B0, [0xAE - 0xA0] = 0x0111,
	[0xB5 - 0xA0] = 0x00E0, [0xB6 - 0xA0] = 0x1EA3, [0xB7 - 0xA0] = 0x00E3,
	[0xB8 - 0xA0] = 0x00E1, [0xB9 - 0xA0] = 0x1EA1,
	[0xBB - 0xA0] = 0x1EB1, [0xBC - 0xA0] = 0x1EB3, [0xBD - 0xA0] = 0x1EB5,
	[0xBE - 0xA0] = 0x1EAF, [0xC6 - 0xA0] = 0x1EB7,
	[0xC7 - 0xA0] = 0x1EA7, [0xC8 - 0xA0] = 0x1EA9, [0xC9 - 0xA0] = 0x1EAB,
	[0xCA - 0xA0] = 0x1EA5, [0xCB - 0xA0] = 0x1EAD,
	[0xCC - 0xA0] = 0x00E8, [0xCE - 0xA0] = 0x1EBB, [0xCF - 0xA0] = 0x1EBD,
	[0xD0 - 0xA0] = 0x00E9, [0xD1 - 0xA0] = 0x1EB9,
	[0xD2 - 0xA0] = 0x1EC1, [0xD3 - 0xA0] = 0x1EC3, [0xD4 - 0xA0] = 0x1EC5,
	[0xD5 - 0xA0] = 0x1EBF, [0xD6 - 0xA0] = 0x1EC7,
	[0xD7 - 0xA0] = 0x00EC, [0xD8 - 0xA0] = 0x1EC9, [0xDC - 0xA0] = 0x0129,
	[0xDD - 0xA0] = 0x00ED, [0xDE - 0xA0] = 0x1ECB,
	[0xDF - 0xA0] = 0x00F2, [0xE1 - 0xA0] = 0x1ECF, [0xE2 - 0xA0] = 0x00F5,
	[0xE3 - 0xA0] = 0x00F3, [0xE4 - 0xA0] = 0x1ECD,
	[0xE5 - 0xA0] = 0x1ED3, [0xE6 - 0xA0] = 0x1ED5, [0xE7 - 0xA0] = 0x1ED7,
	[0xE8 - 0xA0] = 0x1ED1, [0xE9 - 0xA0] = 0x1ED9,
	[0xEA - 0xA0] = 0x1EDD, [0xEB - 0xA0] = 0x1EDF, [0xEC - 0xA0] = 0x1EE1,
	[0xED - 0xA0] = 0x1EDB, [0xEE - 0xA0] = 0x1EE3,
	[0xEF - 0xA0] = 0x00F9, [0xF1 - 0xA0] = 0x1EE7, [0xF2 - 0xA0] = 0x0169,
	[0xF3 - 0xA0] = 0x00FA, [0xF4 - 0xA0] = 0x1EE5,
	[0xF5 - 0xA0] = 0x1EEB, [0xF6 - 0xA0] = 0x1EED, [0xF7 - 0xA0] = 0x1EEF,
	[0xF8 - 0xA0] = 0x1EE9, [0xF9 - 0xA0] = 0x1EF1,
	[0xFA - 0xA0] = 0x1EF3, [0xFB - 0xA0] = 0x1EF7, [0xFC - 0xA0] = 0x1EF9,
	[0xFD - 0xA0] = 0x00FD, [0xFE - 0xA0] = 0x1EF5,
};

/* VNI mark bytes (small form; the capital form is byte - 0x20) and the
 * combining marks they stand for after a base letter. */
struct vni_mark {
	uint8_t byte;
	uint16_t m1, m2;
	const char *after;	/* base letters it may follow */
};

static const struct vni_mark vni_marks[] = {
	{0xF9, 0x0301, 0, "aeiouyơưâêôă"}, {0xF8, 0x0300, 0, "aeiouyơưâêôă"},
	{0xFB, 0x0309, 0, "aeiouyơưâêôă"}, {0xF5, 0x0303, 0, "aeiouyơưâêôă"},
	{0xEF, 0x0323, 0, "aeiouyơưâêôă"},
	{0xE2, 0x0302, 0, "aeo"}, {0xE1, 0x0302, 0x0301, "aeo"},
	{0xE0, 0x0302, 0x0300, "aeo"}, {0xE5, 0x0302, 0x0309, "aeo"},
	{0xE3, 0x0302, 0x0303, "aeo"}, {0xE4, 0x0302, 0x0323, "aeo"},
	{0xEA, 0x0306, 0, "a"}, {0xE9, 0x0306, 0x0301, "a"},
	{0xE8, 0x0306, 0x0300, "a"}, {0xFA, 0x0306, 0x0309, "a"},
	{0xFC, 0x0306, 0x0303, "a"}, {0xEB, 0x0306, 0x0323, "a"},
};
#define NVNI	(sizeof(vni_marks) / sizeof(vni_marks[0]))

/* VNI bytes that are whole letters (small form; capital is - 0x20). */
static const struct {
	uint8_t byte;
	uint32_t small, cap;
} vni_letters[] = {
	{0xF4, 0x01A1, 0x01A0},	/* ô: ơ */
	{0xF6, 0x01B0, 0x01AF},	/* ö: ư */
	{0xF1, 0x0111, 0x0110},	/* ñ: đ */
	{0xED, 0x00ED, 0x00CD},	/* í */
	{0xEC, 0x00EC, 0x00CC},	/* ì */
	{0xE6, 0x1EC9, 0x1EC8},	/* æ: ỉ */
	{0xF3, 0x0129, 0x0128},	/* ó: ĩ */
	{0xF2, 0x1ECB, 0x1ECA},	/* ò: ị */
};

static const char *const common[] = {
	"của", "và", "các", "được", "ngày", "tháng", "năm", "việt", "cộng",
	"hòa", "hoà", "độc", "lập", "tự", "hạnh", "phúc", "số", "người",
	"thực", "hiện", "về", "việc", "công", "văn", "đơn", "vị", "tỉnh",
	"nhân", "dân", "quyết", "định", "những", "trên", "để", "với", "có",
	"không", "theo", "nội", "vụ", "ủy", "uỷ", "báo", "cáo", "chủ", "tịch",
	"giám", "đốc", "nơi", "nhận", "lưu", "hội", "nghĩa", "xã", NULL,
};

struct cps {
	uint32_t *v;
	size_t  n;
	size_t  cap;
};

static void
cps_add(struct cps *c, uint32_t cp)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n++] = cp;
}

static void
decode(const char *s, struct cps *out)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;
	size_t  len = strlen(s), i = 0;

	while (i < len && out->n < MAX_CP) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, len - i, &cp);

		if (n <= 0)
			n = 1, cp = 0xFFFD;
		cps_add(out, cp);
		i += n;
	}
}

static char *
encode_nfc(const struct cps *c)
{
	char   *buf = xmalloc(c->n * 4 + 1), *r;
	size_t  o = 0;

	for (size_t i = 0; i < c->n; i++)
		o += utf8proc_encode_char(c->v[i], (utf8proc_uint8_t *) buf + o);
	r = text_nfc(buf, o);
	free(buf);
	return r;
}

static int
is_letter(uint32_t cp)
{
	utf8proc_category_t k = utf8proc_category(cp);

	return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
	    k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_MN;
}

/* TCVN3, then capitals where the line or the word is in capitals. */
static void
from_tcvn3(const struct cps *in, struct cps *out)
{
	uint8_t *conv = xcalloc(in->n + 1, 1);
	size_t  ls = 0;

	for (size_t i = 0; i < in->n; i++) {
		uint32_t cp = in->v[i];
		uint32_t nx = i + 1 < in->n ? in->v[i + 1] : 0;

		if (nx >= 0xA1 && nx <= 0xFF && tcvn3[nx - 0xA0])
			nx = tcvn3[nx - 0xA0];
		/*
		 * ư is 0xAD, the soft hyphen, which extraction often turns
		 * into '-': "L-u", "Nh- trên".  A hyphen between capitals
		 * ("QĐ-UBND") or between spaces stays.
		 */
		if (cp == 0xAD || (cp == '-' && i > 0 && is_letter(in->v[i - 1]) &&
		    (utf8proc_islower(nx) ||
		     (nx == ' ' && utf8proc_islower(in->v[i - 1]))))) {
			cps_add(out, 0x01B0);
			conv[i] = 1;
		} else if (cp >= 0xA1 && cp <= 0xFF && tcvn3[cp - 0xA0]) {
			cps_add(out, tcvn3[cp - 0xA0]);
			conv[i] = 1;
		} else {
			cps_add(out, cp);
		}
	}
	for (size_t i = 0; i <= out->n; i++) {
		size_t  up = 0, low = 0;

		if (i < out->n && out->v[i] != '\n')
			continue;
		/* The line [ls, i): count the letters TCVN3 did not code. */
		for (size_t k = ls; k < i; k++) {
			if (conv[k])
				continue;
			if (utf8proc_isupper(out->v[k]))
				up++;
			else if (utf8proc_islower(out->v[k]))
				low++;
		}
		for (size_t w = ls; w < i; ) {
			size_t  e = w, wu = 0, wl = 0;

			while (e < i && is_letter(out->v[e]))
				e++;
			for (size_t k = w; k < e; k++) {
				if (conv[k])
					continue;
				if (utf8proc_isupper(out->v[k]))
					wu++;
				else if (utf8proc_islower(out->v[k]))
					wl++;
			}
			/* "Sè" is Số, title case; "ñY" in a line of
			 * capitals is ỦY. */
			if ((wl == 0 && wu >= 2) ||
			    (wl == 0 && (wu == 0 || conv[w]) && low == 0 &&
			     up >= 3))
				for (size_t k = w; k < e; k++)
					if (conv[k])
						out->v[k] = utf8proc_toupper(
						    out->v[k]);
			w = e > w ? e : w + 1;
		}
		ls = i + 1;
	}
	free(conv);
}

static int
vni_after(const struct vni_mark *m, uint32_t base)
{
	utf8proc_uint8_t b[4];
	uint32_t lower = utf8proc_tolower(base);
	utf8proc_ssize_t n = utf8proc_encode_char(lower, b);
	const char *a = m->after;

	for (const char *p = a; *p; ) {
		size_t  k = (unsigned char) *p < 0x80 ? 1 : 2;

		if ((size_t) n == k && memcmp(p, b, k) == 0)
			return 1;
		p += k;
	}
	return 0;
}

static void
from_vni(const struct cps *in, struct cps *out)
{
	for (size_t i = 0; i < in->n; i++) {
		uint32_t cp = in->v[i], base;
		int     done = 0;

		/* A mark byte after a base letter. */
		if (out->n > 0 && cp >= 0xC0 && cp <= 0xFF) {
			base = out->v[out->n - 1];
			for (size_t k = 0; k < NVNI && !done; k++) {
				if (cp != vni_marks[k].byte &&
				    cp != (uint32_t) vni_marks[k].byte - 0x20)
					continue;
				if (!vni_after(&vni_marks[k], base))
					continue;
				/* Compose now so that a tone can follow. */
				cps_add(out, vni_marks[k].m1);
				if (vni_marks[k].m2)
					cps_add(out, vni_marks[k].m2);
				done = 1;
			}
			if (done) {
				/* Fold the base and its marks into one letter. */
				size_t  s = out->n - 1;
				utf8proc_int32_t buf[8];
				utf8proc_ssize_t r;

				while (s > 0 && utf8proc_category(out->v[s]) ==
				       UTF8PROC_CATEGORY_MN)
					s--;
				if (out->n - s <= 8) {
					memcpy(buf, out->v + s,
					       (out->n - s) * sizeof(*buf));
					r = utf8proc_normalize_utf32(buf,
					    out->n - s, UTF8PROC_COMPOSE |
					    UTF8PROC_STABLE);
					if (r > 0) {
						memcpy(out->v + s, buf,
						       r * sizeof(*buf));
						out->n = s + r;
					}
				}
				continue;
			}
		}
		for (size_t k = 0; k < sizeof(vni_letters) /
		     sizeof(vni_letters[0]) && !done; k++) {
			if (cp == vni_letters[k].byte) {
				cps_add(out, vni_letters[k].small);
				done = 1;
			} else if (cp == (uint32_t) vni_letters[k].byte - 0x20) {
				cps_add(out, vni_letters[k].cap);
				done = 1;
			}
		}
		if (!done)
			cps_add(out, cp);
	}
}

/* How many words of s, in small letters, are common Vietnamese words. */
static size_t
common_hits(const char *s)
{
	char   *low = (char *) utf8proc_NFKC_Casefold((const utf8proc_uint8_t *) s);
	size_t  hits = 0;
	char   *save = NULL;

	if (low == NULL)
		return 0;
	for (char *w = strtok_r(low, " \t\n\r,.;:()-/\"'", &save); w;
	     w = strtok_r(NULL, " \t\n\r,.;:()-/\"'", &save))
		for (int k = 0; common[k]; k++)
			if (strcmp(w, common[k]) == 0) {
				hits++;
				break;
			}
	free(low);
	return hits;
}

char *
aw_legacy_convert(const char *s)
{
	struct cps in = {0}, a = {0}, b = {0};
	size_t  viet = 0, latin = 0, base, ha, hb;
	char   *ta, *tb, *best = NULL;

	decode(s, &in);
	for (size_t i = 0; i < in.n; i++) {
		uint32_t cp = in.v[i];

		if ((cp >= 0x1EA0 && cp <= 0x1EF9) || cp == 0x0103 ||
		    cp == 0x0111 || cp == 0x01A1 || cp == 0x01B0 ||
		    (cp >= 0x0300 && cp <= 0x0323))
			viet++;
		else if (cp >= 0xA1 && cp <= 0xFF)
			latin++;
	}
	if (latin < 10 || viet * 4 > latin) {
		free(in.v);
		return NULL;
	}
	from_tcvn3(&in, &a);
	from_vni(&in, &b);
	ta = encode_nfc(&a);
	tb = encode_nfc(&b);
	base = common_hits(s);
	ha = common_hits(ta);
	hb = common_hits(tb);
	if (ha >= hb && ha >= base + MIN_HITS && ha >= 2 * base) {
		best = ta;
		ta = NULL;
	} else if (hb > ha && hb >= base + MIN_HITS && hb >= 2 * base) {
		best = tb;
		tb = NULL;
	}
	free(ta);
	free(tb);
	free(in.v);
	free(a.v);
	free(b.v);
	return best;
}
