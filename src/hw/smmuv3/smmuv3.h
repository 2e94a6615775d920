/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 model (DESIGN.md section 4), public interface.
 *
 * Software reaches it only through 32/64-bit MMIO (smmuv3_read32() ...,
 * each a scheduling point) and through memory it reads (queues, stream
 * table, CDs, page tables); it reaches software only through IRQ lines and
 * memory it writes (event and PRI queues, MSI writes).  Endpoints reach it
 * through the struct pcie_upstream smmuv3_upstream() returns; it reaches
 * them through pcie_ep_inv_request() / pcie_ep_prg_response().
 *
 * Files, one concern each (all in src/hw/smmuv3/):
 *   smmuv3.c        create/destroy, endpoint ports, upstream ops, stats
 *   smmuv3_regs.c   the register file: MMIO reads/writes, CR0/CR0ACK,
 *                   IRQ_CTRL, GERRORN acknowledgement, queue registers
 *   smmuv3_queue.c  queue index arithmetic (wrap bits, full/empty) and
 *                   entry access in memory
 *   smmuv3_cmdq.c   the command engine task, CMD_SYNC, command errors
 *   smmuv3_gerror.c GERROR activation, SFM, IRQ lines and MSI writes
 *   smmuv3_atc.c    ATC_INV dispatch, completions, completion timeouts
 *   smmuv3_cfg.c    STE/CD fetch (linear and 2-level) and the config cache
 *   smmuv3_tlb.c    the TLB tagged by ASID/VMID, TLBI_* commands
 *   smmuv3_xlate.c  translation of untranslated requests, faults, stall
 *   smmuv3_ats.c    ATS Translation Requests, translated requests (EATS)
 *   smmuv3_evtq.c   the event queue producer, overflow
 *   smmuv3_priq.c   the PRI queue producer, overflow auto-responses,
 *                   PRI_RESP
 *   smmuv3_codec.c  record encodings (commands, events, PRI, STE, CD)
 *   smmuv3_regs.h   field masks, bit-exact to the architecture
 *
 * Units: times in ns, queue sizes as log2(entries) in registers and as
 * entries in struct smmuv3_config.
 */
#ifndef IOMMUSIM_HW_SMMUV3_H
#define IOMMUSIM_HW_SMMUV3_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/pcie/pcie_link.h"
#include "hw/smmuv3/smmuv3_codec.h"
#include "sim/sim.h"

struct smmuv3;

/* IRQ outputs (wired, edge-triggered). */
enum smmuv3_irq {
	SMMUV3_IRQ_GERROR,
	SMMUV3_IRQ_EVTQ,
	SMMUV3_IRQ_PRIQ,
	SMMUV3_IRQ_CMDQ_SYNC,	/* CMD_SYNC with CS=IRQ and no MSI address */
	SMMUV3_NR_IRQS,
};

/**
 * struct smmuv3_config - an SMMU's make-up (what its ID registers say).
 * @name:		"smmu0".
 * @cmdq_entries, @evtq_entries, @priq_entries: the largest queue sizes
 *			the SMMU supports (IDR1.CMDQS/EVTQS/PRIQS), powers of
 *			two; software programs the size it uses in *_BASE.
 * @sid_bits:		IDR1.SIDSIZE.
 * @ssid_bits:		IDR1.SSIDSIZE (0: no substreams).
 * @ats, @pri, @msi, @s2p, @hyp, @cd2l, @st_2lvl: IDR0 features.
 * @stall_model:	IDR0.STALL_MODEL (SMMUV3_IDR0_STALL_MODEL_*).
 * @stall_max:		IDR5.STALL_MAX: stalled transactions held at once.
 * @tlb_entries:	TLB capacity, entries.
 * @cfg_cache_entries:	config cache capacity (STEs + CDs), entries.
 * @cmd_ns:		time the engine spends on one command.
 * @walk_ns:		time of one table-walk level.
 * @mmio_read_ns:	time a CPU waits for one register read (a Device
 *			memory read across the interconnect), ns; writes are
 *			posted and cost nothing.  Default 0.
 * @irq:		the lines to raise (may be NULL: not wired); the same
 *			line in several slots models a combined interrupt.
 */
struct smmuv3_config {
	const char *name;
	unsigned cmdq_entries;
	unsigned evtq_entries;
	unsigned priq_entries;
	unsigned sid_bits;
	unsigned ssid_bits;
	bool ats;
	bool pri;
	bool msi;
	bool s2p;
	bool hyp;
	bool cd2l;
	bool st_2lvl;
	uint8_t stall_model;
	unsigned stall_max;
	unsigned tlb_entries;
	unsigned cfg_cache_entries;
	sim_time_t cmd_ns;
	sim_time_t walk_ns;
	sim_time_t mmio_read_ns;
	struct sim_irq *irq[SMMUV3_NR_IRQS];
};

