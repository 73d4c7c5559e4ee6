/*
 * netmatch.c - domain patterns and CIDR lists; see netmatch.h.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "netmatch.h"

int
cidr_parse(const char *text, struct cidr *out)
{
	char    buf[INET6_ADDRSTRLEN + 8];
	char   *slash, *end;
	unsigned max;
	long    prefix;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	out->prefix = max;
	if (slash) {
		if (!isdigit((unsigned char) *slash))
			return -1;
		prefix = strtol(slash, &end, 10);
		if (*end || prefix < 0 || prefix > (long) max)
			return -1;
		out->prefix = (unsigned) prefix;
	}
	return 0;
}

static int
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[bytes] ^ b[bytes]) & (0xFF << (8 - rest))) == 0;
}

int
cidr_list_match(const struct cidr_list *list, const char *addr)
{
	uint8_t bin[16];
	int     family;

	if (addr == NULL)
		return 0;
	/* Sendmail writes IPv6 client addresses as "IPv6:..." */
	if (strncasecmp(addr, "IPv6:", 5) == 0)
		addr += 5;
	if (inet_pton(AF_INET, addr, bin) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, addr, bin) == 1)
		family = AF_INET6;
	else
		return 0;

	/* An IPv4-mapped IPv6 address matches IPv4 entries too. */
	if (family == AF_INET6 && memcmp(bin, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(bin, bin + 12, 4);
		family = AF_INET;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct cidr *c = &list->v[i];

		if (c->family == family && prefix_equal(c->addr, bin, c->prefix))
			return 1;
	}
	return 0;
}

int
domain_pattern_valid(const char *p)
{
	if (strncmp(p, "*.", 2) == 0)
		p += 2;
	if (*p == 0 || *p == '.' || p[strlen(p) - 1] == '.')
		return 0;
	for (; *p; p++)
		if (!(isalnum((unsigned char) *p) || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

int
domain_match(const char *pattern, const char *domain)
{
	size_t  dl, pl;

	if (domain == NULL || *domain == 0)
		return 0;
	dl = strlen(domain);
	/* A trailing dot on the domain (absolute name) does not matter. */
	if (domain[dl - 1] == '.')
		dl--;
	if (strncmp(pattern, "*.", 2) == 0) {
		pattern += 1;	/* keep the dot: ".gov.vn" */
		pl = strlen(pattern);
		return dl > pl && strncasecmp(domain + dl - pl, pattern, pl) == 0;
	}
	pl = strlen(pattern);
	return dl == pl && strncasecmp(domain, pattern, pl) == 0;
}

const char *
address_domain(const char *address)
{
	const char *at;

	if (address == NULL || (at = strrchr(address, '@')) == NULL || at[1] == 0)
		return NULL;
	return at + 1;
}
