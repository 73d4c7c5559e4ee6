/*
 * cond.c - conditions of the rule language: fields, operators, values.
 *
 *	cond	:= and { 'or' and }
 *	and	:= unary { 'and' unary }
 *	unary	:= 'not' unary | '(' cond ')'
 *		 | ('any' | 'all') ('document' | 'documents') '(' cond ')'
 *		 | field ['not'] op [value]
 *	field	:= word | 'header' string
 *
 * Each test is checked when it is read: the field must exist, the
 * operator must suit the field's type, patterns must compile (PCRE2, at
 * load, once) and list files must be readable.  Values are stored folded
 * as the comparison needs them.  Nesting is capped at RULES_MAX_DEPTH.
 * On error: reported at the faulty token, NULL returned, nothing leaked.
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "xmalloc.h"

/* Fields of the language; document facts keep the names of fact_names[]
 * (facts_cover_every_fact in the unit tests holds them together). */
static const struct field_def fields[] = {
	{"direction", F_DIRECTION, FT_DIR, 0},
	{"official", F_OFFICIAL, FT_BOOL, 0},
	{"sender", F_SENDER, FT_STR, 0},
	{"recipient", F_RECIPIENT, FT_STR, 0},
	{"header", F_HEADER, FT_STR, 0},
	{"subject", F_SUBJECT, FT_STR, 0},
	{"message-size", F_MSGSIZE, FT_NUM, 0},
	{"documents", F_DOCUMENTS, FT_NUM, 0},
	{"skipped", F_SKIPPED, FT_STR, 0},
	{"name", F_NAME, FT_STR, 0},
	{"archive", F_ARCHIVE, FT_STR, 0},
	{"type", F_TYPE, FT_STR, 0},
	{"size", F_SIZE, FT_NUM, 0},
	{"signature", F_SIGNATURE, FT_SIG, 0},
	{"text", F_TEXT, FT_STR, 0},
	{"signer", F_FACT, FT_STR, FACT_SIGNER_NAME},
	{"issuer", F_FACT, FT_STR, FACT_ISSUER},
	{"number", F_FACT, FT_NUM, FACT_NUMBER},
	{"symbol", F_FACT, FT_STR, FACT_SYMBOL},
	{"reference", F_FACT, FT_STR, FACT_REFERENCE},
	{"reference_printed", F_FACT, FT_STR, FACT_REFERENCE_PRINTED},
	{"year", F_FACT, FT_NUM, FACT_YEAR},
	{"date", F_FACT, FT_DATE, FACT_DATE},
	{"place", F_FACT, FT_STR, FACT_PLACE},
	{"type_code", F_FACT, FT_STR, FACT_TYPE_CODE},
	{"type_name", F_FACT, FT_STR, FACT_TYPE_NAME},
	{"summary", F_FACT, FT_STR, FACT_SUMMARY},
	{"urgency", F_FACT, FT_STR, FACT_URGENCY},
	{"secrecy", F_FACT, FT_STR, FACT_SECRECY},
	{"circulation", F_FACT, FT_STR, FACT_CIRCULATION},
	{"signer_name", F_FACT, FT_STR, FACT_SIGNER_NAME},
	{"signer_position", F_FACT, FT_STR, FACT_SIGNER_POSITION},
	{"signer_competence", F_FACT, FT_STR, FACT_SIGNER_COMPETENCE},
	{"recipients", F_FACT, FT_STR, FACT_RECIPIENTS},
};

const struct field_def *
field_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static struct test *
test_free(struct test *t)
{
	if (t == NULL)
		return NULL;
	free(t->header);
	free(t->str);
	regex_free(t->rx);
	for (size_t i = 0; i < t->nlist; i++)
		free(t->list[i]);
	free(t->list);
	free(t);
	return NULL;
}

