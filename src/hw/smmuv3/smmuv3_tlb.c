// SPDX-License-Identifier: MIT
/*
 * SMMUv3 TLB: one entry per 4 KiB page translation, tagged by StreamWorld,
 * ASID and VMID (§16.2: a stage-1 TLB is indexed by VA, ASID, VMID and EL),
 * and the TLBI_* commands of §4.4.
 *
 * Only TLBI removes entries (and smmuv3_tlb_flush() at reset): a page
 * unmapped in memory stays usable through its TLB entry until software
 * invalidates it, which is exactly what makes a stale translation
 * observable.  Only final (leaf) translations are cached; nothing is
 * cached from a walk that faulted.  Eviction is least recently used
 * (smmu->lru_clock).
 *
 * Tags (§3.3.3 StreamWorld, §4.4.2):
 *   NS-EL1	 (ASID, VMID); VMID is STE.S2VMID when stage 2 is
 *		 implemented, else 0 and TLBI_NH_* ignore their VMID
 *		 parameter (RES0 on a stage-1-only SMMU);
 *   NS-EL2	 STE.STRW == EL2 with CR2.E2H == 0: no ASID, no VMID;
 *   NS-EL2-E2H	 STE.STRW == EL2 with CR2.E2H == 1: ASID, no VMID.
 * The model's tables have no nG bit: every entry is non-global.  Stage 2
 * is not modelled, so there are no stage-2 or IPA-tagged entries and
 * TLBI_S2_IPA removes nothing (it need not touch combined S1+S2 entries,
 * §4.4.3.1).  Leaf and TTL only narrow the required scope; the model
 * invalidates the whole scope (over-invalidation is permitted, §4.4).
 *
 * Context: any task; no scheduling points.
 */
#include "hw/smmuv3/smmuv3_internal.h"

#include <string.h>

/* Which entries a TLBI removes. */
struct tlbi_scope {
	uint32_t worlds;	/* BIT(enum smmuv3_world) */
	bool match_asid;
	uint16_t asid;
	bool match_vmid;
	uint16_t vmid;
	bool match_addr;
	uint64_t lo, hi;	/* page addresses, inclusive */
};

static bool tag_match(const struct smmuv3_tlb_entry *e, uint8_t world,
		      uint16_t asid, uint16_t vmid)
{
	if (e->world != world)
		return false;
	switch (world) {
	case SMMUV3_WORLD_NS_EL1:
		return e->asid == asid && e->vmid == vmid;
	case SMMUV3_WORLD_NS_EL2_E2H:
		return e->asid == asid;
	default:
		return true;
	}
}

/**
 * smmuv3_tlb_lookup_world() - the TLB entry translating the page of @iova
 * for StreamWorld @world with tags @asid / @vmid (unused tags are
 * ignored, see the top of this file), or NULL.
 * Marks the entry most recently used; counts no statistics (the caller
 * knows whether a lookup is a hit for its purposes).
 * Context: any task; not a scheduling point.  Models §16.2 TLB lookup.
 */
struct smmuv3_tlb_entry *smmuv3_tlb_lookup_world(struct smmuv3 *smmu, uint8_t world,
						 uint16_t asid, uint16_t vmid, uint64_t iova)
{
	uint64_t page = iova & HW_PAGE_MASK;

	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++) {
		struct smmuv3_tlb_entry *e = &smmu->tlb[i];

		if (e->valid && e->x.iova == page && tag_match(e, world, asid, vmid)) {
			e->lru = ++smmu->lru_clock;
			return e;
		}
	}
	return NULL;
}

/**
 * smmuv3_tlb_lookup() - smmuv3_tlb_lookup_world() for NS-EL1 (@asid, @vmid).
 * Return: the entry, or NULL.  Models §16.2 (TLB lookup).
 * Context: any task; not a scheduling point.
 */
struct smmuv3_tlb_entry *smmuv3_tlb_lookup(struct smmuv3 *smmu, uint16_t asid,
					   uint16_t vmid, uint64_t iova)
{
	return smmuv3_tlb_lookup_world(smmu, SMMUV3_WORLD_NS_EL1, asid, vmid, iova);
}

static struct smmuv3_tlb_entry *tlb_victim(struct smmuv3 *smmu, const struct smmuv3_tlb_entry *e)
{
	struct smmuv3_tlb_entry *victim = NULL;

	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++) {
		struct smmuv3_tlb_entry *t = &smmu->tlb[i];

		if (t->valid && t->x.iova == e->x.iova &&
		    tag_match(t, e->world, e->asid, e->vmid))
			return t;	/* same tag and page: replace */
	}
	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++) {
		struct smmuv3_tlb_entry *t = &smmu->tlb[i];

		if (!t->valid)
			return t;
		if (!victim || t->lru < victim->lru)
			victim = t;
	}
	return victim;
}

