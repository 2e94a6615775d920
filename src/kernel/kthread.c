// SPDX-License-Identifier: MIT
#include "kernel/kthread.h"

#include <stdlib.h>

struct kthread_start {
	int (*fn)(void *);
	void *data;
};

static void kthread_entry(void *arg)
{
	struct kthread_start st = *(struct kthread_start *)arg;

	free(arg);
	st.fn(st.data);
}

struct sim_task *kthread_run_on_cpu(int (*threadfn)(void *data), void *data,
				    int cpu, const char *name)
{
	struct kthread_start *st = malloc(sizeof(*st));
	struct sim_task *t;

	if (!st)
		return NULL;
	st->fn = threadfn;
	st->data = data;
	t = sim_task_create(sim_cur, name, SIM_TASK_THREAD, cpu, false, kthread_entry, st);
	if (!t)
		free(st);
	return t;
}
