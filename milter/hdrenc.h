/*
 * hdrenc.h - header text fit for any message (RFC 2047).
 *
 * Values that vanthu adds to a message's header (rule headers, a subject
 * prefix) come from the administrator in UTF-8.  A message that was not
 * sent with SMTPUTF8 may carry only ASCII in its header, so a value with
 * any byte outside printable ASCII is written as RFC 2047 "B" encoded
 * words in UTF-8, each at most 75 characters and never splitting a UTF-8
 * character, separated by single spaces.  Printable ASCII stays as it is.
 * Never fails (aborts on out of memory, as xmalloc does).
 */
#ifndef VANTHU_HDRENC_H
#define VANTHU_HDRENC_H

/* A newly allocated copy of value, encoded when it needs to be. */
char   *hdr_encode(const char *value);

/* The new Subject for prefix and the Subject as received (raw, possibly
 * holding encoded words): "PREFIX SUBJECT", the prefix without trailing
 * blanks and encoded when it is not ASCII.  When the prefix is encoded
 * and the subject starts with an encoded word, the separating blank goes
 * inside the prefix's last word, since decoders drop blanks between two
 * encoded words. */
char   *hdr_prefix_subject(const char *prefix, const char *raw_subject);

#endif
