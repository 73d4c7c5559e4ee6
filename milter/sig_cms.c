/*
 * sig_cms.c - CMS signature verification and chain judgement; see
 * sig_cms.h.
 *
 * Design decisions:
 *  - The digest of the signed bytes is computed over the caller's parts
 *    without copying them (a BIO_f_md in front of a null sink), then
 *    CMS_SignerInfo_verify_content() compares it with messageDigest, or
 *    checks the signature over it when there are no signed attributes.
 *  - Certificate purpose.  PDFs: the signer's certificate is refused when
 *    it has an extended key usage that names neither anyExtendedKeyUsage
 *    nor a document-signing usage (RFC 9336 id-kp-documentSigning, Adobe
 *    authentic documents trust, Microsoft document signing); no EKU at all
 *    is accepted.  So an e-mail-only certificate does not sign documents.
 *    A key usage, when present, must allow digitalSignature or
 *    nonRepudiation.  S/MIME: OpenSSL's S/MIME signing purpose.
 *  - Any configured anchor ends a chain (X509_V_FLAG_PARTIAL_CHAIN), so an
 *    administrator may trust an intermediate without its root.
 *  - CRLs: when any are configured every certificate of the chain is
 *    checked; a certificate whose issuer published no CRL passes, and a
 *    CRL out of date at the signing time still counts (it is the newest
 *    list the administrator has).  Revocation is reported whatever the
 *    revocation date, since a compromised key can forge a claimed time.
 *  - Clock skew: when a chain fails only because of a certificate's
 *    validity at the signing time, it is tried again at that time moved
 *    by SignatureClockSkew seconds towards the validity period.  The skew
 *    applies to claimed times only, never to a time-stamp.  Some
 *    Vietnamese signing tools write local time (UTC+7) marked as UTC, so
 *    25200 absorbs that quirk; the default is the administrator's choice.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "sig_cms.h"
#include "xmalloc.h"

#define MAX_SIGNERS	8

struct job {
	const struct sig_trust *trust;
	const struct sig_input *in;
	struct signature *out;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	STACK_OF(X509) *untrusted;	/* embedded + intermediates */
	X509   *signer;
	time_t  when;
	int     time_stamped;
};

static int
set_verdict(struct signature *out, enum sig_verdict v, const char *why)
{
	out->verdict = v;
	free(out->reason);
	out->reason = why ? xstrdup(why) : NULL;
	return 0;
}

void
sig_iso_time(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, size,
					  "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "?");
}

static time_t
asn1_time_to_time(const ASN1_TIME *at)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (at == NULL || ASN1_TIME_to_tm(at, &tm) != 1)
		return 0;
	return timegm(&tm);
}

/* Read n digits into *v; 1 done, 0 partial, -1 none (then *v is kept). */
static int
digits(const char **s, int n, int *v)
{
	int     x = 0;

	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return i == 0 ? -1 : 0;
		x = x * 10 + (*s)[i] - '0';
	}
	*v = x;
	*s += n;
	return 1;
}

time_t
sig_pdf_date(const char *s)
{
	struct tm tm;
	int     v[6] = {0, 1, 1, 0, 0, 0};
	static const int width[6] = {4, 2, 2, 2, 2, 2};
	int     off = 0, hh = 0, mm = 0, r;
	time_t  t;

	if (s == NULL)
		return 0;
	if (strncmp(s, "D:", 2) == 0)
		s += 2;
	for (int i = 0; i < 6; i++) {
		if ((r = digits(&s, width[i], &v[i])) < 0 && i == 0)
			return 0;
		if (r <= 0) {
			if (r == 0 && i == 0)
				return 0;
			break;
		}
	}
	if (*s == '+' || *s == '-') {
		int     sign = *s == '-' ? -1 : 1;

		s++;
		if (digits(&s, 2, &hh) == 1) {
			if (*s == '\'')
				s++;
			if (digits(&s, 2, &mm) != 1)
				mm = 0;
		}
		off = sign * (hh * 3600 + mm * 60);
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return 0;
	t = timegm(&tm);
	return t == (time_t) -1 ? 0 : t - off;
}

/* A UTF-8 copy of the first entry nid of name, or NULL. */
static char *
name_entry(const X509_NAME *name, int nid)
{
	int     i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	char   *s;
	int     n;

	if (i < 0)
		return NULL;
	n = ASN1_STRING_to_UTF8(&utf8,
	    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n < 0)
		return NULL;
	s = xstrndup((char *) utf8, (size_t) n);
	OPENSSL_free(utf8);
	return s;
}

static char *
name_line(const X509_NAME *name)
{
	BIO    *b = BIO_new(BIO_s_mem());
	char   *p, *s = NULL;
	long    n;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0,
			       (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SPC_EQ)) >= 0 &&
	    (n = BIO_get_mem_data(b, &p)) >= 0)
		s = xstrndup(p, (size_t) n);
	BIO_free(b);
	return s;
}

