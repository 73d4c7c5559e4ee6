/*
 * aw_main.c - the analysis worker process: "vanthu-milter -x worker".
 *
 * Started by worker.c with its end of a socketpair on descriptor 3 and
 * the daemon's configuration on 4 (-C 4).  It loads what it needs while
 * it may (configuration limits, file-type database, trust anchors), then
 * gives up everything else: other descriptors, root, the ability to write
 * files or gain privileges, and most of the address space.  Then it
 * answers requests one at a time until the socket closes.  It holds no
 * register, no network and no file of the daemon's: each message's bytes
 * arrive on the socket after its request.
 *
 * A request it cannot read ends the process; the parent sees the closed
 * socket and replaces it.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aw_pipeline.h"
#include "aw_tnef.h"
#include "conf.h"
#include "log.h"
#include "sandbox.h"
#include "worker.h"
#include "wproto.h"
#include "xmalloc.h"

#define WORKER_FD	3
#define WORKER_NOFILE	64
#define WORKER_HEAP_KEEP	(16 << 20)

static void
drop_privileges(const char *user)
{
	char    name[256], why[300];
	uid_t   uid;
	gid_t   gid;

	if (geteuid() != 0)
		return;
	if (conf_user_lookup(user ? user : "nobody", name, sizeof(name), &uid,
			     &gid, why, sizeof(why)) < 0)
		log_fatal("worker: cannot run as %s: %s", user ? user : "nobody", why);
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		log_fatal("worker: cannot become %s: %m", name);
	if (setuid(0) == 0)
		log_fatal("worker: could regain root after dropping it");
}

static void
set_limit(int resource, rlim_t value, const char *name)
{
	struct rlimit rl = {value, value};

	if (setrlimit(resource, &rl) < 0)
		log_warn("worker: cannot set %s limit: %m", name);
}

/*
 * The address space mapped now, in bytes, from /proc/self/statm; 0 when
 * it cannot be read.  Most of it is libraries that poppler and libmagic
 * bring (ICU's data alone is 30 MB), mapped but hardly read: about 90 MB
 * with Debian 12's, and more or less with other builds.
 */
static uint64_t
mapped_now(void)
{
	unsigned long long pages = 0;
	FILE   *fp = fopen("/proc/self/statm", "r");

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%llu", &pages) != 1)
		pages = 0;
	fclose(fp);
	return (uint64_t) pages * (uint64_t) sysconf(_SC_PAGESIZE);
}

static void
confine(const struct config *cfg)
{
	uint64_t base = mapped_now();
	struct stat st;

	if (chdir("/") < 0)
		log_fatal("worker: chdir /: %m");
	/* No file may grow, unless stderr is one: with the daemon's log a
	 * file (vanthu-milter -f 2>>file) the limit would kill the worker
	 * at its first log line.  The system call filter lets no file be
	 * opened for writing either way. */
	if (fstat(STDERR_FILENO, &st) < 0 || !S_ISREG(st.st_mode))
		set_limit(RLIMIT_FSIZE, 0, "file size");
	set_limit(RLIMIT_CORE, 0, "core size");
	set_limit(RLIMIT_NOFILE, WORKER_NOFILE, "open files");
	/* AnalysisMemory is what a message's analysis may add to what the
	 * worker has mapped once ready: a limit below that would leave
	 * the libraries no room at all.  AddressSanitizer and
	 * ThreadSanitizer reserve terabytes of address space, so such a
	 * build gets no limit. */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	log_debug("worker: %llu MB mapped when ready, %llu MB more allowed",
		  (unsigned long long) (base >> 20),
		  (unsigned long long) (cfg->analysis_memory >> 20));
	set_limit(RLIMIT_AS, (rlim_t) (base + cfg->analysis_memory), "address space");
#else
	log_debug("worker: %llu MB mapped when ready, no limit (sanitizer build)",
		  (unsigned long long) (base >> 20));
	(void) cfg;
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		log_warn("worker: cannot set no_new_privs: %m");
}

/*
 * Each request allocates a whole message and its documents and frees
 * them again.  Left to itself glibc maps blocks that large on their own
 * and gives freed ones back to the kernel (munmap, or trimming the
 * heap), so the next request faults in fresh zeroed pages: a third of a
 * worker's CPU on a 600 KB message with three documents.  Blocks under
 * WORKER_HEAP_KEEP come from the heap, and up to that much freed memory
 * stays there for the next request.  RLIMIT_AS still bounds the worker,
 * and it is replaced after its 1,000th request.
 */
static void
keep_heap(void)
{
#if !defined(__SANITIZE_ADDRESS__)
	/* AddressSanitizer's allocator has no such settings. */
	if (mallopt(M_MMAP_THRESHOLD, WORKER_HEAP_KEEP) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, WORKER_HEAP_KEEP) != 1)
		log_warn("worker: cannot keep freed memory for the next request");
