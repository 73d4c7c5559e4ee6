/*
 * export.c - the register of one book and year as CSV, HTML or XLSX.
 *
 * Columns follow ND30 appendix IV exactly (DOMAIN.md section 4), one row
 * per registration in number order, cancelled entries included (they keep
 * their number; the note says so).  An incoming book is checked before it
 * is written: its numbers must run 1, 2, 3... without a gap, because the
 * printed register is bound and must be complete; a gap is an error, not
 * a silent hole.
 *
 * CSV is RFC 4180 with CRLF and a UTF-8 byte order mark (so spreadsheet
 * programs read Vietnamese correctly); HTML is one printable page set for
 * A4 landscape with the header row repeated on every page; XLSX is written
 * by libxlsxwriter, also A4 landscape with the header row repeated.
 * Dates print as dd/mm/yyyy, the Vietnamese convention.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>
#include <xlsxwriter.h>

#include "store_impl.h"
#include "xmalloc.h"

#define NCOLS	10

static const char *const cols_in[NCOLS] = {
	"Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng văn bản",
	"Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận",
	"Ngày chuyển", "Ký nhận", "Ghi chú",
};

static const char *const cols_out[NCOLS] = {
	"Số, ký hiệu", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
	"Người ký", "Nơi nhận", "Đơn vị, người nhận bản lưu", "Số lượng bản",
	"Ngày chuyển", "Ký nhận", "Ghi chú",
};

/* dd/mm/yyyy from an ISO date, or "" */
static char *
vn_date(const char *iso)
{
	if (iso == NULL || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
		return xstrdup(iso != NULL ? iso : "");
	return xasprintf("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static char *
vn_time_date(int64_t t)
{
	char	d[11];

	if (t == 0)
		return xstrdup("");
	store_local_date((time_t) t, d);
	return vn_date(d);
}

static char *
join2(const char *a, const char *sep, const char *b)
{
	if (a == NULL || a[0] == 0)
		return xstrdup(b != NULL ? b : "");
	if (b == NULL || b[0] == 0)
		return xstrdup(a);
	return xasprintf("%s%s%s", a, sep, b);
}

/* Lines of a list become "a; b; c". */
static char *
one_line(const char *s)
{
	size_t	o = 0;
	char   *r;

	if (s == NULL)
		return xstrdup("");
	r = xmalloc(strlen(s) * 2 + 1);
	for (; *s; s++) {
		if (*s == '\n') {
			r[o++] = ';';
			r[o++] = ' ';
		} else
			r[o++] = *s;
	}
	r[o] = 0;
	return r;
}

static char *
note(const struct reg_entry *e)
{
	char   *a = NULL, *b, *r;

	if (strcmp(e->status, "cancelled") == 0)
		a = xasprintf("Đã hủy: %s", e->cancel_reason ? e->cancel_reason : "");
	b = e->arrivals > 1 ? xasprintf("Nhận %" PRId64 " lần", e->arrivals) : NULL;
	r = join2(a, "; ", b);
	free(a);
	free(b);
	a = r;
	r = join2(a, "; ", e->flags);
	free(a);
	a = r;
	r = join2(a, "; ", e->notes);
	free(a);
	return r;
}

/* The ten cells of one row, allocated. */
static void
row_cells(const struct reg_entry *e, int outgoing, char *c[NCOLS])
{
	char   *ts = join2(e->type_name, ": ", e->summary);

	if (!outgoing) {
		char   *coop = e->coop != NULL && e->coop[0] ?
		    xasprintf("phối hợp: %s", e->coop) : NULL;

		c[0] = vn_time_date(e->registered_at);
		c[1] = xasprintf("%" PRId64, e->number);
		c[2] = xstrdup(e->issuer ? e->issuer : "");
		c[3] = xstrdup(e->reference ? e->reference : "");
		c[4] = vn_date(e->date);
		c[5] = ts;
		c[6] = join2(e->lead, "; ", coop);
		c[7] = vn_time_date(e->assigned_at);
		c[8] = xstrdup("");
		c[9] = note(e);
		free(coop);
	} else {
		c[0] = xstrdup(e->reference ? e->reference : "");
		c[1] = vn_date(e->date);
		c[2] = ts;
		c[3] = xstrdup(e->signer ? e->signer : "");
		c[4] = one_line(e->recipients);
		c[5] = join2(e->lead, "; ", e->coop);
		c[6] = xstrdup("");
		c[7] = vn_time_date(e->registered_at);
		c[8] = xstrdup("");
		c[9] = note(e);
	}
}

static void
cells_free(char *c[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		free(c[i]);
}

/*
 * One cell.  A cell a spreadsheet would take for a formula (it begins
 * with = + - @, a tab or a carriage return) is written after an
 * apostrophe, which keeps it text: summaries, issuers and signers come
 * from documents that anyone can send, and the CSV is meant for Excel.
 */
static void
csv_field(FILE *out, const char *s)
{
	int     formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
csv_row(FILE *out, const char *const c[NCOLS])
{
	for (int i = 0; i < NCOLS; i++) {
		if (i)
			fputc(',', out);
		csv_field(out, c[i]);
	}
	fputs("\r\n", out);
}

static void
html_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\n': fputs("<br>", out); break;
		default: fputc(*s, out);
		}
	}
}

/* One row of cells, th or td. */
static void
html_row(FILE *out, const char *tag, const char *const c[NCOLS])
{
	fputs("<tr>", out);
	for (int i = 0; i < NCOLS; i++) {
		fprintf(out, "<%s>", tag);
		html_text(out, c[i]);
		fprintf(out, "</%s>", tag);
	}
	fputs("</tr>\n", out);
}

static void
html_begin(FILE *out, int outgoing, const char *book_name, int year)
{
	const char *const *h = outgoing ? cols_out : cols_in;

	fputs("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>", out);
	html_text(out, book_name);
	fprintf(out, " %d</title>\n<style>\n"
	      "@page { size: A4 landscape; margin: 12mm; }\n"
	      "body { font-family: 'Times New Roman', serif; font-size: 11pt; }\n"
	      "h1 { text-align: center; font-size: 14pt; }\n"
	      "table { width: 100%%; border-collapse: collapse; }\n"
	      "thead { display: table-header-group; }\n"
	      "tr { page-break-inside: avoid; }\n"
	      "th, td { border: 1px solid #000; padding: 2pt 3pt;"
	      " vertical-align: top; }\n"
	      "th { font-weight: bold; text-align: center; }\n"
	      "</style>\n</head>\n<body>\n<h1>", year);
	html_text(out, book_name);
	fprintf(out, " - Năm %d</h1>\n<table>\n<thead>\n", year);
	html_row(out, "th", h);
	fputs("</thead>\n<tbody>\n", out);
}

static void
html_end(FILE *out)
{
	fputs("</tbody>\n</table>\n</body>\n</html>\n", out);
}

/*
 * Excel refuses a cell of more than 32,767 characters (UTF-16 units)
 * and the whole file when its XML holds a character XML 1.0 forbids;
 * libxlsxwriter drops the first and writes the second.  It also leaves
 * "_x0041_" as it is, which Excel reads as the escape of "A".
 */
#define XLSX_CELL_MAX	32767

/* "_x" four hex digits "_": what Excel reads as an escaped character. */
static int
xlsx_escape_like(const unsigned char *p)
{
	return p[0] == '_' && p[1] == 'x' && isxdigit(p[2]) && isxdigit(p[3]) &&
	    isxdigit(p[4]) && isxdigit(p[5]) && p[6] == '_';
}

/* A cell's text as Excel will take it and show it, allocated: bad
 * UTF-8, surrogates, U+FFFE and U+FFFF become U+FFFD, the '_' of an
 * escape-like run is itself escaped, and text past the limit is cut and
 * ends with an ellipsis. */
static char *
xlsx_text(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	char   *out = xmalloc(strlen(s) * 7 + 4);
	size_t	o = 0, units = 0, cut = SIZE_MAX;

	while (*p) {
		const char *put = (const char *) p;
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t l = utf8proc_iterate(p, -1, &cp);
		size_t	n, u;

		/* utf8proc refuses bad sequences and surrogates; XML 1.0
		 * refuses U+FFFE and U+FFFF too. */
		if (l <= 0 || cp == 0xfffe || cp == 0xffff) {
			put = "\xEF\xBF\xBD";
			n = 3;
			u = 1;
			l = l > 0 ? l : 1;
		} else if (xlsx_escape_like(p)) {
			put = "_x005F_";
			n = u = 7;
		} else {
			n = (size_t) l;
			u = cp >= 0x10000 ? 2 : 1;
		}
		if (cut == SIZE_MAX && units + u > XLSX_CELL_MAX - 1)
			cut = o;
		memcpy(out + o, put, n);
		o += n;
		units += u;
		p += l;
	}
	if (units > XLSX_CELL_MAX) {
		o = cut;
		memcpy(out + o, "\xE2\x80\xA6", 3);	/* U+2026 */
		o += 3;
	}
	out[o] = 0;
	return out;
}

static lxw_error
xlsx_string(lxw_worksheet *ws, size_t row, int col, const char *s,
	    lxw_format *f)
{
	char   *t = xlsx_text(s);
	lxw_error e = worksheet_write_string(ws, (lxw_row_t) row,
					     (lxw_col_t) col, t, f);

	free(t);
	return e;
}

/* Where temporary files go: TMPDIR when it is an absolute path. */
static const char *
tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && dir[0] == '/' ? dir : "/tmp";
}

/* What the walk over a register carries from row to row. */
enum export_format { EXPORT_CSV, EXPORT_HTML, EXPORT_XLSX };

struct export {
	enum export_format format;
	int	outgoing;
	FILE   *out;		/* csv and html */
	lxw_workbook *wb;	/* xlsx */
	lxw_worksheet *ws;
	lxw_format *cell;
	const char *path;	/* the file written, for messages */
	const char *book;
	int	year;
	size_t	row;		/* rows written, the header not counted */
	char   *err;
	size_t	errlen;
};

/*
 * A workbook written row by row: libxlsxwriter's constant_memory mode
 * sends each row to a temporary file as the next begins (inline strings,
 * no shared string table), so a register of a million rows costs no
 * more memory than one of ten.
 */
static int
xlsx_begin(struct export *x, const char *book_name)
{
	const char *const *h = x->outgoing ? cols_out : cols_in;
	static const double widths[NCOLS] = {11, 8, 24, 16, 11, 44, 22, 11, 9, 18};
	lxw_workbook_options opt = {
		.constant_memory = LXW_TRUE,
		.tmpdir = (char *) tmp_dir(),
	};
	lxw_format *head;
	char	sheet[32], *title;

	x->wb = workbook_new_opt(x->path, &opt);
	if (x->wb == NULL) {
		store_err(x->err, x->errlen, "%s: cannot create the workbook",
			  x->path);
		return -1;
	}
	snprintf(sheet, sizeof(sheet), "%d", x->year);
	x->ws = workbook_add_worksheet(x->wb, sheet);
	head = workbook_add_format(x->wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	x->cell = workbook_add_format(x->wb);
	format_set_border(x->cell, LXW_BORDER_THIN);
	format_set_text_wrap(x->cell);
	format_set_align(x->cell, LXW_ALIGN_VERTICAL_TOP);
	worksheet_set_landscape(x->ws);
	worksheet_set_paper(x->ws, 9);	/* A4 */
	worksheet_repeat_rows(x->ws, 0, 0);
	/* The sheet's name is the year; the book's name titles the print. */
	title = xasprintf("&C%s - %d", book_name, x->year);
	for (char *p = title + 2; *p; p++)
		if (*p == '&')
			*p = '+';
	worksheet_set_header(x->ws, title);
	free(title);
	for (int i = 0; i < NCOLS; i++) {
		worksheet_set_column(x->ws, i, i, widths[i], NULL);
		worksheet_write_string(x->ws, 0, i, h[i], head);
	}
	return 0;
}

static lxw_error
xlsx_row(struct export *x, const struct reg_entry *e, char *const c[NCOLS])
{
	lxw_error err = LXW_NO_ERROR;

	for (int i = 0; i < NCOLS && err == LXW_NO_ERROR; i++) {
		if (!x->outgoing && i == 1)
			err = worksheet_write_number(x->ws, x->row + 1, i,
			    (double) e->number, x->cell);
		else
			err = xlsx_string(x->ws, x->row + 1, i, c[i], x->cell);
	}
	return err;
}

/* store_each's walker: one registration, one row. */
static int
export_row(const struct reg_entry *e, void *arg)
{
	struct export *x = arg;
	char   *c[NCOLS];
	lxw_error xe = LXW_NO_ERROR;

	/* An incoming book is numbered 1, 2, 3... and bound when printed:
	 * a hole is an error, not a silent gap in the register. */
	if (!x->outgoing && e->number != (int64_t) x->row + 1) {
		store_err(x->err, x->errlen, "register %s/%d is not complete: "
			  "number %zu is missing", x->book, x->year, x->row + 1);
		return 1;
	}
	row_cells(e, x->outgoing, c);
	if (x->format == EXPORT_XLSX)
		xe = xlsx_row(x, e, c);
	else if (x->format == EXPORT_CSV)
		csv_row(x->out, (const char *const *) c);
	else
		html_row(x->out, "td", (const char *const *) c);
	cells_free(c);
	if (xe != LXW_NO_ERROR) {
		/* A register with a row missing is no register. */
		store_err(x->err, x->errlen, "%s: %s: %s", x->path, e->id,
			  lxw_strerror(xe));
		return 1;
	}
	x->row++;
	return 0;
}

/* Copy a finished file to out. */
static int
copy_out(const char *path, FILE *out, char *err, size_t errlen)
{
	FILE   *in = fopen(path, "rb");
	char	buf[8192];
	size_t	n;

	if (in == NULL) {
		store_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (ferror(in)) {
		int	e = errno;

		fclose(in);
		store_err(err, errlen, "%s: %s", path, strerror(e));
		return -1;
	}
	if (ferror(out)) {
		int	e = errno;

		fclose(in);
		store_err(err, errlen, "writing the export: %s", strerror(e));
		errno = e;
		return -1;
	}
	fclose(in);
	return 0;
}

/* The whole register into f, the file at path; 0, or -1 with x->err. */
static int
export_file(struct store *st, struct export *x, FILE *f, const char *path,
	    const char *book_name)
{
	struct reg_filter flt = { .book = x->book, .year = x->year };
	const char *const *h = x->outgoing ? cols_out : cols_in;
	int	rc;

	x->out = f;
	x->path = path;
	x->row = 0;
	switch (x->format) {
	case EXPORT_XLSX:
		if (xlsx_begin(x, book_name) != 0)
			return -1;
		break;
	case EXPORT_CSV:
		fputs("\xEF\xBB\xBF", f);	/* spreadsheets then read UTF-8 */
		csv_row(f, h);
		break;
	case EXPORT_HTML:
		html_begin(f, x->outgoing, book_name, x->year);
		break;
	}
	rc = store_each(st, &flt, export_row, x, x->err, x->errlen);
	if (x->format == EXPORT_XLSX) {
		/* Closed even after a failure, which frees it; the caller
		 * removes the file. */
		lxw_error e = workbook_close(x->wb);

		x->wb = NULL;
		if (rc == 0 && e != LXW_NO_ERROR) {
			store_err(x->err, x->errlen, "%s: %s", path,
				  lxw_strerror(e));
			rc = -1;
		}
		return rc == 0 ? 0 : -1;
	}
	if (rc == 0 && x->format == EXPORT_HTML)
		html_end(f);
	if (rc == 0 && (fflush(f) != 0 || ferror(f))) {
		store_err(x->err, x->errlen, "writing the export: %s",
			  strerror(errno));
		rc = -1;
	}
	return rc == 0 ? 0 : -1;
}

int
store_export(struct store *st, const char *book, int year,
	     const char *format, FILE *out, const char *scratch, char *err,
	     size_t errlen)
{
	struct export x = {
		.book = book, .year = year, .outgoing = -1, .err = err,
		.errlen = errlen,
	};
	struct book_list bl;
	char	tmp[PATH_MAX], *book_name = NULL;
	FILE   *f;
	int	fd, rc;

	if (strcmp(format, "csv") == 0)
		x.format = EXPORT_CSV;
	else if (strcmp(format, "html") == 0)
		x.format = EXPORT_HTML;
	else if (strcmp(format, "xlsx") == 0)
		x.format = EXPORT_XLSX;
	else {
		store_err(err, errlen, "unknown export format '%s': use csv, "
			  "html or xlsx", format);
		return -1;
	}
	if (store_books(st, &bl, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < bl.n; i++)
		if (strcmp(bl.v[i].code, book) == 0) {
			x.outgoing = strcmp(bl.v[i].direction, "out") == 0;
			book_name = xstrdup(bl.v[i].name);
		}
	book_list_clear(&bl);
	if (x.outgoing < 0) {
		store_err(err, errlen, "no such book: %s", book);
		return -1;
	}
	if (scratch != NULL) {
		rc = export_file(st, &x, out, scratch, book_name);
		free(book_name);
		return rc;
	}

	/* out gets a whole register or nothing: the export is written to a
	 * temporary file first, and copied once complete. */
	snprintf(tmp, sizeof(tmp), "%s/vanthu-export.XXXXXX", tmp_dir());
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w+")) == NULL) {
		store_err(err, errlen, "temporary file: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(book_name);
		return -1;
	}
	rc = export_file(st, &x, f, tmp, book_name);
	free(book_name);
	fclose(f);
	if (rc == 0)
		rc = copy_out(tmp, out, err, errlen);
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		store_err(err, errlen, "writing the export: %s",
			  strerror(errno));
		rc = -1;
	}
	/* The caller looks at errno when writing to out failed. */
	fd = errno;
	unlink(tmp);
	errno = fd;
	return rc;
}
