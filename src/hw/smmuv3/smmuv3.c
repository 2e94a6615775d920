// SPDX-License-Identifier: MIT
/*
 * SMMUv3 model: creation and destruction, endpoint ports, the upstream
 * operations endpoints call, and the read-only views (stats, caps).
 *
 * An SMMU lives as long as its simulator: smmuv3_create() registers a
 * sim_at_destroy() hook that frees it.  The command engine task is a
 * daemon (the run may end while it waits for commands).
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Defaults of smmuv3_config_default(). */
#define SMMUV3_DEF_CMDQ_ENTRIES		256
#define SMMUV3_DEF_EVTQ_ENTRIES		128
#define SMMUV3_DEF_PRIQ_ENTRIES		128
#define SMMUV3_DEF_SID_BITS		16
#define SMMUV3_DEF_SSID_BITS		20
#define SMMUV3_DEF_STALL_MAX		32
#define SMMUV3_DEF_TLB_ENTRIES		256
#define SMMUV3_DEF_CFG_ENTRIES		64
#define SMMUV3_DEF_CMD_NS		50
#define SMMUV3_DEF_WALK_NS		100

#define SMMUV3_QS_MAX_LOG2		19	/* IDR1.CMDQS/EVTQS/PRIQS <= 19 */
#define SMMUV3_SID_BITS_MAX		32
#define SMMUV3_SSID_BITS_MAX		20
#define SMMUV3_STALL_MAX_MAX		0xffff	/* IDR5.STALL_MAX is 16 bits */

/**
 * smmuv3_config_default() - a typical SMMU for a PCIe system: ATS, PRI,
 * MSIs, the stall model, 2-level stream and CD tables, stage 1 only;
 * queues of 256/128/128 entries, 16-bit StreamIDs, 20-bit SubstreamIDs,
 * 32 stalls, a 256-entry TLB, a 64-entry config cache, 50 ns a command,
 * 100 ns a table-walk level; no IRQ lines wired.  These are the facts
 * IDR0/IDR1/IDR5 report (§6.3.1, §6.3.2, §6.3.6).
 * @cfg:	filled in completely.
 * Context: any.  Pure.
 */
void smmuv3_config_default(struct smmuv3_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "smmu0";
	cfg->cmdq_entries = SMMUV3_DEF_CMDQ_ENTRIES;
	cfg->evtq_entries = SMMUV3_DEF_EVTQ_ENTRIES;
	cfg->priq_entries = SMMUV3_DEF_PRIQ_ENTRIES;
	cfg->sid_bits = SMMUV3_DEF_SID_BITS;
	cfg->ssid_bits = SMMUV3_DEF_SSID_BITS;
	cfg->ats = true;
	cfg->pri = true;
	cfg->msi = true;
	cfg->cd2l = true;
	cfg->st_2lvl = true;
	cfg->stall_model = SMMUV3_IDR0_STALL_MODEL_STALL;
	cfg->stall_max = SMMUV3_DEF_STALL_MAX;
	cfg->tlb_entries = SMMUV3_DEF_TLB_ENTRIES;
	cfg->cfg_cache_entries = SMMUV3_DEF_CFG_ENTRIES;
	cfg->cmd_ns = SMMUV3_DEF_CMD_NS;
	cfg->walk_ns = SMMUV3_DEF_WALK_NS;
}

/* A queue size IDR1 can express: a power of two in 2..2^19 entries. */
static bool queue_size_ok(unsigned entries)
{
	return entries >= 2 && entries <= (1U << SMMUV3_QS_MAX_LOG2) &&
	       !(entries & (entries - 1));
}

static bool config_ok(const struct smmuv3_config *cfg)
{
	return queue_size_ok(cfg->cmdq_entries) &&
	       queue_size_ok(cfg->evtq_entries) &&
	       queue_size_ok(cfg->priq_entries) &&
	       cfg->sid_bits <= SMMUV3_SID_BITS_MAX &&
	       cfg->ssid_bits <= SMMUV3_SSID_BITS_MAX &&
	       cfg->stall_model <= SMMUV3_IDR0_STALL_MODEL_FORCE &&
	       cfg->stall_max <= SMMUV3_STALL_MAX_MAX &&
	       (!cfg->pri || cfg->ats) &&	/* IDR0.PRI is RES0 without ATS */
	       (!cfg->hyp || cfg->s2p);	/* IDR0.Hyp is RES0 without S2P */
}

static unsigned ilog2u(unsigned v)
{
	return 31 - __builtin_clz(v);
}

