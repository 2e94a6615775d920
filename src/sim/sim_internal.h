/* SPDX-License-Identifier: MIT */
/* Private interfaces between the files of src/sim. */
#ifndef IOMMUSIM_SIM_INTERNAL_H
#define IOMMUSIM_SIM_INTERNAL_H

#include "sim/sim.h"

void ready_add(struct sim *s, struct sim_task *t);
void ready_remove(struct sim *s, struct sim_task *t);
void schedule(struct sim *s);
void task_timer_fire(struct sim_timer *tm);
void timer_heap_remove(struct sim *s, struct sim_timer *t);

/* strategy.c */
void strategy_init(struct sim *s);
void strategy_task_created(struct sim *s, struct sim_task *t);
/* Pick among s->elig[0..n-1]; NULL when a replay diverged (run stopped). */
struct sim_task *strategy_choose(struct sim *s, struct sim_task *cur, int n);

/* watchdog.c */
void watchdog_init(struct sim *s);
void watchdog_cpu_update(struct sim *s, struct sim_cpu *c);
void watchdog_check(struct sim *s);

/* irq.c */
void irq_deliver(struct sim *s, struct sim_task *t);

#endif
