// SPDX-License-Identifier: MIT
/*
 * Workqueues and their worker tasks.  See workqueue.h for the states.
 */
#include "kernel/workqueue.h"
#include "sim/vec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/bug.h"
#include "kernel/kstate.h"
#include "kernel/sched.h"
#include "trace/trace.h"

bool __queue_work(struct workqueue_struct *wq, struct work_struct *w);

void __init_work(struct work_struct *w, work_func_t func, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->func = func;
	w->name = name;
}

/* Timer context: no scheduling point may be taken; queue directly. */
static void delayed_timer_fire(struct sim_timer *tm)
{
	struct delayed_work *dw = tm->data;

	__queue_work(dw->wq, &dw->work);
}

void __init_delayed_work(struct delayed_work *dw, work_func_t func, const char *name)
{
	__init_work(&dw->work, func, name);
	sim_timer_init(&dw->timer, delayed_timer_fire, dw);
	dw->wq = NULL;
}

static struct work_struct *wq_pop(struct workqueue_struct *wq)
{
	struct work_struct *w = wq->head;

	if (w) {
		wq->head = w->next;
		if (!wq->head)
			wq->tail = NULL;
		w->next = NULL;
	}
	return w;
}

static bool wq_unlink(struct workqueue_struct *wq, struct work_struct *w)
{
	struct work_struct **pp = &wq->head, *prev = NULL;

	while (*pp && *pp != w) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return false;
	*pp = w->next;
	if (wq->tail == w)
		wq->tail = prev;
	w->next = NULL;
	return true;
}

/* The oldest sequence still pending or running on @wq, or UINT64_MAX. */
static uint64_t wq_oldest(const struct workqueue_struct *wq)
{
	uint64_t m = UINT64_MAX;

	for (const struct work_struct *w = wq->head; w; w = w->next)
		if (w->seq < m)
			m = w->seq;
	for (int i = 0; i < wq->nworkers; i++)
		if (wq->workers[i].cur && wq->workers[i].cur_seq < m)
			m = wq->workers[i].cur_seq;
	return m;
}

/* The oldest running instance of @w no newer than @seq, or 0 if none. */
static bool wq_running_upto(const struct workqueue_struct *wq,
			    const struct work_struct *w, uint64_t seq)
{
	for (int i = 0; i < wq->nworkers; i++)
		if (wq->workers[i].cur == w && wq->workers[i].cur_seq <= seq)
			return true;
	return false;
}

/*
 * A worker's argument is its slot in the workqueue, freed with it at the
 * run's end: a worker that never ran before the run ended leaks nothing.
 */
static void worker_loop(void *arg)
{
	struct wq_worker *wk = arg;
	struct workqueue_struct *wq = wk->wq;

	for (;;) {
		struct work_struct *w;

		kpoint();
		w = wq_pop(wq);
		if (!w) {
			kwaitq_wait(&wq->idle, "workqueue", wq->name, wq, NULL, true);
			continue;
		}
		w->pending = false;
		wk->cur = w;
		wk->cur_seq = w->seq;
		trace_begin("work", w, "work|%s", w->name ? w->name : wq->name);
		w->func(w);
		/* @w may be freed by now: touch only the worker. */
		trace_end("work", w);	/* @w only compared */
		wk->cur = NULL;
		kwaitq_wake_all(&wq->flushers);
	}
}

static void wq_register(struct workqueue_struct *wq)
{
	struct kstate *ks = kstate();

	VEC_RESERVE(ks->wqs, ks->nwqs, ks->wqs_cap, 8);
	ks->wqs[ks->nwqs++] = wq;
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	struct sim *s = sim_cur;
	struct workqueue_struct *wq = calloc(1, sizeof(*wq));
	va_list ap;
	int n;

	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	wq->flags = flags;
	n = (flags & __WQ_ORDERED) ? 1 : (max_active > 0 ? max_active : s->cfg.ncpus);
	if (n > s->cfg.ncpus && !(flags & WQ_UNBOUND))
		n = s->cfg.ncpus;
	if (n > WQ_MAX_WORKERS)
		n = WQ_MAX_WORKERS;
	for (int i = 0; i < n; i++) {
		char tname[SIM_NAME_LEN];

		wq->workers[i].wq = wq;
		snprintf(tname, sizeof(tname), "kworker/%d:%.20s", i % s->cfg.ncpus, wq->name);
		wq->workers[i].task = sim_task_create(s, tname, SIM_TASK_THREAD,
						      i % s->cfg.ncpus, true, worker_loop,
						      &wq->workers[i]);
		if (!wq->workers[i].task)
			abort();
	}
	wq->nworkers = n;
	wq_register(wq);
	return wq;
}

