/* SPDX-License-Identifier: MIT */
/*
 * Private structures of the IOPF core (src/iopf), shared by its files:
 *   iopf_queue.c	queues, fault params, flush and discard
 *   iopf_report.c	iommu_report_device_fault(), groups, responses
 *   iopf_handlers.c	the SVA fault-in handler and the delayed handler
 */
#ifndef IOMMUSIM_IOPF_INTERNAL_H
#define IOMMUSIM_IOPF_INTERNAL_H

#include "iopf/iopf.h"

#include "core/iommu.h"

/**
 * struct iopf_queue - one fault queue (Linux struct iopf_queue).
 * @wq:		the ordered workqueue groups run on.
 * @devices:	fault params of the devices on it.
 * @lock:	guards @devices.
 */
struct iopf_queue {
	struct workqueue_struct *wq;
	struct list_head devices;
	struct mutex lock;
	char name[32];
};

/*
 * A group index cancelled by iopf_queue_discard_dev_pasid() while it was
 * partial: its remaining requests (LAST included) are dropped (discard)
 * or its LAST is answered INVALID without a domain (respond).
 */
struct iopf_cancelled {
	struct list_head list;
	u32 pasid;
	u32 grpid;
	u32 sid;
	bool respond;
};

/**
 * struct iommu_fault_param - per-device fault data (Linux name).
 * @lock:	guards @partial, @faults and @cancelled (a mutex: the
 *		report path runs in IRQ threads, which may sleep).
 * @users:	references: the queue's, plus one per reporter and group.
 * @rcu:	freed after a grace period (lock-free lookup).
 * @dev, @queue, @queue_list: the device and its queue.
 * @partial:	non-LAST requests set aside (struct iopf_fault).
 * @faults:	pending groups (struct iopf_group.pending_node).
 * @cancelled:	struct iopf_cancelled.
 */
struct iommu_fault_param {
	struct mutex lock;
	atomic_t users;
	struct rcu_head rcu;
	struct device *dev;
	struct iopf_queue *queue;
	struct list_head queue_list;
	struct list_head partial;
	struct list_head faults;
	struct list_head cancelled;
};

/* The run's policies. */
struct iopf_config {
	u64 run_id;
	enum pol_iopf_design design;
	enum pol_iopf_drain drain;
	enum pol_iopf_discard discard;
	struct iopf_stats stats;
};

struct iopf_config *iopf_cfg(void);

/* iopf_queue.c */
struct iommu_fault_param *iopf_get_dev_fault_param(struct device *dev);
void iopf_put_dev_fault_param(struct iommu_fault_param *param);

/* iopf_report.c */
void iopf_respond_locked(struct iommu_fault_param *param, struct iopf_group *group,
			 enum iommu_page_response_code code);
void iopf_send_response(struct device *dev, struct iopf_fault *evt,
			enum iommu_page_response_code code, u64 chk_seq);
void iopf_free_fault_list(struct list_head *head);

#endif
