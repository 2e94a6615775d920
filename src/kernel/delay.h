/* SPDX-License-Identifier: MIT */
/*
 * Time: ktime_get(), jiffies, ndelay/udelay/mdelay (busy waits: the task
 * keeps its CPU while it is not preemptible), msleep/usleep_range (sleep:
 * SLEEP_IN_ATOMIC in atomic context), cpu_relax() (a scheduling point that
 * costs the run's cpu_relax cost, default 20 ns), and the
 * read_poll_timeout() family (<linux/iopoll.h>).  All in virtual time.
 */
#ifndef IOMMUSIM_KERNEL_DELAY_H
#define IOMMUSIM_KERNEL_DELAY_H

#include "kernel/compiler.h"
#include "kernel/types.h"

typedef s64 ktime_t;

#define HZ			1000	/* one jiffy = 1 ms */
#define NSEC_PER_USEC		1000ULL
#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL
#define USEC_PER_SEC		1000000ULL
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

/** ktime_get() - virtual time in ns. */
static inline ktime_t ktime_get(void)
{
	return (ktime_t)sim_now();
}
static inline ktime_t ktime_add_us(ktime_t t, u64 us) { return t + (ktime_t)(us * NSEC_PER_USEC); }
static inline ktime_t ktime_add_ns(ktime_t t, u64 ns) { return t + (ktime_t)ns; }
static inline int ktime_compare(ktime_t a, ktime_t b) { return a < b ? -1 : a > b; }
static inline bool ktime_after(ktime_t a, ktime_t b) { return a > b; }
static inline bool ktime_before(ktime_t a, ktime_t b) { return a < b; }
static inline s64 ktime_to_us(ktime_t t) { return t / (s64)NSEC_PER_USEC; }
static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier) { return (later - earlier) / (s64)NSEC_PER_USEC; }

#define jiffies			((unsigned long)(sim_now() / NSEC_PER_MSEC))
static inline unsigned long msecs_to_jiffies(unsigned int ms) { return ms; }
static inline unsigned long usecs_to_jiffies(unsigned int us) { return DIV_ROUND_UP(us, 1000); }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return (unsigned int)j; }
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)

/** ndelay() - busy-wait @ns nanoseconds of virtual time. */
void ndelay(unsigned long ns);
/** udelay() - busy-wait @us microseconds. */
void udelay(unsigned long us);
/** mdelay() - busy-wait @ms milliseconds. */
void mdelay(unsigned long ms);
/** msleep() - sleep @ms milliseconds; may sleep (SLEEP_IN_ATOMIC in atomic context). */
void msleep(unsigned int ms);
/** usleep_range() - sleep @min_us microseconds (the minimum, deterministically). */
void usleep_range(unsigned long min_us, unsigned long max_us);

/*
 * __read_poll_timeout(): read val = op(args) until cond holds or timeout_us
 * (0: forever) of virtual time passed; between reads wait(wait_us), or
 * cpu_relax() when wait_us is 0.  Return 0, or -ETIMEDOUT with val holding
 * the last read.
 */
#define __read_poll_timeout(op, val, cond, wait, wait_us, timeout_us, wait_before_read, args...) \
({									\
	u64 __timeout_us = (timeout_us);				\
	unsigned long __wait_us = (wait_us);				\
	ktime_t __timeout = ktime_add_us(ktime_get(), __timeout_us);	\
	if ((wait_before_read) && __wait_us)				\
		wait(__wait_us);					\
	for (;;) {							\
		(val) = op(args);					\
		if (cond)						\
			break;						\
		if (__timeout_us && ktime_compare(ktime_get(), __timeout) > 0) { \
			(val) = op(args);				\
			break;						\
		}							\
		if (__wait_us)						\
			wait(__wait_us);				\
		else							\
			cpu_relax();					\
	}								\
	(cond) ? 0 : -ETIMEDOUT;					\
})

static inline void __poll_usleep(unsigned long us)
{
	usleep_range(us, us);
}

/* read_poll_timeout(): sleeps between reads (may sleep). */
#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read, args...) \
	__read_poll_timeout(op, val, cond, __poll_usleep, sleep_us, timeout_us, \
			    sleep_before_read, args)
/* read_poll_timeout_atomic(): busy-waits with udelay() between reads. */
#define read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, delay_before_read, args...) \
	__read_poll_timeout(op, val, cond, udelay, delay_us, timeout_us, \
			    delay_before_read, args)

#define readx_poll_timeout(op, addr, val, cond, sleep_us, timeout_us) \
	read_poll_timeout(op, val, cond, sleep_us, timeout_us, false, addr)
#define readx_poll_timeout_atomic(op, addr, val, cond, delay_us, timeout_us) \
	read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, false, addr)

#endif
