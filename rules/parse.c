/*
 * parse.c - recursive descent parser of the rule language: files, rules
 * and actions; conditions are parsed in cond.c.
 *
 * parse_file() turns one file into rules appended to a ruleset.  All of
 * its state lives in a struct parser (parser.h).  Every error is reported
 * as "file:line:column: message" at the token that is wrong; after an
 * error the parser skips to the end of the statement (';' or '}') and
 * goes on, so that one run shows every error.  A rule with an error is
 * not kept.  Patterns are compiled and list files read here, once.
 *
 * The grammar (vanthu.rules(5) explains it for administrators):
 *
 *	file	:= { 'rule' name ['for' 'each' 'document'] ['disabled']
 *		     '{' ['when' cond ';'] { action ';' } '}'
 *		   | ('enable' | 'disable') name ';' }
 *	action	:= word [arguments]	(see parse_action)
 */
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser.h"
#include "xmalloc.h"

#define REJECT_TEXT \
	"Thu bi tu choi theo quy dinh / Message rejected by policy"
#define TEMPFAIL_TEXT \
	"Tam thoi chua nhan thu, vui long gui lai sau / Try again later"

void
p_next(struct parser *p)
{
	lex_next(&p->lx, &p->tok);
}

void
p_err(struct parser *p, int line, int col, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lex_error(&p->lx, line, col, "%s", msg);
}

/* "expected X, found Y" at the current token; a T_ERROR was reported. */
int
p_expected(struct parser *p, const char *what)
{
	const struct token *t = &p->tok;

	if (t->kind == T_ERROR)
		return -1;
	if (t->kind == T_IDENT)
		p_err(p, t->line, t->col, "expected %s, found '%s'", what,
		    t->text);
	else
		p_err(p, t->line, t->col, "expected %s, found %s", what,
		    tok_describe(t->kind));
	return -1;
}

int
p_is_word(const struct parser *p, const char *w)
{
	return p->tok.kind == T_IDENT && strcmp(p->tok.text, w) == 0;
}

int
p_accept(struct parser *p, const char *w)
{
	if (!p_is_word(p, w))
		return 0;
	p_next(p);
	return 1;
}

int
p_expect(struct parser *p, enum tok k)
{
	if (p->tok.kind != k)
		return p_expected(p, tok_describe(k));
	p_next(p);
	return 0;
}

/* Take the current token's text. */
char *
p_take(struct parser *p)
{
	char   *s = p->tok.text;

	p->tok.text = NULL;
	p_next(p);
	return s;
}

int
p_take_string(struct parser *p, const char *what, char **out)
{
	if (p->tok.kind != T_STRING)
		return p_expected(p, what);
	*out = p_take(p);
	return 0;
}

/* ---------------------------------------------------------------- */

static int
check_reply_text(struct parser *p, const char *s, int line, int col)
{
	for (const char *q = s; *q; q++) {
		if (*q < 32 || *q > 126 || *q == '%') {
			p_err(p, line, col, "reply text must be printable ASCII "
			    "without '%%' (write Vietnamese without "
			    "diacritics)");
			return -1;
		}
	}
	if (strlen(s) > 400) {
		p_err(p, line, col, "reply text longer than 400 characters");
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
			p_err(p, line, col, "reply code must be %dXX", cls);
			return -1;
		}
		a->code = (int) p->tok.num;
		p_next(p);
		line = p->tok.line;
		col = p->tok.col;
		if (p->tok.kind != T_DOTTED)
			return p_expected(p, "an enhanced status code");
		if (sscanf(p->tok.text, "%d.%u.%u%n", &c, &s, &d, &n) != 3 ||
		    n != (int) strlen(p->tok.text) || c != cls || s > 999 ||
		    d > 999) {
			p_err(p, line, col, "enhanced status code must be "
			    "%d.X.Y to go with %d", cls, a->code);
			return -1;
		}
		snprintf(a->xcode, sizeof(a->xcode), "%s", p->tok.text);
		p_next(p);
	}
	if (p->tok.kind == T_STRING) {
		if (check_reply_text(p, p->tok.text, p->tok.line,
				     p->tok.col) < 0)
			return -1;
		a->arg = p_take(p);
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
		p_err(p, line, col, "header name must start with X- and be at "
		    "most 76 characters");
		return -1;
	}
	for (const char *q = name; *q; q++) {
		if (*q <= 32 || *q >= 127 || *q == ':') {
			p_err(p, line, col, "header name may not contain '%c'",
			    *q > 32 && *q < 127 ? *q : '?');
			return -1;
		}
	}
	if (strpbrk(value, "\r\n") != NULL) {
		p_err(p, line, col - 0, "header value may not contain a line "
		    "break");
		return -1;
	}
	return 0;
}

