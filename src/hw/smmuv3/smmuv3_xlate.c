// SPDX-License-Identifier: MIT
/*
 * SMMUv3 translation of untranslated transactions, fault handling and
 * stall (§3.12 fault models, §5.5 A/R/S, §7.3 event records).
 *
 * Flow of one transaction (each retry after RESUME(Retry) or after a
 * stall record waited for queue space starts again at the top, "as though
 * it had just arrived", §3.12.2):
 *
 *   SFM ................................. terminate, no event
 *   SMMUEN == 0 ......................... GBPA: abort, or bypass (§6.3.14)
 *   STE (config cache) error ............ C_BAD_STREAMID (if CR2.RECINVSID),
 *                                         F_STE_FETCH, C_BAD_STE; abort
 *   STE.Config == abort ................. abort, no event (§5.2)
 *   stage 1 off (bypass, S2-only) ....... SubstreamID: C_BAD_SUBSTREAMID;
 *                                         else bypass (stage 2 identity)
 *   substream selection (S1CDMax, S1DSS)  C_BAD_SUBSTREAMID, F_STREAM_DISABLED,
 *                                         S1DSS bypass
 *   CD (config cache) ................... F_CD_FETCH, C_BAD_SUBSTREAMID (L1CD),
 *                                         C_BAD_CD (V == 0 or ILLEGAL); abort
 *   TLB (world, ASID, VMID, page) hit ... permission check
 *   miss: walk of CD.TTB0 ............... walk_ns per level read;
 *                                         F_WALK_EABT (abort, always recorded);
 *                                         F_TRANSLATION / F_ACCESS / F_ADDR_SIZE;
 *                                         success fills the TLB
 *   permission check .................... F_PERMISSION
 *
 * Translation-related faults (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,
 * F_PERMISSION) follow the CD: stall when CD.S == 1, STE.S1STALLD == 0 and
 * IDR0.STALL_MODEL allows it (the record is always written, with Stall = 1
 * and a STAG, and the task blocks until CMD_RESUME); otherwise terminate,
 * recording only when CD.R == 1, with an abort (CD.A == 1) or RAZ/WI
 * (CD.A == 0).  Both terminations are a failed access to the requester
 * here (-EFAULT); a RAZ read returns zeros in the buffer.  Configuration
 * errors and F_WALK_EABT always abort and always try to record.
 *
 * Beyond IDR5.STALL_MAX held stalls a stalling fault is terminated with an
 * abort and recorded with Stall = 0, as §3.12 permits for stall
 * configurations the implementation cannot honour.
 *
 * Simplifications: stage 2 is not modelled (S2-only and nested streams
 * use an identity stage 2); STE PRIVCFG/INSTCFG overrides, TBI, HTTU and
 * event merging are not modelled; CD.T0SZ/TG0 do not change the walk
 * (pgtable.h).
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>
#include <string.h>

#include "check/fault.h"
#include "hw/pgtable.h"

#define PERM_ALL	(HW_PERM_R | HW_PERM_W | HW_PERM_X)

/* How one pass of the flow ended. */
enum xl_end {
	XL_END_OK,
	XL_END_ABORT,	/* terminated with an abort */
	XL_END_RAZ,	/* terminated with RAZ/WI */
	XL_END_RETRY,	/* start again as a new transaction */
};

/**
 * smmuv3_xl_init() - describe the request @t in @xl for the translation flow.
 * @xl:		filled in; result fields zeroed.
 * @t:		an untranslated request or an ATS Translation Request.
 *
 * Models §3.9 and §13.7: without a PASID prefix a transaction is
 * unprivileged data; with one, its Priv and Exe bits apply; a write is
 * never an instruction fetch (§7.3: InD == 0 when RnW == 0).
 * Context: any.  Pure.
 */
