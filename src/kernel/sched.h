/* SPDX-License-Identifier: MIT */
/*
 * The one place the kernel shim meets its executor.  Kernel-model code never
 * calls src/sim directly: it uses the shim, and the shim uses these.
 *
 * kpoint(): a scheduling point, taken by every shim primitive that touches
 * shared state.  current: the running task.
 */
#ifndef IOMMUSIM_KERNEL_SCHED_H
#define IOMMUSIM_KERNEL_SCHED_H

#include "sim/sim.h"

struct task_struct;	/* never defined: a task is a struct sim_task */

#define current			(sim_current())
#define task_comm(t)		((t)->name)

static inline void kpoint(void)
{
	sim_point();
}

/* ---- preemption and local interrupt masking (<linux/preempt.h>, irqflags) ---- */

/** preempt_disable() - the task keeps its CPU until preempt_enable(). */
static inline void preempt_disable(void)
{
	struct sim_task *t = current;

	t->preempt_count++;
	sim_cpu_update_owner(t);
}

/** preempt_enable() - undo preempt_disable(); a scheduling point. */
static inline void preempt_enable(void)
{
	struct sim_task *t = current;

	t->preempt_count--;
	sim_cpu_update_owner(t);
	kpoint();
}

static inline void preempt_enable_no_resched(void)
{
	struct sim_task *t = current;

	t->preempt_count--;
	sim_cpu_update_owner(t);
}

/**
 * local_irq_save() - mask interrupts on this CPU and return the previous
 * state.  An interrupt affined to this CPU is not delivered until they are
 * unmasked.  A scheduling point is taken first (an interrupt may come in
 * just before the mask).
 */
static inline unsigned long __local_irq_save(void)
{
	struct sim_task *t;
	unsigned long flags;

	kpoint();
	t = current;
	flags = (unsigned long)t->irqs_off;
	t->irqs_off = 1;
	sim_cpu_update_owner(t);
	return flags;
}
#define local_irq_save(flags)	do { (flags) = __local_irq_save(); } while (0)

/** local_irq_restore() - restore the mask state; pending interrupts may be taken. */
static inline void local_irq_restore(unsigned long flags)
{
	struct sim_task *t = current;

	t->irqs_off = (int)flags;
	sim_cpu_update_owner(t);
	kpoint();
}

static inline void local_irq_disable(void)
{
	(void)__local_irq_save();
}

static inline void local_irq_enable(void)
{
	local_irq_restore(current->kind == SIM_TASK_IRQ);
}

static inline bool irqs_disabled(void)
{
	return current->irqs_off != 0;
}

static inline bool in_hardirq(void)
{
	struct sim_task *t = current;

	return t && t->kind == SIM_TASK_IRQ;
}
#define in_interrupt()	in_hardirq()
#define in_irq()	in_hardirq()

/** in_atomic() - whether sleeping here would be a bug. */
static inline bool in_atomic(void)
{
	struct sim_task *t = current;

	return t->kind == SIM_TASK_IRQ || t->preempt_count > 0 || t->irqs_off ||
	       t->spin_held > 0;
}

/**
 * might_sleep() - report SLEEP_IN_ATOMIC when called under a spinlock, with
 * preemption or interrupts disabled, in hard-IRQ context or inside an RCU
 * read-side section (__might_sleep() in kernel/sched/core.c).
 */
#define might_sleep()	__might_sleep(__FILE__, __LINE__, __func__)
void __might_sleep(const char *file, int line, const char *func);

/** schedule() in the kernel's sense: let others run (a scheduling point). */
static inline void cond_resched(void)
{
	kpoint();
}

#endif
