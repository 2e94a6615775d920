// SPDX-License-Identifier: MIT
/*
 * Workqueues and completions: flush_workqueue() never returns before queued
 * work ran; disable_work_sync() then schedule_work() never runs the work;
 * queue_work() is idempotent while pending; cancel and flush_work.
 */
#include "simtest.h"

#define NWORK 6

static struct workqueue_struct *wq;
static struct work_struct works[NWORK];
static int ran[NWORK];
static int flush_early;

static void work_fn(struct work_struct *w)
{
	int i = (int)(w - works);

	if (i % 2)
		msleep(1);
	else
		sim_point();
	WRITE_ONCE(ran[i], ran[i] + 1);
}

static void flusher_fn(void *arg)
{
	for (int i = 0; i < NWORK; i++)
		queue_work(wq, &works[i]);
	flush_workqueue(wq);
	for (int i = 0; i < NWORK; i++)
		flush_early += READ_ONCE(ran[i]) != 1;
}

static void test_flush_workqueue(void **state)
{
	const char *strategies[] = { "random", "pct:3", "rr" };

	for (int k = 0; k < 3; k++) {
		for (uint64_t seed = 1; seed <= 200; seed++) {
			struct sim *s = simtest_new(3, seed, strategies[k]);

			flush_early = 0;
			memset(ran, 0, sizeof(ran));
			wq = alloc_workqueue("test", 0, 0);
			for (int i = 0; i < NWORK; i++)
				INIT_WORK(&works[i], work_fn);
			spawn(s, "flusher", 0, flusher_fn, NULL);
			assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
			assert_int_equal(flush_early, 0);
			assert_int_equal(s->violations->n, 0);
			sim_destroy(s);
		}
	}
}

static int disabled_ran;

static void disabled_fn(struct work_struct *w)
{
	disabled_ran++;
}

static void disabler_fn(void *arg)
{
	struct work_struct *w = arg;

	schedule_work(w);
	disable_work_sync(w);
	assert_false(schedule_work(w));
	msleep(5);
	flush_workqueue(system_wq);
	assert_true(enable_work(w));
	assert_true(schedule_work(w));
	flush_work(w);
}

static void test_disable_work(void **state)
{
	static struct work_struct w;

	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct sim *s = simtest_new(2, seed, seed & 1 ? "random" : "pct:3");
		int before;

		disabled_ran = 0;
		INIT_WORK(&w, disabled_fn);
		spawn(s, "disabler", 0, disabler_fn, &w);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(s->violations->n, 0);
		/* At most the instance queued before disable ran, then the one after enable. */
		before = disabled_ran - 1;
		assert_true(before == 0 || before == 1);
		sim_destroy(s);
	}
}

/* The work must never run after disable_work_sync() returned. */
static int after_disable, disabled_flag;

static void watch_fn(struct work_struct *w)
{
	after_disable += READ_ONCE(disabled_flag);
}

static void racer_fn(void *arg)
{
	for (int i = 0; i < 10; i++) {
		schedule_work(arg);
		sim_point();
	}
}

static void disabler2_fn(void *arg)
{
	sim_point();
	disable_work_sync(arg);
	WRITE_ONCE(disabled_flag, 1);
}

static void test_disable_races_queue(void **state)
{
	static struct work_struct w;

	for (uint64_t seed = 1; seed <= 300; seed++) {
		struct sim *s = simtest_new(3, seed, seed & 1 ? "random" : "pct:3");

		after_disable = disabled_flag = 0;
		INIT_WORK(&w, watch_fn);
		spawn(s, "racer", 0, racer_fn, &w);
		spawn(s, "disabler", 1, disabler2_fn, &w);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(after_disable, 0);
		sim_destroy(s);
	}
}

static int idem_runs;

static void idem_fn(struct work_struct *w)
{
	idem_runs++;
}

static void idem_queuer_fn(void *arg)
{
	struct work_struct *w = arg;

	preempt_disable();		/* nothing runs on this CPU meanwhile */
	assert_true(queue_work(wq, w));
	assert_false(queue_work(wq, w));
	assert_true(work_pending(w));
	preempt_enable();
	flush_work(w);
	assert_false(work_pending(w));
	assert_int_equal(idem_runs, 1);
	/* cancel_work_sync on a pending item: it never runs. */
	preempt_disable();
	queue_work(wq, w);
	preempt_enable_no_resched();
	assert_true(cancel_work_sync(w));
	assert_false(cancel_work_sync(w));
	flush_workqueue(wq);
	assert_int_equal(idem_runs, 1);
}

static void test_queue_idempotent_and_cancel(void **state)
{
	static struct work_struct w;
	struct sim *s = simtest_new(1, 3, "random");

	idem_runs = 0;
	wq = alloc_ordered_workqueue("ordered", 0);
	INIT_WORK(&w, idem_fn);
	spawn(s, "q", 0, idem_queuer_fn, &w);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
}

/* A flush from inside the work it waits for never returns: DEADLOCK. */
static struct work_struct self_w;

static void self_flush_fn(struct work_struct *w)
{
	flush_work(w);
}

static void kick_fn(void *arg)
{
	schedule_work(&self_w);
	msleep(1);
}

static void test_self_flush_deadlock(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	s->cfg.end_when_threads_done = false;
	INIT_WORK(&self_w, self_flush_fn);
	spawn(s, "kick", 0, kick_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_DEADLOCK);
	assert_non_null(strstr(s->violations->v[0].msg, "waits on flush_work 'self_flush_fn'"));
	sim_destroy(s);
}

