/*
 * conf.c - read vanthu.conf; see conf.h and vanthu.conf(5).
 *
 * The file is a list of "Name value" lines.  Each name has one entry in
 * the table below: its type says how the value is parsed and checked.
 * List names (domains, CIDRs, paths) may be given on several lines and
 * accumulate; a scalar given twice is an error, since the admin who wrote
 * it twice meant one of them and we cannot know which.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "aw_mime.h"
#include "conf.h"
#include "fdio.h"
#include "log.h"
#include "xmalloc.h"

#define CONF_INSTALLED	"/etc/vanthu/vanthu.conf"
#define CONF_MAX_LINE	8192
#define CONF_MAX_SIZE	(1 << 20)	/* a configuration file, bytes */

const char *const fail_action_names[FAIL__COUNT] = {
	[FAIL_ACCEPT] = "accept",
	[FAIL_TEMPFAIL] = "tempfail",
	[FAIL_REJECT] = "reject",
};

enum conf_type {
	T_STRING,		/* any non-empty text */
	T_PATH,			/* an absolute or relative file name */
	T_SOCKET,		/* a libmilter socket specification */
	T_USER,			/* user or user:group that exists */
	T_GROUP,
	T_BOOL,
	T_UINT,			/* whole number within [min, max] */
	T_SIZE,			/* bytes, with optional K, M or G */
	T_SECONDS,		/* seconds, with optional s, m or h */
	T_MODE,			/* octal file mode */
	T_ACTION,		/* accept | tempfail | reject */
	T_FACILITY,
	T_LEVEL,
	T_TIMEZONE,
	T_DOMAINS,		/* list of domain patterns */
	T_CIDRS,		/* list of addresses and networks */
	T_PATHS,		/* list of file names */
	T_HEADER_PREFIX,
};

struct conf_item {
	const char *name;
	enum conf_type type;
	size_t  offset;
	uint64_t min, max;	/* T_UINT, T_SIZE, T_SECONDS */
};

#define AT(field)	offsetof(struct config, field)

static const struct conf_item items[] = {
	{"Socket", T_SOCKET, AT(socket), 0, 0},
	{"SocketMode", T_MODE, AT(socket_mode), 0, 0},
	{"SocketGroup", T_GROUP, AT(socket_group), 0, 0},
	{"UserID", T_USER, AT(user), 0, 0},
	{"PidFile", T_PATH, AT(pidfile), 0, 0},
	{"Syslog", T_BOOL, AT(syslog), 0, 0},
	{"SyslogFacility", T_FACILITY, AT(syslog_facility), 0, 0},
	{"LogLevel", T_LEVEL, AT(log_level), 0, 0},
	{"StatsFile", T_PATH, AT(stats_file), 0, 0},
	{"StatsInterval", T_SECONDS, AT(stats_interval), 1, 86400},
	{"Domains", T_DOMAINS, AT(domains), 0, 0},
	{"OfficialDomains", T_DOMAINS, AT(official_domains), 0, 0},
	{"InternalHosts", T_CIDRS, AT(internal_hosts), 0, 0},
	{"Database", T_PATH, AT(database), 0, 0},
	{"Spool", T_PATH, AT(spool), 0, 0},
	{"Rules", T_PATH, AT(rules), 0, 0},
	{"Timezone", T_TIMEZONE, AT(timezone), 0, 0},
	{"HeaderPrefix", T_HEADER_PREFIX, AT(header_prefix), 0, 0},
	{"MaxMessageSize", T_SIZE, AT(max_message_size), 1024, (uint64_t) 4 << 30},
	{"OnOversize", T_ACTION, AT(on_oversize), 0, 0},
	{"OnInternalError", T_ACTION, AT(on_internal_error), 0, 0},
	{"OnAnalysisError", T_ACTION, AT(on_analysis_error), 0, 0},
	{"OnStoreError", T_ACTION, AT(on_store_error), 0, 0},
	{"AnalysisWorkers", T_UINT, AT(analysis_workers), 1, 256},
	{"AnalysisTimeout", T_SECONDS, AT(analysis_timeout), 1, 3600},
	{"AnalysisMemory", T_SIZE, AT(analysis_memory), 32 << 20, (uint64_t) 64 << 30},
	{"MaxParts", T_UINT, AT(max_parts), 1, 100000},
	{"MaxDepth", T_UINT, AT(max_depth), 1, MIME_MAX_DEPTH},
	{"MaxArchiveFiles", T_UINT, AT(max_archive_files), 0, 100000},
	{"MaxArchiveSize", T_SIZE, AT(max_archive_size), 0, (uint64_t) 16 << 30},
	{"MaxArchiveRatio", T_UINT, AT(max_archive_ratio), 1, 100000},
	{"TrustAnchors", T_PATHS, AT(trust_anchors), 0, 0},
	{"Intermediates", T_PATHS, AT(intermediates), 0, 0},
	{"CRLFiles", T_PATHS, AT(crl_files), 0, 0},
	{"SignatureClockSkew", T_SECONDS, AT(signature_clock_skew), 0, 86400},
};

