/*
 * eval.c - run a loaded ruleset over one message.
 *
 * Rules run in order.  A rule without `for each document` tests its
 * condition once; one with it tests it for each document in turn, and its
 * actions then concern that document.  A matching rule's actions are
 * recorded in order and folded into the result (book, routing, headers,
 * disposition...); `stop` ends the evaluation after that rule.
 *
 * rules_eval() writes only to the result and to a context on its own
 * stack: case-folded and diacritic-folded copies of the strings it
 * compares are made once per call and kept in a small table keyed by the
 * string's address.  A pattern stopped by its limits counts as no match,
 * is listed in result->limits and logged; when that leaves a rule that
 * refuses, holds or marks secret unmatched, the message is held instead
 * (rule_undecided), so that a pattern made to give up lets nothing pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "log.h"
#include "rint.h"
#include "textnorm.h"
#include "xmalloc.h"

const char *const rule_action_names[RA__COUNT] = {
	[RA_BOOK] = "book",
	[RA_CATEGORY] = "category",
	[RA_DEPARTMENT] = "department",
	[RA_ROUTE] = "route",
	[RA_HEADER] = "header",
	[RA_SUBJECT_PREFIX] = "prefix-subject",
	[RA_REQUIRE_SIGNATURE] = "require-signature",
	[RA_REJECT] = "reject",
	[RA_TEMPFAIL] = "tempfail",
	[RA_QUARANTINE] = "quarantine",
	[RA_SKIP_REGISTRATION] = "skip-registration",
	[RA_FLAG] = "flag",
	[RA_SECRET] = "secret",
	[RA_LOG] = "log",
};

const char *const rule_disposition_names[RD__COUNT] = {
	[RD_ACCEPT] = "accept",
	[RD_QUARANTINE] = "quarantine",
	[RD_TEMPFAIL] = "tempfail",
	[RD_REJECT] = "reject",
};

struct fold_entry {
	const char *src;
	int     mode;		/* 0 case folded, 1 diacritics folded too */
	char   *val;
};

struct ctx {
	const struct msg_info *m;
	const struct analysis *a;
	struct rule_result *res;
	const struct rule *rule;
	int     limited;	/* a pattern gave up since this was cleared */
	struct fold_entry *tab;
	size_t  cap, used;
};

/* ---- folded copies, made once per call ---- */

static size_t
fold_hash(const char *src, int mode, size_t cap)
{
	uintptr_t h = (uintptr_t) src;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t) ((h >> 7) ^ (uintptr_t) mode) & (cap - 1);
}

static const char *
folded(struct ctx *c, const char *src, int mode)
{
	size_t  i;

	if (c->used * 2 >= c->cap) {
		struct fold_entry *old = c->tab;
		size_t  ocap = c->cap;

		c->cap = ocap ? ocap * 2 : 64;
		c->tab = xcalloc(c->cap, sizeof(*c->tab));
		for (size_t j = 0; j < ocap; j++) {
			if (old[j].src == NULL)
				continue;
			i = fold_hash(old[j].src, old[j].mode, c->cap);
			while (c->tab[i].src != NULL)
				i = (i + 1) & (c->cap - 1);
			c->tab[i] = old[j];
		}
		free(old);
	}
	i = fold_hash(src, mode, c->cap);
	while (c->tab[i].src != NULL) {
		if (c->tab[i].src == src && c->tab[i].mode == mode)
			return c->tab[i].val;
		i = (i + 1) & (c->cap - 1);
	}
	c->tab[i].src = src;
	c->tab[i].mode = mode;
	c->tab[i].val = str_fold(src, mode);
	c->used++;
	return c->tab[i].val;
}

static void
ctx_free(struct ctx *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->tab[i].val);
	free(c->tab);
}

/* ---- result building ---- */

