/*
 * wproto.c - encode and decode worker requests and replies; see wproto.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "fdio.h"
#include "wbuf.h"
#include "wproto.h"
#include "xmalloc.h"

#define STR_MAX		(16u << 20)	/* any one string, text included */
#define SMALL_MAX	4096		/* names, types, parts, reasons */
#define RECV_CHUNK	(64u << 10)	/* a document's bytes, read at a time */

static void
put_header(struct wbuf *w, uint32_t magic)
{
	wbuf_u32(w, magic);
	wbuf_u32(w, 0);		/* length, set when the body is done */
}

static long
ms_left(const struct timespec *until)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (until->tv_sec - now.tv_sec) * 1000 +
	    (until->tv_nsec - now.tv_nsec) / 1000000;
}

void
wproto_deadline(struct timespec *until, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, until);
	until->tv_sec += ms / 1000;
	until->tv_nsec += (long) (ms % 1000) * 1000000;
	if (until->tv_nsec >= 1000000000) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000;
	}
}

/* Wait until sock takes bytes again (until NULL: however long it
 * takes); 0, -1 with errno, -2 past until. */
static int
wait_writable(int sock, const struct timespec *until)
{
	struct pollfd pfd = {sock, POLLOUT, 0};
	long    left = 60000;
	int     r;

	for (;;) {
		if (until && (left = ms_left(until)) <= 0)
			return -2;
		r = poll(&pfd, 1, left > 60000 ? 60000 : (int) left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Write n bytes to the socket, by until when there is one (-2 if not).
 * The daemon's end is non-blocking, so that a worker that stops reading
 * cannot hold a thread past the deadline.  0, or -1 with errno.
 */
static int
write_all(int sock, const unsigned char *p, size_t n, const struct timespec *until)
{
	while (n > 0) {
		ssize_t r = send(sock, p, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			if ((r = wait_writable(sock, until)) < 0)
				return (int) r;
			continue;
		}
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t) r;
	}
	return 0;
}

static int
send_frame(int sock, struct wbuf *w, const struct timespec *until)
{
	int     r;

	wbuf_set_u32(w, 4, (uint32_t) (w->len - 8));
	r = write_all(sock, w->data, w->len, until);
	wbuf_free(w);
	return r;
}

/* size bytes of the file fd, from its start, onto the socket by until. */
static int
send_file(int sock, int fd, uint64_t size, const struct timespec *until)
{
	off_t   off = 0;

	while ((uint64_t) off < size) {
		size_t  n = size - (uint64_t) off > (1u << 20) ? 1u << 20 :
		    (size_t) (size - (uint64_t) off);
		ssize_t r = sendfile(sock, fd, &off, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			if ((r = wait_writable(sock, until)) < 0)
				return (int) r;
			continue;
		}
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = EIO;	/* the file is shorter than it said */
			return -1;
		}
	}
	return 0;
}

int
wproto_send_request(int sock, const struct wrequest *q, int msg_fd,
		    const struct timespec *until)
{
	struct wbuf w;
	int     r;

	wbuf_init(&w);
	put_header(&w, WPROTO_REQ_MAGIC);
	wbuf_u64(&w, q->id);
	wbuf_u32(&w, q->kind);
	wbuf_str(&w, q->subject);
	wbuf_str(&w, q->header_from);
	wbuf_u32(&w, q->limits.max_parts);
	wbuf_u32(&w, q->limits.max_depth);
	wbuf_u32(&w, q->limits.max_archive_files);
	wbuf_u64(&w, q->limits.max_archive_size);
	wbuf_u32(&w, q->limits.max_archive_ratio);
	wbuf_u64(&w, q->limits.max_doc_size);
	wbuf_u64(&w, q->size);
	if ((r = send_frame(sock, &w, until)) < 0)
		return r;
	return send_file(sock, msg_fd, q->size, until);
}

static void
put_signature(struct wbuf *w, const struct signature *s)
{
	wbuf_u32(w, s->verdict);
	wbuf_str(w, s->signer);
	wbuf_str(w, s->organization);
	wbuf_str(w, s->email);
	wbuf_str(w, s->issuer);
	wbuf_str(w, s->serial);
	wbuf_str(w, s->signing_time);
	wbuf_str(w, s->signing_time_source);
	wbuf_str(w, s->subfilter);
	wbuf_str(w, s->digest);
	wbuf_u8(w, s->covers_whole_file != 0);
	wbuf_str(w, s->reason);
	wbuf_u8(w, s->detached != 0);
	wbuf_u32(w, (uint32_t) s->file);
}

static void
put_document(struct wbuf *w, const struct document *d)
{
	wbuf_str(w, d->name);
	wbuf_u64(w, d->size);
	wbuf_str(w, d->type);
	wbuf_str(w, d->declared_type);
	wbuf_str(w, d->kind);
	wbuf_str(w, d->part);
	wbuf_u32(w, d->origin);
	wbuf_str(w, d->origin_detail);
	wbuf_u8(w, d->needs_ocr != 0);
	wbuf_u8(w, d->text_from_signed_revision != 0);
	wbuf_str(w, d->text);
	for (int i = 0; i < FACT__COUNT; i++) {
		wbuf_str(w, d->facts.f[i].value);
		wbuf_u8(w, d->facts.f[i].source);
		wbuf_u8(w, d->facts.f[i].confidence);
	}
	wbuf_u32(w, (uint32_t) d->nsigs);
	for (size_t i = 0; i < d->nsigs; i++)
		put_signature(w, &d->sigs[i]);
	wbuf_u32(w, d->sig_verdict);
	wbuf_u32(w, (uint32_t) d->signs);
	wbuf_u64(w, d->data ? d->len : 0);	/* the bytes follow the frame */
}

void
wproto_encode_reply(struct wbuf *w, const struct wreply *r)
{
	const struct analysis *a = &r->analysis;

	wbuf_init(w);
	put_header(w, WPROTO_REP_MAGIC);
	wbuf_u64(w, r->id);
	wbuf_u32(w, r->status | (r->retire ? WREP_RETIRE : 0));
	wbuf_str(w, r->error);
	wbuf_u32(w, (uint32_t) a->ndocs);
	for (size_t i = 0; i < a->ndocs; i++)
		put_document(w, &a->docs[i]);
	wbuf_u32(w, (uint32_t) a->nsigfiles);
	for (size_t i = 0; i < a->nsigfiles; i++)
		put_document(w, &a->sigfiles[i]);
	wbuf_u32(w, (uint32_t) a->nskipped);
	for (size_t i = 0; i < a->nskipped; i++) {
		wbuf_str(w, a->skipped[i].part);
		wbuf_str(w, a->skipped[i].name);
		wbuf_str(w, a->skipped[i].reason);
		wbuf_str(w, a->skipped[i].archive);
	}
	wbuf_u8(w, a->smime.present != 0);
	wbuf_u32(w, a->smime.verdict);
	wbuf_str(w, a->smime.signer);
	wbuf_u8(w, a->smime.from_matches != 0);
	wbuf_str(w, a->smime.reason);
	wbuf_set_u32(w, 4, (uint32_t) (w->len - 8));
}

int
wproto_send_reply(int sock, const struct wreply *r)
{
	const struct analysis *a = &r->analysis;
	struct wbuf w;

	wproto_encode_reply(&w, r);
	if (send_frame(sock, &w, NULL) < 0)
		return -1;
	/* Each document's bytes, straight from where they are: the daemon
	 * writes them to a file as they come and never holds them whole. */
	for (size_t i = 0; i < a->ndocs + a->nsigfiles; i++) {
		const struct document *d = i < a->ndocs ? &a->docs[i] :
		    &a->sigfiles[i - a->ndocs];

		if (d->data != NULL && d->len > 0 &&
		    write_all(sock, d->data, d->len, NULL) < 0)
			return -1;
	}
	return 0;
}

static void
get_signature(struct rbuf *r, struct signature *s)
{
	uint32_t v = rbuf_u32(r);

	if (v >= SIG__COUNT)
		r->failed = 1;
	s->verdict = r->failed ? SIG_MALFORMED : (enum sig_verdict) v;
	s->signer = rbuf_str(r, SMALL_MAX);
	s->organization = rbuf_str(r, SMALL_MAX);
	s->email = rbuf_str(r, SMALL_MAX);
	s->issuer = rbuf_str(r, SMALL_MAX);
	s->serial = rbuf_str(r, SMALL_MAX);
	s->signing_time = rbuf_str(r, SMALL_MAX);
	s->signing_time_source = rbuf_str(r, SMALL_MAX);
	s->subfilter = rbuf_str(r, SMALL_MAX);
	s->digest = rbuf_str(r, SMALL_MAX);
	s->covers_whole_file = rbuf_u8(r);
	s->reason = rbuf_str(r, SMALL_MAX);
	s->detached = rbuf_u8(r);
	s->file = rbuf_u32(r);
}

static void
get_document(struct rbuf *r, struct document *d)
{
	uint32_t n, v;

	d->name = rbuf_str(r, SMALL_MAX);
	d->size = rbuf_u64(r);
	d->type = rbuf_str(r, SMALL_MAX);
	d->declared_type = rbuf_str(r, SMALL_MAX);
	d->kind = rbuf_str(r, SMALL_MAX);
	d->part = rbuf_str(r, SMALL_MAX);
	v = rbuf_u32(r);
	if (v >= ORIGIN__COUNT)
		r->failed = 1;
	d->origin = r->failed ? ORIGIN_ATTACHMENT : (enum doc_origin) v;
	d->origin_detail = rbuf_str(r, SMALL_MAX);
	d->needs_ocr = rbuf_u8(r);
	d->text_from_signed_revision = rbuf_u8(r);
	d->text = rbuf_str(r, STR_MAX);
	for (int i = 0; i < FACT__COUNT; i++) {
		d->facts.f[i].value = rbuf_str(r, STR_MAX);
		v = rbuf_u8(r);
		if (v >= SRC__COUNT)
			r->failed = 1;
		d->facts.f[i].source = r->failed ? SRC_NONE : (enum fact_source) v;
		d->facts.f[i].confidence = rbuf_u8(r);
	}
	n = rbuf_u32(r);
	/* Each signature takes at least 49 bytes: a bound on the count. */
	if (n > (size_t) (r->end - r->p) / 49)
		r->failed = 1;
	if (!r->failed && n > 0) {
		d->sigs = xcalloc(n, sizeof(*d->sigs));
		for (uint32_t i = 0; i < n && !r->failed; i++, d->nsigs++)
			get_signature(r, &d->sigs[i]);
	}
	v = rbuf_u32(r);
	if (v >= SIG__COUNT)
		r->failed = 1;
	d->sig_verdict = r->failed ? SIG_MALFORMED : (enum sig_verdict) v;
	d->signs = rbuf_u32(r);
	d->len = rbuf_u64(r);
	if (!r->failed && d->len != d->size)
		r->failed = 1;
}

/* Whether a signature file or a detached signature points nowhere: each
 * file signs a document, and each detached signature names a file that
 * signs its own document. */
static int
sigfiles_astray(const struct analysis *a)
{
	for (size_t i = 0; i < a->nsigfiles; i++)
		if (a->sigfiles[i].signs >= a->ndocs || a->sigfiles[i].nsigs > 0)
			return 1;
	for (size_t i = 0; i < a->ndocs; i++)
		for (size_t k = 0; k < a->docs[i].nsigs; k++) {
			const struct signature *s = &a->docs[i].sigs[k];

			if (s->detached && (s->file >= a->nsigfiles ||
					    a->sigfiles[s->file].signs != i))
				return 1;
		}
	return 0;
}

int
wproto_decode_reply(const unsigned char *p, size_t len, struct wreply *rep)
{
	struct analysis *a = &rep->analysis;
	struct rbuf r;
	uint32_t n, v;

	memset(rep, 0, sizeof(*rep));
	rbuf_init(&r, p, len);
	rep->id = rbuf_u64(&r);
	rep->status = rbuf_u32(&r);
	rep->retire = (rep->status & WREP_RETIRE) != 0;
	rep->status &= ~(uint32_t) WREP_RETIRE;
	if (rep->status != WREP_OK && rep->status != WREP_FAILED)
		r.failed = 1;
	rep->error = rbuf_str(&r, SMALL_MAX);

	n = rbuf_u32(&r);
	/* A document takes at least 150 bytes on the wire. */
	if (n > (size_t) (r.end - r.p) / 150)
		r.failed = 1;
	for (uint32_t i = 0; i < n && !r.failed; i++)
		get_document(&r, analysis_add_document(a));
	n = rbuf_u32(&r);
	if (n > (size_t) (r.end - r.p) / 150)
		r.failed = 1;
	if (!r.failed && n > 0)
		a->sigfiles = xcalloc(n, sizeof(*a->sigfiles));
	for (uint32_t i = 0; i < n && !r.failed; i++, a->nsigfiles++)
		get_document(&r, &a->sigfiles[i]);
	if (!r.failed && sigfiles_astray(a))
		r.failed = 1;

	n = rbuf_u32(&r);
	if (n > (size_t) (r.end - r.p) / 16)
		r.failed = 1;
	for (uint32_t i = 0; i < n && !r.failed; i++) {
		char   *part = rbuf_str(&r, SMALL_MAX);
		char   *name = rbuf_str(&r, SMALL_MAX);
		char   *reason = rbuf_str(&r, SMALL_MAX);
		char   *archive = rbuf_str(&r, SMALL_MAX);

		if (!r.failed && reason)
			analysis_skip_in(a, part, name, reason, archive);
		else
			r.failed = 1;
		free(part);
		free(name);
		free(reason);
		free(archive);
	}
	a->smime.present = rbuf_u8(&r);
	v = rbuf_u32(&r);
	if (v >= SIG__COUNT)
		r.failed = 1;
	a->smime.verdict = r.failed ? SIG_MALFORMED : (enum sig_verdict) v;
	a->smime.signer = rbuf_str(&r, SMALL_MAX);
	a->smime.from_matches = rbuf_u8(&r);
	a->smime.reason = rbuf_str(&r, SMALL_MAX);

	if (!rbuf_end(&r)) {
		wreply_clear(rep);
		return -1;
	}
	return 0;
}

/* Read exactly n bytes before the deadline; same returns as recv_reply. */
static int
read_exact(int sock, unsigned char *p, size_t n, const struct timespec *until)
{
	while (n > 0) {
		ssize_t r;

		if (until) {
			struct pollfd pfd = {sock, POLLIN, 0};
			long    left = ms_left(until);
			int     pr;

			if (left <= 0)
				return -2;
			pr = poll(&pfd, 1, left > 60000 ? 60000 : (int) left);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr < 0)
				return -1;
			if (pr == 0)
				continue;
		}
		r = recv(sock, p, n, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = 0;
			return -1;
		}
		p += r;
		n -= (size_t) r;
	}
	return 0;
}

