// SPDX-License-Identifier: MIT
/*
 * IRQ descriptors, actions, threaded handlers and synchronize_irq().
 */
#include "kernel/interrupt.h"
#include "sim/vec.h"

#include <stdio.h>
#include <stdlib.h>

#include "kernel/bug.h"
#include "kernel/kstate.h"
#include "kernel/sched.h"
#include "trace/trace.h"

/* Descriptors of the run, indexed by IRQ number - 1. */
static struct irq_table *irq_table(void)
{
	return &kstate()->irqs;
}

struct irq_desc *irq_to_desc(int irq)
{
	struct irq_table *tb = irq_table();

	if (irq < 1 || irq > tb->n)
		return NULL;
	return tb->desc[irq - 1];
}

irqreturn_t irq_default_primary_handler(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

static void irq_thread_fn(void *arg)
{
	struct irqaction *act = arg;
	struct irq_desc *desc = act->desc;

	for (;;) {
		kpoint();
		if (!act->thread_wake) {
			kwaitq_wait(&act->thread_wait, "irq thread", act->name, act, NULL, true);
			continue;
		}
		act->thread_wake = false;
		act->thread_running = true;
		trace_begin("irq", act, "irq_thread|%s", act->name);
		act->thread_fn(desc->irq, act->dev_id);
		trace_end("irq", act);
		act->thread_running = false;
		desc->threads_active--;
		if (act->flags & IRQF_ONESHOT)
			sim_irq_enable(desc->line);
		kwaitq_wake_all(&desc->sync_waiters);
	}
}

static void wake_thread(struct irq_desc *desc, struct irqaction *act)
{
	if (act->thread_wake)
		return;
	act->thread_wake = true;
	desc->threads_active++;
	if (act->flags & IRQF_ONESHOT)
		sim_irq_disable(desc->line);
	kwaitq_wake_one(&act->thread_wait);
}

/* The line's hard handler: call every action (handle_irq_event()). */
static void desc_handle(struct sim_irq *line, void *arg)
{
	struct irq_desc *desc = arg;
	irqreturn_t ret = IRQ_NONE;

	desc->hard_running = true;
	for (int i = 0; i < desc->nactions; i++) {
		struct irqaction *act = desc->actions[i];
		irqreturn_t r = act->handler(desc->irq, act->dev_id);

		if (r == IRQ_WAKE_THREAD && act->thread_fn)
			wake_thread(desc, act);
		ret |= r;
	}
	if (ret == IRQ_NONE)
		desc->unhandled++;
	else
		desc->handled++;
	desc->hard_running = false;
	kwaitq_wake_all(&desc->sync_waiters);
}

int irq_line_create(const char *name, int cpu, struct sim_irq **line)
{
	struct irq_table *tb = irq_table();
	struct irq_desc *desc = calloc(1, sizeof(*desc));

	if (!desc)
		return -ENOMEM;
	desc->line = sim_irq_create(sim_cur, name, cpu, desc_handle, desc);
	if (!desc->line) {
		free(desc);
		return -EINVAL;
	}
	VEC_RESERVE(tb->desc, tb->n, tb->cap, 16);
	tb->desc[tb->n++] = desc;
	desc->irq = tb->n;
	if (line)
		*line = desc->line;
	return desc->irq;
}

int request_threaded_irq(int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *act;

	if (!desc || (!handler && !thread_fn))
		return -EINVAL;
	if (desc->nactions && (!(flags & IRQF_SHARED) ||
			       !(desc->actions[0]->flags & IRQF_SHARED)))
		return -EBUSY;
	if (desc->nactions >= IRQ_MAX_ACTIONS)
		return -ENOSPC;
	act = calloc(1, sizeof(*act));
	if (!act)
		return -ENOMEM;
	act->desc = desc;
	act->handler = handler ? handler : irq_default_primary_handler;
	act->thread_fn = thread_fn;
	act->dev_id = dev_id;
	act->flags = flags;
	snprintf(act->name, sizeof(act->name), "%s", name);
	if (thread_fn) {
		char tname[SIM_NAME_LEN];

		snprintf(tname, sizeof(tname), "irq/%d-%s", irq, name);
		act->thread = sim_task_create(sim_cur, tname, SIM_TASK_THREAD,
					      desc->line->cpu, true, irq_thread_fn, act);
		if (!act->thread) {
			free(act);
			return -ENOMEM;
		}
	}
	desc->actions[desc->nactions++] = act;
	return 0;
}

void synchronize_irq(int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	might_sleep();
	kpoint();
	if (!desc)
		return;
	while (desc->hard_running || desc->threads_active)
		kwaitq_wait(&desc->sync_waiters, "synchronize_irq", desc->line->name,
			    desc, NULL, false);
}

void free_irq(int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return;
	synchronize_irq(irq);
	for (int i = 0; i < desc->nactions; i++) {
		if (desc->actions[i]->dev_id != dev_id)
			continue;
		/* A thread stays parked on its action; the run's end frees both. */
		if (desc->nremoved < (int)ARRAY_SIZE(desc->removed))
			desc->removed[desc->nremoved++] = desc->actions[i];
		memmove(&desc->actions[i], &desc->actions[i + 1],
			(desc->nactions - i - 1) * sizeof(desc->actions[0]));
		desc->nactions--;
		return;
	}
	WARN(1, "free_irq: no action of that dev_id on irq %d", irq);
}

void disable_irq_nosync(int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	kpoint();
	if (desc)
		sim_irq_disable(desc->line);
}

void disable_irq(int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

void enable_irq(int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	kpoint();
	if (desc)
		sim_irq_enable(desc->line);
}

void irq_free_all(struct kstate *ks);
void irq_free_all(struct kstate *ks)
{
	struct irq_table *tb = &ks->irqs;

	for (int i = 0; i < tb->n; i++) {
		struct irq_desc *d = tb->desc[i];

		for (int j = 0; j < d->nactions; j++)
			free(d->actions[j]);
		for (int j = 0; j < d->nremoved; j++)
			free(d->removed[j]);
		free(d);
	}
	free(tb->desc);
	tb->desc = NULL;
	tb->n = tb->cap = 0;
}
