// SPDX-License-Identifier: MIT
#include "kernel/completion.h"

#include "kernel/delay.h"
#include "kernel/sched.h"

void __init_completion(struct completion *c, const char *name)
{
	if (name && name[0] == '&')
		name++;
	c->done = 0;
	c->name = name;
	c->waiters.head = NULL;
}

static void consume(struct completion *c)
{
	if (c->done != COMPLETION_ALL)
		c->done--;
}

void wait_for_completion(struct completion *c)
{
	might_sleep();
	kpoint();
	while (!c->done)
		kwaitq_wait(&c->waiters, "completion", c->name, c, NULL, false);
	consume(c);
}

static void timeout_fire(struct sim_timer *tm)
{
	sim_wake(tm->data);
}

unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout)
{
	sim_time_t deadline = sim_now() + (sim_time_t)timeout * NSEC_PER_MSEC;
	struct sim_timer tm;

	might_sleep();
	kpoint();
	sim_timer_init(&tm, timeout_fire, current);
	while (!c->done && sim_now() < deadline) {
		sim_timer_arm(&tm, deadline);
		kwaitq_wait(&c->waiters, "completion", c->name, c, NULL, false);
		sim_timer_cancel(&tm);
	}
	if (!c->done)
		return 0;
	consume(c);
	return max_t(unsigned long, 1, (deadline - sim_now()) / NSEC_PER_MSEC);
}

bool try_wait_for_completion(struct completion *c)
{
	kpoint();
	if (!c->done)
		return false;
	consume(c);
	return true;
}

bool completion_done(struct completion *c)
{
	kpoint();
	return c->done != 0;
}

void complete(struct completion *c)
{
	kpoint();
	if (c->done != COMPLETION_ALL)
		c->done++;
	kwaitq_wake_one(&c->waiters);
}

void complete_all(struct completion *c)
{
	kpoint();
	c->done = COMPLETION_ALL;
	kwaitq_wake_all(&c->waiters);
}
