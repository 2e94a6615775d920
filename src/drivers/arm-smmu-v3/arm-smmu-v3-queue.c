// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: the consumer side of the event and PRI queues (Linux
 * queue_remove_raw(), queue_sync_prod_in(), queue_sync_cons_ovf() and the
 * loop of arm_smmu_evtq_thread() / arm_smmu_priq_thread()).
 *
 * The SMMU is the producer (PROD, with OVFLG toggled when it drops
 * records on a full queue, §7.4); software consumes and moves CONS.  The
 * driver keeps shadow copies in q->llq: llq.prod is the PROD last read,
 * llq.cons what it wrote to CONS.  Each entry is copied out and CONS is
 * moved past it before the entry is handled, as Linux does, so the slot
 * is free for the SMMU while the (possibly sleeping) handler runs.  An
 * overflow is noticed when PROD.OVFLG differs from the shadow's, and
 * acknowledged at the end of the pass by setting CONS.OVACKFLG to it:
 *
 *   do {
 *       while (an entry between llq.cons and llq.prod)
 *           copy it, CONS++ (written), handle it;
 *       read PROD; OVFLG changed -> overflow callback;
 *   } while (not empty);
 *   CONS.OVACKFLG = PROD.OVFLG (written)
 *
 * q->consume_lock is held for the whole pass: the IRQ thread and a fault
 * fence (arm_smmu_fault_fence()) never consume the same entry, and a
 * fence that takes the lock knows the thread's pass before it is over.
 */
#include <errno.h>
#include <string.h>

#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

static u32 q_wrp_idx(const struct arm_smmu_ll_queue *q, u32 p)
{
	return p & ((2u << q->max_n_shift) - 1);
}

static u32 q_idx(const struct arm_smmu_ll_queue *q, u32 p)
{
	return p & ((1u << q->max_n_shift) - 1);
}

static bool queue_empty(const struct arm_smmu_ll_queue *q)
{
	return q_wrp_idx(q, q->prod) == q_wrp_idx(q, q->cons);
}

/* CONS + 1 with the wrap bit, keeping our OVACKFLG (Linux queue_inc_cons()). */
static void queue_inc_cons(struct arm_smmu_ll_queue *q)
{
	u32 cons = q_wrp_idx(q, q->cons) + 1;

	q->cons = SMMUV3_Q_OVF(q->cons) | q_wrp_idx(q, cons);
}

static void queue_sync_cons_out(struct arm_smmu_device *smmu, struct arm_smmu_queue *q)
{
	arm_smmu_writel(smmu, q->cons_reg, q->llq.cons);
}

/* Read PROD; -EOVERFLOW when its OVFLG moved since the last read. */
static int queue_sync_prod_in(struct arm_smmu_device *smmu, struct arm_smmu_queue *q)
{
	u32 prod = arm_smmu_readl(smmu, q->prod_reg);
	int ret = 0;

	if (SMMUV3_Q_OVF(prod) != SMMUV3_Q_OVF(q->llq.prod))
		ret = -EOVERFLOW;
	q->llq.prod = prod;
	return ret;
}

/* Acknowledge an overflow: CONS.OVACKFLG := PROD.OVFLG. */
static void queue_sync_cons_ovf(struct arm_smmu_device *smmu, struct arm_smmu_queue *q)
{
	struct arm_smmu_ll_queue *llq = &q->llq;

	llq->cons = SMMUV3_Q_OVF(llq->prod) | q_wrp_idx(llq, llq->cons);
	queue_sync_cons_out(smmu, q);
}

/* Copy the entry at CONS into @ent and consume it; -EAGAIN when empty. */
static int queue_remove_raw(struct arm_smmu_device *smmu, struct arm_smmu_queue *q, u64 *ent)
{
	const u64 *slot;

	if (queue_empty(&q->llq))
		return -EAGAIN;
	slot = q->base + (size_t)q_idx(&q->llq, q->llq.cons) * q->ent_dwords;
	dma_rmb();
	memcpy(ent, slot, q->ent_dwords * sizeof(*ent));
	queue_inc_cons(&q->llq);
	queue_sync_cons_out(smmu, q);
	return 0;
}

/** arm_smmu_queue_consume() - see arm-smmu-v3.h. */
bool arm_smmu_queue_consume(struct arm_smmu_device *smmu, struct arm_smmu_queue *q,
			    arm_smmu_queue_handler_fn handle,
			    arm_smmu_queue_overflow_fn overflow)
{
	u64 ent[EVTQ_ENT_DWORDS];
	bool ovf = false;

	if (WARN_ON(q->ent_dwords > ARRAY_SIZE(ent)))
		return false;
	mutex_lock(&q->consume_lock);
	do {
		while (!queue_remove_raw(smmu, q, ent))
			handle(smmu, ent);
		if (queue_sync_prod_in(smmu, q) == -EOVERFLOW) {
			ovf = true;
			overflow(smmu);
		}
	} while (!queue_empty(&q->llq));
	queue_sync_cons_ovf(smmu, q);
	mutex_unlock(&q->consume_lock);
	return ovf;
}
