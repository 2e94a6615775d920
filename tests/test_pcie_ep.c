// SPDX-License-Identifier: MIT
/*
 * The PCIe endpoint model against a fake upstream: configuration space,
 * ATS and the ATC, invalidations and their knobs, PRI, FLR, the DMA
 * engine and the knob parser.
 *
 * The fake upstream answers Translation Requests from a small table,
 * accepts untranslated requests for mapped pages, can refuse translated
 * requests (-EPERM) and can answer page requests at once; it records
 * every message with its virtual time.
 */
#include "simtest.h"

#include <errno.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"

#define SID		0x10
#define SID2		0x18
#define ALIAS		0x30
#define PA_BASE		0x80000000ULL
#define MAXREC		64

struct map {
	uint64_t iova;
	bool pasid_valid;
	uint32_t pasid;
	uint64_t pa;
	uint8_t perm;
};

struct fake {
	struct sim *s;
	struct pcie_ep *ep;
	void (*body)(struct fake *f);

	/* behaviour */
	struct map map[16];
	int nmap;
	bool refuse_translated;
	enum pcie_ats_status ats_status;
	sim_time_t xlate_delay;		/* a Translation Request takes this long */
	int prg_auto;			/* -1: no answer; else answer code at once */

	/* records */
	struct pcie_txn txn[MAXREC];
	sim_time_t txn_time[MAXREC];
	int ntxn;
	int nats;
	struct pcie_inv_cpl cpl[MAXREC];
	sim_time_t cpl_time[MAXREC];
	int ncpl;
	struct pcie_page_req preq[MAXREC];
	sim_time_t preq_time[MAXREC];
	int npreq;
	uint16_t seen;			/* what a helper task saw */
};

static const struct map *fake_find(struct fake *f, uint64_t page, bool pv, uint32_t pasid)
{
	for (int i = 0; i < f->nmap; i++)
		if (f->map[i].iova == page && f->map[i].pasid_valid == pv &&
		    (!pv || f->map[i].pasid == pasid))
			return &f->map[i];
	return NULL;
}

static void fake_map(struct fake *f, uint64_t iova, bool pv, uint32_t pasid, uint8_t perm)
{
	/* PASID p maps to its own region, so translations can be told apart */
	uint64_t pa = PA_BASE + iova + (pv ? (uint64_t)pasid << 32 : 0);

	assert_true(f->nmap < 16);
	f->map[f->nmap++] = (struct map){ iova, pv, pasid, pa, perm };
}

static int up_mem(void *iommu, const struct pcie_txn *t, void *buf, unsigned len)
{
	struct fake *f = iommu;
	const struct map *m;

	assert_true(f->ntxn < MAXREC);
	f->txn_time[f->ntxn] = sim_now();
	f->txn[f->ntxn] = *t;
	f->txn[f->ntxn++].xlate = NULL;
	assert_int_equal(len, 8);
	if (t->at == PCIE_AT_TRANSLATED) {
		assert_non_null(t->xlate);
		assert_int_equal(t->xlate->src, HW_XLATE_ATC);
		if (f->refuse_translated)
			return -EPERM;
		if (!t->write)
			*(uint64_t *)buf = t->addr;
		return 0;
	}
	m = fake_find(f, t->addr & HW_PAGE_MASK, t->pasid_valid, t->pasid);
	if (!m || !(m->perm & (t->write ? HW_PERM_W : HW_PERM_R)))
		return -EFAULT;
	if (!t->write)
		*(uint64_t *)buf = m->pa | (t->addr & ~HW_PAGE_MASK);
	return 0;
}

static void up_translate(void *iommu, const struct pcie_txn *t, struct pcie_ats_cpl *cpl)
{
	struct fake *f = iommu;
	const struct map *m;

	f->nats++;
	if (f->xlate_delay)
		sim_delay(f->xlate_delay);
	cpl->status = f->ats_status;
	if (f->ats_status != PCIE_ATS_SUCCESS)
		return;
	m = fake_find(f, t->addr, t->pasid_valid, t->pasid);
	if (!m)
		return;			/* success with no permission: a fault */
	cpl->x.iova = t->addr;
	cpl->x.pa = m->pa;
	cpl->x.perm = m->perm;
	cpl->x.gen = HW_GEN_ANY;
	cpl->x.made_at = sim_now();
}

static void up_inv_cpl(void *iommu, const struct pcie_inv_cpl *c)
{
	struct fake *f = iommu;

	assert_true(f->ncpl < MAXREC);
	f->cpl_time[f->ncpl] = sim_now();
	f->cpl[f->ncpl++] = *c;
}

static void up_page_req(void *iommu, const struct pcie_page_req *r)
{
	struct fake *f = iommu;

	assert_true(f->npreq < MAXREC);
	f->preq_time[f->npreq] = sim_now();
	f->preq[f->npreq++] = *r;
	if (f->prg_auto < 0)
		return;
	if (f->prg_auto == PCIE_PRG_RESP_SUCCESS)
		fake_map(f, r->addr, r->pasid_valid, r->pasid, HW_PERM_R | HW_PERM_W);
	pcie_ep_prg_response(f->ep, r->sid, r->pasid_valid, r->pasid, r->prgi, (uint8_t)f->prg_auto);
}

static const struct pcie_upstream_ops fake_ops = {
	.mem_request = up_mem,
	.ats_translate = up_translate,
	.inv_completion = up_inv_cpl,
	.page_request = up_page_req,
};

static void base_config(struct pcie_ep_config *c)
{
	pcie_ep_config_default(c);
	c->name = "nic0";
	c->sids[0] = SID;
	c->nsids = 1;
	c->aliases[0] = ALIAS;
	c->naliases = 1;
	c->ats = true;
	c->atc_entries = 4;
	c->inv_queue_depth = 4;
	c->atc_inv_latency = 1000;
	c->pri = true;
	c->pri_max_requests = 4;
	c->prg_response_timeout = SIM_MS;
	c->pasid = true;
	c->pasid_bits = 8;
	c->flr_time = SIM_MS;
}

static struct fake *fake_new(void (*tweak)(struct pcie_ep_config *c))
{
	struct fake *f = calloc(1, sizeof(*f));
	struct pcie_ep_config c;
	struct pcie_upstream up = { &fake_ops, f };

	assert_non_null(f);
	f->s = simtest_new(1, 1, "rr");
	f->s->cfg.keep_going = true;
	f->s->cfg.end_when_threads_done = true;
	f->prg_auto = -1;
	base_config(&c);
	if (tweak)
		tweak(&c);
	f->ep = pcie_ep_create(f->s, &c, &up);
	assert_non_null(f->ep);
	return f;
}

static void fake_free(struct fake *f)
{
	sim_destroy(f->s);
	free(f);
}

static void body_tramp(void *arg)
{
	struct fake *f = arg;

	f->body(f);
}

/* Run @body in a thread task until it returns. */
static void run(struct fake *f, void (*body)(struct fake *f))
{
	f->body = body;
	spawn(f->s, "test", 0, body_tramp, f);
	sim_run(f->s);
}

static uint16_t rd16(struct fake *f, unsigned off)
{
	return (uint16_t)pcie_ep_cfg_read(f->ep, off, 2);
}

static void wr16(struct fake *f, unsigned off, uint16_t v)
{
	pcie_ep_cfg_write(f->ep, off, 2, v);
}

#define ATS_CTRL	(PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL)
#define PRI_CTRL	(PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL)
#define PRI_STATUS	(PCIE_PRI_CAP_OFFSET + PCI_PRI_STATUS)
#define PRI_ALLOC	(PCIE_PRI_CAP_OFFSET + PCI_PRI_ALLOC_REQ)
#define PASID_CTRL	(PCIE_PASID_CAP_OFFSET + PCI_PASID_CTRL)
#define DEVCAP		(PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCAP)
#define DEVCTL		(PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCTL)
#define DEVSTA		(PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVSTA)

