/*
 * offline.c - see offline.h.
 *
 * The file is split into header fields and body the way an MTA hands them
 * to a milter (name, value without the leading blank, continuation lines
 * kept), then goes through message_process() with a pool of one worker.
 * Without --client the message comes from a documentation address
 * (192.0.2.1), that is from outside.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <libetpan/libetpan.h>

#include "fdio.h"
#include "message.h"
#include "offline.h"
#include "report.h"
#include "runtime.h"
#include "spool.h"
#include "worker.h"
#include "xmalloc.h"

/* -t holds the whole message in memory: at most this much. */
#define OFFLINE_MAX	((size_t) 1 << 31)

/* Addresses of a To, Cc or From value, by libetpan's RFC 5322 parser. */
static void
header_addresses(const char *value, struct message *m, int first_as_from)
{
	struct msg_info *mi = &m->info;
	struct mailimf_address_list *list = NULL;
	size_t  idx = 0;
	clistiter *it, *jt;

	if (mailimf_address_list_parse(value, strlen(value), &idx, &list) != MAILIMF_NO_ERROR)
		return;
	for (it = clist_begin(list->ad_list); it; it = clist_next(it)) {
		struct mailimf_address *a = clist_content(it);

		if (a->ad_type == MAILIMF_ADDRESS_MAILBOX) {
			const char *spec = a->ad_data.ad_mailbox->mb_addr_spec;

			if (first_as_from) {
				if (mi->from == NULL)
					mi->from = xstrdup(spec);
			} else {
				message_recipient(m, spec);
			}
		} else if (!first_as_from && a->ad_data.ad_group->grp_mb_list) {
			for (jt = clist_begin(a->ad_data.ad_group->grp_mb_list->mb_list);
			     jt; jt = clist_next(jt))
				message_recipient(m, ((struct mailimf_mailbox *) clist_content(jt))->mb_addr_spec);
		}
	}
	mailimf_address_list_free(list);
}

/*
 * Feed the header fields and the body.  Returns the offset of the body.
 * Each field ends at a line break not followed by a blank; a line that is
 * not a field (no colon) ends the header, as in RFC 5322.
 */
static void
feed(struct message *m, const char *buf, size_t len, const struct offline_opts *opt)
{
	const char *p = buf, *end = buf + len;

	while (p < end && *p != '\r' && *p != '\n') {
		const char *colon, *eol = p, *vstart;
		char   *name, *value;

		/* Find the end of the field, continuation lines included. */
		for (;;) {
			eol = memchr(eol, '\n', (size_t) (end - eol));
			if (eol == NULL) {
				eol = end;
				break;
			}
			if (eol + 1 < end && (eol[1] == ' ' || eol[1] == '\t')) {
				eol++;
				continue;
			}
			break;
		}
		colon = memchr(p, ':', (size_t) (eol - p));
		if (colon == NULL || colon == p)
			break;
		name = xstrndup(p, (size_t) (colon - p));
		vstart = colon + 1;
		while (vstart < eol && (*vstart == ' ' || *vstart == '\t'))
			vstart++;
		value = xstrndup(vstart, (size_t) (eol - vstart));
		if (*value && value[strlen(value) - 1] == '\r')
			value[strlen(value) - 1] = 0;
		message_header(m, name, value);
		if (opt->from == NULL && strcasecmp(name, "From") == 0)
			header_addresses(value, m, 1);
		if (opt->nrcpts == 0 && (strcasecmp(name, "To") == 0 ||
					 strcasecmp(name, "Cc") == 0))
			header_addresses(value, m, 0);
		free(name);
		free(value);
		p = eol < end ? eol + 1 : end;
	}
	message_end_of_headers(m);
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	message_body(m, p, (size_t) (end - p));
}

