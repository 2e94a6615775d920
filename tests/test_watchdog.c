// SPDX-License-Identifier: MIT
/*
 * The soft-lockup watchdog (src/sim/watchdog.c, DESIGN.md section 6): a
 * CPU held without scheduling (a task with interrupts or preemption off,
 * spinning for a lock, polling with udelay(); a hard handler) for longer
 * than the threshold of virtual time is one SOFT_LOCKUP; just under it,
 * or a preemptible task, or a lock released between polls, is none.  And
 * a scenario's `soft_lockup` reaches the executor through the runner.
 */
#include "simtest.h"

#include "scenario/run.h"
#include "scenario/scenario.h"
#include "shipped.h"

#define THRESH		(20 * SIM_S)	/* the default */

/* Poll with udelay() until @ns of virtual time went by (the driver's way). */
static void poll_for(sim_time_t ns)
{
	sim_time_t end = sim_now() + ns;

	while (sim_now() < end)
		udelay(1000);
}

static void spin_irqs_off(void *arg)
{
	unsigned long flags = __local_irq_save();

	poll_for(*(sim_time_t *)arg);
	local_irq_restore(flags);
}

static void spin_preemptible(void *arg)
{
	poll_for(*(sim_time_t *)arg);
}

static DEFINE_SPINLOCK(wd_lock);

/* Takes and drops the lock around each 1 ms poll: the CPU is released each time. */
static void spin_relock(void *arg)
{
	sim_time_t end = sim_now() + *(sim_time_t *)arg;

	while (sim_now() < end) {
		spin_lock(&wd_lock);
		udelay(1000);
		spin_unlock(&wd_lock);
	}
}

static void hold_lock(void *arg)
{
	spin_lock(&wd_lock);
	poll_for(*(sim_time_t *)arg);
	spin_unlock(&wd_lock);
}

static void wait_lock(void *arg)
{
	(void)arg;
	msleep(1);		/* the holder goes first */
	spin_lock(&wd_lock);
	spin_unlock(&wd_lock);
}

static struct sim *wd_run(void (*fn)(void *), sim_time_t ns, bool keep_going)
{
	static sim_time_t len;
	struct sim_config cfg;
	struct sim *s;

	sim_config_default(&cfg);
	cfg.ncpus = 2;
	cfg.keep_going = keep_going;
	cfg.check_invariants = true;
	s = sim_create(&cfg);
	assert_non_null(s);
	assert_int_equal(s->cfg.soft_lockup, THRESH);
	len = ns;
	spin_lock_init(&wd_lock);
	spawn(s, "spinner", 0, fn, &len);
	sim_run(s);
	return s;
}

static void test_spin_over_threshold(void **state)
{
	struct sim *s = wd_run(spin_irqs_off, THRESH + 500 * SIM_MS, false);
	const struct violation *v = &s->violations->v[0];

	(void)state;
	assert_int_equal(s->violations->n, 1);
	assert_int_equal(v->id, V_SOFT_LOCKUP);
	assert_int_equal(s->end, SIM_END_VIOLATION);
	/* found at the first clock move past 20 s (1 ms polls) */
	assert_true(v->time > THRESH && v->time <= THRESH + SIM_MS);
	assert_non_null(strstr(v->msg, "BUG: soft lockup - CPU#0 stuck for 20.00"));
	assert_non_null(strstr(v->msg, "[spinner] running with interrupts off"));
	assert_string_equal(v->task_names[0], "spinner");
	sim_destroy(s);
}

static void test_spin_under_threshold(void **state)
{
	struct sim *s = wd_run(spin_irqs_off, THRESH - 100 * SIM_MS, false);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	assert_int_equal(s->end, SIM_END_ALL_DONE);
	assert_true(s->now >= THRESH - 100 * SIM_MS);
	sim_destroy(s);
}

/* A preemptible task, or one that drops its lock between polls, is no lockup. */
static void test_cpu_released(void **state)
{
	struct sim *s = wd_run(spin_preemptible, 2 * THRESH, false);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	assert_true(s->now >= 2 * THRESH);
	sim_destroy(s);

	s = wd_run(spin_relock, 2 * THRESH, false);
	assert_int_equal(s->violations->n, 0);
	assert_true(s->now >= 2 * THRESH);
	sim_destroy(s);
}

/* A task spinning for a spinlock keeps its CPU: both CPUs are stuck. */
static void test_spinlock_waiter(void **state)
{
	static sim_time_t len = THRESH + SIM_S;
	struct sim_config cfg;
	struct sim *s;
	bool cpu0 = false, cpu1 = false;

	(void)state;
	sim_config_default(&cfg);
	cfg.ncpus = 2;
	cfg.keep_going = true;
	cfg.check_invariants = true;
	s = sim_create(&cfg);
	spin_lock_init(&wd_lock);
	spawn(s, "holder", 0, hold_lock, &len);
	spawn(s, "waiter", 1, wait_lock, NULL);
	sim_run(s);
	assert_int_equal(s->violations->count[V_SOFT_LOCKUP], 2);
	for (size_t i = 0; i < s->violations->n; i++) {
		const char *m = s->violations->v[i].msg;

		cpu0 |= strstr(m, "CPU#0") && strstr(m, "[holder] running with preemption off");
		cpu1 |= strstr(m, "CPU#1") && strstr(m, "[waiter] spinning with preemption off on spinlock");
	}
	assert_true(cpu0 && cpu1);
	sim_destroy(s);
}

/*
 * The scenario key: the seed-004 lock-up (GERROR pending on the CPU that
 * polls its CMD_SYNC with interrupts masked for the 1 s timeout) is far
 * under the default 20 s, and a SOFT_LOCKUP with soft_lockup: 500ms.
 */
static unsigned int scenario_lockups(sim_time_t thresh, char *msg, size_t len)
{
	struct scenario scn;
	struct run_opts o;
	struct run_result r;
	unsigned int n = 0;

	load_shipped("gerror-same-cpu-nococlear", &scn);
	assert_int_equal(scn.soft_lockup, THRESH);
	if (thresh)
		scn.soft_lockup = thresh;
	run_opts_default(&o, &scn);
	o.keep_going = true;
	assert_int_equal(run_scenario(&scn, &o, &r), 0);
	for (size_t i = 0; i < r.violations.n; i++)
		if (r.violations.v[i].id == V_SOFT_LOCKUP && !n++)
			snprintf(msg, len, "%s", r.violations.v[i].msg);
	run_result_free(&r);
	scenario_free(&scn);
	return n;
}

static void test_scenario_threshold(void **state)
{
	char msg[VIOLATION_MSG_LEN] = "";

	(void)state;
	assert_int_equal(scenario_lockups(0, msg, sizeof(msg)), 0);
	assert_true(scenario_lockups(500 * SIM_MS, msg, sizeof(msg)) > 0);
	assert_non_null(strstr(msg, "stuck for 0.5"));
	assert_non_null(strstr(msg, "with interrupts off"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spin_over_threshold),
		cmocka_unit_test(test_spin_under_threshold),
		cmocka_unit_test(test_cpu_released),
		cmocka_unit_test(test_spinlock_waiter),
		cmocka_unit_test(test_scenario_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