/* The first rfc822Name of the subjectAltName, else the emailAddress. */
static char *
cert_email(X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
					       NULL);
	char   *s = NULL;

	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens) && !s; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_EMAIL)
			s = xstrndup((const char *) ASN1_STRING_get0_data(g->d.rfc822Name),
				     (size_t) ASN1_STRING_length(g->d.rfc822Name));
	}
	GENERAL_NAMES_free(gens);
	return s ? s : name_entry(X509_get_subject_name(x), NID_pkcs9_emailAddress);
}

static void
describe_signer(struct signature *out, X509 *x)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char   *hex = bn ? BN_bn2hex(bn) : NULL;

	out->signer = name_entry(X509_get_subject_name(x), NID_commonName);
	out->organization = name_entry(X509_get_subject_name(x),
				       NID_organizationName);
	out->email = cert_email(x);
	out->issuer = name_line(X509_get_issuer_name(x));
	out->serial = hex ? xstrdup(hex) : NULL;
	OPENSSL_free(hex);
	BN_free(bn);
}

/* Does the certificate allow signing documents?  See the top comment. */
static const char *
document_purpose(X509 *x)
{
	static const char *const doc_oids[] = {
		"1.3.6.1.5.5.7.3.36",		/* id-kp-documentSigning */
		"1.2.840.113583.1.1.5",		/* Adobe authentic documents */
		"1.3.6.1.4.1.311.10.3.12",	/* Microsoft document signing */
		NULL
	};
	EXTENDED_KEY_USAGE *eku;
	uint32_t ku = X509_get_key_usage(x);
	int     ok = 0;

	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return "the certificate's key usage does not allow signing";
	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	if (eku == NULL)
		return NULL;
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku) && !ok; i++) {
		ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
		char    txt[64];

		if (OBJ_obj2nid(o) == NID_anyExtendedKeyUsage) {
			ok = 1;
			break;
		}
		OBJ_obj2txt(txt, sizeof(txt), o, 1);
		for (int j = 0; doc_oids[j]; j++)
			if (strcmp(txt, doc_oids[j]) == 0)
				ok = 1;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return ok ? NULL : "the certificate is not for document signing "
	    "(extended key usage)";
}

static int
find_signer(struct job *j)
{
	for (int i = 0; i < sk_X509_num(j->untrusted); i++) {
		X509   *x = sk_X509_value(j->untrusted, i);

		if (CMS_SignerInfo_cert_cmp(j->si, x) == 0) {
			j->signer = x;
			CMS_SignerInfo_set1_signer_cert(j->si, x);
			return 0;
		}
	}
	return -1;
}

