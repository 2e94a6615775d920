// SPDX-License-Identifier: MIT
/*
 * The STALL_HANG checker for SMMUv3 stalls (stall_hang.h): the model tells
 * the checker when a stall's event record is written and when the
 * transaction is released; a timer per held stall fires after the bound,
 * and a stall still held then is a hang.
 */
#include "check/stall_hang.h"

#include <errno.h>
#include <stdlib.h>

#include "check/violation.h"
#include "hw/smmuv3/smmuv3.h"
#include "trace/evlog.h"

/* One held stall: (sid, stag) while @live. */
struct hang3 {
	struct hang3_watch *w;
	struct sim_timer timer;
	uint32_t sid;
	uint16_t stag;
	sim_time_t since;
	struct sim_task *task;
	bool live;
	struct hang3 *next;
};

struct hang3_watch {
	struct smmuv3 *smmu;
	sim_time_t timeout;
	bool reported;
	struct hang3 *all;		/* every record made; reused when not live */
};

static void hang3_fire(struct sim_timer *t)
{
	struct hang3 *h = t->data;
	struct hang3_watch *w = h->w;
	char since[32], bound[32];

	if (!h->live || w->reported)
		return;
	w->reported = true;
	check_report_tasks(sim_cur, V_STALL_HANG, &h->task, h->task ? 1 : 0,
			   "%s: the transaction of StreamID %#x stalled at %s (STAG %#x) was "
			   "neither resumed nor terminated within %s: no CMD_RESUME for its "
			   "fault (the page request it became was never answered)",
			   smmuv3_name(w->smmu), h->sid,
			   sim_format_time(h->since, since, sizeof(since)), h->stag,
			   sim_format_time(w->timeout, bound, sizeof(bound)));
}

static struct hang3 *hang3_get(struct hang3_watch *w)
{
	struct hang3 *h;

	for (h = w->all; h; h = h->next)
		if (!h->live && !sim_timer_armed(&h->timer))
			return h;
	h = calloc(1, sizeof(*h));
	if (!h)
		abort();
	h->w = w;
	sim_timer_init(&h->timer, hang3_fire, h);
	h->next = w->all;
	w->all = h;
	return h;
}

static void hang3_event(void *arg, struct smmuv3 *smmu, uint32_t sid, uint16_t stag, bool begin,
			struct sim_task *task)
{
	struct hang3_watch *w = arg;
	struct hang3 *h;

	(void)smmu;
	if (begin) {
		h = hang3_get(w);
		h->sid = sid;
		h->stag = stag;
		h->since = sim_now();
		h->task = task;
		h->live = true;
		sim_timer_arm(&h->timer, h->since + w->timeout);
		return;
	}
	for (h = w->all; h; h = h->next)
		if (h->live && h->sid == sid && h->stag == stag) {
			h->live = false;
			sim_timer_cancel(&h->timer);
			return;
		}
}

static void hang3_free(struct sim *s, void *arg)
{
	struct hang3_watch *w = arg;

	(void)s;
	while (w->all) {
		struct hang3 *h = w->all;

		w->all = h->next;
		if (sim_timer_armed(&h->timer))
			sim_timer_cancel(&h->timer);
		free(h);
	}
	free(w);
}

int stall_hang_watch_smmuv3(struct sim *s, struct smmuv3 *smmu, sim_time_t timeout)
{
	struct hang3_watch *w;
	struct smmuv3_stall_observer obs;

	if (!timeout)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w || sim_at_destroy(s, hang3_free, w)) {
		free(w);
		return -ENOMEM;
	}
	w->smmu = smmu;
	w->timeout = timeout;
	obs = (struct smmuv3_stall_observer){ hang3_event, w };
	return smmuv3_observe_stalls(smmu, &obs);
}