/* A routed address goes to smfi_addrcpt as it is: one bare mailbox,
 * local@domain, nothing the MTA could read as more or other. */
static int
check_address(struct parser *p, const char *addr, int line, int col)
{
	const char *at = strrchr(addr, '@');

	for (const char *q = addr; *q; q++) {
		if ((unsigned char) *q <= 32 || *q == 127 ||
		    strchr("<>()[],;:\\\"", *q) != NULL) {
			p_err(p, line, col, "an address must be one bare "
			    "local@domain, without blanks, brackets, quotes "
			    "or lists");
			return -1;
		}
	}
	if (at == NULL || at == addr || at[1] == 0 || strlen(addr) > 254) {
		p_err(p, line, col, "an address must be local@domain of at "
		    "most 254 characters");
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
		return p_expected(p, "an action");
	w = p->tok.text;
	if (strcmp(w, "stop") == 0) {
		p_next(p);
		r->stop = 1;
		return 0;
	}
	if (strcmp(w, "when") == 0) {
		p_err(p, line, col, "'when' must come first in a rule, once");
		return -1;
	}
	for (int i = 0; i < RA__COUNT; i++)
		if (strcmp(w, rule_action_names[i]) == 0)
			kind = i;
	if (kind < 0) {
		p_err(p, line, col, "unknown action '%s'", w);
		return -1;
	}
	a.kind = kind;
	p_next(p);
	switch (a.kind) {
	case RA_BOOK:
	case RA_CATEGORY:
	case RA_DEPARTMENT:
	case RA_SUBJECT_PREFIX:
	case RA_FLAG:
	case RA_LOG:
		if (p_take_string(p, "a string", &a.arg) < 0)
			goto fail;
		if (a.arg[0] == 0) {
			p_err(p, line, col, "'%s' needs a non-empty string",
			    rule_action_names[a.kind]);
			goto fail;
		}
		if (a.kind == RA_SUBJECT_PREFIX &&
		    strpbrk(a.arg, "\r\n") != NULL) {
			p_err(p, line, col, "subject prefix may not contain a "
			    "line break");
			goto fail;
		}
		break;
	case RA_ROUTE: {
		int     al = p->tok.line, ac = p->tok.col;

		if (p_take_string(p, "the lead handler's address", &a.arg) < 0)
			goto fail;
		if (check_address(p, a.arg, al, ac) < 0)
			goto fail;
		if (p_accept(p, "with")) {
			do {
				char   *s = NULL;

				al = p->tok.line;
				ac = p->tok.col;
				if (p_take_string(p, "an address", &s) < 0)
					goto fail;
				a.list = xreallocarray(a.list, a.nlist + 1,
						       sizeof(*a.list));
				a.list[a.nlist++] = s;
				if (check_address(p, s, al, ac) < 0)
					goto fail;
			} while (p->tok.kind == T_COMMA && (p_next(p), 1));
		}
		break;
	}
	case RA_HEADER: {
		int     hl = p->tok.line, hc = p->tok.col;

		if (p_take_string(p, "a header name", &a.arg) < 0 ||
		    p_take_string(p, "a header value", &a.arg2) < 0)
			goto fail;
		if (check_header(p, a.arg, a.arg2, hl, hc) < 0)
			goto fail;
		break;
	}
	case RA_REQUIRE_SIGNATURE:
		a.otherwise = RD_ACCEPT;	/* tag */
		if (p_accept(p, "otherwise")) {
			if (p_accept(p, "reject")) {
				a.otherwise = RD_REJECT;
				/* Without a text, the reply names the
				 * document and its verdict. */
				if (parse_reply(p, &a, 5, NULL) < 0)
					goto fail;
			} else if (p_accept(p, "quarantine")) {
				a.otherwise = RD_QUARANTINE;
				if (p->tok.kind == T_STRING)
					a.arg = p_take(p);
			} else if (!p_accept(p, "tag")) {
				p_expected(p, "reject, quarantine or tag");
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
			a.arg = p_take(p);
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
		p_next(p);
	if (p->tok.kind == T_SEMI)
		p_next(p);
}

static int
parse_name(struct parser *p, char **out)
{
	if (p->tok.kind != T_IDENT && p->tok.kind != T_STRING)
		return p_expected(p, "a rule name");
	if (p->tok.kind == T_STRING && (p->tok.len == 0 ||
	    strpbrk(p->tok.text, " \t\n\"") != NULL)) {
		p_err(p, p->tok.line, p->tok.col, "a rule name may not be empty "
		    "or contain blanks or quotes");
		return -1;
	}
	*out = p_take(p);
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
	p_next(p);			/* 'rule' */
	if (parse_name(p, &r.name) < 0) {
		ok = 0;
		while (p->tok.kind != T_EOF && p->tok.kind != T_LBRACE)
			p_next(p);
	} else if ((dup = rule_find(p->rs, r.name)) != NULL) {
		p_err(p, r.line, r.col, "duplicate rule '%s', first defined at "
		    "%s:%d:%d", r.name, dup->file, dup->line, dup->col);
		ok = 0;
	}
	if (p_accept(p, "for")) {
		if (!p_accept(p, "each") || !p_accept(p, "document")) {
			p_expected(p, "'each document'");
			ok = 0;
		}
		r.per_doc = 1;
	}
	if (p_accept(p, "disabled"))
		r.enabled = 0;
	if (p->tok.kind != T_LBRACE) {
		if (ok)
			p_expected(p, "'{'");
		rule_clear(&r);
		/* Resynchronise on the next top-level statement. */
		while (p->tok.kind != T_EOF && !p_is_word(p, "rule"))
			p_next(p);
		return;
	}
	p_next(p);
	p->in_doc = r.per_doc;

	if (p_is_word(p, "when")) {
		p_next(p);
		r.cond = cond_parse(p);
		if (r.cond == NULL || p_expect(p, T_SEMI) < 0) {
			ok = 0;
			sync_statement(p);
		}
	}
	while (p->tok.kind != T_RBRACE && p->tok.kind != T_EOF) {
		if (p->nerrors > RULES_MAX_ERRORS)
			break;
		if (parse_action(p, &r) < 0 || p_expect(p, T_SEMI) < 0) {
			ok = 0;
			sync_statement(p);
		} else {
			seen_action = 1;
		}
	}
	p->in_doc = 0;
	if (p->tok.kind != T_RBRACE) {
		if (p->tok.kind != T_ERROR)
			p_err(p, r.line, r.col, "rule '%s' has no closing '}'",
			    r.name ? r.name : "?");
		ok = 0;
	} else {
		p_next(p);
	}
	if (ok && !seen_action && !r.stop) {
		p_err(p, r.line, r.col, "rule '%s' has no action", r.name);
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
	p_next(p);
	tg.line = p->tok.line;
	tg.col = p->tok.col;
	tg.enable = enable;
	if (parse_name(p, &tg.name) < 0 || p_expect(p, T_SEMI) < 0) {
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
	p_next(&p);
	while (p.tok.kind != T_EOF && p.nerrors <= RULES_MAX_ERRORS) {
		if (p_is_word(&p, "rule")) {
			parse_rule(&p);
		} else if (p_is_word(&p, "enable") || p_is_word(&p, "disable")) {
			parse_toggle(&p, p_is_word(&p, "enable"));
		} else {
			p_expected(&p, "'rule', 'enable' or 'disable'");
			do
				p_next(&p);
			while (p.tok.kind != T_EOF && !p_is_word(&p, "rule") &&
			       !p_is_word(&p, "enable") &&
			       !p_is_word(&p, "disable"));
		}
	}
	free(p.tok.text);
	free(p.dir);
	return p.nerrors;
}
