// SPDX-License-Identifier: MIT
/*
 * SMMUv3 ATS invalidation (§4.5.1 CMD_ATC_INV, §3.9.1 ATS interface,
 * §3.9.1.4 ATS Invalidation timeout): sending ATS Invalidate Requests to
 * endpoints, matching their Invalidation Completions, and completion
 * timeouts.
 *
 * Each invalidation sent takes a tracking slot (smmu->atc_inv[]) and an
 * ITag of its port.  It ends in one of two ways:
 *   - done: a completion with its cookie arrived from the request's
 *     Requester ID before the deadline (sent_at + the port's completion
 *     timeout); the ITag is freed at once;
 *   - timed out: virtual time reached the deadline first (exact: timed out
 *     iff now >= deadline); the ITag is freed (PCIe considers the request
 *     failed) but the slot stays, so the CMD_SYNC that follows can fail
 *     with CERROR_ATC_INV_SYNC.
 * Slots are forgotten by smmuv3_atc_inv_retire() (the command engine, at
 * CMD_SYNC).  A completion for a cookie that is not tracked (or is timed
 * out) is late, for a done one a duplicate, from another Requester ID a
 * wrong requester: each is ignored and counted, never credited to another
 * invalidation (the cookie is unique even where the ITag is reused).
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>
#include <string.h>

/* Mark every invalidation whose deadline has come as timed out. */
static void atc_expire(struct smmuv3 *smmu)
{
	sim_time_t now = sim_now();

	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++) {
		struct smmuv3_atc_inv *inv = &smmu->atc_inv[i];

		if (!inv->busy || inv->done || inv->timed_out || now < inv->deadline)
			continue;
		inv->timed_out = true;
		trace_async_end(smmu->cmdq_task, "ats", inv->cookie, "timed out");
		inv->port->itags_busy &= ~(1U << inv->itag);
		smmu->stats.atc_inv_timeouts++;
	}
}

static struct smmuv3_atc_inv *atc_free_slot(struct smmuv3 *smmu)
{
	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++)
		if (!smmu->atc_inv[i].busy)
			return &smmu->atc_inv[i];
	return NULL;
}

/*
 * Every slot is taken.  Reclaim the completed ones first (a duplicate
 * completion for them will then count as late); then fold the timed-out
 * ones into one: all were sent before any CMD_SYNC still to come, which
 * only needs to know that one of them failed.
 */
static struct smmuv3_atc_inv *atc_reclaim_slot(struct smmuv3 *smmu)
{
	struct smmuv3_atc_inv *keep = NULL;

	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++)
		if (smmu->atc_inv[i].done)
			memset(&smmu->atc_inv[i], 0, sizeof(smmu->atc_inv[i]));
	if (atc_free_slot(smmu))
		return atc_free_slot(smmu);
	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++) {
		struct smmuv3_atc_inv *inv = &smmu->atc_inv[i];

		if (!inv->timed_out)
			continue;
		if (keep)
			memset(inv, 0, sizeof(*inv));
		else
			keep = inv;
	}
	return atc_free_slot(smmu);
}

static int port_free_itag(const struct smmuv3_port *port)
{
	uint32_t all = SMMUV3_ITAGS >= 32 ? ~0U : (1U << (SMMUV3_ITAGS & 31)) - 1;
	uint32_t free = ~port->itags_busy & all;

	return free ? __builtin_ctz(free) : -1;
}

static void atc_inv_request(struct smmuv3_atc_inv *inv, const struct smmuv3_cmd *cmd)
{
	struct pcie_inv_req req = {
		.sid = cmd->atc_inv.sid,
		.pasid_valid = cmd->atc_inv.ssv,
		.pasid = cmd->atc_inv.ssid,
		.global = cmd->atc_inv.global,
		.addr = cmd->atc_inv.addr,
		.size_log2 = cmd->atc_inv.size,
		.itag = inv->itag,
		.cookie = inv->cookie,
	};

	pcie_ep_inv_request(inv->port->ep, &req);
}

/**
 * smmuv3_atc_inv_send() - send the ATS Invalidate Request of CMD_ATC_INV
 * @cmd to the endpoint connected for its StreamID.
 *
 * Models §4.5.1 and §3.9.1: the request carries the address, size
 * (2^SIZE pages), Global flag and PASID (SSID when SSV) of @cmd, a free
 * ITag of the port and a unique cookie; its deadline is now + the port's
 * completion timeout; it is recorded as sent by command smmu->cmd_seq.
 * With no port for the StreamID the invalidation completes at once
 * (counted as sent and done).  The endpoint may answer from within the
 * call.  Counts stats.atc_inv_sent.
 * Return: 0, or -EBUSY when every ITag of the port, or every tracking
 * slot, is held by an outstanding invalidation (nothing is sent; the
 * engine waits for a completion or a deadline and retries).
 * Context: the command engine task; not a scheduling point.
 */
