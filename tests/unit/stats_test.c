/*
 * stats_test.c - counters, the Prometheus text and the atomic write;
 * the start-up directory checks of perms.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "facts.h"
#include "message.h"
#include "perms.h"
#include "policy.h"
#include "stats.h"

static char *
printed(void)
{
	char   *buf = NULL;
	size_t  len = 0;
	FILE   *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(stats_print(fp), 0);
	fclose(fp);
	return buf;
}

static int
has_line(const char *text, const char *line)
{
	size_t  n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* The tests run in order and share the process-wide counters. */
static void
counts_messages_documents_failures(void **state)
{
	struct document docs[3] = {0};
	struct analysis a = {.docs = docs, .ndocs = 3};
	char   *t;

	(void) state;
	docs[0].sig_verdict = SIG_VALID;
	docs[1].sig_verdict = SIG_VALID;
	docs[2].sig_verdict = SIG_MODIFIED;
	stats_count_message(DIR_INBOUND, DISP_ACCEPT, &a);
	stats_count_message(DIR_INBOUND, DISP_ACCEPT, NULL);
	stats_count_message(DIR_OUTBOUND, DISP_REJECT, NULL);
	stats_count_message(DIR__COUNT, DISP_ACCEPT, NULL);	/* ignored */
	stats_count_failure(FAILURE_ANALYSIS);
	stats_count_failure(FAILURE__COUNT);			/* ignored */
	stats_count_worker_restart();
	stats_count_register_number();
	stats_count_register_number();

	t = printed();
	assert_true(has_line(t, "# TYPE vanthu_messages_total counter"));
	assert_true(has_line(t, "vanthu_messages_total{direction=\"inbound\",outcome=\"accept\"} 2"));
	assert_true(has_line(t, "vanthu_messages_total{direction=\"outbound\",outcome=\"reject\"} 1"));
	assert_true(has_line(t, "vanthu_messages_total{direction=\"transit\",outcome=\"quarantine\"} 0"));
	assert_true(has_line(t, "vanthu_documents_total{verdict=\"valid\"} 2"));
	assert_true(has_line(t, "vanthu_documents_total{verdict=\"modified\"} 1"));
	assert_true(has_line(t, "vanthu_documents_total{verdict=\"absent\"} 0"));
	assert_true(has_line(t, "vanthu_failures_total{class=\"analysis\"} 1"));
	assert_true(has_line(t, "vanthu_failures_total{class=\"store\"} 0"));
	assert_true(has_line(t, "vanthu_worker_restarts_total 1"));
	assert_true(has_line(t, "vanthu_register_numbers_total 2"));
	free(t);
}

/* A step's time is summed in seconds, to the microsecond, with a count. */
static void
times_the_steps_of_a_message(void **state)
{
	struct timespec start;
	char   *t;

	(void) state;
	clock_gettime(CLOCK_MONOTONIC, &start);
	start.tv_sec -= 2;		/* began two seconds ago */
	stats_time_step(STEP_ANALYSIS, &start);
	clock_gettime(CLOCK_MONOTONIC, &start);
	start.tv_sec += 60;		/* a clock that went back counts 0 */
	stats_time_step(STEP_ANALYSIS, &start);
	stats_time_step(STEP__COUNT, &start);			/* ignored */
	t = printed();
	assert_true(has_line(t, "# TYPE vanthu_step_seconds summary"));
	assert_true(strstr(t, "\nvanthu_step_seconds_sum{step=\"analysis\"} 2.0") != NULL);
	assert_true(has_line(t, "vanthu_step_seconds_count{step=\"analysis\"} 2"));
	assert_true(has_line(t, "vanthu_step_seconds_sum{step=\"register\"} 0.000000"));
	assert_true(has_line(t, "vanthu_step_seconds_count{step=\"register\"} 0"));
	assert_true(has_line(t, "vanthu_step_seconds_count{step=\"rules\"} 0"));
	assert_true(has_line(t, "vanthu_step_seconds_count{step=\"document_store\"} 0"));
	free(t);
}

