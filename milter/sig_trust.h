/*
 * sig_trust.h - the certificates and CRLs signatures are checked against.
 *
 * TrustAnchors, Intermediates and CRLFiles each name files or directories
 * (every regular file directly inside, in name order) holding PEM (one or
 * more blocks) or DER.  sig_trust_load() reads them all, writes one line
 * "path: what is wrong" to `errors` for every unreadable or unparsable
 * file (or one that holds nothing usable), and returns NULL when there
 * was any such line, so that `vanthu-milter -n` lists every problem.
 *
 * Load before sandboxing; afterwards a struct sig_trust is never written,
 * so any number of threads may verify against it at once (OpenSSL 3
 * locks its X509_STORE lookups).  Nothing here touches the network.
 */
#ifndef VANTHU_SIG_TRUST_H
#define VANTHU_SIG_TRUST_H

#include <stdio.h>

#include <openssl/x509.h>

struct strlist;

struct sig_trust {
	X509_STORE *store;		/* trust anchors only */
	STACK_OF(X509) *intermediates;
	STACK_OF(X509_CRL) *crls;	/* empty: no revocation check */
	unsigned clock_skew;		/* seconds of tolerance */
	size_t  nanchors;
};

struct sig_trust *sig_trust_load(const struct strlist *anchors,
				 const struct strlist *intermediates,
				 const struct strlist *crls,
				 unsigned clock_skew, FILE *errors);

/* The same from plain arrays (for tools and tests); NULL arrays allowed. */
struct sig_trust *sig_trust_load_paths(char *const *anchors, size_t nanchors,
				       char *const *inter, size_t ninter,
				       char *const *crls, size_t ncrls,
				       unsigned clock_skew, FILE *errors);

struct sig_trust *sig_trust_free(struct sig_trust *);

#endif
