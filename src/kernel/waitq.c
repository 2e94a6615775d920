// SPDX-License-Identifier: MIT
#include "kernel/waitq.h"
#include "kernel/workqueue.h"

static void unlink_waiter(struct kwaitq *q, struct sim_task *t)
{
	struct sim_task **pp = &q->head;

	while (*pp && *pp != t)
		pp = &(*pp)->wait_next;
	if (*pp)
		*pp = t->wait_next;
	t->wait_next = NULL;
	t->wait_q = NULL;
}

void kwaitq_wait(struct kwaitq *q, const char *what, const char *name,
		 const void *obj, const struct sim_task *holder, bool idle)
{
	struct sim_task *t = sim_current();
	struct sim_task **pp = &q->head;
	struct sim_wait w = { what, name, obj, holder };

	while (*pp)
		pp = &(*pp)->wait_next;
	*pp = t;
	t->wait_next = NULL;
	t->wait_q = q;
	wq_worker_sleeping(t);
	sim_block(&w, idle);
	wq_worker_running(t);
	if (t->wait_q == q)
		unlink_waiter(q, t);
}

void kwaitq_wake_one(struct kwaitq *q)
{
	struct sim_task *t = q->head;

	if (!t)
		return;
	q->head = t->wait_next;
	t->wait_next = NULL;
	t->wait_q = NULL;
	sim_wake(t);
}

void kwaitq_wake_all(struct kwaitq *q)
{
	while (q->head)
		kwaitq_wake_one(q);
}
