// SPDX-License-Identifier: MIT
/*
 * The seed sweep of every shipped scenario (DESIGN.md section 10): each
 * scenario in scenarios/ runs under IOMMUSIM_SWEEP_SEEDS seeds (default
 * 50) with each of the strategies random and pct:3, and its `expect`
 * block must hold every time.  `make soak` sets IOMMUSIM_SWEEP_SEEDS=1000.
 * A failure prints the command that replays it.  The per-scenario summary
 * (runs, violations by ID) goes to stdout as TAP diagnostics.
 */
#include "simtest.h"

#include <stdlib.h>

#include "scenario/run.h"
#include "scenario/scenario.h"
#include "shipped.h"

#define MAX_SCENARIOS 64

static char **names;
static size_t nnames;

static unsigned int sweep_seeds(void)
{
	const char *e = getenv("IOMMUSIM_SWEEP_SEEDS");
	long n = e ? strtol(e, NULL, 10) : 50;

	return n > 0 ? (unsigned int)n : 50;
}

static bool sweep_one(const struct scenario *scn, const char *strategy, uint64_t seed,
		      unsigned long *vcount)
{
	struct run_opts o;
	struct run_result r;
	struct expect_check *checks = NULL;
	unsigned int nchecks = 0;
	bool pass;

	run_opts_default(&o, scn);
	o.seed = seed;
	assert_int_equal(sim_strategy_parse(strategy, &o.strategy), 0);
	assert_int_equal(run_scenario(scn, &o, &r), 0);
	pass = expect_eval(scn, &r, &checks, &nchecks);
	for (size_t i = 0; i < r.violations.n; i++)
		vcount[r.violations.v[i].id]++;
	if (!pass) {
		printf("# FAIL: iommusim run %s --seed %llu --strategy %s\n", scn->name,
		       (unsigned long long)seed, strategy);
		for (unsigned int i = 0; i < nchecks; i++)
			if (!checks[i].ok)
				printf("#   %s %s: observed %s\n", checks[i].what, checks[i].cond,
				       checks[i].observed);
		for (size_t i = 0; i < r.violations.n && i < 3; i++)
			printf("#   %s: %.200s\n", violation_name(r.violations.v[i].id),
			       r.violations.v[i].msg);
	}
	free(checks);
	run_result_free(&r);
	return pass;
}

static void sweep_scenario(void **state)
{
	const char *name = *state;
	static const char *const strategies[] = { "random", "pct:3" };
	struct scenario scn;
	unsigned long vcount[V_NR] = { 0 };
	unsigned int n = sweep_seeds(), failed = 0, runs = 0;

	load_shipped(name, &scn);
	for (size_t s = 0; s < ARRAY_SIZE(strategies); s++)
		for (uint64_t seed = 1; seed <= n; seed++, runs++)
			failed += !sweep_one(&scn, strategies[s], seed, vcount);
	printf("# %s: %u runs, %u failed;", name, runs, failed);
	for (int v = 0; v < V_NR; v++)
		if (vcount[v])
			printf(" %s=%lu", violation_name(v), vcount[v]);
	printf("\n");
	scenario_free(&scn);
	assert_int_equal(failed, 0);
}

int main(void)
{
	struct CMUnitTest tests[MAX_SCENARIOS];
	size_t n = 0;

	scenario_list_shipped(&names, &nnames);
	for (size_t i = 0; i < nnames && n < MAX_SCENARIOS; i++) {
		tests[n] = (struct CMUnitTest){ .name = names[i], .test_func = sweep_scenario,
						.initial_state = names[i] };
		n++;
	}
	return _cmocka_run_group_tests("shipped", tests, n, NULL, NULL);
}
