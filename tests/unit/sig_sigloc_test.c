/*
 * sig_sigloc_test.c - the PDF signature locator, its byte range rules and
 * the revision check, on small PDFs written here by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "aw_sig.h"
#include "pdf_sigloc.h"
#include "sig_cms.h"

/* ---- the byte range rules, table-driven ---- */

static const struct range_case {
	const char *name;
	int     nrange;
	uint64_t r[4];
	size_t  coff, cend, len;
	const char *want;		/* NULL: well-formed */
} range_cases[] = {
	{"well formed", 4, {0, 100, 200, 50}, 100, 200, 250, NULL},
	{"tail shorter than the file is still well formed", 4,
	 {0, 100, 200, 10}, 100, 200, 250, NULL},
	{"three numbers", -1, {0}, 100, 200, 250,
	 "/ByteRange is not an array of four non-negative integers"},
	{"no /Contents", 4, {0, 100, 200, 50}, 0, 0, 250,
	 "no /Contents hex string in the signature dictionary"},
	{"start not at 0", 4, {1, 99, 200, 50}, 100, 200, 250,
	 "byte range does not start at 0"},
	{"overlapping ranges", 4, {0, 201, 200, 50}, 100, 200, 250,
	 "byte ranges overlap"},
	{"second range past the end", 4, {0, 100, 200, 51}, 100, 200, 250,
	 "byte range runs beyond the end of the file"},
	{"second range starts past the end", 4, {0, 100, 300, 0}, 100, 200, 250,
	 "byte range runs beyond the end of the file"},
	{"huge length does not wrap", 4, {0, 100, 200, UINT64_MAX - 100},
	 100, 200, 250, "byte range runs beyond the end of the file"},
	{"gap starts after the '<'", 4, {0, 101, 200, 50}, 100, 200, 250,
	 "byte range gap is not the /Contents string"},
	{"gap ends before the '>'", 4, {0, 100, 199, 51}, 100, 200, 250,
	 "byte range gap is not the /Contents string"},
	{"gap of another string", 4, {0, 50, 60, 190}, 100, 200, 250,
	 "byte range gap is not the /Contents string"},
};

static void
byte_range_rules(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++) {
		const struct range_case *c = &range_cases[i];
		struct pdf_sigdict s;
		const char *got;

		memset(&s, 0, sizeof(s));
		s.nrange = c->nrange;
		memcpy(s.range, c->r, sizeof(s.range));
		s.contents_off = c->coff;
		s.contents_end = c->cend;
		got = pdf_sigloc_check_range(&s, c->len);
		if (c->want == NULL && got != NULL)
			fail_msg("%s: got '%s'", c->name, got);
		if (c->want != NULL && (got == NULL || strcmp(got, c->want) != 0))
			fail_msg("%s: want '%s', got '%s'", c->name, c->want,
				 got ? got : "(none)");
	}
}

/* ---- the scanner ---- */

#define HEAD	"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" \
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" \
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n" \
		"4 0 obj\n<< /Length 22 >>\nstream\n/ByteRange [0 1 2 3]\n\nendstream\nendobj\n"
#define SIGOBJ	"9 0 obj\n<< /Type /Sig /SubFilter /adbe.pkcs7.detached " \
		"/M (D:20240102030405+07'00') /ByteRange [0 RRRRRRRRRRRRRRRRRRRRRRRRRRRRRR] " \
		"/Contents <3082 0a0b> >>\nendobj\n"
#define TAIL	"trailer\n<< /Root 1 0 R >>\n%%EOF\n"

/*
 * Build head + SIGOBJ + TAIL + appended, fill the byte range so that it
 * covers everything up to the end of TAIL, and scan it.
 */
static char *
build_bin(const char *head, size_t hlen, const char *appended, size_t alen,
	  struct pdf_sigscan *scan, size_t *lenp)
{
	size_t  len = hlen + strlen(SIGOBJ) + strlen(TAIL) + alen;
	char   *buf = malloc(len + 1), *r, *lt, *gt, num[64];
	size_t  end = len - alen;

