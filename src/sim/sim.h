/* SPDX-License-Identifier: MIT */
/*
 * The deterministic executor: tasks, CPUs, interrupt delivery, virtual time,
 * timers, scheduling strategies, recording and replay (DESIGN.md section 3).
 *
 * Every concurrent actor is a task (a coroutine).  A task runs until it
 * reaches a scheduling point (sim_point(), or any blocking call); there the
 * strategy picks the next task among the *eligible* ones:
 *
 *   - a hardware task (kind SIM_TASK_HW) runs on no CPU and is eligible
 *     whenever it is runnable;
 *   - a CPU runs one thing at a time.  While a hard-IRQ handler runs on a
 *     CPU, only it is eligible there.  Otherwise, while the CPU's *owner* (a
 *     task with preemption or interrupts disabled) exists, only the owner is
 *     eligible there, and only if runnable: a task spinning for a lock or in
 *     udelay() keeps its CPU.  Otherwise every runnable task bound to the CPU
 *     is eligible (preemption at any scheduling point);
 *   - a pending interrupt line is eligible for delivery when its CPU runs no
 *     handler and the CPU's owner, if any, has interrupts enabled.  Delivering
 *     it runs the line's hard-IRQ task on that CPU to completion.
 *
 * Virtual time (ns) moves only when no task is eligible: the clock jumps to
 * the earliest timer (ordered by time, then arming sequence).  No eligible
 * task and no timer while a task is blocked is a DEADLOCK violation naming
 * every blocked task and what it waits on.
 *
 * Two watchdogs report SOFT_LOCKUP: a CPU *held* (by an owner, or by a
 * hard handler) for longer than cfg.soft_lockup of virtual time, checked
 * whenever the clock moves (watchdog.c); and cfg.max_steps_same_time
 * scheduling points without the clock moving at all (sim_point()).
 *
 * Task states:
 *
 *            sim_wake()                 strategy picks it
 *   BLOCKED ----------->  RUNNABLE  <-------------------------.
 *     ^                    |   ^  \__ sim_block() ____________|__> BLOCKED
 *     |                    |   |                              |
 *     |  sim_sleep_until() v   | timer fires                  |
 *     '---------------- SLEEPING                              |
 *                          fn returns --> DONE (never leaves)
 *
 *   An IRQ task idles in IRQ_IDLE between deliveries; delivery makes it
 *   RUNNABLE on its CPU, and it returns to IRQ_IDLE when its handler ends.
 *   sim_assert_task_state() checks these rules at every scheduling point in
 *   debug builds.
 *
 * One simulator runs at a time on an OS thread; kernel-shim code finds it
 * through sim_cur.  All functions here must be called from task context
 * unless they say otherwise.
 */
#ifndef IOMMUSIM_SIM_SIM_H
#define IOMMUSIM_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/coro.h"
#include "sim/rng.h"

typedef uint64_t sim_time_t;	/* virtual nanoseconds since the run began */

#define SIM_NS		1ULL
#define SIM_US		1000ULL
#define SIM_MS		1000000ULL
#define SIM_S		1000000000ULL

#define SIM_MAX_CPUS	64
#define SIM_MAX_TASKS	4096
#define SIM_NAME_LEN	32

struct sim;
struct sim_task;
struct evlog;
struct violation_log;
struct trace;

enum sim_task_kind {
	SIM_TASK_THREAD,	/* kernel or user thread bound to a CPU */
	SIM_TASK_IRQ,		/* hard-IRQ context of one interrupt line */
	SIM_TASK_HW,		/* hardware engine: on no CPU */
};

enum sim_task_state {
	SIM_RUNNABLE,
	SIM_BLOCKED,
	SIM_SLEEPING,
	SIM_IRQ_IDLE,
	SIM_DONE,
};

/* What a blocked task waits for, for deadlock reports. */
struct sim_wait {
	const char *what;		/* "mutex", "spinlock", "completion", ... */
	const char *name;		/* the object's name */
	const void *obj;		/* the object, to tell instances apart */
	const struct sim_task *holder;	/* who holds it, when known */
};

