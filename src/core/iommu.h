/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU core (DESIGN.md section 5), after Linux drivers/iommu/iommu.c
 * with the reset and quarantine patches of seed 003 (v4 patches 03-11) and
 * the review's alternatives as policies.
 *
 * Objects and their locks, as in Linux:
 *   struct dev_iommu	per device (dev->iommu): fwspec, the driver's
 *			private data, max_pasids; freed at release.
 *   struct iommu_group	devices that cannot be isolated from each other
 *			(PCI DMA aliases); group->mutex guards its domain,
 *			its device list, pasid_array and the reset state.
 *   struct group_device one per device in a group: the blocked state and
 *			reset nesting.
 *   struct iommu_domain blocking, identity, paging or SVA, with the
 *			driver's ops.
 * Runs keep their core state off the simulator (iommu_core_get()); nothing
 * is global across runs.
 *
 * Blocked states of a group_device (only escalate, NO < RESETTING <
 * RESET_FAILED < BROKEN; only a successful reset returns to NO):
 *
 *             prepare()            done(0)
 *     NO --------------> RESETTING -------> NO        (domains re-attached)
 *      |                    |  done(err)
 *      |                    v
 *      |               RESET_FAILED --- prepare()/done(0) ---> NO
 *      |  broken report      (kept blocked until a later successful reset)
 *      '-----------------> BROKEN   --- prepare()/done(0) ---> NO
 *
 * Transitions, all under group->mutex (iommu_reset.c, iommu_broken.c):
 *   prepare() at reset_depth 0: NO -> RESETTING (RID and PASIDs moved to
 *	the blocking domain, recovery_cnt++); already blocked: the state
 *	only escalates (max); inner prepare()/done() only count reset_depth.
 *   outermost done(err): -> max(state, RESET_FAILED), still blocked.
 *   outermost done(0): reset_device_done, broken_pending cleared, RID and
 *	PASIDs back to group->domain / pasid_array, -> NO, recovery_cnt--.
 *   broken worker (pending report): -> max(state, BROKEN).
 *   removal of a blocked device: recovery_cnt--.
 *
 * iommu_group_invariant() checks: recovery_cnt equals the number of
 * blocked group_devices; a blocked device's RID is on the blocking domain
 * and none of its PASIDs translates; an unblocked device's RID is on
 * group->domain and its PASIDs on what pasid_array says; reset_depth > 0
 * whenever the state is RESETTING, and reset_depth > 0 only while blocked.
 * The core checks it (WARN) at the end of every operation that changes a
 * group.
 *
 * Checkers (observe only): QUARANTINE_ESCAPE when a non-blocking domain is
 * attached to the RID or a PASID of an ATS-capable PCI device whose last
 * reset failed (pdev->reset_failed); STALE_QUARANTINE when a broken worker
 * blocks a device on a report older than its last successful reset
 * (pdev->last_reset_ok_time).
 */
#ifndef IOMMUSIM_CORE_IOMMU_H
#define IOMMUSIM_CORE_IOMMU_H

#include "kernel/kernel.h"
#include "scenario/policy.h"

struct pci_dev;
struct iommu_group;
struct iommu_domain;

#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)

#define IOMMU_NO_PASID	0U
#define IOMMU_MAX_PASIDS 64	/* pasid_array slots per group, model limit */

enum iommu_domain_type {
	IOMMU_DOMAIN_BLOCKED,
	IOMMU_DOMAIN_IDENTITY,
	IOMMU_DOMAIN_PAGING,
	IOMMU_DOMAIN_SVA,
};

/* A bigger number is a higher severity (seed 003 patch 10). */
enum gdev_blocked {
	BLOCKED_NO = 0,		/* not blocked */
	BLOCKED_RESETTING,	/* PCI reset in flight */
	BLOCKED_RESET_FAILED,	/* PCI reset failed */
	BLOCKED_BROKEN,		/* driver flagged a fault */
};

/**
 * struct iommu_iotlb_gather - what an unmap collects for iotlb_sync.
 * @start, @end: IOVA range unmapped, bytes, @end inclusive (start > end:
 *		empty).
 * @pgsize:	page size, bytes.
 */
struct iommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
};

static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *g)
{
	g->start = ~0UL;
	g->end = 0;
	g->pgsize = 0;
}

