// SPDX-License-Identifier: MIT
/*
 * SMMUv3 global errors (§7.5 Global error recording), interrupt signalling
 * (§3.18 Interrupts and notifications: wired lines and MSI writes),
 * Service Failure Mode (§12.3) and hardware reset.
 *
 * GERROR[x] toggles when error x becomes active; x is active while
 * GERROR[x] != GERRORN[x]; software acknowledges by toggling GERRORN[x].
 * An error that is already active is not activated again (§7.5).
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <string.h>

/**
 * smmuv3_signal_irq() - signal interrupt @irq.
 * @irq:	which output (for the wired line).
 * @msi_addr:	MSI target address; 0 (or an SMMU without IDR0.MSI) selects
 *		the wired line instead.
 * @data:	the 32-bit MSI payload.
 * @abt_bit:	GERROR bit to activate if the MSI write is aborted (0: none).
 *
 * Models §3.18: an MSI is a 32-bit write of @data to @msi_addr (bits [1:0]
 * and bits above ADDR[51:2] taken as zero), visible as a memory write
 * (sim_wfe_notify()); an external abort on it activates @abt_bit.  A wired
 * interrupt is an edge on cfg.irq[@irq] (nothing when the line is not
 * wired).  Counts stats.msi_writes (writes attempted) or stats.irqs_raised
 * (wired signals, wired line or not).
 * Context: any; not a scheduling point.
 */
void smmuv3_signal_irq(struct smmuv3 *smmu, enum smmuv3_irq irq, uint64_t msi_addr,
		       uint32_t data, uint32_t abt_bit)
{
	if (!(smmu->idr0 & SMMUV3_IDR0_MSI))
		msi_addr = 0;
	msi_addr &= SMMUV3_IRQ_CFG0_ADDR;
	if (msi_addr) {
		smmu->stats.msi_writes++;
		if (hw_mem_write(smmu->mem, msi_addr, &data, sizeof(data))) {
			if (abt_bit)
				smmuv3_gerror_activate(smmu, abt_bit);
			return;
		}
		sim_wfe_notify();
		return;
	}
	smmu->stats.irqs_raised++;
	if (irq < SMMUV3_NR_IRQS && smmu->cfg.irq[irq])
		sim_irq_raise(smmu->cfg.irq[irq]);
}

/* §7.5.1: the GERROR interrupt, when IRQ_CTRLACK.GERROR_IRQEN is set. */
static void gerror_irq(struct smmuv3 *smmu)
{
	if (!(smmu->irq_ctrlack & SMMUV3_IRQ_CTRL_GERROR_IRQEN))
		return;
	smmuv3_signal_irq(smmu, SMMUV3_IRQ_GERROR, smmu->gerror_irq_cfg0,
			  smmu->gerror_irq_cfg1, SMMUV3_GERROR_MSI_GERROR_ABT_ERR);
}

/**
 * smmuv3_gerror_activate() - make global error @bit active.
 * @bit:	one SMMUV3_GERROR_* bit.
 *
 * Models §7.5: if the error is inactive, GERROR[@bit] toggles (counted in
 * stats.gerrors) and the GERROR interrupt is signalled (MSI to
 * GERROR_IRQ_CFG0.ADDR with GERROR_IRQ_CFG1 data when IDR0.MSI and the
 * address is non-zero, else the wired line) if IRQ_CTRLACK.GERROR_IRQEN;
 * MSI_GERROR_ABT_ERR never signals (§7.5.1).  An active error is left
 * alone: the new occurrence is not logged.
 * Context: any; not a scheduling point.
 */
void smmuv3_gerror_activate(struct smmuv3 *smmu, uint32_t bit)
{
	if (smmuv3_gerror_active(smmu, bit))
		return;
	smmu->gerror ^= bit;
	smmu->stats.gerrors++;
	if (bit != SMMUV3_GERROR_MSI_GERROR_ABT_ERR)
		gerror_irq(smmu);
}

