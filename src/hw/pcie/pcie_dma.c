// SPDX-License-Identifier: MIT
/*
 * PCIe endpoint: DMA.  pcie_dma_access() makes one 8-byte access the way
 * an ATS-capable function does (PCIe 10.1-10.2): with ATS enabled it looks
 * up its ATC, sends a Translation Request on a miss, caches the answer and
 * issues a translated request (AT = Translated); when the answer grants
 * no access it may use PRI and retry once; with ATS disabled it issues an
 * untranslated request for the IOMMU to translate.  Bus Master Enable
 * clear (PCI Command register) or a function not ready means no DMA.
 *
 * The DMA engine ("<name>.dma", a daemon hardware task) plays the
 * workload: each stream makes its accesses at start, start + interval,
 * ... walking its pages in order; the engine makes them in time order
 * (earliest due first, then stream order).  While it may not issue DMA
 * it waits, and streams resume when DMA is allowed again (accesses are
 * delayed, never skipped).  With knob pri=flood it first spends every
 * free page request credit, one request every PCIE_PRI_FLOOD_GAP ns.
 */
#include "hw/pcie/pcie_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ATS_RETRY	1	/* a Translation Request raced an invalidation */

static void txn_init(const struct pcie_ep *ep, struct pcie_txn *t, uint32_t sid,
		     bool write, bool pasid_valid, uint32_t pasid)
{
	memset(t, 0, sizeof(*t));
	t->device = ep->name;
	t->sid = sid;
	t->pasid_valid = pasid_valid;
	t->pasid = pasid_valid ? pasid : 0;
	t->write = write;
}

/* Bytes of the 8-byte access at @iova that stay inside its page. */
static unsigned access_len(uint64_t iova)
{
	uint64_t left = HW_PAGE_SIZE - (iova & ~HW_PAGE_MASK);

	return left < 8 ? (unsigned)left : 8;
}

static int dma_untranslated(struct pcie_ep *ep, struct pcie_txn *t, uint64_t iova,
			    uint64_t *val)
{
	int rc;

	t->at = PCIE_AT_UNTRANSLATED;
	t->addr = iova;
	if (!t->write)
		ep->np_inflight++;
	rc = ep->up.ops->mem_request(ep->up.iommu, t, val, access_len(iova));
	if (!t->write)
		ep->np_inflight--;
	return rc ? -EFAULT : 0;
}

/* A translated request through cached translation @x (a copy, src ATC). */
static int dma_translated(struct pcie_ep *ep, struct pcie_txn *t, uint64_t iova,
			  const struct hw_xlate *x, uint64_t *val)
{
	int rc;

	t->at = PCIE_AT_TRANSLATED;
	t->addr = x->pa | (iova & ~HW_PAGE_MASK);
	t->xlate = x;
	ep->translated_inflight++;
	if (!t->write)
		ep->np_inflight++;
	rc = ep->up.ops->mem_request(ep->up.iommu, t, val, access_len(iova));
	if (!t->write)
		ep->np_inflight--;
	pcie_translated_done(ep);
	if (rc == -EPERM) {
		ep->stats.translated_refused++;
		pcie_log(ep, "translated request to %#llx refused", (unsigned long long)t->addr);
	}
	return rc ? -EFAULT : 0;
}

static void flight_del(struct pcie_ep *ep, struct pcie_xlate_flight *f)
{
	struct pcie_xlate_flight **pp;

	for (pp = &ep->flights; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			return;
		}
	}
}

/*
 * A Translation Request for the page of @t (PCIe 10.2.2).
 * Return: 0 with @cpl filled, or ATS_RETRY when an invalidation or reset
 * covering the page was processed meanwhile (the answer may be stale).
 */
static int ats_request(struct pcie_ep *ep, struct pcie_txn *t, uint64_t page,
		       struct pcie_ats_cpl *cpl)
{
	struct pcie_xlate_flight f = {
		.page = page, .pasid_valid = t->pasid_valid, .pasid = t->pasid,
		.next = ep->flights,
	};

	ep->flights = &f;
	t->at = PCIE_AT_UNTRANSLATED;
	t->addr = page;
	t->xlate = NULL;
	memset(cpl, 0, sizeof(*cpl));
	ep->stats.ats_requests++;
	ep->np_inflight++;
	ep->up.ops->ats_translate(ep->up.iommu, t, cpl);
	ep->np_inflight--;
	flight_del(ep, &f);
	return f.poisoned ? ATS_RETRY : 0;
}

