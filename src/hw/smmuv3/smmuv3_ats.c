// SPDX-License-Identifier: MIT
/*
 * SMMUv3 ATS: Translation Requests and Translated transactions (§3.9.1).
 *
 * Translation Request (§3.9.1.2, §7.3.6):
 *   SFM ................................ CA (the SMMU stopped; model choice)
 *   SMMUEN == 0 ........................ UR, F_BAD_ATS_TREQ
 *   STE error (C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE)
 *                                        CA, no event (CR2.REC_CFG_ATS is
 *                                        not implemented: reads as 0)
 *   STE.Config == abort ................ UR, no event
 *   STE.Config == bypass ............... UR, F_BAD_ATS_TREQ (EATS is
 *                                        effectively 0b00)
 *   effective EATS == 0b00 ............. UR, F_BAD_ATS_TREQ (EATS == 0b10
 *                                        counts as 0b00 while ATSCHK == 0)
 *   otherwise the stage-1 flow of smmuv3_xlate.c, never stalling and
 *   never recording a translation fault:
 *     configuration error, F_WALK_EABT . CA, no event
 *     F_TRANSLATION/F_ACCESS/F_ADDR_SIZE Success with R == W == 0
 *     F_PERMISSION, or success ......... Success granting the requested
 *                                        permissions the page allows
 *     stage 1 skipped (S1DSS bypass) ... Success, identity, R == W == 1
 * The completion carries the translation's page generation and time as
 * shadow fields, so the endpoint's ATC entry can be aged by the checker.
 *
 * Translated transaction (§3.9.1.3, §5.2 EATS, §7.3.8):
 *   SMMUEN == 0 ........................ abort, F_TRANSL_FORBIDDEN
 *   ATSCHK == 0 ........................ passes with no further checks
 *   ATSCHK == 1: STE error or Config == abort: abort, no event;
 *                Config == bypass or effective EATS == 0b00: abort,
 *                F_TRANSL_FORBIDDEN; otherwise it passes.
 * The STE comes through the config cache, so a cleared EATS is only seen
 * after CFGI_STE.
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>
#include <string.h>

/* The effective STE.EATS allows ATS (§5.2 EATS, Config). */
static bool eats_allows(const struct smmuv3 *smmu, const struct smmuv3_ste *ste)
{
	if (ste->config == SMMUV3_STE_CONFIG_BYPASS)
		return false;
	switch (ste->eats) {
	case SMMUV3_STE_EATS_TRANS:
		return true;
	case SMMUV3_STE_EATS_S1CHK:
		return smmuv3_enabled(smmu, SMMUV3_CR0_ATSCHK);
	default:
		return false;
	}
}

static void record(struct smmuv3 *smmu, const struct smmuv3_xl *xl, uint8_t id)
{
	struct smmuv3_event evt;

	smmuv3_xl_event(xl, id, &evt);
	smmuv3_evtq_record(smmu, &evt);
}

static void ats_ur(struct smmuv3 *smmu, const struct smmuv3_xl *xl, bool event,
		   struct pcie_ats_cpl *cpl)
{
	cpl->status = PCIE_ATS_UR;
	smmu->stats.ats_ur++;
	if (event)
		record(smmu, xl, SMMUV3_EVT_F_BAD_ATS_TREQ);
}

/* The completion for a request that reached the stage-1 flow. */
static void ats_complete(const struct smmuv3_xl *xl, int status, struct pcie_ats_cpl *cpl)
{
	uint8_t want = HW_PERM_R | (xl->write ? HW_PERM_W : 0) | (xl->exec ? HW_PERM_X : 0);

	cpl->status = PCIE_ATS_SUCCESS;
	cpl->x = xl->x;
	cpl->x.iova = xl->iova & HW_PAGE_MASK;
	switch (status) {
	case SMMUV3_XL_OK:
		cpl->x.perm = xl->perm & want;
		return;
	case SMMUV3_XL_BYPASS:
		cpl->x.perm = HW_PERM_R | HW_PERM_W;
		return;
	case SMMUV3_XL_FAULT:
		cpl->x.perm = xl->evt_id == SMMUV3_EVT_F_PERMISSION ? xl->perm & want : 0;
		return;
	default:
		memset(cpl, 0, sizeof(*cpl));
		cpl->status = PCIE_ATS_CA;
	}
}

