// SPDX-License-Identifier: MIT
/*
 * PCIe endpoint: the Page Request Interface (PCIe 10.4 messages, 10.5.2
 * capability).
 *
 * A page request group is the faulting page and, with a stream's
 * prg_pages > 1, the pages after it: that many Page Requests with the
 * same 9-bit PRG index, LAST set on the final one only, prg_gap apart.
 * A group takes a free PRG index (handed out round-robin, so an index is
 * reused as late as possible) and one credit of the Outstanding Page
 * Request Allocation (PRI_ALLOC_REQ, at most PRI_MAX_REQ) per request
 * (PCIe 10.5.2.5 counts requests; a group larger than the allocation is
 * cut to it), and waits prg_response_timeout from its LAST request for
 * its PRG Response.  A group abandoned before its LAST went (reset,
 * Response Failure) sends no more requests.
 *
 * Responses: Success lets the access retry its translation, Invalid
 * Request fails it, Response Failure (and any reserved code, PCIe
 * 10.4.2.1) sets PRI_STATUS.RF: the function abandons its outstanding
 * groups, ignores further responses and sends no more requests until PRI
 * is reset or disabled and enabled again.  A response naming no
 * outstanding group sets PRI_STATUS.UPRGI.  A group whose response does
 * not come in time is reported as PRQ_UNANSWERED and abandoned (a late
 * response then finds no group: UPRGI).
 */
#include "hw/pcie/pcie_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "check/violation.h"
#include "sim/vec.h"
#include "trace/evlog.h"

#define PRI_STATUS_OFF	(PCIE_PRI_CAP_OFFSET + PCI_PRI_STATUS)

static void prg_timer_fire(struct sim_timer *t);

/**
 * pcie_pri_init() - the PRG index table, when PRI is present.
 * Return: 0 or -ENOMEM.
 */
int pcie_pri_init(struct pcie_ep *ep)
{
	if (!ep->cfg.pri)
		return 0;
	ep->prg = calloc(PCIE_PRGI_COUNT, sizeof(*ep->prg));
	if (!ep->prg)
		return -ENOMEM;
	for (unsigned i = 0; i < PCIE_PRGI_COUNT; i++) {
		ep->prg[i].ep = ep;
		ep->prg[i].prgi = (uint16_t)i;
		sim_timer_init(&ep->prg[i].timer, prg_timer_fire, &ep->prg[i]);
	}
	return 0;
}

/* Page requests the function may have outstanding (PCIe 10.5.2.5). */
static unsigned pri_credits(const struct pcie_ep *ep)
{
	unsigned n = pcie_cfg_get32(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_ALLOC_REQ);

	if (n > ep->cfg.pri_max_requests)
		n = ep->cfg.pri_max_requests;
	return n < PCIE_PRGI_COUNT ? n : PCIE_PRGI_COUNT;
}

/**
 * pcie_pri_may_request() - the function may send a page request now:
 * PRI present, function ready, no Response Failure stop, and PRI enabled
 * (or knob pri=never_stops, which ignores the enable).
 */
bool pcie_pri_may_request(const struct pcie_ep *ep)
{
	if (!ep->cfg.pri || !pcie_fn_ready(ep) || ep->pri_rf_stopped)
		return false;
	return pcie_ep_pri_enabled(ep) || ep->knobs.pri == PCIE_PRI_NEVER_STOPS;
}

/** pcie_pri_has_credit() - fewer page requests outstanding than credits allocated. */
bool pcie_pri_has_credit(const struct pcie_ep *ep)
{
	return ep->req_outstanding < pri_credits(ep);
}

/* Credits for @n more requests. */
static bool pri_has_credits(const struct pcie_ep *ep, unsigned n)
{
	return ep->req_outstanding + n <= pri_credits(ep);
}

/** pcie_pri_status_dynamic() - PRI_STATUS.STOPPED: disabled and nothing outstanding. */
uint16_t pcie_pri_status_dynamic(const struct pcie_ep *ep)
{
	return !pcie_ep_pri_enabled(ep) && !ep->prg_outstanding ? PCI_PRI_STATUS_STOPPED : 0;
}

