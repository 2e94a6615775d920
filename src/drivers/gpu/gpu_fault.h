/* SPDX-License-Identifier: MIT */
/*
 * A GPU driver's IOMMU fault handling, after drm/msm's
 * (adreno_fault_handler() and msm_gpu's fault_worker): on a stall-on-fault
 * context fault it queues work that, after resume_delay (the time a GPU
 * driver spends capturing its crash state), resumes the stalled
 * transaction with retry or terminate through
 * arm_smmu_resume_translation().
 *
 * Modes:
 *   async (resume_delay > 0): the fault handler queues the delayed work
 *        and returns -EAGAIN; a fault reported while the work is pending
 *        is covered by it (queueing a pending work is a no-op), one
 *        reported while it runs queues it again - Linux's workqueue rules;
 *   inline (resume_delay 0): the handler resumes at once, in the IRQ
 *        handler, as drm/msm does once a crash state exists;
 *   sync (for cfie_mask threaded-sync): the handler is called in the IRQ
 *        thread, sleeps resume_delay and returns the decision (0 retry,
 *        -EFAULT terminate); the driver resumes.
 * A fault without FSR.SS needs nothing: the SMMU already aborted it.
 */
#ifndef IOMMUSIM_DRIVERS_GPU_FAULT_H
#define IOMMUSIM_DRIVERS_GPU_FAULT_H

#include "drivers/arm-smmu/arm-smmu.h"

/**
 * struct gpu_fault_config - a client's behaviour.
 * @resume_delay: ns from the fault report to the resume.
 * @terminate:	  resume with TERMINATE (else retry).
 * @sync:	  the driver calls the handler in a thread and resumes itself.
 */
struct gpu_fault_config {
	const char *name;
	u64 resume_delay;
	bool terminate;
	bool sync;
};

struct gpu_client {
	char name[SIM_NAME_LEN];
	struct arm_smmu_domain *domain;
	struct gpu_fault_config cfg;
	struct delayed_work fault_work;
	u64 faults;		/* reports */
	u64 stall_faults;	/* reports with FSR.SS */
	u64 coalesced;		/* reports covered by a pending resume */
	u64 resumes;		/* resume_translation() calls */
};

/**
 * gpu_client_create() - a client of @d: installs its fault handler.
 * Return: the client, or ERR_PTR(-ENOMEM).  Context: process.
 */
struct gpu_client *gpu_client_create(struct arm_smmu_domain *d, const struct gpu_fault_config *cfg);

#endif