struct sim_timer {
	sim_time_t when;
	uint64_t seq;		/* arming order: ties broken by it */
	int heap_idx;		/* -1 when not armed */
	void (*fn)(struct sim_timer *t);	/* runs in scheduler context */
	void *data;
};

struct sim_irq;

struct sim_task {
	int id;				/* creation order, from 0 */
	char name[SIM_NAME_LEN];
	enum sim_task_kind kind;
	enum sim_task_state state;
	int cpu;			/* -1 for hardware tasks */
	bool daemon;			/* the run may end while it still lives */
	bool idle_wait;			/* blocked waiting for work: not a deadlock */
	struct coro coro;
	void (*fn)(void *);
	void *arg;

	/* Kernel context, maintained by the kernel shim. */
	int preempt_count;		/* preempt_disable() nesting */
	int irqs_off;			/* interrupts masked on this CPU */
	int spin_held;			/* spinlocks held */
	int rcu_nesting;		/* rcu_read_lock() nesting */
	uint64_t rcu_gen;		/* grace-period number at outermost lock */
	void *kctx;			/* shim-private */

	struct sim_wait wait;		/* valid while BLOCKED */
	struct sim_timer timer;		/* for sleeps and delays */
	int ready_idx;			/* slot in sim->ready, or -1 */
	uint64_t prio;			/* pct: larger runs first */
	struct sim_irq *irq;		/* for SIM_TASK_IRQ */
	struct sim_task *wait_next;	/* shim wait queues: next waiter */
	void *wait_q;			/* the queue it is on, or NULL */
	uint64_t steps;			/* scheduling points taken */
};

struct sim_cpu {
	int id;
	struct sim_task *owner;		/* non-preemptible holder, or NULL */
	struct sim_task *irq_active;	/* hard handler running, or NULL */
	sim_time_t held_since;		/* watchdog: owner or handler since; ~0 if neither */
	bool lockup_reported;		/* watchdog: this stint was reported */
};

/* An interrupt line of the simulated interrupt controller. */
struct sim_irq {
	int id;
	char name[SIM_NAME_LEN];
	int cpu;			/* affinity */
	bool pending;			/* waiting for delivery */
	bool level_asserted;		/* level-triggered input high */
	int disable_depth;		/* disable_irq() nesting: held off while > 0 */
	struct sim_task *task;		/* hard-IRQ task */
	void (*handler)(struct sim_irq *irq, void *arg);
	void *arg;
	uint64_t delivered;		/* count */
	bool in_handler;
	/* Observer (a checker): called at each delivery, before the handler
	 * runs, in scheduler context; must not take a scheduling point.
	 * NULL: none.  Set with sim_irq_observe(). */
	void (*on_deliver)(struct sim_irq *irq, void *arg);
	void *on_deliver_arg;
};

enum sim_strategy_kind {
	SIM_STRAT_RANDOM,
	SIM_STRAT_PCT,
	SIM_STRAT_RR,
	SIM_STRAT_REPLAY,
	SIM_STRAT_GUIDED,	/* the default order, left at listed decisions */
};

/*
 * The *default order*: at a decision, the running task keeps running while
 * it is eligible; otherwise the eligible task with the lowest id (creation
 * order) runs.  A schedule that only says where a run left the default
 * order is a list of deviations; any other decision is the default one.
 */

/**
 * struct sim_deviation - a decision where a run left the default order.
 * @decision:	index of the decision (0 = the run's first scheduling point
 *		with two or more eligible tasks).
 * @task:	id of the task chosen there.
 */
struct sim_deviation {
	uint64_t decision;
	uint16_t task;
};

/**
 * struct sim_strategy - how a run chooses.
 * @replay, @replay_len: SIM_STRAT_REPLAY: every decision (task ids); a
 *		recorded task that cannot run ends the run (REPLAY_DIVERGED);
 *		past the end, the default order.
 * @guide, @guide_len: SIM_STRAT_GUIDED: deviations sorted by decision;
 *		every other decision takes the default order, and so does a
 *		listed one whose task cannot run there (counted in
 *		sim.guide_missed): a guided run never diverges.
 */
struct sim_strategy {
	enum sim_strategy_kind kind;
	int pct_depth;			/* D for pct:D, >= 1 */
	uint64_t pct_horizon;		/* expected scheduling points of a run */
	const uint16_t *replay;		/* recorded decisions (task ids) */
	size_t replay_len;
	const struct sim_deviation *guide;
	size_t guide_len;
};

