/*
 * report.c - see report.h.
 */
#include <stdlib.h>

#include <json-c/json.h>

#include "report.h"

static struct json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *
report_facts(const struct doc_facts *df)
{
	struct json_object *facts = json_object_new_object();
	struct json_object *sources = json_object_new_object();

	for (int i = 0; i < FACT__COUNT; i++) {
		const struct fact *f = &df->f[i];

		json_object_object_add(facts, fact_names[i], jstr(f->value));
		if (f->value)
			json_object_object_add(sources, fact_names[i],
					       json_object_new_string(fact_source_names[f->source]));
	}
	json_object_object_add(facts, "sources", sources);
	return facts;
}

/* Where a detached signature came from: the file beside its document. */
static struct json_object *
report_sigfile_ref(const struct analysis *a, const struct signature *s)
{
	struct json_object *o;
	const struct document *f;

	if (!s->detached)
		return NULL;
	o = json_object_new_object();
	f = a && s->file < a->nsigfiles ? &a->sigfiles[s->file] : NULL;
	json_object_object_add(o, "name", f ? jstr(f->name) : NULL);
	json_object_object_add(o, "sha256", f ? jstr(f->sha256) : NULL);
	json_object_object_add(o, "part", f ? jstr(f->part) : NULL);
	return o;
}

static struct json_object *
report_signature(const struct analysis *a, const struct signature *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "verdict", json_object_new_string(sig_verdict_names[s->verdict]));
	json_object_object_add(o, "signer", jstr(s->signer));
	json_object_object_add(o, "organization", jstr(s->organization));
	json_object_object_add(o, "email", jstr(s->email));
	json_object_object_add(o, "issuer", jstr(s->issuer));
	json_object_object_add(o, "serial", jstr(s->serial));
	json_object_object_add(o, "signing_time", jstr(s->signing_time));
	json_object_object_add(o, "signing_time_source", jstr(s->signing_time_source));
	json_object_object_add(o, "subfilter", jstr(s->subfilter));
	json_object_object_add(o, "digest", jstr(s->digest));
	json_object_object_add(o, "covers_whole_file", json_object_new_boolean(s->covers_whole_file));
	json_object_object_add(o, "reason", jstr(s->reason));
	json_object_object_add(o, "file", report_sigfile_ref(a, s));
	return o;
}

/* What a document and a detached signature file both have: the file
 * itself and where in the message it came from. */
static struct json_object *
report_file(const struct document *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", jstr(d->name));
	json_object_object_add(o, "sha256", jstr(d->sha256));
	json_object_object_add(o, "size", json_object_new_uint64(d->size));
	json_object_object_add(o, "type", jstr(d->type));
	json_object_object_add(o, "declared_type", jstr(d->declared_type));
	json_object_object_add(o, "part", jstr(d->part));
	json_object_object_add(o, "origin", json_object_new_string(doc_origin_names[d->origin]));
	json_object_object_add(o, "origin_detail", jstr(d->origin_detail));
	return o;
}

struct json_object *
report_document(const struct analysis *a, const struct document *d)
{
	struct json_object *o = report_file(d);
	struct json_object *sigs = json_object_new_array();

	json_object_object_add(o, "kind", jstr(d->kind));
	json_object_object_add(o, "needs_ocr", json_object_new_boolean(d->needs_ocr));
	json_object_object_add(o, "text_from_signed_revision",
			       json_object_new_boolean(d->text_from_signed_revision));
	json_object_object_add(o, "facts", report_facts(&d->facts));
	for (size_t i = 0; i < d->nsigs; i++)
		json_object_array_add(sigs, report_signature(a, &d->sigs[i]));
	json_object_object_add(o, "signatures", sigs);
	json_object_object_add(o, "signature_verdict",
			       json_object_new_string(sig_verdict_names[d->sig_verdict]));
	return o;
}

