/*
 * milter_load.c - a load client that speaks the milter protocol (v6) to a
 * filter, as an MTA would, and measures it.
 *
 *	build/bench/milter_load -s SOCKET -f MESSAGE.eml [-c CONN] [-m MSGS]
 *		[--hold N] [--pid PID] [--label TEXT] [--split] [--nodelay]
 *		[--vary]
 *
 * CONN threads each open one connection and send MSGS copies of the
 * message on it.  Printed: messages per second over the whole run (from
 * the first connect to the last reply), the p50 and p99 of the
 * end-of-message latency (last body byte sent to final reply received),
 * the p50 of the whole transaction (MAIL to final reply), and the peak
 * RSS (VmHWM) of the filter and of its child processes, with the filter's
 * VmHWM before the run so that its growth shows.  Then the CPU time a
 * message of the filter (all its threads), of its children (live ones
 * and those it reaped during the run) and of this client, and how much
 * of the machine's CPU stayed idle or was taken by the hypervisor
 * (steal): on a small machine these say whether a rate is bound by CPU
 * or by waiting.  The filter's pid is --pid, or the owner of the
 * listening socket found through /proc.  A last line
 * "RESULT key=value..." is meant for scripts.
 *
 * --hold N opens N more connections first (negotiated, connected, HELO
 * sent) and leaves them idle during the run; afterwards each of them must
 * still carry one message.  Like Postfix (3.7 checked with strace), the
 * client writes a command together with the macro packet before it in one
 * write(); --split writes every packet on its own, as an MTA that flushes
 * each packet would, and --nodelay sets TCP_NODELAY on the client's
 * sockets.  Both exist to find where Nagle's algorithm bites.
 *
 * The wire format (Sendmail's libmilter, protocol version 6).  Every packet
 * either way is
 *
 *	uint32 length (network order, counts the command byte and the data)
 *	char   command
 *	char   data[length - 1]
 *
 * MTA to filter, in order (the filter may turn steps off at negotiation):
 *	'O' OPTNEG   uint32 version, uint32 actions, uint32 protocol flags
 *	'D' MACRO    char command it belongs to, then name\0value\0 pairs;
 *		     never answered
 *	'C' CONNECT  hostname\0, family ('4', '6', 'L', 'U'), uint16 port,
 *		     address\0
 *	'H' HELO     name\0
 *	'M' MAIL     args\0... (the first is <sender>)
 *	'R' RCPT     args\0... (the first is <recipient>)
 *	'T' DATA
 *	'L' HEADER   name\0value\0
 *	'N' EOH
 *	'B' BODY     a chunk of at most 65535 bytes
 *	'E' BODYEOB  end of message (may carry a last chunk; empty here)
 *	'A' ABORT    end of this transaction, never answered
 *	'Q' QUIT     end of the connection
 * Filter to MTA: the OPTNEG reply 'O' (version, actions, protocol flags,
 * optionally a macro list), then for each command that expects one: any
 * number of 'p' (progress) and, after BODYEOB only, modification packets
 * ('h' 'i' 'm' '+' '-' '2' 'e' 'b' 'q' 'l'), then one final reply:
 * 'c' continue, 'a' accept, 'r' reject, 't' tempfail, 'd' discard,
 * 'y' reply code, 's' skip (body chunks), 'f' or '4' connection failure.
 * The protocol flags returned at negotiation say which commands are not
 * sent (SMFIP_NO*) and which are not answered (SMFIP_NR_*).
 *
 * A reply longer than 1 MB, a short read, or no reply within 60 s counts
 * as an error on that connection, which then stops.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include "fdio.h"
#include "xmalloc.h"

#define MAX_REPLY	(1024 * 1024)
#define REPLY_TIMEOUT_MS 60000
#define BODY_CHUNK	65535
#define OUT_CAP		(BODY_CHUNK + 64)

/* What this MTA offers: every step may be left out or left unanswered. */
#define OFFER_ACTIONS	(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | \
			 SMFIF_DELRCPT | SMFIF_QUARANTINE | SMFIF_CHGFROM | \
			 SMFIF_ADDRCPT_PAR | SMFIF_SETSYMLIST)
#define OFFER_PROTO	(SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | \
			 SMFIP_NORCPT | SMFIP_NOBODY | SMFIP_NOHDRS | \
			 SMFIP_NOEOH | SMFIP_NR_HDR | SMFIP_NOUNKNOWN | \
			 SMFIP_NODATA | SMFIP_SKIP | SMFIP_NR_CONN | \
			 SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT | \
			 SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_EOH | \
			 SMFIP_NR_BODY)

struct header {
	char   *name;
	char   *value;
};

struct mail {
	struct header *headers;
	size_t  nheaders;
	const unsigned char *body;
	size_t  body_len;
	unsigned char *raw;
	size_t  size;
	size_t  markers[8];	/* body offsets of "0000000/" (--vary) */
	size_t  nmarkers;
};

/* base64 of "000000" and the first 6 bits of a seventh '0': where a
 * "0000000/" marker may start */
#define VARY_MARKER	"MDAwMDAwM"

