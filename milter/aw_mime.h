/*
 * aw_mime.h - extract every document from one message (worker side).
 *
 * aw_mime_extract() walks the MIME tree of a message held in memory and
 * fills a struct analysis (facts.h): one struct document per document
 * found, with its decoded bytes, and one struct skipped for every part it
 * passed over, with the reason.  It runs inside an analysis worker on
 * hostile bytes: every size, count and depth is bounded by struct
 * mime_limits, nothing it reads can make it crash, hang or exit, and a
 * damaged part is reported as skipped rather than failing the message.
 *
 * Which parts are documents:
 *   - every leaf that is not text is a candidate, attachment or inline;
 *   - a text leaf is a candidate only when it has a file name or an
 *     attachment disposition; other text leaves are the message body;
 *   - so is an image in multipart/related with no attachment disposition
 *     whose Content-ID the HTML there names (a logo the HTML shows,
 *     aw_cid.h): skipped as "body: inline image";
 *   - a candidate's real type comes from its bytes (libmagic); it becomes
 *     a document when that type is of a known kind (aw_type_kind(),
 *     programs and scripts included, as kind "program", for the rules),
 *     an archive is expanded one level and each of its files treated the
 *     same way, anything else is skipped as "unsupported: <type>";
 *   - message/rfc822 parts, and parts whose bytes are a message (a
 *     forwarded .eml sent as application/octet-stream), are walked (origin
 *     "forwarded"), down to max_depth levels of nesting counting
 *     multiparts too;
 *   - multipart/signed and application/pkcs7-mime (signed-data) are
 *     unwrapped and their content walked; for the message's own S/MIME
 *     layer the signed bytes and the signature go to analysis.smime_*.
 *
 * Part numbers follow IMAP: the children of the top multipart are 1, 2 ...,
 * a non-multipart message is 1, the body of a message/rfc822 part 2 is 2.1
 * or, when multipart, has children 2.1, 2.2 ...  "0" names the message
 * itself in skipped[].
 */
#ifndef VANTHU_AW_MIME_H
#define VANTHU_AW_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"

/* The deepest nesting ever walked, whatever the limits say: the walk
 * recurses once a level, and MaxDepth is refused above this. */
#define MIME_MAX_DEPTH	64

struct mime_limits {
	unsigned max_parts;		/* MIME entities visited, all levels */
	unsigned max_depth;		/* nested multiparts and messages */
	unsigned max_archive_files;	/* files taken from one archive */
	uint64_t max_archive_size;	/* bytes expanded from one archive */
	uint64_t max_doc_size;		/* decoded bytes of one document */
	unsigned max_archive_ratio;	/* expanded bytes / archive bytes */
};

/* The defaults of the tests: 1000 parts, depth 10, 100 files, 100 MB,
 * ratio 100, and max_doc_size = msg_size. */
void    mime_limits_default(struct mime_limits *, uint64_t msg_size);

/* The libmagic handle.  Open it before dropping privileges: magic_load()
 * reads the database file.  NULL with a reason in err on failure. */
struct aw_type;
struct aw_type *aw_type_open(char *err, size_t errlen);
struct aw_type *aw_type_close(struct aw_type *);

/* The real MIME type of some bytes, lower case; never NULL
 * ("application/octet-stream" when libmagic cannot tell). */
char   *aw_type_detect(struct aw_type *, const unsigned char *, size_t);

/* The kind of a document from its real type and bytes: "pdf", "docx",
 * "doc", "odt", "xlsx", "xls", "ods", "rtf", "image", "edxml", "archive",
 * "signature", "message" (a message saved to a file, walked as forwarded),
 * or NULL when vanthu does not take it.  The name and the
 * declared type only tell .edxml and detached signatures apart from other
 * XML and binary data; they never make a type. */
const char *aw_type_kind(const char *type, const char *name,
			 const char *declared_type,
			 const unsigned char *, size_t);

/* Walk msg[0..len) and append what it holds to *out.  0 on success (even
 * when parts were skipped), -1 with out->error set when the analysis
 * itself could not run. */
int     aw_mime_extract(const char *msg, size_t len,
			const struct mime_limits *, struct aw_type *,
			struct analysis *out);

#endif
