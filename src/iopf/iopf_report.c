// SPDX-License-Identifier: MIT
/*
 * iommu_report_device_fault(): partial requests, group assembly, delivery
 * to the domain's handler on the IOPF workqueue, and responses.  See the
 * drawing in iopf.h.
 *
 * The two designs (policy iopf_design):
 *   linux:	the Linux code of the seeds' era: the fault is copied twice
 *		(evt, then group), the group is listed by its LAST fault on
 *		param->faults, and a response is matched to a pending fault by
 *		linear search of that list on (PASID, group index); a group no
 *		longer listed (a discard took it) sends nothing.
 *   group-counter: seed 001: allocation first, then everything under
 *		param->lock; the group itself is listed and answered by
 *		handle; each group counts on its domain's iopf_pending from
 *		report to free, which domain free waits on; a flush answers a
 *		group and marks it NOP so the handler's later answer is
 *		dropped.
 */
#include "iopf/iopf_internal.h"

#include "check/fault.h"

/* The source-key of a fault for the checkers. */
static unsigned int iopf_src(const struct iopf_fault *f)
{
	return (unsigned int)f->fault.prm.private_data[1];
}

static u32 iopf_sid(const struct iopf_fault *f)
{
	return (u32)f->fault.prm.private_data[0];
}

void iopf_free_fault_list(struct list_head *head)
{
	struct iopf_fault *f, *next;

	list_for_each_entry_safe(f, next, head, list) {
		list_del(&f->list);
		kfree(f);
	}
}

/**
 * iopf_send_response() - ops->page_response for the LAST request @evt.
 * @chk_seq: the checker token (0: not known).  Context: task.
 */
void iopf_send_response(struct device *dev, struct iopf_fault *evt,
			enum iommu_page_response_code code, u64 chk_seq)
{
	const struct iommu_ops *ops = dev->iommu ? dev->iommu->fwspec.ops : NULL;
	struct iommu_fault_page_request *prm = &evt->fault.prm;
	struct iommu_page_response resp = {
		.pasid = prm->pasid, .grpid = prm->grpid, .code = code,
	};

	if (!ops || !ops->page_response)
		return;
	if (!chk_seq)
		chk_seq = fault_chk_report(iopf_src(evt), iopf_sid(evt), prm->grpid, NULL);
	fault_chk_respond(chk_seq);
	iopf_cfg()->stats.responses++;
	ops->page_response(dev, evt, &resp);
}

/* Linux iopf_error_response(): no handler; answer a LAST request INVALID. */
static void iopf_error_response(struct device *dev, struct iopf_fault *evt)
{
	if (!(evt->fault.prm.flags & IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE))
		return;
	iopf_cfg()->stats.error_responses++;
	iopf_send_response(dev, evt, IOMMU_PAGE_RESP_INVALID, 0);
}

static void iopf_respond_as(struct iommu_fault_param *param, struct iopf_group *group,
			    enum iommu_page_response_code code, u64 meant_seq);

/**
 * iopf_respond_locked() - answer @group with @code and unlist it, unless
 * it is answered or NOP already.  Caller holds param->lock.
 */
void iopf_respond_locked(struct iommu_fault_param *param, struct iopf_group *group,
			 enum iommu_page_response_code code)
{
	iopf_respond_as(param, group, code, group->chk_seq);
}

/*
 * Answer @group, for the fault the responder meant (@meant_seq: the
 * checker token of the group whose handler answers).  They differ when a
 * linear search matched a newer group that reuses the index.
 */
static void iopf_respond_as(struct iommu_fault_param *param, struct iopf_group *group,
			    enum iommu_page_response_code code, u64 meant_seq)
{
	lockdep_assert_held(&param->lock);
	if (group->state == IOPF_GROUP_ANSWERED || group->state == IOPF_GROUP_NOP)
		return;
	iopf_send_response(param->dev, &group->last_fault, code, meant_seq);
	group->state = IOPF_GROUP_ANSWERED;
	list_del_init(&group->pending_node);
}

/* linux: the pending group whose LAST fault matches (PASID, group index). */
static struct iopf_group *iopf_find_pending(struct iommu_fault_param *param,
					    const struct iopf_fault *last)
{
	struct iopf_group *g;

	list_for_each_entry(g, &param->faults, pending_node)
		if (g->last_fault.fault.prm.grpid == last->fault.prm.grpid &&
		    g->last_fault.fault.prm.pasid == last->fault.prm.pasid)
			return g;
	return NULL;
}

