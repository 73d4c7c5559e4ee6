/*
 * aw_facts.c - facts of the header block: reference, date and place,
 * type, summary, marks and issuer; the order of sources.
 *
 * The header region is the part of the text before the first body line
 * ("Căn cứ", "Kính gửi", a numbered paragraph...), at most HEADER_LINES
 * lines.  A pattern that matches nowhere leaves its fact NULL; nothing is
 * guessed.  The signer and recipients are read in aw_facts_sign.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aw_facts.h"
#include "aw_facts_int.h"
#include "textnorm.h"
#include "xmalloc.h"

#define HEADER_LINES	60
#define SUMMARY_LINES	6
#define SUMMARY_MAX	800

#define CONF_TEXT	80
#define CONF_FILENAME	40
#define CONF_SUBJECT	30

struct doc_type {
	const char *code;	/* as printed, ND30 PL III */
	const char *name;
	const char *heading;	/* folded heading */
};

static const struct doc_type types[] = {
	{"NQ", "Nghị quyết", "nghi quyet"},
	{"NĐ", "Nghị định", "nghi dinh"},
	{"QĐ", "Quyết định", "quyet dinh"},
	{"CT", "Chỉ thị", "chi thi"},
	{"QC", "Quy chế", "quy che"},
	{"QyĐ", "Quy định", "quy dinh"},
	{"QĐi", "Quy định", "quy dinh"},
	{"TC", "Thông cáo", "thong cao"},
	{"TB", "Thông báo", "thong bao"},
	{"HD", "Hướng dẫn", "huong dan"},
	{"CTr", "Chương trình", "chuong trinh"},
	{"KH", "Kế hoạch", "ke hoach"},
	{"PA", "Phương án", "phuong an"},
	{"ĐA", "Đề án", "de an"},
	{"DA", "Dự án", "du an"},
	{"BC", "Báo cáo", "bao cao"},
	{"BB", "Biên bản", "bien ban"},
	{"TTr", "Tờ trình", "to trinh"},
	{"HĐ", "Hợp đồng", "hop dong"},
	{"CĐ", "Công điện", "cong dien"},
	{"BGN", "Bản ghi nhớ", "ban ghi nho"},
	{"BTT", "Bản thỏa thuận", "ban thoa thuan"},
	{"GUQ", "Giấy ủy quyền", "giay uy quyen"},
	{"GM", "Giấy mời", "giay moi"},
	{"GGT", "Giấy giới thiệu", "giay gioi thieu"},
	{"GNP", "Giấy nghỉ phép", "giay nghi phep"},
	{"PG", "Phiếu gửi", "phieu gui"},
	{"PC", "Phiếu chuyển", "phieu chuyen"},
	{"PB", "Phiếu báo", "phieu bao"},
	{"TT", "Thông tư", "thong tu"},
	{"TTLT", "Thông tư liên tịch", "thong tu lien tich"},
	{"CV", "Công văn", "cong van"},
	{"SY", "Bản sao y", NULL},
	{"TrS", "Bản trích sao", NULL},
	{"SL", "Bản sao lục", NULL},
};
#define NTYPES	(sizeof(types) / sizeof(types[0]))

struct mark {
	enum fact_id id;
	const char *fold;
	const char *value;
};

/* Longest first, so that THƯỢNG KHẨN is not read as KHẨN. */
static const struct mark marks[] = {
	{FACT_URGENCY, "hoa toc hen gio", "HỎA TỐC"},
	{FACT_URGENCY, "hoa toc", "HỎA TỐC"},
	{FACT_URGENCY, "thuong khan", "THƯỢNG KHẨN"},
	{FACT_URGENCY, "khan", "KHẨN"},
	{FACT_SECRECY, "tuyet mat", "TUYỆT MẬT"},
	{FACT_SECRECY, "toi mat", "TỐI MẬT"},
	{FACT_SECRECY, "mat", "MẬT"},
	{FACT_CIRCULATION, "luu hanh noi bo", "LƯU HÀNH NỘI BỘ"},
	{FACT_CIRCULATION, "xem xong tra lai", "XEM XONG TRẢ LẠI"},
	{FACT_CIRCULATION, "tai lieu thu hoi", "TÀI LIỆU THU HỒI"},
};
#define NMARKS	(sizeof(marks) / sizeof(marks[0]))

