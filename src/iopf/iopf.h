/* SPDX-License-Identifier: MIT */
/*
 * I/O page faults (DESIGN.md section 5, IOPF), after Linux
 * drivers/iommu/io-pgfault.c of the seeds' era and the design proposed in
 * seed 001 (policy iopf_design = linux | group-counter).
 *
 * Who calls what:
 *   IOMMU driver (evtq / priq IRQ threads):
 *	iommu_report_device_fault(dev, evt)   one page request or stall
 *   IOPF core -> domain:
 *	domain->iopf_handler(group)           on the IOPF workqueue
 *   domain's handler -> IOPF core:
 *	iopf_group_response(group, code)      answer the whole group
 *   IOPF core -> driver:
 *	ops->page_response(dev, evt, resp)    PRI_RESP or RESUME
 *   driver attach / PASID paths:
 *	iopf_queue_add_device/remove_device, iopf_queue_flush_dev,
 *	iopf_queue_discard_partial (PRI queue overflow),
 *	iopf_queue_discard_dev_pasid (a PASID is being released)
 *   core, domain free:
 *	iopf_domain_free_wait(domain)         group-counter: wait for its
 *					      pending groups to reach zero
 *
 * Objects:
 *   struct iopf_queue		one per SMMU (per fault source), owns the
 *				workqueue "iopf" groups run on.
 *   struct iommu_fault_param	per device on a queue (dev->iommu->fault_param):
 *				lock, partial (non-LAST) requests, and the
 *				pending groups (faults list).
 *   struct iopf_group		one page request group (PRI) or one stall,
 *				assembled on LAST, with the attach handle and
 *				domain found at report time.
 *
 * Group life cycle (both designs):
 *
 *   report(LAST) --> PENDING --queue_work--> RUNNING --response--> ANSWERED --> freed
 *        |              |                        |
 *        |              '--- discard (iopf_discard=discard): freed unanswered
 *        |              '--- flush/PRI-off (group-counter): answered, NOP
 *        '--- no handle/domain, or allocation failure: answered INVALID at once
 *
 * iopf_group_invariant() checks: a group is on its fault param's list
 * while PENDING/RUNNING (linux: the last fault is on param->faults) and
 * not after; a group-counter group counts once in its domain's pending
 * counter from report to free; an ANSWERED or NOP group sends no response.
 *
 * Locking: fault_param->lock (a mutex) guards the partial list and the
 * pending list; the report path may sleep (IRQ threads do). The
 * group-counter design looks the fault param up without a lock (RCU +
 * refcount) and does the rest under fault_param->lock.
 *
 * Checkers fed from here (observe only): FAULT_WRONG_DOMAIN and
 * PRQ_DOUBLE_RESPONSE (check/fault.h), USE_AFTER_FREE of domains, groups
 * and fault params (kobj_use on every dereference that could be stale).
 */
#ifndef IOMMUSIM_IOPF_IOPF_H
#define IOMMUSIM_IOPF_IOPF_H

#include "kernel/kernel.h"
#include "scenario/policy.h"

struct device;
struct iommu_domain;
struct iommu_attach_handle;

/* Permissions of a page request (Linux IOMMU_FAULT_PERM_*). */
#define IOMMU_FAULT_PERM_READ	(1 << 0)
#define IOMMU_FAULT_PERM_WRITE	(1 << 1)
#define IOMMU_FAULT_PERM_EXEC	(1 << 2)
#define IOMMU_FAULT_PERM_PRIV	(1 << 3)

enum iommu_fault_type {
	IOMMU_FAULT_PAGE_REQ = 1,	/* page request (PRI or stall) */
};

/* struct iommu_fault_page_request.flags (Linux values) */
#define IOMMU_FAULT_PAGE_REQUEST_PASID_VALID	(1 << 0)
#define IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE	(1 << 1)
#define IOMMU_FAULT_PAGE_RESPONSE_NEEDS_PASID	(1 << 3)

