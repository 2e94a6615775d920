/* SPDX-License-Identifier: MIT */
/*
 * Workqueues (<linux/workqueue.h>).
 *
 * Worker pools, as Linux's kernel/workqueue.c has them:
 *
 *  - A per-CPU (bound) workqueue, the default and what system_wq is, has
 *    one pool per CPU.  queue_work() puts the item on the pool of the CPU
 *    it is called on (Linux: raw_smp_processor_id() for WORK_CPU_UNBOUND),
 *    and only that pool's workers, bound to that CPU, run it: a CPU held
 *    with interrupts off holds up the work queued on it.  A pool is
 *    concurrency-managed: one worker runs items while it does not sleep;
 *    when it sleeps inside an item (a mutex, msleep()) with more items
 *    pending, another worker of the pool runs them (wq_worker_sleeping()).
 *    Workers are made on demand, up to WQ_POOL_MAX_WORKERS a pool (Linux
 *    has no such cap; the model's work then waits for a worker).
 *  - An unbound workqueue (WQ_UNBOUND) has one pool whose max_active
 *    workers (default: one per CPU, on CPU i % ncpus) take items as they
 *    are free; queueing wakes the longest idle one.  Linux's scheduler
 *    may run a woken unbound worker on any free CPU; the model's stays on
 *    its own, so an unbound item can wait for that CPU.  An ordered queue
 *    has a single worker on CPU 0.
 *
 * Items of a pool run in FIFO order.  A work item queued while it runs
 * goes to the pool where it runs, and never runs on two workers at once
 * (Linux's non-reentrancy: find_worker_executing_work()).
 *
 * A delayed work item is queued, when its timer fires, on the CPU that
 * armed it (Linux: the timer fires there; dwork->cpu WORK_CPU_UNBOUND).
 *
 * Work item states:
 *
 *            queue_work()             a worker takes it
 *   IDLE  ----------------> PENDING -----------------> RUNNING --> IDLE
 *    ^  queue_work() while PENDING: no-op, returns false   |
 *    |  queue_work() while RUNNING: PENDING again (runs again later)
 *    '-- cancel_work_sync(): PENDING -> IDLE, waits for RUNNING to end
 *
 * disable_work_sync() cancels and disables: queue_work() returns false and
 * the work never runs until enable_work().
 *
 * flush_work() waits until the instance queued before the call has run;
 * flush_workqueue() until every item queued before the call has run.  Both
 * may sleep.
 */
#ifndef IOMMUSIM_KERNEL_WORKQUEUE_H
#define IOMMUSIM_KERNEL_WORKQUEUE_H

#include "kernel/types.h"
#include "kernel/waitq.h"
#include "sim/sim.h"

struct work_struct;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
	const char *name;
	bool pending;
	uint64_t seq;			/* queueing sequence of the pending instance */
	struct workqueue_struct *wq;
	struct worker_pool *pool;	/* the pool it is pending on */
	struct work_struct *next;	/* on pool->head..tail while pending */
	int disable;			/* disable_work() depth */
	/*
	 * Whether it runs is known only to the workers (wq_worker.cur): a
	 * work function may free its work item, so nothing is written to it
	 * after the function is called.
	 */
};

struct delayed_work {
	struct work_struct work;
	struct sim_timer timer;
	struct workqueue_struct *wq;
	int cpu;			/* the arming CPU: where it is queued */
};

#define WQ_UNBOUND		(1 << 1)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define __WQ_ORDERED		(1 << 17)

#define WQ_POOL_MAX_WORKERS	4
#define WQ_MAX_WORKERS		(SIM_MAX_CPUS * WQ_POOL_MAX_WORKERS)

struct worker_pool;

struct wq_worker {
	struct workqueue_struct *wq;	/* its queue (the worker task's argument) */
	struct worker_pool *pool;
	struct sim_task *task;		/* task->kctx points back here */
	struct work_struct *cur;	/* running, or NULL */
	uint64_t cur_seq;
	bool counted;			/* in pool->nr_running */
	bool sleeping;			/* counted, but asleep inside an item */
};

/*
 * A pool's worker states (Linux: worker->flags WORKER_IDLE/PREP, and
 * nr_running):
 *
 *             need_more_worker()               item sleeps
 *   IDLE ------------------------> RUNNING ------------------> SLEEPING
 *    ^  (kwaitq_wait on idle)       |    ^   wq_worker_sleeping()  |
 *    '------------------------------'    '-------------------------'
 *       no item, or !keep_working()        wq_worker_running()
 *
 * nr_running counts RUNNING workers; a bound pool starts a worker only
 * while it is 0, and makes a new one only when none is IDLE (nr_busy ==
 * nworkers; a worker just made or woken is IDLE until it takes an item).
 * wq_assert_pool_state() checks both counts.
 */
