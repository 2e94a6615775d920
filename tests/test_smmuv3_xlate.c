// SPDX-License-Identifier: MIT
/*
 * The SMMUv3 model's data plane: configuration fetch and cache, TLB,
 * translation and faults, stall, event queue, PRI queue, ATS.
 *
 * Every test builds a simulator, memory and an SMMU, and programs the SMMU
 * the way a driver does: register writes from a simulated CPU thread,
 * stream table, CDs and page tables in memory (codec encoders,
 * hw_pgtable_map()), commands through the command queue.  Devices are
 * modelled by calling the SMMU's upstream operations from tasks.  Runs use
 * the round-robin strategy: deterministic.
 */
#include "simtest.h"

#include <errno.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/pcie/pcie_regs.h"
#include "hw/pgtable.h"
#include "hw/smmuv3/smmuv3_internal.h"

#define MEM_SIZE	(16ULL << 20)
#define SID		0x10
#define ASID		5
#define IOVA		0x100000ULL
#define STRTAB_LOG2	8	/* 256 StreamIDs, linear */
#define CMDQ_LOG2	6
#define POLL_NS		100
#define POLL_MAX	100000

struct fx;
typedef void (*fx_body)(struct fx *f);

struct fx {
	struct sim *s;
	struct hw_mem *m;
	struct smmuv3 *smmu;
	struct smmuv3_config cfg;
	unsigned evtq_log2, priq_log2;
	uint64_t strtab, cmdq, evtq, priq;
	uint32_t cmdq_prod, evtq_cons, priq_cons;
	uint64_t cd, ttb;		/* the default CD and its table root */
	uint32_t strtab_cfg;		/* STRTAB_BASE_CFG; 0: linear, STRTAB_LOG2 */
	fx_body body;
	unsigned irqs[SMMUV3_NR_IRQS];	/* deliveries on wired lines */
	bool done;
};

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

/* @bytes of zeroed memory aligned to @align (a power of two >= 4 KiB). */
static uint64_t alloc_aligned(struct fx *f, uint64_t bytes, uint64_t align, const char *owner)
{
	uint64_t pa, npages = (bytes + align) / HW_PAGE_SIZE;

	assert_int_equal(hw_mem_alloc(f->m, npages, owner, &pa), 0);
	return (pa + align - 1) & ~(align - 1);
}

static void *ptr(struct fx *f, uint64_t pa, size_t len)
{
	void *p = hw_mem_ptr(f->m, pa, len);

	assert_non_null(p);
	return p;
}

static uint64_t q_base(uint64_t pa, unsigned log2)
{
	return (pa & SMMUV3_Q_BASE_ADDR) | FIELD_PREP(SMMUV3_Q_BASE_LOG2SIZE, log2);
}

static uint32_t iw_mask(unsigned log2)
{
	return (2U << log2) - 1;
}

static uint32_t q_inc(uint32_t p, unsigned log2)
{
	return (p & ~iw_mask(log2)) | (((p & iw_mask(log2)) + 1) & iw_mask(log2));
}

/* Program the SMMU through MMIO and enable it (runs in the body's task). */
static void smmu_enable(struct fx *f, uint32_t extra_cr0)
{
	struct smmuv3 *smmu = f->smmu;

	smmuv3_write64(smmu, SMMUV3_STRTAB_BASE, f->strtab);
	smmuv3_write32(smmu, SMMUV3_STRTAB_BASE_CFG, f->strtab_cfg ? f->strtab_cfg :
		       FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, STRTAB_LOG2));
	smmuv3_write64(smmu, SMMUV3_CMDQ_BASE, q_base(f->cmdq, CMDQ_LOG2));
	smmuv3_write64(smmu, SMMUV3_EVTQ_BASE, q_base(f->evtq, f->evtq_log2));
	smmuv3_write64(smmu, SMMUV3_PRIQ_BASE, q_base(f->priq, f->priq_log2));
	smmuv3_write32(smmu, SMMUV3_CR2, SMMUV3_CR2_RECINVSID);
	smmuv3_write32(smmu, SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRL_EVTQ_IRQEN |
		       SMMUV3_IRQ_CTRL_PRIQ_IRQEN | SMMUV3_IRQ_CTRL_GERROR_IRQEN);
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN |
		       SMMUV3_CR0_EVTQEN | SMMUV3_CR0_PRIQEN | SMMUV3_CR0_ATSCHK | extra_cr0);
	assert_int_equal(smmuv3_read32(smmu, SMMUV3_CR0ACK) & SMMUV3_CR0_SMMUEN,
			 SMMUV3_CR0_SMMUEN);
}

/* Write an STE at @addr (a stream table slot). */
static void ste_at(struct fx *f, uint64_t addr, struct smmuv3_ste ste)
{
	assert_int_equal(smmuv3_ste_encode(&ste, ptr(f, addr, 64)), 0);
}

/* Write the STE of @sid in the linear stream table. */
static void ste_put(struct fx *f, uint32_t sid, struct smmuv3_ste ste)
{
	ste_at(f, f->strtab + sid * 64ULL, ste);
}

static void cd_put(struct fx *f, uint64_t addr, struct smmuv3_cd cd)
{
	assert_int_equal(smmuv3_cd_encode(&cd, ptr(f, addr, 64)), 0);
}

static struct smmuv3_cd cd_default(uint16_t asid, uint64_t ttb)
{
	return (struct smmuv3_cd){
		.valid = true, .asid = asid, .ttb0 = ttb, .t0sz = 16,
		.tg0 = SMMUV3_CD_TG0_4K, .ips = SMMUV3_IDR5_OAS_48_BIT,
		.aa64 = true, .r = true, .a = true,
	};
}

static struct smmuv3_ste ste_s1(uint64_t cdptr)
{
	return (struct smmuv3_ste){
		.valid = true, .config = SMMUV3_STE_CONFIG_S1_TRANS,
		.s1ctxptr = cdptr, .eats = SMMUV3_STE_EATS_TRANS,
		.s1stalld = false,
	};
}

static struct smmuv3_ste ste_cfg(uint8_t config)
{
	return (struct smmuv3_ste){ .valid = true, .config = config };
}

/* A page of memory mapped at @iova in @ttb with @perm; returns its PA. */
static uint64_t map_new(struct fx *f, uint64_t ttb, uint64_t iova, uint8_t perm)
{
	uint64_t pa;

	assert_int_equal(hw_mem_alloc(f->m, 1, "dom0 page", &pa), 0);
	assert_int_equal(hw_pgtable_map(f->m, ttb, iova, pa, perm, "dom0"), 0);
	return pa;
}

static uint64_t *pte_of(struct fx *f, uint64_t ttb, uint64_t iova)
{
	uint64_t table = ttb;

	for (int level = 0; level < 3; level++) {
		uint64_t *slot = ptr(f, table + 8 * ((iova >> (12 + 9 * (3 - level))) & 511), 8);

		table = *slot & HW_PTE_ADDR;
	}
	return ptr(f, table + 8 * ((iova >> 12) & 511), 8);
}

/* ------------------------------------------------------------------ */
/* Commands and queues                                                 */
/* ------------------------------------------------------------------ */

static void cmd_put(struct fx *f, const struct smmuv3_cmd *c)
{
	uint64_t *ent = ptr(f, f->cmdq + (f->cmdq_prod & ((1U << CMDQ_LOG2) - 1)) * 16ULL, 16);

	assert_int_equal(smmuv3_cmd_encode(c, ent), 0);
	f->cmdq_prod = q_inc(f->cmdq_prod, CMDQ_LOG2);
}

/* Issue @c followed by CMD_SYNC and wait until both are consumed. */
static void cmd_sync(struct fx *f, const struct smmuv3_cmd *c)
{
	struct smmuv3_cmd sync = { .opcode = SMMUV3_CMD_SYNC, .sync.cs = SMMUV3_CMD_SYNC_CS_NONE };
	int n = 0;

	if (c)
		cmd_put(f, c);
	cmd_put(f, &sync);
	smmuv3_write32(f->smmu, SMMUV3_CMDQ_PROD, f->cmdq_prod);
	while ((smmuv3_read32(f->smmu, SMMUV3_CMDQ_CONS) & iw_mask(CMDQ_LOG2)) != f->cmdq_prod) {
		assert_true(++n < POLL_MAX);
		sim_delay(POLL_NS);
	}
}

static void cfgi_ste(struct fx *f, uint32_t sid, bool leaf)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_CFGI_STE, .cfgi = { .sid = sid, .leaf = leaf } };

	cmd_sync(f, &c);
}

static void tlbi_va(struct fx *f, uint16_t asid, uint64_t iova)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_TLBI_NH_VA,
				.tlbi = { .asid = asid, .addr = iova & HW_PAGE_MASK } };

	cmd_sync(f, &c);
}

static void resume(struct fx *f, uint32_t sid, uint16_t stag, uint8_t resp)
{
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_RESUME,
				.resume = { .sid = sid, .stag = stag, .resp = resp } };

	cmd_sync(f, &c);
}

/* Entries software can consume (PROD read through MMIO). */
static unsigned evtq_count(struct fx *f)
{
	uint32_t prod = smmuv3_read32(f->smmu, SMMUV3_EVTQ_PROD) & iw_mask(f->evtq_log2);
	uint32_t cons = f->evtq_cons & iw_mask(f->evtq_log2);

	return (prod - cons) & iw_mask(f->evtq_log2);
}

/* Consume one event record; false when the queue is empty. */
static bool evtq_pop(struct fx *f, struct smmuv3_event *evt)
{
	uint32_t idx = f->evtq_cons & ((1U << f->evtq_log2) - 1);

	if (!evtq_count(f))
		return false;
	smmuv3_event_decode(ptr(f, f->evtq + idx * 32ULL, 32), evt);
	f->evtq_cons = q_inc(f->evtq_cons, f->evtq_log2);
	smmuv3_write32(f->smmu, SMMUV3_EVTQ_CONS, f->evtq_cons);
	return true;
}

