/* log.c -- Libreswan-style log lines: `"conn" #3: message`.
 * Lines go to the log file (or stderr) and to the whack client waiting on the SA.
 * Debug lines (plutodebug=, conn debug=, whack --debug) start with "| " as
 * Libreswan's do and go to the log only; they are not rate-limited (the operator
 * asked for them). */
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

/* --- debug lines --- */

static void log_str(struct pluto *p, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void log_str(struct pluto *p, const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line(p, NULL, prefix, fmt, ap);
	va_end(ap);
}

/* "| ", then "crypt: " or "cpu-usage: " for those categories, then an SA's "#N: ",
 * with add-prefix '"conn" #N: ' */
static void dbg_prefix(struct pluto *p, const struct ike_sa *ike, unsigned cat, char *buf, size_t len)
{
	const char *what = cat == DBG_CRYPT ? "crypt: " : cat == DBG_CPU_USAGE ? "cpu-usage: " : "";
	if (ike == NULL)
		snprintf(buf, len, "| %s", what);
	else if (ike_debugging(ike) & DBG_ADD_PREFIX)
		snprintf(buf, len, "| %s\"%s\" #%u: ", what, ike->c != NULL ? ike->c->name : "", ike->serial);
	else
		snprintf(buf, len, "| %s#%u: ", what, ike->serial);
}

void dbg_log(struct pluto *p, const struct ike_sa *ike, unsigned cat, const char *fmt, ...)
{
	char prefix[CONF_NAME_MAX + 48];
	dbg_prefix(p, ike, cat, prefix, sizeof(prefix));
	va_list ap;
	va_start(ap, fmt);
	log_line(p, NULL, prefix, fmt, ap);
	va_end(ap);
}

#define DBG_HEX_PER_LINE 16

void dbg_hex(struct pluto *p, const struct ike_sa *ike, unsigned cat, const char *what, const uint8_t *d,
	     size_t len)
{
	char prefix[CONF_NAME_MAX + 48];
	dbg_prefix(p, ike, cat, prefix, sizeof(prefix));
	log_str(p, prefix, "%s (%zu octets):", what, len);
	for (size_t off = 0; off < len; off += DBG_HEX_PER_LINE) {
		char line[DBG_HEX_PER_LINE * 3 + 4];
		size_t n = 0;
		for (size_t i = off; i < len && i < off + DBG_HEX_PER_LINE; i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%02x",
					      i == off ? "" : (i - off) % 4 == 0 ? "  " : " ", d[i]);
		log_str(p, prefix, "  %s", line);
		chunk_wipe(line, sizeof(line));		/* it may have held a key */
	}
}

void dbg_secret(const struct ike_sa *ike, const char *what, const uint8_t *d, size_t len, bool long_term)
{
	unsigned set = ike_debugging(ike);
	if (!(set & DBG_CRYPT) || d == NULL)
		return;
	char label[160];
	if (long_term && !(set & DBG_PRIVATE)) {
		dbg_log(ike->pluto, ike, DBG_CRYPT, "%s (long-term secret, %zu octets): not shown; "
			"add private to plutodebug= or whack --debug to show it", what, len);
		return;
	}
	snprintf(label, sizeof(label), "%s (%s, SECRET)", what, long_term ? "long-term secret" : "key");
	dbg_hex(ike->pluto, ike, DBG_CRYPT, label, d, len);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void dbg_cpu_start(struct pluto *p, unsigned set, struct dbg_cpu *t)
{
	(void)p;
	t->on = (set & DBG_CPU_USAGE) != 0;
	if (!t->on)
		return;
	t->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	t->wall_ns = clock_ns(CLOCK_MONOTONIC);
}

void dbg_cpu_done(struct pluto *p, unsigned set, const struct dbg_cpu *t, const char *fmt, ...)
{
	if (!t->on || !(set & DBG_CPU_USAGE))
		return;
	uint64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - t->cpu_ns, wall = clock_ns(CLOCK_MONOTONIC) - t->wall_ns;
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	dbg_log(p, NULL, DBG_CPU_USAGE, "%s: %llu.%03llu ms CPU, %llu.%03llu ms elapsed", what,
		(unsigned long long)(cpu / 1000000), (unsigned long long)(cpu / 1000 % 1000),
		(unsigned long long)(wall / 1000000), (unsigned long long)(wall / 1000 % 1000));
}

void dbg_announce(struct pluto *p, const char *who, const char *what, unsigned old, unsigned now)
{
	char a[96], b[96];
	plog(p, "%s: debugging%s%s: %s (was %s)", who, what[0] ? " of " : "", what, dbg_str(now, a, sizeof(a)),
	     dbg_str(old, b, sizeof(b)));
	if ((now & DBG_CRYPT) && !(old & DBG_CRYPT))
		plog(p, "WARNING: debug category crypt: keys and decrypted messages go to the log; "
		     "anyone who reads it can decrypt the traffic%s", now & DBG_PRIVATE ? "" :
		     " (long-term secrets need private as well)");
	if ((now & DBG_PRIVATE) && (now & DBG_CRYPT) && !((old & DBG_PRIVATE) && (old & DBG_CRYPT)))
		plog(p, "WARNING: debug category private: long-term secrets (PSK) go to the log in clear");
}

/* --- rate-limited drop lines (principle 4, docs/architecture.md: every rejection logs;
 * under a flood, the lines past PLUTO_LOG_DROP_BURST a second become one summary
 * per reason and second, so that the log cannot be used to fill the disk) --- */

static void drops_summarise(struct pluto *p)
{
	for (unsigned i = 0; i < PLUTO_LOG_DROP_REASONS; i++) {
		struct log_drop_reason *r = &p->drops.r[i];
		if (r->suppressed > 0)
			plog(p, "dropped %u more datagrams: %s", r->suppressed, r->reason);
		r->logged = r->suppressed = 0;
		r->reason[0] = '\0';
	}
}

static void drops_timer_cb(void *arg);

static void drops_arm(struct pluto *p)
{
	/* just past the turn of the second */
	uint64_t left = 1000 - pluto_now_ms(p) % 1000 + 1;
	timer_schedule(&p->drops.timer, p, drops_timer_cb, p, left);
}

/* the summary also comes when the flood stops */
static void drops_timer_cb(void *arg)
{
	struct pluto *p = arg;
	uint64_t sec = pluto_now_ms(p) / 1000;
	if (sec == p->drops.second) {
		drops_arm(p);
		return;
	}
	p->drops.second = sec;
	drops_summarise(p);
	log_flush(p);
}

/* The reason's counter: found, or a free one, or NULL when all are taken */
static struct log_drop_reason *drop_reason(struct pluto *p, const char *reason)
{
	struct log_drop_reason *free_slot = NULL;
	for (unsigned i = 0; i < PLUTO_LOG_DROP_REASONS; i++) {
		struct log_drop_reason *r = &p->drops.r[i];
		if (r->reason[0] == '\0') {
			if (free_slot == NULL)
				free_slot = r;
		} else if (strncmp(r->reason, reason, sizeof(r->reason) - 1) == 0) {
			return r;
		}
	}
	if (free_slot != NULL)
		snprintf(free_slot->reason, sizeof(free_slot->reason), "%s", reason);
	return free_slot;
}

void log_drop(struct pluto *p, struct ike_sa *ike, const char *reason, const char *fmt, ...)
{
	uint64_t sec = pluto_now_ms(p) / 1000;
	if (sec != p->drops.second) {
		p->drops.second = sec;
		drops_summarise(p);
	}
	/* every reason slot taken: all further reasons share one */
	struct log_drop_reason *r = drop_reason(p, reason);
	if (r == NULL)
		r = drop_reason(p, "(other reasons)");
	if (r == NULL)
		r = &p->drops.r[PLUTO_LOG_DROP_REASONS - 1];
	if (r->logged >= PLUTO_LOG_DROP_BURST) {
		r->suppressed++;
		if (!timer_is_pending(&p->drops.timer))
			drops_arm(p);
		return;
	}
	r->logged++;
	char prefix[CONF_NAME_MAX + 32] = "";
	if (ike != NULL)
		snprintf(prefix, sizeof(prefix), "\"%s\" #%u: ", ike->c != NULL ? ike->c->name : "", ike->serial);
	va_list ap;
	va_start(ap, fmt);
	log_line(p, ike != NULL ? ike->whack : NULL, prefix, fmt, ap);
	va_end(ap);
}

void log_drops_stop(struct pluto *p)
{
	drops_summarise(p);
	timer_cancel(&p->drops.timer);
}

/* Called at the end of every event callback: one write per batch of log lines. */
void log_flush(struct pluto *p)
{
	if (p->log != NULL)
		fflush(p->log);
}