struct cond *
cond_free(struct cond *c)
{
	if (c == NULL)
		return NULL;
	cond_free(c->a);
	cond_free(c->b);
	test_free(c->t);
	free(c);
	return NULL;
}

static struct cond *
cond_new(enum cond_kind k, struct cond *a, struct cond *b)
{
	struct cond *c = xcalloc(1, sizeof(*c));

	c->kind = k;
	c->a = a;
	c->b = b;
	return c;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* An enum value: a direction or a signature verdict. */
static int
enum_value(struct parser *p, enum ftype type, int *out)
{
	int     v = -1;

	if (p->tok.kind != T_IDENT)
		return p_expected(p, type == FT_DIR ? "a direction" :
				"a signature verdict");
	if (type == FT_DIR) {
		for (int i = 0; i < DIR__COUNT; i++)
			if (strcmp(p->tok.text, direction_names[i]) == 0)
				v = i;
	} else {
		v = sig_verdict_by_name(p->tok.text);
	}
	if (v < 0) {
		p_err(p, p->tok.line, p->tok.col, "unknown %s '%s'",
		    type == FT_DIR ? "direction" : "signature verdict",
		    p->tok.text);
		return -1;
	}
	*out = v;
	p_next(p);
	return 0;
}

static int
parse_list(struct parser *p, struct test *t)
{
	char  **v = NULL;
	size_t  n = 0;

	if (p_accept(p, "file")) {
		char   *name = NULL, *path, why[256];
		int     line = p->tok.line, col = p->tok.col;

		if (t->type == FT_DIR || t->type == FT_SIG)
			return p_expected(p, "'['");
		if (p_take_string(p, "a file name", &name) < 0)
			return -1;
		path = name[0] == '/' ? xstrdup(name) :
			xasprintf("%s/%s", p->dir, name);
		free(name);
		if (list_read(path, &v, &n, why, sizeof(why)) < 0) {
			p_err(p, line, col, "cannot read list %s: %s", path, why);
			free(path);
			return -1;
		}
		free(path);
	} else {
		if (p_expect(p, T_LBRACK) < 0)
			return -1;
		for (;;) {
			if (t->type == FT_DIR || t->type == FT_SIG) {
				int     e;

				if (enum_value(p, t->type, &e) < 0)
					goto fail;
				t->ilist |= 1u << e;
			} else {
				if (p->tok.kind != T_STRING) {
					p_expected(p, "a string");
					goto fail;
				}
				v = xreallocarray(v, n + 1, sizeof(*v));
				v[n++] = p_take(p);
			}
			if (p->tok.kind == T_RBRACK)
				break;
			if (p_expect(p, T_COMMA) < 0)
				goto fail;
		}
		p_next(p);
	}
	for (size_t i = 0; i < n; i++) {
		char   *f = str_fold(v[i], t->folded);

		free(v[i]);
		v[i] = f;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), strp_cmp);
	t->list = v;
	t->nlist = n;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return -1;
}

static int
parse_regex(struct parser *p, struct test *t)
{
	char    msg[256];
	size_t  off;
	int     flags = 0;

	if (p->tok.kind != T_REGEX)
		return p_expected(p, "a /pattern/");
	if (strchr(p->tok.flags, 'i'))
		flags |= RX_CASELESS;
	if (strchr(p->tok.flags, 'f'))
		flags |= RX_FOLD;
	t->rx = regex_compile(p->tok.text, flags, &off, msg, sizeof(msg));
	if (t->rx == NULL) {
		/* The column of the offending character: one for the
		 * slash, plus the characters before it. */
		p_err(p, p->tok.line, p->tok.col + 1 + (int) off,
		    "bad pattern: %s", msg);
		return -1;
	}
	p_next(p);
	return 0;
}

