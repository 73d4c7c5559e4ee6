/*
 * aw_facts_lines.c - lines, folding and patterns for the facts parser.
 *
 * Folding works one code point at a time with utf8proc (decompose, strip
 * marks, case fold; đ and Đ become d) so that every folded byte knows the
 * printed character it came from.  Patterns are PCRE2, compiled once per
 * process into a table that is never written again, and matched with a
 * match limit so that no line can make them run long.  Invalid UTF-8
 * never reaches them: lines come from text_nfc().
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include "aw_facts.h"
#include "aw_facts_int.h"
#include "log.h"
#include "textnorm.h"
#include "xmalloc.h"

/*
 * The patterns see folded text only.  Numbers of the body ("nhà số 5/12",
 * "Tổng số 15") do not match RE_REF: it wants "số" at the start of a line
 * and a symbol that starts with a letter.
 */
static const char *const fre_src[RE__COUNT] = {
	/* 1 number, 2 year; state: 3 symbol; Party: 4 code, 5 body */
	[RE_REF] = "^so\\s*[:.]?\\s*(\\d{1,7})\\s*"
	    "(?:/\\s*((?:19|20)\\d\\d)\\s*)?"
	    "(?:/\\s*([a-z][a-z0-9]{0,15}(?:\\s*-\\s*[a-z0-9]{1,15}){0,5})"
	    "|-\\s*([a-z][a-z0-9]{0,7})\\s*/\\s*"
	    "([a-z][a-z0-9]{0,15}(?:\\s*-\\s*[a-z0-9]{1,15}){0,3}))"
	    "(?![a-z0-9])",
	/* 1 place part, 2 day, 3 month, 4 year */
	[RE_DATE] = "^(.{0,160}?),\\s*ngay\\s*(\\d{1,2})\\s*thang\\s*"
	    "(\\d{1,2})\\s*nam\\s*(\\d{4})",
	[RE_DATE_BARE] = "^[\\s_*.-]*ngay\\s*(\\d{1,2})\\s*thang\\s*"
	    "(\\d{1,2})\\s*nam\\s*(\\d{4})",
	[RE_VV] = "^(?:v\\s*/\\s*v|ve\\s+viec)\\s*[:.]?\\s*",
	/* 1 competence as printed */
	[RE_COMPETENCE] = "^(t\\s*/\\s*m|tm|t\\.m|kt|k\\s*/\\s*t|tl|t\\s*/\\s*l|"
	    "tuq|q|thay mat|thua lenh|ky thay|thua uy quyen)\\s*[.:]?\\s+\\S",
	[RE_RECIPIENTS] = "^noi\\s*nhan\\s*:?\\s*",
	[RE_SEPARATOR] = "^[\\s_*=.~-]*$",
	[RE_MOTTO] = "^(?:cong hoa xa hoi chu nghia viet nam|"
	    "doc lap\\s*-\\s*tu do\\s*-\\s*hanh phuc|dang cong san viet nam)",
	[RE_BODY_START] = "^(?:can cu|kinh gui|thuc hien|theo de nghi|xet de "
	    "nghi|hom nay|dieu \\d|chuong [ivx\\d]|phan [ivx\\d]|[ivx]+\\.|\\d+\\.)",
	/* In a subject: "Công văn số 145-CV/TU V/v ..." */
	[RE_SUBJ_REF] = "(?:^|\\s)so\\s*[:.]?\\s*(\\d{1,7})\\s*"
	    "(?:/\\s*((?:19|20)\\d\\d)\\s*)?"
	    "(?:/\\s*([a-z][a-z0-9]{0,15}(?:-[a-z0-9]{1,15}){0,5})"
	    "|-\\s*([a-z][a-z0-9]{0,7})\\s*/\\s*([a-z][a-z0-9]{0,15}"
	    "(?:-[a-z0-9]{1,15}){0,3}))(?![a-z0-9])",
	/* In a file name, '/' written as '_': "15_QD-BNV.pdf" */
	[RE_FILE_REF] = "^(\\d{1,7})_(?:((?:19|20)\\d\\d)_)?"
	    "([a-z][a-z0-9]{0,15}(?:-[a-z0-9]{1,15}){1,5})(?![a-z0-9])",
	/* A reference cited in a line: "số 12", "12/BNV-VP" */
	[RE_CITATION] = "(?<![a-z0-9])so\\s*[:.]?\\s*\\d|\\d\\s*/\\s*[a-z0-9]",
};

