// SPDX-License-Identifier: MIT
/*
 * I/O page fault benchmark (figures printed, never asserted): the shipped
 * scenario iopf-sva (SVA faults through PRI on several PASIDs of two
 * devices) over seeds 1..N under each IOPF design, through the runner.
 * Prints per design: page request groups answered per wall second, the
 * virtual-time latency from a group's LAST request to its response (p50,
 * p99, max over every group of every run), faults reported and pages
 * faulted in, and scheduling points per wall second.  Also the stall
 * path (iopf-replace-stall under the default ordered drain).
 *
 *   bench_iopf [SEEDS]      (default 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diag.h"
#include "scenario/policy.h"
#include "scenario/run.h"
#include "scenario/scenario.h"
#include "trace/evlog.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void bench(const char *name, const char *pol, unsigned seeds)
{
	struct scenario scn;
	struct diag d;
	char *path = NULL;
	uint64_t wall = 0, steps = 0, answered = 0, reported = 0, faulted = 0, *lat = NULL;
	size_t nlat = 0;
	unsigned passed = 0;
	char a[32], b[32], m[32];

	if (scenario_find_shipped(name, &path))
		exit(2);
	diag_init(&d, path);
	if (scenario_load_file(path, &scn, &d))
		exit(2);
	diag_fini(&d);
	for (unsigned seed = 1; seed <= seeds; seed++) {
		struct run_opts o;
		struct run_result r;
		struct expect_check *checks;
		unsigned int nchecks;

		run_opts_default(&o, &scn);
		o.seed = seed;
		if (pol && policy_set_apply(&o.policy, pol, NULL, 0))
			exit(2);
		if (run_scenario(&scn, &o, &r))
			exit(1);
		passed += expect_eval(&scn, &r, &checks, &nchecks);
		free(checks);
		wall += r.wall_ns;
		steps += r.steps;
		answered += r.iopf[SCN_IOPF_RESPONSES];
		reported += r.iopf[SCN_IOPF_REPORTED];
		faulted += r.iopf[SCN_IOPF_FAULTED_IN];
		lat = realloc(lat, (nlat + r.nprg_latency + 1) * sizeof(*lat));
		memcpy(lat + nlat, r.prg_latency, r.nprg_latency * sizeof(*lat));
		nlat += r.nprg_latency;
		run_result_free(&r);
	}
	qsort(lat, nlat, sizeof(*lat), cmp_u64);
	printf("%-19s %-26s %3u/%-3u %10.0f %9s %9s %9s %9llu %8llu %7.2fM\n", name,
	       pol ? pol : "default", passed, seeds, (double)answered / ((double)wall / 1e9),
	       nlat ? sim_format_time(run_percentile(lat, nlat, 50), a, sizeof(a)) : "-",
	       nlat ? sim_format_time(run_percentile(lat, nlat, 99), b, sizeof(b)) : "-",
	       nlat ? sim_format_time(lat[nlat - 1], m, sizeof(m)) : "-",
	       (unsigned long long)reported, (unsigned long long)faulted,
	       (double)steps / ((double)wall / 1e9) / 1e6);
	free(lat);
	free(path);
	scenario_free(&scn);
}

int main(int argc, char **argv)
{
	unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20;

	if (!seeds)
		seeds = 20;
	printf("IOPF: seeds 1..%u, random strategy; answered/s = responses sent by the core per\n"
	       "wall second; latency = virtual time from a PRG's LAST request to its response\n\n",
	       seeds);
	printf("%-19s %-26s %-7s %10s %9s %9s %9s %9s %8s %8s\n", "scenario", "policy", "expect",
	       "answered/s", "p50", "p99", "max", "reported", "faulted", "points/s");
	bench("iopf-sva", NULL, seeds);
	bench("iopf-sva", "iopf_design=group-counter", seeds);
	bench("iopf-pri-flood", NULL, seeds);
	bench("iopf-replace-stall", NULL, seeds);
	bench("iopf-replace-stall", "iopf_design=group-counter", seeds);
	return 0;
}
