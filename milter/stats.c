/*
 * stats.c - counters and the StatsFile writer; see stats.h.
 *
 * The counters are plain C11 atomics with relaxed ordering: each is
 * exact on its own, and a file written while messages flow may show one
 * counter a message ahead of another, which monitoring tolerates.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "message.h"
#include "policy.h"
#include "stats.h"
#include "xmalloc.h"

static atomic_ulong messages[DIR__COUNT][DISP__COUNT];
static atomic_ulong documents[SIG__COUNT];
static atomic_ulong failures[FAILURE__COUNT];
static atomic_ulong worker_restarts;
static atomic_ulong register_numbers;
static atomic_long start_time;
static atomic_ulong step_us[STEP__COUNT];	/* microseconds */
static atomic_ulong step_runs[STEP__COUNT];

static const char *const step_names[STEP__COUNT] = {
	"analysis", "rules", "document_store", "register",
};

static void
bump(atomic_ulong *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

static unsigned long
get(atomic_ulong *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

void
stats_count_message(int direction, int disposition, const struct analysis *a)
{
	if (direction >= 0 && direction < DIR__COUNT &&
	    disposition >= 0 && disposition < DISP__COUNT)
		bump(&messages[direction][disposition]);
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->ndocs; i++)
		if (a->docs[i].sig_verdict < SIG__COUNT)
			bump(&documents[a->docs[i].sig_verdict]);
}

void
stats_count_failure(int failure_class)
{
	if (failure_class >= 0 && failure_class < FAILURE__COUNT)
		bump(&failures[failure_class]);
}

void
stats_count_worker_restart(void)
{
	bump(&worker_restarts);
}

void
stats_count_register_number(void)
{
	bump(&register_numbers);
}

void
stats_time_step(enum stats_step step, const struct timespec *start)
{
	struct timespec now;
	long long us;

	if (step < 0 || step >= STEP__COUNT)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long long) (now.tv_sec - start->tv_sec) * 1000000 +
	    (now.tv_nsec - start->tv_nsec) / 1000;
	atomic_fetch_add_explicit(&step_us[step], us > 0 ? (unsigned long) us : 0,
				  memory_order_relaxed);
	bump(&step_runs[step]);
}

static void
family(FILE *fp, const char *name, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

int
stats_print(FILE *fp)
{
	long    started = atomic_load(&start_time);

	family(fp, "vanthu_messages_total", "Messages decided, by direction and outcome.");
	for (int d = 0; d < DIR__COUNT; d++)
		for (int o = 0; o < DISP__COUNT; o++)
			fprintf(fp, "vanthu_messages_total{direction=\"%s\",outcome=\"%s\"} %lu\n",
				direction_names[d], disposition_names[o],
				get(&messages[d][o]));
	family(fp, "vanthu_documents_total", "Documents found, by signature verdict.");
	for (int v = 0; v < SIG__COUNT; v++)
		fprintf(fp, "vanthu_documents_total{verdict=\"%s\"} %lu\n",
			sig_verdict_names[v], get(&documents[v]));
	family(fp, "vanthu_failures_total",
	       "Messages whose handling failed, by failure class.");
	for (int c = 0; c < FAILURE__COUNT; c++)
		fprintf(fp, "vanthu_failures_total{class=\"%s\"} %lu\n",
			failure_class_names[c], get(&failures[c]));
	family(fp, "vanthu_worker_restarts_total",
	       "Analysis workers replaced after a crash, a timeout or recycling.");
	fprintf(fp, "vanthu_worker_restarts_total %lu\n", get(&worker_restarts));
	family(fp, "vanthu_register_numbers_total", "Register numbers issued.");
	fprintf(fp, "vanthu_register_numbers_total %lu\n", get(&register_numbers));
	fprintf(fp, "# HELP vanthu_step_seconds Time spent in each step of a message's end.\n"
		"# TYPE vanthu_step_seconds summary\n");
	for (int i = 0; i < STEP__COUNT; i++) {
		unsigned long us = get(&step_us[i]);

		fprintf(fp, "vanthu_step_seconds_sum{step=\"%s\"} %lu.%06lu\n",
			step_names[i], us / 1000000, us % 1000000);
		fprintf(fp, "vanthu_step_seconds_count{step=\"%s\"} %lu\n",
			step_names[i], get(&step_runs[i]));
	}
	fprintf(fp, "# HELP vanthu_start_time_seconds When the daemon started, Unix time.\n"
		"# TYPE vanthu_start_time_seconds gauge\n"
		"vanthu_start_time_seconds %ld\n", started);
	fprintf(fp, "# HELP vanthu_stats_time_seconds When this file was written, Unix time.\n"
		"# TYPE vanthu_stats_time_seconds gauge\n"
		"vanthu_stats_time_seconds %lld\n", (long long) time(NULL));
	return ferror(fp) ? -1 : 0;
}

int
stats_write(const char *path)
{
	char    tmp[PATH_MAX];
	FILE   *fp;
	int     fd, saved;

	if ((size_t) snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	/* Readable by node_exporter whatever the daemon's umask. */
	(void) fchmod(fd, 0644);
	if ((fp = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (stats_print(fp) < 0 || fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		saved = errno;
		fclose(fp);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (fclose(fp) != 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

/* The writer thread.  Its state is here, and only here. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t tid;
	int     running;
	int     stop;
	char   *path;
	unsigned interval;
} writer = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
};

static void
write_logged(int *failing)
{
	if (stats_write(writer.path) < 0) {
		if (!*failing)
			log_warn("stats: cannot write %s: %m", writer.path);
		*failing = 1;
	} else {
		if (*failing)
			log_info("stats: %s written again", writer.path);
		*failing = 0;
	}
}

static void *
writer_main(void *arg)
{
	int     failing = 0;
	struct timespec until;

	(void) arg;
	pthread_mutex_lock(&writer.lock);
	while (!writer.stop) {
		pthread_mutex_unlock(&writer.lock);
		write_logged(&failing);
		pthread_mutex_lock(&writer.lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += writer.interval;
		while (!writer.stop &&
		       pthread_cond_timedwait(&writer.wake, &writer.lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&writer.lock);
	write_logged(&failing);
	return NULL;
}

int
stats_writer_start(const char *path, unsigned interval)
{
	sigset_t all, old;
	int     r;

	atomic_store(&start_time, (long) time(NULL));
	if (path == NULL || writer.running)
		return 0;
	writer.path = xstrdup(path);
	writer.interval = interval ? interval : 60;
	writer.stop = 0;
	/* The thread takes no signal: the daemon's signal threads do. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&writer.tid, NULL, writer_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		errno = r;
		free(writer.path);
		writer.path = NULL;
		return -1;
	}
	writer.running = 1;
	return 0;
}

void
stats_writer_stop(void)
{
	if (!writer.running)
		return;
	pthread_mutex_lock(&writer.lock);
	writer.stop = 1;
	pthread_cond_signal(&writer.wake);
	pthread_mutex_unlock(&writer.lock);
	pthread_join(writer.tid, NULL);
	writer.running = 0;
	free(writer.path);
	writer.path = NULL;
}
