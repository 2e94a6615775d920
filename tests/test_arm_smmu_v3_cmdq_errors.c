// SPDX-License-Identifier: MIT
/*
 * (Written against the contract in arm-smmu-v3.h; it runs against the
 * command queue in src/drivers/arm-smmu-v3/arm-smmu-v3-cmdq.c.)
 * The SMMUv3 driver's command queue (drivers/arm-smmu-v3/arm-smmu-v3-cmdq.c)
 * against the SMMUv3 and PCIe endpoint models, under several seeds and the
 * random and pct:3 strategies:
 *   - many producers on several CPUs through a small queue (PROD wraps many
 *     times): every command consumed exactly once, in each producer's
 *     order, every CMD_SYNC returns 0 — lock-free and spinlock policies,
 *     CMD_SYNC completion by MSI and by CONS;
 *   - an ATC_INV to an unresponsive endpoint: its issuer gets -EIO, a
 *     concurrent issuer without ATC_INV gets 0;
 *   - seed 004: GERROR affined to the issuing CPU (held off by its masked
 *     interrupts): co-clear on gives -EIO after the 1 s poll, co-clear off
 *     gives -ETIMEDOUT and a stale atc_sync_timeouts bit that the next
 *     CMD_SYNC in that slot clears; a full queue behind an unacknowledged
 *     CERROR_ILL drains only with co-clear;
 *   - CERROR_ILL replaced by a CMD_SYNC, the queue goes on;
 *   - Service Failure Mode disables the SMMU;
 *   - atc_batch_sync=deferred lets an unrelated CMD_SYNC take the -EIO.
 *
 * The platform is built here by hand, as probe would: queue memory from
 * hw_mem, registers programmed through MMIO, the GERROR line requested.
 * Commands whose consumption the test must see are CMD_SYNCs with an MSI
 * to a "marker log" word of their own (data = sequence + 1); an observer
 * task (hardware side, on no CPU) collects and clears the words as they
 * are written, so a lost, repeated or reordered command shows.
 */
#include "simtest.h"

#include <errno.h>
#include <time.h>

#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/smmuv3/smmuv3.h"

#define SID_OK		0x10	/* nic0: answers ATC invalidations */
#define SID_DEAD	0x20	/* nic1: atc_inv=unresponsive */
#define CPL_TIMEOUT	SIM_MS	/* PCIe completion timeout at the SMMU */

#define MAX_PROD	4
#define MAX_SEQ		96	/* markers per producer */

struct plat_cfg {
	int ncpus;
	int gerror_cpu;
	unsigned log2_entries;
	bool msi;
	enum pol_cmdq cmdq;
	enum pol_cmdq_err_coclear coclear;
	enum pol_atc_batch_sync batch_sync;
	sim_time_t duration;
	bool fast_smmu;		/* cmd_ns = 0: the SMMU keeps pace with the CPUs */
};

struct producer {
	struct plat *p;
	int id;
	int iters;
	int markers;		/* issued */
	int syncs;		/* CMD_SYNCs issued */
	int sync_ok, sync_bad, first_bad;
};

struct plat {
	struct plat_cfg cfg;
	struct hw_mem *mem;
	struct smmuv3 *hw;
	struct pcie_ep *ep_ok, *ep_dead;
	struct sim_irq *gerr_line;
	struct arm_smmu_device smmu;
	uint64_t cmdq_pa, log_pa;
	uint32_t *log;
	enum sim_end end;

	/* stress */
	int nprod;
	struct producer prod[MAX_PROD];
	int next[MAX_PROD];
	unsigned dups, out_of_order, bad_value;

	/* single scenarios */
	int ret_a, ret_b, rets_bad, nrets;
	bool a_done, b_done;
	s64 a_elapsed_ns;
	int stale_bits_before, stale_bits_after;
	struct completion go, b_finished;
};

static struct plat P;

/* ---- Platform ---- */

static struct pcie_ep *make_ep(struct sim *s, struct pcie_upstream *up,
			       const char *name, uint32_t sid)
{
	struct pcie_ep_config ec;
	struct pcie_ep *ep;

	pcie_ep_config_default(&ec);
	ec.name = name;
	ec.sids[0] = sid;
	ec.nsids = 1;
	ec.ats = true;
	ec.atc_entries = 8;
	ec.inv_queue_depth = 8;
	ec.atc_inv_latency = 2 * SIM_US;
	ec.completion_timeout = CPL_TIMEOUT;
	ep = pcie_ep_create(s, &ec, up);
	assert_non_null(ep);
	pcie_ep_cfg_write(ep, PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL, 2, PCI_ATS_CTRL_ENABLE);
	return ep;
}