void smmuv3_xl_init(struct smmuv3_xl *xl, const struct pcie_txn *t)
{
	memset(xl, 0, sizeof(*xl));
	xl->sid = t->sid;
	xl->ssv = t->pasid_valid;
	xl->ssid = t->pasid_valid ? t->pasid : 0;
	xl->iova = t->addr;
	xl->write = t->write;
	xl->priv = t->pasid_valid && t->priv;
	xl->exec = t->pasid_valid && t->exec && !t->write;
}

/**
 * smmuv3_xl_event() - build the event record @id for the request in @xl.
 * @xl:		the request, with fetch_addr set for the *_FETCH and
 *		F_WALK_EABT events.
 * @id:		SMMUV3_EVT_* event ID.
 * @evt:	filled in (Stall = 0; the stall path sets Stall and STAG).
 *
 * Models the field sets of §7.3.3-§7.3.16: StreamID always; SSV and
 * SubstreamID where the record has them (C_BAD_SUBSTREAMID has no SSV and
 * always carries the SubstreamID, F_STREAM_DISABLED neither); RnW, PnU,
 * InD and InputAddr for F_BAD_ATS_TREQ, F_TRANSL_FORBIDDEN (RnW and the
 * address only) and the translation faults; CLASS = IN for stage-1
 * translation faults and TT for F_WALK_EABT (§7.3.12); FetchAddr for the
 * fetch aborts.  Context: any.  Pure.
 */
void smmuv3_xl_event(const struct smmuv3_xl *xl, uint8_t id, struct smmuv3_event *evt)
{
	memset(evt, 0, sizeof(*evt));
	evt->id = id;
	evt->sid = xl->sid;
	switch (id) {
	case SMMUV3_EVT_F_STREAM_DISABLED:
		return;
	case SMMUV3_EVT_C_BAD_SUBSTREAMID:
		evt->ssid = xl->ssid;
		return;
	case SMMUV3_EVT_F_TRANSL_FORBIDDEN:
		evt->read = !xl->write;
		evt->addr = xl->iova;
		return;
	default:
		break;
	}
	evt->ssv = xl->ssv;
	evt->ssid = xl->ssid;
	if (smmuv3_event_has_fetch_addr(id))
		evt->fetch_addr = xl->fetch_addr & SMMUV3_EVT3_FETCH_ADDR;
	if (id == SMMUV3_EVT_C_BAD_STREAMID || id == SMMUV3_EVT_C_BAD_STE ||
	    id == SMMUV3_EVT_C_BAD_CD || id == SMMUV3_EVT_F_STE_FETCH ||
	    id == SMMUV3_EVT_F_CD_FETCH)
		return;
	evt->read = !xl->write;
	evt->priv = xl->priv;
	evt->inst = xl->exec;
	evt->addr = xl->iova;
	if (id != SMMUV3_EVT_F_BAD_ATS_TREQ)
		evt->class = id == SMMUV3_EVT_F_WALK_EABT ? SMMUV3_EVT_CLASS_TT :
							    SMMUV3_EVT_CLASS_IN;
}

/* An identity translation of the page (bypass): never stale. */
static void xl_identity(struct smmuv3_xl *xl)
{
	uint64_t page = xl->iova & HW_PAGE_MASK;

	xl->x = (struct hw_xlate){
		.iova = page,
		.pa = page,
		.gen = HW_GEN_ANY,
		.made_at = sim_now(),
		.perm = PERM_ALL,
		.src = HW_XLATE_BYPASS,
	};
	xl->perm = PERM_ALL;
}

static int xl_config(struct smmuv3_xl *xl, uint8_t id)
{
	xl->evt_id = id;
	return SMMUV3_XL_CONFIG;
}

static bool ste_s1_enabled(const struct smmuv3_ste *ste)
{
	return ste->config == SMMUV3_STE_CONFIG_S1_TRANS ||
	       ste->config == SMMUV3_STE_CONFIG_NESTED;
}

