// SPDX-License-Identifier: MIT
/*
 * IOPF queues and per-device fault params, and the flushes and discards
 * that fence faults against domain changes, PASID release and PRI-off
 * (seeds 000 and 001).  See iopf.h.
 */
#include "iopf/iopf_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "check/fault.h"

static __thread struct iopf_config *iopf_cur;

static void iopf_cfg_free(struct sim *s, void *arg)
{
	(void)s;
	if (iopf_cur == arg)
		iopf_cur = NULL;
	free(arg);
}

struct iopf_config *iopf_cfg(void)
{
	struct sim *s = sim_cur;
	struct iopf_config *c = iopf_cur;

	if (c && c->run_id == s->run_id)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c || sim_at_destroy(s, iopf_cfg_free, c))
		abort();
	c->run_id = s->run_id;
	c->design = POL_IOPF_DESIGN_LINUX;
	c->drain = POL_IOPF_DRAIN_ORDERED;
	c->discard = POL_IOPF_DISCARD_RESPOND;
	iopf_cur = c;
	return c;
}

void iopf_configure(enum pol_iopf_design design, enum pol_iopf_drain drain,
		    enum pol_iopf_discard discard)
{
	struct iopf_config *c = iopf_cfg();

	c->design = design;
	c->drain = drain;
	c->discard = discard;
}

enum pol_iopf_drain iopf_drain_policy(void)
{
	return iopf_cfg()->drain;
}

enum pol_iopf_design iopf_design_policy(void)
{
	return iopf_cfg()->design;
}

const struct iopf_stats *iopf_get_stats(void)
{
	return &iopf_cfg()->stats;
}

/* ---- Queues ---- */

struct iopf_queue *iopf_queue_alloc(const char *name)
{
	struct iopf_queue *queue = kzalloc(sizeof(*queue), GFP_KERNEL);

	if (!queue)
		return NULL;
	snprintf(queue->name, sizeof(queue->name), "%s", name);
	/* Ordered: groups of one queue are handled one at a time, in order */
	queue->wq = alloc_ordered_workqueue("%s", 0, queue->name);
	if (!queue->wq) {
		kfree(queue);
		return NULL;
	}
	INIT_LIST_HEAD(&queue->devices);
	mutex_init(&queue->lock);
	return queue;
}

void iopf_queue_free(struct iopf_queue *queue)
{
	struct iommu_fault_param *param, *next;

	if (!queue)
		return;
	list_for_each_entry_safe(param, next, &queue->devices, queue_list)
		iopf_queue_remove_device(queue, param->dev);
	destroy_workqueue(queue->wq);
	kfree(queue);
}

/* ---- Fault params ---- */

static void iopf_fault_param_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct iommu_fault_param, rcu));
}

/**
 * iopf_get_dev_fault_param() - a reference on @dev's fault param, or NULL.
 * Lock-free: RCU and a refcount that never rises from zero (seed 001,
 * step 2: "This is fast path now. Use a refcount ... and RCU free").
 */
struct iommu_fault_param *iopf_get_dev_fault_param(struct device *dev)
{
	struct dev_iommu *param = READ_ONCE(dev->iommu);
	struct iommu_fault_param *fp;

	if (!param)
		return NULL;
	rcu_read_lock();
	fp = rcu_dereference(kobj_use(param, "dev->iommu (fault report)")->fault_param);
	if (fp && !atomic_inc_not_zero(&kobj_use(fp, "fault_param (get)")->users))
		fp = NULL;
	rcu_read_unlock();
	return fp;
}

/** iopf_put_dev_fault_param() - drop a reference; the last frees after RCU. */
void iopf_put_dev_fault_param(struct iommu_fault_param *param)
{
	if (atomic_dec_and_test(&kobj_use(param, "fault_param (put)")->users))
		call_rcu(&param->rcu, iopf_fault_param_free_rcu);
}

