/*
 * main.c - vanthu-milter: command line, start-up, privilege drop, reload.
 *
 *	vanthu-milter [-f] [-c FILE] [-p SOCKET]	run the daemon
 *	vanthu-milter -n [-c FILE]			check the configuration
 *	vanthu-milter -t FILE.eml [--json] ...		handle one message offline
 *	vanthu-milter -x worker				an analysis worker (internal)
 *
 * Start-up problems are fatal and reported before anything is started;
 * once mail flows, nothing a message does stops the daemon.  SIGUSR1
 * reloads the configuration and keeps the old one when the new one is bad;
 * SIGTERM, SIGINT and SIGHUP stop, letting the messages in flight
 * finish (stop.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "conf.h"
#include "fdio.h"
#include "log.h"
#include "mlfi.h"
#include "offline.h"
#include "perms.h"
#include "rules.h"
#include "runtime.h"
#include "sig_trust.h"
#include "spool.h"
#include "stats.h"
#include "stop.h"
#include "tcpopt.h"
#include "version.h"
#include "worker.h"
#include "xmalloc.h"

#define EX_USAGE	64
#define EX_CONFIG	78

static const char *config_path;
static const char *socket_override;	/* -p */
static struct worker_pool *pool;
static char *pidfile;			/* as written at start */

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vanthu-milter [-f] [-c FILE] [-p SOCKET]\n"
		"       vanthu-milter -n [-c FILE]\n"
		"       vanthu-milter -t FILE.eml [--json] [--from ADDR] [--rcpt ADDR]...\n"
		"                     [--client IP] [--auth USER] [-c FILE]\n"
		"       vanthu-milter -V | -h\n"
		"\n"
		"  -c, --config FILE   configuration file (default /etc/vanthu/vanthu.conf\n"
		"                      when it exists, else the embedded defaults;\n"
		"                      - for standard input, with -n or -t)\n"
		"  -p, --socket SPEC   listen on SPEC instead of the configured Socket\n"
		"  -f, --foreground    stay in the foreground and log to stderr\n"
		"  -n, --check         check the configuration and exit (0, or 78)\n"
		"  -t, --test FILE     handle one message offline and print the outcome\n"
		"                      (- for standard input)\n"
		"      --json          with -t: print JSON\n"
		"      --from ADDR     with -t: envelope sender (default: the From header)\n"
		"      --rcpt ADDR     with -t: a recipient, repeatable (default: To and Cc)\n"
		"      --client IP     with -t: client address (default 192.0.2.1, outside)\n"
		"      --auth USER     with -t: the client authenticated as USER\n"
		"  -V, --version       print the version\n"
		"  -h, --help          print this help\n");
}

static char *
self_exe(void)
{
	char    buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n < 0)
		log_fatal("cannot find my own executable: %m");
	buf[n] = 0;
	return xstrdup(buf);
}

/*
 * The pid file is never written through a symbolic link: one left in a
 * directory others could write would have root truncate any file.
 */
static void
write_pidfile(const char *path)
{
	char    line[32];
	int     fd, n;

	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ELOOP)
		log_fatal("PidFile %s is a symbolic link; refusing to start: "
			  "name the file itself", path);
	if (fd < 0)
		log_fatal("PidFile %s: %m", path);
	n = snprintf(line, sizeof(line), "%ld\n", (long) getpid());
	if (write_full(fd, line, (size_t) n) < 0 || close(fd) < 0)
		log_fatal("PidFile %s: %m", path);
	pidfile = xstrdup(path);
}

/* At a clean stop, the pid file goes, unless it no longer holds our pid
 * (another daemon started since, say). */
