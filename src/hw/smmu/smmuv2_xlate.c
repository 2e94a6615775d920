// SPDX-License-Identifier: MIT
/*
 * SMMUv2 transaction path: stream indexing (S2CR[SID]), the context bank
 * (SCTLR.M, TTBR0), the table walk of hw/pgtable.h, and on a context
 * fault the bank's recording and, with SCTLR.CFCFG = 1, the stall
 * (smmuv2_cb.c).  sCR0.CLIENTPD = 1 lets every transaction bypass.
 */
#include "hw/smmu/smmuv2_internal.h"

#include <errno.h>

#include "hw/pgtable.h"

/* A translated (or bypassed) access to memory. */
static int do_access(struct smmuv2 *smmu, const struct smmuv2_txn *t, uint64_t pa,
		     uint64_t gen, uint8_t perm, void *buf, unsigned len)
{
	struct hw_xlate x = {
		.iova = t->iova & HW_PAGE_MASK, .pa = pa, .gen = gen,
		.made_at = sim_now(), .perm = perm,
		.src = gen == HW_GEN_ANY ? HW_XLATE_BYPASS : HW_XLATE_WALK,
	};
	struct hw_dma d = { .device = t->device, .sid = t->sid, .iova = t->iova,
			    .write = t->write, .x = &x };

	return hw_mem_dma(smmu->mem, &d, buf, len);
}

static int bypass(struct smmuv2 *smmu, const struct smmuv2_txn *t, void *buf, unsigned len)
{
	smmu->stats.bypassed++;
	return do_access(smmu, t, t->iova & HW_PAGE_MASK, HW_GEN_ANY,
			 HW_PERM_R | HW_PERM_W, buf, len);
}

static uint32_t fault_bit(enum hw_pt_fault f)
{
	switch (f) {
	case HW_PT_PERMISSION:
		return SMMUV2_FSR_PF;
	case HW_PT_ACCESS:
		return SMMUV2_FSR_AFF;
	case HW_PT_WALK_EABT:
		return SMMUV2_FSR_EF;
	default:
		return SMMUV2_FSR_TF;
	}
}

/* Translate through bank @cb, stalling as told.  0, or -EFAULT. */
static int cb_translate(struct smmuv2 *smmu, unsigned cb, const struct smmuv2_txn *t,
			void *buf, unsigned len)
{
	struct smmuv2_cb *c = &smmu->cb[cb];

	for (;;) {
		struct hw_pt_walk wp;

		smmuv2_cb_wait_idle(smmu, cb);
		if (!(c->sctlr & SMMUV2_SCTLR_M)) {
			smmuv2_cb_retry_done(smmu, cb);
			return bypass(smmu, t, buf, len);
		}
		if (smmu->cfg.walk_ns)
			sim_delay(smmu->cfg.walk_ns);
		hw_pgtable_walk(smmu->mem, c->ttbr0 & SMMUV2_TTBRn_BADDR, t->iova,
				t->write ? HW_PERM_W : HW_PERM_R, false, &wp);
		if (wp.fault == HW_PT_OK) {
			smmuv2_cb_retry_done(smmu, cb);
			smmu->stats.translated++;
			return do_access(smmu, t, wp.pa, hw_mem_gen(smmu->mem, wp.pa),
					 wp.perm, buf, len);
		}
		if (!smmuv2_cb_fault(smmu, cb, t, fault_bit(wp.fault))) {
			smmuv2_cb_retry_done(smmu, cb);
			smmu->stats.aborts++;
			return -EFAULT;
		}
		if (!smmuv2_cb_stall(smmu, cb, t)) {
			smmu->stats.aborts++;
			return -EFAULT;
		}
		/* RESUME retry: translate again (the bank is RETRYING for us). */
	}
}

int smmuv2_access(struct smmuv2 *smmu, const struct smmuv2_txn *t, void *buf, unsigned len)
{
	uint32_t s2cr, cb;

	sim_point();
	smmu->stats.transactions++;
	if (t->sid >> smmu->cfg.sid_bits)
		return -EINVAL;
	if (smmu->scr0 & SMMUV2_sCR0_CLIENTPD)
		return bypass(smmu, t, buf, len);
	s2cr = smmu->s2cr[t->sid];
	switch (FIELD_GET(SMMUV2_S2CR_TYPE, s2cr)) {
	case SMMUV2_S2CR_TYPE_TRANS:
		cb = FIELD_GET(SMMUV2_S2CR_CBNDX, s2cr);
		if (cb < smmu->cfg.num_cbs)
			return cb_translate(smmu, cb, t, buf, len);
		break;
	case SMMUV2_S2CR_TYPE_BYPASS:
		return bypass(smmu, t, buf, len);
	default:
		break;
	}
	smmu->stats.aborts++;		/* a global fault: not modelled further */
	return -EFAULT;
}
