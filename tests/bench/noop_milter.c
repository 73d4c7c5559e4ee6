/*
 * noop_milter.c - a libmilter filter that does nothing: the ceiling that
 * milter_load measures vanthu-milter against.
 *
 *	build/bench/noop_milter -p SOCKET [-H N] [--nodelay]
 *
 * It registers the same callbacks as vanthu-milter, so the MTA sends and
 * waits for the same steps, and accepts every message at end of message.
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

static sfsistat
noop_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	(void) ctx;
	(void) host;
	(void) sa;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_str(SMFICTX *ctx, char *s)
{
	(void) ctx;
	(void) s;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_argv(SMFICTX *ctx, char **argv)
{
	(void) ctx;
	(void) argv;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_header(SMFICTX *ctx, char *name, char *value)
{
	(void) ctx;
	(void) name;
	(void) value;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_ctx(SMFICTX *ctx)
{
	(void) ctx;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_body(SMFICTX *ctx, unsigned char *p, size_t n)
{
	(void) ctx;
	(void) p;
	(void) n;
	return SMFIS_CONTINUE;
}

static sfsistat
noop_unknown(SMFICTX *ctx, const char *cmd)
{
	(void) ctx;
	(void) cmd;
	return SMFIS_CONTINUE;
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
	.xxfi_helo = noop_str,
	.xxfi_envfrom = noop_argv,
	.xxfi_envrcpt = noop_argv,
	.xxfi_header = noop_header,
	.xxfi_eoh = noop_ctx,
	.xxfi_body = noop_body,
	.xxfi_eom = noop_eom,
	.xxfi_abort = noop_ctx,
	.xxfi_close = noop_ctx,
	.xxfi_unknown = noop_unknown,
	.xxfi_data = noop_ctx,
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
