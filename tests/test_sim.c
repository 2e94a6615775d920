// SPDX-License-Identifier: MIT
/*
 * The executor: tasks, virtual time, timers, strategies, replay, end
 * conditions, deadlock and soft-lockup detection.
 */
#include "simtest.h"

/* ---- a program of tasks that log and yield ---- */

struct chatty {
	int steps;
	const char *tag;
};

static void chatty_fn(void *arg)
{
	struct chatty *c = arg;

	for (int i = 0; i < c->steps; i++) {
		evlog_add(sim_cur, "test", "%s%d", c->tag, i);
		sim_point();
	}
}

static struct chatty ch_a = { 20, "A" }, ch_b = { 20, "B" }, ch_c = { 20, "C" };

static void setup_chatty(struct sim *s, void *ctx)
{
	int ncpus = s->cfg.ncpus;

	spawn(s, "a", 0, chatty_fn, &ch_a);
	spawn(s, "b", 1 % ncpus, chatty_fn, &ch_b);
	spawn(s, "c", 2 % ncpus, chatty_fn, &ch_c);
}

static char *log_text(struct sim *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	evlog_print(s, s->log, f);
	fclose(f);
	return buf;
}

static char *run_log(uint64_t seed, const char *strategy, struct sim **keep)
{
	struct sim *s = simtest_new(3, seed, strategy);
	char *text;

	setup_chatty(s, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	text = log_text(s);
	if (keep)
		*keep = s;
	else
		sim_destroy(s);
	return text;
}

static void test_all_tasks_finish(void **state)
{
	struct sim *s = simtest_new(3, 1, "random");

	setup_chatty(s, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->log->n, 60);
	assert_int_equal(s->violations->n, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(s->tasks[i]->state, SIM_DONE);
	sim_destroy(s);
}

static void test_determinism(void **state)
{
	const char *strategies[] = { "random", "pct:3", "rr" };

	for (int k = 0; k < 3; k++) {
		for (uint64_t seed = 1; seed <= 20; seed++) {
			char *a = run_log(seed, strategies[k], NULL);
			char *b = run_log(seed, strategies[k], NULL);

			assert_string_equal(a, b);
			free(a);
			free(b);
		}
	}
	/* And different seeds explore different interleavings. */
	int distinct = 0;
	char *first = run_log(1, "random", NULL);

	for (uint64_t seed = 2; seed <= 10; seed++) {
		char *o = run_log(seed, "random", NULL);

		distinct += strcmp(first, o) != 0;
		free(o);
	}
	free(first);
	assert_true(distinct >= 8);
}

static void test_replay(void **state)
{
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct sim *s;
		char *orig = run_log(seed, seed & 1 ? "random" : "pct:2", &s);
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_int_equal(sim_schedule_write(s, f), 0);
		fclose(f);
		assert_true(s->nrec > 0);
		sim_destroy(s);

		/* Read it back and replay under a strategy that would differ. */
		uint16_t *dec;
		size_t ndec;
		uint64_t rseed;
		char err[128];

		f = fmemopen(buf, len, "r");
		assert_int_equal(sim_schedule_read(f, &dec, &ndec, &rseed, err, sizeof(err)), 0);
		fclose(f);
		assert_int_equal(rseed, seed);

		struct sim_config cfg;

		sim_config_default(&cfg);
		cfg.ncpus = 3;
		cfg.seed = 999;		/* the seed no longer matters */
		cfg.strategy.kind = SIM_STRAT_REPLAY;
		cfg.strategy.replay = dec;
		cfg.strategy.replay_len = ndec;
		s = sim_create(&cfg);
		setup_chatty(s, NULL);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		char *again = log_text(s);

		assert_string_equal(orig, again);
		sim_destroy(s);
		free(dec);
		free(buf);
		free(orig);
		free(again);
	}
}

static void test_replay_divergence(void **state)
{
	uint16_t bogus[] = { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
			     2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 };
	struct sim_config cfg;
	struct sim *s;

	sim_config_default(&cfg);
	cfg.ncpus = 3;
	cfg.strategy.kind = SIM_STRAT_REPLAY;
	cfg.strategy.replay = bogus;
	cfg.strategy.replay_len = 40;
	s = sim_create(&cfg);
	setup_chatty(s, NULL);
	/* Task 2 finishes after 20 steps; the 21st decision names it again. */
	assert_int_equal(sim_run(s), SIM_END_REPLAY_DIVERGED);
	sim_destroy(s);
}

static void test_schedule_file_errors(void **state)
{
	const char *bad[] = {
		"hello\n",
		"iommusim-schedule 1\nseed x\n",
		"iommusim-schedule 1\nseed 3\ndecisions 2\n1 z\n",
		"iommusim-schedule 1\nseed 3\ndecisions 3\n1 2\n",
		"iommusim-schedule 1\nseed 3\n",
	};
	const char *want[] = { "1:1:", "2:1:", "4:3:", "4:1:", "3:1:" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint16_t *dec;
		size_t n;
		uint64_t seed;
		char err[128];
		FILE *f = fmemopen((void *)bad[i], strlen(bad[i]), "r");

		assert_int_equal(sim_schedule_read(f, &dec, &n, &seed, err, sizeof(err)), -EINVAL);
		assert_ptr_equal(strstr(err, want[i]), err);
		fclose(f);
	}
}

/* rr switches at every point, in task order. */
static void test_rr(void **state)
{
	struct sim *s = simtest_new(3, 1, "rr");

	setup_chatty(s, NULL);
	sim_run(s);
	for (size_t i = 0; i < 30; i++)
		assert_int_equal(s->log->e[i].text[0], "ABC"[i % 3]);
	sim_destroy(s);
}

/* pct:1 has no change points: the highest-priority task runs to the end. */
static void test_pct_depth1_no_preemption(void **state)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct sim *s = simtest_new(3, seed, "pct:1");
		int switches = 0;

		setup_chatty(s, NULL);
		sim_run(s);
		for (size_t i = 1; i < s->log->n; i++)
			switches += s->log->e[i].text[0] != s->log->e[i - 1].text[0];
		assert_int_equal(switches, 2);
		sim_destroy(s);
	}
}

