// SPDX-License-Identifier: MIT
/*
 * RCU over the simulator.
 *
 * Every task records the grace-period number current when its outermost
 * read-side section began.  synchronize_rcu() takes a new number G and
 * waits until no task is inside a section that began before G.  Callbacks
 * queued by call_rcu() are run in batches by the RCU kthread, each batch
 * after a synchronize_rcu().
 */
#include "kernel/rcupdate.h"

#include <stdlib.h>

#include "kernel/bug.h"
#include "kernel/kstate.h"
#include "kernel/slab.h"

void rcu_read_lock(void)
{
	struct sim_task *t;

	kpoint();
	t = current;
	if (t->rcu_nesting++ == 0)
		t->rcu_gen = kstate()->gp_seq;
}

void rcu_read_unlock(void)
{
	struct sim_task *t = current;

	if (WARN_ON(t->rcu_nesting <= 0))
		return;
	if (--t->rcu_nesting == 0)
		kwaitq_wake_all(&kstate()->gp_waiters);
	kpoint();
}

bool rcu_read_lock_held(void)
{
	return current->rcu_nesting > 0;
}

static struct sim_task *reader_before(struct sim *s, uint64_t gp)
{
	for (int i = 0; i < s->ntasks; i++) {
		struct sim_task *t = s->tasks[i];

		if (t->state != SIM_DONE && t->rcu_nesting > 0 && t->rcu_gen < gp)
			return t;
	}
	return NULL;
}

void synchronize_rcu(void)
{
	struct kstate *ks = kstate();
	struct sim_task *r;
	uint64_t gp;

	might_sleep();
	kpoint();
	gp = ++ks->gp_seq;
	while ((r = reader_before(sim_cur, gp)))
		kwaitq_wait(&ks->gp_waiters, "synchronize_rcu", "rcu grace period",
			    ks, r, false);
}

static void rcu_kthread(void *arg)
{
	struct kstate *ks = arg;

	for (;;) {
		struct rcu_head *batch;

		kpoint();
		if (!ks->cb_head) {
			kwaitq_wait(&ks->cb_kthread_wait, "rcu callbacks", "rcu_gp",
				    ks, NULL, true);
			continue;
		}
		batch = ks->cb_head;
		ks->cb_batches_started++;
		ks->cb_head = NULL;
		ks->cb_tail = &ks->cb_head;
		synchronize_rcu();
		while (batch) {
			struct rcu_head *next = batch->next;

			batch->func(batch);
			batch = next;
		}
		ks->cb_batches_done++;
		kwaitq_wake_all(&ks->barrier_waiters);
	}
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *))
{
	struct kstate *ks = kstate();

	kpoint();
	if (!ks->rcu_kthread) {
		ks->rcu_kthread = sim_task_create(sim_cur, "rcu_gp", SIM_TASK_THREAD,
						  0, true, rcu_kthread, ks);
		if (!ks->rcu_kthread)
			abort();
	}
	head->func = func;
	head->next = NULL;
	*ks->cb_tail = head;
	ks->cb_tail = &head->next;
	ks->cb_queued++;
	kwaitq_wake_one(&ks->cb_kthread_wait);
}

static void kfree_rcu_cb(struct rcu_head *head)
{
	kfree((char *)head - head->kfree_offset);
}

void __kfree_rcu(struct rcu_head *head, size_t offset)
{
	head->kfree_offset = offset;
	call_rcu(head, kfree_rcu_cb);
}

void rcu_barrier(void)
{
	struct kstate *ks = kstate();
	uint64_t want;

	might_sleep();
	kpoint();
	/* The batch in flight, if any, and the one the queued callbacks will form. */
	want = ks->cb_batches_started + (ks->cb_head ? 1 : 0);
	while (ks->cb_batches_done < want)
		kwaitq_wait(&ks->barrier_waiters, "rcu_barrier", "rcu callbacks",
			    ks, ks->rcu_kthread, false);
}
