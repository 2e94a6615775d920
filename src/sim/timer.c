// SPDX-License-Identifier: MIT
/*
 * Timers: a binary min-heap ordered by (when, seq), so timers due at the
 * same virtual time fire in the order they were armed.
 */
#include "sim/sim_internal.h"
#include "sim/vec.h"

#include <stdlib.h>

static bool timer_before(const struct sim_timer *a, const struct sim_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(struct sim *s, int i, struct sim_timer *t)
{
	s->heap[i] = t;
	t->heap_idx = i;
}

static void sift_up(struct sim *s, int i)
{
	struct sim_timer *t = s->heap[i];

	while (i > 0) {
		int p = (i - 1) / 2;

		if (!timer_before(t, s->heap[p]))
			break;
		heap_set(s, i, s->heap[p]);
		i = p;
	}
	heap_set(s, i, t);
}

static void sift_down(struct sim *s, int i)
{
	struct sim_timer *t = s->heap[i];

	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		struct sim_timer *best = t;

		if (l < s->nheap && timer_before(s->heap[l], best)) {
			m = l;
			best = s->heap[l];
		}
		if (r < s->nheap && timer_before(s->heap[r], best))
			m = r;
		if (m == i)
			break;
		heap_set(s, i, s->heap[m]);
		i = m;
	}
	heap_set(s, i, t);
}

void timer_heap_remove(struct sim *s, struct sim_timer *t)
{
	int i = t->heap_idx;
	struct sim_timer *last;

	if (i < 0)
		return;
	t->heap_idx = -1;
	last = s->heap[--s->nheap];
	if (i == s->nheap)
		return;
	heap_set(s, i, last);
	sift_up(s, i);
	sift_down(s, last->heap_idx);
}

void sim_timer_init(struct sim_timer *t, void (*fn)(struct sim_timer *), void *data)
{
	t->when = 0;
	t->seq = 0;
	t->heap_idx = -1;
	t->fn = fn;
	t->data = data;
}

void sim_timer_arm(struct sim_timer *t, sim_time_t when)
{
	struct sim *s = sim_cur;

	timer_heap_remove(s, t);
	VEC_RESERVE(s->heap, s->nheap, s->heap_cap, 64);
	t->when = when < s->now ? s->now : when;
	t->seq = ++s->timer_seq;
	heap_set(s, s->nheap++, t);
	sift_up(s, t->heap_idx);
}

bool sim_timer_cancel(struct sim_timer *t)
{
	bool armed = t->heap_idx >= 0;

	timer_heap_remove(sim_cur, t);
	return armed;
}
