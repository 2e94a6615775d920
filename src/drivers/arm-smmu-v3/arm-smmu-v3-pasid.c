// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: PASID attachments (Linux arm_smmu_set_pasid(),
 * arm_smmu_blocking_set_dev_pasid(), arm_smmu_sva_set_dev_pasid()).
 *
 * A PASID is CD number SSID of the master's linear CD table.  The STE
 * points at the table whenever the RID is on a paging domain or a PASID
 * is in use; with the RID blocked or identity it then carries S1DSS =
 * TERMINATE or BYPASS, and ATS stays on (arm_smmu_make_master_ste()).
 *
 * Attach or replace of @pasid with a paging or SVA domain:
 *   1. IOPF reference if the domain takes faults (arm-smmu-v3-iopf.c);
 *   2. the domain's invalidation entries (ASID; ATS tagged with @pasid);
 *   3. first PASID with the RID off translation: clear CD 0;
 *   4. CD @pasid written (CFGI_CD + CMD_SYNC, hitless writer);
 *   5. first PASID: the CD-table STE, then PCI ATS on;
 *   6. the old domain's entries dropped, its ATC entries for @pasid
 *      flushed;
 *   7. commit: PRI on if needed, iopf_drain, old IOPF reference dropped.
 * Removal (the blocked domain) clears the CD, goes back to the abort or
 * bypass STE after the last PASID, drops entries, flushes the ATC for
 * @pasid and commits; the core then discards the PASID's pending faults
 * (iopf_queue_discard_dev_pasid(), policy iopf_discard).
 */
#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

/** arm_smmu_enable_pasid() - see arm-smmu-v3.h. */
unsigned int arm_smmu_enable_pasid(struct arm_smmu_master *master)
{
	struct pci_dev *pdev;
	unsigned int bits;
	u16 cap = 0, ctrl = 0;

	if (!dev_is_pci(master->dev) || !master->smmu->ssid_bits)
		return 0;
	pdev = to_pci_dev(master->dev);
	if (!pdev->pasid_cap)
		return 0;
	pci_read_config_word(pdev, pdev->pasid_cap + PCI_PASID_CAP, &cap);
	if (cap == 0xffff || !PCI_PASID_CAP_WIDTH(cap))
		return 0;
	bits = min((unsigned int)PCI_PASID_CAP_WIDTH(cap), master->smmu->ssid_bits);
	bits = min(bits, (unsigned int)ilog2(ARM_SMMU_MAX_SSIDS));
	pci_read_config_word(pdev, pdev->pasid_cap + PCI_PASID_CTRL, &ctrl);
	ctrl |= PCI_PASID_CTRL_ENABLE;
	pci_write_config_word(pdev, pdev->pasid_cap + PCI_PASID_CTRL, ctrl);
	pdev->pasid_enabled = true;
	return 1u << bits;
}

static bool arm_smmu_cd_table_live(const struct arm_smmu_master *master)
{
	return master->rid_kind == ARM_SMMU_RID_PAGING || arm_smmu_ssids_in_use(master);
}

/* The first PASID turns the abort/bypass STE into a CD-table one. */
static void arm_smmu_pasid_install_ste(struct arm_smmu_master *master, bool ats)
{
	struct arm_smmu_ste ste;

	arm_smmu_make_master_ste(master, ats, &ste);
	arm_smmu_install_ste_for_dev(master, &ste);
	master->ste_ats_enabled = ats;
	if (ats && !master->ats_enabled)
		arm_smmu_enable_ats(master);
}

/* The last PASID went and the RID does not translate: abort/bypass, ATS off. */
static void arm_smmu_pasid_release_ste(struct arm_smmu_master *master)
{
	struct arm_smmu_ste ste;

	arm_smmu_disable_ats(master);
	arm_smmu_make_master_ste(master, false, &ste);
	arm_smmu_install_ste_for_dev(master, &ste);
	master->ste_ats_enabled = false;
}

/* Forget @dom at @pasid: its entries, and the ATC's translations for it. */
static void arm_smmu_pasid_leave(struct arm_smmu_master *master, struct arm_smmu_domain *dom,
				 ioasid_t pasid)
{
	bool had_ats = master->ssid_ats & BIT_ULL(pasid);

	arm_smmu_domain_invs_change(dom, master, pasid, had_ats, -1);
	if (had_ats)
		arm_smmu_atc_inv_master(master, pasid);
}

/** arm_smmu_set_dev_pasid() - see arm-smmu-v3.h. */
int arm_smmu_set_dev_pasid(struct iommu_domain *domain, struct device *dev,
			   ioasid_t pasid, struct iommu_domain *old)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	struct arm_smmu_domain *dom = to_smmu_domain(domain);
	struct arm_smmu_domain *old_dom;
	bool live, ats, iopf;
	struct arm_smmu_cd cd;
	int ret;

	if (!master || pasid == IOMMU_NO_PASID || pasid >= master->cd_table_entries)
		return -EINVAL;
	if (dom->smmu != master->smmu)
		return -EINVAL;
	ret = arm_smmu_iopf_attach_prepare(master, domain, &iopf);
	if (ret)
		return ret;
	old_dom = master->ssid_domain[pasid];
	live = arm_smmu_cd_table_live(master);
	/* Linux cd_needs_ats: a CD table in use assumes a PASID uses ATS */
	ats = live ? master->ste_ats_enabled : arm_smmu_ats_supported(master);
	arm_smmu_domain_invs_change(dom, master, pasid, ats, +1);
	if (!live)
		arm_smmu_clear_cd(master, IOMMU_NO_PASID);
	arm_smmu_make_domain_cd(master, dom, &cd);
	arm_smmu_write_cd_entry(master, pasid, &cd);
	master->ssid_domain[pasid] = dom;
	if (!live)
		arm_smmu_pasid_install_ste(master, ats);
	if (old_dom)
		arm_smmu_pasid_leave(master, old_dom, pasid);
	if (ats)
		master->ssid_ats |= BIT_ULL(pasid);
	else
		master->ssid_ats &= ~BIT_ULL(pasid);
	arm_smmu_iopf_attach_commit(master, pasid, old, domain, iopf);
	return 0;
}

/** arm_smmu_blocking_set_dev_pasid() - see arm-smmu-v3.h. */
int arm_smmu_blocking_set_dev_pasid(struct iommu_domain *domain, struct device *dev,
				    ioasid_t pasid, struct iommu_domain *old)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	struct arm_smmu_domain *old_dom;

	if (!master || pasid == IOMMU_NO_PASID || pasid >= master->cd_table_entries)
		return -EINVAL;
	old_dom = master->ssid_domain[pasid];
	if (!old_dom)
		return 0;
	arm_smmu_clear_cd(master, pasid);
	master->ssid_domain[pasid] = NULL;
	if (!arm_smmu_cd_table_live(master))
		arm_smmu_pasid_release_ste(master);
	arm_smmu_pasid_leave(master, old_dom, pasid);
	master->ssid_ats &= ~BIT_ULL(pasid);
	arm_smmu_iopf_attach_commit(master, pasid, old, domain, false);
	return 0;
}
