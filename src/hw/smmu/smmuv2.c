// SPDX-License-Identifier: MIT
/*
 * SMMUv2 model: creation in the reset state, stats, observers.
 * See smmuv2.h.
 */
#include "hw/smmu/smmuv2_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void smmuv2_config_default(struct smmuv2_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "smmu";
	cfg->num_cbs = 8;
	cfg->sid_bits = 7;
	cfg->mmio_ns = 100;
	cfg->walk_ns = 100;
}

static void smmuv2_free(struct sim *s, void *arg)
{
	struct smmuv2 *smmu = arg;

	free(smmu->s2cr);
	free(smmu);
}

/* NUMPAGE: a power of two, at least 2, with room for every bank. */
static unsigned smmuv2_numpage(unsigned num_cbs)
{
	unsigned n = 2;

	while (n < num_cbs)
		n <<= 1;
	return n;
}

struct smmuv2 *smmuv2_create(struct sim *s, struct hw_mem *mem, const struct smmuv2_config *cfg)
{
	struct smmuv2 *smmu;

	if (!cfg->num_cbs || cfg->num_cbs > SMMUV2_MAX_CBS || !cfg->sid_bits ||
	    cfg->sid_bits > SMMUV2_MAX_SID_BITS) {
		errno = EINVAL;
		return NULL;
	}
	smmu = calloc(1, sizeof(*smmu));
	if (!smmu)
		return NULL;
	smmu->s2cr = calloc(1u << cfg->sid_bits, sizeof(*smmu->s2cr));
	if (!smmu->s2cr || sim_at_destroy(s, smmuv2_free, smmu)) {
		free(smmu->s2cr);
		free(smmu);
		return NULL;
	}
	smmu->cfg = *cfg;
	snprintf(smmu->name, sizeof(smmu->name), "%s", cfg->name ? cfg->name : "smmu");
	smmu->cfg.name = smmu->name;
	smmu->s = s;
	smmu->mem = mem;
	smmu->scr0 = SMMUV2_sCR0_CLIENTPD;	/* reset: clients bypass */
	smmu->numpage = smmuv2_numpage(cfg->num_cbs);
	/* S2CR reset value: fault (arch: UNKNOWN; Linux programs every one). */
	for (unsigned i = 0; i < (1u << cfg->sid_bits); i++)
		smmu->s2cr[i] = FIELD_PREP(SMMUV2_S2CR_TYPE, SMMUV2_S2CR_TYPE_FAULT);
	return smmu;
}

const char *smmuv2_name(const struct smmuv2 *smmu)
{
	return smmu->name;
}

const struct smmuv2_stats *smmuv2_stats(const struct smmuv2 *smmu)
{
	return &smmu->stats;
}

unsigned smmuv2_num_cbs(const struct smmuv2 *smmu)
{
	return smmu->cfg.num_cbs;
}

struct sim_irq *smmuv2_cb_irq(const struct smmuv2 *smmu, unsigned cb)
{
	return cb < smmu->cfg.num_cbs ? smmu->cfg.cb_irq[cb] : NULL;
}

int smmuv2_observe(struct smmuv2 *smmu, const struct smmuv2_observer *obs)
{
	if (smmu->nobs >= SMMUV2_MAX_OBSERVERS)
		return -ENOSPC;
	smmu->obs[smmu->nobs++] = *obs;
	return 0;
}

void smmuv2_notify(struct smmuv2 *smmu, unsigned cb, enum smmuv2_obs_event ev)
{
	for (int i = 0; i < smmu->nobs; i++)
		smmu->obs[i].event(smmu->obs[i].arg, smmu, cb, ev);
}

int smmuv2_cb_peek(const struct smmuv2 *smmu, unsigned cb, struct smmuv2_cb_state *st)
{
	const struct smmuv2_cb *c;

	if (cb >= smmu->cfg.num_cbs)
		return -EINVAL;
	c = &smmu->cb[cb];
	memset(st, 0, sizeof(*st));
	st->sctlr = c->sctlr;
	st->fsr = c->fsr;
	st->stalled = c->phase == SMMUV2_CB_STALLED;
	st->irq_asserted = c->irq_out;
	if (c->phase != SMMUV2_CB_IDLE) {
		st->stalled_since = c->held.since;
		st->device = c->held.txn ? c->held.txn->device : NULL;
		st->iova = c->held.txn ? c->held.txn->iova : 0;
		st->waiter = c->held.task;
	}
	return 0;
}
