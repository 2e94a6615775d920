/* SPDX-License-Identifier: MIT */
/*
 * Workqueues (<linux/workqueue.h>).
 *
 * A workqueue has worker tasks (daemons): one per CPU up to max_active
 * (default: every CPU), or a single worker on CPU 0 for an ordered queue.
 * Work runs in FIFO order of queueing, each item on whichever idle worker
 * the schedule picks.
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
	struct work_struct *next;	/* on wq->head..tail while pending */
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
};

#define WQ_UNBOUND		(1 << 1)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define __WQ_ORDERED		(1 << 17)

#define WQ_MAX_WORKERS		SIM_MAX_CPUS

struct wq_worker {
	struct workqueue_struct *wq;	/* its queue (the worker task's argument) */
	struct sim_task *task;
	struct work_struct *cur;	/* running, or NULL */
	uint64_t cur_seq;
};

struct workqueue_struct {
	char name[SIM_NAME_LEN];
	unsigned int flags;
	struct work_struct *head, *tail;	/* pending, FIFO */
	uint64_t seq;				/* last sequence given */
	struct wq_worker workers[WQ_MAX_WORKERS];
	int nworkers;
	struct kwaitq idle;			/* workers with nothing to do */
	struct kwaitq flushers;			/* flush_*() and cancel_*_sync() */
};

#define INIT_WORK(w, f)	__init_work((w), (f), #f)
void __init_work(struct work_struct *w, work_func_t func, const char *name);
#define INIT_DELAYED_WORK(dw, f) __init_delayed_work((dw), (f), #f)
void __init_delayed_work(struct delayed_work *dw, work_func_t func, const char *name);

/**
 * alloc_workqueue() - a workqueue with @max_active workers (0: one per CPU).
 * @fmt: its name.  Context: task or main context of a run.
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

/** system_wq() - the run's system workqueue (created on first use). */
struct workqueue_struct *system_wq_get(void);
#define system_wq	(system_wq_get())

#endif
