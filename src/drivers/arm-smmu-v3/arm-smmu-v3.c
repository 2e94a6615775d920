// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: masters, domains, attach, invalidation arrays and ATS
 * (Linux arm-smmu-v3.c: arm_smmu_probe_device, arm_smmu_attach_dev,
 * arm_smmu_domain_inv_range, arm_smmu_atc_inv_master, arm_smmu_enable_ats
 * ...; seed 003 patches 17-23 for the ATS pieces).
 *
 * Attach of a paging domain to a master, in the order Linux keeps so no
 * device ever holds an ATC entry the driver would not invalidate:
 *   1. add the master's entries (ASID, and ATS per SID when ATS will be
 *      used) to the new domain's invalidation array;
 *   2. write CD 0 (the domain's ASID and page table), CFGI_CD + sync;
 *   3. write each SID's STE (EATS set when ATS is used), CFGI_STE + sync;
 *   4. enable ATS at the device (PCI ATS_CTRL) — only after EATS;
 *   5. drop the master's entries from the old domain's array and flush
 *      the master's ATC (ATC_INV of everything, with its own CMD_SYNC).
 * Detach to blocking: disable ATS at the device, STE abort, flush ATC,
 * drop the entries.
 */
#include <errno.h>
#include <string.h>

#include "check/fault.h"
#include "check/violation.h"
#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "hw/pgtable.h"
#include "trace/evlog.h"

#define ARM_SMMU_INV_RANGE_MAX_PAGES	64	/* above: TLBI by ASID */

/* ---- Streams: SID -> master (policy master_lookup=sid-lookup) ---- */

/**
 * arm_smmu_find_master() - the master owning @sid, looked up under
 * streams_lock (the review's alternative to inv->master).
 * Context: any (spin_lock_irqsave).
 */
struct arm_smmu_master *arm_smmu_find_master(struct arm_smmu_device *smmu, u32 sid)
{
	struct arm_smmu_master *found = NULL;
	unsigned long flags;

	flags = _spin_lock_irqsave(&smmu->streams_lock);
	for (unsigned int i = 0; i < smmu->nstreams; i++) {
		if (smmu->streams[i]->id == sid) {
			found = smmu->streams[i]->master;
			break;
		}
	}
	spin_unlock_irqrestore(&smmu->streams_lock, flags);
	return found;
}

/**
 * arm_smmu_inv_find_master() - see arm-smmu-v3.h.  The one lookup of the
 * master behind an ATC_INV, for the issue path (skip quarantined masters)
 * and the timeout path (whom to quarantine).
 */
struct arm_smmu_master *arm_smmu_inv_find_master(struct arm_smmu_device *smmu,
						 struct arm_smmu_invs *invs, u32 sid)
{
	if (smmu->policy.master_lookup == POL_MASTER_LOOKUP_SID_LOOKUP)
		return arm_smmu_find_master(smmu, sid);
	/* v4: the master pointer kept in the ATS entry, valid under RCU */
	for (size_t i = 0; invs && i < READ_ONCE(invs->num_invs); i++) {
		struct arm_smmu_inv *cur = &invs->inv[i];

		if (READ_ONCE(cur->users) && cur->smmu == smmu && cur->id == sid &&
		    (cur->type == INV_TYPE_ATS || cur->type == INV_TYPE_ATS_FULL))
			return kobj_use(cur->master, "arm_smmu_inv->master");
	}
	return NULL;
}

static int arm_smmu_insert_streams(struct arm_smmu_device *smmu,
				   struct arm_smmu_master *master)
{
	int ret = 0;

	mutex_lock(&smmu->streams_mutex);
	for (unsigned int i = 0; i < master->num_streams; i++) {
		if (master->streams[i].id >= smmu->strtab_ents ||
		    arm_smmu_find_master(smmu, master->streams[i].id)) {
			ret = -EINVAL;
			break;
		}
	}
	if (!ret) {
		unsigned long flags = _spin_lock_irqsave(&smmu->streams_lock);
		unsigned int need = smmu->nstreams + master->num_streams;

		if (need > smmu->streams_cap) {
			struct arm_smmu_stream **n = kcalloc(need * 2, sizeof(*n), GFP_ATOMIC);

			if (smmu->nstreams)
				memcpy(n, smmu->streams, smmu->nstreams * sizeof(*n));
			kfree(smmu->streams);
			smmu->streams = n;
			smmu->streams_cap = need * 2;
		}
		for (unsigned int i = 0; i < master->num_streams; i++)
			smmu->streams[smmu->nstreams++] = &master->streams[i];
		spin_unlock_irqrestore(&smmu->streams_lock, flags);
	}
	mutex_unlock(&smmu->streams_mutex);
	return ret;
}

static void arm_smmu_remove_streams(struct arm_smmu_device *smmu,
				    struct arm_smmu_master *master)
{
	unsigned long flags;
	unsigned int j = 0;

	mutex_lock(&smmu->streams_mutex);
	flags = _spin_lock_irqsave(&smmu->streams_lock);
	for (unsigned int i = 0; i < smmu->nstreams; i++)
		if (smmu->streams[i]->master != master)
			smmu->streams[j++] = smmu->streams[i];
	smmu->nstreams = j;
	spin_unlock_irqrestore(&smmu->streams_lock, flags);
	mutex_unlock(&smmu->streams_mutex);
}

/* ---- STE and CD writers ---- */

struct arm_smmu_ste_writer {
	struct arm_smmu_entry_writer writer;
	struct arm_smmu_master *master;
	u32 sid;
};

static void arm_smmu_ste_writer_sync(struct arm_smmu_entry_writer *writer)
{
	struct arm_smmu_ste_writer *w = container_of(writer, struct arm_smmu_ste_writer, writer);
	struct smmuv3_cmd cmd = { .opcode = SMMUV3_CMD_CFGI_STE,
				  .cfgi = { .sid = w->sid, .leaf = true } };

	arm_smmu_cmdq_issue_cmd_with_sync(w->master->smmu, &cmd);
}

static const struct arm_smmu_entry_writer_ops arm_smmu_ste_writer_ops = {
	.get_used = arm_smmu_get_ste_used,
	.get_update_safe = arm_smmu_get_ste_update_safe,
	.sync = arm_smmu_ste_writer_sync,
};

static u64 *arm_smmu_ste_ptr(struct arm_smmu_device *smmu, u32 sid)
{
	return smmu->strtab + (size_t)sid * SMMUV3_STE_DWORDS;
}

/**
 * arm_smmu_write_ste() - see arm-smmu-v3.h.  Under ats_broken_lock with
 * interrupts masked (patch 23): EATS is forced off while ats_broken, so a
 * concurrent attach cannot re-enable ATS on a quarantined master.
 */
void arm_smmu_write_ste(struct arm_smmu_master *master, u32 sid,
			const struct arm_smmu_ste *target)
{
	struct arm_smmu_ste_writer w = {
		.writer = { .ops = &arm_smmu_ste_writer_ops },
		.master = master,
		.sid = sid,
	};
	struct arm_smmu_ste local = *target;
	struct pci_dev *pdev = dev_is_pci(master->dev) ? to_pci_dev(master->dev) : NULL;
	unsigned long flags;

	flags = _spin_lock_irqsave(&master->ats_broken_lock);
	if (master->ats_broken)
		local.data[1] &= ~SMMUV3_STE1_EATS;
	if (FIELD_GET(SMMUV3_STE1_EATS, local.data[1]) &&
	    (master->ats_broken || (pdev && pdev->reset_failed)))
		check_report(V_QUARANTINE_ESCAPE, NULL, 0,
			     "%s: STE of SID 0x%x written with EATS while %s",
			     dev_name(master->dev), sid,
			     master->ats_broken ? "its ATS is quarantined" :
			     "its last reset failed");
	arm_smmu_write_entry(&w.writer, arm_smmu_ste_ptr(master->smmu, sid), local.data);
	spin_unlock_irqrestore(&master->ats_broken_lock, flags);
}

/**
 * arm_smmu_install_ste_for_dev() - write @target to every SID of @master
 * (arm_smmu_write_ste() each).  Context: task, group mutex held.
 * Models Linux arm_smmu_install_ste_for_dev().
 */
void arm_smmu_install_ste_for_dev(struct arm_smmu_master *master,
				  const struct arm_smmu_ste *target)
{
	for (unsigned int i = 0; i < master->num_streams; i++)
		arm_smmu_write_ste(master, master->streams[i].id, target);
}

struct arm_smmu_cd_writer {
	struct arm_smmu_entry_writer writer;
	struct arm_smmu_master *master;
	u32 ssid;
};

static void arm_smmu_cd_writer_sync(struct arm_smmu_entry_writer *writer)
{
	struct arm_smmu_cd_writer *w = container_of(writer, struct arm_smmu_cd_writer, writer);
	struct arm_smmu_master *master = w->master;
	struct arm_smmu_cmdq_batch cmds;

	arm_smmu_cmdq_batch_init(master->smmu, &cmds, NULL);
	for (unsigned int i = 0; i < master->num_streams; i++) {
		struct smmuv3_cmd cmd = { .opcode = SMMUV3_CMD_CFGI_CD,
					  .cfgi = { .sid = master->streams[i].id,
						    .ssid = w->ssid, .leaf = true } };

		arm_smmu_cmdq_batch_add(master->smmu, &cmds, &cmd);
	}
	arm_smmu_cmdq_batch_submit(master->smmu, &cmds);
}

static const struct arm_smmu_entry_writer_ops arm_smmu_cd_writer_ops = {
	.get_used = arm_smmu_get_cd_used,
	.sync = arm_smmu_cd_writer_sync,
};

/**
 * arm_smmu_write_cd_entry() - write CD @ssid of @master through the
 * hitless writer (CFGI_CD for every SID + CMD_SYNC after each step).
 * Context: task, group mutex held.  Models Linux arm_smmu_write_cd_entry().
 */
void arm_smmu_write_cd_entry(struct arm_smmu_master *master, u32 ssid,
			     const struct arm_smmu_cd *target)
{
	struct arm_smmu_cd_writer w = {
		.writer = { .ops = &arm_smmu_cd_writer_ops },
		.master = master,
		.ssid = ssid,
	};

	if (WARN_ON(ssid >= master->cd_table_entries))
		return;
	arm_smmu_write_entry(&w.writer, master->cd_table + (size_t)ssid * SMMUV3_CD_DWORDS,
			     target->data);
}

/**
 * arm_smmu_clear_cd() - make CD @ssid of @master invalid (V=0), synced;
 * nothing is issued when it already is.  Context: task, group mutex held.
 * Models Linux arm_smmu_clear_cd().
 */
void arm_smmu_clear_cd(struct arm_smmu_master *master, u32 ssid)
{
	struct arm_smmu_cd cd = { 0 };

	arm_smmu_write_cd_entry(master, ssid, &cd);
}

/**
 * arm_smmu_make_domain_cd() - the CD @master needs for @dom: an S1 CD
 * (paging) or the SVA CD of the domain's address space (SVA), with CD.S
 * set when the master may stall and the domain takes faults (it has an
 * iopf_handler): only such CDs stall (Linux sets CD.S from
 * master->stall_enabled; the model narrows it to the domains that
 * answer faults, so other domains keep terminating).  Context: any.
 */
void arm_smmu_make_domain_cd(struct arm_smmu_master *master, struct arm_smmu_domain *dom,
			     struct arm_smmu_cd *cd)
{
	bool stall = master->stall_enabled && dom->domain.iopf_handler;

	if (dom->domain.type == IOMMU_DOMAIN_SVA) {
		arm_smmu_make_sva_cd(cd->data, dom->asid, true, dom->pgd, stall);
		return;
	}
	arm_smmu_make_s1_cd(cd->data, dom->asid, dom->pgd);
	if (stall)
		cd->data[0] |= SMMUV3_CD0_S;	/* arm_smmu_make_s1_cd_cfg(.., true) */
}

/** arm_smmu_ssids_in_use() - a PASID (SSID != 0) of @master has a CD. */
bool arm_smmu_ssids_in_use(const struct arm_smmu_master *master)
{
	for (unsigned int i = 1; i < master->cd_table_entries; i++)
		if (master->ssid_domain[i])
			return true;
	return false;
}

/**
 * arm_smmu_make_master_ste() - the STE @master's SIDs need now: a CD-table
 * STE when the RID is on a paging domain (S1DSS=SSID0) or PASIDs use the
 * CD table (S1DSS=TERMINATE for a blocked RID, BYPASS for identity, as
 * Linux arm_smmu_attach_dev_ste()); otherwise abort or bypass.  EATS
 * from @ats; S1STALLD clear for a stall-capable master.  Context: any.
 */
void arm_smmu_make_master_ste(struct arm_smmu_master *master, bool ats,
			      struct arm_smmu_ste *ste)
{
	unsigned int s1dss = SMMUV3_STE_S1DSS_SSID0;

	if (master->rid_kind != ARM_SMMU_RID_PAGING && !arm_smmu_ssids_in_use(master)) {
		if (master->rid_kind == ARM_SMMU_RID_IDENTITY)
			arm_smmu_make_bypass_ste(ste->data);
		else
			arm_smmu_make_abort_ste(ste->data);
		return;
	}
	if (master->rid_kind == ARM_SMMU_RID_IDENTITY)
		s1dss = SMMUV3_STE_S1DSS_BYPASS;
	else if (master->rid_kind == ARM_SMMU_RID_BLOCKED)
		s1dss = SMMUV3_STE_S1DSS_TERMINATE;
	arm_smmu_make_cdtable_ste(ste->data, master->cd_table_dma,
				  ilog2(master->cd_table_entries), ats, s1dss,
				  master->stall_enabled);
}

/* ---- Invalidation arrays ---- */

static int arm_smmu_inv_cmp(const struct arm_smmu_inv *l, const struct arm_smmu_inv *r)
{
	if (l->smmu != r->smmu)
		return l->smmu < r->smmu ? -1 : 1;
	if (l->type != r->type)
		return l->type < r->type ? -1 : 1;
	if (l->id != r->id)
		return l->id < r->id ? -1 : 1;
	if (l->ssid != r->ssid)
		return l->ssid < r->ssid ? -1 : 1;
	return 0;
}

static struct arm_smmu_invs *arm_smmu_invs_alloc(size_t n)
{
	struct arm_smmu_invs *invs = kzalloc(sizeof(*invs) + n * sizeof(invs->inv[0]),
					     GFP_KERNEL);

	invs->max_invs = n;
	return invs;
}

/*
 * A new array: @cur's live entries with @add merged in (users +delta),
 * sorted; entries left with 0 users are dropped.  @add is sorted.
 */
static struct arm_smmu_invs *arm_smmu_invs_update(const struct arm_smmu_invs *cur,
						  const struct arm_smmu_inv *add,
						  size_t nadd, int delta)
{
	size_t ncur = cur ? cur->num_invs : 0, i = 0, j = 0;
	struct arm_smmu_invs *n = arm_smmu_invs_alloc(ncur + nadd);

	while (i < ncur || j < nadd) {
		struct arm_smmu_inv e;
		int c = i >= ncur ? 1 : j >= nadd ? -1 : arm_smmu_inv_cmp(&cur->inv[i], &add[j]);

		if (c < 0) {
			e = cur->inv[i++];
		} else if (c > 0) {
			e = add[j++];
			e.users = delta;
		} else {
			e = cur->inv[i++];
			e.users += delta;
			j++;
		}
		if (e.users <= 0)
			continue;
		if (e.type == INV_TYPE_ATS || e.type == INV_TYPE_ATS_FULL)
			n->has_ats = true;
		n->inv[n->num_invs++] = e;
	}
	return n;
}

/*
 * The entries @master contributes to a domain attached at @ssid: its
 * ASID, and ATS per SID (tagged with @ssid).
 */
static size_t arm_smmu_master_build_invs(struct arm_smmu_master *master,
					 struct arm_smmu_domain *dom, u32 ssid, bool ats,
					 struct arm_smmu_inv *out)
{
	size_t n = 0;

	out[n++] = (struct arm_smmu_inv){ .smmu = master->smmu, .type = INV_TYPE_S1_ASID,
					  .id = dom->asid };
	if (ats)
		for (unsigned int i = 0; i < master->num_streams; i++)
			out[n++] = (struct arm_smmu_inv){
				.smmu = master->smmu, .master = master,
				.type = INV_TYPE_ATS, .id = master->streams[i].id,
				.ssid = ssid };
	return n;
}

/**
 * arm_smmu_domain_invs_change() - add (@delta +1) or drop (-1) the
 * invalidation entries of @master attached to @dom at @ssid (ATS entries
 * when @ats).  Context: task; takes dom->invs_lock, frees the old array
 * after RCU.
 */
void arm_smmu_domain_invs_change(struct arm_smmu_domain *dom, struct arm_smmu_master *master,
				 u32 ssid, bool ats, int delta)
{
	struct arm_smmu_inv add[1 + PCIE_EP_MAX_SIDS];
	struct arm_smmu_invs *old, *n;
	size_t nadd = arm_smmu_master_build_invs(master, dom, ssid, ats, add);

	mutex_lock(&dom->invs_lock);
	old = dom->invs;
	n = arm_smmu_invs_update(old, add, nadd, delta);
	rcu_assign_pointer(dom->invs, n);
	mutex_unlock(&dom->invs_lock);
	if (old)
		kfree_rcu(old, rcu);
}

/* Linux arm_smmu_atc_inv_to_cmd(): the smallest aligned span covering the range. */
static void arm_smmu_atc_inv_to_cmd(u32 sid, u32 ssid, unsigned long iova, size_t size,
				    struct smmuv3_cmd *cmd)
{
	unsigned long page_start, page_end, span_mask;
	unsigned int log2_span = 0;

	*cmd = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_ATC_INV };
	cmd->atc_inv.sid = sid;
	cmd->atc_inv.ssid = ssid;
	cmd->atc_inv.ssv = ssid != IOMMU_NO_PASID;
	if (!size) {
		cmd->atc_inv.size = SMMUV3_ATC_INV_SIZE_ALL;
		return;
	}
	page_start = iova >> 12;
	page_end = (iova + size - 1) >> 12;
	while ((page_start ^ page_end) >> log2_span)
		log2_span++;
	span_mask = (1UL << log2_span) - 1;
	page_start &= ~span_mask;
	cmd->atc_inv.addr = page_start << 12;
	cmd->atc_inv.size = log2_span;
}

