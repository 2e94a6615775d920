/* SPDX-License-Identifier: MIT */
/*
 * Scope-based lock guards (<linux/cleanup.h>) on GCC's cleanup attribute:
 *
 *	guard(mutex)(&group->mutex);		// unlocked at the end of the scope
 *	scoped_guard(spinlock_irqsave, &l) { ... }
 *
 * Guards: spinlock, spinlock_irqsave, spinlock_irq, mutex, rcu.
 */
#ifndef IOMMUSIM_KERNEL_CLEANUP_H
#define IOMMUSIM_KERNEL_CLEANUP_H

#include "kernel/mutex.h"
#include "kernel/rcupdate.h"
#include "kernel/spinlock.h"

#define __cleanup(f)	__attribute__((cleanup(f)))

#define DEFINE_LOCK_GUARD(_name, _type, _lock, _unlock, _extra)		\
typedef struct {							\
	_type *lock;							\
	_extra;								\
} class_##_name##_t;							\
static inline void class_##_name##_destructor(class_##_name##_t *_T)	\
{									\
	if (_T->lock) {							\
		_unlock;						\
	}								\
}									\
static inline class_##_name##_t class_##_name##_constructor(_type *l)	\
{									\
	class_##_name##_t _t = { .lock = l }, *_T = &_t;		\
	_lock;								\
	return _t;							\
}

DEFINE_LOCK_GUARD(spinlock, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock), int _unused)
DEFINE_LOCK_GUARD(spinlock_irq, spinlock_t, spin_lock_irq(_T->lock),
		  spin_unlock_irq(_T->lock), int _unused)
DEFINE_LOCK_GUARD(spinlock_irqsave, spinlock_t,
		  spin_lock_irqsave(_T->lock, _T->flags),
		  spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD(mutex, struct mutex, mutex_lock(_T->lock), mutex_unlock(_T->lock), int _unused)

typedef struct { int dummy; } class_rcu_t;
static inline void class_rcu_destructor(class_rcu_t *_T) { rcu_read_unlock(); }
static inline class_rcu_t class_rcu_constructor(void)
{
	rcu_read_lock();
	return (class_rcu_t){ 0 };
}

#define CLASS(_name, var)						\
	class_##_name##_t var __cleanup(class_##_name##_destructor) =	\
		class_##_name##_constructor

#define guard(_name)	CLASS(_name, __UNIQUE_ID(guard))

#define __scoped_guard(_name, _label, args...)				\
	for (CLASS(_name, scope)(args), *_label = NULL; !_label;	\
	     _label = (void *)1)
#define scoped_guard(_name, args...)					\
	__scoped_guard(_name, __UNIQUE_ID(done), args)

#endif