/* Check the signed bytes; 0 when they match, else a verdict was set. */
static int
check_content(struct job *j, const EVP_MD *md)
{
	const struct sig_input *in = j->in;
	const unsigned char *p[2];
	size_t  n[2];
	int     np = in->nparts, rc = -1, has_attrs;
	unsigned char sha1[EVP_MAX_MD_SIZE];
	BIO    *mdbio = NULL, *sink = NULL;

	memcpy(p, in->part, sizeof(p));
	memcpy(n, in->part_len, sizeof(n));
	if (in->mode != SIG_CONTENT_DETACHED) {
		ASN1_OCTET_STRING **pos = CMS_get0_content(j->cms);

		if (pos == NULL || *pos == NULL)
			return set_verdict(j->out, SIG_MALFORMED,
				   "the signature holds no signed content"), -1;
		if (in->mode == SIG_CONTENT_SHA1) {
			unsigned int len = 0;
			EVP_MD_CTX *c = EVP_MD_CTX_new();
			const unsigned char *d = ASN1_STRING_get0_data(*pos);
			int     dl = ASN1_STRING_length(*pos);

			if (c == NULL || !EVP_DigestInit_ex(c, EVP_sha1(), NULL))
				rc = -2;
			for (int i = 0; rc == -1 && i < np; i++)
				if (!EVP_DigestUpdate(c, p[i], n[i]))
					rc = -2;
			if (rc == -1 && !EVP_DigestFinal_ex(c, sha1, &len))
				rc = -2;
			EVP_MD_CTX_free(c);
			if (rc == -2)
				return set_verdict(j->out, SIG_INVALID,
					   "SHA-1 unavailable"), -1;
			/* The digest, bare or as a DER OCTET STRING. */
			if (!((dl == 20 && memcmp(d, sha1, 20) == 0) ||
			      (dl == 22 && d[0] == 4 && d[1] == 20 &&
			       memcmp(d + 2, sha1, 20) == 0)))
				return set_verdict(j->out, SIG_INVALID,
				   "the signed SHA-1 is not that of the signed "
				   "bytes"), -1;
		}
		p[0] = ASN1_STRING_get0_data(*pos);
		n[0] = (size_t) ASN1_STRING_length(*pos);
		np = 1;
	}

	mdbio = BIO_new(BIO_f_md());
	sink = BIO_new(BIO_s_null());
	if (mdbio == NULL || sink == NULL || !BIO_set_md(mdbio, md)) {
		BIO_free(mdbio);
		BIO_free(sink);
		return set_verdict(j->out, SIG_INVALID, "digest unavailable"), -1;
	}
	BIO_push(mdbio, sink);
	for (int i = 0; i < np; i++) {
		size_t  off = 0;

		while (off < n[i]) {
			int     chunk = n[i] - off > (1 << 30) ? 1 << 30 :
			    (int) (n[i] - off);

			if (BIO_write(mdbio, p[i] + off, chunk) != chunk)
				break;
			off += (size_t) chunk;
		}
	}
	has_attrs = CMS_signed_get_attr_count(j->si) >= 0;
	if (has_attrs && CMS_SignerInfo_verify(j->si) != 1)
		set_verdict(j->out, SIG_INVALID,
			    "the signature over the signed attributes does not verify");
	else if (CMS_SignerInfo_verify_content(j->si, mdbio) != 1)
		set_verdict(j->out, SIG_INVALID, has_attrs ?
			    "messageDigest is not the digest of the signed bytes" :
			    "the signature does not match the signed bytes");
	else
		rc = 0;
	BIO_free_all(mdbio);
	ERR_clear_error();
	return rc;
}

/* CAdES: the ESS signing certificate attribute must name the signer. */
static int
check_ess(struct job *j)
{
	ASN1_STRING *v1, *v2;
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ss2 = NULL;
	STACK_OF(X509) *chain;
	int     ok;

	v2 = CMS_signed_get0_data_by_OBJ(j->si,
	    OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE);
	v1 = CMS_signed_get0_data_by_OBJ(j->si,
	    OBJ_nid2obj(NID_id_smime_aa_signingCertificate), -3, V_ASN1_SEQUENCE);
	if (v2) {
		const unsigned char *p = ASN1_STRING_get0_data(v2);

		ss2 = d2i_ESS_SIGNING_CERT_V2(NULL, &p, ASN1_STRING_length(v2));
	}
	if (v1) {
		const unsigned char *p = ASN1_STRING_get0_data(v1);

		ss = d2i_ESS_SIGNING_CERT(NULL, &p, ASN1_STRING_length(v1));
	}
	if (ss == NULL && ss2 == NULL) {
		ERR_clear_error();
		return set_verdict(j->out, SIG_INVALID, v1 || v2 ?
		    "unreadable ESS signing certificate attribute" :
		    "CAdES signature without an ESS signing certificate attribute"),
		    -1;
	}
	chain = sk_X509_new_null();
	sk_X509_push(chain, j->signer);
	ok = OSSL_ESS_check_signing_certs(ss, ss2, chain, 1);
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ss2);
	ERR_clear_error();
	if (ok != 1)
		return set_verdict(j->out, SIG_INVALID,
		    "the ESS signing certificate attribute does not name the signer"),
		    -1;
	return 0;
}

