/* SPDX-License-Identifier: MIT */
/*
 * Helpers for tests that run small concurrent programs in the simulator.
 */
#ifndef IOMMUSIM_TESTS_SIMTEST_H
#define IOMMUSIM_TESTS_SIMTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check/violation.h"
#include "kernel/kernel.h"
#include "kernel/kstate.h"
#include "sim/sim.h"
#include "trace/evlog.h"

/* A program: sets up tasks in a fresh simulator; @ctx is the test's. */
typedef void (*simtest_setup_fn)(struct sim *s, void *ctx);

static inline struct sim *simtest_new_h(int ncpus, uint64_t seed, const char *strategy,
					uint64_t pct_horizon)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	cfg.ncpus = ncpus;
	cfg.seed = seed;
	cfg.check_invariants = true;	/* every test run checks the executor */
	if (strategy) {
		int pct_h = cfg.strategy.pct_horizon;

		assert_int_equal(sim_strategy_parse(strategy, &cfg.strategy), 0);
		cfg.strategy.pct_horizon = pct_horizon ? pct_horizon : pct_h;
	}
	return sim_create(&cfg);
}

static inline struct sim *simtest_new(int ncpus, uint64_t seed, const char *strategy)
{
	return simtest_new_h(ncpus, seed, strategy, 0);
}

/* Run @setup's program once; return the count of violation @id. */
static inline unsigned simtest_run_once(int ncpus, uint64_t seed, const char *strategy,
					uint64_t pct_horizon, simtest_setup_fn setup,
					void *ctx, enum violation_id id, enum sim_end *end)
{
	struct sim *s = simtest_new_h(ncpus, seed, strategy, pct_horizon);
	unsigned n;
	setup(s, ctx);
	enum sim_end e = sim_run(s);

	if (end)
		*end = e;
	n = s->violations->count[id];
	sim_destroy(s);
	return n;
}

/*
 * Runs until the first seed (1..max_runs) that shows violation @id.
 * Return: that run's number, or 0 if none showed it.
 */
static inline unsigned simtest_runs_to_find(int ncpus, const char *strategy,
					    uint64_t pct_horizon, unsigned max_runs,
					    simtest_setup_fn setup, void *ctx,
					    enum violation_id id)
{
	for (unsigned seed = 1; seed <= max_runs; seed++)
		if (simtest_run_once(ncpus, seed, strategy, pct_horizon, setup, ctx, id, NULL))
			return seed;
	return 0;
}

/* Total violations of any kind over seeds 1..runs. */
static inline unsigned simtest_total_violations(int ncpus, const char *strategy,
						unsigned runs, simtest_setup_fn setup,
						void *ctx)
{
	unsigned total = 0;

	for (unsigned seed = 1; seed <= runs; seed++) {
		struct sim *s = simtest_new(ncpus, seed, strategy);

		setup(s, ctx);
		sim_run(s);
		total += s->violations->n;
		if (s->violations->n) {
			fprintf(stderr, "seed %u (%s):\n", seed, strategy);
			violation_print(stderr, &s->violations->v[0]);
		}
		sim_destroy(s);
	}
	return total;
}

/* Start a kernel thread on @cpu; the test's programs use this. */
static inline struct sim_task *spawn(struct sim *s, const char *name, int cpu,
				     void (*fn)(void *), void *arg)
{
	struct sim_task *t = sim_task_create(s, name, SIM_TASK_THREAD, cpu, false, fn, arg);

	assert_non_null(t);
	return t;
}

#endif