static void plat_build(struct sim *s, struct plat *p)
{
	struct arm_smmu_device *smmu = &p->smmu;
	struct arm_smmu_queue *q = &smmu->cmdq.q;
	size_t qbytes = (size_t)16 << p->cfg.log2_entries;
	struct smmuv3_config sc;
	struct pcie_upstream up;
	int irq;

	p->mem = hw_mem_create(16ULL << 20);
	assert_non_null(p->mem);
	irq = irq_line_create("smmu0-gerror", p->cfg.gerror_cpu, &p->gerr_line);
	assert_true(irq > 0);

	smmuv3_config_default(&sc);
	sc.name = "smmu0";
	sc.irq[SMMUV3_IRQ_GERROR] = p->gerr_line;
	if (p->cfg.fast_smmu)
		sc.cmd_ns = 0;
	p->hw = smmuv3_create(s, p->mem, &sc);
	assert_non_null(p->hw);
	up = smmuv3_upstream(p->hw);
	p->ep_ok = make_ep(s, &up, "nic0", SID_OK);
	p->ep_dead = make_ep(s, &up, "nic1", SID_DEAD);
	assert_int_equal(pcie_ep_set_knob(p->ep_dead, "atc_inv", "unresponsive", NULL, 0), 0);
	assert_int_equal(smmuv3_connect(p->hw, SID_OK, p->ep_ok, CPL_TIMEOUT), 0);
	assert_int_equal(smmuv3_connect(p->hw, SID_DEAD, p->ep_dead, CPL_TIMEOUT), 0);

	assert_int_equal(hw_mem_alloc(p->mem, DIV_ROUND_UP(qbytes, 4096), "smmu0 cmdq",
				      &p->cmdq_pa), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "marker log", &p->log_pa), 0);
	p->log = hw_mem_ptr(p->mem, p->log_pa, 4096);
	assert_non_null(p->log);

	/* what probe would do */
	memset(smmu, 0, sizeof(*smmu));
	smmu->dev.name = "smmu0";
	smmu->hw = p->hw;
	smmu->mem = p->mem;
	smmu->features = ARM_SMMU_FEAT_ATS | ARM_SMMU_FEAT_MSI;
	smmu->sync_msi = p->cfg.msi;
	smmu->policy.cmdq = p->cfg.cmdq;
	smmu->policy.cmdq_err_coclear = p->cfg.coclear;
	smmu->policy.atc_batch_sync = p->cfg.batch_sync;
	smmu->policy.atc_timeout = POL_ATC_TIMEOUT_IGNORE;
	q->llq.max_n_shift = p->cfg.log2_entries;
	q->base = hw_mem_ptr(p->mem, p->cmdq_pa, qbytes);
	q->base_dma = p->cmdq_pa;
	q->q_base = p->cmdq_pa | p->cfg.log2_entries;
	q->ent_dwords = CMDQ_ENT_DWORDS;
	q->prod_reg = SMMUV3_CMDQ_PROD;
	q->cons_reg = SMMUV3_CMDQ_CONS;
	assert_int_equal(arm_smmu_cmdq_init(smmu, &smmu->cmdq, arm_smmu_cmdq_err_handler), 0);
	smmu->gerr_irq = irq;

	arm_smmu_writeq(smmu, SMMUV3_CMDQ_BASE, q->q_base);
	arm_smmu_writel(smmu, SMMUV3_CMDQ_PROD, 0);
	arm_smmu_writel(smmu, SMMUV3_CMDQ_CONS, 0);
	arm_smmu_writel(smmu, SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	arm_smmu_writel(smmu, SMMUV3_CR0, SMMUV3_CR0_CMDQEN | SMMUV3_CR0_SMMUEN);
	assert_int_equal(arm_smmu_readl(smmu, SMMUV3_CR0ACK),
			 SMMUV3_CR0_CMDQEN | SMMUV3_CR0_SMMUEN);
	assert_int_equal(request_irq(irq, arm_smmu_gerror_handler, 0, "arm-smmu-v3-gerror",
				     smmu), 0);
	s->cfg.end_when_threads_done = true;
	if (p->cfg.duration)
		s->cfg.duration = p->cfg.duration;
}

typedef void (*scenario_fn)(struct sim *s, struct plat *p);

/* A fresh platform with @cfg, the scenario's tasks, one run. */
static struct sim *plat_run(const struct plat_cfg *cfg, uint64_t seed, const char *strategy,
			    scenario_fn fn)
{
	struct sim *s;

	memset(&P, 0, sizeof(P));
	P.cfg = *cfg;
	s = simtest_new(cfg->ncpus, seed, strategy);
	plat_build(s, &P);
	fn(s, &P);
	P.end = sim_run(s);
	return s;
}

static void plat_done(struct sim *s)
{
	sim_destroy(s);
	hw_mem_destroy(P.mem);
}

