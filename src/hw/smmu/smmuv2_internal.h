/* SPDX-License-Identifier: MIT */
/*
 * SMMUv2 model internals shared by the files of src/hw/smmu/ (tests may
 * include it to inspect state).  The lifecycle of a bank's stalled
 * transaction is drawn in smmuv2.h.
 *
 * Files, one concern each:
 *   smmuv2.c         create, names, stats, observers, the S2CR/CBAR state
 *   smmuv2_regs.c    MMIO: the register map and the side effects of writes
 *   smmuv2_cb.c      a context bank: fault recording, stall and RESUME,
 *                    the context interrupt level, the invariant
 *   smmuv2_xlate.c   a transaction: stream -> bank -> walk -> fault/stall
 *   smmuv2_master.c  the masters' DMA engines
 */
#ifndef IOMMUSIM_HW_SMMUV2_INTERNAL_H
#define IOMMUSIM_HW_SMMUV2_INTERNAL_H

#include "hw/smmu/smmuv2.h"
#include "hw/smmu/smmuv2_regs.h"

#define SMMUV2_MAX_OBSERVERS	4

enum smmuv2_cb_phase {
	SMMUV2_CB_IDLE,
	SMMUV2_CB_STALLED,
	SMMUV2_CB_RETRYING,
};

/* What RESUME told a held transaction (on the stalled task's stack). */
struct smmuv2_resume_rec {
	bool resumed;			/* RESUME written */
	bool terminate;			/* ... with TERMINATE */
};

/* One held (or retrying) transaction. */
struct smmuv2_held {
	struct sim_task *task;		/* the master's task */
	const struct smmuv2_txn *txn;
	sim_time_t since;		/* when it stalled */
	struct smmuv2_resume_rec *rec;	/* while STALLED */
};

struct smmuv2_cb {
	uint32_t sctlr;
	uint64_t ttbr0;
	uint32_t fsr;
	uint64_t far;
	uint32_t fsynr0;
	uint32_t cbar;
	enum smmuv2_cb_phase phase;
	struct smmuv2_held held;	/* valid unless IDLE */
	bool irq_out;			/* the context interrupt output */
	struct sim_task *waiters[16];	/* transactions queued behind a stall */
	int nwaiters;
};

struct smmuv2 {
	struct smmuv2_config cfg;
	char name[SIM_NAME_LEN];
	struct sim *s;
	struct hw_mem *mem;
	uint32_t scr0;
	uint32_t *s2cr;			/* 1 << sid_bits entries */
	unsigned numpage;		/* pages of global space, power of two */
	struct smmuv2_cb cb[SMMUV2_MAX_CBS];
	struct smmuv2_stats stats;
	struct smmuv2_observer obs[SMMUV2_MAX_OBSERVERS];
	int nobs;
};

/* ---- smmuv2.c ---- */
void smmuv2_notify(struct smmuv2 *smmu, unsigned cb, enum smmuv2_obs_event ev);

/* ---- smmuv2_cb.c ---- */
uint32_t smmuv2_cb_read(struct smmuv2 *smmu, unsigned cb, uint32_t reg);
void smmuv2_cb_write(struct smmuv2 *smmu, unsigned cb, uint32_t reg, uint64_t val);
uint64_t smmuv2_cb_read64(struct smmuv2 *smmu, unsigned cb, uint32_t reg);
/* Record a context fault (@fsr_bit TF/PF) of @t; true when it must stall. */
bool smmuv2_cb_fault(struct smmuv2 *smmu, unsigned cb, const struct smmuv2_txn *t,
		     uint32_t fsr_bit);
/* Hold @t on bank @cb until RESUME.  Return: true to retry, false to abort. */
bool smmuv2_cb_stall(struct smmuv2 *smmu, unsigned cb, const struct smmuv2_txn *t);
/* Wait while bank @cb holds another transaction. */
void smmuv2_cb_wait_idle(struct smmuv2 *smmu, unsigned cb);
/* The retried transaction finished translating (translated or faulted). */
void smmuv2_cb_retry_done(struct smmuv2 *smmu, unsigned cb);
/* Recompute bank @cb's interrupt output and drive its line. */
void smmuv2_cb_update_irq(struct smmuv2 *smmu, unsigned cb);

#endif /* IOMMUSIM_HW_SMMUV2_INTERNAL_H */
