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

static bool __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *w,
			 bool may_create);

void __init_work(struct work_struct *w, work_func_t func, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->func = func;
	w->name = name;
}

/* The CPU the caller runs on; 0 in main context and for hardware tasks. */
static int this_cpu(void)
{
	struct sim_task *t = sim_current();

	return t && t->cpu >= 0 ? t->cpu : 0;
}

/* Timer context: no scheduling point and no new task; queue directly. */
static void delayed_timer_fire(struct sim_timer *tm)
{
	struct delayed_work *dw = tm->data;

	__queue_work(dw->cpu, dw->wq, &dw->work, false);
}

void __init_delayed_work(struct delayed_work *dw, work_func_t func, const char *name)
{
	__init_work(&dw->work, func, name);
	sim_timer_init(&dw->timer, delayed_timer_fire, dw);
	dw->wq = NULL;
	dw->cpu = 0;
}

/* The worker of @wq running @w, or NULL (Linux: find_worker_executing_work()). */
static struct wq_worker *worker_executing(struct workqueue_struct *wq,
					  const struct work_struct *w)
{
	for (int i = 0; i < wq->nworkers; i++)
		if (wq->workers[i].cur == w)
			return &wq->workers[i];
	return NULL;
}

/*
 * The link to @pool's first item that no worker of its queue is running
 * (an item queued again while it runs waits for that run), or NULL.
 */
static struct work_struct **pool_first_free(struct worker_pool *pool)
{
	struct work_struct **pp = &pool->head;

	while (*pp && worker_executing(pool->wq, *pp))
		pp = &(*pp)->next;
	return *pp ? pp : NULL;
}

static void pool_unlink(struct worker_pool *pool, struct work_struct **pp)
{
	struct work_struct *w = *pp, *prev = NULL;

	if (pool->tail == w) {
		for (struct work_struct *p = pool->head; p != w; p = p->next)
			prev = p;
		pool->tail = prev;
	}
	*pp = w->next;
	w->next = NULL;
	w->pool = NULL;
}

static struct work_struct *pool_pop(struct worker_pool *pool)
{
	struct work_struct **pp = pool_first_free(pool);
	struct work_struct *w;

	if (!pp)
		return NULL;
	w = *pp;
	pool_unlink(pool, pp);
	return w;
}

static bool wq_unlink(struct work_struct *w)
{
	struct worker_pool *pool = w->pool;
	struct work_struct **pp;

	if (!pool)
		return false;
	for (pp = &pool->head; *pp && *pp != w; pp = &(*pp)->next)
		;
	if (!*pp)
		return false;
	pool_unlink(pool, pp);
	return true;
}

