/*
 * message.c - see message.h.  The one place where a message goes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aw_names.h"
#include "direction.h"
#include "docstore.h"
#include "hdrenc.h"
#include "log.h"
#include "message.h"
#include "policy.h"
#include "stats.h"
#include "xmalloc.h"

const char *const disposition_names[DISP__COUNT] = {
	[DISP_ACCEPT] = "accept",
	[DISP_TEMPFAIL] = "tempfail",
	[DISP_REJECT] = "reject",
	[DISP_QUARANTINE] = "quarantine",
};

int
message_start(struct message *m, struct runtime *rt)
{
	memset(m, 0, sizeof(*m));
	m->rt = rt;
	clock_gettime(CLOCK_MONOTONIC, &m->start);
	if (spool_open(&m->spool, rt->cfg->spool, rt->cfg->max_message_size) < 0) {
		m->spool_error = errno;
		return -1;
	}
	return 0;
}

static void
spool(struct message *m, const void *p, size_t n)
{
	if (m->spool.fd < 0 || m->spool_error)
		return;
	if (spool_write(&m->spool, p, n) < 0)
		m->spool_error = errno;
}

static void
remember_own_header(struct message *m, const char *name)
{
	int     index = 1;

	for (size_t i = 0; i < m->nown; i++)
		if (strcasecmp(m->own[i].name, name) == 0)
			index++;
	m->own = xreallocarray(m->own, m->nown + 1, sizeof(*m->own));
	m->own[m->nown].name = xstrdup(name);
	m->own[m->nown].index = index;
	m->nown++;
}

/*
 * The subject as the rules see it (facts.h: decoded, NFC): RFC 2047
 * encoded words decoded to UTF-8 with the same decoder the workers use
 * for file names, folding turned into blanks.
 */
