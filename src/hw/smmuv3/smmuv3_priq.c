// SPDX-License-Identifier: MIT
/*
 * SMMUv3 PRI queue producer and PRG responses (§8, §8.1, §8.2, §4.5.2).
 *
 * An incoming Page Request (PPR) or Stop Marker:
 *
 *   PRIQEN not effective (SMMUEN == 0 implies it), PRIQ_ABT_ERR active,
 *   or Service Failure Mode (a model choice: the SMMU stopped):
 *       discarded; every PPR, Last or not, gets an automatic PRG
 *       Response "Response Failure" without a PASID; Stop Markers get
 *       none (§8.2)
 *   overflow active (PRIQ_PROD.OVFLG != PRIQ_CONS.OVACKFLG), or the queue
 *   is full (which toggles OVFLG: the overflow becomes active):
 *       discarded (stats.pri_lost); a PPR with Last == 1 gets an
 *       automatic response (below); Last == 0 and Stop Markers none (§8.1)
 *   otherwise:
 *       written at PRIQ_PROD; a write abort activates PRIQ_ABT_ERR, the
 *       entry is lost and the PPR gets "Response Failure" (a synchronous
 *       abort, §8.2)
 *
 * The overflow auto-response (§8.1): no PASID on the request: Success
 * without a PASID.  With a PASID: the model has SMMU_IDR3.PPS == 0 and
 * does not model STE.PPAR (its STE codec writes it as 0), so the STE of
 * the StreamID is looked up: valid and legal, Success without a PASID
 * (PPAR == 0); inaccessible, out of range or ILLEGAL, Response Failure
 * without a PASID.  Without substream support no STE check is made and
 * the response is Success (permitted by §8.1).  Auto-responses count in
 * stats.pri_auto_responses.
 *
 * The PRI queue interrupt (§3.18.2, SMMU_PRIQ_IRQ_CFG2.LO §6.3.36): with
 * LO == 0 when the queue goes from empty to non-empty; with LO == 1 when
 * a message with Last set is written or discarded by overflow.
 *
 * PRG Responses (CMD_PRI_RESP and auto-responses) go to the endpoint
 * connected for the StreamID (smmuv3_connect()); with none they are
 * counted in stats.pri_resps_unrouted.
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include "check/fault.h"
#include "hw/pcie/pcie_regs.h"

#define SMMUV3_PRIQ_IRQ_CFG2_LO	BIT(31)	/* §6.3.36: interrupt on Last only */

static bool priq_accepting(const struct smmuv3 *smmu)
{
	return !smmu->sfm && smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN) &&
	       smmuv3_enabled(smmu, SMMUV3_CR0_PRIQEN) &&
	       !smmuv3_gerror_active(smmu, SMMUV3_GERROR_PRIQ_ABT_ERR);
}

static bool priq_overflow_active(const struct smmuv3 *smmu)
{
	return SMMUV3_Q_OVF(smmu->priq.prod ^ smmu->priq.cons);
}

static void priq_irq(struct smmuv3 *smmu)
{
	uint64_t msi = smmu->cfg.msi ? smmu->priq_irq_cfg0 & SMMUV3_IRQ_CFG0_ADDR : 0;

	if (smmu->irq_ctrlack & SMMUV3_IRQ_CTRL_PRIQ_IRQEN)
		smmuv3_signal_irq(smmu, SMMUV3_IRQ_PRIQ, msi, smmu->priq_irq_cfg1,
				  SMMUV3_GERROR_MSI_PRIQ_ABT_ERR);
}

static bool priq_irq_last_only(const struct smmuv3 *smmu)
{
	return smmu->priq_irq_cfg2 & SMMUV3_PRIQ_IRQ_CFG2_LO;
}

/* Send a PRG Response to the endpoint owning @sid. */
static void prg_send(struct smmuv3 *smmu, uint32_t sid, bool pasid_valid, uint32_t pasid,
		     uint16_t prgi, uint8_t code)
{
	struct smmuv3_port *port = smmuv3_port_find(smmu, sid);

	if (!port) {
		smmu->stats.pri_resps_unrouted++;
		return;
	}
	pcie_ep_prg_response(port->ep, sid, pasid_valid, pasid, prgi, code);
}