/*
 * Where a fault came from, kept in private_data[1] (the model's use of
 * Linux's private_data): the key the checkers know it by.
 */
enum iopf_source {
	IOPF_SRC_STALL = 1,	/* SMMUv3 stall event: grpid is the STAG */
	IOPF_SRC_PRI = 2,	/* PCIe page request: grpid is the PRG index */
};

/**
 * struct iommu_fault_page_request - one page request (Linux layout).
 * @flags:	IOMMU_FAULT_PAGE_REQUEST_*.
 * @pasid:	PASID when PASID_VALID.
 * @grpid:	page request group index (PRI) or STAG (stall).
 * @perm:	IOMMU_FAULT_PERM_*.
 * @addr:	page address, bytes (4 KiB aligned).
 * @private_data: [0] the Stream ID it came from, [1] enum iopf_source.
 */
struct iommu_fault_page_request {
	u32 flags;
	u32 pasid;
	u32 grpid;
	u32 perm;
	u64 addr;
	u64 private_data[2];
};

struct iommu_fault {
	u32 type;
	struct iommu_fault_page_request prm;
};

enum iommu_page_response_code {
	IOMMU_PAGE_RESP_SUCCESS = 0,
	IOMMU_PAGE_RESP_INVALID,
	IOMMU_PAGE_RESP_FAILURE,
};

/**
 * struct iommu_page_response - what the driver sends back.
 * @pasid:	PASID of the group (meaningful with NEEDS_PASID).
 * @grpid:	the group's index (PRG index or STAG).
 * @code:	enum iommu_page_response_code.
 */
struct iommu_page_response {
	u32 pasid;
	u32 grpid;
	u32 code;
};

/** struct iopf_fault - one reported fault, on a group or the partial list. */
struct iopf_fault {
	struct iommu_fault fault;
	struct list_head list;
};

struct iommu_fault_param;
struct iopf_queue;

/* Group states of the drawing above. */
enum iopf_group_state {
	IOPF_GROUP_PENDING,
	IOPF_GROUP_RUNNING,
	IOPF_GROUP_ANSWERED,
	IOPF_GROUP_NOP,		/* group-counter: answered by a flush */
};

/**
 * struct iopf_group - one group, delivered to a domain's handler.
 * @last_fault:	the LAST request (its grpid/pasid name the group).
 * @faults:	every request of the group, LAST included.
 * @fault_count: their number.
 * @pending_node: on fault_param->faults (group-counter: the group list).
 * @work:	IOPF workqueue item running the handler.
 * @attach_handle: handle found at report time; @domain its domain then.
 * @fault_param: the device's fault param (a reference is held).
 * @state:	enum iopf_group_state.
 * @chk_seq:	checker token of the group (check/fault.h), observe only.
 */
struct iopf_group {
	struct iopf_fault last_fault;
	struct list_head faults;
	size_t fault_count;
	struct list_head pending_node;
	struct work_struct work;
	struct iommu_attach_handle *attach_handle;
	struct iommu_domain *domain;
	struct iommu_fault_param *fault_param;
	enum iopf_group_state state;
	u64 chk_seq;
};

/**
 * iopf_configure() - the run's IOPF policies.  Without a call a run uses
 * linux / ordered / respond.  State lives with the current simulator.
 * Context: set-up, before any queue is allocated.
 */
void iopf_configure(enum pol_iopf_design design, enum pol_iopf_drain drain,
		    enum pol_iopf_discard discard);

/** iopf_drain_policy() - the iopf_drain policy in force (drivers read it). */
enum pol_iopf_drain iopf_drain_policy(void);

/** iopf_design_policy() - the iopf_design policy in force. */
enum pol_iopf_design iopf_design_policy(void);

/**
 * iopf_queue_alloc() - a fault queue with its own ordered workqueue.
 * @name:	workqueue name ("smmu0-iopf").
 * Return: the queue or NULL (-ENOMEM).  Context: task, may sleep.
 * Models Linux iopf_queue_alloc().
 */
