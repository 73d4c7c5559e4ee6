/*
 * mime_walk.c - print what aw_mime_extract() finds in a message, as JSON.
 *
 *	mime_walk [-d DIR] FILE.eml
 *
 * Uses the default limits (mime_limits_default with the file's size) and
 * prints {"documents": [...], "skipped": [...], "smime": {...}} with the
 * names of the README's "What vanthu extracts".  With -d, the bytes of
 * document i go to DIR/doc<i>, and the S/MIME signed content and signature
 * to DIR/smime.content and DIR/smime.der, for other tools to check.  Exit 0 when the walk ran,
 * 1 when it failed or the file cannot be read, 2 on usage errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "aw_mime.h"
#include "digest.h"
#include "facts.h"
#include "fdio.h"
#include "xmalloc.h"

/* Exactly the file's size, so that a sanitizer sees any read past the
 * end of the message. */
static char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf = file_read_whole(path, SIZE_MAX, len);

	return buf ? xrealloc(buf, *len ? *len : 1) : NULL;
}

static void
dump(const char *dir, const char *name, const void *p, size_t len)
{
	char   *path = xasprintf("%s/%s", dir, name);
	FILE   *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, len, f) != len)
		perror(path);
	if (f != NULL)
		fclose(f);
	free(path);
}

static json_object *
str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

int
main(int argc, char **argv)
{
	struct mime_limits lim;
	struct analysis a;
	struct aw_type *t;
	json_object *root, *docs, *skipped, *smime;
	char    err[256];
	const char *dir = NULL;
	size_t  len;
	char   *msg;
	int     rc, out;

	if (argc == 4 && strcmp(argv[1], "-d") == 0) {
		dir = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: mime_walk [-d DIR] FILE.eml\n");
		return 2;
	}
	if ((msg = slurp(argv[1], &len)) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if ((t = aw_type_open(err, sizeof(err))) == NULL) {
		fprintf(stderr, "mime_walk: %s\n", err);
		free(msg);
		return 1;
	}
	memset(&a, 0, sizeof(a));
	mime_limits_default(&lim, len);
	/* libytnef prints its complaints on standard output, which must
	 * hold only the JSON: during the walk it goes to stderr, as a
	 * worker's does (aw_main.c). */
	fflush(stdout);
	if ((out = dup(STDOUT_FILENO)) < 0 ||
	    dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		perror("mime_walk: standard output");
		return 1;
	}
	rc = aw_mime_extract(msg, len, &lim, t, &a);
	fflush(stdout);
	if (dup2(out, STDOUT_FILENO) < 0) {
		perror("mime_walk: standard output");
		return 1;
	}
	close(out);

	root = json_object_new_object();
	docs = json_object_new_array();
	for (size_t i = 0; i < a.ndocs; i++) {
		const struct document *d = &a.docs[i];
		json_object *o = json_object_new_object();
		char    sha[65];

		/* As the daemon does when the bytes reach it (wproto.c). */
		sha256_hex(d->data, d->len, sha);
		json_object_object_add(o, "name", str_or_null(d->name));
		json_object_object_add(o, "sha256", json_object_new_string(sha));
		json_object_object_add(o, "size", json_object_new_int64((int64_t) d->size));
		json_object_object_add(o, "type", str_or_null(d->type));
		json_object_object_add(o, "kind", str_or_null(d->kind));
		json_object_object_add(o, "declared_type", str_or_null(d->declared_type));
		json_object_object_add(o, "part", str_or_null(d->part));
		json_object_object_add(o, "origin",
				       json_object_new_string(doc_origin_names[d->origin]));
		json_object_object_add(o, "origin_detail", str_or_null(d->origin_detail));
		json_object_array_add(docs, o);
	}
	json_object_object_add(root, "documents", docs);
	skipped = json_object_new_array();
	for (size_t i = 0; i < a.nskipped; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "part", str_or_null(a.skipped[i].part));
		json_object_object_add(o, "name", str_or_null(a.skipped[i].name));
		json_object_object_add(o, "reason", str_or_null(a.skipped[i].reason));
		json_object_array_add(skipped, o);
	}
	json_object_object_add(root, "skipped", skipped);
	smime = json_object_new_object();
	json_object_object_add(smime, "content", json_object_new_int64((int64_t) a.smime_content_len));
	json_object_object_add(smime, "der", json_object_new_int64((int64_t) a.smime_der_len));
	json_object_object_add(root, "smime", smime);
	if (dir != NULL) {
		for (size_t i = 0; i < a.ndocs; i++) {
			char    n[32];

			snprintf(n, sizeof(n), "doc%zu", i);
			dump(dir, n, a.docs[i].data, a.docs[i].len);
		}
		if (a.smime_content)
			dump(dir, "smime.content", a.smime_content, a.smime_content_len);
		if (a.smime_der)
			dump(dir, "smime.der", a.smime_der, a.smime_der_len);
	}
	if (a.error)
		json_object_object_add(root, "error", json_object_new_string(a.error));
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	analysis_clear(&a);
	aw_type_close(t);
	free(msg);
	return rc == 0 ? 0 : 1;
}