/* What a driver does: bus master, ATS, PRI with 4 credits, PASID. */
static void bring_up(struct fake *f)
{
	wr16(f, PCI_COMMAND, PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	wr16(f, ATS_CTRL, PCI_ATS_CTRL_ENABLE);
	pcie_ep_cfg_write(f->ep, PRI_ALLOC, 4, 4);
	wr16(f, PRI_CTRL, PCI_PRI_CTRL_ENABLE);
	wr16(f, PASID_CTRL, PCI_PASID_CTRL_ENABLE);
}

static void inv(struct fake *f, uint64_t addr, uint8_t size_log2, bool pv, uint32_t pasid,
		bool global, uint8_t itag, uint64_t cookie)
{
	struct pcie_inv_req r = {
		.sid = SID, .pasid_valid = pv, .pasid = pasid, .global = global,
		.addr = addr, .size_log2 = size_log2, .itag = itag, .cookie = cookie,
	};

	pcie_ep_inv_request(f->ep, &r);
}

static const struct pcie_ep_stats *st(struct fake *f)
{
	return pcie_ep_stats(f->ep);
}

/* ---- configuration space ---- */

static void cfg_ids_and_chain(void **state)
{
	struct fake *f = fake_new(NULL);
	struct pcie_ep *ep = f->ep;
	uint32_t h;

	(void)state;
	assert_int_equal(pcie_ep_cfg_read(ep, PCI_VENDOR_ID, 2), 0x1234);
	assert_int_equal(pcie_ep_cfg_read(ep, PCI_DEVICE_ID, 2), 0x11e8);
	assert_int_equal(pcie_ep_cfg_read(ep, 0, 4), 0x11e81234);
	assert_true(pcie_ep_cfg_read(ep, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	assert_int_equal(pcie_ep_cfg_read(ep, PCI_CAPABILITY_LIST, 1), 0x40);
	assert_int_equal(pcie_ep_cfg_read(ep, 0x40, 1), PCI_CAP_ID_EXP);
	assert_int_equal(pcie_ep_cfg_read(ep, 0x41, 1), 0);
	assert_true(pcie_ep_cfg_read(ep, DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);

	h = pcie_ep_cfg_read(ep, 0x100, 4);
	assert_int_equal(PCI_EXT_CAP_ID(h), PCI_EXT_CAP_ID_ATS);
	assert_int_equal(PCI_EXT_CAP_VER(h), 1);
	assert_int_equal(PCI_EXT_CAP_NEXT(h), 0x110);
	h = pcie_ep_cfg_read(ep, 0x110, 4);
	assert_int_equal(PCI_EXT_CAP_ID(h), PCI_EXT_CAP_ID_PRI);
	assert_int_equal(PCI_EXT_CAP_NEXT(h), 0x120);
	h = pcie_ep_cfg_read(ep, 0x120, 4);
	assert_int_equal(PCI_EXT_CAP_ID(h), PCI_EXT_CAP_ID_PASID);
	assert_int_equal(PCI_EXT_CAP_NEXT(h), 0);
	assert_int_equal(pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_ATS), 0x100);
	assert_int_equal(pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_PRI), 0x110);
	assert_int_equal(pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_PASID), 0x120);
	assert_int_equal(pcie_ep_find_ext_cap(ep, 0x0d), 0);

	assert_int_equal(PCI_ATS_CAP_QDEP(pcie_ep_cfg_read(ep, 0x104, 2)), 4);
	assert_true(pcie_ep_cfg_read(ep, 0x104, 2) & PCI_ATS_CAP_PAGE_ALIGNED);
	assert_int_equal(pcie_ep_cfg_read(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_MAX_REQ, 4), 4);
	assert_true(pcie_ep_cfg_read(ep, PRI_STATUS, 2) & PCI_PRI_STATUS_STOPPED);
	assert_true(pcie_ep_cfg_read(ep, PRI_STATUS, 2) & PCI_PRI_STATUS_PASID);
	assert_int_equal(PCI_PASID_CAP_WIDTH(pcie_ep_cfg_read(ep, 0x124, 2)), 8);

	/* bad accesses read all ones */
	assert_int_equal(pcie_ep_cfg_read(ep, 0x41, 2), 0xffffffff);
	assert_int_equal(pcie_ep_cfg_read(ep, 0x40, 3), 0xffffffff);
	assert_int_equal(pcie_ep_cfg_read(ep, 0x1000, 4), 0xffffffff);
	assert_int_equal(pcie_ep_cfg_read(ep, 0x800, 4), 0);	/* unimplemented */
	fake_free(f);
}

static void no_ats_pri(struct pcie_ep_config *c)
{
	c->ats = false;
	c->pri = false;
}

static void no_caps(struct pcie_ep_config *c)
{
	no_ats_pri(c);
	c->pasid = false;
	c->flr_capable = false;
}

static void cfg_chain_absent_caps(void **state)
{
	struct fake *f = fake_new(no_ats_pri);
	uint32_t h = pcie_ep_cfg_read(f->ep, 0x100, 4);

	(void)state;
	/* PASID alone: a Null capability at 0x100 leads to it */
	assert_int_equal(PCI_EXT_CAP_ID(h), 0);
	assert_int_equal(PCI_EXT_CAP_NEXT(h), 0x120);
	assert_int_equal(pcie_ep_find_ext_cap(f->ep, PCI_EXT_CAP_ID_PASID), 0x120);
	assert_int_equal(pcie_ep_find_ext_cap(f->ep, PCI_EXT_CAP_ID_ATS), 0);
	assert_int_equal(pcie_ep_find_ext_cap(f->ep, PCI_EXT_CAP_ID_PRI), 0);
	fake_free(f);

	f = fake_new(no_caps);
	assert_int_equal(pcie_ep_cfg_read(f->ep, 0x100, 4), 0);
	assert_int_equal(pcie_ep_find_ext_cap(f->ep, PCI_EXT_CAP_ID_PASID), 0);
	assert_false(pcie_ep_cfg_read(f->ep, DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	fake_free(f);
}

static void cfg_ro_rw1c(void **state)
{
	struct fake *f = fake_new(NULL);
	struct pcie_ep *ep = f->ep;

	(void)state;
	/* read-only registers ignore writes */
	pcie_ep_cfg_write(ep, PCI_VENDOR_ID, 4, 0);
	assert_int_equal(pcie_ep_cfg_read(ep, 0, 4), 0x11e81234);
	wr16(f, PCI_STATUS, 0);
	assert_true(rd16(f, PCI_STATUS) & PCI_STATUS_CAP_LIST);
	pcie_ep_cfg_write(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_MAX_REQ, 4, 99);
	assert_int_equal(pcie_ep_cfg_read(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_MAX_REQ, 4), 4);
	pcie_ep_cfg_write(ep, 0x100, 4, 0);
	assert_int_equal(pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_PRI), 0x110);
	wr16(f, PRI_STATUS, 0xffff);
	assert_int_equal(rd16(f, PRI_STATUS), PCI_PRI_STATUS_STOPPED | PCI_PRI_STATUS_PASID);

	/* RW bits: only the writable ones stick; BCR_FLR reads 0 */
	wr16(f, PCI_COMMAND, 0xffff);
	assert_int_equal(rd16(f, PCI_COMMAND), 0x0546);
	pcie_ep_cfg_write(ep, PCI_COMMAND, 1, 0);
	assert_int_equal(rd16(f, PCI_COMMAND), 0x0500);
	wr16(f, DEVCTL, 0x0010);
	assert_int_equal(rd16(f, DEVCTL), 0x0010);
	assert_int_equal(pcie_ep_cfg_read(ep, PRI_ALLOC, 4), 0);
	pcie_ep_cfg_write(ep, PRI_ALLOC, 4, 7);
	assert_int_equal(pcie_ep_cfg_read(ep, PRI_ALLOC, 4), 7);

	/* RW1C: UPRGI set by an unexpected response, cleared by writing 1 */
	pcie_ep_prg_response(ep, SID, false, 0, 5, PCIE_PRG_RESP_SUCCESS);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	wr16(f, PRI_STATUS, 0);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	wr16(f, PRI_STATUS, PCI_PRI_STATUS_RF);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	wr16(f, PRI_STATUS, PCI_PRI_STATUS_UPRGI);
	assert_false(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	assert_int_equal(st(f)->prg_unexpected, 1);
	fake_free(f);
}

/* ---- ATS and the ATC ---- */

static void ats_gating_body(struct fake *f)
{
	uint64_t v = 0;

	fake_map(f, 0x1000, false, 0, HW_PERM_R | HW_PERM_W);
	/* no Bus Master: no DMA at all */
	assert_int_equal(pcie_ep_dma(f->ep, 0x1008, false, false, 0, &v), -EAGAIN);
	assert_int_equal(f->ntxn, 0);

	wr16(f, PCI_COMMAND, PCI_COMMAND_MASTER);
	assert_int_equal(pcie_ep_dma(f->ep, 0x1008, false, false, 0, &v), 0);
	assert_int_equal(f->ntxn, 1);
	assert_int_equal(f->txn[0].at, PCIE_AT_UNTRANSLATED);
	assert_int_equal(f->txn[0].addr, 0x1008);
	assert_int_equal(f->txn[0].sid, SID);
	assert_string_equal(f->txn[0].device, "nic0");
	assert_int_equal(f->nats, 0);
	assert_int_equal(v, PA_BASE + 0x1008);

	wr16(f, ATS_CTRL, PCI_ATS_CTRL_ENABLE);
	assert_true(pcie_ep_ats_enabled(f->ep));
	assert_int_equal(pcie_ep_dma(f->ep, 0x1010, true, false, 0, &v), 0);
	assert_int_equal(f->nats, 1);
	assert_int_equal(f->ntxn, 2);
	assert_int_equal(f->txn[1].at, PCIE_AT_TRANSLATED);
	assert_int_equal(f->txn[1].addr, PA_BASE + 0x1010);
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x1000, false, 0));

	/* disabling ATS empties the ATC and goes back to untranslated */
	wr16(f, ATS_CTRL, 0);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	assert_int_equal(pcie_ep_dma(f->ep, 0x1010, true, false, 0, &v), 0);
	assert_int_equal(f->txn[2].at, PCIE_AT_UNTRANSLATED);
	assert_int_equal(f->nats, 1);

	/* unmapped page, no ATS: the IOMMU aborts it */
	assert_int_equal(pcie_ep_dma(f->ep, 0x5000, false, false, 0, &v), -EFAULT);
	assert_int_equal(st(f)->dma_ok, 3);
	assert_int_equal(st(f)->dma_failed, 1);
}

static void ats_gating(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, ats_gating_body);
	assert_int_equal(f->ntxn, 4);
	fake_free(f);
}

