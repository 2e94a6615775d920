// SPDX-License-Identifier: MIT
/*
 * SMMUv3 event queue producer (§3.5.3, §7.2, §7.4).
 *
 * The queue is writable while EVTQEN is effective (CR0ACK), it is not
 * full and no EVTQ_ABT_ERR is active (§7.2.1).  A record that cannot be
 * written is discarded, except a stall record:
 *
 *   not writable, non-stall record:
 *     full ............ overflow: PROD.OVFLG toggled unless an overflow
 *                       is already active (OVFLG != CONS.OVACKFLG), the
 *                       record lost (stats.events_lost) (§7.4)
 *     disabled/abort .. silently discarded, no overflow (§7.2.1, §7.4)
 *   not writable, stall record:
 *     the record is not committed; the stalled transaction waits until
 *     the queue is writable and is then retried as though it had just
 *     arrived (§3.12.2, §7.2.1), so its fault is recorded afresh - or not
 *     at all if it now translates.  Stall records never overflow (§7.4).
 *
 * A write abort activates GERROR.EVTQ_ABT_ERR and is synchronous: PROD
 * does not move, the record is lost (§7.2.2); the queue stays enabled
 * but is not writable until software acknowledges the error.
 *
 * The event queue interrupt fires when the queue goes from empty to
 * non-empty (§3.18.2), if IRQ_CTRLACK.EVTQ_IRQEN: an MSI to
 * EVTQ_IRQ_CFG0 with EVTQ_IRQ_CFG1 as data when MSIs are implemented and
 * the address is non-zero, else the wired line.
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>

static bool evtq_writable(const struct smmuv3 *smmu)
{
	return smmuv3_enabled(smmu, SMMUV3_CR0_EVTQEN) &&
	       !smmuv3_q_full(&smmu->evtq) &&
	       !smmuv3_gerror_active(smmu, SMMUV3_GERROR_EVTQ_ABT_ERR);
}

static void evtq_irq(struct smmuv3 *smmu)
{
	uint64_t msi = smmu->cfg.msi ? smmu->evtq_irq_cfg0 & SMMUV3_IRQ_CFG0_ADDR : 0;

	if (smmu->irq_ctrlack & SMMUV3_IRQ_CTRL_EVTQ_IRQEN)
		smmuv3_signal_irq(smmu, SMMUV3_IRQ_EVTQ, msi, smmu->evtq_irq_cfg1,
				  SMMUV3_GERROR_MSI_EVTQ_ABT_ERR);
}

/* Write @ent at PROD and publish it. */
static int evtq_write(struct smmuv3 *smmu, const uint64_t ent[4])
{
	struct smmuv3_queue *q = &smmu->evtq;
	bool was_empty = smmuv3_q_empty(q);

	if (smmuv3_q_write(smmu, q, q->prod, ent)) {
		smmuv3_gerror_activate(smmu, SMMUV3_GERROR_EVTQ_ABT_ERR);
		return -EFAULT;
	}
	q->prod = smmuv3_q_inc(q, q->prod);
	smmu->stats.events++;
	smmuv3_trace_queues(smmu);
	sim_wfe_notify();
	if (was_empty)
		evtq_irq(smmu);
	return 0;
}

/* A non-stall record the queue cannot take. */
static int evtq_discard(struct smmuv3 *smmu)
{
	struct smmuv3_queue *q = &smmu->evtq;

	if (!smmuv3_enabled(smmu, SMMUV3_CR0_EVTQEN) ||
	    smmuv3_gerror_active(smmu, SMMUV3_GERROR_EVTQ_ABT_ERR))
		return -ENODEV;
	if (!(SMMUV3_Q_OVF(q->prod ^ q->cons)))	/* no overflow active yet */
		q->prod ^= SMMUV3_Q_OVERFLOW_FLAG;
	smmu->stats.events_lost++;
	return -ENOSPC;
}

/* The stall slot a stall record belongs to, or NULL. */
static struct smmuv3_stall *stall_of(struct smmuv3 *smmu, const struct smmuv3_event *evt)
{
	for (unsigned i = 0; i < smmu->cfg.stall_max; i++) {
		struct smmuv3_stall *st = &smmu->stalls[i];

		if (st->busy && st->sid == evt->sid && st->stag == evt->stag)
			return st;
	}
	return NULL;
}

/* Whether a stall waiting to record must give up (terminated, disabled). */
static bool stall_cancelled(const struct smmuv3 *smmu, const struct smmuv3_stall *st)
{
	return smmu->sfm || !smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN) ||
	       (st && st->resumed);
}

/**
 * smmuv3_evtq_record() - write event @evt to the event queue.
 * @smmu:	the SMMU.
 * @evt:	the record; for a stall record (@evt->stall) the stall slot
 *		(@evt->sid, @evt->stag) must be held by the calling task.
 *
 * Models §7.2.1 (writability), §7.2.2 (write abort), §7.4 (overflow) and
 * §3.12.2/§3.5.4 (stall records are not committed until the queue is
 * writable), as summarised at the top of this file.  A scheduling point
 * (a queue access by hardware).
 *
 * Return: 0 written (stats.events); -ENOSPC dropped on overflow
 * (stats.events_lost); -ENODEV dropped because EVTQEN is clear or
 * EVTQ_ABT_ERR is active; -EFAULT on a write abort (EVTQ_ABT_ERR
 * activated); -EINVAL when @evt cannot be encoded.  For a stall record
 * that found the queue unwritable: -EAGAIN after waiting until it is
 * writable (nothing written: the caller retries the transaction), or
 * -ECANCELED when the stall was terminated, SMMUEN cleared or SFM entered
 * while it waited.
 * Context: task (blocks only for a stall record).
 */
int smmuv3_evtq_record(struct smmuv3 *smmu, const struct smmuv3_event *evt)
{
	struct sim_wait w = { .what = "event queue space", .name = smmu->name,
			      .obj = &smmu->evtq };
	struct smmuv3_stall *st = NULL;
	bool waited = false;
	uint64_t ent[SMMUV3_EVTQ_ENT_DWORDS];

	if (smmuv3_event_encode(evt, ent))
		return -EINVAL;
	trace_actor_instant(smmu->cmdq_task, "fault", "%s|sid %#x%s addr %#llx%s",
			    smmuv3_event_name(evt->id), evt->sid, evt->ssv ? " with ssid" : "",
			    (unsigned long long)evt->addr, evt->stall ? " (stall)" : "");
	sim_point();
	if (evt->stall)
		st = stall_of(smmu, evt);
	for (;;) {
		if (evt->stall && stall_cancelled(smmu, st))
			return -ECANCELED;
		if (evtq_writable(smmu))
			return waited ? -EAGAIN : evtq_write(smmu, ent);
		if (!evt->stall)
			return evtq_discard(smmu);
		sim_block(&w, false);
		waited = true;
	}
}

/**
 * smmuv3_evtq_cons_written() - the event queue may have become writable:
 * software moved EVTQ_CONS, changed EVTQEN or SMMUEN, or acknowledged
 * EVTQ_ABT_ERR.
 * Wakes every stalled transaction's task to re-check its condition: one
 * whose record waits for the queue is retried once the queue is writable
 * (§7.2.1); a held stall is terminated once SMMUEN is clear (§6.3.9.6).
 * Context: any (register write path); not a scheduling point.
 */
void smmuv3_evtq_cons_written(struct smmuv3 *smmu)
{
	for (unsigned i = 0; i < smmu->cfg.stall_max; i++) {
		struct smmuv3_stall *st = &smmu->stalls[i];

		if (st->busy && st->waiter)
			sim_wake(st->waiter);
	}
}
