// SPDX-License-Identifier: MIT
/*
 * The SMMUv2 model, register by register: ID registers, FSR write-1-to-
 * clear (SS read-only), FAR/FSYNR0 and MULTI, stall and RESUME (retry,
 * terminate, ignored without a stall), the context interrupt level with
 * CFIE and - on an implementation where it does - with SS, a shared line,
 * and the checkers that watch it: STALL_HANG when nobody resumes (the
 * interrupt masked by CFIE), IRQ_STORM when SS alone holds the line up.
 */
#include "simtest.h"

#include "check/irq_storm.h"
#include "check/stall_hang.h"
#include "hw/mem.h"
#include "hw/pgtable.h"
#include "hw/smmu/smmuv2.h"
#include "hw/smmu/smmuv2_regs.h"

#define IOVA_MAPPED	0x10000ULL
#define IOVA_HOLE	0x40000000ULL

struct rig {
	struct sim *s;
	struct hw_mem *mem;
	struct smmuv2 *smmu;
	struct sim_irq *line;
	uint64_t root, page;
	int access_ret[4];
	bool access_done[4];
	int deliveries;
};

static struct rig R;

static uint32_t cb(unsigned n, uint32_t reg)
{
	return smmuv2_cb_base(R.smmu, n) + reg;
}

/* Counts, then holds the line off at the controller (no storm at one instant). */
static void line_handler(struct sim_irq *irq, void *arg)
{
	R.deliveries++;
	sim_irq_disable(irq);
}

/* Two banks, both on one line; bank n translates SID n through R.root. */
static void rig_setup(bool ss_irq, bool stall)
{
	struct smmuv2_config cfg;

	memset(&R, 0, sizeof(R));
	R.s = simtest_new(1, 1, "random");
	R.mem = hw_mem_create(16 << 20);
	R.line = sim_irq_create(R.s, "ctx", 0, line_handler, NULL);
	smmuv2_config_default(&cfg);
	cfg.name = "smmu0";
	cfg.num_cbs = 2;
	cfg.ss_asserts_irq = ss_irq;
	cfg.cb_irq[0] = cfg.cb_irq[1] = R.line;
	R.smmu = smmuv2_create(R.s, R.mem, &cfg);
	assert_non_null(R.smmu);
	assert_int_equal(hw_mem_alloc(R.mem, 1, "root", &R.root), 0);
	assert_int_equal(hw_mem_alloc(R.mem, 1, "page", &R.page), 0);
	assert_int_equal(hw_pgtable_map(R.mem, R.root, IOVA_MAPPED, R.page, HW_PERM_R | HW_PERM_W,
					"t"), 0);
	for (unsigned n = 0; n < 2; n++) {
		smmuv2_write32(R.smmu, SMMUV2_GR0_S2CR(n),
			       FIELD_PREP(SMMUV2_S2CR_TYPE, SMMUV2_S2CR_TYPE_TRANS) | n);
		smmuv2_write64(R.smmu, cb(n, SMMUV2_CB_TTBR0), R.root);
		smmuv2_write32(R.smmu, cb(n, SMMUV2_CB_SCTLR),
			       SMMUV2_SCTLR_M | SMMUV2_SCTLR_CFIE | SMMUV2_SCTLR_CFRE |
			       (stall ? SMMUV2_SCTLR_CFCFG : 0));
	}
	smmuv2_write32(R.smmu, SMMUV2_GR0_sCR0, 0);
}

static void rig_teardown(void)
{
	sim_destroy(R.s);
	hw_mem_destroy(R.mem);
}

struct access_arg {
	int slot;
	uint32_t sid;
	uint64_t iova;
	bool write;
};

static struct access_arg args[4];

static void access_fn(void *arg)
{
	struct access_arg *a = arg;
	struct smmuv2_txn t = { .device = "gpu", .sid = a->sid, .iova = a->iova, .write = a->write };
	uint64_t v = 0x55;

	R.access_ret[a->slot] = smmuv2_access(R.smmu, &t, &v, sizeof(v));
	R.access_done[a->slot] = true;
}

static void start_access(int slot, uint32_t sid, uint64_t iova, bool write)
{
	args[slot] = (struct access_arg){ slot, sid, iova, write };
	sim_task_create(R.s, "master", SIM_TASK_HW, -1, true, access_fn, &args[slot]);
}

/* A script task: runs @fn as the "CPU". */
static void (*script)(void);
static void script_fn(void *arg)
{
	script();
}