/* The genTime of a valid RFC 3161 token over the signature value, or 0. */
static time_t
token_time(struct job *j, const char **why)
{
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *at;
	PKCS7  *p7 = NULL;
	TS_VERIFY_CTX *vc = NULL;
	TS_TST_INFO *tst = NULL;
	ASN1_OCTET_STRING *sigval = CMS_SignerInfo_get0_signature(j->si);
	const unsigned char *p;
	time_t  t = 0;
	int     idx;

	idx = CMS_unsigned_get_attr_by_NID(j->si, NID_id_smime_aa_timeStampToken, -1);
	if (idx < 0)
		return 0;
	*why = "the time-stamp token does not verify; using the claimed time";
	attr = CMS_unsigned_get_attr(j->si, idx);
	at = X509_ATTRIBUTE_get0_type(attr, 0);
	if (at == NULL || at->type != V_ASN1_SEQUENCE || sigval == NULL)
		return 0;
	p = ASN1_STRING_get0_data(at->value.sequence);
	p7 = d2i_PKCS7(NULL, &p, ASN1_STRING_length(at->value.sequence));
	if (p7 == NULL || (vc = TS_VERIFY_CTX_new()) == NULL)
		goto out;
	TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
	TS_VERIFY_CTX_set_data(vc, BIO_new_mem_buf(ASN1_STRING_get0_data(sigval),
					     ASN1_STRING_length(sigval)));
	if (X509_STORE_up_ref(j->trust->store))
		TS_VERIFY_CTX_set_store(vc, j->trust->store);
	TS_VERIFY_CTX_set_certs(vc, X509_chain_up_ref(j->trust->intermediates));
	if (TS_RESP_verify_token(vc, p7) != 1)
		goto out;
	if ((tst = PKCS7_to_TS_TST_INFO(p7)) == NULL)
		goto out;
	t = asn1_time_to_time(TS_TST_INFO_get_time(tst));
	if (t)
		*why = NULL;
out:
	TS_TST_INFO_free(tst);
	TS_VERIFY_CTX_free(vc);
	PKCS7_free(p7);
	ERR_clear_error();
	return t;
}

static void
signing_time(struct job *j, const char **note)
{
	const struct sig_input *in = j->in;
	int     idx;
	char    iso[32];

	*note = NULL;
	if ((j->when = token_time(j, note)) != 0) {
		j->time_stamped = 1;
		j->out->signing_time_source = xstrdup("timestamp");
	} else {
		idx = CMS_signed_get_attr_by_NID(j->si, NID_pkcs9_signingTime, -1);
		if (idx >= 0) {
			ASN1_TYPE *at = X509_ATTRIBUTE_get0_type(
			    CMS_signed_get_attr(j->si, idx), 0);

			if (at && (at->type == V_ASN1_UTCTIME ||
				   at->type == V_ASN1_GENERALIZEDTIME))
				j->when = asn1_time_to_time(at->value.utctime);
		}
		if (j->when == 0)
			j->when = in->claimed_fallback;
		if (j->when != 0) {
			j->out->signing_time_source = xstrdup("claimed");
		} else {
			j->when = in->now ? in->now : time(NULL);
			j->out->signing_time_source = xstrdup("none");
		}
	}
	sig_iso_time(j->when, iso, sizeof(iso));
	j->out->signing_time = xstrdup(iso);
}

