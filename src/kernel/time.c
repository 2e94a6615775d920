// SPDX-License-Identifier: MIT
/*
 * Delays and sleeps in virtual time.
 */
#include "kernel/delay.h"

#include "kernel/kstate.h"
#include "kernel/workqueue.h"

void cpu_relax(void)
{
	struct kstate *ks = kstate();

	sim_delay(ks->cpu_relax_ns);
}

void ndelay(unsigned long ns)
{
	sim_delay(ns);
}

void udelay(unsigned long us)
{
	sim_delay((uint64_t)us * NSEC_PER_USEC);
}

void mdelay(unsigned long ms)
{
	sim_delay((uint64_t)ms * NSEC_PER_MSEC);
}

/* A sleep: a workqueue pool may start another worker meanwhile. */
static void ksleep(uint64_t ns)
{
	struct sim_task *t = sim_current();

	might_sleep();
	wq_worker_sleeping(t);
	sim_delay(ns);
	wq_worker_running(t);
}

void msleep(unsigned int ms)
{
	ksleep((uint64_t)ms * NSEC_PER_MSEC);
}

void usleep_range(unsigned long min_us, unsigned long max_us)
{
	(void)max_us;
	ksleep((uint64_t)min_us * NSEC_PER_USEC);
}
