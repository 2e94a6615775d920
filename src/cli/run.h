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