bool __queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	if (w->pending || w->disable)
		return false;
	w->pending = true;
	w->wq = wq;
	w->seq = ++wq->seq;
	w->next = NULL;
	if (wq->tail)
		wq->tail->next = w;
	else
		wq->head = w;
	wq->tail = w;
	kwaitq_wake_one(&wq->idle);
	return true;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	kpoint();
	return __queue_work(wq, w);
}

bool schedule_work(struct work_struct *w)
{
	return queue_work(system_wq, w);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay)
{
	kpoint();
	if (dw->work.pending || dw->work.disable || sim_timer_armed(&dw->timer))
		return false;
	if (!delay)
		return __queue_work(wq, &dw->work);
	dw->wq = wq;
	sim_timer_arm(&dw->timer, sim_now() + (sim_time_t)delay * 1000000ULL);
	return true;
}

bool queue_delayed_work_ns(struct workqueue_struct *wq, struct delayed_work *dw,
			   uint64_t ns)
{
	kpoint();
	if (dw->work.pending || dw->work.disable || sim_timer_armed(&dw->timer))
		return false;
	if (!ns)
		return __queue_work(wq, &dw->work);
	dw->wq = wq;
	sim_timer_arm(&dw->timer, sim_now() + ns);
	return true;
}

bool schedule_delayed_work(struct delayed_work *dw, unsigned long delay)
{
	return queue_delayed_work(system_wq, dw, delay);
}

bool flush_work(struct work_struct *w)
{
	struct workqueue_struct *wq = w->wq;
	uint64_t target;
	bool waited = false;

	might_sleep();
	kpoint();
	if (!wq)
		return false;
	target = w->pending ? w->seq : UINT64_MAX;
	if (!w->pending && !wq_running_upto(wq, w, UINT64_MAX))
		return false;
	if (target == UINT64_MAX)
		for (int i = 0; i < wq->nworkers; i++)
			if (wq->workers[i].cur == w && wq->workers[i].cur_seq < target)
				target = wq->workers[i].cur_seq;
	while ((w->pending && w->seq <= target) || wq_running_upto(wq, w, target)) {
		waited = true;
		kwaitq_wait(&wq->flushers, "flush_work", w->name, w, NULL, false);
	}
	return waited;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	uint64_t target;

	might_sleep();
	kpoint();
	target = wq->seq;
	while (wq_oldest(wq) <= target)
		kwaitq_wait(&wq->flushers, "flush_workqueue", wq->name, wq, NULL, false);
}

bool cancel_work_sync(struct work_struct *w)
{
	struct workqueue_struct *wq = w->wq;
	bool was_pending = false;

	might_sleep();
	kpoint();
	if (!wq)
		return false;
	if (w->pending) {
		wq_unlink(wq, w);
		w->pending = false;
		was_pending = true;
	}
	while (wq_running_upto(wq, w, UINT64_MAX))
		kwaitq_wait(&wq->flushers, "cancel_work_sync", w->name, w, NULL, false);
	return was_pending;
}

bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	bool armed = sim_timer_cancel(&dw->timer);

	return cancel_work_sync(&dw->work) || armed;
}

bool disable_work_sync(struct work_struct *w)
{
	w->disable++;
	return cancel_work_sync(w);
}

bool enable_work(struct work_struct *w)
{
	kpoint();
	if (WARN_ON_ONCE(w->disable == 0))
		return true;
	return --w->disable == 0;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
	/* Workers stay parked idle: the run's end frees everything. */
}

struct workqueue_struct *system_wq_get(void)
{
	struct kstate *ks = kstate();

	if (!ks->sys_wq)
		ks->sys_wq = alloc_workqueue("events", 0, 0);
	return ks->sys_wq;
}

void wq_free_all(struct kstate *ks);
void wq_free_all(struct kstate *ks)
{
	for (int i = 0; i < ks->nwqs; i++)
		free(ks->wqs[i]);
	free(ks->wqs);
	ks->wqs = NULL;
	ks->nwqs = 0;
}
