/* log.c -- Libreswan-style log lines: `"conn" #3: message`.
 * Lines go to the log file (or stderr) and to the whack client waiting on the SA. */
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include "pluto.h"

static void log_line(struct pluto *p, struct whack_client *w, const char *prefix,
		     const char *fmt, va_list ap)
{
	char msg[PLUTO_WHACK_LINE_MAX];
	int n = snprintf(msg, sizeof(msg), "%s", prefix);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(msg))
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	FILE *f = p->log != NULL ? p->log : stderr;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	char when[32];
	strftime(when, sizeof(when), "%b %d %H:%M:%S", &tm);
	if (p->setup.logtime || f == stderr)
		fprintf(f, "%s.%03ld: %s\n", when, ts.tv_nsec / 1000000, msg);
	else	/* logtime=no (config setup): the log file without timestamps */
		fprintf(f, "%s\n", msg);
	if (f == stderr)
		fflush(f);	/* the log file is flushed once per event (log_flush) */
	if (w != NULL)
		whack_printf(w, "%s", msg);
}

void plog(struct pluto *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line(p, NULL, "", fmt, ap);
	va_end(ap);
}

void ike_log(struct ike_sa *ike, const char *fmt, ...)
{
	char prefix[CONF_NAME_MAX + 32];
	snprintf(prefix, sizeof(prefix), "\"%s\" #%u: ", ike->c != NULL ? ike->c->name : "",
		 ike->serial);
	va_list ap;
	va_start(ap, fmt);
	log_line(ike->pluto, ike->whack, prefix, fmt, ap);
	va_end(ap);
}

void conn_log(struct pluto *p, const struct connection *c, const char *fmt, ...)
{
	char prefix[CONF_NAME_MAX + 8];
	snprintf(prefix, sizeof(prefix), "\"%s\": ", c->name);
	va_list ap;
	va_start(ap, fmt);
	log_line(p, NULL, prefix, fmt, ap);
	va_end(ap);
}

/* Called at the end of every event callback: one write per batch of log lines. */
void log_flush(struct pluto *p)
{
	if (p->log != NULL)
		fflush(p->log);
}
