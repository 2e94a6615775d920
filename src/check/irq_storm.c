// SPDX-License-Identifier: MIT
/*
 * The IRQ_STORM checker (irq_storm.h): per watched line, a ring of the
 * times of the last @count deliveries since the last progress.  A new
 * delivery storms when the ring is full and its oldest entry lies within
 * the window: count + 1 deliveries in one window with no fault handled.
 */
#include "check/irq_storm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/violation.h"
#include "hw/smmu/smmuv2.h"
#include "hw/smmu/smmuv2_regs.h"
#include "trace/evlog.h"

struct irq_storm {
	struct sim_irq *line;
	struct irq_storm_cfg cfg;
	sim_time_t *ring;		/* @cfg.count delivery times */
	unsigned head, n;		/* next slot; entries since progress */
	sim_time_t last_progress;
	uint64_t progress;		/* faults handled on the line */
	bool reported;
	/* What keeps the line asserted, for the report (may be NULL). */
	void (*describe)(void *arg, char *buf, size_t len);
	void *describe_arg;
};

static void storm_free(struct sim *s, void *arg)
{
	struct irq_storm *w = arg;

	free(w->ring);
	free(w);
}

static void storm_deliver(struct sim_irq *line, void *arg)
{
	struct irq_storm *w = arg;
	sim_time_t now = sim_now(), oldest;
	char span[32], last[32], why[320] = "";
	struct sim_task *t = line->task;

	if (w->reported)
		return;
	oldest = w->ring[w->head];
	w->ring[w->head] = now;
	w->head = (w->head + 1) % w->cfg.count;
	if (w->n < w->cfg.count) {
		w->n++;
		return;
	}
	if (now - oldest > w->cfg.window)
		return;
	w->reported = true;
	if (w->describe)
		w->describe(w->describe_arg, why, sizeof(why));
	check_report_tasks(sim_cur, V_IRQ_STORM, &t, 1,
			   "irq %s: %u interrupts within %s with no fault handled "
			   "(threshold %u per %s; last fault handled %s%s; %llu deliveries in the run)%s",
			   line->name, w->cfg.count + 1,
			   sim_format_time(now - oldest, span, sizeof(span)), w->cfg.count,
			   sim_format_time(w->cfg.window, last, sizeof(last)),
			   w->progress ? "at " : "never",
			   w->progress ? sim_format_time(w->last_progress, (char[32]){ 0 }, 32) : "",
			   (unsigned long long)line->delivered, why);
}

struct irq_storm *irq_storm_watch(struct sim *s, struct sim_irq *line,
				  const struct irq_storm_cfg *cfg)
{
	struct irq_storm *w;

	if (!cfg->count || !cfg->window) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->ring = calloc(cfg->count, sizeof(*w->ring));
	if (!w->ring || sim_at_destroy(s, storm_free, w)) {
		free(w->ring);
		free(w);
		return NULL;
	}
	w->line = line;
	w->cfg = *cfg;
	sim_irq_observe(line, storm_deliver, w);
	return w;
}

void irq_storm_progress(struct irq_storm *w)
{
	w->n = 0;
	w->progress++;
	w->last_progress = sim_now();
}

/* ---- SMMUv2: progress from FSR clears and RESUMEs ---- */

struct storm_smmuv2 {
	struct smmuv2 *smmu;
	struct irq_storm *w[128];	/* by bank */
};

/* The banks that hold the line up: their FSR and SCTLR.CFIE. */
static void storm_smmuv2_describe(void *arg, char *buf, size_t len)
{
	struct storm_smmuv2 *ss = arg;
	size_t off = 0;

	for (unsigned cb = 0; cb < smmuv2_num_cbs(ss->smmu) && cb < 128; cb++) {
		struct smmuv2_cb_state st;

		if (smmuv2_cb_peek(ss->smmu, cb, &st) || !st.irq_asserted)
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0,
				"; %s cb%u asserts it: FSR=0x%08x%s, SCTLR.CFIE=1",
				smmuv2_name(ss->smmu), cb, st.fsr,
				(st.fsr & ~SMMUV2_FSR_SS) ? "" :
				" (only SS: a stall already reported, not yet resumed)");
	}
}

static void storm_smmuv2_event(void *arg, struct smmuv2 *smmu, unsigned cb,
			       enum smmuv2_obs_event ev)
{
	struct storm_smmuv2 *ss = arg;

	if ((ev == SMMUV2_OBS_FAULT_CLEARED || ev == SMMUV2_OBS_STALL_END) && ss->w[cb])
		irq_storm_progress(ss->w[cb]);
}

static void storm_smmuv2_free(struct sim *s, void *arg)
{
	free(arg);
}

int irq_storm_watch_smmuv2(struct sim *s, struct smmuv2 *smmu, const struct irq_storm_cfg *cfg)
{
	struct storm_smmuv2 *ss = calloc(1, sizeof(*ss));
	struct smmuv2_observer obs = { storm_smmuv2_event, ss };
	unsigned n = smmuv2_num_cbs(smmu);

	if (!ss || sim_at_destroy(s, storm_smmuv2_free, ss)) {
		free(ss);
		return -ENOMEM;
	}
	ss->smmu = smmu;
	for (unsigned cb = 0; cb < n && cb < 128; cb++) {
		struct sim_irq *line = smmuv2_cb_irq(smmu, cb);

		if (!line)
			continue;
		for (unsigned j = 0; j < cb && !ss->w[cb]; j++)
			if (smmuv2_cb_irq(smmu, j) == line)
				ss->w[cb] = ss->w[j];
		if (!ss->w[cb]) {
			ss->w[cb] = irq_storm_watch(s, line, cfg);
			if (!ss->w[cb])
				return -ENOMEM;
			ss->w[cb]->describe = storm_smmuv2_describe;
			ss->w[cb]->describe_arg = ss;
		}
	}
	return smmuv2_observe(smmu, &obs);
}
