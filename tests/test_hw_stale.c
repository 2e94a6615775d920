// SPDX-License-Identifier: MIT
/*
 * The property iommusim exists for, at the hardware level with no driver:
 * a device that keeps an ATC entry after the page behind it was unmapped,
 * freed and reused writes into someone else's page, and the run reports
 * STALE_DMA_WRITE naming the device ATC; if STE.EATS is cleared (and the
 * STE invalidated) first, the same access is refused and nothing is
 * reported.  Software is played by a test task programming the SMMU
 * through MMIO and queue memory, as a driver would.
 */
#include "simtest.h"

#include <errno.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/pgtable.h"
#include "hw/smmuv3/smmuv3.h"

#define SID		0x10
#define IOVA		0x4000ULL
#define CMDQ_LOG2	4
#define ST_LOG2		8

enum variant {
	V_STALE_ATC,		/* no ATC_INV: stale write through the ATC */
	V_EATS_CLEARED,		/* EATS cleared + CFGI_STE first: refused */
	V_ATC_INVALIDATED,	/* ATC_INV + CMD_SYNC first: re-translated, faults */
};

struct plat {
	enum variant variant;
	struct hw_mem *mem;
	struct smmuv3 *smmu;
	struct pcie_ep *ep;
	uint64_t cmdq, evtq, priq, strtab, cdtab, root, page;
	int dma_rc_before, dma_rc_after;
	uint64_t events;
};

static void cmd_issue(struct plat *p, const struct smmuv3_cmd *cmd)
{
	uint32_t prod = smmuv3_read32(p->smmu, SMMUV3_CMDQ_PROD);
	uint32_t idx = prod & ((1U << CMDQ_LOG2) - 1);
	uint64_t *slot = hw_mem_ptr(p->mem, p->cmdq + 16ULL * idx, 16);
	uint32_t next = (prod & ((2U << CMDQ_LOG2) - 1)) + 1;

	assert_int_equal(smmuv3_cmd_encode(cmd, slot), 0);
	smmuv3_write32(p->smmu, SMMUV3_CMDQ_PROD, next & ((2U << CMDQ_LOG2) - 1));
}

/* Issue @cmd then a CMD_SYNC and poll CONS until both are consumed. */
static void cmd_sync(struct plat *p, const struct smmuv3_cmd *cmd)
{
	struct smmuv3_cmd sync = { .opcode = SMMUV3_CMD_SYNC,
				   .sync.cs = SMMUV3_CMD_SYNC_CS_NONE };
	uint32_t prod;

	if (cmd)
		cmd_issue(p, cmd);
	cmd_issue(p, &sync);
	prod = smmuv3_read32(p->smmu, SMMUV3_CMDQ_PROD);
	for (int i = 0; i < 100000; i++) {
		uint32_t cons = smmuv3_read32(p->smmu, SMMUV3_CMDQ_CONS);

		assert_int_equal(FIELD_GET(SMMUV3_CMDQ_CONS_ERR, cons), SMMUV3_CERROR_NONE);
		if ((cons & ((2U << CMDQ_LOG2) - 1)) == prod)
			return;
		sim_delay(100);
	}
	fail_msg("CMD_SYNC never completed");
}

static void write_ste(struct plat *p, uint8_t eats)
{
	struct smmuv3_ste ste = {
		.valid = true, .config = SMMUV3_STE_CONFIG_S1_TRANS,
		.s1ctxptr = p->cdtab, .s1cdmax = 0, .eats = eats,
	};

	assert_int_equal(smmuv3_ste_encode(&ste, hw_mem_ptr(p->mem, p->strtab + 64ULL * SID, 64)), 0);
}

static void bring_up(struct plat *p)
{
	struct smmuv3_cd cd = {
		.valid = true, .asid = 1, .ttb0 = p->root, .t0sz = 16,
		.tg0 = SMMUV3_CD_TG0_4K, .ips = SMMUV3_IDR5_OAS_48_BIT,
		.epd1 = true, .aa64 = true, .r = true, .a = true,
	};

	smmuv3_write64(p->smmu, SMMUV3_CMDQ_BASE, p->cmdq | CMDQ_LOG2);
	smmuv3_write32(p->smmu, SMMUV3_CMDQ_PROD, 0);
	smmuv3_write32(p->smmu, SMMUV3_CMDQ_CONS, 0);
	smmuv3_write64(p->smmu, SMMUV3_EVTQ_BASE, p->evtq | 4);
	smmuv3_write64(p->smmu, SMMUV3_PRIQ_BASE, p->priq | 4);
	smmuv3_write64(p->smmu, SMMUV3_STRTAB_BASE, p->strtab);
	smmuv3_write32(p->smmu, SMMUV3_STRTAB_BASE_CFG,
		       FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_FMT, SMMUV3_STRTAB_BASE_CFG_FMT_LINEAR) |
		       FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, ST_LOG2));
	assert_int_equal(smmuv3_cd_encode(&cd, hw_mem_ptr(p->mem, p->cdtab, 64)), 0);
	write_ste(p, SMMUV3_STE_EATS_TRANS);
	smmuv3_write32(p->smmu, SMMUV3_CR0, SMMUV3_CR0_ATSCHK | SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN |
		       SMMUV3_CR0_PRIQEN | SMMUV3_CR0_SMMUEN);
	assert_int_equal(smmuv3_read32(p->smmu, SMMUV3_CR0ACK) & SMMUV3_CR0_SMMUEN,
			 SMMUV3_CR0_SMMUEN);
	assert_int_equal(hw_pgtable_map(p->mem, p->root, IOVA, p->page,
					HW_PERM_R | HW_PERM_W, "dom0"), 0);
	pcie_ep_cfg_write(p->ep, PCI_COMMAND, 2, PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	pcie_ep_cfg_write(p->ep, PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL, 2, PCI_ATS_CTRL_ENABLE);
}