const char *
aw_facts_type_name(const char *code)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (strcmp(types[i].code, code) == 0)
			return types[i].name;
	return NULL;
}

const char *
aw_facts_type_code_by_name(const char *name)
{
	char   *f = text_fold(name), *g;
	const char *code = NULL;

	for (size_t i = 0; code == NULL && i < NTYPES; i++) {
		g = text_fold(types[i].name);
		if (strcmp(f, g) == 0)
			code = types[i].code;
		free(g);
	}
	free(f);
	return code;
}

/* The type of a printed code: exact first (HD and HĐ differ only by the
 * stroke), then ignoring case, then folded. */
static const struct doc_type *
type_by_code(const char *code)
{
	char   *f, *g;

	for (size_t i = 0; i < NTYPES; i++)
		if (strcmp(types[i].code, code) == 0)
			return &types[i];
	for (size_t i = 0; i < NTYPES; i++)
		if (strcasecmp(types[i].code, code) == 0)
			return &types[i];
	f = text_fold(code);
	for (size_t i = 0; i < NTYPES; i++) {
		g = text_fold(types[i].code);
		if (strcmp(f, g) == 0) {
			free(g);
			free(f);
			return &types[i];
		}
		free(g);
	}
	free(f);
	return NULL;
}

const char *
aw_facts_type_code(const char *printed)
{
	const struct doc_type *t = type_by_code(printed);

	return t ? t->code : NULL;
}

static void
set_text(struct doc_facts *df, enum fact_id id, const char *v)
{
	if (v != NULL && *v && df->f[id].value == NULL)
		fact_set(df, id, v, SRC_TEXT, CONF_TEXT);
}

static void
set_own(struct doc_facts *df, enum fact_id id, char *v, enum fact_source src,
	unsigned char conf)
{
	if (v != NULL && *v && df->f[id].value == NULL)
		fact_set(df, id, v, src, conf);
	free(v);
}

/*
 * The reference: "Số: 15/QĐ-BNV", "Số: 30/2020/NĐ-CP", Party "Số 572-CV/TU",
 * with spaces anywhere.  ov holds the folded offsets of RE_REF's groups.
 */
static void
ref_from_match(struct doc_facts *df, const struct fline *l, const size_t *ov,
	       enum fact_source src, unsigned char conf, int *party,
	       int printed)
{
	char   *num, *year = NULL, *sym, *code = NULL, *ref, *t;

	num = fline_orig(l, ov[2], ov[3]);
	if (ov[4] != (size_t) -1)
		year = fline_orig(l, ov[4], ov[5]);
	if (ov[6] != (size_t) -1) {
		t = fline_orig(l, ov[6], ov[7]);
		sym = str_nospace(t);
		free(t);
		code = xstrndup(sym, strcspn(sym, "-"));
		ref = year ? xasprintf("%s/%s/%s", num, year, sym) :
		    xasprintf("%s/%s", num, sym);
		*party = 0;
	} else {
		char   *c = fline_orig(l, ov[8], ov[9]);
		char   *b = fline_orig(l, ov[10], ov[11]);
		char   *bb = str_nospace(b);

		code = xstrdup(c);
		sym = xasprintf("%s/%s", c, bb);
		ref = xasprintf("%s-%s", num, sym);
		free(c);
		free(b);
		free(bb);
		*party = 1;
	}
	if (df->f[FACT_REFERENCE].value == NULL) {
		fact_set(df, FACT_NUMBER, num, src, conf);
		fact_set(df, FACT_SYMBOL, sym, src, conf);
		fact_set(df, FACT_REFERENCE, ref, src, conf);
		if (year)
			fact_set(df, FACT_YEAR, year, src, conf);
		if (printed)
			set_own(df, FACT_REFERENCE_PRINTED,
				fline_orig(l, ov[0], ov[1]), src, conf);
	}
	/* The code names the type unless it is the issuer's (a công văn). */
	if (code && df->f[FACT_TYPE_CODE].value == NULL) {
		const struct doc_type *t2 = type_by_code(code);

		if (t2 != NULL)
			fact_set(df, FACT_TYPE_CODE, t2->code, src, conf);
	}
	free(code);
	free(num);
	free(year);
	free(sym);
	free(ref);
}

