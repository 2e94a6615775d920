/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv2 part of a run (runner.c calls it): the SMMUv2s of a scenario
 * with their context interrupt lines and checkers, their devices as
 * masters, the SMMUv2 driver and one GPU fault client per device, and the
 * `fault` work.
 *
 * Who runs where: the driver probes and the context banks are set up in
 * the boot thread (CPU 0); every context interrupt line goes to the SMMU's
 * context_irq_affinity CPU; the clients' resume work runs on the system
 * workqueue (a worker per CPU); a device's accesses run in its DMA engine
 * (hardware, on no CPU), to IOVAs from RUN_V2_FAULT_IOVA, never mapped.
 */
#ifndef IOMMUSIM_SCENARIO_RUNNER_SMMUV2_H
#define IOMMUSIM_SCENARIO_RUNNER_SMMUV2_H

#include "hw/mem.h"
#include "scenario/run.h"

#define RUN_V2_FAULT_IOVA	0x40000000UL

struct run_v2;

/**
 * run_smmuv2_new() - build the SMMUv2 platform of @scn on @mem in @s
 * (nothing when it has no SMMUv2): lines, SMMUs, masters, checkers.
 * @out: set to the part (NULL when none).
 * Return: 0 or -errno.  Context: main context, before the run.
 */
int run_smmuv2_new(const struct scenario *scn, const struct run_opts *o, struct sim *s,
		   struct hw_mem *mem, struct run_v2 **out);

/** run_smmuv2_boot() - probe the drivers, set up banks and clients.  Context: the boot thread. */
int run_smmuv2_boot(struct run_v2 *v);

/** run_smmuv2_start_workload() - start every `fault` work.  Context: the boot thread. */
void run_smmuv2_start_workload(struct run_v2 *v);

/** run_smmuv2_free() - release the part (NULL: nothing).  Context: after sim_destroy(). */
void run_smmuv2_free(struct run_v2 *v);

#endif
