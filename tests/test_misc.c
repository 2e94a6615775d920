// SPDX-License-Identifier: MIT
/*
 * printk ratelimiting, WARN_ON, time and polling helpers.
 */
#include "simtest.h"

static struct device fake_dev = { .name = "0000:00:01.0" };

static void flood_fn(void *arg)
{
	/*
	 * 100 lines 1 ms apart from one call site: 10 printed in the first
	 * 5 s window; the 101st, 5 s later, opens a new window and reports
	 * what was suppressed.
	 */
	for (int i = 0; i < 101; i++) {
		dev_err_ratelimited(&fake_dev, "ATC invalidate timeout\n");
		msleep(i < 99 ? 1 : 5000);
	}
}

static void test_ratelimit(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	spawn(s, "flood", 0, flood_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(klog_count(s, "ATC invalidate timeout"), 11);
	assert_int_equal(klog_count(s, "flood_fn: 90 callbacks suppressed"), 1);
	f = open_memstream(&buf, &len);
	klog_print(s, f);
	fclose(f);
	assert_non_null(strstr(buf, "[    0.000000000] 0000:00:01.0: ATC invalidate timeout\n"));
	assert_non_null(strstr(buf, "[    5.099000000] flood_fn: 90 callbacks suppressed\n"));
	free(buf);
	sim_destroy(s);

	/* The state resets between runs. */
	s = simtest_new(1, 1, "random");
	spawn(s, "flood", 0, flood_fn, NULL);
	sim_run(s);
	assert_int_equal(klog_count(s, "ATC invalidate timeout"), 11);
	sim_destroy(s);
}

static void warn_fn(void *arg)
{
	for (int i = 0; i < 3; i++)
		WARN_ON_ONCE(i >= 0);
	assert_false(WARN_ON(0));
}

static void test_warn(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	s->cfg.keep_going = true;
	spawn(s, "w", 0, warn_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->count[V_WARN], 1);
	assert_int_equal(klog_count(s, "WARNING: CPU: 0 at"), 1);
	sim_destroy(s);
}

static int reg;

static int read_reg(int *r)
{
	return READ_ONCE(*r);
}

static void setter_fn(void *arg)
{
	udelay(250);
	WRITE_ONCE(reg, 1);
}

static void poller_fn(void *arg)
{
	int val, ret;
	u64 timeout_us = (u64)(uintptr_t)arg;

	ret = readx_poll_timeout(read_reg, &reg, val, val == 1, 10, timeout_us);
	if (timeout_us > 250) {
		assert_int_equal(ret, 0);
		assert_int_equal(val, 1);
		assert_true(sim_now() >= 250 * SIM_US && sim_now() <= 260 * SIM_US);
	} else {
		assert_int_equal(ret, -ETIMEDOUT);
		assert_true(sim_now() > 100 * SIM_US && sim_now() < 250 * SIM_US);
	}
}

static void test_poll_timeout(void **state)
{
	for (int k = 0; k < 2; k++) {
		struct sim *s = simtest_new(2, 1, "random");

		reg = 0;
		spawn(s, "setter", 0, setter_fn, NULL);
		spawn(s, "poller", 1, poller_fn, (void *)(uintptr_t)(k ? 1000 : 100));
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(s->violations->n, 0);
		sim_destroy(s);
	}
}

static void relax_fn(void *arg)
{
	for (int i = 0; i < 1000; i++)
		cpu_relax();
}

static void test_cpu_relax_costs_time(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	kstate_set_cpu_relax_ns(s, 50);
	spawn(s, "relax", 0, relax_fn, NULL);
	sim_run(s);
	assert_int_equal(s->now, 50000);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_warn),
		cmocka_unit_test(test_poll_timeout),
		cmocka_unit_test(test_cpu_relax_costs_time),
	};

	return cmocka_run_group_tests_name("misc", tests, NULL, NULL);
}
