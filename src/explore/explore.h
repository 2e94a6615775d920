/* SPDX-License-Identifier: MIT */
/*
 * Exploration campaigns (`iommusim explore`, DESIGN.md section 8,
 * docs/explore.md): one scenario run over many seeds in worker processes,
 * the results merged so that the summary does not depend on how many
 * workers ran them.
 *
 * The seeds.  A campaign is the seeds FIRST .. FIRST+RUNS-1.  Shard I of N
 * takes those whose offset from FIRST is I modulo N (strided, so every
 * shard sees early and late seeds alike); its k-th run is seed
 * FIRST + I + k*N.  The shards of a campaign are disjoint and their union
 * is the campaign.
 *
 * The merge.  Runs are started in seed order.  A run *fails* when the
 * scenario's expect block does not hold (the run's verdict), when it could
 * not start, or when its worker died.  Unless the campaign keeps going, no
 * run with a seed above the lowest failing seed known so far is started;
 * runs above it that were already started are discarded; runs below it all
 * finish.  The summary counts exactly the runs whose seed is at most the
 * lowest failing seed: what one worker running the seeds in order would
 * count, whatever the number of workers.  With a time limit, no run is
 * started after it; the runs started all finish and are counted, so the
 * summary covers the first K seeds of the shard (K depends on wall time).
 */
#ifndef IOMMUSIM_EXPLORE_EXPLORE_H
#define IOMMUSIM_EXPLORE_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "check/violation.h"
#include "scenario/run.h"

/**
 * struct explore_plan - the seeds of one shard of a campaign.
 * @first_seed:	FIRST.
 * @runs:	RUNS: seeds in the whole campaign (>= 1).
 * @shard, @nshards: I and N, 0 <= I < N.
 */
struct explore_plan {
	uint64_t first_seed;
	uint64_t runs;
	unsigned int shard, nshards;
};

/** explore_plan_len() - the number of runs in @p's shard. */
uint64_t explore_plan_len(const struct explore_plan *p);

/** explore_plan_seed() - the seed of the @k-th run of @p's shard (k < len). */
uint64_t explore_plan_seed(const struct explore_plan *p, uint64_t k);

/* What became of a run. */
enum explore_status {
	EXPLORE_RAN,		/* it ran; @pass is its verdict */
	EXPLORE_NOSTART,	/* run_scenario() could not build the platform */
	EXPLORE_CRASHED,	/* the worker died running it (@signal) */
};

/**
 * struct explore_result - one run, as a worker reports it (a fixed-size
 * record written to a pipe in one write()).
 * @index:	position in the shard (k).
 * @seed:	its seed.
 * @steps, @vtime: scheduling points and virtual time (ns) of the run.
 * @count:	violations per ID.
 * @first_violation: ID of the first violation, or -1.
 * @status:	enum explore_status.
 * @pass:	the expect block held (only for EXPLORE_RAN).
 * @end:	enum sim_end.
 * @signal:	for EXPLORE_CRASHED: the signal, or 0 for an exit.
 * @nfailed:	failed checks of the expect block.
 * @failed:	the first failed check: "WHAT: COND, observed OBSERVED".
 */
struct explore_result {
	uint64_t index;
	uint64_t seed;
	uint64_t steps;
	uint64_t vtime;
	uint32_t count[V_NR];
	int16_t first_violation;
	uint8_t status;
	uint8_t pass;
	uint8_t end;
	int32_t signal;
	uint32_t nfailed;
	char failed[224];
};

/** explore_result_failed() - whether @r counts as a failing run. */
static inline bool explore_result_failed(const struct explore_result *r)
{
	return r->status != EXPLORE_RAN || !r->pass;
}

/**
 * explore_run_one() - run @scn once with @base and seed @seed, judge it,
 * and fill @out (index left 0).  What each worker does per seed.
 * Context: main context of a process (one simulator at a time).
 */
void explore_run_one(const struct scenario *scn, const struct run_opts *base,
		     uint64_t seed, struct explore_result *out);

/* Why a campaign stopped. */
enum explore_stop {
	EXPLORE_COMPLETE,	/* every seed of the shard ran */
	EXPLORE_FIRST_FAILURE,	/* at the lowest failing seed */
	EXPLORE_TIME_LIMIT,	/* no run started after the time limit */
};

/** explore_stop_name() - "complete", "first-failure", "time-limit". */
const char *explore_stop_name(enum explore_stop s);

