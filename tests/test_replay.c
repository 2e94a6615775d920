// SPDX-License-Identifier: MIT
/*
 * Replay and shrinking on shipped scenarios: a run's recorded schedule
 * (its deviations from the default order, through a version 2 schedule
 * file) replays to the same run (violations, steps, log, report); a guided
 * run survives deviations that cannot apply; shrinking keeps the violation,
 * never grows the schedule, respects its budget, and refuses a run that
 * has no violation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "explore/shrink.h"
#include "scenario/cli_opts.h"
#include "scenario/diag.h"
#include "scenario/run.h"
#include "scenario/scenario.h"
#include "shipped.h"

/* Options for @scn: seed, strategy text, and "K=V" policies (NULL-ended). */
static void opts(const struct scenario *scn, struct run_opts *o, uint64_t seed,
		 const char *strategy, const char *const *policies)
{
	char msg[256];

	run_opts_default(o, scn);
	o->seed = seed;
	assert_int_equal(sim_strategy_parse(strategy, &o->strategy), 0);
	for (size_t i = 0; policies && policies[i]; i++)
		assert_int_equal(policy_set_apply(&o->policy, policies[i], msg, sizeof(msg)), 0);
}

/* The text report without the lines that name the strategy or wall time. */
static char *report(const struct scenario *scn, const struct run_result *r)
{
	struct expect_check *checks = NULL;
	unsigned int n = 0;
	bool pass = expect_eval(scn, r, &checks, &n);
	char *buf = NULL, *out, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_text(f, r, checks, n, pass);
	report_log(f, r);
	fclose(f);
	free(checks);
	out = calloc(1, len + 1);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "  strategy", 10) && strncmp(line, "  wall", 6))
			strcat(strcat(out, line), "\n");
	free(buf);
	return out;
}

/* @sch through a schedule file's text and back. */
static void through_file(const struct sim_schedule *sch, struct sim_schedule *back)
{
	char *buf = NULL, err[128];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(sim_schedule_save(f, sch, "a comment\nover two lines"), 0);
	fclose(f);
	f = fmemopen(buf, len, "r");
	assert_int_equal(sim_schedule_load(f, back, err, sizeof(err)), 0);
	fclose(f);
	free(buf);
	assert_int_equal(back->version, 2);
	assert_int_equal(back->ndev, sch->ndev);
	assert_int_equal(back->seed, sch->seed);
	assert_int_equal(back->steps, sch->steps);
}

static void replay_equals_run(const char *name, uint64_t seed, const char *strategy,
			      const char *const *policies)
{
	struct scenario scn;
	struct run_opts o;
	struct run_result a, b;
	struct sim_schedule sch;
	char *ra, *rb;

	load_shipped(name, &scn);
	opts(&scn, &o, seed, strategy, policies);
	assert_int_equal(run_scenario(&scn, &o, &a), 0);
	assert_true(a.violations.n > 0);	/* each case here fails */
	assert_true(a.sched.ndev > 0);
	through_file(&a.sched, &sch);
	/* Replay under a different seed's strategy: only the schedule decides. */
	sim_schedule_strategy(&sch, &o.strategy);
	o.seed = sch.seed;
	assert_int_equal(run_scenario(&scn, &o, &b), 0);
	assert_int_equal(b.guide_missed, 0);
	assert_int_equal(b.end, a.end);
	assert_int_equal(b.steps, a.steps);
	assert_int_equal(b.vtime, a.vtime);
	assert_int_equal(b.switches, a.switches);
	assert_int_equal(b.violations.n, a.violations.n);
	for (size_t i = 0; i < a.violations.n; i++) {
		assert_int_equal(b.violations.v[i].id, a.violations.v[i].id);
		assert_int_equal(b.violations.v[i].time, a.violations.v[i].time);
		assert_string_equal(b.violations.v[i].msg, a.violations.v[i].msg);
	}
	assert_int_equal(b.sched.ndev, a.sched.ndev);
	for (size_t i = 0; i < a.sched.ndev; i++) {
		assert_int_equal(b.sched.dev[i].decision, a.sched.dev[i].decision);
		assert_int_equal(b.sched.dev[i].task, a.sched.dev[i].task);
	}
	ra = report(&scn, &a);
	rb = report(&scn, &b);
	assert_string_equal(ra, rb);
	free(ra);
	free(rb);
	sim_schedule_free(&sch);
	run_result_free(&a);
	run_result_free(&b);
	scenario_free(&scn);
}

static void test_replay_equals_run(void **state)
{
	replay_equals_run("smmuv2-stall-unlocked", 12, "random", NULL);
	replay_equals_run("smmuv2-stall-locked", 2, "pct:3",
			  (const char *const[]){ "cfie_mask=unlocked", NULL });
	replay_equals_run("atc-timeout-ignore", 3, "rr", NULL);
	replay_equals_run("flagship", 2, "pct:3",
			  (const char *const[]){ "atc_timeout=ignore", NULL });
}

