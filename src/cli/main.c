// SPDX-License-Identifier: MIT
/*
 * The iommusim command (DESIGN.md section 8).
 */
#include <stdio.h>
#include <string.h>

#include "cli/run.h"
#include "scenario/hwtest.h"

static void usage(FILE *f)
{
	fputs("usage: iommusim [COMMAND] [ARGS]\n"
	      "\n"
	      "An executable model of IOMMU fault handling and device quarantine.\n"
	      "\n"
	      "commands:\n"
	      "  run FILE|NAME [--seed N] [--strategy random|pct:D|rr] [--policy K=V]...\n"
	      "                [--json] [--log] [--keep-going] [--bug NAME]...\n"
	      "                [--trace OUT.json] [--diagram]\n"
	      "                [--record-schedule FILE]\n"
	      "                            run a scenario, report, exit 0 PASS / 1 FAIL\n"
	      "  explore FILE|NAME --runs N [--strategy S] [-j JOBS] [--shard I/N]\n"
	      "                [--time-limit T] [--policy K=V]... [--bug NAME]...\n"
	      "                [--keep-going] [--json] [--quiet] [--first-seed S]\n"
	      "                            run many seeds in worker processes; print the\n"
	      "                            failing ones and how to replay each\n"
	      "  replay FILE|NAME --seed N [--strategy S] | --schedule FILE [run options]\n"
	      "                            one run again, exactly\n"
	      "  shrink FILE|NAME --seed N [--strategy S] | --schedule FILE --out SCHEDULE\n"
	      "                            the smallest schedule that still fails\n"
	      "  list                      shipped scenarios and policies\n"
	      "  hwtest SCRIPT             register-level stimulus of the hardware models\n"
	      "\n"
	      "\n"
	      "With no command, iommusim runs the flagship scenario (ATC invalidation\n"
	      "timeout quarantine), as `iommusim run flagship`.  Exit status: 0 PASS,\n"
	      "1 FAIL, 2 bad usage or input.  iommusim COMMAND --help: its options.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_flagship_main(usage);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "hwtest"))
		return hwtest_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cli_run_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cli_list_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return cli_replay_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explore"))
		return cli_explore_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "shrink"))
		return cli_shrink_main(argc - 1, argv + 1);
	fprintf(stderr, "iommusim: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
