/*
 * regid.c - registration ids, calendar dates and spool paths.
 *
 * An id names one registration: "book/year/number" for numbered books
 * ("den/2026/123") and "book/year/number/symbol" for outgoing books,
 * where the number and symbol are the document's own ("di/2026/15/QĐ-BNV";
 * the symbol may itself hold slashes).  Parsing is strict: a book code of
 * [a-z0-9_-], a four-digit year, a decimal number without sign or excess,
 * and a symbol without control characters.  Bad input returns -1.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_impl.h"
#include "xmalloc.h"

void
store_id_format(char *buf, size_t len, const char *book, int year,
		int64_t number, const char *symbol)
{
	if (symbol != NULL && symbol[0] != 0)
		snprintf(buf, len, "%s/%d/%" PRId64 "/%s", book, year, number,
			 symbol);
	else
		snprintf(buf, len, "%s/%d/%" PRId64, book, year, number);
}

int
store_id_parse(const char *id, char book[32], int *year, int64_t *number,
	       char *symbol, size_t symlen)
{
	const char *p = id, *slash;
	size_t	n;
	int64_t	num = 0;
	int	y = 0;

	if (id == NULL)
		return -1;
	/* book */
	slash = strchr(p, '/');
	if (slash == NULL || slash == p || (size_t) (slash - p) >= 32)
		return -1;
	for (const char *c = p; c < slash; c++)
		if (!(islower((unsigned char) *c) || isdigit((unsigned char) *c) ||
		      *c == '_' || *c == '-'))
			return -1;
	memcpy(book, p, slash - p);
	book[slash - p] = 0;
	/* year: four digits */
	p = slash + 1;
	for (n = 0; n < 4; n++) {
		if (!isdigit((unsigned char) p[n]))
			return -1;
		y = y * 10 + (p[n] - '0');
	}
	if (p[4] != '/' || y < 1900)
		return -1;
	p += 5;
	/* number: 1..18 digits, no leading zero */
	for (n = 0; isdigit((unsigned char) p[n]); n++) {
		if (n >= 18)
			return -1;
		num = num * 10 + (p[n] - '0');
	}
	if (n == 0 || (p[0] == '0' && n > 1) || num == 0)
		return -1;
	p += n;
	symbol[0] = 0;
	if (*p == '/') {
		p++;
		if (*p == 0 || strlen(p) >= symlen)
			return -1;
		for (const char *c = p; *c; c++)
			if ((unsigned char) *c < 0x20 || *c == 0x7f)
				return -1;
		strcpy(symbol, p);
	} else if (*p != 0)
		return -1;
	*year = y;
	*number = num;
	return 0;
}

int
store_local_year(time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return tm.tm_year + 1900;
}

void
store_local_date(time_t t, char buf[11])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL) {
		strcpy(buf, "0000-00-00");
		return;
	}
	if (strftime(buf, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(buf, "0000-00-00");
}

int
store_date_valid(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int	y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char) s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

char *
store_spool_path(const char *spool, const char *sha256)
{
	return xasprintf("%s/%.2s/%.2s/%s", spool, sha256, sha256 + 2, sha256);
}