struct iopf_queue *iopf_queue_alloc(const char *name);

/**
 * iopf_queue_free() - free a queue with no device left on it (WARN and
 * remove them otherwise).  Context: task, may sleep.
 */
void iopf_queue_free(struct iopf_queue *queue);

/**
 * iopf_queue_add_device() - start taking faults of @dev on @queue:
 * allocates its fault param (refcount 1).
 * Return: 0; -EBUSY when @dev is already on a queue; -ENOMEM.
 * Context: task, may sleep (takes queue->lock then param->lock).
 * Models Linux iopf_queue_add_device().
 */
int iopf_queue_add_device(struct iopf_queue *queue, struct device *dev);

/**
 * iopf_queue_remove_device() - stop taking faults of @dev: every partial
 * request and pending group is answered INVALID (linux: the Linux-era code
 * responds to pending faults), the fault param is unpublished and its
 * reference dropped (freed after RCU when the last user goes).
 * The caller has stopped the hardware from reporting for @dev (PRI off or
 * stall disabled) and flushed its IRQ threads.
 * Context: task, may sleep.
 */
void iopf_queue_remove_device(struct iopf_queue *queue, struct device *dev);

/**
 * iopf_queue_flush_dev() - wait until every group of @dev queued so far
 * has run its handler (flush_workqueue of its queue).
 * Return: 0, -ENODEV when @dev is not on a queue.
 * Context: task, may sleep; not from the IOPF workqueue.
 * Models Linux iopf_queue_flush_dev() (the bare call seed 000's patch adds).
 */
int iopf_queue_flush_dev(struct device *dev);

/**
 * iopf_queue_discard_partial() - drop every partial (non-LAST) request of
 * every device on @queue: the PRI queue overflowed, and a lost request
 * may have been a LAST (Linux calls it from the PRI queue overflow path).
 * Return: 0.  Context: task, may sleep.
 */
int iopf_queue_discard_partial(struct iopf_queue *queue);

/**
 * iopf_queue_discard_dev_pasid() - @pasid of @dev is being released:
 * policy iopf_discard = respond answers every partial request and pending
 * group of that PASID (INVALID) so the device restarts; discard drops
 * them unanswered (the patch seed 001 objects to: the device waits).
 * Return: 0, -ENODEV when @dev is not on a queue.
 * Context: task, may sleep.
 */
int iopf_queue_discard_dev_pasid(struct device *dev, ioasid_t pasid);

/**
 * iommu_report_device_fault() - the one entry of a fault into the core.
 * @dev:	the device (found by the driver from the SID).
 * @evt:	the request; copied, the caller keeps its buffer.
 * A non-LAST request is set aside on the partial list.  A LAST request
 * assembles its group with the partials of the same grpid (and PASID),
 * finds the attach handle of its PASID (or the RID's) and the domain,
 * and queues the group to the domain's handler.  On any failure (no
 * fault param, no handle, no handler, allocation failure) a LAST request
 * is answered INVALID at once through ops->page_response (Linux
 * iopf_error_response()); a failed non-LAST request is dropped.
 * Context: task (the driver's IRQ thread), may sleep.
 */
void iommu_report_device_fault(struct device *dev, struct iopf_fault *evt);

/**
 * iopf_group_response() - answer @group with @code (enum
 * iommu_page_response_code): ops->page_response for its LAST request,
 * unless the group is already answered or marked NOP (then nothing is
 * sent).  linux: the response is matched to a pending fault by linear
 * search of param->faults (grpid, pasid); a group no longer listed (a
 * discard took it) sends nothing.  group-counter: by handle.
 * Context: task (the handler), may sleep.
 */
void iopf_group_response(struct iopf_group *group,
			 enum iommu_page_response_code code);

/**
 * iopf_free_group() - free @group and its faults, drop its references
 * (and, group-counter, its domain's pending count).  Context: task.
 */
