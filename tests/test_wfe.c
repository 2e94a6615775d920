// SPDX-License-Identifier: MIT
/*
 * WFE waits (sim_wfe_wait(), sim/sched.c): which writes wake a waiter
 * (those to its SIM_WFE_GRANULE-byte granule, and every write the model
 * cannot place), and when it runs again (cfg.wfe_wake ns after the write,
 * reading the value of that moment).
 */
#include "simtest.h"

/* Two granules: the waiter watches a[0]; b is elsewhere. */
static struct {
	_Alignas(SIM_WFE_GRANULE) int a[2];
	_Alignas(SIM_WFE_GRANULE) int b;
} mem;

struct seen {
	int wakeups;		/* returns from sim_wfe_wait() */
	int val;		/* a[0] when the wait ended */
	sim_time_t at;		/* ns */
};

static struct seen seen;

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
	sim_wfe_notify_at(p);
}

/* smp_cond_load_relaxed(&a[0], VAL != 0), counting wake-ups. */
static void waiter_fn(void *arg)
{
	(void)arg;
	while (!(seen.val = __atomic_load_n(&mem.a[0], __ATOMIC_RELAXED))) {
		sim_wfe_wait("a[0]", &mem.a[0]);
		seen.wakeups++;
	}
	seen.at = sim_cur->now;
}

/* a[0] = 1 at 50 ns, then a[0] = 2 at 80 ns. */
static void writer_latency_fn(void *arg)
{
	(void)arg;
	sim_delay(50);
	store(&mem.a[0], 1);
	sim_delay(30);
	store(&mem.a[0], 2);
}

static void run_latency(sim_time_t wake)
{
	struct sim *s = simtest_new(2, 1, "random");

	memset(&mem, 0, sizeof(mem));
	memset(&seen, 0, sizeof(seen));
	s->cfg.wfe_wake = wake;
	spawn(s, "waiter", 0, waiter_fn, NULL);
	spawn(s, "writer", 1, writer_latency_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
}

/* No latency: the waiter runs at the write and reads what it wrote. */
static void test_wake_at_write(void **state)
{
	(void)state;
	run_latency(0);
	assert_int_equal(seen.at, 50);
	assert_int_equal(seen.val, 1);
	assert_int_equal(seen.wakeups, 1);
}

/*
 * wfe_wake 100 ns: the waiter runs at 150 ns and reads 2, the value then;
 * the second write found it already woken.
 */
static void test_wake_latency(void **state)
{
	(void)state;
	run_latency(100);
	assert_int_equal(seen.at, 150);
	assert_int_equal(seen.val, 2);
	assert_int_equal(seen.wakeups, 1);
}

/* b (other granule), then a[1] (same granule), a global event, a[0]. */
static void writer_granule_fn(void *arg)
{
	(void)arg;
	sim_delay(10);
	store(&mem.b, 1);
	sim_delay(10);
	store(&mem.a[1], 1);
	sim_delay(10);
	sim_wfe_notify();
	sim_delay(10);
	store(&mem.a[0], 1);
}

static void test_granule(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");

	(void)state;
	memset(&mem, 0, sizeof(mem));
	memset(&seen, 0, sizeof(seen));
	spawn(s, "waiter", 0, waiter_fn, NULL);
	spawn(s, "writer", 1, writer_granule_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	/* woken by a[1], the global event and a[0]; not by b */
	assert_int_equal(seen.wakeups, 3);
	assert_int_equal(seen.at, 40);
	sim_destroy(s);
}

/* Nobody writes the granule: still a DEADLOCK, not a silent hang. */
static void writer_elsewhere_fn(void *arg)
{
	(void)arg;
	sim_delay(10);
	store(&mem.b, 1);
}

static void test_other_granule_never_wakes(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");

	(void)state;
	memset(&mem, 0, sizeof(mem));
	memset(&seen, 0, sizeof(seen));
	spawn(s, "waiter", 0, waiter_fn, NULL);
	spawn(s, "writer", 1, writer_elsewhere_fn, NULL);
	sim_run(s);
	assert_int_equal(seen.wakeups, 0);
	assert_int_equal(s->violations->count[V_DEADLOCK], 1);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wake_at_write),
		cmocka_unit_test(test_wake_latency),
		cmocka_unit_test(test_granule),
		cmocka_unit_test(test_other_granule_never_wakes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
