// SPDX-License-Identifier: MIT
/*
 * ddmin over the deviations of a failing schedule (shrink.h).
 */
#include "explore/shrink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"

struct shrinker {
	const struct shrink_config *c;
	struct shrink_result *res;
	uint64_t t0;
	uint64_t step_limit;		/* a candidate may not take more steps */
	bool out_of_budget;
	struct sim_deviation *cur;	/* the smallest reproducing set so far */
	size_t ncur;
};

const char *shrink_stop_name(enum shrink_stop s)
{
	switch (s) {
	case SHRINK_MINIMAL:
		return "minimal";
	case SHRINK_MAX_RUNS:
		return "max-runs";
	case SHRINK_TIME_LIMIT:
		return "time-limit";
	}
	return "?";
}

bool shrink_reproduces(const struct run_result *r, int violation, uint64_t step_limit)
{
	return r->violations.n && (int)r->violations.v[0].id == violation &&
	       r->steps <= step_limit;
}

static void measure(const struct run_result *r, struct shrink_size *sz)
{
	sz->deviations = r->sched.ndev;
	sz->preemptions = r->preemptions;
	sz->steps = r->steps;
	sz->decisions = r->sched.total_decisions;
	sz->switches = r->switches;
	sz->vtime = r->violations.n ? r->violations.v[0].time : r->vtime;
}

static bool budget_left(struct shrinker *S)
{
	const struct shrink_config *c = S->c;

	if (c->max_runs && S->res->runs >= c->max_runs) {
		S->res->stop = SHRINK_MAX_RUNS;
		S->out_of_budget = true;
	} else if (c->time_limit_ns && explore_now_ns() - S->t0 >= c->time_limit_ns) {
		S->res->stop = SHRINK_TIME_LIMIT;
		S->out_of_budget = true;
	}
	return !S->out_of_budget;
}

/* Make @dev, @n the current set (copied). */
static void keep(struct shrinker *S, const struct sim_deviation *dev, size_t n)
{
	struct sim_deviation *v = malloc((n + 1) * sizeof(*v));

	if (!v)
		abort();
	if (n)
		memcpy(v, dev, n * sizeof(*v));
	free(S->cur);
	S->cur = v;
	S->ncur = n;
}

/*
 * Run the candidate @dev, @n guided.  Return: true when it reproduces
 * (then the current set is what the run took); false when it does not or
 * no budget is left.
 */
static bool attempt(struct shrinker *S, const struct sim_deviation *dev, size_t n)
{
	struct run_opts o = S->c->base;
	struct run_result r;
	bool ok;

	if (!budget_left(S))
		return false;
	o.keep_going = false;
	memset(&o.strategy, 0, sizeof(o.strategy));
	o.strategy.kind = SIM_STRAT_GUIDED;
	o.strategy.guide = dev;
	o.strategy.guide_len = n;
	S->res->runs++;
	if (run_scenario(S->c->scn, &o, &r)) {
		run_result_free(&r);
		return false;
	}
	ok = shrink_reproduces(&r, S->res->violation, S->step_limit);
	if (ok) {
		keep(S, r.sched.dev, r.sched.ndev);
		measure(&r, &S->res->after);
	}
	if (S->c->progress)
		S->c->progress(S->c->progress_arg, &S->res->after, S->res->runs);
	run_result_free(&r);
	return ok;
}

/* The current set without its chunk [lo, hi) (@keep_chunk: only the chunk). */
static size_t candidate(const struct shrinker *S, size_t lo, size_t hi, bool keep_chunk,
			struct sim_deviation *out)
{
	size_t n = 0;

	for (size_t i = 0; i < S->ncur; i++)
		if ((i >= lo && i < hi) == keep_chunk)
			out[n++] = S->cur[i];
	return n;
}

/* Try each of @parts chunks as the whole set, then each complement. */
static bool try_parts(struct shrinker *S, size_t parts, bool chunks, struct sim_deviation *buf)
{
	size_t len = S->ncur;

	for (size_t k = 0; k < parts; k++) {
		size_t lo = len * k / parts, hi = len * (k + 1) / parts;
		size_t n = candidate(S, lo, hi, chunks, buf);

		if (n < len && attempt(S, buf, n))
			return true;
		if (S->out_of_budget)
			return false;
	}
	return false;
}

static void ddmin(struct shrinker *S)
{
	size_t parts = 2;
	struct sim_deviation *buf = malloc((S->ncur + 1) * sizeof(*buf));

	if (!buf)
		abort();
	if (S->ncur && attempt(S, NULL, 0)) {	/* the default order alone? */
		free(buf);
		return;
	}
	while (S->ncur >= 2 && !S->out_of_budget) {
		if (parts > S->ncur)
			parts = S->ncur;
		/* With two parts, a chunk is the other's complement: complements only. */
		if (parts > 2 && try_parts(S, parts, true, buf)) {
			parts = 2;
			continue;
		}
		if (S->out_of_budget)
			break;
		if (try_parts(S, parts, false, buf)) {
			parts = parts > 2 ? parts - 1 : 2;
			continue;
		}
		if (S->out_of_budget || parts >= S->ncur)
			break;
		parts = parts * 2 < S->ncur ? parts * 2 : S->ncur;
	}
	free(buf);
}

int shrink_run(const struct shrink_config *c, struct shrink_result *res)
{
	struct shrinker S = { .c = c, .res = res };
	struct run_opts o = c->base;
	struct run_result r;
	int ret;

	memset(res, 0, sizeof(*res));
	S.t0 = explore_now_ns();
	o.keep_going = false;
	ret = run_scenario(c->scn, &o, &r);
	res->runs = 1;
	if (ret) {
		run_result_free(&r);
		return ret;
	}
	if (!r.violations.n ||
	    (c->violation >= 0 && (int)r.violations.v[0].id != c->violation)) {
		run_result_free(&r);
		return -ENOENT;
	}
	res->violation = (int)r.violations.v[0].id;
	measure(&r, &res->before);
	res->after = res->before;
	S.step_limit = r.steps;
	res->sched.seed = r.sched.seed;
	keep(&S, r.sched.dev, r.sched.ndev);
	run_result_free(&r);

	/* Its own deviations, guided, must give the same run. */
	if (!attempt(&S, S.cur, S.ncur) || res->after.steps != res->before.steps) {
		if (!S.out_of_budget) {
			free(S.cur);
			memset(res, 0, sizeof(*res));
			return -EPROTO;
		}
	}
	ddmin(&S);
	if (!S.out_of_budget)
		res->stop = SHRINK_MINIMAL;
	res->sched.version = 2;
	res->sched.steps = res->after.steps;
	res->sched.total_decisions = res->after.decisions;
	res->sched.dev = S.cur;
	res->sched.ndev = S.ncur;
	res->wall_ns = explore_now_ns() - S.t0;
	return 0;
}
