// SPDX-License-Identifier: MIT
/*
 * PCI reset hooks of the IOMMU core (seed 003 v4 patches 03, 04, 05, 09,
 * 10, 11): a device about to be reset is moved, RID and PASIDs, to the
 * group's blocking domain while group->domain and pasid_array are kept;
 * after a successful reset the driver is told (reset_device_done) and the
 * kept domains are attached again.  A failed reset keeps the device
 * blocked.  States and transitions are drawn in iommu.h.
 */
#include "core/iommu.h"

#include "core/iommu_internal.h"
#include "core/pci.h"

int __iommu_group_block_device(struct group_device *gdev, enum gdev_blocked reason)
{
	struct iommu_group *group = gdev->group;
	int ret;

	lockdep_assert_held(&group->mutex);

	/* Already blocked (a quarantine, a failed reset): only escalate */
	if (gdev->blocked) {
		gdev->blocked = max(gdev->blocked, reason);
		return 0;
	}

	/* The RID goes to the blocking domain; group->domain is kept for done() */
	if (group->domain != group->blocking_domain) {
		ret = __iommu_attach_device(gdev, group->blocking_domain, group->domain);
		if (ret)
			return ret;
	} else if (gdev->rid_domain != group->blocking_domain) {
		/* cannot happen while the invariant holds; be explicit anyway */
		ret = __iommu_attach_device(gdev, group->blocking_domain, gdev->rid_domain);
		if (ret)
			return ret;
	}

	/*
	 * Mark it blocked once the RID moved and before the PASIDs move: a
	 * driver's set_dev_pasid may ask iommu_driver_get_domain_for_dev()
	 * what the RID has, and must hear "blocking".
	 */
	gdev->blocked = reason;

	/* PASIDs to the blocking domain too; pasid_array is kept */
	if (gdev->dev->iommu->max_pasids > 0) {
		for (ioasid_t pasid = 1; pasid < IOMMU_MAX_PASIDS; pasid++) {
			struct iommu_domain *dom = group->pasid_array[pasid].domain;

			if (dom && gdev->pasid_dom[pasid])
				iommu_remove_dev_pasid(gdev, pasid, dom);
		}
	}

	group->recovery_cnt++;
	return 0;
}

int pci_dev_reset_iommu_prepare(struct pci_dev *pdev)
{
	struct iommu_group *group = pdev->dev.iommu_group;
	struct group_device *gdev;
	int ret;

	/* The core only guards resets of ATS-capable functions (stale ATCs) */
	if (!pci_ats_supported(pdev) || !dev_has_iommu(&pdev->dev) || !group)
		return 0;

	guard(mutex)(&group->mutex);
	gdev = __dev_to_gdev(&pdev->dev);
	if (WARN_ON(!gdev))
		return -ENODEV;

	/* Nested resets: only the outermost one blocks */
	if (gdev->reset_depth++)
		return 0;

	ret = __iommu_group_block_device(gdev, BLOCKED_RESETTING);
	if (ret)
		gdev->reset_depth--;
	iommu_group_check(group);
	return ret;
}

/* The DMA aliases of one PCI device against another's. */
static bool pci_devs_alias(struct pci_dev *a, struct pci_dev *b)
{
	u32 ia[1 + PCI_MAX_DMA_ALIASES], ib[1 + PCI_MAX_DMA_ALIASES];
	unsigned int na = 0, nb = 0;

	ia[na++] = a->rid;
	for (unsigned int i = 0; i < a->ndma_alias; i++)
		ia[na++] = a->dma_alias[i];
	ib[nb++] = b->rid;
	for (unsigned int i = 0; i < b->ndma_alias; i++)
		ib[nb++] = b->dma_alias[i];
	for (unsigned int i = 0; i < na; i++)
		for (unsigned int j = 0; j < nb; j++)
			if (ia[i] == ib[j])
				return true;
	return false;
}

/*
 * Whether another device of the group that shares a Requester ID with
 * @gdev is still blocked (its reset not done, or failed).
 */
