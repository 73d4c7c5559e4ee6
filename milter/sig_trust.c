/*
 * sig_trust.c - load trust anchors, intermediates and CRLs; see
 * sig_trust.h.
 *
 * A file is tried as PEM first (every CERTIFICATE, TRUSTED CERTIFICATE or
 * X509 CRL block in it), then as one DER object.  Files are local and
 * chosen by the administrator, but a file over MAX_FILE is refused rather
 * than read whole.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "conf.h"
#include "sig_trust.h"
#include "xmalloc.h"

#define MAX_FILE	(16u << 20)

enum what {
	W_ANCHOR,
	W_INTERMEDIATE,
	W_CRL
};

struct loader {
	struct sig_trust *t;
	FILE   *errors;
	int     nerrors;
};

static void
bad(struct loader *ld, const char *path, const char *why)
{
	if (ld->errors)
		fprintf(ld->errors, "%s: %s\n", path, why);
	ld->nerrors++;
}

static int
add_cert(struct loader *ld, enum what w, X509 *x)
{
	if (w == W_ANCHOR) {
		if (X509_STORE_add_cert(ld->t->store, x) != 1) {
			ERR_clear_error();	/* a duplicate anchor is harmless */
		}
		ld->t->nanchors++;
		X509_free(x);
	} else {
		sk_X509_push(ld->t->intermediates, x);
	}
	return 1;
}

/* Parse the bytes of one file; the number of objects taken. */
static int
load_bytes(struct loader *ld, enum what w, const unsigned char *buf, size_t len)
{
	int     n = 0;
	BIO    *bio = BIO_new_mem_buf(buf, (int) len);

	if (bio == NULL)
		return 0;
	if (w == W_CRL) {
		X509_CRL *c;

		while ((c = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
			sk_X509_CRL_push(ld->t->crls, c);
			n++;
		}
		if (n == 0) {
			const unsigned char *p = buf;

			if ((c = d2i_X509_CRL(NULL, &p, (long) len)) != NULL) {
				sk_X509_CRL_push(ld->t->crls, c);
				n++;
			}
		}
	} else {
		X509   *x;

		while ((x = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL)) != NULL)
			n += add_cert(ld, w, x);
		if (n == 0) {
			const unsigned char *p = buf;

			if ((x = d2i_X509(NULL, &p, (long) len)) != NULL)
				n += add_cert(ld, w, x);
		}
	}
	ERR_clear_error();
	BIO_free(bio);
	return n;
}

static void
load_file(struct loader *ld, enum what w, const char *path)
{
	static const char *const kind[] = {"certificate", "certificate", "CRL"};
	FILE   *fp;
	struct stat st;
	unsigned char *buf;
	size_t  got;

	if ((fp = fopen(path, "rb")) == NULL) {
		bad(ld, path, strerror(errno));
		return;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t) MAX_FILE) {
		bad(ld, path, "not a regular file of at most 16 MB");
		fclose(fp);
		return;
	}
	buf = xmalloc((size_t) st.st_size + 1);
	got = fread(buf, 1, (size_t) st.st_size, fp);
	fclose(fp);
	if (got != (size_t) st.st_size) {
		bad(ld, path, "short read");
	} else if (load_bytes(ld, w, buf, got) == 0) {
		char    why[64];

		snprintf(why, sizeof(why), "no %s in PEM or DER", kind[w]);
		bad(ld, path, why);
	}
	free(buf);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
load_path(struct loader *ld, enum what w, const char *path)
{
	struct stat st;
	DIR    *dir;
	struct dirent *de;
	char  **names = NULL;
	size_t  n = 0;

	if (stat(path, &st) < 0) {
		bad(ld, path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		load_file(ld, w, path);
		return;
	}
	if ((dir = opendir(path)) == NULL) {
		bad(ld, path, strerror(errno));
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		char   *full;

		if (de->d_name[0] == '.')
			continue;
		full = xasprintf("%s/%s", path, de->d_name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = full;
		} else {
			free(full);
		}
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		load_file(ld, w, names[i]);
		free(names[i]);
	}
	free(names);
}

struct sig_trust *
sig_trust_load_paths(char *const *anchors, size_t nanchors,
		     char *const *inter, size_t ninter,
		     char *const *crls, size_t ncrls,
		     unsigned clock_skew, FILE *errors)
{
	struct loader ld;

	ld.t = xcalloc(1, sizeof(*ld.t));
	ld.errors = errors;
	ld.nerrors = 0;
	ld.t->store = X509_STORE_new();
	ld.t->intermediates = sk_X509_new_null();
	ld.t->crls = sk_X509_CRL_new_null();
	ld.t->clock_skew = clock_skew;
	if (!ld.t->store || !ld.t->intermediates || !ld.t->crls) {
		bad(&ld, "OpenSSL", "out of memory");
		return sig_trust_free(ld.t);
	}
	for (size_t i = 0; i < nanchors; i++)
		load_path(&ld, W_ANCHOR, anchors[i]);
	for (size_t i = 0; i < ninter; i++)
		load_path(&ld, W_INTERMEDIATE, inter[i]);
	for (size_t i = 0; i < ncrls; i++)
		load_path(&ld, W_CRL, crls[i]);
	if (ld.nerrors)
		return sig_trust_free(ld.t);
	return ld.t;
}

struct sig_trust *
sig_trust_load(const struct strlist *anchors, const struct strlist *inter,
	       const struct strlist *crls, unsigned clock_skew, FILE *errors)
{
	return sig_trust_load_paths(anchors ? anchors->v : NULL,
				    anchors ? anchors->n : 0,
				    inter ? inter->v : NULL, inter ? inter->n : 0,
				    crls ? crls->v : NULL, crls ? crls->n : 0,
				    clock_skew, errors);
}

struct sig_trust *
sig_trust_free(struct sig_trust *t)
{
	if (t == NULL)
		return NULL;
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->intermediates, X509_free);
	sk_X509_CRL_pop_free(t->crls, X509_CRL_free);
	free(t);
	return NULL;
}
