// SPDX-License-Identifier: MIT
/*
 * PCIe endpoint: the Address Translation Cache and ATS Invalidation
 * Requests (PCIe 10.2.3 ATC, 10.3 invalidation).
 *
 * The ATC holds atc_entries translations of one 4 KiB page each, keyed by
 * page and PASID, replaced least-recently-used first.
 *
 * Invalidation Requests wait in a queue of inv_queue_depth slots (the
 * capability's Invalidate Queue Depth) and are answered by the endpoint's
 * invalidation task in the order of their answer times.  How a request is
 * answered is fixed by the atc_inv knob in force when it arrives.  An
 * honest answer first waits for the translated requests in flight (so no
 * access through an old translation reaches memory after the completion,
 * PCIe 10.3.1), then removes the covered entries, then sends one
 * Invalidation Completion with ITag vector 1 << ITag and Completion
 * Count 1.
 *
 * Range and PASID rules: the request covers 2^size_log2 pages from its
 * address (everything from 52 up).  Without a PASID prefix it removes
 * every entry in range whatever its PASID (Linux's arm-smmu-v3 relies on
 * this: "there is no way to invalidate only entries without PASID"); with
 * one it removes that PASID's entries, or every PASID's when Global
 * Invalidate is set.
 */
#include "hw/pcie/pcie_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void inv_task(void *arg);

/**
 * pcie_atc_init() - allocate the ATC (atc_entries entries) when ATS is present.
 * Return: 0 or -ENOMEM.
 */
int pcie_atc_init(struct pcie_ep *ep)
{
	if (!ep->cfg.ats)
		return 0;
	ep->atc = calloc(ep->cfg.atc_entries, sizeof(*ep->atc));
	return ep->atc ? 0 : -ENOMEM;
}

/**
 * pcie_inv_task_start() - start the invalidation task ("<name>.inv", a
 * daemon hardware task) when ATS is present.
 * Return: 0 or -ENOMEM.  Context: set-up or task.
 */
int pcie_inv_task_start(struct pcie_ep *ep)
{
	char name[SIM_NAME_LEN];

	if (!ep->cfg.ats)
		return 0;
	snprintf(name, sizeof(name), "%.27s.inv", ep->name);
	ep->inv_task = sim_task_create(ep->sim, name, SIM_TASK_HW, -1, true, inv_task, ep);
	trace_task_actor(ep->inv_task, ep->name);
	return ep->inv_task ? 0 : -ENOMEM;
}

static bool atc_match(const struct pcie_atc_entry *e, uint64_t page,
		      bool pasid_valid, uint32_t pasid)
{
	return e->valid && e->x.iova == page && e->pasid_valid == pasid_valid &&
	       (!pasid_valid || e->pasid == pasid);
}

/**
 * pcie_atc_find() - the valid entry for @page (4 KiB aligned) and PASID,
 * or NULL.  Does not touch the LRU order.
 */
struct pcie_atc_entry *pcie_atc_find(struct pcie_ep *ep, uint64_t page,
				     bool pasid_valid, uint32_t pasid)
{
	for (unsigned i = 0; ep->atc && i < ep->cfg.atc_entries; i++)
		if (atc_match(&ep->atc[i], page, pasid_valid, pasid))
			return &ep->atc[i];
	return NULL;
}

/* The slot a new entry goes to: a free one, else the least recently used. */
static struct pcie_atc_entry *atc_victim(struct pcie_ep *ep)
{
	struct pcie_atc_entry *lru = &ep->atc[0];

	for (unsigned i = 0; i < ep->cfg.atc_entries; i++) {
		if (!ep->atc[i].valid)
			return &ep->atc[i];
		if (ep->atc[i].lru < lru->lru)
			lru = &ep->atc[i];
	}
	ep->stats.atc_evictions++;
	return lru;
}

/**
 * pcie_atc_insert() - cache translation @x (its iova page aligned) for
 * PASID @pasid, replacing the entry of the same page and PASID, else a
 * free entry, else the least recently used one (counted as an eviction).
 * Return: the entry (marked most recently used, source "device ATC").
 */
struct pcie_atc_entry *pcie_atc_insert(struct pcie_ep *ep, bool pasid_valid,
				       uint32_t pasid, const struct hw_xlate *x)
{
	uint64_t page = x->iova & HW_PAGE_MASK;
	struct pcie_atc_entry *e = pcie_atc_find(ep, page, pasid_valid, pasid);

	if (!e)
		e = atc_victim(ep);
	e->valid = true;
	e->pasid_valid = pasid_valid;
	e->pasid = pasid_valid ? pasid : 0;
	e->x = *x;
	e->x.iova = page;
	e->x.src = HW_XLATE_ATC;
	e->lru = ++ep->atc_clock;
	return e;
}

