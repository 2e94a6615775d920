/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 driver model (DESIGN.md section 5), after Linux
 * drivers/iommu/arm/arm-smmu-v3/ with the ATC-timeout quarantine series of
 * seed 003 (v4) and the review's alternatives as policies.
 *
 * The driver reaches the SMMU only through MMIO (smmuv3_read32() and
 * friends on smmu->hw: each a scheduling point) and through memory the SMMU
 * reads (queues, stream table, CD tables, page tables) which it allocates
 * from the platform's struct hw_mem and writes through hw_mem_ptr(), as a
 * kernel writes DMA-coherent memory.  Commands, STEs and CDs are built with
 * the architecture's encodings (hw/smmuv3/smmuv3_codec.h and smmuv3_regs.h
 * are pure encoding tables: the facts arm-smmu-v3.h holds in Linux).
 *
 * Files, one concern each:
 *   arm-smmu-v3.h        this: the structures every file shares
 *   arm-smmu-v3-cmdq.c   queue arithmetic, command issue (lock-free and
 *                        spinlock), CMD_SYNC polling, batches, skip_err,
 *                        cmdq_err_handler, the GERROR handler
 *   arm-smmu-v3-entry.c  STE/CD construction and the hitless entry writer
 *   arm-smmu-v3-probe.c  probe and reset through the registers, queues,
 *                        stream table, interrupts
 *   arm-smmu-v3.c        masters, domains, attach, invalidation arrays, ATS
 *   arm-smmu-v3-ats.c    ATC-timeout handling: batch retry, quarantine,
 *                        reset_device_done
 *   arm-smmu-v3-queue.c  the consumer side of the event and PRI queues:
 *                        entries up to PROD, overflow acknowledgement,
 *                        the per-queue consumer mutex
 *   arm-smmu-v3-evtq.c   the event queue IRQ thread: stall events become
 *                        I/O page faults, the rest are logged
 *   arm-smmu-v3-priq.c   the PRI queue IRQ thread: page requests
 *   arm-smmu-v3-iopf.c   per-master IOPF enable/disable (stall, PRI),
 *                        page_response (RESUME, PRI_RESP), the fault
 *                        fence and the iopf_drain designs
 *   arm-smmu-v3-pasid.c  set_dev_pasid for paging and SVA domains, the
 *                        blocked domain's PASID removal, SVA domains
 *
 * Locking, as in Linux: the iommu core's group mutex serialises attach and
 * detach of one device; smmu->streams_mutex guards insertion into the
 * stream list and smmu->streams_lock (a spinlock) lets atomic contexts look
 * a SID up (policy master_lookup=sid-lookup); master->ats_broken_lock
 * (spinlock, interrupts masked) serialises STE writes, the quarantine path
 * and reset_device_done; domain->invs is read under RCU and replaced under
 * domain->invs_lock.  Each of the event and PRI queues has a consumer
 * mutex (arm_smmu_queue.consume_lock): its IRQ thread and a fault fence
 * (arm_smmu_fault_fence()) take it for a whole pass, so no entry is
 * consumed twice and a fence that got it knows the thread's earlier pass
 * is over.  The fault paths take smmu->streams_mutex around the SID
 * lookup and the report (Linux arm_smmu_handle_event()).
 */
#ifndef IOMMUSIM_DRIVERS_ARM_SMMU_V3_H
#define IOMMUSIM_DRIVERS_ARM_SMMU_V3_H

#include "core/iommu.h"
#include "hw/mem.h"
#include "hw/smmuv3/smmuv3.h"
#include "hw/smmuv3/smmuv3_regs.h"
#include "kernel/kernel.h"
#include "iopf/iopf.h"
#include "scenario/policy.h"

/* ---- Queues (Linux arm_smmu_ll_queue / arm_smmu_queue) ---- */

#define CMDQ_ENT_DWORDS		2
#define EVTQ_ENT_DWORDS		4
#define PRIQ_ENT_DWORDS		2
#define CMDQ_BATCH_ENTRIES	64	/* BITS_PER_LONG */

#define ARM_SMMU_POLL_TIMEOUT_US	1000000	/* 1 s, Linux's value */
#define ARM_SMMU_POLL_SPIN_COUNT	10

/* The shadow PROD's top bit: "a producer owns the gathering of this batch". */
#define CMDQ_PROD_OWNED_FLAG	SMMUV3_Q_OVERFLOW_FLAG

/* Linux's CMDQ_ERR_CERROR_*_IDX: CMDQ_CONS.ERR values. */
#define CMDQ_ERR_CERROR_NONE_IDX	0
#define CMDQ_ERR_CERROR_ILL_IDX		1
#define CMDQ_ERR_CERROR_ABT_IDX		2
#define CMDQ_ERR_CERROR_ATC_INV_IDX	3

/**
 * struct arm_smmu_ll_queue - a queue's shadow PROD and CONS, one 64-bit
 * word so producers reserve space with one cmpxchg (lock-free issue).
 * @prod, @cons: index with the wrap bit above it (and, for the CMDQ's
 *		shadow PROD, CMDQ_PROD_OWNED_FLAG in bit 31).
 * @max_n_shift: log2(entries).
 */
