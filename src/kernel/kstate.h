/* SPDX-License-Identifier: MIT */
/*
 * The shim's per-run state (hung off struct sim): the kernel log, the
 * system workqueue, RCU's grace-period machinery, tracked allocations.
 * Created at first use in a run, freed with the simulator.
 */
#ifndef IOMMUSIM_KERNEL_KSTATE_H
#define IOMMUSIM_KERNEL_KSTATE_H

#include "kernel/waitq.h"
#include "sim/sim.h"

struct workqueue_struct;
struct rcu_head;
struct kobj_hdr;
struct irq_desc;

struct klog_line {
	sim_time_t time;	/* ns */
	int level;		/* 0 (emerg) .. 7 (debug) */
	char *text;		/* without the level prefix, no trailing newline */
};

struct kstate {
	/* printk */
	struct klog_line *klog;
	size_t nklog, klog_cap;
	bool klog_echo;			/* also print lines to stderr as they come */

	/* workqueues */
	struct workqueue_struct *sys_wq;
	struct workqueue_struct *sys_unbound_wq;
	struct workqueue_struct **wqs;	/* every workqueue, for freeing */
	int nwqs, wqs_cap;

	/* RCU */
	uint64_t gp_seq;		/* grace periods requested */
	struct kwaitq gp_waiters;	/* synchronize_rcu() callers */
	struct rcu_head *cb_head, **cb_tail;	/* call_rcu() callbacks */
	struct kwaitq cb_kthread_wait;
	struct sim_task *rcu_kthread;
	uint64_t cb_queued, cb_batches_started, cb_batches_done;
	struct kwaitq barrier_waiters;	/* rcu_barrier() callers */

	/* tracked allocations (kzalloc) */
	struct kobj_hdr *objs;		/* every object of the run */
	struct kobj_hdr **ht;		/* address -> object, open addressing */
	size_t ht_cap, ht_n;
	uint64_t nobjs_live;

	/* interrupt descriptors, by IRQ number - 1 */
	struct irq_table {
		struct irq_desc **desc;
		int n, cap;
	} irqs;

	/* time */
	uint64_t cpu_relax_ns;		/* cost of one cpu_relax(), ns */
};

/** kstate() - the current run's shim state, created on first use. */
struct kstate *kstate(void);

/** kstate_set_cpu_relax_ns() - the cost of cpu_relax() in this run (ns). */
void kstate_set_cpu_relax_ns(struct sim *s, uint64_t ns);

#endif
