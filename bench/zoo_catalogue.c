// SPDX-License-Identifier: MIT
/*
 * The zoo's catalogue (see zoo.h and docs/zoo.md): every known bug the
 * issue #7 lists, in its order.  Budgets: the bench stops an entry's
 * search at max_runs runs or max_wall_s wall seconds per strategy; the
 * test asserts detection within test_runs seeds per strategy and the fixed
 * counterpart clean over as many.
 */
#include "zoo.h"

#include <stddef.h>

const char *const zoo_strategies[2] = { "random", "pct:3" };

const struct zoo_entry zoo_entries[] = {
	{
		.name = "atc_timeout=ignore",
		.what = "the driver before seed 003: skip the ATC timeout, keep sending ATC_INV",
		.scenario = "atc-timeout-ignore",
		.bug_policy = { "atc_timeout=ignore" },
		.fixed_policy = { "atc_timeout=quarantine-retry" },
		.want = { "STALE_DMA_WRITE", "STALE_DMA_READ" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "atc_batch_sync=deferred",
		.what = "an ATC batch without its own CMD_SYNC (seed 004): the culprit is missed",
		.scenario = "deferred-sync",
		.bug_policy = { "atc_batch_sync=deferred" },
		.fixed_policy = { "atc_batch_sync=per-batch" },
		.want = { "STALE_DMA_WRITE", "STALE_DMA_READ" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "cmdq_err_coclear=off",
		.what = "GERROR IRQ on the issuing CPU, no co-clear (seed 003 patch 15): -ETIMEDOUT, no quarantine",
		.scenario = "gerror-same-cpu-nococlear",
		.bug_policy = { "cmdq_err_coclear=off" },
		.fixed_policy = { "cmdq_err_coclear=on" },
		.want = { "STALE_DMA_WRITE", "STALE_DMA_READ" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "sync-bit-not-cleared",
		.what = "atc_sync_timeouts bit not cleared before the CMD_SYNC slot is published (seed 003 patch 12)",
		.scenario = "sync-bit-stale",
		.bug_bugs = { "sync-bit-not-cleared" },
		.want = { "expect:not_quarantined nvme0" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "failed-reset-unblocks",
		.what = "a failed reset unblocks the device (seed 003: done(err) must keep it blocked)",
		.scenario = "failed-reset",
		.bug_bugs = { "failed-reset-unblocks" },
		.want = { "QUARANTINE_ESCAPE" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "probe-reset-touches-iommu",
		.what = "a probe-mode reset runs the IOMMU reset hooks (seed 003 patch 01)",
		.scenario = "probe-reset",
		.bug_bugs = { "probe-reset-touches-iommu" },
		.want = { "expect:at_end nic0" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "stale-broken-report",
		.what = "a broken report from before a successful reset re-quarantines the recovered device",
		.scenario = "stale-broken-report",
		.bug_bugs = { "stale-broken-report" },
		.want = { "STALE_QUARANTINE" },
		.max_runs = 8000, .max_wall_s = 10, .test_runs = 30,
	},
	{
		.name = "iopf_drain=none",
		.what = "replace on a stall master with faults in flight, no drain (seed 000)",
		.scenario = "iopf-replace-stall",
		.bug_policy = { "iopf_drain=none" },
		.fixed_policy = { "iopf_drain=ordered" },
		.want = { "USE_AFTER_FREE" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 20,
	},
	{
		.name = "iopf_drain=flush-wq",
		.what = "replace with a bare iopf_queue_flush_dev() (the patch of seed 000)",
		.scenario = "iopf-replace-stall",
		.bug_policy = { "iopf_drain=flush-wq" },
		.fixed_policy = { "iopf_drain=ordered" },
		.want = { "FAULT_WRONG_DOMAIN", "USE_AFTER_FREE" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 20,
	},
	{
		.name = "iopf_discard=discard",
		.what = "a released PASID's partial page requests dropped, not answered (seed 001)",
		.scenario = "iopf-pasid-partial",
		.bug_policy = { "iopf_discard=discard" },
		.fixed_policy = { "iopf_discard=respond" },
		.want = { "PRQ_UNANSWERED" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 20,
	},
	{
		.name = "cfie_mask=none",
		.what = "SMMUv2 stall: FSR.SS keeps the context interrupt asserted (seed 002)",
		.scenario = "smmuv2-stall-none",
		.bug_policy = { "cfie_mask=none" },
		.fixed_policy = { "cfie_mask=locked" },
		.want = { "IRQ_STORM" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{
		.name = "cfie_mask=unlocked",
		.what = "SMMUv2 stall: CFIE masked without cb_lock, the shared-line race (seed 002)",
		.scenario = "smmuv2-stall-unlocked",
		.bug_policy = { "cfie_mask=unlocked" },
		.fixed_policy = { "cfie_mask=locked" },
		.want = { "IRQ_STORM" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 20,
	},
	{
		.name = "cmdq-unlock-resets-lock",
		.what = "CMDQ exclusive unlock sets the lock to 0, erasing waiting shared lockers "
			"(Linux df180b1a4cc5, 2025)",
		.scenario = "cmdq-lock-contention",
		/* The starvation needs a shared locker to arrive during an
		 * exclusive hold: most random runs, about 1 in 700 pct:3 runs. */
		.bug_bugs = { "cmdq-unlock-resets-lock" },
		.want = { "SOFT_LOCKUP" },
		.max_runs = 2000, .max_wall_s = 10, .test_runs = 20,
	},
	{
		.name = "cmdq-wait-not-full",
		.what = "wait for CMDQ 'not full' instead of n free slots: a stuck queue is never "
			"reported (Linux fix of 2025, Jacob Pan)",
		.scenario = "cmdq-wait-space",
		.bug_bugs = { "cmdq-wait-not-full" },
		.want = { "expect:log \"CMDQ timeout\"" },
		.max_runs = 200, .max_wall_s = 10, .test_runs = 3,
	},
	{ .name = NULL },
};