/* The value after a comparison operator. */
static int
parse_value(struct parser *p, struct test *t, const char *opname)
{
	switch (t->type) {
	case FT_NUM:
		if (p->tok.kind != T_NUMBER)
			return p_expected(p, "a number");
		t->num = p->tok.num;
		p_next(p);
		return 0;
	case FT_DATE:
		if (p->tok.kind != T_DATE)
			return p_expected(p, "a date (YYYY-MM-DD)");
		memcpy(t->date, p->tok.text, 10);
		p_next(p);
		return 0;
	case FT_DIR:
	case FT_SIG:
		return enum_value(p, t->type, &t->ival);
	case FT_STR:
		if (p->tok.kind != T_STRING)
			return p_expected(p, "a string");
		t->str = str_fold(p->tok.text, t->folded);
		p_next(p);
		return 0;
	case FT_BOOL:
		break;
	}
	p_err(p, p->tok.line, p->tok.col, "'%s' cannot compare this field",
	    opname);
	return -1;
}

static const char *
type_name(enum ftype t)
{
	switch (t) {
	case FT_STR: return "text";
	case FT_NUM: return "number";
	case FT_DATE: return "date";
	case FT_DIR: return "direction";
	case FT_SIG: return "signature verdict";
	case FT_BOOL: return "yes/no";
	}
	return "?";
}

