/*
 * aw_mime_test.c - aw_mime_extract() with limits other than the defaults,
 * bad calls, and part numbers in small hand-written messages (LF line
 * ends, as some local mailers write them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "aw_mime.h"
#include "facts.h"
#include "xmalloc.h"

/* "%PDF-1.4\n%%EOF\n" in base64 */
#define PDF_B64	"JVBERi0xLjQKJSVFT0YK"

static struct aw_type *types;

static int
setup(void **state)
{
	char    err[256];

	(void) state;
	types = aw_type_open(err, sizeof(err));
	return types ? 0 : -1;
}

static int
teardown(void **state)
{
	(void) state;
	types = aw_type_close(types);
	return 0;
}

static void
extract(const char *msg, const struct mime_limits *lim, struct analysis *a)
{
	memset(a, 0, sizeof(*a));
	assert_int_equal(aw_mime_extract(msg, strlen(msg), lim, types, a), 0);
}

static const char mixed[] =
    "Subject: x\n"
    "Content-Type: multipart/mixed; boundary=\"o\"\n\n"
    "--o\nContent-Type: text/plain\n\nhello\n"
    "--o\nContent-Type: multipart/mixed; boundary=\"i\"\n\n"
    "--i\nContent-Type: application/pdf; name=\"a.pdf\"\n"
    "Content-Transfer-Encoding: base64\n\n" PDF_B64 "\n--i--\n"
    "--o--\n";

static void
lf_only_message_and_nested_part_number(void **state)
{
	struct mime_limits lim;
	struct analysis a;

	(void) state;
	mime_limits_default(&lim, strlen(mixed));
	extract(mixed, &lim, &a);
	assert_int_equal(a.ndocs, 1);
	assert_int_equal(a.nskipped, 0);
	assert_string_equal(a.docs[0].part, "2.1");
	assert_string_equal(a.docs[0].name, "a.pdf");
	assert_string_equal(a.docs[0].type, "application/pdf");
	assert_string_equal(a.docs[0].kind, "pdf");
	assert_int_equal(a.docs[0].size, 15);
	assert_memory_equal(a.docs[0].data, "%PDF-1.4\n%%EOF\n", 15);
	/* The daemon names documents by their bytes, not the worker. */
	assert_string_equal(a.docs[0].sha256, "");
	analysis_clear(&a);
}

static void
limits_other_than_the_defaults(void **state)
{
	struct mime_limits lim;
	struct analysis a;

	(void) state;
	mime_limits_default(&lim, strlen(mixed));
	lim.max_depth = 1;
	extract(mixed, &lim, &a);
	assert_int_equal(a.ndocs, 0);
	assert_int_equal(a.nskipped, 1);
	assert_string_equal(a.skipped[0].part, "2");
	assert_string_equal(a.skipped[0].reason, "limit: max depth");
	analysis_clear(&a);

	mime_limits_default(&lim, strlen(mixed));
	lim.max_doc_size = 14;
	extract(mixed, &lim, &a);
	assert_int_equal(a.ndocs, 0);
	assert_int_equal(a.nskipped, 1);
	assert_string_equal(a.skipped[0].part, "2.1");
	assert_string_equal(a.skipped[0].name, "a.pdf");
	assert_string_equal(a.skipped[0].reason, "limit: document size");
	analysis_clear(&a);

	mime_limits_default(&lim, strlen(mixed));
	lim.max_parts = 3;	/* the top, 1 and 2; 2.1 is one too many */
	extract(mixed, &lim, &a);
	assert_int_equal(a.ndocs, 0);
	assert_int_equal(a.nskipped, 1);
	assert_string_equal(a.skipped[0].part, "2.1");
	assert_string_equal(a.skipped[0].reason, "limit: max parts");
	analysis_clear(&a);
}

static void
forwarded_single_part_is_numbered_below_its_part(void **state)
{
	static const char msg[] =
	    "Content-Type: message/rfc822\n\n"
	    "Subject: =?utf-8?Q?C=C3=B4ng_v=C4=83n?=\n"
	    "Content-Type: application/pdf\n"
	    "Content-Transfer-Encoding: base64\n\n" PDF_B64 "\n";
	struct mime_limits lim;
	struct analysis a;

	(void) state;
	mime_limits_default(&lim, strlen(msg));
	extract(msg, &lim, &a);
	assert_int_equal(a.ndocs, 1);
	assert_string_equal(a.docs[0].part, "1.1");
	assert_null(a.docs[0].name);
	assert_int_equal(a.docs[0].origin, ORIGIN_FORWARDED);
	assert_string_equal(a.docs[0].origin_detail, "Công văn");
	analysis_clear(&a);
}

static void
bad_calls_fail_with_a_reason(void **state)
{
	struct mime_limits lim;
	struct analysis a;

	(void) state;
	memset(&a, 0, sizeof(a));
	mime_limits_default(&lim, 0);
	assert_int_equal(aw_mime_extract(NULL, 0, &lim, types, &a), -1);
	assert_non_null(a.error);
	analysis_clear(&a);
	assert_int_equal(aw_mime_extract("x", 1, NULL, types, &a), -1);
	analysis_clear(&a);
	assert_int_equal(aw_mime_extract("x", 1, &lim, NULL, &a), -1);
	analysis_clear(&a);
	assert_int_equal(aw_mime_extract("x", 1, &lim, types, NULL), -1);
	/* An empty message is no error: it holds nothing. */
	assert_int_equal(aw_mime_extract("", 0, &lim, types, &a), 0);
	assert_int_equal(a.ndocs + a.nskipped, 0);
	analysis_clear(&a);
}