/* Errors that do not make a chain fail; see the top comment. */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_HAS_EXPIRED:
		return 1;
	default:
		return ok;
	}
}

/* X509_verify_cert at time t; the OpenSSL error (0 = none), depth. */
static int
chain_at(struct job *j, time_t t, int *depth)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int     err;

	if (ctx == NULL ||
	    !X509_STORE_CTX_init(ctx, j->trust->store, j->signer, j->untrusted)) {
		X509_STORE_CTX_free(ctx);
		return X509_V_ERR_OUT_OF_MEM;
	}
	X509_STORE_CTX_set_time(ctx, 0, t);
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
	if (sk_X509_CRL_num(j->trust->crls) > 0) {
		X509_STORE_CTX_set0_crls(ctx, j->trust->crls);
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK |
					 X509_V_FLAG_CRL_CHECK_ALL);
	}
	if (j->in->purpose == SIG_PURPOSE_EMAIL)
		X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SMIME_SIGN);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	err = X509_verify_cert(ctx) == 1 ? 0 : X509_STORE_CTX_get_error(ctx);
	*depth = X509_STORE_CTX_get_error_depth(ctx);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return err;
}

static void
judge_chain(struct job *j)
{
	int     depth = 0, err;
	unsigned skew = j->time_stamped ? 0 : j->trust->clock_skew;
	char    why[256];
	const char *purpose;

	if (j->in->purpose == SIG_PURPOSE_DOCUMENT) {
		if ((purpose = document_purpose(j->signer)) != NULL) {
			set_verdict(j->out, SIG_UNTRUSTED, purpose);
			return;
		}
	} else if (X509_check_purpose(j->signer, X509_PURPOSE_SMIME_SIGN, 0) != 1) {
		set_verdict(j->out, SIG_UNTRUSTED,
			    "the certificate is not for e-mail protection");
		return;
	}
	err = chain_at(j, j->when, &depth);
	if (skew && err == X509_V_ERR_CERT_NOT_YET_VALID)
		err = chain_at(j, j->when + skew, &depth);
	else if (skew && err == X509_V_ERR_CERT_HAS_EXPIRED)
		err = chain_at(j, j->when - skew, &depth);
	switch (err) {
	case 0:
		set_verdict(j->out, SIG_VALID, NULL);
		return;
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(why, sizeof(why), "%s certificate %s at the signing "
			 "time %s (%s)", depth == 0 ? "the signer's" :
			 "a chain", err == X509_V_ERR_CERT_HAS_EXPIRED ?
			 "had expired" : "was not yet valid",
			 j->out->signing_time, j->out->signing_time_source);
		set_verdict(j->out, SIG_EXPIRED, why);
		return;
	case X509_V_ERR_CERT_REVOKED:
		snprintf(why, sizeof(why), "%s certificate is revoked",
			 depth == 0 ? "the signer's" : "a chain");
		set_verdict(j->out, SIG_REVOKED, why);
		return;
	default:
		snprintf(why, sizeof(why), "no chain to a trust anchor: %s",
			 X509_verify_cert_error_string(err));
		set_verdict(j->out, SIG_UNTRUSTED, why);
		return;
	}
}

static const char *
digest_name(int nid)
{
	switch (nid) {
	case NID_sha1: return "sha1";
	case NID_sha224: return "sha224";
	case NID_sha256: return "sha256";
	case NID_sha384: return "sha384";
	case NID_sha512: return "sha512";
	case NID_sha3_256: return "sha3-256";
	case NID_sha3_512: return "sha3-512";
	default: return NULL;
	}
}

