/*
 * aw_xml.c - libxml2 as the analysis uses it; see aw_xml.h.
 *
 * XML_PARSE_NOERROR quiets the parser but not libxml2's input layer:
 * bytes that do not follow the encoding their declaration names are
 * reported ("encoding error : input conversion failed ...", "I/O error :
 * encoder error") through the generic error handler, which writes them
 * to standard error (a worker's is the daemon's log) without naming the
 * message.  Anyone who can send mail could fill that log so.  The handler is
 * replaced by one that says nothing; the caller reports what matters, a
 * document that did not parse.
 */
#include <limits.h>
#include <stdarg.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "aw_xml.h"

static void
say_nothing(void *ctx, const char *fmt, ...)
{
	(void) ctx;
	(void) fmt;
}

xmlDoc *
aw_xml_read(const void *data, size_t len, const char *name, int options)
{
	if (len > INT_MAX)
		return NULL;
	/* libxml2 keeps the handler per thread: set it where it parses. */
	xmlSetGenericErrorFunc(NULL, say_nothing);
	return xmlReadMemory(data, (int) len, name, NULL, XML_PARSE_NONET |
			     XML_PARSE_NOERROR | XML_PARSE_NOWARNING | options);
}
