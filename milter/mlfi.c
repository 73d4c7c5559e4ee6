/*
 * mlfi.c - the libmilter callbacks: collect, spool, hand off.
 *
 * These stay thin.  They keep per-connection state (client address, helo)
 * and feed one struct message per transaction; at end of message they
 * call message_process() and carry out its outcome with smfi_* calls.
 * Nothing here parses MIME.
 *
 * libmilter may call close without connect (a TCP health probe) and abort
 * at any point; both are normal and free what exists.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "message.h"
#include "mlfi.h"
#include "runtime.h"
#include "stop.h"
#include "xmalloc.h"

struct conn {
	char   *client_addr;	/* NULL for local submission */
	char   *helo;
	unsigned long noreply;	/* SMFIP_NR_* the MTA agreed to */
	int     in_message;
	struct message msg;
};

/*
 * Steps whose answer is always "continue": over a unix socket the MTA is
 * asked not to wait for it (mlfi.h says why not over TCP).  Headers and
 * body chunks then stream without a round trip each.  MAIL keeps its
 * reply: it is where a missing configuration tempfails.
 */
#define NOREPLY_STEPS	(SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_RCPT | \
			 SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_HDR | \
			 SMFIP_NR_EOH | SMFIP_NR_BODY)

#define QUARANTINE_FAILED_TEXT \
	"Message cannot be held for review now, please try again later"
#define STOPPING_TEXT \
	"Document filter is restarting, please try again later"

static struct worker_pool *pool;
static struct store *store;
static int skip_replies;

void
mlfi_set_skip_replies(int yes)
{
	skip_replies = yes;
}

void
mlfi_set_pool(struct worker_pool *p)
{
	pool = p;
}

void
mlfi_set_store(struct store *s)
{
	store = s;
}

static struct conn *
conn_get(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

/* CONTINUE, or no reply at all where the MTA agreed to that for step. */
static sfsistat
carry_on(const struct conn *c, unsigned long step)
{
	return c && (c->noreply & step) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static void
conn_end_message(struct conn *c)
{
	if (c->in_message) {
		message_clear(&c->msg);
		stop_message_end();
	}
	c->in_message = 0;
}

static char *
strip_brackets(const char *addr)
{
	size_t  n = strlen(addr);

	if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>')
		return xstrndup(addr + 1, n - 2);
	return xstrdup(addr);
}

/* A message that begins while the daemon stops: the MTA keeps it and
 * tries again, by then with a daemon that can finish it. */
static sfsistat
defer_stopping(SMFICTX *ctx, const char *from)
{
	if (smfi_setreply(ctx, "451", "4.3.2", STOPPING_TEXT) != MI_SUCCESS)
		log_warn("milter: cannot set the reply text");
	message_log_refused(smfi_getsymval(ctx, "i"), from, "451 4.3.2 " STOPPING_TEXT,
			    "stopping: begun after the signal to stop");
	return SMFIS_TEMPFAIL;
}

static sfsistat
mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
	       unsigned long f2, unsigned long f3, unsigned long *pf0,
	       unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	struct conn *c = xcalloc(1, sizeof(*c));

	(void) f2;
	(void) f3;
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT |
		     SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
	*pf1 = f1 & SMFIP_SKIP;
	if (skip_replies) {
		c->noreply = f1 & NOREPLY_STEPS;
		*pf1 |= (f1 & (SMFIP_NODATA | SMFIP_NOUNKNOWN)) | c->noreply;
	}
	*pf2 = 0;
	*pf3 = 0;
	/* The connection's state starts here: connect comes after. */
	smfi_setpriv(ctx, c);
	/* The macros message_process needs; Postfix and Sendmail send only
	 * what the MTA is configured to, see the README. */
	if (f0 & SMFIF_SETSYMLIST) {
		smfi_setsymlist(ctx, SMFIM_ENVFROM, "i {auth_authen}");
		smfi_setsymlist(ctx, SMFIM_EOM, "i");
	}
	return SMFIS_CONTINUE;
}

static sfsistat
mlfi_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *sa)
{
	struct conn *c = conn_get(ctx);
	char    addr[INET6_ADDRSTRLEN];

	(void) hostname;
	if (c == NULL) {
		/* An MTA that does not negotiate (protocol version 2). */
		c = xcalloc(1, sizeof(*c));
		smfi_setpriv(ctx, c);
	}
	free(c->client_addr);
	c->client_addr = NULL;
	if (sa && sa->sa_family == AF_INET &&
	    inet_ntop(AF_INET, &((struct sockaddr_in *) sa)->sin_addr, addr, sizeof(addr)))
		c->client_addr = xstrdup(addr);
	else if (sa && sa->sa_family == AF_INET6 &&
		 inet_ntop(AF_INET6, &((struct sockaddr_in6 *) sa)->sin6_addr, addr, sizeof(addr)))
		c->client_addr = xstrdup(addr);
	return carry_on(c, SMFIP_NR_CONN);
}

