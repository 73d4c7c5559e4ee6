/*
 * listener.c - see listener.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listener.h"

static int
is_listener(int fd)
{
	int     accepting = 0;
	socklen_t len = sizeof(accepting);
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 &&
	       accepting;
}

/* One descriptor: 1 when fn stopped the walk, else 0; a failure of fn
 * goes into *failed and *saved, the first one only. */
static int
visit(int fd, int (*fn)(int, void *), void *arg, int *failed, int *saved)
{
	int     r;

	if (!is_listener(fd))
		return 0;
	if ((r = fn(fd, arg)) > 0)
		return 1;
	if (r < 0 && !*failed) {
		*failed = 1;
		*saved = errno;
	}
	return 0;
}

int
listener_foreach(int (*fn)(int fd, void *arg), void *arg)
{
	int     failed = 0, saved = 0, stopped = 0;
	struct dirent *de;
	DIR    *d;

	if ((d = opendir("/proc/self/fd")) != NULL) {
		int     self = dirfd(d);

		while (!stopped && (de = readdir(d)) != NULL) {
			char   *end;
			long    fd = strtol(de->d_name, &end, 10);

			if (*end || end == de->d_name || fd < 0 || fd == self)
				continue;
			stopped = visit((int) fd, fn, arg, &failed, &saved);
		}
		closedir(d);
	} else {
		long    max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (int fd = 0; !stopped && fd < max; fd++)
			stopped = visit(fd, fn, arg, &failed, &saved);
	}
	if (stopped)
		return 1;
	if (failed) {
		errno = saved;
		return -1;
	}
	return 0;
}