static struct cond *
parse_test(struct parser *p)
{
	const struct field_def *fd;
	struct test *t;
	struct cond *c;
	int     line = p->tok.line, col = p->tok.col, negate = 0;
	int     oline, ocol;
	char    opname[32];

	if (p->tok.kind != T_IDENT) {
		p_expected(p, "a condition");
		return NULL;
	}
	fd = field_lookup(p->tok.text);
	if (fd == NULL) {
		p_err(p, line, col, "unknown field '%s'", p->tok.text);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->field = fd->id;
	t->type = fd->type;
	t->fact = fd->fact;
	p_next(p);
	if (t->field == F_HEADER && p_take_string(p, "a header name",
						&t->header) < 0)
		goto fail;

	if (t->type == FT_BOOL) {
		t->op = OP_TRUE;
		goto done;
	}
	if (p_accept(p, "not"))
		negate = 1;
	oline = p->tok.line;
	ocol = p->tok.col;
	snprintf(opname, sizeof(opname), "%s", p->tok.kind == T_IDENT ?
		 p->tok.text : tok_describe(p->tok.kind));

	switch (p->tok.kind) {
	case T_EQ: t->op = OP_IS; break;
	case T_NE: t->op = OP_IS; negate = !negate; break;
	case T_LT: t->op = OP_LT; break;
	case T_LE: t->op = OP_LE; break;
	case T_GT: t->op = OP_GT; break;
	case T_GE: t->op = OP_GE; break;
	case T_IDENT:
		if (strcmp(p->tok.text, "is") == 0)
			t->op = OP_IS;
		else if (strcmp(p->tok.text, "contains") == 0)
			t->op = OP_CONTAINS;
		else if (strcmp(p->tok.text, "matches") == 0)
			t->op = OP_MATCHES;
		else if (strcmp(p->tok.text, "in") == 0)
			t->op = OP_IN;
		else if (strcmp(p->tok.text, "exists") == 0)
			t->op = OP_EXISTS;
		else {
			p_err(p, oline, ocol, "unknown operator '%s'",
			    p->tok.text);
			goto fail;
		}
		break;
	default:
		p_expected(p, "an operator");
		goto fail;
	}
	p_next(p);
	if (t->op == OP_IS && p_accept(p, "not"))
		negate = !negate;

	/* Which operators make sense for which field. */
	int     ok;

	switch (t->op) {
	case OP_EXISTS:
		ok = t->type != FT_DIR && t->type != FT_SIG;
		break;
	case OP_IS:
		ok = 1;
		break;
	case OP_CONTAINS:
		ok = t->type == FT_STR;
		break;
	case OP_MATCHES:
		ok = t->type == FT_STR || t->field == F_FACT;
		break;
	case OP_IN:
		ok = t->type == FT_STR || t->type == FT_DIR ||
		     t->type == FT_SIG;
		break;
	default:
		ok = t->type == FT_NUM || t->type == FT_DATE;
	}
	if (!ok) {
		p_err(p, oline, ocol, "operator '%s' does not apply to %s field "
		    "'%s'", opname, type_name(t->type), fd->name);
		goto fail;
	}
	if (p_accept(p, "folded")) {
		if (t->type != FT_STR || t->op == OP_MATCHES ||
		    t->op == OP_EXISTS) {
			p_err(p, oline, ocol, "'folded' applies only to is, "
			    "contains and in on text (patterns use /f)");
			goto fail;
		}
		t->folded = 1;
	}
	switch (t->op) {
	case OP_EXISTS:
		break;
	case OP_MATCHES:
		if (parse_regex(p, t) < 0)
			goto fail;
		break;
	case OP_IN:
		if (parse_list(p, t) < 0)
			goto fail;
		break;
	default:
		if (parse_value(p, t, opname) < 0)
			goto fail;
	}
done:
	c = cond_new(C_TEST, NULL, NULL);
	c->t = t;
	if (negate)
		c = cond_new(C_NOT, c, NULL);
	return c;
fail:
	test_free(t);
	return NULL;
}


static struct cond *
parse_unary(struct parser *p)
{
	struct cond *c;

	if (p->depth >= RULES_MAX_DEPTH) {
		p_err(p, p->tok.line, p->tok.col, "conditions nested deeper "
		    "than %d", RULES_MAX_DEPTH);
		return NULL;
	}
	if (p_accept(p, "not")) {
		p->depth++;
		c = parse_unary(p);
		p->depth--;
		return c ? cond_new(C_NOT, c, NULL) : NULL;
	}
	if (p->tok.kind == T_LPAREN) {
		p_next(p);
		p->depth++;
		c = cond_parse(p);
		p->depth--;
		if (c == NULL)
			return NULL;
		if (p_expect(p, T_RPAREN) < 0)
			return cond_free(c);
		return c;
	}
	if (p_is_word(p, "any") || p_is_word(p, "all")) {
		int     all = p_is_word(p, "all");
		int     line = p->tok.line, col = p->tok.col;

		p_next(p);
		if (!p_accept(p, "document") && !p_accept(p, "documents")) {
			p_expected(p, "'document'");
			return NULL;
		}
		if (p->in_doc) {
			p_err(p, line, col, "'%s document' inside a condition "
			    "that already names one document",
			    all ? "all" : "any");
			return NULL;
		}
		if (p_expect(p, T_LPAREN) < 0)
			return NULL;
		p->in_doc = 1;
		p->depth++;
		c = cond_parse(p);
		p->depth--;
		p->in_doc = 0;
		if (c == NULL)
			return NULL;
		if (p_expect(p, T_RPAREN) < 0)
			return cond_free(c);
		return cond_new(all ? C_ALL : C_ANY, c, NULL);
	}
	c = parse_test(p);
	/* A document field outside any quantifier: any document. */
	if (c != NULL && !p->in_doc) {
		struct test *t = c->kind == C_NOT ? c->a->t : c->t;

		if (FIELD_PER_DOC(t->field))
			c = cond_new(C_ANY, c, NULL);
	}
	return c;
}

static struct cond *
parse_and(struct parser *p)
{
	struct cond *c = parse_unary(p), *r;

	while (c != NULL && p_accept(p, "and")) {
		if ((r = parse_unary(p)) == NULL)
			return cond_free(c);
		c = cond_new(C_AND, c, r);
	}
	return c;
}

struct cond *
cond_parse(struct parser *p)
{
	struct cond *c = parse_and(p), *r;

	while (c != NULL && p_accept(p, "or")) {
		if ((r = parse_and(p)) == NULL)
			return cond_free(c);
		c = cond_new(C_OR, c, r);
	}
	return c;
}
