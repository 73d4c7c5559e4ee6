/*
 * aw_detached.c - pair detached signature files with the documents they
 * sign; see aw_detached.h.
 *
 * The pairing is decided by the bytes where it can be: the SignerInfo's
 * messageDigest attribute is the digest of the signed content, so the
 * document whose digest it is was signed, whatever the two files are
 * called.  Names only break ties, and pair a file with a document that
 * was changed after signing (so that the change shows as "invalid"
 * instead of the document looking unsigned).  Each document's digest is
 * computed at most once per algorithm.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/pem.h>		/* before cms.h, for PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "aw_detached.h"
#include "sig_cms.h"
#include "xmalloc.h"

/* What one signature file says it signs. */
struct claim {
	unsigned char *der;	/* the CMS, DER (converted when PEM) */
	size_t  der_len;
	const EVP_MD *md;	/* NULL: no messageDigest to compare */
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len;
};

/* A digest of one document, kept for the next signature file. */
struct memo {
	const EVP_MD *md;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len;
};

static int
is_signature_kind(const struct document *d)
{
	return d->kind != NULL && strcmp(d->kind, "signature") == 0;
}

/* The CMS of a signature file, DER or (what aw_type.c also accepts as a
 * signature) PEM, whatever text comes before its BEGIN line. */
static CMS_ContentInfo *
parse_cms(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long) len);
	BIO    *b;

	if (cms != NULL || len > INT_MAX)
		return cms;
	if ((b = BIO_new_mem_buf(data, (int) len)) != NULL)
		cms = PEM_read_bio_CMS(b, NULL, NULL, NULL);
	BIO_free(b);
	return cms;
}

/* The claim of a signature file: 0, or -1 when it is not a detached
 * SignedData (then it is left a document as it is). */
