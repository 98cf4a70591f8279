/* confio.c -- reading config files, include globs and lines for lib/libconf. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conf_priv.h"

char *conf_read_file(const char *path, const char **why)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		close(fd);
		return NULL;
	}
	char *buf = malloc(CONF_FILE_MAX + 1);
	size_t len = 0;
	while (buf != NULL && len <= CONF_FILE_MAX) {
		ssize_t n = read(fd, buf + len, CONF_FILE_MAX + 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL || len > CONF_FILE_MAX) {
		*why = buf == NULL ? "out of memory" : "file too large";
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

char *conf_open_file(const char *path, conf_error_fn *err, void *ctx)
{
	const char *why = NULL;
	char *text = conf_read_file(path, &why);
	if (text == NULL && err != NULL) {
		char reason[256];
		snprintf(reason, sizeof(reason), "cannot open: %s", why);
		err(ctx, path, 0, reason);
	}
	return text;
}

int conf_glob(const char *from_file, const char *pattern, glob_t *g, const char **why)
{
	char path[4096];
	const char *slash = strrchr(from_file, '/');
	if (pattern[0] == '/' || slash == NULL)
		snprintf(path, sizeof(path), "%s", pattern);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - from_file), from_file, pattern);
	memset(g, 0, sizeof(*g));
	int r = glob(path, GLOB_ERR, NULL, g);
	if (r == 0) {
		if (g->gl_pathc > CONF_MAX_INCLUDE_FILES) {
			globfree(g);
			*why = "too many files match";
			return -1;
		}
		return 0;
	}
	globfree(g);
	memset(g, 0, sizeof(*g));
	if (r == GLOB_NOMATCH && strpbrk(pattern, "*?[") != NULL)
		return 0;
	*why = r == GLOB_NOMATCH ? "no such file" : "cannot read the directory";
	return -1;
}

bool conf_next_line(const char *text, size_t *pos, char *line, size_t cap, bool *too_long)
{
	if (text[*pos] == '\0')
		return false;
	const char *s = text + *pos;
	size_t n = strcspn(s, "\n");
	*pos += n + (s[n] == '\n');
	*too_long = n >= cap;
	if (*too_long)
		n = cap - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return true;
}