/* The oldest sequence still pending or running on @wq, or UINT64_MAX. */
static uint64_t wq_oldest(const struct workqueue_struct *wq)
{
	uint64_t m = UINT64_MAX;

	for (int p = 0; p < wq->npools; p++)
		for (const struct work_struct *w = wq->pools[p].head; w; w = w->next)
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

static bool pool_bound(const struct worker_pool *pool)
{
	return pool->cpu >= 0;
}

/*
 * Whether an idle worker of @pool should start (Linux: need_more_worker()):
 * an item is free to run and, on a bound pool, no worker is RUNNING.
 */
static bool need_more_worker(struct worker_pool *pool)
{
	return pool_first_free(pool) && !(pool_bound(pool) && pool->nr_running);
}

/* Whether a RUNNING worker takes another item (Linux: keep_working()). */
static bool keep_working(struct worker_pool *pool)
{
	return pool_first_free(pool) && !(pool_bound(pool) && pool->nr_running > 1);
}

void wq_assert_pool_state(const struct worker_pool *pool)
{
	const struct workqueue_struct *wq = pool->wq;
	int running = 0, busy = 0, workers = 0;

	for (int i = 0; i < wq->nworkers; i++) {
		const struct wq_worker *wk = &wq->workers[i];

		if (wk->pool != pool)
			continue;
		workers++;
		if (wk->sleeping && !wk->counted)
			abort();
		running += wk->counted && !wk->sleeping;
		busy += wk->counted;
	}
	if (running != pool->nr_running || busy != pool->nr_busy ||
	    workers != pool->nworkers ||
	    pool->nworkers > pool->max_workers)
		abort();
}

/* wq_assert_pool_state() after each worker transition, when checking. */
static void pool_check(const struct worker_pool *pool)
{
	if (sim_cur->cfg.check_invariants)
		wq_assert_pool_state(pool);
}

static void worker_loop(void *arg);

/*
 * A new worker for @pool, RUNNABLE now (Linux: create_worker()).  Context:
 * task or main.  Returns false at the pool's cap or when out of tasks.
 */
static bool create_worker(struct worker_pool *pool)
{
	struct workqueue_struct *wq = pool->wq;
	struct sim *s = sim_cur;
	struct wq_worker *wk;
	char tname[64];		/* sim_task_create() keeps SIM_NAME_LEN - 1 */
	int cpu = pool_bound(pool) ? pool->cpu : wq->nworkers % s->cfg.ncpus;

	if (pool->nworkers >= pool->max_workers || wq->nworkers >= WQ_MAX_WORKERS)
		return false;
	wk = &wq->workers[wq->nworkers];
	wk->wq = wq;
	wk->pool = pool;
	if (!pool_bound(pool) || !pool->nworkers)
		snprintf(tname, sizeof(tname), "kworker/%d:%.20s", cpu, wq->name);
	else
		snprintf(tname, sizeof(tname), "kworker/%d:%.20s+%d", cpu, wq->name,
			 pool->nworkers);
	wk->task = sim_task_create(s, tname, SIM_TASK_THREAD, cpu, true, worker_loop, wk);
	if (!wk->task)
		return false;
	wk->task->kctx = wk;
	wq->nworkers++;
	pool->nworkers++;
	return true;
}

/*
 * Start a worker of @pool if it needs one: an idle one (the longest idle),
 * else a new one.  The model's workers stay on their CPU, where Linux's
 * scheduler may place a woken unbound worker on any free CPU: an unbound
 * item can wait for its worker's CPU here.
 */
static void wake_up_worker(struct worker_pool *pool, bool may_create)
{
	if (!need_more_worker(pool))
		return;
	if (!kwaitq_empty(&pool->idle))
		kwaitq_wake_one(&pool->idle);
	else if (may_create && pool->nr_busy == pool->nworkers)
		create_worker(pool);	/* else one is starting or waking: it looks */
}

void wq_worker_sleeping(struct sim_task *t)
{
	struct wq_worker *wk = t ? t->kctx : NULL;

	if (!wk || !wk->counted || wk->sleeping)
		return;
	wk->sleeping = true;
	wk->pool->nr_running--;
	pool_check(wk->pool);
	wake_up_worker(wk->pool, true);
}

void wq_worker_running(struct sim_task *t)
{
	struct wq_worker *wk = t ? t->kctx : NULL;

	if (!wk || !wk->sleeping)
		return;
	wk->sleeping = false;
	wk->pool->nr_running++;
	pool_check(wk->pool);
}

static void process_one_work(struct wq_worker *wk, struct work_struct *w)
{
	struct workqueue_struct *wq = wk->wq;

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

/*
 * A worker's argument is its slot in the workqueue, freed with it at the
 * run's end: a worker that never ran before the run ended leaks nothing.
 * Linux: worker_thread().
 */
static void worker_loop(void *arg)
{
	struct wq_worker *wk = arg;
	struct worker_pool *pool = wk->pool;

	for (;;) {
		struct work_struct *w;

		kpoint();
		if (!need_more_worker(pool)) {
			kwaitq_wait(&pool->idle, "workqueue", pool->wq->name, pool->wq,
				    NULL, true);
			continue;
		}
		wk->counted = true;
		pool->nr_running++;
		pool->nr_busy++;
		pool_check(pool);
		do {
			w = pool_pop(pool);
			process_one_work(wk, w);
			kpoint();
		} while (keep_working(pool));
		wk->counted = false;
		pool->nr_running--;
		pool->nr_busy--;
		pool_check(pool);
		/* Items left for a RUNNING worker that went to sleep meanwhile. */
		wake_up_worker(pool, true);
	}
}

static void wq_register(struct workqueue_struct *wq)
{
	struct kstate *ks = kstate();

	VEC_RESERVE(ks->wqs, ks->nwqs, ks->wqs_cap, 8);
	ks->wqs[ks->nwqs++] = wq;
}

static void init_pool(struct workqueue_struct *wq, int idx, int cpu, int max_workers)
{
	struct worker_pool *pool = &wq->pools[idx];

	pool->wq = wq;
	pool->cpu = cpu;
	pool->max_workers = max_workers;
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	struct sim *s = sim_cur;
	struct workqueue_struct *wq = calloc(1, sizeof(*wq));
	va_list ap;

	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	wq->flags = flags;
	if (flags & WQ_UNBOUND) {
		int n = (flags & __WQ_ORDERED) ? 1 :
			(max_active > 0 ? max_active : s->cfg.ncpus);

		init_pool(wq, 0, -1, n < WQ_MAX_WORKERS ? n : WQ_MAX_WORKERS);
		wq->npools = 1;
		for (int i = 0; i < wq->pools[0].max_workers; i++)
			if (!create_worker(&wq->pools[0]))
				abort();
	} else {
		int n = max_active > 0 && max_active < WQ_POOL_MAX_WORKERS ?
			max_active : WQ_POOL_MAX_WORKERS;

		wq->npools = s->cfg.ncpus;
		for (int cpu = 0; cpu < wq->npools; cpu++) {
			init_pool(wq, cpu, cpu, n);
			if (!create_worker(&wq->pools[cpu]))
				abort();
		}
	}
	wq_register(wq);
	return wq;
}

/*
 * Queue @w on @wq from @cpu (Linux: __queue_work()): on the pool where it
 * runs now, else @cpu's pool (a bound queue) or the shared one.
 * @may_create: the caller may make a worker (task or main context).
 */
static bool __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *w,
			 bool may_create)
{
	struct wq_worker *running = worker_executing(wq, w);
	struct worker_pool *pool;

	if (w->pending || w->disable)
		return false;
	if (running)
		pool = running->pool;
	else
		pool = &wq->pools[wq->npools > 1 ? cpu % wq->npools : 0];
	w->pending = true;
	w->wq = wq;
	w->pool = pool;
	w->seq = ++wq->seq;
	w->next = NULL;
	if (pool->tail)
		pool->tail->next = w;
	else
		pool->head = w;
	pool->tail = w;
	wake_up_worker(pool, may_create);
	return true;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	kpoint();
	return __queue_work(this_cpu(), wq, w, true);
}

bool schedule_work(struct work_struct *w)
{
	return queue_work(system_wq, w);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay)
{
	return queue_delayed_work_ns(wq, dw, (uint64_t)delay * 1000000ULL);
}

bool queue_delayed_work_ns(struct workqueue_struct *wq, struct delayed_work *dw,
			   uint64_t ns)
{
	kpoint();
	if (dw->work.pending || dw->work.disable || sim_timer_armed(&dw->timer))
		return false;
	if (!ns)
		return __queue_work(this_cpu(), wq, &dw->work, true);
	dw->wq = wq;
	dw->cpu = this_cpu();
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
		wq_unlink(w);
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

struct workqueue_struct *system_unbound_wq_get(void)
{
	struct kstate *ks = kstate();

	if (!ks->sys_unbound_wq)
		ks->sys_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, 0);
	return ks->sys_unbound_wq;
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