/**
 * struct iommu_domain_ops - what a driver does for a domain (Linux names).
 * @attach_dev:	make @dev's RID translate through @domain; @old is the
 *		domain it leaves.  0 or -errno (the core keeps @old then).
 * @set_dev_pasid: the same for a PASID (the blocking domain's op removes).
 * @map_pages:	map @pgcount pages of @pgsize at @iova to @paddr with
 *		@prot; *@mapped gets the bytes mapped.  0 or -errno.
 * @unmap_pages: clear the PTEs, gather the range; bytes unmapped.  No
 *		invalidation yet.
 * @iotlb_sync:	invalidate what @gather holds (TLB and ATCs) and wait.
 * @free:	free the domain (no device is attached any more).
 */
struct iommu_domain_ops {
	int (*attach_dev)(struct iommu_domain *domain, struct device *dev,
			  struct iommu_domain *old);
	int (*set_dev_pasid)(struct iommu_domain *domain, struct device *dev,
			     ioasid_t pasid, struct iommu_domain *old);
	int (*map_pages)(struct iommu_domain *domain, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped);
	size_t (*unmap_pages)(struct iommu_domain *domain, unsigned long iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
	void (*iotlb_sync)(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *gather);
	void (*free)(struct iommu_domain *domain);
};

/**
 * struct iommu_domain - a translation context.
 * @type:	blocking, identity, paging or SVA.
 * @ops:	the driver's ops.
 * @owner:	the iommu_ops that made it.
 * @name:	for logs and reports ("dom0", "blocking").
 * @pgsize_bitmap: page sizes it maps (4 KiB only in this model).
 */
struct iopf_group;
struct iommu_fault_param;
struct iopf_fault;
struct iommu_page_response;

/*
 * An SVA domain's process address space, as the model keeps it: the
 * range [@base, @base + @size) of valid addresses (bytes).  A fault
 * inside it is served by mapping a page @alloc_page(@ctx, addr, &pa)
 * gives (0 or -ENOMEM; @free_page takes it back when the address turned
 * out to be mapped already); outside, answered INVALID.
 * @lock, when set, is the mm's mmap_lock: the fault-in holds it from the
 * allocation to the map (Linux handle_mm_fault() under mmap_read_lock()),
 * and whoever unmaps the mm's pages (munmap, reclaim) takes it too.
 */
struct mutex;
struct iommu_mm {
	unsigned long base;
	unsigned long size;
	int (*alloc_page)(void *ctx, unsigned long addr, phys_addr_t *pa);
	void (*free_page)(void *ctx, phys_addr_t pa);
	void *ctx;
	struct mutex *lock;
};

/*
 * @iopf_handler: the domain's fault handler (SVA: iommu_sva_iopf_handler;
 *		paging: set by its user); NULL when it takes no faults.
 * @fault_data: the handler's private data.
 * @mm:		SVA only: the process address space.
 * @iopf_pending: group-counter design: groups reported to this domain and
 *		not yet freed; freeing waits for zero (iopf.h).
 * @iopf_wq:	wakes the free that waits on @iopf_pending.
 */
struct iommu_domain {
	enum iommu_domain_type type;
	const struct iommu_domain_ops *ops;
	const struct iommu_ops *owner;
	char name[32];
	unsigned long pgsize_bitmap;
	int (*iopf_handler)(struct iopf_group *group);
	void *fault_data;
	struct iommu_mm mm;
	atomic_t iopf_pending;
	wait_queue_head_t iopf_wq;
};

/**
 * struct iommu_fwspec - what firmware says about a device's IOMMU.
 * @ops:	the driver of the IOMMU that handles it.
 * @iommu_fwnode: the IOMMU instance (the driver's struct, opaque here).
 * @ids, @num_ids: its Stream IDs.
 * @flags:	IOMMU_FWSPEC_PCI_RC_ATS: the root complex supports ATS;
 *		IOMMU_FWSPEC_DMA_CAN_STALL: firmware says the device copes
 *		with stalled transactions (Linux's "dma-can-stall" device
 *		property, read by arm_smmu_probe_device()).
 */
#define IOMMU_FWSPEC_PCI_RC_ATS	(1u << 0)
#define IOMMU_FWSPEC_DMA_CAN_STALL (1u << 1)
#define IOMMU_FWSPEC_MAX_IDS	8
struct iommu_fwspec {
	const struct iommu_ops *ops;
	void *iommu_fwnode;
	u32 ids[IOMMU_FWSPEC_MAX_IDS];
	unsigned int num_ids;
	u32 flags;
};

/**
 * struct dev_iommu - the core's per-device data (Linux name).
 * @lock:	guards @priv across probe/release.
 * @fwspec:	firmware description.
 * @priv:	the driver's per-device data (the SMMUv3 master).
 * @max_pasids: PASIDs the device may use (0: none).
 * @fault_param: IOPF data while the device is on a fault queue
 *		(src/iopf; RCU-published, group-counter reads it lock-free).
 * @broken_work, @broken_pending, @broken_report_time: the quarantine
 *		worker of policy report_broken=worker-dev-iommu (the review:
 *		the work lives here, no RCU).
 * @broken_evidence_time, @broken_evidence_set: (model, observation only)
 *		when the evidence behind the next report was gathered, as
 *		the driver told iommu_broken_note_evidence(); ns.
 */
struct dev_iommu {
	struct mutex lock;
	struct iommu_fwspec fwspec;
	void *priv;
	u32 max_pasids;
	struct work_struct broken_work;
	bool broken_pending;
	u64 broken_report_time;
	u64 broken_evidence_time;
	bool broken_evidence_set;
	struct device *dev;
	struct iommu_fault_param *fault_param;
};

/**
 * struct iommu_ops - what a driver offers the core (Linux names).
 * @probe_device: set up the driver's data for @dev (dev_iommu_priv_set()).
 *		0 or -errno.
 * @release_device: tear it down.
 * @reset_device_done: the device reset successfully: lift driver-level
 *		quarantine (seed 003 patch 05).  Called under group->mutex,
 *		before the domains are re-attached.
 * @domain_alloc_paging: a new paging domain for @dev, or an ERR_PTR.
 * @domain_alloc_sva: a new SVA domain for @dev over @mm (copied), or an
 *		ERR_PTR (-EOPNOTSUPP without PASID/stall/PRI support).
 * @page_response: answer a fault group: PRI_RESP for a page request,
 *		RESUME for a stall (Linux arm_smmu_page_response()); @evt is
 *		the group's LAST request.  Context: task, may sleep.
 * @drain_faults: iopf_drain=ordered, after the core switched an attach
 *		handle: fence the hardware queues (CMD_SYNC), then make the
 *		IRQ threads consume what sits in the event and PRI queues and
 *		wait for them (seed 000 step 3).  Context: task, may sleep.
 * @identity_domain, @blocked_domain: the driver's static domains.
 */
struct iommu_ops {
	int (*probe_device)(struct device *dev);
	void (*release_device)(struct device *dev);
	void (*reset_device_done)(struct device *dev);
	struct iommu_domain *(*domain_alloc_paging)(struct device *dev);
	struct iommu_domain *(*domain_alloc_sva)(struct device *dev,
						 const struct iommu_mm *mm);
	void (*page_response)(struct device *dev, struct iopf_fault *evt,
			      struct iommu_page_response *msg);
	void (*drain_faults)(struct device *dev);
	struct iommu_domain *identity_domain;
	struct iommu_domain *blocked_domain;
};

/** struct iommu_attach_handle - a PASID attachment (iommufd/IOPF use it). */
struct iommu_attach_handle {
	struct iommu_domain *domain;
};

static inline void *dev_iommu_priv_get(struct device *dev)
{
	return dev->iommu ? dev->iommu->priv : NULL;
}

static inline void dev_iommu_priv_set(struct device *dev, void *priv)
{
	dev->iommu->priv = priv;
}

static inline struct iommu_fwspec *dev_iommu_fwspec_get(struct device *dev)
{
	return dev->iommu ? &dev->iommu->fwspec : NULL;
}

static inline bool dev_has_iommu(struct device *dev)
{
	return dev->iommu && dev->iommu->fwspec.ops;
}

/* ---- Set-up, probe, release ---- */

/**
 * iommu_core_configure() - the run's core policy (report_broken) and bug
 * switches (IOMMU_BUG_*).  Without a call a run uses worker-dev-iommu
 * and no bugs.  The state lives with the current simulator (sim_cur) and
 * is freed with it.  Context: set-up (main context is fine), before any
 * device is probed.
 */
void iommu_core_configure(enum pol_report_broken report_broken, unsigned long bugs);

/**
 * iommu_fwspec_init() - give @dev an fwspec naming @ops and @iommu with
 * Stream IDs @ids (allocates dev->iommu).  0, -EINVAL (too many IDs),
 * -EEXIST (already set).
 */
int iommu_fwspec_init(struct device *dev, const struct iommu_ops *ops,
		      void *iommu, const u32 *ids, unsigned int num_ids, u32 flags);

/**
 * iommu_probe_device() - hand @dev to its IOMMU driver: ops->probe_device,
 * find or make its group (a PCI device joins the group of a device it
 * shares a DMA alias with), add the group_device, attach the group's
 * current domain (a fresh group starts on the blocking domain: devices
 * not named in a domain's attach list are blocked).
 * Return: 0, -ENODEV (no fwspec), or the driver's error.
 * Context: task, may sleep.
 */
int iommu_probe_device(struct device *dev);

/**
 * iommu_release_device() - remove @dev from its group (dropping
 * recovery_cnt if it was blocked, seed 003 patch 04), release it from the
 * driver (ops->release_device under group->mutex), free dev->iommu.  The
 * pending broken work is disabled first (worker-dev-iommu) or with the
 * group_device (worker-rcu, then synchronize_rcu()).  The last device of
 * a group frees the group; the group must be back on its default
 * (blocking) domain by then, as Linux WARNs otherwise: detach first.
 * Context: task, may sleep; takes the probe lock and group->mutex.
 */
void iommu_release_device(struct device *dev);

/**
 * iommu_group_get() - @dev's group, NULL before probe and after release
 * (no reference counting in the model: the pointer is good until the
 * group's last device is released).
 */
struct iommu_group *iommu_group_get(struct device *dev);

/* ---- Domains ---- */

/**
 * iommu_paging_domain_alloc() - a paging domain from @dev's driver, named
 * @name.  Return: the domain or an ERR_PTR.  Context: may sleep.
 */
struct iommu_domain *iommu_paging_domain_alloc(struct device *dev, const char *name);

/**
 * iommu_sva_domain_alloc() - an SVA domain over @mm for @dev's driver,
 * named @name, with iommu_sva_iopf_handler as its fault handler.
 * Return: the domain or an ERR_PTR (-EOPNOTSUPP: the driver has no SVA).
 * Context: may sleep.  Models Linux iommu_sva_domain_alloc().
 */
struct iommu_domain *iommu_sva_domain_alloc(struct device *dev, const struct iommu_mm *mm,
					    const char *name);

/**
 * iommu_domain_free() - free a domain no device uses.  Under
 * iopf_design=group-counter it first waits until no fault group still
 * counts on the domain (seed 001).  Context: may sleep.
 */
void iommu_domain_free(struct iommu_domain *domain);

/**
 * iommu_attach_device() - attach @domain to @dev's group (RID).
 * Return: 0; -EBUSY when the group is in recovery (recovery_cnt > 0,
 * seed 003 review: no paging domain while blocked) or already has a
 * domain other than its default/blocking one; the driver's error.
 * Context: task, takes group->mutex.
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_replace_device() - switch @dev's group to @domain without passing
 * through blocking (iommu_group_replace_domain()).  Errors as attach,
 * without the "already has a domain" case.  Blocked devices are skipped
 * (only the blocking domain may be installed while recovery_cnt > 0).
 * On a driver error the devices already switched go back.
 */
int iommu_replace_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_detach_device() - @dev's group back to its default (blocking)
 * domain; WARNs if @domain is not the group's.  Allowed while devices are
 * blocked (they are skipped: already on the blocking domain).
 * Context: task, takes group->mutex.
 */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev);

