/* SPDX-License-Identifier: MIT */
/*
 * A PCIe endpoint (DESIGN.md section 4): Stream IDs and DMA aliases, an
 * ATS capability with an ATC, PRI with outstanding page requests, PASIDs,
 * FLR, a DMA engine that runs a workload, and misbehaviour knobs.
 *
 * Software sees the endpoint only through its configuration space
 * (pcie_ep_cfg_read()/_write(), scheduling points, registers of
 * pcie_regs.h).  The IOMMU sees it through the messages of pcie_link.h:
 * it calls pcie_ep_inv_request() and pcie_ep_prg_response(); the endpoint
 * calls its struct pcie_upstream.
 *
 * DMA engine (one hardware task per endpoint, created by the first
 * pcie_ep_add_stream()): for each access of each stream, in turn,
 *   - ATS enabled (ATS_CTRL.ENABLE): look the page up in the ATC; on a
 *     miss send a Translation Request; on success with the needed
 *     permission insert the entry (evicting the least recently used) and
 *     issue a translated request; on a success without permission and PRI
 *     enabled (and not stopped by a Response Failure), send a Page
 *     Request Group (the stream's prg_pages requests, prg_gap apart, LAST
 *     on the final one) and wait for its PRG Response up to
 *     prg_response_timeout after LAST, retrying the translation after
 *     Success;
 *     otherwise the access fails (counted).
 *   - ATS disabled: an untranslated request through the IOMMU.
 *   - Bus Master Enable clear, or an FLR in progress: no DMA.
 *
 * ATC invalidation: a request is answered after atc_inv_latency (knob
 * "ok"), never ("unresponsive"), after the knob's time ("slow:<time>"),
 * at once without invalidating ("lying"), twice ("duplicate"), or from
 * another Requester ID ("wrong_requester").  At most inv_queue_depth
 * requests are held; one arriving at a full queue is dropped (never
 * answered), as a queue overflow in a real function would lose it.
 *
 * FLR (DEVCTL.BCR_FLR written 1): the function resets: ATC emptied, ATS,
 * PRI and PASID enables and Bus Master cleared, outstanding page requests
 * and queued invalidations forgotten, PRI status cleared.  For flr_time
 * the function is not ready: configuration reads return all ones (as
 * Linux's pci_dev_wait() expects) and writes are dropped.  Knob "flr":
 *   ok:     reset as above, ready after flr_time;
 *   fail:   the reset does not happen and the function is never ready
 *           again until an FLR with the knob set back to ok (or a knob
 *           change through pcie_ep_set_knob());
 *   enotty: DEVCAP.FLR reads 0 and writes of BCR_FLR are ignored;
 *   hang:   the function stops responding altogether: config reads return
 *           all ones, DMA stops, invalidations and page requests are never
 *           answered, until the knob changes.
 * Each knob also has a "survives reset" flag: if clear (the default) an
 * FLR that completes puts that knob back to ok.
 *
 * PRI knob: ok; "flood": the DMA engine keeps issuing page requests for
 * distinct pages as fast as credits allow; "never_stops": page requests
 * continue after PRI is disabled or reset, against the PCIe rules.
 *
 * A page request group not answered within prg_response_timeout is
 * reported as PRQ_UNANSWERED; PRG Responses with Response Failure set
 * PRI_STATUS.RF and stop page requests until PRI is reset, as the PCIe
 * specification says; a response for a PRG index that is not outstanding
 * sets PRI_STATUS.UPRGI and is counted.
 *
 * Context: every function may be called from any task or set-up code
 * unless said otherwise.  Units: times in ns, sizes in entries.
 */
#ifndef IOMMUSIM_HW_PCIE_EP_H
#define IOMMUSIM_HW_PCIE_EP_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/pcie/pcie_link.h"
#include "hw/pcie/pcie_regs.h"
#include "sim/sim.h"