static void pri_status_set(struct pcie_ep *ep, uint16_t bits)
{
	pcie_cfg_set16(ep, PRI_STATUS_OFF, pcie_cfg_get16(ep, PRI_STATUS_OFF) | bits);
}

/* The group is over: free its index and credit, tell its waiter @result. */
static void prg_release(struct pcie_ep *ep, struct pcie_prg *p, unsigned result)
{
	struct pcie_prg_waiter *w = p->waiter;

	sim_timer_cancel(&p->timer);
	p->used = false;
	p->waiter = NULL;
	ep->prg_outstanding--;
	ep->req_outstanding -= p->npages;
	if (w) {
		w->done = true;
		w->result = result;
		pcie_wait_wake(&w->w);
	}
	pcie_wait_list_wake(ep->credit_waiters);
	pcie_dma_kick(ep);
}

/** pcie_pri_forget() - abandon every outstanding group, silently (reset, hang). */
void pcie_pri_forget(struct pcie_ep *ep)
{
	for (unsigned i = 0; ep->prg && i < PCIE_PRGI_COUNT; i++)
		if (ep->prg[i].used)
			prg_release(ep, &ep->prg[i], PCIE_PRG_ABANDONED);
}

/**
 * pcie_pri_reset() - PRI_CTRL.RESET written 1 with Enable clear (PCIe
 * 10.5.2.2): clear RF and UPRGI, forget outstanding requests and their
 * credits, and lift a Response Failure stop.
 */
void pcie_pri_reset(struct pcie_ep *ep)
{
	uint16_t st = pcie_cfg_get16(ep, PRI_STATUS_OFF);

	pcie_cfg_set16(ep, PRI_STATUS_OFF, st & ~(PCI_PRI_STATUS_RF | PCI_PRI_STATUS_UPRGI));
	pcie_pri_forget(ep);
	ep->pri_rf_stopped = false;
	pcie_log(ep, "PRI reset");
}

/**
 * pcie_pri_enable_changed() - PRI_CTRL.ENABLE was written: enabling again
 * lifts a Response Failure stop.  Outstanding groups stay outstanding
 * across a disable (STOPPED stays clear until they are answered).
 */
void pcie_pri_enable_changed(struct pcie_ep *ep, bool enabled)
{
	if (enabled)
		ep->pri_rf_stopped = false;
	pcie_log(ep, "PRI %s", enabled ? "enabled" : "disabled");
	pcie_wait_list_wake(ep->credit_waiters);
}

static struct pcie_prg *prg_alloc(struct pcie_ep *ep)
{
	for (unsigned i = 0; i < PCIE_PRGI_COUNT; i++) {
		struct pcie_prg *p = &ep->prg[(ep->prgi_next + i) % PCIE_PRGI_COUNT];

		if (!p->used) {
			ep->prgi_next = (uint16_t)((p->prgi + 1) % PCIE_PRGI_COUNT);
			return p;
		}
	}
	return NULL;	/* cannot happen: credits are at most PCIE_PRGI_COUNT */
}

/* Take a PRG index and @npages credits for a group from @page; @w waits for it. */
static struct pcie_prg *prg_start(struct pcie_ep *ep, uint32_t sid, uint64_t page,
				  unsigned npages, bool write, bool pasid_valid, uint32_t pasid,
				  struct pcie_prg_waiter *w)
{
	struct pcie_prg *p = prg_alloc(ep);

	p->used = true;
	p->sid = sid;
	p->pasid_valid = pasid_valid;
	p->pasid = pasid_valid ? pasid : 0;
	p->addr = page;
	p->npages = npages;
	p->write = write;
	p->sent_at = sim_now();
	p->waiter = w;
	ep->prg_outstanding++;
	ep->req_outstanding += npages;
	ep->stats.prg_sent++;
	return p;
}

