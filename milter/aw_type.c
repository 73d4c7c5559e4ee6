/*
 * aw_type.c - the real type of a document, from its bytes (libmagic), and
 * the kind vanthu gives it; see aw_mime.h.
 *
 * The declared Content-Type and the file extension are never trusted for
 * the type: an executable called report.pdf stays an executable.  They only
 * separate two things libmagic cannot: an .edxml packet from other XML
 * (the QCVN 102 namespace decides as well), and a detached signature
 * (.p7s, .sig) from other DER data, which must still look like DER or PEM.
 * A message saved to a file (a forwarded .eml attached as any type) is
 * found by its header block as well (aw_entity_mime_head()): libmagic
 * calls it message/rfc822 only when its first field is one of a few
 * (From, Received, Return-Path ...), text/plain otherwise.
 * libmagic reads at most SNIFF_BYTES of a buffer, so a 30 MB attachment
 * costs no more than a small one.  Failures give application/octet-stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <magic.h>

#include "aw_archive.h"
#include "aw_entity.h"
#include "aw_mime.h"
#include "xmalloc.h"

#define SNIFF_BYTES	(1024 * 1024)
#define EDXML_SCAN	(64 * 1024)	/* where the namespace must appear */
#define EDXML_NS	"http://www.mic.gov.vn/TBT/QCVN_102_2016"
#define MSG_HEAD_SCAN	(64 * 1024)	/* where a saved message's header ends */

struct aw_type {
	magic_t magic;
};

struct aw_type *
aw_type_open(char *err, size_t errlen)
{
	struct aw_type *t;
	size_t  bytes = SNIFF_BYTES;
	magic_t m;

	m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
	if (m == NULL) {
		snprintf(err, errlen, "magic_open: out of memory");
		return NULL;
	}
	if (magic_load(m, NULL) != 0) {
		snprintf(err, errlen, "magic_load: %s",
			 magic_error(m) ? magic_error(m) : "unknown error");
		magic_close(m);
		return NULL;
	}
	(void) magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes);
	t = xmalloc(sizeof(*t));
	t->magic = m;
	return t;
}

struct aw_type *
aw_type_close(struct aw_type *t)
{
	if (t != NULL) {
		magic_close(t->magic);
		free(t);
	}
	return NULL;
}

char   *
aw_type_detect(struct aw_type *t, const unsigned char *data, size_t len)
{
	const char *r;
	char   *s;

	r = magic_buffer(t->magic, data, len);
	if (r == NULL || strchr(r, '/') == NULL || strlen(r) > 127)
		return xstrdup("application/octet-stream");
	s = xstrdup(r);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return s;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t  a, b;

	if (s == NULL)
		return 0;
	a = strlen(s);
	b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* Whether needle occurs in the first `scan` bytes of data. */
static int
contains(const unsigned char *data, size_t len, size_t scan,
	 const char *needle)
{
	if (len > scan)
		len = scan;
	return memmem(data, len, needle, strlen(needle)) != NULL;
}

static int
starts_xml(const unsigned char *data, size_t len)
{
	size_t  i = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && strchr(" \t\r\n", data[i]))
		i++;
	return i < len && data[i] == '<';
}

static const struct {
	const char *type;
	const char *kind;
} kinds[] = {
	{"application/pdf", "pdf"},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
	{"application/msword", "doc"},
	{"application/vnd.oasis.opendocument.text", "odt"},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	{"application/vnd.ms-excel", "xls"},
	{"application/vnd.oasis.opendocument.spreadsheet", "ods"},
	{"text/rtf", "rtf"},
	{"application/rtf", "rtf"},
	{"image/jpeg", "image"},
	{"image/png", "image"},
	{"image/tiff", "image"},
	/*
	 * Programs and scripts are no documents, but they become documents
	 * of kind "program" so that the rules see them: built-in policy 3
	 * (rules/default.rules, executable-content) refuses the message.
	 * Passed over as skipped parts, they went through unseen.  Keep
	 * this list and that rule's pattern in step.
	 */
	{"application/x-dosexec", "program"},
	{"application/x-executable", "program"},
	{"application/x-pie-executable", "program"},
	{"application/x-sharedlib", "program"},
	{"application/x-mach-binary", "program"},
	{"application/x-elf", "program"},
	{"application/x-msdownload", "program"},
	{"application/x-msi", "program"},
	{"application/x-ms-installer", "program"},
	{"application/x-ms-shortcut", "program"},
	{"application/vnd.microsoft.portable-executable", "program"},
	{"application/x-bat", "program"},
	{"application/x-sh", "program"},
	{"application/x-csh", "program"},
	{"application/x-perl", "program"},
	{"application/x-python", "program"},
	{"application/x-php", "program"},
	{"application/x-java-applet", "program"},
	{"application/x-bytecode.python", "program"},
	{"application/java-archive", "program"},
	{"application/javascript", "program"},
	{"application/ecmascript", "program"},
	{"application/hta", "program"},
	{"text/x-shellscript", "program"},
	{"text/x-sh", "program"},
	{"text/x-python", "program"},
	{"text/x-script.python", "program"},
	{"text/x-perl", "program"},
	{"text/x-php", "program"},
	{"text/x-ruby", "program"},
	{"text/x-tcl", "program"},
	{"text/x-lua", "program"},
	{"text/x-awk", "program"},
	{"text/x-msdos-batch", "program"},
	{"text/x-vbscript", "program"},
	{"text/javascript", "program"},
	{"text/ecmascript", "program"},
	{"text/vbscript", "program"},
	{"text/jscript", "program"},
};

const char *
aw_type_kind(const char *type, const char *name, const char *declared,
	     const unsigned char *data, size_t len)
{
	if (type == NULL)
		return NULL;
	if (aw_archive_type(type))
		return "archive";
	if (strcmp(type, "message/rfc822") == 0 ||
	    (strcmp(type, "text/plain") == 0 &&
	     aw_entity_mime_head((const char *) data,
				 len < MSG_HEAD_SCAN ? len : MSG_HEAD_SCAN)))
		return "message";
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(type, kinds[i].type) == 0)
			return kinds[i].kind;
	if ((strcmp(type, "text/xml") == 0 ||
	     strcmp(type, "application/xml") == 0 ||
	     strcmp(type, "text/plain") == 0) && starts_xml(data, len) &&
	    (ends_with(name, ".edxml") ||
	     contains(data, len, EDXML_SCAN, EDXML_NS)))
		return "edxml";
	if ((ends_with(name, ".p7s") || ends_with(name, ".sig") ||
	     (declared != NULL &&
	      (strcmp(declared, "application/pkcs7-signature") == 0 ||
	       strcmp(declared, "application/x-pkcs7-signature") == 0))) &&
	    len >= 2 && (data[0] == 0x30 ||
			 contains(data, len, 64, "-----BEGIN ")))
		return "signature";
	return NULL;
}
