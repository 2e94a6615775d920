// SPDX-License-Identifier: MIT
/*
 * STE and CD builders, the "used bits" of each kind of entry, and the entry
 * writer that moves a live 8-qword entry to a new value while the SMMU may
 * fetch it between any two 64-bit stores (Linux arm_smmu_write_entry()).
 *
 * The writer's decision.  Let U(x) be the bits the SMMU uses when the entry
 * holds x (get_used), S the bits that may change while used
 * (get_update_safe, restricted to bits both cur and target use):
 *
 *   step0 := cur with every bit outside U(cur) \ S taken from target
 *   crit  := { i : step0[i] & U(target)[i] != target[i] }
 *
 *        crit == {}            crit == {i}                 |crit| >= 2
 *   (nothing used changes)    (hitless)                  (breaking, V=0)
 *   ----------------------   -------------------------   -------------------
 *   store all qwords          store step0, except         qword 0 := 0 (V=0)
 *   sync if any changed       qword i          [sync*]    sync
 *                             store target[i]   sync      store qwords 1..7
 *                             store the rest   [sync*]    sync*
 *                                                         store qword 0
 *                                                         sync
 *
 *   [sync*]: only when the step changed at least one qword.
 *
 * Hitless works because until qword i lands the SMMU uses only bits of
 * step0 that equal cur, and after it lands only bits that equal target;
 * the final pass clears bits target does not use.  The breaking sequence
 * relies on the SMMU ignoring every other field of an STE/CD with V=0.
 *
 * Every qword is written with one WRITE_ONCE (single-copy atomic on the
 * SMMU's side); ops->observe_store, when set, sees the entry after each.
 */
#include "drivers/arm-smmu-v3/arm-smmu-v3-entry.h"

#include <string.h>

#include "hw/smmuv3/smmuv3_regs.h"

/* ------------------------------------------------------------------ */
/* Used bits                                                           */
/* ------------------------------------------------------------------ */

/* CONFIG bit 0 set: stage 1 translates; bit 1 set: stage 2 translates. */
#define STE_CFG_S1	BIT(0)
#define STE_CFG_S2	BIT(1)

static void ste_used_s1(const u64 *ent, u64 *used)
{
	used[0] |= SMMUV3_STE0_S1FMT | SMMUV3_STE0_S1CTXPTR | SMMUV3_STE0_S1CDMAX;
	used[1] |= SMMUV3_STE1_S1DSS | SMMUV3_STE1_S1CIR | SMMUV3_STE1_S1COR |
		   SMMUV3_STE1_S1CSH | SMMUV3_STE1_S1STALLD | SMMUV3_STE1_STRW |
		   SMMUV3_STE1_EATS | SMMUV3_STE1_MEV;
	/* With STRW = NS-EL1 the VMID tags stage-1 TLB entries too. */
	used[2] |= SMMUV3_STE2_S2VMID;
	/* SHCFG applies to the substreamless traffic S1DSS lets bypass (§13.5). */
	if (FIELD_GET(SMMUV3_STE1_S1DSS, ent[1]) == SMMUV3_STE_S1DSS_BYPASS)
		used[1] |= SMMUV3_STE1_SHCFG;
}

static void ste_used_s2(u64 *used)
{
	used[1] |= SMMUV3_STE1_S2FWB | SMMUV3_STE1_EATS | SMMUV3_STE1_SHCFG |
		   SMMUV3_STE1_MEV;
	used[2] |= SMMUV3_STE2_S2VMID | SMMUV3_STE2_VTCR | SMMUV3_STE2_S2AA64 |
		   SMMUV3_STE2_S2ENDI | SMMUV3_STE2_S2PTW | SMMUV3_STE2_S2S |
		   SMMUV3_STE2_S2R;
	used[3] |= SMMUV3_STE3_S2TTB;
}

