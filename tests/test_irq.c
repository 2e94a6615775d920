// SPDX-License-Identifier: MIT
/*
 * Interrupts: delivery only while unmasked, hard handlers exclusive on their
 * CPU, threaded handlers, shared lines, synchronize_irq(), and the lock-up
 * of a CPU that waits with interrupts masked for its own interrupt
 * (DEADLOCK), with the fix that polls the hardware by hand.
 */
#include "simtest.h"

/* A tiny device: a hardware task that raises a line after a delay. */
struct toy_dev {
	struct sim_irq *line;
	int irq;
	int status;		/* "hardware register": 1 once the job is done */
	int done;		/* set by the IRQ handler */
	int handled;
	sim_time_t latency;
};

static struct toy_dev dev;

static void toy_hw_fn(void *arg)
{
	struct toy_dev *d = arg;

	sim_delay(d->latency);
	d->status = 1;
	sim_wfe_notify();	/* a hardware write is an event */
	sim_irq_raise(d->line);
}

static irqreturn_t toy_irq(int irq, void *data)
{
	struct toy_dev *d = data;

	if (!READ_ONCE(d->status))
		return IRQ_NONE;
	d->handled++;
	WRITE_ONCE(d->done, 1);
	return IRQ_HANDLED;
}

static void setup_toy(struct sim *s, int cpu)
{
	memset(&dev, 0, sizeof(dev));
	dev.latency = 2 * SIM_US;
	dev.irq = irq_line_create("toy", cpu, &dev.line);
	assert_true(dev.irq > 0);
	assert_int_equal(request_irq(dev.irq, toy_irq, 0, "toy", &dev), 0);
}

/* Buggy: wait (WFE) for the handler's flag with interrupts masked. */
static void waiter_masked_fn(void *arg)
{
	bool fixed = arg != NULL;
	unsigned long flags;

	local_irq_save(flags);
	sim_task_create(sim_cur, "toy-hw", SIM_TASK_HW, -1, true, toy_hw_fn, &dev);
	if (!fixed) {
		smp_cond_load_relaxed(&dev.done, VAL != 0);
	} else {
		/* Poll the hardware state by hand, as the handler would. */
		while (!READ_ONCE(dev.done)) {
			if (READ_ONCE(dev.status)) {
				WRITE_ONCE(dev.done, 1);
				break;
			}
			cpu_relax();
		}
	}
	local_irq_restore(flags);
}

static void setup_masked_wait(struct sim *s, void *ctx)
{
	setup_toy(s, 0);
	spawn(s, "waiter", 0, waiter_masked_fn, ctx);
}

static void test_masked_wait_deadlock(void **state)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct sim *s = simtest_new(2, seed, seed & 1 ? "random" : "pct:3");

		setup_masked_wait(s, NULL);
		assert_int_equal(sim_run(s), SIM_END_DEADLOCK);
		const struct violation *v = &s->violations->v[0];

		assert_int_equal(v->id, V_DEADLOCK);
		assert_non_null(strstr(v->msg, "task 'waiter' (cpu0) waits on event (WFE) on '&dev.done'"));
		assert_non_null(strstr(v->msg, "holding its CPU with irqs off"));
		assert_non_null(strstr(v->msg, "irq 'toy' pending on cpu0, masked by the task holding the CPU"));
		sim_destroy(s);
	}
	assert_int_equal(simtest_total_violations(2, "random", 50, setup_masked_wait, (void *)1), 0);
	assert_int_equal(simtest_total_violations(2, "pct:3", 50, setup_masked_wait, (void *)1), 0);
}

/* The same wait with the interrupt affined to the other CPU completes. */
static void setup_other_cpu(struct sim *s, void *ctx)
{
	setup_toy(s, 1);
	spawn(s, "waiter", 0, waiter_masked_fn, NULL);
}

static void test_irq_on_other_cpu(void **state)
{
	assert_int_equal(simtest_total_violations(2, "random", 50, setup_other_cpu, NULL), 0);
}

/* No interrupt is delivered inside a masked section on its CPU. */
static int masked_section, delivered_inside;

static irqreturn_t probe_irq(int irq, void *data)
{
	delivered_inside += masked_section;
	return IRQ_HANDLED;
}

static void raiser_fn(void *arg)
{
	for (int i = 0; i < 20; i++) {
		sim_irq_raise(dev.line);
		sim_delay(100);
	}
}

static void masker_fn(void *arg)
{
	for (int i = 0; i < 20; i++) {
		unsigned long flags;

		spin_lock_irqsave((spinlock_t *)arg, flags);
		masked_section = 1;
		for (int k = 0; k < 5; k++)
			sim_delay(30);
		masked_section = 0;
		spin_unlock_irqrestore((spinlock_t *)arg, flags);
		sim_delay(10);
	}
}