static void atc_lru_body(struct fake *f)
{
	uint64_t v = 1;
	int nats;

	bring_up(f);
	for (int i = 0; i < 5; i++)
		fake_map(f, 0x10000 + i * 0x1000ULL, false, 0, HW_PERM_R | HW_PERM_W);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pcie_ep_dma(f->ep, 0x10000 + i * 0x1000ULL, false, false, 0, &v), 0);
	assert_int_equal(st(f)->atc_misses, 4);
	assert_int_equal(pcie_ep_atc_count(f->ep), 4);
	/* page 0 used again: a hit, no Translation Request */
	assert_int_equal(pcie_ep_dma(f->ep, 0x10000, true, false, 0, &v), 0);
	assert_int_equal(st(f)->atc_hits, 1);
	assert_int_equal(f->nats, 4);
	/* a fifth page evicts the least recently used: page 1 */
	assert_int_equal(pcie_ep_dma(f->ep, 0x14000, false, false, 0, &v), 0);
	assert_int_equal(st(f)->atc_evictions, 1);
	assert_int_equal(pcie_ep_atc_count(f->ep), 4);
	assert_null(pcie_ep_atc_lookup(f->ep, 0x11000, false, 0));
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x10000, false, 0));
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x14000, false, 0));
	/* keyed by PASID too: the same page with a PASID is another entry */
	assert_null(pcie_ep_atc_lookup(f->ep, 0x10000, true, 3));
	fake_map(f, 0x10000, true, 3, HW_PERM_R);
	assert_int_equal(pcie_ep_dma(f->ep, 0x10000, false, true, 3, &v), 0);
	assert_int_equal(pcie_ep_atc_lookup(f->ep, 0x10000, true, 3)->pa,
			 PA_BASE + 0x10000 + (3ULL << 32));
	assert_int_equal(pcie_ep_atc_lookup(f->ep, 0x10000, false, 0)->pa, PA_BASE + 0x10000);
	/* a read-only entry does not serve a write: translate again */
	f->prg_auto = PCIE_PRG_RESP_INVALID;
	assert_int_equal(pcie_ep_dma(f->ep, 0x10000, true, true, 3, &v), -EFAULT);
	assert_int_equal(st(f)->ats_failed, 1);
	/* PASID beyond the 8-bit width, or PASID disabled: fails, nothing sent */
	nats = f->nats;
	assert_int_equal(pcie_ep_dma(f->ep, 0x10000, false, true, 256, &v), -EFAULT);
	wr16(f, PASID_CTRL, 0);
	assert_int_equal(pcie_ep_dma(f->ep, 0x10000, false, true, 3, &v), -EFAULT);
	assert_int_equal(f->nats, nats);
}

static void atc_hit_miss_lru(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, atc_lru_body);
	fake_free(f);
}

static void translated_refused_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	fake_map(f, 0x2000, false, 0, HW_PERM_R | HW_PERM_W);
	f->refuse_translated = true;
	assert_int_equal(pcie_ep_dma(f->ep, 0x2000, true, false, 0, &v), -EFAULT);
	assert_int_equal(st(f)->translated_refused, 1);
	assert_int_equal(st(f)->dma_failed, 1);
	f->refuse_translated = false;
	assert_int_equal(pcie_ep_dma(f->ep, 0x2000, true, false, 0, &v), 0);
	assert_int_equal(st(f)->translated_refused, 1);
	/* UR from the IOMMU: the access fails, nothing cached */
	f->ats_status = PCIE_ATS_UR;
	assert_int_equal(pcie_ep_dma(f->ep, 0x3000, true, false, 0, &v), -EFAULT);
	assert_int_equal(st(f)->ats_failed, 1);
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
	assert_int_equal(f->npreq, 0);	/* no page request for a UR */
}

static void translated_refused(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, translated_refused_body);
	fake_free(f);
}

/* ---- invalidation ---- */

static void fill_atc(struct fake *f, int pages, bool pv, uint32_t pasid)
{
	uint64_t v = 0;

	for (int i = 0; i < pages; i++) {
		fake_map(f, 0x20000 + i * 0x1000ULL, pv, pasid, HW_PERM_R | HW_PERM_W);
		assert_int_equal(pcie_ep_dma(f->ep, 0x20000 + i * 0x1000ULL, false, pv, pasid, &v), 0);
	}
}

