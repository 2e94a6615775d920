// SPDX-License-Identifier: MIT
/*
 * PCIe endpoint: the 4 KiB configuration space (layout in pcie_regs.h)
 * and Function Level Reset.
 *
 * Registers live in a byte array with two masks: bits software may write
 * (RW) and bits cleared by writing 1 (RW1C); every other bit is read-only
 * or hardware-owned.  A few fields are computed at read time (DEVCAP.FLR
 * follows the flr knob, DEVSTA.TRPND the requests in flight,
 * PRI_STATUS.STOPPED the PRI state) and a few writes have effects
 * (Command.Bus Master, DEVCTL.BCR_FLR, ATS/PRI/PASID enables, PRI Reset).
 *
 * FLR (PCIe 6.6.2): the function returns its configuration space to the
 * power-on values and drops its internal state; for flr_time it is not
 * ready and answers configuration reads with all ones, which is what
 * Linux's pci_dev_wait() polls for after pcie_flr().
 */
#include "hw/pcie/pcie_internal.h"

#include <string.h>

#define PCI_CLASS_REVISION	0x08	/* 32 bits */
#define PCI_HEADER_TYPE		0x0e	/* 8 bits */
#define PCI_COMMAND_RW		0x0546	/* MEMORY, MASTER, PARITY, SERR, INTX_DISABLE */
#define PCI_STATUS_RW1C		0xf900	/* error status bits */
#define PCI_EXP_FLAGS_V2_EP	0x0002	/* capability version 2, endpoint */
#define PCI_EXP_DEVCTL_RW	0x7fff	/* everything but BCR_FLR */
#define PCI_EXP_DEVSTA_RW1C	0x000f	/* CED, NFED, FED, URD */

static void put(struct pcie_ep *ep, unsigned off, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size; i++)
		ep->cs[off + i] = (uint8_t)(val >> (8 * i));
}

static void mask(uint8_t *m, unsigned off, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size; i++)
		m[off + i] = (uint8_t)(val >> (8 * i));
}

static uint32_t get(const struct pcie_ep *ep, unsigned off, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)ep->cs[off + i] << (8 * i);
	return v;
}

/** pcie_cfg_get16() - raw 16-bit register (no scheduling point, ignores readiness). */
uint16_t pcie_cfg_get16(const struct pcie_ep *ep, unsigned off)
{
	return (uint16_t)get(ep, off, 2);
}

/** pcie_cfg_get32() - raw 32-bit register (no scheduling point, ignores readiness). */
uint32_t pcie_cfg_get32(const struct pcie_ep *ep, unsigned off)
{
	return get(ep, off, 4);
}

/** pcie_cfg_set16() - hardware sets a 16-bit register (status bits). */
void pcie_cfg_set16(struct pcie_ep *ep, unsigned off, uint16_t val)
{
	put(ep, off, 2, val);
}

