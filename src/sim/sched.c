// SPDX-License-Identifier: MIT
/*
 * The scheduler: eligibility, the choice at each scheduling point, task
 * switches, virtual time and the end of a run.  See sim.h for the rules.
 */
#include "sim/sim_internal.h"
#include "sim/vec.h"

#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "trace/evlog.h"

__thread struct sim *sim_cur;

/* ---- The ready set: runnable tasks, and IRQ tasks with a pending line ---- */

void ready_add(struct sim *s, struct sim_task *t)
{
	if (t->ready_idx >= 0)
		return;
	if (s->nready == s->ready_cap) {
		VEC_RESERVE(s->ready, s->nready, s->ready_cap, 64);
		/* The choice scratch array is never larger than the ready set. */
		s->elig = vec_realloc(s->elig, s->ready_cap, sizeof(*s->elig));
	}
	t->ready_idx = s->nready;
	s->ready[s->nready++] = t;
}

void ready_remove(struct sim *s, struct sim_task *t)
{
	int i = t->ready_idx;

	if (i < 0)
		return;
	/* Keep creation order among the rest: shift (the set is small). */
	memmove(&s->ready[i], &s->ready[i + 1],
		(s->nready - i - 1) * sizeof(*s->ready));
	s->nready--;
	for (int j = i; j < s->nready; j++)
		s->ready[j]->ready_idx = j;
	t->ready_idx = -1;
}

static bool task_eligible(const struct sim *s, const struct sim_task *t)
{
	const struct sim_cpu *c;

	switch (t->kind) {
	case SIM_TASK_HW:
		return true;
	case SIM_TASK_IRQ:
		c = &s->cpus[t->cpu];
		if (t->state == SIM_IRQ_IDLE)
			return !c->irq_active && t->irq->disable_depth == 0 &&
			       (!c->owner || !c->owner->irqs_off);
		return c->irq_active == t;
	case SIM_TASK_THREAD:
		c = &s->cpus[t->cpu];
		if (c->irq_active)
			return false;
		return !c->owner || c->owner == t;
	}
	return false;
}

static int collect_eligible(struct sim *s)
{
	int n = 0;

	for (int i = 0; i < s->nready; i++) {
		struct sim_task *t = s->ready[i];

		if (task_eligible(s, t))
			s->elig[n++] = t;
	}
	return n;
}

void sim_cpu_update_owner(struct sim_task *t)
{
	struct sim_cpu *c;

	if (t->kind != SIM_TASK_THREAD)
		return;
	c = &sim_cur->cpus[t->cpu];
	if (t->preempt_count > 0 || t->irqs_off)
		c->owner = t;
	else if (c->owner == t)
		c->owner = NULL;
	watchdog_cpu_update(sim_cur, c);
}

/* ---- Switching ---- */

static void reap(struct sim *s)
{
	struct sim_task *t = s->reap;

	if (t) {
		s->reap = NULL;
		coro_destroy(&t->coro);
	}
}

static void switch_to(struct sim *s, struct sim_task *from, struct sim_task *to)
{
	struct coro *fc = from ? &from->coro : &s->main_coro;
	struct coro *tc = to ? &to->coro : &s->main_coro;

	s->current = to;
	s->switches++;
	coro_switch(fc, tc);
	reap(s);
}

/* Leave for the main context for good: the run is over. */
static void go_main(struct sim *s)
{
	struct sim_task *cur = s->current;

	if (!cur)
		return;
	switch_to(s, cur, NULL);
	/* An abandoned task is never resumed. */
	abort();
}

/* ---- The end of a run ---- */

static int describe_blocked(struct sim *s, char *buf, size_t len,
			    struct sim_task **who, int maxwho)
{
	size_t off = 0;
	int nwho = 0;

