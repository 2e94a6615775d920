// SPDX-License-Identifier: MIT
/*
 * hwtest execution, second half: memory (alloc, free, mem_read/write),
 * translation structures (ste, cd, pgtable, map, unmap), configuration
 * space and the endpoint actions (dma, flr, enable, disable).
 *
 * Software writes tables the way a CPU does, through hw_mem_ptr() (the
 * kernel's direct map): the SMMU sees a rewritten STE or CD only after
 * the matching CFGI command, as on real hardware.
 *
 * A `dma` runs in a task of its own (a hardware task: the endpoint's
 * DMA engine issuing one access), so the script goes on while the access
 * is stalled or waits for a PRG Response; the device's DMA item reads
 * "pending" until it ends.
 */
#include "scenario/hwtest_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/pcie/pcie_regs.h"
#include "hw/pgtable.h"

/* One access of a `dma` statement, run by its own task. */
struct ht_dma {
	struct ht_run *r;
	int dev;
	uint64_t seq;		/* the device's dma_seq when issued */
	uint64_t iova;
	bool write;
	bool pasid_valid;
	uint32_t pasid;
	uint64_t value;
};

/* ---- memory ---- */

static void *cpu_ptr(struct ht_run *r, const struct ht_item *it, uint64_t *pa)
{
	void *p;

	if (!ht_addr_eval(r, &it->addr, pa))
		return NULL;
	p = hw_mem_ptr(r->mem, *pa, it->width / 8);
	if (!p)
		ht_bad(r, "address 0x%llx is outside memory (0x%llx..0x%llx)",
		       (unsigned long long)*pa, HW_MEM_BASE, HW_MEM_BASE + hw_mem_size(r->mem) - 1);
	return p;
}

/** ht_mem_read_item() - a CPU read of 32 or 64 bits of memory. */
bool ht_mem_read_item(struct ht_run *r, const struct ht_item *it, uint64_t *out)
{
	uint64_t pa;
	uint32_t v32;
	void *p = cpu_ptr(r, it, &pa);

	if (!p)
		return false;
	if (it->width == 32) {
		memcpy(&v32, p, 4);
		*out = v32;
	} else {
		memcpy(out, p, 8);
	}
	return true;
}

/** ht_mem_write_item() - a CPU write of 32 or 64 bits of memory. */
bool ht_mem_write_item(struct ht_run *r, const struct ht_item *it, uint64_t v)
{
	uint64_t pa;
	uint32_t v32 = v;
	void *p = cpu_ptr(r, it, &pa);

	if (!p)
		return false;
	memcpy(p, it->width == 32 ? (void *)&v32 : (void *)&v, it->width / 8);
	sim_wfe_notify();
	return true;
}

/* Write @n bytes at @pa as a CPU does. */
static bool cpu_write(struct ht_run *r, uint64_t pa, const void *buf, size_t n)
{
	void *p = hw_mem_ptr(r->mem, pa, n);

	if (!p) {
		ht_bad(r, "address 0x%llx is outside memory", (unsigned long long)pa);
		return false;
	}
	memcpy(p, buf, n);
	return true;
}

static bool exec_alloc(struct ht_run *r, struct ht_obj *o)
{
	if (hw_mem_alloc(r->mem, o->buf.pages, o->name, &o->buf.pa)) {
		ht_bad(r, "cannot allocate %zu pages for %s", o->buf.pages, o->name);
		return false;
	}
	return true;
}

static bool exec_free(struct ht_run *r, struct ht_obj *o)
{
	if (hw_mem_free(r->mem, o->buf.pa, o->buf.pages)) {
		ht_bad(r, "cannot free %s", o->name);
		return false;
	}
	return true;
}

static bool exec_pgtable(struct ht_run *r, struct ht_obj *o)
{
	if (hw_pgtable_alloc(r->mem, o->name, &o->pt.root)) {
		ht_bad(r, "cannot allocate page table %s", o->name);
		return false;
	}
	return true;
}

static bool exec_map(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_obj *pt = ht_o(r, st->obj);
	uint64_t pa, old;
	int ret;

	if (st->op == HT_OP_UNMAP) {
		ret = hw_pgtable_unmap(r->mem, pt->pt.root, st->unmap.iova, &old);
		if (ret)
			ht_bad(r, "cannot unmap iova 0x%llx of %s: %s",
			       (unsigned long long)st->unmap.iova, pt->name,
			       ret == -ENOENT ? "not mapped" : "invalid");
		return !ret;
	}
	if (!ht_eval(r, &st->map.pa, &pa))
		return false;
	ret = hw_pgtable_map(r->mem, pt->pt.root, st->map.iova, pa & HW_PAGE_MASK,
			     st->map.perm, pt->name);
	if (ret)
		ht_bad(r, "cannot map iova 0x%llx in %s: %s", (unsigned long long)st->map.iova,
		       pt->name, ret == -EEXIST ? "already mapped" :
		       ret == -ENOMEM ? "out of memory" : "invalid");
	return !ret;
}

