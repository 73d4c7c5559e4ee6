/*
 * direction.c - see direction.h.
 */
#include <string.h>

#include "direction.h"
#include "netmatch.h"

static int
domain_in(const struct strlist *patterns, const char *domain)
{
	for (size_t i = 0; i < patterns->n; i++)
		if (domain_match(patterns->v[i], domain))
			return 1;
	return 0;
}

/*
 * A '%' or '!' before the domain is a route the MTA may still follow:
 * for a domain it delivers itself, Postfix turns "x%gmail.com@ours" into
 * "x@gmail.com" and "gmail.com!x@ours" likewise (allow_percent_hack,
 * swap_bangpath, both on by default), after the filter has seen it.
 * Such a recipient is never counted as ours, so its mail counts as
 * leaving.
 */
int
direction_address_is_ours(const struct config *cfg, const char *address)
{
	const char *domain;

	if (cfg->domains.n == 0)
		return 1;
	if ((domain = address_domain(address)) == NULL ||
	    strcspn(address, "%!") < (size_t) (domain - address))
		return 0;
	return domain_in(&cfg->domains, domain);
}

/* The domain in a header From value such as "Name <a@b.gov.vn>". */
static int
header_from_official(const struct config *cfg, const char *value)
{
	const char *lt, *gt;
	char    addr[512];
	size_t  n;

	if (value == NULL)
		return 0;
	if ((lt = strrchr(value, '<')) != NULL && (gt = strchr(lt, '>')) != NULL) {
		n = (size_t) (gt - lt - 1);
		value = lt + 1;
	} else {
		n = strlen(value);
	}
	if (n >= sizeof(addr))
		return 0;
	memcpy(addr, value, n);
	addr[n] = 0;
	return domain_in(&cfg->official_domains, address_domain(addr));
}

void
direction_classify(const struct config *cfg, struct msg_info *m)
{
	int     from_us, any_ours = 0, any_outside = 0;

	from_us = m->auth != NULL || m->client_addr == NULL ||
	    cidr_list_match(&cfg->internal_hosts, m->client_addr);
	for (size_t i = 0; i < m->nrcpts; i++) {
		if (direction_address_is_ours(cfg, m->rcpts[i]))
			any_ours = 1;
		else
			any_outside = 1;
	}
	if (from_us)
		m->direction = any_outside ? DIR_OUTBOUND : DIR_INTERNAL;
	else
		m->direction = any_ours ? DIR_INBOUND : DIR_TRANSIT;

	if (m->from && *m->from)
		m->official = domain_in(&cfg->official_domains, address_domain(m->from));
	else
		m->official = header_from_official(cfg, m->header_from);
}