struct arm_smmu_ll_queue {
	union {
		u64 val;
		struct {
			u32 prod;
			u32 cons;
		};
		struct {
			atomic_t prod;
			atomic_t cons;
		} atomic;
	};
	u32 max_n_shift;
};

/**
 * struct arm_smmu_queue - one of the SMMU's queues.
 * @llq:	shadow indices.
 * @irq:	Linux IRQ number of its interrupt (0: none).
 * @base:	CPU view of the queue memory (hw_mem_ptr()).
 * @base_dma:	its physical address.
 * @q_base:	the value programmed into *_BASE (address | LOG2SIZE).
 * @ent_dwords:	entry size, 64-bit words.
 * @prod_reg, @cons_reg: MMIO offsets of its PROD and CONS registers.
 * @consume_lock: event and PRI queues: held by whoever consumes entries
 *		(the IRQ thread or a fault fence), for a whole pass.
 */
struct arm_smmu_queue {
	struct arm_smmu_ll_queue llq;
	int irq;
	__le64 *base;
	dma_addr_t base_dma;
	u64 q_base;
	size_t ent_dwords;
	u32 prod_reg;
	u32 cons_reg;
	struct mutex consume_lock;
};

struct arm_smmu_device;
struct arm_smmu_cmdq;
typedef void (*arm_smmu_cmdq_err_fn)(struct arm_smmu_device *smmu,
				     struct arm_smmu_cmdq *cmdq);

/**
 * struct arm_smmu_cmdq - the command queue and its producers' shared state.
 * @valid_map:	one bit per slot, toggled each lap, set once the slot's
 *		command is written (lock-free issue).
 * @owner_prod:	where the next batch owner starts: the hand-off between
 *		successive owners.
 * @lock:	the shared/exclusive lock that stops CONS wrapping twice
 *		unseen by a CMD_SYNC waiter (>= 0: shared holders; INT_MIN
 *		bit: held exclusively).
 * @atc_sync_timeouts: one bit per slot: the GERROR path saw
 *		CERROR_ATC_INV_SYNC at the CMD_SYNC in this slot (seed 003
 *		patch 12).  Cleared by the issuer before it publishes the slot.
 * @cmdq_err_handler, @cmdq_err_lock: co-clearing of CMDQ_ERR from the
 *		issuer (patches 14-16); the lock serialises it with the
 *		GERROR handler.
 * @slock:	the single lock of policy cmdq=spinlock.
 */
struct arm_smmu_cmdq {
	struct arm_smmu_queue q;
	atomic_long_t *valid_map;
	atomic_t owner_prod;
	atomic_t lock;
	unsigned long *atc_sync_timeouts;
	arm_smmu_cmdq_err_fn cmdq_err_handler;
	spinlock_t cmdq_err_lock;
	spinlock_t slock;
};

/* One encoded command (SMMUv3 §4: 16 bytes). */
struct arm_smmu_cmd {
	u64 data[CMDQ_ENT_DWORDS];
};

struct arm_smmu_invs;

/**
 * struct arm_smmu_cmdq_batch - commands gathered before one issue.
 * @invs:	the invalidation array the commands came from (for the
 *		retry on -EIO), or NULL.
 * @has_ats:	an ATC_INV is in the batch.
 * @issue_time:	(model, observation only) virtual time (ns) the batch was
 *		last issued: the age of the evidence when its CMD_SYNC fails,
 *		for the STALE_QUARANTINE checker.  Never read for decisions.
 */
struct arm_smmu_cmdq_batch {
	struct arm_smmu_cmd cmds[CMDQ_BATCH_ENTRIES];
	struct arm_smmu_cmdq *cmdq;
	struct arm_smmu_invs *invs;
	bool has_ats;
	int num;
	u64 issue_time;
};

/* ---- Invalidation arrays (Linux arm_smmu_invs, seed 003 base) ---- */

enum arm_smmu_inv_type {
	INV_TYPE_S1_ASID,
	INV_TYPE_S2_VMID,
	INV_TYPE_ATS,
	INV_TYPE_ATS_FULL,
};

/**
 * struct arm_smmu_inv - one invalidation target of a domain.
 * @smmu:	the SMMU to send to.
 * @master:	INV_TYPE_ATS*: the master owning the SID (policy
 *		master_lookup=inv-master reads it under RCU).
 * @type, @id:	ASID, VMID or Stream ID.
 * @ssid:	SubstreamID for ATS entries of a PASID attach.
 * @users:	attachments using this entry; 0 marks it trash.
 */
struct arm_smmu_inv {
	struct arm_smmu_device *smmu;
	struct arm_smmu_master *master;
	u8 type;
	u32 id;
	u32 ssid;
	int users;
};

/**
 * struct arm_smmu_invs - a domain's sorted invalidation array, replaced
 * whole under RCU when masters attach or detach.
 */
