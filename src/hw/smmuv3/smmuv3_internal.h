/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 model internals: the state every file of the model shares, and
 * the functions one file offers the others.  Not for use outside
 * src/hw/smmuv3/ (tests may include it to inspect state).
 *
 * Register state holds the values software reads; "effective" state
 * (what the hardware acts on) is derived from the *ACK registers:
 * CR0ACK for enables, IRQ_CTRLACK for interrupt enables.
 *
 * Command engine state machine (checked by smmuv3_cmdq_invariant()):
 *
 *         CMDQEN=1, PROD!=CONS, no error, no SFM
 *   IDLE ----------------------------------------> RUNNING
 *    ^  <---------------------------------------- |  |  |
 *    |        queue empty or CMDQEN=0             |  |  | CMD_SYNC with ATC_INVs
 *    |                                            |  |  v outstanding
 *    |                       command error        |  | SYNC_WAIT --(all done)--> RUNNING
 *    |     GERRORN acks CMDQ_ERR  +---------------+  |     |
 *    +--------------------------- ERROR <-------------+-----+ (an ATC_INV timed out:
 *                                  ^                          CERROR_ATC_INV_SYNC)
 *   any state --- SFM injected ---> HALTED (until smmuv3_reset())
 */
#ifndef IOMMUSIM_HW_SMMUV3_INTERNAL_H
#define IOMMUSIM_HW_SMMUV3_INTERNAL_H

#include "hw/smmuv3/smmuv3.h"
#include "trace/trace.h"

#define SMMUV3_MAX_PORTS	64
#define SMMUV3_MAX_ATC_INV	256	/* outstanding ATC_INVs tracked */
#define SMMUV3_ITAGS		32	/* PCIe ITag space per function */

/* One of CMDQ / EVTQ / PRIQ, as its registers describe it. */
struct smmuv3_queue {
	const char *name;	/* "cmdq", "evtq", "priq" */
	uint64_t base;		/* *_BASE register value */
	uint32_t prod;		/* PROD register: index | wrap [| OVFLG] */
	uint32_t cons;		/* CONS register: index | wrap [| ERR | OVACKFLG] */
	unsigned max_log2;	/* IDR1 limit on LOG2SIZE */
	unsigned ent_dwords;	/* 2 or 4 */
};

enum smmuv3_cmdq_state {
	SMMUV3_CMDQ_IDLE,
	SMMUV3_CMDQ_RUNNING,
	SMMUV3_CMDQ_SYNC_WAIT,
	SMMUV3_CMDQ_ERROR,
	SMMUV3_CMDQ_HALTED,
};

/* An endpoint port: where messages for a Stream ID go. */
struct smmuv3_port {
	uint32_t sid;
	struct pcie_ep *ep;
	sim_time_t completion_timeout;
	uint32_t itags_busy;	/* bit n: ITag n outstanding */
};

/* An ATC invalidation sent and not yet retired. */
struct smmuv3_atc_inv {
	bool busy;
	uint64_t cookie;	/* unique per request, from 1 */
	uint32_t sid;
	uint8_t itag;
	struct smmuv3_port *port;
	sim_time_t sent_at, deadline;
	uint64_t cmd_index;	/* command sequence number that sent it */
	bool done;		/* completion arrived in time */
	bool timed_out;		/* deadline passed without completion */
};

/*
 * A config cache entry: a snapshot of an STE or CD as fetched.
 * @l1 (added by smmuv3_cfg.c): the entry is an intermediate descriptor
 * instead, an L1STD (!is_cd: @sid = L1 index) or an L1CD (is_cd: @sid,
 * @ssid = L1 index); dw[0] holds the descriptor, dw[1] the split (index
 * bits below the L1 index), so CFGI_* with Leaf == 0 can find it (§4.3).
 */
struct smmuv3_cfg_entry {
	bool valid;
	bool is_cd;
	bool l1;
	uint32_t sid;
	uint32_t ssid;		/* CDs */
	uint64_t dw[8];
	uint64_t lru;		/* last use, for eviction */
};

/*
 * StreamWorld a TLB entry was inserted for (§3.3.3, §16.2: entries are
 * tagged by VA, ASID, VMID and EL).  NS-EL1 entries are tagged (ASID,
 * VMID); NS-EL2 entries carry neither; NS-EL2-E2H entries an ASID only.
 */