/* The only pending event must be @id for @sid; returns it. */
static struct smmuv3_event expect_event(struct fx *f, uint8_t id, uint32_t sid)
{
	struct smmuv3_event evt;

	assert_true(evtq_pop(f, &evt));
	if (evt.id != id)
		fprintf(stderr, "# expected event %s, got %s\n", smmuv3_event_name(id),
			smmuv3_event_name(evt.id));
	assert_int_equal(evt.id, id);
	assert_int_equal(evt.sid, sid);
	assert_int_equal(evtq_count(f), 0);
	return evt;
}

static void expect_no_event(struct fx *f)
{
	assert_int_equal(evtq_count(f), 0);
}

/* ------------------------------------------------------------------ */
/* Devices                                                             */
/* ------------------------------------------------------------------ */

static struct pcie_txn txn(uint32_t sid, uint64_t iova, bool write)
{
	return (struct pcie_txn){ .device = "dev0", .sid = sid, .write = write,
				  .at = PCIE_AT_UNTRANSLATED, .addr = iova };
}

/* An 8-byte DMA through the SMMU; returns the upstream op's result. */
static int dma(struct fx *f, uint32_t sid, uint64_t iova, bool write, uint64_t *val)
{
	struct pcie_txn t = txn(sid, iova, write);

	return smmuv3_mem_request(f->smmu, &t, val, 8);
}

static int dma_pasid(struct fx *f, uint32_t sid, uint32_t pasid, bool priv, uint64_t iova,
		     bool write, uint64_t *val)
{
	struct pcie_txn t = txn(sid, iova, write);

	t.pasid_valid = true;
	t.pasid = pasid;
	t.priv = priv;
	return smmuv3_mem_request(f->smmu, &t, val, 8);
}

static uint64_t mem64(struct fx *f, uint64_t pa)
{
	return *(uint64_t *)ptr(f, pa, 8);
}

/* ------------------------------------------------------------------ */
/* Runner                                                              */
/* ------------------------------------------------------------------ */

static void body_task(void *arg)
{
	struct fx *f = arg;

	f->body(f);
	f->done = true;
}

static void fx_init(struct fx *f, fx_body body)
{
	struct sim_config sc;

	memset(f, 0, sizeof(*f));
	sim_config_default(&sc);
	sc.ncpus = 2;
	sc.keep_going = true;		/* violations are counted, not fatal */
	sc.check_invariants = true;
	assert_int_equal(sim_strategy_parse("rr", &sc.strategy), 0);
	f->s = sim_create(&sc);
	assert_non_null(f->s);
	f->m = hw_mem_create(MEM_SIZE);
	assert_non_null(f->m);
	smmuv3_config_default(&f->cfg);
	f->evtq_log2 = 5;
	f->priq_log2 = 5;
	f->body = body;
}

/* Create the SMMU and its memory structures; the body runs on CPU 0. */
static void fx_start(struct fx *f)
{
	f->smmu = smmuv3_create(f->s, f->m, &f->cfg);
	assert_non_null(f->smmu);
	f->strtab = alloc_aligned(f, 64ULL << STRTAB_LOG2, 64ULL << STRTAB_LOG2, "strtab");
	f->cmdq = alloc_aligned(f, 16ULL << CMDQ_LOG2, HW_PAGE_SIZE, "cmdq");
	f->evtq = alloc_aligned(f, 32ULL << f->evtq_log2, HW_PAGE_SIZE, "evtq");
	f->priq = alloc_aligned(f, 16ULL << f->priq_log2, HW_PAGE_SIZE, "priq");
	f->cd = alloc_aligned(f, HW_PAGE_SIZE, HW_PAGE_SIZE, "cd");
	assert_int_equal(hw_pgtable_alloc(f->m, "dom0", &f->ttb), 0);
	cd_put(f, f->cd, cd_default(ASID, f->ttb));
	spawn(f->s, "driver", 0, body_task, f);
}

static void fx_run(struct fx *f)
{
	enum sim_end end = sim_run(f->s);

	if (!f->done)
		fprintf(stderr, "# run ended (%s) before the test body finished\n", sim_end_name(end));
	assert_true(f->done);
}

static void fx_fini(struct fx *f)
{
	sim_destroy(f->s);
	hw_mem_destroy(f->m);
}

static unsigned violations(struct fx *f, enum violation_id id)
{
	return f->s->violations->count[id];
}

static void run_body(fx_body body, void (*tune)(struct fx *f))
{
	struct fx f;

	fx_init(&f, body);
	if (tune)
		tune(&f);
	fx_start(&f);
	fx_run(&f);
	assert_int_equal(f.s->violations->n, 0);
	fx_fini(&f);
}

/* ------------------------------------------------------------------ */
/* Bypass, abort, stage-1 translation                                  */
/* ------------------------------------------------------------------ */