static void expect_no_violations(struct sim *s, uint64_t seed, const char *strategy)
{
	if (s->violations->n) {
		fprintf(stderr, "seed %llu (%s):\n", (unsigned long long)seed, strategy);
		violation_print(stderr, &s->violations->v[0]);
		klog_print(s, stderr);
		fail_msg("%zu violation(s)", s->violations->n);
	}
}

static const struct plat_cfg base_cfg = {
	.ncpus = 3,
	.gerror_cpu = 2,
	.log2_entries = 4,
	.msi = true,
	.cmdq = POL_CMDQ_LOCKFREE,
	.coclear = POL_CMDQ_ERR_COCLEAR_ON,
	.batch_sync = POL_ATC_BATCH_SYNC_PER_BATCH,
};

static const char *const strategies[] = { "random", "pct:3" };

/* ---- Stress: many producers, small queue ---- */

static void marker(struct plat *p, struct arm_smmu_cmd *cmd, int id, int seq)
{
	struct smmuv3_cmd c = {
		.opcode = SMMUV3_CMD_SYNC,
		.sync = {
			.cs = SMMUV3_CMD_SYNC_CS_IRQ,
			.msh = SMMUV3_SH_ISH,
			.msiattr = SMMUV3_MEMATTR_OIWB,
			.msidata = (uint32_t)seq + 1,
			.msiaddr = p->log_pa + 4ULL * ((uint64_t)id * MAX_SEQ + (uint64_t)seq),
		},
	};

	assert_true(seq < MAX_SEQ);
	assert_int_equal(arm_smmu_cmd_build(cmd, &c), 0);
}

/* Collect marker writes: each must be the producer's next one, once. */
static void observer_scan(struct plat *p)
{
	for (int i = 0; i < p->nprod; i++) {
		for (int seq = 0; seq < MAX_SEQ; seq++) {
			uint32_t *w = &p->log[i * MAX_SEQ + seq];

			if (!*w)
				continue;
			if (*w != (uint32_t)seq + 1)
				p->bad_value++;
			else if (seq < p->next[i])
				p->dups++;
			else if (seq > p->next[i])
				p->out_of_order++;
			else
				p->next[i]++;
			*w = 0;
		}
	}
}

static void observer_fn(void *arg)
{
	struct plat *p = arg;

	for (;;) {
		observer_scan(p);
		sim_wfe_wait("marker log", p->log);
	}
}

static void producer_fn(void *arg)
{
	struct producer *pr = arg;
	struct plat *p = pr->p;
	int seq = 0;

	for (int it = 0; it < pr->iters; it++) {
		struct arm_smmu_cmd cmds[3];
		int n = 1 + (it + pr->id) % 3;
		bool sync = (it % 2) == 1 || it == pr->iters - 1;
		int ret;

		for (int k = 0; k < n; k++)
			marker(p, &cmds[k], pr->id, seq++);
		ret = arm_smmu_cmdq_issue_cmdlist(&p->smmu, &p->smmu.cmdq, cmds, n, sync);
		pr->syncs += sync;
		if (ret == 0 && sync) {
			pr->sync_ok++;
		} else if (ret) {
			if (!pr->sync_bad)
				pr->first_bad = ret;
			pr->sync_bad++;
		}
	}
	pr->markers = seq;
}

static void stress_scenario(struct sim *s, struct plat *p)
{
	static const char *const names[MAX_PROD] = { "prod0", "prod1", "prod2", "prod3" };

	p->nprod = MAX_PROD;
	for (int i = 0; i < p->nprod; i++) {
		p->prod[i] = (struct producer){ .p = p, .id = i, .iters = 20 };
		spawn(s, names[i], i % s->cfg.ncpus, producer_fn, &p->prod[i]);
	}
	assert_non_null(sim_task_create(s, "observer", SIM_TASK_HW, -1, true, observer_fn, p));
}

static uint64_t stress_cmds_total, stress_runs;

static void check_stress_run(struct sim *s, uint64_t seed, const char *strategy)
{
	uint64_t expect = 0;

	expect_no_violations(s, seed, strategy);
	assert_int_equal(P.end, SIM_END_ALL_DONE);
	observer_scan(&P);
	for (int i = 0; i < P.nprod; i++) {
		struct producer *pr = &P.prod[i];

		if (pr->sync_bad)
			fail_msg("seed %llu %s: producer %d: %d CMD_SYNC(s) failed, first %d",
				 (unsigned long long)seed, strategy, i, pr->sync_bad, pr->first_bad);
		assert_int_equal(pr->sync_ok, pr->syncs);
		if (P.next[i] != pr->markers)
			fail_msg("seed %llu %s: producer %d: %d of %d markers seen in order",
				 (unsigned long long)seed, strategy, i, P.next[i], pr->markers);
		expect += (uint64_t)pr->markers + (uint64_t)pr->syncs;
	}
	if (P.dups || P.out_of_order || P.bad_value)
		fail_msg("seed %llu %s: %u repeated, %u out of order, %u corrupt markers",
			 (unsigned long long)seed, strategy, P.dups, P.out_of_order, P.bad_value);
	/* consumed exactly: nothing lost, nothing consumed twice */
	assert_int_equal(smmuv3_stats(P.hw)->cmds, expect);
	assert_int_equal(smmuv3_stats(P.hw)->cmd_errors[SMMUV3_CERROR_ILL], 0);
	assert_int_equal(P.smmu.stats.sync_eio + P.smmu.stats.sync_etimedout, 0);
	/* the queue wrapped many times */
	assert_true(expect > 8u << P.cfg.log2_entries);
	stress_cmds_total += expect;
	stress_runs++;
}