/* An ATC hit with the permission the access needs, or NULL (counted). */
static struct pcie_atc_entry *atc_use(struct pcie_ep *ep, uint64_t page, const struct pcie_txn *t,
				      uint8_t need)
{
	struct pcie_atc_entry *e = pcie_atc_find(ep, page, t->pasid_valid, t->pasid);

	if (!e || !(e->x.perm & need)) {
		ep->stats.atc_misses++;
		return NULL;
	}
	ep->stats.atc_hits++;
	e->lru = ++ep->atc_clock;
	return e;
}

/* The ATS path: ATC, Translation Request, PRI, translated request. */
static int dma_ats(struct pcie_ep *ep, struct pcie_txn *t, uint64_t iova, uint64_t *val,
		   const struct pcie_prg_shape *shape)
{
	uint64_t page = iova & HW_PAGE_MASK;
	uint8_t need = t->write ? HW_PERM_W : HW_PERM_R;
	struct pcie_ats_cpl cpl;
	struct pcie_atc_entry *e;
	struct hw_xlate x;
	bool paged = false;
	int rc;

	for (int tries = 0;; tries++) {
		if (!pcie_dma_allowed(ep))
			return -EAGAIN;
		if (!pcie_ep_ats_enabled(ep))	/* disabled meanwhile */
			return dma_untranslated(ep, t, iova, val);
		e = atc_use(ep, page, t, need);
		if (e) {
			x = e->x;
			return dma_translated(ep, t, iova, &x, val);
		}
		if (tries >= PCIE_ATS_MAX_TRIES)
			return -EFAULT;
		if (ats_request(ep, t, page, &cpl) == ATS_RETRY)
			continue;
		if (cpl.status == PCIE_ATS_SUCCESS && (cpl.x.perm & need)) {
			cpl.x.iova = page;
			x = pcie_atc_insert(ep, t->pasid_valid, t->pasid, &cpl.x)->x;
			return dma_translated(ep, t, iova, &x, val);
		}
		ep->stats.ats_failed++;
		if (cpl.status != PCIE_ATS_SUCCESS || paged)
			return -EFAULT;
		rc = pcie_pri_fault(ep, t->sid, page, t->write, t->pasid_valid, t->pasid, shape);
		if (rc)
			return rc;
		paged = true;
	}
}

static bool pasid_usable(const struct pcie_ep *ep, uint32_t pasid)
{
	return pcie_pasid_enabled(ep) && pasid < (1U << ep->cfg.pasid_bits);
}

/**
 * pcie_dma_access() - one access of 8 bytes at @iova (fewer at the end
 * of a page) from requester @sid, as the DMA engine makes it.
 * @val:	data to write, or where the data read goes (NULL: scratch).
 * @shape:	the page request group to send if PRI is needed (NULL: one
 *		page).
 * A PASID-tagged access needs the PASID capability enabled and @pasid
 * within its width (PCIe 6.20), else it fails.
 * Return: 0, -EFAULT (failed: counted in dma_failed), -EAGAIN (no DMA
 * now: Bus Master clear, FLR, hung; not counted).
 * Context: task (may block in the upstream, for credits or a PRG response).
 */
int pcie_dma_access(struct pcie_ep *ep, uint32_t sid, uint64_t iova, bool write,
		    bool pasid_valid, uint32_t pasid, uint64_t *val,
		    const struct pcie_prg_shape *shape)
{
	static const struct pcie_prg_shape one_page = { .pages = 1 };
	uint64_t scratch = 0;
	struct pcie_txn t;
	int rc;

	if (!val)
		val = &scratch;
	if (!shape)
		shape = &one_page;
	if (!pcie_dma_allowed(ep))
		return -EAGAIN;
	txn_init(ep, &t, sid, write, pasid_valid, pasid);
	if (pasid_valid && !pasid_usable(ep, pasid))
		rc = -EFAULT;
	else if (pcie_ep_ats_enabled(ep))
		rc = dma_ats(ep, &t, iova, val, shape);
	else
		rc = dma_untranslated(ep, &t, iova, val);
	if (!rc)
		ep->stats.dma_ok++;
	else if (rc == -EFAULT)
		ep->stats.dma_failed++;
	return rc;
}

/** pcie_ep_dma() - one access from @sids[0] now (see pcie_ep.h and pcie_dma_access()). */
int pcie_ep_dma(struct pcie_ep *ep, uint64_t iova, bool write, bool pasid_valid,
		uint32_t pasid, uint64_t *val)
{
	return pcie_dma_access(ep, ep->cfg.sids[0], iova, write, pasid_valid, pasid, val, NULL);
}

/* ---- the engine ---- */

/** pcie_dma_kick() - wake the engine if it waits for something to change. */
void pcie_dma_kick(struct pcie_ep *ep)
{
	pcie_wait_wake(&ep->dma_wait);
}

