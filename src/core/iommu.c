// SPDX-License-Identifier: MIT
/*
 * The IOMMU core, after Linux drivers/iommu/iommu.c: the per-run state,
 * devices and groups, domains, RID and PASID attach/replace/detach,
 * map/unmap, the group invariant and the QUARANTINE_ESCAPE checker.
 * Reset (iommu_reset.c) and quarantine reports (iommu_broken.c) live
 * beside it.  Written from the behaviour Linux documents; see iommu.h for
 * the state machine and iommu_internal.h for the locking.
 */
#include "core/iommu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "core/iommu_internal.h"
#include "iopf/iopf.h"
#include "core/pci.h"
#include "trace/trace.h"

#define IOMMU_PAGE_SIZE	4096UL

/* ---- Per-run state ---- */

static __thread struct iommu_core *core_cur;

static void iommu_core_free(struct sim *s, void *arg)
{
	(void)s;
	if (core_cur == arg)
		core_cur = NULL;
	free(arg);	/* groups and devices are kzalloc()'d: kstate frees them */
}

struct iommu_core *iommu_core_get(void)
{
	struct sim *s = sim_cur;
	struct iommu_core *c = core_cur;

	if (c && c->run_id == s->run_id)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c || sim_at_destroy(s, iommu_core_free, c))
		abort();
	c->run_id = s->run_id;
	c->report_broken = POL_REPORT_BROKEN_WORKER_DEV_IOMMU;
	mutex_init(&c->probe_lock);
	INIT_LIST_HEAD(&c->groups);
	core_cur = c;
	return c;
}

const struct iommu_core_stats *iommu_core_stats(void)
{
	return &iommu_core_get()->stats;
}

void iommu_core_configure(enum pol_report_broken report_broken, unsigned long bugs)
{
	struct iommu_core *c = iommu_core_get();

	c->report_broken = report_broken;
	c->bugs = bugs;
}

static bool core_uses_rcu(void)
{
	return iommu_core_get()->report_broken == POL_REPORT_BROKEN_WORKER_RCU;
}

/* ---- Names and observation ---- */

const char *gdev_blocked_name(enum gdev_blocked b)
{
	switch (b) {
	case BLOCKED_NO:		return "no";
	case BLOCKED_RESETTING:		return "resetting";
	case BLOCKED_RESET_FAILED:	return "reset-failed";
	case BLOCKED_BROKEN:		return "broken";
	}
	return "?";
}

static const char *domain_type_name(enum iommu_domain_type t)
{
	switch (t) {
	case IOMMU_DOMAIN_BLOCKED:	return "blocking";
	case IOMMU_DOMAIN_IDENTITY:	return "identity";
	case IOMMU_DOMAIN_PAGING:	return "paging";
	case IOMMU_DOMAIN_SVA:		return "sva";
	}
	return "?";
}

struct group_device *__dev_to_gdev(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	struct group_device *gdev;

	if (!group)
		return NULL;
	for_each_group_device(group, gdev)
		if (gdev->dev == dev)
			return gdev;
	return NULL;
}

enum gdev_blocked iommu_dev_blocked(struct device *dev)
{
	struct group_device *gdev = __dev_to_gdev(dev);

	return gdev ? gdev->blocked : BLOCKED_NO;
}

unsigned int iommu_group_recovery_cnt(struct iommu_group *group)
{
	return group->recovery_cnt;
}

struct iommu_group *iommu_group_get(struct device *dev)
{
	return dev->iommu_group;
}

/* ---- The invariant ---- */

static __thread char inv_msg[192];

static const char *inv_fail(const char *fmt, const char *dev, unsigned a, unsigned b)
{
	snprintf(inv_msg, sizeof(inv_msg), fmt, dev, a, b);
	return inv_msg;
}