static bool group_device_dma_alias_is_blocked(struct group_device *gdev)
{
	struct iommu_group *group = gdev->group;
	struct group_device *sibling;

	lockdep_assert_held(&group->mutex);
	if (!dev_is_pci(gdev->dev))
		return false;
	for_each_group_device(group, sibling) {
		if (sibling == gdev || !sibling->blocked || !dev_is_pci(sibling->dev))
			continue;
		if (pci_devs_alias(to_pci_dev(gdev->dev), to_pci_dev(sibling->dev)))
			return true;
	}
	return false;
}

void pci_dev_reset_iommu_done(struct pci_dev *pdev, int reset_result)
{
	struct iommu_group *group = pdev->dev.iommu_group;
	struct iommu_core *c = iommu_core_get();
	const struct iommu_ops *ops;
	enum gdev_blocked old_blocked;
	struct group_device *gdev;

	if (!pci_ats_supported(pdev) || !dev_has_iommu(&pdev->dev) || !group)
		return;
	ops = dev_iommu_ops(&pdev->dev);

	guard(mutex)(&group->mutex);
	gdev = __dev_to_gdev(&pdev->dev);
	if (WARN_ON(!gdev))
		return;
	/* done() without a prepare() */
	if (WARN_ON(!gdev->reset_depth))
		return;
	/* Nested: only the outermost done() acts */
	if (--gdev->reset_depth)
		return;
	if (WARN_ON(!group->blocking_domain))
		return;

	/* The pre-series bug: a failed reset was treated as a good one */
	if (reset_result && iommu_core_bug(IOMMU_BUG_FAILED_RESET_UNBLOCKS))
		reset_result = 0;

	if (reset_result) {
		/*
		 * The device may still hold stale ATC entries: keep it away
		 * from memory until a reset succeeds.  FIXME (as in the
		 * series): PCI reset methods use -ENOTTY both for "nothing was
		 * attempted" and for "this method failed", so -ENOTTY cannot
		 * be told apart and is kept blocked as well, with a warning.
		 */
		if (reset_result == -ENOTTY)
			dev_warn_ratelimited(&pdev->dev,
				"Reset may have been skipped. Keep it blocked conservatively");
		else
			dev_err_ratelimited(&pdev->dev,
				"Reset failed. Keep it blocked to protect memory");
		WARN_ON(__iommu_group_block_device(gdev, BLOCKED_RESET_FAILED));
		c->stats.resets_failed++;
		iommu_group_check(group);
		return;
	}

	if (WARN_ON(!gdev->blocked))
		return;

	if (group_device_dma_alias_is_blocked(gdev)) {
		/*
		 * FIXME (as in Linux): devices sharing a Requester ID share
		 * its translation, and one gdev->blocked per device cannot
		 * say who still needs the RID blocked.  Re-attaching this
		 * device unblocks the shared RID while the sibling's own
		 * state stays blocked.
		 */
		pci_warn(pdev, "DMA-aliased sibling may be prematurely unblocked");
	}

	/*
	 * Tell the driver first: the device is clean now, so it may lift
	 * its own quarantine (ATS) before translation is handed back.
	 */
	if (ops->reset_device_done)
		ops->reset_device_done(&pdev->dev);
	/* Reports from before the reset are moot (v4 patch 11) */
	iommu_broken_clear_pending(gdev);

	/* The RID back to the kept group->domain */
	if (group->domain != group->blocking_domain)
		WARN_ON(__iommu_attach_device(gdev, group->domain, group->blocking_domain));

	/* Unblocked before the PASIDs move, for iommu_driver_get_domain_for_dev() */
	old_blocked = gdev->blocked;
	gdev->blocked = BLOCKED_NO;

	/* PASIDs back to the domains kept in pasid_array */
	if (pdev->dev.iommu->max_pasids > 0) {
		for (ioasid_t pasid = 1; pasid < IOMMU_MAX_PASIDS; pasid++) {
			struct iommu_domain *dom = group->pasid_array[pasid].domain;

			if (!dom || dom->type == IOMMU_DOMAIN_BLOCKED)
				continue;
			WARN_ON(__iommu_set_dev_pasid(gdev, dom, pasid, group->blocking_domain));
		}
	}

	if (!WARN_ON(group->recovery_cnt == 0))
		group->recovery_cnt--;
	c->stats.resets_ok++;

	if (old_blocked > BLOCKED_RESETTING)
		pci_info(pdev, "Device is unblocked after successful reset");
	iommu_group_check(group);
}