static pcre2_code *fre_code[RE__COUNT];
static pcre2_match_context *fre_mctx;
static pthread_once_t fre_once = PTHREAD_ONCE_INIT;

static void
fre_init(void)
{
	for (int i = 0; i < RE__COUNT; i++) {
		int     err;
		PCRE2_SIZE erroff;

		fre_code[i] = pcre2_compile((PCRE2_SPTR) fre_src[i],
					    PCRE2_ZERO_TERMINATED,
					    PCRE2_UTF | PCRE2_UCP, &err,
					    &erroff, NULL);
		if (fre_code[i] == NULL)
			log_fatal("aw_facts: pattern %d does not compile at %zu",
				  i, (size_t) erroff);
	}
	fre_mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(fre_mctx, 200000);
	pcre2_set_depth_limit(fre_mctx, 2000);
}

int
fre_match(enum fre p, const char *s, size_t len, size_t off, size_t *ov,
	  int nov)
{
	pcre2_match_data *md;
	PCRE2_SIZE *v;
	int     rc;

	pthread_once(&fre_once, fre_init);
	md = pcre2_match_data_create_from_pattern(fre_code[p], NULL);
	rc = pcre2_match(fre_code[p], (PCRE2_SPTR) s, len, off, 0, md,
			 fre_mctx);
	if (rc > 0 && ov != NULL) {
		v = pcre2_get_ovector_pointer(md);
		for (int i = 0; i < nov; i++) {
			if (i < rc && v[2 * i] != PCRE2_UNSET) {
				ov[2 * i] = v[2 * i];
				ov[2 * i + 1] = v[2 * i + 1];
			} else {
				ov[2 * i] = ov[2 * i + 1] = (size_t) -1;
			}
		}
	}
	pcre2_match_data_free(md);
	return rc > 0;
}

char *
fold_map(const char *s, size_t len, size_t **mapp, size_t *flenp)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;
	size_t  cap = len * 2 + 8, o = 0, i = 0;
	char   *out = xmalloc(cap);
	size_t *map = mapp ? xreallocarray(NULL, cap, sizeof(*map)) : NULL;

	while (i < len) {
		utf8proc_int32_t cp, dec[8];
		utf8proc_ssize_t n, nd;
		int     bound = 0;

		n = utf8proc_iterate(p + i, len - i, &cp);
		if (n <= 0) {
			n = 1;
			cp = 0xFFFD;
		}
		if (cp == 0x0110 || cp == 0x0111) {
			dec[0] = 'd';
			nd = 1;
		} else {
			nd = utf8proc_decompose_char(cp, dec, 8,
			    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
			    UTF8PROC_CASEFOLD, &bound);
			if (nd < 0 || nd > 8) {
				dec[0] = cp;
				nd = 1;
			}
		}
		for (utf8proc_ssize_t k = 0; k < nd; k++) {
			utf8proc_uint8_t b[4];
			utf8proc_ssize_t nb = utf8proc_encode_char(dec[k], b);

			if (o + nb + 1 > cap) {
				cap *= 2;
				out = xrealloc(out, cap);
				if (map)
					map = xreallocarray(map, cap,
							    sizeof(*map));
			}
			for (utf8proc_ssize_t j = 0; j < nb; j++) {
				if (map)
					map[o] = i;
				out[o++] = b[j];
			}
		}
		i += n;
	}
	out[o] = 0;
	if (map)
		map[o] = len;
	if (mapp)
		*mapp = map;
	if (flenp)
		*flenp = o;
	return out;
}

char *
fline_orig(const struct fline *l, size_t fs, size_t fe)
{
	size_t  a, b;

	if (fs > l->flen)
		fs = l->flen;
	if (fe > l->flen)
		fe = l->flen;
	if (fe < fs)
		fe = fs;
	a = l->map[fs];
	b = l->map[fe];
	/* The end maps to the start of its character: take all of it. */
	if (fe > 0 && fe < l->flen && l->map[fe] == l->map[fe - 1]) {
		while (b < l->slen && ((unsigned char) l->s[b] & 0xC0) == 0x80)
			b++;
	}
	return xstrndup(l->s + a, b - a);
}

