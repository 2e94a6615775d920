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

/* STE builders (Linux names); @target is zeroed first. */
void arm_smmu_make_abort_ste(u64 *target);
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
 * arm_smmu_make_s1_cd() - a valid CD for ASID @asid with table root @ttbr
 * (4 KiB granule, 48-bit input, AA64, faults recorded).
 */
void arm_smmu_make_s1_cd(u64 *target, u16 asid, u64 ttbr);

#endif