/*
 * Which CD the request uses (§5.2 S1CDMax, S1DSS; §7.3.7, §7.3.9).
 * Return: SMMUV3_XL_OK with *@idx set, SMMUV3_XL_BYPASS, or
 * SMMUV3_XL_CONFIG.
 */
static int xl_select_cd(const struct smmuv3 *smmu, const struct smmuv3_ste *ste,
			struct smmuv3_xl *xl, uint32_t *idx)
{
	if (!ste_s1_enabled(ste))
		return xl->ssv ? xl_config(xl, SMMUV3_EVT_C_BAD_SUBSTREAMID) : SMMUV3_XL_BYPASS;
	*idx = 0;
	if (!ste->s1cdmax || !smmu->caps.ssid_bits)
		return xl->ssv ? xl_config(xl, SMMUV3_EVT_C_BAD_SUBSTREAMID) : SMMUV3_XL_OK;
	if (!xl->ssv) {
		switch (ste->s1dss) {
		case SMMUV3_STE_S1DSS_BYPASS:
			return SMMUV3_XL_BYPASS;
		case SMMUV3_STE_S1DSS_SSID0:
			return SMMUV3_XL_OK;
		default:
			return xl_config(xl, SMMUV3_EVT_F_STREAM_DISABLED);
		}
	}
	if (xl->ssid >= (1U << ste->s1cdmax))
		return xl_config(xl, SMMUV3_EVT_C_BAD_SUBSTREAMID);
	if (ste->s1dss == SMMUV3_STE_S1DSS_SSID0 && !xl->ssid)
		return xl_config(xl, SMMUV3_EVT_F_STREAM_DISABLED);
	*idx = xl->ssid;
	return SMMUV3_XL_OK;
}

/* TLB tags of a stream: StreamWorld, ASID, VMID (§3.3.3, §5.2 STRW). */
struct xl_tag {
	uint8_t world;
	uint16_t asid;
	uint16_t vmid;
};

static void xl_tag(const struct smmuv3 *smmu, const struct smmuv3_ste *ste,
		   const struct smmuv3_cd *cd, struct xl_tag *tag)
{
	bool el2 = ste->config == SMMUV3_STE_CONFIG_S1_TRANS && smmu->cfg.hyp &&
		   ste->strw == SMMUV3_STE_STRW_EL2;

	memset(tag, 0, sizeof(*tag));
	if (!el2) {
		tag->world = SMMUV3_WORLD_NS_EL1;
		tag->asid = cd->asid;
		tag->vmid = smmu->caps.s2p ? ste->s2vmid : 0;
	} else if (smmu->cr2 & SMMUV3_CR2_E2H) {
		tag->world = SMMUV3_WORLD_NS_EL2_E2H;
		tag->asid = cd->asid;
	} else {
		tag->world = SMMUV3_WORLD_NS_EL2;
	}
}

static uint8_t walk_event(enum hw_pt_fault f)
{
	switch (f) {
	case HW_PT_ACCESS:
		return SMMUV3_EVT_F_ACCESS;
	case HW_PT_PERMISSION:
		return SMMUV3_EVT_F_PERMISSION;
	case HW_PT_ADDR_SIZE:
		return SMMUV3_EVT_F_ADDR_SIZE;
	case HW_PT_WALK_EABT:
		return SMMUV3_EVT_F_WALK_EABT;
	default:
		return SMMUV3_EVT_F_TRANSLATION;
	}
}

/* Descriptor reads a walk made (an address-size fault reads none). */
static unsigned walk_levels(const struct hw_pt_walk *w)
{
	return w->fault == HW_PT_ADDR_SIZE ? 0 : w->level + 1;
}

/*
 * Walk CD.TTB0 for the request and fill the TLB (§3.4 stage-1 walk on the
 * simplified format).  The walk time is charged first and the tables are
 * read at its end, so a TLBI that completes meanwhile cannot be undone
 * by a fill from before it.
 */
