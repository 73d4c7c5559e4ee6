/*
 * netmatch.h - matching addresses against domain patterns and CIDR lists.
 *
 * Domain patterns are exact names (binhdinh.gov.vn) or a leading "*." that
 * matches any name below (*.gov.vn matches a.gov.vn and a.b.gov.vn, not
 * gov.vn itself).  Comparison ignores case.
 */
#ifndef VANTHU_NETMATCH_H
#define VANTHU_NETMATCH_H

#include <stddef.h>
#include <stdint.h>

struct cidr {
	int     family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned prefix;
};

struct cidr_list {
	struct cidr *v;
	size_t  n;
};

int     cidr_parse(const char *text, struct cidr *out);	/* 0 or -1 */
int     cidr_list_match(const struct cidr_list *, const char *addr);
int     domain_pattern_valid(const char *pattern);
int     domain_match(const char *pattern, const char *domain);
/* The domain of an address: the part after the last '@', or NULL. */
const char *address_domain(const char *address);

#endif