/* ---- virtual time and timers ---- */

static sim_time_t woke_at[4];

static void sleeper_fn(void *arg)
{
	sim_delay(5 * SIM_MS);
	woke_at[0] = sim_now();
	sim_delay(3 * SIM_MS);
	woke_at[1] = sim_now();
}

static void test_virtual_time(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	spawn(s, "sleeper", 0, sleeper_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(woke_at[0], 5 * SIM_MS);
	assert_int_equal(woke_at[1], 8 * SIM_MS);
	assert_int_equal(s->now, 8 * SIM_MS);
	sim_destroy(s);
}

static int fired[8], nfired;

static void record_fire(struct sim_timer *t)
{
	fired[nfired++] = (int)(intptr_t)t->data;
}

static void test_timer_order(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");
	struct sim_timer t[5];

	s->cfg.end_when_threads_done = false;	/* no threads: run the timers */

	nfired = 0;
	for (int i = 0; i < 5; i++)
		sim_timer_init(&t[i], record_fire, (void *)(intptr_t)i);
	sim_timer_arm(&t[0], 300);
	sim_timer_arm(&t[1], 100);
	sim_timer_arm(&t[2], 200);
	sim_timer_arm(&t[3], 100);	/* same time as t1, armed later */
	sim_timer_arm(&t[4], 50);
	assert_true(sim_timer_cancel(&t[4]));
	assert_false(sim_timer_cancel(&t[4]));
	assert_int_equal(sim_run(s), SIM_END_IDLE);
	assert_int_equal(nfired, 4);
	assert_int_equal(fired[0], 1);
	assert_int_equal(fired[1], 3);
	assert_int_equal(fired[2], 2);
	assert_int_equal(fired[3], 0);
	assert_int_equal(s->now, 300);
	sim_destroy(s);
}

static void periodic_fn(void *arg)
{
	for (;;)
		sim_delay(SIM_MS);
}

static void test_duration(void **state)
{
	struct sim_config cfg;
	struct sim *s;

	sim_config_default(&cfg);
	cfg.duration = 10 * SIM_MS + 500;
	s = sim_create(&cfg);
	spawn(s, "periodic", 0, periodic_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_DURATION);
	assert_int_equal(s->now, 10 * SIM_MS + 500);
	sim_destroy(s);
}

/* ---- deadlock and soft lockup ---- */

static void block_forever_fn(void *arg)
{
	struct sim_wait w = { "event", "never-signalled", NULL, NULL };

	sim_block(&w, false);
}

static void test_deadlock_names_task(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");

	spawn(s, "waiter", 0, block_forever_fn, NULL);
	spawn(s, "other", 1, chatty_fn, &ch_a);
	assert_int_equal(sim_run(s), SIM_END_DEADLOCK);
	assert_int_equal(s->violations->count[V_DEADLOCK], 1);
	assert_non_null(strstr(s->violations->v[0].msg, "'waiter'"));
	assert_non_null(strstr(s->violations->v[0].msg, "never-signalled"));
	assert_null(strstr(s->violations->v[0].msg, "'other'"));
	sim_destroy(s);
}

static void spin_no_time_fn(void *arg)
{
	for (;;)
		sim_point();
}

static void test_soft_lockup(void **state)
{
	struct sim_config cfg;
	struct sim *s;

	sim_config_default(&cfg);
	cfg.max_steps_same_time = 1000;
	s = sim_create(&cfg);
	spawn(s, "spinner", 0, spin_no_time_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_STEP_LIMIT);
	assert_int_equal(s->violations->count[V_SOFT_LOCKUP], 1);
	sim_destroy(s);
}

/* ---- CPUs: a non-preemptible task keeps its CPU ---- */

static int in_section;
static int overlaps;

static void nonpreempt_fn(void *arg)
{
	for (int k = 0; k < 5; k++) {
		preempt_disable();
		in_section = 1;
		for (int i = 0; i < 10; i++)
			sim_point();
		in_section = 0;
		preempt_enable();
	}
}

static void same_cpu_fn(void *arg)
{
	for (int i = 0; i < 100; i++) {
		overlaps += in_section;
		sim_point();
	}
}

static void test_cpu_ownership(void **state)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct sim *s = simtest_new(2, seed, "random");

		overlaps = 0;
		in_section = 0;
		spawn(s, "holder", 0, nonpreempt_fn, NULL);
		spawn(s, "same-cpu", 0, same_cpu_fn, NULL);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(overlaps, 0);
		sim_destroy(s);
	}
	/* The same task on another CPU does run during the section. */
	int seen = 0;

	for (uint64_t seed = 1; seed <= 50 && !seen; seed++) {
		struct sim *s = simtest_new(2, seed, "random");

		overlaps = 0;
		spawn(s, "holder", 0, nonpreempt_fn, NULL);
		spawn(s, "other-cpu", 1, same_cpu_fn, NULL);
		sim_run(s);
		seen = overlaps > 0;
		sim_destroy(s);
	}
	assert_true(seen);
}