	for (int i = 0; i < s->ntasks; i++) {
		struct sim_task *t = s->tasks[i];
		const char *cpu_note = "";
		char cpubuf[24] = "";

		if (t->state == SIM_BLOCKED && t->idle_wait)
			continue;
		if (t->state == SIM_DONE || t->state == SIM_IRQ_IDLE)
			continue;
		if (t->cpu >= 0)
			snprintf(cpubuf, sizeof(cpubuf), "cpu%d", t->cpu);
		else
			snprintf(cpubuf, sizeof(cpubuf), "hw");
		if (t->state == SIM_BLOCKED) {
			if (t->kind == SIM_TASK_THREAD && s->cpus[t->cpu].owner == t)
				cpu_note = t->irqs_off ? ", holding its CPU with irqs off"
						       : ", holding its CPU";
			off += snprintf(buf + off, off < len ? len - off : 0,
					"\n  task '%s' (%s) waits on %s '%s'%s%s%s",
					t->name, cpubuf, t->wait.what ? t->wait.what : "?",
					t->wait.name ? t->wait.name : "?",
					t->wait.holder ? " held by '" : "",
					t->wait.holder ? t->wait.holder->name : "",
					t->wait.holder ? "'" : "");
			off += snprintf(buf + off, off < len ? len - off : 0, "%s", cpu_note);
		} else if (t->state == SIM_RUNNABLE) {
			const struct sim_cpu *c = t->cpu >= 0 ? &s->cpus[t->cpu] : NULL;

			off += snprintf(buf + off, off < len ? len - off : 0,
					"\n  task '%s' (%s) runnable but its CPU is held by '%s'",
					t->name, cpubuf,
					c && c->irq_active ? c->irq_active->name :
					c && c->owner ? c->owner->name : "?");
		} else {
			continue;
		}
		if (nwho < maxwho)
			who[nwho++] = t;
	}
	for (int i = 0; i < s->nirqs; i++) {
		struct sim_irq *q = s->irqs[i];
		const struct sim_cpu *c = &s->cpus[q->cpu];

		if (!q->pending || q->in_handler)
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0,
				"\n  irq '%s' pending on cpu%d, %s", q->name, q->cpu,
				q->disable_depth ? "disabled at the controller" :
				c->irq_active ? "cpu busy in another handler" :
				c->owner ? "masked by the task holding the CPU" : "undelivered");
		if (c->owner && nwho < maxwho) {
			bool seen = false;

			for (int j = 0; j < nwho; j++)
				seen |= who[j] == c->owner;
			if (!seen)
				who[nwho++] = c->owner;
		}
	}
	return nwho;
}

static bool anything_stuck(struct sim *s)
{
	for (int i = 0; i < s->ntasks; i++) {
		struct sim_task *t = s->tasks[i];

		if (t->state == SIM_BLOCKED && !t->idle_wait)
			return true;
		if (t->state == SIM_RUNNABLE)
			return true;	/* runnable but never eligible */
	}
	for (int i = 0; i < s->nirqs; i++)
		if (s->irqs[i]->pending && !s->irqs[i]->disable_depth)
			return true;
	return false;
}

static void report_deadlock(struct sim *s)
{
	char buf[VIOLATION_MSG_LEN - 64];
	struct sim_task *who[VIOLATION_MAX_TASKS];
	int n = describe_blocked(s, buf, sizeof(buf), who, VIOLATION_MAX_TASKS);

	check_report_tasks(s, V_DEADLOCK, who, n,
			   "no task can run and no timer is pending:%s", buf);
	sim_stop(SIM_END_DEADLOCK);
	s->end = SIM_END_DEADLOCK;
}

/* Fire every timer due at the earliest time.  Return false when none is armed. */
static bool advance_time(struct sim *s)
{
	struct sim_timer *t;

	if (!s->nheap)
		return false;
	t = s->heap[0];
	if (s->cfg.duration && t->when > s->cfg.duration) {
		s->now = s->cfg.duration;
		watchdog_check(s);
		sim_stop(SIM_END_DURATION);
		return true;
	}
	if (t->when > s->now) {
		s->now = t->when;
		s->steps_at_now = 0;
		watchdog_check(s);
	}
	while (s->nheap && s->heap[0]->when <= s->now) {
		t = s->heap[0];
		timer_heap_remove(s, t);
		t->fn(t);
	}
	return true;
}

/* Nothing is eligible: move time, or end the run.  Return false to end. */
static bool nothing_eligible(struct sim *s)
{
	if (s->cfg.end_when_threads_done && s->live_threads == 0) {
		sim_stop(SIM_END_ALL_DONE);
		return false;
	}
	if (advance_time(s))
		return !s->stop;
	if (s->on_idle) {
		int before = s->nready;

		s->on_idle(s);
		if (s->nready != before || s->nheap)
			return true;
	}
	if (anything_stuck(s))
		report_deadlock(s);
	else
		sim_stop(SIM_END_IDLE);
	return false;
}