/**
 * smmuv3_tlb_fill() - cache a copy of @e (§16.2): its tag (world, ASID, VMID),
 * translation (x.iova is page aligned; x.src is stored as HW_XLATE_WALK)
 * and permissions.  An entry with the same tag and page is replaced,
 * else an invalid one is used, else the least recently used one evicted.
 * With tlb_entries == 0 nothing is cached.
 * Context: any task; not a scheduling point.
 */
void smmuv3_tlb_fill(struct smmuv3 *smmu, const struct smmuv3_tlb_entry *e)
{
	struct smmuv3_tlb_entry *t = tlb_victim(smmu, e);

	if (!t)
		return;
	*t = *e;
	t->valid = true;
	t->x.iova &= HW_PAGE_MASK;
	t->x.src = HW_XLATE_WALK;
	t->lru = ++smmu->lru_clock;
}

/**
 * smmuv3_tlb_insert() - cache @x for NS-EL1 (@asid, @vmid); x->perm is
 * what a privileged access gets, and an unprivileged one gets the same
 * when @priv_ok (AP[1] == 1), nothing otherwise.  Models §16.2 (TLB fill).
 * Context: any task; not a scheduling point.
 */
void smmuv3_tlb_insert(struct smmuv3 *smmu, uint16_t asid, uint16_t vmid,
		       const struct hw_xlate *x, bool priv_ok)
{
	struct smmuv3_tlb_entry e = {
		.asid = asid,
		.vmid = vmid,
		.x = *x,
		.priv_ok = priv_ok,
		.world = SMMUV3_WORLD_NS_EL1,
		.perm_unpriv = priv_ok ? x->perm : 0,
	};

	smmuv3_tlb_fill(smmu, &e);
}

static bool scope_match(const struct tlbi_scope *s, const struct smmuv3_tlb_entry *e)
{
	if (!(s->worlds & BIT(e->world)))
		return false;
	if (s->match_asid && e->asid != s->asid)
		return false;
	if (s->match_vmid && e->vmid != s->vmid)
		return false;
	return !s->match_addr || (e->x.iova >= s->lo && e->x.iova <= s->hi);
}

/* Remove every entry in @s.  Return: how many. */
static unsigned tlb_inv_scope(struct smmuv3 *smmu, const struct tlbi_scope *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++) {
		struct smmuv3_tlb_entry *e = &smmu->tlb[i];

		if (e->valid && scope_match(s, e)) {
			e->valid = false;
			n++;
		}
	}
	return n;
}

/*
 * The addresses a by-address TLBI covers (§4.4.1.1): with TG == 0 the one
 * page holding Addr; otherwise Range = (NUM + 1) * 2^SCALE granules of TG
 * from Addr.
 */
static void tlbi_range(const struct smmuv3_cmd *cmd, struct tlbi_scope *s)
{
	uint64_t addr = cmd->tlbi.addr & HW_PAGE_MASK;
	unsigned shift;
	unsigned __int128 bytes;

	s->match_addr = true;
	s->lo = addr;
	if (cmd->tlbi.tg == SMMUV3_TLBI_TG_NONE) {
		s->hi = addr;
		return;
	}
	shift = HW_PAGE_SHIFT + 2 * (cmd->tlbi.tg - SMMUV3_TLBI_TG_4K);	/* 4K/16K/64K */
	bytes = (unsigned __int128)(cmd->tlbi.num + 1) << (cmd->tlbi.scale + shift);
	if (bytes > UINT64_MAX - addr)
		s->hi = UINT64_MAX;	/* the range does not wrap */
	else
		s->hi = addr + (uint64_t)bytes - 1;
}

/* NS-EL1 scope of a TLBI_NH_* command: VMID matched only with stage 2. */
static void scope_nh(const struct smmuv3 *smmu, const struct smmuv3_cmd *cmd,
		     struct tlbi_scope *s)
{
	s->worlds = BIT(SMMUV3_WORLD_NS_EL1);
	s->match_vmid = smmu->caps.s2p;
	s->vmid = cmd->tlbi.vmid;
}

