// SPDX-License-Identifier: MIT
/*
 * The seeds of a shard, one run judged, and the deterministic merge of
 * results (explore.h says what "deterministic" means here).
 */
#include "explore/explore.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/vec.h"

uint64_t explore_plan_len(const struct explore_plan *p)
{
	if (p->shard >= p->runs)
		return 0;
	return (p->runs - p->shard + p->nshards - 1) / p->nshards;
}

uint64_t explore_plan_seed(const struct explore_plan *p, uint64_t k)
{
	return p->first_seed + p->shard + k * p->nshards;
}

uint64_t explore_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

const char *explore_stop_name(enum explore_stop s)
{
	switch (s) {
	case EXPLORE_COMPLETE:
		return "complete";
	case EXPLORE_FIRST_FAILURE:
		return "first-failure";
	case EXPLORE_TIME_LIMIT:
		return "time-limit";
	}
	return "?";
}

void explore_run_one(const struct scenario *scn, const struct run_opts *base,
		     uint64_t seed, struct explore_result *out)
{
	struct run_opts o = *base;
	struct run_result r;
	struct expect_check *checks = NULL;
	unsigned int nchecks = 0;

	memset(out, 0, sizeof(*out));
	out->seed = seed;
	out->first_violation = -1;
	o.seed = seed;
	if (run_scenario(scn, &o, &r)) {
		out->status = EXPLORE_NOSTART;
		run_result_free(&r);
		return;
	}
	out->status = EXPLORE_RAN;
	out->pass = expect_eval(scn, &r, &checks, &nchecks);
	out->end = (uint8_t)r.end;
	out->steps = r.steps;
	out->vtime = r.vtime;
	for (unsigned int v = 0; v < V_NR; v++)
		out->count[v] = r.violations.count[v];
	if (r.violations.n)
		out->first_violation = (int16_t)r.violations.v[0].id;
	for (unsigned int i = 0; i < nchecks; i++) {
		if (checks[i].ok)
			continue;
		if (!out->nfailed++)
			snprintf(out->failed, sizeof(out->failed), "%s: %s, observed %s",
				 checks[i].what, checks[i].cond, checks[i].observed);
	}
	free(checks);
	run_result_free(&r);
}

void explore_merge_init(struct explore_merge *m, struct explore_summary *sum,
			uint64_t planned, bool keep_going)
{
	memset(m, 0, sizeof(*m));
	memset(sum, 0, sizeof(*sum));
	m->sum = sum;
	m->keep_going = keep_going;
	m->cap = UINT64_MAX;
	sum->planned = planned;
}

/* Count @r, the next run in order. */
static void fold(struct explore_merge *m, const struct explore_result *r)
{
	struct explore_summary *sum = m->sum;

	sum->runs++;
	sum->steps += r->steps;
	for (unsigned int v = 0; v < V_NR; v++) {
		sum->total[v] += r->count[v];
		sum->runs_with[v] += r->count[v] != 0;
	}
	if (explore_result_failed(r)) {
		sum->failed++;
		VEC_RESERVE(sum->fails, sum->nfails, m->fails_cap, 16);
		sum->fails[sum->nfails++] = *r;
	}
	m->next = r->index + 1;
}

bool explore_merge_add(struct explore_merge *m, const struct explore_result *r)
{
	if (!explore_merge_wanted(m, r->index))
		return false;
	if (explore_result_failed(r) && !m->keep_going) {
		m->cap = r->index + 1;
		/* Results now above the cap are not needed any more. */
		for (size_t i = 0; i < m->npending;)
			if (m->pending[i].index >= m->cap)
				m->pending[i] = m->pending[--m->npending];
			else
				i++;
	}
	if (r->index != m->next) {
		VEC_RESERVE(m->pending, m->npending, m->pending_cap, 16);
		m->pending[m->npending++] = *r;
		return true;
	}
	fold(m, r);
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < m->npending; i++) {
			if (m->pending[i].index != m->next)
				continue;
			struct explore_result x = m->pending[i];

			m->pending[i] = m->pending[--m->npending];
			fold(m, &x);
			again = true;
			break;
		}
	}
	return true;
}

void explore_merge_finish(struct explore_merge *m, bool timed_out)
{
	struct explore_summary *sum = m->sum;

	if (sum->failed && !m->keep_going)
		sum->stop = EXPLORE_FIRST_FAILURE;
	else if (sum->runs < sum->planned && timed_out)
		sum->stop = EXPLORE_TIME_LIMIT;
	else
		sum->stop = EXPLORE_COMPLETE;
	free(m->pending);
	m->pending = NULL;
	m->npending = m->pending_cap = 0;
}

void explore_summary_free(struct explore_summary *sum)
{
	free(sum->fails);
	memset(sum, 0, sizeof(*sum));
}
