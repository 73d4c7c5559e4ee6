/*
 * aw_xml.h - an XML document from memory, as the analysis reads one.
 *
 * aw_xml_read() parses len bytes with libxml2: no network, no external
 * entities or DTD, nothing printed, whatever the bytes say.  name is
 * what libxml2 calls the document; options are added to XML_PARSE_NONET,
 * XML_PARSE_NOERROR and XML_PARSE_NOWARNING.  The tree, or NULL when the
 * bytes are not XML (or more than INT_MAX of them).
 */
#ifndef VANTHU_AW_XML_H
#define VANTHU_AW_XML_H

#include <stddef.h>

#include <libxml/tree.h>

xmlDoc *aw_xml_read(const void *data, size_t len, const char *name,
		    int options);

#endif
