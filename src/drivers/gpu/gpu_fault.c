// SPDX-License-Identifier: MIT
/*
 * A GPU driver's stall-on-fault handling (gpu_fault.h), after drm/msm's
 * adreno_fault_handler() and fault_worker().
 */
#include "drivers/gpu/gpu_fault.h"

#include <stdio.h>

static void gpu_fault_worker(struct work_struct *work)
{
	struct delayed_work *dw = container_of(work, struct delayed_work, work);
	struct gpu_client *c = container_of(dw, struct gpu_client, fault_work);

	c->resumes++;
	arm_smmu_resume_translation(c->domain, c->cfg.terminate);
}

static int gpu_fault_handler(struct arm_smmu_domain *d, unsigned long iova, int flags,
			     const struct arm_smmu_context_fault_info *cfi, void *token)
{
	struct gpu_client *c = token;

	c->faults++;
	if (!(cfi->fsr & SMMUV2_FSR_SS))
		return 0;		/* not stalled: the SMMU aborted it */
	c->stall_faults++;
	if (c->cfg.sync) {
		if (c->cfg.resume_delay)
			usleep_range(DIV_ROUND_UP(c->cfg.resume_delay, 1000),
				     DIV_ROUND_UP(c->cfg.resume_delay, 1000));
		c->resumes++;
		return c->cfg.terminate ? -EFAULT : 0;
	}
	if (!c->cfg.resume_delay) {
		c->resumes++;
		arm_smmu_resume_translation(d, c->cfg.terminate);
		return -EAGAIN;
	}
	/* msm's gpu->worker is an unbound kthread_worker: any CPU */
	if (!queue_delayed_work_ns(system_unbound_wq, &c->fault_work, c->cfg.resume_delay))
		c->coalesced++;
	return -EAGAIN;
}

struct gpu_client *gpu_client_create(struct arm_smmu_domain *d, const struct gpu_fault_config *cfg)
{
	struct gpu_client *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return ERR_PTR(-ENOMEM);
	snprintf(c->name, sizeof(c->name), "%s", cfg->name ? cfg->name : "gpu");
	c->domain = d;
	c->cfg = *cfg;
	c->cfg.name = c->name;
	INIT_DELAYED_WORK(&c->fault_work, gpu_fault_worker);
	arm_smmu_set_fault_handler(d, gpu_fault_handler, c);
	return c;
}