enum smmuv3_world {
	SMMUV3_WORLD_NS_EL1,
	SMMUV3_WORLD_NS_EL2,
	SMMUV3_WORLD_NS_EL2_E2H,
};

/*
 * A TLB entry: one page translation, tagged.  x.perm is what the page
 * grants a privileged access, @perm_unpriv what it grants an unprivileged
 * one; @priv_ok is AP[1] (unprivileged access allowed at all).
 */
struct smmuv3_tlb_entry {
	bool valid;
	uint16_t asid;
	uint16_t vmid;
	struct hw_xlate x;	/* x.src is HW_XLATE_WALK as stored */
	bool priv_ok;		/* AP[1]-derived facts for the permission check */
	uint64_t lru;
	uint8_t world;		/* enum smmuv3_world */
	uint8_t perm_unpriv;	/* HW_PERM_* for an unprivileged access */
};

/* A stalled transaction awaiting RESUME. */
struct smmuv3_stall {
	bool busy;
	uint32_t sid;
	uint16_t stag;
	struct sim_task *waiter;
	bool resumed;
	uint8_t resp;		/* SMMUV3_RESUME_* */
	bool recorded;		/* its event was written (or lost to an abort):
				 * RESUME may match it; until then it waits
				 * for the event queue to become writable */
};

struct smmuv3 {
	char name[SIM_NAME_LEN];
	struct sim *sim;
	struct hw_mem *mem;
	struct smmuv3_config cfg;
	struct smmuv3_caps caps;

	/* ID registers */
	uint32_t idr0, idr1, idr3, idr5, iidr, aidr;

	/* control and error registers (values software reads) */
	uint32_t cr0, cr0ack, cr1, cr2, gbpa;
	uint32_t irq_ctrl, irq_ctrlack;
	uint32_t gerror, gerrorn;
	uint64_t gerror_irq_cfg0;
	uint32_t gerror_irq_cfg1, gerror_irq_cfg2;
	uint64_t evtq_irq_cfg0;
	uint32_t evtq_irq_cfg1, evtq_irq_cfg2;
	uint64_t priq_irq_cfg0;
	uint32_t priq_irq_cfg1, priq_irq_cfg2;
	uint64_t strtab_base;
	uint32_t strtab_base_cfg;
	struct smmuv3_queue cmdq, evtq, priq;

	/* command engine */
	struct sim_task *cmdq_task;
	enum smmuv3_cmdq_state cmdq_state;
	bool cmdq_waiting;		/* engine blocked for work */
	uint64_t cmd_seq;		/* commands consumed */
	struct sim_timer cmdq_timer;	/* wakes SYNC_WAIT at a deadline */

	/* Service Failure Mode */
	bool sfm;

	/* endpoints and ATC invalidations */
	struct smmuv3_port ports[SMMUV3_MAX_PORTS];
	int nports;
	struct smmuv3_atc_inv atc_inv[SMMUV3_MAX_ATC_INV];
	uint64_t next_cookie;

	/* caches */
	struct smmuv3_cfg_entry *cfg_cache;	/* cfg.cfg_cache_entries */
	struct smmuv3_tlb_entry *tlb;		/* cfg.tlb_entries */
	uint64_t lru_clock;

	/* stall */
	struct smmuv3_stall *stalls;		/* cfg.stall_max */
	uint16_t next_stag;
	struct smmuv3_stall_observer stall_obs;	/* a checker, or fn NULL */

	struct smmuv3_stats stats;
	uint64_t mmio_bad;			/* accesses to unimplemented offsets */
};

/* ---- smmuv3_regs.c ---- */

/** smmuv3_regs_reset() - every register to its reset value (IDRs from cfg). */
void smmuv3_regs_reset(struct smmuv3 *smmu);

/** smmuv3_enabled() - effective CR0ACK bit @bit (SMMUV3_CR0_*). */
static inline bool smmuv3_enabled(const struct smmuv3 *smmu, uint32_t bit)
{
	return smmu->cr0ack & bit;
}

/* ---- smmuv3_queue.c ---- */