struct json_object *
report_analysis_into(struct json_object *top, const struct analysis *a)
{
	struct json_object *docs = json_object_new_array();
	struct json_object *sigfiles = json_object_new_array();
	struct json_object *skipped = json_object_new_array();
	struct json_object *smime = json_object_new_object();

	for (size_t i = 0; i < a->ndocs; i++)
		json_object_array_add(docs, report_document(a, &a->docs[i]));
	for (size_t i = 0; i < a->nsigfiles; i++) {
		struct json_object *o = report_file(&a->sigfiles[i]);

		json_object_object_add(o, "signs",
				       json_object_new_uint64(a->sigfiles[i].signs));
		json_object_array_add(sigfiles, o);
	}
	for (size_t i = 0; i < a->nskipped; i++) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "part", jstr(a->skipped[i].part));
		json_object_object_add(s, "name", jstr(a->skipped[i].name));
		json_object_object_add(s, "reason", jstr(a->skipped[i].reason));
		json_object_object_add(s, "archive", jstr(a->skipped[i].archive));
		json_object_array_add(skipped, s);
	}
	json_object_object_add(smime, "verdict", json_object_new_string(
		sig_verdict_names[a->smime.present ? a->smime.verdict : SIG_ABSENT]));
	json_object_object_add(smime, "signer", jstr(a->smime.signer));
	json_object_object_add(smime, "from_matches", json_object_new_boolean(a->smime.from_matches));
	json_object_object_add(smime, "reason", jstr(a->smime.reason));
	json_object_object_add(top, "documents", docs);
	json_object_object_add(top, "signature_files", sigfiles);
	json_object_object_add(top, "skipped", skipped);
	json_object_object_add(top, "smime", smime);
	return top;
}

struct json_object *
report_message(const struct msg_info *mi, const struct outcome *o)
{
	struct json_object *top = json_object_new_object();
	struct json_object *env = json_object_new_object();
	struct json_object *rcpts = json_object_new_array();
	struct json_object *hdrs = json_object_new_array();
	struct json_object *added = json_object_new_array();

	json_object_object_add(top, "direction", json_object_new_string(direction_names[mi->direction]));
	json_object_object_add(top, "official", json_object_new_boolean(mi->official));
	for (size_t i = 0; i < mi->nrcpts; i++)
		json_object_array_add(rcpts, json_object_new_string(mi->rcpts[i]));
	json_object_object_add(env, "from", jstr(mi->from));
	json_object_object_add(env, "rcpts", rcpts);
	json_object_object_add(env, "client", jstr(mi->client_addr));
	json_object_object_add(env, "auth", jstr(mi->auth));
	json_object_object_add(top, "envelope", env);
	json_object_object_add(top, "subject", jstr(mi->subject));
	json_object_object_add(top, "message_id", jstr(mi->message_id));
	json_object_object_add(top, "size", json_object_new_uint64(mi->size));
	report_analysis_into(top, &o->analysis);

	json_object_object_add(top, "outcome", json_object_new_string(disposition_names[o->disposition]));
	if (o->smtp_code) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(r, "code", json_object_new_int(atoi(o->smtp_code)));
		json_object_object_add(r, "xcode", jstr(o->smtp_xcode));
		json_object_object_add(r, "text", jstr(o->smtp_text));
		json_object_object_add(top, "smtp_reply", r);
	}
	for (size_t i = 0; i < o->nadd_headers; i++) {
		struct json_object *h = json_object_new_object();

		json_object_object_add(h, "name", jstr(o->add_headers[i].name));
		json_object_object_add(h, "value", jstr(o->add_headers[i].value));
		json_object_array_add(hdrs, h);
	}
	json_object_object_add(top, "headers_added", hdrs);
	for (size_t i = 0; i < o->nadd_rcpts; i++)
		json_object_array_add(added, json_object_new_string(o->add_rcpts[i]));
	json_object_object_add(top, "recipients_added", added);
	json_object_object_add(top, "quarantine", jstr(o->quarantine_reason));
	json_object_object_add(top, "new_subject", jstr(o->new_subject));
	if (o->ruled) {
		struct json_object *r = rule_result_json(&o->rules), *v;

		if (json_object_object_get_ex(r, "rules_matched", &v))
			json_object_object_add(top, "rules_matched", json_object_get(v));
		if (json_object_object_get_ex(r, "actions", &v))
			json_object_object_add(top, "actions", json_object_get(v));
		json_object_put(r);
	} else {
		json_object_object_add(top, "rules_matched", json_object_new_array());
		json_object_object_add(top, "actions", json_object_new_array());
	}
	json_object_object_add(top, "failure", jstr(o->failure));
	return top;
}