static void arm_smmu_inv_add_tlbi(struct arm_smmu_device *smmu,
				  struct arm_smmu_cmdq_batch *cmds, u16 asid,
				  unsigned long iova, size_t size)
{
	size_t pages = size >> 12;

	if (!size || pages > ARM_SMMU_INV_RANGE_MAX_PAGES) {
		struct smmuv3_cmd cmd = { .opcode = SMMUV3_CMD_TLBI_NH_ASID,
					  .tlbi = { .asid = asid } };

		arm_smmu_cmdq_batch_add(smmu, cmds, &cmd);
		return;
	}
	for (size_t p = 0; p < pages; p++) {
		struct smmuv3_cmd cmd = { .opcode = SMMUV3_CMD_TLBI_NH_VA,
					  .tlbi = { .asid = asid, .leaf = true,
						    .addr = iova + (p << 12) } };

		arm_smmu_cmdq_batch_add(smmu, cmds, &cmd);
	}
}

/**
 * arm_smmu_domain_inv_range() - invalidate [@iova, @iova + @size) of @dom
 * everywhere it may be cached: TLBI per ASID entry, ATC_INV per ATS entry
 * whose master is not ats_broken; one batch, issued with a CMD_SYNC.
 * @size: bytes; 0 means everything.  Context: any; reads dom->invs under RCU.
 */
