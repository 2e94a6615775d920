/* SPDX-License-Identifier: MIT */
/*
 * Schedule shrinking (`iommusim shrink`, docs/explore.md): make a failing
 * run's schedule smaller while the same violation still occurs.
 *
 * A schedule here is its deviations from the default order (sim.h: the
 * running task goes on while it can, else the lowest task id), replayed
 * guided: a deviation that cannot apply is skipped, so any subset of the
 * deviations is a schedule that runs.  The shrinker does delta debugging
 * (Zeller and Hildebrandt's ddmin) over the deviations: it tries subsets
 * and complements of ever finer chunks, and keeps a candidate when its run
 * *reproduces*:
 *
 *   the run's first violation has the same ID as the original run's first
 *   violation (or the one asked for), and the run took no more scheduling
 *   points (steps) than the original.
 *
 * A kept candidate is replaced by the deviations its run actually took
 * (those that applied and differed from the default), which drops at once
 * the ones that no longer applied and every one after the violation (the
 * run stops there): that is the truncation.  The result is 1-minimal when
 * ddmin finishes (removing any one deviation loses the violation or makes
 * the run longer), unless the run or time budget stopped it first.
 */
#ifndef IOMMUSIM_EXPLORE_SHRINK_H
#define IOMMUSIM_EXPLORE_SHRINK_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario/run.h"

/**
 * struct shrink_size - how big a schedule is, measured on its run.
 * @deviations:	decisions that left the default order.
 * @preemptions: deviations that switched away from a running task that
 *		could have gone on (context switches away from the default).
 * @steps:	scheduling points up to the end of the run (the violation).
 * @decisions:	scheduling points with two or more eligible tasks.
 * @switches:	task switches.
 * @vtime:	virtual time of the first violation, ns.
 */
struct shrink_size {
	uint64_t deviations;
	uint64_t preemptions;
	uint64_t steps;
	uint64_t decisions;
	uint64_t switches;
	sim_time_t vtime;
};

/* Why shrinking stopped. */
enum shrink_stop {
	SHRINK_MINIMAL,		/* ddmin finished: 1-minimal */
	SHRINK_MAX_RUNS,	/* the run budget ran out */
	SHRINK_TIME_LIMIT,	/* the wall-time budget ran out */
};

/**
 * struct shrink_config - what to shrink.
 * @scn:	the scenario.
 * @base:	the failing run's options: seed and strategy (random, pct,
 *		rr, or a schedule: replay / guided), policies, bugs.
 *		keep_going is ignored (a run stops at its first violation).
 * @violation:	the violation ID to keep, or -1 for the original run's first.
 * @max_runs:	runs allowed, the original included; 0 no limit.
 * @time_limit_ns: wall time allowed; 0 no limit.
 * @progress:	called after each run (may be NULL).
 */
struct shrink_config {
	const struct scenario *scn;
	struct run_opts base;
	int violation;
	uint64_t max_runs;
	uint64_t time_limit_ns;
	void (*progress)(void *arg, const struct shrink_size *now, uint64_t runs);
	void *progress_arg;
};

/**
 * struct shrink_result - what shrinking gave.
 * @violation:	the violation ID kept.
 * @before, @after: sizes of the original schedule and of @sched.
 * @sched:	the smallest reproducing schedule found: version 2, its seed,
 *		steps, decisions, deviations (no options: the caller adds
 *		them).  Free with sim_schedule_free().
 * @runs:	runs made, the original included.
 * @stop:	why it stopped.
 * @wall_ns:	wall time spent (never in a test assertion).
 */
struct shrink_result {
	int violation;
	struct shrink_size before, after;
	struct sim_schedule sched;
	uint64_t runs;
	enum shrink_stop stop;
	uint64_t wall_ns;
};

/**
 * shrink_run() - shrink the schedule of the run @c->base describes.
 * Return: 0 with @res filled; -ENOENT when that run has no violation (or
 * not @c->violation first); -EPROTO when its own deviations, replayed
 * guided, do not reproduce it (an executor bug); another -errno when the
 * run could not start.  On error @res holds nothing to free.
 * Context: main context; runs the scenario many times.
 */
int shrink_run(const struct shrink_config *c, struct shrink_result *res);

/**
 * shrink_reproduces() - the test a candidate's run @r must pass: its first
 * violation is @violation and it took at most @step_limit steps.
 */
bool shrink_reproduces(const struct run_result *r, int violation, uint64_t step_limit);

/** shrink_stop_name() - "minimal", "max-runs", "time-limit". */
const char *shrink_stop_name(enum shrink_stop s);

#endif