const char *iommu_group_invariant(struct iommu_group *group)
{
	struct group_device *gdev;
	unsigned int nblocked = 0;

	if (!group->blocking_domain || !group->domain)
		return "group has no blocking domain or no domain";
	for_each_group_device(group, gdev) {
		const char *n = dev_name(gdev->dev);

		if (gdev->blocked > BLOCKED_BROKEN)
			return inv_fail("%s: blocked state %u out of range", n,
					gdev->blocked, 0);
		if (gdev->blocked)
			nblocked++;
		if (gdev->blocked == BLOCKED_RESETTING && !gdev->reset_depth)
			return inv_fail("%s: RESETTING with no reset in flight (depth %u)",
					n, gdev->reset_depth, 0);
		if (gdev->reset_depth && !gdev->blocked)
			return inv_fail("%s: reset in flight (depth %u) but not blocked",
					n, gdev->reset_depth, 0);
		if (gdev->blocked && gdev->rid_domain != group->blocking_domain)
			return inv_fail("%s: blocked (%u) but its RID is not on the blocking domain",
					n, gdev->blocked, 0);
		if (!gdev->blocked && gdev->rid_domain != group->domain)
			return inv_fail("%s: not blocked but its RID is not on group->domain",
					n, 0, 0);
		for (unsigned p = 1; p < IOMMU_MAX_PASIDS; p++) {
			struct iommu_domain *want = group->pasid_array[p].domain;

			if (gdev->blocked || !gdev->dev->iommu ||
			    p >= gdev->dev->iommu->max_pasids ||
			    (want && want->type == IOMMU_DOMAIN_BLOCKED))
				want = NULL;
			if (gdev->pasid_dom[p] != want)
				return inv_fail("%s: PASID %u not on the domain the group says (blocked %u)",
						n, p, gdev->blocked);
		}
	}
	if (nblocked != group->recovery_cnt)
		return inv_fail("%s: recovery_cnt %u but %u devices blocked", group->name,
				group->recovery_cnt, nblocked);
	return NULL;
}

void iommu_group_check(struct iommu_group *group)
{
	const char *e = iommu_group_invariant(group);

	WARN(e != NULL, "iommu group %d invariant: %s", group->id, e ? e : "");
}

/* ---- QUARANTINE_ESCAPE: a device whose reset failed got translation back ---- */

static void iommu_check_escape(struct device *dev, struct iommu_domain *domain,
			       const char *what, ioasid_t pasid)
{
	struct pci_dev *pdev;

	if (domain->type == IOMMU_DOMAIN_BLOCKED || !dev_is_pci(dev))
		return;
	pdev = to_pci_dev(dev);
	/* Only devices whose resets the core manages (prepare/done act on ATS ones) */
	if (!pci_ats_supported(pdev) || !pdev->reset_failed)
		return;
	check_report(V_QUARANTINE_ESCAPE, NULL, 0,
		     "%s: %s domain '%s' attached to its %s (PASID %u) after a failed reset",
		     dev_name(dev), domain_type_name(domain->type), domain->name, what,
		     pasid);
}

/* ---- Driver calls ---- */

int __iommu_attach_device(struct group_device *gdev, struct iommu_domain *domain,
			  struct iommu_domain *old)
{
	int ret;

	lockdep_assert_held(&gdev->group->mutex);
	ret = domain->ops->attach_dev(domain, gdev->dev, old);
	if (ret)
		return ret;
	gdev->rid_domain = domain;
	iommu_check_escape(gdev->dev, domain, "RID", IOMMU_NO_PASID);
	return 0;
}

int __iommu_set_dev_pasid(struct group_device *gdev, struct iommu_domain *domain,
			  ioasid_t pasid, struct iommu_domain *old)
{
	int ret;

	lockdep_assert_held(&gdev->group->mutex);
	ret = domain->ops->set_dev_pasid(domain, gdev->dev, pasid, old);
	if (ret)
		return ret;
	gdev->pasid_dom[pasid] = domain->type == IOMMU_DOMAIN_BLOCKED ? NULL : domain;
	iommu_check_escape(gdev->dev, domain, "PASID", pasid);
	return 0;
}

void iommu_remove_dev_pasid(struct group_device *gdev, ioasid_t pasid,
			    struct iommu_domain *domain)
{
	struct iommu_domain *blocked = gdev->group->blocking_domain;

	lockdep_assert_held(&gdev->group->mutex);
	if (!WARN_ON(blocked->ops->set_dev_pasid(blocked, gdev->dev, pasid, domain)))
		gdev->pasid_dom[pasid] = NULL;
}

/* ---- Devices and groups ---- */

