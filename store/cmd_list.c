/*
 * cmd_list.c - `vanthu list`, `vanthu search` and `vanthu show`.
 *
 * list and search print one registration a line, fields separated by
 * tabs: id, date registered, reference, issuer, type and summary,
 * signature verdict, status.  With --json they print one JSON array of
 * objects (id, book, year, number, registered_at, reference, issuer,
 * date, type_name, summary, signature_verdict, status, sha256,
 * message_id, and the routing fields), unknown values as null.  Both
 * print each registration as the register gives it (store_each).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "textnorm.h"
#include "tool.h"
#include "xmalloc.h"

static json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* ISO 8601 local time with its offset: 2026-03-02T09:00:00+07:00 */
static void
iso_local(int64_t t, char buf[32])
{
	time_t	tt = (time_t) t;
	struct tm tm;
	char	z[8];

	if (localtime_r(&tt, &tm) == NULL || strftime(buf, 32,
	    "%Y-%m-%dT%H:%M:%S", &tm) == 0 || strftime(z, sizeof(z), "%z",
	    &tm) != 5) {
		strcpy(buf, "");
		return;
	}
	snprintf(buf + strlen(buf), 32 - strlen(buf), "%.3s:%.2s", z, z + 3);
}

static json_object *
entry_json(const struct reg_entry *e)
{
	json_object *o = json_object_new_object();
	char	t[32];

	json_object_object_add(o, "id", jstr(e->id));
	json_object_object_add(o, "book", jstr(e->book));
	json_object_object_add(o, "year", json_object_new_int(e->year));
	json_object_object_add(o, "number", json_object_new_int64(e->number));
	json_object_object_add(o, "symbol", e->symbol != NULL &&
			       e->symbol[0] ? jstr(e->symbol) : NULL);
	iso_local(e->registered_at, t);
	json_object_object_add(o, "registered_at", jstr(t));
	json_object_object_add(o, "reference", jstr(e->reference));
	json_object_object_add(o, "issuer", jstr(e->issuer));
	json_object_object_add(o, "date", jstr(e->date));
	json_object_object_add(o, "type_name", jstr(e->type_name));
	json_object_object_add(o, "summary", jstr(e->summary));
	json_object_object_add(o, "urgency", jstr(e->urgency));
	json_object_object_add(o, "signature_verdict", jstr(e->signature_verdict));
	json_object_object_add(o, "status", jstr(e->status));
	json_object_object_add(o, "cancel_reason", jstr(e->cancel_reason));
	json_object_object_add(o, "sha256", jstr(e->sha256));
	json_object_object_add(o, "name", jstr(e->doc_name));
	json_object_object_add(o, "message_id", jstr(e->message_id));
	json_object_object_add(o, "lead", jstr(e->lead));
	json_object_object_add(o, "coop", jstr(e->coop));
	json_object_object_add(o, "due", jstr(e->due));
	json_object_object_add(o, "flags", jstr(e->flags));
	json_object_object_add(o, "notes", jstr(e->notes));
	json_object_object_add(o, "arrivals", json_object_new_int64(e->arrivals));
	return o;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/* What print_entry carries from one registration to the next. */
struct list_out {
	int	json;
	size_t	n;		/* entries printed */
};

/*
 * One registration, as store_each gives it: nothing is held, so a list of
 * a million costs no more memory than one of ten.  The JSON array is
 * written piece by piece, each object as json-c pretty-prints it, moved
 * in one level (a JSON string holds no raw newline, so every newline is
 * a line break of the layout).  A write error stops the walk.
 */
static int
print_entry(const struct reg_entry *e, void *arg)
{
	struct list_out *lo = arg;

	if (lo->json) {
		json_object *o = entry_json(e);
		const char *s = json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

		fputs(lo->n == 0 ? "[\n  " : ",\n  ", stdout);
		for (; *s; s++) {
			putchar(*s);
			if (*s == '\n')
				fputs("  ", stdout);
		}
		json_object_put(o);
	} else {
		char	d[11];

		store_local_date((time_t) e->registered_at, d);
		/* One line a registration, tab between columns: what came
		 * from a document cannot break either, nor drive the
		 * terminal (text_put). */
		printf("%s\t%s\t", e->id, d);
		text_put(stdout, nz(e->reference), 0);
		putchar('\t');
		text_put(stdout, nz(e->issuer), 0);
		putchar('\t');
		text_put(stdout, nz(e->type_name), 0);
		fputs(e->type_name && e->summary ? ": " : "", stdout);
		text_put(stdout, nz(e->summary), 0);
		printf("\t%s\t%s\n", nz(e->signature_verdict), e->status);
	}
	lo->n++;
	return ferror(stdout) ? 1 : 0;
}

static const struct option list_opts[] = {
	{"book", required_argument, NULL, 'b'},
	{"year", required_argument, NULL, 'y'},
	{"from", required_argument, NULL, 'f'},
	{"to", required_argument, NULL, 't'},
	{"type", required_argument, NULL, 'T'},
	{"issuer", required_argument, NULL, 'i'},
	{"verdict", required_argument, NULL, 'v'},
	{"status", required_argument, NULL, 's'},
	{"text", required_argument, NULL, 'x'},
	{"limit", required_argument, NULL, 'n'},
	{"json", no_argument, NULL, 'j'},
	{NULL, 0, NULL, 0},
};

/* Options shared by list and search; returns optind or -1. */
static int
filter_parse(const char *cmd, int argc, char **argv, struct reg_filter *f,
	     int *json)
{
	char   *end;
	long	n;
	int	ch;

	while ((ch = getopt_long(argc, argv, "b:y:f:t:T:i:v:s:x:n:j", list_opts,
				 NULL)) != -1) {
		switch (ch) {
		case 'b':
			f->book = optarg;
			break;
		case 'y':
			if ((f->year = tool_year(cmd, optarg)) < 0)
				return -1;
			break;
		case 'f':
		case 't':
			if (!store_date_valid(optarg)) {
				tool_fail(cmd, "bad date '%s': expected "
					  "YYYY-MM-DD", optarg);
				return -1;
			}
			if (ch == 'f')
				f->from = optarg;
			else
				f->to = optarg;
			break;
		case 'T':
			f->type = optarg;
			break;
		case 'i':
			f->issuer = optarg;
			break;
		case 'v':
			if (sig_verdict_by_name(optarg) < 0) {
				tool_fail(cmd, "unknown signature verdict '%s'",
					  optarg);
				return -1;
			}
			f->verdict = optarg;
			break;
		case 's':
			if (strcmp(optarg, "registered") != 0 &&
			    strcmp(optarg, "cancelled") != 0) {
				tool_fail(cmd, "a status is registered or "
					  "cancelled");
				return -1;
			}
			f->status = optarg;
			break;
		case 'x':
			f->text = optarg;
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*optarg == 0 || *end != 0 || n <= 0 || n > 1000000) {
				tool_fail(cmd, "bad limit '%s'", optarg);
				return -1;
			}
			f->limit = (size_t) n;
			break;
		case 'j':
			*json = 1;
			break;
		default:
			return -1;
		}
	}
	return optind;
}

