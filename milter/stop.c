/*
 * stop.c - see stop.h.
 *
 * Which thread takes a signal: the stop thread and libmilter's own signal
 * thread both wait for SIGTERM, SIGHUP and SIGINT.  Linux hands a signal
 * sent to the process to the first thread that waits for it, counting in
 * the order the threads were made from the one that took the last signal
 * (at first the main thread, which blocks them).  The stop thread is
 * made before smfi_main() makes libmilter's, so it takes the signals
 * while it waits for them.  Should libmilter's thread take one, the
 * daemon stops as a second signal would stop it, in up to five seconds.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include <libmilter/mfapi.h>

#include "log.h"
#include "runtime.h"
#include "stop.h"

/* The listener is woken every 20 ms until smfi_main() returns, for at
 * most its own five seconds. */
#define WAKE_EVERY_NS	(20L * 1000 * 1000)
#define WAKE_TRIES	250
/* Past one analysis, the time to register and answer. */
#define DRAIN_MARGIN	10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drained;	/* inflight reached zero */
static unsigned inflight;	/* messages begun and not ended */
static int stopping;		/* no message may begin */
static int listener_done;	/* smfi_main() returned */
static int listener_stopping;	/* stop_listener() was called */
static pthread_t listener;	/* the thread that runs smfi_main() */
static pthread_t stopper;	/* the thread that calls smfi_stop() */
static int stopper_made;

/* Nothing to do: the signal is there to make the listener's poll()
 * return EINTR, after which libmilter looks at its stop flag. */
static void
on_wake(int sig)
{
	(void) sig;
}

/* 1 when the listener was signalled, 0 when smfi_main() has returned:
 * no signal may reach the main thread's own stop after that. */
static int
wake_listener(void)
{
	int     sent = 0;

	pthread_mutex_lock(&lock);
	if (!listener_done)
		sent = pthread_kill(listener, SIGUSR2) == 0;
	pthread_mutex_unlock(&lock);
	return sent;
}

/*
 * smfi_stop() sets libmilter's stop flag, then waits for the listener
 * to come out of poll() to close the listening socket: it gets a thread
 * of its own.  That thread holds libmilter's locks until it returns, so
 * it is joined (stop_messages_left) before the process goes on to exit,
 * whose handlers destroy them.  (The listener may see the flag, close
 * the socket itself and destroy its own lock while this thread still
 * waits for it; libmilter's own signal thread has the same race.)
 */
static void *
call_smfi_stop(void *unused)
{
	(void) unused;
	smfi_stop();
	return NULL;
}

/* Tell libmilter to stop, and wake its listener until smfi_main() has
 * returned.  The first call does it; later ones return at once, and so
 * does one after smfi_main() returned: there is nothing left to stop. */
static void
stop_listener(void)
{
	const struct timespec pause = {0, WAKE_EVERY_NS};
	int     first, made = 0;

	/* Made under the lock, so that stop_messages_left() either sees
	 * the thread to join or keeps it from being made. */
	pthread_mutex_lock(&lock);
	first = !listener_stopping && !listener_done;
	listener_stopping = 1;
	if (first) {
		stopper_made = pthread_create(&stopper, NULL, call_smfi_stop,
					      NULL) == 0;
		made = stopper_made;
	}
	pthread_mutex_unlock(&lock);
	if (!first)
		return;
	if (!made) {
		log_warn("cannot start a thread to stop libmilter: %m; "
			 "stopping in up to five seconds");
		smfi_stop();
		return;
	}
	/* The flag may not be set yet when the first signal wakes the
	 * listener: it then polls again, and the next one wakes it. */
	for (int i = 0; i < WAKE_TRIES && wake_listener(); i++)
		nanosleep(&pause, NULL);
}

static unsigned
drain_seconds(void)
{
	struct runtime *rt = runtime_current();
	unsigned s = rt ? rt->cfg->analysis_timeout : 30;

	runtime_release(rt);
	return s + DRAIN_MARGIN;
}