/*
 * A document's own number is printed "Số" or "SỐ"; a line that starts
 * "số 12/QĐ-UBND" in small letters is a citation of the body wrapped
 * there ("... thực hiện Quyết định / số 12/QĐ-UBND ngày ...").
 */
static int
is_ref_line(const struct fline *l, size_t *ov, int nov)
{
	return !l->lower_start && fre_match(RE_REF, l->f, l->flen, 0, ov, nov);
}

static void
find_reference(struct doc_facts *df, struct parse_ctx *c)
{
	size_t  ov[12];

	for (size_t i = 0; i < c->header_end; i++) {
		const struct fline *l = &c->L.v[i];

		if (is_ref_line(l, ov, 6)) {
			c->ref_line = i;
			ref_from_match(df, l, ov, SRC_TEXT, CONF_TEXT + 10,
				       &c->party, 1);
			return;
		}
	}
}

int
aw_facts_date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	30, 31};

	if (y < 1945 || y > 2100 || m < 1 || m > 12 || d < 1)
		return 0;
	if (d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 0;
	return 1;
}

static int
num_at(const struct fline *l, const size_t *ov, int g)
{
	if (ov[2 * g] == (size_t) -1)
		return -1;
	return atoi(l->f + ov[2 * g]);
}

/* Whether the printed word w[0..n) is in capitals and not an
 * abbreviation such as "TP.". */
static int
word_upper(const char *w, size_t n)
{
	return n > 1 && memchr(w, '.', n) == NULL && str_upper(w, n);
}

/* Place: what stands before ", ngày", minus what the left column put on
 * the same line (the reference, the issuer, dashes). */
static char *
place_clean(const struct fline *l, size_t fend, ssize_t after)
{
	char   *p, *w, *q;
	size_t  start = after > 0 ? (size_t) after : 0;
	int     words = 0;

	if (start > fend)
		return NULL;
	p = fline_orig(l, start, fend);
	trim_chars(p, "-_*.:;,=~");
	/* Drop leading words in capitals when words in mixed case follow. */
	for (;;) {
		q = strchr(p, ' ');
		if (q == NULL || !word_upper(p, q - p))
			break;
		w = q + 1;
		if (word_upper(w, strcspn(w, " ")) && strchr(w, ' ') == NULL)
			break;
		memmove(p, w, strlen(w) + 1);
	}
	for (q = p; *q; q++) {
		if (*q >= '0' && *q <= '9') {
			free(p);
			return NULL;
		}
		if (*q == ' ')
			words++;
	}
	if (*p == 0 || words > 6) {
		free(p);
		return NULL;
	}
	return p;
}

/*
 * Whether the date of line l, place part [ps, pe) and year ending at ye
 * (folded offsets), is one the text cites: "V/v thực hiện Công văn số
 * 12/BNV-VP, ngày 5 tháng 3 năm 2021", "ngày 5 tháng 3 năm 2021 của Bộ",
 * "các đơn vị thực hiện. Tổng hợp, ngày ...".  A place starts with a
 * capital, holds no reference, and the date ends its phrase.
 */
static int
date_cited(const struct fline *l, size_t ps, size_t pe, size_t ye)
{
	if (pe > ps && (str_lower_start(l->s + l->map[ps],
					l->map[pe] - l->map[ps]) ||
			fre_match(RE_CITATION, l->f, pe, ps, NULL, 0)))
		return 1;
	return str_lower_start(l->s + l->map[ye], l->slen - l->map[ye]);
}

static void
find_date(struct doc_facts *df, struct parse_ctx *c)
{
	size_t  ov[10];

	for (size_t i = 0; i < c->header_end; i++) {
		const struct fline *l = &c->L.v[i];
		ssize_t after = -1;
		size_t  rv[12];
		int     d, m, y;

		/* A bare date has no place group: its groups go one on. */
		if (!fre_match(RE_DATE, l->f, l->flen, 0, ov, 5)) {
			if (!fre_match(RE_DATE_BARE, l->f, l->flen, 0, ov + 2, 4))
				continue;
			ov[0] = ov[2];
			ov[1] = ov[3];
			ov[2] = ov[3] = (size_t) -1;
		}
		if (fre_match(RE_VV, l->f, l->flen, 0, NULL, 0))
			continue;
		d = num_at(l, ov, 2);
		m = num_at(l, ov, 3);
		y = num_at(l, ov, 4);
		if (!aw_facts_date_valid(y, m, d))
			continue;
		if ((ssize_t) i == c->ref_line &&
		    fre_match(RE_REF, l->f, l->flen, 0, rv, 6))
			after = rv[1];
		if (date_cited(l, after > 0 ? (size_t) after : 0,
			       ov[2] != (size_t) -1 ? ov[3] : 0, ov[1]))
			continue;
		c->date_line = i;
		if (df->f[FACT_DATE].value == NULL) {
			char    iso[48];

			snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
			set_text(df, FACT_DATE, iso);
		}
		if (ov[2] != (size_t) -1)
			set_own(df, FACT_PLACE, place_clean(l, ov[3], after),
				SRC_TEXT, CONF_TEXT);
		return;
	}
}