/* Deviations that cannot apply are skipped: the run goes on, in the default order. */
static void test_guided_tolerates(void **state)
{
	struct scenario scn;
	struct run_opts o;
	struct run_result r, d;
	struct sim_deviation junk[10];

	load_shipped("smmuv2-stall-unlocked", &scn);
	for (int i = 0; i < 10; i++)
		junk[i] = (struct sim_deviation){ (uint64_t)i * 3, 4000 };
	opts(&scn, &o, 12, "random", NULL);
	memset(&o.strategy, 0, sizeof(o.strategy));
	o.strategy.kind = SIM_STRAT_GUIDED;
	assert_int_equal(run_scenario(&scn, &o, &d), 0);	/* the default order */
	assert_int_equal(d.sched.ndev, 0);
	assert_int_equal(d.preemptions, 0);
	o.strategy.guide = junk;
	o.strategy.guide_len = 10;
	assert_int_equal(run_scenario(&scn, &o, &r), 0);
	assert_int_not_equal(r.end, SIM_END_REPLAY_DIVERGED);
	assert_int_equal(r.guide_missed, 10);
	assert_int_equal(r.sched.ndev, 0);
	assert_int_equal(r.steps, d.steps);
	run_result_free(&r);
	run_result_free(&d);
	scenario_free(&scn);
}

static void guided(struct run_opts *o, const struct sim_schedule *sch)
{
	o->seed = sch->seed;
	sim_schedule_strategy(sch, &o->strategy);
}

static void test_shrink_keeps_violation(void **state)
{
	struct scenario scn;
	struct shrink_config c;
	struct shrink_result res, again;
	struct run_result r;

	load_shipped("smmuv2-stall-unlocked", &scn);
	memset(&c, 0, sizeof(c));
	c.scn = &scn;
	opts(&scn, &c.base, 12, "random", NULL);
	c.violation = -1;
	assert_int_equal(shrink_run(&c, &res), 0);
	assert_int_equal(res.violation, V_IRQ_STORM);
	assert_int_equal(res.stop, SHRINK_MINIMAL);
	assert_true(res.after.deviations < res.before.deviations);
	assert_true(res.after.preemptions <= res.before.preemptions);
	assert_true(res.after.steps <= res.before.steps);
	assert_int_equal(res.sched.ndev, res.after.deviations);
	/* The shrunk schedule, replayed, still fails the same way. */
	guided(&c.base, &res.sched);
	assert_int_equal(run_scenario(&scn, &c.base, &r), 0);
	assert_true(r.violations.n > 0);
	assert_int_equal(r.violations.v[0].id, V_IRQ_STORM);
	assert_int_equal(r.steps, res.after.steps);
	assert_int_equal(r.sched.ndev, res.after.deviations);
	run_result_free(&r);
	/* Shrinking it again does not grow it (1-minimal: nothing to remove). */
	assert_int_equal(shrink_run(&c, &again), 0);
	assert_int_equal(again.before.deviations, res.after.deviations);
	assert_int_equal(again.after.deviations, res.after.deviations);
	assert_int_equal(again.violation, V_IRQ_STORM);
	sim_schedule_free(&again.sched);
	sim_schedule_free(&res.sched);

	/* The budget: it stops early, says so, and what it has still fails. */
	opts(&scn, &c.base, 12, "random", NULL);
	c.max_runs = 4;
	assert_int_equal(shrink_run(&c, &res), 0);
	assert_int_equal(res.stop, SHRINK_MAX_RUNS);
	assert_int_equal(res.runs, 4);
	assert_true(res.after.deviations <= res.before.deviations);
	guided(&c.base, &res.sched);
	assert_int_equal(run_scenario(&scn, &c.base, &r), 0);
	assert_int_equal(r.violations.v[0].id, V_IRQ_STORM);
	run_result_free(&r);
	sim_schedule_free(&res.sched);
	scenario_free(&scn);
}

static void test_shrink_refuses(void **state)
{
	struct scenario scn;
	struct shrink_config c;
	struct shrink_result res;

	load_shipped("smmuv2-stall-locked", &scn);
	memset(&c, 0, sizeof(c));
	c.scn = &scn;
	opts(&scn, &c.base, 12, "random", NULL);	/* the fix: no violation */
	c.violation = -1;
	assert_int_equal(shrink_run(&c, &res), -ENOENT);
	opts(&scn, &c.base, 12, "random", (const char *const[]){ "cfie_mask=unlocked", NULL });
	c.violation = V_DEADLOCK;			/* it storms instead */
	assert_int_equal(shrink_run(&c, &res), -ENOENT);
	c.violation = V_IRQ_STORM;
	assert_int_equal(shrink_run(&c, &res), 0);
	assert_int_equal(res.violation, V_IRQ_STORM);
	sim_schedule_free(&res.sched);
	scenario_free(&scn);
}