	memcpy(buf, head, hlen);
	memcpy(buf + hlen, SIGOBJ, strlen(SIGOBJ));
	memcpy(buf + hlen + strlen(SIGOBJ), TAIL, strlen(TAIL));
	memcpy(buf + end, appended, alen);
	buf[len] = 0;
	r = memmem(buf, len, "RRRR", 4);
	lt = strstr(r, "<");
	gt = strchr(lt, '>') + 1;
	snprintf(num, sizeof(num), "%-30zu", (size_t) 0);
	snprintf(num, sizeof(num), "%zu %zu %zu", (size_t) (lt - buf),
		 (size_t) (gt - buf), end - (size_t) (gt - buf));
	memset(r, ' ', 30);
	memcpy(r, num, strlen(num));
	pdf_sigloc_scan((unsigned char *) buf, len, scan);
	pdf_revision_check((unsigned char *) buf, len, scan);
	*lenp = len;
	return buf;
}

static char *
build(const char *head, const char *appended, struct pdf_sigscan *scan,
      size_t *lenp)
{
	return build_bin(head, strlen(head), appended, strlen(appended), scan,
			 lenp);
}

static void
finds_the_signature_dictionary(void **state)
{
	struct pdf_sigscan s;
	size_t  len;
	char   *buf = build(HEAD, "", &s, &len);
	static const unsigned char der[] = {0x30, 0x82, 0x0a, 0x0b};

	(void) state;
	assert_int_equal(s.nsigs, 1);	/* not the /ByteRange in the stream */
	assert_null(s.sigs[0].malformed);
	assert_string_equal(s.sigs[0].subfilter, "adbe.pkcs7.detached");
	assert_string_equal(s.sigs[0].type, "Sig");
	assert_string_equal(s.sigs[0].m, "D:20240102030405+07'00'");
	assert_int_equal(s.sigs[0].cms_len, 4);
	assert_memory_equal(s.sigs[0].cms, der, 4);
	assert_int_equal(s.sigs[0].covered_end, len);
	assert_int_equal(s.sigs[0].covers_whole_file, 1);
	assert_null(s.sigs[0].modified);
	assert_int_equal(s.nobjs, 5);
	assert_string_equal(s.objs[2].type, "Page");
	assert_int_equal(s.objs[3].is_stream, 1);
	pdf_sigscan_clear(&s);
	free(buf);
}

static void
trailing_white_space_is_still_the_whole_file(void **state)
{
	struct pdf_sigscan s;
	size_t  len;
	char   *buf = build(HEAD, "\r\n\n", &s, &len);

	(void) state;
	assert_int_equal(s.sigs[0].covers_whole_file, 1);
	pdf_sigscan_clear(&s);
	free(buf);
}