static void cfg_init_header(struct pcie_ep *ep)
{
	put(ep, PCI_VENDOR_ID, 2, PCIE_EP_VENDOR);
	put(ep, PCI_DEVICE_ID, 2, PCIE_EP_DEVICE);
	mask(ep->cs_rw, PCI_COMMAND, 2, PCI_COMMAND_RW);
	put(ep, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	mask(ep->cs_rw1c, PCI_STATUS, 2, PCI_STATUS_RW1C);
	put(ep, PCI_CLASS_REVISION, 4, PCIE_EP_CLASS | 1);
	put(ep, PCI_HEADER_TYPE, 1, 0);			/* type 0, one function */
	put(ep, PCI_CAPABILITY_LIST, 1, PCIE_EXP_CAP_OFFSET);
}

static void cfg_init_exp(struct pcie_ep *ep)
{
	unsigned c = PCIE_EXP_CAP_OFFSET;

	put(ep, c, 1, PCI_CAP_ID_EXP);			/* next pointer 0 */
	put(ep, c + PCI_EXP_FLAGS, 2, PCI_EXP_FLAGS_V2_EP);
	mask(ep->cs_rw, c + PCI_EXP_DEVCTL, 2, PCI_EXP_DEVCTL_RW);
	mask(ep->cs_rw1c, c + PCI_EXP_DEVSTA, 2, PCI_EXP_DEVSTA_RW1C);
}

/*
 * The extended capabilities present, chained at their fixed offsets.  The
 * chain must start at 0x100 (PCIe 7.6.3); if the first present one lives
 * further up, a Null capability header (ID 0) at 0x100 points to it.
 */
static void cfg_init_ext_chain(struct pcie_ep *ep)
{
	unsigned offs[3], ids[3], n = 0;

	if (ep->cfg.ats) {
		offs[n] = PCIE_ATS_CAP_OFFSET;
		ids[n++] = PCI_EXT_CAP_ID_ATS;
	}
	if (ep->cfg.pri) {
		offs[n] = PCIE_PRI_CAP_OFFSET;
		ids[n++] = PCI_EXT_CAP_ID_PRI;
	}
	if (ep->cfg.pasid) {
		offs[n] = PCIE_PASID_CAP_OFFSET;
		ids[n++] = PCI_EXT_CAP_ID_PASID;
	}
	if (n && offs[0] != PCIE_EXT_CAP_START)
		put(ep, PCIE_EXT_CAP_START, 4, (uint32_t)offs[0] << 20);
	for (unsigned i = 0; i < n; i++) {
		uint32_t next = i + 1 < n ? offs[i + 1] : 0;

		put(ep, offs[i], 4, ids[i] | 1U << 16 | next << 20);
	}
}

static void cfg_init_ext(struct pcie_ep *ep)
{
	unsigned a = PCIE_ATS_CAP_OFFSET, p = PCIE_PRI_CAP_OFFSET;
	unsigned s = PCIE_PASID_CAP_OFFSET;

	cfg_init_ext_chain(ep);
	if (ep->cfg.ats) {
		put(ep, a + PCI_ATS_CAP, 2, PCI_ATS_CAP_QDEP(ep->cfg.inv_queue_depth) |
		    PCI_ATS_CAP_PAGE_ALIGNED);
		mask(ep->cs_rw, a + PCI_ATS_CTRL, 2, PCI_ATS_CTRL_ENABLE | PCI_ATS_CTRL_STU(0x1f));
	}
	if (ep->cfg.pri) {
		mask(ep->cs_rw, p + PCI_PRI_CTRL, 2, PCI_PRI_CTRL_ENABLE);
		put(ep, p + PCI_PRI_STATUS, 2, ep->cfg.pasid ? PCI_PRI_STATUS_PASID : 0);
		mask(ep->cs_rw1c, p + PCI_PRI_STATUS, 2, PCI_PRI_STATUS_RF | PCI_PRI_STATUS_UPRGI);
		put(ep, p + PCI_PRI_MAX_REQ, 4, ep->cfg.pri_max_requests);
		mask(ep->cs_rw, p + PCI_PRI_ALLOC_REQ, 4, 0xffffffff);
	}
	if (ep->cfg.pasid) {
		put(ep, s + PCI_PASID_CAP, 2, (ep->cfg.pasid_bits & 0x1f) << 8);
		mask(ep->cs_rw, s + PCI_PASID_CTRL, 2, PCI_PASID_CTRL_ENABLE);
	}
}

/**
 * pcie_cfg_init() - the configuration space at its power-on (and
 * post-FLR) values: IDs, capability chain, every enable clear.
 */
void pcie_cfg_init(struct pcie_ep *ep)
{
	memset(ep->cs, 0, sizeof(ep->cs));
	memset(ep->cs_rw, 0, sizeof(ep->cs_rw));
	memset(ep->cs_rw1c, 0, sizeof(ep->cs_rw1c));
	cfg_init_header(ep);
	cfg_init_exp(ep);
	cfg_init_ext(ep);
}

/** pcie_fn_ready() - the function answers configuration requests. */
bool pcie_fn_ready(const struct pcie_ep *ep)
{
	return ep->fn == PCIE_FN_READY;
}

/** pcie_dma_allowed() - ready and Bus Master Enable set (PCI 6.2.2 Command). */
bool pcie_dma_allowed(const struct pcie_ep *ep)
{
	return pcie_fn_ready(ep) && (pcie_cfg_get16(ep, PCI_COMMAND) & PCI_COMMAND_MASTER);
}

/** pcie_pasid_enabled() - PASID_CTRL.ENABLE (PCIe 7.8.9.3). */
bool pcie_pasid_enabled(const struct pcie_ep *ep)
{
	return ep->cfg.pasid &&
	       (pcie_cfg_get16(ep, PCIE_PASID_CAP_OFFSET + PCI_PASID_CTRL) & PCI_PASID_CTRL_ENABLE);
}

/* Fields that follow the function's state rather than what was written. */
static void cfg_refresh(struct pcie_ep *ep)
{
	unsigned c = PCIE_EXP_CAP_OFFSET;
	uint32_t devcap = pcie_cfg_get32(ep, c + PCI_EXP_DEVCAP) & ~PCI_EXP_DEVCAP_FLR;
	uint16_t devsta = pcie_cfg_get16(ep, c + PCI_EXP_DEVSTA) & ~PCI_EXP_DEVSTA_TRPND;

	if (ep->cfg.flr_capable && ep->knobs.flr != PCIE_FLR_ENOTTY)
		devcap |= PCI_EXP_DEVCAP_FLR;
	if (ep->np_inflight)
		devsta |= PCI_EXP_DEVSTA_TRPND;
	put(ep, c + PCI_EXP_DEVCAP, 4, devcap);
	put(ep, c + PCI_EXP_DEVSTA, 2, devsta);
	if (ep->cfg.pri) {
		unsigned st = PCIE_PRI_CAP_OFFSET + PCI_PRI_STATUS;
		uint16_t v = pcie_cfg_get16(ep, st) & ~PCI_PRI_STATUS_STOPPED;

		put(ep, st, 2, v | pcie_pri_status_dynamic(ep));
	}
}

static bool cfg_access_ok(unsigned off, unsigned size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	return !(off & (size - 1)) && off + size <= PCIE_CFG_SIZE;
}

static uint32_t all_ones(unsigned size)
{
	return (uint32_t)(0xffffffffULL >> (32 - 8 * size));
}

/**
 * pcie_ep_cfg_read() - a Configuration Read Request (PCI 6.1, PCIe 7.2).
 * @off: byte offset (naturally aligned), @size: 1, 2 or 4 bytes.
 * A scheduling point.  Return: the register value; all ones of @size
 * while the function is not ready (FLR running, failed or hung), as a
 * Configuration Request Retry / unsupported request looks to software;
 * 0xffffffff for a bad @size or @off.
 */
uint32_t pcie_ep_cfg_read(struct pcie_ep *ep, unsigned off, unsigned size)
{
	sim_point();
	if (!cfg_access_ok(off, size))
		return 0xffffffff;
	if (!pcie_fn_ready(ep))
		return all_ones(size);
	cfg_refresh(ep);
	return get(ep, off, size);
}

static bool covers(unsigned off, unsigned size, unsigned reg)
{
	return reg >= off && reg < off + size;
}

/* Byte @reg of the written value (the write covers it). */
static uint8_t wbyte(unsigned off, uint32_t val, unsigned reg)
{
	return (uint8_t)(val >> (8 * (reg - off)));
}

static void cfg_write_bytes(struct pcie_ep *ep, unsigned off, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned r = off + i;
		uint8_t b = (uint8_t)(val >> (8 * i));

		ep->cs[r] = (ep->cs[r] & ~ep->cs_rw[r]) | (b & ep->cs_rw[r]);
		ep->cs[r] &= ~(b & ep->cs_rw1c[r]);
	}
}

