// SPDX-License-Identifier: MIT
/*
 * SMMUv3 register file (§6.2 register map, §6.3 register formats): MMIO
 * reads and writes, reset values, ID registers derived from the config,
 * and the side effects of writes (CR0 -> CR0ACK, IRQ_CTRL -> IRQ_CTRLACK,
 * GERRORN acknowledgement, CMDQ_PROD kicking the command engine, EVTQ_CONS
 * freeing event-queue space).
 *
 * Access rules modelled (SMMUv3.2 and later behaviour where earlier
 * versions were CONSTRAINED UNPREDICTABLE):
 *  - CR0ACK/IRQ_CTRLACK follow CR0/IRQ_CTRL at once, except that clearing
 *    CR0.CMDQEN while a command is in progress completes (CR0ACK.CMDQEN
 *    clears) when that command has been consumed (§6.3.9.3).
 *  - *_BASE and the SMMU-owned index (CMDQ_CONS, EVENTQ_PROD, PRIQ_PROD)
 *    are RW only while the queue's enable is 0 in both CR0 and CR0ACK,
 *    else RO (§6.3.26, §6.3.28, §6.3.29, §6.3.33 and the PROD registers).
 *  - STRTAB_BASE(_CFG) are RW only while SMMUEN is 0 in CR0 and CR0ACK.
 *  - *_IRQ_CFG0/1/2 are RW only while the IRQ's enable is 0 in IRQ_CTRL
 *    and IRQ_CTRLACK (§6.3.30); they are RES0 without IDR0.MSI.
 *  - GBPA takes a write only with Update set and while Update is 0; the
 *    model completes the update at once (§6.3.14.1).
 *  - GERROR, the IDRs and the ACK registers are RO.  PRIQ registers are
 *    RES0 without IDR0.PRI.
 *  - A 32-bit access to either half of a 64-bit register works on that
 *    half; a 64-bit access to a 32-bit register is two 32-bit accesses.
 *  - Other offsets read 0 and ignore writes, counted in smmu->mmio_bad.
 *
 * Every public accessor is one scheduling point (sim_point()) taken before
 * the access.
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <string.h>
#include <strings.h>

/* SMMU_AIDR: the model implements SMMUv3.2 register behaviour. */
#define SMMUV3_MODEL_AIDR	0x02

struct smmuv3_reg {
	const char *name;
	uint32_t off;
	unsigned width;
};

static const struct smmuv3_reg smmuv3_regs[] = {
	{ "IDR0", SMMUV3_IDR0, 32 },
	{ "IDR1", SMMUV3_IDR1, 32 },
	{ "IDR3", SMMUV3_IDR3, 32 },
	{ "IDR5", SMMUV3_IDR5, 32 },
	{ "IIDR", SMMUV3_IIDR, 32 },
	{ "AIDR", SMMUV3_AIDR, 32 },
	{ "CR0", SMMUV3_CR0, 32 },
	{ "CR0ACK", SMMUV3_CR0ACK, 32 },
	{ "CR1", SMMUV3_CR1, 32 },
	{ "CR2", SMMUV3_CR2, 32 },
	{ "GBPA", SMMUV3_GBPA, 32 },
	{ "IRQ_CTRL", SMMUV3_IRQ_CTRL, 32 },
	{ "IRQ_CTRLACK", SMMUV3_IRQ_CTRLACK, 32 },
	{ "GERROR", SMMUV3_GERROR, 32 },
	{ "GERRORN", SMMUV3_GERRORN, 32 },
	{ "GERROR_IRQ_CFG0", SMMUV3_GERROR_IRQ_CFG0, 64 },
	{ "GERROR_IRQ_CFG1", SMMUV3_GERROR_IRQ_CFG1, 32 },
	{ "GERROR_IRQ_CFG2", SMMUV3_GERROR_IRQ_CFG2, 32 },
	{ "STRTAB_BASE", SMMUV3_STRTAB_BASE, 64 },
	{ "STRTAB_BASE_CFG", SMMUV3_STRTAB_BASE_CFG, 32 },
	{ "CMDQ_BASE", SMMUV3_CMDQ_BASE, 64 },
	{ "CMDQ_PROD", SMMUV3_CMDQ_PROD, 32 },
	{ "CMDQ_CONS", SMMUV3_CMDQ_CONS, 32 },
	{ "EVTQ_BASE", SMMUV3_EVTQ_BASE, 64 },
	{ "EVTQ_IRQ_CFG0", SMMUV3_EVTQ_IRQ_CFG0, 64 },
	{ "EVTQ_IRQ_CFG1", SMMUV3_EVTQ_IRQ_CFG1, 32 },
	{ "EVTQ_IRQ_CFG2", SMMUV3_EVTQ_IRQ_CFG2, 32 },
	{ "PRIQ_BASE", SMMUV3_PRIQ_BASE, 64 },
	{ "PRIQ_IRQ_CFG0", SMMUV3_PRIQ_IRQ_CFG0, 64 },
	{ "PRIQ_IRQ_CFG1", SMMUV3_PRIQ_IRQ_CFG1, 32 },
	{ "PRIQ_IRQ_CFG2", SMMUV3_PRIQ_IRQ_CFG2, 32 },
	{ "EVTQ_PROD", SMMUV3_EVTQ_PROD, 32 },
	{ "EVTQ_CONS", SMMUV3_EVTQ_CONS, 32 },
	{ "PRIQ_PROD", SMMUV3_PRIQ_PROD, 32 },
	{ "PRIQ_CONS", SMMUV3_PRIQ_CONS, 32 },
};