struct arm_smmu_invs {
	size_t num_invs;
	size_t max_invs;
	bool has_ats;
	struct rcu_head rcu;
	struct arm_smmu_inv inv[];
};

/* ---- Stream table, masters, domains ---- */

/**
 * struct arm_smmu_stream - a Stream ID of a master.
 */
struct arm_smmu_stream {
	u32 id;
	struct arm_smmu_master *master;
};

struct arm_smmu_ste {
	u64 data[SMMUV3_STE_DWORDS];
};

struct arm_smmu_cd {
	u64 data[SMMUV3_CD_DWORDS];
};

/* CDs per master with PASIDs (the core's IOMMU_MAX_PASIDS), a u64 bitmap. */
#define ARM_SMMU_MAX_SSIDS	64

/**
 * struct arm_smmu_master - the driver's per-device state (Linux name).
 * @dev:	the device (a struct pci_dev's .dev).
 * @streams, @num_streams: its Stream IDs, sorted.
 * @cd_table_dma, @cd_table: its CD table (linear), physical and CPU view;
 *		@cd_table_entries entries.
 * @ats_enabled: PCI ATS enabled by the driver; @ste_ats_enabled: the STE
 *		written for the current domain has EATS set.
 * @ats_broken:	an ATC invalidation to it timed out: no ATC_INV is sent to
 *		it and no STE gets EATS until a successful reset
 *		(reset_device_done).  Written under @ats_broken_lock.
 * @ats_broken_lock: serialises STE writes, the quarantine path and
 *		reset_device_done (spin_lock_irqsave: the quarantine path may
 *		run in hard-IRQ context).
 * @domain:	the paging domain its RID is attached to, or NULL.
 * @ats_invs:	an ATS entry per SID, for arm_smmu_atc_inv_master()'s
 *		batches (patch 22: the retry finds the master through it).
 * @quarantines: times the driver quarantined it (reports).
 * @rid_kind:	what the RID is attached to (ARM_SMMU_RID_*): decides the
 *		STE when PASIDs use the CD table.
 * @ssid_domain: the paging/SVA domain of each SSID (0: the RID's paging
 *		domain, as @domain), NULL when none.
 * @ssid_ats:	bit per SSID: its attachment added ATS invalidation entries.
 * @stall_enabled: the master may stall (Linux master->stall_enabled):
 *		stall-capable SMMU and "dma-can-stall" firmware
 *		(IOMMU_FWSPEC_DMA_CAN_STALL), or STALL_FORCE.  STE.S1STALLD
 *		is clear for it; CD.S is set only in CDs of domains with an
 *		iopf_handler.
 * @pri_supported: PCI PRI capability, SMMU PRI and ATS.
 * @pri_enabled: the driver enabled PRI at the function.
 * @prg_resp_needs_pasid: PRI_STATUS "PRG Response PASID Required".
 * @iopf_refcount: attachments using IOPF (Linux master->iopf_refcount);
 *		the device is on smmu->iopf_queue while it is not 0.
 * @iopf_ssids:	bit per SSID whose attachment counts in @iopf_refcount
 *		(Linux arm_smmu_master_domain.using_iopf).
 */
struct arm_smmu_master {
	struct arm_smmu_device *smmu;
	struct device *dev;
	struct arm_smmu_stream *streams;
	unsigned int num_streams;
	dma_addr_t cd_table_dma;
	u64 *cd_table;
	unsigned int cd_table_entries;
	bool ats_enabled;
	bool ste_ats_enabled;
	bool ats_broken;
	spinlock_t ats_broken_lock;
	struct arm_smmu_domain *domain;
	struct arm_smmu_invs *ats_invs;
	unsigned int quarantines;
	u8 rid_kind;
	struct arm_smmu_domain *ssid_domain[ARM_SMMU_MAX_SSIDS];
	u64 ssid_ats;
	bool stall_enabled;
	bool pri_supported;
	bool pri_enabled;
	bool prg_resp_needs_pasid;
	unsigned int iopf_refcount;
	u64 iopf_ssids;
};

/* struct arm_smmu_master.rid_kind */
#define ARM_SMMU_RID_BLOCKED	0
#define ARM_SMMU_RID_IDENTITY	1
#define ARM_SMMU_RID_PAGING	2

/**
 * struct arm_smmu_domain - a paging domain (stage 1), or an SVA domain
 * (domain.type IOMMU_DOMAIN_SVA: its own ASID and table for the model's
 * process address space domain.mm, CD built by arm_smmu_make_sva_cd()).
 * @domain:	the core's view.
 * @smmu:	the SMMU it is bound to (at first attach).
 * @asid:	its ASID.
 * @pgd:	page-table root (physical address, hw/pgtable.h format).
 * @invs:	the invalidation array (RCU).
 * @invs_lock:	serialises replacement of @invs.
 */
struct arm_smmu_domain {
	struct iommu_domain domain;
	struct arm_smmu_device *smmu;
	u16 asid;
	u64 pgd;
	struct arm_smmu_invs *invs;
	struct mutex invs_lock;
};

