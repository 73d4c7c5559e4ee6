/*
 * match.c - PCRE2 patterns and folded strings for the rules.
 *
 * Patterns compile once, at load, with UTF, UCP and MATCH_INVALID_UTF
 * (text from mail may be damaged; it must not make matching fail), and
 * are JIT-compiled when the platform allows.  Every match runs under a
 * match limit, a depth limit and a heap limit, so a pathological pattern
 * such as (a+)+$ over a megabyte of text gives up within milliseconds:
 * regex_match() then returns -1 and says which limit stopped it.
 *
 * Match data is per thread (a pthread key, freed at thread exit), so
 * evaluation shares nothing mutable between threads.
 *
 * With RX_FOLD the pattern's literal non-ASCII characters are folded with
 * text_fold() (escapes and ASCII syntax are left alone) and the pattern is
 * caseless; the caller matches it against text_fold() of the subject.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "rint.h"
#include "textnorm.h"
#include "xmalloc.h"

#define RX_MATCH_LIMIT	200000
#define RX_DEPTH_LIMIT	2000
#define RX_HEAP_LIMIT	(20 * 1024)	/* KiB */

struct regex {
	pcre2_code *code;
	pcre2_match_context *mctx;
	char   *source;
	int     flags;
};

static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void
md_destroy(void *md)
{
	pcre2_match_data_free(md);
}

static void
md_init(void)
{
	if (pthread_key_create(&md_key, md_destroy) != 0)
		abort();
}

/* This thread's match data; one pair of offsets is all we ask for. */
static pcre2_match_data *
md_get(void)
{
	pcre2_match_data *md;

	pthread_once(&md_once, md_init);
	if ((md = pthread_getspecific(md_key)) == NULL) {
		if ((md = pcre2_match_data_create(1, NULL)) == NULL)
			abort();
		pthread_setspecific(md_key, md);
	}
	return md;
}

/* Fold only the runs of non-ASCII characters, so that \D, [A-Z] and
 * (?<Name>) keep their meaning. */
static char *
fold_pattern(const char *pat)
{
	size_t  cap = strlen(pat) + 1, o = 0;
	char   *out = xmalloc(cap);
	const char *p = pat;

	while (*p) {
		const char *s = p;
		char   *run, *f;
		size_t  fl;

		if ((unsigned char) *p < 0x80) {
			out[o++] = *p++;
			continue;
		}
		while (*p && (unsigned char) *p >= 0x80)
			p++;
		run = xstrndup(s, (size_t) (p - s));
		f = text_fold(run);
		fl = strlen(f);
		/* Folding may lengthen a character (U+FB03 -> ffi). */
		if (o + fl + (strlen(p) + 1) > cap) {
			cap = o + fl + strlen(p) + 1;
			out = xrealloc(out, cap);
		}
		memcpy(out + o, f, fl);
		o += fl;
		free(run);
		free(f);
	}
	out[o] = 0;
	return out;
}

struct regex *
regex_compile(const char *pattern, int flags, size_t *erroff, char *msg,
	      size_t msglen)
{
	struct regex *rx;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	char   *src = flags & RX_FOLD ? fold_pattern(pattern) : xstrdup(pattern);
	int     ec;
	PCRE2_SIZE off;

	if (flags & (RX_CASELESS | RX_FOLD))
		opts |= PCRE2_CASELESS;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR) src, PCRE2_ZERO_TERMINATED,
					 opts, &ec, &off, NULL);

	if (code == NULL) {
		PCRE2_UCHAR buf[256];
		size_t  chars = 0;

		pcre2_get_error_message(ec, buf, sizeof(buf));
		snprintf(msg, msglen, "%s", (char *) buf);
		/* Offsets count bytes of what was compiled; report
		 * characters.  Folding may shift them a little. */
		for (size_t i = 0; i < off && src[i]; i++)
			if (((unsigned char) src[i] & 0xC0) != 0x80)
				chars++;
		*erroff = chars;
		free(src);
		return NULL;
	}
	rx = xcalloc(1, sizeof(*rx));
	rx->code = code;
	rx->source = xstrdup(pattern);
	rx->flags = flags;
	free(src);
	/* JIT may be unavailable (no executable memory): interpret then. */
	(void) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	if ((rx->mctx = pcre2_match_context_create(NULL)) == NULL)
		abort();
	pcre2_set_match_limit(rx->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(rx->mctx, RX_DEPTH_LIMIT);
	pcre2_set_heap_limit(rx->mctx, RX_HEAP_LIMIT);
	return rx;
}

struct regex *
regex_free(struct regex *rx)
{
	if (rx == NULL)
		return NULL;
	pcre2_code_free(rx->code);
	pcre2_match_context_free(rx->mctx);
	free(rx->source);
	free(rx);
	return NULL;
}

int
regex_flags(const struct regex *rx)
{
	return rx->flags;
}

const char *
regex_source(const struct regex *rx)
{
	return rx->source;
}

int
regex_match(const struct regex *rx, const char *subject, size_t len,
	    const char **what)
{
	int     rc;

	rc = pcre2_match(rx->code, (PCRE2_SPTR) subject, len, 0, 0, md_get(),
			 rx->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
		*what = "match limit";
		break;
	case PCRE2_ERROR_DEPTHLIMIT:
		*what = "depth limit";
		break;
	case PCRE2_ERROR_HEAPLIMIT:
		*what = "heap limit";
		break;
	case PCRE2_ERROR_JIT_STACKLIMIT:
		*what = "JIT stack limit";
		break;
	default:
		*what = "matching error";
	}
	return -1;
}

char *
str_casefold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *) s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE |
			 UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0) {
		/* Invalid UTF-8: make it valid first. */
		char   *valid = text_nfc(s, strlen(s));
		char   *r;

		free(out);
		r = str_casefold(valid);
		free(valid);
		return r;
	}
	return (char *) out;
}

char *
str_fold(const char *s, int diacritics)
{
	return diacritics ? text_fold(s) : str_casefold(s);
}
