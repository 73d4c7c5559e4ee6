/*
 * replay.c - a main() for a fuzz target without libFuzzer: every file
 * named, and every file in a directory named, goes once through
 * LLVMFuzzerTestOneInput().
 *
 *	build/tests/fuzz/mime_fuzz DIR|FILE...
 *
 * `make tests` links each fuzz/NAME_fuzz.c with this file, with the
 * compiler and sanitizers of the build, and tests/fuzz/ replays the
 * seeds of fuzz/seeds.sh through them: the targets keep building, and
 * every seed keeps going through its parser cleanly, under `make asan`
 * too.  Calls LLVMFuzzerInitialize() first when the target has one, as
 * libFuzzer does.  On standard error (a target may send its standard
 * output to /dev/null) it names each input before running it, so that
 * the last name is that of a crash, and ends with "replayed N inputs";
 * exits 1 when a file cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fdio.h"

#define INPUT_MAX	(256u << 20)

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int     LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
replay_file(const char *path, unsigned long *count)
{
	unsigned char *data;
	size_t  len;

	if ((data = file_read_whole(path, INPUT_MAX, &len)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(stderr, "input %s\n", path);	/* the last one names a crash */
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	(*count)++;
	return 0;
}

/* The regular files of dir, in name order. */
static int
replay_dir(const char *dir, unsigned long *count)
{
	struct dirent **list;
	char    path[4096];
	struct stat st;
	int     n, r = 0;

	if ((n = scandir(dir, &list, NULL, alphasort)) < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if ((size_t) snprintf(path, sizeof(path), "%s/%s", dir,
				      list[i]->d_name) < sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path, count) < 0)
			r = -1;
		free(list[i]);
	}
	free(list);
	return r;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0;
	struct stat st;
	int     failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count) < 0 :
			   replay_file(argv[i], &count) < 0)
			failed = 1;
	}
	fprintf(stderr, "replayed %lu inputs\n", count);
	return failed;
}
