// SPDX-License-Identifier: MIT
/*
 * Scheduling strategies: what to run at a scheduling point.
 *
 *  random  - uniform among the eligible tasks.
 *  pct:D   - probabilistic concurrency testing (Burckhardt, Kothari,
 *            Musuvathi, Nagarakatte, ASPLOS 2010): every task gets a random
 *            priority >= D; D-1 change points are drawn uniformly over the
 *            expected run length (pct_horizon scheduling points); at the
 *            i-th the running task's priority drops to i.  The highest
 *            priority eligible task always runs.  A bug of depth d is found
 *            with probability >= 1/(n * k^(d-1)) per run.
 *  rr      - round robin in task-id order, switching at every point.
 *  replay  - follow recorded decisions; past their end, keep the running
 *            task when it can run, else the lowest id (the default order).
 *  guided  - the default order, except at the listed deviations (decision
 *            index, task); a deviation whose task cannot run there is
 *            skipped (counted), so a guided run never diverges: what a
 *            schedule shrinker needs when it removes deviations.
 *
 * Every choice among two or more tasks is a *decision* and is recorded (the
 * chosen task's id), so any run can be replayed without its seed.  Each
 * decision that differs from the default order is also recorded as a
 * deviation (decision index, task id): replaying the deviations guided
 * gives the same run, and they are what a shrinker removes.
 */
#include "sim/sim_internal.h"
#include "sim/vec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/evlog.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void strategy_init(struct sim *s)
{
	const struct sim_strategy *st = &s->cfg.strategy;

	if (st->kind != SIM_STRAT_PCT)
		return;
	uint64_t horizon = st->pct_horizon ? st->pct_horizon : 20000;
	int d = st->pct_depth < 1 ? 1 : st->pct_depth;

	if (d > 16)
		d = 16;
	s->pct_nchange = d - 1;
	for (int i = 0; i < s->pct_nchange; i++)
		s->pct_change[i] = 1 + sim_rng_below(&s->rng, horizon);
	qsort(s->pct_change, s->pct_nchange, sizeof(uint64_t), cmp_u64);
}

void strategy_task_created(struct sim *s, struct sim_task *t)
{
	const struct sim_strategy *st = &s->cfg.strategy;

	if (st->kind == SIM_STRAT_PCT)
		t->prio = (uint64_t)(st->pct_depth < 1 ? 1 : st->pct_depth) +
			  (sim_rng_next(&s->rng) >> 24);
}

static struct sim_task *lowest_id(struct sim *s, int n)
{
	struct sim_task *best = s->elig[0];

	for (int i = 1; i < n; i++)
		if (s->elig[i]->id < best->id)
			best = s->elig[i];
	return best;
}

static bool cur_eligible(struct sim *s, struct sim_task *cur, int n)
{
	for (int i = 0; i < n; i++)
		if (s->elig[i] == cur)
			return true;
	return false;
}

/* The default order (sim.h): the running task if it can go on, else the lowest id. */
static struct sim_task *default_choice(struct sim *s, struct sim_task *cur, int n)
{
	return cur && cur_eligible(s, cur, n) ? cur : lowest_id(s, n);
}

/* Decision number s->decisions_taken - 1 chose @t among s->elig[0..n-1]. */
static void record(struct sim *s, struct sim_task *cur, int n, struct sim_task *t)
{
	struct sim_task *def;

	if (!s->cfg.record)
		return;
	VEC_RESERVE(s->rec, s->nrec, s->rec_cap, 4096);
	s->rec[s->nrec++] = (uint16_t)t->id;
	def = default_choice(s, cur, n);
	if (t == def)
		return;
	VEC_RESERVE(s->dev, s->ndev, s->dev_cap, 256);
	s->dev[s->ndev].decision = s->decisions_taken - 1;
	s->dev[s->ndev].task = (uint16_t)t->id;
	s->ndev++;
	if (def == cur)
		s->preemptions++;
}

static struct sim_task *choose_rr(struct sim *s, int n)
{
	struct sim_task *best = NULL;