struct options {
	const char *socket;
	const char *file;
	const char *label;
	int     conns;
	int     msgs;
	int     hold;
	long    pid;
	int     split;
	int     nodelay;
	int     vary;
	uint32_t nonce;		/* tells this run's messages from another's */
};

/* One connection to the filter.  out[] collects packets until a reply is
 * due, or is flushed after every packet with --split. */
struct conn {
	int     fd;
	uint32_t proto;		/* the filter's protocol flags */
	unsigned char out[OUT_CAP];
	size_t  nout;
	unsigned char *reply;
	size_t  reply_len;
	const struct options *opt;
};

struct result {
	double *eom_ms;		/* one per message sent */
	double *total_ms;
	int     done;		/* messages that got a final reply */
	int     accepted;
	int     refused;	/* reject, tempfail, discard, reply code */
	int     mods;		/* modification packets received */
	int     error;		/* the connection failed */
	char    why[160];
};

struct thread_arg {
	const struct options *opt;
	const struct mail *mail;
	unsigned char *body;	/* this thread's copy with --vary */
	struct result res;
	int     id;
	pthread_t tid;
};

static atomic_int sampling;
static atomic_uint vary_next;	/* the next document number (--vary) */
static atomic_long peak_child_rss_kb;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- the message file ---- */

static char *
dup_range(const unsigned char *p, size_t n)
{
	char   *s = xcalloc(1, n + 1);

	memcpy(s, p, n);
	return s;
}

static size_t
line_len(const unsigned char *p, const unsigned char *end, size_t *eol)
{
	const unsigned char *q = memchr(p, '\n', (size_t) (end - p));

	if (q == NULL) {
		*eol = 0;
		return (size_t) (end - p);
	}
	*eol = (q > p && q[-1] == '\r') ? 2 : 1;
	return (size_t) (q - p) + 1 - *eol;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Four base64 characters into three bytes; -1 if one is not base64. */
static int
b64_group(const unsigned char *in, unsigned char *out)
{
	uint32_t g = 0;

	for (int i = 0; i < 4; i++) {
		const char *c = memchr(b64, in[i], 64);

		if (c == NULL || in[i] == 0)
			return -1;
		g = g << 6 | (uint32_t) (c - b64);
	}
	out[0] = (unsigned char) (g >> 16);
	out[1] = (unsigned char) (g >> 8);
	out[2] = (unsigned char) g;
	return 0;
}

/* Headers are unfolded into name and value (continuation lines keep their
 * line break, as an MTA passes them); the body is sent byte for byte. */
static int
mail_load(struct mail *m, const char *path)
{
	const unsigned char *p, *end;

	memset(m, 0, sizeof(*m));
	if ((m->raw = file_read_whole(path, SIZE_MAX, &m->size)) == NULL) {
		fprintf(stderr, "milter_load: %s: %s\n", path, strerror(errno));
		return -1;
	}
	p = m->raw;
	end = m->raw + m->size;
	while (p < end) {
		size_t  eol, n = line_len(p, end, &eol);
		const unsigned char *colon;

		if (n == 0) {
			p += eol;
			break;
		}
		if ((*p == ' ' || *p == '\t') && m->nheaders > 0) {
			struct header *h = &m->headers[m->nheaders - 1];
			size_t  old = strlen(h->value);

			h->value = realloc(h->value, old + 2 + n + 1);
			if (h->value == NULL)
				exit(1);
			memcpy(h->value + old, "\r\n", 2);
			memcpy(h->value + old + 2, p, n);
			h->value[old + 2 + n] = 0;
		} else if ((colon = memchr(p, ':', n)) != NULL) {
			const unsigned char *v = colon + 1;

			while (v < p + n && (*v == ' ' || *v == '\t'))
				v++;
			m->headers = realloc(m->headers, (m->nheaders + 1) * sizeof(*m->headers));
			if (m->headers == NULL)
				exit(1);
			m->headers[m->nheaders].name = dup_range(p, (size_t) (colon - p));
			m->headers[m->nheaders].value = dup_range(v, (size_t) (p + n - v));
			m->nheaders++;
		}
		p += n + eol;
		if (eol == 0)
			break;
	}
	m->body = p;
	m->body_len = (size_t) (end - p);
	for (p = m->body; m->nmarkers < 8 &&
	     (p = memmem(p, (size_t) (end - p), VARY_MARKER,
			 strlen(VARY_MARKER))) != NULL; p++) {
		const unsigned char *line = p;
		unsigned char raw[12];

		while (line > m->body && line[-1] != '\n')
			line--;
		if ((p - line) % 4 != 0 || end - p < 16 ||
		    b64_group(p, raw) < 0 || b64_group(p + 4, raw + 3) < 0 ||
		    b64_group(p + 8, raw + 6) < 0 || b64_group(p + 12, raw + 9) < 0 ||
		    memcmp(raw, "0000000/", 8) != 0)
			continue;
		m->markers[m->nmarkers++] = (size_t) (p - m->body);
	}
	return 0;
}

/* --vary: the seven digits of number over every marker in body, the
 * bytes after them kept. */
static void
mail_vary(const struct mail *m, unsigned char *body, unsigned number)
{
	for (size_t i = 0; i < m->nmarkers; i++) {
		unsigned char *at = body + m->markers[i], raw[12];
		char    digits[8];

		for (int k = 0; k < 4; k++)
			b64_group(at + 4 * k, raw + 3 * k);
		snprintf(digits, sizeof(digits), "%07u", number % 10000000);
		memcpy(raw, digits, 7);
		for (int k = 0; k < 4; k++) {
			uint32_t g = (uint32_t) raw[3 * k] << 16 |
			    (uint32_t) raw[3 * k + 1] << 8 | raw[3 * k + 2];

			at[4 * k] = (unsigned char) b64[g >> 18];
			at[4 * k + 1] = (unsigned char) b64[(g >> 12) & 63];
			at[4 * k + 2] = (unsigned char) b64[(g >> 6) & 63];
			at[4 * k + 3] = (unsigned char) b64[g & 63];
		}
	}
}

static void
mail_free(struct mail *m)
{
	for (size_t i = 0; i < m->nheaders; i++) {
		free(m->headers[i].name);
		free(m->headers[i].value);
	}
	free(m->headers);
	free(m->raw);
}

/* ---- packets ---- */

static int
conn_flush(struct conn *c)
{
	int     r = c->nout ? write_full(c->fd, c->out, c->nout) : 0;

	c->nout = 0;
	return r;
}

/* Queue one packet; flush at once with --split.  A packet that does
 * not fit after what is queued flushes first. */
static int
conn_send(struct conn *c, char cmd, const void *data, size_t len)
{
	uint32_t nlen = htonl((uint32_t) len + 1);

	if (len > BODY_CHUNK)
		return -1;
	if (c->nout + 5 + len > sizeof(c->out) && conn_flush(c) < 0)
		return -1;
	memcpy(c->out + c->nout, &nlen, 4);
	c->out[c->nout + 4] = (unsigned char) cmd;
	if (len)
		memcpy(c->out + c->nout + 5, data, len);
	c->nout += 5 + len;
	return c->opt->split ? conn_flush(c) : 0;
}

static int
read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		struct pollfd pfd = {.fd = fd,.events = POLLIN};
		ssize_t r;
		int     k = poll(&pfd, 1, REPLY_TIMEOUT_MS);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t) r;
	}
	return 0;
}

