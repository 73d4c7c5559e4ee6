/*
 * wproto_test.c - the worker wire format: a full round trip, and replies a
 * broken or hostile worker could send, each refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "wbuf.h"
#include "wproto.h"
#include "xmalloc.h"

/* printf '%PDF-1.4 data' | sha256sum */
#define PDF_DATA_SHA256 \
	"d04a37758048d69833130595592c300ebf0539c08107b4ad9fc2ef0f7fd97359"

static void
sample_reply(struct wreply *r)
{
	struct document *d;

	memset(r, 0, sizeof(*r));
	r->id = 42;
	r->status = WREP_OK;
	d = analysis_add_document(&r->analysis);
	d->name = xstrdup("Công văn 15.pdf");
	d->data = (unsigned char *) xstrdup("%PDF-1.4 data");
	d->len = d->size = strlen((char *) d->data);
	/* A worker's claim, which the daemon must not take. */
	strcpy(d->sha256, "0000000000000000000000000000000000000000000000000000000000000000");
	d->type = xstrdup("application/pdf");
	d->part = xstrdup("2");
	d->origin = ORIGIN_ARCHIVE;
	d->origin_detail = xstrdup("hoso.zip");
	fact_set(&d->facts, FACT_REFERENCE, "15/QĐ-BNV", SRC_TEXT, 90);
	d->sigs = xcalloc(1, sizeof(*d->sigs));
	d->nsigs = 1;
	d->sigs[0].verdict = SIG_EXPIRED;
	d->sigs[0].signer = xstrdup("Nguyễn Văn A");
	d->sig_verdict = SIG_EXPIRED;
	analysis_skip(&r->analysis, "3", "x.exe", "unsupported: executable");
	r->analysis.smime.present = 1;
	r->analysis.smime.verdict = SIG_VALID;
	r->analysis.smime.from_matches = 1;
}

/* Send a reply and return the frame's body, as a worker would write it. */
static unsigned char *
encode(const struct wreply *r, size_t *len)
{
	int     sv[2];
	unsigned char hdr[8], *body;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(wproto_send_reply(sv[0], r), 0);
	close(sv[0]);
	assert_int_equal(read(sv[1], hdr, 8), 8);
	*len = (size_t) hdr[4] << 24 | (size_t) hdr[5] << 16 | (size_t) hdr[6] << 8 | hdr[7];
	body = xmalloc(*len + 1);
	assert_int_equal(recv(sv[1], body, *len, MSG_WAITALL), (ssize_t) *len);
	close(sv[1]);
	return body;
}

static void
reply_round_trip(void **state)
{
	struct wreply in, out;
	struct wbuf frame;
	unsigned char *body;
	size_t  len;

	(void) state;
	sample_reply(&in);
	body = encode(&in, &len);
	/* What goes on the wire is the frame wproto_encode_reply() makes. */
	wproto_encode_reply(&frame, &in);
	assert_int_equal(frame.len, len + 8);
	assert_memory_equal(frame.data + 8, body, len);
	wbuf_free(&frame);
	assert_int_equal(wproto_decode_reply(body, len, &out), 0);
	assert_int_equal(out.id, 42);
	assert_int_equal(out.analysis.ndocs, 1);
	assert_string_equal(out.analysis.docs[0].name, "Công văn 15.pdf");
	/* The digest is not on the wire: the daemon computes it. */
	assert_string_equal(out.analysis.docs[0].sha256, "");
	assert_null(memmem(body, len, in.analysis.docs[0].sha256, 64));
	/* The bytes follow the frame: the frame carries their length only. */
	assert_int_equal(out.analysis.docs[0].len, 13);
	assert_null(out.analysis.docs[0].data);
	assert_int_equal(out.analysis.docs[0].origin, ORIGIN_ARCHIVE);
	assert_string_equal(out.analysis.docs[0].facts.f[FACT_REFERENCE].value, "15/QĐ-BNV");
	assert_int_equal(out.analysis.docs[0].facts.f[FACT_REFERENCE].source, SRC_TEXT);
	assert_null(out.analysis.docs[0].facts.f[FACT_ISSUER].value);
	assert_int_equal(out.analysis.docs[0].nsigs, 1);
	assert_string_equal(out.analysis.docs[0].sigs[0].signer, "Nguyễn Văn A");
	assert_int_equal(out.analysis.docs[0].sig_verdict, SIG_EXPIRED);
	assert_int_equal(out.analysis.nskipped, 1);
	assert_string_equal(out.analysis.skipped[0].reason, "unsupported: executable");
	assert_int_equal(out.analysis.smime.present, 1);
	assert_int_equal(out.status, WREP_OK);
	assert_int_equal(out.retire, 0);
	wreply_clear(&out);
	free(body);

	/* A worker that retires says so in the status word. */
	in.retire = 1;
	in.status = WREP_FAILED;
	body = encode(&in, &len);
	assert_int_equal(wproto_decode_reply(body, len, &out), 0);
	assert_int_equal(out.status, WREP_FAILED);
	assert_int_equal(out.retire, 1);
	wreply_clear(&in);
	wreply_clear(&out);
	free(body);
}

