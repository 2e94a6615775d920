/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv3 architecture: register offsets, register fields, and the
 * layouts of the in-memory records the SMMU and its driver exchange
 * (commands, event records, PRI queue entries, STEs and CDs).
 *
 * Bit positions and values follow the architecture as Linux encodes it in
 * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h. Facts the Linux header does
 * not carry (a few event IDs, opcodes and values the driver never builds)
 * come from the architecture specification and are marked "(arch)".
 *
 * Section references are to Arm IHI 0070, "Arm System Memory Management
 * Unit Architecture Specification, SMMU architecture version 3". They are
 * given with the section title so they can be found in any issue:
 *   §3.5  Command and Event queues      §6.2/§6.3 Register map and formats
 *   §4.x  Commands                      §7.1  Command queue errors
 *   §5.x  Data structure formats        §7.3  Event records
 *   §8    Page request queue (PRI)      §7.5  Global error recording
 *
 * Naming: SMMUV3_<register>, SMMUV3_<register>_<field> for MMIO registers;
 * SMMUV3_<record><dword>_<field> for 64-bit dwords of memory records
 * (SMMUV3_STE1_EATS is field EATS of STE dword 1). Values of a field are
 * indented one space under it. Masks of memory records are 64-bit
 * (GENMASK_ULL/BIT_ULL); use FIELD_PREP/FIELD_GET from kernel/bits.h.
 *
 * Pure definitions: no code, no state.
 */
#ifndef IOMMUSIM_HW_SMMUV3_REGS_H
#define IOMMUSIM_HW_SMMUV3_REGS_H

#include "kernel/bits.h"

/* ------------------------------------------------------------------ */
/* §6.2 Register map: offsets from the SMMU base (page 0 unless noted) */
/* ------------------------------------------------------------------ */

#define SMMUV3_IDR0			0x0000
#define SMMUV3_IDR1			0x0004
#define SMMUV3_IDR3			0x000c
#define SMMUV3_IDR5			0x0014
#define SMMUV3_IIDR			0x0018
#define SMMUV3_AIDR			0x001c
#define SMMUV3_CR0			0x0020
#define SMMUV3_CR0ACK			0x0024
#define SMMUV3_CR1			0x0028
#define SMMUV3_CR2			0x002c
#define SMMUV3_GBPA			0x0044
#define SMMUV3_IRQ_CTRL			0x0050
#define SMMUV3_IRQ_CTRLACK		0x0054
#define SMMUV3_GERROR			0x0060
#define SMMUV3_GERRORN			0x0064
#define SMMUV3_GERROR_IRQ_CFG0		0x0068	/* 64-bit */
#define SMMUV3_GERROR_IRQ_CFG1		0x0070
#define SMMUV3_GERROR_IRQ_CFG2		0x0074
#define SMMUV3_STRTAB_BASE		0x0080	/* 64-bit */
#define SMMUV3_STRTAB_BASE_CFG		0x0088
#define SMMUV3_CMDQ_BASE		0x0090	/* 64-bit */
#define SMMUV3_CMDQ_PROD		0x0098
#define SMMUV3_CMDQ_CONS		0x009c
#define SMMUV3_EVTQ_BASE		0x00a0	/* 64-bit */
#define SMMUV3_EVTQ_IRQ_CFG0		0x00b0	/* 64-bit */
#define SMMUV3_EVTQ_IRQ_CFG1		0x00b8
#define SMMUV3_EVTQ_IRQ_CFG2		0x00bc
#define SMMUV3_PRIQ_BASE		0x00c0	/* 64-bit */
#define SMMUV3_PRIQ_IRQ_CFG0		0x00d0	/* 64-bit */
#define SMMUV3_PRIQ_IRQ_CFG1		0x00d8
#define SMMUV3_PRIQ_IRQ_CFG2		0x00dc
#define SMMUV3_REG_SZ			0x0e00	/* page-0 span Linux maps */

/*
 * EVTQ and PRIQ PROD/CONS live in register page 1, 64KB above page 0.
 * Older Linux spelled them as absolute offsets (0x100a8 ...); current Linux
 * adds the page-relative offset to its page-1 mapping. Both are given.
 */
#define SMMUV3_PAGE1			0x10000
#define SMMUV3_P1_EVTQ_PROD		0x00a8	/* offset within page 1 */
#define SMMUV3_P1_EVTQ_CONS		0x00ac
#define SMMUV3_P1_PRIQ_PROD		0x00c8
#define SMMUV3_P1_PRIQ_CONS		0x00cc
#define SMMUV3_EVTQ_PROD		(SMMUV3_PAGE1 + SMMUV3_P1_EVTQ_PROD) /* 0x100a8 */
#define SMMUV3_EVTQ_CONS		(SMMUV3_PAGE1 + SMMUV3_P1_EVTQ_CONS) /* 0x100ac */
#define SMMUV3_PRIQ_PROD		(SMMUV3_PAGE1 + SMMUV3_P1_PRIQ_PROD) /* 0x100c8 */
#define SMMUV3_PRIQ_CONS		(SMMUV3_PAGE1 + SMMUV3_P1_PRIQ_CONS) /* 0x100cc */

/* ------------------------------------------------------------------ */
/* §6.3 Register formats: identification registers                    */
/* ------------------------------------------------------------------ */