/**
 * arm_smmu_get_ste_used() - the bits of STE @ent the SMMU reads, into
 * @used_bits (NUM_ENTRY_QWORDS, fully written).  Covers at least every field
 * the builders set.  Models Linux arm_smmu_get_ste_used().  Context: any.
 */
void arm_smmu_get_ste_used(const u64 *ent, u64 *used_bits)
{
	unsigned int cfg = FIELD_GET(SMMUV3_STE0_CONFIG, ent[0]);

	memset(used_bits, 0, NUM_ENTRY_QWORDS * sizeof(*used_bits));
	used_bits[0] = SMMUV3_STE0_V;
	if (!(ent[0] & SMMUV3_STE0_V))
		return;		/* V=0: every other field is IGNORED */
	used_bits[0] |= SMMUV3_STE0_CONFIG;
	if (cfg & STE_CFG_S1)
		ste_used_s1(ent, used_bits);
	if (cfg & STE_CFG_S2)
		ste_used_s2(used_bits);
	if (cfg == SMMUV3_STE_CONFIG_BYPASS)
		used_bits[1] |= SMMUV3_STE1_SHCFG;
}

/**
 * arm_smmu_get_ste_update_safe() - bits of qword 1 that may change while the
 * SMMU uses them without making an update non-hitless, into @safe_bits
 * (OR-ed in; the caller zeroes it).  Models Linux
 * arm_smmu_get_ste_update_safe():
 *  - EATS=TRANS: the attach sequence has ATS disabled at the PCI function
 *    whenever EATS changes, so no translation request can race with it.
 *    Not when either side uses EATS=S1CHK (a half-written 0b11 would be an
 *    errant value) or sets S2S (EATS!=0 with S2S=1 is an ILLEGAL STE, §5.2).
 *  - MEV: only merges fault records; software must cope with merged
 *    records even with MEV=0 (§5.2, STE.MEV).
 * Context: any.
 */
void arm_smmu_get_ste_update_safe(const u64 *cur, const u64 *target, u64 *safe_bits)
{
	const u64 eats_s1chk = FIELD_PREP(SMMUV3_STE1_EATS, SMMUV3_STE_EATS_S1CHK);
	const u64 eats_trans = FIELD_PREP(SMMUV3_STE1_EATS, SMMUV3_STE_EATS_TRANS);
	bool s1chk = (cur[1] | target[1]) & eats_s1chk;
	bool s2s = (cur[2] | target[2]) & SMMUV3_STE2_S2S;

	if (!s1chk && !s2s)
		safe_bits[1] |= eats_trans;
	safe_bits[1] |= SMMUV3_STE1_MEV;
}

/**
 * arm_smmu_get_cd_used() - the bits of CD @ent the SMMU reads, into
 * @used_bits (NUM_ENTRY_QWORDS, fully written): V alone when V=0; else all
 * of it, less the TTB0 walk settings (T0SZ, TG0, IRGN0, ORGN0, SH0, TTB0)
 * when EPD0 disables TTB0 walks.  Models Linux arm_smmu_get_cd_used().
 * Context: any.
 */
void arm_smmu_get_cd_used(const u64 *ent, u64 *used_bits)
{
	memset(used_bits, 0, NUM_ENTRY_QWORDS * sizeof(*used_bits));
	used_bits[0] = SMMUV3_CD0_V;
	if (!(ent[0] & SMMUV3_CD0_V))
		return;
	memset(used_bits, 0xff, NUM_ENTRY_QWORDS * sizeof(*used_bits));
	if (ent[0] & SMMUV3_CD0_EPD0) {
		used_bits[0] &= ~(SMMUV3_CD0_T0SZ | SMMUV3_CD0_TG0 | SMMUV3_CD0_IR0 |
				  SMMUV3_CD0_OR0 | SMMUV3_CD0_SH0);
		used_bits[1] &= ~SMMUV3_CD1_TTB0;
	}
}

/* ------------------------------------------------------------------ */
/* The writer                                                          */
/* ------------------------------------------------------------------ */