/* One packet from the filter into c->reply; returns its command or -1. */
static int
conn_recv(struct conn *c)
{
	uint32_t nlen;
	size_t  len;
	unsigned char cmd;

	if (conn_flush(c) < 0 || read_full(c->fd, &nlen, 4) < 0)
		return -1;
	len = ntohl(nlen);
	if (len < 1 || len > MAX_REPLY)
		return -1;
	if (read_full(c->fd, &cmd, 1) < 0)
		return -1;
	c->reply_len = len - 1;
	free(c->reply);
	c->reply = xcalloc(1, c->reply_len + 1);
	if (c->reply_len && read_full(c->fd, c->reply, c->reply_len) < 0)
		return -1;
	return cmd;
}

static int
is_final(int cmd)
{
	return strchr("acrtdysf4", cmd) != NULL;
}

/* Read until a final reply; count modifications on the way. */
static int
conn_final(struct conn *c, int *mods)
{
	for (;;) {
		int     cmd = conn_recv(c);

		if (cmd < 0 || is_final(cmd))
			return cmd;
		if (cmd != SMFIR_PROGRESS && mods)
			(*mods)++;
	}
}

/* Send a command; when the filter answers it, return the final reply,
 * else 'c'.  NO is the flag that leaves the step out, NR the one that
 * leaves it unanswered. */
static int
conn_step(struct conn *c, char cmd, const void *data, size_t len,
	  uint32_t no, uint32_t nr)
{
	if (c->proto & no)
		return SMFIR_CONTINUE;
	if (conn_send(c, cmd, data, len) < 0)
		return -1;
	if (c->proto & nr)
		return SMFIR_CONTINUE;
	return conn_final(c, NULL);
}

static int
conn_macro(struct conn *c, char for_cmd, const char *name, const char *value)
{
	char    buf[256];
	int     n = snprintf(buf, sizeof(buf), "%c%s%c%s", for_cmd, name, 0, value);

	if (n < 0 || (size_t) n + 1 > sizeof(buf))
		return -1;
	return conn_send(c, SMFIC_MACRO, buf, (size_t) n + 1);
}

static int
parse_spec(const char *spec, int *family, char *path, size_t pathlen,
	   char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *at;

	if (strncasecmp(spec, "unix:", 5) == 0 || strncasecmp(spec, "local:", 6) == 0) {
		*family = AF_UNIX;
		return snprintf(path, pathlen, "%s", strchr(spec, ':') + 1) <
			(int) pathlen ? 0 : -1;
	}
	if (strncasecmp(spec, "inet:", 5) == 0 || strncasecmp(spec, "inet6:", 6) == 0) {
		*family = spec[4] == '6' ? AF_INET6 : AF_INET;
		spec = strchr(spec, ':') + 1;
		if ((at = strchr(spec, '@')) == NULL || (size_t) (at - spec) >= portlen)
			return -1;
		snprintf(port, portlen, "%.*s", (int) (at - spec), spec);
		return snprintf(host, hostlen, "%s", at + 1) < (int) hostlen ? 0 : -1;
	}
	return -1;
}

