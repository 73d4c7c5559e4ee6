/*
 * aw_sig.c - PDF and S/MIME signatures into the analysis; see aw_sig.h.
 *
 * The PDF path joins pdf_sigloc (where the signatures are, byte range
 * rules), pdf_revision (what later revisions change) and sig_cms (the
 * cryptography and the chain).  The verdict of a signature is the weakest
 * of its CMS verdict and `modified` when a later revision changes content.
 *
 * SubFilters: adbe.pkcs7.detached and ETSI.CAdES.detached sign the byte
 * ranges; CAdES also needs the ESS signing-certificate(-v2) attribute;
 * adbe.pkcs7.sha1 signs the SHA-1 of the ranges.  ETSI.RFC3161 (a document
 * time-stamp) is verified as a time-stamp token over the ranges.  Any
 * other SubFilter is `malformed`.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "aw_sig.h"
#include "pdf_sigloc.h"
#include "sig_cms.h"
#include "xmalloc.h"

/* A document time-stamp: an RFC 3161 token whose imprint is the ranges. */
static void
doc_timestamp(const struct sig_trust *t, const unsigned char *buf,
	      const struct pdf_sigdict *sd, struct signature *s)
{
	const unsigned char *p = sd->cms;
	PKCS7  *p7 = d2i_PKCS7(NULL, &p, (long) sd->cms_len);
	TS_VERIFY_CTX *vc = NULL;
	TS_TST_INFO *tst = NULL;
	BIO    *data = NULL;
	STACK_OF(X509) *signers = NULL;
	char    iso[32];

	s->digest = xstrdup("unknown");
	if (p7 == NULL || (tst = PKCS7_to_TS_TST_INFO(p7)) == NULL) {
		s->verdict = SIG_MALFORMED;
		s->reason = xstrdup("the document time-stamp is not an RFC 3161 token");
		goto out;
	}
	sig_iso_time(0, iso, sizeof(iso));
	{
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst), &tm) == 1)
			sig_iso_time(timegm(&tm), iso, sizeof(iso));
	}
	s->signing_time = xstrdup(iso);
	s->signing_time_source = xstrdup("timestamp");
	{
		const ASN1_OBJECT *obj;
		X509_ALGOR *alg = TS_MSG_IMPRINT_get_algo(
		    TS_TST_INFO_get_msg_imprint(tst));
		char    name[32];

		X509_ALGOR_get0(&obj, NULL, NULL, alg);
		if (obj && OBJ_obj2nid(obj) != NID_undef) {
			snprintf(name, sizeof(name), "%s", OBJ_nid2sn(OBJ_obj2nid(obj)));
			for (char *q = name; *q; q++)
				*q = (char) tolower((unsigned char) *q);
			free(s->digest);
			s->digest = xstrdup(name);
		}
	}
	signers = PKCS7_get0_signers(p7, NULL, 0);
	if (signers && sk_X509_num(signers) > 0) {
		X509_NAME *n = X509_get_subject_name(sk_X509_value(signers, 0));
		char    cn[256];

		if (X509_NAME_get_text_by_NID(n, NID_commonName, cn, sizeof(cn)) > 0)
			s->signer = xstrdup(cn);
	}
	data = BIO_new(BIO_s_mem());
	BIO_write(data, buf, (int) sd->range[1]);
	BIO_write(data, buf + sd->range[2], (int) sd->range[3]);
	if ((vc = TS_VERIFY_CTX_new()) == NULL)
		goto out;
	TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
	TS_VERIFY_CTX_set_data(vc, data);
	data = NULL;
	if (X509_STORE_up_ref(t->store))
		TS_VERIFY_CTX_set_store(vc, t->store);
	TS_VERIFY_CTX_set_certs(vc, X509_chain_up_ref(t->intermediates));
	if (TS_RESP_verify_token(vc, p7) == 1) {
		s->verdict = SIG_VALID;
	} else {
		s->verdict = SIG_UNTRUSTED;
		s->reason = xstrdup("the document time-stamp does not verify "
				    "against the trust anchors");
	}
out:
	sk_X509_free(signers);
	BIO_free(data);
	TS_VERIFY_CTX_free(vc);
	TS_TST_INFO_free(tst);
	PKCS7_free(p7);
	ERR_clear_error();
}

static void
one_pdf_sig(const struct sig_trust *t, const struct document *d,
	    const struct pdf_sigdict *sd, struct signature *s)
{
	struct sig_input in;

	memset(s, 0, sizeof(*s));
	s->subfilter = sd->subfilter[0] ? xstrdup(sd->subfilter) : NULL;
	s->covers_whole_file = sd->covers_whole_file;
	if (sd->malformed) {
		s->verdict = SIG_MALFORMED;
		s->reason = xstrdup(sd->malformed);
		return;
	}
	if (strcmp(sd->subfilter, "ETSI.RFC3161") == 0) {
		doc_timestamp(t, d->data, sd, s);
		goto modified;
	}
	memset(&in, 0, sizeof(in));
	in.der = sd->cms;
	in.der_len = sd->cms_len;
	in.part[0] = d->data;
	in.part_len[0] = (size_t) sd->range[1];
	in.part[1] = d->data + sd->range[2];
	in.part_len[1] = (size_t) sd->range[3];
	in.nparts = 2;
	in.purpose = SIG_PURPOSE_DOCUMENT;
	in.claimed_fallback = sig_pdf_date(sd->m);
	if (strcmp(sd->subfilter, "adbe.pkcs7.detached") == 0) {
		in.mode = SIG_CONTENT_DETACHED;
	} else if (strcmp(sd->subfilter, "ETSI.CAdES.detached") == 0) {
		in.mode = SIG_CONTENT_DETACHED;
		in.cades = 1;
	} else if (strcmp(sd->subfilter, "adbe.pkcs7.sha1") == 0) {
		in.mode = SIG_CONTENT_SHA1;
	} else {
		s->verdict = SIG_MALFORMED;
		s->reason = xasprintf("unsupported SubFilter '%s'", sd->subfilter);
		return;
	}
	sig_cms_verify(t, &in, s);
modified:
	if (sd->modified && s->verdict != SIG_MALFORMED &&
	    s->verdict != SIG_INVALID) {
		char   *why = s->reason;

		s->verdict = sig_verdict_weakest(s->verdict, SIG_MODIFIED);
		s->reason = why ? xasprintf("a later revision changes the "
				    "document: %s; %s", sd->modified, why) :
		    xasprintf("a later revision changes the document: %s",
			      sd->modified);
		free(why);
	}
}

