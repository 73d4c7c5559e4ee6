/*
 * worker.c - start, feed, time out and replace analysis workers; see
 * worker.h.
 *
 * Each slot holds one worker process.  A thread that wants an analysis
 * takes an idle slot under the pool mutex, talks to its worker without the
 * mutex, and puts the slot back.  A slot whose worker died or misbehaved
 * is left empty and filled again by the next thread that takes it, so a
 * crash costs the one message that caused it and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdio.h"
#include "log.h"
#include "stats.h"
#include "worker.h"
#include "xmalloc.h"

#define WORKER_FD	3	/* the worker's end of the socketpair */
#define WORKER_CONF_FD	4	/* its configuration, read once at start */

struct worker {
	pid_t   pid;		/* 0: no process */
	int     sock;
	unsigned jobs;
	int     busy;
	int     recycle;	/* replace before the next job */
};

struct worker_pool {
	struct worker_params params;
	char   *exe;
	char   *config_path;
	char   *user;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	struct worker *slots;
	unsigned nslots;
	uint64_t next_id;
	atomic_ulong restarts;
	/* From params, and set again by a reload while jobs run. */
	atomic_uint timeout;
	atomic_size_t reply_max;
	pthread_mutex_t conf_lock;
	int     conf_fd;	/* a sealed memfd; -1: workers read the file */
	int     exe_fd;		/* this program as it was started, or -1 */
	char  **envp;		/* the workers' environment */
};

extern char **environ;

/*
 * The environment workers start with: the daemon's.  In a sanitizer
 * build LeakSanitizer is turned off for them: its check at exit needs a
 * tracer that the system call filter does not let it start (it would
 * only print that it could not run).  AddressSanitizer and UBSan stay on.
 */
static char **
worker_environment(void)
{
#if defined(__SANITIZE_ADDRESS__)
	size_t  n = 0, k = 0;
	char  **env;
	const char *asan = getenv("ASAN_OPTIONS");

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof(*env));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0)
			env[k++] = environ[i];
	env[k++] = xasprintf("ASAN_OPTIONS=%s%sdetect_leaks=0", asan ? asan : "",
			     asan && *asan ? ":" : "");
	env[k] = NULL;
	return env;
#else
	return environ;
#endif
}

/* fd moved to a descriptor of 10 or more, clear of those a child sets
 * up below it (close-on-exec); -1 when fd is -1 or cannot be moved. */
static int
fcntl_dup_high(int fd)
{
	int     high, saved;

	if (fd < 0)
		return -1;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	saved = errno;
	close(fd);
	errno = saved;
	return high;
}

/*
 * A sealed memfd holding text, at a descriptor of 10 or more, clear of
 * those a child sets up below it; -1 without text or on an error (the
 * workers then read the file themselves, as a last resort).
 */
static int
config_memfd(const char *text, size_t len)
{
	int     fd;

	if (text == NULL)
		return -1;
	fd = memfd_create("vanthu.conf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd >= 0 && (write_full(fd, text, len) < 0 ||
			fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
			      F_SEAL_WRITE | F_SEAL_SEAL) < 0)) {
		close(fd);
		fd = -1;
	}
	if ((fd = fcntl_dup_high(fd)) < 0)
		log_warn("worker: cannot hold the configuration for workers "
			 "(%m): they will read the file");
	return fd;
}

