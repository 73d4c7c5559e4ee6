/*
 * direction.h - which way a message goes, and whether its sender is
 * official.
 *
 * A message comes "from us" when the client authenticated ({auth_authen}),
 * connected from InternalHosts, or was submitted locally (no client
 * address).  From us, it is outbound when at least one recipient is
 * outside Domains, else internal.  From outside, it is inbound when at
 * least one recipient is in Domains, else transit.  With Domains empty
 * every recipient counts as ours; otherwise one routed on by a '%' or '!'
 * in its local part never does.
 *
 * The sender is official when the envelope sender's domain (the header
 * From's for a null sender) matches OfficialDomains.
 */
#ifndef VANTHU_DIRECTION_H
#define VANTHU_DIRECTION_H

#include "conf.h"
#include "facts.h"

void    direction_classify(const struct config *, struct msg_info *);
int     direction_address_is_ours(const struct config *, const char *address);

#endif