static void t_bypass_abort_s1(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	struct pcie_txn t;
	struct hw_xlate x;
	uint64_t buf, p, val;

	/* SMMUEN == 0 and GBPA.ABORT == 0: global bypass */
	assert_int_equal(hw_mem_alloc(f->m, 1, "buffer", &buf), 0);
	val = 0x1111;
	assert_int_equal(dma(f, SID, buf + 8, true, &val), 0);
	assert_int_equal(mem64(f, buf + 8), 0x1111);
	t = txn(SID, buf + 8, false);
	assert_int_equal(smmuv3_translate(smmu, &t, &x), 0);
	assert_int_equal(x.src, HW_XLATE_BYPASS);
	assert_true(x.gen == HW_GEN_ANY);
	assert_true(x.pa == buf);

	/* GBPA.ABORT: every transaction aborted, no event */
	smmuv3_write32(smmu, SMMUV3_GBPA, SMMUV3_GBPA_UPDATE | SMMUV3_GBPA_ABORT);
	val = 0x2222;
	assert_int_equal(dma(f, SID, buf + 8, true, &val), -EFAULT);
	assert_int_equal(mem64(f, buf + 8), 0x1111);

	smmu_enable(f, 0);
	expect_no_event(f);

	/* STE bypass: identity */
	ste_put(f, SID, ste_cfg(SMMUV3_STE_CONFIG_BYPASS));
	val = 0x3333;
	assert_int_equal(dma(f, SID, buf + 16, true, &val), 0);
	assert_int_equal(mem64(f, buf + 16), 0x3333);

	/* STE Config abort: terminated silently */
	ste_put(f, SID + 1, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	val = 0x4444;
	assert_int_equal(dma(f, SID + 1, buf + 16, false, &val), -EFAULT);
	assert_int_equal(val, 0);
	expect_no_event(f);

	/* stage 1: a walk, then the TLB */
	ste_put(f, SID + 2, ste_s1(f->cd));
	p = map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	val = 0x5555;
	assert_int_equal(dma(f, SID + 2, IOVA + 8, true, &val), 0);
	assert_int_equal(mem64(f, p + 8), 0x5555);
	assert_int_equal(smmu->stats.walks, 1);
	assert_int_equal(smmu->stats.tlb_misses, 1);
	t = txn(SID + 2, IOVA + 8, false);
	assert_int_equal(smmuv3_translate(smmu, &t, &x), 0);
	assert_int_equal(x.src, HW_XLATE_SMMU_TLB);
	assert_true(x.pa == p);
	assert_true(x.iova == IOVA);
	assert_true(x.gen == hw_mem_gen(f->m, p));
	assert_int_equal(smmu->stats.tlb_hits, 1);
	assert_int_equal(smmu->stats.walks, 1);
	val = 0;
	assert_int_equal(dma(f, SID + 2, IOVA + 8, false, &val), 0);
	assert_int_equal(val, 0x5555);
	expect_no_event(f);

	/* STE V == 0, and a reserved Config: C_BAD_STE */
	ste_put(f, SID + 3, (struct smmuv3_ste){ 0 });
	assert_int_equal(dma(f, SID + 3, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_STE, SID + 3);
	ste_put(f, SID + 4, ste_cfg(1));
	assert_int_equal(dma(f, SID + 4, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_STE, SID + 4);

	/* a StreamID beyond STRTAB_BASE_CFG.LOG2SIZE: C_BAD_STREAMID ... */
	assert_int_equal(dma(f, 1U << STRTAB_LOG2, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_STREAMID, 1U << STRTAB_LOG2);
	/* ... recorded only with CR2.RECINVSID */
	smmuv3_write32(smmu, SMMUV3_CR2, 0);
	assert_int_equal(dma(f, 1U << STRTAB_LOG2, IOVA, true, &val), -EFAULT);
	expect_no_event(f);

	/* a SubstreamID where stage 1 is off or has no substreams */
	assert_int_equal(dma_pasid(f, SID, 3, false, buf, true, &val), -EFAULT);
	assert_int_equal(expect_event(f, SMMUV3_EVT_C_BAD_SUBSTREAMID, SID).ssid, 3);
	assert_int_equal(dma_pasid(f, SID + 2, 1, false, IOVA, true, &val), -EFAULT);
	assert_int_equal(expect_event(f, SMMUV3_EVT_C_BAD_SUBSTREAMID, SID + 2).ssid, 1);
	assert_int_equal(smmu->stats.faults, 6);
}

static void bypass_abort_s1(void **state)
{
	(void)state;
	run_body(t_bypass_abort_s1, NULL);
}

/* ------------------------------------------------------------------ */
/* Fault records                                                       */
/* ------------------------------------------------------------------ */

static void check_xlate_event(struct fx *f, uint8_t id, uint32_t sid, uint64_t addr, bool read)
{
	struct smmuv3_event e = expect_event(f, id, sid);

	assert_true(e.addr == addr);
	assert_int_equal(e.read, read);
	assert_false(e.stall);
	assert_false(e.s2);
	assert_int_equal(e.class, SMMUV3_EVT_CLASS_IN);
}

/* Translation-related faults of a stream with CD.R = 1, CD.A = 1. */
static void faults_translation(struct fx *f)
{
	uint64_t p, q, val = 0x77;

	ste_put(f, SID, ste_s1(f->cd));
	p = map_new(f, f->ttb, IOVA, HW_PERM_R);
	assert_int_equal(dma(f, SID, IOVA + 0x1010, true, &val), -EFAULT);
	check_xlate_event(f, SMMUV3_EVT_F_TRANSLATION, SID, IOVA + 0x1010, false);
	assert_int_equal(dma(f, SID, IOVA + 0x2000, false, &val), -EFAULT);
	check_xlate_event(f, SMMUV3_EVT_F_TRANSLATION, SID, IOVA + 0x2000, true);

	val = 0x77;
	assert_int_equal(dma(f, SID, IOVA + 8, true, &val), -EFAULT);	/* read-only */
	check_xlate_event(f, SMMUV3_EVT_F_PERMISSION, SID, IOVA + 8, false);
	assert_int_equal(mem64(f, p + 8), 0);
	assert_int_equal(dma(f, SID, IOVA + 8, false, &val), 0);

	q = map_new(f, f->ttb, IOVA + 0x3000, HW_PERM_R | HW_PERM_W);
	*pte_of(f, f->ttb, IOVA + 0x3000) &= ~HW_PTE_AF;
	assert_int_equal(dma(f, SID, IOVA + 0x3000, true, &val), -EFAULT);
	check_xlate_event(f, SMMUV3_EVT_F_ACCESS, SID, IOVA + 0x3000, false);
	assert_int_equal(mem64(f, q), 0);

	assert_int_equal(dma(f, SID, 1ULL << 48, false, &val), -EFAULT);
	check_xlate_event(f, SMMUV3_EVT_F_ADDR_SIZE, SID, 1ULL << 48, true);

	/* unprivileged access to a page with AP[1] == 0 */
	*pte_of(f, f->ttb, IOVA) &= ~HW_PTE_AP_UNPRIV;
	/* the TLB entry still says AP[1] == 1 until a TLBI */
	assert_int_equal(dma(f, SID, IOVA + 16, false, &val), 0);
	tlbi_va(f, ASID, IOVA);
	assert_int_equal(dma(f, SID, IOVA + 16, false, &val), -EFAULT);
	check_xlate_event(f, SMMUV3_EVT_F_PERMISSION, SID, IOVA + 16, true);
}

/* CD.R == 0 suppresses the record; CD.A == 0 makes a read return zeros. */
static void faults_r_a(struct fx *f, uint64_t cdpage)
{
	struct smmuv3_cd cd = cd_default(ASID + 1, f->ttb);
	uint64_t val = 0x1234;

	cd.r = false;
	cd_put(f, cdpage, cd);
	ste_put(f, SID + 1, ste_s1(cdpage));
	assert_int_equal(dma(f, SID + 1, IOVA + 0x9000, true, &val), -EFAULT);
	expect_no_event(f);
	cd.r = true;
	cd.a = false;
	cd_put(f, cdpage + 64, cd);
	ste_put(f, SID + 2, ste_s1(cdpage + 64));
	assert_int_equal(dma(f, SID + 2, IOVA + 0x9000, false, &val), -EFAULT);
	assert_int_equal(val, 0);
	check_xlate_event(f, SMMUV3_EVT_F_TRANSLATION, SID + 2, IOVA + 0x9000, true);
}

/* Configuration errors and walk aborts: always recorded. */
static void faults_config(struct fx *f, uint64_t cdpage)
{
	uint64_t outside = HW_MEM_BASE + MEM_SIZE + 0x100000, val = 0;
	struct smmuv3_cd cd = cd_default(ASID + 2, outside);
	struct smmuv3_ste ste;
	struct smmuv3_event e;

	cd_put(f, cdpage + 128, cd);			/* TTB0 outside memory */
	ste_put(f, SID + 3, ste_s1(cdpage + 128));
	assert_int_equal(dma(f, SID + 3, IOVA, false, &val), -EFAULT);
	e = expect_event(f, SMMUV3_EVT_F_WALK_EABT, SID + 3);
	assert_true(e.fetch_addr == outside + 8 * ((IOVA >> 39) & 511));
	assert_int_equal(e.class, SMMUV3_EVT_CLASS_TT);
	assert_true(e.addr == IOVA);

	cd_put(f, cdpage + 192, (struct smmuv3_cd){ 0 });	/* V == 0 */
	ste_put(f, SID + 4, ste_s1(cdpage + 192));
	assert_int_equal(dma(f, SID + 4, IOVA, false, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_CD, SID + 4);

	ste_put(f, SID + 5, ste_s1(outside));		/* CD outside memory */
	assert_int_equal(dma(f, SID + 5, IOVA, false, &val), -EFAULT);
	assert_true(expect_event(f, SMMUV3_EVT_F_CD_FETCH, SID + 5).fetch_addr == outside);

	cd = cd_default(ASID + 3, f->ttb);		/* ILLEGAL: S with S1STALLD */
	cd.s = true;
	cd_put(f, cdpage + 256, cd);
	ste = ste_s1(cdpage + 256);
	ste.s1stalld = true;
	ste_put(f, SID + 6, ste);
	assert_int_equal(dma(f, SID + 6, IOVA, false, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_CD, SID + 6);
}

/* Substreams: S1CDMax, S1DSS, a linear table of 4 CDs. */
static void faults_substreams(struct fx *f, uint64_t cdt)
{
	uint64_t ttb1, p1, val = 0x99;
	struct smmuv3_ste ste = ste_s1(cdt);
	struct smmuv3_event e;

	assert_int_equal(hw_pgtable_alloc(f->m, "dom1", &ttb1), 0);
	cd_put(f, cdt, cd_default(6, f->ttb));
	cd_put(f, cdt + 64, cd_default(7, ttb1));
	p1 = map_new(f, ttb1, IOVA, HW_PERM_R | HW_PERM_W);
	ste.s1cdmax = 2;
	ste.s1dss = SMMUV3_STE_S1DSS_TERMINATE;
	ste_put(f, SID + 7, ste);

	assert_int_equal(dma(f, SID + 7, IOVA, false, &val), -EFAULT);
	e = expect_event(f, SMMUV3_EVT_F_STREAM_DISABLED, SID + 7);
	assert_false(e.ssv);
	val = 0x99;
	assert_int_equal(dma_pasid(f, SID + 7, 1, false, IOVA + 8, true, &val), 0);
	assert_int_equal(mem64(f, p1 + 8), 0x99);
	assert_int_equal(dma_pasid(f, SID + 7, 4, false, IOVA, true, &val), -EFAULT);
	assert_int_equal(expect_event(f, SMMUV3_EVT_C_BAD_SUBSTREAMID, SID + 7).ssid, 4);
	assert_int_equal(dma_pasid(f, SID + 7, 2, false, IOVA, true, &val), -EFAULT);
	e = expect_event(f, SMMUV3_EVT_C_BAD_CD, SID + 7);
	assert_true(e.ssv);
	assert_int_equal(e.ssid, 2);
	assert_int_equal(dma_pasid(f, SID + 7, 1, false, IOVA + 0x1000, false, &val), -EFAULT);
	e = expect_event(f, SMMUV3_EVT_F_TRANSLATION, SID + 7);
	assert_true(e.ssv);
	assert_int_equal(e.ssid, 1);

	/* privilege: AP[1] == 0 allows only PASID-prefixed privileged accesses */
	map_new(f, ttb1, IOVA + 0x5000, HW_PERM_R | HW_PERM_W);
	*pte_of(f, ttb1, IOVA + 0x5000) &= ~HW_PTE_AP_UNPRIV;
	assert_int_equal(dma_pasid(f, SID + 7, 1, true, IOVA + 0x5000, true, &val), 0);
	assert_int_equal(dma_pasid(f, SID + 7, 1, false, IOVA + 0x5000, true, &val), -EFAULT);
	e = expect_event(f, SMMUV3_EVT_F_PERMISSION, SID + 7);
	assert_false(e.priv);

	/* S1DSS == SSID0: no SubstreamID uses CD 0, SubstreamID 0 is disabled */
	ste.s1dss = SMMUV3_STE_S1DSS_SSID0;
	ste_put(f, SID + 8, ste);
	map_new(f, f->ttb, IOVA + 0x6000, HW_PERM_R);
	assert_int_equal(dma(f, SID + 8, IOVA + 0x6000, false, &val), 0);
	assert_int_equal(dma_pasid(f, SID + 8, 0, false, IOVA + 0x6000, false, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_F_STREAM_DISABLED, SID + 8);

	/* S1DSS == bypass: no SubstreamID skips stage 1 */
	ste.s1dss = SMMUV3_STE_S1DSS_BYPASS;
	ste_put(f, SID + 9, ste);
	val = 0xabc;
	assert_int_equal(dma(f, SID + 9, p1 + 16, true, &val), 0);
	assert_int_equal(mem64(f, p1 + 16), 0xabc);
	expect_no_event(f);
}

static void t_fault_records(struct fx *f)
{
	uint64_t cdpage = alloc_aligned(f, HW_PAGE_SIZE, HW_PAGE_SIZE, "cds");
	uint64_t cdt = alloc_aligned(f, HW_PAGE_SIZE, HW_PAGE_SIZE, "cd table");

	smmu_enable(f, 0);
	faults_translation(f);
	faults_r_a(f, cdpage);
	faults_config(f, cdpage);
	faults_substreams(f, cdt);
	assert_int_equal(smmuv3_stalls_held(f->smmu), 0);
}

static void fault_records(void **state)
{
	(void)state;
	run_body(t_fault_records, NULL);
}

/* ------------------------------------------------------------------ */
/* Configuration cache                                                 */
/* ------------------------------------------------------------------ */

static void cmd_cfgi(struct fx *f, uint8_t op, uint32_t sid, uint32_t ssid, bool leaf,
		     uint8_t range)
{
	struct smmuv3_cmd c = { .opcode = op,
				.cfgi = { .sid = sid, .ssid = ssid, .leaf = leaf, .range = range } };

	cmd_sync(f, &c);
}

static void t_cfg_cache(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	uint64_t val = 1, misses;

	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);

	/* an STE rewritten in memory is not seen until CFGI_STE */
	ste_put(f, SID, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	misses = smmu->stats.cfg_misses;
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	assert_int_equal(smmu->stats.cfg_misses, misses);
	assert_true(smmu->stats.cfg_hits >= 2);
	cfgi_ste(f, SID, true);
	assert_int_equal(dma(f, SID, IOVA, true, &val), -EFAULT);
	expect_no_event(f);
	ste_put(f, SID, ste_s1(f->cd));
	cfgi_ste(f, SID, true);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);

	/* a CD: CFGI_CD; invalid CDs are cached too (negative caching) */
	cd_put(f, f->cd, (struct smmuv3_cd){ 0 });
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	cmd_cfgi(f, SMMUV3_CMD_CFGI_CD, SID, 0, true, 0);
	assert_int_equal(dma(f, SID, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_CD, SID);
	cd_put(f, f->cd, cd_default(ASID, f->ttb));
	assert_int_equal(dma(f, SID, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_CD, SID);
	/* CFGI_STE also drops the CDs cached through the stream */
	cfgi_ste(f, SID, true);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	/* CFGI_CD_ALL */
	cd_put(f, f->cd, (struct smmuv3_cd){ 0 });
	cmd_cfgi(f, SMMUV3_CMD_CFGI_CD, SID, 1, true, 0);	/* another CD: no effect */
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	cmd_cfgi(f, SMMUV3_CMD_CFGI_CD_ALL, SID, 0, false, 0);
	assert_int_equal(dma(f, SID, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_CD, SID);
	cd_put(f, f->cd, cd_default(ASID, f->ttb));

	/* CFGI_STE_RANGE: 2^(Range+1) StreamIDs, aligned */
	for (uint32_t sid = 0x20; sid <= 0x24; sid++)
		ste_put(f, sid, ste_s1(f->cd));
	cmd_cfgi(f, SMMUV3_CMD_CFGI_ALL, 0, 0, false, SMMUV3_CFGI_ALL_RANGE);
	for (uint32_t sid = 0x20; sid <= 0x24; sid++) {
		assert_int_equal(dma(f, sid, IOVA, true, &val), 0);
		ste_put(f, sid, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	}
	cmd_cfgi(f, SMMUV3_CMD_CFGI_STE_RANGE, 0x21, 0, false, 1);	/* 0x20..0x23 */
	for (uint32_t sid = 0x20; sid <= 0x23; sid++)
		assert_int_equal(dma(f, sid, IOVA, true, &val), -EFAULT);
	assert_int_equal(dma(f, 0x24, IOVA, true, &val), 0);
	cmd_cfgi(f, SMMUV3_CMD_CFGI_ALL, 0, 0, false, SMMUV3_CFGI_ALL_RANGE);
	assert_int_equal(dma(f, 0x24, IOVA, true, &val), -EFAULT);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	expect_no_event(f);
	assert_int_equal(smmu->stats.cfgi, 9);
}

static void cfg_cache(void **state)
{
	(void)state;
	run_body(t_cfg_cache, NULL);
}

/* A cache of 4 entries (2 streams of STE + CD): LRU eviction. */
static void t_cfg_lru(struct fx *f)
{
	uint64_t val = 1;

	smmu_enable(f, 0);
	map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	ste_put(f, SID, ste_s1(f->cd));
	ste_put(f, SID + 1, ste_s1(f->cd));
	ste_put(f, SID + 2, ste_s1(f->cd));
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	assert_int_equal(dma(f, SID + 1, IOVA, true, &val), 0);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);	/* SID is the most recent */
	assert_int_equal(dma(f, SID + 2, IOVA, true, &val), 0);	/* evicts SID + 1 */
	ste_put(f, SID, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	ste_put(f, SID + 1, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);	/* still cached */
	assert_int_equal(dma(f, SID + 1, IOVA, true, &val), -EFAULT);	/* re-fetched */
}

static void tune_cfg4(struct fx *f)
{
	f->cfg.cfg_cache_entries = 4;
}

static void cfg_lru(void **state)
{
	(void)state;
	run_body(t_cfg_lru, tune_cfg4);
}

/* 2-level stream table (SPLIT 8) and 2-level CD table (4KB leaves). */
static void t_cfg_2lvl(struct fx *f)
{
	uint64_t l1 = f->strtab, l2a, l2b, cdl1, cdl2, outside, val = 5;
	uint64_t *l1d, *cdl1d;
	struct smmuv3_ste ste;

	outside = HW_MEM_BASE + MEM_SIZE;
	l2a = alloc_aligned(f, 64 * 256, 64 * 256, "strtab l2 0");
	l2b = alloc_aligned(f, 64 * 2, HW_PAGE_SIZE, "strtab l2 2");
	l1d = ptr(f, l1, 8 * 256);
	l1d[0] = l2a | 9;			/* Span 9: 256 STEs */
	l1d[2] = l2b | 2;			/* Span 2: 2 STEs */
	l1d[3] = (outside & SMMUV3_STRTAB_L1_L2PTR) | 2;
	l1d[4] = l2a | 10;			/* Span 10 > SPLIT + 1 */
	f->strtab_cfg = FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_FMT, SMMUV3_STRTAB_BASE_CFG_FMT_2LVL) |
			FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_SPLIT, 8) |
			FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, 16);
	smmu_enable(f, 0);
	map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	ste_at(f, l2a + SID * 64, ste_s1(f->cd));
	ste_at(f, l2b + 64, ste_s1(f->cd));
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	assert_int_equal(dma(f, 0x201, IOVA, true, &val), 0);
	assert_int_equal(dma(f, 0x110, IOVA, true, &val), -EFAULT);	/* Span 0 */
	expect_event(f, SMMUV3_EVT_C_BAD_STREAMID, 0x110);
	assert_int_equal(dma(f, 0x202, IOVA, true, &val), -EFAULT);	/* beyond Span */
	expect_event(f, SMMUV3_EVT_C_BAD_STREAMID, 0x202);
	assert_int_equal(dma(f, 0x401, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_STREAMID, 0x401);
	assert_int_equal(dma(f, 0x301, IOVA, true, &val), -EFAULT);	/* L2 abort */
	assert_true(expect_event(f, SMMUV3_EVT_F_STE_FETCH, 0x301).fetch_addr == outside + 64);

	/* an L1STD is cached: CFGI_STE with Leaf == 1 keeps it */
	l1d[0] = 0;
	cfgi_ste(f, SID, true);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	cfgi_ste(f, SID, false);
	assert_int_equal(dma(f, SID, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_STREAMID, SID);

	/* 2-level CD table, 4KB leaves (64 CDs), S1CDMax 8: 4 L1CDs */
	cdl1 = alloc_aligned(f, 64, HW_PAGE_SIZE, "cd l1");
	cdl2 = alloc_aligned(f, HW_PAGE_SIZE, HW_PAGE_SIZE, "cd l2");
	cdl1d = ptr(f, cdl1, 32);
	cdl1d[0] = cdl2 | SMMUV3_CD_L1_V;
	cdl1d[2] = (outside & SMMUV3_CD_L1_L2PTR) | SMMUV3_CD_L1_V;
	cd_put(f, cdl2 + 5 * 64, cd_default(9, f->ttb));
	ste = ste_s1(cdl1);
	ste.s1fmt = SMMUV3_STE_S1FMT_4K_L2;
	ste.s1cdmax = 8;
	ste_at(f, l2b, ste);
	assert_int_equal(dma_pasid(f, 0x200, 5, false, IOVA, true, &val), 0);
	assert_int_equal(dma_pasid(f, 0x200, 70, false, IOVA, true, &val), -EFAULT);
	assert_int_equal(expect_event(f, SMMUV3_EVT_C_BAD_SUBSTREAMID, 0x200).ssid, 70);
	assert_int_equal(dma_pasid(f, 0x200, 130, false, IOVA, true, &val), -EFAULT);
	assert_true(expect_event(f, SMMUV3_EVT_F_CD_FETCH, 0x200).fetch_addr ==
		    outside + 2 * 64);
	/* an L1CD is cached: CFGI_CD with Leaf == 1 keeps it */
	cdl1d[0] = 0;
	cmd_cfgi(f, SMMUV3_CMD_CFGI_CD, 0x200, 5, true, 0);
	assert_int_equal(dma_pasid(f, 0x200, 5, false, IOVA, true, &val), 0);
	cmd_cfgi(f, SMMUV3_CMD_CFGI_CD, 0x200, 5, false, 0);
	assert_int_equal(dma_pasid(f, 0x200, 5, false, IOVA, true, &val), -EFAULT);
	expect_event(f, SMMUV3_EVT_C_BAD_SUBSTREAMID, 0x200);
}

static void cfg_2lvl(void **state)
{
	(void)state;
	run_body(t_cfg_2lvl, NULL);
}

/* ------------------------------------------------------------------ */
/* TLB                                                                 */
/* ------------------------------------------------------------------ */

static void t_tlb_stale(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_TLBI_NH_ASID, .tlbi.asid = ASID };
	uint64_t p, pa, q, val = 0x1111, walks;

	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	p = map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);

	/* unmap, free, reuse: the TLB still translates to the page */
	assert_int_equal(hw_pgtable_unmap(f->m, f->ttb, IOVA, &pa), 0);
	assert_true(pa == p);
	assert_int_equal(hw_mem_free(f->m, p, 1), 0);
	assert_int_equal(hw_mem_alloc(f->m, 1, "nvme0 buffer", &q), 0);
	assert_true(q == p);
	val = 0x2222;
	assert_int_equal(dma(f, SID, IOVA + 8, true, &val), 0);
	assert_int_equal(violations(f, V_STALE_DMA_WRITE), 1);
	assert_non_null(strstr(f->s->violations->v[0].msg, "SMMU TLB"));
	assert_int_equal(mem64(f, q + 8), 0x2222);	/* the corruption happened */
	assert_int_equal(dma(f, SID, IOVA + 8, false, &val), 0);
	assert_int_equal(violations(f, V_STALE_DMA_READ), 1);

	/* a TLBI for another ASID, or another page, leaves it */
	tlbi_va(f, ASID + 1, IOVA);
	tlbi_va(f, ASID, IOVA + HW_PAGE_SIZE);
	assert_int_equal(dma(f, SID, IOVA + 8, true, &val), 0);
	assert_int_equal(violations(f, V_STALE_DMA_WRITE), 2);

	/* after TLBI the access faults instead, and nothing stale is reported */
	tlbi_va(f, ASID, IOVA);
	assert_int_equal(dma(f, SID, IOVA + 8, true, &val), -EFAULT);
	check_xlate_event(f, SMMUV3_EVT_F_TRANSLATION, SID, IOVA + 8, false);
	assert_int_equal(violations(f, V_STALE_DMA_WRITE), 2);
	assert_int_equal(f->s->violations->n, 3);

	/* TLBI_NH_ASID */
	map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	walks = smmu->stats.walks;
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	assert_int_equal(smmu->stats.walks, walks);
	cmd_sync(f, &c);
	assert_int_equal(dma(f, SID, IOVA, true, &val), 0);
	assert_int_equal(smmu->stats.walks, walks + 1);
	assert_int_equal(smmu->stats.tlbi, 4);
}

static void tlb_stale(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, t_tlb_stale);
	fx_start(&f);
	fx_run(&f);
	assert_int_equal(violations(&f, V_STALE_DMA_WRITE), 2);
	assert_int_equal(violations(&f, V_STALE_DMA_READ), 1);
	fx_fini(&f);
}

/* TLBI scopes, on entries put in the TLB directly. */
struct tlbi_case {
	uint8_t world;
	uint16_t asid, vmid;
	uint64_t page;
};

static void tlb_put(struct smmuv3 *smmu, uint8_t world, uint16_t asid, uint16_t vmid,
		    uint64_t page)
{
	struct smmuv3_tlb_entry e = {
		.world = world, .asid = asid, .vmid = vmid,
		.x = { .iova = page, .pa = HW_MEM_BASE, .gen = 1, .perm = HW_PERM_R },
		.priv_ok = true, .perm_unpriv = HW_PERM_R,
	};

	smmuv3_tlb_fill(smmu, &e);
}

static bool tlb_has(struct smmuv3 *smmu, uint8_t world, uint16_t asid, uint16_t vmid,
		    uint64_t page)
{
	return smmuv3_tlb_lookup_world(smmu, world, asid, vmid, page) != NULL;
}

static unsigned tlb_count(const struct smmuv3 *smmu)
{
	unsigned n = 0;

	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++)
		n += smmu->tlb[i].valid;
	return n;
}

static void tlbi(struct smmuv3 *smmu, struct smmuv3_cmd c)
{
	smmuv3_tlb_inv(smmu, &c);
}

static void tlbi_scopes(void **state)
{
	struct fx f;
	struct smmuv3 *smmu;
	const uint8_t el1 = SMMUV3_WORLD_NS_EL1, el2 = SMMUV3_WORLD_NS_EL2,
		      e2h = SMMUV3_WORLD_NS_EL2_E2H;

	(void)state;
	fx_init(&f, NULL);
	smmu = smmuv3_create(f.s, f.m, &f.cfg);
	assert_non_null(smmu);

	/* range: (NUM + 1) * 2^SCALE granules of TG from Addr */
	for (uint64_t i = 0; i < 16; i++)
		tlb_put(smmu, el1, 1, 0, i << 12);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_VA,
		.tlbi = { .asid = 1, .num = 3, .scale = 1, .tg = SMMUV3_TLBI_TG_4K,
			  .addr = 4 << 12 } });
	assert_int_equal(tlb_count(smmu), 8);
	assert_true(tlb_has(smmu, el1, 1, 0, 3 << 12));
	assert_false(tlb_has(smmu, el1, 1, 0, 4 << 12));
	assert_false(tlb_has(smmu, el1, 1, 0, 11 << 12));
	assert_true(tlb_has(smmu, el1, 1, 0, 12 << 12));
	/* TG == 0: the one page holding Addr, any offset */
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_VA,
		.tlbi = { .asid = 1, .num = 3, .addr = (12 << 12) } });
	assert_false(tlb_has(smmu, el1, 1, 0, 12 << 12));
	assert_true(tlb_has(smmu, el1, 1, 0, 13 << 12));
	/* 64KB granule: 16 pages */
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_VA,
		.tlbi = { .asid = 1, .tg = SMMUV3_TLBI_TG_64K, .ttl = 3, .addr = 0 } });
	assert_int_equal(tlb_count(smmu), 0);

	/* VAA: every ASID at the address; ASID: every address of the ASID */
	tlb_put(smmu, el1, 1, 0, 0x1000);
	tlb_put(smmu, el1, 2, 0, 0x1000);
	tlb_put(smmu, el1, 2, 0, 0x2000);
	tlb_put(smmu, el1, 3, 0, 0x2000);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_VAA, .tlbi.addr = 0x1000 });
	assert_int_equal(tlb_count(smmu), 2);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_ASID, .tlbi.asid = 2 });
	assert_int_equal(tlb_count(smmu), 1);
	assert_true(tlb_has(smmu, el1, 3, 0, 0x2000));

	/* EL2 entries are untouched by NH and NSNH commands */
	tlb_put(smmu, el2, 0, 0, 0x1000);
	tlb_put(smmu, e2h, 3, 0, 0x2000);
	tlb_put(smmu, e2h, 4, 0, 0x3000);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NSNH_ALL });
	assert_int_equal(tlb_count(smmu), 3);
	assert_false(tlb_has(smmu, el1, 3, 0, 0x2000));
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_EL2_ASID, .tlbi.asid = 3 });
	assert_int_equal(tlb_count(smmu), 2);
	/* EL2_VA: E2H entries by ASID and VA when CR2.E2H, else EL2 entries */
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_EL2_VA,
		.tlbi = { .asid = 4, .addr = 0x3000 } });
	assert_int_equal(tlb_count(smmu), 2);
	assert_true(tlb_has(smmu, el2, 0, 0, 0x1000));
	smmu->cr2 = SMMUV3_CR2_E2H;
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_EL2_VA,
		.tlbi = { .asid = 4, .addr = 0x3000 } });
	assert_int_equal(tlb_count(smmu), 1);
	tlb_put(smmu, e2h, 4, 0, 0x3000);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_EL2_ALL });
	assert_int_equal(tlb_count(smmu), 0);

	/* VMIDs: ignored by NH_* on a stage-1-only SMMU, matched with stage 2 */
	tlb_put(smmu, el1, 1, 7, 0x1000);
	tlb_put(smmu, el1, 1, 8, 0x1000);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_ALL, .tlbi.vmid = 9 });
	assert_int_equal(tlb_count(smmu), 0);
	smmu->caps.s2p = true;
	tlb_put(smmu, el1, 1, 7, 0x1000);
	tlb_put(smmu, el1, 1, 8, 0x1000);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NH_ALL, .tlbi.vmid = 7 });
	assert_int_equal(tlb_count(smmu), 1);
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_S2_IPA,
		.tlbi = { .vmid = 8, .addr = 0x1000 } });
	assert_int_equal(tlb_count(smmu), 1);	/* no stage-2 entries */
	tlbi(smmu, (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_S12_VMALL, .tlbi.vmid = 8 });
	assert_int_equal(tlb_count(smmu), 0);
	assert_int_equal(smmu->stats.tlbi, 14);

	/* LRU eviction */
	smmuv3_tlb_flush(smmu);
	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++)
		tlb_put(smmu, el1, 1, 0, (uint64_t)i << 12);
	assert_true(tlb_has(smmu, el1, 1, 0, 0));	/* page 0 most recent now */
	tlb_put(smmu, el1, 1, 0, 0x10000000);
	assert_true(tlb_has(smmu, el1, 1, 0, 0));
	assert_false(tlb_has(smmu, el1, 1, 0, 1 << 12));
	assert_int_equal(tlb_count(smmu), smmu->cfg.tlb_entries);
	fx_fini(&f);
}