/* Every line is a comment or "name{labels} value": what node_exporter reads. */
static void
every_line_is_prometheus_text(void **state)
{
	char   *t = printed(), *save = NULL, *line;
	int     samples = 0;

	(void) state;
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char   *sp;

		if (line[0] == '#') {
			assert_true(strncmp(line, "# HELP vanthu_", 14) == 0 ||
				    strncmp(line, "# TYPE vanthu_", 14) == 0);
			continue;
		}
		assert_true(strncmp(line, "vanthu_", 7) == 0);
		sp = strrchr(line, ' ');
		assert_non_null(sp);
		sp++;
		sp += strspn(sp, "0123456789");
		if (*sp == '.')
			sp += 1 + strspn(sp + 1, "0123456789");
		assert_int_equal(*sp, 0);
		samples++;
	}
	/* 4 x 4 messages, 8 verdicts, 4 failures, 2 counters, 4 steps
	 * (sum and count), 2 times */
	assert_int_equal(samples, 16 + 8 + 4 + 2 + 8 + 2);
	free(t);
}

static void
writes_the_file_through_a_rename(void **state)
{
	char    dir[] = "/tmp/vanthu-stats.XXXXXX", path[256], tmp[300];
	struct stat st;
	char    buf[8192];
	FILE   *fp;
	size_t  n;

	(void) state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vanthu.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(stats_write(path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(access(tmp, F_OK), -1);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = 0;
	fclose(fp);
	assert_true(has_line(buf, "vanthu_register_numbers_total 2"));
	unlink(path);

	/* A directory that does not exist: an error, and no file. */
	snprintf(path, sizeof(path), "%s/no/such/dir/vanthu.prom", dir);
	assert_int_equal(stats_write(path), -1);
	rmdir(dir);
}

static void
writer_thread_writes_at_start_and_stop(void **state)
{
	char    dir[] = "/tmp/vanthu-stats.XXXXXX", path[256];

	(void) state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vanthu.prom", dir);
	assert_int_equal(stats_writer_start(path, 3600), 0);
	stats_writer_stop();
	assert_int_equal(access(path, R_OK), 0);
	unlink(path);
	rmdir(dir);
}

static void
perms_refuse_group_or_world_writable(void **state)
{
	char    dir[] = "/tmp/vanthu-perms.XXXXXX", why[512], sub[300];

	(void) state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(perms_check_dir("Spool", dir, why, sizeof(why)), 0);
	chmod(dir, 0775);
	assert_int_equal(perms_check_dir("Spool", dir, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is writable by its group (mode 0775)"));
	chmod(dir, 01777);
	assert_int_equal(perms_check_dir("Spool", dir, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is writable by other users (mode 1777)"));
	assert_int_equal(strncmp(why, "Spool /tmp/vanthu-perms.", 24), 0);
	snprintf(sub, sizeof(sub), "%s/absent", dir);
	assert_int_equal(perms_check_dir("Spool", sub, why, sizeof(why)), 0);
	rmdir(dir);
}

static void
perms_database_dir_is_the_files_directory(void **state)
{
	char    d[256];

	(void) state;
	perms_database_dir("/var/lib/vanthu/register.sqlite", d, sizeof(d));
	assert_string_equal(d, "/var/lib/vanthu");
	perms_database_dir("./var/register.sqlite", d, sizeof(d));
	assert_string_equal(d, "./var");
	perms_database_dir("register.sqlite", d, sizeof(d));
	assert_string_equal(d, ".");
	perms_database_dir("/register.sqlite", d, sizeof(d));
	assert_string_equal(d, "/");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_messages_documents_failures),
		cmocka_unit_test(times_the_steps_of_a_message),
		cmocka_unit_test(every_line_is_prometheus_text),
		cmocka_unit_test(writes_the_file_through_a_rename),
		cmocka_unit_test(writer_thread_writes_at_start_and_stop),
		cmocka_unit_test(perms_refuse_group_or_world_writable),
		cmocka_unit_test(perms_database_dir_is_the_files_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
