// SPDX-License-Identifier: MIT
/*
 * SMMUv3 command engine: the consumer of the command queue (§4.1 Commands
 * overview, §4.7.3 CMD_SYNC, §7.1 Command queue errors), one daemon
 * hardware task per SMMU, running the state machine drawn in
 * smmuv3_internal.h:
 *
 *   IDLE       nothing to do: queue empty, CMDQEN clear (in CR0ACK), or
 *              blocked waiting for one of those to change;
 *   RUNNING    a command is in progress (fetched, being executed; an
 *              ATC_INV may wait here for a free ITag);
 *   SYNC_WAIT  a CMD_SYNC waits for the ATC_INVs sent before it;
 *   ERROR      GERROR.CMDQ_ERR is active: CMDQ_CONS points at the failing
 *              command and CMDQ_CONS.ERR holds the reason;
 *   HALTED     Service Failure Mode, until smmuv3_reset().
 *
 * Commands are consumed in order, one at a time, each costing cfg.cmd_ns
 * of virtual time.  A fetch abort (CERROR_ABT), an illegal command
 * (CERROR_ILL) or a CMD_SYNC whose prior ATC_INVs did not all complete
 * (CERROR_ATC_INV_SYNC) stops the queue with CONS at that command.  The
 * engine resumes when software acknowledges CMDQ_ERR through GERRORN,
 * re-fetching the command at CONS.
 *
 * Other files change the engine's state only to interrupt it (SFM:
 * HALTED; reset: IDLE; GERRORN acknowledgement: ERROR -> IDLE); the
 * engine notices after each scheduling point (the state is no longer the
 * one it set) and abandons the command in progress unconsumed.
 *
 * The engine counts stats.cmds, syncs and cmd_errors[]; the executing
 * functions of the data plane count cfgi, tlbi, resumes and pri_resps.
 */
#include "hw/smmuv3/smmuv3_internal.h"
#include "check/violation.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdio.h>

static bool cmdq_can_consume(const struct smmuv3 *smmu)
{
	return !smmu->sfm && smmuv3_enabled(smmu, SMMUV3_CR0_CMDQEN) &&
	       !smmuv3_gerror_active(smmu, SMMUV3_GERROR_CMDQ_ERR) &&
	       !smmuv3_q_empty(&smmu->cmdq);
}

/* Someone else moved the engine out of state @st (SFM, reset). */
static bool cmdq_abandoned(const struct smmuv3 *smmu, enum smmuv3_cmdq_state st)
{
	return smmu->cmdq_state != st;
}

static void cmdq_block(struct smmuv3 *smmu, const char *what, bool idle)
{
	struct sim_wait w = { .what = what, .name = smmu->name, .obj = smmu };

	smmu->cmdq_waiting = true;
	sim_block(&w, idle);
	smmu->cmdq_waiting = false;
}

/**
 * smmuv3_cmdq_kick() - something the engine may wait for changed (PROD
 * written, CMDQEN set, CMDQ_ERR acknowledged, an ATC invalidation
 * completed, a deadline came, SFM or reset): wake the engine if it is
 * blocked.  Models "a write to CMDQ_PROD causes the SMMU to consider the
 * Command queue for processing" (§6.3.27) and the restart of §7.1.
 * Context: any; not a scheduling point.
 */
void smmuv3_cmdq_kick(struct smmuv3 *smmu)
{
	if (smmu->cmdq_waiting && smmu->cmdq_task)
		sim_wake(smmu->cmdq_task);
}

static void cmdq_timer_fn(struct sim_timer *t)
{
	smmuv3_cmdq_kick(t->data);
}

/* §6.3.9.3: a deferred CMDQEN 1 -> 0 Update completes between commands. */
static void cmdq_ack_sync(struct smmuv3 *smmu)
{
	if (!(smmu->cr0 & SMMUV3_CR0_CMDQEN))
		smmu->cr0ack &= ~SMMUV3_CR0_CMDQEN;
}

/* Between commands: RUNNING becomes IDLE (or ERROR if software made
 * CMDQ_ERR active meanwhile); other states are kept. */
static void cmdq_settle(struct smmuv3 *smmu)
{
	if (smmu->cmdq_state != SMMUV3_CMDQ_RUNNING)
		return;
	cmdq_ack_sync(smmu);
	smmu->cmdq_state = smmuv3_gerror_active(smmu, SMMUV3_GERROR_CMDQ_ERR) ?
			   SMMUV3_CMDQ_ERROR : SMMUV3_CMDQ_IDLE;
}