static void arm_smmu_domain_inv_range(struct arm_smmu_domain *dom, unsigned long iova,
				      size_t size)
{
	struct arm_smmu_device *smmu = dom->smmu;
	struct arm_smmu_cmdq_batch cmds;
	struct arm_smmu_invs *invs;

	if (!smmu)
		return;
	rcu_read_lock();
	invs = rcu_dereference(dom->invs);
	arm_smmu_cmdq_batch_init(smmu, &cmds, invs);
	for (size_t i = 0; invs && i < READ_ONCE(invs->num_invs); i++) {
		struct arm_smmu_inv *cur = &invs->inv[i];
		struct arm_smmu_master *master;
		struct smmuv3_cmd cmd;

		if (!READ_ONCE(cur->users))
			continue;
		switch (cur->type) {
		case INV_TYPE_S1_ASID:
			arm_smmu_inv_add_tlbi(smmu, &cmds, cur->id, iova, size);
			break;
		case INV_TYPE_ATS:
		case INV_TYPE_ATS_FULL:
			master = arm_smmu_inv_find_master(smmu, invs, cur->id);
			/* Do not issue ATC_INV that will definitely time out */
			if (master && READ_ONCE(master->ats_broken) &&
			    smmu->policy.atc_timeout != POL_ATC_TIMEOUT_IGNORE) {
				smmu->stats.atc_inv_skipped_broken++;
				break;
			}
			arm_smmu_atc_inv_to_cmd(cur->id, cur->ssid,
						cur->type == INV_TYPE_ATS_FULL ? 0 : iova,
						cur->type == INV_TYPE_ATS_FULL ? 0 : size, &cmd);
			arm_smmu_cmdq_batch_add(smmu, &cmds, &cmd);
			break;
		default:
			break;
		}
	}
	arm_smmu_cmdq_batch_submit(smmu, &cmds);
	rcu_read_unlock();
}

