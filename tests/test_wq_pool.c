// SPDX-License-Identifier: MIT
/*
 * Workqueue worker pools, as Linux's kernel/workqueue.c has them
 * (workqueue.h):
 *   - a per-CPU queue runs an item on the CPU that queued it, so a CPU held
 *     with interrupts off holds its items up; an unbound queue's item can
 *     run on another CPU meanwhile;
 *   - a delayed item is queued on the CPU that armed it;
 *   - concurrency management: a second item of a pool runs while the first
 *     sleeps (msleep, a mutex), but not while it busy-waits (mdelay);
 *   - non-reentrancy: an item queued again while it runs, from another
 *     CPU, never runs on two workers at once.
 * Each runs under random, pct:3 and rr, over SEEDS seeds, and checks the
 * pools' nr_running count (wq_assert_pool_state()) as it goes.
 */
#include "simtest.h"

#define SEEDS 100

static const char *const strategies[] = { "random", "pct:3", "rr" };

static struct workqueue_struct *wq;
static struct work_struct wa, wb;
static DEFINE_SPINLOCK(hold_lock);
static int ran_cpu[2];
static sim_time_t ran_at[2];

static void check_pools(void)
{
	for (int i = 0; i < wq->npools; i++)
		wq_assert_pool_state(&wq->pools[i]);
}

static void note_fn(struct work_struct *w)
{
	int i = w == &wb;

	ran_cpu[i] = sim_current()->cpu;
	ran_at[i] = sim_now();
	check_pools();
}

/*
 * CPU1 queues @wa and keeps CPU1 for 10 ms with interrupts off; meanwhile
 * a task on CPU0 sleeps, so CPU0 is free.
 */
static void holder_fn(void *arg)
{
	spin_lock(&hold_lock);
	queue_work(wq, &wa);
	mdelay(10);
	spin_unlock(&hold_lock);
}

static void sleeper_fn(void *arg)
{
	msleep(20);
}

static int early;	/* runs where @wa ran before CPU1 was let go */

static void run_locality(unsigned int flags)
{
	early = 0;
	for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			struct sim *s = simtest_new(2, seed, strategies[k]);

			spin_lock_init(&hold_lock);
			wq = alloc_workqueue("t", flags, 0);
			INIT_WORK(&wa, note_fn);
			ran_cpu[0] = -1;
			spawn(s, "sleeper", 0, sleeper_fn, NULL);
			spawn(s, "holder", 1, holder_fn, NULL);
			assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
			assert_int_equal(s->violations->n, 0);
			assert_int_not_equal(ran_cpu[0], -1);
			if (ran_at[0] < 10 * SIM_MS) {
				assert_int_equal(ran_cpu[0], 0);
				early++;
			}
			sim_destroy(s);
		}
	}
}

/* Bound: on CPU1, after the holder let go, every time. */
static void test_bound_runs_on_queueing_cpu(void **state)
{
	(void)state;
	run_locality(0);
	assert_int_equal(early, 0);
}

/*
 * Unbound: the longest idle worker takes it; when that is CPU0's, a held
 * CPU1 does not hold it up (Linux would also move CPU1's; the model does
 * not, workqueue.h).
 */
static void test_unbound_not_held_up(void **state)
{
	(void)state;
	run_locality(WQ_UNBOUND);
	assert_true(early > 0);
}

/* A delayed item armed on CPU1 runs on CPU1. */
static struct delayed_work dwa;

static void dw_note_fn(struct work_struct *w)
{
	ran_cpu[0] = sim_current()->cpu;
	ran_at[0] = sim_now();
}

static void arm_fn(void *arg)
{
	queue_delayed_work(wq, &dwa, 3);
	msleep(10);
}

static void test_delayed_on_arming_cpu(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			struct sim *s = simtest_new(3, seed, strategies[k]);

			wq = alloc_workqueue("t", 0, 0);
			INIT_DELAYED_WORK(&dwa, dw_note_fn);
			ran_cpu[0] = -1;
			spawn(s, "arm", 2, arm_fn, NULL);
			assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
			assert_int_equal(ran_cpu[0], 2);
			assert_int_equal(ran_at[0], 3 * SIM_MS);
			sim_destroy(s);
		}
	}
}

/*
 * Concurrency management: @wa sleeps (or busy-waits) 5 ms; @wb, queued
 * after it on the same CPU, runs during the sleep on a second worker of
 * CPU0, but only after a busy-wait.
 */
static bool wa_sleeps;

static void first_fn(struct work_struct *w)
{
	ran_at[0] = sim_now();
	check_pools();
	if (wa_sleeps)
		msleep(5);
	else
		mdelay(5);
	check_pools();
}

static void queue_two_fn(void *arg)
{
	queue_work(wq, &wa);
	queue_work(wq, &wb);
	flush_workqueue(wq);
	check_pools();
}

static void run_two(bool sleeps)
{
	for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			struct sim *s = simtest_new(2, seed, strategies[k]);

			wq = alloc_workqueue("t", 0, 0);
			wa_sleeps = sleeps;
			INIT_WORK(&wa, first_fn);
			INIT_WORK(&wb, note_fn);
			spawn(s, "q", 0, queue_two_fn, NULL);
			assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
			if (s->violations->n)
				violation_print(stderr, &s->violations->v[0]);
			assert_int_equal(s->violations->n, 0);
			assert_int_equal(ran_cpu[1], 0);
			if (sleeps) {
				/* a second worker of CPU0's pool took it */
				assert_true(ran_at[1] < ran_at[0] + 5 * SIM_MS);
				assert_int_equal(wq->pools[0].nworkers, 2);
			} else {
				assert_true(ran_at[1] >= ran_at[0] + 5 * SIM_MS);
				assert_int_equal(wq->pools[0].nworkers, 1);
			}
			sim_destroy(s);
		}
	}
}

static void test_sleeping_item_lets_next_run(void **state)
{
	(void)state;
	run_two(true);
}

static void test_busy_item_holds_pool(void **state)
{
	(void)state;
	run_two(false);
}

/* Non-reentrancy: queued again from CPU1 while it runs on CPU0. */
static int active, max_active, runs;

static void reentry_fn(struct work_struct *w)
{
	active++;
	runs++;
	if (active > max_active)
		max_active = active;
	msleep(2);
	active--;
}

static void requeue_fn(void *arg)
{
	for (int i = 0; i < 4; i++) {
		queue_work(wq, &wa);
		msleep(1);
	}
}

static void test_not_reentrant(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			struct sim *s = simtest_new(2, seed, strategies[k]);

			wq = alloc_workqueue("t", 0, 0);
			INIT_WORK(&wa, reentry_fn);
			active = max_active = runs = 0;
			spawn(s, "r0", 0, requeue_fn, NULL);
			spawn(s, "r1", 1, requeue_fn, NULL);
			assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
			assert_int_equal(s->violations->n, 0);
			assert_int_equal(max_active, 1);
			assert_true(runs >= 2);
			sim_destroy(s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_runs_on_queueing_cpu),
		cmocka_unit_test(test_unbound_not_held_up),
		cmocka_unit_test(test_delayed_on_arming_cpu),
		cmocka_unit_test(test_sleeping_item_lets_next_run),
		cmocka_unit_test(test_busy_item_holds_pool),
		cmocka_unit_test(test_not_reentrant),
	};

	return cmocka_run_group_tests_name("wq_pool", tests, NULL, NULL);
}
