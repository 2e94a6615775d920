// SPDX-License-Identifier: MIT
/*
 * Explore benchmark (figures printed, never asserted): runs per second of
 * an `iommusim explore` campaign of the shipped flagship scenario through
 * the worker pool at -j1, -j2 (and -jN for the CPUs online, when more),
 * keeping going so every seed runs; then the shrink of the shipped
 * smmuv2-stall-unlocked seed 12 (deviations, steps and runs before/after).
 *
 *   bench_explore [RUNS]      (default 60)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explore/explore.h"
#include "explore/shrink.h"
#include "scenario/diag.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

static void load(const char *name, struct scenario *scn)
{
	char *path = NULL;
	struct diag d;

	if (scenario_find_shipped(name, &path)) {
		fprintf(stderr, "bench_explore: no shipped scenario %s\n", name);
		exit(2);
	}
	diag_init(&d, path);
	if (scenario_load_file(path, scn, &d))
		exit(2);
	diag_fini(&d);
	free(path);
}

static void campaign(const struct scenario *scn, uint64_t runs, unsigned int jobs)
{
	struct explore_campaign c;
	struct explore_summary sum;
	double secs;

	memset(&c, 0, sizeof(c));
	c.scn = scn;
	run_opts_default(&c.base, scn);
	c.plan = (struct explore_plan){ 1, runs, 0, 1 };
	c.jobs = jobs;
	c.keep_going = true;
	if (explore_run(&c, &sum))
		exit(1);
	secs = (double)sum.wall_ns / 1e9;
	printf("  -j%-3u %6llu runs  %7.2f s  %8.1f runs/s  %llu failed  %.2fM steps/s\n",
	       jobs, (unsigned long long)sum.runs, secs, (double)sum.runs / secs,
	       (unsigned long long)sum.failed, (double)sum.steps / secs / 1e6);
	explore_summary_free(&sum);
}

int main(int argc, char **argv)
{
	uint64_t runs = argc > 1 ? strtoull(argv[1], NULL, 10) : 60;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct scenario scn;
	struct shrink_config sc;
	struct shrink_result res;

	load("flagship", &scn);
	printf("explore flagship, seeds 1..%llu, random, keep going (%ld CPUs online)\n",
	       (unsigned long long)runs, cpus);
	campaign(&scn, runs, 1);
	campaign(&scn, runs, 2);
	if (cpus > 2)
		campaign(&scn, runs, (unsigned int)cpus);
	scenario_free(&scn);

	load("smmuv2-stall-unlocked", &scn);
	memset(&sc, 0, sizeof(sc));
	sc.scn = &scn;
	run_opts_default(&sc.base, &scn);
	sc.base.seed = 12;
	sc.violation = -1;
	if (shrink_run(&sc, &res))
		exit(1);
	printf("shrink smmuv2-stall-unlocked seed 12 (%s): deviations %llu -> %llu, "
	       "preemptions %llu -> %llu, steps %llu -> %llu, %llu runs, %.2f s (%s)\n",
	       violation_name(res.violation), (unsigned long long)res.before.deviations,
	       (unsigned long long)res.after.deviations,
	       (unsigned long long)res.before.preemptions,
	       (unsigned long long)res.after.preemptions,
	       (unsigned long long)res.before.steps, (unsigned long long)res.after.steps,
	       (unsigned long long)res.runs, (double)res.wall_ns / 1e9,
	       shrink_stop_name(res.stop));
	sim_schedule_free(&res.sched);
	scenario_free(&scn);
	return 0;
}