#define SMMUV3_NREGS	(sizeof(smmuv3_regs) / sizeof(smmuv3_regs[0]))

/* Defined fields of the writable registers. */
#define Q_BASE_MASK	(SMMUV3_Q_BASE_RWA | SMMUV3_Q_BASE_ADDR | SMMUV3_Q_BASE_LOG2SIZE)
#define STRTAB_BASE_MASK (SMMUV3_STRTAB_BASE_RA | SMMUV3_STRTAB_BASE_ADDR)
#define STRTAB_CFG_MASK	(SMMUV3_STRTAB_BASE_CFG_FMT | SMMUV3_STRTAB_BASE_CFG_SPLIT | \
			 SMMUV3_STRTAB_BASE_CFG_LOG2SIZE)
#define CR1_MASK	GENMASK(11, 0)
#define CR2_MASK	(SMMUV3_CR2_PTM | SMMUV3_CR2_RECINVSID | SMMUV3_CR2_E2H)
/* GBPA: Update, ABORT, INSTCFG, PRIVCFG, SHCFG, ALLOCCFG, MTCFG, MemAttr */
#define GBPA_MASK	(SMMUV3_GBPA_UPDATE | SMMUV3_GBPA_ABORT | GENMASK(19, 16) | \
			 GENMASK(13, 8) | GENMASK(4, 0))
#define IRQ_CFG2_MASK	(SMMUV3_IRQ_CFG2_SH | SMMUV3_IRQ_CFG2_MEMATTR)

/* ---- ID registers (§6.3.1 IDR0, §6.3.2 IDR1, §6.3.4 IDR3, §6.3.6 IDR5) ---- */

static uint32_t idr0_from_cfg(const struct smmuv3_config *c)
{
	uint64_t v = 0;

	v |= FIELD_PREP(SMMUV3_IDR0_ST_LVL,
			c->st_2lvl ? SMMUV3_IDR0_ST_LVL_2LVL : SMMUV3_IDR0_ST_LVL_LINEAR);
	v |= FIELD_PREP(SMMUV3_IDR0_STALL_MODEL, c->stall_model);
	v |= FIELD_PREP(SMMUV3_IDR0_TTENDIAN, SMMUV3_IDR0_TTENDIAN_LE);
	v |= c->cd2l ? SMMUV3_IDR0_CD2L : 0;
	v |= c->s2p ? SMMUV3_IDR0_VMID16 : 0;
	v |= c->pri ? SMMUV3_IDR0_PRI : 0;
	v |= SMMUV3_IDR0_SEV;		/* CMD_SYNC and CONS moves send events */
	v |= c->msi ? SMMUV3_IDR0_MSI : 0;
	v |= SMMUV3_IDR0_ASID16;
	v |= c->ats ? SMMUV3_IDR0_ATS : 0;
	v |= c->hyp ? SMMUV3_IDR0_HYP : 0;
	v |= SMMUV3_IDR0_COHACC;
	v |= FIELD_PREP(SMMUV3_IDR0_TTF, SMMUV3_IDR0_TTF_AARCH64);
	v |= SMMUV3_IDR0_S1P;
	v |= c->s2p ? SMMUV3_IDR0_S2P : 0;
	return v;
}

