// SPDX-License-Identifier: MIT
/*
 * SMMUv2 register map (Arm IHI 0062 chapter 10; offsets as Linux's
 * drivers/iommu/arm/arm-smmu/arm-smmu.h encodes them): global register
 * space 0 (sCR0, ID0, ID1, S2CR), global register space 1 (CBAR), and
 * the context banks, one page each from page NUMPAGE (smmuv2_cb.c).
 *
 * Every public accessor takes one scheduling point, then costs
 * config.mmio_ns of virtual time (in set-up code, neither), then acts.
 */
#include "hw/smmu/smmuv2_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE(n)		((uint32_t)(n) << SMMUV2_PGSHIFT)
#define PAGE_OFF(off)	((off) & (PAGE(1) - 1))

uint32_t smmuv2_cb_base(const struct smmuv2 *smmu, unsigned cb)
{
	return PAGE(smmu->numpage + cb);
}

/* The access costs: a scheduling point, then mmio_ns. */
static void mmio_cost(struct smmuv2 *smmu)
{
	if (!sim_current())
		return;
	sim_point();
	if (smmu->cfg.mmio_ns)
		sim_delay(smmu->cfg.mmio_ns);
}

/* Bank of a context-bank offset, or -1. */
static int cb_of(const struct smmuv2 *smmu, uint32_t off)
{
	uint32_t page = off >> SMMUV2_PGSHIFT;

	if (page < smmu->numpage || page >= smmu->numpage + smmu->cfg.num_cbs)
		return -1;
	return (int)(page - smmu->numpage);
}

static uint32_t id0(const struct smmuv2 *smmu)
{
	return SMMUV2_ID0_S1TS | FIELD_PREP(SMMUV2_ID0_NUMIRPT, smmu->cfg.num_cbs) |
	       FIELD_PREP(SMMUV2_ID0_NUMSIDB, smmu->cfg.sid_bits);
}

static uint32_t id1(const struct smmuv2 *smmu)
{
	unsigned ndxb = 0;

	while ((2u << ndxb) < smmu->numpage)
		ndxb++;
	return FIELD_PREP(SMMUV2_ID1_NUMPAGENDXB, ndxb) |
	       FIELD_PREP(SMMUV2_ID1_NUMCB, smmu->cfg.num_cbs);
}

static uint32_t gr_read(struct smmuv2 *smmu, uint32_t off)
{
	unsigned nsid = 1u << smmu->cfg.sid_bits;

	if (off == SMMUV2_GR0_sCR0)
		return smmu->scr0;
	if (off == SMMUV2_GR0_ID0)
		return id0(smmu);
	if (off == SMMUV2_GR0_ID1)
		return id1(smmu);
	if (off >= SMMUV2_GR0_S2CR(0) && off < SMMUV2_GR0_S2CR(nsid) && !(off & 3))
		return smmu->s2cr[(off - SMMUV2_GR0_S2CR(0)) >> 2];
	if (off >= PAGE(1) + SMMUV2_GR1_CBAR(0) &&
	    off < PAGE(1) + SMMUV2_GR1_CBAR(smmu->cfg.num_cbs) && !(off & 3))
		return smmu->cb[(off - PAGE(1)) >> 2].cbar;
	smmu->stats.mmio_bad++;
	return 0;
}

static void gr_write(struct smmuv2 *smmu, uint32_t off, uint32_t val)
{
	unsigned nsid = 1u << smmu->cfg.sid_bits;

	if (off == SMMUV2_GR0_sCR0) {
		smmu->scr0 = val;
		return;
	}
	if (off == SMMUV2_GR0_ID0 || off == SMMUV2_GR0_ID1)
		return;		/* read-only */
	if (off >= SMMUV2_GR0_S2CR(0) && off < SMMUV2_GR0_S2CR(nsid) && !(off & 3)) {
		smmu->s2cr[(off - SMMUV2_GR0_S2CR(0)) >> 2] = val;
		return;
	}
	if (off >= PAGE(1) + SMMUV2_GR1_CBAR(0) &&
	    off < PAGE(1) + SMMUV2_GR1_CBAR(smmu->cfg.num_cbs) && !(off & 3)) {
		smmu->cb[(off - PAGE(1)) >> 2].cbar = val;
		return;
	}
	smmu->stats.mmio_bad++;
}

static uint32_t reg_read32(struct smmuv2 *smmu, uint32_t off)
{
	int cb = cb_of(smmu, off);

	return cb < 0 ? gr_read(smmu, off) : smmuv2_cb_read(smmu, (unsigned)cb, PAGE_OFF(off));
}

