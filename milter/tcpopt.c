/*
 * tcpopt.c - see tcpopt.h.
 *
 * The listening socket is found among the process's descriptors
 * (listener.h); of those, the ones that speak TCP (SO_PROTOCOL) get the
 * option.  The daemon has exactly one, libmilter's; a unix-domain
 * listener is left alone.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "listener.h"
#include "tcpopt.h"

/* Adds 1 to *(int *) count when set; 0 when FD does not speak TCP, -1 on
 * failure. */
static int
nodelay_if_tcp(int fd, void *count)
{
	int     proto = 0, one = 1;
	socklen_t len = sizeof(proto);

	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0 ||
	    proto != IPPROTO_TCP)
		return 0;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		return -1;
	(*(int *) count)++;
	return 0;
}

int
tcpopt_nodelay_listeners(void)
{
	int     count = 0;

	if (listener_foreach(nodelay_if_tcp, &count) < 0)
		return -1;
	return count;
}
