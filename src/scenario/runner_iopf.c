// SPDX-License-Identifier: MIT
/*
 * The runner's I/O page fault part (runner_internal.h): sva domains over
 * a process address space the handler faults pages into, paging domains
 * with a delayed fault handler, the attach/replace/detach events with
 * their attach handles and domain lifetimes, and the IOPF figures of the
 * result.
 *
 * Lifetimes, as the kernel's users of these interfaces have them: a
 * PASID attachment's handle is allocated by the caller for the attach
 * (Linux keeps it in struct iommu_sva or iommufd's attach object) and
 * freed once the detach or replace that ends the attachment returns.  A
 * domain with `free: unused` is freed as soon as it is attached nowhere
 * (iommufd destroying a hardware page table, the last SVA unbind of an
 * mm).  Whatever the IOPF core still holds of them after that is what
 * iopf_drain is about: the slab's use-after-free detection judges it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/runner_internal.h"
#include "trace/evlog.h"

/* ---- the mm of an sva domain ---- */

/* Window page of @addr in @rd, or -1 outside the window. */
static long run_sva_page(const struct run_dom *rd, unsigned long addr)
{
	unsigned long p;

	if (addr < RUN_IOVA_BASE)
		return -1;
	p = (addr - RUN_IOVA_BASE) / 4096;
	return p < rd->pages ? (long)p : -1;
}

/* mm->alloc_page: a new page for @addr (called under the mm's lock). */
static int run_sva_alloc_page(void *ctx, unsigned long addr, phys_addr_t *pa)
{
	struct run_dom *rd = ctx;
	const char *name = rd->R->scn->domains[rd->idx].name;
	long p = run_sva_page(rd, addr);
	uint64_t a;

	if (p >= 0)
		snprintf(rd->owner[p], RUN_OWNER_LEN, "%s va 0x%lx", name, addr);
	if (hw_mem_alloc(rd->R->mem, 1, p >= 0 ? rd->owner[p] : name, &a))
		return -ENOMEM;
	if (p >= 0 && !rd->pa[p])
		rd->pa[p] = a;
	*pa = a;
	return 0;
}

/* mm->free_page: @pa was not mapped after all. */
static void run_sva_free_page(void *ctx, phys_addr_t pa)
{
	struct run_dom *rd = ctx;

	for (unsigned int p = 0; p < rd->pages; p++)
		if (rd->pa[p] == pa)
			rd->pa[p] = 0;
	hw_mem_free(rd->R->mem, pa, 1);
}

/* The device an sva domain is allocated for: one that attaches it. */
static struct device *run_sva_dev(struct runner *R, unsigned int dom)
{
	for (unsigned int e = 0; e < R->scn->nevents; e++) {
		const struct scn_event *ev = &R->scn->events[e];

		if (ev->domain == dom && ev->device != SCN_NONE && R->devs[ev->device].ep)
			return &R->devs[ev->device].pdev.dev;
	}
	return run_domain_alloc_dev(R, dom);
}

static enum iommu_page_response_code run_code(enum scn_response r)
{
	switch (r) {
	case SCN_RESP_INVALID:
		return IOMMU_PAGE_RESP_INVALID;
	case SCN_RESP_FAILURE:
		return IOMMU_PAGE_RESP_FAILURE;
	default:
		return IOMMU_PAGE_RESP_SUCCESS;
	}
}

int run_iopf_setup_domain(struct runner *R, unsigned int i)
{
	const struct scn_domain *sdom = &R->scn->domains[i];
	struct run_dom *rd = &R->doms[i];

	if (sdom->type == SCN_DOMAIN_SVA) {
		struct iommu_mm mm = {
			.base = sdom->mm_base, .alloc_page = run_sva_alloc_page,
			.free_page = run_sva_free_page, .ctx = rd, .lock = &rd->churn_lock,
		};

		rd->pages = run_domain_pages(R->scn, i);
		rd->pa = calloc(rd->pages, sizeof(*rd->pa));
		rd->owner = calloc(rd->pages, sizeof(*rd->owner));
		if (!rd->pa || !rd->owner)
			return -ENOMEM;
		mm.size = sdom->mm_size ? sdom->mm_size :
			  RUN_IOVA_BASE + (unsigned long)rd->pages * 4096 - min(mm.base, RUN_IOVA_BASE);
		rd->dom = iommu_sva_domain_alloc(run_sva_dev(R, i), &mm, sdom->name);
		if (IS_ERR(rd->dom))
			return (int)PTR_ERR(rd->dom);
		if (!sdom->fh_delay)
			return 0;
		rd->delay = (struct iopf_delay){ .delay = sdom->fh_delay,
						 .then = iommu_sva_iopf_handler };
	} else {
		rd->delay = (struct iopf_delay){ .delay = sdom->fh_delay,
						 .code = run_code(sdom->fh_response) };
	}
	rd->dom->iopf_handler = iopf_delay_handler;
	rd->dom->fault_data = &rd->delay;
	return 0;
}

