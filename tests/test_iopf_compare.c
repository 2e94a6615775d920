// SPDX-License-Identifier: MIT
/*
 * Policy comparison for I/O page faults (issue #5, seeds 000 and 001), on
 * the shipped scenarios, seeds 1..N (IOMMUSIM_SWEEP_SEEDS, default 50)
 * under random and pct:3.  Each buggy design must show its violation
 * within a stated number of runs (the first failing seed must be at most
 * that); each fixed one must never show any and must pass the scenario's
 * expect block every time.  Detection rates go to stdout as TAP
 * diagnostics.
 *
 *   iopf-replace-stall  iopf_drain=none      USE_AFTER_FREE       within 2
 *                       iopf_drain=flush-wq  USE_AFTER_FREE or
 *                                            FAULT_WRONG_DOMAIN   within 3
 *                       iopf_drain=ordered, iopf_design=group-counter: clean
 *   iopf-pasid-partial  iopf_discard=discard PRQ_UNANSWERED       within 3
 *                       iopf_discard=respond (both designs): clean
 *   iopf-pri-off        iopf_design=linux, group-counter: clean
 */
#include "simtest.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"
#include "scenario/scenario.h"
#include "shipped.h"

static unsigned int compare_seeds(void)
{
	const char *e = getenv("IOMMUSIM_SWEEP_SEEDS");
	long n = e ? strtol(e, NULL, 10) : 50;

	return n > 0 ? (unsigned int)n : 50;
}

/* A variant: the scenario, its policy overrides ("k=v", up to 2). */
struct variant {
	const char *scenario;
	const char *policy[2];
	/* buggy: the IDs that count as detection, and the bound; clean: none */
	int want[2];		/* violation IDs, -1 unused */
	unsigned int within;	/* first detection at most this run (1-based) */
};

static void apply(struct run_opts *o, const struct variant *v)
{
	for (int i = 0; i < 2 && v->policy[i]; i++) {
		char k[64];
		const char *eq = strchr(v->policy[i], '=');

		assert_non_null(eq);
		snprintf(k, sizeof(k), "%.*s", (int)(eq - v->policy[i]), v->policy[i]);
		assert_int_equal(policy_set_apply_kv(&o->policy, k, eq + 1, NULL, 0), 0);
	}
}

static bool wanted(const struct variant *v, int id)
{
	return id == v->want[0] || id == v->want[1];
}

static void run_variant(const struct variant *v, const char *strategy)
{
	unsigned int n = compare_seeds(), found = 0, first = 0, failed_expect = 0;
	struct scenario scn;

	load_shipped(v->scenario, &scn);
	for (unsigned int seed = 1; seed <= n; seed++) {
		struct run_opts o;
		struct run_result r;
		struct expect_check *checks = NULL;
		unsigned int nchecks = 0;
		bool hit = false, pass;

		run_opts_default(&o, &scn);
		o.seed = seed;
		assert_int_equal(sim_strategy_parse(strategy, &o.strategy), 0);
		apply(&o, v);
		assert_int_equal(run_scenario(&scn, &o, &r), 0);
		for (size_t i = 0; i < r.violations.n; i++) {
			if (v->want[0] >= 0 && wanted(v, r.violations.v[i].id)) {
				hit = true;
			} else {
				violation_print(stderr, &r.violations.v[i]);
				fail_msg("%s %s %s seed %u: unexpected %s", v->scenario,
					 v->policy[0] ? v->policy[0] : "", strategy, seed,
					 violation_name(r.violations.v[i].id));
			}
		}
		pass = expect_eval(&scn, &r, &checks, &nchecks);
		failed_expect += !pass;
		free(checks);
		run_result_free(&r);
		if (hit && !found++)
			first = seed;
	}
	printf("# %-20s %-28s %-7s %u/%u runs show %s%s (first at run %u)\n", v->scenario,
	       v->policy[1] ? v->policy[1] : v->policy[0], strategy, found, n,
	       v->want[0] >= 0 ? violation_name(v->want[0]) : "a violation",
	       v->want[1] >= 0 ? " or another wanted ID" : "", first);
	if (v->want[0] >= 0) {
		assert_true(found > 0);
		assert_true(first <= v->within);
	} else {
		assert_int_equal(found, 0);
		assert_int_equal(failed_expect, 0);	/* the expect block, every seed */
	}
	scenario_free(&scn);
}