static void test_no_delivery_while_masked(void **state)
{
	static DEFINE_SPINLOCK(l);

	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct sim *s = simtest_new(2, seed, "random");

		masked_section = delivered_inside = 0;
		memset(&dev, 0, sizeof(dev));
		dev.irq = irq_line_create("probe", 0, &dev.line);
		assert_int_equal(request_irq(dev.irq, probe_irq, 0, "probe", NULL), 0);
		sim_task_create(s, "raiser", SIM_TASK_HW, -1, false, raiser_fn, NULL);
		spawn(s, "masker", 0, masker_fn, &l);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(delivered_inside, 0);
		assert_true(irq_to_desc(dev.irq)->handled > 0);
		sim_destroy(s);
	}
}

/* Threaded handler with IRQF_ONESHOT, and synchronize_irq(). */
static int thread_runs, hard_runs, thread_active;

static irqreturn_t hard_fn(int irq, void *data)
{
	hard_runs++;
	assert_true(in_hardirq());
	assert_true(irqs_disabled());
	return IRQ_WAKE_THREAD;
}

static irqreturn_t thread_fn(int irq, void *data)
{
	assert_false(in_hardirq());
	thread_active = 1;
	msleep(1);		/* threads may sleep */
	thread_runs++;
	thread_active = 0;
	return IRQ_HANDLED;
}

static void sync_fn(void *arg)
{
	sim_irq_raise(dev.line);
	sim_delay(10);
	synchronize_irq(dev.irq);
	/* The thread woken before the call has finished. */
	assert_int_equal(thread_active, 0);
	assert_int_equal(thread_runs, 1);
}

static void test_threaded_irq(void **state)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct sim *s = simtest_new(2, seed, seed & 1 ? "random" : "pct:3");

		thread_runs = hard_runs = thread_active = 0;
		memset(&dev, 0, sizeof(dev));
		dev.irq = irq_line_create("thr", 1, &dev.line);
		assert_int_equal(request_threaded_irq(dev.irq, hard_fn, thread_fn,
						      IRQF_ONESHOT, "thr", NULL), 0);
		spawn(s, "sync", 0, sync_fn, NULL);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(s->violations->n, 0);
		assert_int_equal(hard_runs, 1);
		sim_destroy(s);
	}
}

/* Shared lines: -EBUSY without IRQF_SHARED; both handlers called with it. */
static int calls_a, calls_b;
static irqreturn_t shared_a(int irq, void *d) { calls_a++; return IRQ_NONE; }
static irqreturn_t shared_b(int irq, void *d) { calls_b++; return IRQ_HANDLED; }

static void raise_once_fn(void *arg)
{
	sim_irq_raise(dev.line);
	sim_delay(10);
}

static void test_shared_line(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	calls_a = calls_b = 0;
	dev.irq = irq_line_create("shared", 0, &dev.line);
	assert_int_equal(request_irq(dev.irq, shared_a, 0, "a", NULL), 0);
	assert_int_equal(request_irq(dev.irq, shared_b, IRQF_SHARED, "b", NULL), -EBUSY);
	free_irq(dev.irq, NULL);
	assert_int_equal(request_irq(dev.irq, shared_a, IRQF_SHARED, "a", &calls_a), 0);
	assert_int_equal(request_irq(dev.irq, shared_b, IRQF_SHARED, "b", &calls_b), 0);
	assert_int_equal(request_irq(999, shared_b, 0, "x", NULL), -EINVAL);
	spawn(s, "raiser", 0, raise_once_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(calls_a, 1);
	assert_int_equal(calls_b, 1);
	assert_int_equal(irq_to_desc(dev.irq)->handled, 1);
	sim_destroy(s);
}

/* disable_irq() holds a line off; enable_irq() lets it through. */
static void disable_fn(void *arg)
{
	disable_irq(dev.irq);
	sim_irq_raise(dev.line);
	sim_delay(1000);
	assert_int_equal(dev.handled, 0);
	enable_irq(dev.irq);
	sim_delay(1000);
	assert_int_equal(dev.handled, 1);
}

static void test_disable_irq(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");

	setup_toy(s, 1);
	dev.status = 1;
	spawn(s, "t", 0, disable_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masked_wait_deadlock),
		cmocka_unit_test(test_irq_on_other_cpu),
		cmocka_unit_test(test_no_delivery_while_masked),
		cmocka_unit_test(test_threaded_irq),
		cmocka_unit_test(test_shared_line),
		cmocka_unit_test(test_disable_irq),
	};

	return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
