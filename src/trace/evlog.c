// SPDX-License-Identifier: MIT
/*
 * The event log.  See evlog.h.
 */
#include "trace/evlog.h"
#include "sim/vec.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

struct evlog *evlog_new(size_t limit)
{
	struct evlog *l = calloc(1, sizeof(*l));

	if (l)
		l->limit = limit;
	return l;
}

void evlog_free(struct evlog *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->e[i].text);
	free(l->e);
	free(l);
}

void evlog_vadd(struct sim *s, const char *subsys, const char *fmt, va_list ap)
{
	struct evlog *l = s->log;
	struct evlog_entry *e;
	struct sim_task *t = s->current;

	if (!l)
		return;
	if (l->limit && l->n >= l->limit) {
		l->dropped++;
		return;
	}
	VEC_RESERVE(l->e, l->n, l->cap, 256);
	e = &l->e[l->n++];
	e->time = s->now;
	e->cpu = t ? t->cpu : -1;
	e->task = t ? t->id : -1;
	e->subsys = subsys;
	e->step = s->steps;
	if (vasprintf(&e->text, fmt, ap) < 0)
		abort();
	trace_evlog(e);
}

void evlog_add(struct sim *s, const char *subsys, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	evlog_vadd(s, subsys, fmt, ap);
	va_end(ap);
}

const char *sim_format_time(sim_time_t t, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%06llums", (unsigned long long)(t / 1000000),
		 (unsigned long long)(t % 1000000));
	return buf;
}

void evlog_print(const struct sim *s, const struct evlog *l, FILE *f)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct evlog_entry *e = &l->e[i];
		const char *tname = e->task >= 0 && e->task < s->ntasks ?
				    s->tasks[e->task]->name : "-";
		char cpu[8];

		if (e->cpu >= 0)
			snprintf(cpu, sizeof(cpu), "cpu%d", e->cpu);
		else
			snprintf(cpu, sizeof(cpu), e->task >= 0 ? "hw" : "-");
		fprintf(f, "[%5llu.%09llu] %-5s %-16s %s: %s\n",
			(unsigned long long)(e->time / 1000000000),
			(unsigned long long)(e->time % 1000000000),
			cpu, tname, e->subsys, e->text);
	}
	if (l->dropped)
		fprintf(f, "(%zu more events not kept)\n", l->dropped);
}
