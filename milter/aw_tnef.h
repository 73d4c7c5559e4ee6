/*
 * aw_tnef.h - the files in a winmail.dat.
 *
 * Outlook, writing "rich text" to a recipient it takes for another
 * Outlook, puts a message's attachments in one application/vnd.ms-tnef
 * part (usually named winmail.dat) instead of MIME parts.  A document
 * sent that way is in no MIME part of its own, so the walk opens the
 * container as it opens an archive: one level, with the archive limits
 * (files, bytes; nothing is compressed, so no ratio).
 *
 * aw_tnef_each() reads TNEF data held in memory with libytnef and calls
 * fn once for every attached file, in order, with its name in UTF-8 (the
 * long name, else the 8.3 title, converted from the code page the
 * container declares; NULL when it has none) and its bytes.  It returns
 * like aw_archive_each(): NULL when every file was seen, else why it
 * stopped ("limit: archive files", "limit: archive size",
 * "malformed: TNEF ..."), a static string or one kept in buf.
 */
#ifndef VANTHU_AW_TNEF_H
#define VANTHU_AW_TNEF_H

#include <stddef.h>

#include "aw_archive.h"

struct mime_limits;

#define AW_TNEF_TYPE	"application/vnd.ms-tnef"

/* Whether this process has read a winmail.dat.  libytnef loses memory
 * on some damaged ones (the title or data of an attribute given twice),
 * so a worker that read one retires after its reply rather than carry
 * the loss into the next message's AnalysisMemory. */
int     aw_tnef_used(void);

const char *aw_tnef_each(const unsigned char *data, size_t len,
			 const struct mime_limits *, aw_archive_fn fn,
			 void *ctx, char *buf, size_t buflen);

#endif