/**
 * arm_smmu_atc_inv_master() - flush every ATC entry of @master (all SIDs)
 * for @ssid (IOMMU_NO_PASID: untagged entries), with its own CMD_SYNC,
 * unless its ATS is quarantined.  Return: 0 or the issue error.
 * Context: group mutex held (detach paths).  Models Linux
 * arm_smmu_atc_inv_master().
 */
int arm_smmu_atc_inv_master(struct arm_smmu_master *master, u32 ssid)
{
	struct arm_smmu_device *smmu = master->smmu;
	struct arm_smmu_cmdq_batch cmds;

	if (READ_ONCE(master->ats_broken) && smmu->policy.atc_timeout != POL_ATC_TIMEOUT_IGNORE)
		return 0;
	arm_smmu_cmdq_batch_init(smmu, &cmds, master->ats_invs);
	for (unsigned int i = 0; i < master->num_streams; i++) {
		struct smmuv3_cmd cmd;

		arm_smmu_atc_inv_to_cmd(master->streams[i].id, ssid, 0, 0, &cmd);
		arm_smmu_cmdq_batch_add(smmu, &cmds, &cmd);
	}
	return arm_smmu_cmdq_batch_submit(smmu, &cmds);
}

/* ---- ATS ---- */

/**
 * arm_smmu_ats_supported() - @master may use ATS now: SMMU and root
 * complex ATS, a PCI ATS capability, and no quarantine.  Context: any.
 * Models Linux arm_smmu_ats_supported().
 */