/* ------------------------------------------------------------------ */
/* Stall                                                               */
/* ------------------------------------------------------------------ */

#define WAIT_FOR(cond)							\
	do {								\
		int n_ = 0;						\
		while (!(cond)) {					\
			assert_true(++n_ < POLL_MAX);			\
			sim_delay(POLL_NS);				\
		}							\
	} while (0)

/* A device access made by a hardware task. */
struct dev_op {
	struct fx *f;
	uint32_t sid;
	uint64_t iova;
	bool write;
	uint64_t val;
	int rc;
	bool done;
};

static void dev_task(void *arg)
{
	struct dev_op *d = arg;

	d->rc = dma(d->f, d->sid, d->iova, d->write, &d->val);
	d->done = true;
}

static void dev_start(struct fx *f, struct dev_op *d, uint32_t sid, uint64_t iova, bool write,
		      uint64_t val)
{
	*d = (struct dev_op){ .f = f, .sid = sid, .iova = iova, .write = write, .val = val };
	assert_non_null(sim_task_create(f->s, "dev", SIM_TASK_HW, -1, false, dev_task, d));
}

/* The next event, a stall record for @sid at @iova. */
static struct smmuv3_event expect_stall(struct fx *f, uint32_t sid, uint64_t iova)
{
	struct smmuv3_event e;

