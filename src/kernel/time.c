// SPDX-License-Identifier: MIT
/*
 * Delays and sleeps in virtual time.
 */
#include "kernel/delay.h"

#include "kernel/kstate.h"

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

void msleep(unsigned int ms)
{
	might_sleep();
	sim_delay((uint64_t)ms * NSEC_PER_MSEC);
}

void usleep_range(unsigned long min_us, unsigned long max_us)
{
	(void)max_us;
	might_sleep();
	sim_delay((uint64_t)min_us * NSEC_PER_USEC);
}