/**
 * smmuv3_ats_translate() - upstream op: an ATS Translation Request for
 * the page at @t->addr.
 * @opaque:	the SMMU.
 * @t:		the request (t->write: write access intended, i.e. NW == 0;
 *		PASID prefix with Priv/Exe).
 * @cpl:	the Translation Completion, fully written.
 *
 * Models §3.9.1.2 and §7.3.6 as summarised at the top of this file; the
 * translation itself uses the SMMU TLB and fills it like an ordinary
 * transaction (§3.9.1), so a stale TLB entry yields a stale completion.
 * Counts stats.ats_requests and ats_ur.
 * Context: an endpoint's task; sleeps walk_ns per table level walked.
 */
void smmuv3_ats_translate(void *opaque, const struct pcie_txn *t, struct pcie_ats_cpl *cpl)
{
	struct smmuv3 *smmu = opaque;
	struct smmuv3_ste ste;
	struct smmuv3_xl xl;

	memset(cpl, 0, sizeof(*cpl));
	smmu->stats.ats_requests++;
	smmuv3_xl_init(&xl, t);
	if (smmu->sfm) {
		cpl->status = PCIE_ATS_CA;
		return;
	}
	if (!smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN)) {
		ats_ur(smmu, &xl, true, cpl);
		return;
	}
	if (smmuv3_ste_get(smmu, xl.sid, &ste, &xl.fetch_addr)) {
		cpl->status = PCIE_ATS_CA;
		return;
	}
	if (ste.config == SMMUV3_STE_CONFIG_ABORT || !eats_allows(smmu, &ste)) {
		ats_ur(smmu, &xl, ste.config != SMMUV3_STE_CONFIG_ABORT, cpl);
		return;
	}
	ats_complete(&xl, smmuv3_xl_stage1(smmu, &ste, &xl), cpl);
}

static int refuse(struct smmuv3 *smmu, const struct pcie_txn *t, bool event)
{
	struct smmuv3_xl xl;

	smmu->stats.translated_refused++;
	if (event) {
		smmuv3_xl_init(&xl, t);
		record(smmu, &xl, SMMUV3_EVT_F_TRANSL_FORBIDDEN);
	}
	return -EPERM;
}

/**
 * smmuv3_translated_check() - may the translated (ATS) request @t pass?
 * @smmu:	the SMMU.
 * @t:		a request with t->at == PCIE_AT_TRANSLATED.
 *
 * Models §3.9.1.3, §5.2 (Config, EATS) and §7.3.8 as summarised at the
 * top of this file; the STE is read through the config cache.  Counts
 * stats.translated_ok / translated_refused.  During Service Failure Mode
 * every request is refused without an event.
 *
 * Return: 0 when it passes; -EPERM when it is aborted (F_TRANSL_FORBIDDEN
 * recorded where the architecture says so).
 * Context: an endpoint's task; a scheduling point only when an event is
 * recorded.
 */
int smmuv3_translated_check(struct smmuv3 *smmu, const struct pcie_txn *t)
{
	struct smmuv3_ste ste;
	uint64_t fetch_addr;

	if (smmu->sfm)
		return refuse(smmu, t, false);
	if (!smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN))
		return refuse(smmu, t, true);
	if (smmuv3_enabled(smmu, SMMUV3_CR0_ATSCHK)) {
		if (smmuv3_ste_get(smmu, t->sid, &ste, &fetch_addr) ||
		    ste.config == SMMUV3_STE_CONFIG_ABORT)
			return refuse(smmu, t, false);
		if (!eats_allows(smmu, &ste))
			return refuse(smmu, t, true);
	}
	smmu->stats.translated_ok++;
	return 0;
}