	WAIT_FOR(evtq_count(f));
	e = expect_event(f, SMMUV3_EVT_F_TRANSLATION, sid);
	assert_true(e.stall);
	assert_true(e.addr == iova);
	return e;
}

static void stall_cd(struct fx *f, bool r)
{
	struct smmuv3_cd cd = cd_default(ASID, f->ttb);

	cd.s = true;
	cd.r = r;	/* a stall is recorded whatever R says (§5.5) */
	cd_put(f, f->cd, cd);
}

static void t_stall(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	struct smmuv3_event e, e2;
	struct dev_op d;
	uint64_t p;

	stall_cd(f, false);
	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	dev_start(f, &d, SID, IOVA + 8, true, 0x5a5a);
	e = expect_stall(f, SID, IOVA + 8);
	assert_false(e.read);
	assert_int_equal(smmuv3_stalls_held(smmu), 1);
	assert_false(d.done);

	/* RESUME naming another STAG, or another StreamID: no effect */
	resume(f, SID, e.stag + 1, SMMUV3_RESUME_RETRY);
	resume(f, SID + 1, e.stag, SMMUV3_RESUME_RETRY);
	assert_int_equal(smmu->stats.resumes_unmatched, 2);
	sim_delay(10000);
	assert_false(d.done);

	/* fix the cause, RESUME(Retry): the access completes */
	p = map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	resume(f, SID, e.stag, SMMUV3_RESUME_RETRY);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, 0);
	assert_int_equal(mem64(f, p + 8), 0x5a5a);
	assert_int_equal(smmuv3_stalls_held(smmu), 0);
	expect_no_event(f);

	/* Retry with nothing fixed stalls again, with a new record and STAG */
	dev_start(f, &d, SID, IOVA + 0x1000, true, 1);
	e = expect_stall(f, SID, IOVA + 0x1000);
	resume(f, SID, e.stag, SMMUV3_RESUME_RETRY);
	e2 = expect_stall(f, SID, IOVA + 0x1000);
	assert_int_not_equal(e.stag, e2.stag);
	resume(f, SID, e2.stag, SMMUV3_RESUME_ABORT);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, -EFAULT);

	/* RESUME(Terminate): RAZ/WI, a failed access reading zeros */
	dev_start(f, &d, SID, IOVA + 0x2000, false, 0xffff);
	e = expect_stall(f, SID, IOVA + 0x2000);
	assert_true(e.read);
	resume(f, SID, e.stag, SMMUV3_RESUME_TERM);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, -EFAULT);
	assert_int_equal(d.val, 0);
	assert_int_equal(smmu->stats.stalls, 4);
	assert_int_equal(smmu->stats.resumes, 4);
	assert_int_equal(smmu->stats.resumes_unmatched, 2);

	/* clearing SMMUEN terminates held stalls with an abort */
	dev_start(f, &d, SID, IOVA + 0x3000, true, 1);
	expect_stall(f, SID, IOVA + 0x3000);
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, -EFAULT);
	assert_int_equal(smmuv3_stalls_held(smmu), 0);
	smmu_enable(f, 0);

	/* SFM terminates held stalls */
	dev_start(f, &d, SID, IOVA + 0x3000, true, 1);
	expect_stall(f, SID, IOVA + 0x3000);
	smmuv3_inject_sfm(smmu);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, -EFAULT);
	assert_int_equal(smmuv3_stalls_held(smmu), 0);
}