/**
 * iommu_attach_device_pasid() / iommu_replace_device_pasid() /
 * iommu_detach_device_pasid() - PASID attachments with attach handles,
 * kept in the group's pasid_array.  Return: 0, -EBUSY (in recovery, or
 * the PASID is taken for attach), -EINVAL (PASID out of range), or the
 * driver's error.
 */
int iommu_attach_device_pasid(struct iommu_domain *domain, struct device *dev,
			      ioasid_t pasid, struct iommu_attach_handle *handle);
int iommu_replace_device_pasid(struct iommu_domain *domain, struct device *dev,
			       ioasid_t pasid, struct iommu_attach_handle *handle);
void iommu_detach_device_pasid(struct iommu_domain *domain, struct device *dev,
			       ioasid_t pasid);

/** iommu_attach_handle_get() - the handle at @pasid of @group, or ERR_PTR(-ENOENT). */
struct iommu_attach_handle *iommu_attach_handle_get(struct iommu_group *group,
						    ioasid_t pasid);

/**
 * iommu_map() - map @size bytes at @iova to @paddr (4 KiB pages) in a
 * paging or SVA domain (ops->map_pages; a partial mapping is undone on error).
 * Return: 0 or -errno (-EINVAL misaligned or not a paging domain).
 * Context: may sleep.
 */