static void reg_write32(struct smmuv2 *smmu, uint32_t off, uint32_t val)
{
	int cb = cb_of(smmu, off);

	if (cb < 0)
		gr_write(smmu, off, val);
	else if (PAGE_OFF(off) == SMMUV2_CB_TTBR0 || PAGE_OFF(off) == SMMUV2_CB_TTBR0 + 4 ||
		 PAGE_OFF(off) == SMMUV2_CB_FAR || PAGE_OFF(off) == SMMUV2_CB_FAR + 4) {
		/* One half of a 64-bit register. */
		uint32_t base = PAGE_OFF(off) & ~7u;
		uint64_t v = smmuv2_cb_read64(smmu, (unsigned)cb, base);
		unsigned sh = (PAGE_OFF(off) & 4) * 8;

		v = (v & ~(0xffffffffULL << sh)) | (uint64_t)val << sh;
		smmuv2_cb_write(smmu, (unsigned)cb, base, v);
	} else {
		smmuv2_cb_write(smmu, (unsigned)cb, PAGE_OFF(off), val);
	}
}

uint32_t smmuv2_read32(struct smmuv2 *smmu, uint32_t off)
{
	mmio_cost(smmu);
	return reg_read32(smmu, off);
}

void smmuv2_write32(struct smmuv2 *smmu, uint32_t off, uint32_t val)
{
	mmio_cost(smmu);
	reg_write32(smmu, off, val);
}

static bool is_reg64(const struct smmuv2 *smmu, uint32_t off)
{
	return cb_of(smmu, off) >= 0 &&
	       (PAGE_OFF(off) == SMMUV2_CB_TTBR0 || PAGE_OFF(off) == SMMUV2_CB_FAR);
}

uint64_t smmuv2_read64(struct smmuv2 *smmu, uint32_t off)
{
	uint64_t lo;

	if (is_reg64(smmu, off)) {
		mmio_cost(smmu);
		return smmuv2_cb_read64(smmu, (unsigned)cb_of(smmu, off), PAGE_OFF(off));
	}
	lo = smmuv2_read32(smmu, off);
	return lo | (uint64_t)smmuv2_read32(smmu, off + 4) << 32;
}

void smmuv2_write64(struct smmuv2 *smmu, uint32_t off, uint64_t val)
{
	if (is_reg64(smmu, off)) {
		mmio_cost(smmu);
		smmuv2_cb_write(smmu, (unsigned)cb_of(smmu, off), PAGE_OFF(off), val);
		return;
	}
	smmuv2_write32(smmu, off, (uint32_t)val);
	smmuv2_write32(smmu, off + 4, (uint32_t)(val >> 32));
}

/* ---- Names, for hwtest ---- */

static const struct {
	const char *name;
	uint32_t off;
	unsigned width;
} cb_regs[] = {
	{ "SCTLR", SMMUV2_CB_SCTLR, 32 },
	{ "RESUME", SMMUV2_CB_RESUME, 32 },
	{ "TTBR0", SMMUV2_CB_TTBR0, 64 },
	{ "FSR", SMMUV2_CB_FSR, 32 },
	{ "FAR", SMMUV2_CB_FAR, 64 },
	{ "FSYNR0", SMMUV2_CB_FSYNR0, 32 },
};

/* "<prefix><decimal index><rest>": the index, and *rest; -1 if malformed. */
static long indexed(const char *name, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(name, prefix, n) || name[n] < '0' || name[n] > '9')
		return -1;
	v = strtol(name + n, &end, 10);
	*rest = end;
	return v;
}

int smmuv2_reg_offset(const struct smmuv2 *smmu, const char *name, unsigned *width)
{
	return smmuv2_reg_offset_cfg(&smmu->cfg, name, width);
}

int smmuv2_reg_offset_cfg(const struct smmuv2_config *cfg, const char *name, unsigned *width)
{
	unsigned numpage = 2;
	const char *rest;
	long i;

	while (numpage < cfg->num_cbs)
		numpage <<= 1;	/* as smmuv2_create() lays the banks out */

	*width = 32;
	if (!strcmp(name, "sCR0"))
		return SMMUV2_GR0_sCR0;
	if (!strcmp(name, "ID0"))
		return SMMUV2_GR0_ID0;
	if (!strcmp(name, "ID1"))
		return SMMUV2_GR0_ID1;
	i = indexed(name, "S2CR", &rest);
	if (i >= 0 && !*rest && i < (1L << cfg->sid_bits))
		return SMMUV2_GR0_S2CR(i);
	i = indexed(name, "CBAR", &rest);
	if (i >= 0 && !*rest && i < (long)cfg->num_cbs)
		return (int)(PAGE(1) + SMMUV2_GR1_CBAR(i));
	i = indexed(name, "CB", &rest);
	if (i < 0 || i >= (long)cfg->num_cbs || *rest != '_')
		return -1;
	for (size_t k = 0; k < sizeof(cb_regs) / sizeof(cb_regs[0]); k++)
		if (!strcmp(rest + 1, cb_regs[k].name)) {
			*width = cb_regs[k].width;
			return (int)(PAGE(numpage + (unsigned)i) + cb_regs[k].off);
		}
	return -1;
}