/* SMMU_IDR0 */
#define SMMUV3_IDR0_ST_LVL		GENMASK(28, 27)
#define  SMMUV3_IDR0_ST_LVL_LINEAR	0
#define  SMMUV3_IDR0_ST_LVL_2LVL	1
#define SMMUV3_IDR0_TERM_MODEL		BIT(26)		/* (arch) */
#define SMMUV3_IDR0_STALL_MODEL		GENMASK(25, 24)
#define  SMMUV3_IDR0_STALL_MODEL_STALL	0	/* stall and terminate */
#define  SMMUV3_IDR0_STALL_MODEL_NONE	1	/* (arch) terminate only */
#define  SMMUV3_IDR0_STALL_MODEL_FORCE	2	/* stall forced */
#define SMMUV3_IDR0_TTENDIAN		GENMASK(22, 21)
#define  SMMUV3_IDR0_TTENDIAN_MIXED	0
#define  SMMUV3_IDR0_TTENDIAN_LE	2
#define  SMMUV3_IDR0_TTENDIAN_BE	3
#define SMMUV3_IDR0_CD2L		BIT(19)
#define SMMUV3_IDR0_VMID16		BIT(18)
#define SMMUV3_IDR0_PRI			BIT(16)
#define SMMUV3_IDR0_SEV			BIT(14)
#define SMMUV3_IDR0_MSI			BIT(13)
#define SMMUV3_IDR0_ASID16		BIT(12)
#define SMMUV3_IDR0_ATS			BIT(10)
#define SMMUV3_IDR0_HYP			BIT(9)
#define SMMUV3_IDR0_HTTU		GENMASK(7, 6)
#define  SMMUV3_IDR0_HTTU_ACCESS	1
#define  SMMUV3_IDR0_HTTU_ACCESS_DIRTY	2
#define SMMUV3_IDR0_COHACC		BIT(4)
#define SMMUV3_IDR0_TTF			GENMASK(3, 2)
#define  SMMUV3_IDR0_TTF_AARCH64	2
#define  SMMUV3_IDR0_TTF_AARCH32_64	3
#define SMMUV3_IDR0_S1P			BIT(1)
#define SMMUV3_IDR0_S2P			BIT(0)

/* SMMU_IDR1: queue sizes and ID widths are log2 values */
#define SMMUV3_IDR1_TABLES_PRESET	BIT(30)
#define SMMUV3_IDR1_QUEUES_PRESET	BIT(29)
#define SMMUV3_IDR1_REL			BIT(28)
#define SMMUV3_IDR1_ATTR_TYPES_OVR	BIT(27)
#define SMMUV3_IDR1_CMDQS		GENMASK(25, 21)
#define SMMUV3_IDR1_EVTQS		GENMASK(20, 16)
#define SMMUV3_IDR1_PRIQS		GENMASK(15, 11)
#define SMMUV3_IDR1_SSIDSIZE		GENMASK(10, 6)
#define SMMUV3_IDR1_SIDSIZE		GENMASK(5, 0)

/* SMMU_IDR3 */
#define SMMUV3_IDR3_RIL			BIT(10)	/* range invalidation */
#define SMMUV3_IDR3_FWB			BIT(8)

/* SMMU_IDR5 */
#define SMMUV3_IDR5_STALL_MAX		GENMASK(31, 16)
#define SMMUV3_IDR5_VAX			GENMASK(11, 10)
#define  SMMUV3_IDR5_VAX_52_BIT		1
#define SMMUV3_IDR5_GRAN64K		BIT(6)
#define SMMUV3_IDR5_GRAN16K		BIT(5)
#define SMMUV3_IDR5_GRAN4K		BIT(4)
#define SMMUV3_IDR5_OAS			GENMASK(2, 0)
#define  SMMUV3_IDR5_OAS_32_BIT		0
#define  SMMUV3_IDR5_OAS_36_BIT		1
#define  SMMUV3_IDR5_OAS_40_BIT		2
#define  SMMUV3_IDR5_OAS_42_BIT		3
#define  SMMUV3_IDR5_OAS_44_BIT		4
#define  SMMUV3_IDR5_OAS_48_BIT		5
#define  SMMUV3_IDR5_OAS_52_BIT		6

/* SMMU_IIDR */
#define SMMUV3_IIDR_PRODUCTID		GENMASK(31, 20)
#define SMMUV3_IIDR_VARIANT		GENMASK(19, 16)
#define SMMUV3_IIDR_REVISION		GENMASK(15, 12)
#define SMMUV3_IIDR_IMPLEMENTER		GENMASK(11, 0)

/* SMMU_AIDR (arch): 0x00 = SMMUv3.0, 0x01 = SMMUv3.1 ... */
#define SMMUV3_AIDR_ARCH_MAJOR_REV	GENMASK(7, 4)
#define SMMUV3_AIDR_ARCH_MINOR_REV	GENMASK(3, 0)

/* ------------------------------------------------------------------ */
/* §6.3 Register formats: control registers                           */
/* ------------------------------------------------------------------ */

/* SMMU_CR0 and SMMU_CR0ACK (same layout; ACK follows CR0) */
#define SMMUV3_CR0_ATSCHK		BIT(4)
#define SMMUV3_CR0_CMDQEN		BIT(3)
#define SMMUV3_CR0_EVTQEN		BIT(2)
#define SMMUV3_CR0_PRIQEN		BIT(1)
#define SMMUV3_CR0_SMMUEN		BIT(0)

/* SMMU_CR1: table and queue memory attributes */
#define SMMUV3_CR1_TABLE_SH		GENMASK(11, 10)
#define SMMUV3_CR1_TABLE_OC		GENMASK(9, 8)
#define SMMUV3_CR1_TABLE_IC		GENMASK(7, 6)
#define SMMUV3_CR1_QUEUE_SH		GENMASK(5, 4)
#define SMMUV3_CR1_QUEUE_OC		GENMASK(3, 2)
#define SMMUV3_CR1_QUEUE_IC		GENMASK(1, 0)
#define  SMMUV3_CR1_CACHE_NC		0	/* OC/IC values (not TCR-style) */
#define  SMMUV3_CR1_CACHE_WB		1
#define  SMMUV3_CR1_CACHE_WT		2