/** pcie_atc_flush() - empty the ATC and poison translations in flight (reset, ATS off). */
void pcie_atc_flush(struct pcie_ep *ep)
{
	for (unsigned i = 0; ep->atc && i < ep->cfg.atc_entries; i++)
		ep->atc[i].valid = false;
	for (struct pcie_xlate_flight *f = ep->flights; f; f = f->next)
		f->poisoned = true;
}

/** pcie_ep_atc_count() - valid ATC entries.  Context: any. */
unsigned pcie_ep_atc_count(const struct pcie_ep *ep)
{
	unsigned n = 0;

	for (unsigned i = 0; ep->atc && i < ep->cfg.atc_entries; i++)
		n += ep->atc[i].valid;
	return n;
}

/**
 * pcie_ep_atc_lookup() - the cached translation of the page holding @iova
 * for that PASID, or NULL.  Does not count as a use (LRU unchanged).
 */
const struct hw_xlate *pcie_ep_atc_lookup(const struct pcie_ep *ep, uint64_t iova,
					  bool pasid_valid, uint32_t pasid)
{
	struct pcie_atc_entry *e = pcie_atc_find((struct pcie_ep *)ep, iova & HW_PAGE_MASK,
						 pasid_valid, pasid);

	return e ? &e->x : NULL;
}

/* ---- invalidation ---- */

static bool inv_covers(const struct pcie_inv_req *r, uint64_t page,
		       bool pasid_valid, uint32_t pasid)
{
	uint64_t span, base;

	if (r->pasid_valid && !r->global && (!pasid_valid || pasid != r->pasid))
		return false;
	if (r->size_log2 >= 52)
		return true;
	span = HW_PAGE_SIZE << r->size_log2;
	base = r->addr & ~(span - 1);
	return page - base < span;	/* page >= base, unsigned */
}

/* Remove covered entries; poison covered translations in flight. */
static unsigned inv_apply(struct pcie_ep *ep, const struct pcie_inv_req *r)
{
	unsigned removed = 0;

	for (unsigned i = 0; i < ep->cfg.atc_entries; i++) {
		struct pcie_atc_entry *e = &ep->atc[i];

		if (e->valid && inv_covers(r, e->x.iova, e->pasid_valid, e->pasid)) {
			e->valid = false;
			removed++;
		}
	}
	for (struct pcie_xlate_flight *f = ep->flights; f; f = f->next)
		if (inv_covers(r, f->page, f->pasid_valid, f->pasid))
			f->poisoned = true;
	return removed;
}

/* A Requester ID of this device that is not @sid (or @sid + 1 with one function). */
static uint32_t other_rid(const struct pcie_ep *ep, uint32_t sid)
{
	for (int i = 0; i < ep->cfg.nsids; i++)
		if (ep->cfg.sids[i] != sid)
			return ep->cfg.sids[i];
	return sid + 1;
}

static sim_time_t inv_due(const struct pcie_ep *ep)
{
	switch (ep->knobs.atc_inv) {
	case PCIE_ATC_INV_UNRESPONSIVE:
		return PCIE_TIME_NEVER;
	case PCIE_ATC_INV_SLOW:
		return sim_now() + ep->knobs.atc_inv_slow;
	case PCIE_ATC_INV_LYING:
		return sim_now();
	default:
		return sim_now() + ep->cfg.atc_inv_latency;
	}
}

static struct pcie_inv_slot *inv_free_slot(struct pcie_ep *ep)
{
	for (unsigned i = 0; i < ep->cfg.inv_queue_depth; i++)
		if (!ep->inv[i].used)
			return &ep->inv[i];
	return NULL;
}

static void inv_drop(struct pcie_ep *ep, const struct pcie_inv_req *req, const char *why)
{
	ep->stats.inv_dropped++;
	pcie_log(ep, "invalidation SID %#x itag %u dropped (%s)", req->sid, req->itag, why);
}

/**
 * pcie_ep_inv_request() - an ATS Invalidation Request arrives (PCIe 10.3.1).
 * Queued and answered later by the invalidation task as the atc_inv knob
 * says; dropped (never answered, counted in inv_dropped) when the queue
 * holds inv_queue_depth requests, while an FLR runs, while the function
 * is hung, or when the function has no ATS.
 * Context: any hardware task or set-up; returns at once, no scheduling point.
 */