static struct dev_iommu *dev_iommu_get(struct device *dev)
{
	struct dev_iommu *param = dev->iommu;

	if (param)
		return param;
	param = kzalloc(sizeof(*param), GFP_KERNEL);
	if (!param)
		return NULL;
	kobj_set_name(param, "dev_iommu %s", dev_name(dev));
	mutex_init(&param->lock);
	param->dev = dev;
	iommu_broken_init_dev_iommu(param);
	dev->iommu = param;
	return param;
}

int iommu_fwspec_init(struct device *dev, const struct iommu_ops *ops,
		      void *iommu, const u32 *ids, unsigned int num_ids, u32 flags)
{
	struct dev_iommu *param;

	if (!ops || num_ids > IOMMU_FWSPEC_MAX_IDS || (num_ids && !ids))
		return -EINVAL;
	if (dev->iommu && dev->iommu->fwspec.ops)
		return -EEXIST;
	param = dev_iommu_get(dev);
	if (!param)
		return -ENOMEM;
	param->fwspec.ops = ops;
	param->fwspec.iommu_fwnode = iommu;
	for (unsigned int i = 0; i < num_ids; i++)
		param->fwspec.ids[i] = ids[i];
	param->fwspec.num_ids = num_ids;
	param->fwspec.flags = flags;
	return 0;
}

/* PASIDs a device may use: its PASID capability's width, capped by the model. */
static u32 dev_iommu_get_max_pasids(struct device *dev)
{
	struct pci_dev *pdev;
	u16 cap = 0;
	u32 n;

	if (!dev_is_pci(dev))
		return 0;
	pdev = to_pci_dev(dev);
	if (!pdev->pasid_cap)
		return 0;
	pci_read_config_word(pdev, pdev->pasid_cap + PCI_PASID_CAP, &cap);
	if (cap == 0xffff)
		return 0;
	n = PCI_PASID_CAP_WIDTH(cap) >= 31 ? ~0u : 1u << PCI_PASID_CAP_WIDTH(cap);
	return n < IOMMU_MAX_PASIDS ? n : IOMMU_MAX_PASIDS;
}

/* Requester/Stream IDs a device's DMA may carry. */
static unsigned int dev_dma_ids(struct device *dev, u32 *ids, unsigned int max)
{
	unsigned int n = 0;

	if (dev->iommu)
		for (unsigned int i = 0; i < dev->iommu->fwspec.num_ids && n < max; i++)
			ids[n++] = dev->iommu->fwspec.ids[i];
	if (dev_is_pci(dev)) {
		struct pci_dev *pdev = to_pci_dev(dev);

		if (n < max)
			ids[n++] = pdev->rid;
		for (unsigned int i = 0; i < pdev->ndma_alias && n < max; i++)
			ids[n++] = pdev->dma_alias[i];
	}
	return n;
}

static bool devs_share_id(struct device *a, struct device *b)
{
	u32 ia[IOMMU_FWSPEC_MAX_IDS + 1 + PCI_MAX_DMA_ALIASES];
	u32 ib[IOMMU_FWSPEC_MAX_IDS + 1 + PCI_MAX_DMA_ALIASES];
	unsigned int na = dev_dma_ids(a, ia, ARRAY_SIZE(ia));
	unsigned int nb = dev_dma_ids(b, ib, ARRAY_SIZE(ib));

	for (unsigned int i = 0; i < na; i++)
		for (unsigned int j = 0; j < nb; j++)
			if (ia[i] == ib[j])
				return true;
	return false;
}

/* The group of a device @dev shares an ID with, or NULL.  Under probe_lock. */
static struct iommu_group *iommu_group_find_alias(struct iommu_core *c, struct device *dev)
{
	struct iommu_group *group;
	struct group_device *gdev;

	lockdep_assert_held(&c->probe_lock);
	list_for_each_entry(group, &c->groups, core_node) {
		bool found = false;

		mutex_lock(&group->mutex);
		for_each_group_device(group, gdev)
			if (gdev->dev->iommu &&
			    gdev->dev->iommu->fwspec.ops == dev_iommu_ops(dev) &&
			    devs_share_id(gdev->dev, dev)) {
				found = true;
				break;
			}
		mutex_unlock(&group->mutex);
		if (found)
			return group;
	}
	return NULL;
}

