/* SPDX-License-Identifier: MIT */
/*
 * iommusim public C API.
 *
 * For now the public surface is the executor (src/sim/sim.h), the kernel
 * shim (src/kernel/kernel.h) and the violation records
 * (src/check/violation.h), used by programs and tests that run their own
 * concurrent code in the simulator.  Loading a scenario, setting policies and
 * reading results arrive with the scenario runner.
 */
#ifndef IOMMUSIM_IOMMUSIM_H
#define IOMMUSIM_IOMMUSIM_H

#define IOMMUSIM_VERSION_MAJOR 0
#define IOMMUSIM_VERSION_MINOR 1
#define IOMMUSIM_VERSION "0.1.0"

#include "check/violation.h"
#include "sim/sim.h"

#endif
