/*
 * conf.h - the configuration file, vanthu.conf(5).
 *
 * One "Name value" a line, '#' starts a comment, names are
 * case-insensitive.  conf_load() reads a whole file and reports every
 * error it finds as "file:line: message" before it gives up, so that
 * `vanthu-milter -n` shows them all at once.  With no file, the embedded
 * defaults serve (conf_defaults()).
 *
 * A struct config is read-only once loaded; a reload builds a new one and
 * swaps it in, keeping the old one when the new file is bad.
 */
#ifndef VANTHU_CONF_H
#define VANTHU_CONF_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "netmatch.h"

enum fail_action {
	FAIL_ACCEPT,
	FAIL_TEMPFAIL,
	FAIL_REJECT,
	FAIL__COUNT
};

extern const char *const fail_action_names[FAIL__COUNT];

struct strlist {
	char  **v;
	size_t  n;
};

struct config {
	char   *path;		/* the file read; NULL for embedded defaults */
	char   *text;		/* its bytes, as they were parsed */
	size_t  text_len;

	/* daemon */
	char   *socket;
	int     socket_mode;	/* -1: leave as created */
	char   *socket_group;
	char   *user;
	char   *pidfile;
	int     syslog;		/* log to syslog, else stderr */
	int     syslog_facility;
	int     log_level;
	char   *stats_file;
	unsigned stats_interval;

	/* who is who */
	struct strlist domains;		/* the agency's own, wildcards allowed */
	struct strlist official_domains;
	struct cidr_list internal_hosts;

	/* where things live */
	char   *database;
	char   *spool;
	char   *rules;		/* directory of *.rules files */
	char   *timezone;
	char   *header_prefix;

	/* what happens when something fails */
	uint64_t max_message_size;
	enum fail_action on_oversize;
	enum fail_action on_internal_error;
	enum fail_action on_analysis_error;
	enum fail_action on_store_error;

	/* analysis workers and their limits */
	unsigned analysis_workers;
	unsigned analysis_timeout;	/* seconds, wall time per message */
	uint64_t analysis_memory;	/* bytes of address space per worker */
	unsigned max_parts;
	unsigned max_depth;
	unsigned max_archive_files;
	uint64_t max_archive_size;
	unsigned max_archive_ratio;

	/* signatures */
	struct strlist trust_anchors;
	struct strlist intermediates;
	struct strlist crl_files;
	unsigned signature_clock_skew;	/* seconds */
};

struct config *conf_defaults(void);
/*
 * The configuration in path; NULL after printing every error to errors.
 * conf_load_fd() parses the bytes in fd (read with pread, from the
 * start) and names path in its messages: the daemon hands its workers
 * the configuration it runs so, not whatever the file holds by the time
 * a worker starts.
 */
struct config *conf_load(const char *path, FILE *errors);
struct config *conf_load_fd(const char *path, int fd, FILE *errors);
struct config *conf_free(struct config *);

/* The file the daemon reads when -c is not given: the installed one when
 * it exists, else none (embedded defaults). */
const char *conf_default_path(void);

/*
 * Resolve a UserID value, "user" or "user:group": the user's name into
 * name[], its uid, and the group's gid (the user's own without ":group").
 * Returns 0, or -1 with "no such user \"x\"" or "no such group \"x\"" in
 * why[].
 */
int     conf_user_lookup(const char *spec, char *name, size_t namelen,
			 uid_t *uid, gid_t *gid, char *why, size_t whylen);

/* Parse "accept", "tempfail", "reject"; -1 when none of them. */
int     fail_action_by_name(const char *);

#endif
