/*
 * aw_sig.h - signatures of a PDF document and of an S/MIME message.
 *
 * aw_sig_pdf() finds every signature dictionary of d->data (file order:
 * usually the person's, then the agency's, then a number/date stamp),
 * checks each byte range, verifies each CMS against the trust settings,
 * and judges what later revisions changed.  It fills d->sigs, d->nsigs,
 * d->sig_verdict (the weakest of all; SIG_ABSENT when there is none) and
 * d->signed_len (the end of the byte range of the last well-formed
 * signature: the revision it covers; 0 when none).
 *
 * aw_sig_smime() verifies a->smime_der over a->smime_content (detached,
 * multipart/signed) or over its own content (application/pkcs7-mime), the
 * bytes exactly as received, and fills a->smime; from_matches says
 * whether an e-mail address of the signer's certificate equals the
 * address of header_from (case-insensitive).  a->smime.present is 0 when
 * there is no smime_der.  The message body is never altered.
 *
 * Both return 0, or -1 only when their input is unusable (no data); a bad
 * signature is a verdict, not an error.  Thread-safe; never network.
 */
#ifndef VANTHU_AW_SIG_H
#define VANTHU_AW_SIG_H

#include "facts.h"
#include "sig_trust.h"

int     aw_sig_pdf(const struct sig_trust *, struct document *);
int     aw_sig_smime(const struct sig_trust *, struct analysis *,
		     const char *header_from);

/* The addr-spec of a From: header value, lower-cased; NULL when none. */
char   *aw_sig_from_address(const char *header_from);

#endif