/*
 * CPU work costs no virtual time and the SMMU spends cmd_ns per command,
 * so with the default cost a producer always finishes its stores before
 * the SMMU gets to them; a zero-cost SMMU leaves every interleaving to the
 * strategy.  Both are run.
 */
static void stress(const struct plat_cfg *cfg_in, unsigned seeds)
{
	struct plat_cfg cfg = *cfg_in;

	for (int fast = 0; fast < 2; fast++) {
		cfg.fast_smmu = fast;
		for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
			for (uint64_t seed = 1; seed <= seeds; seed++) {
				struct sim *s = plat_run(&cfg, seed, strategies[k],
							 stress_scenario);

				check_stress_run(s, seed, strategies[k]);
				plat_done(s);
			}
		}
	}
}

static void stress_lockfree_msi(void **state)
{
	struct plat_cfg cfg = base_cfg;
	clock_t t0 = clock();
	double secs;

	(void)state;
	stress_cmds_total = stress_runs = 0;
	stress(&cfg, 30);
	cfg.log2_entries = 3;
	stress(&cfg, 30);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	print_message("lock-free/MSI: %llu runs, %llu commands, %.0f commands/s of host CPU\n",
		      (unsigned long long)stress_runs, (unsigned long long)stress_cmds_total,
		      secs > 0 ? (double)stress_cmds_total / secs : 0.0);
}

static void stress_lockfree_cons(void **state)
{
	struct plat_cfg cfg = base_cfg;

	(void)state;
	cfg.msi = false;
	stress(&cfg, 30);
	cfg.log2_entries = 3;
	stress(&cfg, 30);
}

static void stress_spinlock(void **state)
{
	struct plat_cfg cfg = base_cfg;

	(void)state;
	cfg.cmdq = POL_CMDQ_SPINLOCK;
	stress(&cfg, 20);
	cfg.msi = false;
	cfg.log2_entries = 3;
	stress(&cfg, 20);
}

/* ---- ATC_INV to an unresponsive endpoint ---- */

static void atc_inv_dead(struct smmuv3_cmd *c)
{
	*c = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_ATC_INV,
				  .atc_inv = { .sid = SID_DEAD, .size = SMMUV3_ATC_INV_SIZE_ALL } };
}

static void tlbi(struct smmuv3_cmd *c)
{
	*c = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_ASID, .tlbi = { .asid = 1 } };
}

static void atc_issuer_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd c;
	ktime_t t0 = ktime_get();

	atc_inv_dead(&c);
	p->ret_a = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);
	p->a_elapsed_ns = ktime_get() - t0;
	p->a_done = true;
}

static void bystander_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd c;

	tlbi(&c);
	for (int i = 0; i < 6; i++) {
		int ret = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);

		p->nrets++;
		if (ret)
			p->rets_bad++;
	}
}

static void atc_concurrent_scenario(struct sim *s, struct plat *p)
{
	spawn(s, "atc-issuer", 0, atc_issuer_fn, p);
	spawn(s, "bystander", 1, bystander_fn, p);
}

static void atc_timeout_eio_for_issuer_only(void **state)
{
	struct plat_cfg cfg = base_cfg;

	(void)state;
	for (int variant = 0; variant < 4; variant++) {
		cfg.msi = variant & 1;
		cfg.cmdq = variant & 2 ? POL_CMDQ_SPINLOCK : POL_CMDQ_LOCKFREE;
		for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
			for (uint64_t seed = 1; seed <= 8; seed++) {
				struct sim *s = plat_run(&cfg, seed, strategies[k],
							 atc_concurrent_scenario);

				expect_no_violations(s, seed, strategies[k]);
				assert_int_equal(P.end, SIM_END_ALL_DONE);
				if (P.ret_a != -EIO || P.rets_bad)
					fail_msg("variant %d seed %llu %s: issuer %d, bystander %d of %d failed",
						 variant, (unsigned long long)seed, strategies[k],
						 P.ret_a, P.rets_bad, P.nrets);
				assert_int_equal(P.smmu.stats.sync_eio, 1);
				assert_int_equal(klog_count(s, "CMD_SYNC for ATC_INV timeout at prod="), 1);
				assert_int_equal(klog_count(s, "ATC invalidate timeout"), 1);
				/* no stale bit is left behind */
				assert_true(bitmap_empty(P.smmu.cmdq.atc_sync_timeouts, 16));
				plat_done(s);
			}
		}
	}
}

