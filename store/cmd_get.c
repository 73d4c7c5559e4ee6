/*
 * cmd_get.c - `vanthu get ID -o DIR`: the original file of a registration,
 * the files of its detached signatures (.p7s) beside it, and any copy
 * with other bytes that arrived as the same entry.
 *
 * The file is read from the spool (<Spool>/ab/cd/<sha256>), checked
 * against its SHA-256, and written into DIR under its decoded name made
 * safe: path separators and control characters become '_', leading dots
 * and spaces go, a name past 200 bytes is cut between characters before
 * its extension, and an empty result becomes the digest.  A signature
 * file named after its document ("qd.pdf.p7s") follows the name its
 * document was given.  An existing file is never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "fdio.h"
#include "tool.h"
#include "xmalloc.h"

#define NAME_MAX_BYTES	200
#define EXT_MAX_BYTES	16	/* ".pdf", ".docx", ".p7s": what is kept */

static int
ascii_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Where the extension of name[0..len) starts (its dot), or len when it
 * has none worth keeping: a dot, then a few ASCII letters and digits. */
static size_t
extension_at(const char *name, size_t len)
{
	size_t	i = len;

	while (i > 0 && len - i < EXT_MAX_BYTES && ascii_alnum(name[i - 1]))
		i--;
	if (i > 1 && i < len && name[i - 1] == '.')
		return i - 1;
	return len;
}

/*
 * A name longer than NAME_MAX_BYTES is cut in its stem, between
 * characters, and keeps its extension: a Vietnamese document's name often
 * holds its whole summary, and cut at its end it would lose ".pdf" and
 * meet its own ".pdf.p7s" cut the same way.  The new length.
 */
static size_t
cut_name(char *s, size_t len)
{
	size_t	ext = extension_at(s, len), elen = len - ext, keep;

	if (len <= NAME_MAX_BYTES)
		return len;
	keep = NAME_MAX_BYTES - elen;
	/* Back off a character cut in two, then trailing dots and spaces. */
	while (keep > 0 && ((unsigned char) s[keep] & 0xc0) == 0x80)
		keep--;
	while (keep > 0 && (s[keep - 1] == ' ' || s[keep - 1] == '.'))
		keep--;
	if (keep == 0)
		return 0;
	memmove(s + keep, s + ext, elen);
	return keep + elen;
}

char *
tool_safe_name(const char *name, const char *fallback)
{
	const unsigned char *p = (const unsigned char *) (name ? name : "");
	char   *out = xmalloc(strlen((const char *) p) + 1);
	size_t	o = 0;

	while (*p == '.' || *p == ' ')
		p++;
	while (*p) {
		size_t	l = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 :
		    *p >= 0xc0 ? 2 : 1;
		size_t	k;

		for (k = 1; k < l; k++)
			if ((p[k] & 0xc0) != 0x80)
				break;
		if (k < l)
			l = 1;
		if ((l == 1 && (*p < 0x20 || *p == 0x7f || *p == '/' ||
				*p == '\\')) ||
		    (l == 2 && p[0] == 0xc2 && p[1] < 0xa0))	/* C1 */
			out[o++] = '_';
		else {
			memcpy(out + o, p, l);
			o += l;
		}
		p += l;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '.'))
		o--;
	o = cut_name(out, o);
	out[o] = 0;
	if (o == 0) {
		free(out);
		return xstrdup(fallback);
	}
	return out;
}

int
tool_copy_checked(const char *from, int out, const char *to,
		  const char *sha256, char *err, size_t errlen)
{
	unsigned char buf[65536];
	struct sha256_stream *h;
	char	hex[65];
	int	in;
	ssize_t	n;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", from, strerror(errno));
		return -1;
	}
	h = sha256_begin();
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		sha256_add(h, buf, (size_t) n);
		if (write_full(out, buf, (size_t) n) != 0) {
			snprintf(err, errlen, "%s: %s", to, strerror(errno));
			break;
		}
	}
	if (n < 0)
		snprintf(err, errlen, "%s: %s", from, strerror(errno));
	sha256_end(h, hex);
	close(in);
	if (n != 0)
		return -1;
	if (strcmp(hex, sha256) != 0) {
		snprintf(err, errlen, "%s: damaged in the spool (SHA-256 %s, "
			 "registered %s)", from, hex, sha256);
		return -1;
	}
	return 0;
}

/* The document's file copied to a new file at to, checked and fsync'd;
 * nothing is left at to when it fails. */
static int
copy_out(const char *from, const char *to, const char *sha256, char *err,
	 size_t errlen)
{
	int	out, rc;

	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
			O_NOFOLLOW, 0640)) < 0) {
		snprintf(err, errlen, "%s: %s", to, errno == EEXIST ?
			 "exists already, not overwritten" : strerror(errno));
		return -1;
	}
	rc = tool_copy_checked(from, out, to, sha256, err, errlen);
	if (rc == 0 && fsync(out) != 0) {
		snprintf(err, errlen, "%s: %s", to, strerror(errno));
		rc = -1;
	}
	if (close(out) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", to, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(to);
	return rc;
}