/* SMMU_CR2 */
#define SMMUV3_CR2_PTM			BIT(2)
#define SMMUV3_CR2_RECINVSID		BIT(1)
#define SMMUV3_CR2_E2H			BIT(0)

/* SMMU_GBPA: global bypass attributes, used while SMMUEN == 0 */
#define SMMUV3_GBPA_UPDATE		BIT(31)
#define SMMUV3_GBPA_ABORT		BIT(20)

/* SMMU_IRQ_CTRL and SMMU_IRQ_CTRLACK */
#define SMMUV3_IRQ_CTRL_EVTQ_IRQEN	BIT(2)
#define SMMUV3_IRQ_CTRL_PRIQ_IRQEN	BIT(1)
#define SMMUV3_IRQ_CTRL_GERROR_IRQEN	BIT(0)

/* ------------------------------------------------------------------ */
/* §7.5 Global error recording: SMMU_GERROR / SMMU_GERRORN             */
/*                                                                    */
/* An error toggles its GERROR bit; it is active while the GERROR and */
/* GERRORN bits differ; software acknowledges by toggling GERRORN.    */
/* ------------------------------------------------------------------ */

#define SMMUV3_GERROR_SFM_ERR		BIT(8)
#define SMMUV3_GERROR_MSI_GERROR_ABT_ERR BIT(7)
#define SMMUV3_GERROR_MSI_PRIQ_ABT_ERR	BIT(6)
#define SMMUV3_GERROR_MSI_EVTQ_ABT_ERR	BIT(5)
#define SMMUV3_GERROR_MSI_CMDQ_ABT_ERR	BIT(4)
#define SMMUV3_GERROR_PRIQ_ABT_ERR	BIT(3)
#define SMMUV3_GERROR_EVTQ_ABT_ERR	BIT(2)
#define SMMUV3_GERROR_CMDQ_ERR		BIT(0)
#define SMMUV3_GERROR_ERR_MASK		0x1fd	/* all of the above */

/* ------------------------------------------------------------------ */
/* §6.3 *_IRQ_CFG0/1/2: MSI configuration (GERROR, EVTQ, PRIQ alike)   */
/* ------------------------------------------------------------------ */

#define SMMUV3_IRQ_CFG0_ADDR		GENMASK_ULL(51, 2)	/* MSI address */
/* IRQ_CFG1 is the 32-bit MSI data payload. */
#define SMMUV3_IRQ_CFG2_SH		GENMASK(5, 4)
#define SMMUV3_IRQ_CFG2_MEMATTR		GENMASK(3, 0)
#define  SMMUV3_SH_NSH			0	/* shareability values */
#define  SMMUV3_SH_OSH			2
#define  SMMUV3_SH_ISH			3
#define  SMMUV3_MEMATTR_DEVICE_nGnRE	0x1
#define  SMMUV3_MEMATTR_OIWB		0xf

/* ------------------------------------------------------------------ */
/* §3.5 / §6.3 Queues: *_BASE, *_PROD, *_CONS                          */
/* ------------------------------------------------------------------ */

/*
 * CMDQ_BASE, EVTQ_BASE, PRIQ_BASE. Bit 62 is RA for the command queue
 * (the SMMU reads it) and WA for the event and PRI queues (it writes them).
 */
#define SMMUV3_Q_BASE_RWA		BIT_ULL(62)
#define SMMUV3_Q_BASE_ADDR		GENMASK_ULL(51, 5)
#define SMMUV3_Q_BASE_LOG2SIZE		GENMASK_ULL(4, 0)	/* log2(entries) */

/*
 * PROD and CONS: bits [log2size-1:0] are the entry index, bit [log2size]
 * the wrap bit; the queue is empty when index and wrap are equal, full when
 * the index is equal and the wrap differs. Bit 31 is the overflow flag
 * (EVTQ_PROD/PRIQ_PROD.OVFLG, EVTQ_CONS/PRIQ_CONS.OVACKFLG); CMDQ_PROD has
 * no overflow flag (Linux reuses bit 31 of its software copy as an owner
 * flag). CMDQ_CONS bits [30:24] are the ERR field.
 */
#define SMMUV3_Q_OVERFLOW_FLAG		BIT(31)
#define SMMUV3_Q_IDX(log2size, p)	((p) & ((1U << (log2size)) - 1))
#define SMMUV3_Q_WRP(log2size, p)	((p) & (1U << (log2size)))
#define SMMUV3_Q_OVF(p)			((p) & SMMUV3_Q_OVERFLOW_FLAG)

/* Queue entry sizes */
#define SMMUV3_CMDQ_ENT_SZ_SHIFT	4	/* 16 bytes */
#define SMMUV3_CMDQ_ENT_DWORDS		2
#define SMMUV3_EVTQ_ENT_SZ_SHIFT	5	/* 32 bytes */
#define SMMUV3_EVTQ_ENT_DWORDS		4
#define SMMUV3_PRIQ_ENT_SZ_SHIFT	4	/* 16 bytes */
#define SMMUV3_PRIQ_ENT_DWORDS		2

/* ------------------------------------------------------------------ */
/* §7.1 Command queue errors: SMMU_CMDQ_CONS.ERR                       */
/* ------------------------------------------------------------------ */

