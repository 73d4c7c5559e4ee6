/*
 * parse.c - recursive descent parser of the rule language.
 *
 * parse_file() turns one file into rules appended to a ruleset.  All of
 * its state lives in a struct parser.  Every error is reported as
 * "file:line:column: message" at the token that is wrong; after an error
 * the parser skips to the end of the statement (';' or '}') and goes on,
 * so that one run shows every error.  A rule with an error is not kept.
 * Patterns are compiled and list files read here, once.
 *
 * The grammar (vanthu.rules(5) explains it for administrators):
 *
 *	file	:= { 'rule' name ['for' 'each' 'document'] ['disabled']
 *		     '{' ['when' cond ';'] { action ';' } '}'
 *		   | ('enable' | 'disable') name ';' }
 *	cond	:= and { 'or' and }
 *	and	:= unary { 'and' unary }
 *	unary	:= 'not' unary | '(' cond ')'
 *		 | ('any' | 'all') ('document' | 'documents') '(' cond ')'
 *		 | field ['not'] op
 *	field	:= word | 'header' string
 */
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rint.h"
#include "xmalloc.h"

#define REJECT_TEXT \
	"Thu bi tu choi theo quy dinh / Message rejected by policy"
#define TEMPFAIL_TEXT \
	"Tam thoi chua nhan thu, vui long gui lai sau / Try again later"

struct parser {
	struct lexer lx;
	struct token tok;
	struct ruleset *rs;
	const char *file;
	char   *dir;		/* for relative list file names */
	int     nerrors;
	int     depth;
	int     in_doc;		/* document fields refer to one document */
};

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
	{"name", F_NAME, FT_STR, 0},
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

static void
next(struct parser *p)
{
	lex_next(&p->lx, &p->tok);
}

static void
err(struct parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
err(struct parser *p, int line, int col, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lex_error(&p->lx, line, col, "%s", msg);
}

/* "expected X, found Y" at the current token; a T_ERROR was reported. */
static int
expected(struct parser *p, const char *what)
{
	const struct token *t = &p->tok;

	if (t->kind == T_ERROR)
		return -1;
	if (t->kind == T_IDENT)
		err(p, t->line, t->col, "expected %s, found '%s'", what,
		    t->text);
	else
		err(p, t->line, t->col, "expected %s, found %s", what,
		    tok_describe(t->kind));
	return -1;
}

static int
is_word(const struct parser *p, const char *w)
{
	return p->tok.kind == T_IDENT && strcmp(p->tok.text, w) == 0;
}

static int
accept_word(struct parser *p, const char *w)
{
	if (!is_word(p, w))
		return 0;
	next(p);
	return 1;
}

static int
expect(struct parser *p, enum tok k)
{
	if (p->tok.kind != k)
		return expected(p, tok_describe(k));
	next(p);
	return 0;
}

/* Take the current token's text. */
static char *
take(struct parser *p)
{
	char   *s = p->tok.text;

	p->tok.text = NULL;
	next(p);
	return s;
}

static int
take_string(struct parser *p, const char *what, char **out)
{
	if (p->tok.kind != T_STRING)
		return expected(p, what);
	*out = take(p);
	return 0;
}

/* ---------------------------------------------------------------- */

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
		return expected(p, type == FT_DIR ? "a direction" :
				"a signature verdict");
	if (type == FT_DIR) {
		for (int i = 0; i < DIR__COUNT; i++)
			if (strcmp(p->tok.text, direction_names[i]) == 0)
				v = i;
	} else {
		v = sig_verdict_by_name(p->tok.text);
	}
	if (v < 0) {
		err(p, p->tok.line, p->tok.col, "unknown %s '%s'",
		    type == FT_DIR ? "direction" : "signature verdict",
		    p->tok.text);
		return -1;
	}
	*out = v;
	next(p);
	return 0;
}

