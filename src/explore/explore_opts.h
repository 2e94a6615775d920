/* SPDX-License-Identifier: MIT */
/*
 * The options of `iommusim explore` (docs/explore.md), parsed with
 * getopt_long() in the library so the tests check every bad value.
 * Values are checked as `iommusim run` checks them (cli_opts.h): the same
 * seeds, strategies, policies and bug switches.
 */
#ifndef IOMMUSIM_EXPLORE_EXPLORE_OPTS_H
#define IOMMUSIM_EXPLORE_EXPLORE_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/cli_opts.h"

#define EXPLORE_MAX_JOBS	1024
#define EXPLORE_MAX_SHARDS	1000000

/**
 * struct explore_opts - the `iommusim explore` command line.
 * @target:	FILE or NAME (argv element).
 * @runs:	--runs N, seeds in the whole campaign (required, >= 1).
 * @has_strategy, @strategy: --strategy S (default random).
 * @jobs:	-j/--jobs N; 0 when not given (the caller picks the CPUs online).
 * @shard, @nshards: --shard I/N (default 0/1).
 * @time_limit_ns: --time-limit T; 0 none.
 * @policy:	--policy K=V, on a default set (given bits mark them).
 * @bugs:	--bug NAME bits.
 * @keep_going:	--keep-going: run every seed instead of stopping at the
 *		first failing one.
 * @json, @quiet: --json, --quiet.
 * @first_seed:	--first-seed S (default 1).
 */
struct explore_opts {
	const char *target;
	uint64_t runs;
	bool has_strategy;
	struct sim_strategy strategy;
	unsigned int jobs;
	unsigned int shard, nshards;
	uint64_t time_limit_ns;
	struct policy_set policy;
	unsigned long bugs;
	bool keep_going;
	bool json;
	bool quiet;
	uint64_t first_seed;
};

/** explore_usage() - the usage of `iommusim explore` into @f. */
void explore_usage(FILE *f);

/**
 * explore_parse() - parse `iommusim explore` arguments (@argv[0] is
 * "explore"); one FILE|NAME, options before or after it.
 * Return: CLI_OK; CLI_HELP after printing the usage for --help; CLI_BAD
 * after a message "iommusim explore: ..." on @err naming the option.
 * Context: uses getopt_long()'s globals (not thread-safe).
 */
int explore_parse(int argc, char **argv, struct explore_opts *o, FILE *err);

/**
 * cli_parse_duration() - a wall-time limit: a number (decimals allowed)
 * and a unit, one of ms, s, min, h ("500ms", "30s", "1.5min").  Nonzero,
 * at most a year.  Return: true with *@ns set.
 */
bool cli_parse_duration(const char *text, uint64_t *ns);

/**
 * cli_parse_count() - a positive decimal count (no sign, no spaces) of at
 * most @max.  Return: true with *@out set.
 */
bool cli_parse_count(const char *text, uint64_t max, uint64_t *out);

/**
 * explore_parse_shard() - "I/N" with 0 <= I < N <= EXPLORE_MAX_SHARDS.
 * Return: true with *@i, *@n set.
 */
bool explore_parse_shard(const char *text, unsigned int *i, unsigned int *n);

/**
 * cli_shell_word() - @s into @f as one shell word: as it is when made of
 * letters, digits and "_./:=+,@%-", else in single quotes.
 */
void cli_shell_word(FILE *f, const char *s);

#endif
