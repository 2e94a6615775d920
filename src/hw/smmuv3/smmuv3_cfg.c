// SPDX-License-Identifier: MIT
/*
 * SMMUv3 configuration fetch and the configuration cache.
 *
 * STEs are located through SMMU_STRTAB_BASE/_CFG, linear or 2-level
 * (§3.3.2, §5.1 L1STD, §6.3.23/24); CDs through STE.S1ContextPtr, one CD,
 * a linear table or a 2-level table (§5.2 S1Fmt, §5.3 L1CD, §5.4 CD).
 *
 * The config cache holds raw snapshots of what was fetched: STEs, CDs and
 * the intermediate L1STD/L1CD descriptors, valid or not (negative caching
 * is allowed, which is why Linux issues CFGI even when making an STE
 * valid).  A structure rewritten in memory is not seen until a CFGI_*
 * command removes the snapshot (§4.3):
 *   CFGI_STE(sid, Leaf)	 the STE, every CD and L1CD cached through it,
 *				 and with Leaf == 0 the L1STD that located it;
 *   CFGI_STE_RANGE(sid, r)	 the same for 2^(r+1) SIDs, L1STDs included;
 *				 r == 31 is CFGI_ALL (everything);
 *   CFGI_CD(sid, ssid, Leaf)	 the CD, and with Leaf == 0 its L1CD;
 *   CFGI_CD_ALL(sid)		 every CD and L1CD of the stream.
 * Fetch aborts are not cached.  Eviction is least recently used
 * (smmu->lru_clock).  With cfg_cache_entries == 0 nothing is cached.
 *
 * Context: any task; no scheduling points (fetches cost no virtual time).
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <errno.h>
#include <string.h>

#define STE_BYTES	(SMMUV3_STE_DWORDS * 8)
#define CD_BYTES	(SMMUV3_CD_DWORDS * 8)
#define L1STD_SPAN_MAX	11	/* §5.1: Span 12..31 is reserved, behaves as 0 */
#define CD_SPLIT_4K	6	/* §5.2 S1Fmt 0b01: 64 CDs per 4KB L2 table */
#define CD_SPLIT_64K	10	/* §5.2 S1Fmt 0b10: 1024 CDs per 64KB L2 table */
#define CD_L1_L2PTR_64K	GENMASK_ULL(51, 16)	/* L2Ptr[15:12] RES0 for 64KB */

/* What a cache entry holds, for lookup. */
enum cfg_kind {
	CFG_STE,
	CFG_CD,
	CFG_L1STD,
	CFG_L1CD,
};

static bool entry_is(const struct smmuv3_cfg_entry *e, enum cfg_kind kind)
{
	if (!e->valid)
		return false;
	switch (kind) {
	case CFG_STE:
		return !e->is_cd && !e->l1;
	case CFG_CD:
		return e->is_cd && !e->l1;
	case CFG_L1STD:
		return !e->is_cd && e->l1;
	default:
		return e->is_cd && e->l1;
	}
}

static struct smmuv3_cfg_entry *cache_find(struct smmuv3 *smmu, enum cfg_kind kind,
					   uint32_t sid, uint32_t ssid)
{
	for (unsigned i = 0; i < smmu->cfg.cfg_cache_entries; i++) {
		struct smmuv3_cfg_entry *e = &smmu->cfg_cache[i];

		if (!entry_is(e, kind) || e->sid != sid)
			continue;
		if ((kind == CFG_CD || kind == CFG_L1CD) && e->ssid != ssid)
			continue;
		e->lru = ++smmu->lru_clock;
		return e;
	}
	return NULL;
}

/* Insert a snapshot of @ndw dwords; evicts the least recently used entry. */
static void cache_insert(struct smmuv3 *smmu, enum cfg_kind kind, uint32_t sid,
			 uint32_t ssid, const uint64_t *dw, unsigned ndw)
{
	struct smmuv3_cfg_entry *victim = NULL;

	for (unsigned i = 0; i < smmu->cfg.cfg_cache_entries; i++) {
		struct smmuv3_cfg_entry *e = &smmu->cfg_cache[i];

		if (!e->valid) {
			victim = e;
			break;
		}
		if (!victim || e->lru < victim->lru)
			victim = e;
	}
	if (!victim)
		return;
	memset(victim, 0, sizeof(*victim));
	victim->valid = true;
	victim->is_cd = kind == CFG_CD || kind == CFG_L1CD;
	victim->l1 = kind == CFG_L1STD || kind == CFG_L1CD;
	victim->sid = sid;
	victim->ssid = ssid;
	memcpy(victim->dw, dw, ndw * sizeof(*dw));
	victim->lru = ++smmu->lru_clock;
}