	for (int i = 0; i < n; i++) {
		struct sim_task *t = s->elig[i];

		if (t->id > s->last_rr && (!best || t->id < best->id))
			best = t;
	}
	if (!best)
		best = lowest_id(s, n);
	s->last_rr = best->id;
	return best;
}

static struct sim_task *choose_pct(struct sim *s, int n)
{
	struct sim_task *best = s->elig[0];

	for (int i = 1; i < n; i++) {
		struct sim_task *t = s->elig[i];

		if (t->prio > best->prio || (t->prio == best->prio && t->id < best->id))
			best = t;
	}
	return best;
}

static struct sim_task *choose_replay(struct sim *s, struct sim_task *cur, int n)
{
	const struct sim_strategy *st = &s->cfg.strategy;
	uint16_t want;

	if (s->replay_pos >= st->replay_len)
		return default_choice(s, cur, n);
	want = st->replay[s->replay_pos++];
	for (int i = 0; i < n; i++)
		if (s->elig[i]->id == want)
			return s->elig[i];
	evlog_add(s, "sim", "replay diverged at decision %zu: task %u cannot run",
		  s->replay_pos - 1, want);
	sim_stop(SIM_END_REPLAY_DIVERGED);
	return NULL;
}

static struct sim_task *choose_guided(struct sim *s, struct sim_task *cur, int n)
{
	const struct sim_strategy *st = &s->cfg.strategy;
	uint64_t k = s->decisions_taken - 1;

	/* A list out of order is the caller's bug; skip what is behind us. */
	while (s->guide_pos < st->guide_len && st->guide[s->guide_pos].decision < k) {
		s->guide_pos++;
		s->guide_missed++;
	}
	if (s->guide_pos < st->guide_len && st->guide[s->guide_pos].decision == k) {
		uint16_t want = st->guide[s->guide_pos++].task;

		for (int i = 0; i < n; i++)
			if (s->elig[i]->id == want)
				return s->elig[i];
		s->guide_missed++;
	}
	return default_choice(s, cur, n);
}

struct sim_task *strategy_choose(struct sim *s, struct sim_task *cur, int n)
{
	struct sim_task *t;

	if (n == 1)
		return s->elig[0];
	s->decisions_taken++;
	switch (s->cfg.strategy.kind) {
	case SIM_STRAT_RANDOM:
		t = s->elig[sim_rng_below(&s->rng, n)];
		break;
	case SIM_STRAT_PCT:
		t = choose_pct(s, n);
		break;
	case SIM_STRAT_RR:
		t = choose_rr(s, n);
		break;
	case SIM_STRAT_REPLAY:
		t = choose_replay(s, cur, n);
		if (!t)
			return NULL;
		break;
	case SIM_STRAT_GUIDED:
		t = choose_guided(s, cur, n);
		break;
	default:
		abort();
	}
	record(s, cur, n, t);
	return t;
}

int sim_strategy_parse(const char *text, struct sim_strategy *out)
{
	memset(out, 0, sizeof(*out));
	if (!strcmp(text, "random")) {
		out->kind = SIM_STRAT_RANDOM;
		return 0;
	}
	if (!strcmp(text, "rr")) {
		out->kind = SIM_STRAT_RR;
		return 0;
	}
	if (!strncmp(text, "pct:", 4)) {
		char *end;
		long d = strtol(text + 4, &end, 10);

		if (end == text + 4 || *end || d < 1 || d > 16)
			return -EINVAL;
		out->kind = SIM_STRAT_PCT;
		out->pct_depth = (int)d;
		return 0;
	}
	return -EINVAL;
}

const char *sim_strategy_format(const struct sim_strategy *st, char *buf, size_t len)
{
	switch (st->kind) {
	case SIM_STRAT_RANDOM:
		snprintf(buf, len, "random");
		break;
	case SIM_STRAT_PCT:
		snprintf(buf, len, "pct:%d", st->pct_depth);
		break;
	case SIM_STRAT_RR:
		snprintf(buf, len, "rr");
		break;
	case SIM_STRAT_REPLAY:
		snprintf(buf, len, "replay");
		break;
	case SIM_STRAT_GUIDED:
		snprintf(buf, len, "schedule");
		break;
	}
	return buf;
}