static int
worker_spawn(struct worker_pool *pool, struct worker *w)
{
	char   *argv[16], conf_arg[16];
	int     argc = 0, sv[2], conf = -1;
	pid_t   pid;

	pthread_mutex_lock(&pool->conf_lock);
	if (pool->conf_fd >= 0)
		conf = fcntl(pool->conf_fd, F_DUPFD_CLOEXEC, 10);
	pthread_mutex_unlock(&pool->conf_lock);
	argv[argc++] = pool->exe;
	argv[argc++] = "-x";
	argv[argc++] = "worker";
	if (pool->config_path) {
		argv[argc++] = "-c";
		argv[argc++] = pool->config_path;
		if (conf >= 0) {
			snprintf(conf_arg, sizeof(conf_arg), "%d", WORKER_CONF_FD);
			argv[argc++] = "-C";
			argv[argc++] = conf_arg;
		}
	}
	/* Where a worker logs and whom it runs as are the daemon's at start,
	 * not what a reloaded configuration says: vanthu-milter(8). */
	if (pool->params.foreground) {
		argv[argc++] = "-f";
	} else {
		argv[argc++] = "-F";
		argv[argc++] = (char *) log_facility_name(pool->params.syslog_facility);
	}
	if (pool->user) {
		argv[argc++] = "-u";
		argv[argc++] = pool->user;
	}
	argv[argc] = NULL;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_error("worker: socketpair: %m");
		sv[0] = sv[1] = -1;
		goto fail;
	}
	/* The daemon's end never blocks: every wait on it has a deadline. */
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		log_error("worker: O_NONBLOCK: %m");
		goto fail;
	}
	/* Between fork and exec only async-signal-safe calls: the daemon
	 * has other threads whose locks the child would inherit held. */
	pid = fork();
	if (pid < 0) {
		log_error("worker: fork: %m");
		goto fail;
	}
	if (pid == 0) {
		if (dup2(sv[1], WORKER_FD) < 0 ||
		    (conf >= 0 && dup2(conf, WORKER_CONF_FD) < 0))
			_exit(127);
		if (pool->exe_fd >= 0)
			fexecve(pool->exe_fd, argv, pool->envp);
		else
			execve(pool->exe, argv, pool->envp);
		_exit(127);
	}
	close(sv[1]);
	if (conf >= 0)
		close(conf);
	w->pid = pid;
	w->sock = sv[0];
	w->jobs = 0;
	w->recycle = 0;
	return 0;
fail:
	if (sv[0] >= 0) {
		close(sv[0]);
		close(sv[1]);
	}
	if (conf >= 0)
		close(conf);
	return -1;
}

/* Stop a worker for good; kill says whether it may still be running.
 * Returns its wait status (0 when there was no process). */
static int
worker_reap(struct worker *w, int kill_it, const char *why)
{
	int     status = 0;

	if (w->pid == 0)
		return 0;
	if (kill_it)
		kill(w->pid, SIGKILL);
	close(w->sock);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (why) {
		if (WIFSIGNALED(status))
			log_warn("worker: pid %ld %s, killed by signal %d",
				 (long) w->pid, why, WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			log_warn("worker: pid %ld %s, exit status %d",
				 (long) w->pid, why, WEXITSTATUS(status));
	}
	w->pid = 0;
	w->sock = -1;
	return status;
}

struct worker_pool *
worker_pool_start(const struct worker_params *params)
{
	struct worker_pool *pool = xcalloc(1, sizeof(*pool));

	pool->params = *params;
	pool->exe = xstrdup(params->exe);
	pool->config_path = params->config_path ? xstrdup(params->config_path) : NULL;
	pool->params.exe = pool->exe;
	pool->params.config_path = pool->config_path;
	pool->user = params->user ? xstrdup(params->user) : NULL;
	pool->params.user = pool->user;
	pool->nslots = params->nworkers ? params->nworkers : 1;
	atomic_init(&pool->timeout, params->timeout);
	atomic_init(&pool->reply_max, params->reply_max);
	pool->slots = xcalloc(pool->nslots, sizeof(*pool->slots));
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->idle, NULL);
	pthread_mutex_init(&pool->conf_lock, NULL);
	pool->envp = worker_environment();
	pool->conf_fd = config_memfd(params->config_text, params->config_len);
	/* Workers are started from this descriptor, not the path: an
	 * upgrade that replaces the program while the daemon runs must not
	 * give it workers of another version.  Opened now, while the file
	 * at the path is still the program that runs. */
	pool->exe_fd = fcntl_dup_high(open(pool->exe, O_RDONLY | O_CLOEXEC));
	if (pool->exe_fd < 0)
		log_warn("worker: cannot open %s (%m): workers will be started "
			 "from the path", pool->exe);
	pool->params.config_text = NULL;	/* not kept: conf_fd holds it */
	for (unsigned i = 0; i < pool->nslots; i++) {
		pool->slots[i].sock = -1;
		if (worker_spawn(pool, &pool->slots[i]) < 0)
			return worker_pool_stop(pool);
	}
	return pool;
}

