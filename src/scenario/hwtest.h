/* SPDX-License-Identifier: MIT */
/*
 * hwtest: a line-oriented, register-level stimulus language for the
 * hardware models (DESIGN.md sections 8 and 10), in the spirit of QEMU's
 * qtest.  A script instantiates SMMUs and PCIe endpoints on one simulated
 * memory, pokes registers, queues and configuration space, runs the models
 * for some virtual time and checks what they did with `expect`.
 * docs/hwtest.md is the language reference.
 *
 * A run parses the whole script first (every malformed line is reported
 * as FILE:LINE:COL: message, nothing runs), then executes it in one
 * simulator as a thread task on CPU 0, letting every hardware task settle
 * after each statement.  The first failed `expect` stops the run.
 */
#ifndef IOMMUSIM_SCENARIO_HWTEST_H
#define IOMMUSIM_SCENARIO_HWTEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/sim.h"

/* Exit statuses of a run (DESIGN.md section 8). */
#define HWTEST_PASS	0	/* every statement ran, every expect held */
#define HWTEST_FAIL	1	/* an expect failed, or the run ended early */
#define HWTEST_BADINPUT	2	/* the script is malformed or asked the impossible */

/**
 * struct hwtest_opts - how to run a script.
 * @seed:	seed of the simulator (scheduling choices and model data).
 * @strategy:	scheduling strategy; a script's results must not depend on
 *		it (the interpreter settles the models after each statement).
 * @out:	where `read`, `print`, `stats`, queue dumps and the summary
 *		go (stdout when NULL).
 * @err:	where diagnostics and failed expectations go (stderr when
 *		NULL).
 */
struct hwtest_opts {
	uint64_t seed;
	struct sim_strategy strategy;
	FILE *out;
	FILE *err;
};

/** hwtest_opts_default() - seed 1, random strategy, stdout and stderr. */
void hwtest_opts_default(struct hwtest_opts *o);

/**
 * hwtest_run_file() - parse and run the script at @path.
 * @path:	file name, as it should appear in messages.
 * @o:		options, or NULL for hwtest_opts_default().
 *
 * Context: main context (no simulator running on this thread); creates
 * and destroys its own simulator.
 * Return: HWTEST_PASS, HWTEST_FAIL or HWTEST_BADINPUT (also when the file
 * cannot be read).
 */
int hwtest_run_file(const char *path, const struct hwtest_opts *o);

/**
 * hwtest_run_string() - parse and run the script @text of @len bytes.
 * @name:	file name used in messages.
 * Context and return: as hwtest_run_file().
 */
int hwtest_run_string(const char *name, const char *text, size_t len,
		      const struct hwtest_opts *o);

/**
 * hwtest_main() - the `iommusim hwtest` command.
 * @argc, @argv: the command line from "hwtest" on (@argv[0] is
 *		"hwtest"): hwtest SCRIPT [--seed N] [--strategy random|rr|pct:D],
 *		parsed with getopt_long().
 * Return: the exit status (2 for bad usage).
 */
int hwtest_main(int argc, char **argv);

#endif /* IOMMUSIM_SCENARIO_HWTEST_H */