static int xl_walk(struct smmuv3 *smmu, struct smmuv3_xl *xl, const struct xl_tag *tag)
{
	struct smmuv3_tlb_entry e = { 0 };
	struct hw_pt_walk wp, wu;

	if (xl->cd.epd0) {		/* §7.3.13: address in a disabled TTBx */
		xl->evt_id = SMMUV3_EVT_F_TRANSLATION;
		return SMMUV3_XL_FAULT;
	}
	smmu->stats.walks++;
	hw_pgtable_walk(smmu->mem, xl->cd.ttb0, xl->iova, 0, true, &wp);
	if (smmu->cfg.walk_ns && walk_levels(&wp)) {
		sim_delay(smmu->cfg.walk_ns * walk_levels(&wp));
		hw_pgtable_walk(smmu->mem, xl->cd.ttb0, xl->iova, 0, true, &wp);
	}
	if (wp.fault != HW_PT_OK) {
		xl->evt_id = walk_event(wp.fault);
		xl->fetch_addr = wp.fetch_addr;
		return wp.fault == HW_PT_WALK_EABT ? SMMUV3_XL_EABT : SMMUV3_XL_FAULT;
	}
	hw_pgtable_walk(smmu->mem, xl->cd.ttb0, xl->iova, 0, false, &wu);
	e.world = tag->world;
	e.asid = tag->asid;
	e.vmid = tag->vmid;
	e.x = (struct hw_xlate){
		.iova = xl->iova & HW_PAGE_MASK,
		.pa = wp.pa,
		.gen = hw_mem_gen(smmu->mem, wp.pa),
		.made_at = sim_now(),
		.perm = wp.perm,
		.src = HW_XLATE_WALK,
	};
	e.perm_unpriv = wu.fault == HW_PT_OK ? wu.perm : 0;
	e.priv_ok = e.perm_unpriv != 0;
	smmuv3_tlb_fill(smmu, &e);
	xl->x = e.x;
	xl->perm = xl->priv ? wp.perm : e.perm_unpriv;
	return SMMUV3_XL_OK;
}

/* The TLB, else a walk; then the permission check (F_PERMISSION). */
static int xl_translate(struct smmuv3 *smmu, const struct smmuv3_ste *ste, struct smmuv3_xl *xl)
{
	struct smmuv3_tlb_entry *e;
	struct xl_tag tag;
	uint8_t want;
	int r;

	xl_tag(smmu, ste, &xl->cd, &tag);
	e = smmuv3_tlb_lookup_world(smmu, tag.world, tag.asid, tag.vmid, xl->iova);
	if (e) {
		smmu->stats.tlb_hits++;
		xl->x = e->x;
		xl->x.src = HW_XLATE_SMMU_TLB;
		xl->perm = xl->priv ? e->x.perm : e->perm_unpriv;
	} else {
		smmu->stats.tlb_misses++;
		r = xl_walk(smmu, xl, &tag);
		if (r != SMMUV3_XL_OK)
			return r;
	}
	want = xl->exec ? HW_PERM_X : xl->write ? HW_PERM_W : HW_PERM_R;
	if ((xl->perm & want) != want) {
		xl->evt_id = SMMUV3_EVT_F_PERMISSION;
		return SMMUV3_XL_FAULT;
	}
	return SMMUV3_XL_OK;
}

