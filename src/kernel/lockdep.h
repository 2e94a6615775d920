/* SPDX-License-Identifier: MIT */
/*
 * lockdep_assert_held() and friends (<linux/lockdep.h>): a WARN when the
 * current task does not hold the lock.  Works on spinlock_t and struct mutex.
 */
#ifndef IOMMUSIM_KERNEL_LOCKDEP_H
#define IOMMUSIM_KERNEL_LOCKDEP_H

#include "kernel/mutex.h"
#include "kernel/spinlock.h"

void __lockdep_assert(bool held, bool want, const char *what, const char *name,
		      const char *file, int line);

#define __lock_owner_is_current(l) ((l)->owner == current)
#define lockdep_assert_held(l)						\
	__lockdep_assert(__lock_owner_is_current(l), true,		\
			 _Generic((l), spinlock_t *: "spinlock",	\
				  struct mutex *: "mutex"),		\
			 (l)->name, __FILE__, __LINE__)
#define lockdep_assert_not_held(l)					\
	__lockdep_assert(__lock_owner_is_current(l), false,		\
			 _Generic((l), spinlock_t *: "spinlock",	\
				  struct mutex *: "mutex"),		\
			 (l)->name, __FILE__, __LINE__)
#define lockdep_assert_irqs_disabled()					\
	__lockdep_assert(irqs_disabled(), true, "irqs", "disabled", __FILE__, __LINE__)

#endif