/*
 * An intermediate descriptor (L1STD or L1CD) through the cache: dw[0] is
 * the descriptor, dw[1] the split it was fetched with.
 */
static int l1_fetch(struct smmuv3 *smmu, enum cfg_kind kind, uint32_t sid,
		    uint32_t l1idx, unsigned split, uint64_t addr, uint64_t *desc)
{
	struct smmuv3_cfg_entry *e;
	uint64_t dw[2];

	e = cache_find(smmu, kind, kind == CFG_L1STD ? l1idx : sid, l1idx);
	if (e && e->dw[1] == split) {
		*desc = e->dw[0];
		return 0;
	}
	if (hw_mem_read64(smmu->mem, addr, desc))
		return -EFAULT;
	dw[0] = *desc;
	dw[1] = split;
	cache_insert(smmu, kind, kind == CFG_L1STD ? l1idx : sid, l1idx, dw, 2);
	return 0;
}

/* log2 of the number of StreamIDs the stream table covers. */
static unsigned strtab_log2size(const struct smmuv3 *smmu)
{
	unsigned l = FIELD_GET(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, smmu->strtab_base_cfg);

	return l > smmu->cfg.sid_bits ? smmu->cfg.sid_bits : l;
}

/*
 * The address of the STE of @sid in a 2-level table (§5.1, §7.3.3).
 * Return: 0, or the event ID to record.
 */
static int ste_addr_2lvl(struct smmuv3 *smmu, uint32_t sid, uint64_t base,
			 uint64_t *addr, uint64_t *fetch_addr)
{
	unsigned split = FIELD_GET(SMMUV3_STRTAB_BASE_CFG_SPLIT, smmu->strtab_base_cfg);
	uint32_t l1idx = split >= 32 ? 0 : sid >> split;
	uint64_t l1addr = base + 8ULL * l1idx;
	uint64_t desc, l2ptr, lo;
	unsigned span;

	if (l1_fetch(smmu, CFG_L1STD, sid, l1idx, split, l1addr, &desc)) {
		*fetch_addr = l1addr;
		return SMMUV3_EVT_F_STE_FETCH;
	}
	span = FIELD_GET(SMMUV3_STRTAB_L1_SPAN, desc);
	if (!span || span > L1STD_SPAN_MAX || span > split + 1)
		return SMMUV3_EVT_C_BAD_STREAMID;
	lo = sid & ((1ULL << split) - 1);
	if (lo >= (1ULL << (span - 1)))
		return SMMUV3_EVT_C_BAD_STREAMID;
	/* L2Ptr[5 + Span - 1:0] are treated as 0: aligned to its size. */
	l2ptr = desc & SMMUV3_STRTAB_L1_L2PTR & ~((STE_BYTES << (span - 1)) - 1);
	*addr = l2ptr + lo * STE_BYTES;
	return 0;
}

static int cfg_cached(struct smmuv3 *smmu, enum cfg_kind kind, uint32_t sid, uint32_t ssid,
		      const struct smmuv3_ste *ste, uint64_t dw[8], uint64_t *fetch_addr);

/* Fetch the raw STE of @sid (not through the cache).  0 or an event ID. */
static int ste_fetch(struct smmuv3 *smmu, uint32_t sid, uint64_t dw[8], uint64_t *fetch_addr)
{
	unsigned fmt = FIELD_GET(SMMUV3_STRTAB_BASE_CFG_FMT, smmu->strtab_base_cfg);
	unsigned log2size = strtab_log2size(smmu);
	uint64_t base = smmu->strtab_base & SMMUV3_STRTAB_BASE_ADDR;
	uint64_t addr;
	int err;

	if (log2size < 32 && sid >= (1ULL << log2size))
		return SMMUV3_EVT_C_BAD_STREAMID;
	if (fmt == SMMUV3_STRTAB_BASE_CFG_FMT_2LVL) {
		err = ste_addr_2lvl(smmu, sid, base, &addr, fetch_addr);
		if (err)
			return err;
	} else {
		/* Linear: the base is aligned to the table size (§6.3.23). */
		base &= ~((STE_BYTES << log2size) - 1);
		addr = base + (uint64_t)sid * STE_BYTES;
	}
	if (hw_mem_read(smmu->mem, addr, dw, STE_BYTES)) {
		*fetch_addr = addr;
		return SMMUV3_EVT_F_STE_FETCH;
	}
	return 0;
}