/* The scope of an EL2 command by VA: E2H-tagged or EL2 entries per CR2.E2H. */
static void scope_el2_va(const struct smmuv3 *smmu, const struct smmuv3_cmd *cmd,
			 struct tlbi_scope *s)
{
	if (smmu->cr2 & SMMUV3_CR2_E2H) {
		s->worlds = BIT(SMMUV3_WORLD_NS_EL2_E2H);
		s->match_asid = true;
		s->asid = cmd->tlbi.asid;
	} else {
		s->worlds = BIT(SMMUV3_WORLD_NS_EL2);
	}
	tlbi_range(cmd, s);
}

/* Fill @s for @cmd.  Return: false for an opcode that is not a TLBI. */
static bool tlbi_scope(const struct smmuv3 *smmu, const struct smmuv3_cmd *cmd,
		       struct tlbi_scope *s)
{
	memset(s, 0, sizeof(*s));
	switch (cmd->opcode) {
	case SMMUV3_CMD_TLBI_NH_ASID:
		s->match_asid = true;
		s->asid = cmd->tlbi.asid;
		/* fall through */
	case SMMUV3_CMD_TLBI_NH_ALL:
		scope_nh(smmu, cmd, s);
		return true;
	case SMMUV3_CMD_TLBI_NH_VA:
		s->match_asid = true;
		s->asid = cmd->tlbi.asid;
		/* fall through */
	case SMMUV3_CMD_TLBI_NH_VAA:
		scope_nh(smmu, cmd, s);
		tlbi_range(cmd, s);
		return true;
	case SMMUV3_CMD_TLBI_EL2_ALL:
		s->worlds = BIT(SMMUV3_WORLD_NS_EL2) | BIT(SMMUV3_WORLD_NS_EL2_E2H);
		return true;
	case SMMUV3_CMD_TLBI_EL2_ASID:
		s->worlds = BIT(SMMUV3_WORLD_NS_EL2_E2H);
		s->match_asid = true;
		s->asid = cmd->tlbi.asid;
		return true;
	case SMMUV3_CMD_TLBI_EL2_VA:
		scope_el2_va(smmu, cmd, s);
		return true;
	case SMMUV3_CMD_TLBI_S12_VMALL:
		s->worlds = BIT(SMMUV3_WORLD_NS_EL1);
		s->match_vmid = true;
		s->vmid = cmd->tlbi.vmid;
		return true;
	case SMMUV3_CMD_TLBI_S2_IPA:
		return true;	/* no stage-2 entries: worlds == 0 */
	case SMMUV3_CMD_TLBI_NSNH_ALL:
		s->worlds = BIT(SMMUV3_WORLD_NS_EL1);
		return true;
	default:
		return false;
	}
}

/**
 * smmuv3_tlb_inv() - execute the TLB invalidation command @cmd.
 * @smmu:	the SMMU.
 * @cmd:	a decoded TLBI_NH_ALL/ASID/VA/VAA, TLBI_EL2_ALL/ASID/VA,
 *		TLBI_S12_VMALL, TLBI_S2_IPA or TLBI_NSNH_ALL; other opcodes
 *		are ignored.
 *
 * Models §4.4.2 (stage 1: NH_ALL is VMALLE1 for the VMID, NH_ASID is
 * ASIDE1, NH_VA is VA{L}E1 by VMID/ASID/VA, NH_VAA VAA{L}E1 for all ASIDs
 * of the VMID; EL2_ALL every NS-EL2 and NS-EL2-E2H entry, EL2_ASID the
 * E2H entries of an ASID, EL2_VA by VA (and ASID under E2H) per
 * CR2.E2H), §4.4.3 (S12_VMALL every NS-EL1 entry of the VMID, S2_IPA
 * stage-2-only entries, of which the model has none) and §4.4.4.1
 * (NSNH_ALL every NS-EL1 entry, not NS-EL2).  Range fields per §4.4.1.1.
 * Counts stats.tlbi.
 * Context: the command engine task (any task); not a scheduling point.
 */
void smmuv3_tlb_inv(struct smmuv3 *smmu, const struct smmuv3_cmd *cmd)
{
	struct tlbi_scope s;

	if (!tlbi_scope(smmu, cmd, &s))
		return;
	smmu->stats.tlbi++;
	tlb_inv_scope(smmu, &s);
}

/**
 * smmuv3_tlb_flush() - empty the TLB: the state after a reset (§6.3: TLB
 * contents are not retained; software still issues TLBI_NSNH_ALL).
 * Context: any; not a scheduling point.
 */
void smmuv3_tlb_flush(struct smmuv3 *smmu)
{
	for (unsigned i = 0; i < smmu->cfg.tlb_entries; i++)
		smmu->tlb[i].valid = false;
}