/** smmuv3_q_log2() - the queue's LOG2SIZE in force (clamped to max_log2). */
unsigned smmuv3_q_log2(const struct smmuv3_queue *q);
/** smmuv3_q_empty()/_full() - by the general queue semantics on @prod/@cons. */
bool smmuv3_q_empty(const struct smmuv3_queue *q);
bool smmuv3_q_full(const struct smmuv3_queue *q);
/** smmuv3_q_inc() - @p advanced by one entry, wrap bit toggled at the end;
 * bits outside index|wrap are kept. */
uint32_t smmuv3_q_inc(const struct smmuv3_queue *q, uint32_t p);
/** smmuv3_q_entry_addr() - memory address of the entry at index @p. */
uint64_t smmuv3_q_entry_addr(const struct smmuv3_queue *q, uint32_t p);
/** smmuv3_q_read()/_write() - an entry at @p; -EFAULT on an abort. */
int smmuv3_q_read(struct smmuv3 *smmu, const struct smmuv3_queue *q, uint32_t p, uint64_t *ent);
int smmuv3_q_write(struct smmuv3 *smmu, const struct smmuv3_queue *q, uint32_t p, const uint64_t *ent);

/* ---- smmuv3_gerror.c ---- */

/**
 * smmuv3_gerror_activate() - make GERROR bit @bit active (GERROR.bit =
 * !GERRORN.bit) unless already active, then signal the GERROR interrupt
 * (MSI to GERROR_IRQ_CFG0 if set, else the wired line) when
 * IRQ_CTRLACK.GERROR_IRQEN.
 */
void smmuv3_gerror_activate(struct smmuv3 *smmu, uint32_t bit);
/** smmuv3_gerror_active() - GERROR.bit ^ GERRORN.bit. */
static inline bool smmuv3_gerror_active(const struct smmuv3 *smmu, uint32_t bit)
{
	return (smmu->gerror ^ smmu->gerrorn) & bit;
}
/**
 * smmuv3_signal_irq() - signal interrupt @irq: an MSI write of @data to
 * @msi_addr when non-zero (an abort activates @abt_bit in GERROR), else
 * an edge on the wired line.
 */
void smmuv3_signal_irq(struct smmuv3 *smmu, enum smmuv3_irq irq, uint64_t msi_addr,
		       uint32_t data, uint32_t abt_bit);
/** smmuv3_gerrorn_written() - software acknowledged: resume what waited. */
void smmuv3_gerrorn_written(struct smmuv3 *smmu);

/* ---- smmuv3_cmdq.c ---- */

/** smmuv3_cmdq_start() - create the engine task.  Return: 0 or -ENOMEM. */
int smmuv3_cmdq_start(struct smmuv3 *smmu);
/** smmuv3_cmdq_kick() - PROD moved, CMDQEN set or an error acked: wake the engine. */
void smmuv3_cmdq_kick(struct smmuv3 *smmu);
/** smmuv3_cmdq_invariant() - NULL, or which rule of the drawn machine is broken. */
const char *smmuv3_cmdq_invariant(const struct smmuv3 *smmu);

/* ---- smmuv3_atc.c ---- */

/**
 * smmuv3_atc_inv_send() - send the ATC_INV @cmd to its endpoint.
 * Return: 0, or -EBUSY when no ITag or tracking slot is free (the engine
 * waits and retries).
 */
int smmuv3_atc_inv_send(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd);
/**
 * smmuv3_atc_inv_pending() - how ATC_INVs sent before command @seq stand:
 * Return: 1 if some are still outstanding before their deadline (and
 * *@next_deadline set to the earliest), 0 if all completed, -ETIMEDOUT if
 * at least one passed its deadline without completion.
 */
int smmuv3_atc_inv_pending(struct smmuv3 *smmu, uint64_t seq, sim_time_t *next_deadline);
/** smmuv3_atc_inv_retire() - forget every ATC_INV sent before @seq (done or timed out). */
void smmuv3_atc_inv_retire(struct smmuv3 *smmu, uint64_t seq);
/** smmuv3_atc_inv_completion() - upstream op: an Invalidation Completion. */
void smmuv3_atc_inv_completion(void *smmu, const struct pcie_inv_cpl *c);
/** smmuv3_port_find() - the port for @sid, or NULL. */
struct smmuv3_port *smmuv3_port_find(struct smmuv3 *smmu, uint32_t sid);

/* ---- smmuv3_cfg.c ---- */