#define SMMUV3_CMDQ_CONS_ERR		GENMASK(30, 24)
#define  SMMUV3_CERROR_NONE		0	/* no error */
#define  SMMUV3_CERROR_ILL		1	/* illegal command */
#define  SMMUV3_CERROR_ABT		2	/* abort fetching the command */
#define  SMMUV3_CERROR_ATC_INV_SYNC	3	/* ATC invalidation timed out,
						 * reported at the CMD_SYNC */

/* ------------------------------------------------------------------ */
/* §6.3 Stream table base registers and §5.1 L1 stream table descriptor */
/* ------------------------------------------------------------------ */

/* SMMU_STRTAB_BASE */
#define SMMUV3_STRTAB_BASE_RA		BIT_ULL(62)
#define SMMUV3_STRTAB_BASE_ADDR		GENMASK_ULL(51, 6)

/* SMMU_STRTAB_BASE_CFG */
#define SMMUV3_STRTAB_BASE_CFG_FMT	GENMASK(17, 16)
#define  SMMUV3_STRTAB_BASE_CFG_FMT_LINEAR	0
#define  SMMUV3_STRTAB_BASE_CFG_FMT_2LVL	1
#define SMMUV3_STRTAB_BASE_CFG_SPLIT	GENMASK(10, 6)
#define SMMUV3_STRTAB_BASE_CFG_LOG2SIZE	GENMASK(5, 0)

/* Level-1 stream table descriptor (one dword) */
#define SMMUV3_STRTAB_L1_SPAN		GENMASK_ULL(4, 0)
#define SMMUV3_STRTAB_L1_L2PTR		GENMASK_ULL(51, 6)

/* ------------------------------------------------------------------ */
/* §5.2 Stream Table Entry (STE): 8 dwords, 64 bytes                   */
/* ------------------------------------------------------------------ */

#define SMMUV3_STE_DWORDS		8

/* STE dword 0 */
#define SMMUV3_STE0_V			BIT_ULL(0)
#define SMMUV3_STE0_CONFIG		GENMASK_ULL(3, 1)
#define  SMMUV3_STE_CONFIG_ABORT	0	/* 0b000 */
					/* 0b001..0b011 reserved */
#define  SMMUV3_STE_CONFIG_BYPASS	4	/* 0b100: S1 bypass, S2 bypass */
#define  SMMUV3_STE_CONFIG_S1_TRANS	5	/* 0b101: S1 trans, S2 bypass */
#define  SMMUV3_STE_CONFIG_S2_TRANS	6	/* 0b110: S1 bypass, S2 trans */
#define  SMMUV3_STE_CONFIG_NESTED	7	/* 0b111: S1 and S2 trans */
#define SMMUV3_STE0_S1FMT		GENMASK_ULL(5, 4)
#define  SMMUV3_STE_S1FMT_LINEAR	0
#define  SMMUV3_STE_S1FMT_4K_L2		1	/* (arch) 2-level, 4KB L2 */
#define  SMMUV3_STE_S1FMT_64K_L2	2	/* 2-level, 64KB L2 */
#define SMMUV3_STE0_S1CTXPTR		GENMASK_ULL(51, 6)	/* CD table */
#define SMMUV3_STE0_S1CDMAX		GENMASK_ULL(63, 59)	/* log2(#CDs) */

/* STE dword 1 */
#define SMMUV3_STE1_S1DSS		GENMASK_ULL(1, 0)
#define  SMMUV3_STE_S1DSS_TERMINATE	0	/* no-SSID traffic aborted */
#define  SMMUV3_STE_S1DSS_BYPASS	1	/* no-SSID traffic bypasses S1 */
#define  SMMUV3_STE_S1DSS_SSID0		2	/* no-SSID traffic uses CD 0 */
#define SMMUV3_STE1_S1CIR		GENMASK_ULL(3, 2)
#define SMMUV3_STE1_S1COR		GENMASK_ULL(5, 4)
#define SMMUV3_STE1_S1CSH		GENMASK_ULL(7, 6)
#define  SMMUV3_STE_S1C_CACHE_NC	0	/* S1CIR/S1COR values */
#define  SMMUV3_STE_S1C_CACHE_WBRA	1
#define  SMMUV3_STE_S1C_CACHE_WT	2
#define  SMMUV3_STE_S1C_CACHE_WB	3
#define SMMUV3_STE1_MEV			BIT_ULL(19)
#define SMMUV3_STE1_S2FWB		BIT_ULL(25)
#define SMMUV3_STE1_S1STALLD		BIT_ULL(27)	/* stall disable */
#define SMMUV3_STE1_EATS		GENMASK_ULL(29, 28)
#define  SMMUV3_STE_EATS_ABT		0	/* ATS translation requests aborted */
#define  SMMUV3_STE_EATS_TRANS		1	/* full ATS */
#define  SMMUV3_STE_EATS_S1CHK		2	/* split-stage ATS (nested) */
#define SMMUV3_STE1_STRW		GENMASK_ULL(31, 30)
#define  SMMUV3_STE_STRW_NSEL1		0
#define  SMMUV3_STE_STRW_EL2		2
#define SMMUV3_STE1_SHCFG		GENMASK_ULL(45, 44)
#define  SMMUV3_STE_SHCFG_INCOMING	1

