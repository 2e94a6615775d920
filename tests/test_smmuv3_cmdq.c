// SPDX-License-Identifier: MIT
/*
 * SMMUv3 control plane: register reset values and ID registers, CR0/CR0ACK
 * and the register access rules, queue index arithmetic, the command
 * engine (each CERROR cause, stop and resumption through GERRORN,
 * CMD_SYNC completion signals), ATC invalidations (CMD_SYNC waiting for
 * them, exact completion timeouts, late / duplicate / wrong-requester
 * completions) and Service Failure Mode.
 *
 * Each test builds a bench: a simulator, memory, an SMMU with its IRQ
 * lines wired to counting handlers, optionally an ATS endpoint, and a
 * "driver" thread that programs the SMMU through MMIO and writes commands
 * into the queue in memory.  The driver records failed checks (CHECK())
 * instead of asserting inside a coroutine; the test asserts after the run.
 */
#include "simtest.h"

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/smmuv3/smmuv3_internal.h"

#define MEM_SIZE	(4ULL << 20)
#define SID_EP		0x10
#define POLL_NS		100
#define CPL_TIMEOUT	(100 * SIM_US)
#define INV_LATENCY	(5 * SIM_US)

struct bench {
	struct sim *s;
	struct hw_mem *mem;
	struct smmuv3 *smmu;
	struct pcie_ep *ep;
	struct sim_irq *irq[SMMUV3_NR_IRQS];
	unsigned irqs[SMMUV3_NR_IRQS];		/* deliveries per line */
	sim_time_t irq_at[SMMUV3_NR_IRQS];	/* time of the last one */
	uint64_t cmdq_pa;
	unsigned cmdq_log2;
	uint32_t prod;				/* software's CMDQ_PROD */
	uint64_t msi_pa;			/* a page for MSI words */
	void (*body)(void);
	const void *arg;			/* the body's parameter */
	bool done;
	char fail[256];
};

static struct bench tb;

static void tb_failf(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (tb.fail[0])
		return;
	n = snprintf(tb.fail, sizeof(tb.fail), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(tb.fail + n, sizeof(tb.fail) - n, fmt, ap);
	va_end(ap);
}

#define CHECK(c) do {							\
	if (!(c))							\
		tb_failf(__LINE__, "%s", #c);				\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long _a = (a), _b = (b);				\
	if (_a != _b)							\
		tb_failf(__LINE__, "%s == %s: %#llx != %#llx",		\
			 #a, #b, _a, _b);				\
} while (0)

/* ---- bench ---- */

static void irq_count(struct sim_irq *irq, void *arg)
{
	int i = (int)(intptr_t)arg;

	tb.irqs[i]++;
	tb.irq_at[i] = sim_now();
}

static void body_fn(void *arg)
{
	tb.body();
	tb.done = true;
}

typedef void (*cfg_tweak_fn)(struct smmuv3_config *cfg);

static void tb_setup(void (*body)(void), const void *arg, cfg_tweak_fn tweak)
{
	static const char *const names[SMMUV3_NR_IRQS] = {
		"gerror", "evtq", "priq", "cmdq-sync",
	};
	struct smmuv3_config cfg;

	memset(&tb, 0, sizeof(tb));
	tb.s = simtest_new(2, 1, "random");
	assert_non_null(tb.s);
	tb.mem = hw_mem_create(MEM_SIZE);
	assert_non_null(tb.mem);
	smmuv3_config_default(&cfg);
	for (int i = 0; i < SMMUV3_NR_IRQS; i++) {
		tb.irq[i] = sim_irq_create(tb.s, names[i], 1, irq_count, (void *)(intptr_t)i);
		assert_non_null(tb.irq[i]);
		cfg.irq[i] = tb.irq[i];
	}
	if (tweak)
		tweak(&cfg);
	tb.smmu = smmuv3_create(tb.s, tb.mem, &cfg);
	assert_non_null(tb.smmu);
	assert_int_equal(hw_mem_alloc(tb.mem, 1, "msi", &tb.msi_pa), 0);
	tb.body = body;
	tb.arg = arg;
	spawn(tb.s, "driver", 0, body_fn, NULL);
}

/* An ATS endpoint on SID_EP answering invalidations as @mode says. */
static void tb_add_ep(enum pcie_atc_inv_mode mode, sim_time_t slow)
{
	struct pcie_upstream up = smmuv3_upstream(tb.smmu);
	struct pcie_ep_config ec;

	pcie_ep_config_default(&ec);
	ec.name = "ep0";
	ec.sids[0] = SID_EP;
	ec.nsids = 1;
	ec.ats = true;
	ec.atc_inv_latency = INV_LATENCY;
	ec.completion_timeout = CPL_TIMEOUT;
	ec.knobs.atc_inv = mode;
	ec.knobs.atc_inv_slow = slow;
	tb.ep = pcie_ep_create(tb.s, &ec, &up);
	assert_non_null(tb.ep);
	assert_int_equal(smmuv3_connect(tb.smmu, SID_EP, tb.ep, CPL_TIMEOUT), 0);
}

static void tb_run(void)
{
	enum sim_end end = sim_run(tb.s);

	if (tb.s->violations->n)
		violation_print(stderr, &tb.s->violations->v[0]);
	assert_int_equal(tb.s->violations->n, 0);
	if (tb.fail[0])
		fail_msg("%s", tb.fail);
	assert_true(tb.done);
	assert_int_equal(end, SIM_END_ALL_DONE);
	sim_destroy(tb.s);
	hw_mem_destroy(tb.mem);
}

/* ---- driver helpers (run in the driver thread) ---- */

static uint32_t rd(uint32_t off)
{
	return smmuv3_read32(tb.smmu, off);
}

static void wr(uint32_t off, uint32_t val)
{
	smmuv3_write32(tb.smmu, off, val);
}

static void inv_check(void)
{
	const char *why = smmuv3_cmdq_invariant(tb.smmu);

	if (why)
		tb_failf(__LINE__, "invariant: %s", why);
}

static void delay(sim_time_t ns)
{
	for (sim_time_t t = 0; t < ns; t += POLL_NS) {
		sim_delay(POLL_NS);
		inv_check();
	}
}

/* Set @bits in CR0 and wait for CR0ACK to follow. */
static void cr0_set(uint32_t bits, bool on)
{
	uint32_t v = on ? rd(SMMUV3_CR0) | bits : rd(SMMUV3_CR0) & ~bits;

	wr(SMMUV3_CR0, v);
	for (int i = 0; rd(SMMUV3_CR0ACK) != v; i++) {
		CHECK(i < 1000);
		if (i >= 1000)
			return;
		sim_delay(POLL_NS);
	}
}

static uint32_t q_iw(void)
{
	return (2U << tb.cmdq_log2) - 1;
}

static uint32_t q_inc(uint32_t p)
{
	return (p + 1) & q_iw();
}

/* A command queue of 2^@log2 entries in memory, registers programmed. */
static void cmdq_place(unsigned log2)
{
	size_t bytes = (size_t)16 << log2;
	size_t pages = (bytes + HW_PAGE_SIZE - 1) / HW_PAGE_SIZE;

	tb.cmdq_log2 = log2;
	CHECK_EQ(hw_mem_alloc(tb.mem, pages, "cmdq", &tb.cmdq_pa), 0);
	smmuv3_write64(tb.smmu, SMMUV3_CMDQ_BASE, tb.cmdq_pa | log2);
	wr(SMMUV3_CMDQ_PROD, 0);
	wr(SMMUV3_CMDQ_CONS, 0);
	tb.prod = 0;
}

/* The usual start: queue, wired GERROR interrupt, SMMU and CMDQ enabled. */
static void smmu_start(unsigned log2)
{
	cmdq_place(log2);
	wr(SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	cr0_set(SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN, true);
}

static void put_raw_at(uint32_t p, uint64_t d0, uint64_t d1)
{
	uint64_t *e = hw_mem_ptr(tb.mem, tb.cmdq_pa + (p & (q_iw() >> 1)) * 16, 16);

	CHECK(e != NULL);
	if (e) {
		e[0] = d0;
		e[1] = d1;
	}
}

static void put_raw(uint64_t d0, uint64_t d1)
{
	put_raw_at(tb.prod, d0, d1);
	tb.prod = q_inc(tb.prod);
}

static void put(const struct smmuv3_cmd *c)
{
	uint64_t e[2];

	CHECK_EQ(smmuv3_cmd_encode(c, e), 0);
	put_raw(e[0], e[1]);
}

static void publish(void)
{
	wr(SMMUV3_CMDQ_PROD, tb.prod);
}

static void put_tlbi_all(void)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_TLBI_NSNH_ALL };

	put(&c);
}

static void put_cfgi_all(void)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_CFGI_ALL };

	c.cfgi.range = SMMUV3_CFGI_ALL_RANGE;
	put(&c);
}

