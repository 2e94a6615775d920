/* SPDX-License-Identifier: MIT */
/*
 * RCU (<linux/rcupdate.h>).
 *
 * rcu_read_lock()/rcu_read_unlock() mark read-side critical sections
 * (nestable, scheduling points, preemptible as with CONFIG_PREEMPT_RCU;
 * sleeping inside one is SLEEP_IN_ATOMIC).  synchronize_rcu() returns once
 * every read-side section that began before it has ended.  call_rcu() and
 * kfree_rcu() run their callback after such a grace period, from the run's
 * RCU kthread (a daemon on CPU 0).
 */
#ifndef IOMMUSIM_KERNEL_RCUPDATE_H
#define IOMMUSIM_KERNEL_RCUPDATE_H

#include "kernel/compiler.h"
#include "kernel/types.h"

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	size_t kfree_offset;	/* kfree_rcu(): offset of the head in its object */
};

void rcu_read_lock(void);
void rcu_read_unlock(void);
/** rcu_read_lock_held() - whether the current task is in a read-side section. */
bool rcu_read_lock_held(void);
/** synchronize_rcu() - wait for a grace period.  May sleep. */
void synchronize_rcu(void);
/** call_rcu() - run @func(@head) after a grace period. */
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void __kfree_rcu(struct rcu_head *head, size_t offset);
/** kfree_rcu(ptr, field) - kfree(@ptr) after a grace period; field is its rcu_head. */
#define kfree_rcu(ptr, field) \
	__kfree_rcu(&(ptr)->field, offsetof(typeof(*(ptr)), field))
/** rcu_barrier() - wait until every call_rcu() callback queued so far has run. */
void rcu_barrier(void);

#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_dereference_check(p, c)	READ_ONCE(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v)		do { (p) = (v); } while (0)

#endif