int iommu_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
	      size_t size, int prot, gfp_t gfp);

/**
 * iommu_unmap() - unmap @size bytes at @iova, strict mode: returns only
 * after the driver's iotlb_sync (TLB and ATC invalidation) completed or
 * failed.  Return: bytes unmapped (0 when misaligned or not paging).
 * Context: may sleep.
 */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size);

/**
 * iommu_get_domain_for_dev() - the domain @dev's group is attached to
 * (group->domain: while the device is blocked this is the retained
 * domain, not the blocking one).
 */
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);

/**
 * iommu_driver_get_domain_for_dev() - the domain the driver must program
 * for @dev: the blocking domain while gdev->blocked, else group->domain.
 * Context: the driver's attach callbacks (group->mutex held).
 */
struct iommu_domain *iommu_driver_get_domain_for_dev(struct device *dev);

/* ---- Reset and quarantine (seed 003) ---- */

/**
 * pci_dev_reset_iommu_prepare() - block @pdev's RID and PASIDs for a reset
 * (reset_depth nesting; a device already blocked only escalates).  Does
 * nothing for a function without ATS or without an IOMMU, as Linux.
 * Callers skip it in probe mode (patch 01).
 * Return: 0 or -errno (blocking domain attach failed, -ENODEV no gdev).
 * Context: task, takes group->mutex.  Models Linux's function of the
 * same name with v4 patches 04 and 10.
 */