static int
parse_list(struct parser *p, struct test *t)
{
	char  **v = NULL;
	size_t  n = 0;

	if (accept_word(p, "file")) {
		char   *name = NULL, *path, why[256];
		int     line = p->tok.line, col = p->tok.col;

		if (t->type == FT_DIR || t->type == FT_SIG)
			return expected(p, "'['");
		if (take_string(p, "a file name", &name) < 0)
			return -1;
		path = name[0] == '/' ? xstrdup(name) :
			xasprintf("%s/%s", p->dir, name);
		free(name);
		if (list_read(path, &v, &n, why, sizeof(why)) < 0) {
			err(p, line, col, "cannot read list %s: %s", path, why);
			free(path);
			return -1;
		}
		free(path);
	} else {
		if (expect(p, T_LBRACK) < 0)
			return -1;
		for (;;) {
			if (t->type == FT_DIR || t->type == FT_SIG) {
				int     e;

				if (enum_value(p, t->type, &e) < 0)
					goto fail;
				t->ilist |= 1u << e;
			} else {
				if (p->tok.kind != T_STRING) {
					expected(p, "a string");
					goto fail;
				}
				v = xreallocarray(v, n + 1, sizeof(*v));
				v[n++] = take(p);
			}
			if (p->tok.kind == T_RBRACK)
				break;
			if (expect(p, T_COMMA) < 0)
				goto fail;
		}
		next(p);
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
		return expected(p, "a /pattern/");
	if (strchr(p->tok.flags, 'i'))
		flags |= RX_CASELESS;
	if (strchr(p->tok.flags, 'f'))
		flags |= RX_FOLD;
	t->rx = regex_compile(p->tok.text, flags, &off, msg, sizeof(msg));
	if (t->rx == NULL) {
		/* The column of the offending character: one for the
		 * slash, plus the characters before it. */
		err(p, p->tok.line, p->tok.col + 1 + (int) off,
		    "bad pattern: %s", msg);
		return -1;
	}
	next(p);
	return 0;
}

/* The value after a comparison operator. */
static int
parse_value(struct parser *p, struct test *t, const char *opname)
{
	switch (t->type) {
	case FT_NUM:
		if (p->tok.kind != T_NUMBER)
			return expected(p, "a number");
		t->num = p->tok.num;
		next(p);
		return 0;
	case FT_DATE:
		if (p->tok.kind != T_DATE)
			return expected(p, "a date (YYYY-MM-DD)");
		memcpy(t->date, p->tok.text, 10);
		next(p);
		return 0;
	case FT_DIR:
	case FT_SIG:
		return enum_value(p, t->type, &t->ival);
	case FT_STR:
		if (p->tok.kind != T_STRING)
			return expected(p, "a string");
		t->str = str_fold(p->tok.text, t->folded);
		next(p);
		return 0;
	case FT_BOOL:
		break;
	}
	err(p, p->tok.line, p->tok.col, "'%s' cannot compare this field",
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
		expected(p, "a condition");
		return NULL;
	}
	fd = field_lookup(p->tok.text);
	if (fd == NULL) {
		err(p, line, col, "unknown field '%s'", p->tok.text);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->field = fd->id;
	t->type = fd->type;
	t->fact = fd->fact;
	next(p);
	if (t->field == F_HEADER && take_string(p, "a header name",
						&t->header) < 0)
		goto fail;

	if (t->type == FT_BOOL) {
		t->op = OP_TRUE;
		goto done;
	}
	if (accept_word(p, "not"))
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
			err(p, oline, ocol, "unknown operator '%s'",
			    p->tok.text);
			goto fail;
		}
		break;
	default:
		expected(p, "an operator");
		goto fail;
	}
	next(p);
	if (t->op == OP_IS && accept_word(p, "not"))
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
		err(p, oline, ocol, "operator '%s' does not apply to %s field "
		    "'%s'", opname, type_name(t->type), fd->name);
		goto fail;
	}
	if (accept_word(p, "folded")) {
		if (t->type != FT_STR || t->op == OP_MATCHES ||
		    t->op == OP_EXISTS) {
			err(p, oline, ocol, "'folded' applies only to is, "
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

static struct cond *parse_or(struct parser *);

static struct cond *
parse_unary(struct parser *p)
{
	struct cond *c;

	if (p->depth >= RULES_MAX_DEPTH) {
		err(p, p->tok.line, p->tok.col, "conditions nested deeper "
		    "than %d", RULES_MAX_DEPTH);
		return NULL;
	}
	if (accept_word(p, "not")) {
		p->depth++;
		c = parse_unary(p);
		p->depth--;
		return c ? cond_new(C_NOT, c, NULL) : NULL;
	}
	if (p->tok.kind == T_LPAREN) {
		next(p);
		p->depth++;
		c = parse_or(p);
		p->depth--;
		if (c == NULL)
			return NULL;
		if (expect(p, T_RPAREN) < 0)
			return cond_free(c);
		return c;
	}
	if (is_word(p, "any") || is_word(p, "all")) {
		int     all = is_word(p, "all");
		int     line = p->tok.line, col = p->tok.col;

		next(p);
		if (!accept_word(p, "document") && !accept_word(p, "documents")) {
			expected(p, "'document'");
			return NULL;
		}
		if (p->in_doc) {
			err(p, line, col, "'%s document' inside a condition "
			    "that already names one document",
			    all ? "all" : "any");
			return NULL;
		}
		if (expect(p, T_LPAREN) < 0)
			return NULL;
		p->in_doc = 1;
		p->depth++;
		c = parse_or(p);
		p->depth--;
		p->in_doc = 0;
		if (c == NULL)
			return NULL;
		if (expect(p, T_RPAREN) < 0)
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

	while (c != NULL && accept_word(p, "and")) {
		if ((r = parse_unary(p)) == NULL)
			return cond_free(c);
		c = cond_new(C_AND, c, r);
	}
	return c;
}

static struct cond *
parse_or(struct parser *p)
{
	struct cond *c = parse_and(p), *r;

	while (c != NULL && accept_word(p, "or")) {
		if ((r = parse_and(p)) == NULL)
			return cond_free(c);
		c = cond_new(C_OR, c, r);
	}
	return c;
}

/* ---------------------------------------------------------------- */

static int
check_reply_text(struct parser *p, const char *s, int line, int col)
{
	for (const char *q = s; *q; q++) {
		if (*q < 32 || *q > 126 || *q == '%') {
			err(p, line, col, "reply text must be printable ASCII "
			    "without '%%' (write Vietnamese without "
			    "diacritics)");
			return -1;
		}
	}
	if (strlen(s) > 400) {
		err(p, line, col, "reply text longer than 400 characters");
		return -1;
	}
	return 0;
}

/* [code xcode] [text] after reject or tempfail; class 5 or 4. */
static int
parse_reply(struct parser *p, struct action *a, int cls, const char *deftext)
{
	a->code = cls == 5 ? 550 : 451;
	snprintf(a->xcode, sizeof(a->xcode), "%d.7.1", cls);
	if (p->tok.kind == T_NUMBER) {
		int     line = p->tok.line, col = p->tok.col;
		unsigned s, d;
		int     c, n = -1;

		if (p->tok.num < (uint64_t) cls * 100 ||
		    p->tok.num > (uint64_t) cls * 100 + 99 ||
		    strlen(p->tok.text) != 3) {
			err(p, line, col, "reply code must be %dXX", cls);
			return -1;
		}
		a->code = (int) p->tok.num;
		next(p);
		line = p->tok.line;
		col = p->tok.col;
		if (p->tok.kind != T_DOTTED)
			return expected(p, "an enhanced status code");
		if (sscanf(p->tok.text, "%d.%u.%u%n", &c, &s, &d, &n) != 3 ||
		    n != (int) strlen(p->tok.text) || c != cls || s > 999 ||
		    d > 999) {
			err(p, line, col, "enhanced status code must be "
			    "%d.X.Y to go with %d", cls, a->code);
			return -1;
		}
		snprintf(a->xcode, sizeof(a->xcode), "%s", p->tok.text);
		next(p);
	}
	if (p->tok.kind == T_STRING) {
		if (check_reply_text(p, p->tok.text, p->tok.line,
				     p->tok.col) < 0)
			return -1;
		a->arg = take(p);
	} else if (deftext != NULL) {
		a->arg = xstrdup(deftext);
	}
	return 0;
}

static int
check_header(struct parser *p, const char *name, const char *value,
	     int line, int col)
{
	if (*name == 0 || strlen(name) > 76 || strncasecmp(name, "X-", 2)) {
		err(p, line, col, "header name must start with X- and be at "
		    "most 76 characters");
		return -1;
	}
	for (const char *q = name; *q; q++) {
		if (*q <= 32 || *q >= 127 || *q == ':') {
			err(p, line, col, "header name may not contain '%c'",
			    *q > 32 && *q < 127 ? *q : '?');
			return -1;
		}
	}
	if (strpbrk(value, "\r\n") != NULL) {
		err(p, line, col - 0, "header value may not contain a line "
		    "break");
		return -1;
	}
	return 0;
}

static int
parse_action(struct parser *p, struct rule *r)
{
	struct action a;
	int     line = p->tok.line, col = p->tok.col;
	const char *w;
	int     kind = -1;

	memset(&a, 0, sizeof(a));
	if (p->tok.kind != T_IDENT)
		return expected(p, "an action");
	w = p->tok.text;
	if (strcmp(w, "stop") == 0) {
		next(p);
		r->stop = 1;
		return 0;
	}
	if (strcmp(w, "when") == 0) {
		err(p, line, col, "'when' must come first in a rule, once");
		return -1;
	}
	for (int i = 0; i < RA__COUNT; i++)
		if (strcmp(w, rule_action_names[i]) == 0)
			kind = i;
	if (kind < 0) {
		err(p, line, col, "unknown action '%s'", w);
		return -1;
	}
	a.kind = kind;
	next(p);
	switch (a.kind) {
	case RA_BOOK:
	case RA_CATEGORY:
	case RA_DEPARTMENT:
	case RA_SUBJECT_PREFIX:
	case RA_FLAG:
	case RA_LOG:
		if (take_string(p, "a string", &a.arg) < 0)
			goto fail;
		if (a.arg[0] == 0) {
			err(p, line, col, "'%s' needs a non-empty string",
			    rule_action_names[a.kind]);
			goto fail;
		}
		if (a.kind == RA_SUBJECT_PREFIX &&
		    strpbrk(a.arg, "\r\n") != NULL) {
			err(p, line, col, "subject prefix may not contain a "
			    "line break");
			goto fail;
		}
		break;
	case RA_ROUTE:
		if (take_string(p, "the lead handler's address", &a.arg) < 0)
			goto fail;
		if (accept_word(p, "with")) {
			do {
				char   *s = NULL;

				if (take_string(p, "an address", &s) < 0)
					goto fail;
				a.list = xreallocarray(a.list, a.nlist + 1,
						       sizeof(*a.list));
				a.list[a.nlist++] = s;
			} while (p->tok.kind == T_COMMA && (next(p), 1));
		}
		break;
	case RA_HEADER: {
		int     hl = p->tok.line, hc = p->tok.col;

		if (take_string(p, "a header name", &a.arg) < 0 ||
		    take_string(p, "a header value", &a.arg2) < 0)
			goto fail;
		if (check_header(p, a.arg, a.arg2, hl, hc) < 0)
			goto fail;
		break;
	}
	case RA_REQUIRE_SIGNATURE:
		a.otherwise = RD_ACCEPT;	/* tag */
		if (accept_word(p, "otherwise")) {
			if (accept_word(p, "reject")) {
				a.otherwise = RD_REJECT;
				/* Without a text, the reply names the
				 * document and its verdict. */
				if (parse_reply(p, &a, 5, NULL) < 0)
					goto fail;
			} else if (accept_word(p, "quarantine")) {
				a.otherwise = RD_QUARANTINE;
				if (p->tok.kind == T_STRING)
					a.arg = take(p);
			} else if (!accept_word(p, "tag")) {
				expected(p, "reject, quarantine or tag");
				goto fail;
			}
		}
		break;
	case RA_REJECT:
	case RA_TEMPFAIL:
		if (parse_reply(p, &a, a.kind == RA_REJECT ? 5 : 4,
				a.kind == RA_REJECT ? REJECT_TEXT :
				TEMPFAIL_TEXT) < 0)
			goto fail;
		break;
	case RA_QUARANTINE:
		if (p->tok.kind == T_STRING)
			a.arg = take(p);
		else
			a.arg = xstrdup("quarantined by rule");
		break;
	default:
		break;
	}
	r->actions = xreallocarray(r->actions, r->nactions + 1,
				   sizeof(*r->actions));
	r->actions[r->nactions++] = a;
	return 0;
fail:
	free(a.arg);
	free(a.arg2);
	for (size_t i = 0; i < a.nlist; i++)
		free(a.list[i]);
	free(a.list);
	return -1;
}

void
rule_clear(struct rule *r)
{
	free(r->name);
	free(r->file);
	cond_free(r->cond);
	for (size_t i = 0; i < r->nactions; i++) {
		struct action *a = &r->actions[i];

		free(a->arg);
		free(a->arg2);
		for (size_t j = 0; j < a->nlist; j++)
			free(a->list[j]);
		free(a->list);
	}
	free(r->actions);
	memset(r, 0, sizeof(*r));
}

/* Skip to the end of a statement: past ';', or up to '}' / EOF. */
static void
sync_statement(struct parser *p)
{
	while (p->tok.kind != T_EOF && p->tok.kind != T_RBRACE &&
	       p->tok.kind != T_SEMI)
		next(p);
	if (p->tok.kind == T_SEMI)
		next(p);
}

static int
parse_name(struct parser *p, char **out)
{
	if (p->tok.kind != T_IDENT && p->tok.kind != T_STRING)
		return expected(p, "a rule name");
	if (p->tok.kind == T_STRING && (p->tok.len == 0 ||
	    strpbrk(p->tok.text, " \t\n\"") != NULL)) {
		err(p, p->tok.line, p->tok.col, "a rule name may not be empty "
		    "or contain blanks or quotes");
		return -1;
	}
	*out = take(p);
	return 0;
}

static const struct rule *
rule_find(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].name, name) == 0)
			return &rs->rules[i];
	return NULL;
}

static void
parse_rule(struct parser *p)
{
	struct rule r;
	const struct rule *dup;
	int     ok = 1, seen_action = 0;

	memset(&r, 0, sizeof(r));
	r.enabled = 1;
	r.file = xstrdup(p->file);
	r.line = p->tok.line;
	r.col = p->tok.col;
	next(p);			/* 'rule' */
	if (parse_name(p, &r.name) < 0) {
		ok = 0;
		while (p->tok.kind != T_EOF && p->tok.kind != T_LBRACE)
			next(p);
	} else if ((dup = rule_find(p->rs, r.name)) != NULL) {
		err(p, r.line, r.col, "duplicate rule '%s', first defined at "
		    "%s:%d:%d", r.name, dup->file, dup->line, dup->col);
		ok = 0;
	}
	if (accept_word(p, "for")) {
		if (!accept_word(p, "each") || !accept_word(p, "document")) {
			expected(p, "'each document'");
			ok = 0;
		}
		r.per_doc = 1;
	}
	if (accept_word(p, "disabled"))
		r.enabled = 0;
	if (p->tok.kind != T_LBRACE) {
		if (ok)
			expected(p, "'{'");
		rule_clear(&r);
		/* Resynchronise on the next top-level statement. */
		while (p->tok.kind != T_EOF && !is_word(p, "rule"))
			next(p);
		return;
	}
	next(p);
	p->in_doc = r.per_doc;

	if (is_word(p, "when")) {
		next(p);
		r.cond = parse_or(p);
		if (r.cond == NULL || expect(p, T_SEMI) < 0) {
			ok = 0;
			sync_statement(p);
		}
	}
	while (p->tok.kind != T_RBRACE && p->tok.kind != T_EOF) {
		if (p->nerrors > RULES_MAX_ERRORS)
			break;
		if (parse_action(p, &r) < 0 || expect(p, T_SEMI) < 0) {
			ok = 0;
			sync_statement(p);
		} else {
			seen_action = 1;
		}
	}
	p->in_doc = 0;
	if (p->tok.kind != T_RBRACE) {
		if (p->tok.kind != T_ERROR)
			err(p, r.line, r.col, "rule '%s' has no closing '}'",
			    r.name ? r.name : "?");
		ok = 0;
	} else {
		next(p);
	}
	if (ok && !seen_action && !r.stop) {
		err(p, r.line, r.col, "rule '%s' has no action", r.name);
		ok = 0;
	}
	if (!ok) {
		rule_clear(&r);
		return;
	}
	p->rs->rules = xreallocarray(p->rs->rules, p->rs->nrules + 1,
				     sizeof(*p->rs->rules));
	p->rs->rules[p->rs->nrules++] = r;
}

static void
parse_toggle(struct parser *p, int enable)
{
	struct toggle tg;

	memset(&tg, 0, sizeof(tg));
	next(p);
	tg.line = p->tok.line;
	tg.col = p->tok.col;
	tg.enable = enable;
	if (parse_name(p, &tg.name) < 0 || expect(p, T_SEMI) < 0) {
		free(tg.name);
		sync_statement(p);
		return;
	}
	tg.file = xstrdup(p->file);
	p->rs->toggles = xreallocarray(p->rs->toggles, p->rs->ntoggles + 1,
				       sizeof(*p->rs->toggles));
	p->rs->toggles[p->rs->ntoggles++] = tg;
}

int
parse_file(struct ruleset *rs, const char *name, const char *buf, size_t len,
	   FILE *errors)
{
	struct parser p;
	char   *copy = xstrdup(name);

	memset(&p, 0, sizeof(p));
	p.rs = rs;
	p.file = name;
	p.dir = xstrdup(dirname(copy));
	free(copy);
	lex_init(&p.lx, name, buf, len, errors, &p.nerrors);
	if (memchr(buf, 0, len) != NULL) {
		lex_error(&p.lx, 1, 1, "file contains a NUL byte");
		free(p.dir);
		return p.nerrors;
	}
	next(&p);
	while (p.tok.kind != T_EOF && p.nerrors <= RULES_MAX_ERRORS) {
		if (is_word(&p, "rule")) {
			parse_rule(&p);
		} else if (is_word(&p, "enable") || is_word(&p, "disable")) {
			parse_toggle(&p, is_word(&p, "enable"));
		} else {
			expected(&p, "'rule', 'enable' or 'disable'");
			do
				next(&p);
			while (p.tok.kind != T_EOF && !is_word(&p, "rule") &&
			       !is_word(&p, "enable") &&
			       !is_word(&p, "disable"));
		}
	}
	free(p.tok.text);
	free(p.dir);
	return p.nerrors;
}
