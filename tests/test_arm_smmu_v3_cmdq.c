// SPDX-License-Identifier: MIT
/*
 * The SMMUv3 driver's command queue against the SMMUv3 model: the real
 * probe (arm_smmu_device_probe) on a queue of 8 entries, so PROD wraps
 * many times, and several producers on several CPUs issuing commands with
 * and without CMD_SYNC, under the random and pct:3 strategies, for both
 * cmdq policies and both CMD_SYNC completion methods.  Every sync must
 * return 0, every command must be consumed exactly once (the model's
 * command counter), and nothing may deadlock or warn.
 */
#include "simtest.h"

#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "hw/mem.h"
#include "hw/smmuv3/smmuv3.h"

#define PRODUCERS	3
#define ROUNDS		12

struct plat {
	struct hw_mem *mem;
	struct smmuv3 *hw;
	struct arm_smmu_device *smmu;
	struct arm_smmu_platform pf;
	int done, errors;
	uint64_t issued;
};

static int producer(void *arg)
{
	struct plat *p = arg;

	for (int r = 0; r < ROUNDS; r++) {
		struct arm_smmu_cmd cmds[3];
		struct smmuv3_cmd ent = { .opcode = SMMUV3_CMD_TLBI_NH_ASID,
					  .tlbi = { .asid = (uint16_t)(r + 1) } };
		int n = 1 + r % 3;

		for (int i = 0; i < n; i++)
			arm_smmu_cmd_build(&cmds[i], &ent);
		if (arm_smmu_cmdq_issue_cmdlist(p->smmu, &p->smmu->cmdq, cmds, n, r % 2 == 0))
			p->errors++;
		p->issued += n + (r % 2 == 0);
	}
	/* a final sync: everything before it is consumed when it returns */
	{
		struct smmuv3_cmd sync = { .opcode = SMMUV3_CMD_TLBI_NSNH_ALL };

		if (arm_smmu_cmdq_issue_cmd_with_sync(p->smmu, &sync))
			p->errors++;
		p->issued += 2;
	}
	p->done++;
	return 0;
}

static int boot(void *arg)
{
	struct plat *p = arg;

	p->smmu = arm_smmu_device_probe(&p->pf);
	assert_false(IS_ERR(p->smmu));
	for (int i = 0; i < PRODUCERS; i++)
		kthread_run_on_cpu(producer, p, i, "producer");
	return 0;
}

/* One run; returns violations + errors, 0 when all is well. */
static unsigned run_once(uint64_t seed, const char *strategy, enum pol_cmdq pol, bool msi)
{
	struct sim *s = simtest_new(PRODUCERS, seed, strategy);
	struct smmuv3_config sc;
	struct plat p = { 0 };
	unsigned bad;
	uint64_t boot_cmds;

	s->cfg.end_when_threads_done = true;
	s->cfg.duration = 20 * SIM_MS;	/* a healthy run needs well under 1 ms */
	p.mem = hw_mem_create(8ULL << 20);
	smmuv3_config_default(&sc);
	sc.name = "smmu0";
	p.hw = smmuv3_create(s, p.mem, &sc);
	p.pf = (struct arm_smmu_platform){ .name = "smmu0", .hw = p.hw, .mem = p.mem,
		.cmdq_entries = 8, .evtq_entries = 8, .priq_entries = 8, .sync_msi = msi,
		.policy = { .cmdq = pol } };
	kthread_run_on_cpu(boot, &p, 0, "boot");
	sim_run(s);
	/* the probe issues two commands, each with a CMD_SYNC */
	boot_cmds = 4;
	bad = (unsigned)s->violations->n + (unsigned)p.errors;
	if (p.done != PRODUCERS)
		bad++;
	if (smmuv3_stats(p.hw)->cmds != p.issued + boot_cmds)
		bad++;
	sim_destroy(s);
	hw_mem_destroy(p.mem);
	return bad;
}

static void sweep(enum pol_cmdq pol, bool msi)
{
	static const char *const strategies[] = { "random", "pct:3" };

	for (size_t k = 0; k < ARRAY_SIZE(strategies); k++)
		for (uint64_t seed = 1; seed <= 25; seed++) {
			unsigned bad = run_once(seed, strategies[k], pol, msi);

			if (bad)
				fail_msg("seed %llu %s: %u problems", (unsigned long long)seed,
					 strategies[k], bad);
		}
}

static void lockfree_msi(void **state) { (void)state; sweep(POL_CMDQ_LOCKFREE, true); }
static void lockfree_cons(void **state) { (void)state; sweep(POL_CMDQ_LOCKFREE, false); }
static void spinlock_msi(void **state) { (void)state; sweep(POL_CMDQ_SPINLOCK, true); }
static void spinlock_cons(void **state) { (void)state; sweep(POL_CMDQ_SPINLOCK, false); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lockfree_msi),
		cmocka_unit_test(lockfree_cons),
		cmocka_unit_test(spinlock_msi),
		cmocka_unit_test(spinlock_cons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