static int
recv_frame(int sock, uint32_t magic, const struct timespec *untilp,
	   size_t max, unsigned char **body, size_t *len, const char **why)
{
	unsigned char hdr[8];
	uint32_t m, n;
	int     r;

	*body = NULL;
	if ((r = read_exact(sock, hdr, sizeof(hdr), untilp)) < 0) {
		*why = r == -2 ? "timed out" : errno ? "read error" : "connection closed";
		return r;
	}
	m = (uint32_t) hdr[0] << 24 | (uint32_t) hdr[1] << 16 | (uint32_t) hdr[2] << 8 | hdr[3];
	n = (uint32_t) hdr[4] << 24 | (uint32_t) hdr[5] << 16 | (uint32_t) hdr[6] << 8 | hdr[7];
	if (m != magic) {
		*why = "bad magic";
		return -3;
	}
	if (n > max) {
		*why = "frame too large";
		return -3;
	}
	*body = xmalloc(n);
	if ((r = read_exact(sock, *body, n, untilp)) < 0) {
		*why = r == -2 ? "timed out" : errno ? "read error" : "connection closed";
		free(*body);
		*body = NULL;
		return r;
	}
	*len = n;
	return 0;
}

/*
 * The bytes of document d, d->len of them, that follow the reply frame:
 * into an unnamed file in doc_dir when there is one (fds[i]), else into
 * memory.  Either way the daemon hashes them as they come: a document's
 * sha256, its name in the store, is never the worker's word.  When they
 * cannot be kept here (the spool is full, say), the rest of them, and
 * of any document after, is still read and dropped, so that the stream
 * stays in step and the worker can take the next job: *failed holds the
 * first errno and *why the step that failed.
 */