static const struct rev_case {
	const char *name;
	const char *appended;
	const char *want;		/* start of the reason; NULL: unchanged */
} rev_cases[] = {
	{"a rewritten content stream",
	 "4 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n%%EOF\n",
	 "object 4: a stream (page content or resource) is rewritten"},
	{"a page that only gains /Annots",
	 "3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [10 0 R] >>\nendobj\n"
	 "10 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /V 11 0 R >>\nendobj\n%%EOF\n",
	 NULL},
	{"a page whose contents change",
	 "3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 12 0 R >>\nendobj\n%%EOF\n",
	 "object 3: the page changes /Contents"},
	{"a new page",
	 "13 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n%%EOF\n",
	 "object 13: a new page"},
	{"a text annotation",
	 "14 0 obj\n<< /Type /Annot /Subtype /Text /Contents (x) >>\nendobj\n%%EOF\n",
	 "object 14: a Text annotation"},
	{"a text form field",
	 "15 0 obj\n<< /FT /Tx /V (x) >>\nendobj\n%%EOF\n",
	 "object 15: a form field of type Tx"},
	{"the information dictionary",
	 "16 0 obj\n<< /Producer (x) /ModDate (D:2024) >>\nendobj\n%%EOF\n", NULL},
	{"a catalog gaining a DSS",
	 "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /DSS 17 0 R >>\nendobj\n"
	 "17 0 obj\n<< /Type /DSS >>\nendobj\n%%EOF\n", NULL},
	{"a catalog with other pages",
	 "1 0 obj\n<< /Type /Catalog /Pages 18 0 R >>\nendobj\n%%EOF\n",
	 "object 1: the catalog changes /Pages"},
	{"a new catalog object",
	 "19 0 obj\n<< /Type /Catalog /Pages 20 0 R >>\nendobj\n%%EOF\n",
	 "object 19: the catalog changes /Pages"},
	{"an object stream",
	 "21 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length 0 >>\nstream\n\nendstream\nendobj\n%%EOF\n",
	 "object 21: a later revision packs objects"},
	{"a page tree",
	 "2 0 obj\n<< /Type /Pages /Kids [3 0 R 22 0 R] /Count 2 >>\nendobj\n%%EOF\n",
	 "object 2, of type Pages is rewritten"},
	{"a new stream and a new signature",
	 "23 0 obj\n<< /Length 1 >>\nstream\nx\nendstream\nendobj\n"
	 "24 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> >>\nendobj\n%%EOF\n",
	 NULL},
};

static void
later_revisions(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(rev_cases) / sizeof(rev_cases[0]); i++) {
		const struct rev_case *c = &rev_cases[i];
		struct pdf_sigscan s;
		size_t  len;
		char   *buf = build(HEAD, c->appended, &s, &len);
		const char *got = s.sigs[0].modified;

		if (s.sigs[0].covers_whole_file)
			fail_msg("%s: covers the whole file", c->name);
		if (c->want == NULL && got != NULL)
			fail_msg("%s: got '%s'", c->name, got);
		if (c->want && (got == NULL || strncmp(got, c->want, strlen(c->want))))
			fail_msg("%s: want '%s', got '%s'", c->name, c->want,
				 got ? got : "(none)");
		pdf_sigscan_clear(&s);
		free(buf);
	}
}

/*
 * An object stream "N 0 obj" holding the given objects, FlateDecode when
 * flate, written into out; its length.
 */
static size_t
objstm(char *out, size_t size, unsigned num, const char *const *objs,
       const unsigned *nums, int n, int flate)
{
	char    header[256], body[2048], raw[2304];
	unsigned char comp[4096];
	uLongf  clen = sizeof(comp);
	size_t  hl = 0, bl = 0, rl, o;

	for (int i = 0; i < n; i++) {
		hl += snprintf(header + hl, sizeof(header) - hl, "%u %zu ", nums[i], bl);
		bl += snprintf(body + bl, sizeof(body) - bl, "%s\n", objs[i]);
	}
	rl = (size_t) snprintf(raw, sizeof(raw), "%s%s", header, body);
	if (flate)
		assert_int_equal(compress2(comp, &clen, (unsigned char *) raw, rl, 9), Z_OK);
	else
		memcpy(comp, raw, clen = rl);
	o = (size_t) snprintf(out, size, "%u 0 obj\n<< /Type /ObjStm /N %d /First %zu "
			      "%s/Length %lu >>\nstream\n", num, n, hl,
			      flate ? "/Filter /FlateDecode " : "", (unsigned long) clen);
	memcpy(out + o, comp, clen);
	o += clen;
	o += (size_t) snprintf(out + o, size - o, "\nendstream\nendobj\n");
	return o;
}

