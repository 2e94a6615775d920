// SPDX-License-Identifier: MIT
/*
 * Domain fault handlers run from the IOPF workqueue: the SVA handler that
 * faults pages in, and a handler that answers after a delay.  See iopf.h.
 */
#include "iopf/iopf_internal.h"

#define IOPF_PAGE_SIZE	4096UL

static bool iopf_in_mm(const struct iommu_mm *mm, u64 addr)
{
	return addr >= mm->base && addr - mm->base < mm->size;
}

static int iopf_prot(const struct iopf_fault *f)
{
	/* An SVA mapping gives what the process mapping gives: read/write */
	(void)f;
	return IOMMU_READ | IOMMU_WRITE;
}

/* Fault one page in (Linux handle_mm_fault() for an SVA mm). */
static enum iommu_page_response_code iopf_fault_in(struct iommu_domain *domain,
						   const struct iopf_fault *f)
{
	const struct iommu_mm *mm = &domain->mm;
	u64 addr = f->fault.prm.addr & ~(IOPF_PAGE_SIZE - 1);
	phys_addr_t pa;
	int ret;

	if (!iopf_in_mm(mm, addr) || !mm->alloc_page)
		return IOMMU_PAGE_RESP_INVALID;
	if (mm->lock)
		mutex_lock(mm->lock);
	if (mm->alloc_page(mm->ctx, addr, &pa)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = iommu_map(domain, addr, pa, IOPF_PAGE_SIZE, iopf_prot(f), GFP_KERNEL);
	if (ret && mm->free_page)
		mm->free_page(mm->ctx, pa);
	if (!ret)
		iopf_cfg()->stats.faulted_in++;
out:
	if (mm->lock)
		mutex_unlock(mm->lock);
	/* already mapped (another fault was first): a success */
	return !ret || ret == -EEXIST ? IOMMU_PAGE_RESP_SUCCESS : IOMMU_PAGE_RESP_INVALID;
}

int iommu_sva_iopf_handler(struct iopf_group *group)
{
	struct iommu_domain *domain = kobj_use(group->domain, "iommu_domain (SVA fault handler)");
	enum iommu_page_response_code status = IOMMU_PAGE_RESP_SUCCESS;
	struct iopf_fault *f;

	list_for_each_entry(f, &group->faults, list) {
		/* Every request of the group must be served for SUCCESS */
		status = iopf_fault_in(domain, f);
		if (status != IOMMU_PAGE_RESP_SUCCESS)
			break;
	}
	iopf_group_response(group, status);
	return 0;
}

int iopf_delay_handler(struct iopf_group *group)
{
	const struct iopf_delay *d = group->domain->fault_data;
	u64 us = d ? (d->delay + 999) / 1000 : 0;

	enum iommu_page_response_code code = d ? d->code : IOMMU_PAGE_RESP_SUCCESS;

	if (us)
		usleep_range(us, us);
	/* Like a handler that resolved the fault in its domain, touch it now */
	kobj_use(group->domain, "iommu_domain (fault handler, after its delay)");
	if (d && d->then)
		return d->then(group);
	iopf_group_response(group, code);
	return 0;
}
