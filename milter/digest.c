/*
 * digest.c - see digest.h.
 */
#include <openssl/evp.h>

#include "digest.h"
#include "log.h"

static void
to_hex(const unsigned char *md, char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = 0;
}

void
sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		log_fatal("digest: SHA-256 failed");
	to_hex(md, out);
}

struct sha256_stream *
sha256_begin(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		log_fatal("digest: SHA-256 failed");
	return (struct sha256_stream *) ctx;
}

void
sha256_add(struct sha256_stream *s, const void *data, size_t len)
{
	if (!EVP_DigestUpdate((EVP_MD_CTX *) s, data, len))
		log_fatal("digest: SHA-256 failed");
}

void
sha256_end(struct sha256_stream *s, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_DigestFinal_ex((EVP_MD_CTX *) s, md, &mdlen) || mdlen != 32)
		log_fatal("digest: SHA-256 failed");
	EVP_MD_CTX_free((EVP_MD_CTX *) s);
	to_hex(md, out);
}