/* A write of 1 to DEVCTL.BCR_FLR (PCIe 7.5.3.4). */
static bool wrote_bcr_flr(unsigned off, unsigned size, uint32_t val)
{
	unsigned hi = PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCTL + 1;

	return covers(off, size, hi) && (wbyte(off, val, hi) & (PCI_EXP_DEVCTL_BCR_FLR >> 8));
}

/* A write of 1 to PRI_CTRL.RESET (PCIe 10.5.2.2). */
static bool wrote_pri_reset(const struct pcie_ep *ep, unsigned off, unsigned size, uint32_t val)
{
	unsigned lo = PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL;

	return ep->cfg.pri && covers(off, size, lo) && (wbyte(off, val, lo) & PCI_PRI_CTRL_RESET);
}

struct cfg_snapshot {
	uint16_t command, ats_ctrl, pri_ctrl;
	uint32_t pri_alloc;
};

static void cfg_snapshot(const struct pcie_ep *ep, struct cfg_snapshot *s)
{
	s->command = pcie_cfg_get16(ep, PCI_COMMAND);
	s->ats_ctrl = pcie_cfg_get16(ep, PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL);
	s->pri_ctrl = pcie_cfg_get16(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL);
	s->pri_alloc = pcie_cfg_get32(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_ALLOC_REQ);
}

