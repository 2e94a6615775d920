/* SPDX-License-Identifier: MIT */
/*
 * Completions (<linux/completion.h>).  wait_for_completion*() may sleep.
 */
#ifndef IOMMUSIM_KERNEL_COMPLETION_H
#define IOMMUSIM_KERNEL_COMPLETION_H

#include "kernel/types.h"
#include "kernel/waitq.h"

#define COMPLETION_ALL	UINT32_MAX

struct completion {
	unsigned int done;	/* COMPLETION_ALL after complete_all() */
	const char *name;
	struct kwaitq waiters;
};

#define COMPLETION_INITIALIZER(n)	{ .done = 0, .name = #n }
#define DECLARE_COMPLETION(n)		struct completion n = COMPLETION_INITIALIZER(n)
#define init_completion(c)		__init_completion((c), #c)
void __init_completion(struct completion *c, const char *name);
static inline void reinit_completion(struct completion *c) { c->done = 0; }

/** wait_for_completion() - sleep until complete() or complete_all(). */
void wait_for_completion(struct completion *c);
/**
 * wait_for_completion_timeout() - as above, at most @timeout jiffies (ms).
 * Return: 0 on timeout, else the jiffies left (at least 1).
 */
unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout);
/** try_wait_for_completion() - consume a completion without sleeping; whether it did. */
bool try_wait_for_completion(struct completion *c);
/** completion_done() - whether a wait would not sleep. */
bool completion_done(struct completion *c);
/** complete() - wake one waiter (or let the next wait pass).  Context: any. */
void complete(struct completion *c);
/** complete_all() - let every present and future wait pass.  Context: any. */
void complete_all(struct completion *c);

#endif
