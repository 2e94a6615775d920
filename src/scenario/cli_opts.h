/* SPDX-License-Identifier: MIT */
/*
 * The options of `iommusim run` (DESIGN.md section 8, docs/running.md),
 * parsed with getopt_long(). In the library rather than in src/cli so the
 * tests can check every bad value without running the command.
 *
 * Parsing checks each value on its own (a seed is a number, a strategy is
 * one of the known ones, a --policy names a known policy and one of its
 * values, a --bug a known bug switch); what depends on the scenario (its
 * policies under the --policy ones) is merged after it is loaded, with
 * cli_run_apply().
 */
#ifndef IOMMUSIM_SCENARIO_CLI_OPTS_H
#define IOMMUSIM_SCENARIO_CLI_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/policy.h"
#include "sim/sim.h"

struct run_opts;

/* What cli_run_parse() returns. */
enum cli_status {
	CLI_OK = 0,		/* parsed: go on and run */
	CLI_HELP = 1,		/* --help printed the usage: exit 0 */
	CLI_BAD = 2,		/* bad usage or value, message printed: exit 2 */
};

/**
 * struct cli_run - the `iommusim run` command line.
 * @target:	FILE or NAME (argv element, not copied).
 * @has_seed, @seed: --seed N.
 * @has_strategy, @strategy: --strategy S.
 * @policy:	the --policy K=V options applied, in order, to a default
 *		set; @policy.given marks the keys the command line names.
 * @bugs:	OR of the --bug switches (IOMMU_BUG_* | ARM_SMMU_BUG_*).
 * @json, @log, @keep_going: --json, --log, --keep-going.
 * @trace_path:	--trace FILE (argv element, not copied), or NULL.
 * @diagram:	--diagram.
 * @schedule:	`replay --schedule FILE` (argv element), or NULL.
 * @record_schedule: --record-schedule FILE (argv element), or NULL.
 */
struct cli_run {
	const char *target;
	bool has_seed;
	uint64_t seed;
	bool has_strategy;
	struct sim_strategy strategy;
	struct policy_set policy;
	unsigned long bugs;
	bool json;
	bool log;
	bool keep_going;
	const char *trace_path;
	bool diagram;
	const char *schedule;
	const char *record_schedule;
};

/** cli_run_usage() - the usage of `iommusim run` into @f. */
void cli_run_usage(FILE *f);

/**
 * cli_run_parse() - parse `iommusim run` arguments
 * @argc, @argv: from "run" on (@argv[0] is "run"), as getopt_long() wants.
 *		One FILE|NAME; options may come before or after it.
 * @o:		filled in on CLI_OK (zeroed first).
 * @err:	where messages go ("iommusim run: ..."), usually stderr.
 *
 * Return: CLI_OK; CLI_HELP after printing the usage to stdout for --help;
 * CLI_BAD after printing a message that names the option and, for a
 * policy or a bug switch, the valid choices.
 * Context: main context; uses getopt_long()'s globals (not thread-safe).
 */
int cli_run_parse(int argc, char **argv, struct cli_run *o, FILE *err);

/**
 * cli_replay_parse() - parse `iommusim replay` arguments: every option of
 * `iommusim run` (the same parser: what `run` learns, `replay` learns) and
 * --schedule FILE; exactly one of --seed N and --schedule FILE; --schedule
 * excludes --strategy (the schedule says every choice).
 * Return and context: as cli_run_parse(); messages say "iommusim replay:".
 */
int cli_replay_parse(int argc, char **argv, struct cli_run *o, FILE *err);

/**
 * cli_run_parse_options() - parse run options alone, with no FILE|NAME
 * (the "option" lines of a schedule file): @argv[0] is a command name,
 * then options only.  Messages say "iommusim @cmd:".
 * Return: CLI_OK or CLI_BAD.
 */
int cli_run_parse_options(const char *cmd, int argc, char **argv, struct cli_run *o,
			  FILE *err);

/**
 * cli_run_option_words() - the options of @c that change what a run does
 * (each given --policy as "--policy=K=V", each --bug as "--bug=NAME",
 * "--keep-going"), as malloc()ed words for a schedule file's "option"
 * lines.  Return: the number of words; *@words is malloc()ed (free each
 * word, then the array with cli_words_free()).
 */
size_t cli_run_option_words(const struct cli_run *c, char ***words);

/** cli_words_free() - free @n words and the array. */
void cli_words_free(char **words, size_t n);

/**
 * cli_format_run_options() - " --policy K=V" for each policy given in @p
 * (policy order) and " --bug NAME" for each bit of @bugs, into @f: the
 * options of a command line that reproduces a run.
 */
void cli_format_run_options(FILE *f, const struct policy_set *p, unsigned long bugs);

/**
 * cli_run_apply() - the command line over a scenario's run options
 * @c:	the parsed command line
 * @ro:	options from run_opts_default(); the seed, strategy, bugs and
 *	keep-going given on the command line replace the scenario's, and
 *	each policy the command line names replaces the scenario's value
 *	(and is marked given); --trace and --diagram are passed on.
 */
void cli_run_apply(const struct cli_run *c, struct run_opts *ro);

/**
 * cli_parse_seed() - a seed as the command line takes it: decimal, or
 * hexadecimal after "0x"/"0X", no sign, no spaces, at most 2^64 - 1.
 * Return: true with *@out set, false (nothing set) otherwise.
 */
bool cli_parse_seed(const char *text, uint64_t *out);

/**
 * cli_bug_by_name() - the bug switch named @name ("failed-reset-unblocks")
 * Return: its bit (IOMMU_BUG_* or ARM_SMMU_BUG_*), or 0 for an unknown name.
 */
unsigned long cli_bug_by_name(const char *name);

/** cli_bug_name() - the name of the bug switch @bit (one bit), or NULL. */
const char *cli_bug_name(unsigned long bit);

/**
 * cli_bad() - "@cmd: MESSAGE" and "(@cmd --help for the usage)" on @err.
 * Return: CLI_BAD.  Shared by run, replay, explore and shrink.
 */
int cli_bad(FILE *err, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** cli_bad_bug() - an unknown --bug @name, listing the switches.  Return: CLI_BAD. */
int cli_bad_bug(FILE *err, const char *cmd, const char *name);

/**
 * cli_bad_getopt() - getopt_long() returned @c, ':' (a value missing) or
 * '?' (an unknown option); @argv[optind - 1] names it.  Return: CLI_BAD.
 */
int cli_bad_getopt(FILE *err, const char *cmd, int c, char **argv);

/**
 * cli_opt_target() - the one scenario (FILE or NAME) left in @argv after
 * the options, into *@target.  Return: 0, or CLI_BAD when none or more
 * than one is left.
 */
int cli_opt_target(FILE *err, const char *cmd, int argc, char **argv, const char **target);

/*
 * cli_opt_seed() / cli_opt_strategy() / cli_opt_policy() - the value of
 * --seed, --strategy, --policy K=V into @out (a policy is applied over
 * @set), as every command takes them.  Return: 0, or CLI_BAD after the
 * message (cli_bad()).
 */
int cli_opt_seed(FILE *err, const char *cmd, const char *arg, uint64_t *out);
int cli_opt_strategy(FILE *err, const char *cmd, const char *arg, struct sim_strategy *out);
int cli_opt_policy(FILE *err, const char *cmd, const char *arg, struct policy_set *set);

/** cli_bug_names() - every bug switch name, NULL-terminated, in bit order. */
const char *const *cli_bug_names(void);

#endif
