/*
 * aw_facts_test.c - facts read from text, table-driven; legacy encodings;
 * the edXML header; marks of page headers and footers.  Expected values
 * are written by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "aw_facts.h"
#include "aw_text.h"

struct want {
	int     id;		/* enum fact_id; -1 ends the list */
	const char *value;	/* NULL: the fact must stay empty */
};

struct tcase {
	const char *name;
	const char *text;
	struct want w[12];
};

#define END	{-1, NULL}

static const struct tcase cases[] = {
	{"state decision", "BỘ NỘI VỤ\n-------\nSố: 15/QĐ-BNV\n"
	 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
	 "Hà Nội, ngày 28 tháng 4 năm 2021\nQUYẾT ĐỊNH\n"
	 "Về việc ban hành Quy chế công tác\nvăn thư của Bộ\n"
	 "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020;\n",
	 {{FACT_ISSUER, "BỘ NỘI VỤ"}, {FACT_NUMBER, "15"},
	  {FACT_SYMBOL, "QĐ-BNV"}, {FACT_REFERENCE, "15/QĐ-BNV"},
	  {FACT_YEAR, NULL}, {FACT_DATE, "2021-04-28"}, {FACT_PLACE, "Hà Nội"},
	  {FACT_TYPE_CODE, "QĐ"}, {FACT_TYPE_NAME, "Quyết định"},
	  {FACT_SUMMARY, "Về việc ban hành Quy chế công tác văn thư của Bộ"},
	  {FACT_URGENCY, NULL}, END}},
	{"Party with spaces", "TỈNH ỦY HẢI DƯƠNG\n*\nSố 145 - CV/TU\n"
	 "V/v tổ chức lấy ý kiến\nĐẢNG CỘNG SẢN VIỆT NAM\n"
	 "Hải Dương, ngày 3 tháng 9 năm 2020\n",
	 {{FACT_REFERENCE, "145-CV/TU"}, {FACT_REFERENCE_PRINTED,
	   "Số 145 - CV/TU"}, {FACT_SYMBOL, "CV/TU"}, {FACT_TYPE_CODE, "CV"},
	  {FACT_TYPE_NAME, "Công văn"}, {FACT_SUMMARY, "tổ chức lấy ý kiến"},
	  {FACT_ISSUER, "TỈNH ỦY HẢI DƯƠNG"}, {FACT_PLACE, "Hải Dương"},
	  {FACT_DATE, "2020-09-03"}, END}},
	{"year in the number", "CHÍNH PHỦ\nSố: 30/2020/NĐ-CP\n"
	 "Hà Nội, ngày 05 tháng 03 năm 2020\nNGHỊ ĐỊNH\nVề công tác văn thư\n",
	 {{FACT_REFERENCE, "30/2020/NĐ-CP"}, {FACT_YEAR, "2020"},
	  {FACT_SYMBOL, "NĐ-CP"}, {FACT_TYPE_CODE, "NĐ"},
	  {FACT_TYPE_NAME, "Nghị định"}, {FACT_SUMMARY, "Về công tác văn thư"},
	  END}},
	{"NFD input", "BO\xCC\xA3\xCC\x82 NO\xCC\xA3\xCC\x82I VU\xCC\xA3\n"
	 "So\xCC\x82\xCC\x81: 7/TB-BNV\nHa\xCC\x80 No\xCC\xA3\xCC\x82i, nga\xCC\x80y"
	 " 2 tha\xCC\x81ng 3 na\xCC\x86m 2022\n",
	 {{FACT_ISSUER, "BỘ NỘI VỤ"}, {FACT_REFERENCE, "7/TB-BNV"},
	  {FACT_PLACE, "Hà Nội"}, {FACT_DATE, "2022-03-02"},
	  {FACT_TYPE_NAME, "Thông báo"}, END}},
	{"no diacritics", "UBND TINH BINH DINH\nSo: 16/QD-UBND\n"
	 "Binh Dinh, ngay 14 thang 2 nam 2020\nQUYET DINH\nVe viec phe duyet\n",
	 {{FACT_REFERENCE, "16/QD-UBND"}, {FACT_TYPE_CODE, "QĐ"},
	  {FACT_TYPE_NAME, "Quyết định"}, {FACT_PLACE, "Binh Dinh"},
	  {FACT_SUMMARY, "Ve viec phe duyet"}, END}},
	{"capitals and merged columns", "UBND HUYỆN A\n"
	 "SỐ: 05/UBND-VP Hà Nội, ngày 07 tháng 01 năm 2022\n"
	 "V/v rà soát\nKHẨN\n",
	 {{FACT_REFERENCE, "05/UBND-VP"}, {FACT_PLACE, "Hà Nội"},
	  {FACT_DATE, "2022-01-07"}, {FACT_URGENCY, "KHẨN"},
	  {FACT_SUMMARY, "rà soát"}, {FACT_TYPE_CODE, NULL}, END}},
	{"numbers of the body are not the document's",
	 "Kính gửi: các đơn vị\nTổng số 15 người dự họp tại nhà số 5/12 ngõ 34.\n"
	 "số 5/12 ngõ 34 phố Huế\nngày 31 tháng 2 năm 2021\n",
	 {{FACT_REFERENCE, NULL}, {FACT_NUMBER, NULL}, {FACT_DATE, NULL},
	  {FACT_SUMMARY, NULL}, {FACT_ISSUER, NULL}, END}},
	{"a citation wrapped to the start of a line is not the number",
	 "UBND TỈNH BÌNH ĐỊNH\nSố:\n402/UBND-VP\nV/v triển khai Quyết định\n"
	 "số 12/QĐ-UBND của UBND tỉnh\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	 "Bình Định, ngày 28 tháng 4 năm 2021\n"
	 "Để triển khai thực hiện Quyết định\n"
	 "số 12/QĐ-UBND ngày 5 tháng 3 năm 2021 của UBND tỉnh, đề nghị\n",
	 {{FACT_REFERENCE, NULL}, {FACT_NUMBER, NULL}, {FACT_SYMBOL, NULL},
	  {FACT_TYPE_CODE, NULL}, {FACT_TYPE_NAME, "Công văn"},
	  {FACT_DATE, "2021-04-28"},
	  {FACT_SUMMARY, "triển khai Quyết định số 12/QĐ-UBND của UBND tỉnh"},
	  END}},
	{"a date the summary cites is not the document's",
	 "SỞ NỘI VỤ\nSố: 402/SNV-VP\nV/v thực hiện Công văn số 12/BNV-VP\n"
	 "ngày 05 tháng 3 năm 2021 của Bộ Nội vụ\n"
	 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	 "Bình Định, ngày 28 tháng 4 năm 2021\nKính gửi: Các sở\n",
	 {{FACT_DATE, "2021-04-28"}, {FACT_PLACE, "Bình Định"},
	  {FACT_REFERENCE, "402/SNV-VP"}, END}},
	{"a date cited with a comma is not the document's",
	 "UBND TỈNH BÌNH ĐỊNH\nSố: 402/UBND-VP\n"
	 "V/v triển khai Quyết định số 12/QĐ-TTg, ngày 05 tháng 3 năm 2021\n"
	 "Bình Định, ngày 28 tháng 4 năm 2021\n",
	 {{FACT_DATE, "2021-04-28"}, {FACT_PLACE, "Bình Định"}, END}},
	{"no date from a sentence of the body",
	 "UBND TỈNH BÌNH ĐỊNH\nSố: /UBND-VP\nV/v triển khai Quyết định\n"
	 "Bình Định, ngày tháng 4 năm 2021\n"
	 "Ngày 5/3/2021, Ủy ban nhân dân tỉnh ban hành Quyết định về việc\n"
	 "ban hành quy chế. Đề nghị các đơn vị thực hiện. Báo cáo kết quả\n"
	 "trước khi tổng hợp, ngày 25 tháng 3 năm 2021 gửi Sở Nội vụ.\n",
	 {{FACT_DATE, NULL}, {FACT_PLACE, NULL}, {FACT_REFERENCE, NULL}, END}},
	{"a công văn whose issuer looks like a type code",
	 "CỤC THUẾ TỈNH BÌNH ĐỊNH\nSố: 1234/CT-TTHT\nV/v chính sách thuế\n"
	 "Bình Định, ngày 28 tháng 4 năm 2021\nKính gửi: Công ty A\n",
	 {{FACT_REFERENCE, "1234/CT-TTHT"}, {FACT_TYPE_CODE, NULL},
	  {FACT_TYPE_NAME, "Công văn"}, {FACT_SUMMARY, "chính sách thuế"}, END}},
	{"marks", "BỘ QUỐC PHÒNG\nSố: 1/BQP\nTỐI MẬT\nHOẢ TỐC\n"
	 "LƯU HÀNH NỘI BỘ\nMặt trận Tổ quốc\n",
	 {{FACT_SECRECY, "TỐI MẬT"}, {FACT_URGENCY, "HỎA TỐC"},
	  {FACT_CIRCULATION, "LƯU HÀNH NỘI BỘ"}, END}},
	{"a mark joined to the motto", "BỘ CÔNG AN\nSố: 15/BCA-VP\n"
	 "MẬT ĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 2 tháng 3 năm 2022\n",
	 {{FACT_SECRECY, "MẬT"}, {FACT_ISSUER, "BỘ CÔNG AN"}, END}},
	{"a mark after the reference", "BỘ CÔNG AN\nSố: 15/BCA-VP TỐI MẬT\n",
	 {{FACT_SECRECY, "TỐI MẬT"}, {FACT_REFERENCE, "15/BCA-VP"}, END}},
	{"a mark before the reference", "BỘ CÔNG AN\nHỎA TỐC Số: 15/BCA-VP\n",
	 {{FACT_URGENCY, "HỎA TỐC"}, END}},
	{"a mark spaced out", "BỘ CÔNG AN\nSố: 15/BCA-VP\nT U Y Ệ T  M Ậ T\n",
	 {{FACT_SECRECY, "TUYỆT MẬT"}, END}},
	{"a mark in brackets", "BỘ CÔNG AN\nSố: 15/BCA-VP\n(MẬT)\n"
	 "\"THƯỢNG KHẨN\"\n",
	 {{FACT_SECRECY, "MẬT"}, {FACT_URGENCY, "THƯỢNG KHẨN"}, END}},
	{"words of marks in sentences are not marks", "BỘ Y TẾ\n"
	 "Số: 15/BYT-VP\nV/v bảo vệ tài liệu thuộc độ\nTối mật của Bộ\n"
	 "MẬT KHẨU\nKHẨN TRƯƠNG PHÒNG CHỐNG DỊCH\nMật mã Chính phủ\n"
	 "khẩn cấp về dịch bệnh\n",
	 {{FACT_SECRECY, NULL}, {FACT_URGENCY, NULL}, END}},
	{"thượng khẩn is not khẩn", "A\nSố: 2/CĐ-BYT\nTHƯỢNG KHẨN\nMẬT\n",
	 {{FACT_URGENCY, "THƯỢNG KHẨN"}, {FACT_SECRECY, "MẬT"},
	  {FACT_TYPE_NAME, "Công điện"}, END}},
	{"signer with competence", "Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\n"
	 "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n(Đã ký)\nNguyễn Văn An\n",
	 {{FACT_SIGNER_COMPETENCE, "KT."}, {FACT_SIGNER_POSITION, "THỨ TRƯỞNG"},
	  {FACT_SIGNER_NAME, "Nguyễn Văn An"},
	  {FACT_RECIPIENTS, "Như trên\nLưu: VT, VP"}, END}},
	{"Party signer", "Nơi nhận:\n- Các huyện ủy,\nthành ủy;\n"
	 "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nLê Văn Hiệu\n",
	 {{FACT_SIGNER_COMPETENCE, "T/M"}, {FACT_SIGNER_POSITION, "PHÓ BÍ THƯ"},
	  {FACT_SIGNER_NAME, "Lê Văn Hiệu"},
	  {FACT_RECIPIENTS, "Các huyện ủy, thành ủy"}, END}},
	{"signer without competence", "Trân trọng.\nGIÁM ĐỐC\n\nHoàng Minh Đức\n",
	 {{FACT_SIGNER_COMPETENCE, NULL}, {FACT_SIGNER_POSITION, "GIÁM ĐỐC"},
	  {FACT_SIGNER_NAME, "Hoàng Minh Đức"}, {FACT_RECIPIENTS, NULL}, END}},
	{"no signer without a position", "Nơi nhận:\n- A;\nHà Nội\n",
	 {{FACT_SIGNER_NAME, NULL}, END}},
	{"spaces everywhere", "SỞ NỘI VỤ\nSố : 15 / QĐ - SNV\n"
	 "Đà Nẵng , ngày  5  tháng 3 năm 2021\n",
	 {{FACT_REFERENCE, "15/QĐ-SNV"}, {FACT_SYMBOL, "QĐ-SNV"},
	  {FACT_REFERENCE_PRINTED, "Số : 15 / QĐ - SNV"},
	  {FACT_PLACE, "Đà Nẵng"}, {FACT_DATE, "2021-03-05"}, END}},
	{"mixed-case symbols", "SỞ GD\nSố: 9/TTr-SGDĐT\nSố 4-QĐi/TU\n",
	 {{FACT_REFERENCE, "9/TTr-SGDĐT"}, {FACT_TYPE_CODE, "TTr"},
	  {FACT_TYPE_NAME, "Tờ trình"}, END}},
	{"a date without its place", "SỞ A\nSố: 3/SA-VP\nngày 3 tháng 4 năm 2021\n",
	 {{FACT_DATE, "2021-04-03"}, {FACT_PLACE, NULL}, END}},
	{"empty", "", {{FACT_ISSUER, NULL}, {FACT_REFERENCE, NULL}, END}},
};