static void auto_respond(struct smmuv3 *smmu, const struct pcie_page_req *r, uint8_t code)
{
	smmu->stats.pri_auto_responses++;
	prg_send(smmu, r->sid, false, 0, r->prgi, code);
}

/* The ResponseCode of an overflow auto-response (§8.1; PPS == 0, PPAR == 0). */
static uint8_t overflow_code(struct smmuv3 *smmu, const struct pcie_page_req *r)
{
	struct smmuv3_ste ste;
	uint64_t fetch_addr;

	if (!r->pasid_valid || !smmu->caps.ssid_bits)
		return PCIE_PRG_RESP_SUCCESS;
	if (smmuv3_ste_get(smmu, r->sid, &ste, &fetch_addr))
		return PCIE_PRG_RESP_FAILURE;
	return PCIE_PRG_RESP_SUCCESS;
}

/* A message discarded because of an overflow condition (§8.1). */
static void overflow_discard(struct smmuv3 *smmu, const struct pcie_page_req *r, bool stop)
{
	smmu->stats.pri_lost++;
	if (!stop && r->last)
		auto_respond(smmu, r, overflow_code(smmu, r));
	if (r->last && priq_irq_last_only(smmu))
		priq_irq(smmu);
}

static void priq_entry(const struct smmuv3 *smmu, const struct pcie_page_req *r, bool stop,
		       struct smmuv3_pri_entry *e)
{
	bool ssv = r->pasid_valid && smmu->caps.ssid_bits;

	*e = (struct smmuv3_pri_entry){
		.sid = r->sid,
		.ssv = ssv,
		.ssid = ssv ? r->pasid : 0,
		.priv = ssv && r->priv,		/* §8: X and Priv are 0 when SSV == 0 */
		.exec = ssv && r->exec,
		.read = !stop && r->read,
		.write = !stop && r->write,
		.last = stop || r->last,
		.prg_idx = r->prgi,
		.addr = r->addr & HW_PAGE_MASK,
	};
}

/*
 * The stage-1 table root the SMMU would translate (@sid, SSID) with now,
 * through its config cache: CD.TTB0 of the CD the request selects; 0 when
 * the stream does not translate at stage 1 or has no usable CD.
 */
static uint64_t priq_root(struct smmuv3 *smmu, const struct pcie_page_req *r)
{
	bool ssv = r->pasid_valid && smmu->caps.ssid_bits;
	struct smmuv3_ste ste;
	struct smmuv3_cd cd;
	uint64_t fetch_addr;
	uint32_t idx = ssv ? r->pasid : 0;

	if (smmuv3_ste_get(smmu, r->sid, &ste, &fetch_addr))
		return 0;
	if (ste.config != SMMUV3_STE_CONFIG_S1_TRANS && ste.config != SMMUV3_STE_CONFIG_NESTED)
		return 0;
	if (!ssv && ste.s1cdmax && ste.s1dss != SMMUV3_STE_S1DSS_SSID0)
		return 0;
	if (ssv && (!ste.s1cdmax || idx >= (1U << ste.s1cdmax)))
		return 0;
	if (smmuv3_cd_get(smmu, r->sid, &ste, idx, &cd, &fetch_addr) || !cd.valid || cd.epd0)
		return 0;
	return cd.ttb0;
}