static void
object_streams(void **state)
{
	static const char *const orig[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
	};
	static const unsigned orig_nums[] = {1, 2, 3};
	static const char *const changed[] = {
		"<< /Type /Page /Parent 2 0 R /Contents 9 0 R >>",
	};
	static const char *const annots[] = {
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [10 0 R] >>",
	};
	static const unsigned page_num[] = {3};
	char    head[8192], app[8192];
	size_t  hl, al, len;
	struct pdf_sigscan s;
	char   *buf;

	(void) state;
	hl = (size_t) snprintf(head, sizeof(head), "%%PDF-1.7\n"
	    "4 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n");
	hl += objstm(head + hl, sizeof(head) - hl, 6, orig, orig_nums, 3, 1);

	/* A plain page that only gains /Annots: compared with the compressed. */
	al = (size_t) snprintf(app, sizeof(app), "3 0 obj\n<< /Type /Page /Parent 2 0 R "
	    "/Contents 4 0 R /Annots [10 0 R] >>\nendobj\n%%%%EOF\n");
	buf = build_bin(head, hl, app, al, &s, &len);
	assert_null(s.sigs[0].modified);
	assert_int_equal(s.objs[s.nobjs - 1].num, 3);	/* expanded */
	assert_string_equal(s.objs[s.nobjs - 1].type, "Page");
	pdf_sigscan_clear(&s);
	free(buf);

	/* A plain page with other contents. */
	al = (size_t) snprintf(app, sizeof(app), "3 0 obj\n<< /Type /Page /Parent 2 0 R "
	    "/Contents 9 0 R >>\nendobj\n%%%%EOF\n");
	buf = build_bin(head, hl, app, al, &s, &len);
	assert_non_null(s.sigs[0].modified);
	assert_string_equal(s.sigs[0].modified, "object 3: the page changes /Contents");
	pdf_sigscan_clear(&s);
	free(buf);

	/* A later revision's object stream is read too: both ways. */
	al = objstm(app, sizeof(app), 11, annots, page_num, 1, 1);
	buf = build_bin(head, hl, app, al, &s, &len);
	assert_null(s.sigs[0].modified);
	pdf_sigscan_clear(&s);
	free(buf);
	al = objstm(app, sizeof(app), 11, changed, page_num, 1, 0);
	buf = build_bin(head, hl, app, al, &s, &len);
	assert_string_equal(s.sigs[0].modified, "object 3: the page changes /Contents");
	pdf_sigscan_clear(&s);
	free(buf);

	/* An object stream that does not inflate cannot be inspected. */
	al = (size_t) snprintf(app, sizeof(app), "11 0 obj\n<< /Type /ObjStm /N 1 "
	    "/First 4 /Filter /FlateDecode /Length 5 >>\nstream\nxxxxx\nendstream\n"
	    "endobj\n");
	buf = build_bin(head, hl, app, al, &s, &len);
	assert_non_null(s.sigs[0].modified);
	assert_string_equal(s.sigs[0].modified, "object 11: a later revision packs "
	    "objects into an object stream, which is not inspected");
	pdf_sigscan_clear(&s);
	free(buf);
}

static void
scan_one(const char *pdf, struct pdf_sigscan *s)
{
	pdf_sigloc_scan((const unsigned char *) pdf, strlen(pdf), s);
}

