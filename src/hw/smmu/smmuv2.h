/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv2 model (DESIGN.md section 4): context banks with stall-on-fault,
 * their context fault interrupts, and the platform masters (a GPU, say)
 * whose transactions they translate.
 *
 * Software reaches it only through 32/64-bit MMIO (smmuv2_read32() ...,
 * each a scheduling point that costs config.mmio_ns of virtual time, as an
 * uncached device access does); it reaches software only through its
 * context interrupt outputs, wired by the platform to IRQ lines (several
 * banks may share one line).  Masters reach it through smmuv2_access().
 *
 * Modelled (register names and bits: hw/smmu/smmuv2_regs.h):
 *   - sCR0.CLIENTPD (1 at reset: every transaction bypasses);
 *   - stream indexing: S2CR[SID] = {TYPE trans/bypass/fault, CBNDX};
 *   - per context bank: SCTLR (M, CFRE, CFIE, CFCFG), TTBR0 (the root of
 *     the simplified table of hw/pgtable.h), FSR, FAR, FSYNR0, RESUME;
 *   - a context fault (no translation, or no permission) records TF/PF
 *     in FSR with FAR and FSYNR0 - or only MULTI when a fault bit is
 *     already set - and then, with SCTLR.CFCFG = 1, holds the transaction
 *     and sets FSR.SS until RESUME is written (retry: translate again;
 *     TERMINATE: abort); with CFCFG = 0 it aborts at once;
 *   - FSR fault bits and MULTI are write-1-to-clear; SS is read-only and
 *     cleared by the RESUME write (a RESUME with SS = 0 is ignored);
 *   - the context interrupt of a bank is asserted (level) while SCTLR.CFIE
 *     is 1 and an FSR fault bit or MULTI is set, and - when the
 *     implementation option ss_asserts_irq is set, as on some Qualcomm
 *     parts - while SS is set.  A line shared by several banks is the OR.
 * Not modelled: stream matching (SMR), stage 2, TLBs and their
 * maintenance (every translation walks), global faults, ATS1* operations,
 * HUPCF (a transaction to a bank that holds a stalled one waits behind it).
 *
 * Stalled-transaction lifecycle of one bank (smmuv2_cb_invariant()):
 *
 *           fault, CFCFG=1                 RESUME (SS=1), retry
 *   IDLE ------------------> STALLED -------------------------> RETRYING
 *    ^                        |   ^                                |  |
 *    |  RESUME TERMINATE      |   '------ fault again, CFCFG=1 ----'  |
 *    '------------------------'<------------- translated -------------'
 *
 *   SS is 1 exactly in STALLED; at most one transaction is held per bank.
 *
 * Checkers observe the model through struct smmuv2_observer (faults
 * recorded, fault bits cleared by software, stalls begun and ended);
 * observers never change what the model does.
 *
 * Units: times in ns.  Context: every function may be called from any
 * task (or set-up code) unless it says otherwise.
 */
#ifndef IOMMUSIM_HW_SMMUV2_H
#define IOMMUSIM_HW_SMMUV2_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/mem.h"
#include "sim/sim.h"

#define SMMUV2_MAX_CBS		128	/* ARM_SMMU_MAX_CBS */
#define SMMUV2_MAX_SID_BITS	10	/* the model's S2CR table: 1024 streams */

struct smmuv2;

/**
 * struct smmuv2_config - an SMMU's make-up.
 * @name:		"smmu0".
 * @num_cbs:		context banks (ID1.NUMCB), 1..SMMUV2_MAX_CBS.
 * @sid_bits:		stream ID width (ID0.NUMSIDB), 1..SMMUV2_MAX_SID_BITS.
 * @ss_asserts_irq:	implementation option: FSR.SS asserts the context
 *			interrupt (with CFIE = 1) as a fault bit does.
 * @mmio_ns:		virtual time of one register access.
 * @walk_ns:		virtual time of one table walk.
 * @cb_irq:		the line each bank's context interrupt drives (NULL:
 *			not wired); the same line for several banks shares it.
 */
struct smmuv2_config {
	const char *name;
	unsigned num_cbs;
	unsigned sid_bits;
	bool ss_asserts_irq;
	sim_time_t mmio_ns;
	sim_time_t walk_ns;
	struct sim_irq *cb_irq[SMMUV2_MAX_CBS];
};

