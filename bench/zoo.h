/* SPDX-License-Identifier: MIT */
/*
 * The known-bug benchmark (issue #7, docs/zoo.md): a catalogue of real bugs
 * from the seeds and from the SMMUv3 driver's history, each reachable from
 * the command line (a policy, or a --bug switch that exists only for this),
 * each with the consequence it must produce in the model and the overrides
 * of its fixed counterpart.
 *
 * zoo_catalogue.c holds the table; zoo_search.c runs an entry: seeds 1..
 * under one strategy until the first run showing the consequence (within a
 * budget of runs and wall seconds), then the fixed counterpart over the
 * same number of runs.  bench/zoo.c prints the table; tests/test_zoo.c
 * runs every entry on a small budget so the catalogue cannot rot.
 */
#ifndef IOMMUSIM_BENCH_ZOO_H
#define IOMMUSIM_BENCH_ZOO_H

#include <stdbool.h>
#include <stdint.h>

#define ZOO_MAX_OVR	4
#define ZOO_MAX_WANT	3

/**
 * struct zoo_entry - one known bug.
 * @name:	short name ("atc_timeout=ignore").
 * @what:	one line: the bug and where it comes from.
 * @scenario:	shipped scenario (scenarios/NAME.yaml) it runs on.
 * @bug_policy, @bug_bugs: overrides that re-create the bug: "K=V"
 *		policies and --bug names (NULL-terminated, may be empty).
 * @fixed_policy, @fixed_bugs: the same for the fixed counterpart.
 * @want:	the consequence: a run *detects* the bug when it has a
 *		violation of one of these IDs ("STALE_DMA_WRITE"), or when
 *		an expect check whose name starts with the text after
 *		"expect:" fails ("expect:not_quarantined nvme0").
 * @max_runs, @max_wall_s: the bench's budget per strategy.
 * @test_runs:	tests/test_zoo.c asserts detection within this many seeds
 *		per strategy, and the fixed counterpart clean over as many.
 * @unreached:	NULL, or why the model is not expected to show the
 *		consequence (the test then only checks the fixed side; the
 *		bench still searches and prints what it finds).
 */
struct zoo_entry {
	const char *name;
	const char *what;
	const char *scenario;
	const char *bug_policy[ZOO_MAX_OVR];
	const char *bug_bugs[ZOO_MAX_OVR];
	const char *fixed_policy[ZOO_MAX_OVR];
	const char *fixed_bugs[ZOO_MAX_OVR];
	const char *want[ZOO_MAX_WANT];
	unsigned int max_runs;
	double max_wall_s;
	unsigned int test_runs;
	const char *unreached;
};

/** zoo_entries - the catalogue, ending with an entry whose @name is NULL. */
extern const struct zoo_entry zoo_entries[];

/** zoo_strategies - the strategies every entry runs under ("random", "pct:3"). */
extern const char *const zoo_strategies[2];

/** enum zoo_status - how a search ended. */
enum zoo_status {
	ZOO_FOUND,		/* the consequence showed */
	ZOO_NOT_FOUND,		/* the budget ran out first */
	ZOO_MISSING,		/* the entry's scenario is not shipped */
	ZOO_ERROR,		/* it does not load, or an override is invalid */
};

/**
 * struct zoo_result - one entry under one strategy.
 * @status:	see enum zoo_status.
 * @runs:	runs made until the first detection (its seed), or the runs
 *		made before the budget ran out.
 * @wall_s:	wall seconds those runs took (a figure, never asserted).
 * @found:	what showed ("STALE_DMA_WRITE", "not_quarantined nvme0").
 * @fixed_runs, @fixed_clean: the fixed counterpart over seeds 1..@runs:
 *		runs, and runs with no violation and none of @want.
 * @fixed_found: what the first unclean fixed run showed ("" if none).
 * @error:	a message for ZOO_ERROR.
 */
struct zoo_result {
	enum zoo_status status;
	unsigned int runs;
	double wall_s;
	char found[96];
	unsigned int fixed_runs, fixed_clean;
	char fixed_found[96];
	char error[256];
};

/**
 * zoo_search() - run @e under @strategy: seeds 1.. until the first run
 * that detects the bug, at most @max_runs runs and about @max_wall_s wall
 * seconds (checked between runs); then the fixed counterpart over the
 * same seeds (1..@res->runs).
 * Context: main context (runs the simulator); prints nothing.
 */
void zoo_search(const struct zoo_entry *e, const char *strategy, unsigned int max_runs,
		double max_wall_s, struct zoo_result *res);

/**
 * zoo_fixed() - only the fixed counterpart of @e under @strategy, seeds
 * 1..@runs (status ZOO_FOUND when it ran: read fixed_runs, fixed_clean).
 * Context: as zoo_search().
 */
void zoo_fixed(const struct zoo_entry *e, const char *strategy, unsigned int runs,
	       struct zoo_result *res);

/** zoo_status_name() - "found", "not found", "scenario missing", "error". */
const char *zoo_status_name(enum zoo_status s);

#endif