/**
 * smmuv3_xl_stage1() - the stage-1 part of the flow for a request on a
 * stream whose STE is valid, legal and not Config == abort.
 * @smmu:	the SMMU.
 * @ste:	the stream's decoded STE.
 * @xl:		the request (smmuv3_xl_init()); results are written to it.
 *
 * Models substream selection (§5.2 S1CDMax/S1DSS), the CD fetch (§5.4),
 * the TLB lookup (§16.2) and the stage-1 walk (§3.4) with its faults
 * (§7.3.12-§7.3.16).  Stage 2 is not modelled: a stream without stage 1
 * is an identity translation.  Counts tlb_hits, tlb_misses, walks.
 *
 * Return: SMMUV3_XL_OK (@xl->x, @xl->perm set), SMMUV3_XL_BYPASS (@xl->x
 * is the identity), SMMUV3_XL_CONFIG or SMMUV3_XL_FAULT (@xl->evt_id;
 * @xl->cd valid when @xl->have_cd), SMMUV3_XL_EABT (F_WALK_EABT,
 * @xl->fetch_addr).  An F_PERMISSION fault leaves @xl->x and @xl->perm
 * set (ATS grants what the page allows).
 * Context: task (a walk sleeps walk_ns per level; a scheduling point).
 */
int smmuv3_xl_stage1(struct smmuv3 *smmu, const struct smmuv3_ste *ste, struct smmuv3_xl *xl)
{
	uint32_t idx = 0;
	int r;

	r = xl_select_cd(smmu, ste, xl, &idx);
	if (r == SMMUV3_XL_BYPASS)
		xl_identity(xl);
	if (r != SMMUV3_XL_OK)
		return r;
	r = smmuv3_cd_get(smmu, xl->sid, ste, idx, &xl->cd, &xl->fetch_addr);
	if (r)
		return xl_config(xl, r);
	if (!xl->cd.valid)		/* §7.3.11: V == 0 is C_BAD_CD */
		return xl_config(xl, SMMUV3_EVT_C_BAD_CD);
	xl->have_cd = true;
	return xl_translate(smmu, ste, xl);	/* nested: stage 2 is the identity */
}

/* Record @evt unless it is a C_BAD_STREAMID with CR2.RECINVSID clear (§7.3.3). */
static void xl_record(struct smmuv3 *smmu, const struct smmuv3_event *evt)
{
	if (evt->id == SMMUV3_EVT_C_BAD_STREAMID && !(smmu->cr2 & SMMUV3_CR2_RECINVSID))
		return;
	smmuv3_evtq_record(smmu, evt);
}

/* A configuration error or F_WALK_EABT: record and abort (§3.12, §5.5). */
static enum xl_end xl_terminate(struct smmuv3 *smmu, const struct smmuv3_xl *xl)
{
	struct smmuv3_event evt;

	smmu->stats.faults++;
	smmuv3_xl_event(xl, xl->evt_id, &evt);
	xl_record(smmu, &evt);
	return XL_END_ABORT;
}

static bool stag_busy(const struct smmuv3 *smmu, uint16_t stag)
{
	for (unsigned i = 0; i < smmu->cfg.stall_max; i++)
		if (smmu->stalls[i].busy && smmu->stalls[i].stag == stag)
			return true;
	return false;
}

/* A free stall slot with a fresh STAG (§3.12.2: not reused until resumed), or NULL. */
static struct smmuv3_stall *stall_alloc(struct smmuv3 *smmu, uint32_t sid)
{
	for (unsigned i = 0; i < smmu->cfg.stall_max; i++) {
		struct smmuv3_stall *st = &smmu->stalls[i];

		if (st->busy)
			continue;
		memset(st, 0, sizeof(*st));
		do
			st->stag = smmu->next_stag++;
		while (stag_busy(smmu, st->stag));
		st->busy = true;
		st->sid = sid;
		st->waiter = sim_current();
		return st;
	}
	return NULL;
}

static void stall_free(struct smmuv3_stall *st)
{
	memset(st, 0, sizeof(*st));
}

/*
 * Hold the transaction until CMD_RESUME or termination; how it ends.
 * Clearing SMMUEN (or SFM) terminates it with an abort (§6.3.9.6).
 */
static enum xl_end stall_wait(struct smmuv3 *smmu, struct smmuv3_stall *st)
{
	struct sim_wait w = { .what = "stall", .name = smmu->name, .obj = st };
	uint8_t resp;