static unsigned log2_entries(unsigned entries)
{
	return 31 - __builtin_clz(entries);
}

static uint32_t idr1_from_cfg(const struct smmuv3_config *c)
{
	uint64_t v = 0;

	v |= FIELD_PREP(SMMUV3_IDR1_CMDQS, log2_entries(c->cmdq_entries));
	v |= FIELD_PREP(SMMUV3_IDR1_EVTQS, log2_entries(c->evtq_entries));
	v |= FIELD_PREP(SMMUV3_IDR1_PRIQS, c->pri ? log2_entries(c->priq_entries) : 0);
	v |= FIELD_PREP(SMMUV3_IDR1_SSIDSIZE, c->ssid_bits);
	v |= FIELD_PREP(SMMUV3_IDR1_SIDSIZE, c->sid_bits);
	return v;
}

static uint32_t idr5_from_cfg(const struct smmuv3_config *c)
{
	uint64_t v = 0;

	v |= FIELD_PREP(SMMUV3_IDR5_STALL_MAX, c->stall_max);
	v |= SMMUV3_IDR5_GRAN4K;
	v |= FIELD_PREP(SMMUV3_IDR5_VAX, 0);	/* 48-bit VAs */
	v |= FIELD_PREP(SMMUV3_IDR5_OAS, SMMUV3_IDR5_OAS_48_BIT);
	return v;
}

/**
 * smmuv3_regs_reset() - every register to its reset value: the ID
 * registers from smmu->cfg, every enable and ACK 0, GBPA with ABORT
 * clear, GERROR == GERRORN == 0, queue and stream-table registers 0
 * (their architectural reset value is UNKNOWN; the model picks 0).
 * Models the reset columns of §6.3.  Context: any; not a scheduling point.
 */
void smmuv3_regs_reset(struct smmuv3 *smmu)
{
	const struct smmuv3_config *c = &smmu->cfg;

	smmu->idr0 = idr0_from_cfg(c);
	smmu->idr1 = idr1_from_cfg(c);
	smmu->idr3 = 0;
	smmu->idr5 = idr5_from_cfg(c);
	smmu->iidr = 0;
	smmu->aidr = SMMUV3_MODEL_AIDR;
	smmu->cr0 = smmu->cr0ack = smmu->cr1 = smmu->cr2 = 0;
	smmu->gbpa = 0;
	smmu->irq_ctrl = smmu->irq_ctrlack = 0;
	smmu->gerror = smmu->gerrorn = 0;
	smmu->gerror_irq_cfg0 = smmu->evtq_irq_cfg0 = smmu->priq_irq_cfg0 = 0;
	smmu->gerror_irq_cfg1 = smmu->evtq_irq_cfg1 = smmu->priq_irq_cfg1 = 0;
	smmu->gerror_irq_cfg2 = smmu->evtq_irq_cfg2 = smmu->priq_irq_cfg2 = 0;
	smmu->strtab_base = 0;
	smmu->strtab_base_cfg = 0;
	smmu->cmdq.base = smmu->cmdq.prod = smmu->cmdq.cons = 0;
	smmu->evtq.base = smmu->evtq.prod = smmu->evtq.cons = 0;
	smmu->priq.base = smmu->priq.prod = smmu->priq.cons = 0;
}

/* ---- helpers ---- */

static bool has_msi(const struct smmuv3 *smmu)
{
	return smmu->idr0 & SMMUV3_IDR0_MSI;
}

static bool has_pri(const struct smmuv3 *smmu)
{
	return smmu->idr0 & SMMUV3_IDR0_PRI;
}