static struct iommu_group *iommu_group_alloc(struct iommu_core *c, const struct iommu_ops *ops)
{
	struct iommu_group *group;

	lockdep_assert_held(&c->probe_lock);
	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);
	group->id = c->next_group_id++;
	snprintf(group->name, sizeof(group->name), "group%d", group->id);
	kobj_set_name(group, "iommu_group %d", group->id);
	mutex_init(&group->mutex);
	group->mutex.name = "group->mutex";
	INIT_LIST_HEAD(&group->devices);
	group->blocking_domain = ops->blocked_domain;
	group->default_domain = group->blocking_domain;
	group->domain = group->blocking_domain;	/* nothing translates until attach */
	list_add_tail(&group->core_node, &c->groups);
	return group;
}

static struct group_device *iommu_group_alloc_device(struct iommu_group *group,
						     struct device *dev)
{
	struct group_device *gdev = kzalloc(sizeof(*gdev), GFP_KERNEL);

	if (!gdev)
		return NULL;
	kobj_set_name(gdev, "group_device %s", dev_name(dev));
	gdev->group = group;
	gdev->dev = dev;
	iommu_broken_init_gdev(gdev);
	return gdev;
}

/* Freed outside group->mutex: the worker-rcu teardown sleeps (v4 patch 07). */
static void iommu_group_free_device(struct group_device *gdev)
{
	lockdep_assert_not_held(&gdev->group->mutex);
	iommu_broken_free_gdev(gdev);
	kfree(gdev);
}

static void iommu_group_free(struct iommu_group *group)
{
	if (core_uses_rcu())
		kfree_rcu(group, rcu);	/* v4 patch 06 */
	else
		kfree(group);
}

/* Empty group: ownership gone and back on the default domain (v4 patch 07). */
static void iommu_group_empty_assert(struct iommu_group *group)
{
	lockdep_assert_held(&group->mutex);
	if (list_empty(&group->devices))
		WARN_ON(group->domain != group->default_domain);
}

static void iommu_group_list_add(struct iommu_group *group, struct group_device *gdev)
{
	if (core_uses_rcu())
		list_add_tail_rcu(&gdev->list, &group->devices);
	else
		list_add_tail(&gdev->list, &group->devices);
}

static void iommu_group_list_del(struct group_device *gdev)
{
	if (core_uses_rcu())
		list_del_rcu(&gdev->list);
	else
		list_del(&gdev->list);
}

/* Release from the driver and free dev->iommu; under group->mutex as in Linux. */
static void iommu_deinit_device(struct device *dev)
{
	struct dev_iommu *param = dev->iommu;
	const struct iommu_ops *ops = dev_iommu_ops(dev);

	lockdep_assert_held(&dev->iommu_group->mutex);
	mutex_lock(&param->lock);
	if (ops->release_device)
		ops->release_device(dev);
	param->priv = NULL;
	mutex_unlock(&param->lock);
	rcu_assign_pointer(dev->iommu_group, NULL);
	WRITE_ONCE(dev->iommu, NULL);
	kfree(param);
}