/* One file of the spool into dir as name; prints the path written.  0,
 * or 1 after saying why. */
static int
get_file(struct tool *t, const char *dir, const char *name,
	 const char *sha256)
{
	char	err[512];
	char   *from = store_spool_path(t->spool, sha256);
	char   *to = xasprintf("%s/%s", dir, name);
	int	rc = 1;

	if (copy_out(from, to, sha256, err, sizeof(err)) != 0)
		tool_fail("get", "%s", err);
	else {
		printf("%s\n", to);
		rc = 0;
	}
	free(from);
	free(to);
	return rc;
}

/* name with "-tag" before its last extension ("qd-1a2b3c4d.pdf"), or
 * after it when it has none. */
static char *
tagged(const char *name, const char *tag)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL || dot == name)
		return xasprintf("%s-%s", name, tag);
	return xasprintf("%.*s-%s%s", (int) (dot - name), name, tag, dot);
}

/* What follows the document's name in its signature file's name
 * (".p7s" of "qd.pdf.p7s"), or NULL when the signature file is not named
 * after its document or the rest is more than a short extension. */
static const char *
sig_suffix(const char *doc_name, const char *sig_name)
{
	size_t	n = doc_name != NULL ? strlen(doc_name) : 0;
	const char *rest;

	if (n == 0 || sig_name == NULL || strncmp(sig_name, doc_name, n) != 0)
		return NULL;
	rest = sig_name + n;
	if (rest[0] != '.' || rest[1] == 0 || strlen(rest) > EXT_MAX_BYTES)
		return NULL;
	for (const char *p = rest + 1; *p; p++)
		if (!ascii_alnum(*p) && *p != '.')
			return NULL;
	return rest;
}

/*
 * The files of one document: its own, under its name made safe, then
 * those of its detached signatures.  A copy with other bytes (tag not
 * NULL) has the first eight digits of its SHA-256 in its names, so that
 * it never meets the entry's file of the same name; a signature file
 * named after its document ("qd.pdf.p7s") follows the name the document
 * was given, cut or tagged.
 */
static int
get_document(struct tool *t, const char *dir, const char *doc_name,
	     const char *sha256, const struct sig_file *sigs, size_t nsigs,
	     int tag)
{
	char	prefix[9];
	char   *safe = tool_safe_name(doc_name, sha256);
	char   *name = safe;
	int	rc;

	snprintf(prefix, sizeof(prefix), "%.8s", sha256);
	if (tag)
		name = tagged(safe, prefix);
	rc = get_file(t, dir, name, sha256);
	for (size_t i = 0; rc == 0 && i < nsigs; i++) {
		char   *sig = tool_safe_name(sigs[i].name, sigs[i].sha256);
		char   *as = sig;
		const char *rest = sig_suffix(doc_name, sigs[i].name);

		if (rest != NULL)
			as = xasprintf("%s%s", name, rest);
		else if (tag)
			as = tagged(sig, prefix);
		rc = get_file(t, dir, as, sigs[i].sha256);
		if (as != sig)
			free(as);
		free(sig);
	}
	if (name != safe)
		free(name);
	free(safe);
	return rc;
}

int
cmd_get(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	struct reg_entry e;
	const char *dir = NULL;
	char	err[512];
	int	ch, rc;

	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (ch != 'o')
			return EXIT_USAGE;
		dir = optarg;
	}
	if (optind != argc - 1 || dir == NULL) {
		tool_fail("get", "usage: vanthu get ID -o DIR");
		return EXIT_USAGE;
	}
	if (tool_id("get", argv[optind]) != 0)
		return EXIT_USAGE;
	switch (store_get(t->st, argv[optind], &e, err, sizeof(err))) {
	case 1:
		break;
	case 0:
		tool_fail("get", "no registration %s", argv[optind]);
		return 1;
	default:
		tool_fail("get", "%s", err);
		return 1;
	}
	/* A detached signature belongs with its document: without it the
	 * copy would not carry the issuing body's signature.  The other
	 * copies are the entry's too: the signed one may be among them. */
	rc = get_document(t, dir, e.doc_name, e.sha256, e.sig_files,
			  e.nsig_files, 0);
	for (size_t i = 0; rc == 0 && i < e.ncopies; i++)
		rc = get_document(t, dir, e.copies[i].name, e.copies[i].sha256,
				  e.copies[i].sig_files,
				  e.copies[i].nsig_files, 1);
	reg_entry_clear(&e);
	return rc;
}
