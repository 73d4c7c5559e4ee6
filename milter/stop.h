/*
 * stop.h - stopping the daemon promptly, without cutting messages short.
 *
 * SIGTERM, SIGHUP and SIGINT stop the daemon.  Messages that began (MAIL
 * FROM) before the signal may finish, for up to AnalysisTimeout plus ten
 * seconds; one that begins after it is deferred with 451 4.3.2.  Only
 * then is libmilter told to stop: once it is, Debian's libmilter (built
 * with its pool of session threads) reads nothing more from any MTA
 * connection, so a message still being received would hang.  A second
 * signal stops at once, cutting short what is still in flight.
 *
 * libmilter's listener looks at its stop flag only when its poll() of
 * the listening socket returns, which with nobody connecting is every
 * five seconds.  So after smfi_stop() the thread that runs smfi_main()
 * is sent SIGUSR2, whose empty handler makes that poll() return EINTR,
 * and smfi_main() returns within milliseconds.  (A connection of the
 * daemon's own would wake it too, but libmilter would then hand it to
 * its session pool, which refuses it once stopping, and sleep a second.)
 */
#ifndef VANTHU_STOP_H
#define VANTHU_STOP_H

/*
 * In the thread that will call smfi_main(), before it does, with SIGHUP,
 * SIGTERM and SIGINT blocked in every thread: install the SIGUSR2
 * handler and start the thread that waits for those signals.  0, or -1
 * when either fails.
 */
int     stop_watch(void);

/*
 * After smfi_main() returned: no message may begin any more, and the
 * thread that called smfi_stop() has left libmilter (waited for up to
 * two seconds).  Returns how many messages are still in flight; while
 * that is not zero their threads still use the workers and the
 * register, which must not be freed.
 */
unsigned stop_messages_left(void);

/* A message begins: 1, or 0 when the daemon is stopping and the message
 * must be deferred.  Each 1 is matched by one stop_message_end(). */
int     stop_message_begin(void);
void    stop_message_end(void);

#endif
