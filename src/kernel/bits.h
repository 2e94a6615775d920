/* SPDX-License-Identifier: MIT */
/*
 * Bit and bitfield helpers with the kernel's names: BIT(), GENMASK(),
 * FIELD_PREP(), FIELD_GET() (<linux/bits.h>, <linux/bitfield.h>).
 *
 * Pure macros: no scheduling points. Masks must be compile-time constants
 * with contiguous bits, as in the kernel.
 */
#ifndef IOMMUSIM_KERNEL_BITS_H
#define IOMMUSIM_KERNEL_BITS_H

#include <stdint.h>

#define BIT(n)            (1UL << (n))
#define BIT_ULL(n)        (1ULL << (n))
#define BITS_PER_LONG     64
#define BITS_PER_BYTE     8
#define BITS_TO_LONGS(n)  (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* GENMASK(h, l): bits l..h inclusive set. */
#define GENMASK(h, l) \
	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) \
	(((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (64 - 1 - (h))))

/* Index of the lowest set bit of a constant mask. */
#define __bf_shf(x) (__builtin_ffsll(x) - 1)

/* FIELD_PREP(mask, val): val shifted into the field described by mask. */
#define FIELD_PREP(_mask, _val) \
	((((uint64_t)(_val)) << __bf_shf(_mask)) & (_mask))
/* FIELD_GET(mask, reg): the field described by mask, shifted down. */
#define FIELD_GET(_mask, _reg) \
	((typeof(_mask))(((_reg) & (_mask)) >> __bf_shf(_mask)))
/* FIELD_FIT(mask, val): whether val fits in the field. */
#define FIELD_FIT(_mask, _val) \
	(!((((uint64_t)(_val)) << __bf_shf(_mask)) & ~(uint64_t)(_mask)))

#endif
