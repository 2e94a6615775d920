// SPDX-License-Identifier: MIT
/*
 * Flagship benchmark (figures printed, never asserted): the shipped
 * flagship scenario over seeds 1..N under each policy of the flagship's
 * comparison, through the same runner `iommusim run` uses.  Prints, per
 * policy: how many runs passed the expect block, the violations found
 * (keep-going, so every one is counted), virtual time per wall second and
 * scheduling points per wall second.
 *
 *   bench_flagship [SEEDS]      (default 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diag.h"
#include "scenario/policy.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

static const char *const policies[] = {
	NULL, "atc_timeout=ignore", "atc_timeout=quarantine-batch", "report_broken=none",
	"atc_batch_sync=deferred", "cmdq=spinlock", "master_lookup=inv-master",
	"report_broken=worker-rcu",
};

static void bench_policy(const struct scenario *scn, const char *pol, unsigned seeds)
{
	uint64_t wall = 0, vt = 0, steps = 0, nviol[V_NR] = { 0 };
	unsigned passed = 0;

	for (unsigned seed = 1; seed <= seeds; seed++) {
		struct run_opts o;
		struct run_result r;
		struct expect_check *checks;
		unsigned int nchecks;

		run_opts_default(&o, scn);
		o.seed = seed;
		o.keep_going = true;
		if (pol && policy_set_apply(&o.policy, pol, NULL, 0)) {
			fprintf(stderr, "bad policy %s\n", pol);
			exit(2);
		}
		if (run_scenario(scn, &o, &r))
			exit(1);
		passed += expect_eval(scn, &r, &checks, &nchecks);
		free(checks);
		for (unsigned v = 0; v < V_NR; v++)
			nviol[v] += r.violations.count[v];
		wall += r.wall_ns;
		vt += r.vtime;
		steps += r.steps;
		run_result_free(&r);
	}
	printf("%-30s %3u/%-3u %8.1f %8.2fM  ", pol ? pol : "default", passed, seeds,
	       (double)vt / (double)wall, (double)steps / ((double)wall / 1e9) / 1e6);
	for (unsigned v = 0; v < V_NR; v++)
		if (nviol[v])
			printf("%s %llu ", violation_name(v), (unsigned long long)nviol[v]);
	printf("\n");
}

int main(int argc, char **argv)
{
	unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20;
	struct scenario scn;
	struct diag d;
	char *path;

	if (!seeds || scenario_find_shipped("flagship", &path)) {
		fprintf(stderr, "usage: bench_flagship [SEEDS] (run from the source tree)\n");
		return 2;
	}
	diag_init(&d, path);
	if (scenario_load_file(path, &scn, &d)) {
		diag_fini(&d);
		return 2;
	}
	printf("flagship, seeds 1..%u, random, keep-going\n", seeds);
	printf("%-30s %7s %8s %9s  %s\n", "policy", "pass", "vt/wall", "points/s", "violations");
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		bench_policy(&scn, policies[i], seeds);
	scenario_free(&scn);
	diag_fini(&d);
	free(path);
	return 0;
}