static void stall(void **state)
{
	(void)state;
	run_body(t_stall, NULL);
}

/* Beyond IDR5.STALL_MAX a stalling fault terminates, recorded with Stall = 0. */
static void t_stall_max(struct fx *f)
{
	struct dev_op d1, d2;
	struct smmuv3_event e1, e2;

	stall_cd(f, true);
	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	dev_start(f, &d1, SID, IOVA, true, 1);
	e1 = expect_stall(f, SID, IOVA);
	dev_start(f, &d2, SID, IOVA + 0x1000, true, 2);
	WAIT_FOR(d2.done);
	assert_int_equal(d2.rc, -EFAULT);
	e2 = expect_event(f, SMMUV3_EVT_F_TRANSLATION, SID);
	assert_false(e2.stall);
	assert_false(d1.done);
	resume(f, SID, e1.stag, SMMUV3_RESUME_ABORT);
	WAIT_FOR(d1.done);
	assert_int_equal(d1.rc, -EFAULT);
}

static void tune_stall1(struct fx *f)
{
	f->cfg.stall_max = 1;
}

static void stall_max(void **state)
{
	(void)state;
	run_body(t_stall_max, tune_stall1);
}

/*
 * A stall record meets a full event queue: it is not lost and causes no
 * overflow; the transaction waits and is retried when space appears.
 */
static void fill_evtq(struct fx *f, uint32_t sid, unsigned n, uint64_t iova)
{
	uint64_t val;

	for (unsigned i = 0; i < n; i++)
		assert_int_equal(dma(f, sid, iova + i * HW_PAGE_SIZE, false, &val), -EFAULT);
}

static void t_stall_evtq_full(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	uint64_t cdpage = alloc_aligned(f, HW_PAGE_SIZE, HW_PAGE_SIZE, "cds"), p;
	struct smmuv3_event e;
	struct dev_op d;

	cd_put(f, cdpage, cd_default(ASID + 1, f->ttb));	/* terminate, record */
	stall_cd(f, true);
	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	ste_put(f, SID + 1, ste_s1(cdpage));

	fill_evtq(f, SID + 1, 3, IOVA + 0x100000);	/* 2 written, 1 lost */
	assert_int_equal(smmu->stats.events_lost, 1);
	dev_start(f, &d, SID, IOVA, true, 7);
	WAIT_FOR(smmuv3_stalls_held(smmu) == 1);
	sim_delay(10000);
	assert_int_equal(evtq_count(f), 2);
	assert_int_equal(smmu->stats.events_lost, 1);	/* stall records never overflow */
	assert_int_equal(smmu->stats.stalls, 0);
	assert_false(d.done);
	/* a RESUME cannot reach a stall whose record software never saw */
	resume(f, SID, smmu->stalls[0].stag, SMMUV3_RESUME_ABORT);
	assert_int_equal(smmu->stats.resumes_unmatched, 1);

	assert_true(evtq_pop(f, &e));			/* space: the retry records */
	WAIT_FOR(evtq_count(f) == 2);
	assert_true(evtq_pop(f, &e));
	assert_false(e.stall);
	e = expect_stall(f, SID, IOVA);
	resume(f, SID, e.stag, SMMUV3_RESUME_ABORT);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, -EFAULT);

	/* fixed while waiting for space: the retry succeeds, no record */
	fill_evtq(f, SID + 1, 2, IOVA + 0x100000);
	dev_start(f, &d, SID, IOVA + 8, true, 9);
	WAIT_FOR(smmuv3_stalls_held(smmu) == 1);
	p = map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	assert_true(evtq_pop(f, &e));
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, 0);
	assert_int_equal(mem64(f, p + 8), 9);
	assert_int_equal(evtq_count(f), 1);
	assert_int_equal(smmu->stats.stalls, 1);

	/* disabling the SMMU gives up the wait: terminated */
	fill_evtq(f, SID + 1, 1, IOVA + 0x100000);
	dev_start(f, &d, SID, IOVA + 0x5000, true, 9);
	WAIT_FOR(smmuv3_stalls_held(smmu) == 1);
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN);
	WAIT_FOR(d.done);
	assert_int_equal(d.rc, -EFAULT);
	assert_int_equal(smmuv3_stalls_held(smmu), 0);
}

static void tune_evtq2(struct fx *f)
{
	f->evtq_log2 = 1;
}

static void stall_evtq_full(void **state)
{
	(void)state;
	run_body(t_stall_evtq_full, tune_evtq2);
}

/* ------------------------------------------------------------------ */
/* Event queue overflow                                                */
/* ------------------------------------------------------------------ */

static void count_evtq_irq(struct sim_irq *irq, void *arg)
{
	struct fx *f = arg;

	(void)irq;
	f->irqs[SMMUV3_IRQ_EVTQ]++;
}

static void count_priq_irq(struct sim_irq *irq, void *arg)
{
	struct fx *f = arg;

	(void)irq;
	f->irqs[SMMUV3_IRQ_PRIQ]++;
}

static uint32_t evtq_ovf(struct fx *f)
{
	return SMMUV3_Q_OVF(smmuv3_read32(f->smmu, SMMUV3_EVTQ_PROD));
}

static void pop_expect_addrs(struct fx *f, uint64_t first, unsigned n)
{
	struct smmuv3_event e;

	for (unsigned i = 0; i < n; i++) {
		assert_true(evtq_pop(f, &e));
		assert_true(e.addr == first + i * HW_PAGE_SIZE);
	}
	assert_int_equal(evtq_count(f), 0);
}

static void t_evtq_overflow(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	uint64_t bad = HW_MEM_BASE + MEM_SIZE;

	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));

	fill_evtq(f, SID, 6, IOVA);
	assert_int_equal(evtq_count(f), 4);
	assert_true(evtq_ovf(f));			/* OVFLG toggled */
	assert_int_equal(smmu->stats.events, 4);
	assert_int_equal(smmu->stats.events_lost, 2);
	WAIT_FOR(f->irqs[SMMUV3_IRQ_EVTQ] == 1);
	sim_delay(10000);
	assert_int_equal(f->irqs[SMMUV3_IRQ_EVTQ], 1);	/* empty -> non-empty only */
	pop_expect_addrs(f, IOVA, 4);			/* the first four kept */

	/* unacknowledged: records are written again, a new overflow is invisible */
	fill_evtq(f, SID, 6, IOVA + 6 * HW_PAGE_SIZE);
	assert_true(evtq_ovf(f));
	assert_int_equal(smmu->stats.events_lost, 4);
	WAIT_FOR(f->irqs[SMMUV3_IRQ_EVTQ] == 2);
	pop_expect_addrs(f, IOVA + 6 * HW_PAGE_SIZE, 4);

	/* acknowledge (OVACKFLG = OVFLG); the next overflow toggles OVFLG back */
	f->evtq_cons |= SMMUV3_Q_OVERFLOW_FLAG;
	smmuv3_write32(smmu, SMMUV3_EVTQ_CONS, f->evtq_cons);
	fill_evtq(f, SID, 4, IOVA);
	assert_true(evtq_ovf(f));			/* no overflow: unchanged */
	fill_evtq(f, SID, 1, IOVA);
	assert_false(evtq_ovf(f));
	assert_int_equal(smmu->stats.events_lost, 5);
	assert_int_equal(smmu->stats.events, 12);
	pop_expect_addrs(f, IOVA, 4);

	/* EVTQEN clear: records are dropped without overflow */
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN);
	fill_evtq(f, SID, 6, IOVA);
	assert_false(evtq_ovf(f));
	assert_int_equal(smmu->stats.events_lost, 5);

	/* a write abort: EVTQ_ABT_ERR, PROD unmoved, the queue stays enabled */
	smmuv3_write64(smmu, SMMUV3_EVTQ_BASE, q_base(bad, f->evtq_log2));
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN |
		       SMMUV3_CR0_EVTQEN);
	fill_evtq(f, SID, 1, IOVA);
	assert_true((smmuv3_read32(smmu, SMMUV3_GERROR) ^ smmuv3_read32(smmu, SMMUV3_GERRORN)) &
		    SMMUV3_GERROR_EVTQ_ABT_ERR);
	assert_int_equal(evtq_count(f), 0);
	assert_true(smmuv3_read32(smmu, SMMUV3_CR0ACK) & SMMUV3_CR0_EVTQEN);
	assert_int_equal(smmu->stats.events, 12);
}