/* Each fact a case wants, its value and where it was read. */
static void
check_wants(const struct tcase *c, const struct doc_facts *df,
	    enum fact_source src)
{
	for (const struct want *w = c->w; w->id >= 0; w++) {
		const char *got = df->f[w->id].value;

		if (w->value == NULL && got == NULL)
			continue;
		if (w->value == NULL || got == NULL ||
		    strcmp(w->value, got) != 0)
			fail_msg("%s: %s is \"%s\", want \"%s\"", c->name,
				 fact_names[w->id], got ? got : "(null)",
				 w->value ? w->value : "(null)");
		assert_int_equal(df->f[w->id].source, src);
	}
}

static void
parse_table(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct doc_facts df = {0};

		aw_facts_text(&df, cases[i].text, strlen(cases[i].text));
		check_wants(&cases[i], &df, SRC_TEXT);
		doc_facts_clear(&df);
	}
}

static void
subject_is_last_resort(void **state)
{
	struct document d = {0};

	(void) state;
	d.name = strdup("scan.pdf");
	aw_facts_read(&d, "Fwd: Công văn số 44/UBND-VX V/v rà soát hồ sơ");
	assert_string_equal(d.facts.f[FACT_REFERENCE].value, "44/UBND-VX");
	assert_int_equal(d.facts.f[FACT_REFERENCE].source, SRC_SUBJECT);
	assert_string_equal(d.facts.f[FACT_SUMMARY].value, "rà soát hồ sơ");
	assert_string_equal(d.facts.f[FACT_TYPE_NAME].value, "Công văn");
	document_clear(&d);

	d.name = strdup("15_QĐ-BNV.pdf");
	d.text = strdup("");
	aw_facts_read(&d, "Số 9-CV/TU");
	assert_string_equal(d.facts.f[FACT_REFERENCE].value, "15/QĐ-BNV");
	assert_int_equal(d.facts.f[FACT_REFERENCE].source, SRC_FILENAME);
	document_clear(&d);
}