static void
hostile_replies_are_refused(void **state)
{
	struct wreply in, out;
	unsigned char *body, *copy;
	size_t  len;

	(void) state;
	sample_reply(&in);
	body = encode(&in, &len);
	copy = xmalloc(len + 1);

	/* Every truncation is refused, none crashes. */
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(wproto_decode_reply(body, cut, &out), -1);

	/* One byte too many. */
	memcpy(copy, body, len);
	copy[len] = 0;
	assert_int_equal(wproto_decode_reply(copy, len + 1, &out), -1);

	/* A status that does not exist. */
	memcpy(copy, body, len);
	copy[11] = 7;
	assert_int_equal(wproto_decode_reply(copy, len, &out), -1);

	/* A document count far beyond what the bytes can hold. */
	memcpy(copy, body, len);
	/* id(8) status(4) error(4: NULL) then the count */
	copy[16] = 0x7f;
	assert_int_equal(wproto_decode_reply(copy, len, &out), -1);
	wreply_clear(&in);
	free(body);
	free(copy);
}

/* A deadline ms from now. */
static const struct timespec *
in_ms(unsigned ms)
{
	static struct timespec until;

	wproto_deadline(&until, ms);
	return &until;
}

/* Send r on a socketpair and receive it with wproto_recv_reply(); the
 * writing end is closed after `keep` bytes when keep is not (size_t) -1. */
static int
round_trip(const struct wreply *r, const char *doc_dir, struct wreply *out,
	   const char **why)
{
	int     sv[2], rc;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(wproto_send_reply(sv[0], r), 0);
	close(sv[0]);
	rc = wproto_recv_reply(sv[1], in_ms(5000), 1 << 20, doc_dir, out, why);
	close(sv[1]);
	return rc;
}

static void
documents_arrive_in_files_or_memory(void **state)
{
	char    dir[] = "/tmp/wproto_test.XXXXXX", buf[32];
	struct wreply in, out;
	const char *why = NULL;

	(void) state;
	assert_non_null(mkdtemp(dir));
	sample_reply(&in);

	/* Into an unnamed file in dir: nothing named is left there. */
	assert_int_equal(round_trip(&in, dir, &out, &why), 0);
	assert_non_null(out.analysis.doc_fds);
	assert_true(out.analysis.doc_fds[0] >= 0);
	assert_null(out.analysis.docs[0].data);
	assert_int_equal(pread(out.analysis.doc_fds[0], buf, sizeof(buf), 0), 13);
	assert_memory_equal(buf, "%PDF-1.4 data", 13);
	assert_string_equal(out.analysis.docs[0].sha256, PDF_DATA_SHA256);
	assert_int_equal(rmdir(dir), 0);	/* empty */
	assert_non_null(mkdtemp(strcpy(dir, "/tmp/wproto_test.XXXXXX")));
	wreply_clear(&out);

	/* Into memory without a directory. */
	assert_int_equal(round_trip(&in, NULL, &out, &why), 0);
	assert_int_equal(out.analysis.doc_fds[0], -1);
	assert_memory_equal(out.analysis.docs[0].data, "%PDF-1.4 data", 13);
	assert_string_equal(out.analysis.docs[0].sha256, PDF_DATA_SHA256);
	wreply_clear(&out);

	/* Bytes cut short: the worker went away after the frame and
	 * eight of the thirteen bytes. */
	{
		int     a[2], b[2];
		unsigned char all[4096];
		ssize_t n;

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
		assert_int_equal(wproto_send_reply(a[0], &in), 0);
		close(a[0]);
		n = recv(a[1], all, sizeof(all), MSG_WAITALL);
		assert_true(n > 13);
		close(a[1]);
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
		assert_int_equal(write(b[0], all, (size_t) n - 5), n - 5);
		close(b[0]);
		assert_int_equal(wproto_recv_reply(b[1], in_ms(5000), 1 << 20,
						   dir, &out, &why), -1);
		assert_string_equal(why, "connection closed");
		close(b[1]);
	}
	assert_int_equal(rmdir(dir), 0);
	wreply_clear(&in);
}