static inline struct arm_smmu_domain *to_smmu_domain(struct iommu_domain *dom)
{
	return container_of(dom, struct arm_smmu_domain, domain);
}

/**
 * struct arm_smmu_policy - the policies of DESIGN.md section 5 the driver
 * obeys, as set by the platform from the run's policy set.
 */
struct arm_smmu_policy {
	enum pol_atc_timeout atc_timeout;
	enum pol_atc_batch_sync atc_batch_sync;
	enum pol_master_lookup master_lookup;
	enum pol_cmdq_err_coclear cmdq_err_coclear;
	enum pol_cmdq cmdq;
};

/*
 * Bug switches (`iommusim run --bug NAME`, bench/zoo): each puts back the
 * code of a known bug of this driver, only so that the model can show the
 * bug and its fix side by side.  All are off by default; they share the
 * run's bug word with IOMMU_BUG_* (core/iommu.h, bits 0-7).
 *
 * ARM_SMMU_BUG_CMDQ_UNLOCK_RESETS: the command-queue lock before Linux
 *	commit df180b1a4cc5 ("iommu/arm-smmu-v3: Improve CMDQ lock fairness
 *	and efficiency", 2025): the exclusive unlock sets the lock word to 0,
 *	erasing the increments of shared lockers waiting for it, who then
 *	retry with cmpxchg() and may lose to the next exclusive locker.
 * ARM_SMMU_BUG_CMDQ_WAIT_NOT_FULL: waiting for queue space before the
 *	fix "iommu/arm-smmu-v3: Fix CMDQ timeout warning" (Jacob Pan, 2025):
 *	arm_smmu_cmdq_poll_until_not_full() waits for "not full" with a new
 *	timer at every call, while the caller needs n + 1 free slots: when
 *	the queue has some but fewer than n + 1 free slots the wait returns at
 *	once, the poll timeout never expires and "CMDQ timeout" is never
 *	reported however long the queue stays stuck.
 * ARM_SMMU_BUG_SYNC_BIT_NOT_CLEARED: the CMD_SYNC's atc_sync_timeouts bit
 *	is not cleared before the slot is published (seed 003 patch 12 does),
 *	only by the issuer's test_and_clear_bit() after its own poll: a bit
 *	the GERROR handler set for an earlier lap's CMD_SYNC, whose issuer had
 *	already given up polling (-ETIMEDOUT), is taken for this one (-EIO).
 */
#define ARM_SMMU_BUG_CMDQ_UNLOCK_RESETS		(1ul << 8)
#define ARM_SMMU_BUG_CMDQ_WAIT_NOT_FULL		(1ul << 9)
#define ARM_SMMU_BUG_SYNC_BIT_NOT_CLEARED	(1ul << 10)

/* Counters for reports and tests. */
struct arm_smmu_stats {
	u64 cmdlists, syncs;
	u64 sync_eio, sync_etimedout;
	u64 coclears;
	u64 batch_retries;
	u64 atc_inv_skipped_broken;
	u64 quarantines;
	u64 cmdq_shared_cutins;	/* shared locker lost its cmpxchg to an exclusive one */
	u64 gerror_irqs;
	u64 events, stall_reports, evtq_overflows;
	u64 pprs, ppr_reports, ppr_denied, priq_overflows;
	u64 resumes, pri_resps;
	u64 fault_fences;
};

/**
 * struct arm_smmu_device - one SMMUv3 instance.
 * @dev:	its device ("smmu0").
 * @hw:		the SMMU model behind the register window.
 * @mem:	platform memory for queues and tables (DMA-coherent).
 * @features, @options: ARM_SMMU_FEAT_* read from the IDRs, ARM_SMMU_OPT_*.
 * @sync_msi:	CMD_SYNC completion by MSI write to the sync slot (else
 *		by polling CONS).
 * @cmdq, @evtq, @priq: the queues.
 * @strtab_dma, @strtab, @strtab_ents: linear stream table.
 * @sid_bits, @ssid_bits: widths from IDR1.
 * @gerr_irq:	Linux IRQ number of GERROR.
 * @streams, @nstreams: every SID of every master, sorted by SID.
 * @streams_mutex, @streams_lock: see the top of this file.
 * @next_asid:	ASID allocator.
 * @disabled:	SMMU disabled after Service Failure Mode.
 * @iopf_queue:	the SMMU's I/O page fault queue (stall and PRI), NULL when
 *		it can do neither.
 */
struct arm_smmu_device {
	struct device dev;
	struct smmuv3 *hw;
	struct hw_mem *mem;
	u32 features;
	u32 options;
	bool sync_msi;
	struct arm_smmu_policy policy;
	unsigned long bugs;		/* ARM_SMMU_BUG_* */
	struct arm_smmu_cmdq cmdq;
	struct arm_smmu_queue evtq;
	struct arm_smmu_queue priq;
	dma_addr_t strtab_dma;
	u64 *strtab;
	unsigned int strtab_ents;
	unsigned int sid_bits;
	unsigned int ssid_bits;
	int gerr_irq;
	struct arm_smmu_stream **streams;
	unsigned int nstreams, streams_cap;
	struct mutex streams_mutex;
	spinlock_t streams_lock;
	u16 next_asid;
	bool disabled;
	struct iopf_queue *iopf_queue;
	struct arm_smmu_stats stats;
};

