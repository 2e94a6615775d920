/* SPDX-License-Identifier: MIT */
/*
 * Linux wait queues (include/linux/wait.h): wait_event() sleeps until a
 * condition holds, re-checked after every wake_up_all().  The condition
 * is read with the shim's ordinary accessors (READ_ONCE, atomic_read),
 * which are scheduling points, so a waker on another CPU interleaves.
 *
 * Context: wait_event() is a task that may sleep (might_sleep(): under a
 * spinlock or with interrupts masked it is SLEEP_IN_ATOMIC); wake_up_all()
 * any context.  A condition nothing ever makes true blocks the task: with
 * nothing else to run the simulator reports DEADLOCK naming @wq.
 */
#ifndef IOMMUSIM_KERNEL_WAIT_H
#define IOMMUSIM_KERNEL_WAIT_H

#include "kernel/sched.h"
#include "kernel/waitq.h"

struct wait_queue_head {
	struct kwaitq q;
	const char *name;
};
typedef struct wait_queue_head wait_queue_head_t;

static inline void init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	wq->q.head = NULL;
	wq->name = name;
}

/** wake_up_all() - wake every task in wait_event() on @wq. */
static inline void wake_up_all(struct wait_queue_head *wq)
{
	kwaitq_wake_all(&wq->q);
}

/** wait_event() - sleep until @cond is true (checked first). */
#define wait_event(wq, cond)						\
	do {								\
		might_sleep();						\
		while (!(cond))						\
			kwaitq_wait(&(wq)->q, "wait_event", (wq)->name,	\
				    (wq), NULL, false);			\
	} while (0)

#endif
