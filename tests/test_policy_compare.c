// SPDX-License-Identifier: MIT
/*
 * Policy comparison on the shipped scenario stale-quarantine (issue #4): a
 * batch of ATC invalidations for nic0 (unresponsive) and nvme0 is issued
 * at ~5 ms, its CMD_SYNC fails only after nvme0's successful FLR, and the
 * issuer sees the -EIO after that.
 *
 *   atc_timeout=quarantine-batch  quarantines nvme0 on the pre-reset batch:
 *                                 STALE_QUARANTINE on every seed;
 *   atc_timeout=quarantine-retry  re-issues each SID's ATC_INV after the
 *                                 failure: nvme0 answers and is never
 *                                 quarantined, nic0 is; no violation.
 *
 * Both under each core design (report_broken = worker-rcu,
 * worker-dev-iommu; master_lookup sid-lookup, and inv-master with
 * worker-rcu as the v4 series has it) and each strategy (random, pct:3), seeds 1..N
 * (IOMMUSIM_SWEEP_SEEDS, default 50).  Counts go to stdout as TAP
 * diagnostics.
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

static int device_index(const struct run_result *r, const char *name)
{
	for (unsigned int i = 0; i < r->ndevices; i++)
		if (!strcmp(r->devices[i].name, name))
			return (int)i;
	fail_msg("no device %s", name);
	return -1;
}

struct compare_count {
	unsigned int runs;
	unsigned int stale;		/* runs with STALE_QUARANTINE */
	unsigned int other;		/* runs with any other violation */
	unsigned int nvme0_quarantined;	/* runs where the driver quarantined nvme0 */
	unsigned int nic0_quarantined;
};

static void compare_one(const struct scenario *scn, const char *atc_timeout,
			const char *report_broken, const char *lookup, const char *strategy,
			uint64_t seed, struct compare_count *c)
{
	struct run_opts o;
	struct run_result r;
	bool stale = false, other = false;

	run_opts_default(&o, scn);
	o.seed = seed;
	assert_int_equal(sim_strategy_parse(strategy, &o.strategy), 0);
	assert_int_equal(policy_set_apply_kv(&o.policy, "atc_timeout", atc_timeout, NULL, 0), 0);
	assert_int_equal(policy_set_apply_kv(&o.policy, "report_broken", report_broken, NULL, 0), 0);
	assert_int_equal(policy_set_apply_kv(&o.policy, "master_lookup", lookup, NULL, 0), 0);
	assert_int_equal(run_scenario(scn, &o, &r), 0);
	for (size_t i = 0; i < r.violations.n; i++) {
		if (r.violations.v[i].id == V_STALE_QUARANTINE) {
			stale = true;
			assert_non_null(strstr(r.violations.v[i].msg, "nvme0"));
		} else {
			other = true;
		}
	}
	c->runs++;
	c->stale += stale;
	c->other += other;
	c->nvme0_quarantined += r.devices[device_index(&r, "nvme0")].quarantined > 0;
	c->nic0_quarantined += r.devices[device_index(&r, "nic0")].quarantined > 0;
	run_result_free(&r);
}

static void compare(const struct scenario *scn, const char *atc_timeout,
		    const char *report_broken, const char *lookup, struct compare_count *c)
{
	static const char *const strategies[] = { "random", "pct:3" };
	unsigned int n = compare_seeds();

	memset(c, 0, sizeof(*c));
	for (size_t s = 0; s < ARRAY_SIZE(strategies); s++)
		for (uint64_t seed = 1; seed <= n; seed++)
			compare_one(scn, atc_timeout, report_broken, lookup, strategies[s], seed, c);
	printf("# stale-quarantine atc_timeout=%s report_broken=%s master_lookup=%s: %u runs, STALE_QUARANTINE in %u, other violations in %u, nic0 quarantined in %u, nvme0 in %u\n",
	       atc_timeout, report_broken, lookup, c->runs, c->stale, c->other, c->nic0_quarantined,
	       c->nvme0_quarantined);
}

/*
 * Each core design with the default master lookup, and the v4 series'
 * combination (worker-rcu, inv-master) whose ATC_INV -> master lookup is
 * the shared arm_smmu_inv_find_master() as well.
 */
static void test_batch_vs_retry(void **state)
{
	static const char *const designs[][2] = {
		{ "worker-rcu", "sid-lookup" },
		{ "worker-dev-iommu", "sid-lookup" },
		{ "worker-rcu", "inv-master" },
	};
	struct scenario scn;

	(void)state;
	load_shipped("stale-quarantine", &scn);
	for (size_t i = 0; i < ARRAY_SIZE(designs); i++) {
		struct compare_count batch, retry;

		compare(&scn, "quarantine-batch", designs[i][0], designs[i][1], &batch);
		assert_int_equal(batch.stale, batch.runs);
		assert_int_equal(batch.other, 0);
		assert_int_equal(batch.nvme0_quarantined, batch.runs);

		compare(&scn, "quarantine-retry", designs[i][0], designs[i][1], &retry);
		assert_int_equal(retry.stale, 0);
		assert_int_equal(retry.other, 0);
		assert_int_equal(retry.nvme0_quarantined, 0);
		assert_int_equal(retry.nic0_quarantined, retry.runs);
	}
	scenario_free(&scn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_vs_retry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
