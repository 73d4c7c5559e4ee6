/*
 * conf_test.c - vanthu.conf parsing: values, defaults and every error
 * reported with its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"

/* Load text as a configuration file; errors land in *errs. */
static struct config *
load(const char *text, char **errs)
{
	char    path[] = "/tmp/vanthu-conf-test.XXXXXX";
	int     fd = mkstemp(path);
	FILE   *fp = fdopen(fd, "w");
	char   *buf = NULL;
	size_t  len = 0;
	FILE   *err = open_memstream(&buf, &len);
	struct config *c;

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	c = conf_load(path, err);
	fclose(err);
	unlink(path);
	/* Replace the random file name by a fixed one for comparison. */
	{
		char   *out = calloc(1, len + 1), *w = out;
		const char *r = buf;
		size_t  pl = strlen(path);

		while (*r) {
			if (strncmp(r, path, pl) == 0) {
				memcpy(w, "F", 1);
				w++;
				r += pl;
			} else {
				*w++ = *r++;
			}
		}
		*errs = out;
	}
	free(buf);
	return c;
}

static void
defaults_are_documented_values(void **state)
{
	struct config *c = conf_defaults();

	(void) state;
	assert_string_equal(c->socket, "inet:8891@127.0.0.1");
	assert_string_equal(c->database, "./var/register.sqlite");
	assert_string_equal(c->spool, "./var/spool");
	assert_string_equal(c->header_prefix, "X-Vanthu-");
	assert_string_equal(c->timezone, "Asia/Ho_Chi_Minh");
	assert_int_equal(c->official_domains.n, 1);
	assert_string_equal(c->official_domains.v[0], "*.gov.vn");
	assert_int_equal(c->on_internal_error, FAIL_TEMPFAIL);
	assert_int_equal(c->on_analysis_error, FAIL_TEMPFAIL);
	assert_int_equal(c->on_store_error, FAIL_TEMPFAIL);
	assert_int_equal(c->on_oversize, FAIL_ACCEPT);
	assert_int_equal(c->internal_hosts.n, 2);
	conf_free(c);
}

static void
values_are_parsed(void **state)
{
	char   *errs;
	struct config *c = load(
		"# comment\n"
		"  socket   unix:/run/vanthu/vanthu.sock  # trailing comment\n"
		"DOMAINS binhdinh.gov.vn, *.binhdinh.gov.vn\n"
		"Domains sonoi.gov.vn\n"
		"OfficialDomains *.gov.vn chinhphu.vn\n"
		"InternalHosts 10.0.0.0/8, 2001:db8::/32 192.168.1.7\n"
		"MaxMessageSize 30M\n"
		"AnalysisTimeout 2m\n"
		"OnStoreError reject\n"
		"OnAnalysisError accept\n"
		"SocketMode 0660\n"
		"Syslog no\n"
		"LogLevel debug\n"
		"HeaderPrefix X-VT-\n"
		"Timezone UTC\n", &errs);

	(void) state;
	assert_string_equal(errs, "");
	assert_non_null(c);
	assert_string_equal(c->socket, "unix:/run/vanthu/vanthu.sock");
	assert_int_equal(c->domains.n, 3);
	assert_string_equal(c->domains.v[1], "*.binhdinh.gov.vn");
	assert_string_equal(c->domains.v[2], "sonoi.gov.vn");
	assert_int_equal(c->official_domains.n, 2);
	assert_int_equal(c->internal_hosts.n, 3);
	assert_int_equal(c->max_message_size, 30 * 1024 * 1024);
	assert_int_equal(c->analysis_timeout, 120);
	assert_int_equal(c->on_store_error, FAIL_REJECT);
	assert_int_equal(c->on_analysis_error, FAIL_ACCEPT);
	assert_int_equal(c->socket_mode, 0660);
	assert_int_equal(c->syslog, 0);
	assert_string_equal(c->header_prefix, "X-VT-");
	free(errs);
	conf_free(c);
}

static void
every_error_names_its_line(void **state)
{
	char   *errs;
	struct config *c = load(
		"Socket tcp:25\n"
		"NoSuchName 1\n"
		"MaxMessageSize lots\n"
		"OnStoreError maybe\n"
		"\n"
		"Domains bad_domain!\n"
		"InternalHosts 10.0.0.0/33\n"
		"AnalysisWorkers 0\n"
		"Timezone Mars/Olympus\n"
		"Syslog perhaps\n"
		"Database\n"
		"Spool /a\n"
		"Spool /b\n"
		"HeaderPrefix Bad:Prefix\n"
		"SocketMode 999\n"
		"MaxDepth 65\n", &errs);

	(void) state;
	assert_null(c);
	assert_string_equal(errs,
		"F:1: Socket: \"tcp:25\" is not unix:/path, local:/path, inet:port@host or inet6:port@host\n"
		"F:2: unknown name \"NoSuchName\"\n"
		"F:3: \"lots\" is not a size (bytes, or a number with K, M or G)\n"
		"F:4: \"maybe\" is not accept, tempfail or reject\n"
		"F:6: \"bad_domain!\" is not a domain or *.domain pattern\n"
		"F:7: \"10.0.0.0/33\" is not an address or network (CIDR)\n"
		"F:8: AnalysisWorkers: value out of range, expected 1 to 256\n"
		"F:9: Timezone: unknown time zone \"Mars/Olympus\"\n"
		"F:10: \"perhaps\" is not yes or no\n"
		"F:11: Database needs a value\n"
		"F:13: Spool already set on line 12\n"
		"F:14: HeaderPrefix: \"Bad:Prefix\" cannot start a header name\n"
		"F:15: \"999\" is not an octal file mode\n"
		"F:16: MaxDepth: value out of range, expected 1 to 64\n");
	free(errs);
}

static void
missing_file_is_an_error(void **state)
{
	char   *buf = NULL;
	size_t  len = 0;
	FILE   *err = open_memstream(&buf, &len);

	(void) state;
	assert_null(conf_load("/nonexistent/vanthu.conf", err));
	fclose(err);
	assert_string_equal(buf, "/nonexistent/vanthu.conf: cannot open: No such file or directory\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_documented_values),
		cmocka_unit_test(values_are_parsed),
		cmocka_unit_test(every_error_names_its_line),
		cmocka_unit_test(missing_file_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
