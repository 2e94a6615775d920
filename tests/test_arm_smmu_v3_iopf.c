// SPDX-License-Identifier: MIT
/*
 * The SMMUv3 driver's I/O page fault paths (arm-smmu-v3-{queue,evtq,priq,
 * iopf,pasid}.c) against the SMMUv3 and PCIe endpoint models, the IOMMU
 * core and the IOPF core, platform probed as the scenario runner does:
 *   - a stall: the event record (decoded with the codec) becomes the
 *     reported fault, the SVA handler maps the page, CMD_RESUME releases
 *     the stalled transaction, which then succeeds;
 *   - a page request: the PRI queue entry becomes the reported fault,
 *     CMD_PRI_RESP reaches the endpoint, the access succeeds; a group of
 *     three requests (stream prg_pages = 3) reaches the handler whole;
 *   - event queue overflow: logged, counted and acknowledged (CONS.OVACKFLG
 *     follows PROD.OVFLG), later records are taken again;
 *   - PASID attach/detach: CDs, the STE's S1DSS and S1STALLD, CD.S only for
 *     domains with a handler, the IOPF reference count and fault param;
 *   - iopf_drain = ordered consumes a stall sitting in the event queue (no
 *     IRQ thread running) before the replace returns, reported to the old
 *     domain; none leaves it there.
 */
#include "simtest.h"

#include <errno.h>

#include "check/fault.h"
#include "core/iommu.h"
#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/smmuv3/smmuv3.h"
#include "iopf/iopf.h"

#define SID		0x10
#define SVA_BASE	0x100000UL
#define SVA_PAGES	16

struct pcfg {
	bool stall;		/* DMA_CAN_STALL master, no ATS */
	bool pri;		/* ATS + PRI master */
	bool evtq_irq;		/* evtq line wired (else nothing consumes it) */
	unsigned evtq_entries;
	enum pol_iopf_drain drain;
};

struct plat {
	struct pcfg c;
	struct sim *s;
	struct hw_mem *mem;
	struct smmuv3 *hw;
	struct pcie_ep *ep;
	struct pci_dev pdev;
	struct arm_smmu_device *smmu;
	struct arm_smmu_platform pf;
	struct iommu_mm mm;

	/* what the handler saw */
	int handled;
	struct iommu_domain *handled_dom;
	struct iommu_fault_page_request prm;
	size_t fault_count;

	int dma_ret;
	bool dma_done;
	void (*body)(struct plat *p);
};

static struct plat P;

#define DEV(p)	(&(p)->pdev.dev)

static int sva_alloc_page(void *ctx, unsigned long addr, phys_addr_t *pa)
{
	struct plat *p = ctx;
	u64 a;

	(void)addr;
	if (hw_mem_alloc(p->mem, 1, "sva page", &a))
		return -ENOMEM;
	*pa = a;
	return 0;
}

/* Records what it was given, then the SVA handler faults the pages in. */
static int test_handler(struct iopf_group *group)
{
	P.handled++;
	P.handled_dom = group->domain;
	P.prm = group->last_fault.fault.prm;
	P.fault_count = group->fault_count;
	return iommu_sva_iopf_handler(group);
}