static void run_script(void (*fn)(void))
{
	script = fn;
	sim_task_create(R.s, "script", SIM_TASK_THREAD, 0, false, script_fn, NULL);
	sim_run(R.s);
}

static void settle(sim_time_t ns)
{
	sim_delay(ns);
	sim_settle();
	assert_null(smmuv2_cb_invariant(R.smmu));
}

/* ---- ID registers and the reset state ---- */

static void test_id_registers(void **state)
{
	struct smmuv2_config cfg;
	struct sim *s = simtest_new(1, 1, "random");
	struct hw_mem *mem = hw_mem_create(1 << 20);
	struct smmuv2 *smmu;
	unsigned w;

	smmuv2_config_default(&cfg);
	cfg.num_cbs = 5;
	cfg.sid_bits = 6;
	smmu = smmuv2_create(s, mem, &cfg);
	assert_int_equal(FIELD_GET(SMMUV2_ID1_NUMCB, smmuv2_read32(smmu, SMMUV2_GR0_ID1)), 5);
	/* NUMPAGE = 2^(NUMPAGENDXB + 1) = 8 >= 5 banks; bank 0 at page 8. */
	assert_int_equal(FIELD_GET(SMMUV2_ID1_NUMPAGENDXB, smmuv2_read32(smmu, SMMUV2_GR0_ID1)), 2);
	assert_int_equal(smmuv2_cb_base(smmu, 0), 8 << 12);
	assert_int_equal(FIELD_GET(SMMUV2_ID0_NUMSIDB, smmuv2_read32(smmu, SMMUV2_GR0_ID0)), 6);
	assert_int_equal(smmuv2_read32(smmu, SMMUV2_GR0_sCR0), SMMUV2_sCR0_CLIENTPD);
	smmuv2_write32(smmu, SMMUV2_GR0_ID1, 0);	/* read-only */
	assert_int_equal(FIELD_GET(SMMUV2_ID1_NUMCB, smmuv2_read32(smmu, SMMUV2_GR0_ID1)), 5);
	assert_int_equal(smmuv2_reg_offset(smmu, "CB4_FSR", &w), (8 + 4) * 4096 + 0x58);
	assert_int_equal(w, 32);
	assert_int_equal(smmuv2_reg_offset(smmu, "CB1_FAR", &w), 9 * 4096 + 0x60);
	assert_int_equal(w, 64);
	assert_int_equal(smmuv2_reg_offset(smmu, "CB5_FSR", &w), -1);
	assert_int_equal(smmuv2_reg_offset(smmu, "S2CR63", &w), 0xc00 + 63 * 4);
	assert_int_equal(smmuv2_reg_offset(smmu, "S2CR64", &w), -1);
	cfg.num_cbs = 0;
	assert_null(smmuv2_create(s, mem, &cfg));
	sim_destroy(s);
	hw_mem_destroy(mem);
}

/* ---- FSR: W1C fault bits, SS read-only; FAR, FSYNR0, MULTI ---- */

static void fsr_script(void)
{
	start_access(0, 0, IOVA_HOLE + 0x18, true);	/* terminate mode: aborts */
	settle(1000);
	assert_true(R.access_done[0]);
	assert_int_equal(R.access_ret[0], -EFAULT);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)), SMMUV2_FSR_TF);
	assert_int_equal(smmuv2_read64(R.smmu, cb(0, SMMUV2_CB_FAR)), IOVA_HOLE + 0x18);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSYNR0)), SMMUV2_FSYNR0_WNR);
	/* A second fault while TF is set: MULTI only, FAR kept. */
	start_access(1, 0, IOVA_HOLE + 0x2000, false);
	settle(1000);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)),
			 SMMUV2_FSR_TF | SMMUV2_FSR_MULTI);
	assert_int_equal(smmuv2_read64(R.smmu, cb(0, SMMUV2_CB_FAR)), IOVA_HOLE + 0x18);
	/* Writing 0 clears nothing; writing TF clears TF only. */
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), 0);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)),
			 SMMUV2_FSR_TF | SMMUV2_FSR_MULTI);
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), SMMUV2_FSR_TF);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)), SMMUV2_FSR_MULTI);
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), 0xffffffff);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)), 0);
	/* A mapped access translates. */
	start_access(2, 0, IOVA_MAPPED, true);
	settle(1000);
	assert_int_equal(R.access_ret[2], 0);
	assert_int_equal(smmuv2_stats(R.smmu)->translated, 1);
}