/* Both the CR0 field and its ACK are 0: the guarded registers are RW. */
static bool cr0_off(const struct smmuv3 *smmu, uint32_t bit)
{
	return !((smmu->cr0 | smmu->cr0ack) & bit);
}

static bool irqen_off(const struct smmuv3 *smmu, uint32_t bit)
{
	return !((smmu->irq_ctrl | smmu->irq_ctrlack) & bit);
}

/* Index and wrap bits of a PROD/CONS value for @q's size in force. */
static uint32_t q_iw(const struct smmuv3_queue *q)
{
	return (2U << smmuv3_q_log2(q)) - 1;
}

static uint32_t cr0_mask(const struct smmuv3 *smmu)
{
	uint32_t m = SMMUV3_CR0_CMDQEN | SMMUV3_CR0_EVTQEN | SMMUV3_CR0_SMMUEN;

	if (smmu->idr0 & SMMUV3_IDR0_ATS)
		m |= SMMUV3_CR0_ATSCHK;
	if (has_pri(smmu))
		m |= SMMUV3_CR0_PRIQEN;
	return m;
}

static uint32_t irq_ctrl_mask(const struct smmuv3 *smmu)
{
	uint32_t m = SMMUV3_IRQ_CTRL_EVTQ_IRQEN | SMMUV3_IRQ_CTRL_GERROR_IRQEN;

	if (has_pri(smmu))
		m |= SMMUV3_IRQ_CTRL_PRIQ_IRQEN;
	return m;
}

/* GERROR/GERRORN fields this SMMU implements (§6.3.19). */
static uint32_t gerror_mask(const struct smmuv3 *smmu)
{
	uint32_t m = SMMUV3_GERROR_SFM_ERR | SMMUV3_GERROR_EVTQ_ABT_ERR |
		     SMMUV3_GERROR_CMDQ_ERR;

	if (has_pri(smmu))
		m |= SMMUV3_GERROR_PRIQ_ABT_ERR;
	if (has_msi(smmu))
		m |= SMMUV3_GERROR_MSI_GERROR_ABT_ERR | SMMUV3_GERROR_MSI_EVTQ_ABT_ERR |
		     SMMUV3_GERROR_MSI_CMDQ_ABT_ERR;
	if (has_msi(smmu) && has_pri(smmu))
		m |= SMMUV3_GERROR_MSI_PRIQ_ABT_ERR;
	return m;
}

static bool cmdq_mid_command(const struct smmuv3 *smmu)
{
	return smmu->cmdq_state == SMMUV3_CMDQ_RUNNING ||
	       smmu->cmdq_state == SMMUV3_CMDQ_SYNC_WAIT;
}

static const struct smmuv3_reg *reg_find(const char *name)
{
	for (size_t i = 0; i < SMMUV3_NREGS; i++)
		if (!strcasecmp(smmuv3_regs[i].name, name))
			return &smmuv3_regs[i];
	return NULL;
}

/* The register at @off of width @width, or NULL. */
static const struct smmuv3_reg *reg_at(uint32_t off, unsigned width)
{
	for (size_t i = 0; i < SMMUV3_NREGS; i++)
		if (smmuv3_regs[i].off == off && smmuv3_regs[i].width == width)
			return &smmuv3_regs[i];
	return NULL;
}

/**
 * smmuv3_reg_offset() - offset of register @name.
 * @name:	a name from the §6.3 register list without the "SMMU_"
 *		prefix ("CR0", "CMDQ_CONS", "EVTQ_PROD", "GERROR_IRQ_CFG0");
 *		case-insensitive; a leading "SMMU_" and the spec's spelling
 *		"EVENTQ_" are accepted too.
 * @width:	set to 32 or 64 (may be NULL).
 * Return: the byte offset (page 1 registers at SMMUV3_PAGE1 + ...), or -1
 * for an unknown name.  Context: any.  Pure.
 */
