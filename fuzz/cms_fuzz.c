/*
 * cms_fuzz.c - CMS signature handling on arbitrary DER: parsing, signer
 * lookup, digest and signature checks, ESS and time-stamp attributes,
 * chain building.  The first byte picks the mode; the rest is the
 * signature.  A tiny trust store (one self-signed anchor made at start)
 * lets chain building run.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "facts.h"
#include "sig_cms.h"
#include "sig_trust.h"

static struct sig_trust *trust;

static struct sig_trust *
make_trust(void)
{
	struct sig_trust *t = sig_trust_load_paths(NULL, 0, NULL, 0, NULL, 0,
						   3600, NULL);
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509   *x = X509_new();
	X509_NAME *n = X509_NAME_new();

	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *) "Fuzz Root", -1, -1, 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, n);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	X509_STORE_add_cert(t->store, x);
	X509_free(x);
	X509_NAME_free(n);
	EVP_PKEY_free(k);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char content[] = "%PDF-1.7 signed bytes";
	struct sig_input in;
	struct signature s;

	if (trust == NULL)
		trust = make_trust();
	if (size < 1)
		return 0;
	memset(&in, 0, sizeof(in));
	memset(&s, 0, sizeof(s));
	in.mode = data[0] % 3;
	in.cades = (data[0] >> 2) & 1;
	in.purpose = (data[0] >> 3) & 1;
	in.claimed_fallback = (data[0] >> 4) & 1 ? 1700000000 : 0;
	in.now = 1750000000;
	in.der = data + 1;
	in.der_len = size - 1;
	in.part[0] = content;
	in.part_len[0] = 10;
	in.part[1] = content + 10;
	in.part_len[1] = sizeof(content) - 11;
	in.nparts = 2;
	sig_cms_verify(trust, &in, &s);
	if (s.verdict >= SIG__COUNT)
		__builtin_trap();
	signature_clear(&s);
	return 0;
}