const char *sim_task_state_invariant(const struct sim *s)
{
	static char buf[160];

	for (int i = 0; i < s->ntasks; i++) {
		const struct sim_task *t = s->tasks[i];
		bool in_ready = t->ready_idx >= 0;
		bool want = t->state == SIM_RUNNABLE ||
			    (t->state == SIM_IRQ_IDLE && t->irq && t->irq->pending);

		if (in_ready && (t->ready_idx >= s->nready || s->ready[t->ready_idx] != t))
			return snprintf(buf, sizeof(buf), "task '%s': stale ready slot", t->name), buf;
		if (in_ready != want)
			return snprintf(buf, sizeof(buf), "task '%s' (%s) %s the ready set",
					t->name, sim_task_state_name(t->state),
					in_ready ? "wrongly in" : "missing from"), buf;
		if (t->state == SIM_SLEEPING && !sim_timer_armed(&t->timer))
			return snprintf(buf, sizeof(buf), "task '%s' sleeps with no timer", t->name), buf;
		if ((t->kind == SIM_TASK_HW) != (t->cpu < 0))
			return snprintf(buf, sizeof(buf), "task '%s': cpu %d for its kind", t->name, t->cpu), buf;
	}
	for (int c = 0; c < s->cfg.ncpus; c++) {
		const struct sim_cpu *cpu = &s->cpus[c];
		const struct sim_task *o = cpu->owner, *h = cpu->irq_active;

		if (o && (o->cpu != c || o->kind != SIM_TASK_THREAD || o->state == SIM_DONE ||
			  (!o->preempt_count && !o->irqs_off)))
			return snprintf(buf, sizeof(buf), "cpu%d owner '%s' cannot hold it", c, o->name), buf;
		if (h && (h->cpu != c || h->kind != SIM_TASK_IRQ || h->state == SIM_IRQ_IDLE ||
			  h->state == SIM_DONE))
			return snprintf(buf, sizeof(buf), "cpu%d handler '%s' is not running there", c, h->name), buf;
	}
	if (s->nready > s->ntasks)
		return "ready set larger than the task table";
	return NULL;
}

void sim_assert_task_state(const struct sim *s)
{
	const char *broken = sim_task_state_invariant(s);

	if (broken) {
		fprintf(stderr, "iommusim: executor invariant broken: %s\n", broken);
		abort();
	}
}

/*
 * The heart of it: pick the next task and switch to it.  Called by the
 * current task at a scheduling point or when it blocks, or by sim_run() from
 * the main context.  Returns when the caller is chosen again; in the main
 * context, when the run is over.
 */
void schedule(struct sim *s)
{
	struct sim_task *cur = s->current;

	for (;;) {
		int n;

		if (s->stop) {
			go_main(s);
			return;
		}
		if (s->cfg.check_invariants)
			sim_assert_task_state(s);
		n = collect_eligible(s);
		if (n == 0) {
			if (!nothing_eligible(s)) {
				go_main(s);
				return;
			}
			continue;
		}
		struct sim_task *next = strategy_choose(s, cur, n);

		if (!next) {		/* replay diverged */
			go_main(s);
			return;
		}
		if (next->state == SIM_IRQ_IDLE)
			irq_deliver(s, next);
		if (next == cur)
			return;
		/* Returns when @cur runs again (in the main context: at the end). */
		switch_to(s, cur, next);
		return;
	}
}

void sim_point(void)
{
	struct sim *s = sim_cur;
	struct sim_task *cur = s->current;

	if (!cur)		/* set-up code in the main context */
		return;
	s->steps++;
	cur->steps++;
	if (++s->steps_at_now > s->cfg.max_steps_same_time) {
		check_report(V_SOFT_LOCKUP, NULL, 0,
			     "%llu scheduling points without virtual time moving (a loop that never waits or costs time)",
			     (unsigned long long)s->steps_at_now);
		sim_stop(SIM_END_STEP_LIMIT);
		s->end = SIM_END_STEP_LIMIT;
	}
	if (s->pct_next < s->pct_nchange && s->steps == s->pct_change[s->pct_next])
		cur->prio = (uint64_t)++s->pct_next;
	schedule(s);
}

void sim_block(const struct sim_wait *w, bool idle)
{
	struct sim *s = sim_cur;
	struct sim_task *t = s->current;

	t->state = SIM_BLOCKED;
	t->wait = *w;
	t->idle_wait = idle;
	ready_remove(s, t);
	schedule(s);
}