struct worker_pool *
worker_pool_stop(struct worker_pool *pool)
{
	if (pool == NULL)
		return NULL;
	for (unsigned i = 0; i < pool->nslots; i++) {
		struct worker *w = &pool->slots[i];

		if (w->pid) {
			/* Closing the socket tells an idle worker to exit. */
			shutdown(w->sock, SHUT_RDWR);
			worker_reap(w, w->busy, NULL);
		}
	}
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->idle);
	pthread_mutex_destroy(&pool->conf_lock);
	if (pool->conf_fd >= 0)
		close(pool->conf_fd);
	if (pool->exe_fd >= 0)
		close(pool->exe_fd);
#if defined(__SANITIZE_ADDRESS__)
	{
		size_t  k = 0;

		while (pool->envp[k] != NULL)
			k++;
		free(pool->envp[k - 1]);	/* the ASAN_OPTIONS made above */
		free(pool->envp);
	}
#endif
	free(pool->slots);
	free(pool->exe);
	free(pool->user);
	free(pool->config_path);
	free(pool);
	return NULL;
}

void
worker_pool_recycle(struct worker_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	for (unsigned i = 0; i < pool->nslots; i++)
		pool->slots[i].recycle = 1;
	pthread_mutex_unlock(&pool->lock);
}

void
worker_pool_set_config(struct worker_pool *pool, const char *text, size_t len)
{
	int     fd = config_memfd(text, len), old;

	pthread_mutex_lock(&pool->conf_lock);
	old = pool->conf_fd;
	pool->conf_fd = fd;
	pthread_mutex_unlock(&pool->conf_lock);
	if (old >= 0)
		close(old);
}

void
worker_pool_set_limits(struct worker_pool *pool, unsigned timeout,
		       size_t reply_max)
{
	atomic_store(&pool->timeout, timeout);
	atomic_store(&pool->reply_max, reply_max);
}

unsigned long
worker_pool_restarts(const struct worker_pool *pool)
{
	return atomic_load(&((struct worker_pool *) pool)->restarts);
}

/*
 * Collect idle workers that died (a signal from outside, a limit hit
 * between jobs), so that none lingers as a zombie until its slot is next
 * used; the slot is refilled when it is taken.  Under the pool lock.
 */
static void
reap_idle(struct worker_pool *pool)
{
	for (unsigned i = 0; i < pool->nslots; i++) {
		struct worker *w = &pool->slots[i];

		if (w->busy || w->pid == 0 || waitpid(w->pid, NULL, WNOHANG) != w->pid)
			continue;
		log_warn("worker: pid %ld died while idle; replacing it", (long) w->pid);
		close(w->sock);
		w->pid = 0;
		w->sock = -1;
	}
}

