/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU core's private objects (Linux keeps them inside
 * drivers/iommu/iommu.c): the per-run core state, struct iommu_group and
 * struct group_device, and the helpers the three core files share.
 * Nothing outside src/core includes this, apart from tests that look at
 * the state directly.
 *
 * Locking, as in Linux:
 *   core->probe_lock (iommu_probe_device_lock) -> group->mutex
 *   group->mutex guards group->domain, the device list (writers),
 *   pasid_array, every group_device field but broken_pending, and
 *   recovery_cnt.
 *   broken_pending is written with WRITE_ONCE() from any context (the
 *   report) and read with READ_ONCE() by the worker under group->mutex.
 *   Policy report_broken=worker-rcu (v4 patches 06-11): group->devices is
 *   an RCU list (list_add_tail_rcu()/list_del_rcu()), dev->iommu_group is
 *   published with rcu_assign_pointer(), a removed group_device is freed
 *   only after disable_work_sync() and synchronize_rcu(), and a group by
 *   kfree_rcu().  The other policies use the plain list and kfree(), as
 *   before the series.
 */
#ifndef IOMMUSIM_CORE_IOMMU_INTERNAL_H
#define IOMMUSIM_CORE_IOMMU_INTERNAL_H

#include "core/iommu.h"
#include "kernel/kernel.h"

/**
 * struct iommu_core_stats - what the core did in this run (reports, tests).
 * @broken_reports:	iommu_report_device_broken() calls.
 * @broken_quarantines:	workers that blocked a device BROKEN.
 * @broken_skipped:	workers that found nothing to do (no longer pending,
 *			device gone).
 * @resets_ok, @resets_failed: outermost pci_dev_reset_iommu_done() calls
 *			by result.
 */
struct iommu_core_stats {
	u64 broken_reports;
	u64 broken_quarantines;
	u64 broken_skipped;
	u64 resets_ok;
	u64 resets_failed;
};

/**
 * struct iommu_core - one run's IOMMU core (hung off the simulator).
 * @run_id:	the run it belongs to (sim->run_id).
 * @report_broken: policy (DESIGN.md section 5).
 * @bugs:	IOMMU_BUG_* switches.
 * @probe_lock:	iommu_probe_device_lock: serialises probe/release against
 *		group lookup.
 * @groups:	every live group (iommu_group.core_node), under @probe_lock.
 * @next_group_id: ids are given in creation order, from 0.
 * @stats:	counters.
 */
struct iommu_core {
	u64 run_id;
	enum pol_report_broken report_broken;
	unsigned long bugs;
	struct mutex probe_lock;
	struct list_head groups;
	int next_group_id;
	struct iommu_core_stats stats;
};

/**
 * struct iommu_pasid_slot - one entry of the group's pasid_array (Linux's
 * xarray, here a fixed array of IOMMU_MAX_PASIDS slots).
 * @domain:	the domain attached at this PASID, NULL if none.
 * @handle:	the caller's attach handle (may be NULL).
 */
struct iommu_pasid_slot {
	struct iommu_domain *domain;
	struct iommu_attach_handle *handle;
};

/**
 * struct iommu_group - devices the IOMMU cannot tell apart (Linux name).
 * @mutex:	see the locking rules above.
 * @devices:	struct group_device list (RCU list under worker-rcu).
 * @core_node:	on iommu_core.groups.
 * @id:		creation order.
 * @domain:	the domain the group is attached to.  While a device is
 *		blocked it is *retained* here and re-attached at a successful
 *		reset.
 * @default_domain: where detach returns: the blocking domain (this model
 *		has no DMA-API default domain).
 * @blocking_domain: the driver's ops->blocked_domain.
 * @recovery_cnt: blocked group_devices; while non-zero, attaching or
 *		replacing with a non-blocking domain is refused (-EBUSY).
 * @pasid_array: PASID attachments, index = PASID (0 unused).
 * @rcu:	for kfree_rcu() (worker-rcu, v4 patch 06).
 */
struct iommu_group {
	struct mutex mutex;
	struct list_head devices;
	struct list_head core_node;
	int id;
	char name[16];
	struct iommu_domain *domain;
	struct iommu_domain *default_domain;
	struct iommu_domain *blocking_domain;
	unsigned int recovery_cnt;
	struct iommu_pasid_slot pasid_array[IOMMU_MAX_PASIDS];
	struct rcu_head rcu;
};

