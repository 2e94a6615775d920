/* SPDX-License-Identifier: MIT */
/*
 * The page-table format the SMMU models walk (DESIGN.md section 1: what
 * fault handling cannot observe is simplified, and says so).
 *
 * Simplified AArch64 VMSAv8-64 stage-1 format, 4 KiB granule, 48-bit input
 * address, four levels (L0..L3) of 512 8-byte descriptors, each level one
 * 4 KiB page of simulated memory:
 *
 *   L0..L2 descriptor: bits[1:0] = 0b11 table, [47:12] next-level table
 *   L3 descriptor:     bits[1:0] = 0b11 page,  [47:12] output address
 *   any level:         bit 0 = 0 invalid (translation fault)
 *
 * Page attributes (L3 only):
 *   AP[1] bit 6   1: unprivileged accesses allowed
 *   AP[2] bit 7   1: read-only
 *   AF    bit 10  0: access fault (no hardware access-flag update)
 *   PXN   bit 53  1: no privileged instruction fetch
 *   UXN   bit 54  1: no unprivileged instruction fetch
 *
 * Not modelled: block descriptors (an L0..L2 descriptor with bits[1:0] =
 * 0b01 is a translation fault), other granules, TTB1, stage 2 formats,
 * attribute indexes, shareability, contiguous hints, dirty state.
 * CD.T0SZ, TG0, IPS are not checked: every walk is 4 levels, 48 bits.
 *
 * The software side (io-pgtable in later layers, tests, hwtest) builds
 * tables with hw_pgtable_map()/unmap(); they write descriptors through
 * hw_mem_ptr() the way a CPU would and never invalidate anything.
 */
#ifndef IOMMUSIM_HW_PGTABLE_H
#define IOMMUSIM_HW_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/mem.h"
#include "kernel/bits.h"

#define HW_PT_LEVELS		4
#define HW_PT_ENTRIES		512
#define HW_PT_IA_BITS		48

#define HW_PTE_VALID		BIT_ULL(0)
#define HW_PTE_TYPE_TABLE	BIT_ULL(1)	/* with VALID: table (L0-L2) or page (L3) */
#define HW_PTE_AP_UNPRIV	BIT_ULL(6)	/* AP[1] */
#define HW_PTE_AP_RDONLY	BIT_ULL(7)	/* AP[2] */
#define HW_PTE_AF		BIT_ULL(10)
#define HW_PTE_ADDR		GENMASK_ULL(47, 12)
#define HW_PTE_PXN		BIT_ULL(53)
#define HW_PTE_UXN		BIT_ULL(54)

/* Result of a walk. */
enum hw_pt_fault {
	HW_PT_OK,
	HW_PT_TRANSLATION,	/* F_TRANSLATION */
	HW_PT_ACCESS,		/* F_ACCESS: AF == 0 */
	HW_PT_PERMISSION,	/* F_PERMISSION */
	HW_PT_ADDR_SIZE,	/* F_ADDR_SIZE: input beyond 48 bits */
	HW_PT_WALK_EABT,	/* F_WALK_EABT: a table outside memory */
};

/**
 * struct hw_pt_walk - outcome of hw_pgtable_walk().
 * @fault:	HW_PT_OK or the fault class.
 * @level:	level at which the walk stopped (0..3).
 * @pa:		output page address (valid when the descriptor was found).
 * @perm:	HW_PERM_* the page grants to this kind of access
 *		(privileged or not).
 * @fetch_addr:	address of the descriptor that aborted (HW_PT_WALK_EABT).
 */
struct hw_pt_walk {
	enum hw_pt_fault fault;
	int level;
	uint64_t pa;
	uint8_t perm;
	uint64_t fetch_addr;
};

/**
 * hw_pgtable_walk() - walk the table at @root for @iova.
 * @root:	L0 table address (CD.TTB0).
 * @want:	HW_PERM_* the access needs; a missing one is HW_PT_PERMISSION.
 * @priv:	privileged access (AP[1] not needed).
 *
 * Models the stage-1 walk of SMMUv3 section 3.4 on the simplified format.
 * Reads descriptors with hw_mem_read64(); costs no virtual time (the
 * caller charges it).  Pure with respect to the simulator.
 */
void hw_pgtable_walk(const struct hw_mem *m, uint64_t root, uint64_t iova,
		     uint8_t want, bool priv, struct hw_pt_walk *out);

/**
 * hw_pgtable_map() - map the page at @iova to @pa with @perm in the table
 * at @root, allocating missing tables (owner "@owner pgtable").
 * @perm:	HW_PERM_R is implied; HW_PERM_W clears AP[2]; no HW_PERM_X
 *		sets UXN and PXN.  Pages are mapped with AP[1] = 1 and AF = 1.
 * Return: 0; -EINVAL for a misaligned address or one beyond 48 bits;
 * -EEXIST when @iova is already mapped; -ENOMEM when a table cannot be
 * allocated.
 */
int hw_pgtable_map(struct hw_mem *m, uint64_t root, uint64_t iova, uint64_t pa,
		   uint8_t perm, const char *owner);

/**
 * hw_pgtable_unmap() - clear the L3 descriptor of @iova.
 * @pa:	set to the page it mapped (may be NULL).
 * Return: 0; -ENOENT when @iova was not mapped; -EINVAL as for map.
 * Intermediate tables are kept.
 */
int hw_pgtable_unmap(struct hw_mem *m, uint64_t root, uint64_t iova, uint64_t *pa);

/**
 * hw_pgtable_alloc() - a zeroed L0 table for @owner.
 * Return: 0 with *@root set, or -ENOMEM.
 */
int hw_pgtable_alloc(struct hw_mem *m, const char *owner, uint64_t *root);

/**
 * hw_pgtable_free() - free every table page reachable from @root (not
 * the mapped pages).  Return: 0, or -EINVAL when @root is not allocated.
 */
int hw_pgtable_free(struct hw_mem *m, uint64_t root);

#endif
