// SPDX-License-Identifier: MIT
/*
 * SMMUv2 context bank: fault recording (FSR, FAR, FSYNR0), stall-on-fault
 * and RESUME, the context interrupt level, and the invariant of the
 * stalled-transaction lifecycle drawn in smmuv2.h.
 *
 * Sources: Arm IHI 0062 SMMU_CBn_SCTLR (M, CFRE, CFIE, CFCFG), SMMU_CBn_FSR
 * (fault bits and MULTI write-1-to-clear; SS cleared by a write to
 * SMMU_CBn_RESUME), SMMU_CBn_RESUME (TERMINATE); the implementation
 * option where SS asserts the interrupt is the one seed
 * 002_e9443f211b61e295 works around ("On some implementations FSR.SS
 * asserts a context fault interrupt").
 */
#include "hw/smmu/smmuv2_internal.h"

#include <stdio.h>

#include "trace/trace.h"

/* The bank's context interrupt output, from its registers. */
static bool cb_irq_level(const struct smmuv2 *smmu, const struct smmuv2_cb *c)
{
	if (!(c->sctlr & SMMUV2_SCTLR_CFIE))
		return false;
	if (c->fsr & SMMUV2_FSR_W1C)
		return true;
	return smmu->cfg.ss_asserts_irq && (c->fsr & SMMUV2_FSR_SS);
}

void smmuv2_cb_update_irq(struct smmuv2 *smmu, unsigned cb)
{
	struct smmuv2_cb *c = &smmu->cb[cb];
	struct sim_irq *line = smmu->cfg.cb_irq[cb];
	bool lvl = cb_irq_level(smmu, c), any = false;

	if (lvl && !c->irq_out)
		smmu->stats.irq_assertions++;
	c->irq_out = lvl;
	if (!line)
		return;
	for (unsigned i = 0; i < smmu->cfg.num_cbs; i++)
		if (smmu->cfg.cb_irq[i] == line)
			any |= smmu->cb[i].irq_out;
	if (any != line->level_asserted)
		sim_irq_set_level(line, any);
}

/* Wake every transaction queued behind a held one. */
static void cb_wake_waiters(struct smmuv2_cb *c)
{
	for (int i = 0; i < c->nwaiters; i++)
		sim_wake(c->waiters[i]);
	c->nwaiters = 0;
}

static void cb_go_idle(struct smmuv2_cb *c)
{
	c->phase = SMMUV2_CB_IDLE;
	c->held = (struct smmuv2_held){ 0 };
	cb_wake_waiters(c);
}

/* SMMU_CBn_RESUME: retry or terminate the held transaction. */
static void cb_resume(struct smmuv2 *smmu, unsigned cb, uint32_t val)
{
	struct smmuv2_cb *c = &smmu->cb[cb];
	bool terminate = val & SMMUV2_RESUME_TERMINATE;

	if (c->phase != SMMUV2_CB_STALLED) {
		smmu->stats.resumes_ignored++;
		return;
	}
	if (c->fsr & SMMUV2_FSR_W1C)
		smmu->stats.resume_before_clear++;
	if (terminate)
		smmu->stats.resumes_terminate++;
	else
		smmu->stats.resumes_retry++;
	c->fsr &= ~SMMUV2_FSR_SS;
	c->held.rec->resumed = true;
	c->held.rec->terminate = terminate;
	c->held.rec = NULL;
	sim_wake(c->held.task);
	if (terminate)
		cb_go_idle(c);
	else
		c->phase = SMMUV2_CB_RETRYING;
	smmuv2_notify(smmu, cb, SMMUV2_OBS_STALL_END);
	smmuv2_cb_update_irq(smmu, cb);
}

/* SMMU_CBn_FSR: write 1 to clear a fault bit or MULTI; SS is read-only. */
static void cb_fsr_write(struct smmuv2 *smmu, unsigned cb, uint32_t val)
{
	struct smmuv2_cb *c = &smmu->cb[cb];
	uint32_t cleared = c->fsr & val & SMMUV2_FSR_W1C;

	c->fsr &= ~cleared;
	if (cleared)
		smmuv2_notify(smmu, cb, SMMUV2_OBS_FAULT_CLEARED);
	smmuv2_cb_update_irq(smmu, cb);
}

uint32_t smmuv2_cb_read(struct smmuv2 *smmu, unsigned cb, uint32_t reg)
{
	const struct smmuv2_cb *c = &smmu->cb[cb];

	switch (reg) {
	case SMMUV2_CB_SCTLR:
		return c->sctlr;
	case SMMUV2_CB_TTBR0:
		return (uint32_t)c->ttbr0;
	case SMMUV2_CB_TTBR0 + 4:
		return (uint32_t)(c->ttbr0 >> 32);
	case SMMUV2_CB_FSR:
		return c->fsr;
	case SMMUV2_CB_FAR:
		return (uint32_t)c->far;
	case SMMUV2_CB_FAR + 4:
		return (uint32_t)(c->far >> 32);
	case SMMUV2_CB_FSYNR0:
		return c->fsynr0;
	case SMMUV2_CB_RESUME:		/* write-only */
	case SMMUV2_CB_FSYNR1:
		return 0;
	}
	smmu->stats.mmio_bad++;
	return 0;
}

uint64_t smmuv2_cb_read64(struct smmuv2 *smmu, unsigned cb, uint32_t reg)
{
	const struct smmuv2_cb *c = &smmu->cb[cb];

	if (reg == SMMUV2_CB_FAR)
		return c->far;
	if (reg == SMMUV2_CB_TTBR0)
		return c->ttbr0;
	return smmuv2_cb_read(smmu, cb, reg) |
	       (uint64_t)smmuv2_cb_read(smmu, cb, reg + 4) << 32;
}