void iopf_free_group(struct iopf_group *group);

/**
 * iopf_domain_init() / iopf_domain_free_wait() - the per-domain pending
 * counter of the group-counter design: free waits for it to reach zero
 * (seed 001: "When freeing a domain wait for the per-domain counter to go
 * to zero").  Under linux both do nothing.  Context: task, may sleep.
 */
void iopf_domain_free_wait(struct iommu_domain *domain);

/**
 * iopf_pri_disable_flush() - PRI is being turned off for @dev (seed 001):
 * group-counter: with fault_param->lock held answer every pending group
 * (INVALID) and mark it NOP, drop the partials; linux: flush the
 * workqueue and answer the pending faults.  The caller has attached a
 * non-PRI domain and fenced the hardware's queues first, and disables PRI
 * after this returns (having fenced queued responses by a CMD_SYNC).
 * Context: task, may sleep.
 */
void iopf_pri_disable_flush(struct device *dev);

/**
 * iopf_domain_change_flush() - @old stops being attached to @dev (or a
 * PASID of it): group-counter answers and marks NOP every pending group
 * of @dev on @old (the "light flush" of seed 001); linux: nothing.
 * Context: task, may sleep.
 */
void iopf_domain_change_flush(struct device *dev, struct iommu_domain *old);

/**
 * iopf_after_switch() - the core switched (@dev, @pasid) away from @old
 * (replace or detach; the attach handle already names the new domain):
 * the post-switch half of the drain designs.  iopf_drain=ordered: the
 * driver's drain_faults (CMD_SYNC, consume the event and PRI queues, wait
 * for the IRQ threads) then iopf_queue_flush_dev(); group-counter also
 * answers and marks NOP the pending groups on @old.  Records the switch
 * for FAULT_WRONG_DOMAIN.  Context: task, group->mutex held, may sleep.
 */
void iopf_after_switch(struct device *dev, ioasid_t pasid, struct iommu_domain *old);

/** iopf_group_invariant() - check the drawing's rules for @group (WARN). */
void iopf_group_invariant(const struct iopf_group *group);

/* Counters of the run, for reports and benchmarks. */
struct iopf_stats {
	u64 reported;		/* iommu_report_device_fault() calls */
	u64 partial;		/* requests set aside */
	u64 groups;		/* groups delivered to a handler */
	u64 responses;		/* responses sent */
	u64 error_responses;	/* answered INVALID with no handler/domain */
	u64 discarded;		/* groups or requests dropped unanswered */
	u64 nop;		/* group-counter: groups answered by a flush */
	u64 faulted_in;		/* SVA pages mapped by the handler */
};

/** iopf_get_stats() - the run's counters. */
const struct iopf_stats *iopf_get_stats(void);

/*
 * Fault handlers (iopf_handlers.c); each answers the group with
 * iopf_group_response() and returns 0.
 *
 * iommu_sva_iopf_handler(): for an SVA domain: every request inside the
 * domain's mm is served by mapping a page (domain->mm.alloc_page gives
 * it; already mapped is a success), then SUCCESS; a request outside the
 * mm, or a failed allocation or map, answers INVALID.  Models Linux
 * iommu_sva_handle_iopf() / handle_mm_fault().
 *
 * iopf_delay_handler(): sleeps domain->fault_data's delay (struct
 * iopf_delay) then answers its code, so fault handling overlaps domain
 * changes.
 */
int iommu_sva_iopf_handler(struct iopf_group *group);
int iopf_delay_handler(struct iopf_group *group);

/**
 * struct iopf_delay - fault_data of iopf_delay_handler(): sleep @delay ns,
 * then answer @code, or hand the group to @then (the SVA handler, say)
 * when set.
 */
struct iopf_delay {
	u64 delay;
	enum iommu_page_response_code code;
	int (*then)(struct iopf_group *group);
};

#endif /* IOMMUSIM_IOPF_IOPF_H */