/**
 * smmuv3_gerrorn_written() - software wrote GERRORN: act on what the
 * acknowledgement changed.
 *
 * Models §7.1 and §6.3.28: once CMDQ_ERR is no longer active the command
 * engine leaves ERROR and resumes at CMDQ_CONS (re-fetching the command
 * there) if the queue is enabled; CMDQ_CONS.ERR keeps its value (it is
 * UNKNOWN while no error is active).  SFM_ERR's acknowledgement does not
 * leave Service Failure Mode (§6.3.19).  Toggling the bit of an inactive
 * CMDQ_ERR (CONSTRAINED UNPREDICTABLE, §6.3.20) is taken as activating it:
 * command consumption stops until it is toggled back.  Stall records
 * waiting for a writable event queue re-check (EVTQ_ABT_ERR acknowledged).
 * Context: any (MMIO path); not a scheduling point.
 */
void smmuv3_gerrorn_written(struct smmuv3 *smmu)
{
	bool active = smmuv3_gerror_active(smmu, SMMUV3_GERROR_CMDQ_ERR);

	/* An acknowledged EVTQ_ABT_ERR makes the event queue writable again. */
	smmuv3_evtq_cons_written(smmu);
	if (smmu->sfm)
		return;
	if (smmu->cmdq_state == SMMUV3_CMDQ_ERROR && !active) {
		smmu->cmdq_state = SMMUV3_CMDQ_IDLE;
		smmuv3_cmdq_kick(smmu);
	} else if (smmu->cmdq_state == SMMUV3_CMDQ_IDLE && active) {
		smmu->cmdq_state = SMMUV3_CMDQ_ERROR;
	}
}

/* Forget every ATC invalidation in flight; completions for them are late. */
static void atc_inv_drop_all(struct smmuv3 *smmu)
{
	memset(smmu->atc_inv, 0, sizeof(smmu->atc_inv));
	for (int i = 0; i < smmu->nports; i++)
		smmu->ports[i].itags_busy = 0;
}

/*
 * The engine leaves whatever it waited for (it re-reads its state); the
 * command in progress is abandoned, so a CMDQEN 1 -> 0 Update deferred
 * until its end completes now.
 */
static void cmdq_interrupt(struct smmuv3 *smmu, enum smmuv3_cmdq_state st)
{
	smmu->cmdq_state = st;
	if (!(smmu->cr0 & SMMUV3_CR0_CMDQEN))
		smmu->cr0ack &= ~SMMUV3_CR0_CMDQEN;
	sim_timer_cancel(&smmu->cmdq_timer);
	smmuv3_cmdq_kick(smmu);
}

/**
 * smmuv3_inject_sfm() - enter Service Failure Mode.
 *
 * Models §12.3 and §6.3.19 SFM_ERR: GERROR.SFM_ERR is activated (with its
 * interrupt); the SMMU stops consuming commands (engine HALTED, the
 * command in progress, if any, is abandoned unconsumed), stalled
 * transactions are terminated, outstanding ATC invalidations are dropped,
 * and the data path terminates traffic until smmuv3_reset().  Registers
 * stay readable and writable.  Idempotent.
 * Context: any (set-up, a task, a timer callback); not a scheduling point.
 */
void smmuv3_inject_sfm(struct smmuv3 *smmu)
{
	if (smmu->sfm)
		return;
	smmu->sfm = true;
	cmdq_interrupt(smmu, SMMUV3_CMDQ_HALTED);
	atc_inv_drop_all(smmu);
	smmuv3_gerror_activate(smmu, SMMUV3_GERROR_SFM_ERR);
	smmuv3_stall_terminate_all(smmu);
	smmuv3_evtq_cons_written(smmu);	/* event-space waiters re-check */
	sim_wfe_notify();
}

/**
 * smmuv3_reset() - a hardware reset.
 *
 * Models a reset of the whole SMMU: every register to its reset value
 * (smmuv3_regs_reset()), Service Failure Mode left, the command engine
 * back to IDLE (a command in progress is abandoned), configuration cache
 * and TLB emptied, stalls terminated, outstanding ATC invalidations
 * dropped (their completions then count as late).  Counters (stats,
 * mmio_bad) and endpoint ports are kept.
 * Context: any; not a scheduling point.
 */
void smmuv3_reset(struct smmuv3 *smmu)
{
	smmuv3_regs_reset(smmu);
	smmu->sfm = false;
	cmdq_interrupt(smmu, SMMUV3_CMDQ_IDLE);
	atc_inv_drop_all(smmu);
	smmuv3_cfg_flush(smmu);
	smmuv3_tlb_flush(smmu);
	smmuv3_stall_terminate_all(smmu);
	smmuv3_evtq_cons_written(smmu);
	sim_wfe_notify();
}