static struct worker *
worker_take(struct worker_pool *pool, unsigned timeout)
{
	struct timespec until;
	struct worker *w = NULL;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout;
	pthread_mutex_lock(&pool->lock);
	reap_idle(pool);
	for (;;) {
		for (unsigned i = 0; i < pool->nslots; i++) {
			if (!pool->slots[i].busy) {
				w = &pool->slots[i];
				w->busy = 1;
				break;
			}
		}
		if (w != NULL)
			break;
		if (pthread_cond_timedwait(&pool->idle, &pool->lock, &until) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&pool->lock);
	return w;
}

static void
worker_give_back(struct worker_pool *pool, struct worker *w)
{
	pthread_mutex_lock(&pool->lock);
	w->busy = 0;
	pthread_cond_signal(&pool->idle);
	pthread_mutex_unlock(&pool->lock);
}

int
worker_analyse(struct worker_pool *pool, int spool_fd, uint64_t size,
	       const char *subject,
	       const char *header_from, const struct analysis_limits *limits,
	       struct analysis *out, char *why, size_t whylen)
{
	struct wrequest q;
	struct wreply rep;
	struct worker *w;
	struct timespec until;
	const char *err = NULL;
	unsigned timeout = atomic_load(&pool->timeout);
	int     r, rc = -1;

	memset(out, 0, sizeof(*out));
	if ((w = worker_take(pool, timeout)) == NULL) {
		snprintf(why, whylen, "no analysis worker free within %us", timeout);
		return -1;
	}
	if (w->pid && (w->recycle || w->jobs >= pool->params.recycle_after)) {
		shutdown(w->sock, SHUT_RDWR);
		worker_reap(w, 0, NULL);
	}
	if (w->pid == 0) {
		if (worker_spawn(pool, w) < 0) {
			snprintf(why, whylen, "cannot start an analysis worker");
			worker_give_back(pool, w);
			return -1;
		}
		atomic_fetch_add(&pool->restarts, 1);
		stats_count_worker_restart();
	}

	memset(&q, 0, sizeof(q));
	q.id = __atomic_add_fetch(&pool->next_id, 1, __ATOMIC_RELAXED);
	q.kind = WREQ_ANALYSE;
	q.subject = (char *) subject;
	q.header_from = (char *) header_from;
	q.limits = *limits;
	q.size = size;
	/* One AnalysisTimeout for the whole job: sending and the reply. */
	wproto_deadline(&until, timeout * 1000);
	if ((r = wproto_send_request(w->sock, &q, spool_fd, &until)) < 0) {
		snprintf(why, whylen, "analysis worker did not take the job: %s",
			 r == -2 ? "timed out" : strerror(errno));
		worker_reap(w, 1, r == -2 ? "timed out taking a job" : "refused a job");
		worker_give_back(pool, w);
		return -1;
	}
	r = wproto_recv_reply(w->sock, &until, atomic_load(&pool->reply_max),
			      pool->params.doc_dir, &rep, &err);
	if (r == 0 && rep.id != q.id) {
		r = -3;
		err = "reply to another request";
		wreply_clear(&rep);
	}
	if (r == 0 && rep.retire)
		w->recycle = 1;	/* it exits: the next job starts another */
	if (r == -4) {
		/* Ours, not the worker's: the spool could not keep a document.
		 * The reply was read to its end, so the worker stays. */
		snprintf(why, whylen, "cannot keep the documents: %s: %s", err,
			 strerror(errno));
		w->jobs++;
		rc = -2;
	} else if (r < 0) {
		/* The stream is out of step after any of these: the worker
		 * goes. */
		int     st = worker_reap(w, 1, r == -2 ? "timed out" :
					 r == -3 ? err : "died");

		if (r == -1 && WIFEXITED(st) && WEXITSTATUS(st) == EXIT_NO_MEMORY)
			snprintf(why, whylen, "analysis worker ran out of memory "
				 "(AnalysisMemory)");
		else
			snprintf(why, whylen, "analysis worker %s", r == -2 ?
				 "timed out" : r == -3 ? err : "crashed");
	} else if (rep.status != WREP_OK) {
		snprintf(why, whylen, "analysis failed: %s",
			 rep.error ? rep.error : "no reason given");
		w->jobs++;
		wreply_clear(&rep);
	} else {
		*out = rep.analysis;
		memset(&rep.analysis, 0, sizeof(rep.analysis));
		wreply_clear(&rep);
		w->jobs++;
		rc = 0;
	}
	worker_give_back(pool, w);
	return rc;
}