struct worker_pool {
	struct workqueue_struct *wq;
	int cpu;				/* bound CPU, or -1: unbound */
	struct work_struct *head, *tail;	/* pending, FIFO */
	struct kwaitq idle;			/* its idle workers */
	int nr_running;
	int nr_busy;				/* RUNNING or SLEEPING */
	int nworkers;
	int max_workers;
};

struct workqueue_struct {
	char name[SIM_NAME_LEN];
	unsigned int flags;
	uint64_t seq;				/* last sequence given */
	struct worker_pool pools[SIM_MAX_CPUS];	/* [cpu], or [0] unbound */
	int npools;
	struct wq_worker workers[WQ_MAX_WORKERS];
	int nworkers;
	struct kwaitq flushers;			/* flush_*() and cancel_*_sync() */
};

#define INIT_WORK(w, f)	__init_work((w), (f), #f)
void __init_work(struct work_struct *w, work_func_t func, const char *name);
#define INIT_DELAYED_WORK(dw, f) __init_delayed_work((dw), (f), #f)
void __init_delayed_work(struct delayed_work *dw, work_func_t func, const char *name);

/**
 * alloc_workqueue() - a workqueue.
 * @fmt: its name.
 * @flags: WQ_UNBOUND for one shared pool; otherwise one pool per CPU.
 * @max_active: bound: items one CPU's pool runs at once, i.e. its workers
 *   (0 or more than WQ_POOL_MAX_WORKERS: WQ_POOL_MAX_WORKERS); one worker
 *   a CPU exists from the start, more are made as items sleep.  Unbound:
 *   its workers (0: one per CPU, at most WQ_MAX_WORKERS).
 * Context: task or main context of a run.
 * Return: the queue, or NULL on -ENOMEM.
 */
struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...);
#define alloc_ordered_workqueue(fmt, flags, ...) \
	alloc_workqueue(fmt, (flags) | __WQ_ORDERED | WQ_UNBOUND, 1, ##__VA_ARGS__)
/** destroy_workqueue() - drain it, then stop its workers.  May sleep. */
void destroy_workqueue(struct workqueue_struct *wq);

/** queue_work() - queue @w on @wq; false if already pending or disabled. */
bool queue_work(struct workqueue_struct *wq, struct work_struct *w);
/** schedule_work() - queue_work() on the system workqueue. */
bool schedule_work(struct work_struct *w);
/** queue_delayed_work() - queue after @delay jiffies (ms). */
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay);
bool schedule_delayed_work(struct delayed_work *dw, unsigned long delay);
/**
 * queue_delayed_work_ns() - queue_delayed_work() with a delay of @ns
 * nanoseconds of virtual time, for delays below a jiffy (what a Linux
 * driver gets from an hrtimer whose callback queues the work).  Not a
 * Linux API.  Return: false if already pending, armed or disabled.
 */
bool queue_delayed_work_ns(struct workqueue_struct *wq, struct delayed_work *dw,
			   uint64_t ns);

/** flush_work() - wait for the pending/running instance; whether it waited. */
bool flush_work(struct work_struct *w);
/** flush_workqueue() - wait for every item queued before the call. */
void flush_workqueue(struct workqueue_struct *wq);
/** cancel_work_sync() - unqueue and wait for a running instance; whether it was pending. */
bool cancel_work_sync(struct work_struct *w);
bool cancel_delayed_work_sync(struct delayed_work *dw);
/** disable_work_sync() - cancel_work_sync() and keep it from being queued. */
bool disable_work_sync(struct work_struct *w);
/** enable_work() - undo one disable; whether it is now enabled. */
bool enable_work(struct work_struct *w);

/** work_pending() - whether queued and not yet started. */
static inline bool work_pending(const struct work_struct *w)
{
	return w->pending;
}

/**
 * wq_worker_sleeping() - @t is about to sleep (block, msleep()); if it is
 * a pool's running worker, the pool may start another (Linux: the same
 * name, called from schedule()).  Context: task, before it blocks.
 */
void wq_worker_sleeping(struct sim_task *t);
/** wq_worker_running() - @t woke from a sleep wq_worker_sleeping() saw. */
void wq_worker_running(struct sim_task *t);

/**
 * wq_assert_pool_state() - abort() if @pool's nr_running or nr_busy is not
 * the number of its RUNNING or RUNNING + SLEEPING workers, or it has more
 * than max_workers.  Run at each worker transition when
 * cfg.check_invariants is set, and by tests.
 */
void wq_assert_pool_state(const struct worker_pool *pool);

/** system_wq() - the run's system workqueue (created on first use). */
struct workqueue_struct *system_wq_get(void);
#define system_wq	(system_wq_get())
/**
 * system_unbound_wq() - the run's unbound system workqueue (created on
 * first use): its work runs on whichever of its workers (one a CPU) is free.
 */
struct workqueue_struct *system_unbound_wq_get(void);
#define system_unbound_wq	(system_unbound_wq_get())

#endif
