/*
 * aw_type_test.c - real types from libmagic and the kinds vanthu takes:
 * the name and declared type never make a kind on their own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aw_mime.h"

#define NS	"http://www.mic.gov.vn/TBT/QCVN_102_2016"

struct kcase {
	const char *type, *name, *declared, *data;
	const char *want;
};

static void
kinds_from_type_and_bytes(void **state)
{
	static const struct kcase cases[] = {
		{"application/pdf", "x.exe", NULL, "%PDF-1.4", "pdf"},
		{"application/msword", NULL, NULL, "", "doc"},
		{"application/vnd.ms-excel", NULL, NULL, "", "xls"},
		{"text/rtf", NULL, NULL, "{\\rtf1", "rtf"},
		{"image/tiff", NULL, NULL, "II*", "image"},
		{"application/x-7z-compressed", NULL, NULL, "7z", "archive"},
		/* edXML by extension or by namespace, but XML either way */
		{"text/xml", "goi.EDXML", NULL, "<?xml version=\"1.0\"?><a/>", "edxml"},
		{"text/xml", "goi.xml", NULL, "<e xmlns=\"" NS "\"/>", "edxml"},
		{"text/plain", "goi.edxml", NULL, "\xEF\xBB\xBF  <e/>", "edxml"},
		{"text/xml", "data.xml", NULL, "<a/>", NULL},
		{"text/plain", "goi.edxml", NULL, "not xml", NULL},
		/* detached signatures need DER or PEM */
		{"application/octet-stream", "a.pdf.p7s", NULL, "\x30\x82", "signature"},
		{"application/octet-stream", "a.SIG", NULL, "-----BEGIN PKCS7-----", "signature"},
		{"application/octet-stream", "smime", "application/pkcs7-signature", "\x30\x80", "signature"},
		{"application/octet-stream", "a.p7s", NULL, "MZ", NULL},
		/* an executable stays one, whatever its name: kind program,
		 * for the rules to refuse */
		{"application/vnd.microsoft.portable-executable", "qd.pdf", "application/pdf", "MZ", "program"},
		{"application/x-dosexec", "qd.pdf", NULL, "MZ", "program"},
		{"text/x-shellscript", "kh.docx", NULL, "#!/bin/sh", "program"},
		{"text/plain", "ghichu.txt", NULL, "x", NULL},
		/* a saved message: by libmagic, or a header block with a
		 * MIME field, folded lines allowed, ended by an empty line */
		{"message/rfc822", NULL, NULL, "From: a\n\n", "message"},
		{"text/plain", NULL, NULL, "Subject: a\r\n b\r\nMIME-Version: 1.0\r\n\r\nx", "message"},
		{"text/plain", NULL, NULL, "X-A: 1\ncontent-type: text/plain\n\n", "message"},
		{"text/plain", NULL, NULL, "Subject: a\nTo: b\n\nx", NULL},
		{"text/plain", NULL, NULL, "MIME-Version: 1.0\nContent-Type: a", NULL},
		{"text/plain", NULL, NULL, " MIME-Version: 1.0\n\n", NULL},
		{"text/plain", NULL, NULL, "MIME-Version: 1.0\nnot a field\n\n", NULL},
		{"text/plain", NULL, NULL, "MIME Version: 1.0\n\n", NULL},
		{"text/plain", NULL, NULL, "\nMIME-Version: 1.0\n\n", NULL},
		{"text/html", NULL, NULL, "MIME-Version: 1.0\n\n", NULL},
		{NULL, "a.pdf", NULL, "", NULL},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kcase *c = &cases[i];
		const char *k = aw_type_kind(c->type, c->name, c->declared,
					     (const unsigned char *) c->data,
					     strlen(c->data));

		if (c->want == NULL)
			assert_null(k);
		else {
			assert_non_null(k);
			assert_string_equal(k, c->want);
		}
	}
}

static void
types_come_from_bytes(void **state)
{
	static const char *const cases[][2] = {
		{"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n", "application/pdf"},
		{"GIF89a\x01\x01\x01\x01", "image/gif"},
		{"{\\rtf1\\ansi hello}", "text/rtf"},
		{"", "application/x-empty"},
	};
	char    err[256];
	struct aw_type *t = aw_type_open(err, sizeof(err));

	(void) state;
	assert_non_null(t);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *r = aw_type_detect(t, (const unsigned char *) cases[i][0],
					   strlen(cases[i][0]));

		assert_string_equal(r, cases[i][1]);
		free(r);
	}
	assert_null(aw_type_close(t));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds_from_type_and_bytes),
		cmocka_unit_test(types_come_from_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
