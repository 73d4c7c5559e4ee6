/*
 * aw_cid.h - which Content-IDs an HTML body names (worker side).
 *
 * An image in multipart/related is part of the HTML body only when that
 * HTML shows it: <img src="cid:ID">, or url(cid:ID) in a style (RFC 2392).
 * The caller hands over, in any order, the Content-IDs it will ask about
 * (aw_cid_want(), one for each part that has one) and the decoded HTML
 * bodies (aw_cid_html()), then asks (aw_cid_named()).  The bodies are
 * read once, at the next question, for the wanted IDs only: memory grows
 * with the parts, never with the references the HTML holds.  IDs compare
 * without regard to ASCII case, as mailers write them either way.
 */
#ifndef VANTHU_AW_CID_H
#define VANTHU_AW_CID_H

#include <stddef.h>

struct cid_want {
	char   *id;		/* lower case */
	int     named;		/* an HTML body names it */
};

struct cid_refs {
	struct cid_want *v;
	size_t  n, cap;
	int     sorted;
	struct cid_html {	/* bodies not yet read */
		unsigned char *p;
		size_t  len;
	}      *html;
	size_t  nhtml, caphtml;
};

void    aw_cid_want(struct cid_refs *, const char *cid);
/* Takes html, which aw_cid_named() or aw_cid_free() frees. */
void    aw_cid_html(struct cid_refs *, unsigned char *html, size_t len);
int     aw_cid_named(struct cid_refs *, const char *cid);
void    aw_cid_free(struct cid_refs *);

#endif