static void put_sync(uint8_t cs, uint64_t msiaddr, uint32_t msidata)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_SYNC };

	c.sync.cs = cs;
	c.sync.msiaddr = msiaddr;
	c.sync.msidata = msidata;
	put(&c);
}

static void put_atc_inv(uint32_t sid)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_ATC_INV };

	c.atc_inv.sid = sid;
	c.atc_inv.size = SMMUV3_ATC_INV_SIZE_ALL;
	put(&c);
}

static uint32_t cons_iw(void)
{
	return rd(SMMUV3_CMDQ_CONS) & q_iw();
}

static unsigned cons_err(void)
{
	return FIELD_GET(SMMUV3_CMDQ_CONS_ERR, rd(SMMUV3_CMDQ_CONS));
}

/* Poll CONS until it is @target (index|wrap); false after @timeout ns. */
static bool wait_cons(uint32_t target, sim_time_t timeout)
{
	sim_time_t end = sim_now() + timeout;

	while (cons_iw() != target) {
		if (sim_now() >= end)
			return false;
		sim_delay(POLL_NS);
		inv_check();
	}
	return true;
}

static bool gerror_active(uint32_t bit)
{
	return (rd(SMMUV3_GERROR) ^ rd(SMMUV3_GERRORN)) & bit;
}

static bool wait_gerror(uint32_t bit, sim_time_t timeout)
{
	sim_time_t end = sim_now() + timeout;

	while (!gerror_active(bit)) {
		if (sim_now() >= end)
			return false;
		sim_delay(POLL_NS);
		inv_check();
	}
	return true;
}

static bool wait_state(enum smmuv3_cmdq_state st, sim_time_t timeout)
{
	sim_time_t end = sim_now() + timeout;

	while (tb.smmu->cmdq_state != st) {
		if (sim_now() >= end)
			return false;
		sim_delay(POLL_NS / 10);
		inv_check();
	}
	return true;
}

/* Acknowledge the active global errors @bits (toggle GERRORN). */
static void gerror_ack(uint32_t bits)
{
	uint32_t active = rd(SMMUV3_GERROR) ^ rd(SMMUV3_GERRORN);

	wr(SMMUV3_GERRORN, rd(SMMUV3_GERRORN) ^ (active & bits));
}

static bool wait_stat(const uint64_t *ctr, uint64_t val, sim_time_t timeout)
{
	sim_time_t end = sim_now() + timeout;

	while (*ctr < val) {
		if (sim_now() >= end)
			return false;
		sim_delay(POLL_NS);
	}
	return true;
}

/* The tracking slot of the ATC_INV with the highest cookie. */
static const struct smmuv3_atc_inv *last_atc_inv(void)
{
	const struct smmuv3_atc_inv *best = NULL;

	for (int i = 0; i < SMMUV3_MAX_ATC_INV; i++) {
		const struct smmuv3_atc_inv *inv = &tb.smmu->atc_inv[i];

		if (inv->busy && (!best || inv->cookie > best->cookie))
			best = inv;
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* Reset values, ID registers, configuration                           */
/* ------------------------------------------------------------------ */

static void test_reset_and_idrs(void **state)
{
	struct smmuv3_config cfg;
	struct sim *s = simtest_new(1, 1, "random");
	struct hw_mem *mem = hw_mem_create(MEM_SIZE);
	struct smmuv3 *smmu;
	const struct smmuv3_caps *caps;

	smmuv3_config_default(&cfg);
	smmu = smmuv3_create(s, mem, &cfg);
	assert_non_null(smmu);
	assert_string_equal(smmuv3_name(smmu), "smmu0");
	/* IDR0: 2LVL, stall, LE, CD2L, PRI, SEV, MSI, ASID16, ATS, COHACC,
	 * AArch64, S1P. */
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR0), 0x0849741a);
	/* IDR1: CMDQS 8, EVTQS 7, PRIQS 7, SSIDSIZE 20, SIDSIZE 16. */
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR1), 0x01073d10);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR3), 0);
	/* IDR5: STALL_MAX 32, GRAN4K, VAX 48-bit, OAS 48-bit. */
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR5), 0x00200015);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_AIDR), 0x02);
	static const uint32_t zero_regs[] = {
		SMMUV3_CR0, SMMUV3_CR0ACK, SMMUV3_CR1, SMMUV3_CR2, SMMUV3_GBPA,
		SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRLACK, SMMUV3_GERROR, SMMUV3_GERRORN,
		SMMUV3_CMDQ_PROD, SMMUV3_CMDQ_CONS, SMMUV3_EVTQ_PROD, SMMUV3_EVTQ_CONS,
		SMMUV3_PRIQ_PROD, SMMUV3_PRIQ_CONS, SMMUV3_STRTAB_BASE_CFG,
	};
	for (size_t i = 0; i < sizeof(zero_regs) / sizeof(zero_regs[0]); i++)
		assert_int_equal(smmuv3_read32(smmu, zero_regs[i]), 0);
	assert_int_equal(smmuv3_read64(smmu, SMMUV3_CMDQ_BASE), 0);
	assert_int_equal(smmuv3_read64(smmu, SMMUV3_STRTAB_BASE), 0);
	caps = smmuv3_caps(smmu);
	assert_true(caps->s1p && caps->ats && caps->pri && caps->cd2l && caps->gran4k);
	assert_false(caps->s2p || caps->vax52);
	assert_int_equal(caps->ssid_bits, 20);
	assert_int_equal(caps->stall_model, SMMUV3_IDR0_STALL_MODEL_STALL);
	assert_int_equal(smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
	assert_null(smmuv3_cmdq_invariant(smmu));

	/* Unimplemented offsets read 0, ignore writes, and are counted. */
	assert_int_equal(smmuv3_read32(smmu, 0x0008), 0);	/* IDR2 */
	smmuv3_write32(smmu, 0x1000, 1);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_P1_EVTQ_PROD), 0); /* page 0 */
	assert_int_equal(smmu->mmio_bad, 3);
	/* Read-only registers ignore writes. */
	smmuv3_write32(smmu, SMMUV3_IDR0, 0);
	smmuv3_write32(smmu, SMMUV3_GERROR, SMMUV3_GERROR_CMDQ_ERR);
	smmuv3_write32(smmu, SMMUV3_CR0ACK, SMMUV3_CR0_CMDQEN);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR0), 0x0849741a);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_GERROR), 0);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_CR0ACK), 0);
	assert_int_equal(smmu->mmio_bad, 3);

	/* The other polarity of every configurable bit. */
	cfg.name = "smmu1";
	cfg.ats = cfg.pri = cfg.msi = cfg.cd2l = cfg.st_2lvl = false;
	cfg.s2p = cfg.hyp = true;
	cfg.stall_model = SMMUV3_IDR0_STALL_MODEL_NONE;
	cfg.stall_max = 0;
	cfg.cmdq_entries = 1 << 19;
	cfg.evtq_entries = 2;
	cfg.sid_bits = 32;
	cfg.ssid_bits = 0;
	smmu = smmuv3_create(s, mem, &cfg);
	assert_non_null(smmu);
	/* ST_LVL linear, STALL_MODEL 1, LE, VMID16, SEV, ASID16, Hyp, COHACC,
	 * AArch64, S1P, S2P. */
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR0), 0x0144521b);
	/* CMDQS 19, EVTQS 1, PRIQS 0 (no PRI), SSIDSIZE 0, SIDSIZE 32. */
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR1), (19 << 21) | (1 << 16) | 32);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_IDR5), 0x15);
	caps = smmuv3_caps(smmu);
	assert_true(caps->s2p && !caps->ats && !caps->pri && !caps->cd2l);
	assert_int_equal(caps->stall_model, SMMUV3_IDR0_STALL_MODEL_NONE);
	/* Without MSI and PRI their registers are RES0. */
	smmuv3_write64(smmu, SMMUV3_GERROR_IRQ_CFG0, 0x1000);
	smmuv3_write64(smmu, SMMUV3_PRIQ_BASE, 0x1000);
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_PRIQEN | SMMUV3_CR0_ATSCHK);
	assert_int_equal(smmuv3_read64(smmu, SMMUV3_GERROR_IRQ_CFG0), 0);
	assert_int_equal(smmuv3_read64(smmu, SMMUV3_PRIQ_BASE), 0);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_CR0), 0);

	sim_destroy(s);
	hw_mem_destroy(mem);
}

