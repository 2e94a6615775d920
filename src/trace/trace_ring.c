// SPDX-License-Identifier: MIT
/*
 * The per-actor event rings of --diagram: each actor keeps its last
 * DIAGRAM_RING events, so the last events of every actor involved in a
 * violation are still there when the run ends, however busy the others
 * were.  trace_ring_collect() merges them in event order into a struct
 * diagram (diagram.h).
 */
#include "trace/trace_internal.h"
#include "sim/vec.h"

#include <stdlib.h>
#include <string.h>

#include "check/violation.h"

void trace_ring_add(struct trace *t, int actor, int task, bool violation, const char *text)
{
	struct trace_actor *a = &t->act[actor];
	struct diagram_event *e;

	if (!a->ring)
		a->ring = vec_realloc(NULL, DIAGRAM_RING, sizeof(*a->ring));
	e = &a->ring[(a->rhead + a->rn) % DIAGRAM_RING];
	if (a->rn < DIAGRAM_RING)
		a->rn++;
	else
		a->rhead = (a->rhead + 1) % DIAGRAM_RING;
	e->seq = ++t->seq;
	e->time = t->s->now;
	e->actor = actor;
	e->task = task;
	e->violation = violation;
	snprintf(e->text, sizeof(e->text), "%s", text);
}

static int ev_cmp(const void *a, const void *b)
{
	const struct diagram_event *l = a, *r = b;

	return l->seq < r->seq ? -1 : l->seq > r->seq;
}

static void add_involved(struct diagram *d, int actor)
{
	for (int i = 0; i < d->ninvolved; i++)
		if (d->involved[i] == actor)
			return;
	if (d->ninvolved < (int)(sizeof(d->involved) / sizeof(d->involved[0])))
		d->involved[d->ninvolved++] = actor;
}

struct diagram *trace_ring_collect(struct trace *t)
{
	struct diagram *d = calloc(1, sizeof(*d));
	const struct sim *s = t->s;
	size_t n = 0;

	if (!d)
		abort();
	/* First: finding a task's actor may add one. */
	d->has_v = t->has_v;
	d->vseq = t->vseq;
	if (t->has_v && s->violations && s->violations->n) {
		const struct violation *v = &s->violations->v[0];

		for (int i = 0; i < v->ntasks; i++)
			if (v->task_ids[i] >= 0 && v->task_ids[i] < s->ntasks)
				add_involved(d, trace_actor_of(t, s->tasks[v->task_ids[i]]));
		add_involved(d, t->vactor);
	}
	for (int i = 0; i < t->nact; i++)
		n += t->act[i].rn;
	d->ev = vec_realloc(NULL, n + 1, sizeof(*d->ev));
	for (int i = 0; i < t->nact; i++)
		for (unsigned k = 0; k < t->act[i].rn; k++)
			d->ev[d->nev++] = t->act[i].ring[(t->act[i].rhead + k) % DIAGRAM_RING];
	qsort(d->ev, d->nev, sizeof(*d->ev), ev_cmp);
	d->nactors = t->nact;
	d->actor = vec_realloc(NULL, t->nact + 1, sizeof(*d->actor));
	for (int i = 0; i < t->nact; i++)
		memcpy(d->actor[i], t->act[i].name, SIM_NAME_LEN);
	d->ntasks = s->ntasks;
	d->task = vec_realloc(NULL, s->ntasks + 1, sizeof(*d->task));
	for (int i = 0; i < s->ntasks; i++)
		snprintf(d->task[i], SIM_NAME_LEN, "%s", s->tasks[i]->name);
	return d;
}

void trace_ring_free(struct trace *t)
{
	for (int i = 0; i < t->nact; i++) {
		free(t->act[i].ring);
		t->act[i].ring = NULL;
	}
}

void diagram_free(struct diagram *d)
{
	if (!d)
		return;
	free(d->ev);
	free(d->actor);
	free(d->task);
	free(d);
}