/**
 * smmuv3_ste_get() - the STE for @sid through the config cache.
 * @ste: decoded STE.
 * Return: 0; or the event ID to record (SMMUV3_EVT_C_BAD_STREAMID for a
 * SID beyond the stream table, SMMUV3_EVT_F_STE_FETCH on an abort, with
 * *@fetch_addr set, SMMUV3_EVT_C_BAD_STE for an invalid or illegal STE).
 */
int smmuv3_ste_get(struct smmuv3 *smmu, uint32_t sid, struct smmuv3_ste *ste, uint64_t *fetch_addr);
/**
 * smmuv3_cd_get() - the CD @ssid of the stream whose STE is @ste.
 * Return: 0; or SMMUV3_EVT_C_BAD_SUBSTREAMID, SMMUV3_EVT_F_CD_FETCH,
 * SMMUV3_EVT_C_BAD_CD (illegal CD).  An invalid CD (V == 0) is returned
 * as success with cd->valid false: the caller raises the fault the
 * architecture gives for it.
 */
int smmuv3_cd_get(struct smmuv3 *smmu, uint32_t sid, const struct smmuv3_ste *ste,
		  uint32_t ssid, struct smmuv3_cd *cd, uint64_t *fetch_addr);
/** smmuv3_cfg_inv() - execute CFGI_STE / CFGI_STE_RANGE(ALL) / CFGI_CD / CFGI_CD_ALL. */
void smmuv3_cfg_inv(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd);
/** smmuv3_cfg_flush() - empty the config cache. */
void smmuv3_cfg_flush(struct smmuv3 *smmu);

/* ---- smmuv3_tlb.c ---- */

/** smmuv3_tlb_lookup() - the entry for (@asid, @vmid, page of @iova), or NULL. */
struct smmuv3_tlb_entry *smmuv3_tlb_lookup(struct smmuv3 *smmu, uint16_t asid,
					   uint16_t vmid, uint64_t iova);
/** smmuv3_tlb_insert() - cache @x under (@asid, @vmid), evicting the LRU entry. */
void smmuv3_tlb_insert(struct smmuv3 *smmu, uint16_t asid, uint16_t vmid,
		       const struct hw_xlate *x, bool priv_ok);
/** smmuv3_tlb_lookup_world() - as smmuv3_tlb_lookup() in StreamWorld @world (enum smmuv3_world). */
struct smmuv3_tlb_entry *smmuv3_tlb_lookup_world(struct smmuv3 *smmu, uint8_t world,
						 uint16_t asid, uint16_t vmid, uint64_t iova);
/** smmuv3_tlb_fill() - cache a copy of @e (tag, translation, permissions), replacing
 * the entry with the same tag and page, else evicting the LRU entry. */
void smmuv3_tlb_fill(struct smmuv3 *smmu, const struct smmuv3_tlb_entry *e);
/** smmuv3_tlb_inv() - execute a TLBI_* command. */
void smmuv3_tlb_inv(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd);
/** smmuv3_tlb_flush() - empty the TLB. */
void smmuv3_tlb_flush(struct smmuv3 *smmu);

/* ---- smmuv3_xlate.c ---- */

/* Outcome of smmuv3_xl_stage1(). */
enum smmuv3_xl_status {
	SMMUV3_XL_OK,		/* translated: @x, @perm */
	SMMUV3_XL_BYPASS,	/* no stage-1 translation (S1DSS bypass, stage 1 off) */
	SMMUV3_XL_CONFIG,	/* configuration error @evt_id: always terminates */
	SMMUV3_XL_EABT,		/* F_WALK_EABT at @fetch_addr: always terminates */
	SMMUV3_XL_FAULT,	/* translation-related fault @evt_id: CD.{A,R,S} decide */
};

/**
 * struct smmuv3_xl - one pass of the stage-1 flow, shared by untranslated
 * transactions (smmuv3_xlate.c) and ATS Translation Requests (smmuv3_ats.c).
 * In: @sid, @ssv, @ssid, @iova, @write, @priv, @exec (post PASID-prefix
 * interpretation).  Out: @evt_id, @fetch_addr, @cd (valid when a CD was
 * used), @x (src HW_XLATE_WALK, HW_XLATE_SMMU_TLB or HW_XLATE_BYPASS),
 * @perm (HW_PERM_* the page grants this access's privilege).
 */