#define PCIE_EP_MAX_SIDS	8
#define PCIE_EP_MAX_STREAMS	8
#define PCIE_EP_NAME_LEN	32

enum pcie_atc_inv_mode {
	PCIE_ATC_INV_OK,
	PCIE_ATC_INV_UNRESPONSIVE,
	PCIE_ATC_INV_SLOW,
	PCIE_ATC_INV_LYING,
	PCIE_ATC_INV_DUPLICATE,
	PCIE_ATC_INV_WRONG_REQUESTER,
};

enum pcie_flr_mode {
	PCIE_FLR_OK,
	PCIE_FLR_FAIL,
	PCIE_FLR_ENOTTY,
	PCIE_FLR_HANG,
};

enum pcie_pri_mode {
	PCIE_PRI_OK,
	PCIE_PRI_FLOOD,
	PCIE_PRI_NEVER_STOPS,
};

/**
 * struct pcie_ep_knobs - the misbehaviour knobs (DESIGN.md section 4).
 * @atc_inv_slow:	answer delay for PCIE_ATC_INV_SLOW, ns.
 * @*_survives_reset:	the knob keeps its value across a completed FLR.
 */
struct pcie_ep_knobs {
	enum pcie_atc_inv_mode atc_inv;
	sim_time_t atc_inv_slow;
	enum pcie_flr_mode flr;
	enum pcie_pri_mode pri;
	bool atc_inv_survives_reset;
	bool flr_survives_reset;
	bool pri_survives_reset;
};

/**
 * struct pcie_ep_config - an endpoint's make-up.
 * @name:		"nic0".
 * @sids, @nsids:	Stream IDs of its functions; @sids[0] is the
 *			Requester ID the DMA engine uses and the one that
 *			answers invalidations.  Invalidation requests to
 *			any of @sids are answered by the function they name.
 * @aliases, @naliases: DMA aliases: extra Stream IDs its DMA may carry
 *			(pcie_dma_stream.alias selects one).
 * @ats:		ATS capability present.
 * @atc_entries:	ATC size, entries (>= 1 when @ats).
 * @inv_queue_depth:	invalidation requests held at once (1..32).
 * @atc_inv_latency:	time to answer an invalidation, ns.
 * @completion_timeout:	how long the IOMMU waits for this function's
 *			invalidation completions, ns (a property the
 *			platform gives the IOMMU; carried here so one place
 *			describes the device).
 * @pri:		PRI capability present.
 * @pri_max_requests:	outstanding page request capacity (PRI_MAX_REQ).
 * @prg_response_timeout: how long a PRG waits for its response, ns.
 * @pasid:		PASID capability present; @pasid_bits its width.
 * @flr_capable:	DEVCAP.FLR (also cleared by knob flr=enotty).
 * @flr_time:		time an FLR takes before the function is ready, ns.
 * @knobs:		initial misbehaviour knobs.
 */
struct pcie_ep_config {
	const char *name;
	uint32_t sids[PCIE_EP_MAX_SIDS];
	int nsids;
	uint32_t aliases[PCIE_EP_MAX_SIDS];
	int naliases;
	bool ats;
	unsigned atc_entries;
	unsigned inv_queue_depth;
	sim_time_t atc_inv_latency;
	sim_time_t completion_timeout;
	bool pri;
	unsigned pri_max_requests;
	sim_time_t prg_response_timeout;
	bool pasid;
	unsigned pasid_bits;
	bool flr_capable;
	sim_time_t flr_time;
	struct pcie_ep_knobs knobs;
};

