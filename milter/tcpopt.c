/*
 * tcpopt.c - see tcpopt.h.
 *
 * The listening socket is found among the process's descriptors: a
 * socket (fstat) that accepts connections (SO_ACCEPTCONN) and speaks TCP
 * (SO_PROTOCOL).  The daemon has exactly one, libmilter's; a unix-domain
 * listener is left alone.  Descriptors come from /proc/self/fd, or from
 * 0 to the descriptor limit (at most 65536) when /proc is not mounted.
 */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcpopt.h"

/* 1 when set, 0 when FD is not a listening TCP socket, -1 on failure. */
static int
nodelay_if_listener(int fd)
{
	int     accepting = 0, proto = 0, one = 1;
	socklen_t len = sizeof(accepting);
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) < 0 || !accepting)
		return 0;
	len = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0 ||
	    proto != IPPROTO_TCP)
		return 0;
	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ? -1 : 1;
}

int
tcpopt_nodelay_listeners(void)
{
	int     count = 0, failed = 0, saved = 0, r;
	struct dirent *de;
	DIR    *d;

	if ((d = opendir("/proc/self/fd")) != NULL) {
		int     self = dirfd(d);

		while ((de = readdir(d)) != NULL) {
			char   *end;
			long    fd = strtol(de->d_name, &end, 10);

			if (*end || end == de->d_name || fd < 0 || fd == self)
				continue;
			if ((r = nodelay_if_listener((int) fd)) < 0 && !failed) {
				failed = 1;
				saved = errno;
			} else if (r > 0)
				count++;
		}
		closedir(d);
	} else {
		long    max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (int fd = 0; fd < max; fd++)
			if ((r = nodelay_if_listener(fd)) < 0 && !failed) {
				failed = 1;
				saved = errno;
			} else if (r > 0)
				count++;
	}
	if (failed) {
		errno = saved;
		return -1;
	}
	return count;
}
