// SPDX-License-Identifier: MIT
/*
 * SMMUv2 masters: platform devices (a GPU, say) with one stream ID, each
 * stream of accesses run by its own hardware task.  An access that stalls
 * holds its task until the bank is resumed, as a stalled GPU waits.
 */
#include "hw/smmu/smmuv2_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "trace/trace.h"

#define SMMUV2_MASTER_STREAMS	8

struct smmuv2_master;

struct smmuv2_stream_run {
	struct smmuv2_master *m;
	struct smmuv2_stream st;
};

struct smmuv2_master {
	char name[SIM_NAME_LEN];
	uint32_t sid;
	struct smmuv2 *smmu;
	struct smmuv2_master_stats stats;
	struct smmuv2_stream_run runs[SMMUV2_MASTER_STREAMS];
	int nruns;
};

static void master_free(struct sim *s, void *arg)
{
	free(arg);
}

struct smmuv2_master *smmuv2_master_create(struct sim *s, struct smmuv2 *smmu,
					   const char *name, uint32_t sid)
{
	struct smmuv2_master *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (sim_at_destroy(s, master_free, m)) {
		free(m);
		return NULL;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->sid = sid;
	m->smmu = smmu;
	return m;
}

static void stream_fn(void *arg)
{
	struct smmuv2_stream_run *run = arg;
	struct smmuv2_master *m = run->m;
	const struct smmuv2_stream *st = &run->st;
	uint64_t data = 0;

	if (st->start > sim_now())
		sim_sleep_until(st->start);
	for (uint64_t k = 0; !st->count || k < st->count; k++) {
		struct smmuv2_txn t = {
			.device = m->name, .sid = m->sid, .write = st->write,
			.iova = st->iova + (k % st->npages) * HW_PAGE_SIZE,
		};

		m->stats.accesses++;
		if (smmuv2_access(m->smmu, &t, &data, sizeof(data)))
			m->stats.aborted++;
		else
			m->stats.ok++;
		sim_delay(st->interval);
	}
}

int smmuv2_master_add_stream(struct smmuv2_master *m, const struct smmuv2_stream *st)
{
	struct smmuv2_stream_run *run;
	char name[SIM_NAME_LEN];
	struct sim_task *task;

	if (!st->npages || !st->interval)
		return -EINVAL;
	if (m->nruns >= SMMUV2_MASTER_STREAMS)
		return -ENOMEM;
	run = &m->runs[m->nruns];
	run->m = m;
	run->st = *st;
	snprintf(name, sizeof(name), "%.24s-dma%u", m->name, (unsigned)m->nruns & 7);
	/* Not a daemon: the run lasts while a stream has accesses to make. */
	task = sim_task_create(m->smmu->s, name, SIM_TASK_HW, -1, false, stream_fn, run);
	if (!task)
		return -ENOMEM;
	trace_task_actor(task, m->name);
	m->nruns++;
	return 0;
}

const struct smmuv2_master_stats *smmuv2_master_stats(const struct smmuv2_master *m)
{
	return &m->stats;
}