bool arm_smmu_ats_supported(struct arm_smmu_master *master)
{
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(master->dev);

	if (!(master->smmu->features & ARM_SMMU_FEAT_ATS))
		return false;
	if (!fwspec || !(fwspec->flags & IOMMU_FWSPEC_PCI_RC_ATS))
		return false;
	/* Until a reset lifts the quarantine (reset_device_done) */
	if (READ_ONCE(master->ats_broken))
		return false;
	return dev_is_pci(master->dev) && pci_ats_supported(to_pci_dev(master->dev));
}

/** arm_smmu_enable_ats() - PCI ATS on (STU 4 KiB).  Linux's name. */
void arm_smmu_enable_ats(struct arm_smmu_master *master)
{
	struct pci_dev *pdev = to_pci_dev(master->dev);

	if (pci_enable_ats(pdev, 12))	/* STU: the smallest page, 4 KiB */
		dev_err(master->dev, "Failed to enable ATS (STU 12)\n");
	else
		master->ats_enabled = true;
}

/** arm_smmu_disable_ats() - PCI ATS off, if the driver enabled it.  Linux's name. */
void arm_smmu_disable_ats(struct arm_smmu_master *master)
{
	if (!master->ats_enabled)
		return;
	pci_disable_ats(to_pci_dev(master->dev));
	master->ats_enabled = false;
}

/* ---- Domains ---- */

static int arm_smmu_attach_dev(struct iommu_domain *domain, struct device *dev,
			       struct iommu_domain *old);
