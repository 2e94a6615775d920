// SPDX-License-Identifier: MIT
/*
 * Simulator and task lifetime: sim_create(), sim_task_create(),
 * sim_destroy().
 */
#include "sim/sim_internal.h"
#include "sim/vec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "trace/evlog.h"

static __thread uint64_t run_counter;

void sim_config_default(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ncpus = 1;
	cfg->seed = 1;
	cfg->strategy.kind = SIM_STRAT_RANDOM;
	cfg->strategy.pct_depth = 3;
	cfg->strategy.pct_horizon = 20000;
	cfg->record = true;
	cfg->max_steps_same_time = 10000000;
	cfg->end_when_threads_done = true;
	cfg->soft_lockup = 20 * SIM_S;
}

struct sim *sim_create(const struct sim_config *cfg)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cfg = *cfg;
	if (s->cfg.ncpus < 1)
		s->cfg.ncpus = 1;
	if (s->cfg.ncpus > SIM_MAX_CPUS)
		s->cfg.ncpus = SIM_MAX_CPUS;
	if (!s->cfg.max_steps_same_time)
		s->cfg.max_steps_same_time = 10000000;
	sim_rng_seed(&s->rng, cfg->seed);
	sim_rng_seed(&s->data_rng, cfg->seed ^ 0xd1b54a32d192ed03ULL);
	for (int i = 0; i < s->cfg.ncpus; i++)
		s->cpus[i].id = i;
	watchdog_init(s);
	coro_init_main(&s->main_coro);
	s->log = evlog_new(0);
	s->violations = calloc(1, sizeof(*s->violations));
	if (!s->log || !s->violations) {
		evlog_free(s->log);
		free(s->violations);
		free(s);
		return NULL;
	}
	s->last_rr = -1;
	s->run_id = ++run_counter;
	sim_cur = s;
	strategy_init(s);
	return s;
}

static void task_entry(void *arg)
{
	struct sim_task *t = arg;
	struct sim *s = sim_cur;

	if (s->reap) {
		struct sim_task *r = s->reap;

		s->reap = NULL;
		coro_destroy(&r->coro);
	}
	t->fn(t->arg);
	sim_exit();
}

struct sim_task *sim_task_create(struct sim *s, const char *name,
				 enum sim_task_kind kind, int cpu, bool daemon,
				 void (*fn)(void *), void *arg)
{
	struct sim_task *t;

	if (s->ntasks >= SIM_MAX_TASKS)
		return NULL;
	if (kind != SIM_TASK_HW && (cpu < 0 || cpu >= s->cfg.ncpus))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (coro_create(&t->coro, CORO_STACK_SIZE, task_entry, t)) {
		free(t);
		return NULL;
	}
	VEC_RESERVE(s->tasks, s->ntasks, s->tasks_cap, 32);
	t->id = s->ntasks;
	s->tasks[s->ntasks++] = t;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->kind = kind;
	t->cpu = kind == SIM_TASK_HW ? -1 : cpu;
	t->daemon = daemon;
	t->fn = fn;
	t->arg = arg;
	t->ready_idx = -1;
	sim_timer_init(&t->timer, task_timer_fire, t);
	strategy_task_created(s, t);
	if (!daemon)
		s->live_threads++;
	if (kind == SIM_TASK_IRQ) {
		t->state = SIM_IRQ_IDLE;	/* first switched to on delivery */
	} else {
		t->state = SIM_RUNNABLE;
		ready_add(s, t);
	}
	return t;
}

int sim_at_destroy(struct sim *s, void (*fn)(struct sim *, void *), void *arg)
{
	if (s->ndtor >= (int)(sizeof(s->dtor) / sizeof(s->dtor[0])))
		return -ENOSPC;
	s->dtor[s->ndtor].fn = fn;
	s->dtor[s->ndtor++].arg = arg;
	return 0;
}

void sim_destroy(struct sim *s)
{
	struct sim *prev = sim_cur;

	if (!s)
		return;
	sim_cur = s;
	while (s->ndtor > 0) {
		s->ndtor--;
		s->dtor[s->ndtor].fn(s, s->dtor[s->ndtor].arg);
	}
	for (int i = 0; i < s->ntasks; i++) {
		coro_destroy(&s->tasks[i]->coro);
		free(s->tasks[i]);
	}
	for (int i = 0; i < s->nirqs; i++)
		free(s->irqs[i]);
	free(s->tasks);
	free(s->irqs);
	free(s->ready);
	free(s->elig);
	free(s->heap);
	free(s->rec);
	free(s->dev);
	evlog_free(s->log);
	violation_log_free(s->violations);
	free(s->violations);
	sim_cur = prev == s ? NULL : prev;
	free(s);
}

uint64_t sim_data_random(uint64_t n)
{
	return n ? sim_rng_below(&sim_cur->data_rng, n) : 0;
}

const char *sim_end_name(enum sim_end e)
{
	static const char *const names[] = {
		[SIM_END_NONE] = "running",
		[SIM_END_ALL_DONE] = "all-done",
		[SIM_END_IDLE] = "idle",
		[SIM_END_DURATION] = "duration",
		[SIM_END_VIOLATION] = "violation",
		[SIM_END_DEADLOCK] = "deadlock",
		[SIM_END_STEP_LIMIT] = "step-limit",
		[SIM_END_REPLAY_DIVERGED] = "replay-diverged",
	};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

const char *sim_task_state_name(enum sim_task_state st)
{
	static const char *const names[] = {
		[SIM_RUNNABLE] = "runnable",
		[SIM_BLOCKED] = "blocked",
		[SIM_SLEEPING] = "sleeping",
		[SIM_IRQ_IDLE] = "irq-idle",
		[SIM_DONE] = "done",
	};
	return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}