int iommu_probe_device(struct device *dev)
{
	struct iommu_core *c = iommu_core_get();
	const struct iommu_ops *ops;
	struct iommu_group *group;
	struct group_device *gdev;
	bool new_group = false;
	int ret;

	if (!dev_has_iommu(dev))
		return -ENODEV;
	if (dev->iommu_group)
		return 0;			/* already probed */
	ops = dev_iommu_ops(dev);
	if (!ops->blocked_domain || !ops->blocked_domain->ops ||
	    !ops->blocked_domain->ops->attach_dev)
		return -EINVAL;			/* the model needs a static blocking domain */

	guard(mutex)(&c->probe_lock);
	mutex_lock(&dev->iommu->lock);
	ret = ops->probe_device ? ops->probe_device(dev) : 0;
	mutex_unlock(&dev->iommu->lock);
	if (ret)
		return ret;
	dev->iommu->max_pasids = dev_iommu_get_max_pasids(dev);

	group = iommu_group_find_alias(c, dev);
	if (!group) {
		group = iommu_group_alloc(c, ops);
		if (IS_ERR(group)) {
			ret = PTR_ERR(group);
			goto err_release;
		}
		new_group = true;
	}
	gdev = iommu_group_alloc_device(group, dev);
	if (!gdev) {
		ret = -ENOMEM;
		goto err_group;
	}

	mutex_lock(&group->mutex);
	rcu_assign_pointer(dev->iommu_group, group);
	iommu_group_list_add(group, gdev);
	ret = __iommu_attach_device(gdev, group->domain, NULL);
	if (ret) {
		iommu_group_list_del(gdev);
		rcu_assign_pointer(dev->iommu_group, NULL);
		mutex_unlock(&group->mutex);
		iommu_group_free_device(gdev);
		goto err_group;
	}
	iommu_group_check(group);
	mutex_unlock(&group->mutex);
	dev_info(dev, "Adding to iommu group %d", group->id);
	return 0;

err_group:
	if (new_group) {
		list_del(&group->core_node);
		iommu_group_free(group);
	}
err_release:
	mutex_lock(&dev->iommu->lock);
	if (ops->release_device)
		ops->release_device(dev);
	dev->iommu->priv = NULL;
	mutex_unlock(&dev->iommu->lock);
	return ret;
}

void iommu_release_device(struct device *dev)
{
	struct iommu_core *c = iommu_core_get();
	struct iommu_group *group = dev->iommu_group;
	struct group_device *gdev;
	bool empty;

	if (!group)
		return;
	/* The review's design: stop dev_iommu's worker before it can see a half-removed device */
	iommu_broken_release_dev(dev);

	mutex_lock(&c->probe_lock);
	mutex_lock(&group->mutex);
	gdev = __dev_to_gdev(dev);
	if (WARN_ON(!gdev)) {
		mutex_unlock(&group->mutex);
		mutex_unlock(&c->probe_lock);
		return;
	}
	/* A blocked device leaving must take its recovery_cnt with it (patch 04) */
	if (gdev->blocked && !WARN_ON(group->recovery_cnt == 0))
		group->recovery_cnt--;
	iommu_group_list_del(gdev);
	iommu_group_empty_assert(group);
	iommu_deinit_device(dev);
	empty = list_empty(&group->devices);
	iommu_group_check(group);
	mutex_unlock(&group->mutex);
	if (empty)
		list_del(&group->core_node);
	mutex_unlock(&c->probe_lock);

	iommu_group_free_device(gdev);
	if (empty)
		iommu_group_free(group);
}

/* ---- Domains ---- */

/* What every allocated domain gets from the core. */
static void iommu_domain_init(struct iommu_domain *domain, const struct iommu_ops *ops,
			      const char *name)
{
	domain->owner = ops;
	snprintf(domain->name, sizeof(domain->name), "%s", name);
	if (!domain->pgsize_bitmap)
		domain->pgsize_bitmap = IOMMU_PAGE_SIZE;
	atomic_set(&domain->iopf_pending, 0);
	init_waitqueue_head(&domain->iopf_wq, "domain iopf_pending");
}

struct iommu_domain *iommu_paging_domain_alloc(struct device *dev, const char *name)
{
	const struct iommu_ops *ops;
	struct iommu_domain *domain;

	if (!dev_has_iommu(dev))
		return ERR_PTR(-ENODEV);
	ops = dev_iommu_ops(dev);
	if (!ops->domain_alloc_paging)
		return ERR_PTR(-EOPNOTSUPP);
	domain = ops->domain_alloc_paging(dev);
	if (!domain)
		return ERR_PTR(-ENOMEM);
	if (IS_ERR(domain))
		return domain;
	domain->type = IOMMU_DOMAIN_PAGING;
	iommu_domain_init(domain, ops, name ? name : "paging");
	return domain;
}