/* The invariant catches broken bookkeeping (each rule broken on purpose). */
static void test_invariant_detects_corruption(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");
	struct sim_task *t;

	spawn(s, "a", 0, chatty_fn, &ch_a);
	t = spawn(s, "b", 1, chatty_fn, &ch_b);
	assert_null(sim_task_state_invariant(s));

	t->state = SIM_BLOCKED;			/* blocked yet ready */
	assert_non_null(strstr(sim_task_state_invariant(s), "wrongly in the ready set"));
	t->state = SIM_RUNNABLE;

	s->cpus[1].owner = t;			/* owner with nothing disabled */
	assert_non_null(strstr(sim_task_state_invariant(s), "cpu1 owner 'b' cannot hold it"));
	t->preempt_count = 1;
	assert_null(sim_task_state_invariant(s));
	s->cpus[0].owner = t;			/* owner of another CPU */
	assert_non_null(strstr(sim_task_state_invariant(s), "cpu0 owner"));
	s->cpus[0].owner = NULL;
	s->cpus[1].owner = NULL;
	t->preempt_count = 0;

	t->state = SIM_SLEEPING;		/* asleep with no timer, and ready */
	assert_non_null(sim_task_state_invariant(s));
	t->state = SIM_RUNNABLE;
	assert_null(sim_task_state_invariant(s));
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	sim_destroy(s);
}

/* sim_settle(): every other task runs to quiescence at this instant. */
struct settle_ctx {
	int hw_steps;		/* points the hardware task made */
	int seen;		/* what the caller saw after settling */
	sim_time_t when;	/* and when */
};

static void settle_hw(void *arg)
{
	struct settle_ctx *c = arg;

	for (int i = 0; i < 5; i++) {
		sim_point();
		c->hw_steps++;
	}
	sim_delay(100);		/* a later step: not part of this instant */
	c->hw_steps++;
}

static void settle_caller(void *arg)
{
	struct settle_ctx *c = arg;

	sim_settle();
	c->seen = c->hw_steps;
	c->when = sim_now();
}

static void test_settle(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		const char *strat[] = { "random", "pct:3", "rr" };

		for (int k = 0; k < 3; k++) {
			struct sim *s = simtest_new(1, seed, strat[k]);
			struct settle_ctx c = { 0 };

			sim_task_create(s, "hw", SIM_TASK_HW, -1, false, settle_hw, &c);
			spawn(s, "caller", 0, settle_caller, &c);
			sim_run(s);
			assert_int_equal(c.seen, 5);
			assert_int_equal(c.when, 0);
			assert_int_equal(c.hw_steps, 6);
			sim_destroy(s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_tasks_finish),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_replay_divergence),
		cmocka_unit_test(test_schedule_file_errors),
		cmocka_unit_test(test_rr),
		cmocka_unit_test(test_pct_depth1_no_preemption),
		cmocka_unit_test(test_virtual_time),
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_deadlock_names_task),
		cmocka_unit_test(test_soft_lockup),
		cmocka_unit_test(test_cpu_ownership),
		cmocka_unit_test(test_invariant_detects_corruption),
		cmocka_unit_test(test_settle),
	};

	return cmocka_run_group_tests_name("sim", tests, NULL, NULL);
}