/* Counters, for reports and tests. */
struct smmuv2_stats {
	uint64_t transactions;		/* smmuv2_access() calls */
	uint64_t translated, bypassed;
	uint64_t faults;		/* context faults recorded (incl. MULTI) */
	uint64_t multi;			/* faults recorded only as MULTI */
	uint64_t stalls;		/* transactions held */
	uint64_t resumes_retry, resumes_terminate;
	uint64_t resumes_ignored;	/* RESUME written with SS = 0 */
	uint64_t resume_before_clear;	/* RESUME written with fault bits set */
	uint64_t aborts;		/* transactions aborted */
	uint64_t irq_assertions;	/* a bank's interrupt went from low to high */
	uint64_t mmio_bad;		/* accesses to unimplemented offsets */
};

/** smmuv2_config_default() - 8 banks, 7-bit SIDs, SS does not assert, 100 ns MMIO, 100 ns walk. */
void smmuv2_config_default(struct smmuv2_config *cfg);

/**
 * smmuv2_create() - an SMMU in its reset state on memory @mem.
 * Return: the SMMU, or NULL (-EINVAL: num_cbs or sid_bits out of range;
 * -ENOMEM).  Freed with the simulator (sim_at_destroy).
 * Context: set-up (main context) or a task.
 */
struct smmuv2 *smmuv2_create(struct sim *s, struct hw_mem *mem, const struct smmuv2_config *cfg);

/** smmuv2_name() - the name it was made with. */
const char *smmuv2_name(const struct smmuv2 *smmu);

/**
 * smmuv2_read32() / smmuv2_write32() / smmuv2_read64() / smmuv2_write64()
 * - an MMIO access at byte offset @off from the SMMU base.  A scheduling
 * point, then config.mmio_ns of virtual time, then the access (in task
 * context; in set-up code the access only).  Unimplemented offsets read 0
 * and ignore writes (counted in stats.mmio_bad); read-only registers
 * ignore writes.  A 64-bit access to FAR or TTBR0 is one access; other
 * 64-bit accesses are two 32-bit ones.
 */
uint32_t smmuv2_read32(struct smmuv2 *smmu, uint32_t off);
void smmuv2_write32(struct smmuv2 *smmu, uint32_t off, uint32_t val);
uint64_t smmuv2_read64(struct smmuv2 *smmu, uint32_t off);
void smmuv2_write64(struct smmuv2 *smmu, uint32_t off, uint64_t val);

/** smmuv2_cb_base() - byte offset of context bank @cb's page. */
uint32_t smmuv2_cb_base(const struct smmuv2 *smmu, unsigned cb);

/**
 * smmuv2_reg_offset() - the offset of register @name: "sCR0", "ID0",
 * "ID1", "S2CR<sid>", "CBAR<n>", "CB<n>_SCTLR", "CB<n>_RESUME",
 * "CB<n>_TTBR0", "CB<n>_FSR", "CB<n>_FAR", "CB<n>_FSYNR0".
 * @width: set to 32 or 64.
 * Return: the offset, or -1 for an unknown name or an index out of range.
 */
int smmuv2_reg_offset(const struct smmuv2 *smmu, const char *name, unsigned *width);

/** smmuv2_reg_offset_cfg() - the same for an SMMU made with @cfg (before it exists).  Pure. */
int smmuv2_reg_offset_cfg(const struct smmuv2_config *cfg, const char *name, unsigned *width);

/**
 * struct smmuv2_txn - a transaction from a master.
 * @device:	the master's name, for reports.
 * @sid:	its stream ID.
 * @iova:	input address.
 * @write:	a write (else a read).
 */
struct smmuv2_txn {
	const char *device;
	uint32_t sid;
	uint64_t iova;
	bool write;
};

/**
 * smmuv2_access() - one transaction of up to the rest of a page: translate
 * it (waiting behind a stalled transaction of the same bank, stalling on a
 * fault with CFCFG = 1) and, when translated, access memory through
 * hw_mem_dma() (stale-translation checked).
 * @buf, @len: data to write, or the buffer for the data read.
 * Return: 0; -EFAULT when it was aborted (fault without stall, RESUME
 * TERMINATE, S2CR fault type); -EINVAL for a SID beyond sid_bits.
 * Context: a task (it blocks while stalled).
 */
int smmuv2_access(struct smmuv2 *smmu, const struct smmuv2_txn *t, void *buf, unsigned len);

