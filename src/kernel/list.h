/* SPDX-License-Identifier: MIT */
/*
 * Intrusive doubly linked lists (<linux/list.h>, <linux/rculist.h>).
 * The plain forms take no scheduling points (use them under a lock); the
 * _rcu forms publish and read through the RCU pointer primitives, which are
 * scheduling points.
 */
#ifndef IOMMUSIM_KERNEL_LIST_H
#define IOMMUSIM_KERNEL_LIST_H

#include "kernel/rcupdate.h"
#include "kernel/slab.h"
#include "kernel/types.h"

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
#define LIST_POISON1		((struct list_head *)0x100)
#define LIST_POISON2		((struct list_head *)0x122)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = LIST_POISON1;
	e->prev = LIST_POISON2;
}

static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_move_tail(struct list_head *e, struct list_head *head)
{
	list_del(e);
	list_add_tail(e, head);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_first_entry_or_null(ptr, type, member) \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, typeof(*(pos)), member)

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, typeof(*pos), member))

#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, typeof(*pos), member),	\
	     n = list_entry(pos->member.next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, typeof(*n), member))

/* ---- RCU-protected lists ---- */

static inline void list_add_rcu(struct list_head *n, struct list_head *head)
{
	struct list_head *next = head->next;

	n->next = next;
	n->prev = head;
	rcu_assign_pointer(head->next, n);
	next->prev = n;
}

static inline void list_add_tail_rcu(struct list_head *n, struct list_head *head)
{
	struct list_head *prev = head->prev;

	n->next = head;
	n->prev = prev;
	rcu_assign_pointer(prev->next, n);
	head->prev = n;
}

/* list_del_rcu(): readers may still be on @e; only ->prev is poisoned. */
static inline void list_del_rcu(struct list_head *e)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
	e->prev = LIST_POISON2;
}

/*
 * Stepping to the next entry reads the current one: with kzalloc()'d
 * entries, a step from an entry freed under the reader is USE_AFTER_FREE.
 */
#define list_for_each_entry_rcu(pos, head, member)			\
	for (pos = list_entry(rcu_dereference((head)->next), typeof(*pos), member); \
	     &pos->member != (head);					\
	     pos = list_entry(rcu_dereference(kobj_use(pos, "list_for_each_entry_rcu step")->member.next), \
			      typeof(*pos), member))

#endif
