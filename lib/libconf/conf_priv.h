/* conf_priv.h -- lib/libconf internals shared by conf.c and secrets.c (not installed). */
#ifndef CONF_PRIV_H
#define CONF_PRIV_H

#include <glob.h>
#include <stdbool.h>
#include <stddef.h>
#include "conf.h"

#define CONF_FILE_MAX      (1u << 20)	/* octets read from one file */
#define CONF_MAX_INCLUDE_FILES 64	/* files one include line may pull in */

/* A regular file of at most CONF_FILE_MAX octets as a NUL-terminated heap string;
 * NULL with *why set otherwise (never blocks: opened O_NONBLOCK). */
char *conf_read_file(const char *path, const char **why);
/* conf_read_file() for a top-level file: on failure err(ctx, path, 0, "cannot open: WHY")
 * (when err is not NULL) and NULL. */
char *conf_open_file(const char *path, conf_error_fn *err, void *ctx);

/* Libreswan ipsec.conf(5) include: a shell glob, relative to the directory of the
 * including file.  Returns 0 with g filled (globfree it), or -1 with *why set; a
 * pattern with wildcards that matches nothing gives 0 and an empty g. */
int conf_glob(const char *from_file, const char *pattern, glob_t *g, const char **why);

/* A line of text: [*pos, eol), next line start.  Returns false at the end. */
bool conf_next_line(const char *text, size_t *pos, char *line, size_t cap, bool *too_long);

#endif