static void
strv_add(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

static void
replace(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static struct rule_action *
action_add(struct ctx *c, enum rule_action_kind kind, int doc)
{
	struct rule_result *r = c->res;
	struct rule_action *ra;

	r->actions = xreallocarray(r->actions, r->nactions + 1,
				   sizeof(*r->actions));
	ra = &r->actions[r->nactions++];
	memset(ra, 0, sizeof(*ra));
	ra->kind = kind;
	ra->rule = xstrdup(c->rule->name);
	ra->doc = doc;
	return ra;
}

static void
dispose(struct rule_result *r, enum rule_disposition d, int code,
	const char *xcode, const char *text, const char *reason)
{
	if (d == RD_QUARANTINE && r->quarantine_reason == NULL)
		r->quarantine_reason = xstrdup(reason);
	if (d <= r->disposition)
		return;
	r->disposition = d;
	if (d == RD_REJECT || d == RD_TEMPFAIL) {
		r->smtp_code = code;
		snprintf(r->smtp_xcode, sizeof(r->smtp_xcode), "%s", xcode);
		replace(&r->smtp_text, text);
	}
}

static void
doc_flag(struct rule_result *r, int doc, const char *flag)
{
	struct rule_doc *d;

	if (doc < 0 || (size_t) doc >= r->ndocs)
		return;
	d = &r->docs[doc];
	for (size_t i = 0; i < d->nflags; i++)
		if (strcmp(d->flags[i], flag) == 0)
			return;
	strv_add(&d->flags, &d->nflags, flag);
}

static void
rcpt_add(struct rule_result *r, const char *addr)
{
	for (size_t i = 0; i < r->nrcpts_add; i++)
		if (strcasecmp(r->rcpts_add[i], addr) == 0)
			return;
	strv_add(&r->rcpts_add, &r->nrcpts_add, addr);
}

/* A document's name fit for an SMTP reply: Vietnamese letters lose their
 * marks but keep their case (Tờ trình -> To trinh), anything else that
 * is not printable ASCII becomes '_'; at most 80 characters. */
static char *
reply_name(const char *name)
{
	const utf8proc_uint8_t *p;
	char   *out = xmalloc(81);
	size_t  o = 0;

	p = (const utf8proc_uint8_t *) (name ? name : "unnamed");
	while (*p && o < 80) {
		utf8proc_int32_t cp, dec[4];
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
		utf8proc_ssize_t nd;
		int     bound = 0;

		if (n <= 0) {
			out[o++] = '_';
			p++;
			continue;
		}
		p += n;
		if (cp == 0x0110 || cp == 0x0111) {	/* Đ, đ */
			out[o++] = cp == 0x0110 ? 'D' : 'd';
			continue;
		}
		nd = utf8proc_decompose_char(cp, dec, 4, UTF8PROC_DECOMPOSE |
					     UTF8PROC_STRIPMARK, &bound);
		if (nd >= 1 && dec[0] > 32 && dec[0] < 127 && dec[0] != '%')
			out[o++] = (char) dec[0];
		else
			out[o++] = '_';
	}
	out[o] = 0;
	return out;
}

static void
require_signature(struct ctx *c, const struct action *a, int doc)
{
	const struct document *d = &c->a->docs[doc];
	struct rule_action *ra = action_add(c, RA_REQUIRE_SIGNATURE, doc);
	const char *verdict = sig_verdict_names[d->sig_verdict];

	ra->otherwise = a->otherwise;
	ra->satisfied = d->sig_verdict == SIG_VALID;
	ra->arg = xstrdup(verdict);
	if (ra->satisfied)
		return;
	if (a->otherwise == RD_REJECT) {
		char   *name = reply_name(d->name);
		char   *text = a->arg ? xstrdup(a->arg) :
		    xasprintf("Van ban %s khong co chu ky so hop le (%s) / "
			      "Document %s has no valid digital signature (%s)",
			      name, verdict, name, verdict);

		ra->code = a->code;
		snprintf(ra->xcode, sizeof(ra->xcode), "%s", a->xcode);
		ra->text = text;
		dispose(c->res, RD_REJECT, a->code, a->xcode, text, NULL);
		free(name);
	} else if (a->otherwise == RD_QUARANTINE) {
		char   *why = a->arg ? xstrdup(a->arg) :
		    xasprintf("document %s: signature %s",
			      d->name ? d->name : "?", verdict);

		ra->text = xstrdup(why);
		dispose(c->res, RD_QUARANTINE, 0, "", NULL, why);
		free(why);
	} else {
		char   *flag = xasprintf("signature-%s", verdict);

		doc_flag(c->res, doc, flag);
		free(flag);
	}
}

/* Carry out one action of the current rule, for document doc (-1: the
 * message, which for document-wide actions means every document). */
static void
act(struct ctx *c, const struct action *a, int doc)
{
	struct rule_result *r = c->res;
	struct rule_action *ra;

	if (a->kind == RA_REQUIRE_SIGNATURE) {
		if (doc >= 0)
			require_signature(c, a, doc);
		else
			for (size_t i = 0; i < c->a->ndocs; i++)
				require_signature(c, a, (int) i);
		return;
	}
	ra = action_add(c, a->kind, doc);
	ra->arg = a->arg ? xstrdup(a->arg) : NULL;
	ra->arg2 = a->arg2 ? xstrdup(a->arg2) : NULL;
	for (size_t i = 0; i < a->nlist; i++)
		strv_add(&ra->list, &ra->nlist, a->list[i]);
	ra->code = a->code;
	memcpy(ra->xcode, a->xcode, sizeof(ra->xcode));

	switch (a->kind) {
	case RA_BOOK:
		replace(&r->book, a->arg);
		break;
	case RA_CATEGORY:
		replace(&r->category, a->arg);
		break;
	case RA_DEPARTMENT:
		replace(&r->department, a->arg);
		break;
	case RA_ROUTE:
		replace(&r->lead, a->arg);
		rcpt_add(r, a->arg);
		for (size_t i = 0; i < a->nlist; i++)
			rcpt_add(r, a->list[i]);
		break;
	case RA_HEADER:
		r->headers = xreallocarray(r->headers, r->nheaders + 1,
					   sizeof(*r->headers));
		r->headers[r->nheaders].name = xstrdup(a->arg);
		r->headers[r->nheaders++].value = xstrdup(a->arg2);
		break;
	case RA_SUBJECT_PREFIX:
		replace(&r->subject_prefix, a->arg);
		break;
	case RA_REJECT:
	case RA_TEMPFAIL:
		ra->text = xstrdup(a->arg);
		dispose(r, a->kind == RA_REJECT ? RD_REJECT : RD_TEMPFAIL,
			a->code, a->xcode, a->arg, NULL);
		break;
	case RA_QUARANTINE:
		dispose(r, RD_QUARANTINE, 0, "", NULL, a->arg);
		break;
	case RA_SKIP_REGISTRATION:
		r->skip_registration = 1;
		break;
	case RA_FLAG:
	case RA_SECRET:
		for (size_t i = 0; i < r->ndocs; i++) {
			if (doc >= 0 && (size_t) doc != i)
				continue;
			if (a->kind == RA_SECRET)
				r->docs[i].secret = 1;
			else
				doc_flag(r, (int) i, a->arg);
		}
		break;
	case RA_LOG:
		strv_add(&r->logs, &r->nlogs, a->arg);
		break;
	case RA_REQUIRE_SIGNATURE:
	case RA__COUNT:
		break;
	}
}

/* ---- conditions ---- */

static void
limit_hit(struct ctx *c, const struct test *t, int doc, const char *what)
{
	struct rule_result *r = c->res;
	struct rule_limit *l;

	r->limits = xreallocarray(r->limits, r->nlimits + 1,
				  sizeof(*r->limits));
	l = &r->limits[r->nlimits++];
	l->rule = xstrdup(c->rule->name);
	l->doc = doc;
	l->pattern = xstrdup(regex_source(t->rx));
	l->what = xstrdup(what);
	c->limited = 1;
	log_warn("rules: %s: rule %s: pattern /%s/ stopped by its %s%s; "
		 "counted as no match", c->m->queue_id ? c->m->queue_id :
		 "NOQUEUE", c->rule->name, regex_source(t->rx), what,
		 doc >= 0 ? " on a document" : "");
}

/* Whether a rule would refuse, hold or mark secret when it matched. */
static int
rule_restricts(const struct rule *rule)
{
	for (size_t i = 0; i < rule->nactions; i++) {
		const struct action *a = &rule->actions[i];

		switch (a->kind) {
		case RA_REJECT:
		case RA_TEMPFAIL:
		case RA_QUARANTINE:
		case RA_SECRET:
			return 1;
		case RA_REQUIRE_SIGNATURE:
			if (a->otherwise != RD_ACCEPT)
				return 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/*
 * A pattern gave up while the rule was tested and the rule did not
 * match: had the pattern finished, it might have.  A rule that would have
 * refused the message or kept a document from leaving must not be passed
 * that way, so the message is held for a person to look at.
 */
static void
rule_undecided(struct ctx *c, int doc)
{
	char   *why;

	if (!rule_restricts(c->rule))
		return;
	why = xasprintf("rule %s undecided: a pattern gave up", c->rule->name);
	dispose(c->res, RD_QUARANTINE, 0, "", NULL, why);
	log_warn("rules: %s: rule %s undecided%s: message held",
		 c->m->queue_id ? c->m->queue_id : "NOQUEUE", c->rule->name,
		 doc >= 0 ? " on a document" : "");
	free(why);
}

static int
parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (s == NULL || *s == 0)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t) (*s - '0');
	}
	*v = n;
	return 0;
}

static int
compare(enum op op, int cmp)
{
	switch (op) {
	case OP_IS: return cmp == 0;
	case OP_LT: return cmp < 0;
	case OP_LE: return cmp <= 0;
	case OP_GT: return cmp > 0;
	case OP_GE: return cmp >= 0;
	default: return 0;
	}
}

static int
test_num(const struct test *t, uint64_t v)
{
	return compare(t->op, v < t->num ? -1 : v > t->num);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* One string value against a test. */
static int
test_str(struct ctx *c, const struct test *t, const char *s, int doc)
{
	const char *what = NULL;
	int     rc;

	if (s == NULL)
		return 0;
	if (t->op == OP_EXISTS)
		return *s != 0;
	if (t->op == OP_MATCHES) {
		const char *subj = regex_flags(t->rx) & RX_FOLD ?
		    folded(c, s, 1) : s;

		rc = regex_match(t->rx, subj, strlen(subj), &what);
		if (rc < 0)
			limit_hit(c, t, doc, what);
		return rc > 0;
	}
	if (t->type == FT_NUM) {
		uint64_t v;

		return parse_u64(s, &v) == 0 && test_num(t, v);
	}
	if (t->type == FT_DATE) {
		if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
			return 0;
		return compare(t->op, strncmp(s, t->date, 10));
	}

	const char *f = folded(c, s, t->folded);

	switch (t->op) {
	case OP_IS:
		return strcmp(f, t->str) == 0;
	case OP_CONTAINS:
		return strstr(f, t->str) != NULL;
	case OP_IN:
		return t->nlist > 0 && bsearch(&f, t->list, t->nlist,
					       sizeof(*t->list), strp_cmp);
	default:
		return 0;
	}
}

static int
test_enum(const struct test *t, int v)
{
	if (t->op == OP_IN)
		return (t->ilist >> v) & 1;
	return v == t->ival;
}

/*
 * A part passed over that the sender attached under a name (its own or
 * its archive's): a type not read, an encrypted archive entry, a part
 * past a limit.  An image the
 * HTML body shows is part of the body, not an attachment.
 */
static int
skipped_counts(const struct skipped *s)
{
	return (s->name != NULL || s->archive != NULL) && s->reason != NULL &&
	    strncmp(s->reason, "body:", 5) != 0;
}

static int
eval_test(struct ctx *c, const struct test *t, int doc)
{
	const struct msg_info *m = c->m;
	const struct document *d = NULL;

	if (FIELD_PER_DOC(t->field)) {
		if (doc < 0 || (size_t) doc >= c->a->ndocs)
			return 0;
		d = &c->a->docs[doc];
	}
	switch (t->field) {
	case F_DIRECTION:
		return test_enum(t, (int) m->direction);
	case F_OFFICIAL:
		return m->official != 0;
	case F_SENDER:
		return test_str(c, t, m->from, doc);
	case F_RECIPIENT:
		for (size_t i = 0; i < m->nrcpts; i++)
			if (test_str(c, t, m->rcpts[i], doc))
				return 1;
		return 0;
	case F_HEADER:
		for (size_t i = 0; i < m->nheaders; i++) {
			if (m->headers[i].name == NULL ||
			    strcasecmp(m->headers[i].name, t->header) != 0)
				continue;
			if (t->op == OP_EXISTS)
				return 1;
			if (test_str(c, t, m->headers[i].value, doc))
				return 1;
		}
		return 0;
	case F_SUBJECT:
		return test_str(c, t, m->subject, doc);
	case F_MSGSIZE:
		return t->op == OP_EXISTS || test_num(t, m->size);
	case F_DOCUMENTS:
		return t->op == OP_EXISTS || test_num(t, c->a->ndocs);
	case F_SKIPPED:
		for (size_t i = 0; i < c->a->nskipped; i++) {
			const struct skipped *s = &c->a->skipped[i];

			if (skipped_counts(s) && (test_str(c, t, s->name, doc) ||
						  test_str(c, t, s->archive, doc)))
				return 1;
		}
		return 0;
	case F_NAME:
		return test_str(c, t, d->name, doc);
	case F_ARCHIVE:
		return test_str(c, t, d->origin == ORIGIN_ARCHIVE ?
				d->origin_detail : NULL, doc);
	case F_TYPE:
		return test_str(c, t, d->type, doc);
	case F_SIZE:
		return t->op == OP_EXISTS || test_num(t, d->size);
	case F_SIGNATURE:
		return test_enum(t, (int) d->sig_verdict);
	case F_TEXT:
		return test_str(c, t, d->text, doc);
	case F_FACT:
		return test_str(c, t, d->facts.f[t->fact].value, doc);
	}
	return 0;
}

static int
eval_cond(struct ctx *c, const struct cond *k, int doc)
{
	switch (k->kind) {
	case C_TEST:
		return eval_test(c, k->t, doc);
	case C_NOT:
		return !eval_cond(c, k->a, doc);
	case C_AND:
		return eval_cond(c, k->a, doc) && eval_cond(c, k->b, doc);
	case C_OR:
		return eval_cond(c, k->a, doc) || eval_cond(c, k->b, doc);
	case C_ANY:
		for (size_t i = 0; i < c->a->ndocs; i++)
			if (eval_cond(c, k->a, (int) i))
				return 1;
		return 0;
	case C_ALL:
		/* No documents: false, so "all documents (...)" never
		 * holds for mail that has none. */
		if (c->a->ndocs == 0)
			return 0;
		for (size_t i = 0; i < c->a->ndocs; i++)
			if (!eval_cond(c, k->a, (int) i))
				return 0;
		return 1;
	}
	return 0;
}

static void
run_rule(struct ctx *c, const struct rule *rule)
{
	int     matched = 0;

	c->rule = rule;
	if (rule->per_doc) {
		for (size_t i = 0; i < c->a->ndocs; i++) {
			c->limited = 0;
			if (rule->cond && !eval_cond(c, rule->cond, (int) i)) {
				if (c->limited)
					rule_undecided(c, (int) i);
				continue;
			}
			if (!matched++)
				strv_add(&c->res->matched, &c->res->nmatched,
					 rule->name);
			for (size_t j = 0; j < rule->nactions; j++)
				act(c, &rule->actions[j], (int) i);
		}
	} else {
		c->limited = 0;
		if (rule->cond == NULL || eval_cond(c, rule->cond, -1)) {
			matched = 1;
			strv_add(&c->res->matched, &c->res->nmatched,
				 rule->name);
			for (size_t j = 0; j < rule->nactions; j++)
				act(c, &rule->actions[j], -1);
		} else if (c->limited) {
			rule_undecided(c, -1);
		}
	}
	(void) matched;
}

int
rules_eval(const struct ruleset *rs, const struct msg_info *m,
	   const struct analysis *a, struct rule_result *res)
{
	static const struct analysis none;
	struct ctx c;

	memset(res, 0, sizeof(*res));
	if (rs == NULL || m == NULL) {
		res->error = xstrdup("no ruleset or no message");
		return -1;
	}
	if (a == NULL)
		a = &none;
	if ((unsigned) m->direction >= DIR__COUNT) {
		res->error = xstrdup("message direction out of range");
		return -1;
	}
	for (size_t i = 0; i < a->ndocs; i++) {
		if ((unsigned) a->docs[i].sig_verdict >= SIG__COUNT) {
			res->error = xasprintf("document %zu: signature verdict "
					       "out of range", i);
			return -1;
		}
	}
	res->docs = xcalloc(a->ndocs ? a->ndocs : 1, sizeof(*res->docs));
	res->ndocs = a->ndocs;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.a = a;
	c.res = res;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *rule = &rs->rules[i];
		size_t  before = res->nmatched;

		if (!rule->enabled)
			continue;
		run_rule(&c, rule);
		if (rule->stop && res->nmatched > before)
			break;
	}
	ctx_free(&c);
	return 0;
}

void
rule_result_clear(struct rule_result *r)
{
	for (size_t i = 0; i < r->nmatched; i++)
		free(r->matched[i]);
	free(r->matched);
	for (size_t i = 0; i < r->nactions; i++) {
		struct rule_action *a = &r->actions[i];

		free(a->rule);
		free(a->arg);
		free(a->arg2);
		for (size_t j = 0; j < a->nlist; j++)
			free(a->list[j]);
		free(a->list);
		free(a->text);
	}
	free(r->actions);
	free(r->smtp_text);
	free(r->quarantine_reason);
	free(r->book);
	free(r->category);
	free(r->department);
	free(r->lead);
	for (size_t i = 0; i < r->nrcpts_add; i++)
		free(r->rcpts_add[i]);
	free(r->rcpts_add);
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->subject_prefix);
	for (size_t i = 0; i < r->nlogs; i++)
		free(r->logs[i]);
	free(r->logs);
	for (size_t i = 0; i < r->ndocs; i++) {
		for (size_t j = 0; j < r->docs[i].nflags; j++)
			free(r->docs[i].flags[j]);
		free(r->docs[i].flags);
	}
	free(r->docs);
	for (size_t i = 0; i < r->nlimits; i++) {
		free(r->limits[i].rule);
		free(r->limits[i].pattern);
		free(r->limits[i].what);
	}
	free(r->limits);
	free(r->error);
	memset(r, 0, sizeof(*r));
}