void sim_wake(struct sim_task *t)
{
	struct sim *s = sim_cur;

	if (t->state != SIM_BLOCKED)
		return;
	t->state = SIM_RUNNABLE;
	t->idle_wait = false;
	memset(&t->wait, 0, sizeof(t->wait));
	ready_add(s, t);
}

void sim_wfe_wait(const char *what, const void *obj)
{
	struct sim *s = sim_cur;
	struct sim_task *t = s->current;
	struct sim_wait w = { "event (WFE) on", what, obj, NULL };

	t->wait_next = s->wfe_head;
	s->wfe_head = t;
	sim_block(&w, false);
}

/*
 * The event reached @t; it runs again wfe_wake ns later, sleeping till then
 * on its own timer (idle while blocked in WFE) and keeping its CPU.
 */
static void wfe_wake_later(struct sim *s, struct sim_task *t)
{
	if (t->state != SIM_BLOCKED)
		return;
	t->state = SIM_SLEEPING;	/* t->wait stays, for reports */
	t->idle_wait = false;
	sim_timer_arm(&t->timer, s->now + s->cfg.wfe_wake);
}

static bool wfe_same_granule(const void *a, const void *b)
{
	return (uintptr_t)a / SIM_WFE_GRANULE == (uintptr_t)b / SIM_WFE_GRANULE;
}

void __sim_wfe_notify(struct sim *s, const void *addr)
{
	struct sim_task **pp = &s->wfe_head;

	while (*pp) {
		struct sim_task *t = *pp;

		if (addr && t->wait.obj && !wfe_same_granule(addr, t->wait.obj)) {
			pp = &t->wait_next;
			continue;
		}
		*pp = t->wait_next;
		t->wait_next = NULL;
		if (s->cfg.wfe_wake)
			wfe_wake_later(s, t);
		else
			sim_wake(t);
	}
}

void task_timer_fire(struct sim_timer *tm)
{
	struct sim_task *t = tm->data;

	if (t->state != SIM_SLEEPING)
		return;
	t->state = SIM_RUNNABLE;
	memset(&t->wait, 0, sizeof(t->wait));
	ready_add(sim_cur, t);
}

void sim_sleep_until(sim_time_t when)
{
	struct sim *s = sim_cur;
	struct sim_task *t = s->current;

	if (when <= s->now) {
		sim_point();
		return;
	}
	t->state = SIM_SLEEPING;
	ready_remove(s, t);
	sim_timer_arm(&t->timer, when);
	schedule(s);
}

/* Could any task but @me run, or a timer fire, at this instant? */
static bool others_can_progress(const struct sim *s, const struct sim_task *me)
{
	if (s->nheap && s->heap[0]->when <= s->now)
		return true;
	for (int i = 0; i < s->nready; i++)
		if (s->ready[i] != me && task_eligible(s, s->ready[i]))
			return true;
	return false;
}

void sim_settle(void)
{
	struct sim *s = sim_cur;
	struct sim_task *t = s ? s->current : NULL;

	if (!t)
		return;
	while (others_can_progress(s, t)) {
		/* timers fire only when nothing is eligible: once all else ran */
		t->state = SIM_SLEEPING;
		ready_remove(s, t);
		sim_timer_arm(&t->timer, s->now);
		schedule(s);
	}
}

void sim_delay(uint64_t ns)
{
	sim_sleep_until(sim_cur->now + ns);
}

void sim_exit(void)
{
	struct sim *s = sim_cur;
	struct sim_task *t = s->current;

	t->state = SIM_DONE;
	ready_remove(s, t);
	if (!t->daemon)
		s->live_threads--;
	if (t->kind == SIM_TASK_THREAD && s->cpus[t->cpu].owner == t) {
		s->cpus[t->cpu].owner = NULL;
		watchdog_cpu_update(s, &s->cpus[t->cpu]);
	}
	t->coro.dying = true;
	s->reap = t;
	schedule(s);
	abort();		/* a DONE task is never chosen */
}

void sim_stop(enum sim_end why)
{
	struct sim *s = sim_cur;

	s->stop = true;
	if (s->end == SIM_END_NONE)
		s->end = why;
}

enum sim_end sim_run(struct sim *s)
{
	sim_cur = s;
	check_monitors_run_start(s);
	s->current = NULL;
	schedule(s);
	s->current = NULL;
	reap(s);
	check_monitors_run_end(s);
	return s->end;
}
