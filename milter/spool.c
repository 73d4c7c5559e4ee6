/*
 * spool.c - see spool.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "spool.h"
#include "xmalloc.h"

/* Rewound spool files, each with the Spool directory it is under and
 * the bytes it still holds from earlier messages. */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept_file {
	int     fd;
	char   *dir;
	uint64_t held;
} kept[SPOOL_KEEP];
static size_t nkept;
static uint64_t kept_bytes;	/* the sum of their held */

/* A kept file under spool_dir, or -1; *held is what it holds.  Files of
 * a Spool that a reload replaced are closed on the way. */
static int
take_kept(const char *spool_dir, uint64_t *held)
{
	int     fd = -1;

	pthread_mutex_lock(&kept_lock);
	while (fd < 0 && nkept > 0) {
		struct kept_file *k = &kept[--nkept];

		kept_bytes -= k->held;
		if (strcmp(k->dir, spool_dir) == 0) {
			fd = k->fd;
			*held = k->held;
		} else
			close(k->fd);
		free(k->dir);
	}
	pthread_mutex_unlock(&kept_lock);
	return fd;
}

/*
 * Keep fd, rewound, for a later message; 0, or -1 when there is no
 * room.  It keeps its bytes when they fit under SPOOL_HOLD and forget
 * is 0, and is emptied otherwise.
 */
static int
keep(int fd, const char *spool_dir, uint64_t held, int forget)
{
	int     r = -1;

	pthread_mutex_lock(&kept_lock);
	if (nkept < SPOOL_KEEP) {
		if (held > 0 && (forget || kept_bytes + held > SPOOL_HOLD)) {
			if (ftruncate(fd, 0) < 0)
				goto out;
			held = 0;
		}
		kept[nkept].fd = fd;
		kept[nkept].dir = xstrdup(spool_dir);
		kept[nkept].held = held;
		kept_bytes += held;
		nkept++;
		r = 0;
	}
out:
	pthread_mutex_unlock(&kept_lock);
	return r;
}

void
spool_release(void)
{
	pthread_mutex_lock(&kept_lock);
	kept_bytes = 0;
	for (size_t i = 0; i < nkept; i++) {
		if (kept[i].held > 0 && ftruncate(kept[i].fd, 0) == 0)
			kept[i].held = 0;
		kept_bytes += kept[i].held;
	}
	pthread_mutex_unlock(&kept_lock);
}

/*
 * dir and its missing parents.  The parents are made 0755 whatever the
 * umask: root creates them before it becomes UserID, who must still get
 * through them; dir itself gets mode.
 */
static int
mkdir_p(const char *dir, mode_t mode)
{
	char    path[PATH_MAX];
	char   *p;

	if ((size_t) snprintf(path, sizeof(path), "%s", dir) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = path + 1; *p; p++) {
		if (*p != '/' || p[1] == 0)
			continue;
		*p = 0;
		if (mkdir(path, 0755) == 0) {
			if (chmod(path, 0755) < 0)
				return -1;
		} else if (errno != EEXIST) {
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int
spool_prepare(const char *spool_dir)
{
	char    tmp[PATH_MAX];

	if ((size_t) snprintf(tmp, sizeof(tmp), "%s/tmp", spool_dir) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir_p(spool_dir, 0700) < 0)
		return -1;
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int
spool_open(struct spool_file *sf, const char *spool_dir, uint64_t max)
{
	char    path[PATH_MAX];

	memset(sf, 0, sizeof(*sf));
	sf->max = max;
	sf->dir = spool_dir;
	if ((sf->fd = take_kept(spool_dir, &sf->held)) >= 0)
		return 0;
	if ((size_t) snprintf(path, sizeof(path), "%s/tmp", spool_dir) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return sf->fd = -1;
	}
	sf->fd = open(path, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (sf->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		/* No O_TMPFILE on this file system: name it, then unlink. */
		size_t  n = strlen(path);

		if (n + 16 >= sizeof(path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(path + n, "/msg.XXXXXX");
		if ((sf->fd = mkostemp(path, O_CLOEXEC)) >= 0)
			unlink(path);
	}
	return sf->fd < 0 ? -1 : 0;
}

int
spool_flush(struct spool_file *sf)
{
	size_t  n = sf->nbuf;

	sf->nbuf = 0;
	if (n == 0)
		return 0;
	if (write_full(sf->fd, sf->buf, n) < 0) {
		sf->forget = 1;
		return -1;
	}
	sf->end += n;
	return 0;
}

int
spool_write(struct spool_file *sf, const void *data, size_t len)
{
	if (sf->oversize || sf->size + len > sf->max) {
		sf->oversize = 1;
		sf->size += len;
		return 0;
	}
	sf->size += len;
	if (len <= sizeof(sf->buf) - sf->nbuf) {
		memcpy(sf->buf + sf->nbuf, data, len);
		sf->nbuf += len;
		return 0;
	}
	if (spool_flush(sf) < 0)
		return -1;
	if (len < sizeof(sf->buf)) {
		memcpy(sf->buf, data, len);
		sf->nbuf = len;
		return 0;
	}
	if (write_full(sf->fd, data, len) < 0) {
		sf->forget = 1;
		return -1;
	}
	sf->end += len;
	return 0;
}

void
spool_close(struct spool_file *sf)
{
	if (sf->fd < 0)
		return;
	if (sf->end > sf->held)
		sf->held = sf->end;
	/* Rewound, or not kept: a file whose place is unknown must not
	 * take the next message's bytes somewhere else. */
	if (sf->dir == NULL || lseek(sf->fd, 0, SEEK_SET) != 0 ||
	    keep(sf->fd, sf->dir, sf->held, sf->forget) < 0)
		close(sf->fd);
	sf->fd = -1;
}
