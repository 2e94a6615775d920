/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv2 architecture: register offsets and fields of the parts the
 * model implements (global register space 0 and 1, context banks).
 *
 * Offsets and bit positions follow the architecture as Linux encodes it
 * in drivers/iommu/arm/arm-smmu/arm-smmu.h (ARM_SMMU_GR0_*, ARM_SMMU_CB_*,
 * ARM_SMMU_SCTLR_*, ARM_SMMU_FSR_*, ARM_SMMU_RESUME_TERMINATE ...).  The
 * names here are the architecture's (Arm IHI 0062, "ARM System Memory
 * Management Unit Architecture Specification, SMMU architecture versions
 * 1.0 and 2.0"), prefixed SMMUV2_.
 *
 * Address map (arm-smmu.h ARM_SMMU_GR0/GR1/ARM_SMMU_CB()): pages of
 * 1 << SMMUV2_PGSHIFT bytes (ID1.PAGESIZE = 0: 4 KiB); page 0 is global
 * register space 0, page 1 global register space 1, and context bank n
 * is page NUMPAGE + n, where NUMPAGE = 2^(ID1.NUMPAGENDXB + 1).
 *
 * Pure definitions: no code, no state.
 */
#ifndef IOMMUSIM_HW_SMMUV2_REGS_H
#define IOMMUSIM_HW_SMMUV2_REGS_H

#include "kernel/bits.h"

#define SMMUV2_PGSHIFT			12

/* ---- Global register space 0 (page 0) ---- */

#define SMMUV2_GR0_sCR0			0x0
#define SMMUV2_sCR0_USFCFG		BIT(10)
#define SMMUV2_sCR0_GFIE		BIT(2)
#define SMMUV2_sCR0_GFRE		BIT(1)
#define SMMUV2_sCR0_CLIENTPD		BIT(0)

#define SMMUV2_GR0_ID0			0x20
#define SMMUV2_ID0_S1TS			BIT(30)
#define SMMUV2_ID0_SMS			BIT(27)
#define SMMUV2_ID0_NUMIRPT		GENMASK(23, 16)
#define SMMUV2_ID0_NUMSIDB		GENMASK(12, 9)

#define SMMUV2_GR0_ID1			0x24
#define SMMUV2_ID1_PAGESIZE		BIT(31)
#define SMMUV2_ID1_NUMPAGENDXB		GENMASK(30, 28)
#define SMMUV2_ID1_NUMCB		GENMASK(7, 0)

/* Stream-to-Context registers; the model uses stream indexing (ID0.SMS = 0). */
#define SMMUV2_GR0_S2CR(n)		(0xc00 + ((n) << 2))
#define SMMUV2_S2CR_TYPE		GENMASK(17, 16)
#define  SMMUV2_S2CR_TYPE_TRANS		0
#define  SMMUV2_S2CR_TYPE_BYPASS	1
#define  SMMUV2_S2CR_TYPE_FAULT		2
#define SMMUV2_S2CR_CBNDX		GENMASK(7, 0)

/* ---- Global register space 1 (page 1) ---- */

#define SMMUV2_GR1_CBAR(n)		(0x0 + ((n) << 2))
#define SMMUV2_CBAR_IRPTNDX		GENMASK(31, 24)
#define SMMUV2_CBAR_TYPE		GENMASK(17, 16)

/* ---- Context bank (page NUMPAGE + n) ---- */

#define SMMUV2_CB_SCTLR			0x0
#define SMMUV2_SCTLR_HUPCF		BIT(8)
#define SMMUV2_SCTLR_CFCFG		BIT(7)	/* 1: stall on a context fault */
#define SMMUV2_SCTLR_CFIE		BIT(6)	/* context fault interrupt enable */
#define SMMUV2_SCTLR_CFRE		BIT(5)	/* context fault report (abort) */
#define SMMUV2_SCTLR_E			BIT(4)
#define SMMUV2_SCTLR_AFE		BIT(2)
#define SMMUV2_SCTLR_TRE		BIT(1)
#define SMMUV2_SCTLR_M			BIT(0)	/* translation enable */

#define SMMUV2_CB_RESUME		0x8
#define SMMUV2_RESUME_TERMINATE		BIT(0)	/* 0: retry */

#define SMMUV2_CB_TTBR0			0x20	/* 64-bit */
#define SMMUV2_TTBRn_ASID		GENMASK_ULL(63, 48)
#define SMMUV2_TTBRn_BADDR		GENMASK_ULL(47, 12)

#define SMMUV2_CB_FSR			0x58
#define SMMUV2_FSR_MULTI		BIT(31)
#define SMMUV2_FSR_SS			BIT(30)
#define SMMUV2_FSR_UUT			BIT(8)
#define SMMUV2_FSR_ASF			BIT(7)
#define SMMUV2_FSR_TLBLKF		BIT(6)
#define SMMUV2_FSR_TLBMCF		BIT(5)
#define SMMUV2_FSR_EF			BIT(4)
#define SMMUV2_FSR_PF			BIT(3)
#define SMMUV2_FSR_AFF			BIT(2)
#define SMMUV2_FSR_TF			BIT(1)

/* Fault-recording bits (everything write-1-to-clear; SS is not among them). */
#define SMMUV2_FSR_FAULT_BITS		(SMMUV2_FSR_UUT | SMMUV2_FSR_ASF |	\
					 SMMUV2_FSR_TLBLKF | SMMUV2_FSR_TLBMCF | \
					 SMMUV2_FSR_EF | SMMUV2_FSR_PF |	\
					 SMMUV2_FSR_AFF | SMMUV2_FSR_TF)
#define SMMUV2_FSR_W1C			(SMMUV2_FSR_FAULT_BITS | SMMUV2_FSR_MULTI)

#define SMMUV2_CB_FAR			0x60	/* 64-bit */

#define SMMUV2_CB_FSYNR0		0x68
#define SMMUV2_FSYNR0_WNR		BIT(4)

#define SMMUV2_CB_FSYNR1		0x6c

#endif /* IOMMUSIM_HW_SMMUV2_REGS_H */