static int
dial(const struct options *opt)
{
	char    path[108], host[256], port[16];
	int     family, fd = -1;

	if (parse_spec(opt->socket, &family, path, sizeof(path), host,
		       sizeof(host), port, sizeof(port)) < 0)
		return -1;
	if (family == AF_UNIX) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};

		memcpy(sun.sun_path, path, strlen(path) + 1);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0) {
			close(fd);
			return -1;
		}
		return fd;
	} else {
		struct addrinfo hints = {.ai_family = family,.ai_socktype = SOCK_STREAM};
		struct addrinfo *ai;
		int     one = 1;

		if (getaddrinfo(host, port, &hints, &ai) != 0)
			return -1;
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			close(fd);
			fd = -1;
		}
		freeaddrinfo(ai);
		if (fd >= 0 && opt->nodelay)
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		return fd;
	}
}

/* Connect, negotiate, send CONNECT and HELO.  Returns 0 or -1 with why. */
static int
conn_open(struct conn *c, const struct options *opt, int id, char *why, size_t wlen)
{
	uint32_t neg[3] = {htonl(SMFI_PROT_VERSION), htonl(OFFER_ACTIONS), htonl(OFFER_PROTO)};
	unsigned char cbuf[128];
	char    helo[64];
	int     r, n;

	memset(c, 0, sizeof(*c));
	c->opt = opt;
	if ((c->fd = dial(opt)) < 0) {
		snprintf(why, wlen, "cannot connect to %s: %s", opt->socket, strerror(errno));
		return -1;
	}
	if (conn_send(c, SMFIC_OPTNEG, neg, sizeof(neg)) < 0 ||
	    (r = conn_recv(c)) != SMFIC_OPTNEG || c->reply_len < 12) {
		snprintf(why, wlen, "option negotiation failed");
		return -1;
	}
	memcpy(neg, c->reply, 12);
	c->proto = ntohl(neg[2]);
	/* CONNECT: host name, family, port, address, as Postfix sends it. */
	n = snprintf((char *) cbuf, sizeof(cbuf), "client%d.example.net%c4%c%c192.0.2.%d",
		     id, 0, 0x30, 0x39, 10 + id % 200);
	if (conn_macro(c, SMFIC_CONNECT, "j", "mx.binhdinh.gov.vn") < 0 ||
	    (r = conn_step(c, SMFIC_CONNECT, cbuf, (size_t) n + 1,
			   SMFIP_NOCONNECT, SMFIP_NR_CONN)) != SMFIR_CONTINUE) {
		snprintf(why, wlen, "CONNECT answered %c", r < 0 ? '?' : r);
		return -1;
	}
	n = snprintf(helo, sizeof(helo), "client%d.example.net", id);
	if ((r = conn_step(c, SMFIC_HELO, helo, (size_t) n + 1,
			   SMFIP_NOHELO, SMFIP_NR_HELO)) != SMFIR_CONTINUE) {
		snprintf(why, wlen, "HELO answered %c", r < 0 ? '?' : r);
		return -1;
	}
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->fd >= 0) {
		conn_send(c, SMFIC_QUIT, NULL, 0);
		conn_flush(c);
		close(c->fd);
	}
	free(c->reply);
	c->reply = NULL;
	c->fd = -1;
}

/* One transaction.  Returns the final reply, or -1 when the connection
 * failed. */