static void inv_latency_body(struct fake *f)
{
	sim_time_t t0;

	bring_up(f);
	fill_atc(f, 2, false, 0);
	sim_delay(500);
	t0 = sim_now();
	inv(f, 0x20000, 0, false, 0, false, 7, 0xc00c1e);
	sim_delay(999);
	assert_int_equal(f->ncpl, 0);
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x20000, false, 0));
	sim_delay(2);
	assert_int_equal(f->ncpl, 1);
	assert_int_equal(f->cpl_time[0], t0 + 1000);
	assert_int_equal(f->cpl[0].requester, SID);
	assert_int_equal(f->cpl[0].itag_vector, 1U << 7);
	assert_int_equal(f->cpl[0].cc, 1);
	assert_int_equal(f->cpl[0].cookie, 0xc00c1e);
	assert_null(pcie_ep_atc_lookup(f->ep, 0x20000, false, 0));
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x21000, false, 0));
	/* a 2-page range aligned down covers both */
	fill_atc(f, 2, false, 0);
	assert_int_equal(pcie_ep_atc_count(f->ep), 2);
	inv(f, 0x21000, 1, false, 0, false, 0, 2);
	sim_delay(2000);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	assert_int_equal(st(f)->inv_received, 2);
	assert_int_equal(st(f)->inv_answered, 2);
}

static void inv_answered_after_latency(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, inv_latency_body);
	fake_free(f);
}

static void inv_pasid_body(struct fake *f)
{
	bring_up(f);
	fill_atc(f, 1, true, 5);
	/* another PASID: kept */
	inv(f, 0, 52, true, 6, false, 0, 1);
	sim_delay(2000);
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
	/* Global Invalidate: every PASID */
	inv(f, 0, 52, true, 6, true, 0, 2);
	sim_delay(2000);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	/* no PASID prefix: entries with a PASID go too */
	f->nmap = 0;
	fill_atc(f, 1, true, 5);
	inv(f, 0x20000, 0, false, 0, false, 0, 3);
	sim_delay(2000);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	/* the matching PASID, out of range: kept; in range: gone */
	fill_atc(f, 1, true, 5);
	inv(f, 0x40000, 0, true, 5, false, 0, 4);
	sim_delay(2000);
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
	inv(f, 0x20000, 0, true, 5, false, 0, 5);
	sim_delay(2000);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	assert_int_equal(f->ncpl, 5);
}

static void inv_pasid_rules(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, inv_pasid_body);
	fake_free(f);
}

static void set_knob_ok(struct fake *f, const char *k, const char *v)
{
	char err[256] = "";

	assert_int_equal(pcie_ep_set_knob(f->ep, k, v, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void unresponsive_body(struct fake *f)
{
	bring_up(f);
	fill_atc(f, 1, false, 0);
	set_knob_ok(f, "atc_inv", "unresponsive");
	for (int i = 0; i < 5; i++)
		inv(f, 0, 52, false, 0, false, (uint8_t)i, (uint64_t)i);
	sim_delay(10 * SIM_S);
	assert_int_equal(f->ncpl, 0);
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
	assert_int_equal(st(f)->inv_dropped, 1);	/* the queue holds 4 */
	/* the knob set back does not answer what was sent before */
	set_knob_ok(f, "atc_inv", "ok");
	inv(f, 0, 52, false, 0, false, 9, 9);
	sim_delay(SIM_MS);
	assert_int_equal(f->ncpl, 0);
	assert_int_equal(st(f)->inv_dropped, 2);
}

static void inv_unresponsive(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, unresponsive_body);
	fake_free(f);
}

static void slow_body(struct fake *f)
{
	sim_time_t t0;

	bring_up(f);
	fill_atc(f, 1, false, 0);
	set_knob_ok(f, "atc_inv", "slow:5ms");
	assert_int_equal(pcie_ep_knobs(f->ep)->atc_inv, PCIE_ATC_INV_SLOW);
	assert_int_equal(pcie_ep_knobs(f->ep)->atc_inv_slow, 5 * SIM_MS);
	t0 = sim_now();
	inv(f, 0, 52, false, 0, false, 1, 1);
	sim_delay(5 * SIM_MS - 1);
	assert_int_equal(f->ncpl, 0);
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
	sim_delay(2);
	assert_int_equal(f->ncpl, 1);
	assert_int_equal(f->cpl_time[0], t0 + 5 * SIM_MS);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
}

static void inv_slow(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, slow_body);
	fake_free(f);
}

static void lying_body(struct fake *f)
{
	uint64_t v = 0;
	sim_time_t t0;
	int nats;

	bring_up(f);
	fill_atc(f, 1, false, 0);
	set_knob_ok(f, "atc_inv", "lying");
	t0 = sim_now();
	inv(f, 0, 52, false, 0, false, 2, 22);
	sim_delay(1);
	assert_int_equal(f->ncpl, 1);
	assert_int_equal(f->cpl_time[0], t0);		/* at once */
	assert_int_equal(f->cpl[0].cookie, 22);
	assert_int_equal(st(f)->inv_lied, 1);
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x20000, false, 0));
	/* the page is gone from the IOMMU's tables, yet the ATC serves it */
	f->nmap = 0;
	nats = f->nats;
	assert_int_equal(pcie_ep_dma(f->ep, 0x20000, true, false, 0, &v), 0);
	assert_int_equal(f->nats, nats);
	assert_int_equal(f->txn[f->ntxn - 1].at, PCIE_AT_TRANSLATED);
	assert_int_equal(f->txn[f->ntxn - 1].addr, PA_BASE + 0x20000);
}

static void inv_lying(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, lying_body);
	fake_free(f);
}

static void duplicate_body(struct fake *f)
{
	bring_up(f);
	fill_atc(f, 1, false, 0);
	set_knob_ok(f, "atc_inv", "duplicate");
	inv(f, 0, 52, false, 0, false, 3, 33);
	sim_delay(SIM_MS);
	assert_int_equal(f->ncpl, 2);
	assert_int_equal(f->cpl[0].cookie, 33);
	assert_int_equal(f->cpl[1].cookie, 33);
	assert_int_equal(f->cpl[1].itag_vector, 1U << 3);
	assert_int_equal(st(f)->inv_answered, 2);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
}

static void inv_duplicate(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, duplicate_body);
	fake_free(f);
}

static void wrong_requester_body(struct fake *f)
{
	set_knob_ok(f, "atc_inv", "wrong_requester");
	inv(f, 0, 52, false, 0, false, 4, 44);
	sim_delay(SIM_MS);
	assert_int_equal(f->ncpl, 1);
	assert_int_not_equal(f->cpl[0].requester, SID);
	assert_int_equal(f->cpl[0].cookie, 44);
}

static void two_functions(struct pcie_ep_config *c)
{
	c->sids[1] = SID2;
	c->nsids = 2;
}

static void inv_wrong_requester(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, wrong_requester_body);
	assert_int_equal(f->cpl[0].requester, SID + 1);
	fake_free(f);
	f = fake_new(two_functions);
	run(f, wrong_requester_body);
	assert_int_equal(f->cpl[0].requester, SID2);
	fake_free(f);
}

static void overflow_body(struct fake *f)
{
	set_knob_ok(f, "atc_inv", "slow:1ms");
	for (int i = 0; i < 6; i++)
		inv(f, 0, 52, false, 0, false, (uint8_t)i, 100 + (uint64_t)i);
	assert_int_equal(st(f)->inv_dropped, 2);
	sim_delay(2 * SIM_MS);
	assert_int_equal(f->ncpl, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(f->cpl[i].cookie, 100 + (uint64_t)i);	/* in order */
	/* room again */
	inv(f, 0, 52, false, 0, false, 0, 200);
	sim_delay(2 * SIM_MS);
	assert_int_equal(f->ncpl, 5);
	assert_int_equal(st(f)->inv_received, 7);
}

static void inv_queue_overflow(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, overflow_body);
	fake_free(f);
}

/* An invalidation processed while a Translation Request is in flight makes the device ask again. */
static void race_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	fake_map(f, 0x20000, false, 0, HW_PERM_R | HW_PERM_W);
	f->xlate_delay = 5000;
	inv(f, 0, 52, false, 0, false, 0, 1);		/* answered at 1 us */
	assert_int_equal(pcie_ep_dma(f->ep, 0x20000, false, false, 0, &v), 0);
	assert_int_equal(f->nats, 2);
	assert_int_equal(f->ncpl, 1);
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
}

static void inv_poisons_translation_in_flight(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, race_body);
	fake_free(f);
}