int smmuv3_reg_offset(const char *name, unsigned *width)
{
	const struct smmuv3_reg *r;
	char buf[40];

	if (!name)
		return -1;
	if (!strncasecmp(name, "SMMU_", 5))
		name += 5;
	if (!strncasecmp(name, "EVENTQ_", 7)) {
		snprintf(buf, sizeof(buf), "EVTQ_%s", name + 7);
		name = buf;
	}
	r = reg_find(name);
	if (!r)
		return -1;
	if (width)
		*width = r->width;
	return r->off;
}

/* ---- reads ---- */

static uint32_t reg_read32(struct smmuv3 *smmu, uint32_t off)
{
	switch (off) {
	case SMMUV3_IDR0:		return smmu->idr0;
	case SMMUV3_IDR1:		return smmu->idr1;
	case SMMUV3_IDR3:		return smmu->idr3;
	case SMMUV3_IDR5:		return smmu->idr5;
	case SMMUV3_IIDR:		return smmu->iidr;
	case SMMUV3_AIDR:		return smmu->aidr;
	case SMMUV3_CR0:		return smmu->cr0;
	case SMMUV3_CR0ACK:		return smmu->cr0ack;
	case SMMUV3_CR1:		return smmu->cr1;
	case SMMUV3_CR2:		return smmu->cr2;
	case SMMUV3_GBPA:		return smmu->gbpa;
	case SMMUV3_IRQ_CTRL:		return smmu->irq_ctrl;
	case SMMUV3_IRQ_CTRLACK:	return smmu->irq_ctrlack;
	case SMMUV3_GERROR:		return smmu->gerror;
	case SMMUV3_GERRORN:		return smmu->gerrorn;
	case SMMUV3_GERROR_IRQ_CFG1:	return smmu->gerror_irq_cfg1;
	case SMMUV3_GERROR_IRQ_CFG2:	return smmu->gerror_irq_cfg2;
	case SMMUV3_STRTAB_BASE_CFG:	return smmu->strtab_base_cfg;
	case SMMUV3_CMDQ_PROD:		return smmu->cmdq.prod;
	case SMMUV3_CMDQ_CONS:		return smmu->cmdq.cons;
	case SMMUV3_EVTQ_IRQ_CFG1:	return smmu->evtq_irq_cfg1;
	case SMMUV3_EVTQ_IRQ_CFG2:	return smmu->evtq_irq_cfg2;
	case SMMUV3_PRIQ_IRQ_CFG1:	return smmu->priq_irq_cfg1;
	case SMMUV3_PRIQ_IRQ_CFG2:	return smmu->priq_irq_cfg2;
	case SMMUV3_EVTQ_PROD:		return smmu->evtq.prod;
	case SMMUV3_EVTQ_CONS:		return smmu->evtq.cons;
	case SMMUV3_PRIQ_PROD:		return smmu->priq.prod;
	case SMMUV3_PRIQ_CONS:		return smmu->priq.cons;
	}
	return 0;
}

static uint64_t reg_read64(struct smmuv3 *smmu, uint32_t off)
{
	switch (off) {
	case SMMUV3_GERROR_IRQ_CFG0:	return smmu->gerror_irq_cfg0;
	case SMMUV3_STRTAB_BASE:	return smmu->strtab_base;
	case SMMUV3_CMDQ_BASE:		return smmu->cmdq.base;
	case SMMUV3_EVTQ_BASE:		return smmu->evtq.base;
	case SMMUV3_EVTQ_IRQ_CFG0:	return smmu->evtq_irq_cfg0;
	case SMMUV3_PRIQ_BASE:		return smmu->priq.base;
	case SMMUV3_PRIQ_IRQ_CFG0:	return smmu->priq_irq_cfg0;
	}
	return 0;
}

/* A 32-bit read: a 32-bit register, or either half of a 64-bit one. */
static uint32_t mmio_read32(struct smmuv3 *smmu, uint32_t off)
{
	if (reg_at(off, 32))
		return reg_read32(smmu, off);
	if (reg_at(off, 64))
		return (uint32_t)reg_read64(smmu, off);
	if (!(off & 7) || !reg_at(off - 4, 64)) {
		smmu->mmio_bad++;
		return 0;
	}
	return reg_read64(smmu, off - 4) >> 32;
}