/* §7.1: stop at the command at CONS with reason @cerr. */
static void cmdq_stop(struct smmuv3 *smmu, unsigned cerr)
{
	smmu->cmdq.cons = (smmu->cmdq.cons & ~SMMUV3_CMDQ_CONS_ERR) |
			  FIELD_PREP(SMMUV3_CMDQ_CONS_ERR, cerr);
	smmu->stats.cmd_errors[cerr & 3]++;
	trace_actor_instant(smmu->cmdq_task, "smmu", "CMDQ_ERR|%s at CONS %#x",
			    smmuv3_cerror_name(cerr), (unsigned)(smmu->cmdq.cons & ~SMMUV3_CMDQ_CONS_ERR));
	smmu->cmdq_state = SMMUV3_CMDQ_ERROR;
	cmdq_ack_sync(smmu);
	/* ERR is visible before the global error (§7.1). */
	smmuv3_gerror_activate(smmu, SMMUV3_GERROR_CMDQ_ERR);
	sim_wfe_notify();
}

/* §4.1.4: the command at CONS is consumed; software may poll CONS. */
static void cmdq_consume(struct smmuv3 *smmu)
{
	smmu->cmdq.cons = smmuv3_q_inc(&smmu->cmdq, smmu->cmdq.cons);
	smmu->cmd_seq++;
	smmu->stats.cmds++;
	smmuv3_trace_queues(smmu);
	sim_wfe_notify();
}

/*
 * Wait in state @st until an ATC invalidation completes or the earliest
 * outstanding deadline comes.  Return: 0, or -EINTR when interrupted.
 */
static int cmdq_wait_atc(struct smmuv3 *smmu, enum smmuv3_cmdq_state st, uint64_t seq,
			 const char *what)
{
	sim_time_t deadline;

	smmu->cmdq_state = st;
	if (smmuv3_atc_inv_pending(smmu, seq, &deadline) > 0)
		sim_timer_arm(&smmu->cmdq_timer, deadline);
	cmdq_block(smmu, what, false);
	sim_timer_cancel(&smmu->cmdq_timer);
	return cmdq_abandoned(smmu, st) ? -EINTR : 0;
}

/* CMD_ATC_INV (§4.5.1); ignored while SMMUEN is 0 (§6.3.9.6). */
static int cmdq_atc_inv(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	if (!smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN))
		return 0;
	while (smmuv3_atc_inv_send(smmu, cmd) == -EBUSY)
		if (cmdq_wait_atc(smmu, SMMUV3_CMDQ_RUNNING, UINT64_MAX, "free ATS ITag"))
			return -EINTR;
	return 0;
}

static bool is_tlbi(uint8_t op)
{
	switch (op) {
	case SMMUV3_CMD_TLBI_NH_ALL:
	case SMMUV3_CMD_TLBI_NH_ASID:
	case SMMUV3_CMD_TLBI_NH_VA:
	case SMMUV3_CMD_TLBI_NH_VAA:
	case SMMUV3_CMD_TLBI_EL2_ALL:
	case SMMUV3_CMD_TLBI_EL2_ASID:
	case SMMUV3_CMD_TLBI_EL2_VA:
	case SMMUV3_CMD_TLBI_S12_VMALL:
	case SMMUV3_CMD_TLBI_S2_IPA:
	case SMMUV3_CMD_TLBI_NSNH_ALL:
		return true;
	}
	return false;
}

/* Execute a command other than CMD_SYNC.  Return: 0, -EINTR if interrupted. */
static int cmdq_exec(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	switch (cmd->opcode) {
	case SMMUV3_CMD_PREFETCH_CFG:
		return 0;		/* a hint: nothing to model */
	case SMMUV3_CMD_CFGI_STE:
	case SMMUV3_CMD_CFGI_STE_RANGE:
	case SMMUV3_CMD_CFGI_CD:
	case SMMUV3_CMD_CFGI_CD_ALL:
		smmuv3_cfg_inv(smmu, cmd);	/* counts stats.cfgi */
		return 0;
	case SMMUV3_CMD_ATC_INV:
		return cmdq_atc_inv(smmu, cmd);
	case SMMUV3_CMD_PRI_RESP:
		/* §6.3.9.6: ignored while SMMUEN is 0. */
		if (smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN))
			smmuv3_pri_resp(smmu, cmd);
		return 0;
	case SMMUV3_CMD_RESUME:
		smmuv3_stall_resume(smmu, cmd->resume.sid, cmd->resume.stag, cmd->resume.resp);
		return 0;
	}
	if (is_tlbi(cmd->opcode))
		smmuv3_tlb_inv(smmu, cmd);	/* counts stats.tlbi */
	return 0;
}