static void tune_evtq4(struct fx *f)
{
	f->evtq_log2 = 2;
	f->cfg.irq[SMMUV3_IRQ_EVTQ] = sim_irq_create(f->s, "evtq", 1, count_evtq_irq, f);
}

static void evtq_overflow(void **state)
{
	(void)state;
	run_body(t_evtq_overflow, tune_evtq4);
}

/* ------------------------------------------------------------------ */
/* ATS                                                                 */
/* ------------------------------------------------------------------ */

static struct pcie_ats_cpl ats(struct fx *f, uint32_t sid, uint64_t iova, bool write)
{
	struct pcie_txn t = txn(sid, iova, write);
	struct pcie_ats_cpl cpl;

	smmuv3_ats_translate(f->smmu, &t, &cpl);
	return cpl;
}

static void ats_ur_event(struct fx *f, uint32_t sid, uint64_t iova)
{
	struct pcie_ats_cpl c = ats(f, sid, iova, true);

	assert_int_equal(c.status, PCIE_ATS_UR);
	assert_true(expect_event(f, SMMUV3_EVT_F_BAD_ATS_TREQ, sid).addr == iova);
}

static void ats_status(struct fx *f, uint32_t sid, enum pcie_ats_status st)
{
	assert_int_equal(ats(f, sid, IOVA, true).status, st);
	expect_no_event(f);
}

static void t_ats(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	uint64_t cdpage = alloc_aligned(f, HW_PAGE_SIZE, HW_PAGE_SIZE, "cds"), p, gen;
	struct smmuv3_ste ste;
	struct pcie_ats_cpl c;

	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	p = map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	map_new(f, f->ttb, IOVA + 0x1000, HW_PERM_R);

	c = ats(f, SID, IOVA + 0x10, true);
	assert_int_equal(c.status, PCIE_ATS_SUCCESS);
	assert_int_equal(c.x.perm, HW_PERM_R | HW_PERM_W);
	assert_true(c.x.pa == p);
	assert_true(c.x.iova == IOVA);
	assert_true(c.x.gen == hw_mem_gen(f->m, p));
	gen = c.x.gen;
	assert_int_equal(ats(f, SID, IOVA, false).x.perm, HW_PERM_R);	/* as requested */
	c = ats(f, SID, IOVA + 0x1000, true);				/* subset */
	assert_int_equal(c.status, PCIE_ATS_SUCCESS);
	assert_int_equal(c.x.perm, HW_PERM_R);
	/* a translation fault: Success with R == W == 0, never recorded */
	c = ats(f, SID, IOVA + 0x2000, true);
	assert_int_equal(c.status, PCIE_ATS_SUCCESS);
	assert_int_equal(c.x.perm, 0);
	expect_no_event(f);
	/* ... and never stalled */
	stall_cd(f, true);
	cmd_cfgi(f, SMMUV3_CMD_CFGI_CD_ALL, SID, 0, false, 0);
	assert_int_equal(ats(f, SID, IOVA + 0x2000, true).x.perm, 0);
	assert_int_equal(smmuv3_stalls_held(smmu), 0);
	expect_no_event(f);

	/* ATS not allowed: UR, F_BAD_ATS_TREQ (EATS == 0, Config bypass) */
	ste = ste_s1(f->cd);
	ste.eats = SMMUV3_STE_EATS_ABT;
	ste_put(f, SID + 1, ste);
	ats_ur_event(f, SID + 1, IOVA);
	ste = ste_cfg(SMMUV3_STE_CONFIG_BYPASS);
	ste.eats = SMMUV3_STE_EATS_TRANS;
	ste_put(f, SID + 2, ste);
	ats_ur_event(f, SID + 2, IOVA);
	/* Config abort: UR, no event; configuration errors: CA, no event */
	ste_put(f, SID + 3, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	ats_status(f, SID + 3, PCIE_ATS_UR);
	ste_put(f, SID + 4, (struct smmuv3_ste){ 0 });
	ats_status(f, SID + 4, PCIE_ATS_CA);
	cd_put(f, cdpage, (struct smmuv3_cd){ 0 });
	ste_put(f, SID + 5, ste_s1(cdpage));
	ats_status(f, SID + 5, PCIE_ATS_CA);
	assert_int_equal(smmu->stats.ats_ur, 3);

	/* S1DSS bypass: identity, R == W == 1 */
	ste = ste_s1(f->cd);
	ste.s1cdmax = 1;
	ste.s1dss = SMMUV3_STE_S1DSS_BYPASS;
	ste_put(f, SID + 6, ste);
	c = ats(f, SID + 6, IOVA + 0x123, false);
	assert_int_equal(c.status, PCIE_ATS_SUCCESS);
	assert_true(c.x.pa == IOVA);
	assert_int_equal(c.x.perm, HW_PERM_R | HW_PERM_W);
	assert_true(c.x.gen == HW_GEN_ANY);

	/* Translation Requests use the SMMU TLB: stale until TLBI */
	assert_int_equal(hw_pgtable_unmap(f->m, f->ttb, IOVA, NULL), 0);
	assert_int_equal(hw_mem_free(f->m, p, 1), 0);
	c = ats(f, SID, IOVA, true);
	assert_true(c.x.pa == p && c.x.gen == gen);
	assert_true(c.x.gen != hw_mem_gen(f->m, p));
	tlbi_va(f, ASID, IOVA);
	assert_int_equal(ats(f, SID, IOVA, true).x.perm, 0);

	/* SMMUEN == 0: UR, F_BAD_ATS_TREQ */
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN);
	ats_ur_event(f, SID, IOVA);
	assert_int_equal(smmu->stats.ats_requests, 14);
}

static void ats_requests(void **state)
{
	(void)state;
	run_body(t_ats, NULL);
}

/* Translated (pre-translated) requests: EATS through the config cache. */
static int translated(struct fx *f, uint32_t sid, const struct hw_xlate *x, uint64_t addr,
		      bool write, uint64_t *val)
{
	struct pcie_txn t = txn(sid, addr, write);

	t.at = PCIE_AT_TRANSLATED;
	t.xlate = x;
	return smmuv3_mem_request(f->smmu, &t, val, 8);
}

static void t_translated(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	struct smmuv3_ste ste = ste_s1(f->cd);
	struct pcie_ats_cpl c;
	struct smmuv3_event e;
	uint64_t p, q, buf, val = 0x77;

	smmu_enable(f, 0);
	ste_put(f, SID, ste);
	p = map_new(f, f->ttb, IOVA, HW_PERM_R | HW_PERM_W);
	c = ats(f, SID, IOVA, true);
	assert_int_equal(translated(f, SID, &c.x, c.x.pa + 8, true, &val), 0);
	assert_int_equal(mem64(f, p + 8), 0x77);

	/* EATS cleared in memory only: the cached STE still lets it pass */
	ste.eats = SMMUV3_STE_EATS_ABT;
	ste_put(f, SID, ste);
	assert_int_equal(translated(f, SID, &c.x, c.x.pa + 8, true, &val), 0);
	assert_int_equal(smmu->stats.translated_ok, 2);

	/* after CFGI_STE it is refused, even once the page is reused */
	cfgi_ste(f, SID, true);
	assert_int_equal(hw_pgtable_unmap(f->m, f->ttb, IOVA, NULL), 0);
	tlbi_va(f, ASID, IOVA);
	assert_int_equal(hw_mem_free(f->m, p, 1), 0);
	assert_int_equal(hw_mem_alloc(f->m, 1, "nvme0 buffer", &q), 0);
	assert_true(q == p);
	*(uint64_t *)ptr(f, q + 8, 8) = 0x1234;
	val = 0xdead;
	assert_int_equal(translated(f, SID, &c.x, c.x.pa + 8, true, &val), -EPERM);
	e = expect_event(f, SMMUV3_EVT_F_TRANSL_FORBIDDEN, SID);
	assert_true(e.addr == c.x.pa + 8);
	assert_false(e.read);
	assert_int_equal(mem64(f, q + 8), 0x1234);
	assert_int_equal(smmu->stats.translated_refused, 1);
	/* Config bypass: refused too */
	ste_put(f, SID + 1, ste_cfg(SMMUV3_STE_CONFIG_BYPASS));
	assert_int_equal(translated(f, SID + 1, NULL, q, false, &val), -EPERM);
	expect_event(f, SMMUV3_EVT_F_TRANSL_FORBIDDEN, SID + 1);
	/* Config abort: refused silently */
	ste_put(f, SID + 2, ste_cfg(SMMUV3_STE_CONFIG_ABORT));
	assert_int_equal(translated(f, SID + 2, NULL, q, false, &val), -EPERM);
	expect_no_event(f);

	/* ATSCHK == 0: translated traffic is not checked against the STE */
	assert_int_equal(hw_mem_alloc(f->m, 1, "buffer", &buf), 0);
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN |
		       SMMUV3_CR0_EVTQEN);
	val = 0x4242;
	assert_int_equal(translated(f, SID, NULL, buf + 16, true, &val), 0);
	assert_int_equal(mem64(f, buf + 16), 0x4242);
	/* SMMUEN == 0: always refused, recorded */
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN);
	assert_int_equal(translated(f, SID, NULL, buf + 16, true, &val), -EPERM);
	expect_event(f, SMMUV3_EVT_F_TRANSL_FORBIDDEN, SID);
}