struct iommu_domain *iommu_sva_domain_alloc(struct device *dev, const struct iommu_mm *mm,
					    const char *name)
{
	const struct iommu_ops *ops = dev_has_iommu(dev) ? dev->iommu->fwspec.ops : NULL;
	struct iommu_domain *domain;

	if (!ops || !ops->domain_alloc_sva)
		return ERR_PTR(-EOPNOTSUPP);
	domain = ops->domain_alloc_sva(dev, mm);
	if (!domain)
		return ERR_PTR(-ENOMEM);
	if (IS_ERR(domain))
		return domain;
	domain->type = IOMMU_DOMAIN_SVA;
	domain->mm = *mm;
	domain->iopf_handler = iommu_sva_iopf_handler;
	iommu_domain_init(domain, ops, name ? name : "sva");
	return domain;
}

void iommu_domain_free(struct iommu_domain *domain)
{
	if (!domain || IS_ERR(domain))
		return;
	if (WARN_ON(domain->type == IOMMU_DOMAIN_BLOCKED ||
		    domain->type == IOMMU_DOMAIN_IDENTITY))
		return;			/* the driver's static domains are never freed */
	iopf_domain_free_wait(domain);	/* group-counter: pending groups done */
	if (domain->ops && domain->ops->free)
		domain->ops->free(domain);
}

/*
 * Switch every device of @group to @new.  Blocked devices are skipped:
 * they stay on the blocking domain and pick up group->domain when their
 * reset succeeds.  While any device is blocked only the blocking domain
 * may be installed (the review: no translation for a device in recovery).
 * On a driver error the devices already moved go back.
 */
static int __iommu_group_set_domain(struct iommu_group *group, struct iommu_domain *new)
{
	struct group_device *gdev, *done;
	int ret = 0;

	lockdep_assert_held(&group->mutex);
	if (group->domain == new)
		return 0;
	if (WARN_ON(!new))
		return -EINVAL;
	if (group->recovery_cnt && new->type != IOMMU_DOMAIN_BLOCKED)
		return -EBUSY;
	for_each_group_device(group, gdev) {
		if (gdev->blocked)
			continue;
		ret = __iommu_attach_device(gdev, new, group->domain);
		if (ret)
			goto rollback;
	}
	group->domain = new;
	return 0;

rollback:
	for_each_group_device(group, done) {
		if (done == gdev)
			break;
		if (done->blocked)
			continue;
		WARN_ON(__iommu_attach_device(done, group->domain, new));
	}
	return ret;
}

static int iommu_domain_check_owner(struct iommu_domain *domain, struct device *dev)
{
	if (!domain || !domain->ops || !domain->ops->attach_dev)
		return -EINVAL;
	if (domain->owner && domain->owner != dev_iommu_ops(dev))
		return -EINVAL;
	return 0;
}

/*
 * Attach (@replace false: only from the default or blocking domain) or
 * replace @dev's group domain with @domain.
 */
static int iommu_group_change_domain(struct iommu_domain *domain, struct device *dev,
				     bool replace)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	if (!group)
		return -ENODEV;
	ret = iommu_domain_check_owner(domain, dev);
	if (ret)
		return ret;
	guard(mutex)(&group->mutex);
	if (!replace && group->domain != group->default_domain &&
	    group->domain != group->blocking_domain)
		return -EBUSY;
	ret = __iommu_group_set_domain(group, domain);
	iommu_group_check(group);
	return ret;
}

int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	return iommu_group_change_domain(domain, dev, false);
}

int iommu_replace_device(struct iommu_domain *domain, struct device *dev)
{
	return iommu_group_change_domain(domain, dev, true);
}

void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return;
	guard(mutex)(&group->mutex);
	if (WARN_ON(domain != group->domain))
		return;
	WARN_ON(__iommu_group_set_domain(group, group->default_domain));
	iommu_group_check(group);
}

struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	return group ? group->domain : NULL;
}

struct iommu_domain *iommu_driver_get_domain_for_dev(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	struct group_device *gdev;

	if (!group)
		return NULL;
	lockdep_assert_held(&group->mutex);
	gdev = __dev_to_gdev(dev);
	if (WARN_ON(!gdev))
		return NULL;
	return gdev->blocked ? group->blocking_domain : group->domain;
}

/* ---- PASIDs ---- */

/*
 * Set @pasid of every device of @group to @domain (from @old, NULL for a
 * fresh attach); on a driver error put back the devices already moved.
 */