static void
legacy_encodings(void **state)
{
	static const char *const legacy[][2] = {
		/* TCVN3 through a one-byte font */
		{"Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n"
		 "Sè: 19/Q§-UBND\nQUYÕT §ÞNH\nNh- trªn; L-u",
		 "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
		 "Số: 19/QĐ-UBND\nQUYẾT ĐỊNH\nNhư trên; Lưu"},
		/* VNI */
		{"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - "
		 "Haïnh phuùc\nSoá: 58/BC-SNV ngaøy thaùng naêm cuûa",
		 "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - "
		 "Hạnh phúc\nSố: 58/BC-SNV ngày tháng năm của"},
	};
	char   *s;

	(void) state;
	for (size_t i = 0; i < 2; i++) {
		s = aw_legacy_convert(legacy[i][0]);
		assert_non_null(s);
		assert_string_equal(s, legacy[i][1]);
		free(s);
	}
	/* Unicode Vietnamese and French stay as they are. */
	assert_null(aw_legacy_convert("Cộng hòa xã hội chủ nghĩa Việt Nam, "
				      "Độc lập - Tự do - Hạnh phúc"));
	assert_null(aw_legacy_convert("Les élèves étaient à l'école; où "
				      "était-il? À côté, déjà, très."));
}

static void
edxml_header(void **state)
{
	static const char x[] =
	    "<?xml version=\"1.0\"?><e:edXMLEnvelope xmlns:e=\""
	    "http://www.mic.gov.vn/TBT/QCVN_102_2016\"><e:edXMLHeader>"
	    "<e:MessageHeader><e:From><e:OrganName>Tỉnh ủy Nghệ An</e:OrganName>"
	    "</e:From><e:Code><e:CodeNumber>08</e:CodeNumber><e:CodeNotation>"
	    "QĐi/TU</e:CodeNotation></e:Code><e:PromulgationInfo><e:Place>Vinh"
	    "</e:Place><e:PromulgationDate>2021/07/30</e:PromulgationDate>"
	    "</e:PromulgationInfo><e:Subject>V/v chế độ làm việc</e:Subject>"
	    "<e:SignerInfo><e:Competence>T/M BAN THƯỜNG VỤ</e:Competence>"
	    "<e:FullName>Thái Thanh Quý</e:FullName></e:SignerInfo>"
	    "<e:OtherInfo><e:Priority>3</e:Priority></e:OtherInfo>"
	    "</e:MessageHeader></e:edXMLHeader></e:edXMLEnvelope>";
	struct doc_facts df = {0};

	(void) state;
	assert_int_equal(aw_edxml_facts(&df, (const unsigned char *) x,
					sizeof(x) - 1), 0);
	assert_string_equal(df.f[FACT_REFERENCE].value, "08-QĐi/TU");
	assert_string_equal(df.f[FACT_TYPE_CODE].value, "QĐi");
	assert_string_equal(df.f[FACT_DATE].value, "2021-07-30");
	assert_string_equal(df.f[FACT_URGENCY].value, "HỎA TỐC");
	assert_string_equal(df.f[FACT_SUMMARY].value, "chế độ làm việc");
	assert_string_equal(df.f[FACT_SIGNER_COMPETENCE].value, "T/M");
	assert_string_equal(df.f[FACT_ISSUER].value, "Tỉnh ủy Nghệ An");
	assert_null(df.f[FACT_SIGNER_POSITION].value);
	assert_int_equal(df.f[FACT_DATE].source, SRC_EDXML);
	assert_int_equal(df.f[FACT_DATE].confidence, 100);
	doc_facts_clear(&df);
	assert_int_equal(aw_edxml_facts(&df, (const unsigned char *) "<a", 2), -1);
}

