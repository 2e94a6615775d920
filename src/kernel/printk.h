/* SPDX-License-Identifier: MIT */
/*
 * printk and the dev_* family (<linux/printk.h>, <linux/dev_printk.h>),
 * with the kernel's default ratelimit for the _ratelimited forms: at most
 * 10 lines per 5 s of virtual time per call site, the rest counted and
 * announced as "N callbacks suppressed" when the next interval opens.
 *
 * Lines go to the run's kernel log (dmesg style, virtual timestamps), read
 * by reports, `--log` and the LOG_FLOOD checker (check/log_flood.h: every
 * line printk()/dev_printk() prints counts for its format string; lines a
 * _ratelimited form suppressed never reach them).  Not scheduling points.
 */
#ifndef IOMMUSIM_KERNEL_PRINTK_H
#define IOMMUSIM_KERNEL_PRINTK_H

#include <stdio.h>

#include "kernel/types.h"
#include "kernel/device.h"
#include "sim/sim.h"

#define KERN_EMERG	"\001" "0"
#define KERN_ALERT	"\001" "1"
#define KERN_CRIT	"\001" "2"
#define KERN_ERR	"\001" "3"
#define KERN_WARNING	"\001" "4"
#define KERN_NOTICE	"\001" "5"
#define KERN_INFO	"\001" "6"
#define KERN_DEBUG	"\001" "7"

#define DEFAULT_RATELIMIT_INTERVAL_NS	(5ULL * 1000000000ULL)
#define DEFAULT_RATELIMIT_BURST		10

struct ratelimit_state {
	uint64_t interval_ns;	/* 0: the default 5 s */
	int burst;		/* 0: the default 10 */
	uint64_t begin;		/* ns */
	int printed;
	int missed;
	uint64_t run_id;	/* state belongs to this run; reset otherwise */
};


/** printk() - log a line; a KERN_* prefix sets its level (default: warning). */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * __ratelimit() - whether a line may be printed now under @rs (kernel
 * ___ratelimit()); counts suppressed lines and logs "N callbacks
 * suppressed" when a new interval opens after some were.
 */
bool __ratelimit(struct ratelimit_state *rs, const char *who);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)

#define dev_err(d, fmt, ...)	dev_printk(KERN_ERR, d, fmt, ##__VA_ARGS__)
#define dev_warn(d, fmt, ...)	dev_printk(KERN_WARNING, d, fmt, ##__VA_ARGS__)
#define dev_notice(d, fmt, ...)	dev_printk(KERN_NOTICE, d, fmt, ##__VA_ARGS__)
#define dev_info(d, fmt, ...)	dev_printk(KERN_INFO, d, fmt, ##__VA_ARGS__)
#define dev_dbg(d, fmt, ...)	dev_printk(KERN_DEBUG, d, fmt, ##__VA_ARGS__)

#define __dev_ratelimited(lvl, d, fmt, ...) do {			\
	static struct ratelimit_state __rs;				\
	if (__ratelimit(&__rs, __func__))				\
		dev_printk(lvl, d, fmt, ##__VA_ARGS__);			\
} while (0)
#define dev_err_ratelimited(d, fmt, ...)  __dev_ratelimited(KERN_ERR, d, fmt, ##__VA_ARGS__)
#define dev_warn_ratelimited(d, fmt, ...) __dev_ratelimited(KERN_WARNING, d, fmt, ##__VA_ARGS__)
#define dev_info_ratelimited(d, fmt, ...) __dev_ratelimited(KERN_INFO, d, fmt, ##__VA_ARGS__)

#define __pr_ratelimited(lvl, fmt, ...) do {				\
	static struct ratelimit_state __rs;				\
	if (__ratelimit(&__rs, __func__))				\
		printk(lvl fmt, ##__VA_ARGS__);				\
} while (0)
#define pr_err_ratelimited(fmt, ...)	__pr_ratelimited(KERN_ERR, fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	__pr_ratelimited(KERN_WARNING, fmt, ##__VA_ARGS__)

/**
 * klog_count() - lines of this run's kernel log containing @needle.
 * Context: any (main context after a run).
 */
size_t klog_count(struct sim *s, const char *needle);

/** klog_print() - the kernel log, dmesg style: "[    0.012345678] text". */
void klog_print(struct sim *s, FILE *f);

#endif