static int
conn_message(struct conn *c, const struct mail *m, unsigned char *vbody,
	     int id, int seq, double *eom_ms, int *mods)
{
	const unsigned char *body = m->body;
	char    qid[32], hbuf[16384], msgid[96];
	size_t  off;
	int     r;

	if (c->opt->vary) {
		snprintf(msgid, sizeof(msgid), "<load.%08x.%d.%d@bench.invalid>",
			 c->opt->nonce, id, seq);
		if (vbody) {
			mail_vary(m, vbody, atomic_fetch_add(&vary_next, 1));
			body = vbody;
		}
	}
	snprintf(qid, sizeof(qid), "B%04X%06X", id & 0xffff, seq & 0xffffff);
	if (conn_macro(c, SMFIC_MAIL, "i", qid) < 0)
		return -1;
	r = conn_step(c, SMFIC_MAIL, "<sender@example.net>", 21, SMFIP_NOMAIL, SMFIP_NR_MAIL);
	if (r == SMFIR_CONTINUE)
		r = conn_step(c, SMFIC_RCPT, "<vanthu@binhdinh.gov.vn>", 25,
			      SMFIP_NORCPT, SMFIP_NR_RCPT);
	if (r == SMFIR_CONTINUE)
		r = conn_step(c, SMFIC_DATA, NULL, 0, SMFIP_NODATA, SMFIP_NR_DATA);
	for (size_t i = 0; r == SMFIR_CONTINUE && i < m->nheaders; i++) {
		const char *value = m->headers[i].value;
		size_t  nl = strlen(m->headers[i].name), vl;

		if (c->opt->vary && strcasecmp(m->headers[i].name, "Message-ID") == 0)
			value = msgid;
		vl = strlen(value);
		if (nl + vl + 2 > sizeof(hbuf))
			continue;
		memcpy(hbuf, m->headers[i].name, nl + 1);
		memcpy(hbuf + nl + 1, value, vl + 1);
		r = conn_step(c, SMFIC_HEADER, hbuf, nl + vl + 2, SMFIP_NOHDRS, SMFIP_NR_HDR);
	}
	if (r == SMFIR_CONTINUE)
		r = conn_step(c, SMFIC_EOH, NULL, 0, SMFIP_NOEOH, SMFIP_NR_EOH);
	for (off = 0; r == SMFIR_CONTINUE && off < m->body_len; off += BODY_CHUNK) {
		size_t  n = m->body_len - off < BODY_CHUNK ? m->body_len - off : BODY_CHUNK;

		r = conn_step(c, SMFIC_BODY, body + off, n, SMFIP_NOBODY, SMFIP_NR_BODY);
	}
	if (r == SMFIR_SKIP)
		r = SMFIR_CONTINUE;
	if (r != SMFIR_CONTINUE) {
		/* Decided before the end: the MTA aborts the filter's view. */
		if (r >= 0 && conn_send(c, SMFIC_ABORT, NULL, 0) < 0)
			return -1;
		*eom_ms = 0;
		return r;
	}
	if (conn_macro(c, SMFIC_BODYEOB, "i", qid) < 0 ||
	    conn_send(c, SMFIC_BODYEOB, NULL, 0) < 0)
		return -1;
	*eom_ms = now_ms();
	r = conn_final(c, mods);
	*eom_ms = now_ms() - *eom_ms;
	return r;
}

static void
tally(struct result *res, int r)
{
	res->done++;
	if (r == SMFIR_ACCEPT || r == SMFIR_CONTINUE)
		res->accepted++;
	else
		res->refused++;
}

static void *
load_thread(void *p)
{
	struct thread_arg *ta = p;
	struct result *res = &ta->res;
	struct conn c;

	if (conn_open(&c, ta->opt, ta->id, res->why, sizeof(res->why)) < 0) {
		res->error = 1;
		conn_close(&c);
		return NULL;
	}
	for (int i = 0; i < ta->opt->msgs; i++) {
		double  t0 = now_ms();
		int     r = conn_message(&c, ta->mail, ta->body, ta->id, i,
					     &res->eom_ms[i], &res->mods);

		if (r < 0 || r == 'f' || r == '4') {
			snprintf(res->why, sizeof(res->why), "message %d: %s", i,
				 r < 0 ? "connection failed" : "connection refused");
			res->error = 1;
			break;
		}
		res->total_ms[i] = now_ms() - t0;
		tally(res, r);
	}
	conn_close(&c);
	return NULL;
}

/* ---- the filter's memory ---- */

static long
status_kb(long pid, const char *field)
{
	char    path[64], line[256];
	size_t  fl = strlen(field);
	long    kb = -1;
	FILE   *fp;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			kb = strtol(line + fl + 1, NULL, 10);
			break;
		}
	fclose(fp);
	return kb;
}

/* The children of PID, from /proc/PID/task/<TID>/children. */
static size_t
children(long pid, long *out, size_t cap)
{
	char    path[64];
	size_t  n = 0;
	struct dirent *de;
	DIR    *d;

	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < cap) {
		char    cpath[400];
		FILE   *fp;
		long    c;

		if (de->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "%s/%s/children", path, de->d_name);
		if ((fp = fopen(cpath, "r")) == NULL)
			continue;
		while (n < cap && fscanf(fp, "%ld", &c) == 1)
			out[n++] = c;
		fclose(fp);
	}
	closedir(d);
	return n;
}

static void *
sampler_thread(void *p)
{
	long    pid = *(long *) p, kids[256];
	struct timespec ts = {0, 20 * 1000 * 1000};

	while (atomic_load(&sampling)) {
		size_t  n = children(pid, kids, 256);

		for (size_t i = 0; i < n; i++) {
			long    kb = status_kb(kids[i], "VmRSS");

			if (kb > atomic_load(&peak_child_rss_kb))
				atomic_store(&peak_child_rss_kb, kb);
		}
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* ---- CPU time ---- */

#define MAX_KIDS	256

/* What the CPU had done at one moment, in seconds (the machine's in
 * clock ticks). */
struct cpu_mark {
	double  filter;		/* the filter, all its threads */
	double  reaped;		/* its children it has waited for */
	long    kids[MAX_KIDS];	/* its live children */
	double  kid[MAX_KIDS];	/* and theirs */
	size_t  nkids;
	double  client;		/* this process */
	unsigned long long busy, idle, steal;	/* the machine, /proc/stat */
};

/* utime + stime and cutime + cstime of PID, in seconds; -1 when gone. */
static int
proc_cpu(long pid, double *self, double *reaped)
{
	char    path[64], buf[1024], *p;
	unsigned long long ut, st;
	long long cut, cst;
	ssize_t n;
	int     fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* The command name may hold spaces and parentheses: fields are
	 * counted from the last ')'.  utime is the 14th field. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld",
		   &ut, &st, &cut, &cst) != 4)
		return -1;
	*self = (double) (ut + st) / (double) sysconf(_SC_CLK_TCK);
	if (reaped)
		*reaped = (double) (cut + cst) / (double) sysconf(_SC_CLK_TCK);
	return 0;
}

