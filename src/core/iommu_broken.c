// SPDX-License-Identifier: MIT
/*
 * iommu_report_device_broken(): an IOMMU driver that contained a device's
 * fault (e.g. cleared STE.EATS after an ATC invalidation timeout) asks the
 * core to quarantine the device, so the core's view (the device is
 * blocked, no paging domain may be attached) matches the driver's.
 * Policy report_broken (DESIGN.md section 5):
 *
 *   none:		log only; the driver's own containment stands until
 *			an FLR goes through prepare/done (the review's
 *			"bare minimum").
 *   worker-rcu:	v4 patch 11: look the group_device up under RCU
 *			(dev->iommu_group, RCU list of devices), set
 *			gdev->broken_pending and queue the per-gdev work.
 *   worker-dev-iommu:	the review: the work and broken_pending live on
 *			dev->iommu; no RCU.  Drivers do not report after
 *			release_device(), and release disables the work
 *			before the device leaves its group.
 *
 * Either worker takes group->mutex, re-checks that the device still has
 * an IOMMU and that the report is still pending (a successful reset in
 * between clears it), and blocks the device BROKEN.
 *
 * STALE_QUARANTINE checker: a worker that blocks a device on a report
 * whose evidence predates the end of the device's last successful reset
 * quarantines a recovered device, unless the core is still inside that
 * reset (gdev->reset_depth: the PCI reset ended, but done() waits for
 * group->mutex and will lift the quarantine).  The evidence time is what the driver
 * noted with iommu_broken_note_evidence() (when the failed command was
 * issued), else the time of the report.  It only observes.
 */
#include "core/iommu.h"

#include "check/violation.h"
#include "core/iommu_internal.h"
#include "core/pci.h"

static void iommu_broken_check_stale(struct group_device *gdev, u64 report_time)
{
	struct device *dev = gdev->dev;
	struct pci_dev *pdev;

	if (!dev_is_pci(dev))
		return;
	/*
	 * A reset the core has not finished (its done() waits for
	 * group->mutex, held here): done() decides after us, and lifts this
	 * quarantine if the reset succeeded.  Not stale.
	 */
	if (gdev->reset_depth)
		return;
	pdev = to_pci_dev(dev);
	if (report_time < pdev->last_reset_ok_time)
		check_report(V_STALE_QUARANTINE, NULL, 0,
			     "%s: quarantined on a report from %llu ns, before its successful reset ending at %llu ns",
			     dev_name(dev), (unsigned long long)report_time,
			     (unsigned long long)pdev->last_reset_ok_time);
}

/** iommu_broken_note_evidence() - see iommu.h. */
void iommu_broken_note_evidence(struct device *dev, u64 evidence_ns)
{
	struct dev_iommu *param = READ_ONCE(dev->iommu);

	if (!param)
		return;
	param->broken_evidence_time = evidence_ns;
	param->broken_evidence_set = true;
}

/* The time of the report being made: its noted evidence, else now. */
static u64 iommu_broken_evidence_take(struct device *dev)
{
	struct dev_iommu *param = dev->iommu;
	u64 t = sim_now();

	if (param && param->broken_evidence_set) {
		t = param->broken_evidence_time;
		param->broken_evidence_set = false;
	}
	return t;
}

/*
 * A report merging into one still pending keeps the latest evidence: the
 * quarantine is justified if any of them is recent.
 */
static u64 iommu_broken_report_time(bool was_pending, u64 old, u64 t)
{
	return was_pending ? max(old, t) : t;
}

/*
 * Block @gdev BROKEN if the report is still pending.  Both workers end
 * here, group->mutex held.  @pending is where the policy keeps the flag.
 */
static void iommu_broken_quarantine(struct group_device *gdev, bool *pending,
				    u64 report_time)
{
	struct iommu_core *c = iommu_core_get();
	struct device *dev = gdev->dev;

	lockdep_assert_held(&gdev->group->mutex);
	/* A successful reset after the report cleared it: nothing to do */
	if (!READ_ONCE(*pending)) {
		c->stats.broken_skipped++;
		return;
	}
	iommu_broken_check_stale(gdev, report_time);
	if (WARN_ON(__iommu_group_block_device(gdev, BLOCKED_BROKEN)))
		return;
	c->stats.broken_quarantines++;
	dev_warn(dev, "IOMMU has quarantined the device");
	WRITE_ONCE(*pending, false);
	iommu_group_check(gdev->group);
}

/* ---- worker-rcu (v4 patch 11) ---- */

static void iommu_group_broken_worker(struct work_struct *work)
{
	struct group_device *gdev = container_of(work, struct group_device, broken_work);
	struct iommu_group *group = kobj_use(gdev, "gdev->group (broken worker)")->group;
	struct device *dev = gdev->dev;

	guard(mutex)(&kobj_use(group, "group->mutex (broken worker)")->mutex);
	/* Release frees dev->iommu under group->mutex: gone means removed */
	if (!dev_has_iommu(dev)) {
		iommu_core_get()->stats.broken_skipped++;
		return;
	}
	iommu_broken_quarantine(gdev, &gdev->broken_pending, gdev->broken_report_time);
}

