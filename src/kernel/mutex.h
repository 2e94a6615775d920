/* SPDX-License-Identifier: MIT */
/*
 * Sleeping mutexes (<linux/mutex.h>).  mutex_lock() may sleep: under a
 * spinlock, with interrupts masked or in IRQ context it is SLEEP_IN_ATOMIC.
 * A contended mutex blocks the task and frees its CPU.  Re-locking a mutex
 * the task holds is reported as a DEADLOCK at once.
 */
#ifndef IOMMUSIM_KERNEL_MUTEX_H
#define IOMMUSIM_KERNEL_MUTEX_H

#include "kernel/sched.h"
#include "kernel/types.h"
#include "kernel/waitq.h"

struct mutex {
	struct sim_task *owner;
	const char *name;
	struct kwaitq waiters;
};

#define __MUTEX_INITIALIZER(n)	{ .owner = NULL, .name = #n }
#define DEFINE_MUTEX(n)		struct mutex n = __MUTEX_INITIALIZER(n)
#define mutex_init(m)		__mutex_init((m), #m)
void __mutex_init(struct mutex *m, const char *name);

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
/** mutex_trylock() - 1 if taken, 0 if contended; never sleeps. */
int mutex_trylock(struct mutex *m);

static inline bool mutex_is_locked(const struct mutex *m)
{
	return m->owner != NULL;
}

#endif
