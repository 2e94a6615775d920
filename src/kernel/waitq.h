/* SPDX-License-Identifier: MIT */
/*
 * Wait queues of simulated tasks: the blocking under every shim primitive
 * (a contended lock, a completion, a flush).  FIFO.  A waiter woken by
 * something else (a timeout) takes itself off the queue.
 */
#ifndef IOMMUSIM_KERNEL_WAITQ_H
#define IOMMUSIM_KERNEL_WAITQ_H

#include "sim/sim.h"

struct kwaitq {
	struct sim_task *head;
};

/**
 * kwaitq_wait() - block the current task on @q until woken.
 * @what, @name, @obj, @holder: described in deadlock reports.
 * @idle: a daemon waiting for work (never a deadlock).
 * Context: task.  Callers re-check their condition after it returns.
 */
void kwaitq_wait(struct kwaitq *q, const char *what, const char *name,
		 const void *obj, const struct sim_task *holder, bool idle);

/** kwaitq_wake_all() - wake every waiter.  Context: any. */
void kwaitq_wake_all(struct kwaitq *q);

/** kwaitq_wake_one() - wake the longest waiter.  Context: any. */
void kwaitq_wake_one(struct kwaitq *q);

static inline bool kwaitq_empty(const struct kwaitq *q)
{
	return !q->head;
}

#endif