void pcie_ep_inv_request(struct pcie_ep *ep, const struct pcie_inv_req *req)
{
	struct pcie_inv_slot *slot;

	ep->stats.inv_received++;
	if (!ep->cfg.ats)
		return inv_drop(ep, req, "no ATS");
	if (ep->fn == PCIE_FN_FLR || ep->fn == PCIE_FN_HUNG)
		return inv_drop(ep, req, ep->fn == PCIE_FN_FLR ? "in FLR" : "hung");
	slot = inv_free_slot(ep);
	if (!slot)
		return inv_drop(ep, req, "queue full");
	slot->used = true;
	slot->req = *req;
	slot->mode = ep->knobs.atc_inv;
	slot->due = inv_due(ep);
	slot->seq = ++ep->inv_seq;
	pcie_log(ep, "invalidation SID %#x itag %u addr %#llx size 2^%u pages%s queued",
		 req->sid, req->itag, (unsigned long long)req->addr, req->size_log2,
		 slot->due == PCIE_TIME_NEVER ? " (unresponsive)" : "");
	pcie_wait_wake(&ep->inv_wait);
}

/** pcie_inv_forget() - drop every queued invalidation unanswered (reset, hang). */
void pcie_inv_forget(struct pcie_ep *ep)
{
	for (unsigned i = 0; i < PCIE_INV_QUEUE_MAX; i++)
		ep->inv[i].used = false;
	pcie_wait_wake(&ep->inv_wait);
}

/** pcie_translated_done() - a translated request finished; wakes a waiting answer. */
void pcie_translated_done(struct pcie_ep *ep)
{
	if (--ep->translated_inflight == 0)
		pcie_wait_wake(&ep->inv_wait);
}

/** pcie_inv_timer_fire() - the next answer is due.  Context: timer callback. */
void pcie_inv_timer_fire(struct sim_timer *t)
{
	struct pcie_ep *ep = t->data;

	pcie_wait_wake(&ep->inv_wait);
}

/* The request to answer next: earliest answer time, then arrival. */
static struct pcie_inv_slot *inv_next(struct pcie_ep *ep)
{
	struct pcie_inv_slot *best = NULL;

	for (unsigned i = 0; i < PCIE_INV_QUEUE_MAX; i++) {
		struct pcie_inv_slot *s = &ep->inv[i];

		if (!s->used || s->due == PCIE_TIME_NEVER)
			continue;
		if (!best || s->due < best->due || (s->due == best->due && s->seq < best->seq))
			best = s;
	}
	return best;
}

static void inv_send(struct pcie_ep *ep, const struct pcie_inv_req *r,
		     enum pcie_atc_inv_mode mode)
{
	struct pcie_inv_cpl c = {
		.requester = mode == PCIE_ATC_INV_WRONG_REQUESTER ? other_rid(ep, r->sid) : r->sid,
		.itag_vector = 1U << (r->itag & 31),
		.cc = 1,
		.cookie = r->cookie,
	};
	int n = mode == PCIE_ATC_INV_DUPLICATE ? 2 : 1;

	for (int i = 0; i < n; i++) {
		ep->stats.inv_answered++;
		ep->up.ops->inv_completion(ep->up.iommu, &c);
	}
}

/* Answer @slot: drain translated requests, invalidate, complete. */
static void inv_answer(struct pcie_ep *ep, struct pcie_inv_slot *slot)
{
	struct pcie_inv_req r = slot->req;
	enum pcie_atc_inv_mode mode = slot->mode;
	unsigned removed = 0;

	slot->used = false;
	if (mode == PCIE_ATC_INV_LYING) {
		ep->stats.inv_lied++;
	} else {
		removed = inv_apply(ep, &r);
	}
	pcie_log(ep, "invalidation SID %#x itag %u answered%s, %u entries removed",
		 r.sid, r.itag, mode == PCIE_ATC_INV_LYING ? " without invalidating" :
		 mode == PCIE_ATC_INV_DUPLICATE ? " twice" :
		 mode == PCIE_ATC_INV_WRONG_REQUESTER ? " from another requester" : "",
		 removed);
	inv_send(ep, &r, mode);
}

/*
 * The invalidation engine: sleeps until the next answer is due, waits for
 * translated requests in flight (except when lying), answers.
 */
static void inv_task(void *arg)
{
	struct pcie_ep *ep = arg;

	for (;;) {
		struct pcie_inv_slot *slot = inv_next(ep);

		if (!slot) {
			pcie_wait_block(&ep->inv_wait, "invalidation request", ep, true);
			continue;
		}
		if (slot->due > sim_now()) {
			sim_timer_arm(&ep->inv_timer, slot->due);
			pcie_wait_block(&ep->inv_wait, "invalidation answer time", ep, true);
			sim_timer_cancel(&ep->inv_timer);
			continue;
		}
		if (slot->mode != PCIE_ATC_INV_LYING && ep->translated_inflight) {
			pcie_wait_block(&ep->inv_wait, "translated requests in flight", ep, false);
			continue;	/* the queue may have changed */
		}
		trace_begin("ats", ep, "ATS invalidate|sid %#x itag %u", slot->req.sid, slot->req.itag);
		inv_answer(ep, slot);
		trace_end("ats", ep);
	}
}