/* Break one field of a default config: case @i of test_config_validation(). */
static const char *config_break(struct smmuv3_config *c, int i)
{
	switch (i) {
	case 0: c->cmdq_entries = 96; return "cmdq not a power of two";
	case 1: c->cmdq_entries = 1; return "cmdq of 1 entry";
	case 2: c->evtq_entries = 1 << 20; return "evtq of 2^20";
	case 3: c->priq_entries = 0; return "priq of 0";
	case 4: c->sid_bits = 33; return "sid_bits 33";
	case 5: c->ssid_bits = 21; return "ssid_bits 21";
	case 6: c->stall_model = 3; return "stall model 3";
	case 7: c->stall_max = 65536; return "stall_max 65536";
	case 8: c->ats = false; return "PRI without ATS";
	case 9: c->hyp = true; return "Hyp without S2P";
	}
	return NULL;
}

static void test_config_validation(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");
	struct hw_mem *mem = hw_mem_create(MEM_SIZE);
	struct smmuv3_config cfg;
	const char *what;

	for (int i = 0;; i++) {
		smmuv3_config_default(&cfg);
		what = config_break(&cfg, i);
		if (!what)
			break;
		errno = 0;
		if (smmuv3_create(s, mem, &cfg))
			fail_msg("accepted: %s", what);
		assert_int_equal(errno, EINVAL);
	}
	smmuv3_config_default(&cfg);
	assert_null(smmuv3_create(s, NULL, &cfg));
	assert_non_null(smmuv3_create(s, mem, &cfg));
	sim_destroy(s);
	hw_mem_destroy(mem);
}

static void test_reg_names(void **state)
{
	static const struct {
		const char *name;
		int off;
		unsigned width;
	} regs[] = {
		{ "IDR0", SMMUV3_IDR0, 32 }, { "IDR1", SMMUV3_IDR1, 32 },
		{ "IDR3", SMMUV3_IDR3, 32 }, { "IDR5", SMMUV3_IDR5, 32 },
		{ "IIDR", SMMUV3_IIDR, 32 }, { "AIDR", SMMUV3_AIDR, 32 },
		{ "CR0", SMMUV3_CR0, 32 }, { "CR0ACK", SMMUV3_CR0ACK, 32 },
		{ "CR1", SMMUV3_CR1, 32 }, { "CR2", SMMUV3_CR2, 32 },
		{ "GBPA", SMMUV3_GBPA, 32 }, { "IRQ_CTRL", SMMUV3_IRQ_CTRL, 32 },
		{ "IRQ_CTRLACK", SMMUV3_IRQ_CTRLACK, 32 },
		{ "GERROR", SMMUV3_GERROR, 32 }, { "GERRORN", SMMUV3_GERRORN, 32 },
		{ "GERROR_IRQ_CFG0", SMMUV3_GERROR_IRQ_CFG0, 64 },
		{ "GERROR_IRQ_CFG1", SMMUV3_GERROR_IRQ_CFG1, 32 },
		{ "GERROR_IRQ_CFG2", SMMUV3_GERROR_IRQ_CFG2, 32 },
		{ "STRTAB_BASE", SMMUV3_STRTAB_BASE, 64 },
		{ "STRTAB_BASE_CFG", SMMUV3_STRTAB_BASE_CFG, 32 },
		{ "CMDQ_BASE", SMMUV3_CMDQ_BASE, 64 },
		{ "CMDQ_PROD", SMMUV3_CMDQ_PROD, 32 },
		{ "CMDQ_CONS", SMMUV3_CMDQ_CONS, 32 },
		{ "EVTQ_BASE", SMMUV3_EVTQ_BASE, 64 },
		{ "EVTQ_IRQ_CFG0", SMMUV3_EVTQ_IRQ_CFG0, 64 },
		{ "EVTQ_IRQ_CFG1", SMMUV3_EVTQ_IRQ_CFG1, 32 },
		{ "EVTQ_IRQ_CFG2", SMMUV3_EVTQ_IRQ_CFG2, 32 },
		{ "PRIQ_BASE", SMMUV3_PRIQ_BASE, 64 },
		{ "PRIQ_IRQ_CFG0", SMMUV3_PRIQ_IRQ_CFG0, 64 },
		{ "PRIQ_IRQ_CFG1", SMMUV3_PRIQ_IRQ_CFG1, 32 },
		{ "PRIQ_IRQ_CFG2", SMMUV3_PRIQ_IRQ_CFG2, 32 },
		{ "EVTQ_PROD", 0x100a8, 32 }, { "EVTQ_CONS", 0x100ac, 32 },
		{ "PRIQ_PROD", 0x100c8, 32 }, { "PRIQ_CONS", 0x100cc, 32 },
		{ "smmu_eventq_cons", 0x100ac, 32 }, { "cmdq_cons", 0x9c, 32 },
	};
	unsigned width;

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		width = 0;
		assert_int_equal(smmuv3_reg_offset(regs[i].name, &width), regs[i].off);
		assert_int_equal(width, regs[i].width);
	}
	assert_int_equal(smmuv3_reg_offset("IDR2", &width), -1);
	assert_int_equal(smmuv3_reg_offset("CR0X", NULL), -1);
	assert_int_equal(smmuv3_reg_offset(NULL, NULL), -1);
}

/* ------------------------------------------------------------------ */
/* CR0/CR0ACK and register access rules                                */
/* ------------------------------------------------------------------ */

