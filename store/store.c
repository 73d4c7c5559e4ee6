/*
 * store.c - the register's front: open, close, locking, clock, dispatch.
 *
 * Every public call takes the store's mutex and hands over to the
 * backend, so callers in several threads share one connection safely.
 * store_open() refuses to open a database file this process already has
 * open: SQLite's POSIX locks would drop as soon as the second descriptor
 * closed (see SQLite's os_unix.c on "POSIX advisory locks").
 *
 * The register's year is local time in the configured timezone.  glibc
 * converts local time for one zone per process, so store_open() makes the
 * register's zone the process's TZ; it must run before threads start.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_impl.h"
#include "store_testhook.h"
#include "xmalloc.h"

/* The files this process has open, by device and inode. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *open_stores[16];

const char *const reg_status_names[REG__COUNT] = {
	[REG_NEW] = "new",
	[REG_DUPLICATE] = "duplicate",
	[REG_SKIPPED] = "skipped",
	[REG_UNNUMBERED] = "unnumbered",
};

void
store_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A zone name is a relative path under the zoneinfo directory. */
static int
timezone_set(const char *tz, char *err, size_t errlen)
{
	char	path[PATH_MAX];
	const char *cur;

	if (tz[0] == 0 || tz[0] == '/' || strstr(tz, "..") != NULL ||
	    strlen(tz) > 64) {
		store_err(err, errlen, "bad timezone name: %s", tz);
		return -1;
	}
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	if (access(path, R_OK) != 0) {
		store_err(err, errlen, "unknown timezone %s: %s: %s", tz, path,
			  strerror(errno));
		return -1;
	}
	cur = getenv("TZ");
	if (cur == NULL || strcmp(cur, tz) != 0)
		setenv("TZ", tz, 1);
	tzset();
	return 0;
}

static int
registry_has(dev_t dev, ino_t ino, const char *path, char *err, size_t errlen)
{
	int	found = 0;

	pthread_mutex_lock(&open_lock);
	for (size_t i = 0; i < sizeof(open_stores) / sizeof(open_stores[0]); i++) {
		struct store *o = open_stores[i];

		if (o != NULL && o->dev == dev && o->ino == ino) {
			store_err(err, errlen, "%s: already open in this "
				  "process (as %s)", path, o->path);
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&open_lock);
	return found;
}

static int
registry_add(struct store *st, char *err, size_t errlen)
{
	size_t	i, slot = SIZE_MAX;
	int	rc = 0;

	pthread_mutex_lock(&open_lock);
	for (i = 0; i < sizeof(open_stores) / sizeof(open_stores[0]); i++) {
		struct store *o = open_stores[i];

		if (o == NULL) {
			if (slot == SIZE_MAX)
				slot = i;
		} else if (o->dev == st->dev && o->ino == st->ino) {
			store_err(err, errlen, "%s: already open in this "
				  "process (as %s)", st->path, o->path);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && slot == SIZE_MAX) {
		store_err(err, errlen, "%s: too many open registers", st->path);
		rc = -1;
	}
	if (rc == 0)
		open_stores[slot] = st;
	pthread_mutex_unlock(&open_lock);
	return rc;
}

static void
registry_remove(struct store *st)
{
	pthread_mutex_lock(&open_lock);
	for (size_t i = 0; i < sizeof(open_stores) / sizeof(open_stores[0]); i++)
		if (open_stores[i] == st)
			open_stores[i] = NULL;
	pthread_mutex_unlock(&open_lock);
}

struct store *
store_open(const char *path, const char *tz, int flags, char *err,
	   size_t errlen)
{
	return store_open_wait(path, tz, flags, STORE_WAIT_MS, err, errlen);
}

struct store *
store_open_wait(const char *path, const char *tz, int flags, unsigned wait_ms,
		char *err, size_t errlen)
{
	struct store *st;
	struct stat sb;

	if (path == NULL || path[0] == 0) {
		store_err(err, errlen, "no database path configured");
		return NULL;
	}
	if (tz == NULL)
		tz = STORE_DEFAULT_TIMEZONE;
	if (timezone_set(tz, err, errlen) != 0)
		return NULL;
	if (stat(path, &sb) == 0) {
		if (registry_has(sb.st_dev, sb.st_ino, path, err, errlen))
			return NULL;
	} else {
		if (errno != ENOENT || !(flags & STORE_CREATE)) {
			store_err(err, errlen, "%s: %s", path,
				  errno == ENOENT ? "no such database" :
				  strerror(errno));
			return NULL;
		}
	}
	st = xcalloc(1, sizeof(*st));
	st->be = &store_sqlite_backend;
	st->path = xstrdup(path);
	st->timezone = xstrdup(tz);
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->qlock, NULL);
	pthread_cond_init(&st->qcond, NULL);
	pthread_cond_init(&st->qfill, NULL);
	st->qtail = &st->qhead;
	st->wait_ms = wait_ms;
	st->conn = st->be->open(st, path, flags, err, errlen);
	if (st->conn == NULL) {
		pthread_mutex_destroy(&st->lock);
		pthread_mutex_destroy(&st->qlock);
		pthread_cond_destroy(&st->qcond);
		pthread_cond_destroy(&st->qfill);
		free(st->path);
		free(st->timezone);
		free(st);
		return NULL;
	}
	if (stat(path, &sb) == 0) {
		st->dev = sb.st_dev;
		st->ino = sb.st_ino;
	}
	/* Checked again after the open, for a file created meanwhile by
	 * another thread of this process. */
	if (registry_add(st, err, errlen) != 0) {
		/* Leak the connection rather than close it: closing would
		 * release the other handle's POSIX locks. */
		st->conn = NULL;
		pthread_mutex_destroy(&st->lock);
		pthread_mutex_destroy(&st->qlock);
		pthread_cond_destroy(&st->qcond);
		pthread_cond_destroy(&st->qfill);
		free(st->path);
		free(st->timezone);
		free(st);
		return NULL;
	}
	return st;
}

struct store *
store_close(struct store *st)
{
	if (st == NULL)
		return NULL;
	registry_remove(st);
	pthread_mutex_lock(&st->lock);
	if (st->conn != NULL)
		st->be->close(st->conn);
	st->conn = NULL;
	pthread_mutex_unlock(&st->lock);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->qlock);
	pthread_cond_destroy(&st->qcond);
	pthread_cond_destroy(&st->qfill);
	free(st->path);
	free(st->spool);
	free(st->timezone);
	free(st);
	return NULL;
}

