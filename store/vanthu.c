/*
 * vanthu.c - `vanthu`, the clerk's register tool: options and dispatch.
 *
 *	vanthu [-c file] [-d database] [-w seconds] command [arguments]
 *
 * The database path and the spool come from the configuration (-c, else
 * the installed file when there is one, else the daemon's defaults); -d
 * names a database directly.  The register is never created here: a
 * missing database is an error.  `vanthu verify` belongs to the signature
 * checker (store/verify_cmd.c); it takes its trust settings from the same
 * configuration.
 * See vanthu(1).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tool.h"
#include "verify_cmd.h"
#include "version.h"
#include "xmalloc.h"

/* How a command opens the register: only a command that changes it
 * opens it for writing, so that reading a copy (a backup looked at before
 * it is restored, a file the clerk may only read) leaves it as it is. */
enum open_mode {
	READS,
	WRITES,
	WRITES_WITH_ARGS,	/* books: reads, "books add" writes */
};

static const struct {
	const char *name;
	int	(*fn)(struct tool *, int, char **);
	enum open_mode mode;
	const char *usage;
} commands[] = {
	{"list", cmd_list, READS, "list [--book B] [--year Y] [--from DATE]"
	 " [--to DATE] [--type T] [--issuer I] [--verdict V] [--status S]"
	 " [--text WORDS] [--limit N] [--json]"},
	{"show", cmd_show, READS, "show ID"},
	{"search", cmd_search, READS, "search [the filters of list] [--json]"
	 " WORDS..."},
	{"get", cmd_get, READS, "get ID -o DIR"},
	{"export", cmd_export, READS, "export --book B --year Y"
	 " --format csv|html|xlsx [-o FILE]"},
	{"assign", cmd_assign, WRITES, "assign ID [--lead WHO] [--coop UNITS]"
	 " [--due DATE] [--notes TEXT]"},
	{"cancel", cmd_cancel, WRITES, "cancel ID --reason TEXT"},
	{"correct", cmd_correct, WRITES, "correct ID [--reference REF]"
	 " [--issuer NAME] [--date DATE] [--type T] [--summary TEXT]"
	 " [--urgency U] [--signer NAME] --reason TEXT"},
	{"books", cmd_books, WRITES_WITH_ARGS, "books [add CODE --name NAME"
	 " --direction in|out]"},
	{"stats", cmd_stats, READS, "stats [--year Y]"},
	{"backup", cmd_backup, READS, "backup DIR"},
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: vanthu [-c file] [-d database] [-w seconds] "
		"command [arguments]\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "       vanthu %s\n", commands[i].usage);
	fprintf(f, "       vanthu verify [--json] [-c CONFIG] [--anchors PATH]..."
		" [--intermediates PATH]... [--crl PATH]... [--skew SECONDS]"
		" FILE\n");
}

/*
 * `vanthu verify` with the trust settings of the configuration every
 * other command reads (-c, else the installed file), so that the clerk
 * sees the verdict the daemon gave; verify's own -c, coming after, is
 * taken over it.
 */
static int
verify(const char *conf_path, int argc, char **argv)
{
	char  **args;
	int	rc;

	if (conf_path == NULL)
		conf_path = conf_default_path();
	if (conf_path == NULL)
		return verify_main(argc, argv);
	args = xcalloc((size_t) argc + 3, sizeof(*args));
	args[0] = argv[0];
	args[1] = (char *) "-c";
	args[2] = (char *) conf_path;
	for (int i = 1; i < argc; i++)
		args[i + 2] = argv[i];
	rc = verify_main(argc + 2, args);
	free(args);
	return rc;
}

/* Whether a shell would read arg as one word as it stands. */
static int
shell_plain(const char *arg)
{
	const unsigned char *p = (const unsigned char *) arg;

	if (*p == 0)
		return 0;
	for (; *p; p++)
		if (*p < 0x80 && strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-", *p) == NULL)
			return 0;
	return 1;
}

/*
 * The command line for the audit log, each argument as a shell would
 * have to be given it: joined with bare spaces, a note holding
 * "--due 2026-01-01" read like an option, and an emptied field vanished.
 */
static char *
command_line(int argc, char **argv)
{
	size_t	len = 1, o = 0;
	char   *s;

	/* At worst every byte is a quote, four bytes as '\'', plus two. */
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) * 4 + 3;
	s = xcalloc(1, len);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (i)
			s[o++] = ' ';
		if (shell_plain(a)) {
			memcpy(s + o, a, strlen(a));
			o += strlen(a);
			continue;
		}
		s[o++] = '\'';
		for (; *a; a++) {
			if (*a == '\'') {
				memcpy(s + o, "'\\''", 4);
				o += 4;
			} else
				s[o++] = *a;
		}
		s[o++] = '\'';
	}
	s[o] = 0;
	return s;
}

static const char *
clerk(void)
{
	struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");

	if (getuid() == 0 && sudo != NULL && sudo[0] != 0)
		return sudo;
	return pw != NULL ? pw->pw_name : "unknown";
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"database", required_argument, NULL, 'd'},
		{"wait", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct tool_conf conf = {0};
	struct tool t = {0};
	const char *conf_path = NULL, *db = NULL, *cmd;
	char	err[512], *end;
	long	wait_s = -1;
	int	ch, rc = 1, cmdidx;
	size_t	i;

	while ((ch = getopt_long(argc, argv, "+c:d:w:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'w':
			wait_s = strtol(optarg, &end, 10);
			if (*optarg == 0 || *end != 0 || wait_s < 0 ||
			    wait_s > 3600) {
				tool_fail("-w", "bad number of seconds '%s'",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vanthu %s\n", VANTHU_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmdidx = optind;
	cmd = argv[cmdidx];
	/* A weak reference would not pull verify_cmd.o out of the library. */
	if (strcmp(cmd, "verify") == 0)
		return verify(conf_path, argc - optind, argv + optind);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		tool_fail(cmd, "unknown command");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (conf_path == NULL)
		conf_path = conf_default_path();
	if (tool_conf_read(conf_path, &conf, err, sizeof(err)) != 0) {
		tool_fail(cmd, "%s", err);
		return 1;
	}
	if (db == NULL)
		db = conf.database;
	/* Never STORE_CREATE: a missing register is an error here. */
	t.st = store_open_wait(db, conf.timezone, commands[i].mode == READS ||
			       (commands[i].mode == WRITES_WITH_ARGS &&
				cmdidx + 1 == argc) ? STORE_READONLY : 0,
			       wait_s >= 0 ? (unsigned) wait_s * 1000 : STORE_WAIT_MS,
			       err, sizeof(err));
	if (t.st == NULL) {
		tool_fail(cmd, "%s", err);
		goto done;
	}
	t.spool = conf.spool;
	t.stats_file = conf.stats_file;
	t.actor = clerk();
	t.command = command_line(argc, argv);
	/* The command parses its own options: argv[0] is its name. */
	optind = 0;
	rc = commands[i].fn(&t, argc - cmdidx, argv + cmdidx);
	/* What the command printed must have reached its reader: a listing
	 * cut short by a full disk is no success. */
	if (rc == 0)
		rc = tool_flush_stdout(cmd);
done:
	t.st = store_close(t.st);
	free(t.command);
	tool_conf_clear(&conf);
	return rc;
}
