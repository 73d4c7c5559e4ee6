/*
 * rules.h - the administrator's rules: load them, evaluate them.
 *
 * This is the only header of rules/ that other modules include.  The
 * language is described in vanthu.rules(5).
 *
 * rules_load() reads one file, or every *.rules file of a directory in
 * name order, and compiles it once (PCRE2 with JIT).  It writes every
 * error it finds to `errors` as "file:line:column: message" and returns
 * NULL when there was at least one; a ruleset is never half loaded.
 *
 * A ruleset is read-only once loaded and reference counted, so the daemon
 * can swap in a new one on reload while workers finish with the old one;
 * rules_ref() and rules_unref() are thread-safe.
 *
 * rules_eval() reads the envelope and the analysis, touches nothing in the
 * ruleset and keeps its scratch state (folded strings, PCRE2 match data)
 * per call and per thread, so any number of threads may evaluate one
 * ruleset at once.  A pattern that exceeds its match or depth limit counts
 * as not matching; the result lists it under `limits` and a warning is
 * logged.  A rule that would refuse, hold or mark secret and is left
 * unmatched that way holds the message (RD_QUARANTINE).  It returns 0, or -1 with result->error set when its arguments
 * are unusable.
 */
#ifndef VANTHU_RULES_H
#define VANTHU_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "facts.h"

struct ruleset;
struct json_object;

/* Every action the language has, in the order of rule_action_names[]. */
enum rule_action_kind {
	RA_BOOK,		/* arg: register book */
	RA_CATEGORY,		/* arg */
	RA_DEPARTMENT,		/* arg */
	RA_ROUTE,		/* arg: lead handler; list: co-operating */
	RA_HEADER,		/* arg: name, arg2: value */
	RA_SUBJECT_PREFIX,	/* arg */
	RA_REQUIRE_SIGNATURE,	/* otherwise, satisfied; arg: verdict */
	RA_REJECT,		/* code, xcode, text */
	RA_TEMPFAIL,		/* code, xcode, text */
	RA_QUARANTINE,		/* arg: reason */
	RA_SKIP_REGISTRATION,
	RA_FLAG,		/* arg: flag name */
	RA_SECRET,		/* keep content out of ordinary register/spool */
	RA_LOG,			/* arg: text to log as an alert */
	RA__COUNT
};

/* What the message finally gets, weakest first: the strongest wins. */
enum rule_disposition {
	RD_ACCEPT,
	RD_QUARANTINE,
	RD_TEMPFAIL,
	RD_REJECT,
	RD__COUNT
};

extern const char *const rule_action_names[RA__COUNT];
extern const char *const rule_disposition_names[RD__COUNT];

/* One action taken, in the order the rules took it.  Strings are owned
 * by the result. */
struct rule_action {
	enum rule_action_kind kind;
	char   *rule;		/* name of the rule that took it */
	int     doc;		/* document index, -1 for the whole message */
	char   *arg;
	char   *arg2;
	char  **list;
	size_t  nlist;
	int     code;		/* reject, tempfail: 550, 451 */
	char    xcode[12];	/* reject, tempfail: 5.7.1 */
	char   *text;		/* reject, tempfail: reply text, ASCII */
	enum rule_disposition otherwise;	/* require-signature */
	int     satisfied;	/* require-signature: the signature is valid */
};

struct rule_header {
	char   *name;
	char   *value;
};

/* What the rules decided about one document. */
struct rule_doc {
	int     secret;		/* keep out of ordinary register and spool */
	char  **flags;
	size_t  nflags;
};

/* A pattern stopped by its match or depth limit. */
struct rule_limit {
	char   *rule;
	int     doc;
	char   *pattern;
	char   *what;		/* "match limit", "depth limit", ... */
};

struct rule_result {
	char  **matched;	/* names of the rules that matched, in order */
	size_t  nmatched;
	struct rule_action *actions;
	size_t  nactions;

	enum rule_disposition disposition;
	int     smtp_code;	/* reject, tempfail */
	char    smtp_xcode[12];
	char   *smtp_text;
	char   *quarantine_reason;	/* of the first quarantine; acted on
					 * only when disposition says so */

	char   *book;		/* the last one set wins */
	char   *category;
	char   *department;
	char   *lead;		/* the last lead routed; every routed
				 * address is in rcpts_add, once */
	char  **rcpts_add;	/* for smfi_addrcpt, without duplicates */
	size_t  nrcpts_add;
	struct rule_header *headers;	/* for smfi_addheader */
	size_t  nheaders;
	char   *subject_prefix;	/* the last one set wins */
	int     skip_registration;
	char  **logs;		/* alerts to log, in order */
	size_t  nlogs;

	struct rule_doc *docs;	/* one per analysis document */
	size_t  ndocs;

	struct rule_limit *limits;
	size_t  nlimits;

	char   *error;		/* set when rules_eval() returns -1 */
};

struct ruleset *rules_load(const char *path, FILE *errors);
struct ruleset *rules_load_buffer(const char *name, const char *buf,
				  size_t len, FILE *errors);
struct ruleset *rules_ref(struct ruleset *);
struct ruleset *rules_unref(struct ruleset *);	/* returns NULL */
size_t  rules_count(const struct ruleset *);	/* rules, enabled or not */

int     rules_eval(const struct ruleset *, const struct msg_info *,
		   const struct analysis *, struct rule_result *);
void    rule_result_clear(struct rule_result *);

struct json_object *rule_result_json(const struct rule_result *);
void    rule_result_print(const struct rule_result *, FILE *);

#endif
