/*
 * tool.h - the commands of `vanthu`, the clerk's register tool.
 *
 * vanthu.c reads the global options and the configuration, opens the
 * register and hands the remaining arguments to one cmd_*() function.
 * Each returns the process's exit status: 0 done, 1 failed (the reason
 * is printed on stderr as "vanthu: command: why"), 2 bad usage.
 */
#ifndef VANTHU_TOOL_H
#define VANTHU_TOOL_H

#include "store.h"

#define EXIT_USAGE	2

struct tool {
	struct store *st;
	const char *spool;
	const char *actor;	/* the clerk: login name */
	const char *stats_file;	/* StatsFile, NULL when unset */
	char   *command;	/* the whole command line, for the audit log */
};

/* tool_conf.c: the names `vanthu` needs from vanthu.conf(5), read with
 * conf_load(); NULL path: the embedded defaults. */
struct tool_conf {
	char   *database;
	char   *spool;
	char   *timezone;
	char   *stats_file;	/* the daemon's counters, NULL when unset */
};
int	tool_conf_read(const char *path, struct tool_conf *, char *err,
		       size_t errlen);
void	tool_conf_clear(struct tool_conf *);

int	cmd_list(struct tool *, int argc, char **argv);
int	cmd_search(struct tool *, int argc, char **argv);
int	cmd_show(struct tool *, int argc, char **argv);
int	cmd_get(struct tool *, int argc, char **argv);
int	cmd_export(struct tool *, int argc, char **argv);
int	cmd_assign(struct tool *, int argc, char **argv);
int	cmd_cancel(struct tool *, int argc, char **argv);
int	cmd_correct(struct tool *, int argc, char **argv);
int	cmd_books(struct tool *, int argc, char **argv);
int	cmd_stats(struct tool *, int argc, char **argv);
int	cmd_backup(struct tool *, int argc, char **argv);

/* cmd_get.c: a file name that stays inside its directory, or fallback. */
char   *tool_safe_name(const char *name, const char *fallback);
/* cmd_get.c: the document store's file from written to out (named to in
 * messages), checked against sha256 as it goes: "damaged in the spool"
 * when it does not match.  0, or -1 with err. */
int	tool_copy_checked(const char *from, int out, const char *to,
			  const char *sha256, char *err, size_t errlen);

/* Complaints, in one format. */
void	tool_fail(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A year of four digits 1900..9999; -1 and a complaint otherwise. */
int	tool_year(const char *cmd, const char *s);
/* 0 for a well-formed registration id; -1 and a complaint otherwise. */
int	tool_id(const char *cmd, const char *id);
/* Standard output flushed: 0, or 1 after saying why it could not be
 * written.  A reader that went away (EPIPE) is no failure. */
int	tool_flush_stdout(const char *cmd);
/* The same judgement of a write to standard output that failed with err
 * (an errno value, 0 when unknown). */
int	tool_output_failed(const char *cmd, int err);

#endif