static void
odd_dictionaries(void **state)
{
	struct pdf_sigscan s;

	(void) state;
	/* An indirect /ByteRange cannot be checked. */
	scan_one("1 0 obj << /Type /Sig /ByteRange 5 0 R /Contents <00> >> endobj", &s);
	assert_int_equal(s.nsigs, 1);
	assert_string_equal(s.sigs[0].malformed,
			    "/ByteRange is not an array of four non-negative integers");
	pdf_sigscan_clear(&s);
	/* Five numbers, or a negative one, are not a byte range either. */
	scan_one("1 0 obj << /ByteRange [0 1 2 3 4] /Contents <00> >> endobj", &s);
	assert_int_equal(s.sigs[0].nrange, -1);
	pdf_sigscan_clear(&s);
	scan_one("1 0 obj << /ByteRange [0 -1 2 3] /Contents <00> >> endobj", &s);
	assert_int_equal(s.sigs[0].nrange, -1);
	pdf_sigscan_clear(&s);
	/* A literal /Contents is not the hex string the rules want. */
	scan_one("1 0 obj << /ByteRange [0 1 2 3] /Contents (abc) >> endobj", &s);
	assert_string_equal(s.sigs[0].malformed,
			    "no /Contents hex string in the signature dictionary");
	pdf_sigscan_clear(&s);
	/* A signature dictionary nested in a widget is found, in order. */
	scan_one("1 0 obj << /FT /Sig /V << /SubFilter /a /ByteRange [0 1 2 3] >> >> endobj"
		 "2 0 obj << /SubFilter /b /ByteRange [0 1 2 4] >> endobj", &s);
	assert_int_equal(s.nsigs, 2);
	assert_string_equal(s.sigs[0].subfilter, "a");
	assert_string_equal(s.sigs[1].subfilter, "b");
	pdf_sigscan_clear(&s);
	/* The same dictionary written twice is one signature. */
	scan_one("1 0 obj << /ByteRange [0 1 2 3] >> endobj"
		 "1 0 obj << /ByteRange [0 1 2 3] >> endobj", &s);
	assert_int_equal(s.nsigs, 1);
	pdf_sigscan_clear(&s);
}

static void
hostile_bytes(void **state)
{
	struct pdf_sigscan s;
	char    deep[4096];

	(void) state;
	scan_one("", &s);
	assert_int_equal(s.nsigs, 0);
	pdf_sigscan_clear(&s);
	scan_one("1 0 obj << /ByteRange [0 1 2 3] /Contents <0", &s);
	assert_int_equal(s.nsigs, 0);
	pdf_sigscan_clear(&s);
	scan_one("(((( \\) 1 0 obj << /ByteRange [0 1 2 3] >> endobj", &s);
	assert_int_equal(s.nsigs, 0);	/* all inside an open string */
	pdf_sigscan_clear(&s);
	scan_one(">> ] ] >> 1 0 obj [ << ] >> >> endobj stream", &s);
	pdf_sigscan_clear(&s);
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = 0;
	scan_one(deep, &s);
	assert_string_equal(s.error, "objects nested too deeply");
	pdf_sigscan_clear(&s);
}

static void
pdf_dates(void **state)
{
	(void) state;
	assert_int_equal(sig_pdf_date("D:20240102030405Z"), 1704164645);
	assert_int_equal(sig_pdf_date("D:20240102100405+07'00'"), 1704164645);
	assert_int_equal(sig_pdf_date("D:20240102100405+07'00"), 1704164645);
	assert_int_equal(sig_pdf_date("20240102030405"), 1704164645);
	assert_int_equal(sig_pdf_date("D:20240102"), 1704153600);
	assert_int_equal(sig_pdf_date("D:2024"), 1704067200);
	assert_int_equal(sig_pdf_date("D:20241302"), 0);
	assert_int_equal(sig_pdf_date("D:"), 0);
	assert_int_equal(sig_pdf_date("yesterday"), 0);
	assert_int_equal(sig_pdf_date(NULL), 0);
}

static void
from_addresses(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"Van thu <VanThu@Example.GOV.vn>", "vanthu@example.gov.vn"},
		{"a@b.vn", "a@b.vn"},
		{"  a@b.vn (Van thu)", "a@b.vn"},
		{"\"x <y>\" <z@w.vn>", "z@w.vn"},
		{"no address", NULL},
		{"<>", NULL},
	};
	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char   *got = aw_sig_from_address(cases[i].in);

		if (cases[i].want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].want);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(byte_range_rules),
		cmocka_unit_test(finds_the_signature_dictionary),
		cmocka_unit_test(trailing_white_space_is_still_the_whole_file),
		cmocka_unit_test(later_revisions),
		cmocka_unit_test(odd_dictionaries),
		cmocka_unit_test(object_streams),
		cmocka_unit_test(hostile_bytes),
		cmocka_unit_test(pdf_dates),
		cmocka_unit_test(from_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
