/*
 * verify_cmd.c - `vanthu verify`; see verify_cmd.h.
 *
 * For a message this file splits just enough MIME to find an S/MIME
 * signature at the top level: multipart/signed (the first part, bytes as
 * they are in the file, and the base64 signature part) or
 * application/pkcs7-mime.  A message stored with bare LF line ends (no
 * CR anywhere) is first turned back into the CRLF form it was signed in.
 * PDFs attached to a message are the MIME extractor's business (the
 * milter's -t mode); they are not verified here.
 *
 * TODO(lead): once aw_mime_extract() (milter/aw_mime.h) is on main, let a
 * message go through it instead of smime_split(): it fills smime_content
 * and smime_der for aw_sig_smime() and every attached document, whose
 * PDFs then go through aw_sig_pdf() and print_pdf() like a lone PDF.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "aw_sig.h"
#include "conf.h"
#include "digest.h"
#include "facts.h"
#include "report.h"
#include "sig_trust.h"
#include "verify_cmd.h"
#include "xmalloc.h"

#define VERIFY_MAX_INPUT	(512u << 20)
#define MAX_PATHS	64

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE   *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	unsigned char *buf = NULL;
	size_t  cap = 0, n = 0, got;

	if (fp == NULL) {
		fprintf(stderr, "vanthu verify: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (n == cap) {
			if (cap >= VERIFY_MAX_INPUT) {
				fprintf(stderr, "vanthu verify: %s: larger than "
					"512 MB\n", path);
				free(buf);
				buf = NULL;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	if (buf && ferror(fp)) {
		fprintf(stderr, "vanthu verify: %s: read error\n", path);
		free(buf);
		buf = NULL;
	}
	if (fp != stdin)
		fclose(fp);
	*len = n;
	return buf;
}

/* ---- a minimal top-level MIME split for S/MIME ---- */

/* The unfolded value of header name in the header block, or NULL. */
static char *
header_value(const char *msg, size_t hlen, const char *name)
{
	size_t  nl = strlen(name);

	for (size_t i = 0; i < hlen;) {
		size_t  e = i;

		while (e < hlen && msg[e] != '\n')
			e++;
		if (e - i > nl && strncasecmp(msg + i, name, nl) == 0 &&
		    msg[i + nl] == ':') {
			size_t  s = i + nl + 1;
			char   *v;
			size_t  o = 0;

			while (s < e && (msg[s] == ' ' || msg[s] == '\t'))
				s++;
			/* Continuation lines start with white space. */
			while (e + 1 < hlen && (msg[e + 1] == ' ' || msg[e + 1] == '\t')) {
				e++;
				while (e < hlen && msg[e] != '\n')
					e++;
			}
			v = xmalloc(e - s + 1);
			for (size_t k = s; k < e; k++)
				if (msg[k] != '\r' && msg[k] != '\n')
					v[o++] = msg[k] == '\t' ? ' ' : msg[k];
			v[o] = 0;
			return v;
		}
		i = e + 1;
	}
	return NULL;
}

/* End of the header block (offset of the body) or len. */
static size_t
body_offset(const char *m, size_t len, size_t *hlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (m[i] == '\n' && m[i + 1] == '\n') {
			*hlen = i + 1;
			return i + 2;
		}
		if (m[i] == '\n' && i + 2 < len && m[i + 1] == '\r' &&
		    m[i + 2] == '\n') {
			*hlen = i + 1;
			return i + 3;
		}
	}
	*hlen = len;
	return len;
}

/* A parameter of a Content-Type value, unquoted; NULL when absent. */
static char *
ct_param(const char *ct, const char *param)
{
	size_t  pl = strlen(param);

	for (const char *p = strchr(ct, ';'); p; p = strchr(p + 1, ';')) {
		const char *q = p + 1;

		while (*q == ' ')
			q++;
		if (strncasecmp(q, param, pl) == 0 && q[pl] == '=') {
			const char *v = q + pl + 1, *e;

			if (*v == '"') {
				v++;
				e = strchr(v, '"');
			} else {
				e = v + strcspn(v, "; ");
			}
			return e ? xstrndup(v, e - v) : NULL;
		}
	}
	return NULL;
}

static unsigned char *
base64_decode(const char *s, size_t len, size_t *outlen)
{
	EVP_ENCODE_CTX *c = EVP_ENCODE_CTX_new();
	unsigned char *out = xmalloc(len / 4 * 3 + 4);
	int     n = 0, m = 0;

	EVP_DecodeInit(c);
	if (len > INT32_MAX ||
	    EVP_DecodeUpdate(c, out, &n, (const unsigned char *) s, (int) len) < 0 ||
	    EVP_DecodeFinal(c, out + n, &m) < 0) {
		EVP_ENCODE_CTX_free(c);
		free(out);
		return NULL;
	}
	EVP_ENCODE_CTX_free(c);
	*outlen = (size_t) (n + m);
	return out;
}