void run_iopf_churn_sva(struct runner *R, unsigned int dom)
{
	struct run_dom *rd = &R->doms[dom];
	unsigned int p = 0;

	mutex_lock(&rd->churn_lock);		/* the mm's mmap_lock */
	while (p < rd->pages && rd->dom) {
		unsigned int q;

		if (!rd->pa[p]) {
			p++;
			continue;
		}
		for (q = p; q < rd->pages && rd->pa[q]; q++)
			;
		/* a run of faulted-in pages: unmap (and invalidate) it, then free */
		iommu_unmap(rd->dom, RUN_IOVA_BASE + (unsigned long)p * 4096,
			    (size_t)(q - p) * 4096);
		for (; p < q; p++) {
			hw_mem_free(R->mem, rd->pa[p], 1);
			rd->pa[p] = 0;
		}
	}
	mutex_unlock(&rd->churn_lock);
}

/* ---- attach, replace, detach ---- */

/* One attachment of domain @i fewer; `free: unused` frees it at none. */
static void run_dom_put(struct runner *R, int i)
{
	struct run_dom *rd;

	if (i < 0)
		return;
	rd = &R->doms[i];
	if (WARN_ON(!rd->users) || --rd->users || !R->scn->domains[i].free_unused || !rd->dom)
		return;
	evlog_add(R->s, "scenario", "domain %s attached nowhere: freed", R->scn->domains[i].name);
	iommu_domain_free(rd->dom);
	rd->dom = NULL;
	rd->freed = true;
}

static struct run_pasid *run_pasid_find(struct run_dev *d, u32 pasid)
{
	for (unsigned int i = 0; i < RUN_MAX_PASIDS; i++)
		if (d->pasids[i].used && d->pasids[i].pasid == pasid)
			return &d->pasids[i];
	return NULL;
}

static struct iommu_attach_handle *run_handle_new(struct run_dev *d, u32 pasid)
{
	struct iommu_attach_handle *h = kzalloc(sizeof(*h), GFP_KERNEL);

	kobj_set_name(h, "attach_handle %s pasid %u", d->sd->name, pasid);
	return h;
}

static int run_pasid_attach(struct runner *R, const struct scn_event *ev, struct run_dev *d)
{
	struct run_pasid *slot = NULL;
	struct iommu_attach_handle *h;
	int ret;

	for (unsigned int i = 0; i < RUN_MAX_PASIDS && !slot; i++)
		if (!d->pasids[i].used)
			slot = &d->pasids[i];
	if (!slot)
		return -ENOSPC;
	h = run_handle_new(d, ev->pasid);
	/* taken before the attach sleeps: events at the same time run at once */
	*slot = (struct run_pasid){ .used = true, .pasid = ev->pasid, .dom = ev->domain,
				    .handle = h };
	ret = iommu_attach_device_pasid(R->doms[ev->domain].dom, &d->pdev.dev, ev->pasid, h);
	if (ret) {
		memset(slot, 0, sizeof(*slot));
		kfree(h);
		return ret;
	}
	R->doms[ev->domain].users++;
	return 0;
}

static int run_pasid_replace(struct runner *R, const struct scn_event *ev, struct run_dev *d)
{
	struct run_pasid *slot = run_pasid_find(d, ev->pasid);
	struct iommu_attach_handle *h, *old;
	unsigned int old_dom;
	int ret;

	if (!slot)
		return -ENOENT;
	h = run_handle_new(d, ev->pasid);
	ret = iommu_replace_device_pasid(R->doms[ev->domain].dom, &d->pdev.dev, ev->pasid, h);
	if (ret) {
		kfree(h);
		return ret;
	}
	old = slot->handle;
	old_dom = slot->dom;
	slot->handle = h;
	slot->dom = ev->domain;
	R->doms[ev->domain].users++;
	kfree(old);
	run_dom_put(R, (int)old_dom);
	return 0;
}