static int
is_motto_or_sep(const struct fline *l)
{
	return fre_match(RE_MOTTO, l->f, l->flen, 0, NULL, 0) ||
	    fre_match(RE_SEPARATOR, l->f, l->flen, 0, NULL, 0);
}

/* What may frame a stamp's words: quotes, brackets, stars. */
#define MARK_FRAME	"\"'()[]*<>"

/* Whether folded f[0..n) is the words of mark k, or its letters spaced
 * out ("M Ậ T", "T Ố I  M Ậ T"). */
static int
mark_is(size_t k, const char *f, size_t n)
{
	const char *w = marks[k].fold;

	if (strlen(w) == n && strncmp(f, w, n) == 0)
		return 1;
	if (n < 3 || f[1] != ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 1 ? f[i] != ' ' : f[i] == ' ')
			return 0;
		while (*w == ' ')
			w++;
		if (i % 2 == 0 && *w++ != f[i])
			return 0;
	}
	return *w == 0;
}

/* The mark that folded f[0..n) is, framed or not, or NULL. */
static const struct mark *
mark_whole(const char *f, size_t n)
{
	while (n > 0 && (*f == ' ' || strchr(MARK_FRAME, *f)))
		f++, n--;
	while (n > 0 && (f[n - 1] == ' ' || strchr(MARK_FRAME, f[n - 1])))
		n--;
	for (size_t k = 0; k < NMARKS; k++)
		if (mark_is(k, f, n))
			return &marks[k];
	return NULL;
}

/*
 * A mark (urgency, secrecy, circulation) printed on its own line, or at
 * the start of a line the extraction joined to other text: a word in
 * lower case ("KHẨN Hà Nội, ngày"), the motto of the other column ("MẬT
 * ĐẢNG CỘNG SẢN VIỆT NAM") or the reference ("MẬT Số: 15/BCA-VP").
 */
static const struct mark *
mark_of(const struct fline *l)
{
	const struct mark *mk;

	if (l->upper && (mk = mark_whole(l->f, l->flen)) != NULL)
		return mk;
	for (size_t k = 0; k < NMARKS; k++) {
		size_t  n = strlen(marks[k].fold);
		const char *rest;
		char   *head;
		int     head_up;

		if (l->flen <= n + 1 || strncmp(l->f, marks[k].fold, n) != 0 ||
		    l->f[n] != ' ')
			continue;
		head = xstrndup(l->s, l->map[n]);
		head_up = word_upper(head, strlen(head)) ||
		    (strchr(head, ' ') != NULL && str_upper(head, strlen(head)));
		free(head);
		if (!head_up)
			continue;
		if (fre_match(RE_MOTTO, l->f + n + 1, l->flen - n - 1, 0, NULL,
			      0) ||
		    fre_match(RE_REF, l->f + n + 1, l->flen - n - 1, 0, NULL, 0))
			return &marks[k];
		rest = l->s + l->map[n] + 1;
		if (!l->upper && !word_upper(rest, strcspn(rest, " ")))
			return &marks[k];
	}
	return NULL;
}

/* A mark printed after the reference: "Số: 15/BCA-VP MẬT". */
static const struct mark *
mark_after_ref(const struct fline *l)
{
	size_t  ov[2];
	size_t  e;

	if (l->lower_start || !fre_match(RE_REF, l->f, l->flen, 0, ov, 1))
		return NULL;
	e = l->map[ov[1]];
	if (e >= l->slen || !str_upper(l->s + e, l->slen - e))
		return NULL;
	return mark_whole(l->f + ov[1], l->flen - ov[1]);
}