/*
 * An ATC_INV issued without a CMD_SYNC times out; the next CMD_SYNC, from
 * an unrelated thread, is the one the SMMU stops at, so that thread gets
 * -EIO (what atc_batch_sync=deferred risks).  With a zero-cost SMMU the
 * GERROR handler may mark the slot right after it is published: the
 * issuer must have cleared the slot's old bit before publishing, or it
 * would erase this fresh one and return 0.
 */
static void unsynced_atc_fn(void *arg)
{
	struct plat *p = arg;
	struct arm_smmu_cmd cmd;
	struct smmuv3_cmd c;

	atc_inv_dead(&c);
	assert_int_equal(arm_smmu_cmd_build(&cmd, &c), 0);
	p->ret_b = arm_smmu_cmdq_issue_cmdlist(&p->smmu, &p->smmu.cmdq, &cmd, 1, false);
}

static void late_syncer_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd c;

	msleep(2);	/* past the completion timeout */
	tlbi(&c);
	p->ret_a = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);
}

static void unsynced_atc_scenario(struct sim *s, struct plat *p)
{
	spawn(s, "atc-nosync", 1, unsynced_atc_fn, p);
	spawn(s, "late-syncer", 0, late_syncer_fn, p);
}

static void unsynced_atc_blames_next_sync(void **state)
{
	(void)state;
	for (int variant = 0; variant < 4; variant++) {
		struct plat_cfg cfg = base_cfg;

		cfg.fast_smmu = true;
		cfg.msi = variant & 1;
		cfg.cmdq = variant & 2 ? POL_CMDQ_SPINLOCK : POL_CMDQ_LOCKFREE;
		for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
			for (uint64_t seed = 1; seed <= 40; seed++) {
				struct sim *s = plat_run(&cfg, seed, strategies[k],
							 unsynced_atc_scenario);

				expect_no_violations(s, seed, strategies[k]);
				assert_int_equal(P.end, SIM_END_ALL_DONE);
				assert_int_equal(P.ret_b, 0);
				if (P.ret_a != -EIO)
					fail_msg("variant %d seed %llu %s: the CMD_SYNC after the timed-out ATC_INV returned %d",
						 variant, (unsigned long long)seed, strategies[k], P.ret_a);
				assert_true(bitmap_empty(P.smmu.cmdq.atc_sync_timeouts, 16));
				plat_done(s);
			}
		}
	}
}

/* ---- Seed 004: GERROR pending on the issuing CPU ---- */

static int stale_bits(struct plat *p)
{
	return (int)bitmap_weight(p->smmu.cmdq.atc_sync_timeouts,
				  1u << p->cfg.log2_entries);
}

static void masked_issuer_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd c;

	atc_issuer_fn(p);
	/* interrupts are back on: a GERROR held off is taken now */
	msleep(1);
	p->stale_bits_before = stale_bits(p);
	/* reuse every slot twice, the stale one included */
	tlbi(&c);
	for (int i = 0; i < (2 << p->cfg.log2_entries); i++) {
		p->nrets++;
		if (arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c))
			p->rets_bad++;
	}
	p->stale_bits_after = stale_bits(p);
}

static void masked_scenario(struct sim *s, struct plat *p)
{
	spawn(s, "atc-issuer", 0, masked_issuer_fn, p);
}