/* What changing the enables does. */
static void cfg_write_effects(struct pcie_ep *ep, const struct cfg_snapshot *o)
{
	struct cfg_snapshot n;

	cfg_snapshot(ep, &n);
	if ((o->command ^ n.command) & PCI_COMMAND_MASTER)
		pcie_log(ep, "bus master %s", n.command & PCI_COMMAND_MASTER ? "on" : "off");
	if (ep->cfg.ats && ((o->ats_ctrl ^ n.ats_ctrl) & PCI_ATS_CTRL_ENABLE)) {
		pcie_log(ep, "ATS %s", n.ats_ctrl & PCI_ATS_CTRL_ENABLE ? "enabled" : "disabled");
		if (!(n.ats_ctrl & PCI_ATS_CTRL_ENABLE))
			pcie_atc_flush(ep);
	}
	if (ep->cfg.pri && ((o->pri_ctrl ^ n.pri_ctrl) & PCI_PRI_CTRL_ENABLE))
		pcie_pri_enable_changed(ep, n.pri_ctrl & PCI_PRI_CTRL_ENABLE);
	if (o->pri_alloc != n.pri_alloc)
		pcie_wait_list_wake(ep->credit_waiters);
	pcie_dma_kick(ep);
}

static void flr_start(struct pcie_ep *ep);

/**
 * pcie_ep_cfg_write() - a Configuration Write Request (PCI 6.1, PCIe 7.2).
 * A scheduling point.  RW bits take the value, RW1C bits written 1 clear,
 * other bits keep theirs.  Effects: Bus Master and ATS/PRI enables gate
 * the DMA engine, clearing ATS_CTRL.ENABLE empties the ATC, writing
 * PRI_CTRL.RESET while PRI is (being) disabled resets PRI, writing
 * DEVCTL.BCR_FLR 1 starts an FLR (as the flr knob says).  Dropped while
 * the function is not ready and for a bad @size/@off.
 */
void pcie_ep_cfg_write(struct pcie_ep *ep, unsigned off, unsigned size, uint32_t val)
{
	struct cfg_snapshot o;

	sim_point();
	if (!cfg_access_ok(off, size) || !pcie_fn_ready(ep))
		return;
	cfg_snapshot(ep, &o);
	cfg_write_bytes(ep, off, size, val);
	if (wrote_pri_reset(ep, off, size, val) &&
	    !(pcie_cfg_get16(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL) & PCI_PRI_CTRL_ENABLE))
		pcie_pri_reset(ep);
	cfg_write_effects(ep, &o);
	if (wrote_bcr_flr(off, size, val))
		flr_start(ep);
}