static void
find_marks(struct doc_facts *df, const struct parse_ctx *c,
	   enum fact_source src)
{
	for (size_t i = 0; i < c->L.n; i++) {
		const struct mark *mk = mark_of(&c->L.v[i]);

		if (mk == NULL && i < c->header_end)
			mk = mark_after_ref(&c->L.v[i]);
		if (mk == NULL)
			continue;
		/* Urgency and secrecy stand in the header only. */
		if (mk->id != FACT_CIRCULATION && i >= c->header_end)
			continue;
		if (df->f[mk->id].value == NULL)
			fact_set(df, mk->id, mk->value, src, CONF_TEXT);
	}
}

static void
find_heading(struct doc_facts *df, struct parse_ctx *c)
{
	for (size_t i = 0; i < c->header_end; i++) {
		const struct fline *l = &c->L.v[i];
		const struct doc_type *t = NULL;

		if (!l->upper)
			continue;
		for (size_t k = 0; k < NTYPES; k++)
			if (types[k].heading &&
			    strcmp(l->f, types[k].heading) == 0) {
				t = &types[k];
				break;
			}
		if (t == NULL)
			continue;
		c->head_line = i;
		/* Quy định: QĐi for the Party, QyĐ for the State. */
		if (strcmp(t->heading, "quy dinh") == 0)
			t = type_by_code(c->party ? "QĐi" : "QyĐ");
		set_text(df, FACT_TYPE_NAME, t->name);
		if (df->f[FACT_TYPE_CODE].value == NULL ||
		    strcmp(aw_facts_type_name(df->f[FACT_TYPE_CODE].value),
			   t->name) != 0)
			fact_set(df, FACT_TYPE_CODE, t->code, SRC_TEXT,
				 CONF_TEXT);
		return;
	}
}

/* Words that cannot end a summary line: the next line goes on. */
static int
ends_open(const struct fline *l)
{
	static const char *const open[] = {"tinh", "huyen", "xa", "thanh pho",
	"cua", "va", "cho", "tai", "tren", "ve", "nam", "dia ban", "cac",
	"nhung", "voi", "den", "tu", "thi", "quan", "phuong", NULL};
	const char *sp = strrchr(l->f, ' ');
	const char *last = sp ? sp + 1 : l->f;

	for (int k = 0; open[k]; k++)
		if (strcmp(last, open[k]) == 0)
			return 1;
	return l->s[l->slen - 1] == ',' || l->s[l->slen - 1] == '-';
}

/*
 * Whether line l continues the summary.  Under "V/v" in the left column
 * whatever is not the next element of the header goes on (names of
 * bodies start with capitals); under a type heading only a line that
 * starts in lower case, or follows a line that cannot end a phrase, does:
 * the body follows there.
 */
static int
summary_goes_on(const struct fline *prev, const struct fline *l, int vv)
{
	if (l->upper || is_motto_or_sep(l) || mark_of(l))
		return 0;
	if (fre_match(RE_DATE, l->f, l->flen, 0, NULL, 0) ||
	    fre_match(RE_DATE_BARE, l->f, l->flen, 0, NULL, 0) ||
	    is_ref_line(l, NULL, 0) ||
	    fre_match(RE_BODY_START, l->f, l->flen, 0, NULL, 0) ||
	    fre_match(RE_RECIPIENTS, l->f, l->flen, 0, NULL, 0))
		return 0;
	if (vv)
		return prev->s[prev->slen - 1] != '.' && l->slen < 90;
	return l->lower_start || ends_open(prev);
}

static void
summary_from(struct doc_facts *df, const struct parse_ctx *c, size_t i,
	     size_t skip, int vv)
{
	char   *sum = fline_orig(&c->L.v[i], skip, c->L.v[i].flen);
	size_t  n = 1;

	for (size_t j = i + 1; j < c->L.n && n < SUMMARY_LINES; j++, n++) {
		char   *t;

		if (!summary_goes_on(&c->L.v[j - 1], &c->L.v[j], vv) ||
		    strlen(sum) + c->L.v[j].slen > SUMMARY_MAX)
			break;
		t = xasprintf("%s %s", sum, c->L.v[j].s);
		free(sum);
		sum = t;
	}
	trim_chars(sum, "");
	set_own(df, FACT_SUMMARY, sum, SRC_TEXT, CONF_TEXT);
}