static int run_pasid_detach(struct runner *R, const struct scn_event *ev, struct run_dev *d)
{
	struct run_pasid *slot = run_pasid_find(d, ev->pasid);
	unsigned int dom;

	if (!slot)
		return -ENOENT;
	iommu_detach_device_pasid(R->doms[slot->dom].dom, &d->pdev.dev, ev->pasid);
	dom = slot->dom;
	kfree(slot->handle);
	memset(slot, 0, sizeof(*slot));
	run_dom_put(R, (int)dom);
	return 0;
}

static int run_rid_event(struct runner *R, const struct scn_event *ev, struct run_dev *d)
{
	struct device *dev = &d->pdev.dev;
	int old = d->rid_dom, ret;

	switch (ev->kind) {
	case SCN_EV_ATTACH:
		ret = iommu_attach_device(R->doms[ev->domain].dom, dev);
		break;
	case SCN_EV_REPLACE:
		ret = iommu_replace_device(R->doms[ev->domain].dom, dev);
		break;
	default:
		iommu_detach_device(iommu_get_domain_for_dev(dev), dev);
		d->rid_dom = -1;
		run_dom_put(R, old);
		return 0;
	}
	if (ret)
		return ret;
	d->rid_dom = (int)ev->domain;
	R->doms[ev->domain].users++;
	if (ev->kind == SCN_EV_REPLACE || old >= 0)
		run_dom_put(R, old);
	return 0;
}

int run_iopf_event(struct runner *R, const struct scn_event *ev, struct run_dev *d)
{
	if (ev->domain != SCN_NONE && !R->doms[ev->domain].dom) {
		pr_err("iommusim: %s: domain %s was freed (free: unused)\n", d->sd->name,
		       R->scn->domains[ev->domain].name);
		return -ENOENT;
	}
	switch (ev->kind) {
	case SCN_EV_PASID_ATTACH:
		return run_pasid_attach(R, ev, d);
	case SCN_EV_PASID_REPLACE:
		return run_pasid_replace(R, ev, d);
	case SCN_EV_PASID_DETACH:
		return run_pasid_detach(R, ev, d);
	default:
		return run_rid_event(R, ev, d);
	}
}

/* ---- the result ---- */

static int run_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void run_iopf_collect(struct runner *R, struct run_result *r)
{
	const struct iopf_stats *st = iopf_get_stats();
	size_t n = 0;

	r->iopf[SCN_IOPF_REPORTED] = st->reported;
	r->iopf[SCN_IOPF_PARTIAL] = st->partial;
	r->iopf[SCN_IOPF_GROUPS] = st->groups;
	r->iopf[SCN_IOPF_RESPONSES] = st->responses;
	r->iopf[SCN_IOPF_ERROR_RESPONSES] = st->error_responses;
	r->iopf[SCN_IOPF_DISCARDED] = st->discarded;
	r->iopf[SCN_IOPF_NOP] = st->nop;
	r->iopf[SCN_IOPF_FAULTED_IN] = st->faulted_in;
	for (unsigned int i = 0; i < R->scn->ndevices; i++) {
		const uint64_t *lat;
		size_t k;

		if (!R->devs[i].ep)
			continue;
		r->iopf[SCN_IOPF_PRG_SENT] += pcie_ep_stats(R->devs[i].ep)->prg_sent;
		r->iopf[SCN_IOPF_PRG_RESPONSES] += pcie_ep_stats(R->devs[i].ep)->prg_responses;
		r->iopf[SCN_IOPF_PRG_TIMEOUTS] += pcie_ep_stats(R->devs[i].ep)->prg_timeouts;
		k = pcie_ep_prg_latencies(R->devs[i].ep, &lat);
		if (!k)
			continue;
		r->prg_latency = realloc(r->prg_latency, (n + k) * sizeof(*r->prg_latency));
		if (!r->prg_latency)
			abort();
		memcpy(r->prg_latency + n, lat, k * sizeof(*lat));
		n += k;
	}
	r->nprg_latency = n;
	if (n)
		qsort(r->prg_latency, n, sizeof(*r->prg_latency), run_u64_cmp);
}