	while (!st->resumed) {
		if (smmu->sfm || !smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN)) {
			st->resumed = true;
			st->resp = SMMUV3_RESUME_ABORT;
			break;
		}
		sim_block(&w, false);
	}
	resp = st->resp;
	if (smmu->stall_obs.fn)
		smmu->stall_obs.fn(smmu->stall_obs.arg, smmu, st->sid, st->stag, false, st->waiter);
	stall_free(st);
	switch (resp) {
	case SMMUV3_RESUME_RETRY:
		return XL_END_RETRY;
	case SMMUV3_RESUME_TERM:
		return XL_END_RAZ;
	default:
		return XL_END_ABORT;
	}
}

/*
 * Stall the transaction with a STAG and an event record (§3.12.2).
 * @root: CD.TTB0 the faulting walk used, for the fault checker (raised
 * before the record is written, so no consumer can see it first).
 */
static enum xl_end xl_stall(struct smmuv3 *smmu, struct smmuv3_event *evt, uint64_t root)
{
	struct smmuv3_stall *st = stall_alloc(smmu, evt->sid);
	int r;

	if (!st) {			/* beyond STALL_MAX: terminate (§3.12) */
		smmuv3_evtq_record(smmu, evt);
		return XL_END_ABORT;
	}
	evt->stall = true;
	evt->stag = st->stag;
	fault_chk_raise(FAULT_CHK_STALL, evt->sid, evt->stag, root);
	r = smmuv3_evtq_record(smmu, evt);
	if (r == -EAGAIN || r == -ECANCELED) {
		stall_free(st);
		return r == -EAGAIN ? XL_END_RETRY : XL_END_ABORT;
	}
	st->recorded = true;		/* written, or lost to an abort (§7.2.2) */
	smmu->stats.stalls++;
	if (smmu->stall_obs.fn)
		smmu->stall_obs.fn(smmu->stall_obs.arg, smmu, st->sid, st->stag, true, st->waiter);
	return stall_wait(smmu, st);
}

static bool can_stall(const struct smmuv3 *smmu, const struct smmuv3_ste *ste,
		      const struct smmuv3_cd *cd)
{
	return cd->s && !ste->s1stalld &&
	       smmu->caps.stall_model != SMMUV3_IDR0_STALL_MODEL_NONE;
}

/* A translation-related fault: stall, or terminate per CD.{A,R} (§5.5). */
static enum xl_end xl_fault(struct smmuv3 *smmu, const struct smmuv3_ste *ste,
			    const struct smmuv3_xl *xl)
{
	struct smmuv3_event evt;

	smmu->stats.faults++;
	smmuv3_xl_event(xl, xl->evt_id, &evt);
	if (can_stall(smmu, ste, &xl->cd))
		return xl_stall(smmu, &evt, xl->cd.epd0 ? 0 : xl->cd.ttb0);
	if (xl->cd.r)
		smmuv3_evtq_record(smmu, &evt);
	return xl->cd.a ? XL_END_ABORT : XL_END_RAZ;
}

/* SMMUEN == 0: SMMU_GBPA decides (§6.3.14: abort, or bypass). */
static enum xl_end xl_gbpa(const struct smmuv3 *smmu, struct smmuv3_xl *xl)
{
	if (smmu->gbpa & SMMUV3_GBPA_ABORT)
		return XL_END_ABORT;
	xl_identity(xl);
	return XL_END_OK;
}

/* One pass of the flow drawn at the top of this file. */
static enum xl_end xl_pass(struct smmuv3 *smmu, const struct pcie_txn *t, struct hw_xlate *out)
{
	struct smmuv3_ste ste;
	struct smmuv3_xl xl;
	enum xl_end end;
	int r;