static sfsistat
mlfi_helo(SMFICTX *ctx, char *helo)
{
	struct conn *c = conn_get(ctx);

	if (c) {
		free(c->helo);
		c->helo = xstrdup(helo);
	}
	return carry_on(c, SMFIP_NR_HELO);
}

static sfsistat
mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_get(ctx);
	struct runtime *rt;
	const char *auth;

	if (c == NULL) {
		/* No connect callback (misconfigured MTA): make do. */
		c = xcalloc(1, sizeof(*c));
		smfi_setpriv(ctx, c);
	}
	conn_end_message(c);
	if (!stop_message_begin()) {
		char   *from = strip_brackets(argv[0] ? argv[0] : "");
		sfsistat r = defer_stopping(ctx, from);

		free(from);
		return r;
	}
	if ((rt = runtime_current()) == NULL) {
		stop_message_end();
		return SMFIS_TEMPFAIL;
	}
	if (message_start(&c->msg, rt) < 0)
		log_error("spool: cannot open a spool file in %s: %s",
			  rt->cfg->spool, strerror(c->msg.spool_error));
	c->in_message = 1;
	c->msg.info.from = strip_brackets(argv[0] ? argv[0] : "");
	if (c->client_addr)
		c->msg.info.client_addr = xstrdup(c->client_addr);
	if ((auth = smfi_getsymval(ctx, "{auth_authen}")) != NULL && *auth)
		c->msg.info.auth = xstrdup(auth);
	return SMFIS_CONTINUE;
}

static sfsistat
mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_get(ctx);
	char   *addr;

	if (c == NULL || !c->in_message)
		return carry_on(c, SMFIP_NR_RCPT);
	addr = strip_brackets(argv[0] ? argv[0] : "");
	message_recipient(&c->msg, addr);
	free(addr);
	return carry_on(c, SMFIP_NR_RCPT);
}

/* Asked off at negotiation; an MTA that sends them anyway gets this. */
static sfsistat
mlfi_data(SMFICTX *ctx)
{
	return carry_on(conn_get(ctx), SMFIP_NR_DATA);
}

static sfsistat
mlfi_unknown(SMFICTX *ctx, const char *cmd)
{
	(void) cmd;
	return carry_on(conn_get(ctx), SMFIP_NR_UNKN);
}

static sfsistat
mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = conn_get(ctx);

	if (c && c->in_message)
		message_header(&c->msg, name, value);
	return carry_on(c, SMFIP_NR_HDR);
}

static sfsistat
mlfi_eoh(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);

	if (c && c->in_message)
		message_end_of_headers(&c->msg);
	return carry_on(c, SMFIP_NR_EOH);
}

static sfsistat
mlfi_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct conn *c = conn_get(ctx);

	if (c && c->in_message)
		message_body(&c->msg, chunk, len);
	return carry_on(c, SMFIP_NR_BODY);
}

/* Carry out the outcome.  A failed smfi_* call is logged; the message
 * then gets the internal-error treatment from the MTA's side.  A message
 * to hold that the MTA does not hold (it did not offer quarantine, or the
 * call failed) is deferred, never delivered instead; the outcome then
 * says so for the log line. */
