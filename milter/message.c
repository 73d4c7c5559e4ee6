/*
 * message.c - see message.h.  The one place where a message goes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "direction.h"
#include "log.h"
#include "message.h"
#include "policy.h"
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
	if (strncasecmp(name, prefix, strlen(prefix)) == 0)
		remember_own_header(m, name);

	if (strcasecmp(name, "Subject") == 0 && mi->subject == NULL)
		mi->subject = xstrdup(value);
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

static void
set_reply(struct outcome *o, int code, const char *xcode, const char *text)
{
	free(o->smtp_code);
	free(o->smtp_xcode);
	free(o->smtp_text);
	o->smtp_code = xasprintf("%d", code);
	o->smtp_xcode = xstrdup(xcode);
	o->smtp_text = xstrdup(text ? text : "");
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
		set_reply(o, r->smtp_code, r->smtp_xcode, r->smtp_text);
		return;
	case RD_TEMPFAIL:
		o->disposition = DISP_TEMPFAIL;
		set_reply(o, r->smtp_code, r->smtp_xcode, r->smtp_text);
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
	for (size_t i = 0; i < r->nheaders; i++)
		outcome_add_header(o, r->headers[i].name, r->headers[i].value);
	for (size_t i = 0; i < r->nrcpts_add; i++) {
		o->add_rcpts = xreallocarray(o->add_rcpts, o->nadd_rcpts + 1,
					     sizeof(*o->add_rcpts));
		o->add_rcpts[o->nadd_rcpts++] = xstrdup(r->rcpts_add[i]);
	}
	if (r->subject_prefix)
		o->new_subject = xasprintf("%s %s", r->subject_prefix,
					   m->info.subject ? m->info.subject : "");
}

void
message_process(struct message *m, struct worker_pool *pool, struct outcome *o)
{
	const struct config *cfg = m->rt->cfg;
	struct analysis_limits limits;
	char    why[256];

	memset(o, 0, sizeof(*o));
	o->disposition = DISP_ACCEPT;
	m->info.size = m->spool.size;
	direction_classify(cfg, &m->info);

	if (m->spool.fd < 0 || m->spool_error) {
		snprintf(why, sizeof(why), "cannot spool the message: %s",
			 strerror(m->spool_error));
		policy_failure(cfg, FAILURE_INTERNAL, why, o);
	} else if (m->spool.oversize) {
		snprintf(why, sizeof(why), "%llu bytes, over MaxMessageSize %llu",
			 (unsigned long long) m->spool.size,
			 (unsigned long long) cfg->max_message_size);
		policy_failure(cfg, FAILURE_OVERSIZE, why, o);
	} else if (may_carry_documents(m->content_type)) {
		analysis_limits_from(cfg, m->spool.size, &limits);
		if (worker_analyse(pool, m->spool.fd, m->info.subject,
				   m->info.header_from, &limits, &o->analysis,
				   why, sizeof(why)) < 0)
			policy_failure(cfg, FAILURE_ANALYSIS, why, o);
		else
			o->analysed = 1;
	}
	/* The rules see every message that was examined, attachments or not;
	 * a message whose examination failed already has its outcome. */
	if (o->failure == NULL && m->rt->rules) {
		if (rules_eval(m->rt->rules, &m->info, &o->analysis, &o->rules) < 0) {
			snprintf(why, sizeof(why), "rules: %s",
				 o->rules.error ? o->rules.error : "evaluation failed");
			policy_failure(cfg, FAILURE_INTERNAL, why, o);
		} else {
			o->ruled = 1;
			apply_rules(m, o);
		}
	}
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

void
message_log(const struct message *m, const struct outcome *o)
{
	const struct msg_info *mi = &m->info;
	char    reply[512] = "", failure[512] = "";

	if (o->smtp_code)
		snprintf(reply, sizeof(reply), " reply=\"%s %s %s\"", o->smtp_code,
			 o->smtp_xcode, o->smtp_text);
	if (o->failure)
		snprintf(failure, sizeof(failure), " failure=\"%s\"", o->failure);
	log_info("%s: direction=%s from=<%s> rcpts=%zu official=%s size=%llu "
		 "documents=%zu skipped=%zu outcome=%s%s%s ms=%ld",
		 mi->queue_id ? mi->queue_id : "NOQUEUE",
		 direction_names[mi->direction], mi->from ? mi->from : "",
		 mi->nrcpts, mi->official ? "yes" : "no",
		 (unsigned long long) mi->size, o->analysis.ndocs,
		 o->analysis.nskipped, disposition_names[o->disposition], reply,
		 failure, elapsed_ms(&m->start));
}

void
message_clear(struct message *m)
{
	spool_close(&m->spool);
	msg_info_clear(&m->info);
	free(m->content_type);
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
	memset(o, 0, sizeof(*o));
}