	smmuv3_xl_init(&xl, t);
	if (smmu->sfm)
		return XL_END_ABORT;
	if (!smmuv3_enabled(smmu, SMMUV3_CR0_SMMUEN)) {
		end = xl_gbpa(smmu, &xl);
		*out = xl.x;
		return end;
	}
	r = smmuv3_ste_get(smmu, xl.sid, &ste, &xl.fetch_addr);
	if (r) {
		xl.evt_id = r;
		return xl_terminate(smmu, &xl);
	}
	if (ste.config == SMMUV3_STE_CONFIG_ABORT)
		return XL_END_ABORT;	/* §5.2 Config 0b000: no event */
	switch (smmuv3_xl_stage1(smmu, &ste, &xl)) {
	case SMMUV3_XL_OK:
	case SMMUV3_XL_BYPASS:
		*out = xl.x;
		return XL_END_OK;
	case SMMUV3_XL_FAULT:
		return xl_fault(smmu, &ste, &xl);
	default:
		return xl_terminate(smmu, &xl);
	}
}

/* Translate @t, retrying as §3.12.2 says; 0 or -EFAULT (*@raz: RAZ/WI). */
static int xl_txn(struct smmuv3 *smmu, const struct pcie_txn *t, struct hw_xlate *out, bool *raz)
{
	enum xl_end end;

	smmu->stats.translations++;
	do
		end = xl_pass(smmu, t, out);
	while (end == XL_END_RETRY);
	*raz = end == XL_END_RAZ;
	return end == XL_END_OK ? 0 : -EFAULT;
}

/**
 * smmuv3_translate() - translate the untranslated request @t without
 * accessing memory: the translation a memory request would use.
 * @smmu:	the SMMU.
 * @t:		the request (t->at is ignored: treated as untranslated).
 * @out:	the translation on success, src HW_XLATE_SMMU_TLB (TLB hit),
 *		HW_XLATE_WALK (fresh walk) or HW_XLATE_BYPASS (gen
 *		HW_GEN_ANY).
 *
 * Models the transaction flow of §3.12 drawn at the top of this file,
 * with events recorded to the event queue and stalls held until
 * CMD_RESUME.  Counts stats.translations (once per transaction, retries
 * included), faults, stalls.
 *
 * Return: 0; -EFAULT when the transaction was terminated (abort or RAZ/WI,
 * configuration error, SMMU disabled with GBPA.ABORT, SFM).
 * Context: task; may block (a stall waits for CMD_RESUME, a stall record
 * for event queue space) and sleeps walk_ns per table level walked.
 */
int smmuv3_translate(struct smmuv3 *smmu, const struct pcie_txn *t, struct hw_xlate *out)
{
	bool raz;

	return xl_txn(smmu, t, out, &raz);
}

/* A translated request (ATS): checked, then straight to memory (§3.9.1.3). */
static int translated_access(struct smmuv3 *smmu, const struct pcie_txn *t, void *buf,
			     unsigned len)
{
	uint64_t off = t->addr & ~HW_PAGE_MASK;
	struct hw_xlate x;
	struct hw_dma d;
	int r;

	if (smmu->sfm)
		return -EFAULT;
	r = smmuv3_translated_check(smmu, t);
	if (r)
		return r;
	if (t->xlate)
		x = *t->xlate;
	else	/* no ATC entry behind it: nothing to age */
		x = (struct hw_xlate){ .iova = t->addr & HW_PAGE_MASK, .gen = HW_GEN_ANY,
				       .made_at = sim_now(), .perm = PERM_ALL };
	x.pa = t->addr & HW_PAGE_MASK;
	x.src = HW_XLATE_ATC;
	d = (struct hw_dma){ .device = t->device, .sid = t->sid, .ssv = t->pasid_valid,
			     .ssid = t->pasid, .iova = x.iova + off, .write = t->write,
			     .x = &x };
	return hw_mem_dma(smmu->mem, &d, buf, len);
}