struct smmuv3_xl {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	uint64_t iova;
	bool write, priv, exec;
	uint8_t evt_id;
	uint64_t fetch_addr;
	bool have_cd;
	struct smmuv3_cd cd;
	struct hw_xlate x;
	uint8_t perm;
};

/** smmuv3_xl_init() - @xl for the request @t (PASID prefix: priv/exec only with a PASID, §3.9). */
void smmuv3_xl_init(struct smmuv3_xl *xl, const struct pcie_txn *t);
/** smmuv3_xl_stage1() - substream selection, CD, TLB and walk for a stream whose valid,
 * legal, non-abort STE is @ste.  May sleep (walk time).  Return: enum smmuv3_xl_status. */
int smmuv3_xl_stage1(struct smmuv3 *smmu, const struct smmuv3_ste *ste, struct smmuv3_xl *xl);
/** smmuv3_xl_event() - the event record @id for the request in @xl (fields per §7.3). */
void smmuv3_xl_event(const struct smmuv3_xl *xl, uint8_t id, struct smmuv3_event *evt);

/** smmuv3_mem_request() - upstream op: a memory request (see pcie_link.h). */
int smmuv3_mem_request(void *smmu, const struct pcie_txn *t, void *buf, unsigned len);
/** smmuv3_stall_resume() - execute RESUME: wake the stall (@sid, @stag); unknown ones are ignored. */
void smmuv3_stall_resume(struct smmuv3 *smmu, uint32_t sid, uint16_t stag, uint8_t resp);
/** smmuv3_stall_terminate_all() - terminate every stall (SFM, reset). */
void smmuv3_stall_terminate_all(struct smmuv3 *smmu);

/* ---- smmuv3_ats.c ---- */

/** smmuv3_ats_translate() - upstream op: an ATS Translation Request. */
void smmuv3_ats_translate(void *smmu, const struct pcie_txn *t, struct pcie_ats_cpl *cpl);
/** smmuv3_translated_check() - may a translated request from @sid pass (EATS)?  0 or -EPERM. */
int smmuv3_translated_check(struct smmuv3 *smmu, const struct pcie_txn *t);

/* ---- smmuv3_evtq.c ---- */

/**
 * smmuv3_evtq_record() - write event @evt to the event queue.
 * Return: 0 written; -ENOSPC dropped on overflow (OVFLG toggled);
 * -ENODEV dropped because EVTQEN is clear (or EVTQ_ABT_ERR is active);
 * -EFAULT on a write abort (EVTQ_ABT_ERR activated).  A stall record does
 * not drop: when the queue is not writable the calling task (the stall's
 * waiter) waits until it is, then returns -EAGAIN without writing (the
 * transaction is retried as though new, §3.12.2); -ECANCELED when the
 * stall was terminated, SMMUEN cleared or SFM entered meanwhile.
 */
int smmuv3_evtq_record(struct smmuv3 *smmu, const struct smmuv3_event *evt);
/** smmuv3_evtq_cons_written() - software moved EVTQ_CONS (or set EVTQEN, or acked
 * EVTQ_ABT_ERR): wake stall records waiting for a writable queue. */
void smmuv3_evtq_cons_written(struct smmuv3 *smmu);

/* ---- smmuv3_priq.c ---- */

/** smmuv3_page_request() - upstream op: a Page Request message. */
void smmuv3_page_request(void *smmu, const struct pcie_page_req *r);
/** smmuv3_pri_resp() - execute PRI_RESP: send the PRG Response. */
void smmuv3_pri_resp(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd);

/* ---- smmuv3_trace.c: what --trace shows of the SMMU (trace/trace.h) ---- */

void __smmuv3_trace_queues(struct smmuv3 *smmu);
void __smmuv3_trace_cmd(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd);

/** smmuv3_trace_queues() - CMDQ/EVTQ/PRIQ occupancy counters, when traced. */
static inline void smmuv3_trace_queues(struct smmuv3 *smmu)
{
	if (TRACE_ON())
		__smmuv3_trace_queues(smmu);
}

/** smmuv3_trace_cmd() - open the span of command @cmd on the command engine, when traced. */
static inline void smmuv3_trace_cmd(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	if (TRACE_ON())
		__smmuv3_trace_cmd(smmu, cmd);
}

#endif
