/*
 * doc_facts.c - print the text and facts vanthu reads from one document.
 *
 *	doc_facts FILE [--type MIME] [--subject S] [--signed-len N] [--text]
 *
 * Prints the document as `vanthu-milter -t --json` does (report.c), with
 * "error" (or null), "text", "page_headers" and "page_footers" with --text,
 * and for an edXML packet the documents it carries.  The type comes from
 * --type or the file name's extension, else from the bytes.  Exit 0 when
 * the document was read, 1 when it was not, 2 on usage errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aw_facts.h"
#include "aw_text.h"
#include "digest.h"
#include "report.h"
#include "fdio.h"
#include "xmalloc.h"

static const char *
type_by_name(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcasecmp(dot, ".pdf") == 0)
		return TEXT_MIME_PDF;
	if (strcasecmp(dot, ".docx") == 0)
		return TEXT_MIME_DOCX;
	if (strcasecmp(dot, ".odt") == 0)
		return TEXT_MIME_ODT;
	if (strcasecmp(dot, ".edxml") == 0 || strcasecmp(dot, ".xml") == 0)
		return TEXT_MIME_EDXML;
	if (strcasecmp(dot, ".doc") == 0)
		return TEXT_MIME_DOC;
	return "application/octet-stream";
}

/* The document as `vanthu-milter -t --json` shows it, with the error
 * and, on request, the text. */
static struct json_object *
doc_json(struct document *d, const char *why, int with_text)
{
	struct json_object *o;

	/* As the daemon does when the bytes reach it (wproto.c). */
	if (d->sha256[0] == 0 && d->data != NULL)
		sha256_hex(d->data, d->len, d->sha256);
	o = report_document(NULL, d);
	json_object_object_add(o, "error", why ? json_object_new_string(why) : NULL);
	if (with_text) {
		json_object_object_add(o, "text", d->text ?
				       json_object_new_string(d->text) : NULL);
		json_object_object_add(o, "page_headers", d->page_headers ?
				       json_object_new_string(d->page_headers) : NULL);
		json_object_object_add(o, "page_footers", d->page_footers ?
				       json_object_new_string(d->page_footers) : NULL);
	}
	return o;
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *type = NULL, *subject = NULL, *why = NULL;
	size_t  signed_len = 0;
	int     with_text = 0, rc = 0;
	struct text_limits lim;
	struct analysis a = {0};
	struct document *d;
	struct json_object *out, *arr;


	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--type") == 0 && i + 1 < argc)
			type = argv[++i];
		else if (strcmp(argv[i], "--subject") == 0 && i + 1 < argc)
			subject = argv[++i];
		else if (strcmp(argv[i], "--signed-len") == 0 && i + 1 < argc)
			signed_len = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--text") == 0)
			with_text = 1;
		else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else {
			fprintf(stderr, "usage: doc_facts FILE [--type MIME] "
				"[--subject S] [--signed-len N] [--text]\n");
			return 2;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "doc_facts: no file\n");
		return 2;
	}
	text_limits_default(&lim);
	d = analysis_add_document(&a);
	d->data = file_read_whole(path, SIZE_MAX, &d->len);
	if (d->data == NULL) {
		perror(path);
		analysis_clear(&a);
		return 1;
	}
	d->size = d->len;
	d->signed_len = signed_len;
	d->name = xstrdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	d->type = xstrdup(type ? type : type_by_name(path));

	/* As the worker's pipeline does; an edXML packet adds documents. */
	arr = json_object_new_array();
	for (size_t i = 0; i < a.ndocs; i++) {
		const char *w = NULL;

		if (aw_document_read(&a, i, i == 0 ? subject : NULL, &lim, &w) != 0
		    && w == NULL)
			w = "unreadable";
		if (i == 0)
			why = w;
		else
			json_object_array_add(arr, doc_json(&a.docs[i], w, with_text));
	}
	out = doc_json(&a.docs[0], why, with_text);
	if (json_object_array_length(arr) > 0)
		json_object_object_add(out, "documents", arr);
	else
		json_object_put(arr);
	if (why)
		rc = 1;
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out);
	analysis_clear(&a);
	return rc;
}