/**
 * struct pcie_dma_stream - one workload stream of the DMA engine.
 * @iova:	first page (4 KiB aligned).
 * @npages:	pages; the stream walks them in order, wrapping.
 * @write:	writes (else reads), 8 bytes at the start of each page.
 * @interval:	time between accesses, ns (>= 1).
 * @count:	accesses to make; 0 for no limit.
 * @start:	virtual time of the first access, ns.
 * @pasid_valid, @pasid: PASID prefix of the accesses.
 * @alias:	-1 for @sids[0], else the index in @aliases to use.
 * @prg_pages:	pages per page request group when an access needs PRI
 *		(0 or 1: one request with LAST, the default): the faulting
 *		page and the ones after it, same PRG index, LAST on the
 *		final request only; each request takes a PRI credit.
 * @prg_gap:	time between two requests of one group, ns; the group's
 *		response timeout runs from its LAST request.
 */
struct pcie_dma_stream {
	uint64_t iova;
	unsigned npages;
	bool write;
	sim_time_t interval;
	uint64_t count;
	sim_time_t start;
	bool pasid_valid;
	uint32_t pasid;
	int alias;
	unsigned prg_pages;
	sim_time_t prg_gap;
};

/* Counters, for reports, tests and benchmarks. */
struct pcie_ep_stats {
	uint64_t dma_ok, dma_failed;		/* accesses */
	uint64_t atc_hits, atc_misses, atc_evictions;
	uint64_t ats_requests, ats_failed;	/* UR/CA or no permission */
	uint64_t translated_refused;		/* -EPERM from upstream */
	uint64_t inv_received, inv_answered, inv_dropped, inv_lied;
	uint64_t page_requests, prg_sent, prg_responses, prg_timeouts;
	uint64_t prg_unexpected;		/* responses for no outstanding PRG */
	uint64_t flrs, flrs_failed;
};

struct pcie_ep;

/**
 * pcie_ep_prg_latencies() - the virtual time from the LAST request of each
 * answered Page Request Group to its PRG Response, ns, in answer order.
 * @out: set to the array (owned by the endpoint, valid until the next
 * response or the end of the run).  Return: how many.
 */
size_t pcie_ep_prg_latencies(const struct pcie_ep *ep, const uint64_t **out);

/** pcie_ep_config_default() - a config with no capabilities and sane times. */
void pcie_ep_config_default(struct pcie_ep_config *cfg);

/**
 * pcie_ep_create() - an endpoint under @up.
 * Return: the endpoint, or NULL (-EINVAL: no SIDs, more than
 * PCIE_EP_MAX_SIDS, ATS with 0 ATC entries or a queue depth outside
 * 1..32, PRI without ATS; -ENOMEM).
 * Context: set-up (main context) or task context before it is used.
 * Freed with the simulator (sim_at_destroy).
 */
struct pcie_ep *pcie_ep_create(struct sim *s, const struct pcie_ep_config *cfg,
			       const struct pcie_upstream *up);

/** pcie_ep_name() / pcie_ep_config() - what the endpoint was made with. */
const char *pcie_ep_name(const struct pcie_ep *ep);
const struct pcie_ep_config *pcie_ep_config(const struct pcie_ep *ep);

/**
 * pcie_ep_cfg_read() / pcie_ep_cfg_write() - configuration access of
 * @size bytes (1, 2 or 4, naturally aligned) at @off.
 * A scheduling point.  Unimplemented registers read 0 and ignore writes;
 * read-only bits ignore writes; RW1C bits clear when written 1.  While
 * an FLR is in progress (or the knob says the function is gone) reads
 * return all ones and writes are dropped.
 * Return (read): the value; all ones for a bad @size/@off.
 */
uint32_t pcie_ep_cfg_read(struct pcie_ep *ep, unsigned off, unsigned size);
void pcie_ep_cfg_write(struct pcie_ep *ep, unsigned off, unsigned size, uint32_t val);

/** pcie_ep_find_ext_cap() - offset of extended capability @id, or 0 (not a scheduling point). */
unsigned pcie_ep_find_ext_cap(const struct pcie_ep *ep, unsigned id);

/**
 * pcie_ep_add_stream() - add a workload stream to the DMA engine.
 * Return: 0, -EINVAL (bad alignment, 0 pages or interval, bad alias),
 * -ENOSPC past PCIE_EP_MAX_STREAMS.
 */