void iopf_group_response(struct iopf_group *group, enum iommu_page_response_code code)
{
	struct iommu_fault_param *param = kobj_use(group, "iopf_group (response)")->fault_param;
	struct iopf_group *found;

	guard(mutex)(&kobj_use(param, "fault_param (response)")->lock);
	if (iopf_cfg()->design == POL_IOPF_DESIGN_GROUP_COUNTER) {
		iopf_respond_locked(param, group, code);
		return;
	}
	/* Linux-era iommu_page_response(): a linear search of the list */
	found = iopf_find_pending(param, &group->last_fault);
	if (!found) {
		dev_warn_ratelimited(param->dev, "no pending PRQ for grpid %#x, response dropped",
				     group->last_fault.fault.prm.grpid);
		return;
	}
	iopf_respond_as(param, found, code, group->chk_seq);
}

void iopf_free_group(struct iopf_group *group)
{
	struct iommu_fault_param *param = group->fault_param;
	struct iommu_domain *domain = group->domain;

	iopf_group_invariant(group);
	iopf_free_fault_list(&group->faults);
	if (iopf_cfg()->design == POL_IOPF_DESIGN_GROUP_COUNTER && domain &&
	    atomic_dec_and_test(&kobj_use(domain, "domain->iopf_pending (group free)")->iopf_pending))
		wake_up_all(&domain->iopf_wq);
	kfree(group);
	iopf_put_dev_fault_param(param);
}

void iopf_group_invariant(const struct iopf_group *group)
{
	bool listed = !list_empty(&group->pending_node);

	switch (group->state) {
	case IOPF_GROUP_PENDING:
	case IOPF_GROUP_RUNNING:
		/* linux: a discard may have unlisted it (its answer is then lost) */
		WARN_ON(!listed && iopf_cfg()->design == POL_IOPF_DESIGN_GROUP_COUNTER);
		break;
	case IOPF_GROUP_ANSWERED:
	case IOPF_GROUP_NOP:
		WARN_ON(listed);
		break;
	}
	WARN_ON(group->fault_count < 1);
}

/* The workqueue body: the domain's handler answers the group. */
static void iopf_handler_work(struct work_struct *work)
{
	struct iopf_group *group = container_of(work, struct iopf_group, work);
	struct iommu_domain *domain;

	group = kobj_use(group, "iopf_group (work)");
	if (group->state == IOPF_GROUP_NOP) {
		iopf_free_group(group);
		return;
	}
	/* Linux iopf_handler(): group->attach_handle->domain->iopf_handler */
	domain = kobj_use(group->attach_handle, "attach_handle (iopf work)")->domain;
	domain = kobj_use(domain, "iommu_domain (iopf work)");
	group->state = IOPF_GROUP_RUNNING;
	fault_chk_handled(group->chk_seq, domain);
	iopf_cfg()->stats.groups++;
	if (domain->iopf_handler(group))
		iopf_group_response(group, IOMMU_PAGE_RESP_INVALID);
	iopf_free_group(group);
}

/* Is (PASID, group index) of @f cancelled?  Then drop or answer it. */
static bool iopf_cancelled_take(struct iommu_fault_param *param, struct iopf_fault *f)
{
	struct iopf_cancelled *c;
	const struct iommu_fault_page_request *prm = &f->fault.prm;

	lockdep_assert_held(&param->lock);
	list_for_each_entry(c, &param->cancelled, list) {
		if (c->pasid != prm->pasid || c->grpid != prm->grpid || c->sid != iopf_sid(f))
			continue;
		if (!(prm->flags & IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE))
			return true;	/* the rest of a cancelled group */
		if (c->respond)
			iopf_error_response(param->dev, f);
		else
			iopf_cfg()->stats.discarded++;
		list_del(&c->list);
		kfree(c);
		return true;
	}
	return false;
}

/* Set a non-LAST request aside (Linux report_partial_fault()). */
static int iopf_add_partial(struct iommu_fault_param *param, struct iopf_fault *f)
{
	struct iopf_fault *copy = kzalloc(sizeof(*copy), GFP_KERNEL);

	if (!copy)
		return -ENOMEM;
	copy->fault = f->fault;
	guard(mutex)(&param->lock);
	if (iopf_cancelled_take(param, copy)) {
		kfree(copy);
		return 0;
	}
	list_add_tail(&copy->list, &param->partial);
	iopf_cfg()->stats.partial++;
	return 0;
}