/* Offset of the next line "--boundary" at or after `from`, or -1. */
static long
find_delim(const char *m, size_t len, size_t from, const char *b)
{
	size_t  bl = strlen(b);

	for (size_t i = from; i + 2 + bl <= len; i++) {
		if ((i == 0 || m[i - 1] == '\n') && m[i] == '-' && m[i + 1] == '-' &&
		    memcmp(m + i + 2, b, bl) == 0)
			return (long) i;
	}
	return -1;
}

static int
smime_split(const char *m, size_t len, struct analysis *a, char **from)
{
	size_t  hlen, body = body_offset(m, len, &hlen);
	char   *ct = header_value(m, hlen, "Content-Type");
	int     rc = -1;

	*from = header_value(m, hlen, "From");
	if (ct == NULL)
		return -1;
	if (strncasecmp(ct, "multipart/signed", 16) == 0) {
		char   *b = ct_param(ct, "boundary");
		long    d1, d2;
		size_t  s, e, sh, sb;
		char   *cte;

		if (b == NULL || (d1 = find_delim(m, len, body, b)) < 0)
			goto out_b;
		s = (size_t) d1 + 2 + strlen(b);
		while (s < len && m[s] != '\n')
			s++;
		s++;
		if ((d2 = find_delim(m, len, s, b)) < 0)
			goto out_b;
		e = (size_t) d2;	/* the CRLF before the delimiter is not content */
		if (e > s && m[e - 1] == '\n')
			e--;
		if (e > s && m[e - 1] == '\r')
			e--;
		a->smime_content = xmalloc(e - s + 1);
		memcpy(a->smime_content, m + s, e - s);
		a->smime_content_len = e - s;
		/* The signature part: headers, then base64 (or binary) DER. */
		sh = (size_t) d2 + 2 + strlen(b);
		while (sh < len && m[sh] != '\n')
			sh++;
		sh++;
		sb = sh + body_offset(m + sh, len - sh, &hlen);
		cte = header_value(m + sh, hlen, "Content-Transfer-Encoding");
		d1 = find_delim(m, len, sb, b);
		e = d1 < 0 ? len : (size_t) d1;
		if (cte && strcasecmp(cte, "base64") == 0) {
			a->smime_der = base64_decode(m + sb, e - sb, &a->smime_der_len);
		} else {
			a->smime_der = xmalloc(e - sb + 1);
			memcpy(a->smime_der, m + sb, e - sb);
			a->smime_der_len = e - sb;
		}
		free(cte);
		rc = a->smime_der ? 0 : -1;
out_b:
		free(b);
	} else if (strncasecmp(ct, "application/pkcs7-mime", 22) == 0 ||
		   strncasecmp(ct, "application/x-pkcs7-mime", 24) == 0) {
		a->smime_der = base64_decode(m + body, len - body, &a->smime_der_len);
		rc = a->smime_der ? 0 : -1;
	}
	free(ct);
	return rc;
}

/* ---- output ---- */

static json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void
field(const char *name, const char *v)
{
	if (v)
		printf("  %-18s %s\n", name, v);
}

static void
print_pdf(const char *path, const struct document *d, int json)
{
	if (json) {
		/* The document as `vanthu-milter -t --json` shows it, less
		 * what only the analysis of a message knows. */
		static const char *const drop[] = {"declared_type", "part",
		"origin", "origin_detail", "needs_ocr",
		"text_from_signed_revision", "facts"};
		json_object *o = report_document(d);

		for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			json_object_object_del(o, drop[i]);

		json_object_object_add(o, "file", jstr(path));
		json_object_object_add(o, "signed_len",
				       json_object_new_int64((int64_t) d->signed_len));
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		return;
	}
	printf("%s: %zu signature%s: %s\n", path, d->nsigs, d->nsigs == 1 ? "" : "s",
	       sig_verdict_names[d->sig_verdict]);
	for (size_t i = 0; i < d->nsigs; i++) {
		const struct signature *s = &d->sigs[i];

		printf("signature %zu: %s\n", i + 1, sig_verdict_names[s->verdict]);
		field("signer:", s->signer);
		field("organization:", s->organization);
		field("email:", s->email);
		field("issuer:", s->issuer);
		field("serial:", s->serial);
		if (s->signing_time)
			printf("  %-18s %s (%s)\n", "signing time:", s->signing_time,
			       s->signing_time_source);
		field("subfilter:", s->subfilter);
		field("digest:", s->digest);
		printf("  %-18s %s\n", "covers whole file:",
		       s->covers_whole_file ? "yes" : "no");
		field("reason:", s->reason);
	}
}

static void
print_smime(const char *path, const struct smime_result *r, int json)
{
	if (json) {
		json_object *o = json_object_new_object(), *sm = json_object_new_object();

		json_object_object_add(o, "file", jstr(path));
		json_object_object_add(sm, "verdict", jstr(sig_verdict_names[r->verdict]));
		json_object_object_add(sm, "signer", jstr(r->signer));
		json_object_object_add(sm, "from_matches",
				       json_object_new_boolean(r->from_matches));
		json_object_object_add(sm, "reason", jstr(r->reason));
		json_object_object_add(o, "smime", sm);
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		return;
	}
	printf("%s: S/MIME: %s\n", path, sig_verdict_names[r->verdict]);
	field("signer:", r->signer);
	if (r->present)
		printf("  %-18s %s\n", "from matches:", r->from_matches ? "yes" : "no");
	field("reason:", r->reason);
}

