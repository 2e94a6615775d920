// SPDX-License-Identifier: MIT
/*
 * The SMMUv2 part of a run (runner_smmuv2.h).
 */
#include "scenario/runner_smmuv2.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/irq_storm.h"
#include "check/stall_hang.h"
#include "drivers/arm-smmu/arm-smmu.h"
#include "drivers/gpu/gpu_fault.h"
#include "hw/smmu/smmuv2.h"
#include "kernel/kernel.h"
#include "trace/evlog.h"

struct run_v2_smmu {
	struct smmuv2 *hw;
	int irqs[SMMUV2_MAX_CBS];
	struct arm_smmu_device *smmu;
};

struct run_v2 {
	const struct scenario *scn;
	const struct run_opts *o;
	struct sim *s;
	struct hw_mem *mem;
	struct run_v2_smmu *smmus;		/* by scenario SMMU index */
	struct smmuv2_master **masters;		/* by scenario device index */
};

static int run_v2_build_smmu(struct run_v2 *v, unsigned int i)
{
	const struct scn_smmu *ss = &v->scn->smmus[i];
	struct run_v2_smmu *rs = &v->smmus[i];
	struct smmuv2_config cfg;
	struct irq_storm_cfg storm = { v->scn->irq_storm_count, v->scn->irq_storm_window };
	int ret;

	smmuv2_config_default(&cfg);
	cfg.name = ss->name;
	cfg.num_cbs = ss->context_banks;
	cfg.sid_bits = ss->sid_bits;
	cfg.ss_asserts_irq = ss->ss_asserts_irq;
	cfg.mmio_ns = ss->mmio_latency;
	cfg.walk_ns = ss->walk_time;
	for (unsigned int cb = 0; cb < ss->context_banks; cb++) {
		char name[SIM_NAME_LEN];

		if (ss->context_irqs == SCN_CONTEXT_IRQS_SHARED && cb) {
			rs->irqs[cb] = rs->irqs[0];
			cfg.cb_irq[cb] = cfg.cb_irq[0];
			continue;
		}
		if (ss->context_irqs == SCN_CONTEXT_IRQS_SHARED)
			snprintf(name, sizeof(name), "%.20s-context", ss->name);
		else
			snprintf(name, sizeof(name), "%.20s-cb%u", ss->name, cb & 127);
		rs->irqs[cb] = irq_line_create(name, (int)ss->context_irq_affinity, &cfg.cb_irq[cb]);
		if (rs->irqs[cb] < 0)
			return rs->irqs[cb];
	}
	rs->hw = smmuv2_create(v->s, v->mem, &cfg);
	if (!rs->hw)
		return -EINVAL;
	ret = irq_storm_watch_smmuv2(v->s, rs->hw, &storm);
	if (!ret)
		ret = stall_hang_watch_smmuv2(v->s, rs->hw, v->scn->stall_timeout);
	return ret;
}

int run_smmuv2_new(const struct scenario *scn, const struct run_opts *o, struct sim *s,
		   struct hw_mem *mem, struct run_v2 **out)
{
	struct run_v2 *v;
	int ret = 0;

	*out = NULL;
	if (!scenario_has_smmuv2(scn))
		return 0;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*out = v;
	v->scn = scn;
	v->o = o;
	v->s = s;
	v->mem = mem;
	v->smmus = calloc(scn->nsmmus, sizeof(*v->smmus));
	v->masters = calloc(scn->ndevices + 1, sizeof(*v->masters));
	if (!v->smmus || !v->masters)
		return -ENOMEM;
	for (unsigned int i = 0; !ret && i < scn->nsmmus; i++)
		if (scn->smmus[i].version == 2)
			ret = run_v2_build_smmu(v, i);
	for (unsigned int d = 0; !ret && d < scn->ndevices; d++) {
		const struct scn_device *sd = &scn->devices[d];

		if (scn->smmus[sd->smmu].version != 2)
			continue;
		v->masters[d] = smmuv2_master_create(s, v->smmus[sd->smmu].hw, sd->name,
						     sd->sids[0]);
		if (!v->masters[d])
			ret = -ENOMEM;
	}
	return ret;
}

static int run_v2_probe(struct run_v2 *v, unsigned int i)
{
	const struct scn_smmu *ss = &v->scn->smmus[i];
	struct run_v2_smmu *rs = &v->smmus[i];
	struct arm_smmu_platform pf = {
		.name = ss->name, .hw = rs->hw, .mem = v->mem,
		.num_context_irqs = (int)ss->context_banks,
		.cfie_mask = (enum arm_smmu_cfie_mask)policy_get(&v->o->policy, POLICY_CFIE_MASK),
	};

	memcpy(pf.irqs, rs->irqs, sizeof(pf.irqs));
	rs->smmu = arm_smmu_v2_device_probe(&pf);
	return IS_ERR(rs->smmu) ? (int)PTR_ERR(rs->smmu) : 0;
}

/* A device's context bank, its stream routing, and its GPU client. */
static int run_v2_device(struct run_v2 *v, unsigned int d)
{
	const struct scn_device *sd = &v->scn->devices[d];
	struct arm_smmu_device *smmu = v->smmus[sd->smmu].smmu;
	struct gpu_fault_config gc = {
		.name = sd->name, .resume_delay = sd->resume_delay,
		.terminate = sd->resume_terminate,
		.sync = policy_get(&v->o->policy, POLICY_CFIE_MASK) == POL_CFIE_MASK_THREADED_SYNC,
	};
	struct arm_smmu_domain *dom = arm_smmu_domain_alloc(smmu, sd->name);
	struct gpu_client *c;
	int ret;

	if (IS_ERR(dom))
		return (int)PTR_ERR(dom);
	ret = arm_smmu_init_domain_context(dom, (int)sd->context_bank, sd->stall);
	for (unsigned int k = 0; !ret && k < sd->nsids; k++)
		ret = arm_smmu_attach_sid(dom, sd->sids[k]);
	if (ret)
		return ret;
	c = gpu_client_create(dom, &gc);
	return IS_ERR(c) ? (int)PTR_ERR(c) : 0;
}

int run_smmuv2_boot(struct run_v2 *v)
{
	int ret = 0;

	if (!v)
		return 0;
	for (unsigned int i = 0; !ret && i < v->scn->nsmmus; i++)
		if (v->scn->smmus[i].version == 2)
			ret = run_v2_probe(v, i);
	for (unsigned int d = 0; !ret && d < v->scn->ndevices; d++)
		if (v->masters[d])
			ret = run_v2_device(v, d);
	return ret;
}

void run_smmuv2_start_workload(struct run_v2 *v)
{
	for (unsigned int w = 0; v && w < v->scn->nwork; w++) {
		const struct scn_work *sw = &v->scn->work[w];
		struct smmuv2_stream st = {
			.iova = RUN_V2_FAULT_IOVA, .npages = sw->pages,
			.write = sw->op == SCN_DMA_WRITE, .interval = sw->interval,
			.count = sw->count, .start = sw->start > sim_now() ? sw->start : sim_now(),
		};

		if (sw->kind != SCN_WORK_FAULT || !v->masters[sw->device])
			continue;
		if (smmuv2_master_add_stream(v->masters[sw->device], &st))
			pr_err("iommusim: %s: fault work not started\n",
			       v->scn->devices[sw->device].name);
	}
}

void run_smmuv2_free(struct run_v2 *v)
{
	if (!v)
		return;
	free(v->smmus);
	free(v->masters);
	free(v);
}
