/* SPDX-License-Identifier: MIT */
/*
 * IRQ_STORM (DESIGN.md section 6): more than a set number of interrupts on
 * one line within a window of virtual time in which no fault was handled.
 *
 * "A fault handled" is what the hardware can see of progress on a source
 * of the line: software cleared a recorded fault (an SMMUv2 FSR fault bit
 * or MULTI written 1), or resumed or terminated a stalled transaction
 * (SMMU_CBn_RESUME).  A delivery that finds nothing new - the level kept
 * high by FSR.SS alone, or by a fault already reported - is no progress,
 * whatever the handler returns: a handler that reports the same stall
 * again (IRQ_HANDLED) storms as surely as one that returns IRQ_NONE.
 *
 * One report per line per run.  Checkers only observe: the watch hooks the
 * line's deliveries (sim_irq_observe()) and the SMMU's events.
 */
#ifndef IOMMUSIM_CHECK_IRQ_STORM_H
#define IOMMUSIM_CHECK_IRQ_STORM_H

#include "sim/sim.h"

struct smmuv2;

#define IRQ_STORM_DEFAULT_COUNT		1000
#define IRQ_STORM_DEFAULT_WINDOW	(1ULL * 1000000ULL)	/* 1 ms */

/**
 * struct irq_storm_cfg - the threshold.
 * @count:  deliveries allowed within @window without progress (>= 1).
 * @window: ns of virtual time (>= 1).
 */
struct irq_storm_cfg {
	unsigned count;
	sim_time_t window;
};

struct irq_storm;

/**
 * irq_storm_watch() - watch @line: report IRQ_STORM when a delivery makes
 * more than @cfg->count within @cfg->window since the last progress.
 * Return: the watch (freed with @s), or NULL (-EINVAL for a zero count or
 * window, -ENOMEM).  Context: set-up or task; not a scheduling point.
 */
struct irq_storm *irq_storm_watch(struct sim *s, struct sim_irq *line,
				  const struct irq_storm_cfg *cfg);

/** irq_storm_progress() - a fault was handled on a source of the watched line. */
void irq_storm_progress(struct irq_storm *w);

/**
 * irq_storm_watch_smmuv2() - watch every line @smmu's context banks drive,
 * with progress from its FSR clears and RESUMEs.
 * Return: 0, or -ENOMEM / -ENOSPC (no observer slot left).
 */
int irq_storm_watch_smmuv2(struct sim *s, struct smmuv2 *smmu, const struct irq_storm_cfg *cfg);

#endif
