// SPDX-License-Identifier: MIT
/*
 * Spinlocks, mutexes, lockdep assertions and might_sleep().
 */
#include "kernel/bug.h"
#include "kernel/lockdep.h"

#include "check/violation.h"
#include "kernel/printk.h"
#include "trace/trace.h"

static void self_deadlock(const char *what, const char *name)
{
	check_report(V_DEADLOCK, NULL, 0,
		     "task '%s' takes %s '%s' it already holds (recursive locking)",
		     current->name, what, name ? name : "?");
}

void __spin_lock_init(spinlock_t *l, const char *name)
{
	if (name && name[0] == '&')
		name++;
	l->owner = NULL;
	l->name = name;
	l->waiters.head = NULL;
}

static void spin_acquire(spinlock_t *l)
{
	struct sim_task *t = current;

	preempt_disable();
	kpoint();
	while (l->owner) {
		if (l->owner == t)
			self_deadlock("spinlock", l->name);
		kwaitq_wait(&l->waiters, "spinlock", l->name, l, l->owner, false);
	}
	l->owner = t;
	t->spin_held++;
	trace_begin("lock", l, "spin_lock|%s", l->name);
}

static void spin_release(spinlock_t *l)
{
	struct sim_task *t = current;

	if (WARN(l->owner != t, "spin_unlock of '%s' not held by '%s'", l->name, t->name))
		return;
	trace_end("lock", l);
	l->owner = NULL;
	t->spin_held--;
	kwaitq_wake_all(&l->waiters);
}

void spin_lock(spinlock_t *l)
{
	spin_acquire(l);
}

void spin_unlock(spinlock_t *l)
{
	spin_release(l);
	preempt_enable();
}

int spin_trylock(spinlock_t *l)
{
	struct sim_task *t = current;

	preempt_disable();
	kpoint();
	if (l->owner) {
		preempt_enable();
		return 0;
	}
	l->owner = t;
	t->spin_held++;
	trace_begin("lock", l, "spin_lock|%s", l->name);
	return 1;
}

unsigned long _spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags;

	local_irq_save(flags);
	spin_acquire(l);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_release(l);
	preempt_enable_no_resched();
	local_irq_restore(flags);
}

void spin_lock_irq(spinlock_t *l)
{
	local_irq_disable();
	spin_acquire(l);
}

void spin_unlock_irq(spinlock_t *l)
{
	spin_release(l);
	preempt_enable_no_resched();
	local_irq_enable();
}

void __mutex_init(struct mutex *m, const char *name)
{
	if (name && name[0] == '&')
		name++;
	m->owner = NULL;
	m->name = name;
	m->waiters.head = NULL;
}

void mutex_lock(struct mutex *m)
{
	struct sim_task *t = current;

	might_sleep();
	kpoint();
	while (m->owner) {
		if (m->owner == t)
			self_deadlock("mutex", m->name);
		kwaitq_wait(&m->waiters, "mutex", m->name, m, m->owner, false);
	}
	m->owner = t;
	trace_begin("lock", m, "mutex_lock|%s", m->name);
}

int mutex_trylock(struct mutex *m)
{
	kpoint();
	if (m->owner)
		return 0;
	m->owner = current;
	trace_begin("lock", m, "mutex_lock|%s", m->name);
	return 1;
}

void mutex_unlock(struct mutex *m)
{
	struct sim_task *t = current;

	if (WARN(m->owner != t, "mutex_unlock of '%s' not held by '%s'", m->name, t->name))
		return;
	trace_end("lock", m);
	m->owner = NULL;
	kwaitq_wake_all(&m->waiters);
	kpoint();
}

void __lockdep_assert(bool held, bool want, const char *what, const char *name,
		      const char *file, int line)
{
	if (held == want)
		return;
	__warn(file, line, want ? "lockdep_assert_held" : "lockdep_assert_not_held",
	       "%s '%s' %s by '%s'", what, name ? name : "?",
	       want ? "not held" : "held", current->name);
}

void __might_sleep(const char *file, int line, const char *func)
{
	struct sim_task *t = current;
	const char *why = NULL;

	if (!t)			/* set-up code in the main context */
		return;
	if (t->kind == SIM_TASK_IRQ)
		why = "in hard-IRQ context";
	else if (t->spin_held)
		why = "with a spinlock held";
	else if (t->irqs_off)
		why = "with interrupts disabled";
	else if (t->preempt_count)
		why = "with preemption disabled";
	else if (t->rcu_nesting)
		why = "inside an RCU read-side critical section";
	if (!why)
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	check_report(V_SLEEP_IN_ATOMIC, NULL, 0,
		     "%s() may sleep but was called %s (%s:%d); task '%s' spin_held=%d preempt_count=%d irqs_off=%d",
		     func, why, file, line, t->name, t->spin_held, t->preempt_count, t->irqs_off);
}