/* Completions, with and without timeouts. */
static DECLARE_COMPLETION(cmp);
static unsigned long left;

static void completer_fn(void *arg)
{
	msleep(3);
	complete(&cmp);
}

static void cwaiter_fn(void *arg)
{
	left = wait_for_completion_timeout(&cmp, (unsigned long)(intptr_t)arg);
}

static void test_completion_timeout(void **state)
{
	for (int timeout = 1; timeout <= 10; timeout += 9) {
		struct sim *s = simtest_new(2, 1, "random");

		init_completion(&cmp);
		spawn(s, "completer", 0, completer_fn, NULL);
		spawn(s, "waiter", 1, cwaiter_fn, (void *)(intptr_t)timeout);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		if (timeout == 1)
			assert_int_equal(left, 0);
		else
			assert_int_equal(left, 7);
		sim_destroy(s);
	}
}

static int all_woke;

static void all_waiter_fn(void *arg)
{
	wait_for_completion(&cmp);
	all_woke++;
}

static void all_completer_fn(void *arg)
{
	msleep(1);
	complete_all(&cmp);
}

static void test_complete_all(void **state)
{
	struct sim *s = simtest_new(3, 1, "random");

	all_woke = 0;
	init_completion(&cmp);
	for (int i = 0; i < 3; i++)
		spawn(s, "w", i, all_waiter_fn, NULL);
	spawn(s, "c", 0, all_completer_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(all_woke, 3);
	assert_true(completion_done(&cmp));
	sim_destroy(s);
}

/* Delayed work fires at its virtual time. */
static sim_time_t dw_ran_at;

static void dw_fn(struct work_struct *w)
{
	dw_ran_at = sim_now();
}

static void dw_queuer_fn(void *arg)
{
	queue_delayed_work(system_wq, arg, 7);
	msleep(20);
}

static void test_delayed_work(void **state)
{
	static struct delayed_work dw;
	struct sim *s = simtest_new(1, 1, "random");

	INIT_DELAYED_WORK(&dw, dw_fn);
	spawn(s, "q", 0, dw_queuer_fn, &dw);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(dw_ran_at, 7 * SIM_MS);
	sim_destroy(s);
}

/*
 * A run that ends before a workqueue's workers first ran (a violation
 * stops it right after alloc_workqueue()) leaks nothing: the workers'
 * state lives in the workqueue, freed at the run's end (LeakSanitizer
 * reports the old per-worker argument under the ASan build).
 */
static void alloc_then_stop(void *arg)
{
	struct workqueue_struct **out = arg;

	*out = alloc_workqueue("early", 0, 4);
	sim_stop(SIM_END_VIOLATION);
	sim_point();
}

static void test_run_ends_before_workers(void **state)
{
	struct sim *s = simtest_new(4, 1, NULL);
	struct workqueue_struct *early = NULL;

	(void)state;
	spawn(s, "alloc", 0, alloc_then_stop, &early);
	assert_int_equal(sim_run(s), SIM_END_VIOLATION);
	assert_non_null(early);
	assert_int_equal(early->nworkers, 4);
	for (int i = 0; i < early->nworkers; i++) {
		assert_ptr_equal(early->workers[i].wq, early);
		assert_int_equal(early->workers[i].task->steps, 0);	/* never ran */
	}
	sim_destroy(s);
}

/*
 * A workqueue made in a run that ends before its workers first run (an
 * IRQ handler's first schedule_work() just before the run stops at a
 * violation): nothing leaks (the ASan build checks; workers used to own a
 * malloc()ed argument they freed when they first ran).
 */
static struct delayed_work ns_dw;
static int ns_ran;

static void ns_fn(struct work_struct *w)
{
	ns_ran++;
}

static int early_stop_thread(void *arg)
{
	struct workqueue_struct *q = alloc_workqueue("late", 0, 0);

	assert_non_null(q);
	sim_stop(SIM_END_VIOLATION);
	return 0;
}

static void test_wq_made_then_run_stops(void **state)
{
	struct sim *s = simtest_new(4, 1, "random");

	kthread_run_on_cpu(early_stop_thread, NULL, 0, "early");
	sim_run(s);
	sim_destroy(s);
}

/* queue_delayed_work_ns(): below a jiffy, and not twice while armed. */
static int ns_thread(void *arg)
{
	INIT_DELAYED_WORK(&ns_dw, ns_fn);
	assert_true(queue_delayed_work_ns(system_wq, &ns_dw, 1500));
	assert_false(queue_delayed_work_ns(system_wq, &ns_dw, 10));
	sim_delay(1000);
	assert_int_equal(ns_ran, 0);
	sim_delay(1000);
	assert_int_equal(ns_ran, 1);
	return 0;
}

static void test_delayed_work_ns(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");

	ns_ran = 0;
	kthread_run_on_cpu(ns_thread, NULL, 0, "ns");
	sim_run(s);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flush_workqueue),
		cmocka_unit_test(test_disable_work),
		cmocka_unit_test(test_disable_races_queue),
		cmocka_unit_test(test_queue_idempotent_and_cancel),
		cmocka_unit_test(test_self_flush_deadlock),
		cmocka_unit_test(test_completion_timeout),
		cmocka_unit_test(test_complete_all),
		cmocka_unit_test(test_delayed_work),
		cmocka_unit_test(test_run_ends_before_workers),
		cmocka_unit_test(test_wq_made_then_run_stops),
		cmocka_unit_test(test_delayed_work_ns),
	};

	return cmocka_run_group_tests_name("wq", tests, NULL, NULL);
}