static void queue_init(struct smmuv3_queue *q, const char *name, unsigned entries,
		       unsigned ent_dwords)
{
	memset(q, 0, sizeof(*q));
	q->name = name;
	q->max_log2 = ilog2u(entries);
	q->ent_dwords = ent_dwords;
}

static void smmuv3_free(struct smmuv3 *smmu)
{
	if (sim_timer_armed(&smmu->cmdq_timer))
		sim_timer_cancel(&smmu->cmdq_timer);
	free(smmu->cfg_cache);
	free(smmu->tlb);
	free(smmu->stalls);
	free(smmu);
}

static void smmuv3_at_destroy(struct sim *s, void *arg)
{
	smmuv3_free(arg);
}

/* calloc of at least one element, so a zero-sized cache is not NULL. */
static void *calloc_min1(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int smmuv3_alloc_caches(struct smmuv3 *smmu)
{
	smmu->cfg_cache = calloc_min1(smmu->cfg.cfg_cache_entries, sizeof(*smmu->cfg_cache));
	smmu->tlb = calloc_min1(smmu->cfg.tlb_entries, sizeof(*smmu->tlb));
	smmu->stalls = calloc_min1(smmu->cfg.stall_max, sizeof(*smmu->stalls));
	if (!smmu->cfg_cache || !smmu->tlb || !smmu->stalls)
		return -ENOMEM;
	return 0;
}

static struct smmuv3 *smmuv3_alloc(struct sim *s, struct hw_mem *mem,
				   const struct smmuv3_config *cfg)
{
	struct smmuv3 *smmu = calloc(1, sizeof(*smmu));

	if (!smmu)
		return NULL;
	smmu->sim = s;
	smmu->mem = mem;
	smmu->cfg = *cfg;
	snprintf(smmu->name, sizeof(smmu->name), "%s", cfg->name ? cfg->name : "smmu");
	smmu->cfg.name = smmu->name;
	queue_init(&smmu->cmdq, "cmdq", cfg->cmdq_entries, SMMUV3_CMDQ_ENT_DWORDS);
	queue_init(&smmu->evtq, "evtq", cfg->evtq_entries, SMMUV3_EVTQ_ENT_DWORDS);
	queue_init(&smmu->priq, "priq", cfg->priq_entries, SMMUV3_PRIQ_ENT_DWORDS);
	smmu->cmdq_state = SMMUV3_CMDQ_IDLE;
	sim_timer_init(&smmu->cmdq_timer, NULL, NULL);	/* not armed */
	if (smmuv3_alloc_caches(smmu)) {
		smmuv3_free(smmu);
		return NULL;
	}
	return smmu;
}

/**
 * smmuv3_create() - an SMMU in its reset state on memory @mem, with its
 * command engine task (a daemon hardware task named "<name>-cmdq").
 * @s:		the simulator; the SMMU is freed by sim_destroy(@s).
 * @mem:	physical memory the SMMU reads and writes.
 * @cfg:	its make-up (copied).
 *
 * Models the reset state of §6.3 (every enable off, GBPA.ABORT clear) and
 * ID registers derived from @cfg (§6.3.1 IDR0, §6.3.2 IDR1, §6.3.6 IDR5).
 *
 * Return: the SMMU, or NULL with errno set: EINVAL (-EINVAL in the
 * header's terms) for a NULL argument, a queue size that is not a power of two in
 * 2..2^19 entries, sid_bits > 32, ssid_bits > 20, stall_model > 2,
 * stall_max > 65535, PRI without ATS, Hyp without stage 2; ENOMEM when
 * memory or a task slot ran out, ENOSPC when @s has no destroy hook left.
 * Context: set-up (main context) or a task.
 */
struct smmuv3 *smmuv3_create(struct sim *s, struct hw_mem *mem, const struct smmuv3_config *cfg)
{
	struct smmuv3 *smmu;

	if (!s || !mem || !cfg || !config_ok(cfg)) {
		errno = EINVAL;
		return NULL;
	}
	smmu = smmuv3_alloc(s, mem, cfg);
	if (!smmu) {
		errno = ENOMEM;
		return NULL;
	}
	smmuv3_regs_reset(smmu);
	smmuv3_caps_from_idr(&smmu->caps, smmu->idr0, smmu->idr1, smmu->idr5);
	if (sim_at_destroy(s, smmuv3_at_destroy, smmu)) {
		smmuv3_free(smmu);
		errno = ENOSPC;
		return NULL;
	}
	/* From here on sim_destroy() frees the SMMU, whatever happens. */
	if (smmuv3_cmdq_start(smmu)) {
		errno = ENOMEM;
		return NULL;
	}
	return smmu;
}

/** smmuv3_name() - the name it was made with (not architectural).  Context: any.  Pure. */
const char *smmuv3_name(const struct smmuv3 *smmu)
{
	return smmu->name;
}

/**
 * smmuv3_port_find() - the port messages for Stream ID @sid go to (the
 * Root Complex routing of §3.9.1).
 * Return: the port, or NULL when @sid is not connected.  Context: any.
 */
struct smmuv3_port *smmuv3_port_find(struct smmuv3 *smmu, uint32_t sid)
{
	for (int i = 0; i < smmu->nports; i++)
		if (smmu->ports[i].sid == sid)
			return &smmu->ports[i];
	return NULL;
}

static bool sid_in_range(const struct smmuv3 *smmu, uint32_t sid)
{
	return smmu->cfg.sid_bits >= 32 || sid < (1ULL << smmu->cfg.sid_bits);
}

/**
 * smmuv3_connect() - route messages for Stream ID @sid to endpoint @ep.
 * @completion_timeout: ATS invalidation completion timeout for @sid, ns.
 *
 * Models the Root Complex side of §3.9.1 (ATS interface): which function
 * an ATS Invalidate Request or PRG Response for a StreamID reaches, and
 * how long the SMMU waits for an Invalidation Completion (§3.9.1.4).
 * Return: 0; -EINVAL for a NULL @ep, a SID beyond IDR1.SIDSIZE or a zero
 * timeout; -EEXIST when @sid is already connected; -ENOSPC past
 * SMMUV3_MAX_PORTS ports.  Context: set-up or any task.
 */
int smmuv3_connect(struct smmuv3 *smmu, uint32_t sid, struct pcie_ep *ep,
		   sim_time_t completion_timeout)
{
	struct smmuv3_port *port;

	if (!ep || !sid_in_range(smmu, sid) || !completion_timeout)
		return -EINVAL;
	if (smmuv3_port_find(smmu, sid))
		return -EEXIST;
	if (smmu->nports >= SMMUV3_MAX_PORTS)
		return -ENOSPC;
	port = &smmu->ports[smmu->nports++];
	memset(port, 0, sizeof(*port));
	port->sid = sid;
	port->ep = ep;
	port->completion_timeout = completion_timeout;
	return 0;
}

static const struct pcie_upstream_ops smmuv3_upstream_ops = {
	.mem_request = smmuv3_mem_request,
	.ats_translate = smmuv3_ats_translate,
	.inv_completion = smmuv3_atc_inv_completion,
	.page_request = smmuv3_page_request,
};

/**
 * smmuv3_upstream() - what endpoints below this SMMU send their messages
 * to (memory requests, ATS Translation Requests, Invalidation Completions,
 * Page Requests; see pcie_link.h): the SMMU side of the ATS interface of
 * §3.9.1.  Context: any.  Pure.
 */
struct pcie_upstream smmuv3_upstream(struct smmuv3 *smmu)
{
	struct pcie_upstream up = { .ops = &smmuv3_upstream_ops, .iommu = smmu };

	return up;
}

/**
 * smmuv3_stats() - counters since creation, kept across smmuv3_reset()
 * (not architectural state).  Context: any.
 */
const struct smmuv3_stats *smmuv3_stats(const struct smmuv3 *smmu)
{
	return &smmu->stats;
}

/**
 * smmuv3_caps() - the capabilities IDR0/1/5 advertise (§6.3.1, §6.3.2,
 * §6.3.6).  Context: any.
 */
const struct smmuv3_caps *smmuv3_caps(const struct smmuv3 *smmu)
{
	return &smmu->caps;
}

/**
 * smmuv3_stalls_held() - stalled transactions awaiting CMD_RESUME
 * (§4.7.1), at most IDR5.STALL_MAX.  Context: any.
 */
int smmuv3_observe_stalls(struct smmuv3 *smmu, const struct smmuv3_stall_observer *obs)
{
	if (smmu->stall_obs.fn)
		return -EBUSY;
	smmu->stall_obs = *obs;
	return 0;
}

unsigned smmuv3_stalls_held(const struct smmuv3 *smmu)
{
	unsigned n = 0;

	for (unsigned i = 0; i < smmu->cfg.stall_max; i++)
		n += smmu->stalls[i].busy;
	return n;
}