/* What "the same violation" means, case by case. */
static void test_shrink_oracle(void **state)
{
	struct violation v[2] = { { .id = V_IRQ_STORM }, { .id = V_DEADLOCK } };
	struct run_result r;

	memset(&r, 0, sizeof(r));
	r.steps = 100;
	assert_false(shrink_reproduces(&r, V_IRQ_STORM, 100));	/* no violation */
	r.violations.v = v;
	r.violations.n = 2;
	assert_true(shrink_reproduces(&r, V_IRQ_STORM, 100));
	assert_true(shrink_reproduces(&r, V_IRQ_STORM, 1000));
	assert_false(shrink_reproduces(&r, V_IRQ_STORM, 99));	/* longer */
	assert_false(shrink_reproduces(&r, V_DEADLOCK, 100));	/* not the first */
	v[0].id = V_WARN;
	assert_false(shrink_reproduces(&r, V_IRQ_STORM, 100));	/* another one first */
}

static void test_schedule_v2_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "iommusim-schedule 3\n", "1:1: not an iommusim schedule" },
		{ "iommusim-schedule 2\nseed 1\nfoo 2\n", "3:1: expected 'seed N'" },
		{ "iommusim-schedule 2\ndeviations 0\n", "2:1: 'seed N' must come before" },
		{ "iommusim-schedule 2\nseed 1\ndeviations 2\n4:1 x\n", "4:5: expected DECISION:TASK" },
		{ "iommusim-schedule 2\nseed 1\ndeviations 2\n4:1 4:2\n", "4:5: decision 4 is not after decision 4" },
		{ "iommusim-schedule 2\nseed 1\ndeviations 1\n  4:9999\n", "4:5: task id out of range" },
		{ "iommusim-schedule 2\nseed 1\ndeviations 1\n4:1x\n", "4:4: expected a space" },
		{ "iommusim-schedule 2\nseed 1\ndeviations 3\n4:1\n", "4:1: deviation count does not match" },
		{ "iommusim-schedule 2\nseed 1\n", "3:1: truncated schedule header" },
		{ "iommusim-schedule 2\nseed 1\noption\ndeviations 0\n", "3:8: 'option' needs a run option" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sim_schedule sch;
		char err[160];
		FILE *f = fmemopen((void *)bad[i].text, strlen(bad[i].text), "r");

		assert_int_equal(sim_schedule_load(f, &sch, err, sizeof(err)), -EINVAL);
		fclose(f);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)))
			fail_msg("case %zu: '%s' is not '%s...'", i, err, bad[i].want);
		assert_null(sch.dev);
	}

	/* Seeds are decimal in a schedule file (the writer's form). */
	const char *good = "# made by hand\niommusim-schedule 2\nsteps 9 # ok\nseed 0x1\n";
	struct sim_schedule sch;
	char err[160];
	FILE *f = fmemopen((void *)good, strlen(good), "r");

	assert_int_equal(sim_schedule_load(f, &sch, err, sizeof(err)), -EINVAL);
	fclose(f);
	/* A good one, with options and comments anywhere. */
	good = "# made by hand\niommusim-schedule 2\nsteps 9 # ok\nseed 7\n"
	       "option --policy=cmdq=spinlock\ndeviations 2\n3:1\n\n9:2\n";
	f = fmemopen((void *)good, strlen(good), "r");
	assert_int_equal(sim_schedule_load(f, &sch, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(sch.seed, 7);
	assert_int_equal(sch.steps, 9);
	assert_int_equal(sch.noptions, 1);
	assert_string_equal(sch.options[0], "--policy=cmdq=spinlock");
	assert_int_equal(sch.option_lines[0], 5);
	assert_int_equal(sch.ndev, 2);
	assert_int_equal(sch.dev[1].decision, 9);
	assert_int_equal(sch.dev[1].task, 2);
	sim_schedule_free(&sch);
}

/* The run options a schedule records go back through the run option parser. */
static void test_option_words(void **state)
{
	struct cli_run c, back;
	char **w, *argv[8];
	size_t n;

	assert_int_equal(cli_run_parse(7, (char *[]){ "run", "x", "--policy", "cmdq=spinlock",
						     "--bug", "stale-broken-report",
						     "--keep-going", NULL }, &c, stderr), CLI_OK);
	n = cli_run_option_words(&c, &w);
	assert_int_equal(n, 3);
	assert_string_equal(w[0], "--policy=cmdq=spinlock");
	assert_string_equal(w[1], "--bug=stale-broken-report");
	assert_string_equal(w[2], "--keep-going");
	argv[0] = "replay";
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = w[i];
	argv[n + 1] = NULL;
	assert_int_equal(cli_run_parse_options("replay", (int)n + 1, argv, &back, stderr), CLI_OK);
	assert_int_equal(back.policy.given, c.policy.given);
	assert_memory_equal(back.policy.v, c.policy.v, sizeof(c.policy.v));
	assert_int_equal(back.bugs, c.bugs);
	assert_true(back.keep_going);
	cli_words_free(w, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_equals_run),
		cmocka_unit_test(test_guided_tolerates),
		cmocka_unit_test(test_shrink_keeps_violation),
		cmocka_unit_test(test_shrink_refuses),
		cmocka_unit_test(test_shrink_oracle),
		cmocka_unit_test(test_schedule_v2_errors),
		cmocka_unit_test(test_option_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