static void body_cr0_and_guards(void)
{
	const uint32_t all = SMMUV3_CR0_ATSCHK | SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN |
			     SMMUV3_CR0_PRIQEN | SMMUV3_CR0_SMMUEN;
	uint64_t pa;

	CHECK_EQ(hw_mem_alloc(tb.mem, 1, "q", &pa), 0);
	/* Disabled: bases, indexes and stream table are writable. */
	smmuv3_write64(tb.smmu, SMMUV3_CMDQ_BASE, pa | SMMUV3_Q_BASE_RWA | 3 | (1ULL << 63));
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_CMDQ_BASE), pa | SMMUV3_Q_BASE_RWA | 3);
	wr(SMMUV3_CMDQ_CONS, FIELD_PREP(SMMUV3_CMDQ_CONS_ERR, 2) | 0xffff5);
	CHECK_EQ(rd(SMMUV3_CMDQ_CONS), FIELD_PREP(SMMUV3_CMDQ_CONS_ERR, 2) | 0x5);
	wr(SMMUV3_CMDQ_CONS, 0);
	wr(SMMUV3_CMDQ_PROD, 0x80000003);	/* RES0 bits dropped */
	CHECK_EQ(rd(SMMUV3_CMDQ_PROD), 3);
	wr(SMMUV3_CMDQ_PROD, 0);
	smmuv3_write64(tb.smmu, SMMUV3_EVTQ_BASE, pa | 2);
	wr(SMMUV3_EVTQ_PROD, SMMUV3_Q_OVERFLOW_FLAG | 0x7);
	CHECK_EQ(rd(SMMUV3_EVTQ_PROD), SMMUV3_Q_OVERFLOW_FLAG | 0x7);
	smmuv3_write64(tb.smmu, SMMUV3_STRTAB_BASE, pa | 0x3f);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_STRTAB_BASE), pa);	/* ADDR [51:6] */
	wr(SMMUV3_STRTAB_BASE_CFG, 0xffffffff);
	CHECK_EQ(rd(SMMUV3_STRTAB_BASE_CFG), 0x307ff);
	/* 32-bit halves of a 64-bit register. */
	wr(SMMUV3_CMDQ_BASE + 4, 0);
	wr(SMMUV3_CMDQ_BASE, (uint32_t)pa | 2);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_CMDQ_BASE), pa | 2);
	CHECK_EQ(rd(SMMUV3_CMDQ_BASE + 4), pa >> 32);

	/* CR0: RES0 bits dropped, CR0ACK follows. */
	wr(SMMUV3_CR0, 0xffffffff);
	CHECK_EQ(rd(SMMUV3_CR0), all);
	CHECK_EQ(rd(SMMUV3_CR0ACK), all);

	/* Enabled: guarded registers are RO, software-owned ones RW. */
	smmuv3_write64(tb.smmu, SMMUV3_CMDQ_BASE, 0);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_CMDQ_BASE), pa | 2);
	wr(SMMUV3_CMDQ_CONS, 1);
	CHECK_EQ(rd(SMMUV3_CMDQ_CONS), 0);
	wr(SMMUV3_EVTQ_PROD, 1);
	CHECK_EQ(rd(SMMUV3_EVTQ_PROD), SMMUV3_Q_OVERFLOW_FLAG | 0x7);
	wr(SMMUV3_EVTQ_CONS, SMMUV3_Q_OVERFLOW_FLAG | 0x6);
	CHECK_EQ(rd(SMMUV3_EVTQ_CONS), SMMUV3_Q_OVERFLOW_FLAG | 0x6);
	smmuv3_write64(tb.smmu, SMMUV3_STRTAB_BASE, 0);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_STRTAB_BASE), pa);
	wr(SMMUV3_STRTAB_BASE_CFG, 0);
	CHECK_EQ(rd(SMMUV3_STRTAB_BASE_CFG), 0x307ff);
	wr(SMMUV3_CR1, 0xffffffff);
	CHECK_EQ(rd(SMMUV3_CR1), 0xfff);

	/* IRQ_CTRL -> IRQ_CTRLACK; IRQ_CFG guarded by the IRQ enables. */
	smmuv3_write64(tb.smmu, SMMUV3_GERROR_IRQ_CFG0, tb.msi_pa | 3);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_GERROR_IRQ_CFG0), tb.msi_pa);
	wr(SMMUV3_GERROR_IRQ_CFG1, 0xcafe);
	wr(SMMUV3_IRQ_CTRL, 0xffffffff);
	CHECK_EQ(rd(SMMUV3_IRQ_CTRL), 7);
	CHECK_EQ(rd(SMMUV3_IRQ_CTRLACK), 7);
	smmuv3_write64(tb.smmu, SMMUV3_GERROR_IRQ_CFG0, 0);
	wr(SMMUV3_GERROR_IRQ_CFG1, 0);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_GERROR_IRQ_CFG0), tb.msi_pa);
	CHECK_EQ(rd(SMMUV3_GERROR_IRQ_CFG1), 0xcafe);

	/* GBPA: only a write with Update, which completes at once. */
	wr(SMMUV3_GBPA, SMMUV3_GBPA_ABORT);
	CHECK_EQ(rd(SMMUV3_GBPA), 0);
	wr(SMMUV3_GBPA, SMMUV3_GBPA_UPDATE | SMMUV3_GBPA_ABORT);
	CHECK_EQ(rd(SMMUV3_GBPA), SMMUV3_GBPA_ABORT);

	/* GERROR is RO; GERRORN keeps the implemented fields. */
	wr(SMMUV3_GERROR, 0xffffffff);
	CHECK_EQ(rd(SMMUV3_GERROR), 0);
	CHECK_EQ(tb.smmu->mmio_bad, 0);

	/* Disabling makes them writable again. */
	cr0_set(all, false);
	smmuv3_write64(tb.smmu, SMMUV3_CMDQ_BASE, pa | 4);
	CHECK_EQ(smmuv3_read64(tb.smmu, SMMUV3_CMDQ_BASE), pa | 4);
	wr(SMMUV3_CMDQ_CONS, 0x13);	/* bits above the wrap bit are RAZ */
	CHECK_EQ(rd(SMMUV3_CMDQ_CONS), 0x13);
	wr(SMMUV3_CMDQ_CONS, 0x33);
	CHECK_EQ(rd(SMMUV3_CMDQ_CONS), 0x13);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
	CHECK_EQ(tb.smmu->stats.cmds, 0);
}

static void test_cr0_and_guards(void **state)
{
	tb_setup(body_cr0_and_guards, NULL, NULL);
	tb_run();
}

/* ------------------------------------------------------------------ */
/* Queue arithmetic                                                    */
/* ------------------------------------------------------------------ */

static void test_queue_wrap(void **state)
{
	struct smmuv3_queue q = { .name = "q", .max_log2 = 8, .ent_dwords = 2 };
	uint32_t p = 0;

	q.base = 0x80001000ULL | 2;		/* 4 entries */
	assert_int_equal(smmuv3_q_log2(&q), 2);
	for (int i = 1; i <= 8; i++) {
		p = smmuv3_q_inc(&q, p);
		assert_int_equal(p, i & 7);	/* index 0..3, wrap bit 2 */
	}
	/* Flags outside index|wrap are kept. */
	assert_int_equal(smmuv3_q_inc(&q, 0x7f000003), 0x7f000004);
	assert_int_equal(smmuv3_q_inc(&q, 0x80000007), 0x80000000);
	/* Empty: same index and wrap; full: same index, other wrap. */
	q.prod = q.cons = 0;
	assert_true(smmuv3_q_empty(&q));
	assert_false(smmuv3_q_full(&q));
	q.prod = 4;
	assert_false(smmuv3_q_empty(&q));
	assert_true(smmuv3_q_full(&q));
	q.cons = 4;
	q.prod = 0;
	assert_true(smmuv3_q_full(&q));
	q.prod = 3;
	assert_false(smmuv3_q_full(&q));
	assert_false(smmuv3_q_empty(&q));
	q.cons = 3 | SMMUV3_CMDQ_CONS_ERR | SMMUV3_Q_OVERFLOW_FLAG;
	assert_true(smmuv3_q_empty(&q));	/* ERR/flags do not count */
	/* Entry addresses, base aligned to the queue size (64 bytes). */
	assert_int_equal(smmuv3_q_entry_addr(&q, 0), 0x80001000ULL);
	assert_int_equal(smmuv3_q_entry_addr(&q, 7), 0x80001030ULL);
	q.base = 0x80001020ULL | 2;
	assert_int_equal(smmuv3_q_entry_addr(&q, 1), 0x80001010ULL);
	/* LOG2SIZE is capped at the IDR1 maximum. */
	q.base = 0x80000000ULL | 12;
	assert_int_equal(smmuv3_q_log2(&q), 8);
	assert_int_equal(smmuv3_q_inc(&q, 0xff), 0x100);
	assert_int_equal(smmuv3_q_inc(&q, 0x1ff), 0);
	/* One entry: an increment only toggles the wrap bit. */
	q.base = 0x80000020ULL;
	assert_int_equal(smmuv3_q_log2(&q), 0);
	assert_int_equal(smmuv3_q_inc(&q, 0), 1);
	assert_int_equal(smmuv3_q_inc(&q, 1), 0);
	q.prod = 1;
	q.cons = 0;
	assert_true(smmuv3_q_full(&q));
	assert_int_equal(smmuv3_q_entry_addr(&q, 1), 0x80000020ULL);
	/* Event queue entries are 32 bytes. */
	q.ent_dwords = 4;
	q.base = 0x80002000ULL | 3;
	assert_int_equal(smmuv3_q_entry_addr(&q, 5), 0x800020a0ULL);
}

