// SPDX-License-Identifier: MIT
/*
 * Simulator benchmarks (figures printed, never asserted):
 *   - scheduling points per second on one core (3 tasks, random strategy);
 *   - the cost of one task switch, ns (two tasks handing over with rr);
 *   - runs per second of a 3-task, ~200-step program (set-up included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernel/kernel.h"
#include "sim/sim.h"

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long points_per_task;

static void yielder_fn(void *arg)
{
	for (long i = 0; i < points_per_task; i++)
		sim_point();
}

static struct sim *make(uint64_t seed, enum sim_strategy_kind kind, int ntasks, long points)
{
	struct sim_config cfg;
	struct sim *s;

	sim_config_default(&cfg);
	cfg.ncpus = ntasks;
	cfg.seed = seed;
	cfg.strategy.kind = kind;
	cfg.record = false;
	cfg.max_steps_same_time = 1ULL << 62;
	s = sim_create(&cfg);
	points_per_task = points;
	for (int i = 0; i < ntasks; i++)
		sim_task_create(s, "t", SIM_TASK_THREAD, i, false, yielder_fn, NULL);
	return s;
}

static void bench_points(void)
{
	struct sim *s = make(1, SIM_STRAT_RANDOM, 3, 3000000);
	double t0 = wall_s(), dt;

	sim_run(s);
	dt = wall_s() - t0;
	printf("scheduling points/s (3 tasks, random):  %.2f M  (%llu points, %llu switches, %.3f s)\n",
	       s->steps / dt / 1e6, (unsigned long long)s->steps,
	       (unsigned long long)s->switches, dt);
	sim_destroy(s);

	s = make(1, SIM_STRAT_RANDOM, 3, 3000000);
	s->cfg.record = true;
	t0 = wall_s();
	sim_run(s);
	dt = wall_s() - t0;
	printf("scheduling points/s (recording on):     %.2f M\n", s->steps / dt / 1e6);
	sim_destroy(s);
}

static void bench_switch(void)
{
	struct sim *s = make(1, SIM_STRAT_RR, 2, 2000000);
	double t0 = wall_s(), dt;

	sim_run(s);
	dt = wall_s() - t0;
	printf("task switch (rr, 2 tasks, incl. point): %.1f ns  (%llu switches)\n",
	       dt * 1e9 / s->switches, (unsigned long long)s->switches);
	sim_destroy(s);

	/* The bare coroutine switch, without the scheduler. */
	struct coro a, b;
	static struct coro *pa, *pb;
	static long n;
	void bounce(void *arg)
	{
		for (;;)
			coro_switch(pb, pa);
	}
	pa = &a;
	pb = &b;
	coro_init_main(&a);
	coro_create(&b, CORO_STACK_SIZE, bounce, NULL);
	n = 10000000;
	t0 = wall_s();
	for (long i = 0; i < n; i++)
		coro_switch(&a, &b);
	dt = wall_s() - t0;
	printf("bare coroutine switch:                  %.1f ns  (%s)\n", dt * 1e9 / (2.0 * n),
#ifdef CORO_UCONTEXT
	       "swapcontext"
#else
	       "x86-64 assembly, no system call"
#endif
	);
	coro_destroy(&b);
}

/* A 3-task program of about 200 scheduling points with a lock and a counter. */
static DEFINE_SPINLOCK(bench_lock);
static int bench_counter;

static void prog_fn(void *arg)
{
	for (int i = 0; i < 33; i++) {
		spin_lock(&bench_lock);
		bench_counter++;
		spin_unlock(&bench_lock);
	}
}

static void bench_runs(void)
{
	long runs = 50000;
	uint64_t steps = 0;
	double t0 = wall_s(), dt;

	for (long r = 0; r < runs; r++) {
		struct sim_config cfg;
		struct sim *s;

		sim_config_default(&cfg);
		cfg.ncpus = 3;
		cfg.seed = (uint64_t)r + 1;
		s = sim_create(&cfg);
		spin_lock_init(&bench_lock);
		bench_counter = 0;
		for (int i = 0; i < 3; i++)
			sim_task_create(s, "p", SIM_TASK_THREAD, i, false, prog_fn, NULL);
		sim_run(s);
		steps += s->steps;
		sim_destroy(s);
	}
	dt = wall_s() - t0;
	printf("runs/s (3 tasks, ~%llu points a run):    %.0f\n",
	       (unsigned long long)(steps / runs), runs / dt);
}

int main(void)
{
	bench_points();
	bench_switch();
	bench_runs();
	return 0;
}