void
store_set_spool(struct store *st, const char *spool)
{
	free(st->spool);
	st->spool = spool != NULL ? xstrdup(spool) : NULL;
}

void
store_set_busy_timeout(struct store *st, unsigned ms)
{
	pthread_mutex_lock(&st->lock);
	st->be->busy_timeout(st->conn, ms);
	pthread_mutex_unlock(&st->lock);
}

const char *
store_spool(const struct store *st)
{
	return st->spool;
}

time_t
store_now(const struct store *st)
{
	return st->clock != NULL ? st->clock(st->clock_arg) : time(NULL);
}

void
store_fault(const struct store *st, const char *point)
{
	if (st->fault != NULL)
		st->fault(point, st->fault_arg);
}

void
store_test_set_clock(struct store *st, time_t (*now)(void *), void *arg)
{
	st->clock = now;
	st->clock_arg = arg;
}

void
store_test_set_fault(struct store *st, void (*fault)(const char *, void *),
		     void *arg)
{
	st->fault = fault;
	st->fault_arg = arg;
}

/*
 * Group commit.  With synchronous=FULL every COMMIT waits for the disk, so
 * one transaction per message caps the register at the disk's flush
 * rate.  Callers queue their message; the first caller that finds no
 * leader becomes the leader, takes up to STORE_BATCH_MAX queued messages,
 * registers them all in one BEGIN IMMEDIATE transaction (each message in
 * its own savepoint) and wakes the others when COMMIT has returned.  A
 * caller returns only after the transaction holding its message is on
 * disk, or failed; numbers stay gap-free because a failed message rolls
 * back to its savepoint and a failed COMMIT rolls back the whole batch.
 *
 * When a batch ends, all its callers come back at about the same time;
 * the first of them to queue would lead a batch of one while the rest
 * wait a whole flush for the next.  So a new leader waits, at most
 * STORE_BATCH_WAIT_NS, until as many messages are queued as the previous
 * batch held (the idea of MySQL's binlog_group_commit_sync_delay, made
 * adaptive): a lone caller's batch of one never waits.
 */