/* A detached signature file travels after the documents, its bytes after
 * theirs, and must point at a document and back. */
static void
signature_files_travel_with_their_document(void **state)
{
	struct wreply in, out;
	struct document *f;
	struct signature *g;
	const char *why = NULL;
	unsigned char *body;
	size_t  len;

	(void) state;
	sample_reply(&in);
	in.analysis.sigfiles = xcalloc(1, sizeof(*in.analysis.sigfiles));
	in.analysis.nsigfiles = 1;
	f = &in.analysis.sigfiles[0];
	f->name = xstrdup("cv.pdf.p7s");
	f->data = (unsigned char *) xstrdup("0\x82sig");
	f->len = f->size = 5;
	f->part = xstrdup("3");
	f->kind = xstrdup("signature");
	f->sig_verdict = SIG_ABSENT;
	f->signs = 0;
	in.analysis.docs[0].sigs = xreallocarray(in.analysis.docs[0].sigs, 2,
						 sizeof(*g));
	g = &in.analysis.docs[0].sigs[1];
	memset(g, 0, sizeof(*g));
	g->verdict = SIG_VALID;
	g->detached = 1;
	g->file = 0;
	in.analysis.docs[0].nsigs = 2;

	assert_int_equal(round_trip(&in, NULL, &out, &why), 0);
	assert_int_equal(out.analysis.ndocs, 1);
	assert_int_equal(out.analysis.nsigfiles, 1);
	assert_string_equal(out.analysis.sigfiles[0].name, "cv.pdf.p7s");
	assert_int_equal(out.analysis.sigfiles[0].signs, 0);
	assert_memory_equal(out.analysis.docs[0].data, "%PDF-1.4 data", 13);
	assert_memory_equal(out.analysis.sigfiles[0].data, "0\x82sig", 5);
	assert_int_equal(out.analysis.sigfile_fds[0], -1);
	assert_int_equal(out.analysis.docs[0].sigs[1].detached, 1);
	assert_int_equal(out.analysis.docs[0].sigs[1].file, 0);
	assert_int_equal(out.analysis.docs[0].sigs[0].detached, 0);
	wreply_clear(&out);

	/* A file that signs no document, and a signature naming no file,
	 * are a malformed reply. */
	f->signs = 1;
	body = encode(&in, &len);
	assert_int_equal(wproto_decode_reply(body, len, &out), -1);
	free(body);
	f->signs = 0;
	g->file = 1;
	body = encode(&in, &len);
	assert_int_equal(wproto_decode_reply(body, len, &out), -1);
	free(body);
	wreply_clear(&in);
}

/* Documents the daemon cannot keep (here a directory that is gone; a
 * full spool in production) are read to their end all the same: -4,
 * errno saying why, and the next reply on the stream arrives whole. */