/* The engine consumes a full queue, and wraps round a small one. */
static void body_cmdq_wrap(void)
{
	cmdq_place(2);			/* 4 entries */
	for (int i = 0; i < 4; i++)
		put_tlbi_all();
	publish();			/* PROD = wrap|0, CONS = 0: full */
	CHECK_EQ(rd(SMMUV3_CMDQ_PROD), 4);
	CHECK(smmuv3_q_full(&tb.smmu->cmdq));
	delay(1000);
	CHECK_EQ(cons_iw(), 0);		/* CMDQEN clear: nothing consumed */
	wr(SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	cr0_set(SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN, true);
	CHECK(wait_cons(4, 10 * SIM_US));
	CHECK_EQ(tb.smmu->stats.cmds, 4);
	/* Ten more, three at a time, wrapping twice more. */
	for (int n = 0; n < 10;) {
		for (int k = 0; k < 3 && n < 10; k++, n++)
			put_cfgi_all();
		publish();
		CHECK(wait_cons(tb.prod, 10 * SIM_US));
	}
	CHECK_EQ(tb.smmu->stats.cmds, 14);
	CHECK_EQ(cons_iw(), 14 & 7);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 0);
}

static void test_cmdq_wrap(void **state)
{
	tb_setup(body_cmdq_wrap, NULL, NULL);
	tb_run();
}

/* ------------------------------------------------------------------ */
/* Command errors: CERROR_ILL, CERROR_ABT; stop and resumption         */
/* ------------------------------------------------------------------ */

struct ill_case {
	const char *what;
	cfg_tweak_fn tweak;
	uint64_t d0, d1;
};

static void no_ats(struct smmuv3_config *c)
{
	c->ats = c->pri = false;
}

static void no_pri(struct smmuv3_config *c)
{
	c->pri = false;
}

static void no_stall(struct smmuv3_config *c)
{
	c->stall_model = SMMUV3_IDR0_STALL_MODEL_NONE;
}

static const struct ill_case ill_cases[] = {
	{ "unknown opcode 0x08", NULL, 0x08, 0 },
	{ "reserved opcode 0x90", NULL, 0x90, 0 },
	{ "TLBI_NSNH_ALL with a RES0 bit", NULL, SMMUV3_CMD_TLBI_NSNH_ALL | BIT_ULL(40), 0 },
	{ "CFGI_STE with a RES0 bit in dword 1", NULL, SMMUV3_CMD_CFGI_STE, BIT_ULL(7) },
	{ "CMD_SYNC CS=0b11", NULL, SMMUV3_CMD_SYNC | FIELD_PREP(SMMUV3_CMD_SYNC_0_CS, 3), 0 },
	{ "ATC_INV SIZE 53", NULL, SMMUV3_CMD_ATC_INV, 53 },
	{ "PRI_RESP Resp 0b11", NULL, SMMUV3_CMD_PRI_RESP,
	  FIELD_PREP(SMMUV3_CMD_PRI_1_RESP, 3) },
	{ "ATC_INV without IDR0.ATS", no_ats, SMMUV3_CMD_ATC_INV, 0 },
	{ "PRI_RESP without IDR0.PRI", no_pri, SMMUV3_CMD_PRI_RESP, 0 },
	{ "RESUME without the stall model", no_stall, SMMUV3_CMD_RESUME, 0 },
};

/*
 * Two good commands, the bad one at index 2, a CMD_SYNC at 3: the queue
 * stops at 2 with CERROR_ILL and GERROR.CMDQ_ERR (and its interrupt); it
 * stays stopped (even when PROD is written) until software replaces the
 * command and acknowledges; then it completes.
 */
static void body_cerror_ill(void)
{
	const struct ill_case *c = tb.arg;

	smmu_start(3);
	put_tlbi_all();
	put_cfgi_all();
	put_raw(c->d0, c->d1);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 10 * SIM_US));
	CHECK_EQ(cons_iw(), 2);
	CHECK_EQ(cons_err(), SMMUV3_CERROR_ILL);
	CHECK_EQ(tb.smmu->stats.cmds, 2);
	CHECK_EQ(tb.smmu->stats.cmd_errors[SMMUV3_CERROR_ILL], 1);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_ERROR);
	delay(1000);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	/* No resumption before the acknowledgement. */
	publish();
	delay(5000);
	CHECK_EQ(cons_iw(), 2);
	CHECK_EQ(tb.smmu->stats.cmds, 2);
	/* Replace it with a CMD_SYNC (Linux's fix), then acknowledge. */
	put_raw_at(2, SMMUV3_CMD_SYNC, 0);
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	CHECK(wait_cons(4, 10 * SIM_US));
	CHECK_EQ(tb.smmu->stats.cmds, 4);
	CHECK_EQ(tb.smmu->stats.syncs, 2);
	CHECK(!gerror_active(SMMUV3_GERROR_CMDQ_ERR));
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	/* §6.3.28: ERR is UNKNOWN while no error is active; the model keeps it. */
	CHECK_EQ(cons_err(), SMMUV3_CERROR_ILL);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
}

static void test_cerror_ill(void **state)
{
	for (size_t i = 0; i < sizeof(ill_cases) / sizeof(ill_cases[0]); i++) {
		print_message("# %s\n", ill_cases[i].what);
		tb_setup(body_cerror_ill, &ill_cases[i], ill_cases[i].tweak);
		tb_run();
	}
}

/*
 * CERROR_ABT: the queue base is outside memory.  Software disables the
 * queue (allowed while the error is active), moves it to memory and
 * re-enables; the error still stops it until acknowledged.
 */
static void body_cerror_abt(void)
{
	const uint64_t nowhere = 0x10000;	/* below HW_MEM_BASE */

	smmuv3_write64(tb.smmu, SMMUV3_CMDQ_BASE, nowhere | 2);
	tb.cmdq_log2 = 2;
	wr(SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	cr0_set(SMMUV3_CR0_CMDQEN, true);
	wr(SMMUV3_CMDQ_PROD, 2);
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 10 * SIM_US));
	CHECK_EQ(cons_iw(), 0);
	CHECK_EQ(cons_err(), SMMUV3_CERROR_ABT);
	CHECK_EQ(tb.smmu->stats.cmd_errors[SMMUV3_CERROR_ABT], 1);
	delay(1000);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);

	cr0_set(SMMUV3_CR0_CMDQEN, false);
	cmdq_place(2);
	put_cfgi_all();
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	cr0_set(SMMUV3_CR0_CMDQEN, true);
	delay(2000);
	CHECK_EQ(cons_iw(), 0);			/* CMDQEN does not acknowledge */
	CHECK(gerror_active(SMMUV3_GERROR_CMDQ_ERR));
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	CHECK(wait_cons(2, 10 * SIM_US));
	CHECK_EQ(tb.smmu->stats.syncs, 1);
}

static void test_cerror_abt(void **state)
{
	tb_setup(body_cerror_abt, NULL, NULL);
	tb_run();
}

/* The GERROR interrupt as an MSI; an aborted one sets MSI_GERROR_ABT_ERR. */
static void body_gerror_msi(void)
{
	volatile uint32_t *word = hw_mem_ptr(tb.mem, tb.msi_pa, 4);

	cmdq_place(2);
	smmuv3_write64(tb.smmu, SMMUV3_GERROR_IRQ_CFG0, tb.msi_pa);
	wr(SMMUV3_GERROR_IRQ_CFG1, 0xfeed);
	wr(SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	cr0_set(SMMUV3_CR0_CMDQEN, true);
	put_raw(0x08, 0);
	publish();
	while (*word != 0xfeed)
		sim_wfe_wait("gerror msi", (const void *)word);
	CHECK(gerror_active(SMMUV3_GERROR_CMDQ_ERR));
	CHECK_EQ(tb.smmu->stats.msi_writes, 1);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 0);

	/* Point the GERROR MSI outside memory: its abort is recorded, not signalled. */
	put_raw_at(0, SMMUV3_CMD_SYNC, 0);
	put_raw(0x08, 0);
	wr(SMMUV3_IRQ_CTRL, 0);
	smmuv3_write64(tb.smmu, SMMUV3_GERROR_IRQ_CFG0, 0x10000);
	wr(SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	publish();
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 10 * SIM_US));
	CHECK_EQ(cons_iw(), 1);
	CHECK(gerror_active(SMMUV3_GERROR_MSI_GERROR_ABT_ERR));
	CHECK_EQ(tb.smmu->stats.msi_writes, 2);
	CHECK_EQ(tb.smmu->stats.gerrors, 3);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 0);
}