/* DEVSTA.TRPND while a non-posted request is outstanding. */
static void trpnd_reader(void *arg)
{
	struct fake *f = arg;

	sim_delay(100);
	f->seen = rd16(f, DEVSTA) & PCI_EXP_DEVSTA_TRPND;
}

static void trpnd_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	fake_map(f, 0x20000, false, 0, HW_PERM_R);
	f->xlate_delay = 1000;
	spawn(f->s, "reader", 0, trpnd_reader, f);
	assert_false(rd16(f, DEVSTA) & PCI_EXP_DEVSTA_TRPND);
	assert_int_equal(pcie_ep_dma(f->ep, 0x20000, false, false, 0, &v), 0);
	assert_false(rd16(f, DEVSTA) & PCI_EXP_DEVSTA_TRPND);
}

static void devsta_trpnd(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, trpnd_body);
	assert_int_equal(f->seen, PCI_EXP_DEVSTA_TRPND);
	fake_free(f);
}

/* ---- PRI ---- */

static void pri_success_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	f->prg_auto = PCIE_PRG_RESP_SUCCESS;
	assert_int_equal(pcie_ep_dma(f->ep, 0x30008, true, true, 7, &v), 0);
	assert_int_equal(f->npreq, 1);
	assert_true(f->preq[0].last);
	assert_int_equal(f->preq[0].prgi, 0);
	assert_int_equal(f->preq[0].addr, 0x30000);
	assert_int_equal(f->preq[0].sid, SID);
	assert_true(f->preq[0].pasid_valid);
	assert_int_equal(f->preq[0].pasid, 7);
	assert_true(f->preq[0].write);
	assert_false(f->preq[0].stop_marker);
	assert_int_equal(f->nats, 2);			/* retried after Success */
	assert_non_null(pcie_ep_atc_lookup(f->ep, 0x30000, true, 7));
	assert_int_equal(f->txn[f->ntxn - 1].at, PCIE_AT_TRANSLATED);
	assert_int_equal(pcie_ep_dma(f->ep, 0x31000, false, false, 0, &v), 0);
	assert_int_equal(f->preq[1].prgi, 1);		/* indices handed out in turn */
	assert_false(f->preq[1].write);
	assert_int_equal(st(f)->prg_sent, 2);
	assert_int_equal(st(f)->prg_responses, 2);
	assert_int_equal(pcie_ep_outstanding_prgs(f->ep), 0);
}

static void pri_success_retries(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, pri_success_body);
	fake_free(f);
}

static void pri_invalid_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	f->prg_auto = PCIE_PRG_RESP_INVALID;
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 1);
	assert_int_equal(f->nats, 1);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	assert_int_equal(st(f)->dma_failed, 1);
	assert_false(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_RF);
	/* without PRI enabled no page request is made */
	wr16(f, PRI_CTRL, 0);
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 1);
}

static void pri_invalid_fails(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, pri_invalid_body);
	fake_free(f);
}

static void pri_failure_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	f->prg_auto = PCIE_PRG_RESP_FAILURE;
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 1);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_RF);
	/* no more responses expected: any is ignored (no UPRGI) */
	pcie_ep_prg_response(f->ep, SID, false, 0, 5, PCIE_PRG_RESP_SUCCESS);
	assert_false(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	assert_int_equal(st(f)->prg_unexpected, 0);
	/* stopped: no more page requests, even with RF cleared by software */
	assert_int_equal(pcie_ep_dma(f->ep, 0x31000, true, false, 0, &v), -EFAULT);
	wr16(f, PRI_STATUS, PCI_PRI_STATUS_RF);
	assert_int_equal(pcie_ep_dma(f->ep, 0x31000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 1);
	/* Reset is ignored while enabled */
	assert_int_equal(pcie_ep_dma(f->ep, 0x31000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 1);
	wr16(f, PRI_CTRL, PCI_PRI_CTRL_ENABLE | PCI_PRI_CTRL_RESET);
	assert_int_equal(pcie_ep_dma(f->ep, 0x31000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 1);
	/* disable + Reset, then enable: requests again */
	wr16(f, PRI_CTRL, PCI_PRI_CTRL_RESET);
	assert_int_equal(rd16(f, PRI_STATUS) & (PCI_PRI_STATUS_RF | PCI_PRI_STATUS_UPRGI), 0);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_STOPPED);
	wr16(f, PRI_CTRL, PCI_PRI_CTRL_ENABLE);
	f->prg_auto = PCIE_PRG_RESP_SUCCESS;
	assert_int_equal(pcie_ep_dma(f->ep, 0x31000, true, false, 0, &v), 0);
	assert_int_equal(f->npreq, 2);
	/* a Response Failure also lifts with disable + enable */
	f->prg_auto = PCIE_PRG_RESP_FAILURE;
	assert_int_equal(pcie_ep_dma(f->ep, 0x32000, true, false, 0, &v), -EFAULT);
	wr16(f, PRI_CTRL, 0);
	wr16(f, PRI_CTRL, PCI_PRI_CTRL_ENABLE);
	f->prg_auto = PCIE_PRG_RESP_SUCCESS;
	assert_int_equal(pcie_ep_dma(f->ep, 0x32000, true, false, 0, &v), 0);
	assert_int_equal(f->npreq, 4);
}

static void pri_response_failure_stops(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, pri_failure_body);
	fake_free(f);
}

struct answer {
	struct fake *f;
	sim_time_t at;
	uint32_t sid;
	uint16_t prgi;
	uint8_t code;
};

static void answerer(void *arg)
{
	struct answer *a = arg;

	sim_sleep_until(a->at);
	pcie_ep_prg_response(a->f->ep, a->sid, false, 0, a->prgi, a->code);
}

static void pri_unexpected_body(struct fake *f)
{
	static struct answer a, b;
	uint64_t v = 0;

	bring_up(f);
	/* answered by another task 10 us later; the page is still not mapped */
	a = (struct answer){ f, sim_now() + 10 * SIM_US, SID, 0, PCIE_PRG_RESP_SUCCESS };
	spawn(f->s, "iommu", 0, answerer, &a);
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, false, false, 0, &v), -EFAULT);
	assert_int_equal(sim_now(), a.at);
	assert_int_equal(f->nats, 2);
	assert_int_equal(st(f)->prg_responses, 1);
	assert_false(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	/* a second answer for the same (no longer outstanding) index */
	pcie_ep_prg_response(f->ep, SID, false, 0, 0, PCIE_PRG_RESP_SUCCESS);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
	assert_int_equal(st(f)->prg_unexpected, 1);
	assert_int_equal(st(f)->prg_responses, 1);
	/* an index never used, and one out of the 9-bit range */
	pcie_ep_prg_response(f->ep, SID, false, 0, 77, PCIE_PRG_RESP_SUCCESS);
	pcie_ep_prg_response(f->ep, SID, false, 0, 600, PCIE_PRG_RESP_SUCCESS);
	assert_int_equal(st(f)->prg_unexpected, 3);
	/* an outstanding index answered for another requester first */
	b = (struct answer){ f, sim_now() + 5 * SIM_US, SID2, 1, PCIE_PRG_RESP_SUCCESS };
	a = (struct answer){ f, sim_now() + 10 * SIM_US, SID, 1, PCIE_PRG_RESP_SUCCESS };
	spawn(f->s, "wrong", 0, answerer, &b);
	spawn(f->s, "iommu2", 0, answerer, &a);
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, false, false, 0, &v), -EFAULT);
	assert_int_equal(sim_now(), a.at);
	assert_int_equal(st(f)->prg_unexpected, 4);
	assert_int_equal(st(f)->prg_responses, 2);
}

static void pri_unexpected_prgi(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, pri_unexpected_body);
	assert_int_equal(f->s->violations->n, 0);
	fake_free(f);
}