static void plat_build(struct plat *p)
{
	static const char *const names[SMMUV3_NR_IRQS] = { "gerror", "evtq", "priq", "sync" };
	struct smmuv3_config sc;
	struct pcie_ep_config ec;
	struct pcie_upstream up;

	p->mem = hw_mem_create(64ULL << 20);
	assert_non_null(p->mem);
	smmuv3_config_default(&sc);
	sc.name = "smmu0";
	memset(&p->pf, 0, sizeof(p->pf));
	for (int l = 0; l < SMMUV3_NR_IRQS; l++) {
		char n[32];

		if (l == SMMUV3_IRQ_EVTQ && !p->c.evtq_irq)
			continue;
		snprintf(n, sizeof(n), "smmu0-%s", names[l]);
		p->pf.irq[l] = irq_line_create(n, 1, &sc.irq[l]);
		assert_true(p->pf.irq[l] > 0);
	}
	p->hw = smmuv3_create(p->s, p->mem, &sc);
	assert_non_null(p->hw);
	up = smmuv3_upstream(p->hw);
	pcie_ep_config_default(&ec);
	ec.name = "dev0";
	ec.sids[0] = SID;
	ec.nsids = 1;
	ec.pasid = true;
	ec.pasid_bits = 5;
	ec.completion_timeout = SIM_MS;
	if (p->c.pri) {
		ec.ats = true;
		ec.atc_entries = 8;
		ec.inv_queue_depth = 4;
		ec.pri = true;
		ec.pri_max_requests = 16;
		ec.prg_response_timeout = 50 * SIM_MS;
	}
	p->ep = pcie_ep_create(p->s, &ec, &up);
	assert_non_null(p->ep);
	assert_int_equal(smmuv3_connect(p->hw, SID, p->ep, SIM_MS), 0);
	p->pf.name = "smmu0";
	p->pf.hw = p->hw;
	p->pf.mem = p->mem;
	p->pf.cmdq_entries = 64;
	p->pf.evtq_entries = p->c.evtq_entries ? p->c.evtq_entries : 64;
	p->pf.priq_entries = 64;
	p->pf.sync_msi = true;
	p->mm = (struct iommu_mm){ .base = SVA_BASE, .size = SVA_PAGES * 4096,
				   .alloc_page = sva_alloc_page, .ctx = p };
}

