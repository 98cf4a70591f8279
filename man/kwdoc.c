/* kwdoc.c -- prints the keyword registry (lib/libconf/keywords.c) with its
 * documentation (keyword_doc.c) as scdoc, for ipsec.conf(5).  A build-time helper, not
 * installed.  Exits 1, failing the build, when an implemented keyword has no
 * documentation or a documentation entry names no implemented keyword. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "conf.h"

/* scdoc text: its markup characters escaped */
static void esc(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '_' || *s == '*' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

/* text as a sentence: its first letter a capital */
static void sentence(const char *s)
{
	if (*s >= 'a' && *s <= 'z') {
		putchar(*s - 'a' + 'A');
		s++;
	}
	esc(s);
}

/* the left form only, for "*leftX*=, *rightX*=" */
static void left_name(const struct conf_keyword *k)
{
	printf("*left");
	esc(k->name);
	printf("*");
}

static void name(const struct conf_keyword *k)
{
	if (k->section == CONF_KW_END) {
		printf("*left");
		esc(k->name);
		printf("*, *right");
		esc(k->name);
		printf("*");
	} else {
		printf("*");
		esc(k->name);
		printf("*");
	}
}

static const char *const heading[] = {
	[CONF_KW_SETUP] = "CONFIG SETUP KEYWORDS",
	[CONF_KW_CONN] = "CONN KEYWORDS",
	[CONF_KW_END] = "LEFT AND RIGHT KEYWORDS",
};

static void implemented(enum conf_kw_section sec, const struct conf_keyword *t, size_t n)
{
	printf("# %s\n\n", heading[sec]);
	for (size_t i = 0; i < n; i++) {
		const struct conf_keyword *k = &t[i];
		if (k->section != sec || k->status != CONF_KW_IMPLEMENTED)
			continue;
		if (sec == CONF_KW_END && k->alias_of == NULL)
			left_name(k);
		else
			name(k);
		if (k->alias_of != NULL) {
			printf("\n\tAnother name of *");
			esc(k->alias_of);
			printf("*.\n\n");
			continue;
		}
		const struct conf_keyword_doc *d = conf_keyword_doc(sec, k->name);
		if (sec == CONF_KW_END)
			printf("=, *right");	/* leftX=, rightX=VALUES */
		if (sec == CONF_KW_END)
			esc(k->name);
		printf("%s=_", sec == CONF_KW_END ? "*" : "");
		esc(d->values);
		printf("_\n\t");
		sentence(d->text);
		printf(".\n\tDefault: ");
		esc(d->dflt);
		printf(".\n\n");
	}
}

static void refused(enum conf_kw_status st, const struct conf_keyword *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct conf_keyword *k = &t[i];
		if (k->status != st)
			continue;
		name(k);
		printf(" (%s)", k->section == CONF_KW_SETUP ? "config setup" : "conn");
		if (k->alias_of != NULL) {
			printf(", another name of *");
			esc(k->alias_of);
			printf("*");
		}
		printf("\n\t");
		sentence(k->why != NULL ? k->why : "");
		if (k->same != NULL) {
			printf(". Accepted, without a message, with the value ");
			esc(k->same);
		}
		printf(".\n\n");
	}
}

int main(void)
{
	size_t n, nd;
	const struct conf_keyword *t = conf_keywords(&n);
	const struct conf_keyword_doc *d = conf_keyword_docs(&nd);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i].status == CONF_KW_IMPLEMENTED && t[i].alias_of == NULL &&
		    conf_keyword_doc(t[i].section, t[i].name) == NULL) {
			fprintf(stderr, "kwdoc: implemented keyword '%s' has no entry in keyword_doc.c\n", t[i].name);
			bad = 1;
		}
	}
	for (size_t i = 0; i < nd; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = t[j].section == d[i].section && strcmp(t[j].name, d[i].name) == 0 &&
				t[j].status == CONF_KW_IMPLEMENTED && t[j].alias_of == NULL;
		if (!found) {
			fprintf(stderr, "kwdoc: keyword_doc.c documents '%s', not an implemented keyword\n", d[i].name);
			bad = 1;
		}
	}
	if (bad)
		return 1;
	implemented(CONF_KW_CONN, t, n);
	implemented(CONF_KW_END, t, n);
	implemented(CONF_KW_SETUP, t, n);
	printf("# REFUSED KEYWORDS\n\n"
	       "Every other keyword of Libreswan's ipsec.conf(5) is known. A conn using one of\n"
	       "these is not loaded and *pluto --checkconfig* fails, unless the value asks for\n"
	       "what Interlude does anyway (listed with the keyword).\n\n"
	       "## IKEv1 only\n\n");
	refused(CONF_KW_IKEV1, t, n);
	printf("## Not supported yet\n\n");
	refused(CONF_KW_NOT_YET, t, n);
	printf("# OBSOLETE KEYWORDS\n\n"
	       "Accepted with a warning and otherwise ignored (an obsolete name of an\n"
	       "implemented keyword acts as that keyword).\n\n");
	refused(CONF_KW_OBSOLETE, t, n);
	return 0;
}