static void
find_summary(struct doc_facts *df, const struct parse_ctx *c)
{
	size_t  ov[2];

	if (c->head_line >= 0 && (size_t) c->head_line + 1 < c->L.n) {
		const struct fline *l = &c->L.v[c->head_line + 1];

		char    last = l->s[l->slen - 1];

		/* "Thực hiện ..." may open a summary; a body line is long or
		 * ends a clause. */
		if (!l->upper && !is_motto_or_sep(l) &&
		    (!fre_match(RE_BODY_START, l->f, l->flen, 0, NULL, 0) ||
		     (l->slen < 80 && !strchr(";:,.", last)))) {
			summary_from(df, c, c->head_line + 1, 0, 0);
			return;
		}
	}
	for (size_t i = 0; i < c->header_end; i++) {
		const struct fline *l = &c->L.v[i];

		if (!fre_match(RE_VV, l->f, l->flen, 0, ov, 1) ||
		    ov[1] >= l->flen)
			continue;
		summary_from(df, c, i, ov[1], 1);
		/*
		 * V/v under the number and no type heading is a công văn: the
		 * first group of a state symbol is then the issuer's, even one
		 * that looks like a type code ("1234/CT-TTHT", Cục Thuế).
		 */
		if (c->head_line < 0 && !c->party &&
		    df->f[FACT_TYPE_CODE].source == SRC_TEXT)
			fact_set(df, FACT_TYPE_CODE, NULL, SRC_NONE, 0);
		if (df->f[FACT_TYPE_CODE].value == NULL)
			set_text(df, FACT_TYPE_NAME, "Công văn");
		return;
	}
}

/* The issuing body: the lines in capitals above the reference, without
 * the motto, rules and marks, joined by a space. */
static void
find_issuer(struct doc_facts *df, const struct parse_ctx *c)
{
	size_t  end = c->ref_line >= 0 ? (size_t) c->ref_line : c->header_end;
	char   *iss = NULL, *t;

	if (end > 8)
		end = 8;
	for (size_t i = 0; i < end; i++) {
		const struct fline *l = &c->L.v[i];

		if (is_motto_or_sep(l) || mark_of(l))
			continue;
		if (!l->upper) {
			if (iss != NULL || c->ref_line < 0)
				break;
			continue;
		}
		if (iss == NULL) {
			iss = xstrdup(l->s);
		} else {
			t = xasprintf("%s %s", iss, l->s);
			free(iss);
			iss = t;
		}
	}
	if (iss)
		trim_chars(iss, "*-_");
	set_own(df, FACT_ISSUER, iss, SRC_TEXT, CONF_TEXT);
}

void
aw_facts_text(struct doc_facts *df, const char *text, size_t len)
{
	struct parse_ctx c;

	memset(&c, 0, sizeof(c));
	c.ref_line = c.date_line = c.head_line = -1;
	flines_split(&c.L, text, len);
	c.header_end = c.L.n < HEADER_LINES ? c.L.n : HEADER_LINES;
	for (size_t i = 0; i < c.header_end; i++) {
		const struct fline *l = &c.L.v[i];

		if (i > 2 && (fre_match(RE_BODY_START, l->f, l->flen, 0, NULL, 0)
		    || fre_match(RE_RECIPIENTS, l->f, l->flen, 0, NULL, 0))) {
			c.header_end = i;
			break;
		}
	}
	find_reference(df, &c);
	find_date(df, &c);
	find_heading(df, &c);
	find_summary(df, &c);
	find_marks(df, &c, SRC_TEXT);
	find_issuer(df, &c);
	if (df->f[FACT_TYPE_NAME].value == NULL &&
	    df->f[FACT_TYPE_CODE].value != NULL)
		set_text(df, FACT_TYPE_NAME,
			 aw_facts_type_name(df->f[FACT_TYPE_CODE].value));
	facts_signer(df, &c);
	facts_recipients(df, &c);
	flines_free(&c.L);
}

/*
 * Page headers and footers repeat on every page and hold the agency's
 * name, page numbers and running titles: only the marks are read there,
 * by the same rules as in the body, on any line.
 */
void
aw_facts_marks(struct doc_facts *df, const char *text, size_t len,
	       enum fact_source src)
{
	struct parse_ctx c;

