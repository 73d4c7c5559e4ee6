/*
 * ruleset.c - load rule files into a ruleset; reference counting.
 *
 * rules_load() takes one file or a directory; of a directory it reads the
 * regular files whose names end in ".rules", in byte order of their names
 * (so 00-default.rules before 50-local.rules).  Every file is parsed even
 * after an error so that all errors are reported; `enable` and `disable`
 * statements apply after every file is read, the last one for a rule
 * winning.  Any error, or a directory without a rules file, gives NULL.
 *
 * The reference count is atomic: rules_ref() and rules_unref() may be
 * called from any thread; the last unref frees the ruleset.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rint.h"
#include "xmalloc.h"

static void
ruleset_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nrules; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->ntoggles; i++) {
		free(rs->toggles[i].name);
		free(rs->toggles[i].file);
	}
	free(rs->toggles);
	free(rs);
}

static struct ruleset *
ruleset_new(void)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));

	atomic_init(&rs->refs, 1);
	return rs;
}

/* Apply enable/disable in order; returns the number of errors. */
static int
apply_toggles(struct ruleset *rs, FILE *errors)
{
	int     n = 0;

	for (size_t i = 0; i < rs->ntoggles; i++) {
		struct toggle *tg = &rs->toggles[i];
		size_t  j;

		for (j = 0; j < rs->nrules; j++)
			if (strcmp(rs->rules[j].name, tg->name) == 0)
				break;
		if (j == rs->nrules) {
			if (errors)
				fprintf(errors, "%s:%d:%d: %s of unknown rule "
					"'%s'\n", tg->file, tg->line, tg->col,
					tg->enable ? "enable" : "disable",
					tg->name);
			n++;
			continue;
		}
		rs->rules[j].enabled = tg->enable;
	}
	return n;
}

/* Read a whole file, capped; -1 with errno. */
static int
read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int     fd;
	size_t  n = 0;
	ssize_t r;
	char   *b;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t) st.st_size > RULES_MAX_FILE) {
		close(fd);
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return -1;
	}
	b = xmalloc((size_t) st.st_size + 1);
	while (n < (size_t) st.st_size) {
		r = read(fd, b + n, (size_t) st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t) r;
	}
	close(fd);
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

static int
load_one(struct ruleset *rs, const char *path, FILE *errors)
{
	char   *buf;
	size_t  len;
	int     n;

	if (read_file(path, &buf, &len) < 0) {
		if (errors)
			fprintf(errors, "%s:0:0: cannot read: %s\n", path,
				strerror(errno));
		return 1;
	}
	n = parse_file(rs, path, buf, len, errors);
	free(buf);
	return n;
}

static int
rules_name(const struct dirent *d)
{
	size_t  n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 6 &&
	       strcmp(d->d_name + n - 6, ".rules") == 0;
}

struct ruleset *
rules_load(const char *path, FILE *errors)
{
	struct ruleset *rs = ruleset_new();
	struct stat st;
	int     nerr = 0;

	if (stat(path, &st) < 0) {
		if (errors)
			fprintf(errors, "%s:0:0: cannot read: %s\n", path,
				strerror(errno));
		ruleset_free(rs);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **names;
		int     n = scandir(path, &names, rules_name, alphasort);

		if (n < 0) {
			if (errors)
				fprintf(errors, "%s:0:0: cannot read: %s\n",
					path, strerror(errno));
			ruleset_free(rs);
			return NULL;
		}
		if (n == 0) {
			if (errors)
				fprintf(errors, "%s:0:0: no *.rules file\n",
					path);
			nerr++;
		}
		for (int i = 0; i < n; i++) {
			char   *p = xasprintf("%s/%s", path, names[i]->d_name);

			nerr += load_one(rs, p, errors);
			free(p);
			free(names[i]);
		}
		free(names);
	} else {
		nerr += load_one(rs, path, errors);
	}
	if (nerr == 0)
		nerr += apply_toggles(rs, errors);
	if (nerr) {
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_load_buffer(const char *name, const char *buf, size_t len,
		  FILE *errors)
{
	struct ruleset *rs = ruleset_new();
	int     nerr = parse_file(rs, name, buf, len, errors);

	if (nerr == 0)
		nerr = apply_toggles(rs, errors);
	if (nerr) {
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_ref(struct ruleset *rs)
{
	if (rs != NULL)
		atomic_fetch_add(&rs->refs, 1);
	return rs;
}

struct ruleset *
rules_unref(struct ruleset *rs)
{
	if (rs != NULL && atomic_fetch_sub(&rs->refs, 1) == 1)
		ruleset_free(rs);
	return NULL;
}

size_t
rules_count(const struct ruleset *rs)
{
	return rs ? rs->nrules : 0;
}