static void gerror_on_issuing_cpu(void **state)
{
	(void)state;
	for (int coclear = 0; coclear < 2; coclear++) {
		for (int variant = 0; variant < 4; variant++) {
			struct plat_cfg cfg = base_cfg;

			cfg.gerror_cpu = 0;
			cfg.coclear = coclear ? POL_CMDQ_ERR_COCLEAR_OFF : POL_CMDQ_ERR_COCLEAR_ON;
			cfg.msi = variant & 1;
			cfg.cmdq = variant & 2 ? POL_CMDQ_SPINLOCK : POL_CMDQ_LOCKFREE;
			for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
				for (uint64_t seed = 1; seed <= 3; seed++) {
					struct sim *s = plat_run(&cfg, seed, strategies[k],
								 masked_scenario);

					expect_no_violations(s, seed, strategies[k]);
					assert_int_equal(P.end, SIM_END_ALL_DONE);
					/* the whole 1 s poll ran before anything else */
					assert_true(P.a_elapsed_ns >= (s64)SIM_S);
					if (!coclear) {
						assert_int_equal(P.ret_a, -EIO);
						assert_true(P.smmu.stats.coclears >= 1);
						assert_int_equal(P.stale_bits_before, 0);
						assert_int_equal(klog_count(s, "CMD_SYNC for ATC_INV timeout"), 1);
					} else {
						assert_int_equal(P.ret_a, -ETIMEDOUT);
						assert_int_equal(P.smmu.stats.coclears, 0);
						/* the late handler marked the abandoned slot */
						assert_int_equal(P.stale_bits_before, 1);
						assert_int_equal(klog_count(s, "CMD_SYNC timeout at"), 1);
					}
					/* and the next CMD_SYNC in that slot cleared it */
					if (P.rets_bad)
						fail_msg("coclear %s variant %d seed %llu %s: %d of %d later syncs failed",
							 coclear ? "off" : "on", variant,
							 (unsigned long long)seed, strategies[k],
							 P.rets_bad, P.nrets);
					assert_int_equal(P.stale_bits_after, 0);
					plat_done(s);
				}
			}
		}
	}
}

/*
 * Patch 16: a caller with interrupts already masked (say, an IRQ handler)
 * fills the queue behind a CERROR_ILL the GERROR handler cannot take.
 */
static void full_queue_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd bad = { .opcode = SMMUV3_CMD_SYNC, .sync = { .cs = 3 } };
	struct arm_smmu_cmd cmd;
	unsigned long flags;
	struct smmuv3_cmd c;

	local_irq_save(flags);
	assert_int_equal(arm_smmu_cmd_build(&cmd, &bad), 0);
	p->ret_b = arm_smmu_cmdq_issue_cmdlist(&p->smmu, &p->smmu.cmdq, &cmd, 1, false);
	tlbi(&c);
	assert_int_equal(arm_smmu_cmd_build(&cmd, &c), 0);
	for (int i = 0; i < (2 << p->cfg.log2_entries); i++)
		if (arm_smmu_cmdq_issue_cmdlist(&p->smmu, &p->smmu.cmdq, &cmd, 1, false))
			p->rets_bad++;
	p->ret_a = arm_smmu_cmdq_issue_cmdlist(&p->smmu, &p->smmu.cmdq, NULL, 0, true);
	local_irq_restore(flags);
	p->a_done = true;
}

static void full_queue_scenario(struct sim *s, struct plat *p)
{
	spawn(s, "irq-ctx-issuer", 0, full_queue_fn, p);
}

static void full_queue_coclear(void **state)
{
	(void)state;
	for (int coclear = 0; coclear < 2; coclear++) {
		for (int pol = 0; pol < 2; pol++) {
			struct plat_cfg cfg = base_cfg;

			cfg.gerror_cpu = 0;
			cfg.coclear = coclear ? POL_CMDQ_ERR_COCLEAR_OFF : POL_CMDQ_ERR_COCLEAR_ON;
			cfg.cmdq = pol ? POL_CMDQ_SPINLOCK : POL_CMDQ_LOCKFREE;
			cfg.duration = 200 * SIM_US;
			for (uint64_t seed = 1; seed <= 3; seed++) {
				struct sim *s = plat_run(&cfg, seed, "random", full_queue_scenario);

				expect_no_violations(s, seed, "random");
				assert_int_equal(smmuv3_stats(P.hw)->cmd_errors[SMMUV3_CERROR_ILL], 1);
				if (!coclear) {
					assert_int_equal(P.end, SIM_END_ALL_DONE);
					assert_true(P.a_done);
					assert_int_equal(P.ret_b, 0);
					assert_int_equal(P.rets_bad, 0);
					assert_int_equal(P.ret_a, 0);
					assert_int_equal(P.smmu.stats.coclears, 1);
					assert_int_equal(klog_count(s, "Illegal command"), 1);
				} else {
					/*
					 * The lock-up: the producer spins for space
					 * until the run's end (the exclusive refresh
					 * always "succeeds", so not even a "CMDQ
					 * timeout" line), the SMMU stopped at the
					 * illegal command.
					 */
					assert_int_equal(P.end, SIM_END_DURATION);
					assert_false(P.a_done);
					assert_int_equal(klog_count(s, "Illegal command"), 0);
					assert_true(FIELD_GET(SMMUV3_CMDQ_CONS_ERR,
							      smmuv3_read32(P.hw, SMMUV3_CMDQ_CONS)) ==
						    SMMUV3_CERROR_ILL);
				}
				plat_done(s);
			}
		}
	}
}

/* ---- CERROR_ILL: replaced by a CMD_SYNC ---- */