/** smmuv2_stats() - counters since creation. */
const struct smmuv2_stats *smmuv2_stats(const struct smmuv2 *smmu);

/** smmuv2_num_cbs() - context banks. */
unsigned smmuv2_num_cbs(const struct smmuv2 *smmu);

/** smmuv2_cb_irq() - the line bank @cb's context interrupt drives, or NULL. */
struct sim_irq *smmuv2_cb_irq(const struct smmuv2 *smmu, unsigned cb);

/**
 * struct smmuv2_cb_state - what a checker may see of a bank (not through
 * MMIO: costs no time, takes no scheduling point).
 * @sctlr, @fsr: the registers.  @stalled: a transaction is held.
 * @stalled_since: when the held transaction stalled (ns).
 * @irq_asserted: the bank's context interrupt output is high.
 * @device: the master of the held transaction, or NULL.
 * @iova: its address.
 */
struct smmuv2_cb_state {
	uint32_t sctlr;
	uint32_t fsr;
	bool stalled;
	sim_time_t stalled_since;
	bool irq_asserted;
	const char *device;
	uint64_t iova;
	struct sim_task *waiter;
};

/** smmuv2_cb_peek() - the state of bank @cb (-EINVAL when out of range). */
int smmuv2_cb_peek(const struct smmuv2 *smmu, unsigned cb, struct smmuv2_cb_state *st);

/**
 * smmuv2_cb_invariant() - check the stalled-transaction lifecycle drawn
 * above on every bank: SS set exactly while a transaction is held, the
 * held transaction's task blocked, the interrupt output equal to
 * CFIE && (fault bits || MULTI || (ss_asserts_irq && SS)).
 * Return: NULL when it holds, else a description of the first broken rule.
 */
const char *smmuv2_cb_invariant(const struct smmuv2 *smmu);

/* Events of a bank a checker may observe. */
enum smmuv2_obs_event {
	SMMUV2_OBS_FAULT,		/* a context fault was recorded */
	SMMUV2_OBS_FAULT_CLEARED,	/* software cleared recorded fault bits */
	SMMUV2_OBS_STALL_BEGIN,		/* a transaction is held (SS set) */
	SMMUV2_OBS_STALL_END,		/* RESUME: retried or terminated */
};

/**
 * struct smmuv2_observer - a checker's view of the model.
 * @event: called at each event, in the task that caused it, with the
 *	   bank; it must not access the model through MMIO or block.
 */
struct smmuv2_observer {
	void (*event)(void *arg, struct smmuv2 *smmu, unsigned cb,
		      enum smmuv2_obs_event ev);
	void *arg;
};

/** smmuv2_observe() - add an observer (at most 4).  Return: 0 or -ENOSPC. */
int smmuv2_observe(struct smmuv2 *smmu, const struct smmuv2_observer *obs);

/* ---- Masters: platform devices issuing transactions ---- */

struct smmuv2_master;

/**
 * struct smmuv2_stream - a stream of accesses a master makes, each in turn:
 * the k-th access goes to @iova + (k mod @npages) pages.
 * @interval: time from the end of one access to the next (>= 1 ns).
 * @count: accesses to make; 0 for no limit.  @start: time of the first.
 */
struct smmuv2_stream {
	uint64_t iova;
	unsigned npages;
	bool write;
	sim_time_t interval;
	uint64_t count;
	sim_time_t start;
};

struct smmuv2_master_stats {
	uint64_t accesses, ok, aborted;
};

/**
 * smmuv2_master_create() - a master named @name with stream ID @sid on
 * @smmu (a hardware task per stream, added with smmuv2_master_add_stream()).
 * Return: the master, or NULL (-ENOMEM).  Freed with the simulator.
 */
struct smmuv2_master *smmuv2_master_create(struct sim *s, struct smmuv2 *smmu,
					   const char *name, uint32_t sid);

/** smmuv2_master_add_stream() - start a stream.  Return: 0, -EINVAL (npages 0, interval 0), -ENOMEM. */
int smmuv2_master_add_stream(struct smmuv2_master *m, const struct smmuv2_stream *st);

/** smmuv2_master_stats() - the master's counters. */
const struct smmuv2_master_stats *smmuv2_master_stats(const struct smmuv2_master *m);

#endif /* IOMMUSIM_HW_SMMUV2_H */