static void translated_requests(void **state)
{
	(void)state;
	run_body(t_translated, NULL);
}

/* ------------------------------------------------------------------ */
/* PRI queue                                                           */
/* ------------------------------------------------------------------ */

static struct pcie_ep *ep_create(struct fx *f)
{
	struct pcie_upstream up = smmuv3_upstream(f->smmu);
	struct pcie_ep_config ec;
	struct pcie_ep *ep;

	pcie_ep_config_default(&ec);
	ec.name = "nic0";
	ec.sids[0] = SID;
	ec.nsids = 1;
	ec.ats = true;
	ec.atc_entries = 8;
	ec.inv_queue_depth = 8;
	ec.pri = true;
	ec.pri_max_requests = 16;
	ep = pcie_ep_create(f->s, &ec, &up);
	assert_non_null(ep);
	assert_int_equal(smmuv3_connect(f->smmu, SID, ep, SIM_MS), 0);
	return ep;
}

static void ep_enable(struct pcie_ep *ep)
{
	pcie_ep_cfg_write(ep, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	pcie_ep_cfg_write(ep, PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL, 2, PCI_ATS_CTRL_ENABLE);
	pcie_ep_cfg_write(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_ALLOC_REQ, 4, 16);
	pcie_ep_cfg_write(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL, 2, PCI_PRI_CTRL_ENABLE);
}

static void page_req(struct fx *f, uint16_t prgi, bool last, bool pasid, bool stop)
{
	struct pcie_page_req r = {
		.sid = SID, .pasid_valid = pasid, .pasid = pasid ? 3 : 0, .read = !stop,
		.write = !stop && prgi & 1, .last = last || stop, .prgi = prgi,
		.addr = stop ? 0 : IOVA + prgi * HW_PAGE_SIZE, .stop_marker = stop,
	};

	smmuv3_page_request(f->smmu, &r);
}

static unsigned priq_count(struct fx *f)
{
	uint32_t prod = smmuv3_read32(f->smmu, SMMUV3_PRIQ_PROD);

	return (prod - f->priq_cons) & iw_mask(f->priq_log2);
}

static uint32_t priq_ovf(struct fx *f)
{
	return SMMUV3_Q_OVF(smmuv3_read32(f->smmu, SMMUV3_PRIQ_PROD));
}

static struct smmuv3_pri_entry priq_pop(struct fx *f)
{
	uint32_t idx = f->priq_cons & ((1U << f->priq_log2) - 1);
	struct smmuv3_pri_entry e;

	assert_true(priq_count(f) > 0);
	smmuv3_pri_decode(ptr(f, f->priq + idx * 16ULL, 16), &e);
	f->priq_cons = q_inc(f->priq_cons, f->priq_log2);
	smmuv3_write32(f->smmu, SMMUV3_PRIQ_CONS, f->priq_cons);
	return e;
}

/* A device access that needs PRI: an ATS miss with no permission. */
struct ep_op {
	struct pcie_ep *ep;
	uint64_t iova;
	int rc;
	bool done;
};

static void ep_task(void *arg)
{
	struct ep_op *o = arg;
	uint64_t val = 1;

	o->rc = pcie_ep_dma(o->ep, o->iova, true, false, 0, &val);
	o->done = true;
}

static void ep_access(struct fx *f, struct ep_op *o)
{
	o->done = false;
	assert_non_null(sim_task_create(f->s, "nic0-dma", SIM_TASK_HW, -1, false, ep_task, o));
	WAIT_FOR(o->done);
}

static uint16_t ep_pri_status(struct pcie_ep *ep)
{
	return pcie_ep_cfg_read(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_STATUS, 2);
}

static void t_priq(struct fx *f)
{
	struct smmuv3 *smmu = f->smmu;
	struct pcie_ep *ep = ep_create(f);
	const struct smmuv3_stats *st = &smmu->stats;
	struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_PRI_RESP,
				.pri_resp = { .sid = SID, .grpid = 1, .resp = SMMUV3_PRI_RESP_SUCC } };
	struct smmuv3_pri_entry e;
	struct ep_op o = { .ep = ep, .iova = IOVA + 0x40000 };
	uint64_t unexpected;

	smmu_enable(f, 0);
	ste_put(f, SID, ste_s1(f->cd));
	for (uint16_t i = 1; i <= 4; i++)
		page_req(f, i, true, false, false);
	assert_int_equal(priq_count(f), 4);
	assert_false(priq_ovf(f));
	assert_int_equal(st->pri_auto_responses, 0);
	WAIT_FOR(f->irqs[SMMUV3_IRQ_PRIQ] == 1);	/* empty -> non-empty */
	sim_delay(10000);
	assert_int_equal(f->irqs[SMMUV3_IRQ_PRIQ], 1);

	/* full: OVFLG toggles, the PPR is lost, Last == 1 answered automatically */
	page_req(f, 5, true, false, false);
	assert_true(priq_ovf(f));
	assert_int_equal(st->pri_lost, 1);
	assert_int_equal(st->pri_auto_responses, 1);
	assert_int_equal(pcie_ep_stats(ep)->prg_unexpected, 1);	/* routed to nic0 */
	page_req(f, 6, false, false, false);	/* Last == 0: silently dropped */
	page_req(f, 7, true, true, true);	/* Stop Marker: no response */
	assert_int_equal(st->pri_lost, 3);
	assert_int_equal(st->pri_auto_responses, 1);

	/* entries as received */
	e = priq_pop(f);
	assert_int_equal(e.sid, SID);
	assert_int_equal(e.prg_idx, 1);
	assert_true(e.addr == IOVA + HW_PAGE_SIZE);
	assert_true(e.last && e.read && e.write && !e.ssv);
	assert_int_equal(priq_pop(f).prg_idx, 2);

	/* space, but the overflow is not acknowledged: entries stay inhibited */
	page_req(f, 8, true, false, false);
	assert_int_equal(priq_count(f), 2);
	assert_int_equal(st->pri_auto_responses, 2);
	f->priq_cons |= priq_ovf(f);		/* OVACKFLG = OVFLG */
	smmuv3_write32(smmu, SMMUV3_PRIQ_CONS, f->priq_cons);
	page_req(f, 9, true, true, false);
	page_req(f, 10, true, true, true);	/* a Stop Marker is queued */
	assert_int_equal(priq_count(f), 4);
	assert_int_equal(st->pri_auto_responses, 2);
	priq_pop(f);
	priq_pop(f);
	e = priq_pop(f);
	assert_true(e.ssv && e.ssid == 3 && e.prg_idx == 9);
	e = priq_pop(f);
	assert_true(e.ssv && e.last && !e.read && !e.write && e.prg_idx == 10);

	/* CMD_PRI_RESP goes to the endpoint owning the StreamID */
	unexpected = pcie_ep_stats(ep)->prg_unexpected;
	cmd_sync(f, &c);
	assert_int_equal(st->pri_resps, 1);
	assert_int_equal(pcie_ep_stats(ep)->prg_unexpected, unexpected + 1);
	c.pri_resp.sid = SID + 1;
	cmd_sync(f, &c);
	assert_int_equal(st->pri_resps_unrouted, 1);

	/* end to end: an overflow auto-response is Success (the device retries) */
	for (uint16_t i = 1; i <= 4; i++)
		page_req(f, 20 + i, false, false, false);
	page_req(f, 30, false, false, false);	/* overflow, Last == 0: nothing */
	ep_enable(ep);
	ep_access(f, &o);
	assert_int_equal(o.rc, -EFAULT);	/* no mapping ever came */
	/* answered with Success: the device translated again after it */
	assert_int_equal(pcie_ep_stats(ep)->prg_responses, 1);
	assert_int_equal(pcie_ep_stats(ep)->ats_requests, 2);
	assert_false(ep_pri_status(ep) & PCI_PRI_STATUS_RF);

	/* PRIQEN clear: every PPR (Last or not) gets Response Failure */
	smmuv3_write32(smmu, SMMUV3_CR0, SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN |
		       SMMUV3_CR0_EVTQEN);
	unexpected = st->pri_auto_responses;
	page_req(f, 40, false, false, false);
	page_req(f, 41, true, true, true);	/* Stop Marker: none */
	assert_int_equal(st->pri_auto_responses, unexpected + 1);
	ep_access(f, &o);
	assert_int_equal(o.rc, -EFAULT);
	assert_int_equal(pcie_ep_stats(ep)->prg_responses, 2);
	assert_int_equal(pcie_ep_stats(ep)->ats_requests, 3);	/* no retry */
	assert_true(ep_pri_status(ep) & PCI_PRI_STATUS_RF);
}

static void tune_priq4(struct fx *f)
{
	f->priq_log2 = 2;
	f->cfg.irq[SMMUV3_IRQ_PRIQ] = sim_irq_create(f->s, "priq", 1, count_priq_irq, f);
}

static void priq(void **state)
{
	(void)state;
	run_body(t_priq, tune_priq4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bypass_abort_s1),
		cmocka_unit_test(fault_records),
		cmocka_unit_test(cfg_cache),
		cmocka_unit_test(cfg_lru),
		cmocka_unit_test(cfg_2lvl),
		cmocka_unit_test(tlb_stale),
		cmocka_unit_test(tlbi_scopes),
		cmocka_unit_test(stall),
		cmocka_unit_test(stall_max),
		cmocka_unit_test(stall_evtq_full),
		cmocka_unit_test(evtq_overflow),
		cmocka_unit_test(ats_requests),
		cmocka_unit_test(translated_requests),
		cmocka_unit_test(priq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