static void test_gerror_msi(void **state)
{
	tb_setup(body_gerror_msi, NULL, NULL);
	tb_run();
}

/* No GERROR interrupt while IRQ_CTRL.GERROR_IRQEN is clear (§7.5.1). */
static void body_gerror_irqen(void)
{
	cmdq_place(2);
	cr0_set(SMMUV3_CR0_CMDQEN, true);
	put_raw(0x08, 0);
	publish();
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 10 * SIM_US));
	delay(1000);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 0);
	CHECK_EQ(tb.smmu->stats.irqs_raised, 0);
	wr(SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	put_raw_at(0, SMMUV3_CMD_SYNC, 0);
	put_raw(0x08, 0);
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	publish();
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 10 * SIM_US));
	delay(1000);
	CHECK_EQ(cons_iw(), 1);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	CHECK_EQ(tb.smmu->stats.irqs_raised, 1);
}

static void test_gerror_irqen(void **state)
{
	tb_setup(body_gerror_irqen, NULL, NULL);
	tb_run();
}

/* ------------------------------------------------------------------ */
/* CMD_SYNC completion signals                                         */
/* ------------------------------------------------------------------ */

static void body_sync_signals(void)
{
	volatile uint32_t *word = hw_mem_ptr(tb.mem, tb.msi_pa, 4);
	uint32_t target;

	smmu_start(3);
	/* CS=IRQ with an MSI address: the word becomes MSIDATA (WFE wakes). */
	*word = 0;
	put_cfgi_all();
	put_sync(SMMUV3_CMD_SYNC_CS_IRQ, tb.msi_pa, 0x1234abcd);
	publish();
	while (*word != 0x1234abcd)
		sim_wfe_wait("sync msi", (const void *)word);
	CHECK_EQ(cons_iw(), 2);			/* consumed before the MSI */
	CHECK_EQ(tb.smmu->stats.syncs, 1);
	CHECK_EQ(tb.smmu->stats.msi_writes, 1);

	/* CS=SEV: completion seen through CONS, polled with WFE. */
	put_tlbi_all();
	put_sync(SMMUV3_CMD_SYNC_CS_SEV, 0, 0);
	publish();
	target = tb.prod;
	while (cons_iw() != target)
		sim_wfe_wait("cmdq cons", tb.smmu);
	CHECK_EQ(tb.smmu->stats.syncs, 2);

	/* Any CONS move is an event: poll with WFE past a TLBI. */
	put_tlbi_all();
	publish();
	target = tb.prod;
	while (cons_iw() != target)
		sim_wfe_wait("cmdq cons", tb.smmu);

	/* CS=IRQ without an MSI address: the wired CMD_SYNC line. */
	put_sync(SMMUV3_CMD_SYNC_CS_IRQ, 0, 0x55);
	publish();
	CHECK(wait_cons(tb.prod, 10 * SIM_US));
	delay(500);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_CMDQ_SYNC], 1);

	/* CS=NONE: nothing but CONS. */
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, tb.msi_pa, 0x77);
	publish();
	CHECK(wait_cons(tb.prod, 10 * SIM_US));
	CHECK_EQ(*word, 0x1234abcd);

	/* An aborted CMD_SYNC MSI: MSI_CMDQ_ABT_ERR, the CMD_SYNC completes. */
	put_sync(SMMUV3_CMD_SYNC_CS_IRQ, 0x10000, 0x99);
	publish();
	CHECK(wait_cons(tb.prod, 10 * SIM_US));
	CHECK(gerror_active(SMMUV3_GERROR_MSI_CMDQ_ABT_ERR));
	CHECK(!gerror_active(SMMUV3_GERROR_CMDQ_ERR));
	delay(500);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_CMDQ_SYNC], 1);
	CHECK_EQ(tb.smmu->stats.gerrors, 1);
	/* Again while MSI_CMDQ_ABT_ERR is active: not logged again (§7.5). */
	put_sync(SMMUV3_CMD_SYNC_CS_IRQ, 0x10000, 0x99);
	publish();
	CHECK(wait_cons(tb.prod, 10 * SIM_US));
	delay(500);
	CHECK(gerror_active(SMMUV3_GERROR_MSI_CMDQ_ABT_ERR));
	CHECK_EQ(tb.smmu->stats.gerrors, 1);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	CHECK_EQ(tb.smmu->stats.msi_writes, 3);
	CHECK_EQ(tb.smmu->stats.syncs, 6);
	CHECK_EQ(tb.smmu->stats.cmds, 9);
}

static void test_sync_signals(void **state)
{
	tb_setup(body_sync_signals, NULL, NULL);
	tb_run();
}

/* Without IDR0.MSI the MSI address is ignored: the wired line. */
static void no_msi(struct smmuv3_config *c)
{
	c->msi = false;
}

static void body_sync_no_msi(void)
{
	smmu_start(3);
	put_sync(SMMUV3_CMD_SYNC_CS_IRQ, tb.msi_pa, 0x1234);
	publish();
	CHECK(wait_cons(tb.prod, 10 * SIM_US));
	delay(500);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_CMDQ_SYNC], 1);
	CHECK_EQ(tb.smmu->stats.msi_writes, 0);
	CHECK_EQ(*(uint32_t *)hw_mem_ptr(tb.mem, tb.msi_pa, 4), 0);
}

static void test_sync_no_msi(void **state)
{
	tb_setup(body_sync_no_msi, NULL, no_msi);
	tb_run();
}

/*
 * Clearing CMDQEN while a CMD_SYNC waits: CR0ACK.CMDQEN clears only when
 * the CMD_SYNC has been consumed (§6.3.9.3), and nothing more is consumed.
 */
static void body_cmdqen_clear(void)
{
	uint32_t cr0;

	smmu_start(3);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	put_tlbi_all();
	publish();
	CHECK(wait_cons(1, 10 * SIM_US));
	CHECK(wait_state(SMMUV3_CMDQ_SYNC_WAIT, SIM_US));
	cr0 = rd(SMMUV3_CR0) & ~SMMUV3_CR0_CMDQEN;
	wr(SMMUV3_CR0, cr0);
	CHECK(rd(SMMUV3_CR0ACK) & SMMUV3_CR0_CMDQEN);
	while (rd(SMMUV3_CR0ACK) != cr0)
		sim_delay(POLL_NS);
	CHECK_EQ(cons_iw(), 2);
	delay(2000);
	CHECK_EQ(cons_iw(), 2);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
	cr0_set(SMMUV3_CR0_CMDQEN, true);
	CHECK(wait_cons(3, 10 * SIM_US));
}

static void test_cmdqen_clear(void **state)
{
	tb_setup(body_cmdqen_clear, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_OK, 0);
	tb_run();
}

/* ------------------------------------------------------------------ */
/* ATC invalidation                                                    */
/* ------------------------------------------------------------------ */

/* CMD_SYNC waits for the ATC_INV before it; a port-less SID completes at once. */
static void body_sync_waits_atc(void)
{
	const struct smmuv3_atc_inv *inv;
	sim_time_t sent;

	smmu_start(3);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(1, 10 * SIM_US));
	inv = last_atc_inv();
	CHECK(inv != NULL);
	if (!inv)
		return;
	sent = inv->sent_at;
	CHECK_EQ(inv->sid, SID_EP);
	CHECK_EQ(inv->deadline, sent + CPL_TIMEOUT);
	CHECK(wait_state(SMMUV3_CMDQ_SYNC_WAIT, SIM_US));
	CHECK(wait_cons(2, 2 * INV_LATENCY));
	CHECK(sim_now() >= sent + INV_LATENCY);
	CHECK_EQ(tb.smmu->stats.atc_inv_sent, 1);
	CHECK_EQ(tb.smmu->stats.atc_inv_done, 1);
	CHECK_EQ(tb.smmu->stats.atc_inv_timeouts, 0);
	CHECK(last_atc_inv() == NULL);		/* retired by the CMD_SYNC */
	CHECK_EQ(tb.smmu->ports[0].itags_busy, 0);

	/* No endpoint connected for SID 0x99: done at once. */
	put_atc_inv(0x99);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(4, 2 * SIM_US));
	CHECK_EQ(tb.smmu->stats.atc_inv_done, 2);

	/* With SMMUEN clear, ATC_INV is ignored (§6.3.9.6). */
	cr0_set(SMMUV3_CR0_SMMUEN, false);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(6, 2 * SIM_US));
	CHECK_EQ(tb.smmu->stats.atc_inv_sent, 2);
	CHECK_EQ(pcie_ep_stats(tb.ep)->inv_received, 1);
}