static void
machine_cpu(struct cpu_mark *m)
{
	unsigned long long v[8] = {0};
	FILE   *fp;

	m->busy = m->idle = m->steal = 0;
	if ((fp = fopen("/proc/stat", "r")) == NULL)
		return;
	/* cpu user nice system idle iowait irq softirq steal (guest time is
	 * already in user) */
	if (fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		m->busy = v[0] + v[1] + v[2] + v[5] + v[6];
		m->idle = v[3] + v[4];
		m->steal = v[7];
	}
	fclose(fp);
}

static void
cpu_mark(long pid, struct cpu_mark *m)
{
	struct rusage ru;

	memset(m, 0, sizeof(*m));
	if (pid > 0 && proc_cpu(pid, &m->filter, &m->reaped) == 0) {
		size_t  n = children(pid, m->kids, MAX_KIDS);

		for (size_t i = 0; i < n; i++)
			if (proc_cpu(m->kids[i], &m->kid[m->nkids], NULL) == 0)
				m->kids[m->nkids++] = m->kids[i];
	}
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		m->client = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	machine_cpu(m);
}

/*
 * The children's CPU between two marks: what the live ones did since
 * the first (all of it for one started in between), plus what the
 * filter reaped, less the part of a reaped child's time that the first
 * mark had already seen.
 */
static double
children_cpu(const struct cpu_mark *a, const struct cpu_mark *b)
{
	double  t = b->reaped - a->reaped;

	for (size_t i = 0; i < b->nkids; i++) {
		double  before = 0;

		for (size_t j = 0; j < a->nkids; j++)
			if (a->kids[j] == b->kids[i])
				before = a->kid[j];
		t += b->kid[i] - before;
	}
	for (size_t j = 0; j < a->nkids; j++) {
		size_t  i;

		for (i = 0; i < b->nkids && b->kids[i] != a->kids[j]; i++)
			;
		if (i == b->nkids)
			t -= a->kid[j];
	}
	return t;
}