static void test_fsr_w1c(void **state)
{
	rig_setup(false, false);
	run_script(fsr_script);
	rig_teardown();
}

/* ---- Stall: SS, RESUME retry / terminate / ignored ---- */

static void stall_script(void)
{
	start_access(0, 0, IOVA_HOLE, false);
	settle(1000);
	assert_false(R.access_done[0]);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)), SMMUV2_FSR_TF | SMMUV2_FSR_SS);
	/* SS is not cleared by an FSR write; TF is. */
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), SMMUV2_FSR_TF | SMMUV2_FSR_SS);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)), SMMUV2_FSR_SS);
	/* A second transaction to the stalled bank waits behind it. */
	start_access(1, 0, IOVA_MAPPED, false);
	settle(1000);
	assert_false(R.access_done[1]);
	/* Map the page, RESUME retry: both complete. */
	assert_int_equal(hw_pgtable_map(R.mem, R.root, IOVA_HOLE, R.page, HW_PERM_R, "t"), 0);
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_RESUME), 0);
	settle(1000);
	assert_true(R.access_done[0] && R.access_done[1]);
	assert_int_equal(R.access_ret[0], 0);
	assert_int_equal(smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)), 0);
	/* RESUME without a stall is ignored. */
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_RESUME), SMMUV2_RESUME_TERMINATE);
	assert_int_equal(smmuv2_stats(R.smmu)->resumes_ignored, 1);
	/* Retry of a transaction that faults again: stalls again (a new fault). */
	start_access(2, 1, IOVA_HOLE + 0x5000, true);
	settle(1000);
	smmuv2_write32(R.smmu, cb(1, SMMUV2_CB_FSR), SMMUV2_FSR_TF);
	smmuv2_write32(R.smmu, cb(1, SMMUV2_CB_RESUME), 0);
	settle(1000);
	assert_false(R.access_done[2]);
	assert_int_equal(smmuv2_read32(R.smmu, cb(1, SMMUV2_CB_FSR)), SMMUV2_FSR_TF | SMMUV2_FSR_SS);
	assert_int_equal(smmuv2_stats(R.smmu)->stalls, 3);
	/* Terminate: the transaction aborts, SS clears. */
	smmuv2_write32(R.smmu, cb(1, SMMUV2_CB_RESUME), SMMUV2_RESUME_TERMINATE);
	settle(1000);
	assert_true(R.access_done[2]);
	assert_int_equal(R.access_ret[2], -EFAULT);
	assert_int_equal(smmuv2_read32(R.smmu, cb(1, SMMUV2_CB_FSR)), SMMUV2_FSR_TF);
	assert_int_equal(smmuv2_stats(R.smmu)->resume_before_clear, 1);
}

static void test_stall_resume(void **state)
{
	rig_setup(false, true);
	run_script(stall_script);
	rig_teardown();
}

/* ---- The context interrupt: CFIE, fault bits, SS (option), shared line ---- */

static bool line_high(void)
{
	return R.line->level_asserted;
}

static void irq_script_ss(void)
{
	start_access(0, 0, IOVA_HOLE, false);
	settle(1000);
	assert_true(line_high());			/* TF with CFIE */
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_SCTLR),
		       smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_SCTLR)) & ~SMMUV2_SCTLR_CFIE);
	assert_false(line_high());			/* CFIE masks it */
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_SCTLR),
		       smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_SCTLR)) | SMMUV2_SCTLR_CFIE);
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), SMMUV2_FSR_TF);
}

static void test_irq_ss_asserts(void **state)
{
	rig_setup(true, true);
	run_script(irq_script_ss);
	/* After TF is cleared, SS alone keeps the line up (the option). */
	assert_true(line_high());
	assert_true(R.deliveries >= 1);
	rig_teardown();
}

static void test_irq_ss_quiet(void **state)
{
	rig_setup(false, true);
	run_script(irq_script_ss);
	/* Standard behaviour: with TF cleared the line drops although SS is set. */
	assert_false(line_high());
	rig_teardown();
}

