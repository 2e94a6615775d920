/* SPDX-License-Identifier: MIT */
/*
 * Private to the PCIe endpoint model (src/hw/pcie): the endpoint's state
 * and the functions its files share.  Nothing outside src/hw/pcie includes
 * this header; the contract is pcie_ep.h.
 *
 * Files:
 *   pcie_ep.c   create, defaults, validation, knobs, stats, accessors,
 *               freeing with the simulator
 *   pcie_cfg.c  the 4 KiB configuration space and FLR
 *   pcie_atc.c  the ATC and ATS Invalidation Requests
 *   pcie_dma.c  the DMA engine task and pcie_ep_dma()
 *   pcie_pri.c  Page Requests and PRG Responses
 *
 * Waiting: a task of this model that waits blocks in pcie_wait_block() on
 * a struct pcie_wait it owns, and is woken only through pcie_wait_wake()
 * on that struct.  The endpoint never calls sim_wake() on a task blocked
 * elsewhere (inside an upstream op, for instance), so it cannot wake the
 * IOMMU model's waits spuriously.
 */
#ifndef IOMMUSIM_HW_PCIE_INTERNAL_H
#define IOMMUSIM_HW_PCIE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "sim/sim.h"

#define PCIE_TIME_NEVER		UINT64_MAX

/* Identity of the modelled function (QEMU's "edu" teaching device). */
#define PCIE_EP_VENDOR		0x1234
#define PCIE_EP_DEVICE		0x11e8
#define PCIE_EP_CLASS		0x00ff0000	/* class code << 8 | revision */

#define PCIE_INV_QUEUE_MAX	32	/* ITags 0..31 (PCIe 10.3.1) */
#define PCIE_PRGI_COUNT		512	/* PRG index is 9 bits (PCIe 10.4.1) */

/*
 * A Translation Request is re-issued when an invalidation covering its
 * page was processed while it was in flight (its answer may predate the
 * invalidation).  After this many tries the access fails.
 */
#define PCIE_ATS_MAX_TRIES	8

/* Gap between two page requests of knob pri=flood: link time of one 4-DW message, ns. */
#define PCIE_PRI_FLOOD_GAP	100

/* Why a page request group stopped waiting (besides a PCIE_PRG_RESP_* code). */
#define PCIE_PRG_TIMEOUT	0x100	/* prg_response_timeout elapsed */
#define PCIE_PRG_ABANDONED	0x101	/* reset, hang or Response Failure */

/* A task of the model blocked on something of the model. */
struct pcie_wait {
	struct sim_task *task;
	bool blocked;
	struct pcie_wait *next;		/* on a wait list */
};

/* The function as the link sees it. */
enum pcie_fn_state {
	PCIE_FN_READY,
	PCIE_FN_FLR,		/* FLR in progress until flr_done_at */
	PCIE_FN_FLR_FAILED,	/* knob flr=fail: never ready */
	PCIE_FN_HUNG,		/* knob flr=hang: gone altogether */
};

struct pcie_atc_entry {
	bool valid;
	bool pasid_valid;
	uint32_t pasid;
	uint64_t lru;		/* stamp of last use: smallest is evicted */
	struct hw_xlate x;
};

/* A Translation Request in flight, so invalidations can poison it. */
struct pcie_xlate_flight {
	uint64_t page;
	bool pasid_valid;
	uint32_t pasid;
	bool poisoned;
	struct pcie_xlate_flight *next;
};

/* One queued ATS Invalidation Request. */
struct pcie_inv_slot {
	bool used;
	struct pcie_inv_req req;
	enum pcie_atc_inv_mode mode;	/* the knob when it arrived */
	sim_time_t due;			/* answer time, PCIE_TIME_NEVER: never */
	uint64_t seq;			/* arrival order */
};

/* A task waiting for a PRG Response. */
struct pcie_prg_waiter {
	struct pcie_wait w;
	bool done;
	unsigned result;	/* PCIE_PRG_RESP_*, PCIE_PRG_TIMEOUT, _ABANDONED */
};

/* One outstanding page request group (@npages requests, from @addr up). */
struct pcie_prg {
	struct pcie_ep *ep;
	bool used;
	uint16_t prgi;
	uint32_t sid;
	bool pasid_valid;
	uint32_t pasid;
	uint64_t addr;
	unsigned npages;
	bool write;
	sim_time_t sent_at;
	struct sim_timer timer;		/* prg_response_timeout */
	struct pcie_prg_waiter *waiter;	/* NULL for flood requests */
};

struct pcie_stream_state {
	struct pcie_dma_stream st;
	uint64_t done;			/* accesses made */
	sim_time_t next_at;		/* time of the next access, ns */
};

struct pcie_ep {
	struct sim *sim;
	struct pcie_ep *next;		/* endpoints of the same simulator */
	struct pcie_ep_config cfg;
	char name[PCIE_EP_NAME_LEN];
	struct pcie_upstream up;
	struct pcie_ep_knobs knobs;
	struct pcie_ep_stats stats;