void smmuv2_cb_write(struct smmuv2 *smmu, unsigned cb, uint32_t reg, uint64_t val)
{
	struct smmuv2_cb *c = &smmu->cb[cb];

	switch (reg) {
	case SMMUV2_CB_SCTLR:
		c->sctlr = (uint32_t)val;
		smmuv2_cb_update_irq(smmu, cb);
		return;
	case SMMUV2_CB_RESUME:
		cb_resume(smmu, cb, (uint32_t)val);
		return;
	case SMMUV2_CB_TTBR0:		/* 64-bit write */
		c->ttbr0 = val;
		return;
	case SMMUV2_CB_FSR:
		cb_fsr_write(smmu, cb, (uint32_t)val);
		return;
	case SMMUV2_CB_FAR:		/* 64-bit write: RW in the architecture */
		c->far = val;
		return;
	case SMMUV2_CB_FSYNR0:
		c->fsynr0 = (uint32_t)val;
		return;
	}
	smmu->stats.mmio_bad++;
}

bool smmuv2_cb_fault(struct smmuv2 *smmu, unsigned cb, const struct smmuv2_txn *t,
		     uint32_t fsr_bit)
{
	struct smmuv2_cb *c = &smmu->cb[cb];

	smmu->stats.faults++;
	trace_instant("fault", "context fault|%s cb%u sid %#x iova %#llx%s", smmuv2_name(smmu), cb, t->sid,
		      (unsigned long long)t->iova, c->fsr & SMMUV2_FSR_FAULT_BITS ? " (MULTI)" : "");
	if (c->fsr & SMMUV2_FSR_FAULT_BITS) {
		/* A fault is already recorded: only MULTI, FAR/FSYNR kept. */
		c->fsr |= SMMUV2_FSR_MULTI;
		smmu->stats.multi++;
	} else {
		c->fsr |= fsr_bit;
		c->far = t->iova;
		c->fsynr0 = t->write ? SMMUV2_FSYNR0_WNR : 0;
	}
	smmuv2_notify(smmu, cb, SMMUV2_OBS_FAULT);
	smmuv2_cb_update_irq(smmu, cb);
	return c->sctlr & SMMUV2_SCTLR_CFCFG;
}

bool smmuv2_cb_stall(struct smmuv2 *smmu, unsigned cb, const struct smmuv2_txn *t)
{
	struct smmuv2_cb *c = &smmu->cb[cb];
	struct sim_wait w = { "RESUME of its stalled transaction on", smmu->name, c, NULL };
	struct smmuv2_resume_rec rec = { false, false };

	c->phase = SMMUV2_CB_STALLED;
	c->held = (struct smmuv2_held){ .task = sim_current(), .txn = t, .since = sim_now(),
					.rec = &rec };
	c->fsr |= SMMUV2_FSR_SS;
	smmu->stats.stalls++;
	smmuv2_notify(smmu, cb, SMMUV2_OBS_STALL_BEGIN);
	smmuv2_cb_update_irq(smmu, cb);
	while (!rec.resumed)
		sim_block(&w, false);
	/* Terminate: the bank went idle at the RESUME write. */
	return !rec.terminate;
}

void smmuv2_cb_retry_done(struct smmuv2 *smmu, unsigned cb)
{
	struct smmuv2_cb *c = &smmu->cb[cb];

	if (c->phase == SMMUV2_CB_RETRYING && c->held.task == sim_current())
		cb_go_idle(c);
}

void smmuv2_cb_wait_idle(struct smmuv2 *smmu, unsigned cb)
{
	struct smmuv2_cb *c = &smmu->cb[cb];
	struct sim_wait w = { "a stalled transaction ahead of it on", smmu->name, c, NULL };

	while (c->phase != SMMUV2_CB_IDLE && c->held.task != sim_current()) {
		if (c->nwaiters < (int)(sizeof(c->waiters) / sizeof(c->waiters[0])))
			c->waiters[c->nwaiters++] = sim_current();
		sim_block(&w, false);
	}
}

const char *smmuv2_cb_invariant(const struct smmuv2 *smmu)
{
	static char buf[160];

	for (unsigned i = 0; i < smmu->cfg.num_cbs; i++) {
		const struct smmuv2_cb *c = &smmu->cb[i];
		bool ss = c->fsr & SMMUV2_FSR_SS;

		if (ss != (c->phase == SMMUV2_CB_STALLED))
			return snprintf(buf, sizeof(buf), "%s cb%u: FSR.SS=%d in phase %d",
					smmu->name, i, ss, c->phase), buf;
		if (c->phase == SMMUV2_CB_STALLED &&
		    (!c->held.task || !c->held.rec || c->held.rec->resumed))
			return snprintf(buf, sizeof(buf),
					"%s cb%u: stalled, but its transaction is not held",
					smmu->name, i), buf;
		if (c->phase == SMMUV2_CB_IDLE && c->held.task)
			return snprintf(buf, sizeof(buf), "%s cb%u: idle with a held transaction",
					smmu->name, i), buf;
		if (c->irq_out != cb_irq_level(smmu, c))
			return snprintf(buf, sizeof(buf), "%s cb%u: interrupt output %d, registers say %d",
					smmu->name, i, c->irq_out, cb_irq_level(smmu, c)), buf;
	}
	return NULL;
}