static void shared_script(void)
{
	start_access(0, 0, IOVA_HOLE, false);
	start_access(1, 1, IOVA_HOLE, false);
	settle(1000);
	assert_true(line_high());
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), SMMUV2_FSR_TF);
	assert_true(line_high());			/* bank 1 still holds it */
	smmuv2_write32(R.smmu, cb(1, SMMUV2_CB_FSR), SMMUV2_FSR_TF);
	assert_false(line_high());
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_RESUME), SMMUV2_RESUME_TERMINATE);
	smmuv2_write32(R.smmu, cb(1, SMMUV2_CB_RESUME), SMMUV2_RESUME_TERMINATE);
	settle(1000);
	assert_true(R.access_done[0] && R.access_done[1]);
}

static void test_irq_shared_line(void **state)
{
	rig_setup(false, true);
	run_script(shared_script);
	assert_int_equal(smmuv2_stats(R.smmu)->irq_assertions, 2);
	rig_teardown();
}

/* ---- Checkers ---- */

/* A stall nobody resumes, its interrupt masked: STALL_HANG names CFIE=0. */
static void hang_script(void)
{
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_SCTLR),
		       SMMUV2_SCTLR_M | SMMUV2_SCTLR_CFCFG);	/* CFIE = 0 */
	start_access(0, 0, IOVA_HOLE, false);
	settle(5 * SIM_MS);
}

static void test_stall_hang(void **state)
{
	rig_setup(false, true);
	assert_int_equal(stall_hang_watch_smmuv2(R.s, R.smmu, SIM_MS), 0);
	run_script(hang_script);
	assert_int_equal(R.s->violations->count[V_STALL_HANG], 1);
	assert_non_null(strstr(R.s->violations->v[0].msg, "SCTLR.CFIE=0"));
	assert_int_equal(R.deliveries, 0);
	rig_teardown();
}

/* A resumed stall is no hang. */
static void no_hang_script(void)
{
	start_access(0, 0, IOVA_HOLE, false);
	settle(500 * SIM_US);
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), SMMUV2_FSR_TF);
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_RESUME), SMMUV2_RESUME_TERMINATE);
	settle(5 * SIM_MS);
}

static void test_stall_resumed_in_time(void **state)
{
	rig_setup(false, true);
	assert_int_equal(stall_hang_watch_smmuv2(R.s, R.smmu, SIM_MS), 0);
	run_script(no_hang_script);
	assert_int_equal(R.s->violations->count[V_STALL_HANG], 0);
	rig_teardown();
}

/* SS holding the line up with nobody resuming: IRQ_STORM. */
static void storm_handler(struct sim_irq *irq, void *arg)
{
	R.deliveries++;
	/* what the pre-patch handler does: read FSR, clear it (SS stays) */
	smmuv2_write32(R.smmu, cb(0, SMMUV2_CB_FSR), smmuv2_read32(R.smmu, cb(0, SMMUV2_CB_FSR)));
}

static void storm_script(void)
{
	start_access(0, 0, IOVA_HOLE, false);
	settle(200 * SIM_US);
}

static void test_irq_storm(void **state)
{
	struct irq_storm_cfg sc = { 8, 20 * SIM_US };

	rig_setup(true, true);
	R.line->handler = storm_handler;
	assert_int_equal(irq_storm_watch_smmuv2(R.s, R.smmu, &sc), 0);
	run_script(storm_script);
	assert_int_equal(R.s->violations->count[V_IRQ_STORM], 1);
	assert_non_null(strstr(R.s->violations->v[0].msg, "only SS"));
	rig_teardown();
}

/* The same without the SS option: the first delivery clears TF, then quiet. */
static void test_irq_no_storm(void **state)
{
	struct irq_storm_cfg sc = { 8, 20 * SIM_US };

	rig_setup(false, true);
	R.line->handler = storm_handler;
	assert_int_equal(irq_storm_watch_smmuv2(R.s, R.smmu, &sc), 0);
	run_script(storm_script);
	assert_int_equal(R.s->violations->count[V_IRQ_STORM], 0);
	assert_true(R.deliveries >= 1 && R.deliveries <= 2);
	rig_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_registers),
		cmocka_unit_test(test_fsr_w1c),
		cmocka_unit_test(test_stall_resume),
		cmocka_unit_test(test_irq_ss_asserts),
		cmocka_unit_test(test_irq_ss_quiet),
		cmocka_unit_test(test_irq_shared_line),
		cmocka_unit_test(test_stall_hang),
		cmocka_unit_test(test_stall_resumed_in_time),
		cmocka_unit_test(test_irq_storm),
		cmocka_unit_test(test_irq_no_storm),
	};

	return cmocka_run_group_tests_name("smmuv2", tests, NULL, NULL);
}