/* STE dword 2 */
#define SMMUV3_STE2_S2VMID		GENMASK_ULL(15, 0)
#define SMMUV3_STE2_VTCR		GENMASK_ULL(50, 32)
/* Fields of the 19-bit VTCR value, i.e. of FIELD_GET(SMMUV3_STE2_VTCR) */
#define  SMMUV3_STE_VTCR_S2T0SZ		GENMASK_ULL(5, 0)
#define  SMMUV3_STE_VTCR_S2SL0		GENMASK_ULL(7, 6)
#define  SMMUV3_STE_VTCR_S2IR0		GENMASK_ULL(9, 8)
#define  SMMUV3_STE_VTCR_S2OR0		GENMASK_ULL(11, 10)
#define  SMMUV3_STE_VTCR_S2SH0		GENMASK_ULL(13, 12)
#define  SMMUV3_STE_VTCR_S2TG		GENMASK_ULL(15, 14)
#define  SMMUV3_STE_VTCR_S2PS		GENMASK_ULL(18, 16)
#define SMMUV3_STE2_S2AA64		BIT_ULL(51)
#define SMMUV3_STE2_S2ENDI		BIT_ULL(52)
#define SMMUV3_STE2_S2PTW		BIT_ULL(54)
#define SMMUV3_STE2_S2S			BIT_ULL(57)
#define SMMUV3_STE2_S2R			BIT_ULL(58)

/* STE dword 3 */
#define SMMUV3_STE3_S2TTB		GENMASK_ULL(51, 4)

/* ------------------------------------------------------------------ */
/* §5.3 L1 Context Descriptor and §5.4 Context Descriptor (CD)         */
/* ------------------------------------------------------------------ */

#define SMMUV3_CD_L1_V			BIT_ULL(0)
#define SMMUV3_CD_L1_L2PTR		GENMASK_ULL(51, 12)
#define SMMUV3_CD_L2_ENTRIES		1024	/* Linux's L2 table size */

#define SMMUV3_CD_DWORDS		8

/* CD dword 0 */
#define SMMUV3_CD0_T0SZ			GENMASK_ULL(5, 0)
#define SMMUV3_CD0_TG0			GENMASK_ULL(7, 6)
#define  SMMUV3_CD_TG0_4K		0	/* TCR-style granule encoding */
#define  SMMUV3_CD_TG0_64K		1
#define  SMMUV3_CD_TG0_16K		2
					/* 3: reserved */
#define SMMUV3_CD0_IR0			GENMASK_ULL(9, 8)	/* IRGN0 */
#define SMMUV3_CD0_OR0			GENMASK_ULL(11, 10)	/* ORGN0 */
#define SMMUV3_CD0_SH0			GENMASK_ULL(13, 12)
#define SMMUV3_CD0_EPD0			BIT_ULL(14)	/* TTB0 walks disabled */
#define SMMUV3_CD0_ENDI			BIT_ULL(15)	/* big-endian walks */
#define SMMUV3_CD0_EPD1			BIT_ULL(30)	/* TTB1 walks disabled */
#define SMMUV3_CD0_V			BIT_ULL(31)
#define SMMUV3_CD0_IPS			GENMASK_ULL(34, 32)
#define SMMUV3_CD0_TBI0			BIT_ULL(38)
#define SMMUV3_CD0_AA64			BIT_ULL(41)
#define SMMUV3_CD0_HD			BIT_ULL(42)
#define SMMUV3_CD0_HA			BIT_ULL(43)
#define SMMUV3_CD0_S			BIT_ULL(44)	/* stall on fault */
#define SMMUV3_CD0_R			BIT_ULL(45)	/* record faults */
#define SMMUV3_CD0_A			BIT_ULL(46)	/* abort terminated txns */
#define SMMUV3_CD0_ASET			BIT_ULL(47)
#define SMMUV3_CD0_ASID			GENMASK_ULL(63, 48)

/* CD dword 1 */
#define SMMUV3_CD1_TTB0			GENMASK_ULL(51, 4)

/* CD dword 3 */
#define SMMUV3_CD3_MAIR			GENMASK_ULL(63, 0)

/* ------------------------------------------------------------------ */
/* §4 Commands: 2 dwords, 16 bytes. Opcode in dword 0 [7:0].           */
/* ------------------------------------------------------------------ */

#define SMMUV3_CMD_0_OP			GENMASK_ULL(7, 0)
#define SMMUV3_CMD_0_SSV		BIT_ULL(11)	/* SubstreamID valid */

/* §4.2 Prefetch */
#define SMMUV3_CMD_PREFETCH_CFG		0x01	/* CMD_PREFETCH_CONFIG */
#define SMMUV3_CMD_PREFETCH_ADDR	0x02	/* (arch; not modelled) */
#define SMMUV3_CMD_PREFETCH_0_SSID	GENMASK_ULL(31, 12)
#define SMMUV3_CMD_PREFETCH_0_SID	GENMASK_ULL(63, 32)
#define SMMUV3_CMD_PREFETCH_1_SIZE	GENMASK_ULL(4, 0)	/* PREFETCH_ADDR */
#define SMMUV3_CMD_PREFETCH_1_ADDR	GENMASK_ULL(63, 12)	/* PREFETCH_ADDR */

/* §4.3 Configuration structure invalidation */
#define SMMUV3_CMD_CFGI_STE		0x03
#define SMMUV3_CMD_CFGI_STE_RANGE	0x04
#define SMMUV3_CMD_CFGI_ALL		0x04	/* = CFGI_STE_RANGE, RANGE 31 */
#define SMMUV3_CMD_CFGI_CD		0x05
#define SMMUV3_CMD_CFGI_CD_ALL		0x06
#define SMMUV3_CMD_CFGI_0_SSID		GENMASK_ULL(31, 12)	/* CFGI_CD */
#define SMMUV3_CMD_CFGI_0_SID		GENMASK_ULL(63, 32)
#define SMMUV3_CMD_CFGI_1_LEAF		BIT_ULL(0)	/* CFGI_STE, CFGI_CD */
#define SMMUV3_CMD_CFGI_1_RANGE		GENMASK_ULL(4, 0) /* CFGI_STE_RANGE:
							   * 2^(RANGE+1) STEs */
