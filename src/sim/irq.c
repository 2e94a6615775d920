// SPDX-License-Identifier: MIT
/*
 * The interrupt controller: lines with an affinity CPU, edge and level
 * inputs, disable depth, and delivery into each line's hard-IRQ task.
 *
 * A line's task is in the ready set while the line is pending (IRQ_IDLE) or
 * while its handler runs (RUNNABLE).  Delivery (the strategy picking an
 * IRQ_IDLE task) makes it the CPU's active handler: nothing else runs on
 * that CPU until the handler returns.
 */
#include "sim/sim_internal.h"
#include "sim/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/evlog.h"
#include "trace/trace.h"

static void irq_sync_ready(struct sim *s, struct sim_task *t)
{
	if (t->state == SIM_RUNNABLE || (t->state == SIM_IRQ_IDLE && t->irq->pending))
		ready_add(s, t);
	else
		ready_remove(s, t);
}

/*
 * The hard-IRQ task starts in IRQ_IDLE (see sim_task_create()) and is first
 * switched to when its line is delivered, so the loop begins in a handler.
 */
static void irq_task_fn(void *arg)
{
	struct sim_irq *irq = arg;
	struct sim *s = sim_cur;
	struct sim_task *t = irq->task;

	for (;;) {
		irq->handler(irq, irq->arg);
		trace_end("irq", irq);
		irq->in_handler = false;
		s->cpus[t->cpu].irq_active = NULL;
		watchdog_cpu_update(s, &s->cpus[t->cpu]);
		if (irq->level_asserted)
			irq->pending = true;
		t->state = SIM_IRQ_IDLE;
		irq_sync_ready(s, t);
		schedule(s);		/* returns at the next delivery */
	}
}

void irq_deliver(struct sim *s, struct sim_task *t)
{
	struct sim_irq *irq = t->irq;

	irq->pending = false;
	irq->delivered++;
	irq->in_handler = true;
	s->cpus[t->cpu].irq_active = t;
	watchdog_cpu_update(s, &s->cpus[t->cpu]);
	t->state = SIM_RUNNABLE;
	trace_begin_task(t, "irq", irq, "hardirq|%s", irq->name);
	if (irq->on_deliver)
		irq->on_deliver(irq, irq->on_deliver_arg);
}

void sim_irq_observe(struct sim_irq *irq, void (*fn)(struct sim_irq *, void *), void *arg)
{
	irq->on_deliver = fn;
	irq->on_deliver_arg = arg;
}

struct sim_irq *sim_irq_create(struct sim *s, const char *name, int cpu,
			       void (*handler)(struct sim_irq *, void *), void *arg)
{
	struct sim_irq *irq;
	char tname[SIM_NAME_LEN];

	if (cpu < 0 || cpu >= s->cfg.ncpus)
		return NULL;
	irq = calloc(1, sizeof(*irq));
	if (!irq)
		return NULL;
	VEC_RESERVE(s->irqs, s->nirqs, s->irqs_cap, 16);
	irq->id = s->nirqs;
	s->irqs[s->nirqs++] = irq;
	snprintf(irq->name, sizeof(irq->name), "%s", name);
	irq->cpu = cpu;
	irq->handler = handler;
	irq->arg = arg;
	snprintf(tname, sizeof(tname), "irq/%s", name);
	irq->task = sim_task_create(s, tname, SIM_TASK_IRQ, cpu, true, irq_task_fn, irq);
	if (!irq->task)
		return NULL;
	irq->task->irq = irq;
	irq->task->irqs_off = 1;	/* hard handlers run with interrupts masked */
	return irq;
}

void sim_irq_raise(struct sim_irq *irq)
{
	irq->pending = true;
	irq_sync_ready(sim_cur, irq->task);
}

void sim_irq_set_level(struct sim_irq *irq, bool high)
{
	irq->level_asserted = high;
	if (high)
		irq->pending = true;
	else if (!irq->in_handler)
		irq->pending = false;
	irq_sync_ready(sim_cur, irq->task);
}

void sim_irq_disable(struct sim_irq *irq)
{
	irq->disable_depth++;
}

void sim_irq_enable(struct sim_irq *irq)
{
	if (irq->disable_depth > 0)
		irq->disable_depth--;
}
