/* SPDX-License-Identifier: MIT */
/*
 * Inside the runner (runner.c): the state of one run, shared with
 * runner_iopf.c (SVA and fault-taking domains, PASID attach handles,
 * domain lifetimes, the I/O page fault figures of the result).
 */
#ifndef IOMMUSIM_SCENARIO_RUNNER_INTERNAL_H
#define IOMMUSIM_SCENARIO_RUNNER_INTERNAL_H

#include "core/iommu.h"
#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/smmuv3/smmuv3.h"
#include "iopf/iopf.h"
#include "kernel/kernel.h"
#include "scenario/run.h"

#define RUN_IOVA_BASE	0x100000UL
#define RUN_OWNER_LEN	48
/* PASIDs one device may have attached at once in a scenario. */
#define RUN_MAX_PASIDS	32

/* One attached PASID: its attach handle (kzalloc'd) and domain. */
struct run_pasid {
	bool used;
	u32 pasid;
	unsigned int dom;		/* index into struct runner.doms */
	struct iommu_attach_handle *handle;
};

struct run_dev {
	struct pci_dev pdev;
	struct pcie_ep *ep;
	const struct scn_device *sd;
	int rid_dom;			/* index of the RID's scenario domain, -1 */
	struct run_pasid pasids[RUN_MAX_PASIDS];
};

/*
 * A scenario domain.  @pa/@owner: the physical page behind each page of
 * the IOVA window (paging: mapped at boot; sva: faulted in, 0 until then).
 * @churn_lock serialises churn rounds and is the sva mm's mmap_lock.
 * @users: attachments (RID and PASIDs); `free: unused` frees the domain
 * when a replace or detach brings it to 0 (@dom NULL, @freed set).
 */
struct run_dom {
	struct iommu_domain *dom;
	unsigned int pages;		/* IOVA window, pages */
	uint64_t *pa;
	char (*owner)[RUN_OWNER_LEN];
	struct mutex churn_lock;
	struct iopf_delay delay;	/* fault_handler: the handler's data */
	struct runner *R;		/* for the mm callbacks */
	unsigned int idx;
	unsigned int users;
	bool freed;
};

struct runner {
	const struct scenario *scn;
	const struct run_opts *o;
	struct sim *s;
	struct hw_mem *mem;
	struct smmuv3 **hw;
	struct arm_smmu_device **smmu;
	int (*irq)[SMMUV3_NR_IRQS];
	struct run_dev *devs;
	struct run_dom *doms;
	struct run_job **jobs;		/* churn and event jobs, freed at the end */
	unsigned int njobs;
	bool boot_failed;
	struct run_v2 *v2;		/* the SMMUv2 part (runner_smmuv2.c), or NULL */
};

/* ---- runner.c ---- */

/* Map window page @p of @rd to a new page owned by "@name iova ...". */
int run_map_page(struct runner *R, struct run_dom *rd, const char *name, unsigned int p);
/* The device a domain is allocated for (its driver's ops). */
struct device *run_domain_alloc_dev(struct runner *R, unsigned int dom);
/* The IOVA window of domain @dom, pages (largest `pages` of its work). */
unsigned int run_domain_pages(const struct scenario *scn, unsigned int dom);

/* ---- runner_iopf.c ---- */

/*
 * run_iopf_setup_domain() - allocate an sva domain over its mm, or give a
 * paging domain with `fault_handler` its handler.  Context: boot thread.
 * Return: 0 or -errno.
 */
int run_iopf_setup_domain(struct runner *R, unsigned int i);

/* run_iopf_churn_sva() - one churn round on an sva domain: unmap and free
 * what was faulted in, under the mm's lock.  Context: churn thread. */
void run_iopf_churn_sva(struct runner *R, unsigned int dom);

/*
 * run_iopf_event() - the attach/replace/detach events (RID and PASID):
 * attach handles for PASIDs, user counts, `free: unused`.
 * Return: the core's result, -ENOENT for a freed domain or a PASID not
 * attached, -ENOSPC past RUN_MAX_PASIDS.  Context: an event thread.
 */
int run_iopf_event(struct runner *R, const struct scn_event *ev, struct run_dev *d);

/* run_iopf_collect() - the IOPF counters and PRG latencies into @r. */
void run_iopf_collect(struct runner *R, struct run_result *r);

#endif