#define  SMMUV3_CFGI_ALL_RANGE		31

/* §4.4 TLB invalidation */
#define SMMUV3_CMD_TLBI_NH_ALL		0x10
#define SMMUV3_CMD_TLBI_NH_ASID		0x11
#define SMMUV3_CMD_TLBI_NH_VA		0x12
#define SMMUV3_CMD_TLBI_NH_VAA		0x13
#define SMMUV3_CMD_TLBI_EL2_ALL		0x20
#define SMMUV3_CMD_TLBI_EL2_ASID	0x21
#define SMMUV3_CMD_TLBI_EL2_VA		0x22
#define SMMUV3_CMD_TLBI_S12_VMALL	0x28
#define SMMUV3_CMD_TLBI_S2_IPA		0x2a
#define SMMUV3_CMD_TLBI_NSNH_ALL	0x30
#define SMMUV3_CMD_TLBI_0_NUM		GENMASK_ULL(16, 12)	/* range: NUM+1 */
#define  SMMUV3_TLBI_RANGE_NUM_MAX	31
#define SMMUV3_CMD_TLBI_0_SCALE		GENMASK_ULL(24, 20)
#define SMMUV3_CMD_TLBI_0_VMID		GENMASK_ULL(47, 32)
#define SMMUV3_CMD_TLBI_0_ASID		GENMASK_ULL(63, 48)
#define SMMUV3_CMD_TLBI_1_LEAF		BIT_ULL(0)
#define SMMUV3_CMD_TLBI_1_TTL		GENMASK_ULL(9, 8)	/* level hint */
#define SMMUV3_CMD_TLBI_1_TG		GENMASK_ULL(11, 10)
#define  SMMUV3_TLBI_TG_NONE		0	/* no range / TTL hint */
#define  SMMUV3_TLBI_TG_4K		1
#define  SMMUV3_TLBI_TG_16K		2
#define  SMMUV3_TLBI_TG_64K		3
#define SMMUV3_CMD_TLBI_1_VA		GENMASK_ULL(63, 12)
#define SMMUV3_CMD_TLBI_1_IPA		GENMASK_ULL(51, 12)	/* TLBI_S2_IPA */

/* §4.5 ATS and PRI */
#define SMMUV3_CMD_ATC_INV		0x40
#define SMMUV3_CMD_ATC_0_GLOBAL		BIT_ULL(9)
#define SMMUV3_CMD_ATC_0_SSID		GENMASK_ULL(31, 12)
#define SMMUV3_CMD_ATC_0_SID		GENMASK_ULL(63, 32)
#define SMMUV3_CMD_ATC_1_SIZE		GENMASK_ULL(5, 0)  /* 2^SIZE pages */
#define  SMMUV3_ATC_INV_SIZE_ALL	52	/* largest legal SIZE */
#define SMMUV3_CMD_ATC_1_ADDR		GENMASK_ULL(63, 12)

#define SMMUV3_CMD_PRI_RESP		0x41
#define SMMUV3_CMD_PRI_0_SSID		GENMASK_ULL(31, 12)
#define SMMUV3_CMD_PRI_0_SID		GENMASK_ULL(63, 32)
#define SMMUV3_CMD_PRI_1_GRPID		GENMASK_ULL(8, 0)	/* PRG index */
#define SMMUV3_CMD_PRI_1_RESP		GENMASK_ULL(13, 12)
#define  SMMUV3_PRI_RESP_DENY		0	/* Invalid Request */
#define  SMMUV3_PRI_RESP_FAIL		1	/* Response Failure */
#define  SMMUV3_PRI_RESP_SUCC		2	/* Success */
					/* 3: reserved */

/* §4.6 Fault response: stall resume */
#define SMMUV3_CMD_RESUME		0x44
#define SMMUV3_CMD_STALL_TERM		0x45	/* (arch; not modelled) */
#define SMMUV3_CMD_RESUME_0_RESP	GENMASK_ULL(13, 12)
#define  SMMUV3_RESUME_TERM		0	/* terminate, no abort */
#define  SMMUV3_RESUME_RETRY		1	/* retry the transaction */
#define  SMMUV3_RESUME_ABORT		2	/* terminate with abort */
#define SMMUV3_CMD_RESUME_0_SID		GENMASK_ULL(63, 32)
#define SMMUV3_CMD_RESUME_1_STAG	GENMASK_ULL(15, 0)

/* §4.6/§4.7 Synchronisation */
#define SMMUV3_CMD_SYNC			0x46
#define SMMUV3_CMD_SYNC_0_CS		GENMASK_ULL(13, 12)
#define  SMMUV3_CMD_SYNC_CS_NONE	0	/* completion seen via CONS */
#define  SMMUV3_CMD_SYNC_CS_IRQ		1	/* completion signalled by MSI */
#define  SMMUV3_CMD_SYNC_CS_SEV		2	/* completion signalled by SEV */
					/* 3: reserved */
#define SMMUV3_CMD_SYNC_0_MSH		GENMASK_ULL(23, 22)	/* SMMUV3_SH_* */
#define SMMUV3_CMD_SYNC_0_MSIATTR	GENMASK_ULL(27, 24)
#define SMMUV3_CMD_SYNC_0_MSIDATA	GENMASK_ULL(63, 32)
#define SMMUV3_CMD_SYNC_1_MSIADDR	GENMASK_ULL(51, 2)