/* The inode of the listening socket named by SPEC, from /proc/net. */
static unsigned long
listen_inode(const char *spec)
{
	char    path[108], host[256], port[16], line[512];
	int     family;
	unsigned long inode = 0;
	FILE   *fp;

	if (parse_spec(spec, &family, path, sizeof(path), host, sizeof(host),
		       port, sizeof(port)) < 0)
		return 0;
	if (family == AF_UNIX) {
		if ((fp = fopen("/proc/net/unix", "r")) == NULL)
			return 0;
		while (!inode && fgets(line, sizeof(line), fp)) {
			unsigned long flags, ino;
			char    p[300];

			if (sscanf(line, "%*s %*s %*s %lx %*s %*s %lu %299s", &flags, &ino, p) == 3 &&
			    (flags & 0x10000) && strcmp(p, path) == 0)
				inode = ino;
		}
		fclose(fp);
		return inode;
	}
	for (int v6 = 0; v6 < 2 && !inode; v6++) {
		unsigned want = (unsigned) atoi(port);

		if ((fp = fopen(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", "r")) == NULL)
			continue;
		while (!inode && fgets(line, sizeof(line), fp)) {
			char    local[64];
			unsigned st;
			unsigned long ino;
			char   *colon;

			if (sscanf(line, "%*s %63s %*s %x %*s %*s %*s %*s %*s %lu",
				   local, &st, &ino) != 3 || st != 0x0A)
				continue;
			if ((colon = strrchr(local, ':')) && strtoul(colon + 1, NULL, 16) == want)
				inode = ino;
		}
		fclose(fp);
	}
	return inode;
}

/* The lowest pid holding the socket: the daemon, not a child that may have
 * inherited it. */
static long
socket_owner(const char *spec)
{
	unsigned long inode = listen_inode(spec);
	char    want[64];
	long    best = -1;
	struct dirent *de;
	DIR    *proc;

	if (inode == 0 || (proc = opendir("/proc")) == NULL)
		return -1;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	while ((de = readdir(proc)) != NULL) {
		char    fdpath[300], link[300];
		long    pid = strtol(de->d_name, NULL, 10);
		struct dirent *fe;
		DIR    *fds;

		if (pid <= 0)
			continue;
		snprintf(fdpath, sizeof(fdpath), "/proc/%ld/fd", pid);
		if ((fds = opendir(fdpath)) == NULL)
			continue;
		while ((fe = readdir(fds)) != NULL) {
			char    lp[600];
			ssize_t n;

			snprintf(lp, sizeof(lp), "%s/%s", fdpath, fe->d_name);
			if ((n = readlink(lp, link, sizeof(link) - 1)) <= 0)
				continue;
			link[n] = 0;
			if (strcmp(link, want) == 0 && (best < 0 || pid < best))
				best = pid;
		}
		closedir(fds);
	}
	closedir(proc);
	return best;
}

/* ---- figures ---- */

static int
cmp_double(const void *a, const void *b)
{
	double  x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static double
percentile(double *v, size_t n, double q)
{
	size_t  i;

	if (n == 0)
		return 0;
	i = (size_t) (q * (double) (n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: milter_load -s SOCKET -f MESSAGE [-c CONN] [-m MSGS] [--hold N]\n"
		"                   [--pid PID] [--label TEXT] [--split] [--nodelay] [--vary]\n"
		"  SOCKET is unix:/path, inet:port@host or inet6:port@host\n");
	exit(2);
}

static int
held_check(struct conn *held, int n, const struct mail *m, char *why, size_t wlen)
{
	int     bad = 0;

	for (int i = 0; i < n; i++) {
		double  eom;
		int     mods = 0, r = held[i].fd < 0 ? -1 :
			conn_message(&held[i], m, NULL, 10000 + i, 0, &eom, &mods);

		if (r != SMFIR_ACCEPT && r != SMFIR_CONTINUE) {
			if (!bad)
				snprintf(why, wlen, "held connection %d: reply %c", i,
					 r < 0 ? '?' : r);
			bad++;
		}
		conn_close(&held[i]);
	}
	return bad;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"hold", required_argument, NULL, 'H'},
		{"pid", required_argument, NULL, 'p'},
		{"label", required_argument, NULL, 'l'},
		{"split", no_argument, NULL, 'S'},
		{"nodelay", no_argument, NULL, 'N'},
		{"vary", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct options opt = {.conns = 4,.msgs = 100,.pid = -1,.label = "run"};
	struct thread_arg *ta;
	struct conn *held = NULL;
	struct mail mail;
	pthread_t sampler;
	struct cpu_mark *c0, *c1;
	double  t0, wall, *eom, *total, n_cpu, ticks;
	double  ms_filter, ms_kids, ms_client, idle, steal;
	size_t  neom = 0, ntotal = 0;
	long    hwm_before = -1, hwm_after, child_hwm = 0, kids[256];
	int     ch, done = 0, accepted = 0, refused = 0, errors = 0, mods = 0;
	int     held_bad = 0;
	char    why[256] = "";
	int     rc;

	while ((ch = getopt_long(argc, argv, "s:f:c:m:", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': opt.socket = optarg; break;
		case 'f': opt.file = optarg; break;
		case 'c': opt.conns = atoi(optarg); break;
		case 'm': opt.msgs = atoi(optarg); break;
		case 'H': opt.hold = atoi(optarg); break;
		case 'p': opt.pid = atol(optarg); break;
		case 'l': opt.label = optarg; break;
		case 'S': opt.split = 1; break;
		case 'N': opt.nodelay = 1; break;
		case 'V': opt.vary = 1; break;
		default: usage();
		}
	}
	if (!opt.socket || !opt.file || opt.conns < 1 || opt.conns > 1000 ||
	    opt.msgs < 1 || opt.msgs > 10000000 || opt.hold < 0 || opt.hold > 10000)
		usage();
	if (mail_load(&mail, opt.file) < 0)
		return 1;
	opt.nonce = (uint32_t) time(NULL) ^ ((uint32_t) getpid() << 16);
	/* Document numbers from a place of this run's own in 1..9,999,999. */
	atomic_store(&vary_next, 1 + opt.nonce % 9000000);
	if (opt.pid < 0)
		opt.pid = socket_owner(opt.socket);
	if (opt.pid > 0)
		hwm_before = status_kb(opt.pid, "VmHWM");

	if (opt.hold) {
		held = xcalloc(1, (size_t) opt.hold * sizeof(*held));
		for (int i = 0; i < opt.hold; i++)
			if (conn_open(&held[i], &opt, 10000 + i, why, sizeof(why)) < 0) {
				fprintf(stderr, "milter_load: held connection %d: %s\n", i, why);
				conn_close(&held[i]);
				held_bad++;
			}
	}

	ta = xcalloc(1, (size_t) opt.conns * sizeof(*ta));
	atomic_store(&sampling, 1);
	if (opt.pid > 0 && pthread_create(&sampler, NULL, sampler_thread, &opt.pid) != 0)
		opt.pid = -opt.pid;
	c0 = xcalloc(1, sizeof(*c0));
	c1 = xcalloc(1, sizeof(*c1));
	cpu_mark(opt.pid, c0);
	t0 = now_ms();
	for (int i = 0; i < opt.conns; i++) {
		ta[i].opt = &opt;
		ta[i].mail = &mail;
		ta[i].id = i;
		ta[i].body = NULL;
		if (opt.vary && mail.nmarkers) {
			ta[i].body = xcalloc(1, mail.body_len);
			memcpy(ta[i].body, mail.body, mail.body_len);
		}
		ta[i].res.eom_ms = xcalloc(1, (size_t) opt.msgs * sizeof(double));
		ta[i].res.total_ms = xcalloc(1, (size_t) opt.msgs * sizeof(double));
		if (pthread_create(&ta[i].tid, NULL, load_thread, &ta[i]) != 0) {
			perror("milter_load: pthread_create");
			return 1;
		}
	}
	for (int i = 0; i < opt.conns; i++)
		pthread_join(ta[i].tid, NULL);
	wall = now_ms() - t0;
	cpu_mark(opt.pid, c1);
	if (opt.hold)
		held_bad += held_check(held, opt.hold, &mail, why, sizeof(why));
	atomic_store(&sampling, 0);
	if (opt.pid > 0) {
		size_t  nk;

		pthread_join(sampler, NULL);
		nk = children(opt.pid, kids, 256);
		for (size_t i = 0; i < nk; i++) {
			long    kb = status_kb(kids[i], "VmHWM");

			if (kb > child_hwm)
				child_hwm = kb;
		}
	}
	hwm_after = opt.pid > 0 ? status_kb(opt.pid, "VmHWM") : -1;

	eom = xcalloc(1, (size_t) opt.conns * (size_t) opt.msgs * sizeof(double));
	total = xcalloc(1, (size_t) opt.conns * (size_t) opt.msgs * sizeof(double));
	for (int i = 0; i < opt.conns; i++) {
		struct result *r = &ta[i].res;

		for (int k = 0; k < r->done; k++) {
			if (r->eom_ms[k] > 0)
				eom[neom++] = r->eom_ms[k];
			total[ntotal++] = r->total_ms[k];
		}
		done += r->done;
		accepted += r->accepted;
		refused += r->refused;
		mods += r->mods;
		if (r->error) {
			errors++;
			if (!*why)
				snprintf(why, sizeof(why), "connection %d: %s", i, r->why);
		}
	}
	qsort(eom, neom, sizeof(*eom), cmp_double);
	qsort(total, ntotal, sizeof(*total), cmp_double);

	printf("%s: %s, %d connections x %d messages of %zu bytes%s%s\n",
	       opt.label, opt.socket, opt.conns, opt.msgs, mail.size,
	       opt.split ? ", split writes" : "", opt.nodelay ? ", TCP_NODELAY" : "");
	printf("  %d answered (%d accepted, %d refused) in %.3f s: %.0f msg/s\n",
	       done, accepted, refused, wall / 1e3, done / (wall / 1e3));
	printf("  end of message: p50 %.3f ms, p99 %.3f ms; whole transaction p50 %.3f ms\n",
	       percentile(eom, neom, 0.5), percentile(eom, neom, 0.99),
	       percentile(total, ntotal, 0.5));
	if (opt.pid > 0)
		printf("  filter pid %ld: VmHWM %ld kB before, %ld kB after; "
		       "children: VmHWM %ld kB, sampled VmRSS peak %ld kB\n",
		       opt.pid, hwm_before, hwm_after, child_hwm,
		       atomic_load(&peak_child_rss_kb));
	n_cpu = done > 0 ? done : 1;
	ticks = (double) (c1->busy + c1->idle + c1->steal) -
	    (double) (c0->busy + c0->idle + c0->steal);
	if (ticks <= 0)
		ticks = 1;
	ms_filter = 1e3 * (c1->filter - c0->filter) / n_cpu;
	ms_kids = opt.pid > 0 ? 1e3 * children_cpu(c0, c1) / n_cpu : 0;
	ms_client = 1e3 * (c1->client - c0->client) / n_cpu;
	idle = 100.0 * (double) (c1->idle - c0->idle) / ticks;
	steal = 100.0 * (double) (c1->steal - c0->steal) / ticks;
	printf("  CPU a message: filter %.3f ms, its children %.3f ms, this client %.3f ms; "
	       "machine %.0f %% idle, %.1f %% stolen\n",
	       ms_filter, ms_kids, ms_client, idle, steal);
	if (opt.hold)
		printf("  %d idle connections held: %d failed\n", opt.hold, held_bad);
	if (errors || held_bad)
		printf("  errors: %d connections failed (%s)\n", errors, why);
	printf("RESULT label=%s msgs=%d rate=%.1f p50=%.3f p99=%.3f txn50=%.3f "
	       "hwm_before=%ld hwm_after=%ld child_hwm=%ld child_rss=%ld "
	       "cpu_filter=%.3f cpu_children=%.3f cpu_client=%.3f idle=%.1f steal=%.1f "
	       "refused=%d mods=%d errors=%d held_bad=%d\n",
	       opt.label, done, done / (wall / 1e3), percentile(eom, neom, 0.5),
	       percentile(eom, neom, 0.99), percentile(total, ntotal, 0.5),
	       hwm_before, hwm_after, child_hwm, atomic_load(&peak_child_rss_kb),
	       ms_filter, ms_kids, ms_client, idle, steal,
	       refused, mods, errors, held_bad);
	rc = errors || held_bad || done < opt.conns * opt.msgs ? 1 : 0;
	for (int i = 0; i < opt.conns; i++) {
		free(ta[i].res.eom_ms);
		free(ta[i].res.total_ms);
		free(ta[i].body);
	}
	free(ta);
	free(c0);
	free(c1);
	free(held);
	free(eom);
	free(total);
	mail_free(&mail);
	return rc;
}