/* In a task: probe the SMMU and the device. */
static void plat_probe(struct plat *p)
{
	u32 sid = SID;
	u32 flags = IOMMU_FWSPEC_PCI_RC_ATS | (p->c.stall ? IOMMU_FWSPEC_DMA_CAN_STALL : 0);

	p->smmu = arm_smmu_device_probe(&p->pf);
	assert_false(IS_ERR(p->smmu));
	pci_dev_init(&p->pdev, p->ep, "dev0", SID, NULL, 0);
	assert_int_equal(iommu_fwspec_init(DEV(p), &arm_smmu_ops, p->smmu, &sid, 1, flags), 0);
	assert_int_equal(iommu_probe_device(DEV(p)), 0);
	pci_write_config_word(&p->pdev, PCI_COMMAND, PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	assert_true(p->pdev.pasid_enabled);		/* the driver enabled PASIDs */
}

static struct iommu_domain *sva_alloc(struct plat *p, const char *name)
{
	struct iommu_domain *d = iommu_sva_domain_alloc(DEV(p), &p->mm, name);

	assert_false(IS_ERR(d));
	d->iopf_handler = test_handler;
	return d;
}

static void body_tramp(void *arg)
{
	struct plat *p = arg;

	plat_probe(p);
	p->body(p);
}

static struct sim *plat_run(const struct pcfg *c, void (*body)(struct plat *p))
{
	struct sim *s;

	memset(&P, 0, sizeof(P));
	P.c = *c;
	s = simtest_new(2, 1, NULL);
	s->cfg.end_when_threads_done = true;
	s->cfg.duration = 10 * SIM_S;
	P.s = s;
	iommu_core_configure(POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0);
	iopf_configure(POL_IOPF_DESIGN_LINUX, c->drain, POL_IOPF_DISCARD_RESPOND);
	plat_build(&P);
	P.body = body;
	spawn(s, "test", 0, body_tramp, &P);
	sim_run(s);
	return s;
}

static void plat_done(struct sim *s)
{
	for (unsigned i = 0; i < s->violations->n; i++)
		violation_print(stderr, &s->violations->v[i]);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
	hw_mem_destroy(P.mem);
	P.mem = NULL;
}

static void dma_task(void *arg)
{
	struct plat *p = arg;
	u64 val = 0x1234;

	p->dma_ret = pcie_ep_dma(p->ep, SVA_BASE + 0x3000, true, true, 1, &val);
	p->dma_done = true;
}

static u64 ste_qword(struct plat *p, unsigned int i)
{
	return p->smmu->strtab[(size_t)SID * SMMUV3_STE_DWORDS + i];
}

static void read_ste(struct plat *p, struct smmuv3_ste *ste)
{
	smmuv3_ste_decode(&p->smmu->strtab[(size_t)SID * SMMUV3_STE_DWORDS], ste);
}

static void read_cd(struct plat *p, unsigned int ssid, struct smmuv3_cd *cd)
{
	struct arm_smmu_master *m = dev_iommu_priv_get(DEV(p));

	smmuv3_cd_decode(m->cd_table + (size_t)ssid * SMMUV3_CD_DWORDS, cd);
}

/* ---- stall -> report -> RESUME -> the transaction retries ---- */

static void body_stall(struct plat *p)
{
	struct iommu_domain *d = sva_alloc(p, "sva0");
	struct iommu_attach_handle h;
	struct smmuv3_event evt;

	assert_int_equal(iommu_attach_device_pasid(d, DEV(p), 1, &h), 0);
	dma_task(p);
	assert_int_equal(p->dma_ret, 0);
	assert_int_equal(p->handled, 1);
	assert_ptr_equal(p->handled_dom, d);
	/* the fault is the event record, field by field */
	smmuv3_event_decode((const uint64_t *)p->smmu->evtq.base, &evt);
	assert_int_equal(evt.id, SMMUV3_EVT_F_TRANSLATION);
	assert_true(evt.stall);
	assert_int_equal(p->prm.grpid, evt.stag);
	assert_int_equal(p->prm.addr, evt.addr);
	assert_int_equal(p->prm.flags, IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE |
					IOMMU_FAULT_PAGE_REQUEST_PASID_VALID);
	assert_int_equal(p->prm.pasid, 1);
	assert_int_equal(p->prm.perm, IOMMU_FAULT_PERM_WRITE);
	assert_int_equal(p->prm.private_data[0], SID);
	assert_int_equal(p->prm.private_data[1], IOPF_SRC_STALL);
	/* RESUME reached the SMMU and released the stall */
	assert_int_equal(smmuv3_stats(p->hw)->stalls, 1);
	assert_int_equal(smmuv3_stats(p->hw)->resumes, 1);
	assert_int_equal(smmuv3_stalls_held(p->hw), 0);
	assert_int_equal(p->smmu->stats.stall_reports, 1);
	iommu_detach_device_pasid(d, DEV(p), 1);
	iommu_domain_free(d);
}

static void test_stall_resume(void **state)
{
	struct pcfg c = { .stall = true, .evtq_irq = true, .drain = POL_IOPF_DRAIN_ORDERED };

	(void)state;
	plat_done(plat_run(&c, body_stall));
}

/* ---- page request -> report -> PRI_RESP -> the endpoint retries ---- */

static void body_pri(struct plat *p)
{
	struct iommu_domain *d = sva_alloc(p, "sva0");
	struct iommu_attach_handle h;
	struct smmuv3_pri_entry ppr;

	assert_int_equal(iommu_attach_device_pasid(d, DEV(p), 1, &h), 0);
	assert_true(pcie_ep_pri_enabled(p->ep));
	assert_true(pcie_ep_ats_enabled(p->ep));
	dma_task(p);
	assert_int_equal(p->dma_ret, 0);
	assert_int_equal(p->handled, 1);
	smmuv3_pri_decode((const uint64_t *)p->smmu->priq.base, &ppr);
	assert_true(ppr.last);
	assert_int_equal(p->prm.grpid, ppr.prg_idx);
	assert_int_equal(p->prm.addr, ppr.addr);
	assert_int_equal(p->prm.pasid, 1);
	assert_true(p->prm.flags & IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE);
	assert_true(p->prm.flags & IOMMU_FAULT_PAGE_REQUEST_PASID_VALID);
	assert_true(p->prm.perm & IOMMU_FAULT_PERM_WRITE);
	assert_int_equal(p->prm.private_data[0], SID);
	assert_int_equal(p->prm.private_data[1], IOPF_SRC_PRI);
	/* PRI_RESP reached the endpoint */
	assert_int_equal(smmuv3_stats(p->hw)->pri_resps, 1);
	assert_int_equal(pcie_ep_stats(p->ep)->prg_responses, 1);
	assert_int_equal(pcie_ep_stats(p->ep)->prg_unexpected, 0);
	assert_int_equal(pcie_ep_outstanding_prgs(p->ep), 0);
	/* PRI off with the last IOPF user */
	iommu_detach_device_pasid(d, DEV(p), 1);
	assert_false(pcie_ep_pri_enabled(p->ep));
	iommu_domain_free(d);
}

static void test_pri_response(void **state)
{
	struct pcfg c = { .pri = true, .evtq_irq = true, .drain = POL_IOPF_DRAIN_ORDERED };

	(void)state;
	plat_done(plat_run(&c, body_pri));
}

/* ---- a group of three page requests ---- */

static void body_prg3(struct plat *p)
{
	struct pcie_dma_stream st = { .iova = SVA_BASE + 0x4000, .npages = 1, .write = true,
				      .interval = SIM_US, .count = 1, .pasid_valid = true,
				      .pasid = 1, .alias = -1, .prg_pages = 3,
				      .prg_gap = 2 * SIM_US };
	struct iommu_domain *d = sva_alloc(p, "sva0");
	struct iommu_attach_handle h;

	assert_int_equal(iommu_attach_device_pasid(d, DEV(p), 1, &h), 0);
	assert_int_equal(pcie_ep_add_stream(p->ep, &st), 0);
	for (int i = 0; i < 100 && !pcie_ep_stats(p->ep)->dma_ok; i++)
		msleep(1);
	assert_int_equal(pcie_ep_stats(p->ep)->dma_ok, 1);
	assert_int_equal(pcie_ep_stats(p->ep)->page_requests, 3);
	assert_int_equal(pcie_ep_stats(p->ep)->prg_sent, 1);
	assert_int_equal(pcie_ep_stats(p->ep)->prg_responses, 1);
	assert_int_equal(p->handled, 1);
	assert_int_equal(p->fault_count, 3);
	assert_int_equal(p->smmu->stats.ppr_reports, 3);
	assert_int_equal(p->smmu->stats.pri_resps, 1);
	iommu_detach_device_pasid(d, DEV(p), 1);
	iommu_domain_free(d);
}

static void test_pri_group_of_three(void **state)
{
	struct pcfg c = { .pri = true, .evtq_irq = true, .drain = POL_IOPF_DRAIN_ORDERED };

	(void)state;
	plat_done(plat_run(&c, body_prg3));
}

/* ---- event queue overflow ---- */

static void body_overflow(struct plat *p)
{
	struct iommu_domain *d = iommu_paging_domain_alloc(DEV(p), "dom0");	/* no handler */
	struct iommu_attach_handle h;
	u32 prod, cons;
	u64 val = 0;

	assert_int_equal(iommu_attach_device_pasid(d, DEV(p), 1, &h), 0);
	for (int i = 0; i < 7; i++)	/* 4 recorded, 3 lost */
		assert_int_equal(pcie_ep_dma(p->ep, SVA_BASE + i * 4096UL, true, true, 1, &val),
				 -EFAULT);
	assert_int_equal(smmuv3_stats(p->hw)->events_lost, 3);
	prod = arm_smmu_readl(p->smmu, SMMUV3_EVTQ_PROD);
	assert_true(SMMUV3_Q_OVF(prod));
	arm_smmu_evtq_consume(p->smmu);
	assert_int_equal(p->smmu->stats.events, 4);
	assert_int_equal(p->smmu->stats.evtq_overflows, 1);
	cons = arm_smmu_readl(p->smmu, SMMUV3_EVTQ_CONS);
	assert_int_equal(SMMUV3_Q_OVF(cons), SMMUV3_Q_OVF(prod));
	/* acknowledged: the next record is written and consumed, no new overflow */
	assert_int_equal(pcie_ep_dma(p->ep, SVA_BASE, true, true, 1, &val), -EFAULT);
	arm_smmu_evtq_consume(p->smmu);
	assert_int_equal(p->smmu->stats.events, 5);
	assert_int_equal(p->smmu->stats.evtq_overflows, 1);
	assert_int_equal(smmuv3_stats(p->hw)->events_lost, 3);
	iommu_detach_device_pasid(d, DEV(p), 1);
	iommu_domain_free(d);
}

static void test_evtq_overflow(void **state)
{
	struct pcfg c = { .stall = true, .evtq_entries = 4, .drain = POL_IOPF_DRAIN_ORDERED };

	(void)state;
	plat_done(plat_run(&c, body_overflow));
}

/* ---- PASID CDs, STE and the IOPF reference count ---- */

static void body_pasid(struct plat *p)
{
	struct arm_smmu_master *m = dev_iommu_priv_get(DEV(p));
	struct iommu_domain *a = sva_alloc(p, "svaA"), *b = sva_alloc(p, "svaB");
	struct iommu_domain *pg = iommu_paging_domain_alloc(DEV(p), "dom0");
	struct iommu_attach_handle ha, hb, hp;
	struct smmuv3_ste ste;
	struct smmuv3_cd cd;

	assert_true(m->stall_enabled);
	read_ste(p, &ste);
	assert_int_equal(ste.config, SMMUV3_STE_CONFIG_ABORT);

	assert_int_equal(iommu_attach_device_pasid(a, DEV(p), 1, &ha), 0);
	read_ste(p, &ste);
	assert_int_equal(ste.config, SMMUV3_STE_CONFIG_S1_TRANS);
	assert_int_equal(ste.s1dss, SMMUV3_STE_S1DSS_TERMINATE);
	assert_int_equal(ste.s1cdmax, 5);		/* 32 PASIDs (pasid_bits 5) */
	assert_false(ste.s1stalld);
	read_cd(p, 1, &cd);
	assert_true(cd.valid);
	assert_true(cd.s);
	assert_int_equal(cd.asid, to_smmu_domain(a)->asid);
	assert_int_equal(cd.ttb0, to_smmu_domain(a)->pgd);
	assert_int_equal(m->iopf_refcount, 1);
	assert_non_null(DEV(p)->iommu->fault_param);

	assert_int_equal(iommu_attach_device_pasid(b, DEV(p), 2, &hb), 0);
	assert_int_equal(m->iopf_refcount, 2);
	assert_int_equal(iommu_attach_device_pasid(pg, DEV(p), 3, &hp), 0);
	assert_int_equal(m->iopf_refcount, 2);		/* no handler: no IOPF */
	read_cd(p, 3, &cd);
	assert_true(cd.valid);
	assert_false(cd.s);				/* terminates, never stalls */

	iommu_detach_device_pasid(a, DEV(p), 1);
	read_cd(p, 1, &cd);
	assert_false(cd.valid);
	assert_int_equal(m->iopf_refcount, 1);
	iommu_detach_device_pasid(b, DEV(p), 2);
	assert_int_equal(m->iopf_refcount, 0);
	assert_null(DEV(p)->iommu->fault_param);
	read_ste(p, &ste);
	assert_int_equal(ste.config, SMMUV3_STE_CONFIG_S1_TRANS);	/* PASID 3 still */
	iommu_detach_device_pasid(pg, DEV(p), 3);
	read_ste(p, &ste);
	assert_int_equal(ste.config, SMMUV3_STE_CONFIG_ABORT);
	assert_int_equal(ste_qword(p, 1), 0);

	/* the RID on a paging domain keeps CD 0 and S1DSS=SSID0 */
	assert_int_equal(iommu_attach_device(pg, DEV(p)), 0);
	assert_int_equal(iommu_attach_device_pasid(a, DEV(p), 1, &ha), 0);
	read_ste(p, &ste);
	assert_int_equal(ste.s1dss, SMMUV3_STE_S1DSS_SSID0);
	read_cd(p, 0, &cd);
	assert_true(cd.valid);
	assert_false(cd.s);
	iommu_detach_device_pasid(a, DEV(p), 1);
	iommu_detach_device(pg, DEV(p));
	iommu_domain_free(a);
	iommu_domain_free(b);
	iommu_domain_free(pg);
}

static void test_pasid_cds_and_refcount(void **state)
{
	struct pcfg c = { .stall = true, .evtq_irq = true, .drain = POL_IOPF_DRAIN_ORDERED };

	(void)state;
	plat_done(plat_run(&c, body_pasid));
}

/* ---- ordered drain: a queued stall reported to the old domain before replace returns ---- */

static void body_drain(struct plat *p)
{
	struct iommu_domain *a = sva_alloc(p, "svaA"), *keep = sva_alloc(p, "svaK");
	struct iommu_domain *b = iommu_paging_domain_alloc(DEV(p), "domB");
	struct iommu_attach_handle ha, hk, hb;

	assert_int_equal(iommu_attach_device_pasid(a, DEV(p), 1, &ha), 0);
	assert_int_equal(iommu_attach_device_pasid(keep, DEV(p), 2, &hk), 0);
	spawn(p->s, "dma", 1, dma_task, p);
	for (int i = 0; i < 100 && !smmuv3_stalls_held(p->hw); i++)
		msleep(1);
	assert_int_equal(smmuv3_stalls_held(p->hw), 1);		/* record sits in the evtq */
	assert_int_equal(p->handled, 0);
	assert_int_equal(iommu_replace_device_pasid(b, DEV(p), 1, &hb), 0);
	if (p->c.drain == POL_IOPF_DRAIN_ORDERED) {
		assert_int_equal(p->handled, 1);
		assert_ptr_equal(p->handled_dom, a);
	} else {
		assert_int_equal(p->handled, 0);
		arm_smmu_evtq_consume(p->smmu);	/* now: no handler on domB */
	}
	for (int i = 0; i < 100 && !p->dma_done; i++)
		msleep(1);
	assert_true(p->dma_done);
	assert_int_equal(smmuv3_stalls_held(p->hw), 0);
	iommu_detach_device_pasid(b, DEV(p), 1);
	iommu_detach_device_pasid(keep, DEV(p), 2);
	iommu_domain_free(a);
	iommu_domain_free(b);
	iommu_domain_free(keep);
}

static void test_ordered_drain(void **state)
{
	struct pcfg c = { .stall = true, .drain = POL_IOPF_DRAIN_ORDERED };

	(void)state;
	plat_done(plat_run(&c, body_drain));
}

static void test_none_leaves_queue(void **state)
{
	struct pcfg c = { .stall = true, .drain = POL_IOPF_DRAIN_NONE };
	struct sim *s;

	(void)state;
	s = plat_run(&c, body_drain);
	/* domB has no handler: the late stall is answered INVALID, no violation */
	plat_done(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall_resume),
		cmocka_unit_test(test_pri_response),
		cmocka_unit_test(test_pri_group_of_three),
		cmocka_unit_test(test_evtq_overflow),
		cmocka_unit_test(test_pasid_cds_and_refcount),
		cmocka_unit_test(test_ordered_drain),
		cmocka_unit_test(test_none_leaves_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
