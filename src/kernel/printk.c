// SPDX-License-Identifier: MIT
/*
 * printk, dev_printk, ratelimiting and warnings.
 */
#include "kernel/printk.h"
#include "sim/vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/log_flood.h"
#include "check/violation.h"
#include "kernel/bug.h"
#include "kernel/kstate.h"
#include "kernel/sched.h"
#include "trace/evlog.h"
#include "trace/trace.h"

static void klog_add(int level, const char *text)
{
	struct kstate *ks = kstate();
	struct klog_line *l;
	size_t len = strlen(text);

	VEC_RESERVE(ks->klog, ks->nklog, ks->klog_cap, 128);
	l = &ks->klog[ks->nklog++];
	l->time = sim_cur->now;
	l->level = level;
	l->text = strndup(text, len && text[len - 1] == '\n' ? len - 1 : len);
	if (!l->text)
		abort();
	trace_printk(level, l->text);
	if (ks->klog_echo)
		fprintf(stderr, "[%5llu.%09llu] %s\n",
			(unsigned long long)(l->time / 1000000000),
			(unsigned long long)(l->time % 1000000000), l->text);
}

static int parse_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == '\001' && f[1] >= '0' && f[1] <= '7') {
		*fmt = f + 2;
		return f[1] - '0';
	}
	return 4;
}

static void vlog(int level, const char *prefix, const char *fmt, va_list ap)
{
	char *body = NULL, *line = NULL;

	if (vasprintf(&body, fmt, ap) < 0)
		abort();
	if (prefix) {
		if (asprintf(&line, "%s: %s", prefix, body) < 0)
			abort();
		free(body);
	} else {
		line = body;
	}
	klog_add(level, line);
	free(line);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int level = parse_level(&fmt);

	va_start(ap, fmt);
	vlog(level, NULL, fmt, ap);
	va_end(ap);
	log_flood_note(sim_cur, fmt, sim_cur->now);	/* printed: it counts */
	return 0;
}

void dev_printk(const char *lvl, const struct device *dev, const char *fmt, ...)
{
	va_list ap;
	int level = parse_level(&lvl);

	va_start(ap, fmt);
	vlog(level, dev_name(dev), fmt, ap);
	va_end(ap);
	log_flood_note(sim_cur, fmt, sim_cur->now);	/* printed: it counts */
}

bool __ratelimit(struct ratelimit_state *rs, const char *who)
{
	struct sim *s = sim_cur;
	uint64_t interval, now = s->now;
	int burst;

	if (rs->run_id != s->run_id) {
		memset(rs, 0, sizeof(*rs));
		rs->run_id = s->run_id;
		rs->begin = now;
	}
	interval = rs->interval_ns ? rs->interval_ns : DEFAULT_RATELIMIT_INTERVAL_NS;
	burst = rs->burst ? rs->burst : DEFAULT_RATELIMIT_BURST;
	if (now - rs->begin >= interval) {
		if (rs->missed)
			printk(KERN_WARNING "%s: %d callbacks suppressed\n", who, rs->missed);
		rs->begin = now;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->printed < burst) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}

size_t klog_count(struct sim *s, const char *needle)
{
	struct kstate *ks = s->kernel;
	size_t n = 0;

	if (!ks)
		return 0;
	for (size_t i = 0; i < ks->nklog; i++)
		n += strstr(ks->klog[i].text, needle) != NULL;
	return n;
}

void klog_print(struct sim *s, FILE *f)
{
	struct kstate *ks = s->kernel;

	if (!ks)
		return;
	for (size_t i = 0; i < ks->nklog; i++)
		fprintf(f, "[%5llu.%09llu] %s\n",
			(unsigned long long)(ks->klog[i].time / 1000000000),
			(unsigned long long)(ks->klog[i].time % 1000000000),
			ks->klog[i].text);
}

/* ---- WARN / BUG ---- */

void __warn(const char *file, int line, const char *cond, const char *fmt, ...)
{
	char msg[512] = "";

	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	printk(KERN_WARNING "WARNING: CPU: %d at %s:%d %s%s%s\n",
	       current ? current->cpu : -1, file, line, cond, fmt ? ": " : "", msg);
	check_report(V_WARN, NULL, 0, "WARN_ON(%s) at %s:%d%s%s", cond, file, line,
		     fmt ? ": " : "", msg);
}

bool __warn_once_first(struct warn_once *w)
{
	if (w->run_id == sim_cur->run_id)
		return false;
	w->run_id = sim_cur->run_id;
	return true;
}

void __bug(const char *file, int line, const char *cond)
{
	printk(KERN_EMERG "kernel BUG at %s:%d! (%s)\n", file, line, cond);
	check_report(V_WARN, NULL, 0, "BUG_ON(%s) at %s:%d", cond, file, line);
	sim_exit();
}