enum sim_end {
	SIM_END_NONE,
	SIM_END_ALL_DONE,	/* every non-daemon task finished */
	SIM_END_IDLE,		/* nothing left to happen */
	SIM_END_DURATION,	/* virtual time reached the duration */
	SIM_END_VIOLATION,	/* stopped at the first violation */
	SIM_END_DEADLOCK,
	SIM_END_STEP_LIMIT,	/* no progress of virtual time: soft lockup */
	SIM_END_REPLAY_DIVERGED,
};

struct sim_config {
	int ncpus;			/* 1..SIM_MAX_CPUS */
	uint64_t seed;
	struct sim_strategy strategy;
	sim_time_t duration;		/* 0: no limit */
	bool keep_going;		/* do not stop at the first violation */
	bool record;			/* record decisions (default on) */
	uint64_t max_steps_same_time;	/* points without time moving; 0: 10^7 */
	bool end_when_threads_done;	/* end once all non-daemon tasks are DONE */
	bool check_invariants;		/* sim_assert_task_state() at every choice */
	sim_time_t soft_lockup;		/* watchdog: a CPU held longer (ns) is a
					 * SOFT_LOCKUP; 0: off (default 20 s) */
	sim_time_t wfe_wake;		/* ns from an event to a WFE waiter
					 * running again (sim_wfe_notify()) */
};

struct sim {
	struct sim_config cfg;
	struct sim_rng rng;		/* scheduling choices */
	struct sim_rng data_rng;	/* model randomness (latencies...) */
	sim_time_t now;
	struct coro main_coro;
	struct sim_task *current;	/* running task, NULL in main context */

	struct sim_cpu cpus[SIM_MAX_CPUS];
	struct sim_task **tasks;	/* by id */
	int ntasks, tasks_cap;
	int live_threads;		/* non-daemon tasks not DONE */

	struct sim_task **ready;	/* runnable tasks and pending IRQ tasks */
	int nready, ready_cap;
	struct sim_task **elig;		/* scratch for the choice */

	struct sim_irq **irqs;
	int nirqs, irqs_cap;

	struct sim_timer **heap;	/* timers, min-heap by (when, seq) */
	int nheap, heap_cap;
	uint64_t timer_seq;

	uint64_t steps;			/* scheduling points */
	uint64_t decisions_taken;	/* points with more than one choice */
	uint64_t switches;		/* task switches */
	uint64_t steps_at_now;		/* points since the clock last moved */
	int last_rr;

	uint16_t *rec;			/* recorded decisions */
	size_t nrec, rec_cap;
	size_t replay_pos;
	struct sim_deviation *dev;	/* recorded deviations from the default order */
	size_t ndev, dev_cap;
	uint64_t preemptions;		/* deviations that switched away from a
					 * running task that could go on */
	size_t guide_pos;		/* SIM_STRAT_GUIDED: next deviation */
	uint64_t guide_missed;		/* guided deviations not applied */

	uint64_t pct_change[16];	/* pct change points (step numbers) */
	int pct_nchange, pct_next;

	bool stop;
	enum sim_end end;
	struct evlog *log;		/* notable events */
	struct trace *trace;		/* --trace/--diagram sink, or NULL (trace/trace.h) */
	struct violation_log *violations;
	uint64_t rcu_gen;		/* shim: grace periods started */
	void *kernel;			/* shim-private per-run state */
	void *user;			/* owner's per-run state */
	void (*on_idle)(struct sim *s);	/* optional: before declaring idle */
	uint64_t run_id;		/* distinct for every sim_create() */
	struct sim_task *reap;		/* finished task whose stack to free */
	struct sim_task *wfe_head;	/* tasks waiting for an event (WFE) */
	struct {
		void (*fn)(struct sim *s, void *arg);
		void *arg;
	} dtor[256];			/* run by sim_destroy(), last first */
	int ndtor;
};

/* The simulator running on this OS thread, or NULL. */
extern __thread struct sim *sim_cur;

