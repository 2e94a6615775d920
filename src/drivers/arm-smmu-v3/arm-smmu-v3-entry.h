/* SPDX-License-Identifier: MIT */
/*
 * STEs and CDs: what the driver writes for each kind of attachment, and
 * the entry writer that moves a live 8-dword entry from its current value
 * to a target one in steps the SMMU can fetch at any moment (Linux
 * arm_smmu_write_entry() and the "used bits" of arm_smmu_get_ste_used() /
 * arm_smmu_get_cd_used()).
 *
 * The writer's rule: bits the SMMU does not use under the current value
 * may change freely; if the used bits of only one dword change, the update
 * is hitless (write the unused bits, then that one dword, then the rest,
 * a sync after each step that changed something); otherwise V is cleared
 * first (a non-hitless update: the entry is briefly invalid).
 * tests/test_arm_smmu_v3_entry.c ports the cases of Linux's KUnit test
 * arm-smmu-v3-test.c (sync counts, hitless or not, final entry).
 */
#ifndef IOMMUSIM_DRIVERS_ARM_SMMU_V3_ENTRY_H
#define IOMMUSIM_DRIVERS_ARM_SMMU_V3_ENTRY_H

#include "kernel/kernel.h"

#define NUM_ENTRY_QWORDS	8

struct arm_smmu_entry_writer;

/**
 * struct arm_smmu_entry_writer_ops - how to write one kind of entry.
 * @get_used:	the bits of @entry the SMMU uses (arm_smmu_get_ste_used()).
 * @get_update_safe: bits that may change while used without making the
 *		update non-hitless (may be NULL).
 * @sync:	make the SMMU see the entry (CFGI_STE/CFGI_CD + CMD_SYNC).
 */
struct arm_smmu_entry_writer_ops {
	void (*get_used)(const u64 *entry, u64 *used);
	void (*get_update_safe)(const u64 *cur, const u64 *target, u64 *safe);
	void (*sync)(struct arm_smmu_entry_writer *writer);
	/*
	 * @observe_store: not in Linux; a checker's hook (may be NULL), called
	 * after every single-qword store with the whole entry as the SMMU
	 * could fetch it at that instant and the index of the qword just
	 * written.  It must not change the entry.
	 */
	void (*observe_store)(struct arm_smmu_entry_writer *writer,
			      const u64 *entry, unsigned int qword);
};

/** struct arm_smmu_entry_writer - a writer instance; embed it. */
struct arm_smmu_entry_writer {
	const struct arm_smmu_entry_writer_ops *ops;
	void *priv;
};

/**
 * arm_smmu_write_entry() - update @entry (live, 8 dwords the SMMU may
 * fetch) to @target with the fewest syncs, hitless when possible.
 * Writes are single-copy atomic per dword (WRITE_ONCE).
 */
void arm_smmu_write_entry(struct arm_smmu_entry_writer *writer, u64 *entry,
			  const u64 *target);

/** arm_smmu_get_ste_used() / arm_smmu_get_cd_used() - used bits (Linux). */
void arm_smmu_get_ste_used(const u64 *ent, u64 *used_bits);
void arm_smmu_get_cd_used(const u64 *ent, u64 *used_bits);
/** arm_smmu_get_ste_update_safe() - EATS may change while used (Linux). */
void arm_smmu_get_ste_update_safe(const u64 *cur, const u64 *target, u64 *safe_bits);

/*
 * Builders (Linux names).  Each zeroes @target (NUM_ENTRY_QWORDS u64) and
 * writes the values Linux writes, for an SMMU with the features the model
 * has: ARM_SMMU_FEAT_STALLS and ARM_SMMU_FEAT_ATTR_TYPES_OVR, neither
 * ARM_SMMU_FEAT_E2H (so STRW is NS-EL1 and stage-1-only STEs carry VMID 0)
 * nor ARM_SMMU_FEAT_STALL_FORCE; little-endian page-table walks.
 * Context: any; they only fill memory.
 */

/** arm_smmu_make_abort_ste() - V=1, CONFIG=ABORT: every transaction aborted. */
void arm_smmu_make_abort_ste(u64 *target);
/**
 * arm_smmu_make_bypass_ste() - V=1, CONFIG=BYPASS, SHCFG=INCOMING
 * (Linux sets SHCFG only with ATTR_TYPES_OVR, which the model has).
 */
