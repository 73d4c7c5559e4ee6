/*
 * aw_cid.h - which Content-IDs an HTML body names (worker side).
 *
 * An image in multipart/related is part of the HTML body only when that
 * HTML shows it: <img src="cid:ID">, or url(cid:ID) in a style (RFC 2392).
 * The caller first says which Content-IDs it asks about (aw_cid_want(),
 * one for each part that has one), then hands over each HTML body
 * (aw_cid_scan()), then asks (aw_cid_named()).  Memory grows with the
 * parts, never with what the HTML holds.  IDs compare without regard to
 * ASCII case, as mailers write them either way.
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
};

void    aw_cid_want(struct cid_refs *, const char *cid);
void    aw_cid_scan(struct cid_refs *, const char *html, size_t len);
int     aw_cid_named(struct cid_refs *, const char *cid);
void    aw_cid_free(struct cid_refs *);

#endif
