/* SPDX-License-Identifier: MIT */
/*
 * `iommusim run` and `iommusim list` (DESIGN.md section 8,
 * docs/running.md). Option parsing lives in the library
 * (scenario/cli_opts.h) so the tests reach it.
 */
#ifndef IOMMUSIM_CLI_RUN_H
#define IOMMUSIM_CLI_RUN_H

#include <stdio.h>

/**
 * cli_run_main() - `iommusim run FILE|NAME [options]`
 * @argc, @argv: from "run" on (@argv[0] is "run").
 * Return: the exit status: 0 PASS, 1 FAIL, 2 bad usage or input.
 */
int cli_run_main(int argc, char **argv);

struct scenario;

/**
 * cli_resolve() - the file of FILE|NAME: a bare name is a shipped
 * scenario, else a path.  Messages say "iommusim @cmd:".
 * Return: a malloc()ed path, or NULL after a message.
 */
char *cli_resolve(const char *cmd, const char *target);

/**
 * cli_load() - resolve @target and load it into @scn.
 * @path:	set to the malloc()ed path on success (caller frees).
 * Return: 0, or 2 after a message (FILE:LINE:COL for a bad file); then
 * nothing is left to free.
 */
int cli_load(const char *cmd, const char *target, struct scenario *scn, char **path);

struct sim_schedule;
struct cli_run;

/**
 * cli_schedule_open() - read schedule file @file into @sch.
 * Return: 0, or 2 after a message ("FILE:LINE:COL: ..." for a bad file).
 */
int cli_schedule_open(const char *cmd, const char *file, struct sim_schedule *sch);

/**
 * cli_schedule_options() - a schedule's "option" lines (only --policy=K=V,
 * --bug=NAME, --keep-going) through the run option parser into @out.
 * Return: 0, or 2 after a message "FILE:LINE:COL: ...".
 */
int cli_schedule_options(const char *cmd, const char *file, const struct sim_schedule *sch,
			 struct cli_run *out);

/**
 * cli_run_merge_under() - @under's run options beneath @c's: each policy
 * @under gives and @c does not, @under's bugs and keep-going.
 */
void cli_run_merge_under(struct cli_run *c, const struct cli_run *under);

/** cli_explore_main() - `iommusim explore` (docs/explore.md); the exit status. */
int cli_explore_main(int argc, char **argv);

/** cli_shrink_main() - `iommusim shrink` (docs/explore.md); the exit status. */
int cli_shrink_main(int argc, char **argv);

/**
 * cli_replay_main() - `iommusim replay FILE|NAME --seed N [--strategy S] |
 * --schedule FILE [run options]`: one run again, reported as `run` does.
 * @argc, @argv: from "replay" on.
 * Return: the exit status: 0 PASS, 1 FAIL, 2 bad usage or input.
 */
int cli_replay_main(int argc, char **argv);

/**
 * cli_list_main() - `iommusim list`: the shipped scenarios, then the
 * policies, one line each.
 * Return: the exit status: 0, or 2 for stray arguments.
 */
int cli_list_main(int argc, char **argv);

/**
 * cli_flagship_main() - `iommusim` with no arguments: `iommusim run
 * flagship`; when no shipped scenario is called "flagship", the usage
 * from @usage and a message on stderr, and 2.
 */
int cli_flagship_main(void (*usage)(FILE *f));

#endif
