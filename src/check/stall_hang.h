/* SPDX-License-Identifier: MIT */
/*
 * STALL_HANG (DESIGN.md section 6): a stalled transaction that was never
 * resumed or terminated.
 *
 * "Never" is bounded: a transaction an SMMUv2 context bank holds (FSR.SS)
 * for longer than the scenario's stall_timeout is a hang - software had
 * every chance to RESUME it.  The check runs when the bound expires (a
 * timer per stall), so it also catches a stall held at the end of the run
 * for longer than the bound; a stall younger than the bound when the run
 * ends is not reported (it may be in the middle of being handled).  The
 * report says why no handler is coming when the bank shows it: SCTLR.CFIE
 * clear (the interrupt that would report the fault is masked), or no
 * fault bit set and SS not asserting the interrupt (nothing to signal).
 *
 * Checkers only observe: the watch is an SMMUv2 observer plus timers; the
 * timers never wake a task.
 */
#ifndef IOMMUSIM_CHECK_STALL_HANG_H
#define IOMMUSIM_CHECK_STALL_HANG_H

#include "sim/sim.h"

struct smmuv2;

#define STALL_HANG_DEFAULT_TIMEOUT	(10ULL * 1000000ULL)	/* 10 ms */

/**
 * stall_hang_watch_smmuv2() - report STALL_HANG for any transaction
 * @smmu holds longer than @timeout ns (>= 1).
 * Return: 0, -EINVAL (zero timeout), -ENOMEM, -ENOSPC (no observer slot).
 * Context: set-up or task; not a scheduling point.
 */
int stall_hang_watch_smmuv2(struct sim *s, struct smmuv2 *smmu, sim_time_t timeout);

struct smmuv3;

/**
 * stall_hang_watch_smmuv3() - report STALL_HANG for any transaction an
 * SMMUv3 holds stalled (event record written, no CMD_RESUME yet) for
 * longer than @timeout ns (>= 1): the driver or the IOPF core never
 * answered the fault (SMMUv3 §3.12.2: a stall is held until software
 * resumes or terminates it).  Same rules as for SMMUv2: checked when the
 * bound expires; a stall younger than the bound at the end is not
 * reported; one report per SMMU.
 * Return: 0, -EINVAL (zero timeout), -ENOMEM, -EBUSY (an observer is set).
 * Context: set-up or task; not a scheduling point.
 */
int stall_hang_watch_smmuv3(struct sim *s, struct smmuv3 *smmu, sim_time_t timeout);

#endif