char *
trim_chars(char *s, const char *junk)
{
	size_t  n;
	char   *p = s;

	while (*p == ' ' || (*p && strchr(junk, *p)))
		p++;
	memmove(s, p, strlen(p) + 1);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || strchr(junk, s[n - 1])))
		s[--n] = 0;
	return s;
}

char *
str_nospace(const char *s)
{
	char   *r = xstrdup(s), *w = r;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && *p != '\t')
			*w++ = *p;
	*w = 0;
	return r;
}

/* The case of the next cased letter of s[*i..n), *i moved past it: 1
 * upper, -1 lower, 0 when none is left. */
static int
next_case(const char *s, size_t n, size_t *i)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;

	while (*i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + *i, n - *i, &cp);

		if (k <= 0)
			k = 1, cp = 0;
		*i += k;
		if (utf8proc_islower(cp))
			return -1;
		if (utf8proc_isupper(cp))
			return 1;
	}
	return 0;
}

int
str_upper(const char *s, size_t n)
{
	size_t  i = 0;
	int     c, letters = 0;

	while ((c = next_case(s, n, &i)) != 0) {
		if (c < 0)
			return 0;
		letters++;
	}
	return letters > 0;
}

int
str_lower_start(const char *s, size_t n)
{
	size_t  i = 0;

	return next_case(s, n, &i) < 0;
}

/* Letters' case of a printed line: upper (some letters, none lower) and
 * whether the first letter is lower case. */
static void
line_case(struct fline *l)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) l->s;
	size_t  i = 0;
	int     letters = 0, lower = 0, first = 1;

	l->lower_start = 0;
	while (i < l->slen) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, l->slen - i, &cp);

		if (n <= 0)
			n = 1, cp = 0;
		if (utf8proc_islower(cp)) {
			lower++;
			letters++;
			if (first)
				l->lower_start = 1;
			first = 0;
		} else if (utf8proc_isupper(cp)) {
			letters++;
			first = 0;
		} else if (cp >= '0' && cp <= '9' && first) {
			l->lower_start = 1;	/* "năm 2021" goes on */
			first = 0;
		}
		i += n;
	}
	l->upper = letters >= 2 && lower == 0;
}

static void
flines_add(struct flines *L, const char *s, size_t len)
{
	char   *buf, *w;
	struct fline *l;
	int     sp = 1;

	if (len > AW_FACTS_MAX_LINE) {
		len = AW_FACTS_MAX_LINE;
		/* Do not cut a character in two. */
		while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
			len--;
	}
	buf = xmalloc(len + 1);
	w = buf;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			if (!sp)
				*w++ = ' ';
			sp = 1;
			continue;
		}
		/* U+00A0 no-break space */
		if (c == 0xC2 && i + 1 < len && (unsigned char) s[i + 1] == 0xA0) {
			if (!sp)
				*w++ = ' ';
			sp = 1;
			i++;
			continue;
		}
		*w++ = c;
		sp = 0;
	}
	while (w > buf && w[-1] == ' ')
		w--;
	*w = 0;
	if (w == buf) {
		free(buf);
		return;
	}
	L->v = xreallocarray(L->v, L->n + 1, sizeof(*L->v));
	l = &L->v[L->n++];
	memset(l, 0, sizeof(*l));
	l->s = buf;
	l->slen = w - buf;
	l->f = fold_map(l->s, l->slen, &l->map, &l->flen);
	line_case(l);
}

void
flines_split(struct flines *L, const char *text, size_t len)
{
	char   *nfc = text_nfc(text, len);
	const char *p = nfc, *nl;

	L->v = NULL;
	L->n = 0;
	while (*p && L->n < AW_FACTS_MAX_LINES) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		flines_add(L, p, nl - p);
		p = *nl ? nl + 1 : nl;
	}
	free(nfc);
}

void
flines_free(struct flines *L)
{
	for (size_t i = 0; i < L->n; i++) {
		free(L->v[i].s);
		free(L->v[i].f);
		free(L->v[i].map);
	}
	free(L->v);
	L->v = NULL;
	L->n = 0;
}
