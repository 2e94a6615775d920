/* SPDX-License-Identifier: MIT */
/*
 * Physical memory (DESIGN.md section 4): pages with an owner and a
 * generation, and the stale-translation check every DMA goes through.
 *
 * Memory is a contiguous range of 4 KiB pages starting at HW_MEM_BASE.
 * Each page has an owner (free, or a named owner: "dom0 iova 0x1000",
 * "smmu0 cmdq") and a generation that changes every time the page is
 * freed or given to a new owner.  A translation (struct hw_xlate) carries
 * the generation of its output page at the moment the translation was
 * made; hw_mem_dma() compares it with the page's current generation and
 * reports STALE_DMA_WRITE / STALE_DMA_READ on a mismatch or a free page.
 * The access is still performed: a stale write really lands in the page
 * that now belongs to someone else, which is the data corruption the
 * check exists for.
 *
 * Memory also backs the SMMU's queues, stream table, context descriptors
 * and page tables: software writes them through hw_mem_ptr() (the kernel's
 * direct map), hardware reads and writes them with hw_mem_read()/_write()
 * (table walks, queue accesses, MSI writes).  Those accesses are not
 * generation-checked; an access outside memory is an external abort
 * (-EFAULT), which the SMMU turns into F_*_FETCH, CERROR_ABT or *_ABT_ERR.
 *
 * Byte order: host order; the model does not model endianness.
 * Context: every function may be called from any task or from set-up
 * code; none is a scheduling point.  The model is single-threaded per run.
 */
#ifndef IOMMUSIM_HW_MEM_H
#define IOMMUSIM_HW_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

#define HW_PAGE_SHIFT	12
#define HW_PAGE_SIZE	(1ULL << HW_PAGE_SHIFT)	/* bytes */
#define HW_PAGE_MASK	(~(HW_PAGE_SIZE - 1))
#define HW_MEM_BASE	0x80000000ULL		/* first physical address */
#define HW_OWNER_LEN	40

/* A translation made without a page-table walk (bypass): never stale. */
#define HW_GEN_ANY	UINT64_MAX

/* Access permissions of a translation. */
#define HW_PERM_R	0x1
#define HW_PERM_W	0x2
#define HW_PERM_X	0x4

/* Where the copy of a translation an access used was found. */
enum hw_xlate_src {
	HW_XLATE_BYPASS,	/* no translation: STE bypass, SMMU disabled */
	HW_XLATE_WALK,		/* a fresh table walk */
	HW_XLATE_SMMU_TLB,	/* the SMMU's TLB */
	HW_XLATE_ATC,		/* the endpoint's ATC (a translated request) */
};

/**
 * struct hw_xlate - one translation of one page, as a cache holds it.
 * @iova:	input address, page aligned.
 * @pa:		output address, page aligned.
 * @gen:	generation of the page at @pa when the walk was made, or
 *		HW_GEN_ANY for a bypass.
 * @made_at:	virtual time of the walk (ns).
 * @perm:	HW_PERM_* granted.
 * @src:	where the copy in hand was found (set by whoever hands it
 *		to hw_mem_dma()).
 */
struct hw_xlate {
	uint64_t iova;
	uint64_t pa;
	uint64_t gen;
	sim_time_t made_at;
	uint8_t perm;
	uint8_t src;
};

/**
 * struct hw_dma - one DMA access, for hw_mem_dma() and its report.
 * @device:	requester's name ("nic0"); may be NULL.
 * @sid:	StreamID the SMMU saw.
 * @ssv, @ssid:	SubstreamID (PASID), when valid.
 * @iova:	input address of the access (byte address).
 * @write:	a write (else a read).
 * @x:		the translation used; @x->pa + (@iova & ~HW_PAGE_MASK) is
 *		the physical address accessed.
 */
struct hw_dma {
	const char *device;
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	uint64_t iova;
	bool write;
	const struct hw_xlate *x;
};

struct hw_mem_stats {
	uint64_t allocs, frees;		/* pages */
	uint64_t dma_reads, dma_writes;	/* accesses */
	uint64_t stale_reads, stale_writes;
};

struct hw_mem;

/**
 * hw_mem_create() - physical memory of @size bytes at HW_MEM_BASE.
 * @size:	bytes, a multiple of HW_PAGE_SIZE, at least one page and at
 *		most 4 GiB.  Backing store is reserved lazily (untouched
 *		pages cost no host memory).
 * Return: the memory, or NULL (-EINVAL for a bad size, -ENOMEM).
 */
struct hw_mem *hw_mem_create(uint64_t size);

/** hw_mem_destroy() - free the memory and its pages' metadata. NULL is a no-op. */
void hw_mem_destroy(struct hw_mem *m);