/* The registrations f selects, printed as they are read; a failed write
 * is left for tool_flush_stdout() to report. */
static int
run_list(struct tool *t, const char *cmd, struct reg_filter *f, int json)
{
	struct list_out lo = { .json = json };
	char	err[512];
	int	rc;

	rc = store_each(t->st, f, print_entry, &lo, err, sizeof(err));
	if (rc < 0) {
		tool_fail(cmd, "%s", err);
		return 1;
	}
	if (rc == 0 && json)
		fputs(lo.n == 0 ? "[\n]\n" : "\n]\n", stdout);
	return 0;
}

int
cmd_list(struct tool *t, int argc, char **argv)
{
	struct reg_filter f = {0};
	int	json = 0, i;

	if ((i = filter_parse("list", argc, argv, &f, &json)) < 0)
		return EXIT_USAGE;
	if (i < argc) {
		tool_fail("list", "unexpected argument '%s'", argv[i]);
		return EXIT_USAGE;
	}
	return run_list(t, "list", &f, json);
}

int
cmd_search(struct tool *t, int argc, char **argv)
{
	struct reg_filter f = {0};
	int	json = 0, i, rc;
	size_t	len = 1;
	char   *words;

	if ((i = filter_parse("search", argc, argv, &f, &json)) < 0)
		return EXIT_USAGE;
	if (i >= argc) {
		tool_fail("search", "what should I look for?");
		return EXIT_USAGE;
	}
	for (int k = i; k < argc; k++)
		len += strlen(argv[k]) + 1;
	words = xcalloc(1, len);
	for (int k = i; k < argc; k++) {
		if (k > i)
			strcat(words, " ");
		strcat(words, argv[k]);
	}
	f.text = words;
	rc = run_list(t, "search", &f, json);
	free(words);
	return rc;
}

int
cmd_show(struct tool *t, int argc, char **argv)
{
	char	err[512];

	if (argc != 2) {
		tool_fail("show", "usage: vanthu show ID");
		return EXIT_USAGE;
	}
	if (tool_id("show", argv[1]) != 0)
		return EXIT_USAGE;
	if (store_show(t->st, argv[1], stdout, err, sizeof(err)) != 0) {
		tool_fail("show", "%s", err);
		return 1;
	}
	return 0;
}