/* A PromulgationDate that does not exist is no date. */
static void
edxml_impossible_date(void **state)
{
	static const char *const dates[][2] = {
		{"2021/02/31", NULL}, {"2021/04/31", NULL},
		{"2023/02/29", NULL}, {"2024/02/29", "2024-02-29"},
		{"2021-12-31", "2021-12-31"},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct doc_facts df = {0};
		char    x[512];

		snprintf(x, sizeof(x), "<?xml version=\"1.0\"?><e:edXMLEnvelope "
			 "xmlns:e=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">"
			 "<e:MessageHeader><e:PromulgationInfo><e:PromulgationDate>"
			 "%s</e:PromulgationDate></e:PromulgationInfo>"
			 "</e:MessageHeader></e:edXMLEnvelope>", dates[i][0]);
		assert_int_equal(aw_edxml_facts(&df, (const unsigned char *) x,
						strlen(x)), 0);
		if (dates[i][1] == NULL && df.f[FACT_DATE].value != NULL)
			fail_msg("%s read as %s", dates[i][0],
				 df.f[FACT_DATE].value);
		if (dates[i][1] != NULL)
			assert_string_equal(df.f[FACT_DATE].value, dates[i][1]);
		doc_facts_clear(&df);
	}
}

/* Page headers: marks only, by the body's rules, with their source. */
static const struct tcase page_headers[] = {
	{"a mark alone", "BỘ CÔNG AN\nMẬT\nTrang 1\n",
	 {{FACT_SECRECY, "MẬT"}, {FACT_ISSUER, NULL}, END}},
	{"framed and spaced", "[T Ố I  M Ậ T]\n\"HỎA TỐC\"\n",
	 {{FACT_SECRECY, "TỐI MẬT"}, {FACT_URGENCY, "HỎA TỐC"}, END}},
	{"circulation", "LƯU HÀNH NỘI BỘ\n", {{FACT_CIRCULATION,
	  "LƯU HÀNH NỘI BỘ"}, END}},
	{"after the reference", "Số: 15/BCA-VP TUYỆT MẬT\n",
	 {{FACT_SECRECY, "TUYỆT MẬT"}, {FACT_REFERENCE, NULL}, END}},
	{"words of a sentence", "Tài liệu bí mật của cơ quan\nđộ Mật\n"
	 "KHẨN TRƯƠNG HOÀN THÀNH\nTrang 1\n",
	 {{FACT_SECRECY, NULL}, {FACT_URGENCY, NULL}, END}},
	{"nothing but marks", "BỘ NỘI VỤ\nSố: 15/QĐ-BNV\n"
	 "Hà Nội, ngày 28 tháng 4 năm 2021\nQUYẾT ĐỊNH\nVề việc thi đua\n",
	 {{FACT_ISSUER, NULL}, {FACT_REFERENCE, NULL}, {FACT_DATE, NULL},
	  {FACT_TYPE_NAME, NULL}, {FACT_SUMMARY, NULL}, END}},
};

