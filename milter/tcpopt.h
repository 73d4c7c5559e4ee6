/*
 * tcpopt.h - TCP options on the milter's listening socket.
 *
 * libmilter opens the listening socket and accepts on it in its own
 * thread, with no hook for the accepted sockets.  Linux copies TCP_NODELAY
 * from a listening socket to every socket accepted from it, so setting it
 * once on the listener, after smfi_opensocket() and before smfi_main(),
 * covers every connection from the MTA.
 *
 * Why: at end of message the filter sends each header change as its own
 * packet and then the final reply.  With Nagle's algorithm the final reply
 * waits until the MTA acknowledges the header packet, and the MTA, which
 * has nothing to say until the final reply, delays that ACK by 40 ms.
 */
#ifndef VANTHU_TCPOPT_H
#define VANTHU_TCPOPT_H

/* Set TCP_NODELAY on every listening TCP socket of this process.  Returns
 * how many were set, or -1 with errno when a setsockopt() failed. */
int     tcpopt_nodelay_listeners(void);

#endif
