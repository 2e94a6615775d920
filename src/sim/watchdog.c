// SPDX-License-Identifier: MIT
/*
 * The soft-lockup watchdog (DESIGN.md section 6, SOFT_LOCKUP), after the
 * kernel's (kernel/watchdog.c: a CPU that has not scheduled for
 * 2 * watchdog_thresh = 20 s prints "watchdog: BUG: soft lockup - CPU#N
 * stuck for Ns!").
 *
 * A CPU is *held* while it has an owner (a task with preemption or
 * interrupts disabled: holding or spinning for a spinlock, polling with
 * cpu_relax()/udelay() in such a section) or runs a hard-IRQ handler.
 * That is exactly when nothing else may run there: the model's kernel is
 * preemptible (CONFIG_PREEMPT), so a preemptible task that never sleeps
 * does not starve the per-CPU watchdog thread and is no lockup.  A held
 * stint starts when the CPU becomes held and ends when it is released
 * (the kernel's watchdog thread would run at that preempt_enable()).
 * When virtual time moves, a stint longer than cfg.soft_lockup is one
 * SOFT_LOCKUP naming the holder, once per stint.  Observation only.
 */
#include "sim/sim_internal.h"

#include "check/violation.h"

#define WATCHDOG_IDLE	UINT64_MAX	/* held_since of a CPU not held */

/** watchdog_init() - every CPU starts not held.  Context: sim_create(). */
void watchdog_init(struct sim *s)
{
	for (int i = 0; i < SIM_MAX_CPUS; i++)
		s->cpus[i].held_since = WATCHDOG_IDLE;
}

/**
 * watchdog_cpu_update() - @c's owner or active handler changed: start or
 * end its held stint.  Context: any executor code that changes them.
 */
void watchdog_cpu_update(struct sim *s, struct sim_cpu *c)
{
	bool held = c->owner || c->irq_active;

	if (held && c->held_since == WATCHDOG_IDLE) {
		c->held_since = s->now;
		c->lockup_reported = false;
	} else if (!held) {
		c->held_since = WATCHDOG_IDLE;
	}
}

/*
 * Blocked, or past the event of a WFE wait and not yet running again
 * (sim_wfe_wait(), cfg.wfe_wake): a real CPU would be spinning.
 */
static bool watchdog_spins(const struct sim_task *t)
{
	return t->state == SIM_BLOCKED || (t->state == SIM_SLEEPING && t->wait.what);
}

/* What the holder of @c is doing, for the report. */
static const char *watchdog_doing(const struct sim_cpu *c, const struct sim_task *t)
{
	if (c->irq_active)
		return "in a hard-IRQ handler";
	if (watchdog_spins(t))
		return t->irqs_off ? "spinning with interrupts off" :
				     "spinning with preemption off";
	return t->irqs_off ? "running with interrupts off" : "running with preemption off";
}

static void watchdog_report(struct sim *s, struct sim_cpu *c, sim_time_t stuck)
{
	struct sim_task *t = c->irq_active ? c->irq_active : c->owner;
	const struct sim_task *o = c->owner;
	bool waits = o && watchdog_spins(o) && o->wait.what;

	c->lockup_reported = true;
	check_report_tasks(s, V_SOFT_LOCKUP, &t, 1,
			   "BUG: soft lockup - CPU#%d stuck for %llu.%06llus! [%s] %s%s%s%s%s (threshold %llu.%06llus)",
			   c->id, (unsigned long long)(stuck / SIM_S),
			   (unsigned long long)(stuck % SIM_S / SIM_US), t->name,
			   watchdog_doing(c, o ? o : t), waits ? " on " : "",
			   waits ? o->wait.what : "", waits ? " " : "",
			   waits && o->wait.name ? o->wait.name : "",
			   (unsigned long long)(s->cfg.soft_lockup / SIM_S),
			   (unsigned long long)(s->cfg.soft_lockup % SIM_S / SIM_US));
}

/**
 * watchdog_check() - virtual time moved to s->now: report each CPU held
 * for longer than cfg.soft_lockup (0: the watchdog is off).
 * Context: scheduler (advance_time()).
 */
void watchdog_check(struct sim *s)
{
	if (!s->cfg.soft_lockup)
		return;
	for (int i = 0; i < s->cfg.ncpus; i++) {
		struct sim_cpu *c = &s->cpus[i];

		if (c->held_since == WATCHDOG_IDLE || c->lockup_reported)
			continue;
		if (s->now - c->held_since > s->cfg.soft_lockup)
			watchdog_report(s, c, s->now - c->held_since);
	}
}
