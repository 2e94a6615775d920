// SPDX-License-Identifier: MIT
/*
 * Trace benchmark (figures printed, never asserted): the shipped flagship
 * over seeds 1..N, untraced, with --trace to a file, with --diagram, and
 * with both, through the runner `iommusim run` uses.  Prints per mode the
 * wall time per run, the overhead against the untraced run, and for
 * --trace the bytes of JSON per run and per wall second.
 *
 *   bench_trace [SEEDS] [FILE]   (default 10 seeds, $TMPDIR/iommusim-bench-trace.json)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/diag.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

struct mode {
	const char *name;
	bool trace, diagram;
};

int main(int argc, char **argv)
{
	static const struct mode modes[] = {
		{ "untraced", false, false },
		{ "--trace", true, false },
		{ "--diagram", false, true },
		{ "--trace --diagram", true, true },
	};
	unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 10;
	char defpath[4096];
	const char *path = argc > 2 ? argv[2] : defpath;
	double base = 0;
	struct scenario scn;
	struct diag d;
	char *file = NULL;

	snprintf(defpath, sizeof(defpath), "%s/iommusim-bench-trace.json",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!seeds || scenario_find_shipped("flagship", &file)) {
		fprintf(stderr, "usage: bench_trace [SEEDS] [FILE] (needs scenarios/flagship.yaml)\n");
		return 2;
	}
	diag_init(&d, file);
	if (scenario_load_file(file, &scn, &d))
		return 2;
	diag_fini(&d);
	printf("flagship, seeds 1..%u (trace file %s)\n", seeds, path);
	printf("%-20s %12s %9s %14s %12s\n", "mode", "wall/run", "overhead", "trace bytes/run",
	       "MB/wall s");
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		uint64_t wall = 0, bytes = 0;

		for (unsigned seed = 1; seed <= seeds; seed++) {
			struct run_opts o;
			struct run_result r;
			struct stat st;

			run_opts_default(&o, &scn);
			o.seed = seed;
			o.trace_path = modes[m].trace ? path : NULL;
			o.diagram = modes[m].diagram;
			if (run_scenario(&scn, &o, &r) || r.trace_err)
				return 1;
			wall += r.wall_ns;
			if (modes[m].trace && !stat(path, &st))
				bytes += (uint64_t)st.st_size;
			run_result_free(&r);
		}
		if (!m)
			base = (double)wall;
		printf("%-20s %9.2f ms %8.2fx", modes[m].name, (double)wall / seeds / 1e6,
		       (double)wall / base);
		if (modes[m].trace)
			printf(" %14.0f %12.1f", (double)bytes / seeds,
			       (double)bytes / ((double)wall / 1e9) / 1e6);
		printf("\n");
	}
	unlink(path);
	scenario_free(&scn);
	return 0;
}