static void
print_text(const struct message *m, const struct outcome *o)
{
	const struct msg_info *mi = &m->info;

	printf("direction: %s\n", direction_names[mi->direction]);
	printf("official: %s\n", mi->official ? "yes" : "no");
	printf("from: <%s>\n", mi->from ? mi->from : "");
	for (size_t i = 0; i < mi->nrcpts; i++)
		printf("rcpt: <%s>\n", mi->rcpts[i]);
	printf("documents: %zu\n", o->analysis.ndocs);
	for (size_t i = 0; i < o->analysis.ndocs; i++) {
		const struct document *d = &o->analysis.docs[i];

		printf("  %s  %s  %llu bytes  %s  part %s  signature %s\n",
		       d->name ? d->name : "(no name)", d->type ? d->type : "?",
		       (unsigned long long) d->size, d->sha256,
		       d->part ? d->part : "?", sig_verdict_names[d->sig_verdict]);
	}
	for (size_t i = 0; i < o->analysis.nsigfiles; i++) {
		const struct document *f = &o->analysis.sigfiles[i];
		const struct document *d = &o->analysis.docs[f->signs];

		printf("signature file: %s  %llu bytes  %s  part %s  signs %s\n",
		       f->name ? f->name : "(no name)",
		       (unsigned long long) f->size, f->sha256,
		       f->part ? f->part : "?", d->name ? d->name : "(no name)");
	}
	for (size_t i = 0; i < o->analysis.nskipped; i++)
		printf("skipped: part %s %s: %s\n",
		       o->analysis.skipped[i].part ? o->analysis.skipped[i].part : "?",
		       o->analysis.skipped[i].name ? o->analysis.skipped[i].name : "",
		       o->analysis.skipped[i].reason);
	if (o->ruled)
		rule_result_print(&o->rules, stdout);
	printf("outcome: %s\n", disposition_names[o->disposition]);
	if (o->smtp_code)
		printf("reply: %s %s %s\n", o->smtp_code, o->smtp_xcode, o->smtp_text);
	for (size_t i = 0; i < o->nadd_headers; i++)
		printf("header: %s: %s\n", o->add_headers[i].name, o->add_headers[i].value);
	for (size_t i = 0; i < o->nadd_rcpts; i++)
		printf("add rcpt: <%s>\n", o->add_rcpts[i]);
	if (o->new_subject)
		printf("subject: %s\n", o->new_subject);
	if (o->quarantine_reason)
		printf("quarantine: %s\n", o->quarantine_reason);
	if (o->register_dry)
		printf("register: offline, nothing registered (%zu documents, book %s)\n",
		       o->analysis.ndocs, o->ruled && o->rules.book ? o->rules.book :
		       m->info.direction == DIR_OUTBOUND ? "di" : "den");
	if (o->failure)
		printf("failure: %s\n", o->failure);
}

int
offline_run(struct config *cfg, struct ruleset *rules, const struct offline_opts *opt)
{
	struct worker_params wp = {0};
	struct worker_pool *pool;
	struct runtime *rt;
	struct message m;
	struct outcome o;
	char   *buf;
	size_t  len;

	if ((buf = (char *) file_read_whole(opt->file, OFFLINE_MAX, &len)) == NULL) {
		fprintf(stderr, "vanthu-milter: %s: %s\n", opt->file, strerror(errno));
		rules_unref(rules);
		conf_free(cfg);
		return 1;
	}
	if (spool_prepare(cfg->spool) < 0) {
		fprintf(stderr, "vanthu-milter: spool %s: %s\n", cfg->spool, strerror(errno));
		free(buf);
		rules_unref(rules);
		conf_free(cfg);
		return 1;
	}
	wp.exe = opt->exe;
	wp.config_path = opt->config_path;
	wp.config_text = cfg->text;
	wp.config_len = cfg->text_len;
	wp.foreground = 1;
	wp.user = cfg->user;
	wp.nworkers = 1;
	wp.timeout = cfg->analysis_timeout;
	wp.reply_max = (size_t) (cfg->max_message_size * 2 + cfg->max_archive_size + (1 << 20));
	wp.recycle_after = 1;
	/* A worker that dies while the message goes to it (sendfile) must
	 * cost a failure line, not this process. */
	signal(SIGPIPE, SIG_IGN);
	rt = runtime_new(cfg, rules);
	if ((pool = worker_pool_start(&wp)) == NULL) {
		fprintf(stderr, "vanthu-milter: cannot start an analysis worker\n");
		free(buf);
		runtime_release(rt);
		return 1;
	}
	if (message_start(&m, rt) < 0)
		fprintf(stderr, "vanthu-milter: spool: %s\n", strerror(m.spool_error));
	m.info.from = opt->from ? xstrdup(opt->from) : NULL;
	for (size_t i = 0; i < opt->nrcpts; i++)
		message_recipient(&m, opt->rcpts[i]);
	m.info.client_addr = xstrdup(opt->client ? opt->client : "192.0.2.1");
	m.info.auth = opt->auth ? xstrdup(opt->auth) : NULL;
	m.info.queue_id = xstrdup("OFFLINE");
	feed(&m, buf, len, opt);
	free(buf);

	message_process(&m, pool, NULL, &o);
	if (opt->json) {
		struct json_object *j = report_message(&m.info, &o);

		puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		print_text(&m, &o);
	}
	outcome_clear(&o);
	message_clear(&m);	/* releases the runtime and with it cfg */
	worker_pool_stop(pool);
	return 0;
}