/**
 * smmuv3_ste_get() - the STE for Stream ID @sid, through the config cache.
 * @smmu:	the SMMU.
 * @sid:	StreamID of the transaction.
 * @ste:	decoded STE (valid on success).
 * @fetch_addr:	set to the physical address whose fetch aborted, for
 *		SMMUV3_EVT_F_STE_FETCH.
 *
 * Models the STE lookup of §3.3.2 with the linear and 2-level formats
 * (§5.1 L1STD, §6.3.24 STRTAB_BASE_CFG) and the STE validity rules of
 * §5.2 (smmuv3_ste_check()).  Counts stats.cfg_hits / cfg_misses.
 *
 * Return: 0; or the event the transaction raises: SMMUV3_EVT_C_BAD_STREAMID
 * (SID beyond LOG2SIZE, or an L1STD with Span 0, reserved, beyond
 * SPLIT + 1, or not covering the SID, §7.3.3), SMMUV3_EVT_F_STE_FETCH
 * (an external abort fetching the L1STD or the STE, §7.3.4),
 * SMMUV3_EVT_C_BAD_STE (V == 0 or ILLEGAL, §7.3.5).
 * Context: any task or set-up code; not a scheduling point.
 */
int smmuv3_ste_get(struct smmuv3 *smmu, uint32_t sid, struct smmuv3_ste *ste, uint64_t *fetch_addr)
{
	uint64_t dw[SMMUV3_STE_DWORDS];
	int err = cfg_cached(smmu, CFG_STE, sid, 0, NULL, dw, fetch_addr);

	if (err)
		return err;
	smmuv3_ste_decode(dw, ste);
	if (smmuv3_ste_check(ste, &smmu->caps) != SMMUV3_STE_OK)
		return SMMUV3_EVT_C_BAD_STE;
	return 0;
}

/* Whether the STE points at a single CD (§5.2 S1Fmt, S1CDMax). */
static bool ste_single_cd(const struct smmuv3 *smmu, const struct smmuv3_ste *ste)
{
	return !ste->s1cdmax || !smmu->caps.ssid_bits;
}

/* The address of CD @ssid in a 2-level CD table (§5.2 S1Fmt, §5.3). */
static int cd_addr_2lvl(struct smmuv3 *smmu, uint32_t sid, const struct smmuv3_ste *ste,
			uint32_t ssid, uint64_t *addr, uint64_t *fetch_addr)
{
	unsigned split = ste->s1fmt == SMMUV3_STE_S1FMT_4K_L2 ? CD_SPLIT_4K : CD_SPLIT_64K;
	uint32_t l1idx = ssid >> split;
	uint64_t l1addr = ste->s1ctxptr + 8ULL * l1idx;
	uint64_t desc, l2ptr;

	if (l1_fetch(smmu, CFG_L1CD, sid, l1idx, split, l1addr, &desc)) {
		*fetch_addr = l1addr;
		return SMMUV3_EVT_F_CD_FETCH;
	}
	if (!(desc & SMMUV3_CD_L1_V))
		return SMMUV3_EVT_C_BAD_SUBSTREAMID;	/* §7.3.9 */
	l2ptr = desc & (split == CD_SPLIT_4K ? SMMUV3_CD_L1_L2PTR : CD_L1_L2PTR_64K);
	*addr = l2ptr + (uint64_t)(ssid & ((1U << split) - 1)) * CD_BYTES;
	return 0;
}

