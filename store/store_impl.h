/*
 * store_impl.h - what a storage backend provides; store/ internal.
 *
 * store.c owns the struct store (path, timezone, spool, the connection
 * mutex, the clock) and calls the backend with the mutex held, so a
 * backend never sees two calls at once on one connection.  A backend
 * returns 0 or -1 with a reason in err, like store.h.
 */
#ifndef VANTHU_STORE_IMPL_H
#define VANTHU_STORE_IMPL_H

#include <pthread.h>
#include <sys/types.h>

#include "store.h"

/* One call of store_register() waiting to be committed. */
struct reg_job {
	const struct msg_info *msg;
	const struct analysis *an;
	const struct register_request *req;
	struct register_result *res;
	int	rc;		/* set by the backend */
	int	done;		/* set by the leader, under qlock */
	struct reg_job *next;
};

#define STORE_BATCH_MAX	64
#define STORE_BATCH_WAIT_NS	1000000	/* at most 1 ms to fill a batch */

struct store_backend {
	const char *name;
	void   *(*open)(struct store *, const char *path, int flags,
			char *err, size_t errlen);
	void	(*close)(void *conn);
	void	(*busy_timeout)(void *conn, unsigned ms);
	/* Register the jobs' messages in one transaction, each inside its
	 * own savepoint so that one bad message fails alone; sets rc. */
	void	(*reg)(struct store *, struct reg_job *const *jobs, size_t n);
	int	(*each)(struct store *, const struct reg_filter *,
			reg_each_fn fn, void *arg, char *err, size_t errlen);
	int	(*get)(struct store *, const char *id, struct reg_entry *,
		       char *err, size_t errlen);
	int	(*show)(struct store *, const char *id, FILE *out,
			char *err, size_t errlen);
	int	(*assign)(struct store *, const char *id,
			  const struct reg_assign *, const char *actor,
			  const char *command, char *err, size_t errlen);
	int	(*cancel)(struct store *, const char *id, const char *reason,
			  const char *actor, const char *command,
			  char *err, size_t errlen);
	int	(*correct)(struct store *, const char *id,
			   const struct reg_correct *, const char *actor,
			   const char *command, char other[STORE_ID_MAX], char *err,
			   size_t errlen);
	int	(*books)(struct store *, struct book_list *, char *err,
			 size_t errlen);
	int	(*book_add)(struct store *, const char *code, const char *name,
			    const char *direction, const char *actor,
			    const char *command, char *err, size_t errlen);
	int	(*stats)(struct store *, int year, FILE *out, char *err,
			 size_t errlen);
	int	(*backup)(struct store *, const char *dest, char ***sha256,
			  size_t *n, char *err, size_t errlen);
};

/* Locking: lock guards conn and everything the backend keeps in it;
 * qlock guards the queue of registrations and the leader flag (group
 * commit, see store_register() in store.c); qlock is never taken while
 * waiting for lock.  The other fields are written only by store_open()
 * and the test hooks, before any thread shares the store. */
struct store {
	const struct store_backend *be;
	void   *conn;
	pthread_mutex_t lock;
	pthread_mutex_t qlock;
	pthread_cond_t qcond;	/* a batch is done */
	pthread_cond_t qfill;	/* a job was queued */
	struct reg_job *qhead;
	struct reg_job **qtail;
	size_t	qlen;
	size_t	last_batch;	/* size of the previous batch */
	uint64_t commits;	/* batches committed or failed */
	uint64_t batched;	/* messages in them */
	int	leader;		/* a thread is committing a batch */
	unsigned wait_ms;	/* for another writer, when opened */
	char   *path;
	char   *spool;
	char   *timezone;
	dev_t	dev;
	ino_t	ino;
	time_t	(*clock)(void *);	/* NULL: time(NULL) */
	void   *clock_arg;
	void	(*fault)(const char *point, void *);	/* tests only */
	void   *fault_arg;
};

extern const struct store_backend store_sqlite_backend;

/* The register's idea of now: the real clock, or the test clock. */
time_t	store_now(const struct store *);

/* A named point where tests may inject a fault (store_testhook.h). */
void	store_fault(const struct store *, const char *point);

/* snprintf into err, tolerating a NULL or empty buffer. */
void	store_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "den/2026/123" or, with a symbol, "di/2026/15/QĐ-BNV"; truncation
 * cannot happen for the sizes the schema allows. */
void	store_id_format(char *buf, size_t len, const char *book, int year,
			int64_t number, const char *symbol);

#endif
