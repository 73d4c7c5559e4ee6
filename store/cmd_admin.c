/*
 * cmd_admin.c - the commands that change or summarise the register:
 * `vanthu export`, `assign`, `cancel`, `books` and `stats`.
 *
 * Every change goes to the audit log with the clerk's login name and the
 * whole command line.  Dates are checked before anything is written.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"
#include "xmalloc.h"

/*
 * The export's file: written beside path under a temporary name and
 * renamed over it once whole, so that an export that fails leaves the
 * last good one in place.  What is not a plain file (a terminal, a pipe,
 * a symbolic link) is written as it is, *tmp NULL.  NULL after saying
 * why.
 */
static FILE *
export_open(const char *path, char **tmp)
{
	struct stat sb;
	mode_t	um;
	FILE   *f;
	int	fd;

	*tmp = NULL;
	if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if ((f = fopen(path, "w")) == NULL)
			tool_fail("export", "%s: %s", path, strerror(errno));
		return f;
	}
	um = umask(0);
	umask(um);
	*tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(*tmp)) < 0 || fchmod(fd, 0666 & ~um) != 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		tool_fail("export", "%s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	return f;
}

/* Close f and put tmp, if any, in place of path (ok), or remove it. */
static int
export_close(FILE *f, char *tmp, const char *path, int ok)
{
	if (tmp == NULL) {
		if (fclose(f) != 0 && ok) {
			tool_fail("export", "%s: %s", path, strerror(errno));
			ok = 0;
		}
		return ok ? 0 : 1;
	}
	if (ok && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
		tool_fail("export", "%s: %s", path, strerror(errno));
		ok = 0;
	}
	if (fclose(f) != 0 && ok) {
		tool_fail("export", "%s: %s", path, strerror(errno));
		ok = 0;
	}
	if (ok && rename(tmp, path) != 0) {
		tool_fail("export", "%s: %s", path, strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok ? 0 : 1;
}

int
cmd_export(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"book", required_argument, NULL, 'b'},
		{"year", required_argument, NULL, 'y'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *book = NULL, *format = NULL, *out_path = NULL;
	char	err[512], *tmp = NULL;
	int	ch, year = 0, rc;
	FILE   *out = stdout;

	while ((ch = getopt_long(argc, argv, "b:y:f:o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			book = optarg;
			break;
		case 'y':
			if ((year = tool_year("export", optarg)) < 0)
				return EXIT_USAGE;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (book == NULL || year == 0 || format == NULL || optind != argc) {
		tool_fail("export", "usage: vanthu export --book B --year Y "
			  "--format csv|html|xlsx [-o FILE]");
		return EXIT_USAGE;
	}
	if (out_path != NULL && (out = export_open(out_path, &tmp)) == NULL)
		return 1;
	rc = store_export(t->st, book, year, format, out, tmp, err,
			  sizeof(err));
	if (rc != 0 && out == stdout && ferror(stdout))
		return tool_output_failed("export", errno);
	if (rc != 0)
		tool_fail("export", "%s", err);
	if (out == stdout)
		return rc != 0;
	return export_close(out, tmp, out_path, rc == 0);
}

int
cmd_assign(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"lead", required_argument, NULL, 'l'},
		{"coop", required_argument, NULL, 'c'},
		{"due", required_argument, NULL, 'd'},
		{"notes", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct reg_assign a = {0};
	char	err[512];
	int	ch;

	while ((ch = getopt_long(argc, argv, "l:c:d:n:", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			a.lead = optarg;
			break;
		case 'c':
			a.coop = optarg;
			break;
		case 'd':
			if (!store_date_valid(optarg)) {
				tool_fail("assign", "bad date '%s': expected "
					  "YYYY-MM-DD", optarg);
				return EXIT_USAGE;
			}
			a.due = optarg;
			break;
		case 'n':
			a.notes = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || (a.lead == NULL && a.coop == NULL &&
				   a.due == NULL && a.notes == NULL)) {
		tool_fail("assign", "usage: vanthu assign ID [--lead WHO] "
			  "[--coop UNITS] [--due DATE] [--notes TEXT]");
		return EXIT_USAGE;
	}
	if (tool_id("assign", argv[optind]) != 0)
		return EXIT_USAGE;
	if (store_assign(t->st, argv[optind], &a, t->actor, t->command, err,
			 sizeof(err)) != 0) {
		tool_fail("assign", "%s", err);
		return 1;
	}
	printf("%s assigned\n", argv[optind]);
	return 0;
}

int
cmd_cancel(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	char	err[512];
	int	ch;

	while ((ch = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		if (ch != 'r')
			return EXIT_USAGE;
		reason = optarg;
	}
	if (optind != argc - 1 || reason == NULL || reason[0] == 0) {
		tool_fail("cancel", "usage: vanthu cancel ID --reason TEXT");
		return EXIT_USAGE;
	}
	if (tool_id("cancel", argv[optind]) != 0)
		return EXIT_USAGE;
	if (store_cancel(t->st, argv[optind], reason, t->actor, t->command,
			 err, sizeof(err)) != 0) {
		tool_fail("cancel", "%s", err);
		return 1;
	}
	printf("%s cancelled; its number stays taken\n", argv[optind]);
	return 0;
}

int
cmd_books(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"direction", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct book_list l;
	const char *name = NULL, *dir = "in";
	char	err[512];
	int	ch;

	while ((ch = getopt_long(argc, argv, "n:d:", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind], "add") != 0 || optind + 2 != argc ||
		    name == NULL) {
			tool_fail("books", "usage: vanthu books add CODE "
				  "--name NAME [--direction in|out]");
			return EXIT_USAGE;
		}
		if (store_book_add(t->st, argv[optind + 1], name, dir, t->actor,
				   t->command, err, sizeof(err)) != 0) {
			tool_fail("books", "%s", err);
			return 1;
		}
		return 0;
	}
	if (store_books(t->st, &l, err, sizeof(err)) != 0) {
		tool_fail("books", "%s", err);
		return 1;
	}
	for (size_t i = 0; i < l.n; i++)
		printf("%s\t%s\t%s\n", l.v[i].code, l.v[i].direction,
		       l.v[i].name);
	book_list_clear(&l);
	return 0;
}

/*
 * The daemon's counters, from the StatsFile it writes (vanthu-milter(8),
 * STATISTICS): Prometheus text lines "name{labels} value".  Comments and
 * counters that are zero are left out; a missing file is said, not an
 * error, since the daemon may not have written it yet.
 */
static int
print_daemon_counters(const char *path)
{
	char	line[512];
	FILE   *fp;
	int	header = 0;

	if (path == NULL)
		return 0;
	if ((fp = fopen(path, "r")) == NULL) {
		printf("\nDaemon counters: %s: %s\n", path, strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char   *sp, *end;

		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || line[0] == 0 || (sp = strrchr(line, ' ')) == NULL)
			continue;
		*sp++ = 0;
		strtod(sp, &end);
		if (*end != 0 || strcmp(sp, "0") == 0)
			continue;
		if (!header) {
			printf("\nDaemon counters (%s):\n", path);
			header = 1;
		}
		printf("  %-60s %s\n", line, sp);
	}
	fclose(fp);
	return 0;
}

int
cmd_stats(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"year", required_argument, NULL, 'y'},
		{NULL, 0, NULL, 0},
	};
	char	err[512];
	int	ch, year = 0;

	while ((ch = getopt_long(argc, argv, "y:", opts, NULL)) != -1) {
		if (ch != 'y')
			return EXIT_USAGE;
		if ((year = tool_year("stats", optarg)) < 0)
			return EXIT_USAGE;
	}
	if (optind != argc) {
		tool_fail("stats", "usage: vanthu stats [--year Y]");
		return EXIT_USAGE;
	}
	if (store_stats(t->st, year, stdout, err, sizeof(err)) != 0) {
		tool_fail("stats", "%s", err);
		return 1;
	}
	return print_daemon_counters(t->stats_file);
}