/* Fetch the raw CD @ssid (not through the cache).  0 or an event ID. */
static int cd_fetch(struct smmuv3 *smmu, uint32_t sid, const struct smmuv3_ste *ste,
		    uint32_t ssid, uint64_t dw[8], uint64_t *fetch_addr)
{
	uint64_t addr;
	int err;

	if (ste_single_cd(smmu, ste)) {
		addr = ste->s1ctxptr;
	} else if (ste->s1fmt == SMMUV3_STE_S1FMT_4K_L2 ||
		   ste->s1fmt == SMMUV3_STE_S1FMT_64K_L2) {
		err = cd_addr_2lvl(smmu, sid, ste, ssid, &addr, fetch_addr);
		if (err)
			return err;
	} else {
		addr = ste->s1ctxptr + (uint64_t)ssid * CD_BYTES;
	}
	if (hw_mem_read(smmu->mem, addr, dw, CD_BYTES)) {
		*fetch_addr = addr;
		return SMMUV3_EVT_F_CD_FETCH;
	}
	return 0;
}

/*
 * The 8 dwords of the STE of @sid (@kind CFG_STE) or of CD @ssid of the
 * stream whose STE is @ste (CFG_CD), from the config cache, else fetched
 * from memory and cached.  Counts cfg_hits / cfg_misses.
 * Return: 0, or the event ID the fetch raised (see ste_fetch/cd_fetch).
 */
static int cfg_cached(struct smmuv3 *smmu, enum cfg_kind kind, uint32_t sid, uint32_t ssid,
		      const struct smmuv3_ste *ste, uint64_t dw[8], uint64_t *fetch_addr)
{
	struct smmuv3_cfg_entry *e = cache_find(smmu, kind, sid, ssid);
	int err;

	if (e) {
		smmu->stats.cfg_hits++;
		memcpy(dw, e->dw, 8 * sizeof(*dw));
		return 0;
	}
	smmu->stats.cfg_misses++;
	err = kind == CFG_STE ? ste_fetch(smmu, sid, dw, fetch_addr)
			      : cd_fetch(smmu, sid, ste, ssid, dw, fetch_addr);
	if (err)
		return err;
	cache_insert(smmu, kind, sid, ssid, dw, 8);
	return 0;
}


/**
 * smmuv3_cd_get() - CD number @ssid of the stream @sid whose STE is @ste,
 * through the config cache.
 * @smmu:	the SMMU.
 * @sid:	StreamID (the cache tags CDs by StreamID, §4.3.3).
 * @ste:	its decoded, legal STE with stage 1 enabled.
 * @ssid:	CD index: the SubstreamID, or 0 for the single CD and for
 *		S1DSS == SSID0 traffic without a SubstreamID.  The caller has
 *		checked it against S1CDMax.
 * @cd:		decoded CD (on success).
 * @fetch_addr:	set to the aborting address for SMMUV3_EVT_F_CD_FETCH.
 *
 * Models the CD lookup of §3.3.2 with one CD, a linear table or a 2-level
 * table (§5.2 S1Fmt, §5.3 L1CD), and the CD validity rules of §5.4/§5.5
 * (smmuv3_cd_check()).  Counts stats.cfg_hits / cfg_misses.
 *
 * Return: 0 (also for V == 0: @cd->valid is false and the caller raises
 * C_BAD_CD, §7.3.11); SMMUV3_EVT_C_BAD_SUBSTREAMID for an L1CD with V == 0
 * (§7.3.9); SMMUV3_EVT_F_CD_FETCH on an external abort (§7.3.10);
 * SMMUV3_EVT_C_BAD_CD for a valid but ILLEGAL CD.
 * Context: any task or set-up code; not a scheduling point.
 */
int smmuv3_cd_get(struct smmuv3 *smmu, uint32_t sid, const struct smmuv3_ste *ste,
		  uint32_t ssid, struct smmuv3_cd *cd, uint64_t *fetch_addr)
{
	uint64_t dw[SMMUV3_CD_DWORDS];
	int err = cfg_cached(smmu, CFG_CD, sid, ssid, ste, dw, fetch_addr);

	if (err)
		return err;
	smmuv3_cd_decode(dw, cd);
	if (cd->valid && smmuv3_cd_check(cd, &smmu->caps, ste->s1stalld) != SMMUV3_CD_OK)
		return SMMUV3_EVT_C_BAD_CD;
	return 0;
}