/* Page Request @i of group @p; the LAST one starts the response timeout. */
static void prg_request(struct pcie_ep *ep, struct pcie_prg *p, unsigned i)
{
	bool last = i + 1 == p->npages;
	struct pcie_page_req r = {
		.sid = p->sid, .pasid_valid = p->pasid_valid, .pasid = p->pasid,
		.read = true, .write = p->write, .last = last, .prgi = p->prgi,
		.addr = p->addr + ((uint64_t)i << HW_PAGE_SHIFT),
	};

	ep->stats.page_requests++;
	if (last) {
		p->sent_at = sim_now();
		sim_timer_arm(&p->timer, p->sent_at + ep->cfg.prg_response_timeout);
	}
	pcie_log(ep, "page request SID %#x PRG index %u addr %#llx%s%s", p->sid, p->prgi,
		 (unsigned long long)r.addr, p->write ? " write" : " read", last ? " last" : "");
	ep->up.ops->page_request(ep->up.iommu, &r);
}

/* Send the requests of group @p, @gap apart, unless it is abandoned meanwhile. */
static void prg_send_group(struct pcie_ep *ep, struct pcie_prg *p, sim_time_t gap,
			   struct pcie_prg_waiter *w)
{
	for (unsigned i = 0; i < p->npages; i++) {
		if (i && gap)
			sim_delay(gap);
		if (i && w->done)
			return;		/* reset, hang or Response Failure meanwhile */
		prg_request(ep, p, i);
	}
}

/* Wait until credits for *@n requests are free (*@n cut to the allocation).
 * Return: 0, -EAGAIN (no DMA now), -EFAULT (no PRI). */
static int pri_wait_credit(struct pcie_ep *ep, unsigned *n)
{
	struct pcie_wait cw = { 0 };

	for (;;) {
		if (!pcie_dma_allowed(ep))
			return -EAGAIN;
		if (!pcie_pri_may_request(ep) || !pri_credits(ep))
			return -EFAULT;
		if (*n > pri_credits(ep))
			*n = pri_credits(ep);
		if (pri_has_credits(ep, *n))
			return 0;
		pcie_wait_list_add(&ep->credit_waiters, &cw);
		pcie_wait_block(&cw, "page request credit", ep, false);
		pcie_wait_list_del(&ep->credit_waiters, &cw);
	}
}

/**
 * pcie_pri_fault() - an access found no permission in its Translation
 * Completion: send a Page Request Group for @page (@shape: how many pages
 * from @page, how far apart; see the top of this file) and wait for its
 * PRG Response (PCIe 10.4.1), up to prg_response_timeout after LAST.
 * Return: 0 on Success (retry the translation); -EFAULT when PRI may not
 * be used, on Invalid Request, Response Failure, timeout or abandonment;
 * -EAGAIN when DMA stopped meanwhile (reset, Bus Master cleared, hang).
 * Context: task (blocks).
 */
int pcie_pri_fault(struct pcie_ep *ep, uint32_t sid, uint64_t page, bool write,
		   bool pasid_valid, uint32_t pasid, const struct pcie_prg_shape *shape)
{
	struct pcie_prg_waiter pw = { .w.task = sim_current() };
	unsigned n = shape && shape->pages ? shape->pages : 1;
	int rc = pri_wait_credit(ep, &n);
	struct pcie_prg *p;

	if (rc)
		return rc;
	p = prg_start(ep, sid, page, n, write, pasid_valid, pasid, &pw);
	prg_send_group(ep, p, shape ? shape->gap : 0, &pw);
	while (!pw.done)
		pcie_wait_block(&pw.w, "PRG response", ep, false);
	if (pw.result == PCIE_PRG_RESP_SUCCESS)
		return 0;
	if (pw.result == PCIE_PRG_ABANDONED && !pcie_dma_allowed(ep))
		return -EAGAIN;
	return -EFAULT;
}

/**
 * pcie_pri_flood_one() - knob pri=flood: one page request for a page not
 * asked for before (from the first stream's IOVA up, its PASID), with
 * nobody waiting for the answer.  The caller checked credit and PRI state.
 */
void pcie_pri_flood_one(struct pcie_ep *ep)
{
	const struct pcie_dma_stream *st = ep->nstreams ? &ep->streams[0].st : NULL;
	uint64_t base = st ? st->iova : 0;
	uint64_t page = base + (ep->flood_next++ << HW_PAGE_SHIFT);

	prg_request(ep, prg_start(ep, ep->cfg.sids[0], page, 1, st && st->write,
				  st && st->pasid_valid, st ? st->pasid : 0, NULL), 0);
}

