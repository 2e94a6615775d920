/* SPDX-License-Identifier: MIT */
/*
 * READ_ONCE/WRITE_ONCE and the barrier family (<linux/compiler.h>,
 * <asm/barrier.h>).  Each is a scheduling point: another task may run
 * between any two of them, which is how the simulator finds races on
 * plain shared variables.
 */
#ifndef IOMMUSIM_KERNEL_COMPILER_H
#define IOMMUSIM_KERNEL_COMPILER_H

#include "kernel/sched.h"
#include "kernel/types.h"

#define READ_ONCE(x) ({ kpoint(); __atomic_load_n(&(x), __ATOMIC_RELAXED); })
#define WRITE_ONCE(x, val) do { kpoint(); __atomic_store_n(&(x), (val), __ATOMIC_RELAXED); sim_wfe_notify_at(&(x)); } while (0)

#define barrier()		__asm__ __volatile__("" ::: "memory")
#define smp_mb()		do { kpoint(); __atomic_thread_fence(__ATOMIC_SEQ_CST); } while (0)
#define smp_rmb()		do { kpoint(); __atomic_thread_fence(__ATOMIC_ACQUIRE); } while (0)
#define smp_wmb()		do { kpoint(); __atomic_thread_fence(__ATOMIC_RELEASE); } while (0)
#define mb()			smp_mb()
#define rmb()			smp_rmb()
#define wmb()			smp_wmb()
#define dma_wmb()		smp_wmb()
#define dma_rmb()		smp_rmb()
#define smp_mb__before_atomic()	barrier()
#define smp_mb__after_atomic()	barrier()

#define smp_load_acquire(p) ({ kpoint(); __atomic_load_n((p), __ATOMIC_ACQUIRE); })
#define smp_store_release(p, v) do { kpoint(); __atomic_store_n((p), (v), __ATOMIC_RELEASE); sim_wfe_notify_at(p); } while (0)

/*
 * smp_cond_load_relaxed(): wait until cond holds on VAL = *ptr.  Modelled on
 * arm64, which waits in WFE between reads: the task blocks (costing no
 * virtual time, keeping its CPU if not preemptible) until some write through
 * the shim or from hardware signals an event.  Nothing ever writing it is a
 * DEADLOCK, not a silent hang.
 */
#define smp_cond_load_relaxed(ptr, cond_expr) ({		\
	typeof(*(ptr)) VAL;					\
	for (;;) {						\
		VAL = READ_ONCE(*(ptr));			\
		if (cond_expr)					\
			break;					\
		sim_wfe_wait(#ptr, (ptr));			\
	}							\
	VAL; })
#define smp_cond_load_acquire(ptr, cond_expr) smp_cond_load_relaxed(ptr, cond_expr)

void cpu_relax(void);

#endif