/* Verify the SignerInfo j->si into j->out. */
static void
verify_signer(struct job *j)
{
	const struct sig_input *in = j->in;
	X509_ALGOR *dig = NULL;
	const ASN1_OBJECT *obj;
	const EVP_MD *md;
	const char *name, *note;
	char   *why;

	CMS_SignerInfo_get0_algs(j->si, NULL, NULL, &dig, NULL);
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	name = digest_name(OBJ_obj2nid(obj));
	j->out->digest = xstrdup(name ? name : "unknown");
	if (find_signer(j) < 0) {
		set_verdict(j->out, SIG_UNTRUSTED, "the signer's certificate is "
			    "neither embedded nor configured");
		return;
	}
	describe_signer(j->out, j->signer);
	if (name == NULL || (md = EVP_get_digestbyobj(obj)) == NULL) {
		set_verdict(j->out, SIG_INVALID, "unsupported digest algorithm");
		return;
	}
	if (check_content(j, md) < 0)
		return;
	if (in->cades && check_ess(j) < 0)
		return;
	signing_time(j, &note);
	judge_chain(j);
	if (note) {
		why = j->out->reason ? xasprintf("%s; %s", j->out->reason, note) :
		    xstrdup(note);
		free(j->out->reason);
		j->out->reason = why;
	}
}

/* Keep what `out` has, but let a weaker verdict of `more` win. */
static void
merge_signer(struct signature *out, struct signature *more, int first)
{
	struct signature keep;

	if (first) {
		keep = *out;		/* subfilter, covers_whole_file */
		*out = *more;
		out->subfilter = keep.subfilter;
		out->covers_whole_file = keep.covers_whole_file;
		return;
	}
	if (more->verdict > out->verdict) {
		out->verdict = more->verdict;
		free(out->reason);
		out->reason = more->reason ?
		    xasprintf("another signer of the same signature: %s",
			      more->reason) : NULL;
	}
	more->subfilter = NULL;
	signature_clear(more);
}

static void
verify(struct job *j)
{
	const struct sig_input *in = j->in;
	const unsigned char *p = in->der;
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *embedded;
	int     n;

	if (in->der_len > LONG_MAX ||
	    (j->cms = d2i_CMS_ContentInfo(NULL, &p, (long) in->der_len)) == NULL ||
	    OBJ_obj2nid(CMS_get0_type(j->cms)) != NID_pkcs7_signed) {
		set_verdict(j->out, SIG_MALFORMED,
			    "the signature is not a CMS SignedData");
		return;
	}
	sis = CMS_get0_SignerInfos(j->cms);
	if ((n = sk_CMS_SignerInfo_num(sis)) < 1 || n > MAX_SIGNERS) {
		set_verdict(j->out, SIG_MALFORMED, n < 1 ?
			    "the SignedData has no signer" :
			    "the SignedData has too many signers");
		return;
	}
	j->untrusted = sk_X509_new_null();
	if ((embedded = CMS_get1_certs(j->cms)) != NULL) {
		while (sk_X509_num(embedded) > 0)
			sk_X509_push(j->untrusted, sk_X509_shift(embedded));
		sk_X509_free(embedded);
	}
	for (int i = 0; i < sk_X509_num(j->trust->intermediates); i++) {
		X509   *x = sk_X509_value(j->trust->intermediates, i);

		if (X509_up_ref(x))
			sk_X509_push(j->untrusted, x);
	}

	/*
	 * Normally one SignerInfo.  Some tools (podofosign 0.9) write the
	 * same signer twice; every one must verify, the first describes.
	 */
	for (int i = 0; i < n; i++) {
		struct signature one;
		struct signature *out = j->out;

		memset(&one, 0, sizeof(one));
		j->si = sk_CMS_SignerInfo_value(sis, i);
		j->signer = NULL;
		j->when = 0;
		j->time_stamped = 0;
		j->out = &one;
		verify_signer(j);
		j->out = out;
		merge_signer(out, &one, i == 0);
	}
}

int
sig_cms_verify(const struct sig_trust *trust, const struct sig_input *in,
	       struct signature *out)
{
	struct job j;

	memset(&j, 0, sizeof(j));
	j.trust = trust;
	j.in = in;
	j.out = out;
	verify(&j);
	CMS_ContentInfo_free(j.cms);
	sk_X509_pop_free(j.untrusted, X509_free);
	ERR_clear_error();
	return 0;
}