int pci_dev_reset_iommu_prepare(struct pci_dev *pdev);

/**
 * pci_dev_reset_iommu_done() - after the reset: only the outermost call
 * acts.  On @reset_result == 0 (a DMA-aliased sibling still blocked gets
 * the FIXME warning and the device goes on) call reset_device_done, clear
 * broken_pending, re-attach RID and PASID domains, unblock, drop
 * recovery_cnt, log "Device is unblocked after successful reset" if it
 * was more than RESETTING; on failure keep it blocked (escalate to
 * RESET_FAILED; -ENOTTY with a warning that the reset may have been
 * skipped, any other error with an error line).  IOMMU_BUG_FAILED_RESET_
 * UNBLOCKS treats every result as 0 (before patch 04).
 * Context: task, takes group->mutex.  Models v4 patches 04, 05, 10, 11.
 */
void pci_dev_reset_iommu_done(struct pci_dev *pdev, int reset_result);

/**
 * iommu_report_device_broken() - the driver contained a fault of @dev and
 * asks the core to quarantine it (block RID and PASIDs: BLOCKED_BROKEN),
 * per policy report_broken: none ignores it; worker-rcu looks the
 * group_device up under RCU and queues its per-gdev worker (v4 patch 11);
 * worker-dev-iommu queues the worker on dev->iommu (the review).
 * Context: any, including hard IRQ (the quarantine runs in a worker).
 */
void iommu_report_device_broken(struct device *dev);

/* ---- Observation (reports, expectations, checkers) ---- */

/**
 * iommu_broken_note_evidence() - checker hook, observation only: the
 * driver is about to call iommu_report_device_broken(@dev) on evidence
 * gathered at virtual time @evidence_ns (the issue time of the failed
 * batch or retry, not the time of the report).  The report keeps it as
 * its report time, which the STALE_QUARANTINE checker compares with the
 * device's last successful reset; reports coalesced before the worker
 * runs keep the latest evidence.  Without a note a report is timed when
 * it is made.  Changes no behaviour.  Not in Linux.
 * Context: any (a plain store; the next report of @dev consumes it).
 */
void iommu_broken_note_evidence(struct device *dev, u64 evidence_ns);

/** iommu_dev_blocked() - @dev's gdev->blocked, BLOCKED_NO if none. */
enum gdev_blocked iommu_dev_blocked(struct device *dev);

/** iommu_group_recovery_cnt() - the group's recovery_cnt. */
unsigned int iommu_group_recovery_cnt(struct iommu_group *group);

/**
 * iommu_group_invariant() - check the rules drawn at the top of this file.
 * Return: NULL when they hold, else the first broken rule.  Caller holds
 * group->mutex or the run is over.
 */
const char *iommu_group_invariant(struct iommu_group *group);

/** gdev_blocked_name() - "no", "resetting", "reset-failed", "broken". */
const char *gdev_blocked_name(enum gdev_blocked b);

/* Bug switches (iommusim --bug, bench/zoo): each re-creates a known bug. */
#define IOMMU_BUG_FAILED_RESET_UNBLOCKS	(1ul << 0)	/* done(err) unblocks */
#define IOMMU_BUG_PROBE_RESET_TOUCHES	(1ul << 1)	/* probe-mode reset blocks */
#define IOMMU_BUG_STALE_BROKEN_REPORT	(1ul << 2)	/* done() keeps broken_pending */

#endif
