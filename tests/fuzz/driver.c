/* zairyu-tools: replays files through a fuzz target without libFuzzer. */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zairyu/io.h"
#include "fuzz.h"

static int
replay(const char *path)
{
	unsigned char *buf;
	size_t len;
	struct zr_error e;

	if (zr_read_file(path, 64u << 20, &buf, &len, &e) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, e.msg);
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* Each argument is a file or a directory of files (not recursive). */
int
main(int argc, char **argv)
{
	int i, n = 0, bad = 0;
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *de;
			char path[4096];
			if (d == NULL)
				continue;
			while ((de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    de->d_name);
				if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
					bad += replay(path);
					n++;
				}
			}
			closedir(d);
		} else {
			bad += replay(argv[i]);
			n++;
		}
	}
	printf("%d\n", n);
	return bad != 0;
}