static void prg_report_timeout(struct pcie_ep *ep, const struct pcie_prg *p)
{
	struct sim_task *who = p->waiter ? p->waiter->w.task : ep->dma_task;
	char tb[32], ab[32], pasid[24] = "";

	if (p->pasid_valid)
		snprintf(pasid, sizeof(pasid), " PASID %#x", p->pasid);
	check_report_tasks(ep->sim, V_PRQ_UNANSWERED, &who, who ? 1 : 0,
			   "%s: page request group not answered within %s: SID %#x%s PRG index %u address %#llx, age %s",
			   ep->name, sim_format_time(ep->cfg.prg_response_timeout, tb, sizeof(tb)),
			   p->sid, pasid, p->prgi, (unsigned long long)p->addr,
			   sim_format_time(sim_now() - p->sent_at, ab, sizeof(ab)));
}

/* prg_response_timeout elapsed for a group.  Context: timer callback. */
static void prg_timer_fire(struct sim_timer *t)
{
	struct pcie_prg *p = t->data;
	struct pcie_ep *ep = p->ep;

	if (!p->used)
		return;
	ep->stats.prg_timeouts++;
	prg_report_timeout(ep, p);
	prg_release(ep, p, PCIE_PRG_TIMEOUT);
}

/* Response Failure: stop, and expect no more responses (PCIe 10.5.2.3). */
static void pri_response_failure(struct pcie_ep *ep)
{
	pri_status_set(ep, PCI_PRI_STATUS_RF);
	ep->pri_rf_stopped = true;
	pcie_log(ep, "PRG Response Failure: page requests stopped");
	pcie_pri_forget(ep);
}

static bool prg_ignored(struct pcie_ep *ep)
{
	if (!ep->cfg.pri)
		return true;
	if (ep->fn == PCIE_FN_FLR || ep->fn == PCIE_FN_HUNG) {
		pcie_log(ep, "PRG response ignored (%s)", ep->fn == PCIE_FN_FLR ? "in FLR" : "hung");
		return true;
	}
	if (ep->pri_rf_stopped) {
		pcie_log(ep, "PRG response ignored after Response Failure");
		return true;
	}
	return false;
}

/**
 * pcie_ep_prg_response() - a PRG Response message (PCIe 10.4.2) for group
 * @prgi of requester @sid.  See the top of this file for what each code
 * does.  Ignored by a function without PRI, in FLR, hung, or stopped by
 * a Response Failure.
 * Context: any hardware task or set-up; returns at once (the waiting
 * access resumes later).  Not a scheduling point.
 */
void pcie_ep_prg_response(struct pcie_ep *ep, uint32_t sid, bool pasid_valid,
			  uint32_t pasid, uint16_t prgi, uint8_t code)
{
	struct pcie_prg *p;

	if (prg_ignored(ep))
		return;
	p = prgi < PCIE_PRGI_COUNT ? &ep->prg[prgi] : NULL;
	if (!p || !p->used || p->sid != sid) {
		ep->stats.prg_unexpected++;
		pri_status_set(ep, PCI_PRI_STATUS_UPRGI);
		pcie_log(ep, "PRG response SID %#x PRG index %u: no such group (UPRGI)", sid, prgi);
		return;
	}
	ep->stats.prg_responses++;
	VEC_RESERVE(ep->prg_lat, ep->nprg_lat, ep->prg_lat_cap, 64);
	ep->prg_lat[ep->nprg_lat++] = sim_now() - p->sent_at;
	pcie_log(ep, "PRG response SID %#x PRG index %u code %#x", sid, prgi, code);
	if (code == PCIE_PRG_RESP_SUCCESS || code == PCIE_PRG_RESP_INVALID) {
		prg_release(ep, p, code);
		return;
	}
	prg_release(ep, p, PCIE_PRG_RESP_FAILURE);
	pri_response_failure(ep);
}

size_t pcie_ep_prg_latencies(const struct pcie_ep *ep, const uint64_t **out)
{
	*out = ep->prg_lat;
	return ep->nprg_lat;
}
