/*
 * tcpopt_test.c - TCP_NODELAY reaches the listening socket and, through
 * it, every accepted connection; other sockets are left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tcpopt.h"

static int
nodelay(int fd)
{
	int     v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
	return v;
}

static int
tcp_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int     fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *) sin, sizeof(*sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *) sin, &len), 0);
	return fd;
}

static void
accepted_sockets_inherit_nodelay(void **state)
{
	struct sockaddr_in sin;
	int     lfd, cfd, afd;

	(void) state;
	lfd = tcp_listener(&sin);
	assert_int_equal(nodelay(lfd), 0);
	assert_int_equal(tcpopt_nodelay_listeners(), 1);
	assert_int_not_equal(nodelay(lfd), 0);

	cfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(cfd, (struct sockaddr *) &sin, sizeof(sin)), 0);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	assert_int_not_equal(nodelay(afd), 0);
	/* The connecting side is the MTA's business. */
	assert_int_equal(nodelay(cfd), 0);
	/* Only listeners count: a second call finds the same one. */
	assert_int_equal(tcpopt_nodelay_listeners(), 1);
	close(afd);
	close(cfd);
	close(lfd);
}

static void
no_listener_no_change(void **state)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char    dir[] = "/tmp/tcpopt.XXXXXX";
	int     ufd, sv[2];

	(void) state;
	assert_non_null(mkdtemp(dir));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/s", dir);
	ufd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(ufd, (struct sockaddr *) &sun, sizeof(sun)), 0);
	assert_int_equal(listen(ufd, 4), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(tcpopt_nodelay_listeners(), 0);
	close(sv[0]);
	close(sv[1]);
	close(ufd);
	unlink(sun.sun_path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_listener_no_change),
		cmocka_unit_test(accepted_sockets_inherit_nodelay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
