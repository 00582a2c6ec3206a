/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A main() for a fuzz target without libFuzzer: feeds each file named on
 * the command line (each file of a directory named) to the target once, so
 * the regression inputs and the corpus run under gcc's sanitizers too.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"

static size_t replayed;

/* The whole file in a buffer of exactly its size, so ASan sees a read past its end. */
static uint8_t *slurp(FILE *f, size_t *len)
{
	size_t cap = 65536, got;
	uint8_t *buf = malloc(cap), *exact;

	*len = 0;
	while (buf && (got = fread(buf + *len, 1, cap - *len, f)) > 0) {
		*len += got;
		if (*len == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf)
		abort();
	exact = malloc(*len ? *len : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, *len);
	free(buf);
	return exact;
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t len;

	if (!f) {
		perror(path);
		return 1;
	}
	buf = slurp(f, &len);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	replayed++;
	return 0;
}

static int replay(const char *path)
{
	struct dirent **names;
	struct stat st;
	int n, err = 0;

	if (stat(path, &st)) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.' &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name) < (int)sizeof(sub))
			err |= replay(sub);
		free(names[i]);
	}
	free(names);
	return err;
}

int main(int argc, char **argv)
{
	int err = 0;

	for (int i = 1; i < argc; i++)
		err |= replay(argv[i]);
	printf("%zu inputs\n", replayed);
	return err;
}
