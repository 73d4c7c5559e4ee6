/*
 * aw_tnef.c - the files in a winmail.dat, with libytnef; see aw_tnef.h.
 *
 * libytnef parses the whole container into its own structures first
 * (copies of every attachment, so up to twice the part's size, which is
 * bounded by the message's) and says nothing about why it gave up
 * beyond an error code.  It prints some of its complaints on standard
 * output, which in a worker goes to the log (aw_main.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tnef-errors.h>
#include <ytnef.h>

#include "aw_mime.h"
#include "aw_names.h"
#include "aw_tnef.h"

static int used;

int
aw_tnef_used(void)
{
	return used;
}

/* The code page of names that are no Unicode: the container's own,
 * else Western European, what Outlook writes when it says nothing. */
static void
codepage_charset(TNEFStruct *t, char *cs, size_t cslen)
{
	uint32_t cp = 1252;

	if (t->CodePage.data != NULL && t->CodePage.size >= 4)
		cp = (uint32_t) t->CodePage.data[0] |
		    (uint32_t) t->CodePage.data[1] << 8 |
		    (uint32_t) t->CodePage.data[2] << 16 |
		    (uint32_t) t->CodePage.data[3] << 24;
	if (cp == 65001)
		snprintf(cs, cslen, "UTF-8");
	else
		snprintf(cs, cslen, "CP%u", (unsigned) cp);
}

/* libytnef's error codes (tnef-errors.h) in words. */
static const char *
parse_error(int r)
{
	switch (r) {
	case YTNEF_NOT_TNEF_STREAM:
		return "not a TNEF stream";
	case YTNEF_ERROR_READING_DATA:
		return "truncated";
	case YTNEF_NO_KEY:
		return "no key";
	case YTNEF_BAD_CHECKSUM:
		return "bad checksum";
	case YTNEF_ERROR_IN_HANDLER:
		return "bad attribute";
	case YTNEF_UNKNOWN_PROPERTY:
		return "unknown property";
	default:
		return "cannot read";
	}
}

static int
present(const variableLength *v)
{
	return v != MAPI_UNDEFINED && v != NULL && v->data != NULL &&
	    v->size > 0;
}

/* The long name (libytnef has made a PT_UNICODE one UTF-8, padded with
 * NULs), else the long name in the code page, else the 8.3 title. */
static char *
entry_name(Attachment *p, const char *charset)
{
	variableLength *v;

	v = MAPIFindProperty(&p->MAPI,
			     PROP_TAG(PT_UNICODE, PR_ATTACH_LONG_FILENAME));
	if (present(v))
		return aw_name_convert("UTF-8", (const char *) v->data,
				       strnlen((const char *) v->data, v->size));
	v = MAPIFindProperty(&p->MAPI,
			     PROP_TAG(PT_STRING8, PR_ATTACH_LONG_FILENAME));
	if (!present(v))
		v = &p->Title;
	if (!present(v))
		return NULL;
	return aw_name_convert(charset, (const char *) v->data,
			       strnlen((const char *) v->data, v->size));
}

/* An attached file's bytes; an embedded message or OLE object keeps
 * them in PR_ATTACH_DATA_OBJ after a 16-byte interface identifier. */
static void
entry_data(Attachment *p, const unsigned char **data, size_t *len)
{
	variableLength *v = &p->FileData;

	*data = NULL;
	*len = 0;
	if (present(v)) {
		*data = v->data;
		*len = (size_t) v->size;
		return;
	}
	v = MAPIFindProperty(&p->MAPI, PROP_TAG(PT_OBJECT, PR_ATTACH_DATA_OBJ));
	if (present(v) && v->size > 16) {
		*data = v->data + 16;
		*len = (size_t) v->size - 16;
	}
}

const char *
aw_tnef_each(const unsigned char *data, size_t len,
	     const struct mime_limits *lim, aw_archive_fn fn, void *ctx,
	     char *buf, size_t buflen)
{
	TNEFStruct t;
	const char *why = NULL;
	char    charset[16];
	uint64_t total = 0;
	unsigned files = 0;
	int     r;

	used = 1;
	TNEFInitialize(&t);
	t.Debug = 0;
	/* libytnef only reads the bytes; its prototype is older than const. */
	r = TNEFParseMemory((BYTE *) data, (long) len, &t);
	if (r < 0) {
		/* What was read before the error may be cut short: none of
		 * it is taken. */
		snprintf(buf, buflen, "malformed: TNEF: %s", parse_error(r));
		TNEFFree(&t);
		return buf;
	}
	codepage_charset(&t, charset, sizeof(charset));
	for (Attachment *p = t.starting_attach.next; p != NULL; p = p->next) {
		const unsigned char *bytes;
		size_t  n;
		char   *name;

		if (++files > lim->max_archive_files) {
			why = "limit: archive files";
			break;
		}
		entry_data(p, &bytes, &n);
		total += n;
		if (total > lim->max_archive_size) {
			why = "limit: archive size";
			break;
		}
		name = entry_name(p, charset);
		r = fn(ctx, name, bytes ? bytes : (const unsigned char *) "", n,
		       NULL);
		free(name);
		if (r != 0)
			break;
	}
	TNEFFree(&t);
	return why;
}