/**
 * sim_config_default() - a config: 1 CPU, seed 1, random strategy, no
 * duration, stop at the first violation, record decisions, soft-lockup
 * watchdog at 20 s (the kernel's 2 * watchdog_thresh).
 */
void sim_config_default(struct sim_config *cfg);

/**
 * sim_create() - a simulator for one run.
 * Context: not in task context.  Makes the new simulator sim_cur.
 * Return: the simulator, or NULL on -ENOMEM.
 */
struct sim *sim_create(const struct sim_config *cfg);

/**
 * sim_destroy() - free a simulator, its tasks' stacks and its logs.
 * Context: not in task context; the run must be over.
 */
void sim_destroy(struct sim *s);

/**
 * sim_task_create() - a new task, RUNNABLE at the current virtual time.
 * @cpu: the CPU it is bound to (0..ncpus-1) for SIM_TASK_THREAD; ignored
 *       (-1) for SIM_TASK_HW.  IRQ tasks are made by sim_irq_create().
 * @daemon: the run may end while this task is blocked or idle.
 * Context: task or main context.  A scheduling point is *not* taken.
 * Return: the task, or NULL when SIM_MAX_TASKS are in use or memory ran out.
 */
struct sim_task *sim_task_create(struct sim *s, const char *name,
				 enum sim_task_kind kind, int cpu, bool daemon,
				 void (*fn)(void *), void *arg);

/**
 * sim_run() - run until an end condition (see enum sim_end).
 * Context: main context.  Return: why the run ended.
 */
enum sim_end sim_run(struct sim *s);

/**
 * sim_point() - a scheduling point: the strategy may switch to another
 * eligible task.  Costs no virtual time.  A no-op in the main context
 * (set-up code before sim_run()).
 */
void sim_point(void);

/**
 * sim_block() - block the current task until sim_wake().
 * @w: what it waits for (copied), for deadlock reports.
 * @idle: waiting for work that may never come (a daemon's idle wait).
 * Context: task.  Spurious wake-ups are possible: callers re-check.
 */
void sim_block(const struct sim_wait *w, bool idle);

/**
 * sim_wake() - make a BLOCKED task RUNNABLE.  No-op for any other state.
 * Context: any, including timer callbacks.  Not a scheduling point.
 */
void sim_wake(struct sim_task *t);

/**
 * sim_sleep_until() - SLEEPING until virtual time @when (ns).
 * A non-preemptible task keeps its CPU meanwhile (busy wait); a preemptible
 * one leaves it to others.
 */
void sim_sleep_until(sim_time_t when);

/** sim_delay() - sleep @ns of virtual time (see sim_sleep_until()). */
void sim_delay(uint64_t ns);

/**
 * sim_settle() - let every other task run until none can make progress at
 * this instant (none eligible, no timer due now); virtual time does not
 * move.  What the caller sees next is then independent of the strategy,
 * which is what a stimulus script (hwtest) needs between statements.
 * Context: task (a no-op in main context).  A scheduling point.
 */
void sim_settle(void);

/**
 * sim_wfe_wait() - wait for an event, as an Arm CPU in WFE: block until a
 * write through the shim or a hardware model's memory write calls
 * sim_wfe_notify(), then for the config's @wfe_wake ns more (0: runnable at
 * the write itself).  The latency stands for the core leaving WFE and
 * fetching the cache line back: what it re-reads is the location's value
 * then, not at the write, so another CPU may have written it again in
 * between (Arm ARM D1.6.1 "Wait for Event"; the event is the clearing of
 * the waiter's exclusive monitor by the write).  The task keeps its CPU if
 * it is not preemptible.  Callers re-check their condition (spurious
 * wake-ups).
 * @what: the watched location's name, for deadlock reports.
 */
void sim_wfe_wait(const char *what, const void *obj);
void __sim_wfe_notify(struct sim *s, const void *addr);

/* The Exclusives Reservation Granule a WFE waiter monitors, bytes. */
#define SIM_WFE_GRANULE	64

/**
 * sim_wfe_notify() - an event for every task in sim_wfe_wait(), whatever
 * it watches: for writes the model cannot place (a hardware model's write
 * to memory it reaches by address only).  Waiters re-check, so a wake-up
 * too many is harmless.  Context: any.
 */