/** pcie_dma_timer_fire() - the next stream access is due.  Context: timer callback. */
void pcie_dma_timer_fire(struct sim_timer *t)
{
	pcie_dma_kick(t->data);
}

static void engine_wait(struct pcie_ep *ep, sim_time_t until, const char *what)
{
	if (until != PCIE_TIME_NEVER)
		sim_timer_arm(&ep->dma_timer, until);
	pcie_wait_block(&ep->dma_wait, what, ep, true);
	sim_timer_cancel(&ep->dma_timer);
}

static struct pcie_stream_state *next_stream(struct pcie_ep *ep)
{
	struct pcie_stream_state *best = NULL;

	for (int i = 0; i < ep->nstreams; i++) {
		struct pcie_stream_state *s = &ep->streams[i];

		if (s->st.count && s->done >= s->st.count)
			continue;
		if (!best || s->next_at < best->next_at)
			best = s;
	}
	return best;
}

static void stream_access(struct pcie_ep *ep, struct pcie_stream_state *s)
{
	const struct pcie_dma_stream *st = &s->st;
	uint32_t sid = st->alias < 0 ? ep->cfg.sids[0] : ep->cfg.aliases[st->alias];
	uint64_t iova = st->iova + ((s->done % st->npages) << HW_PAGE_SHIFT);
	uint64_t val = (uint64_t)(s - ep->streams) << 56 | s->done;
	struct pcie_prg_shape shape = { .pages = st->prg_pages ? st->prg_pages : 1,
					.gap = st->prg_gap };
	sim_time_t started = sim_now();
	int rc = pcie_dma_access(ep, sid, iova, st->write, st->pasid_valid, st->pasid, &val,
				 &shape);

	if (rc == -EAGAIN)
		return;		/* made again once DMA is allowed */
	s->done++;
	/* start to start; an access made late (DMA was held off) sets the pace anew */
	s->next_at = (s->next_at > started ? s->next_at : started) + st->interval;
}

static bool flood_ready(const struct pcie_ep *ep)
{
	return ep->knobs.pri == PCIE_PRI_FLOOD && pcie_pri_may_request(ep) &&
	       pcie_pri_has_credit(ep);
}

static void dma_engine(void *arg)
{
	struct pcie_ep *ep = arg;

	for (;;) {
		struct pcie_stream_state *s;

		if (!pcie_dma_allowed(ep)) {
			engine_wait(ep, PCIE_TIME_NEVER, "bus master or function ready");
			continue;
		}
		if (flood_ready(ep)) {
			pcie_pri_flood_one(ep);
			sim_delay(PCIE_PRI_FLOOD_GAP);
			continue;
		}
		s = next_stream(ep);
		if (!s || s->next_at > sim_now()) {
			engine_wait(ep, s ? s->next_at : PCIE_TIME_NEVER, "next DMA");
			continue;
		}
		stream_access(ep, s);
	}
}

/**
 * pcie_dma_engine_start() - create the DMA engine task if there is none.
 * Return: 0 or -ENOMEM.  Context: set-up or task.
 */
int pcie_dma_engine_start(struct pcie_ep *ep)
{
	char name[SIM_NAME_LEN];

	if (ep->dma_task)
		return 0;
	snprintf(name, sizeof(name), "%.27s.dma", ep->name);
	ep->dma_task = sim_task_create(ep->sim, name, SIM_TASK_HW, -1, true, dma_engine, ep);
	trace_task_actor(ep->dma_task, ep->name);
	return ep->dma_task ? 0 : -ENOMEM;
}

/**
 * pcie_ep_add_stream() - add a workload stream (see pcie_ep.h); starts the
 * DMA engine on the first one.
 * Return: 0; -EINVAL (IOVA not 4 KiB aligned, 0 pages or interval, alias
 * not -1 or an index of @aliases); -ENOSPC past PCIE_EP_MAX_STREAMS;
 * -ENOMEM when the engine task cannot be made.
 * Context: set-up or task.
 */
int pcie_ep_add_stream(struct pcie_ep *ep, const struct pcie_dma_stream *st)
{
	struct pcie_stream_state *s;

	if ((st->iova & ~HW_PAGE_MASK) || !st->npages || !st->interval ||
	    st->alias < -1 || st->alias >= ep->cfg.naliases)
		return -EINVAL;
	if (ep->nstreams >= PCIE_EP_MAX_STREAMS)
		return -ENOSPC;
	if (pcie_dma_engine_start(ep))
		return -ENOMEM;
	s = &ep->streams[ep->nstreams++];
	memset(s, 0, sizeof(*s));
	s->st = *st;
	s->next_at = st->start;
	pcie_dma_kick(ep);
	return 0;
}
