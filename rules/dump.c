/*
 * dump.c - a rule result as JSON (json-c) or as text for people.
 *
 * rule_result_json() gives, in this key order:
 *	rules_matched	names of the rules that matched, in order
 *	actions		[{kind, rule, document?, ...arguments}], in order
 *	disposition	accept | quarantine | tempfail | reject
 *	smtp_reply	{code, xcode, text} when the message is refused
 *	then only when set: quarantine, book, category, department, lead,
 *	add_recipients, add_headers, subject_prefix, skip_registration,
 *	logs, documents [{index, secret, flags}], limits.
 * Keys with nothing to say are left out, so golden files stay short.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "rint.h"

static json_object *
strv_json(char *const *v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static void
put_str(json_object *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, k, json_object_new_string(v));
}

static json_object *
action_json(const struct rule_action *a)
{
	json_object *o = json_object_new_object();

	put_str(o, "kind", rule_action_names[a->kind]);
	put_str(o, "rule", a->rule);
	if (a->doc >= 0)
		json_object_object_add(o, "document",
				       json_object_new_int(a->doc));
	switch (a->kind) {
	case RA_BOOK:
	case RA_CATEGORY:
	case RA_DEPARTMENT:
		put_str(o, rule_action_names[a->kind], a->arg);
		break;
	case RA_ROUTE:
		put_str(o, "lead", a->arg);
		if (a->nlist)
			json_object_object_add(o, "cooperating",
					       strv_json(a->list, a->nlist));
		break;
	case RA_HEADER:
		put_str(o, "name", a->arg);
		put_str(o, "value", a->arg2);
		break;
	case RA_SUBJECT_PREFIX:
		put_str(o, "prefix", a->arg);
		break;
	case RA_REQUIRE_SIGNATURE:
		put_str(o, "verdict", a->arg);
		json_object_object_add(o, "satisfied",
				       json_object_new_boolean(a->satisfied));
		put_str(o, "otherwise", a->otherwise == RD_ACCEPT ? "tag" :
			rule_disposition_names[a->otherwise]);
		if (!a->satisfied && a->otherwise == RD_REJECT) {
			json_object_object_add(o, "code",
					       json_object_new_int(a->code));
			put_str(o, "xcode", a->xcode);
		}
		if (!a->satisfied)
			put_str(o, "text", a->text);
		break;
	case RA_REJECT:
	case RA_TEMPFAIL:
		json_object_object_add(o, "code", json_object_new_int(a->code));
		put_str(o, "xcode", a->xcode);
		put_str(o, "text", a->text);
		break;
	case RA_QUARANTINE:
		put_str(o, "reason", a->arg);
		break;
	case RA_FLAG:
		put_str(o, "flag", a->arg);
		break;
	case RA_LOG:
		put_str(o, "text", a->arg);
		break;
	case RA_SKIP_REGISTRATION:
	case RA_SECRET:
	case RA__COUNT:
		break;
	}
	return o;
}

struct json_object *
rule_result_json(const struct rule_result *r)
{
	json_object *o = json_object_new_object(), *a;

	json_object_object_add(o, "rules_matched",
			       strv_json(r->matched, r->nmatched));
	a = json_object_new_array();
	for (size_t i = 0; i < r->nactions; i++)
		json_object_array_add(a, action_json(&r->actions[i]));
	json_object_object_add(o, "actions", a);
	put_str(o, "disposition", rule_disposition_names[r->disposition]);
	if (r->disposition == RD_REJECT || r->disposition == RD_TEMPFAIL) {
		json_object *s = json_object_new_object();

		json_object_object_add(s, "code",
				       json_object_new_int(r->smtp_code));
		put_str(s, "xcode", r->smtp_xcode);
		put_str(s, "text", r->smtp_text);
		json_object_object_add(o, "smtp_reply", s);
	}
	put_str(o, "quarantine", r->quarantine_reason);
	put_str(o, "book", r->book);
	put_str(o, "category", r->category);
	put_str(o, "department", r->department);
	put_str(o, "lead", r->lead);
	if (r->nrcpts_add)
		json_object_object_add(o, "add_recipients",
				       strv_json(r->rcpts_add, r->nrcpts_add));
	if (r->nheaders) {
		a = json_object_new_array();
		for (size_t i = 0; i < r->nheaders; i++) {
			json_object *h = json_object_new_object();

			put_str(h, "name", r->headers[i].name);
			put_str(h, "value", r->headers[i].value);
			json_object_array_add(a, h);
		}
		json_object_object_add(o, "add_headers", a);
	}
	put_str(o, "subject_prefix", r->subject_prefix);
	if (r->skip_registration)
		json_object_object_add(o, "skip_registration",
				       json_object_new_boolean(1));
	if (r->nlogs)
		json_object_object_add(o, "logs", strv_json(r->logs, r->nlogs));
	a = NULL;
	for (size_t i = 0; i < r->ndocs; i++) {
		const struct rule_doc *d = &r->docs[i];
		json_object *j;

		if (!d->secret && d->nflags == 0)
			continue;
		if (a == NULL)
			a = json_object_new_array();
		j = json_object_new_object();
		json_object_object_add(j, "index", json_object_new_int((int) i));
		json_object_object_add(j, "secret",
				       json_object_new_boolean(d->secret));
		json_object_object_add(j, "flags",
				       strv_json(d->flags, d->nflags));
		json_object_array_add(a, j);
	}
	if (a != NULL)
		json_object_object_add(o, "documents", a);
	if (r->nlimits) {
		a = json_object_new_array();
		for (size_t i = 0; i < r->nlimits; i++) {
			json_object *j = json_object_new_object();

			put_str(j, "rule", r->limits[i].rule);
			if (r->limits[i].doc >= 0)
				json_object_object_add(j, "document",
				    json_object_new_int(r->limits[i].doc));
			put_str(j, "pattern", r->limits[i].pattern);
			put_str(j, "limit", r->limits[i].what);
			json_object_array_add(a, j);
		}
		json_object_object_add(o, "limits", a);
	}
	put_str(o, "error", r->error);
	return o;
}

void
rule_result_print(const struct rule_result *r, FILE *fp)
{
	if (r->nmatched == 0)
		fprintf(fp, "no rule matched\n");
	for (size_t i = 0; i < r->nmatched; i++)
		fprintf(fp, "matched: %s\n", r->matched[i]);
	for (size_t i = 0; i < r->nactions; i++) {
		const struct rule_action *a = &r->actions[i];

		fprintf(fp, "action: %s", rule_action_names[a->kind]);
		if (a->doc >= 0)
			fprintf(fp, " [document %d]", a->doc);
		if (a->kind == RA_REJECT || a->kind == RA_TEMPFAIL)
			fprintf(fp, " %d %s", a->code, a->xcode);
		if (a->kind == RA_REQUIRE_SIGNATURE)
			fprintf(fp, " %s", a->satisfied ? "satisfied" :
				"NOT satisfied");
		if (a->arg)
			fprintf(fp, " \"%s\"", a->arg);
		if (a->arg2)
			fprintf(fp, " \"%s\"", a->arg2);
		for (size_t j = 0; j < a->nlist; j++)
			fprintf(fp, "%s\"%s\"", j ? ", " : " with ", a->list[j]);
		if (a->text && a->kind == RA_REQUIRE_SIGNATURE)
			fprintf(fp, " \"%s\"", a->text);
		fprintf(fp, " (rule %s)\n", a->rule);
	}
	for (size_t i = 0; i < r->nlimits; i++)
		fprintf(fp, "limit: rule %s: /%s/ stopped by its %s\n",
			r->limits[i].rule, r->limits[i].pattern,
			r->limits[i].what);
	fprintf(fp, "disposition: %s", rule_disposition_names[r->disposition]);
	if (r->disposition == RD_REJECT || r->disposition == RD_TEMPFAIL)
		fprintf(fp, " %d %s %s", r->smtp_code, r->smtp_xcode,
			r->smtp_text);
	else if (r->disposition == RD_QUARANTINE)
		fprintf(fp, " (%s)", r->quarantine_reason);
	fputc('\n', fp);
}