#define ARM_SMMU_FEAT_ATS	(1u << 0)
#define ARM_SMMU_FEAT_PRI	(1u << 1)
#define ARM_SMMU_FEAT_MSI	(1u << 2)
#define ARM_SMMU_FEAT_SEV	(1u << 3)
#define ARM_SMMU_FEAT_STALLS	(1u << 4)
#define ARM_SMMU_FEAT_STALL_FORCE (1u << 5)

/* MMIO, each a scheduling point. */
static inline u32 arm_smmu_readl(struct arm_smmu_device *smmu, u32 off)
{
	return smmuv3_read32(smmu->hw, off);
}

static inline void arm_smmu_writel(struct arm_smmu_device *smmu, u32 off, u32 val)
{
	smmuv3_write32(smmu->hw, off, val);
}

static inline u64 arm_smmu_readq(struct arm_smmu_device *smmu, u32 off)
{
	return smmuv3_read64(smmu->hw, off);
}

static inline void arm_smmu_writeq(struct arm_smmu_device *smmu, u32 off, u64 val)
{
	smmuv3_write64(smmu->hw, off, val);
}

/* ---- arm-smmu-v3-cmdq.c ---- */

/**
 * arm_smmu_cmdq_init() - allocate the CMDQ's bitmaps and set its handler.
 * @cmdq_err_handler: the co-clear callback (NULL: none).
 * Return: 0 or -ENOMEM.  Context: probe (may sleep).
 */
int arm_smmu_cmdq_init(struct arm_smmu_device *smmu, struct arm_smmu_cmdq *cmdq,
		       arm_smmu_cmdq_err_fn cmdq_err_handler);

/**
 * arm_smmu_cmd_build() - encode @ent into @cmd (SMMUv3 §4).
 * Return: 0, or -EINVAL for a field that does not fit.
 */
int arm_smmu_cmd_build(struct arm_smmu_cmd *cmd, const struct smmuv3_cmd *ent);

/**
 * arm_smmu_cmdq_issue_cmdlist() - insert @n commands (and a CMD_SYNC when
 * @sync) and, with @sync, wait for the SMMU to consume them (Linux
 * function of the same name; seed 003 patches 12, 15, 16).
 * Return: 0; -EIO when the CMD_SYNC reported an ATC invalidation timeout
 * (this slot's atc_sync_timeouts bit); -ETIMEDOUT when the poll gave up
 * after ARM_SMMU_POLL_TIMEOUT_US of virtual time.
 * Context: any; masks interrupts on this CPU while it runs (as Linux).
 */
int arm_smmu_cmdq_issue_cmdlist(struct arm_smmu_device *smmu,
				struct arm_smmu_cmdq *cmdq,
				struct arm_smmu_cmd *cmds, int n, bool sync);

/** arm_smmu_cmdq_issue_cmd_with_sync() - one command and a CMD_SYNC. */
int arm_smmu_cmdq_issue_cmd_with_sync(struct arm_smmu_device *smmu,
				      const struct smmuv3_cmd *ent);

/**
 * arm_smmu_cmdq_batch_init() - start an empty batch.
 * @invs: the invalidation array the batch's commands come from, or NULL.
 */
void arm_smmu_cmdq_batch_init(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq_batch *cmds,
			      struct arm_smmu_invs *invs);

/**
 * arm_smmu_cmdq_batch_add() - append a command; a full batch is issued
 * first through arm_smmu_cmdq_batch_issue(), with a CMD_SYNC when it holds
 * an ATC_INV unless policy atc_batch_sync=deferred.
 */
void arm_smmu_cmdq_batch_add(struct arm_smmu_device *smmu,
			     struct arm_smmu_cmdq_batch *cmds,
			     const struct smmuv3_cmd *ent);

/**
 * arm_smmu_cmdq_batch_issue() - the one issue point of batches (patch 20):
 * issue, and on -EIO hand the batch to arm_smmu_atc_timeout() (ats.c).
 * Return: as arm_smmu_cmdq_issue_cmdlist().
 */
int arm_smmu_cmdq_batch_issue(struct arm_smmu_device *smmu,
			      struct arm_smmu_cmdq_batch *cmds, bool sync);

/** arm_smmu_cmdq_batch_submit() - issue what is left, with a CMD_SYNC. */
int arm_smmu_cmdq_batch_submit(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq_batch *cmds);

/**
 * arm_smmu_gerror_handler() - the GERROR hard-IRQ handler (Linux name):
 * SFM acknowledges and disables; CMDQ_ERR is skipped (skip_err) under
 * cmdq_err_lock; GERRORN acknowledges.
 */
irqreturn_t arm_smmu_gerror_handler(int irq, void *dev);

