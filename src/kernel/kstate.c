// SPDX-License-Identifier: MIT
/*
 * The shim's per-run state.
 */
#include "kernel/kstate.h"

#include <stdlib.h>

void kobj_free_all(struct kstate *ks);
void wq_free_all(struct kstate *ks);
void irq_free_all(struct kstate *ks);

static void kstate_free(struct sim *s, void *arg)
{
	struct kstate *ks = arg;

	for (size_t i = 0; i < ks->nklog; i++)
		free(ks->klog[i].text);
	free(ks->klog);
	kobj_free_all(ks);
	wq_free_all(ks);
	irq_free_all(ks);
	free(ks);
	s->kernel = NULL;
}

struct kstate *kstate(void)
{
	struct sim *s = sim_cur;
	struct kstate *ks = s->kernel;

	if (ks)
		return ks;
	ks = calloc(1, sizeof(*ks));
	if (!ks || sim_at_destroy(s, kstate_free, ks))
		abort();
	ks->cb_tail = &ks->cb_head;
	ks->cpu_relax_ns = 20;
	s->kernel = ks;
	return ks;
}

void kstate_set_cpu_relax_ns(struct sim *s, uint64_t ns)
{
	struct sim *prev = sim_cur;

	sim_cur = s;
	kstate()->cpu_relax_ns = ns;
	sim_cur = prev;
}
