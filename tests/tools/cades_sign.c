/*
 * cades_sign.c - sign prepared byte ranges of a PDF in place (tests only).
 *
 *	cades_sign FILE A B C D KEY CERT [options]
 *
 * Signs bytes [A, A+B) and [C, C+D) of FILE and writes the DER signature
 * as hex into [B+1, C-1), the /Contents placeholder that mkpdf.py made.
 * Options:
 *	-chain PEM	 more certificates to embed
 *	-pkcs7		 plain CMS (adbe.pkcs7.detached), no ESS attribute
 *	-sha1		 adbe.pkcs7.sha1: sign SHA-1 of the ranges, embedded
 *	-nocert		 embed no certificate at all
 *	-tsa KEY CERT T	 add an RFC 3161 token with genTime T (Unix time)
 *	-noattr		 no signed attributes (signature over the digest)
 *	-doctime	 ETSI.RFC3161: KEY and CERT are a TSA's, and the
 *			 signature is a time-stamp token over the ranges
 * Exit 0 on success; any failure prints why and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>

static void
die(const char *what)
{
	fprintf(stderr, "cades_sign: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static X509 *
load_cert(const char *path)
{
	FILE   *fp = fopen(path, "r");
	X509   *x = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL;

	if (fp)
		fclose(fp);
	if (x == NULL)
		die(path);
	return x;
}

static EVP_PKEY *
load_key(const char *path)
{
	FILE   *fp = fopen(path, "r");
	EVP_PKEY *k = fp ? PEM_read_PrivateKey(fp, NULL, NULL, NULL) : NULL;

	if (fp)
		fclose(fp);
	if (k == NULL)
		die(path);
	return k;
}

static time_t tsa_time;

static int
time_cb(TS_RESP_CTX *ctx, void *data, long *sec, long *usec)
{
	(void) ctx;
	(void) data;
	*sec = (long) tsa_time;
	*usec = 0;
	return 1;
}

/* An RFC 3161 token (DER) over the SHA-256 digest md. */
static int
make_token(const unsigned char *md, const char *key, const char *cert,
	   unsigned char **der)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *imp = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	TS_RESP_CTX *ctx = TS_RESP_CTX_new();
	ASN1_OBJECT *policy = OBJ_txt2obj("1.2.3.4.1", 1);
	int     len;
	BIO    *rb = BIO_new(BIO_s_mem());
	TS_RESP *resp;
	PKCS7  *tok;

	X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL);
	TS_MSG_IMPRINT_set_algo(imp, alg);
	TS_MSG_IMPRINT_set_msg(imp, (unsigned char *) md, 32);
	TS_REQ_set_version(req, 1);
	TS_REQ_set_msg_imprint(req, imp);
	TS_REQ_set_cert_req(req, 1);
	i2d_TS_REQ_bio(rb, req);
	TS_RESP_CTX_set_signer_cert(ctx, load_cert(cert));
	TS_RESP_CTX_set_signer_key(ctx, load_key(key));
	TS_RESP_CTX_set_def_policy(ctx, policy);
	TS_RESP_CTX_add_md(ctx, EVP_sha256());
	TS_RESP_CTX_set_time_cb(ctx, time_cb, NULL);
	if ((resp = TS_RESP_create_response(ctx, rb)) == NULL ||
	    (tok = TS_RESP_get_token(resp)) == NULL)
		die("time-stamp response");
	if ((len = i2d_PKCS7(tok, der)) <= 0)
		die("time-stamp token");
	TS_RESP_free(resp);
	TS_RESP_CTX_free(ctx);
	TS_REQ_free(req);
	TS_MSG_IMPRINT_free(imp);
	X509_ALGOR_free(alg);
	ASN1_OBJECT_free(policy);
	BIO_free(rb);
	return len;
}

/* The token over the signature value, as an unsigned attribute. */
static void
add_token(CMS_SignerInfo *si, const char *key, const char *cert)
{
	ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
	unsigned char md[32], *der = NULL;
	int     len;

	SHA256(ASN1_STRING_get0_data(sig), ASN1_STRING_length(sig), md);
	len = make_token(md, key, cert, &der);
	if (!CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
					   V_ASN1_SEQUENCE, der, len))
		die("adding the token");
	OPENSSL_free(der);
}

