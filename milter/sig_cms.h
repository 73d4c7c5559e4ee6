/*
 * sig_cms.h - verify one CMS (PKCS#7) signature and judge its signer.
 *
 * sig_cms_verify() parses the DER of a SignedData, checks that it signs
 * the given bytes, finds the signer's certificate among the embedded ones
 * and the configured intermediates, establishes the signing time, and
 * builds a chain to a trust anchor valid at that time.  The result goes
 * into a struct signature (facts.h): verdict, signer fields, digest,
 * signing time and its source, and a reason when the verdict is not
 * valid.  Fields already set in `out` (subfilter, covers_whole_file) are
 * left alone.
 *
 * Verdicts it gives: valid, malformed (not a SignedData), invalid (digest
 * or signature mismatch, ESS signing certificate mismatch, unsupported
 * algorithm), untrusted (no chain to an anchor, signer certificate
 * missing, wrong certificate purpose), expired (a certificate of the
 * chain outside its validity at the signing time, beyond the clock skew),
 * revoked (listed in a configured CRL).
 *
 * Signing time: the genTime of an RFC 3161 time-stamp token in the
 * signer's unsigned attributes when the token verifies against the trust
 * anchors and its imprint is the signature value ("timestamp"); else the
 * signingTime attribute, else the caller's fallback (the PDF /M), both
 * "claimed"; else the verification time ("none").  A claimed time is what
 * the signer's software wrote; some write local time marked as UTC, hence
 * SignatureClockSkew (see sig_cms.c).
 *
 * Never touches the network, keeps no state between calls: thread-safe as
 * long as the struct sig_trust is not written.
 */
#ifndef VANTHU_SIG_CMS_H
#define VANTHU_SIG_CMS_H

#include <stddef.h>
#include <time.h>

#include "facts.h"
#include "sig_trust.h"

enum sig_purpose {
	SIG_PURPOSE_DOCUMENT,		/* PDF: document signing, not e-mail */
	SIG_PURPOSE_EMAIL		/* S/MIME: e-mail protection */
};

enum sig_content_mode {
	SIG_CONTENT_DETACHED,		/* parts[] are the signed bytes */
	SIG_CONTENT_SHA1,		/* adbe.pkcs7.sha1: signs SHA-1(parts) */
	SIG_CONTENT_EMBEDDED		/* the SignedData holds its content */
};

struct sig_input {
	const unsigned char *der;
	size_t  der_len;
	enum sig_content_mode mode;
	const unsigned char *part[2];
	size_t  part_len[2];
	int     nparts;
	int     cades;			/* require ESS signing-certificate(-v2) */
	enum sig_purpose purpose;
	time_t  claimed_fallback;	/* 0: none */
	time_t  now;			/* 0: time(NULL) */
};

int     sig_cms_verify(const struct sig_trust *, const struct sig_input *,
		       struct signature *out);

/* "D:YYYYMMDDHHmmSSOHH'mm'" (any prefix of it) to UTC; 0 when unreadable. */
time_t  sig_pdf_date(const char *);

/* ISO 8601 UTC, "2026-11-21T05:17:35Z"; buf of at least 21 bytes. */
void    sig_iso_time(time_t, char *buf, size_t size);

#endif