/**
 * arm_smmu_cmdq_err_handler() - co-clear a pending CMDQ_ERR from the
 * issuer (patch 15): under cmdq_err_lock, skip_err and toggle only
 * GERRORN.CMDQ_ERR.
 */
void arm_smmu_cmdq_err_handler(struct arm_smmu_device *smmu,
			       struct arm_smmu_cmdq *cmdq);

/** arm_smmu_device_disable() - CR0 = 0 and wait for CR0ACK. */
int arm_smmu_device_disable(struct arm_smmu_device *smmu);

/* ---- arm-smmu-v3-entry.c ---- */

#include "drivers/arm-smmu-v3/arm-smmu-v3-entry.h"

/* ---- arm-smmu-v3-probe.c ---- */

/**
 * struct arm_smmu_platform - what firmware (DT/IORT) tells the driver.
 * @name:	"smmu0".
 * @hw, @mem:	the SMMU's register window and platform memory.
 * @irq:	Linux IRQ numbers of its lines by enum smmuv3_irq (0: none).
 * @cmdq_entries, @evtq_entries, @priq_entries: queue sizes to use.
 * @sync_msi:	complete CMD_SYNC by MSI.
 * @policy:	policies in force.
 * @bugs:	ARM_SMMU_BUG_* switches in force (0: the fixed driver).
 */
struct arm_smmu_platform {
	const char *name;
	struct smmuv3 *hw;
	struct hw_mem *mem;
	int irq[SMMUV3_NR_IRQS];
	unsigned int cmdq_entries, evtq_entries, priq_entries;
	bool sync_msi;
	struct arm_smmu_policy policy;
	unsigned long bugs;
};

/**
 * arm_smmu_device_probe() - probe and reset an SMMU: read the IDRs,
 * allocate queues and a linear stream table (every STE abort... then
 * bypass-free: STEs start invalid), program the registers, request the
 * interrupts, enable, and register with the IOMMU core.
 * Return: the device, or an ERR_PTR (-ENOMEM, -ENXIO for a missing
 * feature, -ETIMEDOUT when CR0ACK does not follow).
 * Context: task (may sleep).
 */
struct arm_smmu_device *arm_smmu_device_probe(const struct arm_smmu_platform *pf);

/** arm_smmu_ops - the driver's struct iommu_ops. */
extern const struct iommu_ops arm_smmu_ops;

/* ---- arm-smmu-v3.c ---- */

/** arm_smmu_find_master() - master of @sid under streams_lock, or NULL. */
struct arm_smmu_master *arm_smmu_find_master(struct arm_smmu_device *smmu, u32 sid);

/**
 * arm_smmu_inv_find_master() - the master an ATC_INV to Stream ID @sid
 * from invalidation array @invs is for, per policy master_lookup:
 * inv-master takes the pointer kept in @invs' live ATS entry for @sid (v4
 * patch 17; the master outlives RCU readers, release_device() waits);
 * sid-lookup asks arm_smmu_find_master() (the review).
 * Return: the master, or NULL when none has @sid (or @invs has no live
 * ATS entry for it).  Context: any; inv-master under rcu_read_lock()
 * when @invs is a domain's array.
 */
struct arm_smmu_master *arm_smmu_inv_find_master(struct arm_smmu_device *smmu,
						 struct arm_smmu_invs *invs, u32 sid);

/**
 * arm_smmu_write_ste() - write the STE of @sid to @target through the
 * hitless writer, EATS forced off while master->ats_broken, under
 * ats_broken_lock (patch 23).
 */
void arm_smmu_write_ste(struct arm_smmu_master *master, u32 sid,
			const struct arm_smmu_ste *target);

/** arm_smmu_install_ste_for_dev() - see arm-smmu-v3.c. */
void arm_smmu_install_ste_for_dev(struct arm_smmu_master *master,
				  const struct arm_smmu_ste *target);
/** arm_smmu_write_cd_entry() / arm_smmu_clear_cd() - see arm-smmu-v3.c. */
void arm_smmu_write_cd_entry(struct arm_smmu_master *master, u32 ssid,
			     const struct arm_smmu_cd *target);
void arm_smmu_clear_cd(struct arm_smmu_master *master, u32 ssid);
/** arm_smmu_make_domain_cd() - see arm-smmu-v3.c. */
void arm_smmu_make_domain_cd(struct arm_smmu_master *master, struct arm_smmu_domain *dom,
			     struct arm_smmu_cd *cd);
/** arm_smmu_make_master_ste() - see arm-smmu-v3.c. */
void arm_smmu_make_master_ste(struct arm_smmu_master *master, bool ats,
			      struct arm_smmu_ste *ste);
/** arm_smmu_ssids_in_use() - a PASID of @master has a CD. */
bool arm_smmu_ssids_in_use(const struct arm_smmu_master *master);
/** arm_smmu_domain_invs_change() - see arm-smmu-v3.c. */
void arm_smmu_domain_invs_change(struct arm_smmu_domain *dom, struct arm_smmu_master *master,
				 u32 ssid, bool ats, int delta);
