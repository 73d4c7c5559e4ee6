/*
 * correct.c - a clerk's correction of an entry, up to the backend: each
 * value is checked and put in the form the daemon itself writes (NFC
 * text, a type's code and name from ND30's list, an urgency mark in
 * capitals), so that a corrected entry reads, sorts and matches like one
 * read right the first time.
 */
#include <stdlib.h>
#include <string.h>

#include "aw_facts.h"
#include "store_impl.h"
#include "textnorm.h"
#include "xmalloc.h"

#define VALUE_MAX	2000	/* bytes; a summary is read up to 800 */

/* The urgency marks of ND30, as the daemon writes them. */
static const char *const urgencies[] = {"HỎA TỐC", "THƯỢNG KHẨN", "KHẨN"};

int
store_line_ok(const char *s, size_t max)
{
	const unsigned char *p;
	int	blank = 1;

	if (s == NULL || strlen(s) > max || !text_utf8_valid(s, strlen(s)))
		return 0;
	for (p = (const unsigned char *) s; *p != 0; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		/* C1 controls, U+0080..U+009F, are 0xc2 0x80..0x9f */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 0;
		if (*p != ' ')
			blank = 0;
	}
	return !blank;
}

/* The urgency mark that u names, diacritics and case ignored, or NULL. */
static const char *
urgency_of(const char *u)
{
	char   *f = text_fold(u), *g;
	const char *found = NULL;

	for (size_t i = 0; found == NULL &&
	     i < sizeof(urgencies) / sizeof(urgencies[0]); i++) {
		g = text_fold(urgencies[i]);
		if (strcmp(f, g) == 0)
			found = urgencies[i];
		free(g);
	}
	free(f);
	return found;
}

/*
 * The code of the type that t names: a code as printed ("QĐ", "qđ",
 * "QD") or a name ("Quyết định", "quyet dinh"); codes first, *by_name
 * saying which it was.  NULL for neither.
 */
static const char *
type_code_of(const char *t, int *by_name)
{
	const char *code = aw_facts_type_code(t);

	*by_name = code == NULL;
	return code != NULL ? code : aw_facts_type_code_by_name(t);
}

/*
 * v in NFC without the blanks around it into *out (with none at all
 * when squeeze: a reference is written without), "" kept as "", NULL
 * as NULL; -1 when v is not text on one line of at most VALUE_MAX
 * bytes.
 */
static int
text_value(const char *v, int squeeze, char **out)
{
	char   *t;
	size_t	b, e, o = 0;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (v[0] == 0) {
		*out = xstrdup("");
		return 0;
	}
	if (!store_line_ok(v, VALUE_MAX))
		return -1;
	t = text_nfc(v, strlen(v));
	for (b = 0; t[b] == ' '; b++)
		;
	for (e = strlen(t); e > b && t[e - 1] == ' '; e--)
		;
	for (size_t i = b; i < e; i++)
		if (!squeeze || t[i] != ' ')
			t[o++] = t[i];
	t[o] = 0;
	*out = t;
	return 0;
}

static void
values_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

int
store_correct(struct store *st, const char *id, const struct reg_correct *c,
	      const char *actor, const char *command, char other[STORE_ID_MAX],
	      char *err, size_t errlen)
{
	const char *in[] = {c->reference, c->issuer, c->summary, c->signer,
			    c->reason};
	static const char *const names[] = {"reference", "issuer", "summary",
					    "signer", "reason"};
	char   *v[5];
	struct reg_correct n = {0};
	const char *code = NULL;
	int	rc, by_name = 0;

	other[0] = 0;
	if (c->reason == NULL || c->reason[0] == 0) {
		store_err(err, errlen, "a correction needs a reason");
		return -1;
	}
	if (c->reference == NULL && c->issuer == NULL && c->date == NULL &&
	    c->type == NULL && c->summary == NULL && c->urgency == NULL &&
	    c->signer == NULL) {
		store_err(err, errlen, "nothing to correct");
		return -1;
	}
	if (c->date != NULL && c->date[0] != 0 && !store_date_valid(c->date)) {
		store_err(err, errlen, "bad date '%s': expected YYYY-MM-DD",
			  c->date);
		return -1;
	}
	if (c->type != NULL && c->type[0] != 0 &&
	    (code = type_code_of(c->type, &by_name)) == NULL) {
		store_err(err, errlen, "unknown type '%s': give a code or a "
			  "name of ND30's list, such as QĐ or Công văn", c->type);
		return -1;
	}
	if (c->urgency != NULL && c->urgency[0] != 0 &&
	    (n.urgency = urgency_of(c->urgency)) == NULL) {
		store_err(err, errlen, "unknown urgency '%s': HỎA TỐC, "
			  "THƯỢNG KHẨN or KHẨN, or \"\" for none", c->urgency);
		return -1;
	}
	for (size_t i = 0; i < 5; i++) {
		if (text_value(in[i], i == 0, &v[i]) < 0) {
			store_err(err, errlen, "the %s is 1 to %d bytes of text "
				  "on one line", names[i], VALUE_MAX);
			values_free(v, i);
			return -1;
		}
	}
	n.reference = v[0];
	n.issuer = v[1];
	n.summary = v[2];
	n.signer = v[3];
	n.reason = v[4];
	n.date = c->date;
	/* A type named by its name has no code when the name is công văn:
	 * a state body's công văn carries none.  "" clears both. */
	if (c->type != NULL) {
		n.type = code != NULL ? aw_facts_type_name(code) : "";
		n.type_code = code == NULL ? "" : by_name &&
		    strcmp(code, "CV") == 0 ? NULL : code;
	}
	if (c->urgency != NULL && c->urgency[0] == 0)
		n.urgency = "";
	pthread_mutex_lock(&st->lock);
	rc = st->be->correct(st, id, &n, actor, command, other, err, errlen);
	pthread_mutex_unlock(&st->lock);
	values_free(v, 5);
	return rc;
}