#endif
}

/* Give this job its CPU seconds on top of what the process has used. */
static void
limit_cpu(unsigned seconds)
{
	struct rusage ru;
	struct rlimit rl;

	if (getrusage(RUSAGE_SELF, &ru) < 0 || getrlimit(RLIMIT_CPU, &rl) < 0)
		return;
	rl.rlim_cur = (rlim_t) ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + seconds + 1;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CPU, &rl);
}

static int
serve_one(int sock, struct aw_context *ctx, unsigned cpu_seconds)
{
	struct wrequest q;
	struct wreply rep;
	const char *why = NULL;
	int     r, retire;

	if ((r = wproto_recv_request(sock, &q, &why)) < 0) {
		if (r == -1 && errno == 0)
			return 0;	/* the parent closed: we are done */
		log_error("worker: %s", why);
		return -1;
	}
	memset(&rep, 0, sizeof(rep));
	rep.id = q.id;
	if (q.message == NULL) {
		rep.status = WREP_FAILED;
		rep.error = xasprintf("no memory for the message (%llu bytes)",
				      (unsigned long long) q.size);
	} else {
		limit_cpu(cpu_seconds);
		if (aw_analyse(ctx, (const char *) q.message, (size_t) q.size, &q,
			       &rep.analysis) < 0) {
			rep.status = WREP_FAILED;
			rep.error = rep.analysis.error ? xstrdup(rep.analysis.error) :
			    xstrdup("analysis failed");
		}
	}
	/* A library that may have lost memory to this message: the daemon
	 * starts another worker for the next one. */
	rep.retire = retire = aw_tnef_used();
	r = wproto_send_reply(sock, &rep);
	wreply_clear(&rep);
	wrequest_clear(&q);
	if (r < 0) {
		log_error("worker: cannot send the reply: %m");
		return -1;
	}
	if (retire) {
		log_debug("worker: retiring after a winmail.dat (libytnef)");
		return 0;
	}
	return 1;
}

int
aw_main(int argc, char **argv)
{
	const char *config_path = NULL, *user = NULL;
	struct config *cfg;
	struct aw_context *ctx;
	int     foreground = 0, conf_fd = -1, facility = -1, ch, r;

	optind = 1;
	while ((ch = getopt(argc, argv, "c:C:fF:u:x:")) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'C':
			conf_fd = atoi(optarg);
			break;
		case 'f':
			foreground = 1;
			break;
		case 'F':
			facility = log_facility_by_name(optarg);
			break;
		case 'u':
			user = optarg;
			break;
		case 'x':
			break;
		default:
			return 64;
		}
	}
	/* The daemon's configuration, from the descriptor it gave: the file
	 * may have been edited since the daemon read it. */
	if (config_path == NULL)
		cfg = conf_defaults();
	else if (conf_fd > WORKER_FD)
		cfg = conf_load_fd(config_path, conf_fd, stderr);
	else
		cfg = conf_load(config_path, stderr);
	if (cfg == NULL)
		return 78;
	/* The daemon says where it logs (-f, -F) and whom it started as
	 * (-u): a reload changes neither, and the text it hands over may. */
	log_open("vanthu-worker", foreground ? LOG_TO_STDERR : LOG_TO_SYSLOG,
		 facility >= 0 ? facility : cfg->syslog_facility);
	log_set_level(cfg->log_level);
	signal(SIGPIPE, SIG_IGN);
	/* A worker ends when the daemon closes its socket, or is killed by
	 * it.  The signals meant for the daemon reach its workers too (a
	 * terminal's ^C, a kill of the whole group, pkill vanthu): they must
	 * not cut short an analysis the stopping daemon waits for. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	/* What top and ps -o comm show for the daemon's children. */
	prctl(PR_SET_NAME, "vanthu-worker", 0, 0, 0);

	/* Nothing but stdio and our socket stays open.  What a library
	 * prints on standard output (libytnef does) goes where our errors
	 * go: the daemon's standard output may be what -t prints. */
	if (close_range(WORKER_FD + 1, ~0U, 0) < 0)
		log_warn("worker: close_range: %m");
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		log_warn("worker: standard output: %m");

	if ((ctx = aw_context_open(cfg, stderr)) == NULL)
		log_fatal("worker: cannot prepare the analysis");
	drop_privileges(user);
	confine(cfg);
	keep_heap();
	if (sandbox_enter() < 0)
		log_warn("worker: running without a system call filter");

	while ((r = serve_one(WORKER_FD, ctx, cfg->analysis_timeout)) > 0)
		;
	aw_context_close(ctx);
	conf_free(cfg);
	return r < 0 ? 1 : 0;
}
