// SPDX-License-Identifier: MIT
/*
 * Spinlocks, mutexes, lockdep assertions, SLEEP_IN_ATOMIC and lock-order
 * deadlocks: each bug found, each fixed twin clean over the same seeds.
 */
#include "simtest.h"

/* ---- mutual exclusion ---- */

static DEFINE_SPINLOCK(counter_lock);
static DEFINE_MUTEX(counter_mutex);
static int counter, in_cs, cs_overlap;

static void locked_inc_fn(void *arg)
{
	bool use_mutex = arg != NULL;

	for (int i = 0; i < 20; i++) {
		if (use_mutex)
			mutex_lock(&counter_mutex);
		else
			spin_lock(&counter_lock);
		cs_overlap += in_cs;
		in_cs = 1;
		int v = READ_ONCE(counter);

		WRITE_ONCE(counter, v + 1);
		in_cs = 0;
		if (use_mutex)
			mutex_unlock(&counter_mutex);
		else
			spin_unlock(&counter_lock);
	}
}

static void setup_locked(struct sim *s, void *ctx)
{
	counter = in_cs = cs_overlap = 0;
	spin_lock_init(&counter_lock);
	mutex_init(&counter_mutex);
	for (int i = 0; i < 3; i++)
		spawn(s, "inc", i, locked_inc_fn, ctx);
}

static void test_mutual_exclusion(void **state)
{
	const char *strategies[] = { "random", "pct:3", "rr" };

	for (int k = 0; k < 3; k++) {
		for (uint64_t seed = 1; seed <= 100; seed++) {
			for (int m = 0; m < 2; m++) {
				struct sim *s = simtest_new(3, seed, strategies[k]);

				setup_locked(s, m ? (void *)1 : NULL);
				assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
				assert_int_equal(counter, 60);
				assert_int_equal(cs_overlap, 0);
				assert_int_equal(s->violations->n, 0);
				sim_destroy(s);
			}
		}
	}
}

static void test_trylock(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	spin_lock_init(&counter_lock);
	mutex_init(&counter_mutex);
	/* In a task: trylock on a free lock succeeds, on a held one fails. */
	void fn(void *arg)
	{
		assert_int_equal(spin_trylock(&counter_lock), 1);
		assert_int_equal(spin_trylock(&counter_lock), 0);
		spin_unlock(&counter_lock);
		assert_int_equal(mutex_trylock(&counter_mutex), 1);
		assert_int_equal(mutex_trylock(&counter_mutex), 0);
		mutex_unlock(&counter_mutex);
		assert_int_equal(current->preempt_count, 0);
		assert_int_equal(current->spin_held, 0);
	}
	spawn(s, "t", 0, fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
}

/* ---- ABBA ---- */

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);

static void ab_fn(void *arg)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
}

static void ba_fn(void *arg)
{
	bool fixed = arg != NULL;

	mutex_lock(fixed ? &lock_a : &lock_b);
	mutex_lock(fixed ? &lock_b : &lock_a);
	mutex_unlock(fixed ? &lock_b : &lock_a);
	mutex_unlock(fixed ? &lock_a : &lock_b);
}

static void setup_abba(struct sim *s, void *ctx)
{
	mutex_init(&lock_a);
	mutex_init(&lock_b);
	spawn(s, "ab", 0, ab_fn, NULL);
	spawn(s, "ba", 1, ba_fn, ctx);
}

static void test_abba_deadlock(void **state)
{
	unsigned found = simtest_runs_to_find(2, "random", 0, 200, setup_abba, NULL, V_DEADLOCK);

	assert_true(found > 0);
	/* The report names both tasks and both locks. */
	struct sim *s = simtest_new(2, found, "random");

	setup_abba(s, NULL);
	assert_int_equal(sim_run(s), SIM_END_DEADLOCK);
	const struct violation *v = &s->violations->v[0];

	assert_int_equal(v->id, V_DEADLOCK);
	assert_int_equal(v->ntasks, 2);
	assert_non_null(strstr(v->msg, "task 'ab' (cpu0) waits on mutex 'lock_b' held by 'ba'"));
	assert_non_null(strstr(v->msg, "task 'ba' (cpu1) waits on mutex 'lock_a' held by 'ab'"));
	sim_destroy(s);

	assert_true(simtest_runs_to_find(2, "pct:2", 16, 500, setup_abba, NULL, V_DEADLOCK) > 0);
	assert_int_equal(simtest_total_violations(2, "random", 300, setup_abba, (void *)1), 0);
	assert_int_equal(simtest_total_violations(2, "pct:2", 300, setup_abba, (void *)1), 0);
}

/* The same with spinlocks: both CPUs spin forever. */
static DEFINE_SPINLOCK(spin_a);
static DEFINE_SPINLOCK(spin_b);

static void spin_ab_fn(void *arg)
{
	spin_lock(&spin_a);
	spin_lock(&spin_b);
	spin_unlock(&spin_b);
	spin_unlock(&spin_a);
}

static void spin_ba_fn(void *arg)
{
	spin_lock(&spin_b);
	spin_lock(&spin_a);
	spin_unlock(&spin_a);
	spin_unlock(&spin_b);
}

static void setup_spin_abba(struct sim *s, void *ctx)
{
	spin_lock_init(&spin_a);
	spin_lock_init(&spin_b);
	spawn(s, "ab", 0, spin_ab_fn, NULL);
	spawn(s, "ba", 1, spin_ba_fn, NULL);
}