/* §4.7.3 ComplSignal, after CONS has moved past the CMD_SYNC. */
static void cmdq_sync_signal(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	switch (cmd->sync.cs) {
	case SMMUV3_CMD_SYNC_CS_IRQ:
		/* MSI when MSIAddress != 0 (and IDR0.MSI), else the wired line. */
		smmuv3_signal_irq(smmu, SMMUV3_IRQ_CMDQ_SYNC, cmd->sync.msiaddr,
				  cmd->sync.msidata, SMMUV3_GERROR_MSI_CMDQ_ABT_ERR);
		break;
	case SMMUV3_CMD_SYNC_CS_SEV:
		sim_wfe_notify();	/* IDR0.SEV is 1 */
		break;
	}
}

/*
 * CMD_SYNC (§4.7.3, §3.9.1.4): wait for every ATC_INV sent before it;
 * if one timed out, stop with CERROR_ATC_INV_SYNC at the CMD_SYNC (not
 * consumed; the failed ones are forgotten, so the CMD_SYNC completes when
 * re-run); else consume it and signal completion.
 */
static void cmdq_sync(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	uint64_t seq = smmu->cmd_seq;
	int ret;

	while ((ret = smmuv3_atc_inv_pending(smmu, seq, NULL)) > 0) {
		if (cmdq_wait_atc(smmu, SMMUV3_CMDQ_SYNC_WAIT, seq, "ATC invalidation completion"))
			return;
		smmu->cmdq_state = SMMUV3_CMDQ_RUNNING;
	}
	smmuv3_atc_inv_retire(smmu, seq);
	if (ret == -ETIMEDOUT) {
		cmdq_stop(smmu, SMMUV3_CERROR_ATC_INV_SYNC);
		return;
	}
	cmdq_consume(smmu);
	smmu->stats.syncs++;
	cmdq_sync_signal(smmu, cmd);
}

/* Decode with the legality checks of §4.1.3 and §4.7.1. */
static int cmdq_decode(const struct smmuv3 *smmu, const uint64_t ent[2], struct smmuv3_cmd *cmd)
{
	int cerr = smmuv3_cmd_decode(ent, cmd, smmu->caps.ats, smmu->caps.pri);

	/* §4.7.1: CMD_RESUME without the stall model is CERROR_ILL. */
	if (!cerr && cmd->opcode == SMMUV3_CMD_RESUME &&
	    smmu->caps.stall_model == SMMUV3_IDR0_STALL_MODEL_NONE)
		cerr = SMMUV3_CERROR_ILL;
	return cerr;
}

/* Fetch, check, execute and consume the command at CONS. */
static void cmdq_one(struct smmuv3 *smmu)
{
	struct smmuv3_cmd cmd;
	uint64_t ent[SMMUV3_CMDQ_ENT_DWORDS];
	int cerr;

	smmu->cmdq_state = SMMUV3_CMDQ_RUNNING;
	sim_point();		/* the fetch: a hardware queue access */
	if (cmdq_abandoned(smmu, SMMUV3_CMDQ_RUNNING) || !cmdq_can_consume(smmu))
		return;
	if (smmuv3_q_read(smmu, &smmu->cmdq, smmu->cmdq.cons, ent)) {
		cmdq_stop(smmu, SMMUV3_CERROR_ABT);
		return;
	}
	cerr = cmdq_decode(smmu, ent, &cmd);
	if (cerr) {
		cmdq_stop(smmu, cerr);
		return;
	}
	smmuv3_trace_cmd(smmu, &cmd);
	sim_delay(smmu->cfg.cmd_ns);
	if (cmdq_abandoned(smmu, SMMUV3_CMDQ_RUNNING))
		return;
	if (cmd.opcode == SMMUV3_CMD_SYNC)
		cmdq_sync(smmu, &cmd);
	else if (!cmdq_exec(smmu, &cmd))
		cmdq_consume(smmu);
}

static const char *cmdq_wait_what(const struct smmuv3 *smmu)
{
	switch (smmu->cmdq_state) {
	case SMMUV3_CMDQ_ERROR:
		return "CMDQ_ERR acknowledgement";
	case SMMUV3_CMDQ_HALTED:
		return "reset (Service Failure Mode)";
	default:
		return "commands";
	}
}

