/* SPDX-License-Identifier: MIT */
/*
 * Interrupts (<linux/interrupt.h>): lines created by the platform with an
 * affinity CPU, hard handlers and threaded handlers.
 *
 * The platform (scenario builder or test) makes a line with irq_line_create()
 * and hands the struct sim_irq to the hardware model (which raises it) and
 * the number to the driver (which requests it).  Hard handlers run in the
 * line's IRQ task, interrupts masked, on the affinity CPU; every action on a
 * shared line is called.  A handler returning IRQ_WAKE_THREAD wakes the
 * action's thread (a task on the same CPU); with IRQF_ONESHOT the line is
 * held off until the thread function returns.
 */
#ifndef IOMMUSIM_KERNEL_INTERRUPT_H
#define IOMMUSIM_KERNEL_INTERRUPT_H

#include "kernel/types.h"
#include "kernel/waitq.h"
#include "sim/sim.h"

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED	0x00000080
#define IRQF_ONESHOT	0x00002000

#define IRQ_MAX_ACTIONS	8

struct irq_desc;

struct irqaction {
	struct irq_desc *desc;
	irq_handler_t handler;
	irq_handler_t thread_fn;
	void *dev_id;
	unsigned long flags;
	char name[SIM_NAME_LEN];
	struct sim_task *thread;
	bool thread_wake;		/* IRQTF_RUNTHREAD */
	bool thread_running;
	struct kwaitq thread_wait;
};

struct irq_desc {
	int irq;
	struct sim_irq *line;
	struct irqaction *actions[IRQ_MAX_ACTIONS];	/* owned */
	int nactions;
	struct irqaction *removed[64];	/* freed at the run's end */
	int nremoved;
	bool hard_running;
	int threads_active;		/* woken or running threads */
	uint64_t handled, unhandled;	/* hard-handler results, counts */
	struct kwaitq sync_waiters;	/* synchronize_irq() */
};

/**
 * irq_line_create() - a new interrupt line affined to @cpu.
 * @line: set to the line the hardware raises.
 * Return: the Linux IRQ number (>= 1), or -ENOMEM / -EINVAL.
 * Context: set-up (main or task context of a run).
 */
int irq_line_create(const char *name, int cpu, struct sim_irq **line);

/** irq_to_desc() - the descriptor of an IRQ number, or NULL. */
struct irq_desc *irq_to_desc(int irq);

/**
 * request_threaded_irq() - install an action on @irq.
 * Return: 0; -EINVAL for an unknown line or no handler; -EBUSY when the
 * line has an action and either side lacks IRQF_SHARED; -ENOSPC past
 * IRQ_MAX_ACTIONS.
 */
int request_threaded_irq(int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev_id);
static inline int request_irq(int irq, irq_handler_t handler, unsigned long flags,
			      const char *name, void *dev_id)
{
	return request_threaded_irq(irq, handler, NULL, flags, name, dev_id);
}
/** free_irq() - remove the action of @dev_id (after synchronize_irq()). */
void free_irq(int irq, void *dev_id);

/** disable_irq() - hold the line off and wait for running handlers.  May sleep. */
void disable_irq(int irq);
/** disable_irq_nosync() - hold the line off without waiting. */
void disable_irq_nosync(int irq);
/** enable_irq() - undo one disable. */
void enable_irq(int irq);
/**
 * synchronize_irq() - wait until no hard handler runs on @irq and no thread
 * of it is woken or running.  May sleep.
 */
void synchronize_irq(int irq);

/** irq_default_primary_handler() - the hard handler of request_threaded_irq(irq, NULL, fn). */
irqreturn_t irq_default_primary_handler(int irq, void *dev_id);

#endif
