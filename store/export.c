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
csv_write(FILE *out, const struct reg_list *l, int outgoing)
{
	const char *const *h = outgoing ? cols_out : cols_in;

	fputs("\xEF\xBB\xBF", out);
	for (int i = 0; i < NCOLS; i++) {
		if (i)
			fputc(',', out);
		csv_field(out, h[i]);
	}
	fputs("\r\n", out);
	for (size_t r = 0; r < l->n; r++) {
		char   *c[NCOLS];

		row_cells(&l->v[r], outgoing, c);
		for (int i = 0; i < NCOLS; i++) {
			if (i)
				fputc(',', out);
			csv_field(out, c[i]);
		}
		fputs("\r\n", out);
		cells_free(c);
	}
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

static void
html_write(FILE *out, const struct reg_list *l, int outgoing,
	   const char *book_name, int year)
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
	fprintf(out, " - Năm %d</h1>\n<table>\n<thead>\n<tr>", year);
	for (int i = 0; i < NCOLS; i++) {
		fputs("<th>", out);
		html_text(out, h[i]);
		fputs("</th>", out);
	}
	fputs("</tr>\n</thead>\n<tbody>\n", out);
	for (size_t r = 0; r < l->n; r++) {
		char   *c[NCOLS];

		row_cells(&l->v[r], outgoing, c);
		fputs("<tr>", out);
		for (int i = 0; i < NCOLS; i++) {
			fputs("<td>", out);
			html_text(out, c[i]);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
		cells_free(c);
	}
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

static int
xlsx_write(const char *path, const struct reg_list *l, int outgoing,
	   const char *book_name, int year, char *err, size_t errlen)
{
	const char *const *h = outgoing ? cols_out : cols_in;
	static const double widths[NCOLS] = {11, 8, 24, 16, 11, 44, 22, 11, 9, 18};
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *cell;
	lxw_error e = LXW_NO_ERROR;
	char	sheet[32];

	wb = workbook_new(path);
	if (wb == NULL) {
		store_err(err, errlen, "%s: cannot create the workbook", path);
		return -1;
	}
	snprintf(sheet, sizeof(sheet), "%d", year);
	ws = workbook_add_worksheet(wb, sheet);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	cell = workbook_add_format(wb);
	format_set_border(cell, LXW_BORDER_THIN);
	format_set_text_wrap(cell);
	format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);	/* A4 */
	worksheet_repeat_rows(ws, 0, 0);
	/* The sheet's name is the year; the book's name titles the print. */
	{
		char   *title = xasprintf("&C%s - %d", book_name, year);

		for (char *p = title + 2; *p; p++)
			if (*p == '&')
				*p = '+';
		worksheet_set_header(ws, title);
		free(title);
	}
	for (int i = 0; i < NCOLS; i++) {
		worksheet_set_column(ws, i, i, widths[i], NULL);
		worksheet_write_string(ws, 0, i, h[i], head);
	}
	for (size_t r = 0; r < l->n; r++) {
		char   *c[NCOLS];

		row_cells(&l->v[r], outgoing, c);
		for (int i = 0; i < NCOLS && e == LXW_NO_ERROR; i++) {
			if (!outgoing && i == 1)
				e = worksheet_write_number(ws, r + 1, i,
				    (double) l->v[r].number, cell);
			else
				e = xlsx_string(ws, r + 1, i, c[i], cell);
		}
		cells_free(c);
		if (e != LXW_NO_ERROR) {
			/* A register with a row missing is no register. */
			store_err(err, errlen, "%s: %s: %s", path, l->v[r].id,
				  lxw_strerror(e));
			workbook_close(wb);
			unlink(path);
			return -1;
		}
	}
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		store_err(err, errlen, "%s: %s", path, lxw_strerror(e));
		return -1;
	}
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

int
store_export(struct store *st, const char *book, int year,
	     const char *format, FILE *out, const char *out_path, char *err,
	     size_t errlen)
{
	struct reg_filter f = { .book = book, .year = year };
	struct reg_list l;
	struct book_list bl;
	const char *name = NULL;
	int	outgoing = -1, rc = -1, write_errno = 0;
	char   *book_name = NULL;

	if (strcmp(format, "csv") != 0 && strcmp(format, "html") != 0 &&
	    strcmp(format, "xlsx") != 0) {
		store_err(err, errlen, "unknown export format '%s': use csv, "
			  "html or xlsx", format);
		return -1;
	}
	if (store_books(st, &bl, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < bl.n; i++)
		if (strcmp(bl.v[i].code, book) == 0) {
			outgoing = strcmp(bl.v[i].direction, "out") == 0;
			book_name = xstrdup(bl.v[i].name);
		}
	book_list_clear(&bl);
	if (outgoing < 0) {
		store_err(err, errlen, "no such book: %s", book);
		return -1;
	}
	name = book_name;
	if (store_list(st, &f, &l, err, errlen) != 0) {
		free(book_name);
		return -1;
	}
	for (size_t i = 0; !outgoing && i < l.n; i++) {
		if (l.v[i].number != (int64_t) i + 1) {
			store_err(err, errlen, "register %s/%d is not complete: "
				  "number %zu is missing", book, year, i + 1);
			goto done;
		}
	}
	if (strcmp(format, "csv") == 0)
		csv_write(out, &l, outgoing);
	else if (strcmp(format, "html") == 0)
		html_write(out, &l, outgoing, name, year);
	else if (out_path != NULL) {
		if (xlsx_write(out_path, &l, outgoing, name, year, err,
			       errlen) != 0)
			goto done;
	} else {
		const char *dir = getenv("TMPDIR");
		char	tmp[PATH_MAX];
		int	fd;

		snprintf(tmp, sizeof(tmp), "%s/vanthu-export.XXXXXX",
			 dir != NULL && dir[0] == '/' ? dir : "/tmp");
		fd = mkstemp(tmp);

		if (fd < 0) {
			store_err(err, errlen, "temporary file: %s",
				  strerror(errno));
			goto done;
		}
		close(fd);
		if (xlsx_write(tmp, &l, outgoing, name, year, err, errlen) != 0) {
			unlink(tmp);
			goto done;
		}
		if (copy_out(tmp, out, err, errlen) != 0) {
			write_errno = errno;
			unlink(tmp);
			goto done;
		}
		unlink(tmp);
	}
	if (fflush(out) != 0 || ferror(out)) {
		write_errno = errno;
		store_err(err, errlen, "writing the export: %s",
			  strerror(write_errno));
		goto done;
	}
	rc = 0;
done:
	reg_list_clear(&l);
	free(book_name);
	if (write_errno != 0)
		errno = write_errno;
	return rc;
}