/*
 * Per-command masks of the bits the architecture defines for the
 * Non-secure command queue (SSec, bit 10, is Secure-only). Any bit outside
 * these is RES0; the model's command decoder reports such a command as
 * CERROR_ILL (see smmuv3_cmd_decode()).
 */
#define SMMUV3_CMD_PREFETCH_CFG_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_0_SSV | \
					 SMMUV3_CMD_PREFETCH_0_SSID | \
					 SMMUV3_CMD_PREFETCH_0_SID)
#define SMMUV3_CMD_PREFETCH_CFG_DEF1	0ULL
#define SMMUV3_CMD_CFGI_STE_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_CFGI_0_SID)
#define SMMUV3_CMD_CFGI_STE_DEF1	SMMUV3_CMD_CFGI_1_LEAF
#define SMMUV3_CMD_CFGI_STE_RANGE_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_CFGI_0_SID)
#define SMMUV3_CMD_CFGI_STE_RANGE_DEF1	SMMUV3_CMD_CFGI_1_RANGE
#define SMMUV3_CMD_CFGI_CD_DEF0		(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_CFGI_0_SSID | \
					 SMMUV3_CMD_CFGI_0_SID)
#define SMMUV3_CMD_CFGI_CD_DEF1		SMMUV3_CMD_CFGI_1_LEAF
#define SMMUV3_CMD_CFGI_CD_ALL_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_CFGI_0_SID)
#define SMMUV3_CMD_CFGI_CD_ALL_DEF1	0ULL
#define SMMUV3_CMD_TLBI_RANGE_DEF1	(SMMUV3_CMD_TLBI_1_LEAF | \
					 SMMUV3_CMD_TLBI_1_TTL | \
					 SMMUV3_CMD_TLBI_1_TG)
#define SMMUV3_CMD_TLBI_NH_ALL_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_TLBI_0_VMID)
#define SMMUV3_CMD_TLBI_NH_ALL_DEF1	0ULL
#define SMMUV3_CMD_TLBI_NH_ASID_DEF0	(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_TLBI_0_VMID | \
					 SMMUV3_CMD_TLBI_0_ASID)
#define SMMUV3_CMD_TLBI_NH_ASID_DEF1	0ULL
#define SMMUV3_CMD_TLBI_NH_VA_DEF0	(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_TLBI_0_NUM | \
					 SMMUV3_CMD_TLBI_0_SCALE | \
					 SMMUV3_CMD_TLBI_0_VMID | \
					 SMMUV3_CMD_TLBI_0_ASID)
#define SMMUV3_CMD_TLBI_NH_VA_DEF1	(SMMUV3_CMD_TLBI_RANGE_DEF1 | \
					 SMMUV3_CMD_TLBI_1_VA)
#define SMMUV3_CMD_TLBI_NH_VAA_DEF0	(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_TLBI_0_NUM | \
					 SMMUV3_CMD_TLBI_0_SCALE | \
					 SMMUV3_CMD_TLBI_0_VMID)
#define SMMUV3_CMD_TLBI_NH_VAA_DEF1	SMMUV3_CMD_TLBI_NH_VA_DEF1
#define SMMUV3_CMD_TLBI_EL2_ALL_DEF0	SMMUV3_CMD_0_OP
#define SMMUV3_CMD_TLBI_EL2_ALL_DEF1	0ULL
#define SMMUV3_CMD_TLBI_EL2_ASID_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_TLBI_0_ASID)
#define SMMUV3_CMD_TLBI_EL2_ASID_DEF1	0ULL
#define SMMUV3_CMD_TLBI_EL2_VA_DEF0	(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_TLBI_0_NUM | \
					 SMMUV3_CMD_TLBI_0_SCALE | \
					 SMMUV3_CMD_TLBI_0_ASID)
#define SMMUV3_CMD_TLBI_EL2_VA_DEF1	SMMUV3_CMD_TLBI_NH_VA_DEF1
#define SMMUV3_CMD_TLBI_S12_VMALL_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_TLBI_0_VMID)
#define SMMUV3_CMD_TLBI_S12_VMALL_DEF1	0ULL
#define SMMUV3_CMD_TLBI_S2_IPA_DEF0	SMMUV3_CMD_TLBI_NH_VAA_DEF0
#define SMMUV3_CMD_TLBI_S2_IPA_DEF1	(SMMUV3_CMD_TLBI_RANGE_DEF1 | \
					 SMMUV3_CMD_TLBI_1_IPA)
#define SMMUV3_CMD_TLBI_NSNH_ALL_DEF0	SMMUV3_CMD_0_OP
#define SMMUV3_CMD_TLBI_NSNH_ALL_DEF1	0ULL
#define SMMUV3_CMD_ATC_INV_DEF0		(SMMUV3_CMD_0_OP | SMMUV3_CMD_0_SSV | \
					 SMMUV3_CMD_ATC_0_GLOBAL | \
					 SMMUV3_CMD_ATC_0_SSID | \
					 SMMUV3_CMD_ATC_0_SID)
#define SMMUV3_CMD_ATC_INV_DEF1		(SMMUV3_CMD_ATC_1_SIZE | \
					 SMMUV3_CMD_ATC_1_ADDR)
#define SMMUV3_CMD_PRI_RESP_DEF0	(SMMUV3_CMD_0_OP | SMMUV3_CMD_0_SSV | \
					 SMMUV3_CMD_PRI_0_SSID | \
					 SMMUV3_CMD_PRI_0_SID)