static int
read_claim(const struct document *s, struct claim *c)
{
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	ASN1_OCTET_STRING **content, *md_attr;
	X509_ALGOR *alg;
	const ASN1_OBJECT *obj;
	unsigned char *der = NULL;
	int     n;

	memset(c, 0, sizeof(*c));
	if (s->data == NULL || s->len == 0 || s->len > LONG_MAX)
		return -1;
	cms = parse_cms(s->data, s->len);
	if (cms == NULL || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
		goto fail;
	/* A SignedData that carries its content signs nothing outside. */
	content = CMS_get0_content(cms);
	if (content != NULL && *content != NULL)
		goto fail;
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	if (si == NULL)
		goto fail;
	if ((n = i2d_CMS_ContentInfo(cms, &der)) <= 0)
		goto fail;
	c->der = xmalloc((size_t) n);
	memcpy(c->der, der, (size_t) n);
	c->der_len = (size_t) n;
	OPENSSL_free(der);

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &alg, NULL);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	md_attr = CMS_signed_get0_data_by_OBJ(si,
	    OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
	c->md = EVP_get_digestbyobj(obj);
	if (c->md != NULL && md_attr != NULL &&
	    ASN1_STRING_length(md_attr) == EVP_MD_get_size(c->md)) {
		c->digest_len = (unsigned int) ASN1_STRING_length(md_attr);
		memcpy(c->digest, ASN1_STRING_get0_data(md_attr), c->digest_len);
	} else {
		c->md = NULL;
	}
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return 0;
fail:
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return -1;
}

/* The part a part number belongs to: "2.3" -> "2", "3" -> "". */
static size_t
parent_len(const char *part)
{
	const char *dot = part ? strrchr(part, '.') : NULL;

	return dot ? (size_t) (dot - part) : 0;
}

/* Whether two documents were attached side by side: in one archive or
 * edXML packet, or to one message. */
static int
same_container(const struct document *a, const struct document *b)
{
	int     a_in = a->origin == ORIGIN_ARCHIVE || a->origin == ORIGIN_EDXML;
	int     b_in = b->origin == ORIGIN_ARCHIVE || b->origin == ORIGIN_EDXML;
	size_t  la, lb;

	if (a->part == NULL || b->part == NULL || a_in != b_in)
		return 0;
	if (a_in)
		return a->origin == b->origin && strcmp(a->part, b->part) == 0;
	la = parent_len(a->part);
	lb = parent_len(b->part);
	return la == lb && strncmp(a->part, b->part, la) == 0;
}

/* The length of name without its last extension, or all of it. */
static size_t
stem_len(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot != name ? (size_t) (dot - name) : strlen(name);
}

/*
 * Whether sig is named for doc: "cv.pdf.p7s" (the document's whole name
 * and an extension) or "cv.p7s" (its name with the extension replaced).
 * Compared without regard to ASCII case, as Windows names are.
 */
static int
named_for(const char *sig, const char *doc)
{
	size_t  s, d;

	if (sig == NULL || doc == NULL)
		return 0;
	s = stem_len(sig);
	if (s == strlen(sig))
		return 0;
	d = strlen(doc);
	if (s == d && strncasecmp(sig, doc, d) == 0)
		return 1;
	d = stem_len(doc);
	return d < strlen(doc) && s == d && strncasecmp(sig, doc, d) == 0;
}

static int
digest_matches(const struct claim *c, const struct document *d,
	       struct memo *m)
{
	if (c->md == NULL || d->data == NULL)
		return 0;
	if (m->md != c->md) {
		m->len = 0;
		if (EVP_Digest(d->data, d->len, m->digest, &m->len, c->md,
			       NULL) != 1)
			m->len = 0;
		m->md = c->md;
	}
	return m->len == c->digest_len &&
	    memcmp(m->digest, c->digest, c->digest_len) == 0;
}

/* Index of the document signature file si signs, or -1. */
static long
find_signed(const struct analysis *a, size_t si, const struct claim *c,
	    struct memo *memo)
{
	const struct document *s = &a->docs[si];
	long    named = -1, digest = -1;
	size_t  nnamed = 0;

	for (size_t i = 0; i < a->ndocs; i++) {
		const struct document *d = &a->docs[i];
		int     by_name;

		if (i == si || d->data == NULL || !same_container(s, d) ||
		    is_signature_kind(d))
			continue;
		by_name = named_for(s->name, d->name);
		if (by_name) {
			nnamed++;
			if (named < 0)
				named = (long) i;
		}
		if (digest_matches(c, d, &memo[i])) {
			if (by_name)
				return (long) i;
			if (digest < 0)
				digest = (long) i;
		}
	}
	if (digest >= 0)
		return digest;
	return nnamed == 1 ? named : -1;
}

static void
add_signature(const struct sig_trust *t, const struct claim *c,
	      struct document *d, size_t file)
{
	struct sig_input in;
	struct signature *s;

	memset(&in, 0, sizeof(in));
	in.der = c->der;
	in.der_len = c->der_len;
	in.mode = SIG_CONTENT_DETACHED;
	in.part[0] = d->data;
	in.part_len[0] = d->len;
	in.nparts = 1;
	in.purpose = SIG_PURPOSE_DOCUMENT;

	d->sigs = xreallocarray(d->sigs, d->nsigs + 1, sizeof(*d->sigs));
	s = &d->sigs[d->nsigs];
	memset(s, 0, sizeof(*s));
	s->covers_whole_file = 1;
	sig_cms_verify(t, &in, s);
	s->detached = 1;
	s->file = file;
	d->sig_verdict = d->nsigs == 0 ? s->verdict :
	    sig_verdict_weakest(d->sig_verdict, s->verdict);
	d->nsigs++;
}

void
aw_detached_pair(const struct sig_trust *t, struct analysis *a)
{
	long   *target;
	size_t *new_index;
	struct memo *memo;
	size_t  kept = 0, nfound = 0, nsig = 0;

	for (size_t i = 0; i < a->ndocs; i++)
		nsig += is_signature_kind(&a->docs[i]);
	if (nsig == 0)
		return;

	target = xcalloc(a->ndocs, sizeof(*target));
	new_index = xcalloc(a->ndocs, sizeof(*new_index));
	memo = xcalloc(a->ndocs, sizeof(*memo));
	for (size_t i = 0; i < a->ndocs; i++) {
		struct document *s = &a->docs[i];
		struct claim c;

		target[i] = -1;
		if (!is_signature_kind(s) || read_claim(s, &c) < 0)
			continue;
		target[i] = find_signed(a, i, &c, memo);
		if (target[i] >= 0)
			add_signature(t, &c, &a->docs[target[i]],
				      a->nsigfiles + nfound++);
		free(c.der);
	}
	free(memo);
	if (nfound == 0)
		goto out;

	/* Move the paired files to sigfiles, in the order their signatures
	 * were numbered, and close up docs behind them. */
	a->sigfiles = xreallocarray(a->sigfiles, a->nsigfiles + nfound,
				    sizeof(*a->sigfiles));
	for (size_t i = 0; i < a->ndocs; i++)
		if (target[i] < 0)
			new_index[i] = kept++;
	for (size_t i = 0, k = 0; i < a->ndocs; i++) {
		if (target[i] < 0) {
			if (k != i)
				a->docs[k] = a->docs[i];
			k++;
			continue;
		}
		a->sigfiles[a->nsigfiles] = a->docs[i];
		a->sigfiles[a->nsigfiles++].signs = new_index[target[i]];
	}
	a->ndocs = kept;
out:
	free(target);
	free(new_index);
}
