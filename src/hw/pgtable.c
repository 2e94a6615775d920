// SPDX-License-Identifier: MIT
/*
 * The simplified stage-1 page-table format (see pgtable.h): the walk the
 * SMMU models make, and the map/unmap a CPU-side table builder makes.
 */
#include "hw/pgtable.h"

#include <errno.h>
#include <stdio.h>

#define PTE_TYPE_MASK	(HW_PTE_VALID | HW_PTE_TYPE_TABLE)

/* Index of @iova at @level (0..3): 9 bits each, L3 at bits 20:12. */
static unsigned pt_index(uint64_t iova, int level)
{
	return (iova >> (HW_PAGE_SHIFT + 9 * (3 - level))) & (HW_PT_ENTRIES - 1);
}

static uint8_t pte_perm(uint64_t pte, bool priv)
{
	uint8_t perm = 0;

	if (!priv && !(pte & HW_PTE_AP_UNPRIV))
		return 0;
	perm |= HW_PERM_R;
	if (!(pte & HW_PTE_AP_RDONLY))
		perm |= HW_PERM_W;
	if (!(pte & (priv ? HW_PTE_PXN : HW_PTE_UXN)))
		perm |= HW_PERM_X;
	return perm;
}

void hw_pgtable_walk(const struct hw_mem *m, uint64_t root, uint64_t iova,
		     uint8_t want, bool priv, struct hw_pt_walk *out)
{
	uint64_t table = root & HW_PTE_ADDR;

	*out = (struct hw_pt_walk){ .fault = HW_PT_OK };
	if (iova >> HW_PT_IA_BITS) {
		out->fault = HW_PT_ADDR_SIZE;
		return;
	}
	for (int level = 0; level < HW_PT_LEVELS; level++) {
		uint64_t addr = table + 8ULL * pt_index(iova, level);
		uint64_t pte;

		out->level = level;
		if (hw_mem_read64(m, addr, &pte)) {
			out->fault = HW_PT_WALK_EABT;
			out->fetch_addr = addr;
			return;
		}
		if ((pte & PTE_TYPE_MASK) != PTE_TYPE_MASK) {
			/* invalid, or a block descriptor (not modelled) */
			out->fault = HW_PT_TRANSLATION;
			return;
		}
		table = pte & HW_PTE_ADDR;
		if (level < HW_PT_LEVELS - 1)
			continue;
		out->pa = table;
		if (!(pte & HW_PTE_AF)) {
			out->fault = HW_PT_ACCESS;
			return;
		}
		out->perm = pte_perm(pte, priv);
		if ((out->perm & want) != want)
			out->fault = HW_PT_PERMISSION;
	}
}

static int pt_check(uint64_t iova)
{
	if (iova & ~HW_PAGE_MASK || iova >> HW_PT_IA_BITS)
		return -EINVAL;
	return 0;
}

int hw_pgtable_alloc(struct hw_mem *m, const char *owner, uint64_t *root)
{
	char name[HW_OWNER_LEN];

	snprintf(name, sizeof(name), "%s pgtable", owner ? owner : "?");
	return hw_mem_alloc(m, 1, name, root);
}

/* The L3 descriptor slot of @iova, allocating tables when @alloc. */
static uint64_t *pt_leaf(struct hw_mem *m, uint64_t root, uint64_t iova, bool alloc,
			 const char *owner, int *err)
{
	uint64_t table = root;

	for (int level = 0; level < HW_PT_LEVELS - 1; level++) {
		uint64_t *slot = hw_mem_ptr(m, table + 8ULL * pt_index(iova, level), 8);

		if (!slot) {
			*err = -EINVAL;
			return NULL;
		}
		if ((*slot & PTE_TYPE_MASK) != PTE_TYPE_MASK) {
			uint64_t next;

			if (!alloc) {
				*err = -ENOENT;
				return NULL;
			}
			*err = hw_pgtable_alloc(m, owner, &next);
			if (*err)
				return NULL;
			*slot = next | PTE_TYPE_MASK;
		}
		table = *slot & HW_PTE_ADDR;
	}
	return hw_mem_ptr(m, table + 8ULL * pt_index(iova, 3), 8);
}

int hw_pgtable_map(struct hw_mem *m, uint64_t root, uint64_t iova, uint64_t pa,
		   uint8_t perm, const char *owner)
{
	uint64_t *pte;
	int err = 0;

	if (pt_check(iova) || pa & ~HW_PAGE_MASK || pa & ~HW_PTE_ADDR)
		return -EINVAL;
	pte = pt_leaf(m, root, iova, true, owner, &err);
	if (!pte)
		return err ? err : -EINVAL;
	if (*pte & HW_PTE_VALID)
		return -EEXIST;
	*pte = pa | PTE_TYPE_MASK | HW_PTE_AF | HW_PTE_AP_UNPRIV |
	       (perm & HW_PERM_W ? 0 : HW_PTE_AP_RDONLY) |
	       (perm & HW_PERM_X ? 0 : HW_PTE_UXN | HW_PTE_PXN);
	return 0;
}

int hw_pgtable_unmap(struct hw_mem *m, uint64_t root, uint64_t iova, uint64_t *pa)
{
	uint64_t *pte;
	int err = 0;

	if (pt_check(iova))
		return -EINVAL;
	pte = pt_leaf(m, root, iova, false, NULL, &err);
	if (!pte)
		return err ? err : -EINVAL;
	if (!(*pte & HW_PTE_VALID))
		return -ENOENT;
	if (pa)
		*pa = *pte & HW_PTE_ADDR;
	*pte = 0;
	return 0;
}

static int pt_free_level(struct hw_mem *m, uint64_t table, int level)
{
	if (level < HW_PT_LEVELS - 1) {
		for (unsigned i = 0; i < HW_PT_ENTRIES; i++) {
			uint64_t *slot = hw_mem_ptr(m, table + 8ULL * i, 8);

			if (slot && (*slot & PTE_TYPE_MASK) == PTE_TYPE_MASK)
				pt_free_level(m, *slot & HW_PTE_ADDR, level + 1);
		}
	}
	return hw_mem_free(m, table, 1);
}

int hw_pgtable_free(struct hw_mem *m, uint64_t root)
{
	if (hw_mem_is_free(m, root))
		return -EINVAL;
	return pt_free_level(m, root, 0);
}