/**
 * struct group_device - a device's membership of its group (Linux name).
 * @group:	its group (v4 patch 09: the worker needs it after
 *		dev->iommu_group is cleared).
 * @list:	on group->devices.
 * @dev:	the device.
 * @blocked:	enum gdev_blocked (see the state drawing in iommu.h).
 * @reset_depth: nested pci_dev_reset_iommu_prepare() calls.
 * @broken_work, @broken_pending, @broken_report_time: worker-rcu's
 *		per-gdev quarantine worker (v4 patch 11); report time in ns.
 * @rid_domain:	(model) the domain the driver last attached to the RID:
 *		what the hardware has, for the invariant.
 * @pasid_dom:	(model) likewise per PASID; NULL when removed (blocking).
 */
struct group_device {
	struct iommu_group *group;
	struct list_head list;
	struct device *dev;
	enum gdev_blocked blocked;
	unsigned int reset_depth;
	struct work_struct broken_work;
	bool broken_pending;
	u64 broken_report_time;
	struct iommu_domain *rid_domain;
	struct iommu_domain *pasid_dom[IOMMU_MAX_PASIDS];
};

/* Iterate over a group's devices; writers and mutex holders only. */
#define for_each_group_device(group, pos) \
	list_for_each_entry(pos, &(group)->devices, list)

/** iommu_core_get() - this run's core state, created on first use. */
struct iommu_core *iommu_core_get(void);

/** iommu_core_stats() - this run's counters. */
const struct iommu_core_stats *iommu_core_stats(void);

static inline bool iommu_core_bug(unsigned long bug)
{
	return (iommu_core_get()->bugs & bug) != 0;
}

static inline const struct iommu_ops *dev_iommu_ops(struct device *dev)
{
	return dev->iommu->fwspec.ops;
}

/** __dev_to_gdev() - @dev's group_device.  Caller holds group->mutex. */
struct group_device *__dev_to_gdev(struct device *dev);

/**
 * __iommu_attach_device() - the driver's attach_dev for one device's RID,
 * recording what the hardware now has and checking QUARANTINE_ESCAPE.
 * Return: 0 or the driver's -errno.  Caller holds group->mutex.
 */
int __iommu_attach_device(struct group_device *gdev, struct iommu_domain *domain,
			  struct iommu_domain *old);

/** __iommu_set_dev_pasid() - the driver's set_dev_pasid for one device. */
int __iommu_set_dev_pasid(struct group_device *gdev, struct iommu_domain *domain,
			  ioasid_t pasid, struct iommu_domain *old);

/** iommu_remove_dev_pasid() - move @pasid of one device to the blocking domain. */
void iommu_remove_dev_pasid(struct group_device *gdev, ioasid_t pasid,
			    struct iommu_domain *domain);

/** iommu_group_check() - WARN when iommu_group_invariant() fails. */
void iommu_group_check(struct iommu_group *group);

/* iommu_reset.c */
/**
 * __iommu_group_block_device() - block @gdev's RID and PASIDs for @reason,
 * or only escalate the reason when it is already blocked (v4 patch 10).
 * Return: 0 or the driver's -errno.  Caller holds group->mutex.
 */
int __iommu_group_block_device(struct group_device *gdev, enum gdev_blocked reason);

/* iommu_broken.c */
/** iommu_broken_init_dev_iommu() - INIT_WORK of dev_iommu's worker. */
void iommu_broken_init_dev_iommu(struct dev_iommu *param);
/** iommu_broken_init_gdev() - INIT_WORK of the per-gdev worker. */
void iommu_broken_init_gdev(struct group_device *gdev);
/**
 * iommu_broken_release_dev() - worker-dev-iommu: disable_work_sync() of
 * dev->iommu's worker before the device leaves its group.  Caller holds no
 * group->mutex (the worker takes it).
 */
void iommu_broken_release_dev(struct device *dev);
/**
 * iommu_broken_free_gdev() - worker-rcu: disable_work_sync() of the
 * gdev's worker and wait for RCU readers, before the gdev is freed.
 */
void iommu_broken_free_gdev(struct group_device *gdev);
/**
 * iommu_broken_clear_pending() - a successful reset neutralises earlier
 * reports (v4 patch 11), unless IOMMU_BUG_STALE_BROKEN_REPORT.
 */
void iommu_broken_clear_pending(struct group_device *gdev);

#endif
