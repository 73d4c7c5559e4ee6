/*
 * aw_facts_sign.c - the end of a document: signer block and "Nơi nhận".
 *
 * The signer block is, from the top: an optional competence line ("KT. BỘ
 * TRƯỞNG", "T/M BAN THƯỜNG VỤ", "TL.", "TUQ."), the position in capitals,
 * room for the signature and seal (sometimes "(Đã ký)"), then the full name
 * in title case.  The name is looked for from the end of the text, and is
 * taken only when a line in capitals stands above it.  The recipients are
 * the dashed items under the last "Nơi nhận:".
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "aw_facts.h"
#include "aw_facts_int.h"
#include "xmalloc.h"

#define SIGN_LINES	40	/* from the end */
#define MAX_RECIPIENTS	60
#define RECIPIENTS_MAX	4000

/* "Nguyễn Văn An": 2 to 6 words, each a capital then small letters. */
static int
is_name(const struct fline *l)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) l->s;
	size_t  i = 0;
	int     words = 0, at_start = 1;

	if (l->slen > 80 || l->upper)
		return 0;
	while (i < l->slen) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, l->slen - i, &cp);

		if (n <= 0)
			return 0;
		if (cp == ' ') {
			if (at_start)
				return 0;
			at_start = 1;
		} else if (at_start) {
			if (!utf8proc_isupper(cp))
				return 0;
			words++;
			at_start = 0;
		} else if (!utf8proc_islower(cp)) {
			return 0;
		}
		i += n;
	}
	return words >= 2 && words <= 6;
}

/* "(Đã ký)", "(ký, đóng dấu)", "Đã ký": notes in the room for the seal. */
static int
is_seal_note(const struct fline *l)
{
	return l->s[0] == '(' || strcmp(l->f, "da ky") == 0 ||
	    strncmp(l->f, "da ky ", 6) == 0;
}

static int
is_competence(const struct fline *l, size_t *tok_end)
{
	size_t  ov[4];

	if (!fre_match(RE_COMPETENCE, l->f, l->flen, 0, ov, 2))
		return 0;
	*tok_end = ov[3];
	if (*tok_end < l->flen && l->f[*tok_end] == '.')
		(*tok_end)++;
	/* "Q." alone is a common word start: want capitals after it. */
	return l->upper;
}

static char *
join(char *a, const char *b, const char *sep)
{
	char   *t;

	if (a == NULL)
		return xstrdup(b);
	t = xasprintf("%s%s%s", a, sep, b);
	free(a);
	return t;
}

void
facts_signer(struct doc_facts *df, const struct parse_ctx *c)
{
	const struct flines *L = &c->L;
	size_t  lo = L->n > SIGN_LINES ? L->n - SIGN_LINES : 0;
	size_t  name = 0, top, tok = 0;
	ssize_t comp = -1;
	int     found = 0;
	char   *pos = NULL;

	for (size_t i = L->n; i-- > lo && !found; ) {
		size_t  j;

		if (!is_name(&L->v[i]))
			continue;
		for (j = i; j-- > lo && is_seal_note(&L->v[j]); )
			;
		if (j + 1 > lo && j < i && L->v[j].upper) {
			name = i;
			top = j;
			found = 1;
		}
	}
	if (!found)
		return;
	/* Lines in capitals above the name, up to the competence line. */
	for (size_t k = 0, j = top + 1; j-- > lo && k < 4; k++) {
		const struct fline *l = &L->v[j];

		if (is_seal_note(l))
			continue;
		if (!l->upper || fre_match(RE_RECIPIENTS, l->f, l->flen, 0,
					   NULL, 0))
			break;
		if (is_competence(l, &tok)) {
			comp = j;
			break;
		}
		top = j;
	}
	for (size_t j = top; j < name; j++)
		if (!is_seal_note(&L->v[j]) && L->v[j].upper)
			pos = join(pos, L->v[j].s, " ");
	if (df->f[FACT_SIGNER_NAME].value == NULL)
		fact_set(df, FACT_SIGNER_NAME, L->v[name].s, SRC_TEXT, 80);
	if (pos && df->f[FACT_SIGNER_POSITION].value == NULL)
		fact_set(df, FACT_SIGNER_POSITION, pos, SRC_TEXT, 80);
	free(pos);
	if (comp >= 0 && df->f[FACT_SIGNER_COMPETENCE].value == NULL) {
		char   *t = fline_orig(&L->v[comp], 0, tok);
		char   *n = str_nospace(t);

		fact_set(df, FACT_SIGNER_COMPETENCE, n, SRC_TEXT, 80);
		free(n);
		free(t);
	}
}

static char *
item_clean(const char *s)
{
	char   *t = xstrdup(s);

	trim_chars(t, "-+*\xE2\x80\xA2;,.");
	return t;
}

void
facts_recipients(struct doc_facts *df, const struct parse_ctx *c)
{
	const struct flines *L = &c->L;
	ssize_t at = -1;
	size_t  ov[2], items = 0;
	char   *list = NULL, *cur = NULL, *t;

	for (size_t i = L->n; i-- > 0; )
		if (fre_match(RE_RECIPIENTS, L->v[i].f, L->v[i].flen, 0, ov, 1)) {
			at = i;
			break;
		}
	if (at < 0 || df->f[FACT_RECIPIENTS].value != NULL)
		return;
	if (ov[1] < L->v[at].flen)
		cur = fline_orig(&L->v[at], ov[1], L->v[at].flen);
	for (size_t i = at + 1; i < L->n && items < MAX_RECIPIENTS; i++) {
		const struct fline *l = &L->v[i];
		size_t  tok;

		if (l->s[0] == '-' || l->s[0] == '+' ||
		    strncmp(l->s, "\xE2\x80\xA2", 3) == 0) {
			if (cur) {
				t = item_clean(cur);
				if (*t)
					list = join(list, t, "\n"), items++;
				free(t);
				free(cur);
			}
			cur = xstrdup(l->s);
		} else if (cur && l->lower_start && !is_competence(l, &tok)) {
			cur = join(cur, l->s, " ");
		} else {
			break;
		}
		if (list && strlen(list) > RECIPIENTS_MAX)
			break;
	}
	if (cur) {
		t = item_clean(cur);
		if (*t)
			list = join(list, t, "\n");
		free(t);
		free(cur);
	}
	if (list)
		fact_set(df, FACT_RECIPIENTS, list, SRC_TEXT, 80);
	free(list);
}