static int arm_smmu_attach_dev_blocked(struct iommu_domain *domain, struct device *dev,
				       struct iommu_domain *old);
static int arm_smmu_attach_dev_identity(struct iommu_domain *domain, struct device *dev,
					struct iommu_domain *old);

static int arm_smmu_map_pages(struct iommu_domain *domain, unsigned long iova,
			      phys_addr_t paddr, size_t pgsize, size_t pgcount, int prot,
			      gfp_t gfp, size_t *mapped)
{
	struct arm_smmu_domain *dom = to_smmu_domain(domain);
	struct hw_mem *mem = dom->smmu ? dom->smmu->mem : NULL;
	uint8_t perm = HW_PERM_R | ((prot & IOMMU_WRITE) ? HW_PERM_W : 0);

	*mapped = 0;
	if (!mem || pgsize != 4096)
		return -EINVAL;
	for (size_t i = 0; i < pgcount; i++) {
		int ret = hw_pgtable_map(mem, dom->pgd, iova + i * pgsize, paddr + i * pgsize,
					 perm, domain->name);
		if (ret)
			return ret;
		*mapped += pgsize;
	}
	return 0;
}

static size_t arm_smmu_unmap_pages(struct iommu_domain *domain, unsigned long iova,
				   size_t pgsize, size_t pgcount,
				   struct iommu_iotlb_gather *gather)
{
	struct arm_smmu_domain *dom = to_smmu_domain(domain);
	size_t done = 0;

	if (!dom->smmu)
		return 0;
	for (size_t i = 0; i < pgcount; i++) {
		unsigned long a = iova + i * pgsize;

		if (hw_pgtable_unmap(dom->smmu->mem, dom->pgd, a, NULL))
			break;
		done += pgsize;
		gather->start = min(gather->start, a);
		gather->end = max(gather->end, a + pgsize - 1);
		gather->pgsize = pgsize;
	}
	return done;
}

static void arm_smmu_iotlb_sync(struct iommu_domain *domain, struct iommu_iotlb_gather *gather)
{
	if (gather->start > gather->end)
		return;
	arm_smmu_domain_inv_range(to_smmu_domain(domain), gather->start,
				  gather->end - gather->start + 1);
}

/**
 * arm_smmu_domain_free() - free a paging or SVA domain no device uses:
 * its page table (the checker forgets its root first), its invalidation
 * array after RCU.  Context: task.  Models Linux arm_smmu_domain_free_paging().
 */
void arm_smmu_domain_free(struct iommu_domain *domain)
{
	struct arm_smmu_domain *dom = to_smmu_domain(domain);

	fault_chk_domain_root(domain, domain->name, 0);
	if (dom->smmu)
		hw_pgtable_free(dom->smmu->mem, dom->pgd);
	kfree_rcu(dom->invs, rcu);
	kfree(dom);
}

static const struct iommu_domain_ops arm_smmu_paging_ops = {
	.attach_dev = arm_smmu_attach_dev,
	.set_dev_pasid = arm_smmu_set_dev_pasid,
	.map_pages = arm_smmu_map_pages,
	.unmap_pages = arm_smmu_unmap_pages,
	.iotlb_sync = arm_smmu_iotlb_sync,
	.free = arm_smmu_domain_free,
};

/* SVA domains: PASID attach only (no attach_dev), Linux arm_smmu_sva_domain_ops. */
static const struct iommu_domain_ops arm_smmu_sva_ops = {
	.set_dev_pasid = arm_smmu_set_dev_pasid,
	.map_pages = arm_smmu_map_pages,
	.unmap_pages = arm_smmu_unmap_pages,
	.iotlb_sync = arm_smmu_iotlb_sync,
	.free = arm_smmu_domain_free,
};

static const struct iommu_domain_ops arm_smmu_blocked_ops = {
	.attach_dev = arm_smmu_attach_dev_blocked,
	.set_dev_pasid = arm_smmu_blocking_set_dev_pasid,
};

static const struct iommu_domain_ops arm_smmu_identity_ops = {
	.attach_dev = arm_smmu_attach_dev_identity,
};

static struct iommu_domain arm_smmu_blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED, .ops = &arm_smmu_blocked_ops,
	.owner = &arm_smmu_ops, .name = "blocking",
};

static struct iommu_domain arm_smmu_identity_domain = {
	.type = IOMMU_DOMAIN_IDENTITY, .ops = &arm_smmu_identity_ops,
	.owner = &arm_smmu_ops, .name = "identity",
};

/*
 * A domain of @type for @master's SMMU with a fresh ASID and page table;
 * the checker learns its root (the name is the buffer the core fills
 * right after: the checker must read it when it reports, not now).
 */
static struct arm_smmu_domain *arm_smmu_domain_alloc(struct arm_smmu_master *master,
						     enum iommu_domain_type type)
{
	struct arm_smmu_domain *dom = kzalloc(sizeof(*dom), GFP_KERNEL);

