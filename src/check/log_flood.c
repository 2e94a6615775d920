// SPDX-License-Identifier: MIT
/*
 * The LOG_FLOOD checker. See log_flood.h.
 *
 * Per message (format pointer) a ring of the times of its last
 * LOG_FLOOD_ALLOWANCE lines: a new line floods when the oldest of those
 * lies less than LOG_FLOOD_WINDOW_NS before it, i.e. when the new line
 * makes LOG_FLOOD_ALLOWANCE + 1 lines within one window. Messages live in
 * an open-addressing table keyed by the pointer.
 */
#include "check/log_flood.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "trace/evlog.h"

struct lf_msg {
	const char *fmt;		/* NULL: free slot */
	uint64_t total;			/* lines of this message in the run */
	unsigned int head;		/* next slot of @times to write */
	bool reported;
	sim_time_t times[LOG_FLOOD_ALLOWANCE];	/* last lines, a ring */
};

struct lf_state {
	uint64_t run_id;
	bool has_dtor;			/* freed with its simulator */
	struct lf_msg *tab;
	size_t cap, n;			/* cap a power of two */
};

/* The state of the run on this OS thread. */
static __thread struct lf_state *lf_cur;

static void lf_free(struct lf_state *st)
{
	if (!st)
		return;
	free(st->tab);
	free(st);
}

static void lf_at_destroy(struct sim *s, void *arg)
{
	struct lf_state *st = arg;

	if (lf_cur == st)
		lf_cur = NULL;
	lf_free(st);
}

static size_t lf_hash(const char *p, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

static struct lf_msg *lf_slot(struct lf_msg *tab, size_t cap, const char *fmt)
{
	size_t i = lf_hash(fmt, cap);

	while (tab[i].fmt && tab[i].fmt != fmt)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static void lf_grow(struct lf_state *st)
{
	size_t ncap = st->cap ? st->cap * 2 : 64;
	struct lf_msg *ntab = calloc(ncap, sizeof(*ntab));

	if (!ntab)
		abort();
	for (size_t i = 0; i < st->cap; i++)
		if (st->tab[i].fmt)
			*lf_slot(ntab, ncap, st->tab[i].fmt) = st->tab[i];
	free(st->tab);
	st->tab = ntab;
	st->cap = ncap;
}

static struct lf_state *lf_state(struct sim *s)
{
	struct lf_state *st = lf_cur;

	if (st && st->run_id == s->run_id)
		return st;
	/* A state left by a run that could not register its destructor. */
	if (st && !st->has_dtor)
		lf_free(st);
	st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->run_id = s->run_id;
	/* With no destructor slot left it is freed when the next run starts. */
	st->has_dtor = sim_at_destroy(s, lf_at_destroy, st) == 0;
	lf_cur = st;
	return st;
}

/* The format as one printable line: no level prefix, no trailing newline. */
static void lf_show(const char *fmt, char *buf, size_t len)
{
	size_t j = 0;

	if (fmt[0] == '\001' && fmt[1])
		fmt += 2;
	for (; *fmt && j + 1 < len; fmt++) {
		if (*fmt == '\n' && !fmt[1])
			break;
		buf[j++] = (*fmt == '\n' || *fmt == '\t') ? ' ' : *fmt;
	}
	buf[j] = '\0';
}

void log_flood_note(struct sim *s, const char *fmt, sim_time_t now)
{
	struct lf_state *st;
	struct lf_msg *m;
	sim_time_t oldest;

	if (!s || !fmt)
		return;
	st = lf_state(s);
	if ((st->n + 1) * 2 > st->cap)
		lf_grow(st);
	m = lf_slot(st->tab, st->cap, fmt);
	if (!m->fmt) {
		m->fmt = fmt;
		st->n++;
	}
	m->total++;
	/* Before overwriting: the oldest of the last ALLOWANCE lines. */
	oldest = m->times[m->head];
	m->times[m->head] = now;
	m->head = (m->head + 1) % LOG_FLOOD_ALLOWANCE;
	if (m->reported || m->total <= LOG_FLOOD_ALLOWANCE)
		return;
	if (now - oldest < LOG_FLOOD_WINDOW_NS) {
		char show[160], span[32];

		m->reported = true;
		lf_show(fmt, show, sizeof(show));
		check_report(V_LOG_FLOOD, NULL, 0,
			     "message \"%s\" logged %d times within %s "
			     "(allowance %d per %llu ms; %llu times in the run so far)",
			     show, LOG_FLOOD_ALLOWANCE + 1,
			     sim_format_time(now - oldest, span, sizeof(span)),
			     LOG_FLOOD_ALLOWANCE,
			     (unsigned long long)(LOG_FLOOD_WINDOW_NS / 1000000),
			     (unsigned long long)m->total);
	}
}