static inline void sim_wfe_notify(void)
{
	extern __thread struct sim *sim_cur;

	if (__builtin_expect(sim_cur->wfe_head != NULL, 0))
		__sim_wfe_notify(sim_cur, NULL);
}

/**
 * sim_wfe_notify_at() - a write to @addr: an event for the tasks in
 * sim_wfe_wait() on an address in the same SIM_WFE_GRANULE-byte granule,
 * as a store clears the exclusive monitors on its granule only (Arm ARM
 * B2.9.5).  Context: any.
 */
static inline void sim_wfe_notify_at(const void *addr)
{
	extern __thread struct sim *sim_cur;

	if (__builtin_expect(sim_cur->wfe_head != NULL, 0))
		__sim_wfe_notify(sim_cur, addr);
}

/** sim_now() - the virtual time, ns.  Context: any. */
static inline sim_time_t sim_now(void)
{
	return sim_cur->now;
}

/** sim_current() - the running task, or NULL in main context. */
static inline struct sim_task *sim_current(void)
{
	return sim_cur ? sim_cur->current : NULL;
}

/**
 * sim_exit() - end the current task (state DONE).  Also what returning from
 * a task's function does.  Does not return.
 */
void sim_exit(void) __attribute__((noreturn));

/** sim_stop() - end the run at the next scheduling point.  Context: any. */
void sim_stop(enum sim_end why);

/**
 * sim_at_destroy() - call fn(s, arg) when @s is destroyed (layers above the
 * executor keep per-run state this way).  At most 256.
 * Return: 0, or -ENOSPC.
 */
int sim_at_destroy(struct sim *s, void (*fn)(struct sim *s, void *arg), void *arg);

/* ---- CPU ownership, maintained by the shim's preempt/irq primitives ---- */

/**
 * sim_cpu_update_owner() - recompute whether @t holds its CPU
 * non-preemptibly after a change to its preempt_count or irqs_off.
 */
void sim_cpu_update_owner(struct sim_task *t);

/* ---- Timers ---- */

/** sim_timer_init() - prepare a timer; @fn runs in scheduler context. */
void sim_timer_init(struct sim_timer *t, void (*fn)(struct sim_timer *), void *data);
/** sim_timer_arm() - (re)arm at absolute virtual time @when (ns). */
void sim_timer_arm(struct sim_timer *t, sim_time_t when);
/** sim_timer_cancel() - disarm; returns whether it was armed. */
bool sim_timer_cancel(struct sim_timer *t);
static inline bool sim_timer_armed(const struct sim_timer *t)
{
	return t->heap_idx >= 0;
}

/* ---- Interrupt controller ---- */

/**
 * sim_irq_create() - an interrupt line affined to @cpu with a hard handler
 * run in its own IRQ task (interrupts masked, not preemptible).
 * Return: the line, or NULL on -ENOMEM / -EINVAL (cpu out of range).
 */
struct sim_irq *sim_irq_create(struct sim *s, const char *name, int cpu,
			       void (*handler)(struct sim_irq *, void *), void *arg);

/** sim_irq_raise() - an edge: the line becomes pending.  Context: any. */
void sim_irq_raise(struct sim_irq *irq);

/**
 * sim_irq_set_level() - drive a level-triggered line: pending while high,
 * and pending again after each handler while still high.  Context: any.
 */
void sim_irq_set_level(struct sim_irq *irq, bool high);

/**
 * sim_irq_observe() - call fn(irq, arg) at every delivery of @irq (one
 * observer a line; a later call replaces it).  Observers never change
 * what the line does.  Context: any.
 */
void sim_irq_observe(struct sim_irq *irq, void (*fn)(struct sim_irq *, void *), void *arg);

/** sim_irq_disable()/sim_irq_enable() - disable_irq() nesting at the controller. */
void sim_irq_disable(struct sim_irq *irq);
void sim_irq_enable(struct sim_irq *irq);

/* ---- Randomness and recording ---- */

/**
 * sim_data_random() - a random number in [0, n) for models (latency jitter,
 * workload choices), from a stream separate from scheduling choices so the
 * choices replay exactly.
 */
uint64_t sim_data_random(uint64_t n);

