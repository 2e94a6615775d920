/* SPDX-License-Identifier: MIT */
/*
 * WARN_ON(), WARN_ON_ONCE(), WARN(), BUG_ON() (<asm-generic/bug.h>).
 * A warning prints a kernel log line and records a WARN violation; BUG_ON
 * also ends the task, as an oops kills the current thread.
 */
#ifndef IOMMUSIM_KERNEL_BUG_H
#define IOMMUSIM_KERNEL_BUG_H

#include "kernel/types.h"

struct warn_once {
	uint64_t run_id;	/* the run it fired in */
};

void __warn(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool __warn_once_first(struct warn_once *w);
void __bug(const char *file, int line, const char *cond) __attribute__((noreturn));

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, #cond, NULL);		\
	__c; })

#define WARN(cond, fmt, ...) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__);	\
	__c; })

#define WARN_ON_ONCE(cond) ({						\
	static struct warn_once __w;					\
	bool __c = !!(cond);						\
	if (unlikely(__c) && __warn_once_first(&__w))			\
		__warn(__FILE__, __LINE__, #cond, NULL);		\
	__c; })

#define WARN_ONCE(cond, fmt, ...) ({					\
	static struct warn_once __w;					\
	bool __c = !!(cond);						\
	if (unlikely(__c) && __warn_once_first(&__w))			\
		__warn(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__);	\
	__c; })

#define BUG_ON(cond) do { if (unlikely(cond)) __bug(__FILE__, __LINE__, #cond); } while (0)
#define BUG()	__bug(__FILE__, __LINE__, "BUG")

#endif