/**
 * struct explore_summary - what a campaign found (see the merge above).
 * @planned:	runs in the shard.
 * @runs:	runs counted (a prefix of the shard's sequence).
 * @failed:	failing runs among them.
 * @fails, @nfails: the failing runs, by seed order (index).
 * @runs_with:	per violation ID, counted runs that had it.
 * @total:	per violation ID, violations over the counted runs.
 * @steps:	scheduling points over the counted runs.
 * @stop:	why it stopped.
 * @wall_ns:	wall time of the campaign (never in a test assertion).
 * @jobs:	worker processes used.
 * @started:	runs started, counted or not (the cost, not the result).
 */
struct explore_summary {
	uint64_t planned;
	uint64_t runs;
	uint64_t failed;
	struct explore_result *fails;
	size_t nfails;
	uint64_t runs_with[V_NR];
	uint64_t total[V_NR];
	uint64_t steps;
	enum explore_stop stop;
	uint64_t wall_ns;
	unsigned int jobs;
	uint64_t started;
};

/**
 * struct explore_merge - folds results that arrive in any order into a
 * summary, in index order (campaign.c).  The worker pool feeds it; tests
 * feed it directly.
 * @keep_going:	count every run instead of stopping at the first failure.
 * @cap:	no index at or above @cap is needed (UINT64_MAX: none known):
 *		the lowest failing index + 1 when not keeping going.
 * @next:	the next index to fold.
 * @pending, @npending, @pending_cap: results that came before @next.
 * @fails_cap:	allocated size of @sum->fails.
 */
struct explore_merge {
	struct explore_summary *sum;
	bool keep_going;
	uint64_t cap;
	uint64_t next;
	struct explore_result *pending;
	size_t npending, pending_cap;
	size_t fails_cap;
};

/** explore_merge_init() - start folding into @sum (zeroed) for @planned runs. */
void explore_merge_init(struct explore_merge *m, struct explore_summary *sum,
			uint64_t planned, bool keep_going);

/**
 * explore_merge_add() - one result (its @index set).  Results at or above
 * @m->cap are dropped.  Return: false when it was dropped.
 */
bool explore_merge_add(struct explore_merge *m, const struct explore_result *r);

/** explore_merge_wanted() - whether run @index is still needed. */
static inline bool explore_merge_wanted(const struct explore_merge *m, uint64_t index)
{
	return index < m->cap && index < m->sum->planned;
}

/**
 * explore_merge_finish() - the end: set @sum->stop (@timed_out: the time
 * limit stopped new runs) and free the merge's buffers.  Results still
 * pending (a gap before them never filled) are dropped.
 */
void explore_merge_finish(struct explore_merge *m, bool timed_out);

/** explore_summary_free() - free what @sum owns. */
void explore_summary_free(struct explore_summary *sum);

/**
 * struct explore_campaign - a campaign to run.
 * @scn:	the loaded scenario.
 * @base:	run options (seed replaced per run).
 * @plan:	the seeds.
 * @jobs:	worker processes (>= 1).
 * @keep_going:	count every run instead of stopping at the first failure.
 * @time_limit_ns: wall time after which no run starts; 0 none.
 * @progress:	called after each result and once at the end (@final), in
 *		the parent; may be NULL.
 * @run_one:	what a worker does per seed; NULL: explore_run_one() on
 *		@scn with @base.  Tests put a stand-in here.
 */
struct explore_campaign {
	const struct scenario *scn;
	struct run_opts base;
	struct explore_plan plan;
	unsigned int jobs;
	bool keep_going;
	uint64_t time_limit_ns;
	void (*progress)(void *arg, const struct explore_summary *sum,
			 uint64_t received, uint64_t received_failed, bool final);
	void *progress_arg;
	void (*run_one)(const struct explore_campaign *c, uint64_t seed,
			struct explore_result *out);
};

/**
 * explore_run() - run a campaign in @c->jobs worker processes (fork +
 * pipes; each worker runs seeds with run_scenario() and writes one
 * struct explore_result per seed) and merge the results into @sum.
 * A worker that dies is replaced; the run it had is a failing run
 * (EXPLORE_CRASHED).
 * Return: 0, or -errno when no worker could be started (message printed).
 * Context: main context; forks; SIGPIPE is ignored while it runs.
 */
int explore_run(const struct explore_campaign *c, struct explore_summary *sum);

/** explore_now_ns() - CLOCK_MONOTONIC in ns (wall time, for progress and limits). */
uint64_t explore_now_ns(void);

#endif