static void ill_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd bad, c;
	struct arm_smmu_cmd cmd;

	/* ATC_INV Size > 52 is illegal but representable */
	bad = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_ATC_INV,
				   .atc_inv = { .sid = SID_OK, .size = 60 } };
	assert_int_equal(arm_smmu_cmd_build(&cmd, &bad), 0);
	p->ret_a = arm_smmu_cmdq_issue_cmdlist(&p->smmu, &p->smmu.cmdq, &cmd, 1, true);
	tlbi(&c);
	p->ret_b = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);
}

static void ill_scenario(struct sim *s, struct plat *p)
{
	spawn(s, "ill-issuer", 0, ill_fn, p);
	spawn(s, "bystander", 1, bystander_fn, p);
}

static void cerror_ill_skipped(void **state)
{
	struct plat_cfg cfg = base_cfg;

	(void)state;
	cfg.log2_entries = 6;	/* no wrap: the replaced slot stays visible */
	for (int variant = 0; variant < 4; variant++) {
		cfg.msi = variant & 1;
		cfg.cmdq = variant & 2 ? POL_CMDQ_SPINLOCK : POL_CMDQ_LOCKFREE;
		for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
			for (uint64_t seed = 1; seed <= 6; seed++) {
				struct sim *s = plat_run(&cfg, seed, strategies[k], ill_scenario);
				uint64_t slot[2];
				struct smmuv3_cmd dec;
				int found = 0;

				expect_no_violations(s, seed, strategies[k]);
				assert_int_equal(P.end, SIM_END_ALL_DONE);
				assert_int_equal(P.ret_a, 0);
				assert_int_equal(P.ret_b, 0);
				assert_int_equal(P.rets_bad, 0);
				assert_int_equal(smmuv3_stats(P.hw)->cmd_errors[SMMUV3_CERROR_ILL], 1);
				assert_int_equal(klog_count(s, "Illegal command"), 1);
				assert_int_equal(klog_count(s, "skipping command in error state:"), 1);
				/* the illegal ATC_INV is gone from queue memory, a CMD_SYNC took its place */
				for (unsigned i = 0; i < (1u << cfg.log2_entries); i++) {
					memcpy(slot, P.smmu.cmdq.q.base + 2 * i, sizeof(slot));
					smmuv3_cmd_decode(slot, &dec, true, true);
					assert_false(dec.opcode == SMMUV3_CMD_ATC_INV);
					if (dec.opcode == SMMUV3_CMD_SYNC &&
					    dec.sync.cs == SMMUV3_CMD_SYNC_CS_SEV && !dec.sync.msiaddr)
						found++;
				}
				assert_true(found >= 1);
				plat_done(s);
			}
		}
	}
}

/* ---- Service Failure Mode ---- */

static void sfm_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd c;

	tlbi(&c);
	p->ret_b = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);
	smmuv3_inject_sfm(p->hw);
	p->ret_a = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);
}

static void sfm_scenario(struct sim *s, struct plat *p)
{
	spawn(s, "issuer", 0, sfm_fn, p);
}

static void sfm_disables(void **state)
{
	struct plat_cfg cfg = base_cfg;

	(void)state;
	for (int msi = 0; msi < 2; msi++) {
		cfg.msi = msi;
		for (uint64_t seed = 1; seed <= 4; seed++) {
			struct sim *s = plat_run(&cfg, seed, seed & 1 ? "random" : "pct:3",
						 sfm_scenario);

			expect_no_violations(s, seed, "sfm");
			assert_int_equal(P.end, SIM_END_ALL_DONE);
			assert_int_equal(P.ret_b, 0);
			assert_int_equal(P.ret_a, -ETIMEDOUT);
			assert_true(P.smmu.disabled);
			assert_int_equal(smmuv3_read32(P.hw, SMMUV3_CR0), 0);
			assert_int_equal(smmuv3_read32(P.hw, SMMUV3_CR0ACK), 0);
			assert_int_equal(klog_count(s, "device has entered Service Failure Mode!"), 1);
			assert_int_equal(klog_count(s, "unexpected global error reported (0x00000100)"), 1);
			/* acknowledged: nothing active any more */
			assert_int_equal(smmuv3_read32(P.hw, SMMUV3_GERROR) ^
					 smmuv3_read32(P.hw, SMMUV3_GERRORN), 0);
			plat_done(s);
		}
	}
}

/* ---- Batches: atc_batch_sync per-batch vs deferred ---- */

