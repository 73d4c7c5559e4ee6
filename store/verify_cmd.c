/*
 * verify_cmd.c - `vanthu verify`; see verify_cmd.h.
 *
 * A message goes through the workers' MIME extraction (aw_mime.c), which
 * finds the message's S/MIME layer and every attached document; the
 * S/MIME signature, every PDF and every detached signature file (.p7s)
 * are then verified as in the milter.  A message stored with bare LF line
 * ends (no CR anywhere) is first turned back into the CRLF form it was
 * signed in.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "aw_detached.h"
#include "aw_mime.h"
#include "aw_names.h"
#include "aw_sig.h"
#include "conf.h"
#include "digest.h"
#include "facts.h"
#include "fdio.h"
#include "report.h"
#include "sig_trust.h"
#include "verify_cmd.h"
#include "xmalloc.h"

#define VERIFY_MAX_INPUT	(512u << 20)
#define MAX_PATHS	64

/* The input, whole; NULL after saying why on stderr. */
static unsigned char *
read_file(const char *path, size_t *len)
{
	unsigned char *buf = file_read_whole(path, VERIFY_MAX_INPUT, len);

	if (buf == NULL)
		fprintf(stderr, "vanthu verify: %s: %s\n", path,
			errno == EFBIG ? "larger than 512 MB" :
			errno == EIO ? "read error" : strerror(errno));
	return buf;
}

/* ---- the From: header, for from_matches ---- */

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

/* The document as `vanthu-milter -t --json` shows it, less what only the
 * analysis of a message knows. */
static json_object *
pdf_json(const struct analysis *a, const char *path, const struct document *d)
{
	static const char *const drop[] = {"declared_type", "part",
	"origin", "origin_detail", "needs_ocr", "text_from_signed_revision",
	"facts", "kind"};
	json_object *o = report_document(a, d);

	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		json_object_object_del(o, drop[i]);
	json_object_object_add(o, "file", jstr(path));
	json_object_object_add(o, "signed_len",
			       json_object_new_int64((int64_t) d->signed_len));
	return o;
}

static void
print_pdf(const struct analysis *a, const char *path, const struct document *d,
	  int json)
{
	if (json) {
		json_object *o = pdf_json(a, path, d);

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
		if (s->detached && a && s->file < a->nsigfiles)
			field("file:", a->sigfiles[s->file].name);
	}
}

static json_object *
smime_json(const struct smime_result *r)
{
	json_object *sm = json_object_new_object();

	json_object_object_add(sm, "verdict", jstr(sig_verdict_names[r->verdict]));
	json_object_object_add(sm, "signer", jstr(r->signer));
	json_object_object_add(sm, "from_matches",
			       json_object_new_boolean(r->from_matches));
	json_object_object_add(sm, "reason", jstr(r->reason));
	return sm;
}

static void
print_smime(const char *path, const struct smime_result *r)
{
	printf("%s: S/MIME: %s\n", path, sig_verdict_names[r->verdict]);
	field("signer:", r->signer);
	if (r->present)
		printf("  %-18s %s\n", "from matches:", r->from_matches ? "yes" : "no");
	field("reason:", r->reason);
}

static int
is_pdf_doc(const struct document *d)
{
	return d->type && strcmp(d->type, "application/pdf") == 0;
}

/*
 * A message: its S/MIME signature and the signatures of every PDF in it,
 * and of every document a detached signature file beside it signs.
 * 0 when there is at least one signature and every one is valid.
 */
static int
verify_message(const struct sig_trust *trust, const char *path,
	       unsigned char *buf, size_t len, int json)
{
	struct analysis a;
	struct mime_limits lim;
	struct aw_type *types;
	size_t  hlen;
	char   *from, err[256];
	int     any = 0, all_valid = 1;
	json_object *top = NULL, *docs = NULL;

	if ((types = aw_type_open(err, sizeof(err))) == NULL) {
		fprintf(stderr, "vanthu verify: file types: %s\n", err);
		return 2;
	}
	aw_names_charconv_install();
	memset(&a, 0, sizeof(a));
	mime_limits_default(&lim, len);
	if (aw_mime_extract((const char *) buf, len, &lim, types, &a) < 0) {
		fprintf(stderr, "vanthu verify: %s: %s\n", path,
			a.error ? a.error : "cannot read the message");
		analysis_clear(&a);
		aw_type_close(types);
		return 2;
	}
	body_offset((const char *) buf, len, &hlen);
	from = header_value((const char *) buf, hlen, "From");
	aw_sig_smime(trust, &a, from);
	free(from);
	if (a.smime.present) {
		any = 1;
		all_valid = a.smime.verdict == SIG_VALID;
	}
	if (json) {
		top = json_object_new_object();
		docs = json_object_new_array();
		json_object_object_add(top, "file", jstr(path));
		json_object_object_add(top, "smime", smime_json(&a.smime));
		json_object_object_add(top, "documents", docs);
	} else {
		print_smime(path, &a.smime);
	}
	for (size_t i = 0; i < a.ndocs; i++)
		if (is_pdf_doc(&a.docs[i]))
			aw_sig_pdf(trust, &a.docs[i]);
	aw_detached_pair(trust, &a);
	for (size_t i = 0; i < a.ndocs; i++) {
		struct document *d = &a.docs[i];

		if (!is_pdf_doc(d) && d->nsigs == 0)
			continue;
		any |= d->nsigs > 0;
		if (d->nsigs > 0 && d->sig_verdict != SIG_VALID)
			all_valid = 0;
		if (json)
			json_object_array_add(docs, pdf_json(&a, d->name, d));
		else
			print_pdf(&a, d->name ? d->name : "(attachment)", d, 0);
	}
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(top,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(top);
	}
	analysis_clear(&a);
	aw_type_close(types);
	return any && all_valid ? 0 : 1;
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
		print_pdf(NULL, argv[optind], &d, json);
		rc = d.sig_verdict == SIG_VALID ? 0 : 1;
		document_clear(&d);	/* frees buf */
	} else {
		buf = crlf(buf, &len);
		rc = verify_message(trust, argv[optind], buf, len, json);
		free(buf);
	}
	sig_trust_free(trust);
	return rc;
}