static void pri_timeout_body(struct fake *f)
{
	uint64_t v = 0;
	sim_time_t t0;

	bring_up(f);
	sim_delay(123);
	t0 = sim_now();
	assert_int_equal(pcie_ep_dma(f->ep, 0x35000, true, true, 9, &v), -EFAULT);
	assert_int_equal(sim_now(), t0 + SIM_MS);
	assert_int_equal(st(f)->prg_timeouts, 1);
	assert_int_equal(pcie_ep_outstanding_prgs(f->ep), 0);
	/* the late answer finds nothing */
	pcie_ep_prg_response(f->ep, SID, true, 9, 0, PCIE_PRG_RESP_SUCCESS);
	assert_true(rd16(f, PRI_STATUS) & PCI_PRI_STATUS_UPRGI);
}

static void pri_response_timeout(void **state)
{
	struct fake *f = fake_new(NULL);
	const struct violation *v;

	(void)state;
	run(f, pri_timeout_body);
	assert_int_equal(f->s->violations->count[V_PRQ_UNANSWERED], 1);
	assert_int_equal(f->s->violations->n, 1);
	v = &f->s->violations->v[0];
	assert_int_equal(v->time, 123 + SIM_MS);
	assert_non_null(strstr(v->msg, "nic0"));
	assert_non_null(strstr(v->msg, "SID 0x10"));
	assert_non_null(strstr(v->msg, "PASID 0x9"));
	assert_non_null(strstr(v->msg, "PRG index 0"));
	assert_non_null(strstr(v->msg, "0x35000"));
	assert_non_null(strstr(v->msg, "within 1.000000ms"));
	assert_non_null(strstr(v->msg, "age 1.000000ms"));
	assert_int_equal(v->ntasks, 1);
	assert_string_equal(v->task_names[0], "test");
	fake_free(f);
}

/* Credits: with ALLOC_REQ = 1 a second fault waits for the first group. */
struct credit {
	struct fake *f;
	int rc;
	sim_time_t done;
};

static void faulter(void *arg)
{
	struct credit *c = arg;
	uint64_t v = 0;

	c->rc = pcie_ep_dma(c->f->ep, 0x50000, false, false, 0, &v);
	c->done = sim_now();
}

static void credits_body(struct fake *f)
{
	static struct credit c;
	static struct answer a;
	uint64_t v = 0;

	bring_up(f);
	pcie_ep_cfg_write(f->ep, PRI_ALLOC, 4, 1);
	c = (struct credit){ .f = f, .rc = 1 };
	spawn(f->s, "faulter", 0, faulter, &c);
	sim_delay(10);
	assert_int_equal(pcie_ep_outstanding_prgs(f->ep), 1);
	assert_int_equal(f->npreq, 1);
	/* our fault waits for the one credit, freed when the first group is answered at 50 ns */
	a = (struct answer){ f, 50, SID, 0, PCIE_PRG_RESP_INVALID };
	spawn(f->s, "iommu", 0, answerer, &a);
	f->prg_auto = PCIE_PRG_RESP_INVALID;
	assert_int_equal(pcie_ep_dma(f->ep, 0x51000, false, false, 0, &v), -EFAULT);
	assert_int_equal(sim_now(), 50);
	assert_int_equal(f->npreq, 2);
	assert_int_equal(f->preq_time[1], 50);
	assert_int_equal(f->preq[1].prgi, 1);
	sim_delay(1);
	assert_int_equal(c.rc, -EFAULT);
	assert_int_equal(c.done, 50);
	/* no credits allocated: no page request at all */
	pcie_ep_cfg_write(f->ep, PRI_ALLOC, 4, 0);
	assert_int_equal(pcie_ep_dma(f->ep, 0x52000, false, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 2);
}

static void pri_credits(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, credits_body);
	fake_free(f);
}

static void never_stops_body(struct fake *f)
{
	uint64_t v = 0;

	bring_up(f);
	wr16(f, PRI_CTRL, 0);
	f->prg_auto = PCIE_PRG_RESP_SUCCESS;
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, true, false, 0, &v), -EFAULT);
	assert_int_equal(f->npreq, 0);
	set_knob_ok(f, "pri", "never_stops");
	assert_int_equal(pcie_ep_dma(f->ep, 0x30000, true, false, 0, &v), 0);
	assert_int_equal(f->npreq, 1);
}

static void pri_never_stops(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, never_stops_body);
	fake_free(f);
}

static void flood_body(struct fake *f)
{
	struct pcie_dma_stream s = {
		.iova = 0x100000, .npages = 1, .interval = SIM_S, .start = SIM_S,
	};

	bring_up(f);
	assert_int_equal(pcie_ep_add_stream(f->ep, &s), 0);
	set_knob_ok(f, "pri", "flood");
	sim_delay(10 * SIM_US);
	assert_int_equal(f->npreq, 4);		/* every credit, at once */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(f->preq[i].addr, 0x100000 + i * 0x1000ULL);
		assert_int_equal(f->preq_time[i], f->preq_time[0] + i * 100ULL);
	}
	/* answers free credits: more requests for new pages */
	pcie_ep_prg_response(f->ep, SID, false, 0, f->preq[0].prgi, PCIE_PRG_RESP_SUCCESS);
	pcie_ep_prg_response(f->ep, SID, false, 0, f->preq[1].prgi, PCIE_PRG_RESP_SUCCESS);
	sim_delay(10 * SIM_US);
	assert_int_equal(f->npreq, 6);
	assert_int_equal(f->preq[5].addr, 0x105000);
	/* PRI off: the flood stops (the knob obeys the enable) */
	wr16(f, PRI_CTRL, 0);
	pcie_ep_prg_response(f->ep, SID, false, 0, f->preq[2].prgi, PCIE_PRG_RESP_SUCCESS);
	sim_delay(10 * SIM_US);
	assert_int_equal(f->npreq, 6);
	/* a PRI reset forgets what is outstanding: no timeouts reported */
	wr16(f, PRI_CTRL, PCI_PRI_CTRL_RESET);
	assert_int_equal(pcie_ep_outstanding_prgs(f->ep), 0);
	sim_delay(2 * SIM_MS);
}

static void pri_flood(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, flood_body);
	assert_int_equal(f->s->violations->n, 0);
	fake_free(f);
}

/* ---- FLR ---- */

static void flr_waiter(void *arg)
{
	struct credit *c = arg;
	uint64_t v = 0;

	c->rc = pcie_ep_dma(c->f->ep, 0x60000, true, false, 0, &v);
	c->done = sim_now();
}