/**
 * sim_schedule_write() - write the recorded decisions as a schedule file.
 * Format: "iommusim-schedule 1", "seed N", "decisions N", then task ids.
 * Return: 0 or -errno.
 */
int sim_schedule_write(const struct sim *s, FILE *f);

/**
 * sim_schedule_read() - read a schedule file written by sim_schedule_write().
 * @out, @len: the decisions (malloc'd; caller frees).  @seed: its seed.
 * Return: 0, or -EINVAL with a message in @err (FILE:LINE:COL style is the
 * caller's: @err gets "LINE:COL: message").
 */
int sim_schedule_read(FILE *f, uint16_t **out, size_t *len, uint64_t *seed,
		      char *err, size_t errlen);

/**
 * struct sim_schedule - a schedule file in memory (schedule_file.c).
 * @version:	1: every decision (@decisions); 2: deviations (@dev).
 * @seed:	seed of the recorded run (model randomness follows it).
 * @decisions, @ndecisions: version 1.
 * @dev, @ndev:	version 2, sorted by decision.
 * @total_decisions, @steps: version 2, what the recorded run took (0: not
 *		given); replays compare against them to notice divergence.
 * @options, @option_lines, @noptions: version 2 "option ARG" lines: run
 *		options of the recorded run (e.g. "--policy", "cfie_mask=unlocked"
 *		as one "--policy=cfie_mask=unlocked" word), with their line
 *		numbers, for the command line's parser.
 */
struct sim_schedule {
	int version;
	uint64_t seed;
	uint16_t *decisions;
	size_t ndecisions;
	struct sim_deviation *dev;
	size_t ndev;
	uint64_t total_decisions, steps;
	char **options;
	unsigned int *option_lines;
	size_t noptions;
};

/**
 * sim_schedule_load() - read a schedule file of version 1 or 2.
 * @out:	filled on success (free with sim_schedule_free()), zeroed on error.
 * @err:	"LINE:COL: message" on error.
 * Return: 0, -EINVAL (bad file, message in @err) or -ENOMEM.
 */
int sim_schedule_load(FILE *f, struct sim_schedule *out, char *err, size_t errlen);

/**
 * sim_schedule_save() - write @sch as version 2 (deviations).
 * @comment:	text put first as "# " lines (may hold newlines), or NULL.
 * Return: 0 or -EIO.
 */
int sim_schedule_save(FILE *f, const struct sim_schedule *sch, const char *comment);

/** sim_schedule_free() - free what sim_schedule_load() allocated; zero @sch. */
void sim_schedule_free(struct sim_schedule *sch);

/**
 * sim_schedule_strategy() - the strategy that follows @sch: REPLAY for
 * version 1, GUIDED for version 2 (pointing into @sch, which must outlive
 * the run).
 */
void sim_schedule_strategy(const struct sim_schedule *sch, struct sim_strategy *st);

/**
 * sim_task_state_invariant() - check the task-state rules drawn at the top
 * of this file against the executor's bookkeeping: the ready set holds
 * exactly the RUNNABLE tasks and the IRQ tasks whose line is pending; a
 * CPU's owner is a live thread of that CPU with preemption or interrupts
 * disabled; a CPU's active handler is a RUNNABLE IRQ task of that CPU;
 * timers of SLEEPING tasks are armed.
 * Return: NULL when all hold, else a description of the first broken rule.
 * Context: any.  O(tasks).
 */
const char *sim_task_state_invariant(const struct sim *s);

/**
 * sim_assert_task_state() - abort with the broken rule if the invariant
 * fails.  Run at every choice when cfg.check_invariants is set.
 */
void sim_assert_task_state(const struct sim *s);

/** sim_end_name() - "all-done", "deadlock", ... */
const char *sim_end_name(enum sim_end e);

/** sim_strategy_parse() - "random", "rr", "pct:D"; 0 or -EINVAL. */
int sim_strategy_parse(const char *text, struct sim_strategy *out);
/** sim_strategy_format() - the text form of a strategy into @buf. */
const char *sim_strategy_format(const struct sim_strategy *st, char *buf, size_t len);

/** sim_task_state_name() - "runnable", "blocked", ... */
const char *sim_task_state_name(enum sim_task_state st);

#endif
