/*
 * policy.c - see policy.h.
 */
#include <stdlib.h>

#include "policy.h"
#include "stats.h"
#include "xmalloc.h"

const char *const failure_class_names[FAILURE__COUNT] = {
	[FAILURE_INTERNAL] = "internal",
	[FAILURE_ANALYSIS] = "analysis",
	[FAILURE_STORE] = "store",
	[FAILURE_OVERSIZE] = "oversize",
};

static const struct {
	const char *tempfail_text;
	const char *reject_code, *reject_xcode, *reject_text;
} replies[FAILURE__COUNT] = {
	[FAILURE_INTERNAL] = {
		"Temporary local problem in the document filter, please try again later",
		"554", "5.3.0", "Local problem in the document filter",
	},
	[FAILURE_ANALYSIS] = {
		"Document analysis temporarily unavailable, please try again later",
		"554", "5.6.0", "Attached documents could not be examined",
	},
	[FAILURE_STORE] = {
		"Document register temporarily unavailable, please try again later",
		"554", "5.3.0", "Documents could not be registered",
	},
	[FAILURE_OVERSIZE] = {
		"Message too large for document analysis, please try again later",
		"552", "5.3.4", "Message too large for document analysis",
	},
};

static enum fail_action
configured(const struct config *cfg, enum failure_class c)
{
	switch (c) {
	case FAILURE_ANALYSIS:
		return cfg->on_analysis_error;
	case FAILURE_STORE:
		return cfg->on_store_error;
	case FAILURE_OVERSIZE:
		return cfg->on_oversize;
	case FAILURE_INTERNAL:
	default:
		return cfg->on_internal_error;
	}
}

void
policy_failure(const struct config *cfg, enum failure_class c, const char *why,
	       struct outcome *o)
{
	free(o->failure);
	o->failure = xasprintf("%s: %s", failure_class_names[c], why);
	stats_count_failure(c);
	switch (configured(cfg, c)) {
	case FAIL_ACCEPT:
		o->disposition = DISP_ACCEPT;
		break;
	case FAIL_TEMPFAIL:
		o->disposition = DISP_TEMPFAIL;
		outcome_set_reply(o, "451", "4.3.0", replies[c].tempfail_text);
		break;
	case FAIL_REJECT:
	default:
		o->disposition = DISP_REJECT;
		outcome_set_reply(o, replies[c].reject_code, replies[c].reject_xcode,
			  replies[c].reject_text);
		break;
	}
}