/* Write the message at PRIQ_PROD (the queue is enabled and not full). */
static void priq_write(struct smmuv3 *smmu, const struct pcie_page_req *r, bool stop)
{
	struct smmuv3_queue *q = &smmu->priq;
	uint64_t ent[SMMUV3_PRIQ_ENT_DWORDS];
	struct smmuv3_pri_entry e;
	bool was_empty = smmuv3_q_empty(q);

	priq_entry(smmu, r, stop, &e);
	if (smmuv3_pri_encode(&e, ent)) {	/* a PRG index beyond 9 bits */
		smmu->stats.pri_lost++;
		return;
	}
	/* A group is one fault, raised with its LAST request (check/fault.h) */
	if (!stop && r->last)
		fault_chk_raise(FAULT_CHK_PRI, r->sid, r->prgi, priq_root(smmu, r));
	if (smmuv3_q_write(smmu, q, q->prod, ent)) {
		smmuv3_gerror_activate(smmu, SMMUV3_GERROR_PRIQ_ABT_ERR);
		smmu->stats.pri_lost++;
		if (!stop)
			auto_respond(smmu, r, PCIE_PRG_RESP_FAILURE);
		return;
	}
	q->prod = smmuv3_q_inc(q, q->prod);
	smmuv3_trace_queues(smmu);
	sim_wfe_notify();
	if (priq_irq_last_only(smmu) ? e.last : was_empty)
		priq_irq(smmu);
}

/**
 * smmuv3_page_request() - upstream op: a PCIe Page Request message (or
 * Stop PASID marker) from an endpoint.
 * @opaque:	the SMMU.
 * @r:		the message; a Stop Marker must carry a PASID (a message
 *		without one is treated as a Page Request, §8).
 *
 * Models §8 (queue entry), §8.1 (overflow and automatic responses) and
 * §8.2 (PRIQEN clear, PRIQ_ABT_ERR, write aborts) as summarised at the
 * top of this file.  A scheduling point (a queue access by hardware).
 * Counts stats.page_requests, pri_lost, pri_auto_responses.
 * Context: an endpoint's task.  Automatic responses are delivered with
 * pcie_ep_prg_response() before this returns.
 */
void smmuv3_page_request(void *opaque, const struct pcie_page_req *r)
{
	struct smmuv3 *smmu = opaque;
	struct smmuv3_queue *q = &smmu->priq;
	bool stop = r->stop_marker && r->pasid_valid;

	sim_point();
	smmu->stats.page_requests++;
	if (!priq_accepting(smmu)) {
		smmu->stats.pri_lost++;
		if (!stop)
			auto_respond(smmu, r, PCIE_PRG_RESP_FAILURE);
		return;
	}
	if (priq_overflow_active(smmu)) {
		overflow_discard(smmu, r, stop);
		return;
	}
	if (smmuv3_q_full(q)) {
		q->prod ^= SMMUV3_Q_OVERFLOW_FLAG;	/* the overflow becomes active */
		overflow_discard(smmu, r, stop);
		return;
	}
	priq_write(smmu, r, stop);
}

static uint8_t pri_resp_code(uint8_t resp)
{
	switch (resp) {
	case SMMUV3_PRI_RESP_SUCC:
		return PCIE_PRG_RESP_SUCCESS;
	case SMMUV3_PRI_RESP_DENY:
		return PCIE_PRG_RESP_INVALID;
	default:
		return PCIE_PRG_RESP_FAILURE;
	}
}

/**
 * smmuv3_pri_resp() - execute CMD_PRI_RESP: send a PRG Response for
 * (@cmd->pri_resp.sid, .grpid) with the response code of .resp (DENY:
 * Invalid Request 0x1, FAIL: Response Failure 0xf, SUCC: Success 0x0)
 * and, when .ssv and the SMMU supports substreams, the PASID .ssid.
 *
 * Models §4.5.2 CMD_PRI_RESP and §8; while SMMUEN == 0 the command is
 * ignored (§6.3.9.6).  Counts stats.pri_resps, and
 * stats.pri_resps_unrouted when no endpoint is connected for the SID.
 * Context: the command engine task (any); not a scheduling point.
 */
void smmuv3_pri_resp(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	bool pasid = cmd->pri_resp.ssv && smmu->caps.ssid_bits;

	if (!smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN))
		return;		/* §6.3.9.6: ignored while SMMUEN == 0 */
	smmu->stats.pri_resps++;
	prg_send(smmu, cmd->pri_resp.sid, pasid, pasid ? cmd->pri_resp.ssid : 0,
		 cmd->pri_resp.grpid, pri_resp_code(cmd->pri_resp.resp));
}