static void
page_header_marks(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(page_headers) / sizeof(page_headers[0]);
	     i++) {
		const struct tcase *c = &page_headers[i];
		struct doc_facts df = {0};

		aw_facts_marks(&df, c->text, strlen(c->text), SRC_PAGE_HEADER);
		check_wants(c, &df, SRC_PAGE_HEADER);
		doc_facts_clear(&df);
	}
}

/* The body's mark stands; the header's and footer's fill what it lacks. */
static void
page_header_after_body(void **state)
{
	struct document d = {0};

	(void) state;
	d.text = strdup("BỘ CÔNG AN\nSố: 15/BCA-VP\nMẬT\n");
	d.page_headers = strdup("BỘ CÔNG AN\nTỐI MẬT\nKHẨN\n");
	d.page_footers = strdup("LƯU HÀNH NỘI BỘ\n");
	aw_facts_read(&d, "Công văn số 9/X-Y V/v khác");
	assert_string_equal(d.facts.f[FACT_SECRECY].value, "MẬT");
	assert_int_equal(d.facts.f[FACT_SECRECY].source, SRC_TEXT);
	assert_string_equal(d.facts.f[FACT_URGENCY].value, "KHẨN");
	assert_int_equal(d.facts.f[FACT_URGENCY].source, SRC_PAGE_HEADER);
	assert_string_equal(d.facts.f[FACT_CIRCULATION].value,
			    "LƯU HÀNH NỘI BỘ");
	assert_int_equal(d.facts.f[FACT_CIRCULATION].source, SRC_PAGE_FOOTER);
	assert_string_equal(d.facts.f[FACT_REFERENCE].value, "15/BCA-VP");
	assert_string_equal(fact_source_names[SRC_PAGE_HEADER], "page_header");
	assert_string_equal(fact_source_names[SRC_PAGE_FOOTER], "page_footer");
	document_clear(&d);

	/* A header's mark alone is something: the subject stays unused. */
	d.text = strdup("");
	d.page_headers = strdup("MẬT\n");
	aw_facts_read(&d, "Công văn số 9/X-Y V/v khác");
	assert_string_equal(d.facts.f[FACT_SECRECY].value, "MẬT");
	assert_null(d.facts.f[FACT_REFERENCE].value);
	document_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_table),
		cmocka_unit_test(subject_is_last_resort),
		cmocka_unit_test(legacy_encodings),
		cmocka_unit_test(edxml_header),
		cmocka_unit_test(edxml_impossible_date),
		cmocka_unit_test(page_header_marks),
		cmocka_unit_test(page_header_after_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