static void
batch_fill(struct store *st)
{
	struct timespec until;

	if (st->qlen >= st->last_batch)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += STORE_BATCH_WAIT_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (st->qlen < st->last_batch)
		if (pthread_cond_timedwait(&st->qfill, &st->qlock, &until) != 0)
			break;
}

int
store_register(struct store *st, const struct msg_info *msg,
	       const struct analysis *an, const struct register_request *req,
	       struct register_result *res)
{
	struct reg_job job = { .msg = msg, .an = an, .req = req, .res = res };
	struct reg_job *batch[STORE_BATCH_MAX];
	size_t	n;

	memset(res, 0, sizeof(*res));
	pthread_mutex_lock(&st->qlock);
	*st->qtail = &job;
	st->qtail = &job.next;
	st->qlen++;
	pthread_cond_signal(&st->qfill);
	while (!job.done) {
		if (st->leader) {
			pthread_cond_wait(&st->qcond, &st->qlock);
			continue;
		}
		st->leader = 1;
		batch_fill(st);
		for (n = 0; n < STORE_BATCH_MAX && st->qhead != NULL; n++) {
			batch[n] = st->qhead;
			st->qhead = st->qhead->next;
		}
		if (st->qhead == NULL)
			st->qtail = &st->qhead;
		st->qlen -= n;
		st->last_batch = n;
		st->commits++;
		st->batched += n;
		pthread_mutex_unlock(&st->qlock);

		pthread_mutex_lock(&st->lock);
		st->be->reg(st, batch, n);
		pthread_mutex_unlock(&st->lock);

		pthread_mutex_lock(&st->qlock);
		for (size_t i = 0; i < n; i++)
			batch[i]->done = 1;
		st->leader = 0;
		pthread_cond_broadcast(&st->qcond);
	}
	pthread_mutex_unlock(&st->qlock);
	return job.rc;
}

void
store_commit_stats(struct store *st, uint64_t *commits, uint64_t *messages)
{
	pthread_mutex_lock(&st->qlock);
	*commits = st->commits;
	*messages = st->batched;
	pthread_mutex_unlock(&st->qlock);
}

void
register_result_clear(struct register_result *res)
{
	free(res->docs);
	memset(res, 0, sizeof(*res));
}

int
store_each(struct store *st, const struct reg_filter *f, reg_each_fn fn,
	   void *arg, char *err, size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->each(st, f, fn, arg, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_get(struct store *st, const char *id, struct reg_entry *e, char *err,
	  size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->get(st, id, e, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_show(struct store *st, const char *id, FILE *out, char *err,
	   size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->show(st, id, out, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_assign(struct store *st, const char *id, const struct reg_assign *a,
	     const char *actor, const char *command, char *err, size_t errlen)
{
	if (a->due != NULL && !store_date_valid(a->due)) {
		store_err(err, errlen, "bad date '%s': expected YYYY-MM-DD",
			  a->due);
		return -1;
	}
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->assign(st, id, a, actor, command, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_cancel(struct store *st, const char *id, const char *reason,
	     const char *actor, const char *command, char *err, size_t errlen)
{
	if (reason == NULL || reason[0] == 0) {
		store_err(err, errlen, "a cancellation needs a reason");
		return -1;
	}
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->cancel(st, id, reason, actor, command, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_books(struct store *st, struct book_list *l, char *err, size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->books(st, l, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_book_add(struct store *st, const char *code, const char *name,
	       const char *direction, const char *actor, const char *command,
	       char *err, size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->book_add(st, code, name, direction, actor, command,
				err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_stats(struct store *st, int year, FILE *out, char *err, size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->stats(st, year, out, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_backup(struct store *st, const char *dest, char ***sha256, size_t *n,
	     char *err, size_t errlen)
{
	int	rc;

	pthread_mutex_lock(&st->lock);
	rc = st->be->backup(st, dest, sha256, n, err, errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}