/*
 * A CPU's read waits cfg.mmio_read_ns for its data, which is the register's
 * value when the read arrives: at the end of the wait here.  Set-up code
 * (no current task) reads at once.
 */
static void mmio_read_wait(struct smmuv3 *smmu)
{
	sim_point();
	if (smmu->cfg.mmio_read_ns && sim_cur->current)
		sim_delay(smmu->cfg.mmio_read_ns);
}

/**
 * smmuv3_read32() - a 32-bit MMIO read at byte offset @off.
 * Models §6.2: RAZ for reserved and unimplemented offsets (counted in
 * smmu->mmio_bad), either half of a 64-bit register.
 * Return: the value.  Context: task (one scheduling point, then
 * cfg.mmio_read_ns of virtual time) or set-up.
 */
uint32_t smmuv3_read32(struct smmuv3 *smmu, uint32_t off)
{
	mmio_read_wait(smmu);
	return mmio_read32(smmu, off);
}

/**
 * smmuv3_read64() - a 64-bit MMIO read at byte offset @off: a 64-bit
 * register, or two 32-bit reads (@off, @off + 4) elsewhere.
 * Return: the value.  Context: as smmuv3_read32().
 */
uint64_t smmuv3_read64(struct smmuv3 *smmu, uint32_t off)
{
	mmio_read_wait(smmu);
	if (reg_at(off, 64))
		return reg_read64(smmu, off);
	return mmio_read32(smmu, off) | (uint64_t)mmio_read32(smmu, off + 4) << 32;
}

/* ---- writes ---- */

static void write_cr0(struct smmuv3 *smmu, uint32_t val)
{
	uint32_t old = smmu->cr0ack, ack;

	val &= cr0_mask(smmu);
	smmu->cr0 = val;
	ack = val;
	/* §6.3.9.3: a command in progress is consumed before CMDQEN acks 0. */
	if ((old & SMMUV3_CR0_CMDQEN) && !(val & SMMUV3_CR0_CMDQEN) &&
	    cmdq_mid_command(smmu))
		ack |= SMMUV3_CR0_CMDQEN;
	smmu->cr0ack = ack;
	if ((ack & ~old) & SMMUV3_CR0_CMDQEN)
		smmuv3_cmdq_kick(smmu);
	/* Stall records waiting for a writable event queue re-check. */
	if ((ack ^ old) & (SMMUV3_CR0_EVTQEN | SMMUV3_CR0_SMMUEN))
		smmuv3_evtq_cons_written(smmu);
}

static void write_irq_ctrl(struct smmuv3 *smmu, uint32_t val)
{
	val &= irq_ctrl_mask(smmu);
	smmu->irq_ctrl = val;
	smmu->irq_ctrlack = val;
}

static void write_gbpa(struct smmuv3 *smmu, uint32_t val)
{
	/* §6.3.14.1: only a write with Update set, while none is under way. */
	if (!(val & SMMUV3_GBPA_UPDATE) || (smmu->gbpa & SMMUV3_GBPA_UPDATE))
		return;
	smmu->gbpa = val & GBPA_MASK & ~SMMUV3_GBPA_UPDATE;
}

static void write_gerrorn(struct smmuv3 *smmu, uint32_t val)
{
	smmu->gerrorn = val & gerror_mask(smmu);
	smmuv3_gerrorn_written(smmu);
}

/* Index|wrap written to a PROD/CONS register, plus the @keep flag bits. */
static uint32_t q_index_val(const struct smmuv3_queue *q, uint32_t val, uint32_t keep)
{
	return val & (q_iw(q) | keep);
}