/* ---- STEs and CDs ---- */

static bool exec_ste(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_smmu *sm = &ht_o(r, st->obj)->smmu;
	struct smmuv3_ste ste = st->ste.ste;
	uint64_t dw[SMMUV3_STE_DWORDS];

	if (st->ste.cd >= 0)
		ste.s1ctxptr = ht_o(r, st->ste.cd)->cd.pa;
	else if (st->ste.has_cdptr && !ht_eval(r, &st->ste.cdptr, &ste.s1ctxptr))
		return false;
	if (smmuv3_ste_encode(&ste, dw)) {
		ht_bad(r, "this STE cannot be encoded (S1ContextPtr 0x%llx)",
		       (unsigned long long)ste.s1ctxptr);
		return false;
	}
	return cpu_write(r, sm->strtab_pa + (uint64_t)st->ste.sid * sizeof(dw), dw, sizeof(dw));
}

static bool exec_cd(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_obj *o = ht_o(r, st->obj);
	struct smmuv3_cd cd = st->cd.cd;
	uint64_t dw[SMMUV3_CD_DWORDS];

	if (!o->cd.pa && hw_mem_alloc(r->mem, 1, o->name, &o->cd.pa)) {
		ht_bad(r, "cannot allocate CD %s", o->name);
		return false;
	}
	if (st->cd.pt >= 0)
		cd.ttb0 = ht_o(r, st->cd.pt)->pt.root;
	else if (st->cd.has_ttb0 && !ht_eval(r, &st->cd.ttb0, &cd.ttb0))
		return false;
	if (smmuv3_cd_encode(&cd, dw)) {
		ht_bad(r, "this CD cannot be encoded (TTB0 0x%llx)", (unsigned long long)cd.ttb0);
		return false;
	}
	return cpu_write(r, o->cd.pa, dw, sizeof(dw));
}

/* ---- configuration space ---- */

/** ht_cfg_read_item() - a configuration read (a scheduling point), field applied. */
bool ht_cfg_read_item(struct ht_run *r, const struct ht_item *it, uint64_t *out)
{
	uint64_t mask = it->mask;
	uint32_t v = pcie_ep_cfg_read(ht_o(r, it->obj)->dev.ep, it->off, it->width / 8);

	*out = mask ? (v & mask) >> __builtin_ctzll(mask) : v;
	return true;
}

/** ht_cfg_write_item() - a configuration write; a field is read, modified, written. */
bool ht_cfg_write_item(struct ht_run *r, const struct ht_item *it, uint64_t v)
{
	struct pcie_ep *ep = ht_o(r, it->obj)->dev.ep;
	uint64_t mask = it->mask;
	unsigned size = it->width / 8;

	if (mask) {
		uint32_t old = pcie_ep_cfg_read(ep, it->off, size);

		v = (old & ~mask) | ((v << __builtin_ctzll(mask)) & mask);
	}
	pcie_ep_cfg_write(ep, it->off, size, v);
	return true;
}

/* Read-modify-write of a 16-bit configuration register: set @set, clear @clr. */
static void cfg_rmw16(struct pcie_ep *ep, unsigned off, uint16_t set, uint16_t clr)
{
	uint16_t v = pcie_ep_cfg_read(ep, off, 2);

	pcie_ep_cfg_write(ep, off, 2, (v & ~clr) | set);
}

/** ht_dev_state_get() - ATC entries, outstanding PRGs, FLR in progress, enables. */
uint64_t ht_dev_state_get(struct ht_run *r, const struct ht_item *it)
{
	const struct pcie_ep *ep = ht_o(r, it->obj)->dev.ep;

	switch (it->idx) {
	case 0:
		return pcie_ep_atc_count(ep);
	case 1:
		return pcie_ep_outstanding_prgs(ep);
	case 2:
		return pcie_ep_flr_in_progress(ep);
	case 3:
		return pcie_ep_ats_enabled(ep);
	default:
		return pcie_ep_pri_enabled(ep);
	}
}

static void enable_pri(struct ht_run *r, const struct ht_stmt *st, struct pcie_ep *ep)
{
	unsigned alloc = PCIE_PRI_CAP_OFFSET + PCI_PRI_ALLOC_REQ;
	uint32_t n = st->en.has_alloc ? st->en.pri_alloc :
		     pcie_ep_cfg_read(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_MAX_REQ, 4);

	pcie_ep_cfg_write(ep, alloc, 4, n);
	cfg_rmw16(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL, PCI_PRI_CTRL_ENABLE, 0);
}