/*
 * Fill @step0 (cur with its freely changeable bits already at their target
 * values) and return the mask of qwords whose target-used bits still differ
 * after it: the qwords that must change "while used" (Linux
 * arm_smmu_entry_qword_diff()).
 */
static u8 entry_critical_qwords(const struct arm_smmu_entry_writer *writer,
				const u64 *cur, const u64 *target, u64 *step0)
{
	u64 cur_used[NUM_ENTRY_QWORDS], tgt_used[NUM_ENTRY_QWORDS];
	u64 safe[NUM_ENTRY_QWORDS] = { 0 };
	u8 critical = 0;

	writer->ops->get_used(cur, cur_used);
	writer->ops->get_used(target, tgt_used);
	if (writer->ops->get_update_safe)
		writer->ops->get_update_safe(cur, target, safe);

	for (unsigned int i = 0; i < NUM_ENTRY_QWORDS; i++) {
		/* A bit only one side uses is sequenced by that side's rules. */
		u64 locked = cur_used[i] & ~(safe[i] & cur_used[i] & tgt_used[i]);

		/* A builder set a bit its own used-bits function ignores. */
		WARN_ON_ONCE(target[i] & ~tgt_used[i]);
		step0[i] = (cur[i] & locked) | (target[i] & ~locked);
		if ((step0[i] & tgt_used[i]) != target[i])
			critical |= 1u << i;
	}
	return critical;
}

/* One single-copy-atomic store of qword @i, shown to the checker hook. */
static void entry_store(struct arm_smmu_entry_writer *writer, u64 *entry,
			unsigned int i, u64 val)
{
	WRITE_ONCE(entry[i], val);
	if (writer->ops->observe_store)
		writer->ops->observe_store(writer, entry, i);
}

/*
 * Bring qwords [@first, @first + @n) of @entry to @val, then sync if any
 * of them changed (Linux entry_set()).
 */
static void entry_set(struct arm_smmu_entry_writer *writer, u64 *entry,
		      const u64 *val, unsigned int first, unsigned int n)
{
	bool changed = false;

	for (unsigned int i = first; i < first + n; i++) {
		if (entry[i] == val[i])
			continue;
		entry_store(writer, entry, i, val[i]);
		changed = true;
	}
	if (changed)
		writer->ops->sync(writer);
}

/* Exactly one qword, @crit, changes used bits: the SMMU never sees a mix. */
static void entry_write_hitless(struct arm_smmu_entry_writer *writer, u64 *entry,
				const u64 *target, u64 *step0, unsigned int crit)
{
	/* The critical qword is written whole in the next step. */
	step0[crit] = entry[crit];
	entry_set(writer, entry, step0, 0, NUM_ENTRY_QWORDS);
	entry_set(writer, entry, target, crit, 1);
	entry_set(writer, entry, target, 0, NUM_ENTRY_QWORDS);
}

/* Several qwords change used bits: invalidate, rewrite, revalidate. */
static void entry_write_breaking(struct arm_smmu_entry_writer *writer, u64 *entry,
				 const u64 *target)
{
	const u64 invalid[NUM_ENTRY_QWORDS] = { 0 };

	entry_set(writer, entry, invalid, 0, 1);
	entry_set(writer, entry, target, 1, NUM_ENTRY_QWORDS - 1);
	entry_set(writer, entry, target, 0, 1);
}

/**
 * arm_smmu_write_entry() - update live @entry (NUM_ENTRY_QWORDS, which the
 * SMMU may fetch at any moment) to @target: hitless when the used bits of at
 * most one qword change, otherwise through V=0; see the table at the top of
 * this file.  Calls writer->ops->sync after each step that changed a qword
 * (so 0 syncs when @entry already equals @target).  Models Linux
 * arm_smmu_write_entry().  Context: task or any context the sync op allows;
 * the caller serialises writers of one entry.
 */