static void write_q_prod_cons(struct smmuv3 *smmu, uint32_t off, uint32_t val)
{
	switch (off) {
	case SMMUV3_CMDQ_PROD:
		smmu->cmdq.prod = q_index_val(&smmu->cmdq, val, 0);
		smmuv3_cmdq_kick(smmu);
		break;
	case SMMUV3_CMDQ_CONS:
		if (cr0_off(smmu, SMMUV3_CR0_CMDQEN))
			smmu->cmdq.cons = q_index_val(&smmu->cmdq, val, SMMUV3_CMDQ_CONS_ERR);
		break;
	case SMMUV3_EVTQ_PROD:
		if (cr0_off(smmu, SMMUV3_CR0_EVTQEN))
			smmu->evtq.prod = q_index_val(&smmu->evtq, val, SMMUV3_Q_OVERFLOW_FLAG);
		break;
	case SMMUV3_EVTQ_CONS:
		smmu->evtq.cons = q_index_val(&smmu->evtq, val, SMMUV3_Q_OVERFLOW_FLAG);
		smmuv3_evtq_cons_written(smmu);
		break;
	case SMMUV3_PRIQ_PROD:
		if (has_pri(smmu) && cr0_off(smmu, SMMUV3_CR0_PRIQEN))
			smmu->priq.prod = q_index_val(&smmu->priq, val, SMMUV3_Q_OVERFLOW_FLAG);
		break;
	case SMMUV3_PRIQ_CONS:
		if (has_pri(smmu))
			smmu->priq.cons = q_index_val(&smmu->priq, val, SMMUV3_Q_OVERFLOW_FLAG);
		break;
	}
	smmuv3_trace_queues(smmu);
}

static void write_irq_cfg12(struct smmuv3 *smmu, uint32_t off, uint32_t val)
{
	if (!has_msi(smmu))
		return;
	switch (off) {
	case SMMUV3_GERROR_IRQ_CFG1:
	case SMMUV3_GERROR_IRQ_CFG2:
		if (!irqen_off(smmu, SMMUV3_IRQ_CTRL_GERROR_IRQEN))
			return;
		if (off == SMMUV3_GERROR_IRQ_CFG1)
			smmu->gerror_irq_cfg1 = val;
		else
			smmu->gerror_irq_cfg2 = val & IRQ_CFG2_MASK;
		break;
	case SMMUV3_EVTQ_IRQ_CFG1:
	case SMMUV3_EVTQ_IRQ_CFG2:
		if (!irqen_off(smmu, SMMUV3_IRQ_CTRL_EVTQ_IRQEN))
			return;
		if (off == SMMUV3_EVTQ_IRQ_CFG1)
			smmu->evtq_irq_cfg1 = val;
		else
			smmu->evtq_irq_cfg2 = val & IRQ_CFG2_MASK;
		break;
	case SMMUV3_PRIQ_IRQ_CFG1:
	case SMMUV3_PRIQ_IRQ_CFG2:
		if (!has_pri(smmu) || !irqen_off(smmu, SMMUV3_IRQ_CTRL_PRIQ_IRQEN))
			return;
		if (off == SMMUV3_PRIQ_IRQ_CFG1)
			smmu->priq_irq_cfg1 = val;
		else
			smmu->priq_irq_cfg2 = val & IRQ_CFG2_MASK;
		break;
	}
}

static void reg_write32(struct smmuv3 *smmu, uint32_t off, uint32_t val)
{
	switch (off) {
	case SMMUV3_CR0:
		write_cr0(smmu, val);
		break;
	case SMMUV3_CR1:
		smmu->cr1 = val & CR1_MASK;
		break;
	case SMMUV3_CR2:
		smmu->cr2 = val & CR2_MASK;
		break;
	case SMMUV3_GBPA:
		write_gbpa(smmu, val);
		break;
	case SMMUV3_IRQ_CTRL:
		write_irq_ctrl(smmu, val);
		break;
	case SMMUV3_GERRORN:
		write_gerrorn(smmu, val);
		break;
	case SMMUV3_STRTAB_BASE_CFG:
		if (cr0_off(smmu, SMMUV3_CR0_SMMUEN))
			smmu->strtab_base_cfg = val & STRTAB_CFG_MASK;
		break;
	case SMMUV3_CMDQ_PROD:
	case SMMUV3_CMDQ_CONS:
	case SMMUV3_EVTQ_PROD:
	case SMMUV3_EVTQ_CONS:
	case SMMUV3_PRIQ_PROD:
	case SMMUV3_PRIQ_CONS:
		write_q_prod_cons(smmu, off, val);
		break;
	default:
		write_irq_cfg12(smmu, off, val);	/* RO registers end here too */
		break;
	}
}