static void software(void *arg)
{
	struct plat *p = arg;
	uint64_t val = 0x600d, pa2;
	uint64_t unmapped;
	struct smmuv3_cmd tlbi = { .opcode = SMMUV3_CMD_TLBI_NH_ASID, .tlbi.asid = 1 };

	bring_up(p);
	p->dma_rc_before = pcie_ep_dma(p->ep, IOVA, true, false, 0, &val);
	assert_non_null(pcie_ep_atc_lookup(p->ep, IOVA, false, 0));

	/* unmap: page table, TLBI, and (variant) the ATC */
	assert_int_equal(hw_pgtable_unmap(p->mem, p->root, IOVA, &unmapped), 0);
	cmd_sync(p, &tlbi);
	if (p->variant == V_ATC_INVALIDATED) {
		struct smmuv3_cmd inv = { .opcode = SMMUV3_CMD_ATC_INV,
					  .atc_inv = { .sid = SID, .size = SMMUV3_ATC_INV_SIZE_ALL } };
		cmd_sync(p, &inv);
		assert_null(pcie_ep_atc_lookup(p->ep, IOVA, false, 0));
	}
	if (p->variant == V_EATS_CLEARED) {
		struct smmuv3_cmd cfgi = { .opcode = SMMUV3_CMD_CFGI_STE,
					   .cfgi = { .sid = SID, .leaf = true } };
		write_ste(p, SMMUV3_STE_EATS_ABT);
		cmd_sync(p, &cfgi);
	}
	/* the page goes back to the allocator and to a new owner */
	assert_int_equal(hw_mem_free(p->mem, unmapped, 1), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "dom1 iova 0x9000", &pa2), 0);
	assert_int_equal(pa2, unmapped);
	sim_delay(1000);

	val = 0xbad;
	p->dma_rc_after = pcie_ep_dma(p->ep, IOVA, true, false, 0, &val);
	p->events = smmuv3_stats(p->smmu)->events;
}

static struct sim *run_variant(struct plat *p, enum variant v)
{
	struct sim *s = simtest_new(1, 1, "rr");
	struct smmuv3_config sc;
	struct pcie_ep_config ec;
	struct pcie_upstream up;

	memset(p, 0, sizeof(*p));
	p->variant = v;
	s->cfg.keep_going = true;
	p->mem = hw_mem_create(16ULL << 20);
	smmuv3_config_default(&sc);
	sc.name = "smmu0";
	p->smmu = smmuv3_create(s, p->mem, &sc);
	assert_non_null(p->smmu);
	up = smmuv3_upstream(p->smmu);
	pcie_ep_config_default(&ec);
	ec.name = "nic0";
	ec.sids[0] = SID;
	ec.nsids = 1;
	ec.ats = true;
	ec.atc_entries = 8;
	ec.inv_queue_depth = 8;
	ec.atc_inv_latency = 1000;
	ec.completion_timeout = SIM_MS;
	p->ep = pcie_ep_create(s, &ec, &up);
	assert_non_null(p->ep);
	assert_int_equal(smmuv3_connect(p->smmu, SID, p->ep, SIM_MS), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "smmu0 cmdq", &p->cmdq), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "smmu0 evtq", &p->evtq), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "smmu0 priq", &p->priq), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 4, "smmu0 strtab", &p->strtab), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "nic0 cd table", &p->cdtab), 0);
	assert_int_equal(hw_pgtable_alloc(p->mem, "dom0", &p->root), 0);
	assert_int_equal(hw_mem_alloc(p->mem, 1, "dom0 iova 0x4000", &p->page), 0);
	s->cfg.end_when_threads_done = true;
	spawn(s, "software", 0, software, p);
	sim_run(s);
	return s;
}

static void stale_atc_write_reported(void **state)
{
	struct plat p;
	struct sim *s = run_variant(&p, V_STALE_ATC);

	(void)state;
	assert_int_equal(p.dma_rc_before, 0);
	assert_int_equal(p.dma_rc_after, 0);	/* the device cannot tell */
	assert_int_equal(s->violations->count[V_STALE_DMA_WRITE], 1);
	assert_int_equal(s->violations->n, 1);
	assert_non_null(strstr(s->violations->v[0].msg, "device ATC"));
	assert_non_null(strstr(s->violations->v[0].msg, "nic0"));
	assert_non_null(strstr(s->violations->v[0].msg, "dom1 iova 0x9000"));
	sim_destroy(s);
	hw_mem_destroy(p.mem);
}

static void eats_cleared_refuses(void **state)
{
	struct plat p;
	struct sim *s = run_variant(&p, V_EATS_CLEARED);

	(void)state;
	assert_int_equal(p.dma_rc_before, 0);
	assert_int_equal(p.dma_rc_after, -EFAULT);
	assert_int_equal(s->violations->n, 0);
	assert_int_equal(smmuv3_stats(p.smmu)->translated_refused, 1);
	assert_true(p.events >= 1);	/* F_TRANSL_FORBIDDEN recorded */
	sim_destroy(s);
	hw_mem_destroy(p.mem);
}

static void atc_invalidated_faults(void **state)
{
	struct plat p;
	struct sim *s = run_variant(&p, V_ATC_INVALIDATED);

	(void)state;
	assert_int_equal(p.dma_rc_after, -EFAULT);	/* re-translation finds no mapping */
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
	hw_mem_destroy(p.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stale_atc_write_reported),
		cmocka_unit_test(eats_cleared_refuses),
		cmocka_unit_test(atc_invalidated_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
