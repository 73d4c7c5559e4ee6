/*
 * noop_milter.c - a libmilter filter that does nothing: the ceiling that
 * milter_load measures vanthu-milter against.
 *
 *	build/bench/noop_milter -p SOCKET [-H N] [--nodelay]
 *
 * It registers the same callbacks as vanthu-milter and negotiates the
 * same protocol steps (on a unix socket SMFIP_NR_*: no reply to headers,
 * body chunks and the other steps that always continue), so the MTA sends
 * and waits for the same things; it accepts every message at end of
 * message.
 * -H N adds N headers at end of message, one smfi_addheader() each, as a
 * filter that reports its verdict in headers does (vanthu adds several).
 * --nodelay sets TCP_NODELAY on the listening socket before libmilter
 * accepts on it, as vanthu-milter does (milter/tcpopt.h).  It runs in
 * the foreground until SIGTERM or SIGINT.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "tcpopt.h"

static int add_headers;
static int skip_replies;	/* on a unix socket only, as vanthu-milter */

/* The steps vanthu-milter asks not to answer (milter/mlfi.c). */
#define NOREPLY_STEPS	(SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_RCPT | \
			 SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_HDR | \
			 SMFIP_NR_EOH | SMFIP_NR_BODY)

/* The connection's private data: the no-reply steps the MTA agreed to. */
static sfsistat
carry_on(SMFICTX *ctx, unsigned long step)
{
	unsigned long *agreed = smfi_getpriv(ctx);

	return agreed && (*agreed & step) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat
noop_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
	       unsigned long f2, unsigned long f3, unsigned long *pf0,
	       unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	unsigned long *agreed = malloc(sizeof(*agreed));

	(void) f2;
	(void) f3;
	if (agreed == NULL)
		return SMFIS_TEMPFAIL;
	*agreed = 0;
	smfi_setpriv(ctx, agreed);
	*pf0 = f0 & SMFIF_ADDHDRS;
	*pf1 = f1 & SMFIP_SKIP;
	if (skip_replies) {
		*agreed = f1 & NOREPLY_STEPS;
		*pf1 |= (f1 & (SMFIP_NODATA | SMFIP_NOUNKNOWN)) | *agreed;
	}
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	(void) host;
	(void) sa;
	return carry_on(ctx, SMFIP_NR_CONN);
}

static sfsistat
noop_helo(SMFICTX *ctx, char *s)
{
	(void) s;
	return carry_on(ctx, SMFIP_NR_HELO);
}

static sfsistat
noop_envfrom(SMFICTX *ctx, char **argv)
{
	(void) ctx;
	(void) argv;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_envrcpt(SMFICTX *ctx, char **argv)
{
	(void) argv;
	return carry_on(ctx, SMFIP_NR_RCPT);
}

static sfsistat
noop_header(SMFICTX *ctx, char *name, char *value)
{
	(void) name;
	(void) value;
	return carry_on(ctx, SMFIP_NR_HDR);
}

static sfsistat
noop_eoh(SMFICTX *ctx)
{
	return carry_on(ctx, SMFIP_NR_EOH);
}

static sfsistat
noop_data(SMFICTX *ctx)
{
	return carry_on(ctx, SMFIP_NR_DATA);
}

static sfsistat
noop_abort(SMFICTX *ctx)
{
	(void) ctx;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_close(SMFICTX *ctx)
{
	free(smfi_getpriv(ctx));
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static sfsistat
noop_body(SMFICTX *ctx, unsigned char *p, size_t n)
{
	(void) p;
	(void) n;
	return carry_on(ctx, SMFIP_NR_BODY);
}

static sfsistat
noop_unknown(SMFICTX *ctx, const char *cmd)
{
	(void) cmd;
	return carry_on(ctx, SMFIP_NR_UNKN);
}

static sfsistat
noop_eom(SMFICTX *ctx)
{
	char    name[32];

	for (int i = 0; i < add_headers; i++) {
		snprintf(name, sizeof(name), "X-Noop-%d", i);
		smfi_addheader(ctx, name, "yes");
	}
	return SMFIS_ACCEPT;
}

static struct smfiDesc noop_desc = {
	.xxfi_name = "noop",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS,
	.xxfi_connect = noop_connect,
	.xxfi_helo = noop_helo,
	.xxfi_envfrom = noop_envfrom,
	.xxfi_envrcpt = noop_envrcpt,
	.xxfi_header = noop_header,
	.xxfi_eoh = noop_eoh,
	.xxfi_body = noop_body,
	.xxfi_eom = noop_eom,
	.xxfi_abort = noop_abort,
	.xxfi_close = noop_close,
	.xxfi_unknown = noop_unknown,
	.xxfi_data = noop_data,
	.xxfi_negotiate = noop_negotiate,
};

static int
usage(void)
{
	fprintf(stderr, "usage: noop_milter -p SOCKET [-H N] [--nodelay]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"nodelay", no_argument, NULL, 'N'},
		{NULL, 0, NULL, 0},
	};
	const char *spec = NULL;
	int     ch, nodelay = 0;

	while ((ch = getopt_long(argc, argv, "p:H:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': spec = optarg; break;
		case 'H': add_headers = atoi(optarg); break;
		case 'N': nodelay = 1; break;
		default: return usage();
		}
	}
	if (spec == NULL || optind != argc || add_headers < 0 || add_headers > 100)
		return usage();
	if (strncmp(spec, "unix:", 5) == 0)
		unlink(spec + 5);
	skip_replies = strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0;
	if (smfi_setconn((char *) spec) != MI_SUCCESS ||
	    smfi_register(noop_desc) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "noop_milter: cannot listen on %s\n", spec);
		return 1;
	}
	if (nodelay && tcpopt_nodelay_listeners() < 0)
		perror("noop_milter: TCP_NODELAY");
	fprintf(stderr, "noop_milter: listening on %s\n", spec);
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