void arm_smmu_write_entry(struct arm_smmu_entry_writer *writer, u64 *entry,
			  const u64 *target)
{
	u64 step0[NUM_ENTRY_QWORDS];
	u8 critical;

	/* Tables the entry points to must be visible before the entry. */
	dma_wmb();
	critical = entry_critical_qwords(writer, entry, target, step0);
	if (hweight64(critical) == 1)
		entry_write_hitless(writer, entry, target, step0,
				    __builtin_ctz(critical));
	else if (critical)
		entry_write_breaking(writer, entry, target);
	else
		entry_set(writer, entry, target, 0, NUM_ENTRY_QWORDS);
}

/* ------------------------------------------------------------------ */
/* STE builders                                                        */
/* ------------------------------------------------------------------ */

static void entry_zero(u64 *target)
{
	memset(target, 0, NUM_ENTRY_QWORDS * sizeof(*target));
}

static u64 ste_word0(unsigned int config)
{
	return SMMUV3_STE0_V | FIELD_PREP(SMMUV3_STE0_CONFIG, config);
}

static u64 ste_eats(bool ats_enabled)
{
	return FIELD_PREP(SMMUV3_STE1_EATS,
			  ats_enabled ? SMMUV3_STE_EATS_TRANS : SMMUV3_STE_EATS_ABT);
}

static u64 ste_shcfg_incoming(void)
{
	return FIELD_PREP(SMMUV3_STE1_SHCFG, SMMUV3_STE_SHCFG_INCOMING);
}

/** arm_smmu_make_abort_ste() - see arm-smmu-v3-entry.h.  Linux's name. */
void arm_smmu_make_abort_ste(u64 *target)
{
	entry_zero(target);
	target[0] = ste_word0(SMMUV3_STE_CONFIG_ABORT);
}

/** arm_smmu_make_bypass_ste() - see arm-smmu-v3-entry.h.  Linux's name. */
void arm_smmu_make_bypass_ste(u64 *target)
{
	entry_zero(target);
	target[0] = ste_word0(SMMUV3_STE_CONFIG_BYPASS);
	target[1] = ste_shcfg_incoming();
}

/** arm_smmu_make_cdtable_ste_fmt() - see arm-smmu-v3-entry.h. */
void arm_smmu_make_cdtable_ste_fmt(u64 *target, u64 cdtab_dma, unsigned int s1fmt,
				   unsigned int s1cdmax, bool ats_enabled,
				   unsigned int s1dss, bool stall_enabled)
{
	entry_zero(target);
	target[0] = ste_word0(SMMUV3_STE_CONFIG_S1_TRANS) |
		    FIELD_PREP(SMMUV3_STE0_S1FMT, s1fmt) |
		    (cdtab_dma & SMMUV3_STE0_S1CTXPTR) |
		    FIELD_PREP(SMMUV3_STE0_S1CDMAX, s1cdmax);
	/* CD fetches: inner/outer write-back read-allocate, inner shareable. */
	target[1] = FIELD_PREP(SMMUV3_STE1_S1DSS, s1dss) |
		    FIELD_PREP(SMMUV3_STE1_S1CIR, SMMUV3_STE_S1C_CACHE_WBRA) |
		    FIELD_PREP(SMMUV3_STE1_S1COR, SMMUV3_STE_S1C_CACHE_WBRA) |
		    FIELD_PREP(SMMUV3_STE1_S1CSH, SMMUV3_SH_ISH) |
		    (stall_enabled ? 0 : SMMUV3_STE1_S1STALLD) |
		    ste_eats(ats_enabled) |
		    FIELD_PREP(SMMUV3_STE1_STRW, SMMUV3_STE_STRW_NSEL1);
	if (s1dss == SMMUV3_STE_S1DSS_BYPASS)
		target[1] |= ste_shcfg_incoming();
	/* VMID 0 is kept for stage-2-bypass NS-EL1 STEs (Linux). */
	target[2] = FIELD_PREP(SMMUV3_STE2_S2VMID, 0);
}