static void cmdq_check(struct smmuv3 *smmu)
{
	const char *why = smmuv3_cmdq_invariant(smmu);

	if (why)
		check_report(V_WARN, NULL, 0, "%s: command engine: %s", smmu->name, why);
}

static void cmdq_engine(void *arg)
{
	struct smmuv3 *smmu = arg;

	for (;;) {
		cmdq_settle(smmu);
		cmdq_check(smmu);
		if (smmu->cmdq_state == SMMUV3_CMDQ_IDLE && cmdq_can_consume(smmu)) {
			cmdq_one(smmu);
			trace_end("cmd", smmu);
		} else
			cmdq_block(smmu, cmdq_wait_what(smmu), true);
	}
}

/**
 * smmuv3_cmdq_start() - create the command engine task ("<name>-cmdq", a
 * daemon SIM_TASK_HW) and its deadline timer: the Command queue consumer
 * of §4.1.
 * Return: 0, or -ENOMEM when no task could be created.
 * Context: set-up or a task (smmuv3_create()).
 */
int smmuv3_cmdq_start(struct smmuv3 *smmu)
{
	char name[SIM_NAME_LEN];

	snprintf(name, sizeof(name), "%.*s-cmdq", SIM_NAME_LEN - 6, smmu->name);
	sim_timer_init(&smmu->cmdq_timer, cmdq_timer_fn, smmu);
	smmu->cmdq_state = SMMUV3_CMDQ_IDLE;
	smmu->cmdq_task = sim_task_create(smmu->sim, name, SIM_TASK_HW, -1, true,
					  cmdq_engine, smmu);
	trace_task_actor(smmu->cmdq_task, smmu->name);
	return smmu->cmdq_task ? 0 : -ENOMEM;
}

/* Is an ATC_INV sent before command @seq still tracked? */
static bool atc_tracked_before(const struct smmuv3 *smmu, uint64_t seq)
{
	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++)
		if (smmu->atc_inv[i].busy && smmu->atc_inv[i].cmd_index < seq)
			return true;
	return false;
}

/**
 * smmuv3_cmdq_invariant() - check the command engine against the state
 * machine drawn in smmuv3_internal.h (§4.1.2 when commands are processed,
 * §7.1 and §6.3.19 CMDQ_ERR, §6.3.9.3 CMDQEN, §12.3 SFM):
 *   - HALTED exactly while in Service Failure Mode;
 *   - ERROR only while GERROR.CMDQ_ERR is active, and never IDLE while it
 *     is (outside SFM);
 *   - RUNNING and SYNC_WAIT only while CR0ACK.CMDQEN is set;
 *   - SYNC_WAIT only with an ATC_INV sent before the CMD_SYNC still
 *     tracked;
 *   - never IDLE and asleep while a command could be consumed (a lost
 *     wake-up).
 * Return: NULL when all hold, else the first broken rule.
 * Context: any.  Pure.
 */
const char *smmuv3_cmdq_invariant(const struct smmuv3 *smmu)
{
	enum smmuv3_cmdq_state st = smmu->cmdq_state;
	bool err = smmuv3_gerror_active(smmu, SMMUV3_GERROR_CMDQ_ERR);
	bool asleep = smmu->cmdq_waiting && smmu->cmdq_task &&
		      smmu->cmdq_task->state == SIM_BLOCKED;

	if (smmu->sfm != (st == SMMUV3_CMDQ_HALTED))
		return "HALTED must be exactly Service Failure Mode";
	if (st == SMMUV3_CMDQ_ERROR && !err)
		return "ERROR without GERROR.CMDQ_ERR active";
	if (st == SMMUV3_CMDQ_IDLE && err)
		return "IDLE with GERROR.CMDQ_ERR active";
	if ((st == SMMUV3_CMDQ_RUNNING || st == SMMUV3_CMDQ_SYNC_WAIT) &&
	    !smmuv3_enabled(smmu, SMMUV3_CR0_CMDQEN))
		return "consuming commands with CR0ACK.CMDQEN clear";
	if (st == SMMUV3_CMDQ_SYNC_WAIT && !atc_tracked_before(smmu, smmu->cmd_seq))
		return "SYNC_WAIT with no ATC_INV to wait for";
	if (st == SMMUV3_CMDQ_IDLE && asleep && cmdq_can_consume(smmu))
		return "IDLE and asleep with commands to consume (lost wake-up)";
	return NULL;
}