void arm_smmu_make_bypass_ste(u64 *target);
/**
 * arm_smmu_make_cdtable_ste() - S1 translation through the linear CD table
 * at @cdtab_dma with 2^@s1cdmax entries; @ats_enabled sets EATS=TRANS;
 * @s1dss is SMMUV3_STE_S1DSS_*; @stall_enabled clears S1STALLD.
 */
void arm_smmu_make_cdtable_ste(u64 *target, u64 cdtab_dma, unsigned int s1cdmax,
			       bool ats_enabled, unsigned int s1dss,
			       bool stall_enabled);
/**
 * arm_smmu_make_cdtable_ste_fmt() - arm_smmu_make_cdtable_ste() for a CD
 * table of format @s1fmt (SMMUV3_STE_S1FMT_*), as Linux's master->cd_table
 * carries it.  @s1cdmax is log2 of the number of CDs, 0..31 (wider values
 * are truncated to the 5-bit field, as Linux's FIELD_PREP() does).
 */
void arm_smmu_make_cdtable_ste_fmt(u64 *target, u64 cdtab_dma, unsigned int s1fmt,
				   unsigned int s1cdmax, bool ats_enabled,
				   unsigned int s1dss, bool stall_enabled);

/**
 * struct arm_smmu_s2_pgtbl_cfg - what Linux's io-pgtable hands the driver
 * for a stage-2 table (struct io_pgtable_cfg.arm_lpae_s2_cfg): VTTBR and the
 * VTCR fields, in the VTCR encodings (§5.2 STE.S2T0SZ..S2PS).
 * @s2fwb:	the table was built with IO_PGTABLE_QUIRK_ARM_S2FWB.
 */
struct arm_smmu_s2_pgtbl_cfg {
	u64 vttbr;
	u8 tsz, sl, irgn, orgn, sh, tg, ps;
	bool s2fwb;
};

/**
 * arm_smmu_make_s2_domain_ste() - S2 translation (CONFIG=S2_TRANS) with
 * VMID @vmid through the stage-2 table @cfg; @ats_enabled sets EATS=TRANS,
 * @stall_enabled sets S2S; S2AA64, S2PTW, S2R always, SHCFG=INCOMING.
 * Models Linux arm_smmu_make_s2_domain_ste().
 */
void arm_smmu_make_s2_domain_ste(u64 *target, u16 vmid,
				 const struct arm_smmu_s2_pgtbl_cfg *cfg,
				 bool ats_enabled, bool stall_enabled);

/**
 * struct arm_smmu_s1_pgtbl_cfg - Linux's io_pgtable_cfg.arm_lpae_s1_cfg as
 * the CD builder reads it: TTBR, MAIR and the TCR fields in the CD's
 * encodings (T0SZ, TG0 as SMMUV3_CD_TG0_*, IRGN0, ORGN0, SH0, IPS).
 * @hd:		IO_PGTABLE_QUIRK_ARM_HD: hardware dirty-state update (HA|HD).
 */
struct arm_smmu_s1_pgtbl_cfg {
	u64 ttbr;
	u64 mair;
	u8 tsz, tg, irgn, orgn, sh, ips;
	bool hd;
};

/**
 * arm_smmu_make_s1_cd() - a valid CD for ASID @asid with table root @ttbr
 * (4 KiB granule, 48-bit input, AA64, faults recorded).
 */
void arm_smmu_make_s1_cd(u64 *target, u16 asid, u64 ttbr);
/**
 * arm_smmu_make_s1_cd_cfg() - a valid CD for ASID @asid walking the table
 * @cfg describes: EPD1, AA64, R, A, ASET always, S if @stall_enabled.
 * Models Linux arm_smmu_make_s1_cd().
 */
void arm_smmu_make_s1_cd_cfg(u64 *target, u16 asid,
			     const struct arm_smmu_s1_pgtbl_cfg *cfg,
			     bool stall_enabled);
/**
 * arm_smmu_make_sva_cd() - the CD of an SVA domain: the CPU's page table of
 * a process (@mm_live, root @pgd_phys) shared at ASID @asid, with the CPU's
 * translation settings (the model's CPU: 48-bit VA and PA, 4 KiB pages,
 * MAIR_EL1 as Linux sets it).  With !@mm_live (Linux passes mm == NULL: the
 * mm is gone) the CD stays valid but sets EPD0, so every access faults, and
 * drops S and R (no stall, no fault records); @pgd_phys is then ignored.
 * Models Linux arm_smmu_make_sva_cd().
 */
void arm_smmu_make_sva_cd(u64 *target, u16 asid, bool mm_live, u64 pgd_phys,
			  bool stall_enabled);

#endif