/** arm_smmu_make_cdtable_ste() - see arm-smmu-v3-entry.h.  Linux's name. */
void arm_smmu_make_cdtable_ste(u64 *target, u64 cdtab_dma, unsigned int s1cdmax,
			       bool ats_enabled, unsigned int s1dss,
			       bool stall_enabled)
{
	arm_smmu_make_cdtable_ste_fmt(target, cdtab_dma, SMMUV3_STE_S1FMT_LINEAR,
				      s1cdmax, ats_enabled, s1dss, stall_enabled);
}

static u64 ste_vtcr(const struct arm_smmu_s2_pgtbl_cfg *cfg)
{
	return FIELD_PREP(SMMUV3_STE_VTCR_S2T0SZ, cfg->tsz) |
	       FIELD_PREP(SMMUV3_STE_VTCR_S2SL0, cfg->sl) |
	       FIELD_PREP(SMMUV3_STE_VTCR_S2IR0, cfg->irgn) |
	       FIELD_PREP(SMMUV3_STE_VTCR_S2OR0, cfg->orgn) |
	       FIELD_PREP(SMMUV3_STE_VTCR_S2SH0, cfg->sh) |
	       FIELD_PREP(SMMUV3_STE_VTCR_S2TG, cfg->tg) |
	       FIELD_PREP(SMMUV3_STE_VTCR_S2PS, cfg->ps);
}

/** arm_smmu_make_s2_domain_ste() - see arm-smmu-v3-entry.h.  Linux's name. */
void arm_smmu_make_s2_domain_ste(u64 *target, u16 vmid,
				 const struct arm_smmu_s2_pgtbl_cfg *cfg,
				 bool ats_enabled, bool stall_enabled)
{
	entry_zero(target);
	target[0] = ste_word0(SMMUV3_STE_CONFIG_S2_TRANS);
	target[1] = ste_eats(ats_enabled) | ste_shcfg_incoming() |
		    (cfg->s2fwb ? SMMUV3_STE1_S2FWB : 0);
	/* S2PTW: stage-1 table walks go through stage 2 too. */
	target[2] = FIELD_PREP(SMMUV3_STE2_S2VMID, vmid) |
		    FIELD_PREP(SMMUV3_STE2_VTCR, ste_vtcr(cfg)) |
		    SMMUV3_STE2_S2AA64 | SMMUV3_STE2_S2PTW | SMMUV3_STE2_S2R |
		    (stall_enabled ? SMMUV3_STE2_S2S : 0);
	target[3] = cfg->vttbr & SMMUV3_STE3_S2TTB;
}

/* ------------------------------------------------------------------ */
/* CD builders                                                         */
/* ------------------------------------------------------------------ */

/*
 * The model's defaults for what Linux reads from io-pgtable and the CPU.
 * io-pgtable's ARM_64_LPAE_S1 MAIR: Normal-NC (0x44), Normal WB RW-alloc
 * (0xff), Device-nGnRE (0x04), inner-NC outer-WB (0xf4) at indices 0..3.
 * MAIR_EL1 as Linux's arm64 sets it: Device-nGnRnE, Device-nGnRE,
 * Normal-NC, Normal at indices 0..3.
 */
#define IOPGTBL_S1_MAIR		0x00000000f404ff44ULL
#define CPU_MAIR_EL1		0x00000000ff440400ULL
#define MODEL_IPS_48BIT		5	/* IPS/PARange encoding of 48 bits */
#define MODEL_VA_BITS		48
#define TCR_RGN_WBWA		1	/* IRGN/ORGN: write-back, write-allocate */