/* Caller is inside rcu_read_lock(). */
static struct group_device *__dev_to_gdev_rcu(struct device *dev)
{
	struct iommu_group *group;
	struct group_device *gdev;

	WARN_ON(!rcu_read_lock_held());
	group = rcu_dereference(dev->iommu_group);
	if (!group)
		return NULL;
	list_for_each_entry_rcu(gdev, &kobj_use(group, "group->devices (rcu)")->devices, list)
		if (gdev->dev == dev)
			return gdev;
	return NULL;
}

static void report_broken_rcu(struct device *dev, u64 t)
{
	struct group_device *gdev;

	rcu_read_lock();
	gdev = __dev_to_gdev_rcu(dev);
	if (gdev) {
		gdev->broken_report_time = iommu_broken_report_time(
			READ_ONCE(gdev->broken_pending), gdev->broken_report_time, t);
		WRITE_ONCE(gdev->broken_pending, true);
		schedule_work(&gdev->broken_work);
	}
	rcu_read_unlock();
}

/* ---- worker-dev-iommu (the review) ---- */

static void iommu_dev_iommu_broken_worker(struct work_struct *work)
{
	struct dev_iommu *param = container_of(work, struct dev_iommu, broken_work);
	struct device *dev = kobj_use(param, "dev_iommu (broken worker)")->dev;
	struct iommu_group *group = dev->iommu_group;
	struct group_device *gdev;

	/* release disables this work before the device leaves its group */
	if (WARN_ON(!group))
		return;
	guard(mutex)(&group->mutex);
	gdev = __dev_to_gdev(dev);
	if (!gdev) {
		iommu_core_get()->stats.broken_skipped++;
		return;
	}
	iommu_broken_quarantine(gdev, &param->broken_pending, param->broken_report_time);
}

static void report_broken_dev_iommu(struct device *dev, u64 t)
{
	struct dev_iommu *param = READ_ONCE(dev->iommu);

	if (!param)
		return;
	param = kobj_use(param, "dev->iommu (report broken)");
	param->broken_report_time = iommu_broken_report_time(
		READ_ONCE(param->broken_pending), param->broken_report_time, t);
	WRITE_ONCE(param->broken_pending, true);
	schedule_work(&param->broken_work);
}

/* ---- Entry point and lifetime hooks ---- */

void iommu_report_device_broken(struct device *dev)
{
	struct iommu_core *c = iommu_core_get();
	u64 t = iommu_broken_evidence_take(dev);

	c->stats.broken_reports++;
	switch (c->report_broken) {
	case POL_REPORT_BROKEN_NONE:
		/* The driver's containment is all there is; an FLR lifts it */
		if (dev->iommu)
			dev->iommu->broken_report_time = t;
		dev_warn_ratelimited(dev,
			"IOMMU reported the device broken; left to the driver and a reset");
		break;
	case POL_REPORT_BROKEN_WORKER_RCU:
		report_broken_rcu(dev, t);
		break;
	case POL_REPORT_BROKEN_WORKER_DEV_IOMMU:
		report_broken_dev_iommu(dev, t);
		break;
	}
}

void iommu_broken_init_dev_iommu(struct dev_iommu *param)
{
	INIT_WORK(&param->broken_work, iommu_dev_iommu_broken_worker);
}

void iommu_broken_init_gdev(struct group_device *gdev)
{
	INIT_WORK(&gdev->broken_work, iommu_group_broken_worker);
}

void iommu_broken_release_dev(struct device *dev)
{
	if (iommu_core_get()->report_broken != POL_REPORT_BROKEN_WORKER_DEV_IOMMU ||
	    !dev->iommu)
		return;
	lockdep_assert_not_held(&dev->iommu_group->mutex);
	disable_work_sync(&dev->iommu->broken_work);
}

void iommu_broken_free_gdev(struct group_device *gdev)
{
	if (iommu_core_get()->report_broken != POL_REPORT_BROKEN_WORKER_RCU)
		return;
	/*
	 * Disable, not only cancel: a report racing the removal must not
	 * queue the work of a gdev about to be freed.  Then wait for RCU
	 * readers that may still be looking at it.
	 */
	disable_work_sync(&gdev->broken_work);
	synchronize_rcu();
}

void iommu_broken_clear_pending(struct group_device *gdev)
{
	struct iommu_core *c = iommu_core_get();

	lockdep_assert_held(&gdev->group->mutex);
	if (c->bugs & IOMMU_BUG_STALE_BROKEN_REPORT)
		return;
	if (c->report_broken == POL_REPORT_BROKEN_WORKER_RCU)
		WRITE_ONCE(gdev->broken_pending, false);
	else if (c->report_broken == POL_REPORT_BROKEN_WORKER_DEV_IOMMU)
		WRITE_ONCE(gdev->dev->iommu->broken_pending, false);
}