static void batch_owner_fn(void *arg)
{
	struct plat *p = arg;
	struct arm_smmu_cmdq_batch *cmds = kzalloc(sizeof(*cmds), GFP_KERNEL);
	struct smmuv3_cmd c;

	arm_smmu_cmdq_batch_init(&p->smmu, cmds, NULL);
	atc_inv_dead(&c);
	arm_smmu_cmdq_batch_add(&p->smmu, cmds, &c);
	assert_true(cmds->has_ats);
	tlbi(&c);
	for (int i = 1; i < CMDQ_BATCH_ENTRIES; i++)
		arm_smmu_cmdq_batch_add(&p->smmu, cmds, &c);
	assert_int_equal(cmds->num, CMDQ_BATCH_ENTRIES);
	/* the 65th issues the full batch first */
	arm_smmu_cmdq_batch_add(&p->smmu, cmds, &c);
	assert_int_equal(cmds->num, 1);
	assert_false(cmds->has_ats);
	complete(&p->go);
	wait_for_completion(&p->b_finished);
	p->ret_a = arm_smmu_cmdq_batch_submit(&p->smmu, cmds);
	kfree(cmds);
}

static void batch_bystander_fn(void *arg)
{
	struct plat *p = arg;
	struct smmuv3_cmd c;

	wait_for_completion(&p->go);
	tlbi(&c);
	p->ret_b = arm_smmu_cmdq_issue_cmd_with_sync(&p->smmu, &c);
	complete(&p->b_finished);
}

static void batch_scenario(struct sim *s, struct plat *p)
{
	init_completion(&p->go);
	init_completion(&p->b_finished);
	spawn(s, "batcher", 0, batch_owner_fn, p);
	spawn(s, "bystander", 1, batch_bystander_fn, p);
}

static void batch_sync_policy(void **state)
{
	(void)state;
	for (int deferred = 0; deferred < 2; deferred++) {
		for (int variant = 0; variant < 4; variant++) {
			struct plat_cfg cfg = base_cfg;

			cfg.log2_entries = 7;
			cfg.msi = variant & 1;
			cfg.cmdq = variant & 2 ? POL_CMDQ_SPINLOCK : POL_CMDQ_LOCKFREE;
			cfg.batch_sync = deferred ? POL_ATC_BATCH_SYNC_DEFERRED :
						    POL_ATC_BATCH_SYNC_PER_BATCH;
			for (size_t k = 0; k < ARRAY_SIZE(strategies); k++) {
				for (uint64_t seed = 1; seed <= 3; seed++) {
					struct sim *s = plat_run(&cfg, seed, strategies[k],
								 batch_scenario);

					expect_no_violations(s, seed, strategies[k]);
					assert_int_equal(P.end, SIM_END_ALL_DONE);
					assert_int_equal(P.ret_a, 0);
					assert_int_equal(P.smmu.stats.sync_eio, 1);
					/* deferred: the unrelated CMD_SYNC takes the blame */
					assert_int_equal(P.ret_b, deferred ? -EIO : 0);
					plat_done(s);
				}
			}
		}
	}
}

/* ---- Small pieces ---- */

static void cmd_build_and_init(void **state)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_TLBI_NH_ASID, .tlbi = { .asid = 7 } };
	struct arm_smmu_cmd cmd;
	struct sim *s = simtest_new(1, 1, "rr");
	struct arm_smmu_device *smmu = calloc(1, sizeof(*smmu));

	(void)state;
	assert_int_equal(arm_smmu_cmd_build(&cmd, &c), 0);
	assert_int_equal(cmd.data[0] & 0xff, SMMUV3_CMD_TLBI_NH_ASID);
	assert_int_equal(FIELD_GET(SMMUV3_CMD_TLBI_0_ASID, cmd.data[0]), 7);
	c.opcode = 0xee;
	assert_int_equal(arm_smmu_cmd_build(&cmd, &c), -EINVAL);
	assert_int_equal(cmd.data[0] | cmd.data[1], 0);

	smmu->cmdq.q.llq.max_n_shift = 8;
	assert_int_equal(arm_smmu_cmdq_init(smmu, &smmu->cmdq, NULL), 0);
	assert_non_null(smmu->cmdq.valid_map);
	assert_non_null(smmu->cmdq.atc_sync_timeouts);
	assert_true(bitmap_empty(smmu->cmdq.atc_sync_timeouts, 256));
	assert_int_equal(atomic_read(&smmu->cmdq.lock), 0);
	assert_null(smmu->cmdq.cmdq_err_handler);
	free(smmu);
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmd_build_and_init),
		cmocka_unit_test(stress_lockfree_msi),
		cmocka_unit_test(stress_lockfree_cons),
		cmocka_unit_test(stress_spinlock),
		cmocka_unit_test(atc_timeout_eio_for_issuer_only),
		cmocka_unit_test(unsynced_atc_blames_next_sync),
		cmocka_unit_test(gerror_on_issuing_cpu),
		cmocka_unit_test(full_queue_coclear),
		cmocka_unit_test(cerror_ill_skipped),
		cmocka_unit_test(sfm_disables),
		cmocka_unit_test(batch_sync_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