static sfsistat
apply_outcome(SMFICTX *ctx, const struct message *m, struct outcome *o)
{
	const char *qid = m->info.queue_id ? m->info.queue_id : "NOQUEUE";

	if (o->disposition == DISP_QUARANTINE &&
	    smfi_quarantine(ctx, o->quarantine_reason ? o->quarantine_reason :
			    "held by vanthu") != MI_SUCCESS) {
		log_error("milter: %s: cannot quarantine: message deferred", qid);
		o->disposition = DISP_TEMPFAIL;
		free(o->failure);
		o->failure = xstrdup("internal: the MTA did not hold the message");
		outcome_set_reply(o, "451", "4.3.0", QUARANTINE_FAILED_TEXT);
	}
	switch (o->disposition) {
	case DISP_TEMPFAIL:
	case DISP_REJECT:
		if (o->smtp_code &&
		    smfi_setreply(ctx, o->smtp_code, o->smtp_xcode, o->smtp_text) != MI_SUCCESS)
			log_warn("milter: %s: cannot set the reply text", qid);
		return o->disposition == DISP_REJECT ? SMFIS_REJECT : SMFIS_TEMPFAIL;
	case DISP_ACCEPT:
	case DISP_QUARANTINE:
	default:
		break;
	}
	/* Last first: Postfix numbers the headers of a name that are left,
	 * so removing the first would make the third the second. */
	for (size_t i = m->nown; i-- > 0;)
		if (smfi_chgheader(ctx, m->own[i].name, m->own[i].index, NULL) != MI_SUCCESS)
			log_warn("milter: %s: cannot remove header %s", qid, m->own[i].name);
	for (size_t i = 0; i < o->nadd_headers; i++)
		if (smfi_addheader(ctx, o->add_headers[i].name,
				   o->add_headers[i].value) != MI_SUCCESS)
			log_warn("milter: %s: cannot add header %s", qid,
				 o->add_headers[i].name);
	if (o->new_subject && smfi_chgheader(ctx, "Subject", 1, o->new_subject) != MI_SUCCESS)
		log_warn("milter: %s: cannot change the subject", qid);
	for (size_t i = 0; i < o->nadd_rcpts; i++)
		if (smfi_addrcpt(ctx, o->add_rcpts[i]) != MI_SUCCESS)
			log_warn("milter: %s: cannot add recipient %s", qid, o->add_rcpts[i]);
	return SMFIS_ACCEPT;
}

static sfsistat
mlfi_eom(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);
	struct outcome o;
	const char *qid;
	sfsistat r;

	if (c == NULL || !c->in_message)
		return SMFIS_CONTINUE;
	if ((qid = smfi_getsymval(ctx, "i")) != NULL && *qid)
		c->msg.info.queue_id = xstrdup(qid);
	message_process(&c->msg, pool, store, &o);
	r = apply_outcome(ctx, &c->msg, &o);
	message_log(&c->msg, &o);
	outcome_clear(&o);
	conn_end_message(c);
	return r;
}

static sfsistat
mlfi_abort(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);

	if (c)
		conn_end_message(c);
	return SMFIS_CONTINUE;
}

static sfsistat
mlfi_close(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL)
		return SMFIS_CONTINUE;	/* a probe that never said hello */
	conn_end_message(c);
	free(c->client_addr);
	free(c->helo);
	free(c);
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

struct smfiDesc mlfi_desc = {
	.xxfi_name = "vanthu",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_QUARANTINE,
	.xxfi_connect = mlfi_connect,
	.xxfi_helo = mlfi_helo,
	.xxfi_envfrom = mlfi_envfrom,
	.xxfi_envrcpt = mlfi_envrcpt,
	.xxfi_header = mlfi_header,
	.xxfi_eoh = mlfi_eoh,
	.xxfi_body = mlfi_body,
	.xxfi_eom = mlfi_eom,
	.xxfi_abort = mlfi_abort,
	.xxfi_close = mlfi_close,
	.xxfi_unknown = mlfi_unknown,
	.xxfi_data = mlfi_data,
	.xxfi_negotiate = mlfi_negotiate,
};