#define NITEMS	(sizeof(items) / sizeof(items[0]))

struct parser {
	const char *file;
	unsigned line;
	FILE   *errors;
	unsigned nerrors;
	unsigned seen[NITEMS];	/* line each scalar was set on, 0: not yet */
};

static void conf_error(struct parser *, const char *, ...)
	__attribute__((format(printf, 2, 3)));

static void
conf_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(p->errors, "%s:%u: ", p->file, p->line);
	va_start(ap, fmt);
	vfprintf(p->errors, fmt, ap);
	va_end(ap);
	fputc('\n', p->errors);
	p->nerrors++;
}

int
conf_user_lookup(const char *spec, char *name, size_t namelen, uid_t *uid,
		 gid_t *gid, char *why, size_t whylen)
{
	const char *colon = strchr(spec, ':');
	size_t  n = colon ? (size_t) (colon - spec) : strlen(spec);
	struct passwd *pw;
	struct group *gr;

	if (n >= namelen) {
		snprintf(why, whylen, "user name \"%s\" too long", spec);
		return -1;
	}
	memcpy(name, spec, n);
	name[n] = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(why, whylen, "no such user \"%s\"", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (colon) {
		if ((gr = getgrnam(colon + 1)) == NULL) {
			snprintf(why, whylen, "no such group \"%s\"", colon + 1);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

int
fail_action_by_name(const char *s)
{
	for (int i = 0; i < FAIL__COUNT; i++)
		if (strcasecmp(s, fail_action_names[i]) == 0)
			return i;
	return -1;
}

static void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

static void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct config *
conf_defaults(void)
{
	struct config *c = xcalloc(1, sizeof(*c));

	c->socket = xstrdup("inet:8891@127.0.0.1");
	c->socket_mode = -1;
	c->syslog = 1;
	c->syslog_facility = LOG_MAIL;
	c->log_level = LOG_INFO;
	c->stats_interval = 60;
	strlist_add(&c->official_domains, "*.gov.vn");
	c->internal_hosts.v = xcalloc(2, sizeof(struct cidr));
	cidr_parse("127.0.0.1", &c->internal_hosts.v[0]);
	cidr_parse("::1", &c->internal_hosts.v[1]);
	c->internal_hosts.n = 2;
	c->database = xstrdup("./var/register.sqlite");
	c->spool = xstrdup("./var/spool");
	c->rules = xstrdup("./rules");
	c->timezone = xstrdup("Asia/Ho_Chi_Minh");
	c->header_prefix = xstrdup("X-Vanthu-");
	c->max_message_size = 50 << 20;
	c->on_oversize = FAIL_ACCEPT;
	c->on_internal_error = FAIL_TEMPFAIL;
	c->on_analysis_error = FAIL_TEMPFAIL;
	c->on_store_error = FAIL_TEMPFAIL;
	c->analysis_workers = 4;
	c->analysis_timeout = 30;
	c->analysis_memory = (uint64_t) 1 << 30;
	c->max_parts = 1000;
	c->max_depth = 10;
	c->max_archive_files = 100;
	c->max_archive_size = 100 << 20;
	c->max_archive_ratio = 100;
	c->signature_clock_skew = 300;
	return c;
}

struct config *
conf_free(struct config *c)
{
	if (c == NULL)
		return NULL;
	free(c->path);
	free(c->text);
	free(c->socket);
	free(c->socket_group);
	free(c->user);
	free(c->pidfile);
	free(c->stats_file);
	strlist_free(&c->domains);
	strlist_free(&c->official_domains);
	free(c->internal_hosts.v);
	free(c->database);
	free(c->spool);
	free(c->rules);
	free(c->timezone);
	free(c->header_prefix);
	strlist_free(&c->trust_anchors);
	strlist_free(&c->intermediates);
	strlist_free(&c->crl_files);
	free(c);
	return NULL;
}

const char *
conf_default_path(void)
{
	return access(CONF_INSTALLED, F_OK) == 0 ? CONF_INSTALLED : NULL;
}

/* Parse a whole number with an optional unit suffix; -1 on error. */
static int
parse_scaled(const char *s, const char *units, const uint64_t *scale,
	     uint64_t *out)
{
	char   *end;
	unsigned long long v;
	const char *u;

	if (!isdigit((unsigned char) *s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 0) {
		*out = v;
		return 0;
	}
	if (end[1] != 0 || (u = strchr(units, tolower((unsigned char) *end))) == NULL)
		return -1;
	if (v > UINT64_MAX / scale[u - units])
		return -1;
	*out = v * scale[u - units];
	return 0;
}

static int
socket_valid(const char *s)
{
	const char *at;
	char   *end;
	long    port;

	if (strncasecmp(s, "unix:", 5) == 0 || strncasecmp(s, "local:", 6) == 0)
		return strchr(s, ':')[1] == '/';
	if (strncasecmp(s, "inet:", 5) == 0)
		s += 5;
	else if (strncasecmp(s, "inet6:", 6) == 0)
		s += 6;
	else
		return 0;
	if (!isdigit((unsigned char) *s))
		return 0;
	port = strtol(s, &end, 10);
	if (port < 1 || port > 65535)
		return 0;
	at = end;
	return *at == 0 || (*at == '@' && at[1] != 0);
}

static int
timezone_valid(const char *tz)
{
	char    path[PATH_MAX];
	struct stat st;

	if (strcmp(tz, "UTC") == 0)
		return 1;
	if (tz[0] == '/' || strstr(tz, "..") != NULL)
		return 0;
	if ((size_t) snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz) >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
header_prefix_valid(const char *s)
{
	/* A header field name: printable ASCII without colon or space. */
	if (*s == 0 || strlen(s) > 40)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 127 || *s == ':')
			return 0;
	return 1;
}

/* Split a list value on commas and white space. */
static char *
next_word(char **cursor)
{
	char   *s = *cursor, *w;

	while (*s == ',' || isspace((unsigned char) *s))
		s++;
	if (*s == 0)
		return NULL;
	w = s;
	while (*s && *s != ',' && !isspace((unsigned char) *s))
		s++;
	if (*s)
		*s++ = 0;
	*cursor = s;
	return w;
}

static void
set_string(struct config *c, const struct conf_item *it, const char *v)
{
	char  **slot = (char **) ((char *) c + it->offset);

	free(*slot);
	*slot = xstrdup(v);
}

static void
set_value(struct parser *p, struct config *c, const struct conf_item *it,
	  char *value)
{
	void   *slot = (char *) c + it->offset;
	static const uint64_t size_scale[] = {1024, 1024 * 1024, 1024 * 1024 * 1024};
	static const uint64_t time_scale[] = {1, 60, 3600};
	uint64_t n;
	int     i;
	char   *word, *end;

	switch (it->type) {
	case T_STRING:
	case T_PATH:
		set_string(c, it, value);
		return;
	case T_SOCKET:
		if (!socket_valid(value))
			conf_error(p, "Socket: \"%s\" is not unix:/path, local:/path, "
				   "inet:port@host or inet6:port@host", value);
		else
			set_string(c, it, value);
		return;
	case T_USER: {
		char    name[256], why[300];
		uid_t   uid;
		gid_t   gid;

		if (conf_user_lookup(value, name, sizeof(name), &uid, &gid, why,
				     sizeof(why)) < 0)
			conf_error(p, "UserID: %s", why);
		set_string(c, it, value);
		return;
	}
	case T_GROUP:
		if (getgrnam(value) == NULL)
			conf_error(p, "no such group \"%s\"", value);
		else
			set_string(c, it, value);
		return;
	case T_BOOL:
		if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 ||
		    strcmp(value, "1") == 0)
			*(int *) slot = 1;
		else if (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0 ||
			 strcmp(value, "0") == 0)
			*(int *) slot = 0;
		else
			conf_error(p, "\"%s\" is not yes or no", value);
		return;
	case T_UINT:
	case T_SIZE:
	case T_SECONDS:
		if (parse_scaled(value, it->type == T_SIZE ? "kmg" :
				 it->type == T_SECONDS ? "smh" : "",
				 it->type == T_SIZE ? size_scale : time_scale, &n) < 0) {
			conf_error(p, it->type == T_SIZE ? "\"%s\" is not a size (bytes, or a number with K, M or G)" :
				   it->type == T_SECONDS ? "\"%s\" is not a duration (seconds, or a number with s, m or h)" :
				   "\"%s\" is not a whole number", value);
			return;
		}
		if (n < it->min || n > it->max) {
			conf_error(p, "%s: value out of range, expected %llu to %llu",
				   it->name, (unsigned long long) it->min,
				   (unsigned long long) it->max);
			return;
		}
		if (it->type == T_SIZE)
			*(uint64_t *) slot = n;
		else
			*(unsigned *) slot = (unsigned) n;
		return;
	case T_MODE: {
		long    m = strtol(value, &end, 8);

		if (*value == 0 || *end || m < 0 || m > 0777)
			conf_error(p, "\"%s\" is not an octal file mode", value);
		else
			*(int *) slot = (int) m;
		return;
	}
	case T_ACTION:
		if ((i = fail_action_by_name(value)) < 0)
			conf_error(p, "\"%s\" is not accept, tempfail or reject", value);
		else
			*(enum fail_action *) slot = i;
		return;
	case T_FACILITY:
		if ((i = log_facility_by_name(value)) < 0)
			conf_error(p, "\"%s\" is not a syslog facility (mail, daemon, local0..7)", value);
		else
			*(int *) slot = i;
		return;
	case T_LEVEL:
		if ((i = log_level_by_name(value)) < 0)
			conf_error(p, "\"%s\" is not error, warning, notice, info or debug", value);
		else
			*(int *) slot = i;
		return;
	case T_TIMEZONE:
		if (!timezone_valid(value))
			conf_error(p, "Timezone: unknown time zone \"%s\"", value);
		else
			set_string(c, it, value);
		return;
	case T_HEADER_PREFIX:
		if (!header_prefix_valid(value))
			conf_error(p, "HeaderPrefix: \"%s\" cannot start a header name", value);
		else
			set_string(c, it, value);
		return;
	case T_DOMAINS:
		while ((word = next_word(&value)) != NULL) {
			if (!domain_pattern_valid(word))
				conf_error(p, "\"%s\" is not a domain or *.domain pattern", word);
			else
				strlist_add(slot, word);
		}
		return;
	case T_PATHS:
		while ((word = next_word(&value)) != NULL)
			strlist_add(slot, word);
		return;
	case T_CIDRS: {
		struct cidr_list *l = slot;
		struct cidr cidr;

		while ((word = next_word(&value)) != NULL) {
			if (cidr_parse(word, &cidr) < 0) {
				conf_error(p, "\"%s\" is not an address or network (CIDR)", word);
				continue;
			}
			l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
			l->v[l->n++] = cidr;
		}
		return;
	}
	}
}

static int
is_list(enum conf_type t)
{
	return t == T_DOMAINS || t == T_CIDRS || t == T_PATHS;
}

static void
parse_line(struct parser *p, struct config *c, char *line)
{
	char   *name, *value, *end;
	size_t  i;

	if ((end = strchr(line, '#')) != NULL)
		*end = 0;
	while (isspace((unsigned char) *line))
		line++;
	end = line + strlen(line);
	while (end > line && isspace((unsigned char) end[-1]))
		*--end = 0;
	if (*line == 0)
		return;

	name = line;
	while (*line && !isspace((unsigned char) *line))
		line++;
	if (*line)
		*line++ = 0;
	while (isspace((unsigned char) *line))
		line++;
	value = line;

	for (i = 0; i < NITEMS; i++)
		if (strcasecmp(name, items[i].name) == 0)
			break;
	if (i == NITEMS) {
		conf_error(p, "unknown name \"%s\"", name);
		return;
	}
	if (*value == 0) {
		conf_error(p, "%s needs a value", items[i].name);
		return;
	}
	if (!is_list(items[i].type)) {
		if (p->seen[i]) {
			conf_error(p, "%s already set on line %u", items[i].name,
				   p->seen[i]);
			return;
		}
		p->seen[i] = p->line;
	} else if (!p->seen[i]) {
		/* The first line of a list replaces the default list. */
		p->seen[i] = p->line;
		if (items[i].type == T_CIDRS) {
			c->internal_hosts.n = 0;
		} else {
			strlist_free((struct strlist *) ((char *) c + items[i].offset));
		}
	}
	set_value(p, c, &items[i], value);
}

/* Parse text, len bytes read from path, which the config keeps. */
static struct config *
conf_parse(const char *path, char *text, size_t len, FILE *errors)
{
	struct parser p = {.file = path, .errors = errors};
	struct config *c = conf_defaults();
	char    line[CONF_MAX_LINE];
	size_t  at = 0;

	c->path = xstrdup(path);
	c->text = text;
	c->text_len = len;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t  n = nl ? (size_t) (nl - (text + at)) + 1 : len - at;

		p.line++;
		if (n >= sizeof(line)) {
			conf_error(&p, "line longer than %d bytes", CONF_MAX_LINE - 1);
		} else {
			memcpy(line, text + at, n);
			line[n] = 0;
			parse_line(&p, c, line);
		}
		at += n;
	}
	if (p.nerrors)
		return conf_free(c);
	return c;
}

struct config *
conf_load(const char *path, FILE *errors)
{
	size_t  len;
	char   *text = (char *) file_read_whole(path, CONF_MAX_SIZE, &len);

	if (text == NULL) {
		fprintf(errors, "%s: cannot %s: %s\n", path, errno == EFBIG ||
			errno == EIO ? "read" : "open", strerror(errno));
		return NULL;
	}
	return conf_parse(path, text, len, errors);
}

struct config *
conf_load_fd(const char *path, int fd, FILE *errors)
{
	size_t  len;
	char   *text = (char *) fd_read_whole(fd, CONF_MAX_SIZE, &len);

	if (text == NULL) {
		fprintf(errors, "%s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	return conf_parse(path, text, len, errors);
}