/* Counters, for reports, tests and benchmarks. */
struct smmuv3_stats {
	uint64_t cmds;			/* commands consumed */
	uint64_t syncs;			/* CMD_SYNCs completed */
	uint64_t cmd_errors[4];		/* by CERROR_* code */
	uint64_t cfgi, tlbi;
	uint64_t tlb_hits, tlb_misses, walks;
	uint64_t cfg_hits, cfg_misses;
	uint64_t translations, faults;
	uint64_t events, events_lost;	/* written / dropped on overflow */
	uint64_t stalls, resumes, resumes_unmatched;
	uint64_t ats_requests, ats_ur;
	uint64_t translated_ok, translated_refused;
	uint64_t atc_inv_sent, atc_inv_done, atc_inv_timeouts;
	uint64_t atc_cpl_late, atc_cpl_dup, atc_cpl_wrong_requester;
	uint64_t page_requests, pri_lost, pri_auto_responses;
	uint64_t pri_resps, pri_resps_unrouted;
	uint64_t msi_writes, irqs_raised;
	uint64_t gerrors;		/* GERROR activations */
};

/** smmuv3_config_default() - ATS, PRI, MSI, stall, 256/128/128 entries, 16-bit SIDs, 20-bit SSIDs. */
void smmuv3_config_default(struct smmuv3_config *cfg);

/**
 * smmuv3_create() - an SMMU in its reset state (every enable off, GBPA
 * abort clear) on memory @mem, with its command-engine task.
 * Return: the SMMU, or NULL (-EINVAL: a queue size that is not a power of
 * two in 2..2^19, sid_bits > 32, ssid_bits > 20; -ENOMEM).  Freed with
 * the simulator (sim_at_destroy).
 * Context: set-up (main context) or a task.
 */
struct smmuv3 *smmuv3_create(struct sim *s, struct hw_mem *mem, const struct smmuv3_config *cfg);

/** smmuv3_name() - the name it was made with. */
const char *smmuv3_name(const struct smmuv3 *smmu);

/**
 * smmuv3_read32() / smmuv3_write32() / smmuv3_read64() / smmuv3_write64()
 * - an MMIO access at byte offset @off (page 0 at 0, page 1 at
 * SMMUV3_PAGE1).  A scheduling point in task context.  Reserved and
 * unimplemented offsets read 0 and ignore writes (counted); read-only
 * registers ignore writes, as the architecture says.
 */
uint32_t smmuv3_read32(struct smmuv3 *smmu, uint32_t off);
void smmuv3_write32(struct smmuv3 *smmu, uint32_t off, uint32_t val);
uint64_t smmuv3_read64(struct smmuv3 *smmu, uint32_t off);
void smmuv3_write64(struct smmuv3 *smmu, uint32_t off, uint64_t val);

/**
 * smmuv3_reg_offset() - offset of register @name ("CR0", "CMDQ_PROD",
 * "EVTQ_PROD", ...), with *@width set to 32 or 64.
 * Return: the offset, or -1 for an unknown name.  Pure.
 */
int smmuv3_reg_offset(const char *name, unsigned *width);

/**
 * smmuv3_connect() - route messages for Stream ID @sid to endpoint @ep
 * (invalidations, PRG responses, auto-responses).
 * @completion_timeout: how long an ATC invalidation to @sid may take
 *		before the CMD_SYNC that follows it fails, ns (> 0).
 * Return: 0, -EINVAL for a SID beyond sid_bits or a zero timeout,
 * -EEXIST when @sid is already connected.
 */
int smmuv3_connect(struct smmuv3 *smmu, uint32_t sid, struct pcie_ep *ep,
		   sim_time_t completion_timeout);

/** smmuv3_upstream() - the upstream endpoints under this SMMU use. */
struct pcie_upstream smmuv3_upstream(struct smmuv3 *smmu);

/**
 * smmuv3_inject_sfm() - make the SMMU enter Service Failure Mode: it
 * activates GERROR.SFM_ERR (with its interrupt), stops consuming commands
 * and terminates every transaction and ATS request until smmuv3_reset().
 */
void smmuv3_inject_sfm(struct smmuv3 *smmu);

/**
 * smmuv3_reset() - a hardware reset: registers back to reset values,
 * caches emptied, stalls terminated, outstanding invalidations dropped.
 */
void smmuv3_reset(struct smmuv3 *smmu);

/**
 * smmuv3_translate() - translate an untranslated access (no memory access
 * is made): what a memory request would use.  May block on a stall.
 * Return: 0 with *@out set; -EFAULT when terminated.  Context: task.
 */
int smmuv3_translate(struct smmuv3 *smmu, const struct pcie_txn *t, struct hw_xlate *out);

/** smmuv3_stats() - counters since creation. */
const struct smmuv3_stats *smmuv3_stats(const struct smmuv3 *smmu);

/** smmuv3_caps() - the capabilities the ID registers advertise. */
const struct smmuv3_caps *smmuv3_caps(const struct smmuv3 *smmu);

/**
 * struct smmuv3_stall_observer - a checker's view of stalled transactions:
 * @fn(@arg, smmu, sid, stag, true, task) when a stall's event record is
 * written (the transaction is held from then on until RESUME or an
 * abort), @fn(..., false, task) when it is released.  Called in the
 * stalled transaction's task; must not take a scheduling point.
 */
struct smmuv3_stall_observer {
	void (*fn)(void *arg, struct smmuv3 *smmu, uint32_t sid, uint16_t stag, bool begin,
		   struct sim_task *task);
	void *arg;
};

/** smmuv3_observe_stalls() - set the stall observer (one).  Return: 0 or -EBUSY. */
int smmuv3_observe_stalls(struct smmuv3 *smmu, const struct smmuv3_stall_observer *obs);

/** smmuv3_stalls_held() - stalled transactions awaiting RESUME. */
unsigned smmuv3_stalls_held(const struct smmuv3 *smmu);

#endif
