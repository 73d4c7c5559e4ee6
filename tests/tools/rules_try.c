/*
 * rules_try.c - load rules, evaluate them on a described message.
 *
 *	rules_try [--text] RULES_PATH CASE.in
 *
 * Load errors go to standard output, one "file:line:column: message" a
 * line, and the exit code is 1.  Otherwise the result is printed as
 * pretty JSON (stable key order) or, with --text, as text; exit 0.
 *
 * CASE.in holds one "key value" a line; '#' lines and blank lines are
 * skipped.  Message keys: direction, official (yes|no), queue-id, from,
 * rcpt (repeatable), subject, size, header ("Name: value", repeatable),
 * skipped ("REASON: NAME", a part passed over, repeatable; then
 * skipped.archive NAME for a file inside an archive).
 * "doc" starts a document; then doc.name, doc.archive (the archive it
 * came in), doc.type, doc.size,
 * doc.signature (a verdict), doc.text (a line of text, repeatable),
 * doc.text-repeat N STRING (STRING N times, appended), and doc.FACT for
 * every fact name (doc.secrecy MẬT, doc.issuer ...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "facts.h"
#include "rules.h"
#include "xmalloc.h"

static void
append(char **dst, const char *s, size_t n, const char *sep)
{
	size_t  old = *dst ? strlen(*dst) : 0;
	size_t  sl = *dst ? strlen(sep) : 0;

	*dst = xrealloc(*dst, old + sl + n + 1);
	memcpy(*dst + old, sep, sl);
	memcpy(*dst + old + sl, s, n);
	(*dst)[old + sl + n] = 0;
}

static int
read_case(const char *path, struct msg_info *m, struct analysis *a)
{
	FILE   *fp = fopen(path, "r");
	char   *line = NULL;
	size_t  cap = 0;
	ssize_t len;
	int     lineno = 0;
	struct document *d = NULL;
	char   *k = NULL;

	if (fp == NULL) {
		fprintf(stderr, "rules_try: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		char   *v;

		k = line;
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = 0;
		if (*k == 0 || *k == '#')
			continue;
		v = strchr(k, ' ');
		if (v)
			*v++ = 0;
		else
			v = k + strlen(k);
		if (strcmp(k, "direction") == 0) {
			int     i;

			for (i = 0; i < DIR__COUNT; i++)
				if (strcmp(v, direction_names[i]) == 0)
					break;
			if (i == DIR__COUNT)
				goto bad;
			m->direction = i;
		} else if (strcmp(k, "official") == 0) {
			m->official = strcmp(v, "yes") == 0;
		} else if (strcmp(k, "queue-id") == 0) {
			m->queue_id = xstrdup(v);
		} else if (strcmp(k, "from") == 0) {
			m->from = xstrdup(v);
		} else if (strcmp(k, "rcpt") == 0) {
			m->rcpts = xreallocarray(m->rcpts, m->nrcpts + 1,
						 sizeof(*m->rcpts));
			m->rcpts[m->nrcpts++] = xstrdup(v);
		} else if (strcmp(k, "subject") == 0) {
			m->subject = xstrdup(v);
		} else if (strcmp(k, "size") == 0) {
			m->size = strtoull(v, NULL, 10);
		} else if (strcmp(k, "header") == 0) {
			char   *c = strchr(v, ':');

			if (c == NULL)
				goto bad;
			*c++ = 0;
			while (*c == ' ')
				c++;
			m->headers = xreallocarray(m->headers, m->nheaders + 1,
						   sizeof(*m->headers));
			m->headers[m->nheaders].name = xstrdup(v);
			m->headers[m->nheaders++].value = xstrdup(c);
		} else if (strcmp(k, "skipped") == 0) {
			/* skipped REASON: NAME, e.g. "skipped unsupported:
			 * text/plain: MẬT.txt" (the name after the last ": ") */
			char   *c = strstr(v, ": ");
			char   *last = NULL;

			while (c != NULL) {
				last = c;
				c = strstr(c + 2, ": ");
			}
			if (last == NULL)
				goto bad;
			*last = 0;
			analysis_skip(a, "2", last + 2, v);
		} else if (strcmp(k, "skipped.archive") == 0 && a->nskipped > 0) {
			free(a->skipped[a->nskipped - 1].archive);
			a->skipped[a->nskipped - 1].archive = xstrdup(v);
		} else if (strcmp(k, "doc") == 0) {
			d = analysis_add_document(a);
		} else if (strncmp(k, "doc.", 4) == 0 && d != NULL) {
			const char *f = k + 4;
			int     id;

			if (strcmp(f, "name") == 0) {
				d->name = xstrdup(v);
			} else if (strcmp(f, "archive") == 0) {
				d->origin = ORIGIN_ARCHIVE;
				free(d->origin_detail);
				d->origin_detail = xstrdup(v);
			} else if (strcmp(f, "type") == 0) {
				d->type = xstrdup(v);
			} else if (strcmp(f, "size") == 0) {
				d->size = strtoull(v, NULL, 10);
			} else if (strcmp(f, "signature") == 0) {
				if ((id = sig_verdict_by_name(v)) < 0)
					goto bad;
				d->sig_verdict = id;
			} else if (strcmp(f, "text") == 0) {
				append(&d->text, v, strlen(v), "\n");
			} else if (strcmp(f, "text-repeat") == 0) {
				char   *s;
				unsigned long n = strtoul(v, &s, 10);

				if (*s++ != ' ' || n > 16u << 20)
					goto bad;
				size_t  sl = strlen(s);
				char   *rep = xmalloc(n * sl + 1);

				for (unsigned long i = 0; i < n; i++)
					memcpy(rep + i * sl, s, sl);
				append(&d->text, rep, n * sl, "");
				free(rep);
			} else if ((id = fact_by_name(f)) >= 0) {
				fact_set(&d->facts, id, v, SRC_TEXT, 100);
			} else {
				goto bad;
			}
		} else {
			goto bad;
		}
	}
	free(line);
	fclose(fp);
	return 0;
bad:
	fprintf(stderr, "rules_try: %s:%d: cannot use key \"%s\"\n", path,
		lineno, k);
	free(line);
	fclose(fp);
	return -1;
}

int
main(int argc, char **argv)
{
	struct ruleset *rs;
	struct msg_info m;
	struct analysis a;
	struct rule_result r;
	int     text = 0, rc = 0;

	if (argc > 1 && strcmp(argv[1], "--text") == 0) {
		text = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: rules_try [--text] RULES_PATH CASE.in\n");
		return 2;
	}
	if ((rs = rules_load(argv[1], stdout)) == NULL)
		return 1;
	memset(&m, 0, sizeof(m));
	memset(&a, 0, sizeof(a));
	if (read_case(argv[2], &m, &a) < 0) {
		rules_unref(rs);
		msg_info_clear(&m);
		analysis_clear(&a);
		return 2;
	}
	if (rules_eval(rs, &m, &a, &r) < 0)
		rc = 1;
	if (text) {
		rule_result_print(&r, stdout);
	} else {
		json_object *o = rule_result_json(&r);

		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
		    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	rule_result_clear(&r);
	rules_unref(rs);
	msg_info_clear(&m);
	analysis_clear(&a);
	return rc;
}