/**
 * pcie_ep_find_ext_cap() - walk the extended capability chain from 0x100
 * as Linux's pci_find_ext_capability() does (at most 480 hops, next
 * pointers below 0x100 end it).  Reads the registers directly: not a
 * scheduling point, and works while the function is not ready.
 * Return: the offset of capability @id, or 0.
 */
unsigned pcie_ep_find_ext_cap(const struct pcie_ep *ep, unsigned id)
{
	unsigned pos = PCIE_EXT_CAP_START;
	int ttl = (PCIE_CFG_SIZE - PCIE_EXT_CAP_START) / 8;
	uint32_t header = pcie_cfg_get32(ep, pos);

	if (!header)
		return 0;
	while (ttl-- > 0) {
		if (PCI_EXT_CAP_ID(header) == id)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCIE_EXT_CAP_START)
			break;
		header = pcie_cfg_get32(ep, pos);
	}
	return 0;
}

/* ---- Function Level Reset ---- */

/* The reset itself: state a function loses in an FLR (PCIe 6.6.2). */
static void fn_reset(struct pcie_ep *ep)
{
	pcie_cfg_init(ep);
	pcie_atc_flush(ep);
	pcie_inv_forget(ep);
	pcie_pri_forget(ep);
	ep->pri_rf_stopped = false;
}

static void flr_start(struct pcie_ep *ep)
{
	switch (ep->knobs.flr) {
	case PCIE_FLR_ENOTTY:
		pcie_log(ep, "FLR ignored (not FLR capable)");
		return;
	case PCIE_FLR_FAIL:
		ep->stats.flrs++;
		ep->stats.flrs_failed++;
		ep->fn = PCIE_FN_FLR_FAILED;
		pcie_log(ep, "FLR failed: function never ready");
		return;
	case PCIE_FLR_HANG:
		ep->stats.flrs++;
		ep->stats.flrs_failed++;
		ep->fn = PCIE_FN_HUNG;
		pcie_inv_forget(ep);
		pcie_pri_forget(ep);
		pcie_log(ep, "FLR hung: function gone");
		return;
	case PCIE_FLR_OK:
		break;
	}
	ep->stats.flrs++;
	fn_reset(ep);
	ep->fn = PCIE_FN_FLR;
	ep->flr_done_at = sim_now() + ep->cfg.flr_time;
	sim_timer_arm(&ep->flr_timer, ep->flr_done_at);
	pcie_log(ep, "FLR started");
	pcie_wait_list_wake(ep->credit_waiters);
	pcie_dma_kick(ep);
}

/**
 * pcie_flr_timer_fire() - flr_time elapsed: the function is ready again
 * and knobs that do not survive a reset go back to ok.
 * Context: timer callback (scheduler context).
 */
void pcie_flr_timer_fire(struct sim_timer *t)
{
	struct pcie_ep *ep = t->data;

	if (ep->fn != PCIE_FN_FLR)
		return;
	ep->fn = PCIE_FN_READY;
	pcie_knobs_after_reset(ep);
	pcie_log(ep, "FLR complete");
	pcie_dma_kick(ep);
}

/**
 * pcie_flr_revive() - the flr knob was set: a function left not ready by
 * flr=fail, or gone by flr=hang, answers again with the state it had (no
 * reset happens).  An FLR still running is left to complete.
 */
void pcie_flr_revive(struct pcie_ep *ep)
{
	if (ep->fn != PCIE_FN_FLR_FAILED && ep->fn != PCIE_FN_HUNG)
		return;
	ep->fn = PCIE_FN_READY;
	pcie_log(ep, "function responds again");
	pcie_wait_list_wake(ep->credit_waiters);
	pcie_dma_kick(ep);
}