/* The messages in flight end, then libmilter stops.  The reply to the
 * last of them is written by libmilter as its end-of-message callback
 * returns, well before the listener is woken and the workers stopped. */
static void *
drain_then_stop(void *unused)
{
	struct timespec deadline;
	unsigned seconds = drain_seconds(), left;

	(void) unused;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds;
	pthread_mutex_lock(&lock);
	while (inflight > 0 &&
	       pthread_cond_timedwait(&drained, &lock, &deadline) != ETIMEDOUT)
		continue;
	left = inflight;
	pthread_mutex_unlock(&lock);
	if (left > 0)
		log_warn("%u message%s still in flight after %us: stopping without %s",
			 left, left == 1 ? "" : "s", seconds, left == 1 ? "it" : "them");
	stop_listener();
	return NULL;
}

/* The messages in flight now; with stop set, none may begin from here
 * on. */
static unsigned
in_flight(int stop)
{
	unsigned n;

	pthread_mutex_lock(&lock);
	if (stop)
		stopping = 1;
	n = inflight;
	pthread_mutex_unlock(&lock);
	return n;
}

static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	case SIGINT:
		return "SIGINT";
	default:
		return "a signal";
	}
}

static void *
stop_thread(void *unused)
{
	sigset_t set;
	pthread_t tid;
	unsigned n;
	int     sig = 0;

	(void) unused;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	while (sigwait(&set, &sig) != 0)
		continue;
	if ((n = in_flight(1)) == 0)
		log_info("received %s", signal_name(sig));
	else
		log_info("received %s: stopping once the %u message%s in flight "
			 "ha%s ended", signal_name(sig), n, n == 1 ? "" : "s",
			 n == 1 ? "s" : "ve");
	if (pthread_create(&tid, NULL, drain_then_stop, NULL) != 0) {
		log_warn("cannot start a thread to wait for the messages in "
			 "flight: %m; stopping now");
		stop_listener();
		return NULL;
	}
	pthread_detach(tid);
	/* Still here for a second signal, which stops at once. */
	while (sigwait(&set, &sig) != 0)
		continue;
	if ((n = in_flight(0)) == 0)
		log_info("received %s again", signal_name(sig));
	else
		log_warn("received %s again: stopping now, %u message%s in "
			 "flight cut short", signal_name(sig), n, n == 1 ? "" : "s");
	stop_listener();
	return NULL;
}

int
stop_watch(void)
{
	pthread_condattr_t ca;
	struct sigaction sa;
	sigset_t usr2;
	pthread_t tid;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&drained, &ca);
	pthread_condattr_destroy(&ca);
	/* SA_RESTART: any other call the signal meets carries on; poll()
	 * returns EINTR whatever the flags. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	if (sigaction(SIGUSR2, &sa, NULL) < 0 ||
	    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL) != 0)
		return -1;
	listener = pthread_self();
	if (pthread_create(&tid, NULL, stop_thread, NULL) != 0)
		return -1;
	pthread_detach(tid);
	return 0;
}

unsigned
stop_messages_left(void)
{
	struct timespec until;
	int     made;

	pthread_mutex_lock(&lock);
	listener_done = 1;
	made = stopper_made;
	pthread_mutex_unlock(&lock);
	if (made) {
		/* It has all it waits for once smfi_main() returned. */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 2;
		if (pthread_timedjoin_np(stopper, NULL, &until) != 0) {
			log_warn("libmilter's stop has not returned after 2 s: "
				 "going on without it");
			pthread_detach(stopper);
		}
	}
	return in_flight(1);
}

int
stop_message_begin(void)
{
	int     go;

	pthread_mutex_lock(&lock);
	if ((go = !stopping))
		inflight++;
	pthread_mutex_unlock(&lock);
	return go;
}

void
stop_message_end(void)
{
	pthread_mutex_lock(&lock);
	if (inflight > 0 && --inflight == 0)
		pthread_cond_broadcast(&drained);
	pthread_mutex_unlock(&lock);
}
