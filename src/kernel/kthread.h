/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads bound to a simulated CPU (<linux/kthread.h>).
 */
#ifndef IOMMUSIM_KERNEL_KTHREAD_H
#define IOMMUSIM_KERNEL_KTHREAD_H

#include "kernel/sched.h"

/**
 * kthread_run_on_cpu() - start threadfn(data) as a task on @cpu.
 * The run does not end until it returns (unless the run's duration ends it).
 * Return: the task, or NULL when no task could be made.
 */
struct sim_task *kthread_run_on_cpu(int (*threadfn)(void *data), void *data,
				    int cpu, const char *name);

#endif
