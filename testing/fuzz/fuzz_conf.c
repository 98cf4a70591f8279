/* fuzz_conf.c -- libFuzzer target for lib/libconf: the input up to the first NUL is an
 * ipsec.conf, the rest an ipsec.secrets.  "include" is defused so that a generated
 * pattern cannot make the parser read arbitrary files of the fuzzing host. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_error(void *ctx, const char *file, int line, const char *reason)
{
	(void)ctx;
	(void)file;
	(void)line;
	(void)reason;
}

static void defuse_include(char *s)
{
	for (char *p = strstr(s, "include"); p != NULL; p = strstr(p + 1, "include"))
		p[0] = 'X';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	size_t split = strlen(buf);
	char *secrets = buf + split + 1;	/* "" when there is no NUL */
	defuse_include(buf);
	defuse_include(secrets);

	struct conf_file cf;
	conf_load_string_flags("fuzz.conf", buf, &cf, no_error, NULL, CONF_LOAD_OFFLINE);
	for (size_t i = 0; i < cf.nconns; i++) {
		(void)conf_find(&cf, cf.conns[i].name);
		(void)conf_ppk_ids_allow(cf.conns[i].ppk_ids, (const uint8_t *)"PPK_ID_1", 8);
	}
	conf_free(&cf);

	struct conf_secrets s;
	conf_secrets_load_string("fuzz.secrets", secrets, &s, no_error, NULL);
	struct ike_id a = { .type = 2, .len = 4, .data = "west" }, b = { .type = 2, .len = 4, .data = "east" };
	(void)conf_secrets_psk(&s, &a, &b);
	(void)conf_secrets_ppk(&s, &a, &b, NULL, 0);
	(void)conf_secrets_ppk(&s, &a, &b, (const uint8_t *)"PPK_ID_1", 8);
	conf_secrets_free(&s);
	free(buf);
	return 0;
}