int iopf_queue_add_device(struct iopf_queue *queue, struct device *dev)
{
	struct dev_iommu *param = dev->iommu;
	struct iommu_fault_param *fp;

	if (!param)
		return -ENODEV;
	fp = kzalloc(sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	mutex_init(&fp->lock);
	INIT_LIST_HEAD(&fp->partial);
	INIT_LIST_HEAD(&fp->faults);
	INIT_LIST_HEAD(&fp->cancelled);
	atomic_set(&fp->users, 1);
	fp->dev = dev;
	fp->queue = queue;

	guard(mutex)(&queue->lock);
	if (param->fault_param) {
		kfree(fp);
		return -EBUSY;
	}
	list_add(&fp->queue_list, &queue->devices);
	rcu_assign_pointer(param->fault_param, fp);
	return 0;
}

static void iopf_free_cancelled(struct iommu_fault_param *fp)
{
	struct iopf_cancelled *c, *next;

	list_for_each_entry_safe(c, next, &fp->cancelled, list) {
		list_del(&c->list);
		kfree(c);
	}
}

/* Answer every pending group of @fp with @code (param->lock held). */
static void iopf_answer_pending_locked(struct iommu_fault_param *fp,
				       enum iommu_page_response_code code)
{
	struct iopf_group *group, *next;

	lockdep_assert_held(&fp->lock);
	list_for_each_entry_safe(group, next, &fp->faults, pending_node)
		iopf_respond_locked(fp, group, code);
}

void iopf_queue_remove_device(struct iopf_queue *queue, struct device *dev)
{
	struct iommu_fault_param *fp;

	mutex_lock(&queue->lock);
	fp = dev->iommu ? rcu_dereference_protected(dev->iommu->fault_param, 1) : NULL;
	if (WARN_ON(!fp || fp->queue != queue)) {
		mutex_unlock(&queue->lock);
		return;
	}
	mutex_lock(&fp->lock);
	iopf_free_fault_list(&fp->partial);
	/* Answer what is still pending: the device must not wait forever */
	iopf_answer_pending_locked(fp, IOMMU_PAGE_RESP_INVALID);
	iopf_free_cancelled(fp);
	mutex_unlock(&fp->lock);
	list_del(&fp->queue_list);
	rcu_assign_pointer(dev->iommu->fault_param, NULL);
	mutex_unlock(&queue->lock);
	iopf_put_dev_fault_param(fp);
}

int iopf_queue_flush_dev(struct device *dev)
{
	struct iommu_fault_param *fp = iopf_get_dev_fault_param(dev);

	if (!fp)
		return -ENODEV;
	flush_workqueue(fp->queue->wq);
	iopf_put_dev_fault_param(fp);
	return 0;
}

int iopf_queue_discard_partial(struct iopf_queue *queue)
{
	struct iommu_fault_param *fp;

	guard(mutex)(&queue->lock);
	list_for_each_entry(fp, &queue->devices, queue_list) {
		guard(mutex)(&fp->lock);
		iopf_free_fault_list(&fp->partial);
	}
	return 0;
}

/* Cancel the partial requests of @pasid: remember each group index once. */
static void iopf_cancel_partial(struct iommu_fault_param *fp, ioasid_t pasid, bool respond)
{
	struct iopf_fault *f, *next;
	struct iopf_cancelled *c;

	lockdep_assert_held(&fp->lock);
	list_for_each_entry_safe(f, next, &fp->partial, list) {
		if (f->fault.prm.pasid != pasid)
			continue;
		list_del(&f->list);
		list_for_each_entry(c, &fp->cancelled, list)
			if (c->pasid == pasid && c->grpid == f->fault.prm.grpid)
				goto free;
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (c) {
			c->pasid = pasid;
			c->grpid = f->fault.prm.grpid;
			c->sid = (u32)f->fault.prm.private_data[0];
			c->respond = respond;
			list_add_tail(&c->list, &fp->cancelled);
		}
free:
		iopf_cfg()->stats.discarded++;
		kfree(f);
	}
}

int iopf_queue_discard_dev_pasid(struct device *dev, ioasid_t pasid)
{
	struct iommu_fault_param *fp = iopf_get_dev_fault_param(dev);
	bool respond = iopf_cfg()->discard == POL_IOPF_DISCARD_RESPOND;
	struct iopf_group *group, *next;

	if (!fp)
		return -ENODEV;
	/* The patch of seed 001: a naked flush first */
	flush_workqueue(fp->queue->wq);
	mutex_lock(&fp->lock);
	iopf_cancel_partial(fp, pasid, respond);
	list_for_each_entry_safe(group, next, &fp->faults, pending_node) {
		if (group->last_fault.fault.prm.pasid != pasid)
			continue;
		if (respond) {
			iopf_respond_locked(fp, group, IOMMU_PAGE_RESP_INVALID);
		} else {
			/* Unlisted: the handler's response will find nothing */
			list_del_init(&group->pending_node);
			iopf_cfg()->stats.discarded++;
		}
	}
	mutex_unlock(&fp->lock);
	iopf_put_dev_fault_param(fp);
	return 0;
}

/* group-counter: answer (SUCCESS: restart) and NOP every pending group of @fp matching @old (NULL: all). */
static void iopf_nop_groups(struct iommu_fault_param *fp, struct iommu_domain *old)
{
	struct iopf_group *group, *next;

	guard(mutex)(&fp->lock);
	list_for_each_entry_safe(group, next, &fp->faults, pending_node) {
		if (old && group->domain != old)
			continue;
		iopf_respond_locked(fp, group, IOMMU_PAGE_RESP_SUCCESS);
		group->state = IOPF_GROUP_NOP;
		iopf_cfg()->stats.nop++;
	}
	if (!old)
		iopf_free_fault_list(&fp->partial);
}

void iopf_pri_disable_flush(struct device *dev)
{
	struct iommu_fault_param *fp = iopf_get_dev_fault_param(dev);

	if (!fp)
		return;
	if (iopf_cfg()->design == POL_IOPF_DESIGN_GROUP_COUNTER) {
		iopf_nop_groups(fp, NULL);
	} else {
		flush_workqueue(fp->queue->wq);
		mutex_lock(&fp->lock);
		iopf_free_fault_list(&fp->partial);
		iopf_answer_pending_locked(fp, IOMMU_PAGE_RESP_INVALID);
		mutex_unlock(&fp->lock);
	}
	iopf_put_dev_fault_param(fp);
}

void iopf_domain_change_flush(struct device *dev, struct iommu_domain *old)
{
	struct iommu_fault_param *fp;

	if (iopf_cfg()->design != POL_IOPF_DESIGN_GROUP_COUNTER || !old)
		return;
	fp = iopf_get_dev_fault_param(dev);
	if (!fp)
		return;
	iopf_nop_groups(fp, old);
	iopf_put_dev_fault_param(fp);
}

void iopf_after_switch(struct device *dev, ioasid_t pasid, struct iommu_domain *old)
{
	const struct iommu_ops *ops;

	if (!old || !dev->iommu)
		return;
	fault_chk_detached(dev, pasid, old);
	if (!old->iopf_handler || !rcu_access_pointer(dev->iommu->fault_param))
		return;
	if (iopf_cfg()->drain == POL_IOPF_DRAIN_ORDERED) {
		ops = dev->iommu->fwspec.ops;
		if (ops && ops->drain_faults)
			ops->drain_faults(dev);
		iopf_domain_change_flush(dev, old);
		iopf_queue_flush_dev(dev);
	} else {
		iopf_domain_change_flush(dev, old);
	}
}

void iopf_domain_free_wait(struct iommu_domain *domain)
{
	if (iopf_cfg()->design != POL_IOPF_DESIGN_GROUP_COUNTER || !domain->iopf_handler)
		return;
	wait_event(&domain->iopf_wq, !atomic_read(&domain->iopf_pending));
}