static void flr_ok_body(struct fake *f)
{
	static struct credit c;
	sim_time_t t0;

	bring_up(f);
	fill_atc(f, 2, false, 0);
	set_knob_ok(f, "atc_inv", "unresponsive");
	set_knob_ok(f, "pri", "never_stops");
	set_knob_ok(f, "pri_survives_reset", "true");
	inv(f, 0, 52, false, 0, false, 0, 1);
	c = (struct credit){ .f = f, .rc = 1 };
	spawn(f->s, "waiter", 0, flr_waiter, &c);
	sim_delay(10);
	assert_int_equal(pcie_ep_outstanding_prgs(f->ep), 1);

	t0 = sim_now();
	pcie_ep_cfg_write(f->ep, DEVCTL, 2, rd16(f, DEVCTL) | PCI_EXP_DEVCTL_BCR_FLR);
	assert_true(pcie_ep_flr_in_progress(f->ep));
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_COMMAND, 4), 0xffffffff);
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 2), 0xffff);
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_CAPABILITY_LIST, 1), 0xff);
	wr16(f, PCI_COMMAND, PCI_COMMAND_MASTER);	/* dropped */
	assert_int_equal(pcie_ep_dma(f->ep, 0x20000, false, false, 0, NULL), -EAGAIN);
	assert_int_equal(pcie_ep_atc_count(f->ep), 0);
	assert_int_equal(pcie_ep_outstanding_prgs(f->ep), 0);
	sim_delay(1);
	assert_int_equal(c.rc, -EAGAIN);	/* its page request was forgotten */
	sim_sleep_until(t0 + SIM_MS - 1);
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 2), 0xffff);
	sim_sleep_until(t0 + SIM_MS);
	assert_false(pcie_ep_flr_in_progress(f->ep));
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 2), 0x1234);
	assert_int_equal(rd16(f, PCI_COMMAND), 0);
	assert_int_equal(rd16(f, ATS_CTRL), 0);
	assert_int_equal(rd16(f, PRI_CTRL), 0);
	assert_int_equal(rd16(f, PASID_CTRL), 0);
	assert_int_equal(rd16(f, DEVCTL) & PCI_EXP_DEVCTL_BCR_FLR, 0);
	assert_false(pcie_ep_ats_enabled(f->ep));
	assert_false(pcie_ep_pri_enabled(f->ep));
	assert_int_equal(st(f)->flrs, 1);
	/* knobs: atc_inv back to ok, pri kept (survives) */
	assert_int_equal(pcie_ep_knobs(f->ep)->atc_inv, PCIE_ATC_INV_OK);
	assert_int_equal(pcie_ep_knobs(f->ep)->pri, PCIE_PRI_NEVER_STOPS);
	/* the queued invalidation is never answered */
	sim_delay(SIM_S);
	assert_int_equal(f->ncpl, 0);
	/* nor is one that arrives during an FLR */
	pcie_ep_cfg_write(f->ep, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	inv(f, 0, 52, false, 0, false, 0, 2);
	sim_delay(2 * SIM_MS);
	assert_int_equal(f->ncpl, 0);
	assert_int_equal(st(f)->inv_dropped, 1);
	assert_int_equal(st(f)->flrs, 2);
	/* a knob flagged to survive keeps its value through an FLR */
	set_knob_ok(f, "atc_inv", "lying");
	set_knob_ok(f, "atc_inv_survives_reset", "true");
	set_knob_ok(f, "pri_survives_reset", "false");
	pcie_ep_cfg_write(f->ep, DEVCTL, 2, PCI_EXP_DEVCTL_BCR_FLR);
	sim_delay(2 * SIM_MS);
	assert_false(pcie_ep_flr_in_progress(f->ep));
	assert_int_equal(pcie_ep_knobs(f->ep)->atc_inv, PCIE_ATC_INV_LYING);
	assert_int_equal(pcie_ep_knobs(f->ep)->pri, PCIE_PRI_OK);
}

static void flr_ok(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, flr_ok_body);
	assert_int_equal(f->s->violations->n, 0);	/* no PRQ_UNANSWERED */
	fake_free(f);
}

static void flr_fail_body(struct fake *f)
{
	bring_up(f);
	fill_atc(f, 1, false, 0);
	set_knob_ok(f, "flr", "fail");
	wr16(f, DEVCTL, PCI_EXP_DEVCTL_BCR_FLR);
	sim_delay(60 * SIM_S);
	assert_true(pcie_ep_flr_in_progress(f->ep));
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(pcie_ep_dma(f->ep, 0x20000, false, false, 0, NULL), -EAGAIN);
	assert_int_equal(st(f)->flrs_failed, 1);
	/* no reset happened: the ATC is intact and still answers invalidations */
	assert_int_equal(pcie_ep_atc_count(f->ep), 1);
	inv(f, 0, 52, false, 0, false, 0, 1);
	sim_delay(SIM_MS);
	assert_int_equal(f->ncpl, 1);
	/* the knob set back: the function answers again, state as it was */
	set_knob_ok(f, "flr", "ok");
	assert_false(pcie_ep_flr_in_progress(f->ep));
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 2), 0x1234);
	assert_true(pcie_ep_ats_enabled(f->ep));
}

static void flr_fail(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, flr_fail_body);
	fake_free(f);
}