static void
documents_not_kept_leave_the_stream_in_step(void **state)
{
	struct wreply in, out;
	const char *why = NULL;
	int     sv[2];

	(void) state;
	sample_reply(&in);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(wproto_send_reply(sv[0], &in), 0);
	in.id++;
	assert_int_equal(wproto_send_reply(sv[0], &in), 0);
	close(sv[0]);
	errno = 0;
	assert_int_equal(wproto_recv_reply(sv[1], in_ms(5000), 1 << 20,
					   "/nonexistent/wproto_test", &out, &why), -4);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(why, "cannot make a file for a document");
	assert_null(out.analysis.docs);
	assert_int_equal(wproto_recv_reply(sv[1], in_ms(5000), 1 << 20, NULL,
					   &out, &why), 0);
	assert_int_equal(out.id, in.id);
	assert_memory_equal(out.analysis.docs[0].data, "%PDF-1.4 data", 13);
	assert_string_equal(out.analysis.docs[0].sha256, PDF_DATA_SHA256);
	close(sv[1]);
	wreply_clear(&out);
	wreply_clear(&in);
}

static void
reader_never_runs_past_the_end(void **state)
{
	struct rbuf r;
	unsigned char b[6] = {0, 0, 0, 9, 'a', 'b'};
	size_t  n;

	(void) state;
	rbuf_init(&r, b, sizeof(b));
	assert_null(rbuf_str(&r, 100));
	assert_true(r.failed);
	assert_int_equal(rbuf_u32(&r), 0);
	rbuf_init(&r, b, sizeof(b));
	assert_null(rbuf_bytes(&r, 4, &n));
	assert_int_equal(n, 0);
	assert_false(rbuf_end(&r));
}

/* A file of n bytes, each its offset modulo 251. */
static int
message_file(size_t n)
{
	char    path[] = "/tmp/wproto_msg.XXXXXX";
	unsigned char *b = xmalloc(n);
	int     fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char) (i % 251);
	assert_int_equal(write(fd, b, n), (ssize_t) n);
	free(b);
	return fd;
}

static void
request_carries_the_message_bytes(void **state)
{
	struct wrequest q = {0}, got;
	const char *why = NULL;
	size_t  n = 300000;	/* more than a socket buffer holds */
	/* A spool file may hold an earlier message's bytes past this one's
	 * end (spool.h): only q.size of them go. */
	int     sv[2], fd = message_file(n + 5000);
	unsigned char more;
	pid_t   pid;

	(void) state;
	q.id = 7;
	q.kind = WREQ_ANALYSE;
	q.subject = "Công văn";
	q.size = n;
	q.limits.max_parts = 5;
	/* The file's offset is at its end: the bytes are sent from 0. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sv[1]);
		_exit(wproto_send_request(sv[0], &q, fd, in_ms(5000)) == 0 ? 0 : 1);
	}
	close(sv[0]);
	assert_int_equal(wproto_recv_request(sv[1], &got, &why), 0);
	assert_int_equal(got.id, 7);
	assert_string_equal(got.subject, "Công văn");
	assert_null(got.header_from);
	assert_int_equal(got.limits.max_parts, 5);
	assert_int_equal(got.size, n);
	assert_non_null(got.message);
	for (size_t i = 0; i < n; i++)
		if (got.message[i] != (unsigned char) (i % 251))
			fail_msg("byte %zu differs", i);
	assert_int_equal(got.message[n], 0);
	assert_int_equal(read(sv[1], &more, 1), 0);	/* nothing after them */
	wrequest_clear(&got);
	close(sv[1]);
	close(fd);
}

static void
a_worker_that_does_not_read_meets_the_deadline(void **state)
{
	struct wrequest q = {0};
	struct timespec a, b;
	long    ms;
	int     sv[2], fd = message_file(4u << 20);

	(void) state;
	q.id = 8;
	q.kind = WREQ_ANALYSE;
	q.size = 4u << 20;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(wproto_send_request(sv[0], &q, fd, in_ms(300)), -2);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 290 && ms < 2000);
	close(sv[0]);
	close(sv[1]);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reply_round_trip),
		cmocka_unit_test(hostile_replies_are_refused),
		cmocka_unit_test(documents_arrive_in_files_or_memory),
		cmocka_unit_test(signature_files_travel_with_their_document),
		cmocka_unit_test(documents_not_kept_leave_the_stream_in_step),
		cmocka_unit_test(reader_never_runs_past_the_end),
		cmocka_unit_test(request_carries_the_message_bytes),
		cmocka_unit_test(a_worker_that_does_not_read_meets_the_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