static char *
subject_decode(const char *value)
{
	char   *decoded = aw_name_decode_words(value, strlen(value));

	for (char *p = decoded; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	return decoded;
}

void
message_recipient(struct message *m, const char *addr)
{
	struct msg_info *mi = &m->info;

	if (mi->nrcpts >= RCPTS_MAX) {
		m->rcpts_over++;
		return;
	}
	mi->rcpts = xreallocarray(mi->rcpts, mi->nrcpts + 1, sizeof(*mi->rcpts));
	mi->rcpts[mi->nrcpts++] = xstrdup(addr);
}

void
message_header(struct message *m, const char *name, const char *value)
{
	const char *prefix = m->rt->cfg->header_prefix;
	struct msg_info *mi = &m->info;
	struct header *h;

	spool(m, name, strlen(name));
	spool(m, ": ", 2);
	spool(m, value, strlen(value));
	spool(m, "\r\n", 2);

	/* Headers of ours that arrive with the message are forged or stale:
	 * they are removed, and never trusted. */
	if (strncasecmp(name, prefix, strlen(prefix)) == 0) {
		if (m->nown < OWN_HEADERS_MAX)
			remember_own_header(m, name);
		else
			m->own_over++;
	}

	if (strcasecmp(name, "Subject") == 0 && mi->subject == NULL) {
		mi->subject = subject_decode(value);
		m->raw_subject = xstrdup(value);
	}
	else if (strcasecmp(name, "From") == 0 && mi->header_from == NULL)
		mi->header_from = xstrdup(value);
	else if (strcasecmp(name, "Message-ID") == 0 && mi->message_id == NULL)
		mi->message_id = xstrdup(value);
	else if (strcasecmp(name, "Content-Type") == 0 && m->content_type == NULL)
		m->content_type = xstrdup(value);

	/* Rules may look at any header; keep a bounded number. */
	if (mi->nheaders < 1000) {
		mi->headers = xreallocarray(mi->headers, mi->nheaders + 1,
					    sizeof(*mi->headers));
		h = &mi->headers[mi->nheaders++];
		h->name = xstrdup(name);
		h->value = xstrdup(value);
	}
}

void
message_end_of_headers(struct message *m)
{
	spool(m, "\r\n", 2);
}

void
message_body(struct message *m, const void *p, size_t n)
{
	spool(m, p, n);
}

/*
 * Only a message whose top-level type is multipart, message or not text
 * can carry a document: a plain text message costs no worker at all.
 */
static int
may_carry_documents(const char *content_type)
{
	while (content_type && isspace((unsigned char) *content_type))
		content_type++;
	if (content_type == NULL || *content_type == 0)
		return 0;
	return strncasecmp(content_type, "text/", 5) != 0;
}

void
outcome_add_header(struct outcome *o, const char *name, const char *value)
{
	struct header *h;

	o->add_headers = xreallocarray(o->add_headers, o->nadd_headers + 1,
				       sizeof(*o->add_headers));
	h = &o->add_headers[o->nadd_headers++];
	h->name = xstrdup(name);
	h->value = xstrdup(value);
}

static void
add_status_header(const struct message *m, struct outcome *o)
{
	const struct config *cfg = m->rt->cfg;
	char    name[128], value[256];

	snprintf(name, sizeof(name), "%sStatus", cfg->header_prefix);
	if (o->failure)
		snprintf(value, sizeof(value), "direction=%s official=%s unexamined=%.*s",
			 direction_names[m->info.direction],
			 m->info.official ? "yes" : "no",
			 (int) strcspn(o->failure, ":"), o->failure);
	else
		snprintf(value, sizeof(value), "direction=%s official=%s documents=%zu",
			 direction_names[m->info.direction],
			 m->info.official ? "yes" : "no", o->analysis.ndocs);
	outcome_add_header(o, name, value);
}

static void
analysis_limits_from(const struct config *cfg, uint64_t msg_size,
		     struct analysis_limits *l)
{
	l->max_parts = cfg->max_parts;
	l->max_depth = cfg->max_depth;
	l->max_archive_files = cfg->max_archive_files;
	l->max_archive_size = cfg->max_archive_size;
	l->max_archive_ratio = cfg->max_archive_ratio;
	l->max_doc_size = msg_size;
}

void
outcome_set_reply(struct outcome *o, const char *code, const char *xcode,
		  const char *text)
{
	free(o->smtp_code);
	free(o->smtp_xcode);
	free(o->smtp_text);
	o->smtp_code = xstrdup(code);
	o->smtp_xcode = xstrdup(xcode);
	o->smtp_text = xstrdup(text ? text : "");
}

/* The rules give the reply code as a number. */
static void
set_rule_reply(struct outcome *o, const struct rule_result *r)
{
	char    code[12];

	snprintf(code, sizeof(code), "%d", r->smtp_code);
	outcome_set_reply(o, code, r->smtp_xcode, r->smtp_text);
}

/*
 * Whether the rules route internal mail to an address outside Domains.
 * The message then leaves the agency, so it is outbound and the rules
 * must judge it as such: else a route would carry a secret document out
 * past the policy that keeps it in.
 */
static int
routes_outside(const struct message *m, const struct rule_result *r)
{
	if (m->info.direction != DIR_INTERNAL)
		return 0;
	for (size_t i = 0; i < r->nrcpts_add; i++)
		if (!direction_address_is_ours(m->rt->cfg, r->rcpts_add[i]))
			return 1;
	return 0;
}

/* Turn what the rules decided into the outcome. */
static void
apply_rules(struct message *m, struct outcome *o)
{
	const struct rule_result *r = &o->rules;
	const char *qid = m->info.queue_id ? m->info.queue_id : "NOQUEUE";

	for (size_t i = 0; i < r->nlogs; i++)
		log_warn("rules: %s: alert: %s", qid, r->logs[i]);
	switch (r->disposition) {
	case RD_REJECT:
		o->disposition = DISP_REJECT;
		set_rule_reply(o, r);
		return;
	case RD_TEMPFAIL:
		o->disposition = DISP_TEMPFAIL;
		set_rule_reply(o, r);
		return;
	case RD_QUARANTINE:
		o->disposition = DISP_QUARANTINE;
		o->quarantine_reason = xstrdup(r->quarantine_reason ?
					       r->quarantine_reason : "held by a rule");
		break;
	case RD_ACCEPT:
	default:
		break;
	}
	/* The rules speak UTF-8; a message header speaks ASCII unless the
	 * message came with SMTPUTF8, so added text goes RFC 2047 encoded. */
	for (size_t i = 0; i < r->nheaders; i++) {
		char   *v = hdr_encode(r->headers[i].value);

		outcome_add_header(o, r->headers[i].name, v);
		free(v);
	}
	for (size_t i = 0; i < r->nrcpts_add; i++) {
		o->add_rcpts = xreallocarray(o->add_rcpts, o->nadd_rcpts + 1,
					     sizeof(*o->add_rcpts));
		o->add_rcpts[o->nadd_rcpts++] = xstrdup(r->rcpts_add[i]);
	}
	/* The new subject keeps the header as it came (encoded words and
	 * all), so that nothing is lost in a round trip through decoding. */
	if (r->subject_prefix)
		o->new_subject = hdr_prefix_subject(r->subject_prefix, m->raw_subject);
}

/* The flags the rules set on document i ("signature-absent ..."), or
 * NULL when there are none. */
static char *
doc_flags(const struct outcome *o, size_t i)
{
	const struct rule_doc *rd;
	char   *s = NULL, *t;

	if (!o->ruled || i >= o->rules.ndocs)
		return NULL;
	rd = &o->rules.docs[i];
	for (size_t f = 0; f < rd->nflags; f++) {
		t = s ? xasprintf("%s %s", s, rd->flags[f]) : xstrdup(rd->flags[f]);
		free(s);
		s = t;
	}
	return s;
}

/* One header per flagged document, so that staff and filters downstream
 * see what the register records: "2 cv.pdf: signature-absent". */
static void
add_flag_headers(const struct message *m, struct outcome *o)
{
	char    name[128];

	snprintf(name, sizeof(name), "%sFlag", m->rt->cfg->header_prefix);
	for (size_t i = 0; i < o->analysis.ndocs; i++) {
		char   *flags = doc_flags(o, i), *v, *enc;
		const struct document *d = &o->analysis.docs[i];

		if (flags == NULL)
			continue;
		v = xasprintf("%s %s: %s", d->part ? d->part : "?",
			      d->name ? d->name : "(no name)", flags);
		enc = hdr_encode(v);
		outcome_add_header(o, name, enc);
		free(enc);
		free(v);
		free(flags);
	}
}

/* Whether the rules found a secret document in the message. */
static int
holds_secret(const struct outcome *o)
{
	for (size_t i = 0; o->ruled && i < o->rules.ndocs; i++)
		if (o->rules.docs[i].secret)
			return 1;
	return 0;
}

/* Why a document is not numbered, or NULL when it is. */
static const char *
skip_reason(const struct message *m, const struct outcome *o, size_t i)
{
	if (o->ruled && i < o->rules.ndocs && o->rules.docs[i].secret)
		return "secret document: kept out of the ordinary register";
	if (o->ruled && o->rules.skip_registration)
		return "a rule said skip-registration";
	if (o->disposition == DISP_QUARANTINE)
		return "quarantined";
	(void) m;
	return NULL;
}

/*
 * After a failure to write the spool, the documents or the register,
 * whose cause may be a full file system: this message's spool file is
 * emptied when it closes, and the kept ones now, so that the space they
 * hold is there for the MTA's retry.  They only save time.
 */
static void
give_back_space(struct message *m)
{
	m->spool.forget = 1;
	spool_release();
}

/* Make a document's bytes durable in the spool: from its unnamed file
 * fds[i] when it has one, else from memory. */
static int
store_document(const struct config *cfg, const struct document *d,
	       const int *fds, size_t i, char *err, size_t errlen)
{
	if (fds != NULL && fds[i] >= 0)
		return docstore_link(cfg->spool, fds[i], d->sha256, err, errlen);
	return docstore_put(cfg->spool, d->data, d->len, d->sha256, err, errlen);
}

/*
 * Register the documents of an inbound or outbound message: each one
 * to be numbered is first made durable in the spool, with the files of
 * its detached signatures, then all are numbered in one transaction.
 * Secret documents never enter the document store.
 * The headers naming each registration go into the outcome.
 */
static void
register_documents(struct message *m, struct store *store, struct outcome *o)
{
	const struct config *cfg = m->rt->cfg;
	struct register_request req = {0};
	struct doc_request *dr;
	struct timespec step;
	char  **notes;
	char    err[256], name[128];
	int     r;

	if (m->info.direction != DIR_INBOUND && m->info.direction != DIR_OUTBOUND)
		return;
	if (o->analysis.ndocs == 0)
		return;
	if (store == NULL) {
		o->register_dry = 1;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &step);
	dr = xcalloc(o->analysis.ndocs, sizeof(*dr));
	notes = xcalloc(o->analysis.ndocs, sizeof(*notes));
	for (size_t i = 0; i < o->analysis.ndocs; i++) {
		const struct document *d = &o->analysis.docs[i];

		dr[i].book = o->ruled ? o->rules.book : NULL;
		dr[i].flags = notes[i] = doc_flags(o, i);
		dr[i].skip_reason = skip_reason(m, o, i);
		dr[i].skip = dr[i].skip_reason != NULL;
		if (dr[i].skip)
			continue;
		if (store_document(cfg, d, o->analysis.doc_fds, i, err,
				   sizeof(err)) < 0) {
			policy_failure(cfg, FAILURE_STORE, err, o);
			give_back_space(m);
			goto out;
		}
		/* The files of its detached signatures go with it. */
		for (size_t k = 0; k < o->analysis.nsigfiles; k++) {
			if (o->analysis.sigfiles[k].signs != i)
				continue;
			if (store_document(cfg, &o->analysis.sigfiles[k],
					   o->analysis.sigfile_fds, k, err,
					   sizeof(err)) < 0) {
				policy_failure(cfg, FAILURE_STORE, err, o);
				give_back_space(m);
				goto out;
			}
		}
	}
	stats_time_step(STEP_DOCUMENT_STORE, &step);
	req.outcome = disposition_names[o->disposition];
	req.docs = dr;
	clock_gettime(CLOCK_MONOTONIC, &step);
	r = store_register(store, &m->info, &o->analysis, &req, &o->reg);
	stats_time_step(STEP_REGISTER, &step);
	if (r < 0) {
		policy_failure(cfg, FAILURE_STORE, o->reg.error[0] ? o->reg.error :
			       "registration failed", o);
		give_back_space(m);
		goto out;
	}
	o->registered = 1;
	for (size_t i = 0; i < o->reg.ndocs && i < o->analysis.ndocs; i++) {
		char   *v;

		if (o->reg.docs[i].status == REG_NEW && !o->reg.docs[i].retry)
			stats_count_register_number();
		v = store_header_register(&o->reg.docs[i]);
		if (v == NULL)
			continue;
		snprintf(name, sizeof(name), "%sRegister", cfg->header_prefix);
		outcome_add_header(o, name, v);
		free(v);
		if ((v = store_header_facts(&o->analysis.docs[i])) != NULL) {
			snprintf(name, sizeof(name), "%sDocument", cfg->header_prefix);
			outcome_add_header(o, name, v);
			free(v);
		}
	}
out:
	for (size_t i = 0; i < o->analysis.ndocs; i++)
		free(notes[i]);
	free(notes);
	free(dr);
}

/*
 * A message vanthu will not judge, whatever the On* settings say: past
 * these limits accepting it would mean delivering headers that claim to
 * be ours, or deciding its direction on part of its recipients.
 */
static int
over_limits(const struct message *m, struct outcome *o)
{
	const struct config *cfg = m->rt->cfg;

	if (m->rcpts_over > 0) {
		o->failure = xasprintf("%zu recipients, more than %d",
				       m->info.nrcpts + m->rcpts_over, RCPTS_MAX);
		outcome_set_reply(o, "550", "5.5.3", "Too many recipients "
				  "for the document filter");
	} else if (m->own_over > 0) {
		o->failure = xasprintf("%zu headers named %s*, more than %d",
				       m->nown + m->own_over, cfg->header_prefix,
				       OWN_HEADERS_MAX);
		outcome_set_reply(o, "550", "5.7.1", "Too many headers reserved "
				  "for the document filter");
	} else
		return 0;
	o->disposition = DISP_REJECT;
	return 1;
}

void
message_process(struct message *m, struct worker_pool *pool, struct store *store,
		struct outcome *o)
{
	const struct config *cfg = m->rt->cfg;
	struct analysis_limits limits;
	struct timespec step;
	char    why[256];
	int     r;

	memset(o, 0, sizeof(*o));
	o->disposition = DISP_ACCEPT;
	m->info.size = m->spool.size;
	if (m->spool.fd >= 0 && !m->spool_error && spool_flush(&m->spool) < 0)
		m->spool_error = errno;
	direction_classify(cfg, &m->info);

	if (over_limits(m, o))
		return;

	if (m->spool.fd < 0 || m->spool_error) {
		snprintf(why, sizeof(why), "cannot spool the message: %s",
			 strerror(m->spool_error));
		policy_failure(cfg, FAILURE_INTERNAL, why, o);
		give_back_space(m);
	} else if (m->spool.oversize) {
		snprintf(why, sizeof(why), "%llu bytes, over MaxMessageSize %llu",
			 (unsigned long long) m->spool.size,
			 (unsigned long long) cfg->max_message_size);
		policy_failure(cfg, FAILURE_OVERSIZE, why, o);
	} else if (may_carry_documents(m->content_type)) {
		analysis_limits_from(cfg, m->spool.size, &limits);
		clock_gettime(CLOCK_MONOTONIC, &step);
		r = worker_analyse(pool, m->spool.fd, m->spool.size,
				   m->raw_subject, m->info.header_from, &limits,
				   &o->analysis, why, sizeof(why));
		stats_time_step(STEP_ANALYSIS, &step);
		if (r == -2) {
			policy_failure(cfg, FAILURE_INTERNAL, why, o);
			give_back_space(m);
		} else if (r < 0)
			policy_failure(cfg, FAILURE_ANALYSIS, why, o);
		else
			o->analysed = 1;
	}
	/* The rules see every message that was examined, attachments or not;
	 * a message whose examination failed already has its outcome. */
	if (o->failure == NULL && m->rt->rules) {
		clock_gettime(CLOCK_MONOTONIC, &step);
		r = rules_eval(m->rt->rules, &m->info, &o->analysis, &o->rules);
		if (r == 0 && routes_outside(m, &o->rules)) {
			m->info.direction = DIR_OUTBOUND;
			rule_result_clear(&o->rules);
			r = rules_eval(m->rt->rules, &m->info, &o->analysis,
				       &o->rules);
		}
		if (r < 0) {
			snprintf(why, sizeof(why), "rules: %s",
				 o->rules.error ? o->rules.error : "evaluation failed");
			policy_failure(cfg, FAILURE_INTERNAL, why, o);
		} else {
			o->ruled = 1;
			apply_rules(m, o);
			if (o->disposition == DISP_ACCEPT ||
			    o->disposition == DISP_QUARANTINE)
				add_flag_headers(m, o);
		}
		stats_time_step(STEP_RULES, &step);
	}
	/* A secret document's bytes leave vanthu's own files with the
	 * message: its spool file is emptied, not kept full (spool.h). */
	if (holds_secret(o))
		m->spool.forget = 1;
	if (o->failure == NULL &&
	    (o->disposition == DISP_ACCEPT || o->disposition == DISP_QUARANTINE))
		register_documents(m, store, o);
	if (o->disposition == DISP_ACCEPT || o->disposition == DISP_QUARANTINE)
		add_status_header(m, o);
}

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

/*
 * A value for the log line, so that the line parses as key=value: in a
 * quoted value (quoted=1) a double quote becomes ' and in a bare one a
 * space, a double quote or '>' becomes '?'; control bytes become '?' in
 * both.  Other bytes (UTF-8 included) pass.
 */
static const char *
log_value(const char *s, int quoted, char *buf, size_t len)
{
	size_t  i = 0;

	for (; s && *s && i + 1 < len; s++) {
		unsigned char c = (unsigned char) *s;

		if (c < 0x20 || c == 0x7f)
			c = '?';
		else if (quoted && c == '"')
			c = '\'';
		else if (!quoted && (c == ' ' || c == '"' || c == '>'))
			c = '?';
		buf[i++] = (char) c;
	}
	buf[i] = 0;
	return buf;
}

void
message_log(const struct message *m, const struct outcome *o)
{
	const struct msg_info *mi = &m->info;
	char    reply[512] = "", failure[512] = "", hold[512] = "";
	char    v[400], from[400], qid[64];

	stats_count_message(mi->direction, o->disposition, &o->analysis);
	/* Postfix logs "milter triggers HOLD action" without the reason:
	 * this line is where the officer who releases the message finds it. */
	if (o->disposition == DISP_QUARANTINE && o->quarantine_reason)
		snprintf(hold, sizeof(hold), " quarantine=\"%s\"",
			 log_value(o->quarantine_reason, 1, v, sizeof(v)));
	if (o->smtp_code) {
		char    text[400];

		snprintf(text, sizeof(text), "%s %s %s", o->smtp_code,
			 o->smtp_xcode, o->smtp_text);
		snprintf(reply, sizeof(reply), " reply=\"%s\"",
			 log_value(text, 1, v, sizeof(v)));
	}
	if (o->failure)
		snprintf(failure, sizeof(failure), " failure=\"%s\"",
			 log_value(o->failure, 1, v, sizeof(v)));
	log_info("%s: direction=%s from=<%s> rcpts=%zu official=%s size=%llu "
		 "documents=%zu skipped=%zu outcome=%s%s%s%s ms=%ld",
		 mi->queue_id ? log_value(mi->queue_id, 0, qid, sizeof(qid)) : "NOQUEUE",
		 direction_names[mi->direction], log_value(mi->from, 0, from, sizeof(from)),
		 mi->nrcpts, mi->official ? "yes" : "no",
		 (unsigned long long) mi->size, o->analysis.ndocs,
		 o->analysis.nskipped, disposition_names[o->disposition], hold,
		 reply, failure, elapsed_ms(&m->start));
}

void
message_log_refused(const char *queue_id, const char *from, const char *reply,
		    const char *why)
{
	char    v[400], f[400], qid[64], w[400];

	log_info("%s: from=<%s> outcome=tempfail reply=\"%s\" failure=\"%s\"",
		 queue_id && *queue_id ? log_value(queue_id, 0, qid, sizeof(qid)) : "NOQUEUE",
		 log_value(from, 0, f, sizeof(f)), log_value(reply, 1, v, sizeof(v)),
		 log_value(why, 1, w, sizeof(w)));
}

void
message_clear(struct message *m)
{
	spool_close(&m->spool);
	msg_info_clear(&m->info);
	free(m->content_type);
	free(m->raw_subject);
	for (size_t i = 0; i < m->nown; i++)
		free(m->own[i].name);
	free(m->own);
	runtime_release(m->rt);
	memset(m, 0, sizeof(*m));
	m->spool.fd = -1;
}

void
outcome_clear(struct outcome *o)
{
	free(o->smtp_code);
	free(o->smtp_xcode);
	free(o->smtp_text);
	for (size_t i = 0; i < o->nadd_headers; i++) {
		free(o->add_headers[i].name);
		free(o->add_headers[i].value);
	}
	free(o->add_headers);
	for (size_t i = 0; i < o->nadd_rcpts; i++)
		free(o->add_rcpts[i]);
	free(o->add_rcpts);
	free(o->quarantine_reason);
	free(o->new_subject);
	free(o->failure);
	analysis_clear(&o->analysis);
	rule_result_clear(&o->rules);
	register_result_clear(&o->reg);
	memset(o, 0, sizeof(*o));
}
