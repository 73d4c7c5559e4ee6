/*
 * aw_names.h - decode file names and subjects from MIME headers.
 *
 * Names arrive as RFC 2231 parameters (filename*=utf-8''..., or the
 * continuations filename*0*=..., filename*1*=...), as RFC 2047 encoded
 * words (=?windows-1258?Q?...?=), or as raw 8-bit bytes.  These functions
 * turn each into valid UTF-8 in NFC: bytes that do not decode become
 * U+FFFD, so damage stays visible; an unknown charset is read as UTF-8.
 * Every result is a new string the caller frees; none fails except by
 * running out of memory (xmalloc).  Nothing here turns a name into a path:
 * aw_name_safe() keeps only the last path component.
 */
#ifndef VANTHU_AW_NAMES_H
#define VANTHU_AW_NAMES_H

#include <stddef.h>

#define AW_NAME_MAX	255	/* bytes of a safe name, UTF-8 */

/* One MIME parameter as a header parser found it: name and raw value
 * (quotes already removed).  Matching of names ignores case. */
struct aw_param {
	const char *name;
	const char *value;
};

/* s[0..len) in the given charset, converted to UTF-8 NFC with iconv;
 * windows-1258 keeps its last character (the converter is flushed). */
char   *aw_name_convert(const char *charset, const char *s, size_t len);

/* Decode the RFC 2047 encoded words in s[0..len); the text between words
 * is taken as UTF-8.  The result is UTF-8 NFC. */
char   *aw_name_decode_words(const char *s, size_t len);

/* The value of parameter `base` ("filename", "name") among params[0..n),
 * decoded: RFC 2231 (extended or continued) first, else the plain value
 * with encoded words.  NULL when the parameter is absent. */
char   *aw_name_from_params(const struct aw_param *, size_t n,
			    const char *base);

/* A name that is safe to show and to store as a label: the last path
 * component (after / or \), control and bidirectional-override characters
 * replaced by U+FFFD, blanks trimmed, at most AW_NAME_MAX bytes.  NULL
 * when nothing is left or the name is "." or "..". */
char   *aw_name_safe(const char *utf8);

/* The name of what a compressed file holds: name (a safe name) without
 * its ".gz", ".bz2", ".xz", ".zst", ".lzma", ".lz", ".lz4" or ".Z" (any
 * case), or NULL when it has no such ending or nothing is left. */
char   *aw_name_uncompressed(const char *name);

/* Make libetpan's own charset conversion (mailmime_encoded_phrase_parse
 * and friends) go through aw_name_convert() when the target is UTF-8, so
 * that code decoding headers with libetpan keeps windows-1258's last
 * character too.  Sets a process-wide libetpan hook; call once at start. */
void    aw_names_charconv_install(void);

#endif