static void test_sync_waits_atc(void **state)
{
	tb_setup(body_sync_waits_atc, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_OK, 0);
	tb_run();
}

/*
 * An unresponsive endpoint: the CMD_SYNC fails with CERROR_ATC_INV_SYNC
 * exactly at sent_at + completion timeout, CONS at the CMD_SYNC; after
 * the acknowledgement the CMD_SYNC re-runs and completes.
 */
static void body_atc_timeout(void)
{
	const struct smmuv3_atc_inv *inv;
	sim_time_t sent;

	smmu_start(3);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_SEV, 0, 0);
	publish();
	CHECK(wait_cons(1, 10 * SIM_US));
	inv = last_atc_inv();
	CHECK(inv != NULL);
	if (!inv)
		return;
	sent = inv->sent_at;
	delay(CPL_TIMEOUT / 2);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_SYNC_WAIT);
	CHECK(!gerror_active(SMMUV3_GERROR_CMDQ_ERR));
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, CPL_TIMEOUT));
	delay(1000);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	CHECK_EQ(tb.irq_at[SMMUV3_IRQ_GERROR], sent + CPL_TIMEOUT);
	CHECK_EQ(cons_iw(), 1);
	CHECK_EQ(cons_err(), SMMUV3_CERROR_ATC_INV_SYNC);
	CHECK_EQ(tb.smmu->stats.atc_inv_timeouts, 1);
	CHECK_EQ(tb.smmu->stats.cmd_errors[SMMUV3_CERROR_ATC_INV_SYNC], 1);
	CHECK(last_atc_inv() == NULL);		/* the failed one is retired */
	delay(10 * SIM_US);
	CHECK_EQ(cons_iw(), 1);			/* no resumption before the ack */
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	CHECK(wait_cons(2, 2 * SIM_US));
	CHECK_EQ(tb.smmu->stats.syncs, 1);
}

static void test_atc_timeout(void **state)
{
	tb_setup(body_atc_timeout, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_UNRESPONSIVE, 0);
	tb_run();
}

/*
 * Completions injected by hand (the endpoint never answers): a wrong
 * requester, a duplicate, a late one for a retired invalidation whose
 * ITag a newer invalidation now uses, and a late one after a timeout.
 * None is credited to another invalidation.
 */
static void inject_cpl(uint32_t requester, uint8_t itag, uint64_t cookie)
{
	struct pcie_inv_cpl c = {
		.requester = requester, .itag_vector = 1U << itag, .cc = 1, .cookie = cookie,
	};

	smmuv3_atc_inv_completion(tb.smmu, &c);
}

static void body_atc_bad_completions(void)
{
	const struct smmuv3_stats *st = smmuv3_stats(tb.smmu);
	const struct smmuv3_atc_inv *inv;
	uint64_t c1, c2;
	uint8_t itag1;

	smmu_start(3);
	put_atc_inv(SID_EP);
	publish();
	CHECK(wait_stat(&st->atc_inv_sent, 1, 10 * SIM_US));
	inv = last_atc_inv();
	CHECK(inv != NULL);
	if (!inv)
		return;
	c1 = inv->cookie;
	itag1 = inv->itag;

	inject_cpl(SID_EP + 1, itag1, c1);
	CHECK_EQ(st->atc_cpl_wrong_requester, 1);
	CHECK(!inv->done);
	inject_cpl(SID_EP, itag1, c1);
	CHECK(inv->done);
	CHECK_EQ(st->atc_inv_done, 1);
	inject_cpl(SID_EP, itag1, c1);
	CHECK_EQ(st->atc_cpl_dup, 1);
	CHECK_EQ(st->atc_inv_done, 1);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(2, 10 * SIM_US));	/* retires c1 */

	put_atc_inv(SID_EP);
	publish();
	CHECK(wait_stat(&st->atc_inv_sent, 2, 10 * SIM_US));
	inv = last_atc_inv();
	CHECK(inv != NULL);
	if (!inv)
		return;
	c2 = inv->cookie;
	CHECK_EQ(inv->itag, itag1);		/* the ITag is reused */
	CHECK(c2 != c1);
	inject_cpl(SID_EP, itag1, c1);		/* late: never credited to c2 */
	CHECK_EQ(st->atc_cpl_late, 1);
	CHECK(!inv->done);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 2 * CPL_TIMEOUT));
	CHECK_EQ(cons_iw(), 3);
	CHECK_EQ(cons_err(), SMMUV3_CERROR_ATC_INV_SYNC);
	inject_cpl(SID_EP, itag1, c2);		/* after its timeout: late */
	CHECK_EQ(st->atc_cpl_late, 2);
	CHECK_EQ(st->atc_inv_done, 1);
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	CHECK(wait_cons(4, 10 * SIM_US));

	/* Timed out but not yet retired (no CMD_SYNC yet): still late. */
	put_atc_inv(SID_EP);
	publish();
	CHECK(wait_stat(&st->atc_inv_sent, 3, 10 * SIM_US));
	inv = last_atc_inv();
	CHECK(inv != NULL);
	if (!inv)
		return;
	delay(CPL_TIMEOUT + SIM_US);
	inject_cpl(SID_EP, inv->itag, inv->cookie);
	CHECK_EQ(st->atc_cpl_late, 3);
	CHECK(!inv->done);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 10 * SIM_US));
	CHECK_EQ(cons_iw(), 5);
	CHECK_EQ(st->atc_inv_timeouts, 2);
	gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	CHECK(wait_cons(6, 10 * SIM_US));
	CHECK_EQ(st->atc_inv_done, 1);
	CHECK_EQ(st->atc_cpl_dup, 1);
	CHECK_EQ(st->atc_cpl_wrong_requester, 1);
}

static void test_atc_bad_completions(void **state)
{
	tb_setup(body_atc_bad_completions, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_UNRESPONSIVE, 0);
	tb_run();
}

/* The same, with the endpoint misbehaving by itself. */
struct ep_case {
	const char *what;
	enum pcie_atc_inv_mode mode;
	sim_time_t slow;
	bool fails;		/* the CMD_SYNC fails */
	size_t stat;		/* offsetof the counter that must be 1 */
};

static const struct ep_case ep_cases[] = {
	{ "duplicate", PCIE_ATC_INV_DUPLICATE, 0, false,
	  offsetof(struct smmuv3_stats, atc_cpl_dup) },
	{ "wrong requester", PCIE_ATC_INV_WRONG_REQUESTER, 0, true,
	  offsetof(struct smmuv3_stats, atc_cpl_wrong_requester) },
	{ "slow", PCIE_ATC_INV_SLOW, 2 * CPL_TIMEOUT, true,
	  offsetof(struct smmuv3_stats, atc_cpl_late) },
};

static void body_ep_misbehaves(void)
{
	const struct ep_case *c = tb.arg;
	const struct smmuv3_stats *st = smmuv3_stats(tb.smmu);
	const uint64_t *ctr = (const uint64_t *)((const char *)st + c->stat);

	smmu_start(3);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	if (c->fails) {
		CHECK(wait_gerror(SMMUV3_GERROR_CMDQ_ERR, 2 * CPL_TIMEOUT));
		CHECK_EQ(cons_err(), SMMUV3_CERROR_ATC_INV_SYNC);
		gerror_ack(SMMUV3_GERROR_CMDQ_ERR);
	}
	CHECK(wait_cons(2, 2 * CPL_TIMEOUT));
	CHECK(wait_stat(ctr, 1, 3 * CPL_TIMEOUT));
	CHECK_EQ(*ctr, 1);
	CHECK_EQ(st->atc_inv_done, c->fails ? 0 : 1);
	CHECK_EQ(st->atc_inv_timeouts, c->fails ? 1 : 0);
}