int
aw_sig_pdf(const struct sig_trust *t, struct document *d)
{
	struct pdf_sigscan scan;

	for (size_t i = 0; i < d->nsigs; i++)
		signature_clear(&d->sigs[i]);
	free(d->sigs);
	d->sigs = NULL;
	d->nsigs = 0;
	d->sig_verdict = SIG_ABSENT;
	d->signed_len = 0;
	if (d->data == NULL)
		return -1;

	pdf_sigloc_scan(d->data, d->len, &scan);
	pdf_revision_check(d->data, d->len, &scan);
	if (scan.nsigs > 0)
		d->sigs = xcalloc(scan.nsigs, sizeof(*d->sigs));
	for (size_t i = 0; i < scan.nsigs; i++) {
		one_pdf_sig(t, d, &scan.sigs[i], &d->sigs[i]);
		d->sig_verdict = i == 0 ? d->sigs[i].verdict :
		    sig_verdict_weakest(d->sig_verdict, d->sigs[i].verdict);
		if (!scan.sigs[i].malformed)
			d->signed_len = (size_t) scan.sigs[i].covered_end;
	}
	d->nsigs = scan.nsigs;
	pdf_sigscan_clear(&scan);
	return 0;
}

char *
aw_sig_from_address(const char *from)
{
	const char *s, *e, *lt;
	char   *addr;

	if (from == NULL)
		return NULL;
	/* "Name" <a@b> takes what is inside the last <>, else the bare text. */
	if ((lt = strrchr(from, '<')) != NULL && (e = strchr(lt, '>')) != NULL) {
		s = lt + 1;
	} else {
		for (s = from; *s && isspace((unsigned char) *s); s++)
			;
		for (e = s; *e && !isspace((unsigned char) *e); e++)
			;
	}
	if (e <= s || memchr(s, '@', e - s) == NULL)
		return NULL;
	addr = xstrndup(s, e - s);
	for (char *p = addr; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	return addr;
}

/* Every e-mail address the certificate names: SAN rfc822 and subject. */
static int
signer_has_address(const unsigned char *der, size_t len, const char *addr)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long) len);
	STACK_OF(X509) *certs;
	int     found = 0;

	if (cms == NULL || addr == NULL) {
		CMS_ContentInfo_free(cms);
		return 0;
	}
	certs = CMS_get1_certs(cms);
	for (int i = 0; certs && i < sk_X509_num(certs) && !found; i++) {
		X509   *x = sk_X509_value(certs, i);
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(
		    CMS_get0_SignerInfos(cms), 0);
		STACK_OF(OPENSSL_STRING) *emails;

		if (si == NULL || CMS_SignerInfo_cert_cmp(si, x) != 0)
			continue;
		emails = X509_get1_email(x);
		for (int k = 0; emails && k < sk_OPENSSL_STRING_num(emails); k++)
			if (strcasecmp(sk_OPENSSL_STRING_value(emails, k), addr) == 0)
				found = 1;
		X509_email_free(emails);
	}
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return found;
}

int
aw_sig_smime(const struct sig_trust *t, struct analysis *a,
	     const char *header_from)
{
	struct sig_input in;
	struct signature s;
	char   *addr;

	free(a->smime.signer);
	free(a->smime.reason);
	memset(&a->smime, 0, sizeof(a->smime));
	a->smime.verdict = SIG_ABSENT;
	if (a->smime_der == NULL)
		return 0;

	memset(&in, 0, sizeof(in));
	memset(&s, 0, sizeof(s));
	in.der = a->smime_der;
	in.der_len = a->smime_der_len;
	in.purpose = SIG_PURPOSE_EMAIL;
	if (a->smime_content) {
		in.mode = SIG_CONTENT_DETACHED;
		in.part[0] = a->smime_content;
		in.part_len[0] = a->smime_content_len;
		in.nparts = 1;
	} else {
		in.mode = SIG_CONTENT_EMBEDDED;
	}
	sig_cms_verify(t, &in, &s);
	a->smime.present = 1;
	a->smime.verdict = s.verdict;
	a->smime.signer = s.email ? xstrdup(s.email) :
	    s.signer ? xstrdup(s.signer) : NULL;
	a->smime.reason = s.reason ? xstrdup(s.reason) : NULL;
	addr = aw_sig_from_address(header_from);
	a->smime.from_matches = s.verdict != SIG_MALFORMED &&
	    signer_has_address(a->smime_der, a->smime_der_len, addr);
	free(addr);
	signature_clear(&s);
	return 0;
}
