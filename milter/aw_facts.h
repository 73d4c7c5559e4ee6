/*
 * aw_facts.h - the facts of an official document, read from its text.
 *
 * aw_facts_read() fills d->facts from what the document says: first the
 * facts already set (an edXML header is authoritative and is never
 * overwritten), then d->text, then the file name, then the message subject
 * as a last resort.  Each fact carries its source and a confidence.  A
 * fact that cannot be read with confidence stays NULL: an empty field
 * beats a wrong one.  The text must be NFC (aw_text_read() makes it so);
 * NFD, missing diacritics, odd case and extra spaces are tolerated.
 *
 * The marks (urgency, secrecy, circulation) are read from the page headers
 * and footers of d too, after the body and only where it has none; nothing
 * else is read there.
 *
 * aw_facts_text() is the parser alone, for tests and fuzzing: any bytes
 * in, facts out, never a crash.  Lines past AW_FACTS_MAX_LINES and bytes
 * of a line past AW_FACTS_MAX_LINE are ignored.
 *
 * aw_edxml_read() reads the QCVN 102 MessageHeader of a->docs[i] into its
 * facts (source edxml, confidence 100) and adds each base64 attachment of
 * the packet as a further document of origin edxml.
 */
#ifndef VANTHU_AW_FACTS_H
#define VANTHU_AW_FACTS_H

#include <stddef.h>

#include "facts.h"

#define AW_FACTS_MAX_LINES	4000
#define AW_FACTS_MAX_LINE	1024

void    aw_facts_read(struct document *d, const char *subject);
void    aw_facts_text(struct doc_facts *df, const char *text, size_t len);
/* The marks alone, from the text of page headers or footers, with source
 * src; a fact already set is kept. */
void    aw_facts_marks(struct doc_facts *df, const char *text, size_t len,
		       enum fact_source src);
void    aw_facts_subject(struct doc_facts *df, const char *subject,
			 enum fact_source src);

/* Type codes of ND30 PL III (and Party ones): name for a code, or NULL. */
const char *aw_facts_type_name(const char *code);
/* The canonical code for a printed one ("QD" -> "QĐ"), or NULL. */
const char *aw_facts_type_code(const char *printed);
/* The code of the first type named name, diacritics and case ignored
 * ("quyet dinh" -> "QĐ"), or NULL. */
const char *aw_facts_type_code_by_name(const char *name);
/* Whether the date exists (no 31 February) and is in 1945-2100. */
int     aw_facts_date_valid(int y, int m, int d);

int     aw_edxml_read(struct analysis *a, size_t doc_index);
/* The parser alone: header facts into df, no attachments. */
int     aw_edxml_facts(struct doc_facts *df, const unsigned char *data,
		       size_t len);

#endif
