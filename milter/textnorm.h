/*
 * textnorm.h - Unicode normalisation of text from mail and documents.
 *
 * Text from headers, file names and PDFs may be invalid UTF-8 or in NFD
 * (PDF extraction often yields decomposed Vietnamese).  Everything vanthu
 * keeps is valid UTF-8 in NFC; everything it matches while ignoring
 * diacritics goes through text_fold().  Both use utf8proc.
 */
#ifndef VANTHU_TEXTNORM_H
#define VANTHU_TEXTNORM_H

#include <stddef.h>
#include <stdio.h>

/* A copy of s[0..len) as valid UTF-8 in NFC; each invalid byte becomes
 * U+FFFD, so damage stays visible.  NUL bytes become U+FFFD too. */
char   *text_nfc(const char *s, size_t len);

/* A folded copy for matching: case folded, diacritics stripped, đ -> d.
 * "Quyết Định" and "QUYET DINH" fold to the same "quyet dinh". */
char   *text_fold(const char *s);

/*
 * s on out as a terminal may show it: every control character (C0, DEL,
 * and C1 as UTF-8) becomes U+FFFD, except that tabs and line ends
 * become spaces, and line feeds stay when lines is set.  Text from mail
 * and documents that the clerk's tool prints can then neither drive the
 * terminal (escape sequences) nor break a line or a column.
 */
void    text_put(FILE *out, const char *s, int lines);

/* Whether s[0..len) is valid UTF-8 with no NUL byte. */
int     text_utf8_valid(const char *s, size_t len);

#endif