static void write_q_base(struct smmuv3 *smmu, struct smmuv3_queue *q, uint32_t en,
			 uint64_t val)
{
	if (cr0_off(smmu, en))
		q->base = val & Q_BASE_MASK;
}

static void write_irq_cfg0(struct smmuv3 *smmu, uint64_t *reg, uint32_t irqen, uint64_t val)
{
	if (has_msi(smmu) && irqen_off(smmu, irqen))
		*reg = val & SMMUV3_IRQ_CFG0_ADDR;
}

static void reg_write64(struct smmuv3 *smmu, uint32_t off, uint64_t val)
{
	switch (off) {
	case SMMUV3_GERROR_IRQ_CFG0:
		write_irq_cfg0(smmu, &smmu->gerror_irq_cfg0, SMMUV3_IRQ_CTRL_GERROR_IRQEN, val);
		break;
	case SMMUV3_EVTQ_IRQ_CFG0:
		write_irq_cfg0(smmu, &smmu->evtq_irq_cfg0, SMMUV3_IRQ_CTRL_EVTQ_IRQEN, val);
		break;
	case SMMUV3_PRIQ_IRQ_CFG0:
		if (has_pri(smmu))
			write_irq_cfg0(smmu, &smmu->priq_irq_cfg0, SMMUV3_IRQ_CTRL_PRIQ_IRQEN, val);
		break;
	case SMMUV3_STRTAB_BASE:
		if (cr0_off(smmu, SMMUV3_CR0_SMMUEN))
			smmu->strtab_base = val & STRTAB_BASE_MASK;
		break;
	case SMMUV3_CMDQ_BASE:
		write_q_base(smmu, &smmu->cmdq, SMMUV3_CR0_CMDQEN, val);
		break;
	case SMMUV3_EVTQ_BASE:
		write_q_base(smmu, &smmu->evtq, SMMUV3_CR0_EVTQEN, val);
		break;
	case SMMUV3_PRIQ_BASE:
		if (has_pri(smmu))
			write_q_base(smmu, &smmu->priq, SMMUV3_CR0_PRIQEN, val);
		break;
	}
}

/* A 32-bit write: a 32-bit register, or either half of a 64-bit one. */
static void mmio_write32(struct smmuv3 *smmu, uint32_t off, uint32_t val)
{
	uint64_t old;

	if (reg_at(off, 32)) {
		reg_write32(smmu, off, val);
	} else if (reg_at(off, 64)) {
		old = reg_read64(smmu, off);
		reg_write64(smmu, off, (old & ~0xffffffffULL) | val);
	} else if ((off & 7) && reg_at(off - 4, 64)) {
		old = reg_read64(smmu, off - 4);
		reg_write64(smmu, off - 4, (old & 0xffffffffULL) | (uint64_t)val << 32);
	} else {
		smmu->mmio_bad++;
	}
}

/**
 * smmuv3_write32() - a 32-bit MMIO write of @val at byte offset @off.
 * Models §6.2/§6.3 with the access rules listed at the top of this file;
 * writes to reserved or unimplemented offsets are ignored and counted in
 * smmu->mmio_bad; writes to RO registers are ignored.
 * Context: task (one scheduling point) or set-up.
 */
void smmuv3_write32(struct smmuv3 *smmu, uint32_t off, uint32_t val)
{
	sim_point();
	mmio_write32(smmu, off, val);
}

/**
 * smmuv3_write64() - a 64-bit MMIO write of @val at byte offset @off: a
 * 64-bit register, or two 32-bit writes (@off, then @off + 4) elsewhere.
 * Context: task (one scheduling point) or set-up.
 */
void smmuv3_write64(struct smmuv3 *smmu, uint32_t off, uint64_t val)
{
	sim_point();
	if (reg_at(off, 64)) {
		reg_write64(smmu, off, val);
		return;
	}
	mmio_write32(smmu, off, (uint32_t)val);
	mmio_write32(smmu, off + 4, val >> 32);
}