/* Move the partial requests of @group's index onto it (param->lock held). */
static void iopf_collect_partials(struct iommu_fault_param *param, struct iopf_group *group)
{
	struct iopf_fault *f, *next;
	const struct iommu_fault_page_request *last = &group->last_fault.fault.prm;

	list_for_each_entry_safe(f, next, &param->partial, list) {
		if (f->fault.prm.grpid != last->grpid || f->fault.prm.pasid != last->pasid ||
		    f->fault.prm.private_data[0] != last->private_data[0])
			continue;
		list_move_tail(&f->list, &group->faults);
		group->fault_count++;
	}
}

/* The attach handle of the fault's PASID (or the RID), or an ERR_PTR. */
static struct iommu_attach_handle *iopf_find_handle(struct device *dev,
						    const struct iopf_fault *f)
{
	const struct iommu_fault_page_request *prm = &f->fault.prm;
	ioasid_t pasid = prm->flags & IOMMU_FAULT_PAGE_REQUEST_PASID_VALID ?
			 prm->pasid : IOMMU_NO_PASID;

	return iommu_attach_handle_get(READ_ONCE(dev->iommu_group), pasid);
}

/* Allocate a group for LAST request @f; the last fault is its first entry. */
static struct iopf_group *iopf_group_alloc(struct iommu_fault_param *param,
					   const struct iopf_fault *f)
{
	struct iopf_group *group = kzalloc(sizeof(*group), GFP_KERNEL);
	struct iopf_fault *copy;

	if (!group)
		return NULL;
	copy = kzalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy) {
		kfree(group);
		return NULL;
	}
	group->last_fault.fault = f->fault;
	copy->fault = f->fault;
	INIT_LIST_HEAD(&group->faults);
	INIT_LIST_HEAD(&group->pending_node);
	list_add_tail(&copy->list, &group->faults);
	group->fault_count = 1;
	group->fault_param = param;
	group->state = IOPF_GROUP_PENDING;
	INIT_WORK(&group->work, iopf_handler_work);
	return group;
}

/*
 * Under param->lock: assemble, find the domain, count, list, queue.
 * Return: 0 when queued; -errno when the caller answers (and frees).
 */
static int iopf_group_deliver(struct iommu_fault_param *param, struct iopf_group *group)
{
	struct device *dev = param->dev;
	struct iommu_attach_handle *handle;
	struct iommu_domain *domain;
	const struct iommu_fault_page_request *prm = &group->last_fault.fault.prm;

	guard(mutex)(&param->lock);
	if (iopf_cancelled_take(param, &group->last_fault))
		return -ECANCELED;
	iopf_collect_partials(param, group);
	handle = iopf_find_handle(dev, &group->last_fault);
	if (IS_ERR(handle))
		return PTR_ERR(handle);
	domain = kobj_use(handle, "attach_handle (fault report)")->domain;
	if (!domain || !kobj_use(domain, "iommu_domain (fault report)")->iopf_handler)
		return -ENODEV;
	group->attach_handle = handle;
	group->domain = domain;
	group->chk_seq = fault_chk_report(iopf_src(&group->last_fault),
					  iopf_sid(&group->last_fault), prm->grpid, domain);
	if (iopf_cfg()->design == POL_IOPF_DESIGN_GROUP_COUNTER)
		atomic_inc(&domain->iopf_pending);
	list_add_tail(&group->pending_node, &param->faults);
	atomic_inc(&param->users);		/* the group's reference */
	queue_work(param->queue->wq, &group->work);
	return 0;
}

void iommu_report_device_fault(struct device *dev, struct iopf_fault *evt)
{
	struct iommu_fault_param *param;
	struct iopf_group *group;
	int ret;

	iopf_cfg()->stats.reported++;
	param = iopf_get_dev_fault_param(dev);
	if (!param) {
		iopf_error_response(dev, evt);
		return;
	}
	if (!(evt->fault.prm.flags & IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE)) {
		iopf_add_partial(param, evt);
		iopf_put_dev_fault_param(param);
		return;
	}
	/* Allocation first, outside the lock (seed 001 step 1) */
	group = iopf_group_alloc(param, evt);
	if (!group) {
		iopf_error_response(dev, evt);
		iopf_put_dev_fault_param(param);
		return;
	}
	ret = iopf_group_deliver(param, group);
	if (ret) {
		if (ret != -ECANCELED)
			iopf_error_response(dev, evt);
		iopf_free_fault_list(&group->faults);
		kfree(group);
	}
	iopf_put_dev_fault_param(param);
}
