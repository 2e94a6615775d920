// SPDX-License-Identifier: MIT
/*
 * SMMUv3 queue arithmetic and entry access: the general queue semantics of
 * §3.5 (Command and Event queues), shared by the command, event and PRI
 * queues.
 *
 * A PROD or CONS value holds an entry index in bits [LOG2SIZE-1:0] and the
 * wrap flag in bit [LOG2SIZE]; bits above (CMDQ_CONS.ERR, the overflow
 * flags) belong to the register and are carried along untouched.  The
 * queue is empty when index and wrap of PROD and CONS are equal, full when
 * the indexes are equal and the wraps differ.  Entry n lives at
 * BASE.ADDR + n * entry size, BASE.ADDR aligned to the larger of the queue
 * size in bytes and 32 bytes (§6.3.26 SMMU_CMDQ_BASE.ADDR).
 *
 * Context: any; pure arithmetic and memory accesses, never a scheduling
 * point (the caller takes one when it models a hardware access).
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>

/* Bits [LOG2SIZE:0] of a PROD/CONS value: index and wrap flag. */
static uint32_t q_iw_mask(const struct smmuv3_queue *q)
{
	return (2U << smmuv3_q_log2(q)) - 1;
}

/**
 * smmuv3_q_log2() - the LOG2SIZE in force for @q.
 * @q:	a queue.
 *
 * Models §6.3.26/§6.3.29/§6.3.33 *_BASE.LOG2SIZE: "any use of the value of
 * this field is capped at the maximum" IDR1 gives (@q->max_log2).
 * Return: log2(entries), 0..19.  Context: any.  Pure.
 */
unsigned smmuv3_q_log2(const struct smmuv3_queue *q)
{
	unsigned l = FIELD_GET(SMMUV3_Q_BASE_LOG2SIZE, q->base);

	return l > q->max_log2 ? q->max_log2 : l;
}

/**
 * smmuv3_q_empty() - whether @q holds no entry (§3.5: PROD and CONS have
 * equal index and wrap; other bits such as CONS.ERR are ignored).
 * Context: any.  Pure.
 */
bool smmuv3_q_empty(const struct smmuv3_queue *q)
{
	uint32_t m = q_iw_mask(q);

	return (q->prod & m) == (q->cons & m);
}

/**
 * smmuv3_q_full() - whether @q has no free entry (§3.5: equal indexes,
 * different wrap flags).  Context: any.  Pure.
 */
bool smmuv3_q_full(const struct smmuv3_queue *q)
{
	unsigned l = smmuv3_q_log2(q);
	uint32_t idx = (1U << l) - 1, wrap = 1U << l;

	return (q->prod & idx) == (q->cons & idx) &&
	       (q->prod & wrap) != (q->cons & wrap);
}

/**
 * smmuv3_q_inc() - @p advanced by one entry of @q.
 * @q:	the queue (its LOG2SIZE in force sets the index width).
 * @p:	a PROD or CONS value.
 *
 * Models the index increment of §3.5: past the last entry the index
 * returns to 0 and the wrap flag toggles; with LOG2SIZE 0 an increment
 * only toggles the wrap flag.  Bits outside index|wrap (ERR, OVFLG) are
 * kept.  Return: the new value.  Context: any.  Pure.
 */
uint32_t smmuv3_q_inc(const struct smmuv3_queue *q, uint32_t p)
{
	uint32_t m = q_iw_mask(q);

	return (p & ~m) | (((p & m) + 1) & m);
}

/**
 * smmuv3_q_entry_addr() - physical address of the entry at index @p of @q.
 *
 * Models §6.3.26 SMMU_CMDQ_BASE.ADDR (and EVENTQ/PRIQ alike): bits outside
 * ADDR are zero and the base is aligned to the larger of the queue size in
 * bytes and 32 bytes.  Return: the byte address.  Context: any.  Pure.
 */
uint64_t smmuv3_q_entry_addr(const struct smmuv3_queue *q, uint32_t p)
{
	unsigned l = smmuv3_q_log2(q);
	uint64_t ent_bytes = (uint64_t)q->ent_dwords * 8;
	uint64_t qbytes = ent_bytes << l;
	uint64_t align = qbytes > 32 ? qbytes : 32;
	uint64_t base = (q->base & SMMUV3_Q_BASE_ADDR) & ~(align - 1);

	return base + (uint64_t)SMMUV3_Q_IDX(l, p) * ent_bytes;
}

/**
 * smmuv3_q_read() - read the entry at index @p of @q into @ent
 * (@q->ent_dwords dwords: 16 or 32 bytes).
 * Models a queue read of §3.5 (the command queue's fetch).
 * Return: 0, or -EFAULT when memory returns an external abort (nothing is
 * read then).  Context: any; not a scheduling point.
 */
int smmuv3_q_read(struct smmuv3 *smmu, const struct smmuv3_queue *q, uint32_t p, uint64_t *ent)
{
	return hw_mem_read(smmu->mem, smmuv3_q_entry_addr(q, p), ent, q->ent_dwords * 8);
}

/**
 * smmuv3_q_write() - write @ent (@q->ent_dwords dwords: 16 or 32 bytes)
 * to the entry at index @p of @q.
 * Models a queue write of §3.5 (event and PRI records).
 * Return: 0, or -EFAULT on an external abort (nothing is written).
 * Context: any; not a scheduling point.
 */
int smmuv3_q_write(struct smmuv3 *smmu, const struct smmuv3_queue *q, uint32_t p,
		   const uint64_t *ent)
{
	return hw_mem_write(smmu->mem, smmuv3_q_entry_addr(q, p), ent, q->ent_dwords * 8);
}
