/* SPDX-License-Identifier: MIT */
/*
 * Memory for kernel objects, with use-after-free detection
 * (<linux/slab.h>, in the spirit of KASAN).
 *
 * Every kzalloc()'d object carries a hidden header: its name, who allocated
 * it and, once freed, who freed it and when.  kfree() poisons the body
 * (0x6b, POISON_FREE) and keeps the memory until the run ends, so a
 * dangling pointer never reaches another object.  Model code marks the
 * accesses that matter with kobj_use(): an access to a freed object is a
 * USE_AFTER_FREE violation naming the object, the task that freed it and
 * the task that used it; so is a kobj_use() of a pointer that was itself
 * loaded from freed (poisoned) memory.  The using task ends there, as after
 * an oops, since it would go on through garbage.  Freeing twice is reported
 * too (and the task goes on).
 *
 * GFP_KERNEL allocations may sleep: SLEEP_IN_ATOMIC in atomic context.
 * Allocation does not fail unless a test injects it (kmalloc_fail_after).
 */
#ifndef IOMMUSIM_KERNEL_SLAB_H
#define IOMMUSIM_KERNEL_SLAB_H

#include "kernel/types.h"

#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u
#define GFP_NOWAIT	0x4u
#define __GFP_ZERO	0x100u

/** kmalloc() - @size bytes, uninitialised (filled with 0xa5). NULL: -ENOMEM injected. */
void *kmalloc(size_t size, gfp_t gfp);
/** kzalloc() - @size zeroed bytes. */
void *kzalloc(size_t size, gfp_t gfp);
/** kcalloc() - @n * @size zeroed bytes; NULL on overflow. */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/** kfree() - free; NULL is ignored; a double free is USE_AFTER_FREE. */
void kfree(const void *p);

/** kobj_set_name() - name an object for reports ("iommu_domain dom0"). */
void kobj_set_name(const void *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * kobj_use() - mark an access to @p; USE_AFTER_FREE if it was freed.
 * @what: the access, for the report ("domain->iopf_handler").
 * Returns @p, so it can wrap an expression.  Not a scheduling point.
 */
#define kobj_use(p, what)	((typeof(p))__kobj_use((p), (what), __FILE__, __LINE__))
const void *__kobj_use(const void *p, const char *what, const char *file, int line);

/** kobj_is_freed() - whether @p was freed (for checkers; no report). */
bool kobj_is_freed(const void *p);

/** kobj_live_count() - objects allocated and not freed in this run. */
uint64_t kobj_live_count(void);

#endif