static bool exec_enable(struct ht_run *r, const struct ht_stmt *st)
{
	struct pcie_ep *ep = ht_o(r, st->obj)->dev.ep;
	bool on = st->op == HT_OP_ENABLE;
	unsigned w = st->en.what;
	uint16_t master = PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;

	if (w & HT_EN_MASTER)
		cfg_rmw16(ep, PCI_COMMAND, on ? master : 0, on ? 0 : PCI_COMMAND_MASTER);
	if (w & HT_EN_PASID)
		cfg_rmw16(ep, PCIE_PASID_CAP_OFFSET + PCI_PASID_CTRL, on ? PCI_PASID_CTRL_ENABLE : 0,
			  on ? 0 : PCI_PASID_CTRL_ENABLE);
	if (w & HT_EN_ATS)
		cfg_rmw16(ep, PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL, on ? PCI_ATS_CTRL_ENABLE : 0,
			  on ? 0 : PCI_ATS_CTRL_ENABLE);
	if ((w & HT_EN_PRI) && on)
		enable_pri(r, st, ep);
	else if (w & HT_EN_PRI)
		cfg_rmw16(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL, 0, PCI_PRI_CTRL_ENABLE);
	return true;
}

/* ---- DMA ---- */

static enum ht_dma_outcome dma_outcome(int rc, bool refused)
{
	if (!rc)
		return HT_DMA_OK;
	if (rc == -EAGAIN)
		return HT_DMA_NOT_ISSUED;
	return refused ? HT_DMA_REFUSED : HT_DMA_FAULT;
}

/* The task of one `dma`: the access, then its outcome for the script. */
static void dma_task(void *arg)
{
	struct ht_dma *x = arg;
	struct ht_dev *d = &ht_o(x->r, x->dev)->dev;
	uint64_t refused = pcie_ep_stats(d->ep)->translated_refused;
	uint64_t val = x->value;
	int rc = pcie_ep_dma(d->ep, x->iova, x->write, x->pasid_valid, x->pasid, &val);

	if (d->dma_seq != x->seq)
		return;		/* a later `dma` owns the outcome */
	d->dma_outcome = dma_outcome(rc, pcie_ep_stats(d->ep)->translated_refused != refused);
	if (!x->write)
		d->dma_value = val;
}

static bool dma_keep(struct ht_run *r, struct ht_dma *x)
{
	if (r->ndmas == r->dmas_cap) {
		int cap = r->dmas_cap ? 2 * r->dmas_cap : 16;
		struct ht_dma **n = realloc(r->dmas, cap * sizeof(*n));

		if (!n)
			return false;
		r->dmas = n;
		r->dmas_cap = cap;
	}
	r->dmas[r->ndmas++] = x;
	return true;
}

static bool exec_dma(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_obj *o = ht_o(r, st->obj);
	struct ht_dma *x = calloc(1, sizeof(*x));
	char name[SIM_NAME_LEN];

	if (!x || !dma_keep(r, x)) {
		free(x);
		ht_bad(r, "out of memory");
		return false;
	}
	*x = (struct ht_dma){ .r = r, .dev = st->obj, .seq = ++o->dev.dma_seq,
			      .write = st->dma.write, .pasid_valid = st->dma.pasid_valid,
			      .pasid = st->dma.pasid };
	if (!ht_eval(r, &st->dma.iova, &x->iova) || !ht_eval(r, &st->dma.value, &x->value))
		return false;
	o->dev.dma_outcome = HT_DMA_PENDING;
	snprintf(name, sizeof(name), "%.20s.dma%llu", o->name, (unsigned long long)x->seq);
	if (!sim_task_create(r->sim, name, SIM_TASK_HW, -1, true, dma_task, x)) {
		ht_bad(r, "cannot create the DMA task (too many tasks)");
		return false;
	}
	return true;
}

/** ht_dmas_free() - free the records of every `dma` (after the run). */
void ht_dmas_free(struct ht_run *r)
{
	for (int i = 0; i < r->ndmas; i++)
		free(r->dmas[i]);
	free(r->dmas);
	r->dmas = NULL;
	r->ndmas = r->dmas_cap = 0;
}

/** ht_exec_mem_stmt() - run a memory, table or device statement. */
bool ht_exec_mem_stmt(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_obj *o = st->obj >= 0 ? ht_o(r, st->obj) : NULL;

	switch (st->op) {
	case HT_OP_ALLOC:
		return exec_alloc(r, o);
	case HT_OP_FREE:
		return exec_free(r, o);
	case HT_OP_PGTABLE:
		return exec_pgtable(r, o);
	case HT_OP_MAP:
	case HT_OP_UNMAP:
		return exec_map(r, st);
	case HT_OP_STE:
		return exec_ste(r, st);
	case HT_OP_CD:
		return exec_cd(r, st);
	case HT_OP_DMA:
		return exec_dma(r, st);
	case HT_OP_FLR:
		cfg_rmw16(o->dev.ep, PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 0);
		return true;
	case HT_OP_ENABLE:
	case HT_OP_DISABLE:
		return exec_enable(r, st);
	default:
		ht_bad(r, "statement not implemented");
		return false;
	}
}