static int
recv_document(int sock, const struct timespec *until, const char *doc_dir,
	      struct document *d, int *fd, unsigned char *buf, size_t buflen,
	      int *failed, const char **why)
{
	struct sha256_stream *h;
	char    dropped[65];
	size_t  left = d->len;
	int     r;

	*fd = -1;
	if (*failed == 0 && doc_dir != NULL) {
		*fd = open(doc_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (*fd < 0 && errno != EOPNOTSUPP && errno != EISDIR) {
			*failed = errno;
			*why = "cannot make a file for a document";
		}
	}
	if (*failed == 0 && *fd < 0)
		d->data = xmalloc(d->len + 1);
	h = sha256_begin();
	while (left > 0) {
		size_t  n = left < buflen ? left : buflen;
		unsigned char *into = d->data != NULL ?
		    d->data + (d->len - left) : buf;

		if ((r = read_exact(sock, into, n, until)) < 0) {
			sha256_end(h, dropped);
			*why = r == -2 ? "timed out" : errno ? "read error" :
			    "connection closed";
			return r;
		}
		if (*fd >= 0 && write_full(*fd, buf, n) < 0) {
			*failed = errno;
			*why = "cannot write a document's file";
			close(*fd);	/* its pages go back now */
			*fd = -1;
		}
		sha256_add(h, into, n);
		left -= n;
	}
	sha256_end(h, d->sha256);
	return 0;
}

/* The i-th file whose bytes follow a reply: the documents, then the
 * detached signature files; *fd (when fd is not NULL) its descriptor. */
static struct document *
nth_file(struct analysis *a, size_t i, int **fd)
{
	if (i < a->ndocs) {
		if (fd)
			*fd = &a->doc_fds[i];
		return &a->docs[i];
	}
	if (fd)
		*fd = &a->sigfile_fds[i - a->ndocs];
	return &a->sigfiles[i - a->ndocs];
}

/* n descriptors, none open yet; NULL for none. */
static int *
new_fds(size_t n)
{
	int    *fds = n ? xcalloc(n, sizeof(*fds)) : NULL;

	for (size_t i = 0; i < n; i++)
		fds[i] = -1;
	return fds;
}

int
wproto_recv_reply(int sock, const struct timespec *until, size_t max,
		  const char *doc_dir, struct wreply *rep, const char **why)
{
	struct analysis *a = &rep->analysis;
	unsigned char *body, *buf;
	size_t  len, total;
	int     r, failed = 0;

	memset(rep, 0, sizeof(*rep));
	if ((r = recv_frame(sock, WPROTO_REP_MAGIC, until, max, &body, &len,
			    why)) < 0)
		return r;
	r = wproto_decode_reply(body, len, rep);
	free(body);
	if (r < 0) {
		*why = "malformed reply";
		return -3;
	}
	total = len;
	for (size_t i = 0; i < a->ndocs + a->nsigfiles; i++) {
		size_t  n = nth_file(a, i, NULL)->len;

		if (n > max - total) {
			*why = "documents too large";
			wreply_clear(rep);
			return -3;
		}
		total += n;
	}
	if (a->ndocs == 0)
		return 0;
	a->doc_fds = new_fds(a->ndocs);
	a->sigfile_fds = new_fds(a->nsigfiles);
	buf = xmalloc(RECV_CHUNK);
	for (size_t i = 0; i < a->ndocs + a->nsigfiles; i++) {
		int    *fd;
		struct document *d = nth_file(a, i, &fd);

		r = recv_document(sock, until, doc_dir, d, fd, buf, RECV_CHUNK,
				  &failed, why);
		if (r < 0) {
			free(buf);
			wreply_clear(rep);
			return r;
		}
	}
	free(buf);
	if (failed != 0) {
		wreply_clear(rep);
		errno = failed;
		return -4;
	}
	return 0;
}

/*
 * The message that follows a request: into memory, where the analysis
 * wants it whole.  When that much memory cannot be had, the bytes are
 * read and dropped so that the stream stays in step, and message stays
 * NULL: the caller answers with a failure.
 */
static int
recv_message(int sock, struct wrequest *q, const char **why)
{
	unsigned char buf[RECV_CHUNK];
	uint64_t left = q->size;

	if (q->size >= SIZE_MAX || (q->message = malloc((size_t) q->size + 1)) == NULL) {
		while (left > 0) {
			size_t  n = left < sizeof(buf) ? (size_t) left : sizeof(buf);

			if (read_exact(sock, buf, n, NULL) < 0)
				goto broken;
			left -= n;
		}
		return 0;
	}
	if (read_exact(sock, q->message, (size_t) q->size, NULL) < 0)
		goto broken;
	q->message[q->size] = 0;
	return 0;
broken:
	*why = errno ? "read error" : "connection closed";
	return -1;
}

int
wproto_recv_request(int sock, struct wrequest *q, const char **why)
{
	unsigned char *body;
	size_t  len;
	struct rbuf r;
	int     rc;

	memset(q, 0, sizeof(*q));
	if ((rc = recv_frame(sock, WPROTO_REQ_MAGIC, NULL, WPROTO_REQ_MAX, &body,
			     &len, why)) < 0)
		return rc;
	rbuf_init(&r, body, len);
	q->id = rbuf_u64(&r);
	q->kind = rbuf_u32(&r);
	q->subject = rbuf_str(&r, SMALL_MAX);
	q->header_from = rbuf_str(&r, SMALL_MAX);
	q->limits.max_parts = rbuf_u32(&r);
	q->limits.max_depth = rbuf_u32(&r);
	q->limits.max_archive_files = rbuf_u32(&r);
	q->limits.max_archive_size = rbuf_u64(&r);
	q->limits.max_archive_ratio = rbuf_u32(&r);
	q->limits.max_doc_size = rbuf_u64(&r);
	q->size = rbuf_u64(&r);
	free(body);
	if (!rbuf_end(&r) || q->kind != WREQ_ANALYSE) {
		*why = "malformed request";
		wrequest_clear(q);
		return -3;
	}
	if ((rc = recv_message(sock, q, why)) < 0) {
		wrequest_clear(q);
		return rc;
	}
	return 0;
}

void
wrequest_clear(struct wrequest *q)
{
	free(q->subject);
	free(q->header_from);
	free(q->message);
	memset(q, 0, sizeof(*q));
}

void
wreply_clear(struct wreply *r)
{
	free(r->error);
	analysis_clear(&r->analysis);
	memset(r, 0, sizeof(*r));
}
