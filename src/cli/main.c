// SPDX-License-Identifier: MIT
/*
 * The iommusim command (DESIGN.md section 8).
 */
#include <stdio.h>
#include <string.h>

#include "scenario/hwtest.h"

static void usage(FILE *f)
{
	fputs("usage: iommusim [COMMAND] [ARGS]\n"
	      "\n"
	      "An executable model of IOMMU fault handling and device quarantine.\n"
	      "\n"
	      "commands:\n"
	      "  run FILE|NAME [--seed N] [--strategy random|pct:D|rr] [--policy K=V]...\n"
	      "                [--trace out.json] [--diagram] [--json] [--log] [--keep-going]\n"
	      "  list                      shipped scenarios and policies\n"
	      "  explore FILE|NAME --runs N [--strategy pct:3] [-j JOBS] [--shard I/N]\n"
	      "  replay FILE|NAME --seed N | --schedule S\n"
	      "  shrink FILE|NAME --seed N --out SCHEDULE\n"
	      "  hwtest SCRIPT             register-level stimulus of the hardware models\n"
	      "\n"
	      "With no command, iommusim runs the flagship scenario (ATC invalidation\n"
	      "timeout quarantine) once the hardware and driver models are in place.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		printf("\nstatus: the simulator, kernel shim, checkers and hardware models\n"
		       "(memory, SMMUv3, PCIe endpoints) are built; `iommusim hwtest SCRIPT`\n"
		       "drives the hardware at the register level (docs/hwtest.md).  The\n"
		       "kernel-software models and the scenario commands come next.\n");
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "hwtest"))
		return hwtest_main(argc - 1, argv + 1);
	fprintf(stderr, "iommusim: '%s': command not available yet\n", argv[1]);
	usage(stderr);
	return 2;
}