static u64 cd_word0_common(u16 asid, unsigned int ips, bool stall_enabled)
{
	/* EPD1: no TTB1 walks; ASET: ASID not shared with the CPU's TLBIs. */
	return SMMUV3_CD0_EPD1 | SMMUV3_CD0_V |
	       FIELD_PREP(SMMUV3_CD0_IPS, ips) | SMMUV3_CD0_AA64 |
	       (stall_enabled ? SMMUV3_CD0_S : 0) | SMMUV3_CD0_R |
	       SMMUV3_CD0_A | SMMUV3_CD0_ASET | FIELD_PREP(SMMUV3_CD0_ASID, asid);
}

static u64 cd_tcr0(unsigned int tsz, unsigned int tg, unsigned int irgn,
		   unsigned int orgn, unsigned int sh)
{
	return FIELD_PREP(SMMUV3_CD0_T0SZ, tsz) | FIELD_PREP(SMMUV3_CD0_TG0, tg) |
	       FIELD_PREP(SMMUV3_CD0_IR0, irgn) | FIELD_PREP(SMMUV3_CD0_OR0, orgn) |
	       FIELD_PREP(SMMUV3_CD0_SH0, sh);
}

/** arm_smmu_make_s1_cd_cfg() - see arm-smmu-v3-entry.h. */
void arm_smmu_make_s1_cd_cfg(u64 *target, u16 asid,
			     const struct arm_smmu_s1_pgtbl_cfg *cfg,
			     bool stall_enabled)
{
	entry_zero(target);
	target[0] = cd_word0_common(asid, cfg->ips, stall_enabled) |
		    cd_tcr0(cfg->tsz, cfg->tg, cfg->irgn, cfg->orgn, cfg->sh);
	/* Hardware dirty tracking needs both the access and dirty updates. */
	if (cfg->hd)
		target[0] |= SMMUV3_CD0_HA | SMMUV3_CD0_HD;
	target[1] = cfg->ttbr & SMMUV3_CD1_TTB0;
	target[3] = FIELD_PREP(SMMUV3_CD3_MAIR, cfg->mair);
}

/** arm_smmu_make_s1_cd() - see arm-smmu-v3-entry.h.  Linux's name. */
void arm_smmu_make_s1_cd(u64 *target, u16 asid, u64 ttbr)
{
	const struct arm_smmu_s1_pgtbl_cfg cfg = {
		.ttbr = ttbr,
		.mair = IOPGTBL_S1_MAIR,
		.tsz = 64 - MODEL_VA_BITS,
		.tg = SMMUV3_CD_TG0_4K,
		.irgn = TCR_RGN_WBWA,
		.orgn = TCR_RGN_WBWA,
		.sh = SMMUV3_SH_ISH,
		.ips = MODEL_IPS_48BIT,
	};

	arm_smmu_make_s1_cd_cfg(target, asid, &cfg, false);
}

/** arm_smmu_make_sva_cd() - see arm-smmu-v3-entry.h.  Linux's name. */
void arm_smmu_make_sva_cd(u64 *target, u16 asid, bool mm_live, u64 pgd_phys,
			  bool stall_enabled)
{
	entry_zero(target);
	target[0] = cd_word0_common(asid, MODEL_IPS_48BIT, stall_enabled);
	if (mm_live) {
		target[0] |= cd_tcr0(64 - MODEL_VA_BITS, SMMUV3_CD_TG0_4K,
				     TCR_RGN_WBWA, TCR_RGN_WBWA, SMMUV3_SH_ISH);
		target[1] = pgd_phys & SMMUV3_CD1_TTB0;
	} else {
		/*
		 * Fault everything; EPD0 makes TTB0 and its walk settings
		 * IGNORED, so the live and released CDs swap hitlessly.  Without
		 * STALL_FORCE, abort at once rather than stall or record: the
		 * device may still be pouring DMA at a dead mm.
		 */
		target[0] |= SMMUV3_CD0_EPD0;
		target[0] &= ~(SMMUV3_CD0_S | SMMUV3_CD0_R);
	}
	target[3] = FIELD_PREP(SMMUV3_CD3_MAIR, CPU_MAIR_EL1);
}