static const struct variant variants[] = {
	{ "iopf-replace-stall", { "iopf_drain=none" }, { V_USE_AFTER_FREE, -1 }, 2 },
	{ "iopf-replace-stall", { "iopf_drain=flush-wq" },
	  { V_USE_AFTER_FREE, V_FAULT_WRONG_DOMAIN }, 3 },
	{ "iopf-replace-stall", { "iopf_drain=ordered" }, { -1, -1 }, 0 },
	{ "iopf-replace-stall", { "iopf_design=group-counter" }, { -1, -1 }, 0 },
	{ "iopf-pasid-partial", { "iopf_discard=discard" }, { V_PRQ_UNANSWERED, -1 }, 3 },
	{ "iopf-pasid-partial", { "iopf_discard=respond" }, { -1, -1 }, 0 },
	{ "iopf-pasid-partial", { "iopf_discard=respond", "iopf_design=group-counter" },
	  { -1, -1 }, 0 },
	{ "iopf-pri-off", { "iopf_design=linux" }, { -1, -1 }, 0 },
	{ "iopf-pri-off", { "iopf_design=group-counter" }, { -1, -1 }, 0 },
};

static void test_variants(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		run_variant(&variants[i], "random");
		run_variant(&variants[i], "pct:3");
	}
}

/* The comparison can fail: with the fixed design wanted as a violation. */
static void test_comparison_can_fail(void **state)
{
	struct scenario scn;
	struct run_opts o;
	struct run_result r;
	bool uaf = false;

	(void)state;
	load_shipped("iopf-replace-stall", &scn);
	run_opts_default(&o, &scn);
	assert_int_equal(run_scenario(&scn, &o, &r), 0);	/* ordered: clean */
	for (size_t i = 0; i < r.violations.n; i++)
		uaf |= r.violations.v[i].id == V_USE_AFTER_FREE;
	assert_false(uaf);
	run_result_free(&r);
	assert_int_equal(policy_set_apply_kv(&o.policy, "iopf_drain", "none", NULL, 0), 0);
	assert_int_equal(run_scenario(&scn, &o, &r), 0);
	for (size_t i = 0; i < r.violations.n; i++)
		uaf |= r.violations.v[i].id == V_USE_AFTER_FREE;
	assert_true(uaf);
	run_result_free(&r);
	scenario_free(&scn);
}

/*
 * STALL_HANG on an SMMUv3: a stall whose handler answers after 8 ms is
 * held past a 5 ms stall_timeout; after 4 ms it is not.
 */
static const char hang_yaml[] =
	"name: hang\nduration: 30ms\nstall_timeout: 5ms\n"
	"smmus: [{name: smmu0, stall: true}]\n"
	"devices: [{name: dev0, smmu: smmu0, sids: [0x10], pasid: true, stall: true}]\n"
	"domains: [{name: sva0, type: sva, fault_handler: {delay: %s}}]\n"
	"workload:\n"
	"  - dma: {device: dev0, domain: sva0, pasid: 1, pages: 4, op: write, start: 1ms}\n"
	"  - churn: {domain: sva0, pages: 4, interval: 1ms, start: 2ms}\n"
	"events: [{at: 0ms, device: dev0, pasid_attach: {pasid: 1, domain: sva0}}]\n";

static unsigned int hang_count(const char *delay)
{
	char text[1024];
	struct scenario scn;
	struct run_opts o;
	struct run_result r;
	struct diag d;
	unsigned int n;

	snprintf(text, sizeof(text), hang_yaml, delay);
	diag_init(&d, "hang.yaml");
	assert_int_equal(scenario_load_string("hang.yaml", text, strlen(text), &scn, &d), 0);
	diag_fini(&d);
	run_opts_default(&o, &scn);
	assert_int_equal(run_scenario(&scn, &o, &r), 0);
	n = r.violations.count[V_STALL_HANG];
	if (n)
		assert_non_null(strstr(r.violations.v[0].msg, "StreamID 0x10"));
	run_result_free(&r);
	scenario_free(&scn);
	return n;
}

static void test_stall_hang_smmuv3(void **state)
{
	(void)state;
	assert_int_equal(hang_count("8ms"), 1);
	assert_int_equal(hang_count("4ms"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall_hang_smmuv3),
		cmocka_unit_test(test_comparison_can_fail),
		cmocka_unit_test(test_variants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