static int __iommu_set_group_pasid(struct iommu_domain *domain, struct iommu_group *group,
				   ioasid_t pasid, struct iommu_domain *old)
{
	struct group_device *gdev, *done;
	int ret = 0;

	lockdep_assert_held(&group->mutex);
	for_each_group_device(group, gdev) {
		if (gdev->blocked || !gdev->dev->iommu->max_pasids)
			continue;
		ret = __iommu_set_dev_pasid(gdev, domain, pasid, old);
		if (ret)
			goto rollback;
	}
	return 0;

rollback:
	for_each_group_device(group, done) {
		if (done == gdev)
			break;
		if (done->blocked || !done->dev->iommu->max_pasids)
			continue;
		if (old)
			WARN_ON(__iommu_set_dev_pasid(done, old, pasid, domain));
		else
			iommu_remove_dev_pasid(done, pasid, domain);
	}
	return ret;
}

static int iommu_pasid_check(struct iommu_domain *domain, struct device *dev,
			     ioasid_t pasid)
{
	const struct iommu_ops *ops;

	if (!dev->iommu_group || !dev_has_iommu(dev))
		return -ENODEV;
	ops = dev_iommu_ops(dev);
	if (!domain || !domain->ops || !domain->ops->set_dev_pasid ||
	    !ops->blocked_domain->ops->set_dev_pasid)
		return -EOPNOTSUPP;
	if (domain->owner && domain->owner != ops)
		return -EINVAL;
	if (pasid == IOMMU_NO_PASID || pasid >= IOMMU_MAX_PASIDS)
		return -EINVAL;
	return 0;
}

/* Every device of the group must be able to use @pasid. */
static int iommu_group_pasid_in_range(struct iommu_group *group, ioasid_t pasid)
{
	struct group_device *gdev;

	for_each_group_device(group, gdev)
		if (pasid >= gdev->dev->iommu->max_pasids)
			return -EINVAL;
	return 0;
}

/* Fault fencing after (group, pasid) left @old: every device of the group. */
static void iommu_group_after_switch(struct iommu_group *group, ioasid_t pasid,
				     struct iommu_domain *old)
{
	struct group_device *gdev;

	lockdep_assert_held(&group->mutex);
	if (!old)
		return;
	for_each_group_device(group, gdev)
		iopf_after_switch(gdev->dev, pasid, old);
}

/* Under group->mutex: @pasid fits every device, and no recovery forbids @domain. */
static int iommu_group_pasid_allowed(struct iommu_domain *domain, struct iommu_group *group,
				     ioasid_t pasid)
{
	int ret = iommu_group_pasid_in_range(group, pasid);

	if (ret)
		return ret;
	if (group->recovery_cnt && domain->type != IOMMU_DOMAIN_BLOCKED)
		return -EBUSY;
	return 0;
}

/* Under group->mutex: @domain (and @handle) now own @pasid of @group. */
static void iommu_group_pasid_publish(struct iommu_group *group, ioasid_t pasid,
				      struct iommu_domain *domain,
				      struct iommu_attach_handle *handle)
{
	if (handle)
		handle->domain = domain;
	group->pasid_array[pasid] = (struct iommu_pasid_slot){ domain, handle };
	iommu_group_check(group);
}

int iommu_attach_device_pasid(struct iommu_domain *domain, struct device *dev,
			      ioasid_t pasid, struct iommu_attach_handle *handle)
{
	struct iommu_group *group = dev->iommu_group;
	int ret = iommu_pasid_check(domain, dev, pasid);

	if (ret)
		return ret;
	guard(mutex)(&group->mutex);
	ret = iommu_group_pasid_allowed(domain, group, pasid);
	if (ret)
		return ret;
	if (group->pasid_array[pasid].domain)
		return -EBUSY;
	ret = __iommu_set_group_pasid(domain, group, pasid, NULL);
	if (ret)
		return ret;
	iommu_group_pasid_publish(group, pasid, domain, handle);
	return 0;
}