int pcie_ep_add_stream(struct pcie_ep *ep, const struct pcie_dma_stream *st);

/**
 * pcie_ep_dma() - one access now, the way the DMA engine makes them
 * (ATC lookup, translation request, page request, ...).
 * @iova:	address (8 bytes at it are accessed).
 * @val:	data to write, or where the data read goes (may be NULL).
 * Context: a task (it may block for translation, a stall or a PRG
 * response); hwtest and unit tests use it directly.
 * Return: 0; -EFAULT when the access failed (fault, abort, refused, no
 * PRG success); -EAGAIN when the function cannot issue DMA now (Bus
 * Master clear, FLR in progress, hung).
 */
int pcie_ep_dma(struct pcie_ep *ep, uint64_t iova, bool write, bool pasid_valid,
		uint32_t pasid, uint64_t *val);

/**
 * pcie_ep_inv_request() - an ATS Invalidation Request arrives.
 * Context: any hardware task; returns at once.  The completion comes
 * through the upstream's inv_completion as the knob says.
 */
void pcie_ep_inv_request(struct pcie_ep *ep, const struct pcie_inv_req *req);

/**
 * pcie_ep_prg_response() - a PRG Response message arrives.
 * @code:	PCIE_PRG_RESP_* response code.
 * Context: any hardware task; returns at once.
 */
void pcie_ep_prg_response(struct pcie_ep *ep, uint32_t sid, bool pasid_valid,
			  uint32_t pasid, uint16_t prgi, uint8_t code);

/**
 * pcie_ep_set_knob() - set one knob from text, as scenarios and hwtest
 * write them: "atc_inv" = ok | unresponsive | slow:<time> | lying |
 * duplicate | wrong_requester; "flr" = ok | fail | enotty | hang;
 * "pri" = ok | flood | never_stops; "<knob>_survives_reset" = true | false.
 * Return: 0, or -EINVAL with a message in @err (when not NULL).
 */
int pcie_ep_set_knob(struct pcie_ep *ep, const char *key, const char *value,
		     char *err, size_t errlen);

/**
 * pcie_knob_parse() - what pcie_ep_set_knob() does to the knobs, on @k,
 * with no endpoint: scenario loaders validate knob text with it.
 * Return: 0 with @k updated, or -EINVAL with the same message in @err
 * (@k unchanged).  Pure.
 */
int pcie_knob_parse(struct pcie_ep_knobs *k, const char *key, const char *value,
		    char *err, size_t errlen);

/** pcie_ep_knobs() - the knobs in force. */
const struct pcie_ep_knobs *pcie_ep_knobs(const struct pcie_ep *ep);

/** pcie_ep_stats() - counters since creation. */
const struct pcie_ep_stats *pcie_ep_stats(const struct pcie_ep *ep);

/** pcie_ep_atc_count() - valid ATC entries (for tests and reports). */
unsigned pcie_ep_atc_count(const struct pcie_ep *ep);

/** pcie_ep_atc_lookup() - the ATC entry for @iova/@pasid, or NULL. */
const struct hw_xlate *pcie_ep_atc_lookup(const struct pcie_ep *ep, uint64_t iova,
					  bool pasid_valid, uint32_t pasid);

/** pcie_ep_ats_enabled() / pcie_ep_pri_enabled() - the enables in force. */
bool pcie_ep_ats_enabled(const struct pcie_ep *ep);
bool pcie_ep_pri_enabled(const struct pcie_ep *ep);

/** pcie_ep_flr_in_progress() - an FLR has not completed (or failed/hung). */
bool pcie_ep_flr_in_progress(const struct pcie_ep *ep);

/** pcie_ep_outstanding_prgs() - page request groups awaiting a response. */
unsigned pcie_ep_outstanding_prgs(const struct pcie_ep *ep);

#endif