/** arm_smmu_atc_inv_master() - see arm-smmu-v3.c. */
int arm_smmu_atc_inv_master(struct arm_smmu_master *master, u32 ssid);
/** arm_smmu_ats_supported(), arm_smmu_enable_ats(), arm_smmu_disable_ats() - Linux's. */
bool arm_smmu_ats_supported(struct arm_smmu_master *master);
void arm_smmu_enable_ats(struct arm_smmu_master *master);
void arm_smmu_disable_ats(struct arm_smmu_master *master);
/** arm_smmu_domain_free() - iommu_domain_ops.free of paging and SVA domains. */
void arm_smmu_domain_free(struct iommu_domain *domain);

/* ---- arm-smmu-v3-pasid.c ---- */

/**
 * arm_smmu_enable_pasid() - at probe_device: PASID capability of a PCI
 * @master enabled at the function, and the CDs its table needs:
 * 2^min(PASID width, SSIDSIZE, log2 ARM_SMMU_MAX_SSIDS), 0 without PASIDs.
 * Context: task.  Models Linux arm_smmu_enable_pasid() (with the SSID
 * width of arm_smmu_probe_device()).
 */
unsigned int arm_smmu_enable_pasid(struct arm_smmu_master *master);

/**
 * arm_smmu_set_dev_pasid() - iommu_domain_ops.set_dev_pasid of paging and
 * SVA domains: CD @pasid of @dev's master points at @domain.
 * Return: 0; -EINVAL (PASID 0 or beyond the CD table, another SMMU's
 * domain); an IOPF enable error.  Context: task, group mutex held.
 * Models Linux arm_smmu_set_pasid() / arm_smmu_sva_set_dev_pasid().
 */
int arm_smmu_set_dev_pasid(struct iommu_domain *domain, struct device *dev,
			   ioasid_t pasid, struct iommu_domain *old);
/**
 * arm_smmu_blocking_set_dev_pasid() - the blocked domain's set_dev_pasid:
 * remove @pasid's attachment (CD cleared).  Return: 0, -EINVAL for a
 * PASID beyond the CD table.  Models Linux arm_smmu_blocking_set_dev_pasid().
 */
int arm_smmu_blocking_set_dev_pasid(struct iommu_domain *domain, struct device *dev,
				    ioasid_t pasid, struct iommu_domain *old);

/* ---- arm-smmu-v3-queue.c ---- */

/** Handles one entry of an event or PRI queue (the IRQ thread's body). */
typedef void (*arm_smmu_queue_handler_fn)(struct arm_smmu_device *smmu, u64 *ent);
/** Called when a pass sees PROD.OVFLG toggled: records were lost. */
typedef void (*arm_smmu_queue_overflow_fn)(struct arm_smmu_device *smmu);

/**
 * arm_smmu_queue_consume() - consume every entry of @q up to its PROD,
 * re-reading PROD until the queue is empty (Linux's evtq/priq thread
 * loop): each entry is copied out, CONS is moved past it, then @handle
 * runs; a PROD whose OVFLG differs from the last one read calls
 * @overflow (where it is seen, between entries); at the end
 * CONS.OVACKFLG is set to PROD.OVFLG (Linux queue_sync_cons_ovf()).
 * Holds @q->consume_lock throughout.
 * Return: whether an overflow was seen.  Context: task, may sleep.
 */
bool arm_smmu_queue_consume(struct arm_smmu_device *smmu, struct arm_smmu_queue *q,
			    arm_smmu_queue_handler_fn handle,
			    arm_smmu_queue_overflow_fn overflow);

/* ---- arm-smmu-v3-evtq.c ---- */

/**
 * arm_smmu_evtq_thread() - the event queue IRQ thread (Linux name).
 * Return: IRQ_HANDLED.  Context: IRQ thread, may sleep.
 */
irqreturn_t arm_smmu_evtq_thread(int irq, void *dev);
/** arm_smmu_evtq_consume() - one pass of the thread's loop (the fence uses it). */
void arm_smmu_evtq_consume(struct arm_smmu_device *smmu);
/**
 * arm_smmu_handle_evt() - one decoded event: a stall (Stall=1, F_TRANSLATION,
 * F_ADDR_SIZE, F_ACCESS or F_PERMISSION) is reported to the IOPF core
 * (iommu_report_device_fault(), LAST, grpid = STAG); others -EOPNOTSUPP.
 * Return: 0 reported; -EOPNOTSUPP not a fault the core takes; -EINVAL no
 * master owns the SID (the caller logs the event).  Context: task.
 * Models Linux arm_smmu_handle_evt().
 */
int arm_smmu_handle_evt(struct arm_smmu_device *smmu, const struct smmuv3_event *evt);

/* ---- arm-smmu-v3-priq.c ---- */

