// SPDX-License-Identifier: MIT
/*
 * The STALL_HANG checker for SMMUv2 context banks (stall_hang.h): a timer
 * per bank armed when a transaction stalls and cancelled when it is
 * resumed; when it fires with the same stall still held, the hang is
 * reported with the bank's state.
 */
#include "check/stall_hang.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/violation.h"
#include "hw/smmu/smmuv2.h"
#include "hw/smmu/smmuv2_regs.h"
#include "trace/evlog.h"

struct hang_bank {
	struct hang_watch *hw;
	unsigned cb;
	struct sim_timer timer;
	sim_time_t since;
};

struct hang_watch {
	struct smmuv2 *smmu;
	sim_time_t timeout;
	bool reported;
	struct hang_bank bank[128];
};

static const char *why_no_handler(const struct smmuv2_cb_state *st, char *buf, size_t len)
{
	if (!(st->sctlr & SMMUV2_SCTLR_CFIE))
		snprintf(buf, len, "SCTLR.CFIE=0: its context interrupt is masked, "
			 "so no handler will see it");
	else if (!st->irq_asserted)
		snprintf(buf, len, "SCTLR.CFIE=1 but no fault bit is set and SS does not "
			 "assert the interrupt: nothing will signal it");
	else
		snprintf(buf, len, "its context interrupt is asserted, but nobody resumes it");
	return buf;
}

static void hang_fire(struct sim_timer *t)
{
	struct hang_bank *b = t->data;
	struct hang_watch *hw = b->hw;
	struct smmuv2_cb_state st;
	char since[32], bound[32], why[160];
	struct sim_task *who[1];

	if (hw->reported || smmuv2_cb_peek(hw->smmu, b->cb, &st) || !st.stalled ||
	    st.stalled_since != b->since)
		return;
	hw->reported = true;
	who[0] = st.waiter;
	check_report_tasks(sim_cur, V_STALL_HANG, who, st.waiter ? 1 : 0,
			   "%s cb%u: %s's transaction to iova 0x%llx stalled at %s and was not "
			   "resumed within %s; FSR=0x%08x SCTLR=0x%08x: %s",
			   smmuv2_name(hw->smmu), b->cb, st.device ? st.device : "?",
			   (unsigned long long)st.iova,
			   sim_format_time(st.stalled_since, since, sizeof(since)),
			   sim_format_time(hw->timeout, bound, sizeof(bound)), st.fsr, st.sctlr,
			   why_no_handler(&st, why, sizeof(why)));
}

static void hang_event(void *arg, struct smmuv2 *smmu, unsigned cb, enum smmuv2_obs_event ev)
{
	struct hang_watch *hw = arg;
	struct hang_bank *b;

	if (cb >= 128)
		return;
	b = &hw->bank[cb];
	if (ev == SMMUV2_OBS_STALL_BEGIN) {
		b->since = sim_now();
		sim_timer_arm(&b->timer, b->since + hw->timeout);
	} else if (ev == SMMUV2_OBS_STALL_END) {
		sim_timer_cancel(&b->timer);
	}
}

static void hang_free(struct sim *s, void *arg)
{
	struct hang_watch *hw = arg;

	for (unsigned i = 0; i < 128; i++)
		sim_timer_cancel(&hw->bank[i].timer);
	free(hw);
}

int stall_hang_watch_smmuv2(struct sim *s, struct smmuv2 *smmu, sim_time_t timeout)
{
	struct hang_watch *hw;
	struct smmuv2_observer obs;

	if (!timeout)
		return -EINVAL;
	hw = calloc(1, sizeof(*hw));
	if (!hw || sim_at_destroy(s, hang_free, hw)) {
		free(hw);
		return -ENOMEM;
	}
	hw->smmu = smmu;
	hw->timeout = timeout;
	for (unsigned i = 0; i < 128; i++) {
		hw->bank[i].hw = hw;
		hw->bank[i].cb = i;
		sim_timer_init(&hw->bank[i].timer, hang_fire, &hw->bank[i]);
	}
	obs = (struct smmuv2_observer){ hang_event, hw };
	return smmuv2_observe(smmu, &obs);
}
