// SPDX-License-Identifier: MIT
/*
 * What a traced run (--trace, trace/trace.h) shows of an SMMUv3: the
 * occupancy of its three queues as counters, and the span of each command
 * the command engine executes, named after the command (§4) with the
 * fields that tell commands apart.  Observation only.
 */
#include "hw/smmuv3/smmuv3_internal.h"

/* Entries between CONS and PROD (§3.5), whatever the wrap flags. */
static int64_t q_count(const struct smmuv3_queue *q)
{
	unsigned l = smmuv3_q_log2(q);
	uint32_t m = (2U << l) - 1;

	return (int64_t)(((q->prod & m) - (q->cons & m)) & m);
}

/**
 * __smmuv3_trace_queues() - counters "CMDQ", "EVTQ", "PRIQ" of the SMMU's
 * trace process: entries in each queue now (written when they change).
 * Context: any; not a scheduling point.
 */
void __smmuv3_trace_queues(struct smmuv3 *smmu)
{
	__trace_counter(smmu->cmdq_task, "CMDQ", q_count(&smmu->cmdq));
	__trace_counter(smmu->cmdq_task, "EVTQ", q_count(&smmu->evtq));
	__trace_counter(smmu->cmdq_task, "PRIQ", q_count(&smmu->priq));
}

/**
 * __smmuv3_trace_cmd() - open the span of command @cmd on the command
 * engine's thread (closed when the engine has done with it).
 * Context: the command engine task.
 */
void __smmuv3_trace_cmd(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	const char *name = smmuv3_cmd_name(cmd->opcode);

	if (!name)
		name = "?";
	switch (cmd->opcode) {
	case SMMUV3_CMD_ATC_INV:
		__trace_begin(NULL, "cmd", smmu, "%s|sid %#x addr %#llx size 2^%u",
			      name, cmd->atc_inv.sid, (unsigned long long)cmd->atc_inv.addr,
			      cmd->atc_inv.size);
		break;
	case SMMUV3_CMD_PRI_RESP:
		__trace_begin(NULL, "cmd", smmu, "%s|sid %#x grpid %u resp %u", name,
			      cmd->pri_resp.sid, cmd->pri_resp.grpid, cmd->pri_resp.resp);
		break;
	case SMMUV3_CMD_RESUME:
		__trace_begin(NULL, "cmd", smmu, "%s|sid %#x stag %u", name,
			      cmd->resume.sid, cmd->resume.stag);
		break;
	case SMMUV3_CMD_CFGI_STE:
	case SMMUV3_CMD_CFGI_CD:
		__trace_begin(NULL, "cmd", smmu, "%s|sid %#x", name, cmd->cfgi.sid);
		break;
	default:
		__trace_begin(NULL, "cmd", smmu, "%s", name);
	}
}
