/* SPDX-License-Identifier: MIT */
/*
 * The options of `iommusim shrink` (docs/explore.md), parsed in the
 * library so the tests check every bad value.
 */
#ifndef IOMMUSIM_EXPLORE_SHRINK_OPTS_H
#define IOMMUSIM_EXPLORE_SHRINK_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/cli_opts.h"

#define SHRINK_DEFAULT_MAX_RUNS	2000
#define SHRINK_DEFAULT_TIME_NS	(120ULL * 1000000000ULL)

/**
 * struct shrink_opts - the `iommusim shrink` command line.
 * @target:	FILE or NAME (argv element).
 * @has_seed, @seed, @has_strategy, @strategy: the failing run, as
 *		`iommusim explore` prints it (--seed N --strategy S).
 * @schedule:	or --schedule FILE: the failing run as a schedule file.
 * @out:	--out FILE: where the shrunk schedule goes (required).
 * @policy, @bugs: --policy K=V, --bug NAME, as for `iommusim run`.
 * @violation:	--violation ID to keep, or -1: the run's first.
 * @max_runs:	--max-runs N (default SHRINK_DEFAULT_MAX_RUNS).
 * @time_limit_ns: --time-limit T (default SHRINK_DEFAULT_TIME_NS).
 * @quiet:	--quiet: no progress line.
 */
struct shrink_opts {
	const char *target;
	bool has_seed;
	uint64_t seed;
	bool has_strategy;
	struct sim_strategy strategy;
	const char *schedule;
	const char *out;
	struct policy_set policy;
	unsigned long bugs;
	int violation;
	uint64_t max_runs;
	uint64_t time_limit_ns;
	bool quiet;
};

/** shrink_usage() - the usage of `iommusim shrink` into @f. */
void shrink_usage(FILE *f);

/**
 * shrink_parse() - parse `iommusim shrink` arguments (@argv[0] "shrink").
 * Exactly one of --seed and --schedule; --schedule excludes --strategy;
 * --out is required.
 * Return: CLI_OK, CLI_HELP (usage printed), or CLI_BAD after a message
 * "iommusim shrink: ..." on @err.
 */
int shrink_parse(int argc, char **argv, struct shrink_opts *o, FILE *err);

#endif