/* Whether the L1STD entry @e locates any SID in [@lo, @hi]. */
static bool l1std_overlaps(const struct smmuv3_cfg_entry *e, uint64_t lo, uint64_t hi)
{
	unsigned split = e->dw[1];
	uint64_t first = (uint64_t)e->sid << split;
	uint64_t last = first + (1ULL << split) - 1;

	return first <= hi && last >= lo;
}

/*
 * Drop what was cached for the SIDs [@lo, @hi]: STEs, CDs and L1CDs, and
 * L1STDs too when @l1std.
 */
static void inv_sids(struct smmuv3 *smmu, uint64_t lo, uint64_t hi, bool l1std)
{
	for (unsigned i = 0; i < smmu->cfg.cfg_cache_entries; i++) {
		struct smmuv3_cfg_entry *e = &smmu->cfg_cache[i];

		if (!e->valid)
			continue;
		if (entry_is(e, CFG_L1STD)) {
			if (l1std && l1std_overlaps(e, lo, hi))
				e->valid = false;
			continue;
		}
		if (e->sid >= lo && e->sid <= hi)
			e->valid = false;
	}
}

/* CFGI_CD: the CD (@sid, @ssid), and its L1CD unless @leaf. */
static void inv_cd(struct smmuv3 *smmu, uint32_t sid, uint32_t ssid, bool leaf)
{
	for (unsigned i = 0; i < smmu->cfg.cfg_cache_entries; i++) {
		struct smmuv3_cfg_entry *e = &smmu->cfg_cache[i];

		if (!e->valid || !e->is_cd || e->sid != sid)
			continue;
		if (!e->l1 && e->ssid == ssid)
			e->valid = false;
		else if (e->l1 && !leaf && e->ssid == ssid >> e->dw[1])
			e->valid = false;
	}
}

/* CFGI_CD_ALL: every CD and L1CD cached through @sid. */
static void inv_cd_all(struct smmuv3 *smmu, uint32_t sid)
{
	for (unsigned i = 0; i < smmu->cfg.cfg_cache_entries; i++) {
		struct smmuv3_cfg_entry *e = &smmu->cfg_cache[i];

		if (e->valid && e->is_cd && e->sid == sid)
			e->valid = false;
	}
}

/**
 * smmuv3_cfg_inv() - execute a configuration invalidation command.
 * @smmu:	the SMMU.
 * @cmd:	a decoded CFGI_STE, CFGI_STE_RANGE (CFGI_ALL is RANGE 31),
 *		CFGI_CD or CFGI_CD_ALL; other opcodes are ignored.
 *
 * Models §4.3.1-§4.3.4 and §4.3.6 with the scopes listed at the top of
 * this file; a CFGI_STE also drops every CD and L1CD cached through the
 * StreamID (§4.3.1).  Counts stats.cfgi.
 * Context: the command engine task (any task); not a scheduling point.
 */
void smmuv3_cfg_inv(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	uint32_t sid = cmd->cfgi.sid;
	unsigned bits;
	uint64_t lo;

	switch (cmd->opcode) {
	case SMMUV3_CMD_CFGI_STE:
		inv_sids(smmu, sid, sid, !cmd->cfgi.leaf);
		break;
	case SMMUV3_CMD_CFGI_STE_RANGE:
		bits = cmd->cfgi.range + 1;	/* 2^(Range+1) StreamIDs */
		lo = bits >= 32 ? 0 : sid & ~((1ULL << bits) - 1);
		inv_sids(smmu, lo, lo + (1ULL << bits) - 1, true);
		break;
	case SMMUV3_CMD_CFGI_CD:
		inv_cd(smmu, sid, cmd->cfgi.ssid, cmd->cfgi.leaf);
		break;
	case SMMUV3_CMD_CFGI_CD_ALL:
		inv_cd_all(smmu, sid);
		break;
	default:
		return;
	}
	smmu->stats.cfgi++;
}

/**
 * smmuv3_cfg_flush() - empty the configuration cache: the state after a
 * reset (§16.2; software still issues CFGI_ALL before enabling).
 * Context: any; not a scheduling point.
 */
void smmuv3_cfg_flush(struct smmuv3 *smmu)
{
	for (unsigned i = 0; i < smmu->cfg.cfg_cache_entries; i++)
		smmu->cfg_cache[i].valid = false;
}