static void
remove_pidfile(void)
{
	char    want[32], got[32];
	ssize_t n;
	int     fd;

	if (pidfile == NULL)
		return;
	snprintf(want, sizeof(want), "%ld\n", (long) getpid());
	if ((fd = open(pidfile, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			log_warn("PidFile %s: %m; not removed", pidfile);
	} else {
		n = read(fd, got, sizeof(got) - 1);
		close(fd);
		got[n > 0 ? n : 0] = 0;
		if (strcmp(got, want) != 0)
			log_notice("PidFile %s holds another pid; not removed", pidfile);
		else if (unlink(pidfile) < 0)
			log_warn("PidFile %s: cannot remove it: %m", pidfile);
	}
	free(pidfile);
	pidfile = NULL;
}

/*
 * UserID: "user" or "user:group".  Returns 0 with uid and gid, or -1
 * when none is configured.
 */
static int
configured_user(const struct config *cfg, char *name, size_t namelen,
		uid_t *uid, gid_t *gid)
{
	char    why[300];

	if (cfg->user == NULL)
		return -1;
	if (conf_user_lookup(cfg->user, name, namelen, uid, gid, why, sizeof(why)) < 0)
		log_fatal("UserID: %s", why);
	return 0;
}

/*
 * Root policy: started as root, the daemon becomes UserID once the
 * socket, spool and register are open.  Without UserID it runs on as
 * root, and says so loudly at every start, so that the embedded defaults
 * (`make run` from the source tree) keep working; vanthu-milter(8).
 */
static void
drop_privileges(const struct config *cfg)
{
	uid_t   uid;
	gid_t   gid;
	char    name[256];

	if (geteuid() != 0)
		return;
	if (configured_user(cfg, name, sizeof(name), &uid, &gid) < 0) {
		log_warn("WARNING: running as root because UserID is not set; set "
			 "UserID to an unprivileged user (analysis workers run as nobody)");
		return;
	}
	if (initgroups(name, gid) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		log_fatal("cannot become %s: %m", cfg->user);
	if (uid == 0)
		log_warn("running as root, as UserID %s says", cfg->user);
	else
		log_info("running as %s", cfg->user);
}

static void
report(FILE *errors, const char *why)
{
	if (errors)
		fprintf(errors, "%s\n", why);
	else
		log_error("%s", why);
}

/*
 * SQLite creates the register's file, not its directory.  A directory
 * the spool is to be made in passes: spool_prepare() makes the spool's
 * missing parents before the register is opened.
 */
static int
database_dir_missing(const struct config *cfg, char *why, size_t whylen)
{
	char    dir[PATH_MAX];
	struct stat st;
	size_t  n;

	perms_database_dir(cfg->database, dir, sizeof(dir));
	if (stat(dir, &st) == 0 || errno != ENOENT)
		return 0;
	n = strlen(dir);
	if (strncmp(cfg->spool, dir, n) == 0 &&
	    (cfg->spool[n] == '/' || cfg->spool[n] == 0))
		return 0;
	snprintf(why, whylen, "Database %s: its directory %s does not exist; "
		 "create it, or name another in Database", cfg->database, dir);
	return 1;
}

/*
 * Refuse a spool or register directory that others may write into, and
 * a register's directory that does not exist; the reasons go to errors,
 * or to the log when errors is NULL.
 */
static int
check_directories(const struct config *cfg, FILE *errors)
{
	char    dir[PATH_MAX], why[2 * PATH_MAX + 200];
	int     bad = 0;

	perms_database_dir(cfg->database, dir, sizeof(dir));
	for (int i = 0; i < 2; i++) {
		if (perms_check_dir(i == 0 ? "Spool" : "The register's directory",
				    i == 0 ? cfg->spool : dir, why, sizeof(why)) == 0)
			continue;
		report(errors, why);
		bad = 1;
	}
	if (database_dir_missing(cfg, why, sizeof(why))) {
		report(errors, why);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * Once root is dropped (or never held), the spool and the register's
 * directory must be writable by whoever the daemon now is.  A directory
 * left by an earlier run as another user would otherwise let the daemon
 * listen and defer every message (spool) or fail every registration
 * (register), with the reason only in each message's log line.
 */
static void
check_writable(const struct config *cfg)
{
	struct passwd *pw = getpwuid(geteuid());
	char    who[64], path[PATH_MAX];

	if (pw != NULL)
		snprintf(who, sizeof(who), "%s", pw->pw_name);
	else
		snprintf(who, sizeof(who), "uid %ld", (long) geteuid());
	snprintf(path, sizeof(path), "%s/tmp", cfg->spool);
	if (access(cfg->spool, W_OK | X_OK) < 0 || access(path, W_OK | X_OK) < 0)
		log_fatal("Spool %s: the daemon's user %s cannot write it: %m",
			  cfg->spool, who);
	perms_database_dir(cfg->database, path, sizeof(path));
	if (access(path, W_OK | X_OK) < 0)
		log_fatal("Database %s: the daemon's user %s cannot write its "
			  "directory: %m", cfg->database, who);
	if (access(cfg->database, R_OK | W_OK) < 0)
		log_fatal("Database %s: the daemon's user %s cannot write it: %m",
			  cfg->database, who);
}

/* What a spool holds: tmp and the ab/ directories of the documents;
 * lost+found when the spool is a file system of its own. */
static int
spool_entry(const char *name, const void *arg)
{
	(void) arg;
	if (strcmp(name, "tmp") == 0 || strcmp(name, "lost+found") == 0)
		return 1;
	return strlen(name) == 2 && strspn(name, "0123456789abcdef") == 2;
}

/* The names the register's directory may hold. */
struct database_names {
	const char *base;	/* the database file's */
	const char *spool;	/* the Spool's, when it is in that directory */
};

/* What the register's directory holds: the database file, the files
 * SQLite makes beside it, and the spool when it is kept there too (the
 * default ./var/register.sqlite and ./var/spool). */
static int
database_entry(const char *name, const void *arg)
{
	const struct database_names *dn = arg;
	size_t  n = strlen(dn->base);

	if (strcmp(name, "lost+found") == 0 ||
	    (dn->spool != NULL && strcmp(name, dn->spool) == 0))
		return 1;
	return strncmp(name, dn->base, n) == 0 && (name[n] == 0 ||
	    strcmp(name + n, "-wal") == 0 || strcmp(name + n, "-shm") == 0 ||
	    strcmp(name + n, "-journal") == 0);
}

/* The spool is created by root before the drop: give it to UserID, unless
 * it is a directory that holds other things than a spool's. */
static void
hand_over_spool(const struct config *cfg)
{
	char    tmp[PATH_MAX], name[256], other[256];
	uid_t   uid;
	gid_t   gid;
	int     r;

	if (geteuid() != 0 || configured_user(cfg, name, sizeof(name), &uid, &gid) < 0)
		return;
	snprintf(tmp, sizeof(tmp), "%s/tmp", cfg->spool);
	r = perms_hand_over_own(cfg->spool, uid, gid, spool_entry, NULL,
				other, sizeof(other));
	if (r == 1)
		log_fatal("Spool %s belongs to root and holds %s, which is not "
			  "the spool's: it is not given to %s; name a directory "
			  "of its own", cfg->spool, other, cfg->user);
	if (r < 0 || perms_hand_over(tmp, uid, gid) < 0)
		log_fatal("Spool %s: cannot give it to %s: %m", cfg->spool, cfg->user);
}

/*
 * The register was opened as root: its file, the WAL and shared-memory
 * files SQLite made beside it, and its directory go to UserID, who keeps
 * writing them once root is dropped.
 */
static void
hand_over_database(const struct config *cfg)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char    path[PATH_MAX], dir[PATH_MAX], name[256], other[256];
	char    spool_dir[PATH_MAX];
	struct database_names dn;
	uid_t   uid;
	gid_t   gid;
	int     r;

	if (geteuid() != 0 || configured_user(cfg, name, sizeof(name), &uid, &gid) < 0)
		return;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", cfg->database, suffixes[i]);
		if (perms_hand_over(path, uid, gid) < 0 && errno != ENOENT)
			log_fatal("Database %s: cannot give it to %s: %m", path, cfg->user);
	}
	perms_database_dir(cfg->database, dir, sizeof(dir));
	if (strcmp(dir, ".") == 0)
		return;
	dn.base = strrchr(cfg->database, '/') + 1;
	/* perms_database_dir() finds the directory of any path */
	perms_database_dir(cfg->spool, spool_dir, sizeof(spool_dir));
	dn.spool = strcmp(spool_dir, dir) == 0 ? strrchr(cfg->spool, '/') + 1 :
	    NULL;
	r = perms_hand_over_own(dir, uid, gid, database_entry, &dn, other,
				sizeof(other));
	if (r == 1)
		log_fatal("Database directory %s belongs to root and holds %s, "
			  "which is not the register's: it is not given to %s; "
			  "keep the register in a directory of its own", dir,
			  other, cfg->user);
	if (r < 0)
		log_fatal("Database directory %s: cannot give it to %s: %m", dir, cfg->user);
}

/*
 * Whether a process accepts connections on the unix socket at path.
 * libmilter removes whatever is at the path before it binds: that is
 * right for a socket a dead daemon left, but a running one would go on
 * unseen, its socket taken.
 */
static int
unix_socket_live(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int     fd, live;

	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	live = connect(fd, (struct sockaddr *) &sun, sizeof(sun)) == 0;
	close(fd);
	return live;
}

static void
prepare_socket(const struct config *cfg)
{
	const char *path = NULL;

	if (strncasecmp(cfg->socket, "unix:", 5) == 0 ||
	    strncasecmp(cfg->socket, "local:", 6) == 0)
		path = strchr(cfg->socket, ':') + 1;
	if (path && unix_socket_live(path))
		log_fatal("Socket %s: another process is listening on it "
			  "(a vanthu-milter already running?); not taking it over",
			  cfg->socket);
	if (smfi_setconn((char *) cfg->socket) != MI_SUCCESS)
		log_fatal("Socket %s: not usable", cfg->socket);
	if (smfi_register(mlfi_desc) != MI_SUCCESS)
		log_fatal("cannot register with libmilter");
	if (smfi_opensocket(1) != MI_SUCCESS)
		log_fatal("Socket %s: cannot open it", cfg->socket);
	/* Over TCP, header changes and the final reply at end of message
	 * would meet Nagle's algorithm and the MTA's delayed ACK: 40 ms a
	 * message.  See tcpopt.h. */
	if (strncasecmp(cfg->socket, "inet", 4) == 0 && tcpopt_nodelay_listeners() < 0)
		log_warn("Socket %s: cannot set TCP_NODELAY: %m; expect 40 ms a message",
			 cfg->socket);
	mlfi_set_skip_replies(path != NULL);
	if (path && cfg->socket_group) {
		struct group *gr = getgrnam(cfg->socket_group);

		if (gr == NULL || chown(path, (uid_t) -1, gr->gr_gid) < 0)
			log_fatal("SocketGroup %s on %s: %m", cfg->socket_group, path);
	}
	if (path && cfg->socket_mode >= 0 && chmod(path, (mode_t) cfg->socket_mode) < 0)
		log_fatal("SocketMode on %s: %m", path);
}

/*
 * Detach.  The command that started the daemon waits until the child
 * says it is ready (daemon_ready()) and exits 0, or exits 1 when the
 * child dies first: the pid file, UserID and the workers come after the
 * fork, and a boot script must not take their failure for a start.
 * Standard error stays when it is the log (Syslog no): a log sent to
 * /dev/null would leave the admin nothing to read.  Returns the
 * descriptor the child writes its word on.
 */
static int
daemonize(int keep_stderr)
{
	int     pipefd[2], fd;
	ssize_t n;
	pid_t   pid;
	char    c = 0;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		log_fatal("pipe: %m");
	if ((pid = fork()) < 0)
		log_fatal("fork: %m");
	if (pid > 0) {
		close(pipefd[1]);
		while ((n = read(pipefd[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (n == 1 && c == 'R')
			_exit(0);
		fprintf(stderr, "vanthu-milter: the daemon did not start; "
			"its log says why\n");
		_exit(1);
	}
	close(pipefd[0]);
	/* Clear of the standard descriptors /dev/null replaces below. */
	if (pipefd[1] <= 2) {
		fd = fcntl(pipefd[1], F_DUPFD_CLOEXEC, 3);
		close(pipefd[1]);
		pipefd[1] = fd;
	}
	if (setsid() < 0)
		log_fatal("setsid: %m");
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (!keep_stderr)
			dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return pipefd[1];
}

/* Tell the command that started the daemon that it runs (daemonize()). */
static void
daemon_ready(int fd)
{
	if (fd < 0)
		return;
	if (write(fd, "R", 1) != 1)
		log_warn("cannot tell the starting command that the daemon runs: %m");
	close(fd);
}

/* The largest reply a worker may send under this configuration: it
 * grows with MaxMessageSize and MaxArchiveSize. */
static size_t
reply_limit(const struct config *cfg)
{
	return (size_t) (cfg->max_message_size * 2 + cfg->max_archive_size + (1 << 20));
}

/* A setting the daemon uses only at start: a reload that changes it
 * says so, and the value started with stays in force. */
static void
changed(const char *name, const char *was, const char *now)
{
	if (strcmp(was, now) != 0)
		log_warn("reload: %s changed (%s -> %s): takes effect at the next start",
			 name, was, now);
}

static const char *
or_none(const char *s)
{
	return s != NULL ? s : "none";
}

static void
keep_string(const char *name, char **now, const char *was)
{
	changed(name, or_none(was), or_none(*now));
	free(*now);
	*now = was != NULL ? xstrdup(was) : NULL;
}

static void
keep_unsigned(const char *name, unsigned *now, unsigned was, const char *unit)
{
	char    a[32], b[32];

	snprintf(a, sizeof(a), "%u%s", was, unit);
	snprintf(b, sizeof(b), "%u%s", *now, unit);
	changed(name, a, b);
	*now = was;
}

static const char *
mode_text(int mode, char *buf, size_t len)
{
	if (mode < 0)
		return "none";
	snprintf(buf, len, "%04o", (unsigned) mode);
	return buf;
}

static void
keep_start_settings(struct config *new, const struct config *old)
{
	char    a[16], b[16];

	keep_string("Socket", &new->socket, old->socket);
	changed("SocketMode", mode_text(old->socket_mode, a, sizeof(a)),
		mode_text(new->socket_mode, b, sizeof(b)));
	new->socket_mode = old->socket_mode;
	keep_string("SocketGroup", &new->socket_group, old->socket_group);
	keep_string("UserID", &new->user, old->user);
	keep_string("PidFile", &new->pidfile, old->pidfile);
	changed("Syslog", old->syslog ? "yes" : "no", new->syslog ? "yes" : "no");
	new->syslog = old->syslog;
	changed("SyslogFacility", log_facility_name(old->syslog_facility),
		log_facility_name(new->syslog_facility));
	new->syslog_facility = old->syslog_facility;
	keep_string("Database", &new->database, old->database);
	keep_string("Spool", &new->spool, old->spool);
	keep_string("Timezone", &new->timezone, old->timezone);
	keep_unsigned("AnalysisWorkers", &new->analysis_workers,
		      old->analysis_workers, "");
	keep_string("StatsFile", &new->stats_file, old->stats_file);
	keep_unsigned("StatsInterval", &new->stats_interval, old->stats_interval, "s");
}

/*
 * The workers load the trust files themselves before they confine
 * themselves; reading them here too reports every bad one (-n, a
 * reload) and keeps the daemon from starting workers that cannot start.
 */
static int
trust_usable(const struct config *cfg, FILE *errors)
{
	struct sig_trust *trust;

	trust = sig_trust_load(&cfg->trust_anchors, &cfg->intermediates,
			       &cfg->crl_files, cfg->signature_clock_skew, errors);
	if (trust == NULL)
		return -1;
	sig_trust_free(trust);
	return 0;
}

/* Each line a loader wrote, to the log: a daemon's standard error is
 * /dev/null, and the reasons a reload is refused must not go there. */
static void
log_errors(char *buf)
{
	char   *line, *save = NULL;

	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		log_error("reload: %s", line);
}

static void *
reload_thread(void *arg)
{
	sigset_t *set = arg;
	int     sig;

	for (;;) {
		struct config *cfg;
		struct ruleset *rules;
		struct runtime *old;
		char   *errs = NULL;
		size_t  nerrs = 0;
		int     trusted;
		FILE   *ef;

		if (sigwait(set, &sig) != 0)
			continue;
		log_info("reload: reading %s", config_path ? config_path : "the embedded defaults");
		if ((ef = open_memstream(&errs, &nerrs)) == NULL)
			ef = stderr;
		cfg = config_path ? conf_load(config_path, ef) : conf_defaults();
		rules = cfg ? rules_load(cfg->rules, ef) : NULL;
		trusted = rules && trust_usable(cfg, ef) == 0;
		if (ef != stderr) {
			fclose(ef);
			log_errors(errs);
			free(errs);
		}
		if (cfg == NULL) {
			log_error("reload: %s has errors; keeping the old configuration",
				  config_path);
			continue;
		}
		if (rules == NULL) {
			log_error("reload: rules in %s have errors; keeping the "
				  "old configuration and rules", cfg->rules);
			conf_free(cfg);
			continue;
		}
		if (!trusted) {
			log_error("reload: trust files in %s cannot be used; "
				  "keeping the old configuration", config_path);
			rules_unref(rules);
			conf_free(cfg);
			continue;
		}
		/* -p still names the socket, whatever the file says */
		if (socket_override != NULL) {
			free(cfg->socket);
			cfg->socket = xstrdup(socket_override);
		}
		old = runtime_current();
		keep_start_settings(cfg, old->cfg);
		runtime_release(old);
		log_set_level(cfg->log_level);
		worker_pool_set_config(pool, cfg->text, cfg->text_len);
		worker_pool_set_limits(pool, cfg->analysis_timeout, reply_limit(cfg));
		runtime_install(runtime_new(cfg, rules));
		worker_pool_recycle(pool);
		log_info("reload: done");
	}
	return NULL;
}

static int
run_daemon(struct config *cfg, struct ruleset *rules, int foreground)
{
	struct worker_params wp = {0};
	static char doc_dir[PATH_MAX];
	static sigset_t usr1;
	sigset_t blocked;
	struct store *store;
	char    err[256];
	pthread_t tid;
	struct runtime *rt;
	char   *exe = self_exe();
	unsigned left;
	int     r, ready_fd = -1;

	log_open("vanthu-milter", foreground || !cfg->syslog ? LOG_TO_STDERR :
		 LOG_TO_SYSLOG, cfg->syslog_facility);
	log_set_level(cfg->log_level);
	signal(SIGPIPE, SIG_IGN);

	if (check_directories(cfg, NULL) < 0) {
		rules_unref(rules);
		conf_free(cfg);
		free(exe);
		return EX_CONFIG;
	}
	if (spool_prepare(cfg->spool) < 0)
		log_fatal("Spool %s: %m", cfg->spool);
	hand_over_spool(cfg);
	/* Before any thread: store_open() sets the process's time zone. */
	if ((store = store_open(cfg->database, cfg->timezone, STORE_CREATE,
				err, sizeof(err))) == NULL)
		log_fatal("Database %s: %s", cfg->database, err);
	store_set_spool(store, cfg->spool);
	mlfi_set_store(store);
	hand_over_database(cfg);
	prepare_socket(cfg);
	if (!foreground)
		ready_fd = daemonize(!cfg->syslog);
	write_pidfile(cfg->pidfile);
	drop_privileges(cfg);
	check_writable(cfg);
	if (stats_writer_start(cfg->stats_file, cfg->stats_interval) < 0)
		log_fatal("cannot start the stats writer: %m");

	wp.exe = exe;
	wp.config_path = config_path;
	wp.config_text = cfg->text;
	wp.config_len = cfg->text_len;
	wp.foreground = foreground || !cfg->syslog;
	wp.syslog_facility = cfg->syslog_facility;
	wp.user = cfg->user;
	wp.nworkers = cfg->analysis_workers;
	wp.timeout = cfg->analysis_timeout;
	wp.reply_max = reply_limit(cfg);
	wp.recycle_after = 1000;
	/* Documents arrive as unnamed files beside the message spool, on the
	 * file system they are linked into (Spool changes only on restart). */
	if ((size_t) snprintf(doc_dir, sizeof(doc_dir), "%s/tmp", cfg->spool) >=
	    sizeof(doc_dir))
		log_fatal("Spool %s: path too long", cfg->spool);
	wp.doc_dir = doc_dir;
	if ((pool = worker_pool_start(&wp)) == NULL)
		log_fatal("cannot start the analysis workers");
	mlfi_set_pool(pool);
	runtime_install(runtime_new(cfg, rules));

	/*
	 * Every thread blocks the signals that threads wait for: SIGUSR1
	 * the reload thread, SIGHUP, SIGTERM and SIGINT the stop thread
	 * (and the signal thread libmilter starts in smfi_main()).
	 * Otherwise one of them would be delivered to a thread that does
	 * not wait for it, and kill the process.  SIGUSR2 has a handler
	 * that does nothing: the stop thread uses it to wake this one.
	 */
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	sigaddset(&blocked, SIGHUP);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGINT);
	pthread_sigmask(SIG_BLOCK, &blocked, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (pthread_create(&tid, NULL, reload_thread, &usr1) != 0)
		log_fatal("cannot start the reload thread");
	pthread_detach(tid);
	if (stop_watch() < 0)
		log_fatal("cannot start the stop thread");
	daemon_ready(ready_fd);

	/* cfg now belongs to the runtime, which a reload may free. */
	rt = runtime_current();
	log_info("vanthu-milter %s listening on %s with %u analysis workers",
		 VANTHU_VERSION, rt->cfg->socket, wp.nworkers);
	runtime_release(rt);
	r = smfi_main();
	log_info("stopping");
	left = stop_messages_left();
	stats_writer_stop();
	if (left == 0) {
		pool = worker_pool_stop(pool);
		store = store_close(store);
		log_info("stopped");
	} else {
		/* Their threads still use the workers and the register: both
		 * end with the process, an open transaction rolled back.
		 * exit() would run the libraries' exit handlers under them. */
		log_warn("stopped with %u message%s still in flight: the MTA "
			 "applies its milter default action to %s", left,
			 left == 1 ? "" : "s", left == 1 ? "it" : "them");
		remove_pidfile();
		_exit(r == MI_SUCCESS ? 0 : 1);
	}
	remove_pidfile();
	free(exe);
	return r == MI_SUCCESS ? 0 : 1;
}

int
main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_FROM, OPT_RCPT, OPT_CLIENT, OPT_AUTH };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 'p'},
		{"foreground", no_argument, NULL, 'f'},
		{"check", no_argument, NULL, 'n'},
		{"test", required_argument, NULL, 't'},
		{"json", no_argument, NULL, OPT_JSON},
		{"from", required_argument, NULL, OPT_FROM},
		{"rcpt", required_argument, NULL, OPT_RCPT},
		{"client", required_argument, NULL, OPT_CLIENT},
		{"auth", required_argument, NULL, OPT_AUTH},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct offline_opts off = {0};
	const char *socket = NULL, *test_file = NULL;
	struct config *cfg;
	struct ruleset *rules;
	int     ch, foreground = 0, check = 0;

	/* The worker is this same program, re-executed. */
	if (argc >= 3 && strcmp(argv[1], "-x") == 0 && strcmp(argv[2], "worker") == 0)
		return aw_main(argc, argv);

	while ((ch = getopt_long(argc, argv, "c:p:fnt:Vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'p':
			socket = optarg;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'n':
			check = 1;
			break;
		case 't':
			test_file = optarg;
			break;
		case OPT_JSON:
			off.json = 1;
			break;
		case OPT_FROM:
			off.from = optarg;
			break;
		case OPT_RCPT:
			off.rcpts = xreallocarray(off.rcpts, off.nrcpts + 1, sizeof(char *));
			off.rcpts[off.nrcpts++] = optarg;
			break;
		case OPT_CLIENT:
			off.client = optarg;
			break;
		case OPT_AUTH:
			off.auth = optarg;
			break;
		case 'V':
			printf("vanthu-milter %s\n", VANTHU_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	/*
	 * "-" is standard input.  The daemon reads its file again on
	 * SIGUSR1, when standard input has nothing left: an empty file
	 * would be the embedded defaults, taken without a word.
	 */
	if (config_path != NULL && strcmp(config_path, "-") == 0) {
		if (!check && test_file == NULL) {
			fprintf(stderr, "vanthu-milter: -c - (standard input) "
				"serves -n and -t only: the daemon reads its "
				"configuration again on SIGUSR1\n");
			return EX_USAGE;
		}
		if (test_file != NULL && strcmp(test_file, "-") == 0) {
			fprintf(stderr, "vanthu-milter: -c - and -t - both "
				"read standard input\n");
			return EX_USAGE;
		}
	}

	if (config_path == NULL)
		config_path = conf_default_path();
	cfg = config_path ? conf_load(config_path, stderr) : conf_defaults();
	if (cfg == NULL)
		return EX_CONFIG;
	if (socket) {
		free(cfg->socket);
		cfg->socket = xstrdup(socket);
		socket_override = socket;
	}
	if ((rules = rules_load(cfg->rules, stderr)) == NULL) {
		if (config_path == NULL && cfg->rules[0] != '/')
			fprintf(stderr, "vanthu-milter: with no configuration "
				"file the embedded defaults apply, and their "
				"paths (%s, %s) are relative to the source "
				"tree: run from there, or give -c FILE\n",
				cfg->rules, cfg->spool);
		conf_free(cfg);
		return EX_CONFIG;
	}
	if (check && check_directories(cfg, stderr) < 0) {
		rules_unref(rules);
		conf_free(cfg);
		return EX_CONFIG;
	}
	if (trust_usable(cfg, stderr) < 0) {
		rules_unref(rules);
		conf_free(cfg);
		return EX_CONFIG;
	}
	if (check) {
		printf("%s: configuration OK, %zu rules from %s\n",
		       config_path ? config_path : "embedded defaults",
		       rules_count(rules), cfg->rules);
		rules_unref(rules);
		conf_free(cfg);
		return 0;
	}
	if (test_file) {
		char   *exe = self_exe();
		int     r;

		log_open("vanthu-milter", LOG_TO_STDERR, 0);
		log_set_level(cfg->log_level < LOG_NOTICE ? cfg->log_level : LOG_NOTICE);
		off.file = test_file;
		off.exe = exe;
		off.config_path = config_path;
		r = offline_run(cfg, rules, &off);
		free(exe);
		free(off.rcpts);
		return r;
	}
	free(off.rcpts);
	return run_daemon(cfg, rules, foreground);
}