static void test_spin_abba(void **state)
{
	unsigned found = simtest_runs_to_find(2, "random", 0, 200, setup_spin_abba, NULL, V_DEADLOCK);
	struct sim *s;

	assert_true(found > 0);
	s = simtest_new(2, found, "random");
	setup_spin_abba(s, NULL);
	sim_run(s);
	assert_non_null(strstr(s->violations->v[0].msg, "spinlock 'spin_b' held by 'ba', holding its CPU"));
	sim_destroy(s);
}

/* ---- recursive locking ---- */

static void recursive_fn(void *arg)
{
	spin_lock(&spin_a);
	spin_lock(&spin_a);
}

static void test_recursive_spinlock(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	spin_lock_init(&spin_a);
	spawn(s, "self", 0, recursive_fn, NULL);
	sim_run(s);
	assert_int_equal(s->violations->count[V_DEADLOCK], 1);
	assert_non_null(strstr(s->violations->v[0].msg, "already holds"));
	sim_destroy(s);
}

/* ---- sleeping under a spinlock ---- */

static void sleep_in_atomic_fn(void *arg)
{
	bool fixed = arg != NULL;

	if (fixed) {
		mutex_lock(&lock_a);
		spin_lock(&spin_a);
		spin_unlock(&spin_a);
		mutex_unlock(&lock_a);
	} else {
		spin_lock(&spin_a);
		mutex_lock(&lock_a);
		mutex_unlock(&lock_a);
		spin_unlock(&spin_a);
	}
}

static void setup_sleep_atomic(struct sim *s, void *ctx)
{
	spin_lock_init(&spin_a);
	mutex_init(&lock_a);
	spawn(s, "t", 0, sleep_in_atomic_fn, ctx);
}

static void test_sleep_in_atomic(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	setup_sleep_atomic(s, NULL);
	assert_int_equal(sim_run(s), SIM_END_VIOLATION);
	assert_int_equal(s->violations->count[V_SLEEP_IN_ATOMIC], 1);
	assert_non_null(strstr(s->violations->v[0].msg, "mutex_lock() may sleep but was called with a spinlock held"));
	sim_destroy(s);
	assert_int_equal(simtest_total_violations(1, "random", 20, setup_sleep_atomic, (void *)1), 0);
}

/* msleep, wait_for_completion, GFP_KERNEL with irqs off or in RCU. */
static void sleepers_fn(void *arg)
{
	unsigned long flags;
	int which = (int)(intptr_t)arg;

	switch (which) {
	case 0:
		local_irq_save(flags);
		msleep(1);
		local_irq_restore(flags);
		break;
	case 1:
		rcu_read_lock();
		synchronize_rcu();
		rcu_read_unlock();
		break;
	case 2:
		spin_lock(&spin_a);
		kfree(kzalloc(8, GFP_KERNEL));
		spin_unlock(&spin_a);
		break;
	case 3:
		spin_lock(&spin_a);
		kfree(kzalloc(8, GFP_ATOMIC));	/* fine */
		spin_unlock(&spin_a);
		break;
	}
}

static void test_sleep_variants(void **state)
{
	const char *why[] = { "interrupts disabled", "RCU read-side", "spinlock held", NULL };

	for (int i = 0; i < 4; i++) {
		struct sim *s = simtest_new(1, 1, "random");

		spin_lock_init(&spin_a);
		spawn(s, "t", 0, sleepers_fn, (void *)(intptr_t)i);
		sim_run(s);
		if (why[i]) {
			assert_int_equal(s->violations->count[V_SLEEP_IN_ATOMIC], 1);
			assert_non_null(strstr(s->violations->v[0].msg, why[i]));
		} else {
			assert_int_equal(s->violations->n, 0);
		}
		sim_destroy(s);
	}
}

/* ---- lockdep_assert_held ---- */

static void lockdep_fn(void *arg)
{
	mutex_lock(&lock_a);
	lockdep_assert_held(&lock_a);	/* fine */
	mutex_unlock(&lock_a);
	lockdep_assert_held(&lock_a);	/* WARN */
}

static void test_lockdep_assert(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	mutex_init(&lock_a);
	spawn(s, "t", 0, lockdep_fn, NULL);
	sim_run(s);
	assert_int_equal(s->violations->count[V_WARN], 1);
	assert_non_null(strstr(s->violations->v[0].msg, "mutex 'lock_a' not held"));
	sim_destroy(s);
}

/* ---- guards ---- */

static void guard_fn(void *arg)
{
	{
		guard(mutex)(&lock_a);
		assert_ptr_equal(lock_a.owner, current);
	}
	assert_null(lock_a.owner);
	scoped_guard(spinlock_irqsave, &spin_a) {
		assert_ptr_equal(spin_a.owner, current);
		assert_true(irqs_disabled());
	}
	assert_null(spin_a.owner);
	assert_false(irqs_disabled());
	assert_int_equal(current->preempt_count, 0);
}

static void test_guards(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	mutex_init(&lock_a);
	spin_lock_init(&spin_a);
	spawn(s, "t", 0, guard_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutual_exclusion),
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_abba_deadlock),
		cmocka_unit_test(test_spin_abba),
		cmocka_unit_test(test_recursive_spinlock),
		cmocka_unit_test(test_sleep_in_atomic),
		cmocka_unit_test(test_sleep_variants),
		cmocka_unit_test(test_lockdep_assert),
		cmocka_unit_test(test_guards),
	};

	return cmocka_run_group_tests_name("locks", tests, NULL, NULL);
}