/** hw_mem_size() - bytes of memory. */
uint64_t hw_mem_size(const struct hw_mem *m);

/**
 * hw_mem_alloc() - allocate @npages contiguous zeroed pages for @owner.
 * @npages:	pages (>= 1).
 * @owner:	name of the new owner (copied, truncated to HW_OWNER_LEN-1).
 * @pa:		set to the first page's physical address.
 *
 * Models the kernel's page allocator (alloc_pages / dma_alloc_coherent):
 * the run is aligned to its size rounded up to a power of two, as the
 * buddy allocator aligns an order-n block (so a queue or stream table is
 * naturally aligned, as the SMMU's base registers require).
 * A single page is taken from the most recently freed pages first, as a
 * per-CPU page list hands out cache-hot pages: a freed page is reused
 * soon, which is what turns a stale translation into corruption.
 * Each page's generation moves on.
 *
 * Return: 0, -EINVAL for @npages 0, -ENOMEM when no run of free pages
 * is long enough.
 */
int hw_mem_alloc(struct hw_mem *m, size_t npages, const char *owner, uint64_t *pa);

/**
 * hw_mem_free() - free @npages pages at @pa.
 * Each page's generation moves on and its owner becomes free; its
 * contents are kept (a stale read sees the old data until reuse).
 * Return: 0, or -EINVAL when @pa is not page aligned, out of memory, or
 * a page in the range is already free (nothing is freed then).
 */
int hw_mem_free(struct hw_mem *m, uint64_t pa, size_t npages);

/**
 * hw_mem_set_owner() - give the allocated page at @pa to a new owner.
 * The generation moves on, so translations made before are stale.
 * Return: 0, or -EINVAL when @pa is outside memory or the page is free.
 */
int hw_mem_set_owner(struct hw_mem *m, uint64_t pa, const char *owner);

/** hw_mem_owner() - the page's owner name, "free" for a free page, NULL outside memory. */
const char *hw_mem_owner(const struct hw_mem *m, uint64_t pa);

/** hw_mem_gen() - the current generation of the page holding @pa (0 outside memory). */
uint64_t hw_mem_gen(const struct hw_mem *m, uint64_t pa);

/** hw_mem_is_free() - whether the page holding @pa is free (true outside memory). */
bool hw_mem_is_free(const struct hw_mem *m, uint64_t pa);

/**
 * hw_mem_ptr() - host pointer to @len bytes at @pa, for CPU accesses by
 * the modelled software (the kernel's direct map).
 * Return: the pointer, or NULL when [@pa, @pa+@len) is not inside memory.
 */
void *hw_mem_ptr(struct hw_mem *m, uint64_t pa, size_t len);

/**
 * hw_mem_read() / hw_mem_write() - hardware access to @len bytes at @pa
 * (table walks, queue entries, MSI writes).  Not generation-checked.
 * Return: 0, or -EFAULT (an external abort) when the range is not
 * inside memory; nothing is transferred then.
 */
int hw_mem_read(const struct hw_mem *m, uint64_t pa, void *buf, size_t len);
int hw_mem_write(struct hw_mem *m, uint64_t pa, const void *buf, size_t len);

/** hw_mem_read64()/hw_mem_write64() - 8-byte forms; -EFAULT as above. */
int hw_mem_read64(const struct hw_mem *m, uint64_t pa, uint64_t *val);
int hw_mem_write64(struct hw_mem *m, uint64_t pa, uint64_t val);

/**
 * hw_mem_dma() - a device's DMA of @len bytes through translation @d->x.
 * @buf:	data to write, or buffer for the data read.
 * @len:	bytes; the access must not cross a page boundary.
 *
 * Checks the translation: if the page is free or its generation differs
 * from @d->x->gen (and @d->x->gen is not HW_GEN_ANY), reports
 * STALE_DMA_WRITE or STALE_DMA_READ naming the device, SID, IOVA,
 * physical page, where the translation was found (@d->x->src), its age,
 * and the page's current owner.  Then performs the access.
 *
 * Return: 0 (also for a stale access), -EINVAL when the access crosses a
 * page, -EFAULT when it is outside memory.
 */
int hw_mem_dma(struct hw_mem *m, const struct hw_dma *d, void *buf, size_t len);

/** hw_mem_stats() - counters since creation. */
const struct hw_mem_stats *hw_mem_stats(const struct hw_mem *m);

/**
 * hw_mem_invariant() - NULL, or which rule of the page life cycle drawn
 * in mem.c is broken.  Tests call it; O(pages).
 */
const char *hw_mem_invariant(const struct hw_mem *m);

/** hw_xlate_src_name() - "bypass", "walk", "SMMU TLB", "device ATC". */
const char *hw_xlate_src_name(enum hw_xlate_src src);

#endif