/** arm_smmu_priq_thread() - the PRI queue IRQ thread (Linux name). */
irqreturn_t arm_smmu_priq_thread(int irq, void *dev);
/** arm_smmu_priq_consume() - one pass of the thread's loop (the fence uses it). */
void arm_smmu_priq_consume(struct arm_smmu_device *smmu);
/**
 * arm_smmu_handle_ppr() - one decoded page request: reported to the IOPF
 * core (LAST or not; PASID from SSV/SSID, grpid = PRG index); for an
 * unknown SID or a master without PRI enabled a LAST request is answered
 * PRI_RESP Invalid (DENY) at once.  Context: task.  Models Linux
 * arm_smmu_handle_ppr().
 */
void arm_smmu_handle_ppr(struct arm_smmu_device *smmu, const struct smmuv3_pri_entry *ppr);

/* ---- arm-smmu-v3-iopf.c ---- */

/**
 * arm_smmu_master_probe_faults() - at probe_device: can @master stall
 * (stall-capable SMMU and IOMMU_FWSPEC_DMA_CAN_STALL, or STALL_FORCE) or
 * use PRI (PCI PRI capability, SMMU PRI, ATS)?  Models the stall part of
 * Linux arm_smmu_probe_device().
 */
void arm_smmu_master_probe_faults(struct arm_smmu_master *master);
/** arm_smmu_master_can_fault() - stall_enabled or pri_supported. */
bool arm_smmu_master_can_fault(const struct arm_smmu_master *master);
/**
 * arm_smmu_iopf_attach_prepare() - before a domain is written for an
 * attachment of @master: *@iopf says whether @new uses IOPF (an
 * iopf_handler on a master that can fault); if so take an IOPF reference
 * (Linux arm_smmu_enable_iopf(): the first adds the device to the SMMU's
 * iopf queue; with policy iopf_drain=flush-wq an existing one flushes the
 * device's fault work, seed 000's patch).  Return: 0 or the
 * iopf_queue_add_device() error.  Context: task, group mutex held.
 */
int arm_smmu_iopf_attach_prepare(struct arm_smmu_master *master, struct iommu_domain *new,
				 bool *iopf);
/**
 * arm_smmu_iopf_attach_commit() - after the hardware uses @new for
 * @ssid (STE/CD written, CMD_SYNC done): enable PRI if @iopf needs it;
 * if the attachment @old used IOPF and @new differs, apply iopf_drain
 * (ordered: arm_smmu_fault_fence() then iopf_queue_flush_dev()); then
 * drop @old's IOPF reference (the
 * last one disables: arm_smmu_disable_iopf()).  Context: task, group
 * mutex held.
 */
void arm_smmu_iopf_attach_commit(struct arm_smmu_master *master, u32 ssid,
				 struct iommu_domain *old, struct iommu_domain *new, bool iopf);
/**
 * arm_smmu_fault_fence() - seed 000 step 3: CMD_SYNC (every earlier
 * configuration change is in use), then consume what sits in the event
 * and PRI queues, waiting for a pass the IRQ threads have under way (the
 * per-queue consumer mutex): every fault the hardware recorded before the
 * CMD_SYNC has been reported when this returns.  Does not wait for the
 * IOPF workqueue.  Context: task, may sleep; group mutex may be held.
 */
void arm_smmu_fault_fence(struct arm_smmu_device *smmu);
/**
 * arm_smmu_sync_responses() - a CMD_SYNC after queued RESUME/PRI_RESP
 * commands (page_response issues them without one, as Linux): when it
 * returns they have been consumed.  Return: 0 or the issue error.
 */
int arm_smmu_sync_responses(struct arm_smmu_device *smmu);
/**
 * arm_smmu_page_response() - iommu_ops.page_response: a stall (private_data
 * [1] IOPF_SRC_STALL) gets CMD_RESUME (STAG = grpid, RETRY on SUCCESS,
 * ABORT otherwise); a page request group gets CMD_PRI_RESP (SID, SSID
 * when NEEDS_PASID, PRG index, SUCC / DENY (INVALID) / FAIL).  Issued
 * without a CMD_SYNC (Linux: "it doesn't do anything for RESUME or
 * PRI_RESP").  The SID is private_data[0].  Context: task.  Models Linux
 * arm_smmu_page_response().
 */
void arm_smmu_page_response(struct device *dev, struct iopf_fault *evt,
			    struct iommu_page_response *resp);
/**
 * arm_smmu_drain_faults() - iommu_ops.drain_faults: arm_smmu_fault_fence()
 * for @dev's SMMU (the core calls it under iopf_drain=ordered after it
 * switched an attach handle).  Context: task, may sleep.
 */
void arm_smmu_drain_faults(struct device *dev);

/* ---- arm-smmu-v3-ats.c ---- */

/**
 * arm_smmu_atc_timeout() - a batch's CMD_SYNC returned -EIO: find the
 * culprit per policy atc_timeout and quarantine it.
 */
void arm_smmu_atc_timeout(struct arm_smmu_device *smmu,
			  struct arm_smmu_cmdq_batch *cmds);

/** arm_smmu_reset_device_done() - the iommu_ops callback (patch 18/23). */
void arm_smmu_reset_device_done(struct device *dev);

#endif