static void test_ep_misbehaves(void **state)
{
	for (size_t i = 0; i < sizeof(ep_cases) / sizeof(ep_cases[0]); i++) {
		print_message("# %s\n", ep_cases[i].what);
		tb_setup(body_ep_misbehaves, &ep_cases[i], NULL);
		tb_add_ep(ep_cases[i].mode, ep_cases[i].slow);
		tb_run();
	}
}

/*
 * More ATC_INVs to one function than it has ITags: the engine waits for
 * ITags to free (completions), then the CMD_SYNC completes.
 */
static void body_itag_exhaustion(void)
{
	smmu_start(6);			/* 64 entries */
	for (int i = 0; i < SMMUV3_ITAGS + 8; i++)
		put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(tb.prod, 20 * INV_LATENCY));
	CHECK_EQ(tb.smmu->stats.atc_inv_sent, SMMUV3_ITAGS + 8);
	CHECK_EQ(tb.smmu->stats.atc_inv_done, SMMUV3_ITAGS + 8);
	CHECK_EQ(tb.smmu->stats.syncs, 1);
}

static void test_itag_exhaustion(void **state)
{
	tb_setup(body_itag_exhaustion, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_OK, 0);
	tb_run();
}

/* ------------------------------------------------------------------ */
/* Service Failure Mode and reset                                      */
/* ------------------------------------------------------------------ */

static void body_sfm(void)
{
	smmu_start(3);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(1, 10 * SIM_US));
	CHECK(wait_state(SMMUV3_CMDQ_SYNC_WAIT, SIM_US));

	smmuv3_inject_sfm(tb.smmu);
	CHECK(gerror_active(SMMUV3_GERROR_SFM_ERR));
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_HALTED);
	CHECK(last_atc_inv() == NULL);		/* outstanding ATC_INVs dropped */
	delay(1000);
	CHECK_EQ(tb.irqs[SMMUV3_IRQ_GERROR], 1);
	put_tlbi_all();
	publish();
	delay(2 * CPL_TIMEOUT);
	CHECK_EQ(cons_iw(), 1);			/* halted: nothing consumed */
	CHECK(!gerror_active(SMMUV3_GERROR_CMDQ_ERR));
	gerror_ack(SMMUV3_GERROR_SFM_ERR);	/* does not leave SFM */
	delay(2000);
	CHECK_EQ(cons_iw(), 1);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_HALTED);

	smmuv3_reset(tb.smmu);
	CHECK_EQ(rd(SMMUV3_CR0), 0);
	CHECK_EQ(rd(SMMUV3_GERROR), 0);
	CHECK_EQ(rd(SMMUV3_CMDQ_CONS), 0);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
	smmu_start(3);
	put_cfgi_all();
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(2, 10 * SIM_US));
	CHECK_EQ(tb.smmu->stats.atc_inv_sent, 1);
}

static void test_sfm(void **state)
{
	tb_setup(body_sfm, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_UNRESPONSIVE, 0);
	tb_run();
}

/* A reset abandons a CMD_SYNC waiting for an ATC_INV; no error follows. */
static void body_reset_in_sync(void)
{
	smmu_start(3);
	put_atc_inv(SID_EP);
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(1, 10 * SIM_US));
	CHECK(wait_state(SMMUV3_CMDQ_SYNC_WAIT, SIM_US));
	smmuv3_reset(tb.smmu);
	CHECK_EQ(tb.smmu->cmdq_state, SMMUV3_CMDQ_IDLE);
	CHECK(last_atc_inv() == NULL);
	CHECK_EQ(tb.smmu->ports[0].itags_busy, 0);
	smmu_start(3);
	put_cfgi_all();
	put_sync(SMMUV3_CMD_SYNC_CS_NONE, 0, 0);
	publish();
	CHECK(wait_cons(2, 10 * SIM_US));
	delay(CPL_TIMEOUT + SIM_US);
	CHECK_EQ(rd(SMMUV3_GERROR), 0);
	CHECK_EQ(tb.smmu->stats.syncs, 1);
	CHECK_EQ(tb.smmu->stats.atc_inv_timeouts, 0);
	CHECK_EQ(tb.smmu->stats.cmd_errors[SMMUV3_CERROR_ATC_INV_SYNC], 0);
	CHECK_EQ(cons_iw(), 2);
}

static void test_reset_in_sync(void **state)
{
	tb_setup(body_reset_in_sync, NULL, NULL);
	tb_add_ep(PCIE_ATC_INV_UNRESPONSIVE, 0);
	tb_run();
}

/* ------------------------------------------------------------------ */
/* The invariant reports each broken rule                              */
/* ------------------------------------------------------------------ */

static void test_invariant_detects(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");
	struct hw_mem *mem = hw_mem_create(MEM_SIZE);
	struct smmuv3_config cfg;
	struct smmuv3 *smmu;

	smmuv3_config_default(&cfg);
	smmu = smmuv3_create(s, mem, &cfg);
	assert_null(smmuv3_cmdq_invariant(smmu));
	smmu->cmdq_state = SMMUV3_CMDQ_HALTED;
	assert_non_null(strstr(smmuv3_cmdq_invariant(smmu), "Service Failure"));
	smmu->cmdq_state = SMMUV3_CMDQ_ERROR;
	assert_non_null(strstr(smmuv3_cmdq_invariant(smmu), "ERROR without"));
	smmu->gerror = SMMUV3_GERROR_CMDQ_ERR;
	assert_null(smmuv3_cmdq_invariant(smmu));
	smmu->cmdq_state = SMMUV3_CMDQ_IDLE;
	assert_non_null(strstr(smmuv3_cmdq_invariant(smmu), "IDLE with"));
	smmu->gerror = 0;
	smmu->cmdq_state = SMMUV3_CMDQ_RUNNING;
	assert_non_null(strstr(smmuv3_cmdq_invariant(smmu), "CMDQEN"));
	smmu->cr0 = smmu->cr0ack = SMMUV3_CR0_CMDQEN;
	assert_null(smmuv3_cmdq_invariant(smmu));
	smmu->cmdq_state = SMMUV3_CMDQ_SYNC_WAIT;
	assert_non_null(strstr(smmuv3_cmdq_invariant(smmu), "SYNC_WAIT"));
	smmu->cmdq_state = SMMUV3_CMDQ_IDLE;
	smmu->sfm = true;
	assert_non_null(strstr(smmuv3_cmdq_invariant(smmu), "Service Failure"));
	sim_destroy(s);
	hw_mem_destroy(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_and_idrs),
		cmocka_unit_test(test_config_validation),
		cmocka_unit_test(test_reg_names),
		cmocka_unit_test(test_cr0_and_guards),
		cmocka_unit_test(test_queue_wrap),
		cmocka_unit_test(test_cmdq_wrap),
		cmocka_unit_test(test_cerror_ill),
		cmocka_unit_test(test_cerror_abt),
		cmocka_unit_test(test_gerror_msi),
		cmocka_unit_test(test_gerror_irqen),
		cmocka_unit_test(test_sync_signals),
		cmocka_unit_test(test_sync_no_msi),
		cmocka_unit_test(test_cmdqen_clear),
		cmocka_unit_test(test_sync_waits_atc),
		cmocka_unit_test(test_atc_timeout),
		cmocka_unit_test(test_atc_bad_completions),
		cmocka_unit_test(test_ep_misbehaves),
		cmocka_unit_test(test_itag_exhaustion),
		cmocka_unit_test(test_sfm),
		cmocka_unit_test(test_reset_in_sync),
		cmocka_unit_test(test_invariant_detects),
	};

	return cmocka_run_group_tests_name("smmuv3_cmdq", tests, NULL, NULL);
}
