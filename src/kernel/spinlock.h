/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks (<linux/spinlock.h>).  spinlock_t and raw_spinlock_t are the
 * same here (no PREEMPT_RT).
 *
 * spin_lock() disables preemption, then takes a scheduling point and
 * acquires; a contended lock blocks the task *while it keeps its CPU*, as a
 * spinning CPU would: nothing else runs on that CPU (interrupts still do
 * unless masked).  Taking a lock already held by the same task is reported
 * as a DEADLOCK at once.  spin_unlock() releases, re-enables preemption and
 * takes a scheduling point.
 *
 * The _irqsave/_irq variants also mask interrupts on the CPU.
 */
#ifndef IOMMUSIM_KERNEL_SPINLOCK_H
#define IOMMUSIM_KERNEL_SPINLOCK_H

#include "kernel/sched.h"
#include "kernel/types.h"
#include "kernel/waitq.h"

typedef struct spinlock {
	struct sim_task *owner;
	const char *name;
	struct kwaitq waiters;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(n)	{ .owner = NULL, .name = #n }
#define DEFINE_SPINLOCK(n)	spinlock_t n = __SPIN_LOCK_UNLOCKED(n)
#define DEFINE_RAW_SPINLOCK(n)	DEFINE_SPINLOCK(n)

/** spin_lock_init() - an unlocked lock named after its expression. */
#define spin_lock_init(l)	__spin_lock_init((l), #l)
#define raw_spin_lock_init(l)	__spin_lock_init((l), #l)
void __spin_lock_init(spinlock_t *l, const char *name);

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
/** spin_trylock() - take it if free; 1 if taken.  A scheduling point. */
int spin_trylock(spinlock_t *l);
unsigned long _spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
void spin_lock_irq(spinlock_t *l);
void spin_unlock_irq(spinlock_t *l);

#define spin_lock_irqsave(l, flags)	do { (flags) = _spin_lock_irqsave(l); } while (0)
#define spin_lock_bh(l)			spin_lock(l)
#define spin_unlock_bh(l)		spin_unlock(l)

/** spin_is_locked() - whether anyone holds it (no scheduling point). */
static inline bool spin_is_locked(const spinlock_t *l)
{
	return l->owner != NULL;
}

#define raw_spin_lock(l)			spin_lock(l)
#define raw_spin_unlock(l)			spin_unlock(l)
#define raw_spin_trylock(l)			spin_trylock(l)
#define raw_spin_lock_irqsave(l, f)		spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f)	spin_unlock_irqrestore(l, f)
#define raw_spin_lock_irq(l)			spin_lock_irq(l)
#define raw_spin_unlock_irq(l)			spin_unlock_irq(l)

#endif
