/* SPDX-License-Identifier: MIT */
/*
 * Bit operations on bitmaps of unsigned long (<linux/bitops.h>,
 * <linux/bitmap.h>).  The atomic ones (set_bit, test_and_set_bit, ...) are
 * scheduling points; the __-prefixed non-atomic ones and the bitmap_*
 * search helpers are not (callers use them on private data or under a lock).
 */
#ifndef IOMMUSIM_KERNEL_BITOPS_H
#define IOMMUSIM_KERNEL_BITOPS_H

#include "kernel/compiler.h"

#define BIT_WORD(nr)	((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)	(1UL << ((nr) % BITS_PER_LONG))
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline void set_bit(unsigned long nr, unsigned long *addr)
{
	kpoint();
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
	sim_wfe_notify_at(&addr[BIT_WORD(nr)]);
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
	kpoint();
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
	sim_wfe_notify_at(&addr[BIT_WORD(nr)]);
}

static inline void change_bit(unsigned long nr, unsigned long *addr)
{
	kpoint();
	__atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
	sim_wfe_notify_at(&addr[BIT_WORD(nr)]);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	kpoint();
	return __atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) & BIT_MASK(nr);
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	bool old;

	kpoint();
	old = __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
				__ATOMIC_SEQ_CST) & BIT_MASK(nr);
	sim_wfe_notify_at(&addr[BIT_WORD(nr)]);
	return old;
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *addr)
{
	bool old;

	kpoint();
	old = __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
				 __ATOMIC_SEQ_CST) & BIT_MASK(nr);
	sim_wfe_notify_at(&addr[BIT_WORD(nr)]);
	return old;
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline bool __test_bit(unsigned long nr, const unsigned long *addr)
{
	return addr[BIT_WORD(nr)] & BIT_MASK(nr);
}

/** find_next_bit() - first set bit at or after @off, or @size if none. */
static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size, unsigned long off)
{
	for (; off < size; off++)
		if (__test_bit(off, addr))
			return off;
	return size;
}

static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr,
					       unsigned long size, unsigned long off)
{
	for (; off < size; off++)
		if (!__test_bit(off, addr))
			return off;
	return size;
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size);	\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) >= nbits;
}

static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < nbits; i++)
		w += __test_bit(i, src);
	return w;
}

static inline int hweight64(u64 x)
{
	return __builtin_popcountll(x);
}

static inline int ilog2(u64 x)
{
	return 63 - __builtin_clzll(x);
}

#endif