static void flr_enotty_body(struct fake *f)
{
	bring_up(f);
	assert_true(pcie_ep_cfg_read(f->ep, DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	set_knob_ok(f, "flr", "enotty");
	assert_false(pcie_ep_cfg_read(f->ep, DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	wr16(f, DEVCTL, PCI_EXP_DEVCTL_BCR_FLR);
	assert_false(pcie_ep_flr_in_progress(f->ep));
	assert_int_equal(rd16(f, PCI_COMMAND), PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	assert_int_equal(st(f)->flrs, 0);
}

static void flr_enotty(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, flr_enotty_body);
	fake_free(f);
}

static void flr_hang_body(struct fake *f)
{
	bring_up(f);
	fill_atc(f, 1, false, 0);
	set_knob_ok(f, "atc_inv", "slow:1ms");
	inv(f, 0, 52, false, 0, false, 0, 1);		/* queued before the hang */
	set_knob_ok(f, "flr", "hang");
	wr16(f, DEVCTL, PCI_EXP_DEVCTL_BCR_FLR);
	assert_true(pcie_ep_flr_in_progress(f->ep));
	inv(f, 0, 52, false, 0, false, 1, 2);
	sim_delay(SIM_S);
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 2), 0xffff);
	assert_int_equal(pcie_ep_dma(f->ep, 0x20000, false, false, 0, NULL), -EAGAIN);
	assert_int_equal(f->ncpl, 0);
	assert_int_equal(st(f)->flrs_failed, 1);
	pcie_ep_prg_response(f->ep, SID, false, 0, 0, PCIE_PRG_RESP_SUCCESS);
	assert_int_equal(st(f)->prg_unexpected, 0);	/* a gone function sees nothing */
	set_knob_ok(f, "flr", "ok");
	assert_int_equal(pcie_ep_cfg_read(f->ep, PCI_VENDOR_ID, 2), 0x1234);
	inv(f, 0, 52, false, 0, false, 2, 3);
	sim_delay(SIM_S);
	assert_int_equal(f->ncpl, 1);
	assert_int_equal(f->cpl[0].cookie, 3);
}

static void flr_hang(void **state)
{
	struct fake *f = fake_new(NULL);

	(void)state;
	run(f, flr_hang_body);
	fake_free(f);
}

/* ---- DMA engine ---- */

static void engine_body(struct fake *f)
{
	struct pcie_dma_stream a = {
		.iova = 0x1000, .npages = 2, .write = true, .interval = SIM_US,
		.count = 3, .start = 10 * SIM_US, .alias = -1,
	};
	struct pcie_dma_stream b = {
		.iova = 0x8000, .npages = 1, .interval = 5 * SIM_US, .count = 2,
		.start = 11 * SIM_US, .alias = 0,
	};

	fake_map(f, 0x1000, false, 0, HW_PERM_W);
	fake_map(f, 0x2000, false, 0, HW_PERM_W);
	fake_map(f, 0x8000, false, 0, HW_PERM_R);
	assert_int_equal(pcie_ep_add_stream(f->ep, &a), 0);
	assert_int_equal(pcie_ep_add_stream(f->ep, &b), 0);
	/* Bus Master off until 20 us: everything waits */
	sim_sleep_until(20 * SIM_US);
	assert_int_equal(f->ntxn, 0);
	wr16(f, PCI_COMMAND, PCI_COMMAND_MASTER);
	sim_delay(100 * SIM_US);
}

static void dma_engine_streams(void **state)
{
	struct fake *f = fake_new(NULL);
	struct pcie_dma_stream bad = { .iova = 0x1001, .npages = 1, .interval = 1 };

	(void)state;
	assert_int_equal(pcie_ep_add_stream(f->ep, &bad), -EINVAL);
	bad.iova = 0x1000;
	bad.alias = 1;
	assert_int_equal(pcie_ep_add_stream(f->ep, &bad), -EINVAL);
	bad.alias = -1;
	bad.interval = 0;
	assert_int_equal(pcie_ep_add_stream(f->ep, &bad), -EINVAL);
	run(f, engine_body);
	assert_int_equal(f->ntxn, 5);
	/* due ones go at 20 us in time order, then on their intervals */
	assert_int_equal(f->txn[0].addr, 0x1000);
	assert_int_equal(f->txn_time[0], 20 * SIM_US);
	assert_int_equal(f->txn[1].addr, 0x8000);
	assert_int_equal(f->txn[1].sid, ALIAS);
	assert_false(f->txn[1].write);
	assert_int_equal(f->txn_time[1], 20 * SIM_US);
	assert_int_equal(f->txn[2].addr, 0x2000);
	assert_int_equal(f->txn[2].sid, SID);
	assert_true(f->txn[2].write);
	assert_int_equal(f->txn_time[2], 21 * SIM_US);
	assert_int_equal(f->txn[3].addr, 0x1000);
	assert_int_equal(f->txn_time[3], 22 * SIM_US);
	assert_int_equal(f->txn[4].addr, 0x8000);
	assert_int_equal(f->txn_time[4], 25 * SIM_US);
	assert_int_equal(st(f)->dma_ok, 5);
	fake_free(f);
}

static void too_many_streams(void **state)
{
	struct fake *f = fake_new(NULL);
	struct pcie_dma_stream s = { .iova = 0x1000, .npages = 1, .interval = SIM_S,
				     .count = 1, .start = SIM_S, .alias = -1 };

	(void)state;
	for (int i = 0; i < PCIE_EP_MAX_STREAMS; i++)
		assert_int_equal(pcie_ep_add_stream(f->ep, &s), 0);
	assert_int_equal(pcie_ep_add_stream(f->ep, &s), -ENOSPC);
	fake_free(f);
}

/* ---- creation and knobs ---- */

static void create_validation(void **state)
{
	struct sim *s = simtest_new(1, 1, "rr");
	struct pcie_upstream up = { &fake_ops, NULL };
	struct pcie_ep_config c;

	(void)state;
	base_config(&c);
	c.nsids = 0;
	assert_null(pcie_ep_create(s, &c, &up));
	assert_int_equal(errno, EINVAL);
	base_config(&c);
	c.nsids = PCIE_EP_MAX_SIDS + 1;
	assert_null(pcie_ep_create(s, &c, &up));
	base_config(&c);
	c.atc_entries = 0;
	assert_null(pcie_ep_create(s, &c, &up));
	base_config(&c);
	c.inv_queue_depth = 0;
	assert_null(pcie_ep_create(s, &c, &up));
	c.inv_queue_depth = 33;
	assert_null(pcie_ep_create(s, &c, &up));
	base_config(&c);
	c.ats = false;
	assert_null(pcie_ep_create(s, &c, &up));	/* PRI without ATS */
	base_config(&c);
	c.inv_queue_depth = 32;
	assert_non_null(pcie_ep_create(s, &c, &up));
	/* many endpoints share one destructor slot */
	for (int i = 0; i < 40; i++)
		assert_non_null(pcie_ep_create(s, &c, &up));
	assert_string_equal(pcie_ep_name(pcie_ep_create(s, &c, &up)), "nic0");
	sim_destroy(s);
}

static void knob_err(struct fake *f, const char *k, const char *v, const char *want)
{
	char err[256] = "";

	assert_int_equal(pcie_ep_set_knob(f->ep, k, v, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("knob %s=%s: got \"%s\", want \"%s\"", k, v ? v : "(null)", err, want);
}

static void set_knob_parsing(void **state)
{
	struct fake *f = fake_new(NULL);
	const struct pcie_ep_knobs *k = pcie_ep_knobs(f->ep);

	(void)state;
	set_knob_ok(f, "atc_inv", "slow:1.5us");
	assert_int_equal(k->atc_inv, PCIE_ATC_INV_SLOW);
	assert_int_equal(k->atc_inv_slow, 1500);
	set_knob_ok(f, "atc_inv", "wrong_requester");
	assert_int_equal(k->atc_inv, PCIE_ATC_INV_WRONG_REQUESTER);
	set_knob_ok(f, "flr", "hang");
	assert_int_equal(k->flr, PCIE_FLR_HANG);
	set_knob_ok(f, "pri", "flood");
	assert_int_equal(k->pri, PCIE_PRI_FLOOD);
	set_knob_ok(f, "flr_survives_reset", "true");
	assert_true(k->flr_survives_reset);
	set_knob_ok(f, "flr_survives_reset", "false");
	assert_false(k->flr_survives_reset);
	set_knob_ok(f, "atc_inv_survives_reset", "yes");
	assert_true(k->atc_inv_survives_reset);

	knob_err(f, "atc_invv", "ok", "unknown knob 'atc_invv' (expected one of: atc_inv, flr, pri");
	knob_err(f, NULL, "ok", "unknown knob ''");
	knob_err(f, "atc_inv", "slow:5", "knob atc_inv: time '5' has no unit");
	knob_err(f, "atc_inv", "slow:", "knob atc_inv: expected a time with a unit");
	knob_err(f, "atc_inv", "slow:-1ms", "negative time");
	knob_err(f, "atc_inv", "slow", "knob atc_inv: invalid value 'slow' (expected one of: ok, unresponsive, slow:<time>, lying, duplicate, wrong_requester)");
	knob_err(f, "atc_inv", "slow:<time>", "knob atc_inv: invalid time '<time>'");
	knob_err(f, "atc_inv", "lyin", "did you mean 'lying'?");
	knob_err(f, "flr", "hangs", "knob flr: invalid value 'hangs' (expected one of: ok, fail, enotty, hang)");
	knob_err(f, "pri", "Flood", "knob pri: invalid value 'Flood'");
	knob_err(f, "pri_survives_reset", "maybe", "knob pri_survives_reset: invalid boolean 'maybe'");
	knob_err(f, "pri", NULL, "knob pri: no value");
	/* nothing changed by the failures */
	assert_int_equal(k->atc_inv, PCIE_ATC_INV_WRONG_REQUESTER);
	assert_int_equal(k->atc_inv_slow, 1500);
	assert_int_equal(k->flr, PCIE_FLR_HANG);
	assert_int_equal(k->pri, PCIE_PRI_FLOOD);
	assert_int_equal(pcie_ep_set_knob(f->ep, "flr", "x", NULL, 0), -EINVAL);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cfg_ids_and_chain),
		cmocka_unit_test(cfg_chain_absent_caps),
		cmocka_unit_test(cfg_ro_rw1c),
		cmocka_unit_test(ats_gating),
		cmocka_unit_test(atc_hit_miss_lru),
		cmocka_unit_test(translated_refused),
		cmocka_unit_test(inv_answered_after_latency),
		cmocka_unit_test(inv_pasid_rules),
		cmocka_unit_test(inv_unresponsive),
		cmocka_unit_test(inv_slow),
		cmocka_unit_test(inv_lying),
		cmocka_unit_test(inv_duplicate),
		cmocka_unit_test(inv_wrong_requester),
		cmocka_unit_test(inv_queue_overflow),
		cmocka_unit_test(inv_poisons_translation_in_flight),
		cmocka_unit_test(devsta_trpnd),
		cmocka_unit_test(pri_success_retries),
		cmocka_unit_test(pri_invalid_fails),
		cmocka_unit_test(pri_response_failure_stops),
		cmocka_unit_test(pri_unexpected_prgi),
		cmocka_unit_test(pri_response_timeout),
		cmocka_unit_test(pri_credits),
		cmocka_unit_test(pri_never_stops),
		cmocka_unit_test(pri_flood),
		cmocka_unit_test(flr_ok),
		cmocka_unit_test(flr_fail),
		cmocka_unit_test(flr_enotty),
		cmocka_unit_test(flr_hang),
		cmocka_unit_test(dma_engine_streams),
		cmocka_unit_test(too_many_streams),
		cmocka_unit_test(create_validation),
		cmocka_unit_test(set_knob_parsing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