	/* configuration space (pcie_cfg.c) */
	uint8_t cs[PCIE_CFG_SIZE];	/* register contents */
	uint8_t cs_rw[PCIE_CFG_SIZE];	/* bits software may write */
	uint8_t cs_rw1c[PCIE_CFG_SIZE];	/* bits cleared by writing 1 */
	enum pcie_fn_state fn;
	sim_time_t flr_done_at;
	struct sim_timer flr_timer;
	unsigned np_inflight;		/* non-posted requests: DEVSTA.TRPND */

	/* ATC (pcie_atc.c) */
	struct pcie_atc_entry *atc;
	uint64_t atc_clock;
	struct pcie_xlate_flight *flights;
	unsigned translated_inflight;	/* translated requests in flight */

	/* invalidation queue (pcie_atc.c) */
	struct pcie_inv_slot inv[PCIE_INV_QUEUE_MAX];
	uint64_t inv_seq;
	struct sim_task *inv_task;
	struct pcie_wait inv_wait;
	struct sim_timer inv_timer;

	/* PRI (pcie_pri.c) */
	struct pcie_prg *prg;		/* PCIE_PRGI_COUNT slots */
	uint64_t *prg_lat;		/* LAST -> response of each answered PRG, ns */
	size_t nprg_lat, prg_lat_cap;
	unsigned prg_outstanding;	/* groups */
	unsigned req_outstanding;	/* page requests of those groups: credits */
	uint16_t prgi_next;
	bool pri_rf_stopped;		/* Response Failure: no more requests */
	struct pcie_wait *credit_waiters;
	uint64_t flood_next;		/* pages flooded so far */

	/* DMA engine (pcie_dma.c) */
	struct pcie_stream_state streams[PCIE_EP_MAX_STREAMS];
	int nstreams;
	struct sim_task *dma_task;
	struct pcie_wait dma_wait;
	struct sim_timer dma_timer;
};

/* ---- waiting (pcie_ep.c) ---- */
void pcie_wait_block(struct pcie_wait *w, const char *what, const void *obj, bool idle);
void pcie_wait_wake(struct pcie_wait *w);
void pcie_wait_list_add(struct pcie_wait **head, struct pcie_wait *w);
void pcie_wait_list_del(struct pcie_wait **head, struct pcie_wait *w);
void pcie_wait_list_wake(struct pcie_wait *head);
void pcie_log(struct pcie_ep *ep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pcie_knobs_after_reset(struct pcie_ep *ep);

/* ---- configuration space (pcie_cfg.c) ---- */
void pcie_cfg_init(struct pcie_ep *ep);
bool pcie_fn_ready(const struct pcie_ep *ep);
bool pcie_dma_allowed(const struct pcie_ep *ep);
uint16_t pcie_cfg_get16(const struct pcie_ep *ep, unsigned off);
uint32_t pcie_cfg_get32(const struct pcie_ep *ep, unsigned off);
void pcie_cfg_set16(struct pcie_ep *ep, unsigned off, uint16_t val);
bool pcie_pasid_enabled(const struct pcie_ep *ep);
void pcie_flr_revive(struct pcie_ep *ep);
void pcie_flr_timer_fire(struct sim_timer *t);

/* ---- ATC and invalidations (pcie_atc.c) ---- */
int pcie_atc_init(struct pcie_ep *ep);
int pcie_inv_task_start(struct pcie_ep *ep);
struct pcie_atc_entry *pcie_atc_find(struct pcie_ep *ep, uint64_t page,
				     bool pasid_valid, uint32_t pasid);
struct pcie_atc_entry *pcie_atc_insert(struct pcie_ep *ep, bool pasid_valid,
				       uint32_t pasid, const struct hw_xlate *x);
void pcie_atc_flush(struct pcie_ep *ep);
void pcie_inv_forget(struct pcie_ep *ep);
void pcie_translated_done(struct pcie_ep *ep);
void pcie_inv_timer_fire(struct sim_timer *t);

/* ---- page requests (pcie_pri.c) ---- */
int pcie_pri_init(struct pcie_ep *ep);
bool pcie_pri_may_request(const struct pcie_ep *ep);
bool pcie_pri_has_credit(const struct pcie_ep *ep);
/* The shape of the page request group an access sends (its stream's). */
struct pcie_prg_shape {
	unsigned pages;		/* requests in the group, >= 1 */
	sim_time_t gap;		/* ns between two of them */
};
int pcie_pri_fault(struct pcie_ep *ep, uint32_t sid, uint64_t page, bool write,
		   bool pasid_valid, uint32_t pasid, const struct pcie_prg_shape *shape);
void pcie_pri_flood_one(struct pcie_ep *ep);
void pcie_pri_forget(struct pcie_ep *ep);
void pcie_pri_reset(struct pcie_ep *ep);
void pcie_pri_enable_changed(struct pcie_ep *ep, bool enabled);
uint16_t pcie_pri_status_dynamic(const struct pcie_ep *ep);

/* ---- DMA engine (pcie_dma.c) ---- */
int pcie_dma_access(struct pcie_ep *ep, uint32_t sid, uint64_t iova, bool write,
		    bool pasid_valid, uint32_t pasid, uint64_t *val,
		    const struct pcie_prg_shape *shape);
int pcie_dma_engine_start(struct pcie_ep *ep);
void pcie_dma_kick(struct pcie_ep *ep);
void pcie_dma_timer_fire(struct sim_timer *t);

#endif