static void
usage(void)
{
	fprintf(stderr, "usage: vanthu verify [--json] [-c CONFIG] [--anchors PATH]... "
		"[--intermediates PATH]... [--crl PATH]... [--skew SECONDS] "
		"FILE.pdf|FILE.eml\n");
}

/* Append the paths of a configuration list; 0 when they do not fit. */
static int
add_paths(char **v, size_t *n, const struct strlist *l)
{
	if (l->n > MAX_PATHS - *n)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		v[(*n)++] = l->v[i];
	return 1;
}

static int
is_pdf(const unsigned char *buf, size_t len)
{
	size_t  n = len < 1024 ? len : 1024;

	return n >= 5 && memmem(buf, n, "%PDF-", 5) != NULL;
}

/* Bare LF line ends back to CRLF, when the file has no CR at all. */
static unsigned char *
crlf(unsigned char *buf, size_t *len)
{
	size_t  lf = 0, o = 0;
	unsigned char *out;

	if (memchr(buf, '\r', *len))
		return buf;
	for (size_t i = 0; i < *len; i++)
		lf += buf[i] == '\n';
	out = xmalloc(*len + lf + 1);
	for (size_t i = 0; i < *len; i++) {
		if (buf[i] == '\n')
			out[o++] = '\r';
		out[o++] = buf[i];
	}
	free(buf);
	*len = o;
	return out;
}

int
verify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"anchors", required_argument, NULL, 'a'},
		{"intermediates", required_argument, NULL, 'i'},
		{"crl", required_argument, NULL, 'r'},
		{"skew", required_argument, NULL, 's'},
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	char   *anchors[MAX_PATHS], *inter[MAX_PATHS], *crls[MAX_PATHS];
	size_t  na = 0, ni = 0, nc = 0, len;
	unsigned skew = 0;
	int     json = 0, c, rc = 1, skew_set = 0;
	const char *config_path = NULL;
	struct config *cfg = NULL;
	struct sig_trust *trust;
	unsigned char *buf;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:j", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'a':
		case 'i':
		case 'r':
			if ((c == 'a' ? na : c == 'i' ? ni : nc) == MAX_PATHS) {
				fprintf(stderr, "vanthu verify: too many paths\n");
				return 2;
			}
			if (c == 'a')
				anchors[na++] = optarg;
			else if (c == 'i')
				inter[ni++] = optarg;
			else
				crls[nc++] = optarg;
			break;
		case 's':
			skew = (unsigned) strtoul(optarg, NULL, 10);
			skew_set = 1;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage();
		return 2;
	}
	/* The configuration's trust settings, then those of the command line. */
	if (config_path) {
		if ((cfg = conf_load(config_path, stderr)) == NULL)
			return 2;
		if (!add_paths(anchors, &na, &cfg->trust_anchors) ||
		    !add_paths(inter, &ni, &cfg->intermediates) ||
		    !add_paths(crls, &nc, &cfg->crl_files)) {
			fprintf(stderr, "vanthu verify: too many paths\n");
			conf_free(cfg);
			return 2;
		}
		if (!skew_set)
			skew = cfg->signature_clock_skew;
	}
	trust = sig_trust_load_paths(anchors, na, inter, ni, crls, nc, skew, stderr);
	cfg = conf_free(cfg);		/* trust holds no pointer into it */
	if (trust == NULL)
		return 2;
	if ((buf = read_file(argv[optind], &len)) == NULL) {
		sig_trust_free(trust);
		return 2;
	}
	if (is_pdf(buf, len)) {
		struct document d;

		const char *base = strrchr(argv[optind], '/');

		memset(&d, 0, sizeof(d));
		d.data = buf;
		d.len = len;
		d.size = len;
		d.name = xstrdup(base ? base + 1 : argv[optind]);
		d.type = xstrdup("application/pdf");
		sha256_hex(buf, len, d.sha256);
		aw_sig_pdf(trust, &d);
		print_pdf(argv[optind], &d, json);
		rc = d.sig_verdict == SIG_VALID ? 0 : 1;
		document_clear(&d);	/* frees buf */
	} else {
		struct analysis a;
		char   *from = NULL;

		memset(&a, 0, sizeof(a));
		buf = crlf(buf, &len);
		smime_split((const char *) buf, len, &a, &from);
		aw_sig_smime(trust, &a, from);
		print_smime(argv[optind], &a.smime, json);
		rc = a.smime.present && a.smime.verdict == SIG_VALID ? 0 : 1;
		free(from);
		analysis_clear(&a);
		free(buf);
	}
	sig_trust_free(trust);
	return rc;
}
