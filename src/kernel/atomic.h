/* SPDX-License-Identifier: MIT */
/*
 * atomic_t, atomic_long_t, atomic64_t, cmpxchg and xchg (<linux/atomic.h>).
 * Every operation is one scheduling point followed by the indivisible
 * operation, fully ordered (the strongest kernel ordering; relaxed variants
 * map to the same).
 */
#ifndef IOMMUSIM_KERNEL_ATOMIC_H
#define IOMMUSIM_KERNEL_ATOMIC_H

#include "kernel/compiler.h"

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { s64 counter; } atomic64_t;

#define ATOMIC_INIT(i)	{ (i) }
#define __ATOMIC_SC	__ATOMIC_SEQ_CST

#define ATOMIC_OPS(pfx, atype, t)						\
static inline t pfx##_read(const atype *v)					\
{ kpoint(); return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(atype *v, t i)					\
{ kpoint(); __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); sim_wfe_notify_at(&v->counter); }		\
static inline void pfx##_add(t i, atype *v)					\
{ kpoint(); __atomic_fetch_add(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); }			\
static inline void pfx##_sub(t i, atype *v)					\
{ kpoint(); __atomic_fetch_sub(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); }			\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }			\
static inline t pfx##_add_return(t i, atype *v)					\
{ kpoint(); t __r = __atomic_add_fetch(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_sub_return(t i, atype *v)					\
{ kpoint(); t __r = __atomic_sub_fetch(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_inc_return(atype *v) { return pfx##_add_return(1, v); }	\
static inline t pfx##_dec_return(atype *v) { return pfx##_sub_return(1, v); }	\
static inline bool pfx##_dec_and_test(atype *v) { return pfx##_sub_return(1, v) == 0; } \
static inline bool pfx##_inc_and_test(atype *v) { return pfx##_add_return(1, v) == 0; } \
static inline t pfx##_fetch_add(t i, atype *v)					\
{ kpoint(); t __r = __atomic_fetch_add(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_fetch_sub(t i, atype *v)					\
{ kpoint(); t __r = __atomic_fetch_sub(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_fetch_or(t i, atype *v)					\
{ kpoint(); t __r = __atomic_fetch_or(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_fetch_and(t i, atype *v)					\
{ kpoint(); t __r = __atomic_fetch_and(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_fetch_andnot(t i, atype *v)				\
{ kpoint(); t __r = __atomic_fetch_and(&v->counter, ~i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline t pfx##_fetch_xor(t i, atype *v)					\
{ kpoint(); t __r = __atomic_fetch_xor(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
static inline void pfx##_or(t i, atype *v) { (void)pfx##_fetch_or(i, v); }	\
static inline void pfx##_xor(t i, atype *v) { (void)pfx##_fetch_xor(i, v); }	\
static inline void pfx##_and(t i, atype *v) { (void)pfx##_fetch_and(i, v); }	\
static inline void pfx##_andnot(t i, atype *v) { (void)pfx##_fetch_andnot(i, v); } \
static inline t pfx##_xchg(atype *v, t i)					\
{ kpoint(); t __r = __atomic_exchange_n(&v->counter, i, __ATOMIC_SC); sim_wfe_notify_at(&v->counter); return __r; }		\
/* pfx##_cmpxchg(): store @new if the value is @old; return the value seen. */	\
static inline t pfx##_cmpxchg(atype *v, t old, t new_)				\
{										\
	kpoint();								\
	__atomic_compare_exchange_n(&v->counter, &old, new_, false,		\
				    __ATOMIC_SC, __ATOMIC_SC);			\
	sim_wfe_notify_at(&v->counter);					\
	return old;								\
}										\
/* pfx##_try_cmpxchg(): like cmpxchg; on failure *old gets the value seen. */	\
static inline bool pfx##_try_cmpxchg(atype *v, t *old, t new_)			\
{										\
	bool __ok;								\
	kpoint();								\
	__ok = __atomic_compare_exchange_n(&v->counter, old, new_, false,	\
					   __ATOMIC_SC, __ATOMIC_SC);		\
	sim_wfe_notify_at(&v->counter);					\
	return __ok;								\
}										\
/* pfx##_add_unless(): add @a unless the value is @u; whether it added. */	\
static inline bool pfx##_add_unless(atype *v, t a, t u)			\
{										\
	t c;									\
	kpoint();								\
	c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);			\
	do {									\
		if (c == u)							\
			return false;						\
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,	\
					      __ATOMIC_SC, __ATOMIC_SC));	\
	sim_wfe_notify_at(&v->counter);					\
	return true;								\
}										\
static inline bool pfx##_inc_not_zero(atype *v) { return pfx##_add_unless(v, 1, 0); }

ATOMIC_OPS(atomic, atomic_t, int)
ATOMIC_OPS(atomic_long, atomic_long_t, long)
ATOMIC_OPS(atomic64, atomic64_t, s64)

#define atomic_read_acquire(v)		atomic_read(v)
#define atomic_set_release(v, i)	atomic_set(v, i)
#define atomic_fetch_andnot_relaxed	atomic_fetch_andnot
#define atomic_cond_read_relaxed(v, c)	smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_long_cond_read_relaxed(v, c)	smp_cond_load_relaxed(&(v)->counter, (c))

/* cmpxchg(ptr, old, new): on any scalar or pointer; returns the value seen. */
#define cmpxchg(ptr, o, n) ({						\
	typeof(*(ptr)) __old = (o);					\
	kpoint();							\
	__atomic_compare_exchange_n((ptr), &__old, (n), false,		\
				    __ATOMIC_SC, __ATOMIC_SC);		\
	sim_wfe_notify_at(ptr);						\
	__old; })
#define cmpxchg_relaxed(ptr, o, n)	cmpxchg(ptr, o, n)
#define try_cmpxchg(ptr, po, n) ({					\
	bool __ok;							\
	kpoint();							\
	__ok = __atomic_compare_exchange_n((ptr), (po), (n), false,	\
					   __ATOMIC_SC, __ATOMIC_SC);	\
	sim_wfe_notify_at(ptr);						\
	__ok; })
#define xchg(ptr, v) ({ kpoint(); typeof(*(ptr)) __x = __atomic_exchange_n((ptr), (v), __ATOMIC_SC); \
			sim_wfe_notify_at(ptr); __x; })

#endif