#define SMMUV3_CMD_PRI_RESP_DEF1	(SMMUV3_CMD_PRI_1_GRPID | \
					 SMMUV3_CMD_PRI_1_RESP)
#define SMMUV3_CMD_RESUME_DEF0		(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_RESUME_0_RESP | \
					 SMMUV3_CMD_RESUME_0_SID)
#define SMMUV3_CMD_RESUME_DEF1		SMMUV3_CMD_RESUME_1_STAG
#define SMMUV3_CMD_SYNC_DEF0		(SMMUV3_CMD_0_OP | \
					 SMMUV3_CMD_SYNC_0_CS | \
					 SMMUV3_CMD_SYNC_0_MSH | \
					 SMMUV3_CMD_SYNC_0_MSIATTR | \
					 SMMUV3_CMD_SYNC_0_MSIDATA)
#define SMMUV3_CMD_SYNC_DEF1		SMMUV3_CMD_SYNC_1_MSIADDR

/* ------------------------------------------------------------------ */
/* §7.3 Event records: 4 dwords, 32 bytes                              */
/* ------------------------------------------------------------------ */

/* Event IDs (dword 0 [7:0]) */
#define SMMUV3_EVT_F_UUT		0x01	/* (arch) unsupported upstream txn */
#define SMMUV3_EVT_C_BAD_STREAMID	0x02
#define SMMUV3_EVT_F_STE_FETCH		0x03
#define SMMUV3_EVT_C_BAD_STE		0x04
#define SMMUV3_EVT_F_BAD_ATS_TREQ	0x05	/* (arch) */
#define SMMUV3_EVT_F_STREAM_DISABLED	0x06
#define SMMUV3_EVT_F_TRANSL_FORBIDDEN	0x07	/* (arch) */
#define SMMUV3_EVT_C_BAD_SUBSTREAMID	0x08
#define SMMUV3_EVT_F_CD_FETCH		0x09
#define SMMUV3_EVT_C_BAD_CD		0x0a
#define SMMUV3_EVT_F_WALK_EABT		0x0b	/* (arch) */
#define SMMUV3_EVT_F_TRANSLATION	0x10
#define SMMUV3_EVT_F_ADDR_SIZE		0x11
#define SMMUV3_EVT_F_ACCESS		0x12
#define SMMUV3_EVT_F_PERMISSION		0x13
#define SMMUV3_EVT_F_TLB_CONFLICT	0x20	/* (arch) */
#define SMMUV3_EVT_F_CFG_CONFLICT	0x21	/* (arch) */
#define SMMUV3_EVT_E_PAGE_REQUEST	0x24	/* (arch) */
#define SMMUV3_EVT_F_VMS_FETCH		0x25

/* Event record dword 0 */
#define SMMUV3_EVT0_ID			GENMASK_ULL(7, 0)
#define SMMUV3_EVT0_SSV			BIT_ULL(11)
#define SMMUV3_EVT0_SSID		GENMASK_ULL(31, 12)
#define SMMUV3_EVT0_SID			GENMASK_ULL(63, 32)

/* Event record dword 1 (layout of the translation-related faults) */
#define SMMUV3_EVT1_STAG		GENMASK_ULL(15, 0)
#define SMMUV3_EVT1_STALL		BIT_ULL(31)
#define SMMUV3_EVT1_PnU			BIT_ULL(33)	/* 1: privileged */
#define SMMUV3_EVT1_InD			BIT_ULL(34)	/* 1: instruction */
#define SMMUV3_EVT1_RnW			BIT_ULL(35)	/* 1: read */
#define SMMUV3_EVT1_S2			BIT_ULL(39)	/* fault at stage 2 */
#define SMMUV3_EVT1_CLASS		GENMASK_ULL(41, 40)
#define  SMMUV3_EVT_CLASS_CD		0	/* CD fetch */
#define  SMMUV3_EVT_CLASS_TT		1	/* S1 translation table fetch */
#define  SMMUV3_EVT_CLASS_IN		2	/* input address */
#define SMMUV3_EVT1_TTRnW		BIT_ULL(44)	/* walk access was a read */

/* Event record dwords 2 and 3 */
#define SMMUV3_EVT2_ADDR		GENMASK_ULL(63, 0)	/* InputAddr */
#define SMMUV3_EVT3_IPA			GENMASK_ULL(51, 12)
#define SMMUV3_EVT3_FETCH_ADDR		GENMASK_ULL(51, 3)	/* *_FETCH */

/* ------------------------------------------------------------------ */
/* §8 Page request queue: 2 dwords, 16 bytes                           */
/* ------------------------------------------------------------------ */

#define SMMUV3_PRIQ0_SID		GENMASK_ULL(31, 0)
#define SMMUV3_PRIQ0_SSID		GENMASK_ULL(51, 32)
#define SMMUV3_PRIQ0_PERM_PRIV		BIT_ULL(58)
#define SMMUV3_PRIQ0_PERM_EXEC		BIT_ULL(59)
#define SMMUV3_PRIQ0_PERM_READ		BIT_ULL(60)
#define SMMUV3_PRIQ0_PERM_WRITE		BIT_ULL(61)
#define SMMUV3_PRIQ0_PRG_LAST		BIT_ULL(62)	/* last request of PRG */
#define SMMUV3_PRIQ0_SSV		BIT_ULL(63)
#define SMMUV3_PRIQ1_PRG_IDX		GENMASK_ULL(8, 0)
#define SMMUV3_PRIQ1_ADDR		GENMASK_ULL(63, 12)

#endif /* IOMMUSIM_HW_SMMUV3_REGS_H */