	kobj_set_name(dom, "arm_smmu_domain");
	dom->domain.type = type;
	dom->domain.ops = type == IOMMU_DOMAIN_SVA ? &arm_smmu_sva_ops : &arm_smmu_paging_ops;
	dom->domain.owner = &arm_smmu_ops;
	dom->domain.pgsize_bitmap = 4096;
	dom->smmu = master->smmu;
	dom->asid = ++master->smmu->next_asid;
	mutex_init(&dom->invs_lock);
	dom->invs = arm_smmu_invs_alloc(0);
	if (hw_pgtable_alloc(dom->smmu->mem, type == IOMMU_DOMAIN_SVA ? "sva pgtable" : "pgtable",
			     &dom->pgd)) {
		kfree(dom->invs);
		kfree(dom);
		return NULL;
	}
	fault_chk_domain_root(&dom->domain, dom->domain.name, dom->pgd);
	return dom;
}

static struct iommu_domain *arm_smmu_domain_alloc_paging(struct device *dev)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	struct arm_smmu_domain *dom;

	if (!master)
		return ERR_PTR(-ENODEV);
	dom = arm_smmu_domain_alloc(master, IOMMU_DOMAIN_PAGING);
	return dom ? &dom->domain : ERR_PTR(-ENOMEM);
}

/**
 * arm_smmu_domain_alloc_sva() - iommu_ops.domain_alloc_sva: an SVA domain
 * for @dev over the process address space @mm (copied into domain->mm),
 * with its own ASID and page table (the model does not share the CPU's:
 * the SVA fault handler maps pages into it with iommu_map()).
 * Return: the domain; ERR_PTR(-ENODEV) without a master, -EOPNOTSUPP when
 * @dev has no PASIDs or cannot fault (neither stall nor PRI), -ENOMEM.
 * Context: task.  Models Linux arm_smmu_sva_domain_alloc().
 */
static struct iommu_domain *arm_smmu_domain_alloc_sva(struct device *dev,
						      const struct iommu_mm *mm)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	struct arm_smmu_domain *dom;

	if (!master)
		return ERR_PTR(-ENODEV);
	if (master->cd_table_entries < 2 || !arm_smmu_master_can_fault(master))
		return ERR_PTR(-EOPNOTSUPP);
	dom = arm_smmu_domain_alloc(master, IOMMU_DOMAIN_SVA);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	if (mm)
		dom->domain.mm = *mm;
	return &dom->domain;
}

/* Leave @old: drop the master's RID entries. */
static void arm_smmu_leave_domain(struct arm_smmu_master *master, bool had_ats)
{
	struct arm_smmu_domain *old = master->domain;

	if (!old)
		return;
	arm_smmu_domain_invs_change(old, master, IOMMU_NO_PASID, had_ats, -1);
	master->domain = NULL;
	master->ssid_domain[IOMMU_NO_PASID] = NULL;
}

static int arm_smmu_attach_dev(struct iommu_domain *domain, struct device *dev,
			       struct iommu_domain *old)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	struct arm_smmu_domain *dom = to_smmu_domain(domain);
	bool had_ats = master->ste_ats_enabled, ats, iopf;
	struct arm_smmu_ste ste;
	struct arm_smmu_cd cd;
	int ret;

	if (dom->smmu != master->smmu)
		return -EINVAL;
	ret = arm_smmu_iopf_attach_prepare(master, domain, &iopf);
	if (ret)
		return ret;
	ats = arm_smmu_ats_supported(master);
	arm_smmu_domain_invs_change(dom, master, IOMMU_NO_PASID, ats, +1);
	arm_smmu_make_domain_cd(master, dom, &cd);
	arm_smmu_write_cd_entry(master, 0, &cd);
	master->rid_kind = ARM_SMMU_RID_PAGING;
	arm_smmu_make_master_ste(master, ats, &ste);
	arm_smmu_install_ste_for_dev(master, &ste);
	master->ste_ats_enabled = ats;
	if (ats && !master->ats_enabled)
		arm_smmu_enable_ats(master);
	else if (!ats)
		arm_smmu_disable_ats(master);
	if (master->domain != dom) {
		arm_smmu_leave_domain(master, had_ats);
		if (had_ats)
			arm_smmu_atc_inv_master(master, IOMMU_NO_PASID);
	} else {
		/* re-attach to the same domain: drop the duplicate entries */
		arm_smmu_domain_invs_change(dom, master, IOMMU_NO_PASID, had_ats, -1);
	}
	master->domain = dom;
	master->ssid_domain[IOMMU_NO_PASID] = dom;
	arm_smmu_iopf_attach_commit(master, IOMMU_NO_PASID, old, domain, iopf);
	return 0;
}

/*
 * The RID leaves translation for @kind (blocked or identity).  With
 * PASIDs in use the STE stays a CD-table STE (S1DSS terminate/bypass)
 * with ATS kept on, and CD 0 is cleared after it (Linux
 * arm_smmu_attach_dev_ste()); otherwise abort/bypass with ATS off.
 */