int iommu_replace_device_pasid(struct iommu_domain *domain, struct device *dev,
			       ioasid_t pasid, struct iommu_attach_handle *handle)
{
	struct iommu_group *group = dev->iommu_group;
	struct iommu_domain *curr;
	int ret = iommu_pasid_check(domain, dev, pasid);

	if (ret)
		return ret;
	guard(mutex)(&group->mutex);
	ret = iommu_group_pasid_allowed(domain, group, pasid);
	if (ret)
		return ret;
	curr = group->pasid_array[pasid].domain;
	if (curr != domain) {
		ret = __iommu_set_group_pasid(domain, group, pasid, curr);
		if (ret)
			return ret;
	}
	iommu_group_pasid_publish(group, pasid, domain, handle);
	if (curr != domain)
		iommu_group_after_switch(group, pasid, curr);
	return 0;
}

void iommu_detach_device_pasid(struct iommu_domain *domain, struct device *dev,
			       ioasid_t pasid)
{
	struct iommu_group *group = dev->iommu_group;
	struct group_device *gdev;

	if (!group || pasid == IOMMU_NO_PASID || pasid >= IOMMU_MAX_PASIDS)
		return;
	guard(mutex)(&group->mutex);
	if (WARN_ON(group->pasid_array[pasid].domain != domain))
		return;
	for_each_group_device(group, gdev) {
		/* a blocked device's PASIDs are on the blocking domain already */
		if (gdev->blocked || !gdev->dev->iommu->max_pasids)
			continue;
		iommu_remove_dev_pasid(gdev, pasid, domain);
		/* Before the handle goes: pending faults of the PASID (seed 001) */
		iopf_queue_discard_dev_pasid(gdev->dev, pasid);
	}
	group->pasid_array[pasid] = (struct iommu_pasid_slot){ NULL, NULL };
	iommu_group_check(group);
	iommu_group_after_switch(group, pasid, domain);
}

struct iommu_attach_handle *iommu_attach_handle_get(struct iommu_group *group,
						    ioasid_t pasid)
{
	struct iommu_attach_handle *handle;

	if (!group || pasid >= IOMMU_MAX_PASIDS)
		return ERR_PTR(-ENOENT);
	handle = group->pasid_array[pasid].handle;
	return handle ? handle : ERR_PTR(-ENOENT);
}

/* ---- Map and unmap ---- */

static bool iommu_aligned(unsigned long iova, phys_addr_t paddr, size_t size)
{
	return size && !(iova & (IOMMU_PAGE_SIZE - 1)) && !(paddr & (IOMMU_PAGE_SIZE - 1)) &&
	       !(size & (IOMMU_PAGE_SIZE - 1));
}

/* Paging and SVA domains have page tables the core maps into (the SVA fault handler). */
static bool iommu_domain_maps(const struct iommu_domain *domain)
{
	return domain && (domain->type == IOMMU_DOMAIN_PAGING || domain->type == IOMMU_DOMAIN_SVA);
}

int iommu_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
	      size_t size, int prot, gfp_t gfp)
{
	size_t mapped = 0;
	int ret;

	if (!iommu_domain_maps(domain) || !domain->ops->map_pages)
		return -EINVAL;
	if (!iommu_aligned(iova, paddr, size))
		return -EINVAL;
	might_sleep();
	ret = domain->ops->map_pages(domain, iova, paddr, IOMMU_PAGE_SIZE,
				     size / IOMMU_PAGE_SIZE, prot, gfp, &mapped);
	if (ret && mapped)
		iommu_unmap(domain, iova, mapped);	/* undo the partial mapping */
	return ret;
}

size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct iommu_iotlb_gather gather;
	size_t unmapped;

	if (!iommu_domain_maps(domain) || !domain->ops->unmap_pages)
		return 0;
	if (!iommu_aligned(iova, 0, size)) {
		pr_err("unaligned: iova 0x%lx size 0x%zx", iova, size);
		return 0;
	}
	iommu_iotlb_gather_init(&gather);
	trace_begin("iommu", domain, "iommu_unmap|%s iova %#lx size %#zx", domain->name, iova, size);
	unmapped = domain->ops->unmap_pages(domain, iova, IOMMU_PAGE_SIZE,
					    size / IOMMU_PAGE_SIZE, &gather);
	/* Strict mode: the pages may be reused as soon as this returns */
	if (domain->ops->iotlb_sync)
		domain->ops->iotlb_sync(domain, &gather);
	trace_end("iommu", domain);
	return unmapped;
}