/* A message whose one attachment is a zip of n copies of a small PDF,
 * written with libarchive; encrypted with ZipCrypto when asked. */
static char *
zip_message(int n, int encrypt)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	struct archive *a = archive_write_new();
	size_t  cap = 65536, used = 0;
	unsigned char *zip = xmalloc(cap), *b64;
	char   *msg;

	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	if (encrypt) {
		assert_int_equal(archive_write_set_options(a,
		    "zip:encryption=zipcrypt"), ARCHIVE_OK);
		assert_int_equal(archive_write_set_passphrase(a, "mat khau"),
				 ARCHIVE_OK);
	}
	assert_int_equal(archive_write_open_memory(a, zip, cap, &used),
			 ARCHIVE_OK);
	for (int i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		char    name[32];

		snprintf(name, sizeof(name), "qd%d.pdf", i);
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, sizeof(pdf) - 1);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, pdf, sizeof(pdf) - 1),
				 (la_ssize_t) sizeof(pdf) - 1);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	b64 = xmalloc(4 * (used / 3 + 1) + 1);
	EVP_EncodeBlock(b64, zip, (int) used);
	msg = xasprintf("Content-Type: application/zip; name=\"hs.zip\"\n"
			"Content-Transfer-Encoding: base64\n\n%s\n", b64);
	free(zip);
	free(b64);
	return msg;
}

static void
archive_limits_and_encrypted_entries(void **state)
{
	struct mime_limits lim;
	struct analysis a;
	char   *msg;

	(void) state;
	msg = zip_message(3, 0);
	mime_limits_default(&lim, strlen(msg));
	extract(msg, &lim, &a);
	assert_int_equal(a.ndocs, 3);
	assert_int_equal(a.docs[2].origin, ORIGIN_ARCHIVE);
	assert_string_equal(a.docs[2].origin_detail, "hs.zip");
	assert_string_equal(a.docs[2].name, "qd2.pdf");
	assert_string_equal(a.docs[2].part, "1");
	analysis_clear(&a);

	/* 15 bytes a file: the third crosses 40 bytes. */
	lim.max_archive_size = 40;
	extract(msg, &lim, &a);
	assert_int_equal(a.ndocs, 2);
	assert_int_equal(a.nskipped, 1);
	assert_string_equal(a.skipped[0].name, "hs.zip");
	assert_string_equal(a.skipped[0].reason, "limit: archive size");
	analysis_clear(&a);

	mime_limits_default(&lim, strlen(msg));
	lim.max_archive_files = 1;
	extract(msg, &lim, &a);
	assert_int_equal(a.ndocs, 1);
	assert_int_equal(a.nskipped, 1);
	assert_string_equal(a.skipped[0].reason, "limit: archive files");
	analysis_clear(&a);
	free(msg);

	msg = zip_message(2, 1);
	mime_limits_default(&lim, strlen(msg));
	extract(msg, &lim, &a);
	assert_int_equal(a.ndocs, 0);
	assert_int_equal(a.nskipped, 2);
	assert_string_equal(a.skipped[0].name, "qd0.pdf");
	assert_string_equal(a.skipped[0].reason,
			    "unsupported: encrypted archive entry");
	assert_string_equal(a.skipped[1].name, "qd1.pdf");
	analysis_clear(&a);
	free(msg);
}

/* Found by fuzz/mime_fuzz.c: libetpan read two bytes past the end of a
 * quoted-printable body ending in an escape cut short. */
static void
qp_escape_cut_at_the_end_of_the_message(void **state)
{
	static const char text[] =
	    "Content-Type: application/pdf; name=\"q.pdf\"\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "%PDF-1.4 =41=4";
	struct mime_limits lim;
	struct analysis a;
	char   *msg = xmalloc(sizeof(text) - 1);	/* no NUL, no slack */

	(void) state;
	memcpy(msg, text, sizeof(text) - 1);
	memset(&a, 0, sizeof(a));
	mime_limits_default(&lim, sizeof(text) - 1);
	assert_int_equal(aw_mime_extract(msg, sizeof(text) - 1, &lim, types,
					 &a), 0);
	assert_int_equal(a.ndocs, 1);
	assert_int_equal(a.docs[0].size, 10);
	assert_memory_equal(a.docs[0].data, "%PDF-1.4 A", 10);
	analysis_clear(&a);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lf_only_message_and_nested_part_number),
		cmocka_unit_test(limits_other_than_the_defaults),
		cmocka_unit_test(forwarded_single_part_is_numbered_below_its_part),
		cmocka_unit_test(bad_calls_fail_with_a_reason),
		cmocka_unit_test(archive_limits_and_encrypted_entries),
		cmocka_unit_test(qp_escape_cut_at_the_end_of_the_message),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