static int arm_smmu_attach_dev_ste(struct iommu_domain *domain, struct device *dev,
				   struct iommu_domain *old, u8 kind)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	bool had_ats = master->ste_ats_enabled, had_cd0 = master->domain != NULL;
	bool pasids = arm_smmu_ssids_in_use(master);
	bool ats = pasids && arm_smmu_ats_supported(master);
	struct arm_smmu_ste ste;

	if (!ats)
		arm_smmu_disable_ats(master);
	master->rid_kind = kind;
	arm_smmu_make_master_ste(master, ats, &ste);
	arm_smmu_install_ste_for_dev(master, &ste);
	master->ste_ats_enabled = ats;
	if (ats && !master->ats_enabled)
		arm_smmu_enable_ats(master);
	if (had_ats)
		arm_smmu_atc_inv_master(master, IOMMU_NO_PASID);
	arm_smmu_leave_domain(master, had_ats);
	if (pasids && had_cd0)
		arm_smmu_clear_cd(master, IOMMU_NO_PASID);
	arm_smmu_iopf_attach_commit(master, IOMMU_NO_PASID, old, domain, false);
	return 0;
}

static int arm_smmu_attach_dev_blocked(struct iommu_domain *domain, struct device *dev,
				       struct iommu_domain *old)
{
	return arm_smmu_attach_dev_ste(domain, dev, old, ARM_SMMU_RID_BLOCKED);
}

static int arm_smmu_attach_dev_identity(struct iommu_domain *domain, struct device *dev,
					struct iommu_domain *old)
{
	return arm_smmu_attach_dev_ste(domain, dev, old, ARM_SMMU_RID_IDENTITY);
}

/* ---- Probe and release of devices ---- */

static int arm_smmu_probe_device(struct device *dev)
{
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);
	struct arm_smmu_device *smmu = fwspec->iommu_fwnode;
	struct arm_smmu_master *master;
	unsigned int cds;
	int ret;

	master = kzalloc(sizeof(*master), GFP_KERNEL);
	kobj_set_name(master, "arm_smmu_master %s", dev_name(dev));
	master->smmu = smmu;
	master->dev = dev;
	spin_lock_init(&master->ats_broken_lock);
	master->num_streams = fwspec->num_ids;
	master->streams = kcalloc(fwspec->num_ids, sizeof(*master->streams), GFP_KERNEL);
	master->ats_invs = arm_smmu_invs_alloc(fwspec->num_ids);
	master->ats_invs->has_ats = true;
	for (unsigned int i = 0; i < fwspec->num_ids; i++) {
		master->streams[i] = (struct arm_smmu_stream){ .id = fwspec->ids[i],
							       .master = master };
		master->ats_invs->inv[i] = (struct arm_smmu_inv){
			.smmu = smmu, .master = master, .type = INV_TYPE_ATS,
			.id = fwspec->ids[i], .users = 1 };
	}
	master->ats_invs->num_invs = fwspec->num_ids;
	if (hw_mem_alloc(smmu->mem, 1, "cd table", &master->cd_table_dma)) {
		ret = -ENOMEM;
		goto err_free;
	}
	master->cd_table = hw_mem_ptr(smmu->mem, master->cd_table_dma, 4096);
	memset(master->cd_table, 0, 4096);
	/* the core learns max_pasids after probe_device, as Linux: ask the device */
	cds = arm_smmu_enable_pasid(master);
	master->cd_table_entries = cds ? cds : 1;
	arm_smmu_master_probe_faults(master);
	ret = arm_smmu_insert_streams(smmu, master);
	if (ret)
		goto err_cd;
	dev_iommu_priv_set(dev, master);
	return 0;

err_cd:
	hw_mem_free(smmu->mem, master->cd_table_dma, 1);
err_free:
	kfree(master->ats_invs);
	kfree(master->streams);
	kfree(master);
	return ret;
}

static void arm_smmu_release_device(struct device *dev)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	struct arm_smmu_device *smmu = master->smmu;
	struct arm_smmu_ste ste;

	/* The core detached every domain first: nothing uses IOPF any more. */
	WARN_ON(master->iopf_refcount);
	arm_smmu_disable_ats(master);
	arm_smmu_make_abort_ste(ste.data);
	arm_smmu_install_ste_for_dev(master, &ste);
	arm_smmu_remove_streams(smmu, master);
	/* inv->master readers (RCU) must be gone before the master is (patch 17) */
	synchronize_rcu();
	hw_mem_free(smmu->mem, master->cd_table_dma, 1);
	kfree(master->ats_invs);
	kfree(master->streams);
	kfree(master);
}

const struct iommu_ops arm_smmu_ops = {
	.probe_device = arm_smmu_probe_device,
	.release_device = arm_smmu_release_device,
	.reset_device_done = arm_smmu_reset_device_done,
	.domain_alloc_paging = arm_smmu_domain_alloc_paging,
	.domain_alloc_sva = arm_smmu_domain_alloc_sva,
	.page_response = arm_smmu_page_response,
	.drain_faults = arm_smmu_drain_faults,
	.identity_domain = &arm_smmu_identity_domain,
	.blocked_domain = &arm_smmu_blocked_domain,
};