	memset(&c, 0, sizeof(c));
	flines_split(&c.L, text, len);
	c.header_end = c.L.n;
	find_marks(df, &c, src);
	flines_free(&c.L);
}

/* "Công văn số 145-CV/TU V/v ...", "Quyết định số 15/QĐ-BNV về việc ..." */
void
aw_facts_subject(struct doc_facts *df, const char *subject,
		 enum fact_source src)
{
	struct fline l;
	size_t  ov[12];
	int     party = 0;
	unsigned char conf = src == SRC_SUBJECT ? CONF_SUBJECT : CONF_FILENAME;

	if (subject == NULL || *subject == 0)
		return;
	memset(&l, 0, sizeof(l));
	l.s = text_nfc(subject, strnlen(subject, AW_FACTS_MAX_LINE));
	l.slen = strlen(l.s);
	l.f = fold_map(l.s, l.slen, &l.map, &l.flen);
	if (fre_match(RE_SUBJ_REF, l.f, l.flen, 0, ov, 6))
		ref_from_match(df, &l, ov, src, conf, &party, 0);
	for (size_t i = 0; i + 3 < l.flen; i++) {
		size_t  k;
		char   *s;

		/* "V/v" standing as a word */
		if ((i > 0 && l.f[i - 1] != ' ') || strncmp(l.f + i, "v/v", 3))
			continue;
		k = i + 3;
		while (k < l.flen && (l.f[k] == ' ' || l.f[k] == ':'))
			k++;
		if (k == l.flen || k == i + 3)
			break;
		s = fline_orig(&l, k, l.flen);
		trim_chars(s, "");
		set_own(df, FACT_SUMMARY, s, src, conf);
		if (df->f[FACT_TYPE_CODE].value == NULL &&
		    df->f[FACT_TYPE_NAME].value == NULL)
			fact_set(df, FACT_TYPE_NAME, "Công văn", src, conf);
		break;
	}
	if (df->f[FACT_TYPE_NAME].value == NULL &&
	    df->f[FACT_TYPE_CODE].value != NULL)
		fact_set(df, FACT_TYPE_NAME,
			 aw_facts_type_name(df->f[FACT_TYPE_CODE].value), src,
			 conf);
	free(l.s);
	free(l.f);
	free(l.map);
}

/* A file name gives at most a reference: "15_QĐ-BNV.pdf". */
static void
facts_filename(struct doc_facts *df, const char *name)
{
	struct fline l;
	size_t  ov[8], cov[12];
	int     party = 0;

	if (name == NULL || df->f[FACT_REFERENCE].value != NULL)
		return;
	memset(&l, 0, sizeof(l));
	l.s = text_nfc(name, strnlen(name, 255));
	l.slen = strlen(l.s);
	l.f = fold_map(l.s, l.slen, &l.map, &l.flen);
	if (fre_match(RE_FILE_REF, l.f, l.flen, 0, ov, 4)) {
		/* Same groups as RE_REF's state form. */
		for (int i = 0; i < 12; i++)
			cov[i] = (size_t) -1;
		cov[0] = ov[0], cov[1] = ov[1];
		cov[2] = ov[2], cov[3] = ov[3];
		cov[4] = ov[4], cov[5] = ov[5];
		cov[6] = ov[6], cov[7] = ov[7];
		ref_from_match(df, &l, cov, SRC_FILENAME, CONF_FILENAME,
			       &party, 0);
	}
	free(l.s);
	free(l.f);
	free(l.map);
}

void
aw_facts_read(struct document *d, const char *subject)
{
	int     any = 0;

	if (d->text != NULL)
		aw_facts_text(&d->facts, d->text, strlen(d->text));
	if (d->page_headers != NULL)
		aw_facts_marks(&d->facts, d->page_headers,
			       strlen(d->page_headers), SRC_PAGE_HEADER);
	if (d->page_footers != NULL)
		aw_facts_marks(&d->facts, d->page_footers,
			       strlen(d->page_footers), SRC_PAGE_FOOTER);
	facts_filename(&d->facts, d->name);
	for (int i = 0; i < FACT__COUNT; i++)
		if (d->facts.f[i].value != NULL)
			any = 1;
	/* The subject only when the document gave nothing. */
	if (!any)
		aw_facts_subject(&d->facts, subject, SRC_SUBJECT);
}
