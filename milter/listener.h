/*
 * listener.h - the listening socket libmilter opened.
 *
 * libmilter opens its listening socket in smfi_opensocket() and keeps the
 * descriptor to itself; the daemon sets TCP options on it (tcpopt.h).  It
 * is found among the process's descriptors: a socket (fstat) that accepts
 * connections (SO_ACCEPTCONN).  Descriptors come from /proc/self/fd, or
 * from 0 to the descriptor limit (at most 65536) when /proc is not
 * mounted.
 */
#ifndef VANTHU_LISTENER_H
#define VANTHU_LISTENER_H

/*
 * Call fn(fd, arg) for each listening socket of this process, in no
 * particular order.  fn returns 0 to go on, 1 to stop there, or -1 with
 * errno set, which is remembered and the walk goes on.  Returns 1 when
 * fn stopped the walk, 0 when it went through, -1 with the first errno
 * when a call of fn failed.
 */
int     listener_foreach(int (*fn)(int fd, void *arg), void *arg);

#endif
