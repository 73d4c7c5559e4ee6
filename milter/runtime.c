/*
 * runtime.c - see runtime.h.
 */
#include <pthread.h>
#include <stdlib.h>

#include "runtime.h"
#include "xmalloc.h"

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static struct runtime *current;

struct runtime *
runtime_new(struct config *cfg, struct ruleset *rules)
{
	struct runtime *rt = xcalloc(1, sizeof(*rt));

	rt->refs = 1;
	rt->cfg = cfg;
	rt->rules = rules;
	return rt;
}

struct runtime *
runtime_current(void)
{
	struct runtime *rt;

	pthread_mutex_lock(&runtime_lock);
	if ((rt = current) != NULL)
		rt->refs++;
	pthread_mutex_unlock(&runtime_lock);
	return rt;
}

struct runtime *
runtime_release(struct runtime *rt)
{
	int     last;

	if (rt == NULL)
		return NULL;
	pthread_mutex_lock(&runtime_lock);
	last = --rt->refs == 0;
	pthread_mutex_unlock(&runtime_lock);
	if (last) {
		conf_free(rt->cfg);
		rules_unref(rt->rules);
		free(rt);
	}
	return NULL;
}

void
runtime_install(struct runtime *rt)
{
	struct runtime *old;

	pthread_mutex_lock(&runtime_lock);
	old = current;
	current = rt;
	pthread_mutex_unlock(&runtime_lock);
	runtime_release(old);
}