/**
 * smmuv3_mem_request() - upstream op: a memory read or write from an
 * endpoint (see struct pcie_upstream_ops).
 * @opaque:	the SMMU.
 * @t:		the request: untranslated (translated here, then accessed),
 *		or translated (t->at == PCIE_AT_TRANSLATED: checked by
 *		smmuv3_translated_check(), then accessed with *t->xlate as
 *		the translation, src HW_XLATE_ATC).
 * @buf, @len:	data to write or buffer for the data read; the access must
 *		not cross a page.
 *
 * Every access reaches memory through hw_mem_dma(), which reports a
 * stale translation (STALE_DMA_WRITE / STALE_DMA_READ) naming where it
 * was found.  Models §3.12 (untranslated) and §3.9.1.3 (translated).
 *
 * Return: 0; -EFAULT when the request was terminated (fault, abort,
 * RAZ/WI, stream disabled, SFM; a terminated read returns zeros) or is
 * outside memory; -EPERM when a translated request was refused
 * (F_TRANSL_FORBIDDEN); -EINVAL when it crosses a page.
 * Context: an endpoint's task; may block (see smmuv3_translate()).
 */
int smmuv3_mem_request(void *opaque, const struct pcie_txn *t, void *buf, unsigned len)
{
	struct smmuv3 *smmu = opaque;
	struct hw_xlate x;
	struct hw_dma d;
	bool raz;

	if (t->at == PCIE_AT_TRANSLATED)
		return translated_access(smmu, t, buf, len);
	if (xl_txn(smmu, t, &x, &raz)) {
		if (!t->write && buf)
			memset(buf, 0, len);
		return -EFAULT;
	}
	d = (struct hw_dma){ .device = t->device, .sid = t->sid, .ssv = t->pasid_valid,
			     .ssid = t->pasid, .iova = t->addr, .write = t->write, .x = &x };
	return hw_mem_dma(smmu->mem, &d, buf, len);
}

/**
 * smmuv3_stall_resume() - execute CMD_RESUME(@sid, @stag, @resp).
 * @resp:	SMMUV3_RESUME_RETRY (the transaction is retried as though
 *		new), _TERM (terminated, RAZ/WI) or _ABORT (terminated with
 *		an abort).
 *
 * Models §4.7.1 and §3.12.2: only the stall identified by both StreamID
 * and STAG is affected; a RESUME matching no held stall (unknown STAG, a
 * StreamID that does not own the STAG, a stall whose record was not yet
 * written) has no effect and is counted in stats.resumes_unmatched.
 * Counts stats.resumes.
 * Context: the command engine task (any); not a scheduling point.
 */
void smmuv3_stall_resume(struct smmuv3 *smmu, uint32_t sid, uint16_t stag, uint8_t resp)
{
	for (unsigned i = 0; i < smmu->cfg.stall_max; i++) {
		struct smmuv3_stall *st = &smmu->stalls[i];

		if (!st->busy || !st->recorded || st->resumed ||
		    st->sid != sid || st->stag != stag)
			continue;
		st->resumed = true;
		st->resp = resp;
		smmu->stats.resumes++;
		sim_wake(st->waiter);
		return;
	}
	smmu->stats.resumes_unmatched++;
}

/**
 * smmuv3_stall_terminate_all() - terminate every held stall with an abort,
 * including stalls whose record still waits for the event queue.
 *
 * Models the termination of stalled transactions when SMMUEN is cleared
 * (§3.12.2, §6.3.9.6), on Service Failure Mode and on reset.
 * Context: any; not a scheduling point.
 */
void smmuv3_stall_terminate_all(struct smmuv3 *smmu)
{
	for (unsigned i = 0; i < smmu->cfg.stall_max; i++) {
		struct smmuv3_stall *st = &smmu->stalls[i];

		if (!st->busy || st->resumed)
			continue;
		st->resumed = true;
		st->resp = SMMUV3_RESUME_ABORT;
		if (st->waiter)
			sim_wake(st->waiter);
	}
}