int
main(int argc, char **argv)
{
	FILE   *fp;
	unsigned char *buf, *der = NULL;
	long    len, r[4];
	int     pkcs7 = 0, sha1 = 0, nocert = 0, noattr = 0, doctime = 0, derlen;
	const char *tsakey = NULL, *tsacert = NULL;
	STACK_OF(X509) *chain = sk_X509_new_null();
	unsigned int flags;
	BIO    *data;
	CMS_ContentInfo *cms;
	unsigned char dig[20];

	if (argc < 8)
		die("usage: cades_sign FILE A B C D KEY CERT [options]");
	for (int i = 0; i < 4; i++)
		r[i] = atol(argv[2 + i]);
	for (int i = 8; i < argc; i++) {
		if (strcmp(argv[i], "-chain") == 0 && i + 1 < argc) {
			sk_X509_push(chain, load_cert(argv[++i]));
		} else if (strcmp(argv[i], "-pkcs7") == 0) {
			pkcs7 = 1;
		} else if (strcmp(argv[i], "-sha1") == 0) {
			sha1 = 1;
		} else if (strcmp(argv[i], "-nocert") == 0) {
			nocert = 1;
		} else if (strcmp(argv[i], "-noattr") == 0) {
			noattr = 1;
		} else if (strcmp(argv[i], "-doctime") == 0) {
			doctime = 1;
		} else if (strcmp(argv[i], "-tsa") == 0 && i + 3 < argc) {
			tsakey = argv[++i];
			tsacert = argv[++i];
			tsa_time = (time_t) atol(argv[++i]);
		} else {
			die(argv[i]);
		}
	}
	if ((fp = fopen(argv[1], "r+b")) == NULL)
		die(argv[1]);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = malloc(len);
	if (buf == NULL || fread(buf, 1, len, fp) != (size_t) len)
		die("read");
	if (r[0] != 0 || r[0] + r[1] > len || r[2] + r[3] > len)
		die("ranges");

	if (doctime) {		/* ETSI.RFC3161: the token is the signature */
		unsigned char md[32];
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		EVP_DigestInit_ex(c, EVP_sha256(), NULL);
		EVP_DigestUpdate(c, buf + r[0], r[1]);
		EVP_DigestUpdate(c, buf + r[2], r[3]);
		EVP_DigestFinal_ex(c, md, NULL);
		EVP_MD_CTX_free(c);
		tsa_time = time(NULL);
		derlen = make_token(md, argv[6], argv[7], &der);
		goto write;
	}
	data = BIO_new(BIO_s_mem());
	if (sha1) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		EVP_DigestInit_ex(c, EVP_sha1(), NULL);
		EVP_DigestUpdate(c, buf + r[0], r[1]);
		EVP_DigestUpdate(c, buf + r[2], r[3]);
		EVP_DigestFinal_ex(c, dig, NULL);
		EVP_MD_CTX_free(c);
		BIO_write(data, dig, sizeof(dig));
	} else {
		BIO_write(data, buf + r[0], r[1]);
		BIO_write(data, buf + r[2], r[3]);
	}
	flags = CMS_BINARY | CMS_PARTIAL | (sha1 ? 0 : CMS_DETACHED) |
	    (pkcs7 || sha1 ? 0 : CMS_CADES) | (nocert ? CMS_NOCERTS : 0) |
	    (noattr ? CMS_NOATTR : 0);
	cms = CMS_sign(NULL, NULL, nocert ? NULL : chain, NULL, flags);
	if (cms == NULL ||
	    !CMS_add1_signer(cms, load_cert(argv[7]), load_key(argv[6]),
			     sha1 ? EVP_sha1() : EVP_sha256(), flags) ||
	    !CMS_final(cms, data, NULL, flags))
		die("signing");
	if (tsakey)
		add_token(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0),
			  tsakey, tsacert);
	if ((derlen = i2d_CMS_ContentInfo(cms, &der)) <= 0)
		die("encoding");
write:
	if ((long) derlen * 2 > r[2] - r[1] - 2)
		die("placeholder too small");
	fseek(fp, r[1] + 1, SEEK_SET);
	for (int i = 0; i < derlen; i++)
		fprintf(fp, "%02x", der[i]);
	fclose(fp);
	return 0;
}