int smmuv3_atc_inv_send(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	struct smmuv3_port *port = smmuv3_port_find(smmu, cmd->atc_inv.sid);
	struct smmuv3_atc_inv *inv;
	int itag;

	if (!port) {
		smmu->stats.atc_inv_sent++;
		smmu->stats.atc_inv_done++;
		return 0;
	}
	atc_expire(smmu);
	itag = port_free_itag(port);
	if (itag < 0)
		return -EBUSY;
	inv = atc_free_slot(smmu);
	if (!inv)
		inv = atc_reclaim_slot(smmu);
	if (!inv)
		return -EBUSY;
	memset(inv, 0, sizeof(*inv));
	inv->busy = true;
	inv->cookie = ++smmu->next_cookie;
	inv->sid = port->sid;
	inv->itag = itag;
	inv->port = port;
	inv->sent_at = sim_now();
	inv->deadline = inv->sent_at + port->completion_timeout;
	inv->cmd_index = smmu->cmd_seq;
	port->itags_busy |= 1U << itag;
	smmu->stats.atc_inv_sent++;
	trace_async_begin(smmu->cmdq_task, "ats", "ATC_INV", inv->cookie, true,
			  "sid %#x itag %d", inv->sid, itag);
	atc_inv_request(inv, cmd);
	return 0;
}

static struct smmuv3_atc_inv *atc_find_cookie(struct smmuv3 *smmu, uint64_t cookie)
{
	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++)
		if (smmu->atc_inv[i].busy && smmu->atc_inv[i].cookie == cookie)
			return &smmu->atc_inv[i];
	return NULL;
}

/**
 * smmuv3_atc_inv_completion() - upstream op: an ATS Invalidation
 * Completion message @c arrives.
 * @arg:	the SMMU (struct pcie_upstream.iommu).
 *
 * Models §3.9.1 (the SMMU collects invalidation responses): the
 * completion is credited to the invalidation with its cookie if it comes
 * from that request's Requester ID before the deadline; that invalidation
 * is then done (stats.atc_inv_done), its ITag freed and the command
 * engine woken.  Otherwise it is ignored and counted: not tracked or past
 * its deadline (stats.atc_cpl_late), already done (stats.atc_cpl_dup),
 * another Requester ID (stats.atc_cpl_wrong_requester).
 * Context: any task (the endpoint's); not a scheduling point.
 */
void smmuv3_atc_inv_completion(void *arg, const struct pcie_inv_cpl *c)
{
	struct smmuv3 *smmu = arg;
	struct smmuv3_atc_inv *inv;

	atc_expire(smmu);
	inv = atc_find_cookie(smmu, c->cookie);
	if (!inv) {
		smmu->stats.atc_cpl_late++;
	} else if (c->requester != inv->sid) {
		smmu->stats.atc_cpl_wrong_requester++;
	} else if (inv->done) {
		smmu->stats.atc_cpl_dup++;
	} else if (inv->timed_out) {
		smmu->stats.atc_cpl_late++;
	} else {
		inv->done = true;
		trace_async_end(smmu->cmdq_task, "ats", inv->cookie, "completed");
		inv->port->itags_busy &= ~(1U << inv->itag);
		smmu->stats.atc_inv_done++;
		smmuv3_cmdq_kick(smmu);
	}
}

/**
 * smmuv3_atc_inv_pending() - how the invalidations sent before command
 * @seq (cmd_index < @seq) stand, after marking those whose deadline has
 * come as timed out (stats.atc_inv_timeouts).
 * @next_deadline: set to the earliest deadline of the outstanding ones
 *		when 1 is returned.
 *
 * Models the wait of CMD_SYNC for prior CMD_ATC_INVs (§4.7.3, §3.9.1.4).
 * Return: 1 while some are outstanding (neither done nor timed out); else
 * -ETIMEDOUT if at least one timed out; else 0 (all done, or none).
 * Context: any; not a scheduling point.
 */
int smmuv3_atc_inv_pending(struct smmuv3 *smmu, uint64_t seq, sim_time_t *next_deadline)
{
	sim_time_t earliest = UINT64_MAX;
	bool outstanding = false, failed = false;

	atc_expire(smmu);
	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++) {
		const struct smmuv3_atc_inv *inv = &smmu->atc_inv[i];

		if (!inv->busy || inv->done || inv->cmd_index >= seq)
			continue;
		if (inv->timed_out) {
			failed = true;
			continue;
		}
		outstanding = true;
		if (inv->deadline < earliest)
			earliest = inv->deadline;
	}
	if (outstanding) {
		if (next_deadline)
			*next_deadline = earliest;
		return 1;
	}
	return failed ? -ETIMEDOUT : 0;
}

/**
 * smmuv3_atc_inv_retire() - forget the invalidations sent before command
 * @seq that have ended (done or timed out); outstanding ones stay.  Later
 * completions for them count as late.
 * Context: the command engine (CMD_SYNC); not a scheduling point.
 */
void smmuv3_atc_inv_retire(struct smmuv3 *smmu, uint64_t seq)
{
	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++) {
		struct smmuv3_atc_inv *inv = &smmu->atc_inv[i];

		if (inv->busy && inv->cmd_index < seq && (inv->done || inv->timed_out))
			memset(inv, 0, sizeof(*inv));
	}
}
