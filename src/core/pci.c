// SPDX-License-Identifier: MIT
/*
 * The slice of the Linux PCI core the IOMMU side meets (drivers/pci/pci.c,
 * ats.c): config accessors over the endpoint model, ATS and PRI control,
 * FLR with pci_dev_wait(), and pci_reset_function() with the IOMMU reset
 * hooks of seed 003 (patch 01: probe mode never touches the IOMMU; patch
 * 02/04: the reset result is passed to pci_dev_reset_iommu_done()).
 *
 * Reset bookkeeping for the checkers is done by the reset methods, before
 * pci_dev_reset_iommu_done() runs, so the core already sees the outcome:
 * pdev->reset_failed (QUARANTINE_ESCAPE) and pdev->last_reset_ok_time
 * (STALE_QUARANTINE).  pci_reset_function() counts resets.
 */
#include "core/pci.h"

#include <stdio.h>
#include <string.h>

#include "core/iommu.h"
#include "core/iommu_internal.h"

#define PCIBIOS_SUCCESSFUL		0x00
#define PCIBIOS_BAD_REGISTER_NUMBER	0x87
#define PCI_COMMAND_INTX_DISABLE	0x400
#define PCI_ATS_MIN_STU			12	/* log2 of the smallest STU, 4 KiB */
#define PCI_RESET_WAIT			1000	/* ms: beyond this pci_dev_wait() logs */
#define PCI_POSSIBLE_ERROR(v)		((v) == 0xffffffffu)

void pci_dev_init(struct pci_dev *pdev, struct pcie_ep *ep, const char *name,
		  u32 rid, const u32 *aliases, unsigned int naliases)
{
	memset(pdev, 0, sizeof(*pdev));
	pdev->ep = ep;
	snprintf(pdev->name, sizeof(pdev->name), "%s", name ? name : pcie_ep_name(ep));
	pdev->dev.name = pdev->name;
	pdev->dev.is_pci = true;
	pdev->rid = rid;
	if (naliases > PCI_MAX_DMA_ALIASES)
		naliases = PCI_MAX_DMA_ALIASES;
	for (unsigned int i = 0; i < naliases; i++)
		pdev->dma_alias[i] = aliases[i];
	pdev->ndma_alias = naliases;
	pdev->ats_cap = pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_ATS);
	pdev->pri_cap = pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_PRI);
	pdev->pasid_cap = pcie_ep_find_ext_cap(ep, PCI_EXT_CAP_ID_PASID);
	mutex_init(&pdev->reset_lock);
	pdev->reset_lock.name = "device_lock";
}

/* ---- Config space ---- */

static int cfg_check(int where, unsigned size)
{
	if (where < 0 || where + size > PCIE_CFG_SIZE || (where & (size - 1)))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	return PCIBIOS_SUCCESSFUL;
}

int pci_read_config_word(struct pci_dev *pdev, int where, u16 *val)
{
	int ret = cfg_check(where, 2);

	*val = ret ? 0xffff : (u16)pcie_ep_cfg_read(pdev->ep, where, 2);
	return ret;
}

int pci_read_config_dword(struct pci_dev *pdev, int where, u32 *val)
{
	int ret = cfg_check(where, 4);

	*val = ret ? 0xffffffffu : pcie_ep_cfg_read(pdev->ep, where, 4);
	return ret;
}

int pci_write_config_word(struct pci_dev *pdev, int where, u16 val)
{
	int ret = cfg_check(where, 2);

	if (!ret)
		pcie_ep_cfg_write(pdev->ep, where, 2, val);
	return ret;
}

int pci_write_config_dword(struct pci_dev *pdev, int where, u32 val)
{
	int ret = cfg_check(where, 4);

	if (!ret)
		pcie_ep_cfg_write(pdev->ep, where, 4, val);
	return ret;
}

/* ---- ATS and PRI ---- */

bool pci_ats_supported(struct pci_dev *pdev)
{
	return pdev->ats_cap != 0;
}

int pci_enable_ats(struct pci_dev *pdev, int ps)
{
	u16 ctrl;

	if (!pci_ats_supported(pdev))
		return -EINVAL;
	if (WARN_ON(pdev->ats_enabled))
		return -EBUSY;
	if (ps < PCI_ATS_MIN_STU || ps - PCI_ATS_MIN_STU > 0x1f)
		return -EINVAL;
	pdev->ats_stu = (u8)ps;
	ctrl = PCI_ATS_CTRL_ENABLE | PCI_ATS_CTRL_STU(ps - PCI_ATS_MIN_STU);
	pci_write_config_word(pdev, pdev->ats_cap + PCI_ATS_CTRL, ctrl);
	pdev->ats_enabled = true;
	return 0;
}

void pci_disable_ats(struct pci_dev *pdev)
{
	u16 ctrl;

	if (WARN_ON(!pdev->ats_enabled))
		return;
	pci_read_config_word(pdev, pdev->ats_cap + PCI_ATS_CTRL, &ctrl);
	if (ctrl == 0xffff)
		ctrl = 0;		/* function not answering: write a clean value */
	ctrl &= ~PCI_ATS_CTRL_ENABLE;
	pci_write_config_word(pdev, pdev->ats_cap + PCI_ATS_CTRL, ctrl);
	pdev->ats_enabled = false;
}

int pci_enable_pri(struct pci_dev *pdev, u32 reqs)
{
	u16 ctrl, status;
	u32 max_requests;

	if (!pdev->pri_cap)
		return -EINVAL;
	if (WARN_ON(pdev->pri_enabled))
		return -EBUSY;
	pci_read_config_word(pdev, pdev->pri_cap + PCI_PRI_STATUS, &status);
	if (status == 0xffff || !(status & PCI_PRI_STATUS_STOPPED))
		return -EBUSY;		/* requests still outstanding */
	pci_read_config_dword(pdev, pdev->pri_cap + PCI_PRI_MAX_REQ, &max_requests);
	if (reqs > max_requests)
		reqs = max_requests;
	pci_write_config_dword(pdev, pdev->pri_cap + PCI_PRI_ALLOC_REQ, reqs);
	pci_read_config_word(pdev, pdev->pri_cap + PCI_PRI_CTRL, &ctrl);
	ctrl |= PCI_PRI_CTRL_ENABLE;
	pci_write_config_word(pdev, pdev->pri_cap + PCI_PRI_CTRL, ctrl);
	pdev->pri_enabled = true;
	return 0;
}

void pci_disable_pri(struct pci_dev *pdev)
{
	u16 ctrl;

	if (WARN_ON(!pdev->pri_enabled))
		return;
	pci_read_config_word(pdev, pdev->pri_cap + PCI_PRI_CTRL, &ctrl);
	if (ctrl == 0xffff)
		ctrl = 0;
	ctrl &= ~PCI_PRI_CTRL_ENABLE;
	pci_write_config_word(pdev, pdev->pri_cap + PCI_PRI_CTRL, ctrl);
	pdev->pri_enabled = false;
}

int pci_for_each_dma_alias(struct pci_dev *pdev,
			   int (*fn)(struct pci_dev *pdev, u16 alias, void *data),
			   void *data)
{
	int ret = fn(pdev, (u16)pdev->rid, data);

	for (unsigned int i = 0; !ret && i < pdev->ndma_alias; i++)
		ret = fn(pdev, (u16)pdev->dma_alias[i], data);
	return ret;
}

/* ---- Reset ---- */

/* What a reset method learned, recorded before the IOMMU core hears it. */
static void pci_reset_record(struct pci_dev *pdev, int ret)
{
	if (ret) {
		pdev->reset_failed = true;
	} else {
		pdev->reset_failed = false;
		pdev->last_reset_ok_time = sim_now();
	}
}

int pci_dev_wait(struct pci_dev *pdev, const char *reset_type, int timeout_ms)
{
	int delay = 1;
	u32 id;

	might_sleep();
	for (;;) {
		pci_read_config_dword(pdev, PCI_COMMAND, &id);
		if (!PCI_POSSIBLE_ERROR(id))
			break;
		if (delay > timeout_ms) {
			pci_warn(pdev, "not ready %dms after %s; giving up", delay - 1,
				 reset_type);
			return -ENOTTY;
		}
		if (delay > PCI_RESET_WAIT)
			pci_info(pdev, "not ready %dms after %s; waiting", delay - 1,
				 reset_type);
		msleep(delay);
		delay *= 2;
	}
	if (delay > PCI_RESET_WAIT)
		pci_info(pdev, "ready %dms after %s", delay - 1, reset_type);
	return 0;
}

/* Wait for DEVSTA.TRPND to clear, with growing sleeps (up to 4 tries). */
static bool pci_wait_for_pending_transaction(struct pci_dev *pdev)
{
	u16 sta;

	for (int i = 0; i < 4; i++) {
		if (i)
			msleep((1u << (i - 1)) * 100);
		pci_read_config_word(pdev, PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVSTA, &sta);
		if (sta == 0xffff || !(sta & PCI_EXP_DEVSTA_TRPND))
			return true;
	}
	return false;
}

int pcie_flr(struct pci_dev *pdev)
{
	u16 ctl;
	int ret;

	if (!pci_wait_for_pending_transaction(pdev))
		pci_err(pdev, "timed out waiting for pending transaction; performing function level reset anyway");

	/* After the pending DMA drained: block the IOMMU side */
	ret = pci_dev_reset_iommu_prepare(pdev);
	if (ret) {
		pci_err(pdev, "failed to stop IOMMU for a PCI reset: %d", ret);
		return ret;
	}

	pci_read_config_word(pdev, PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCTL, &ctl);
	if (ctl == 0xffff)
		ctl = 0;
	pci_write_config_word(pdev, PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCTL,
			      ctl | PCI_EXP_DEVCTL_BCR_FLR);

	/* PCIe r6 6.6.2: software waits 100 ms before the first access */
	msleep(100);
	ret = pci_dev_wait(pdev, "FLR", PCIE_RESET_READY_POLL_MS);

	pci_reset_record(pdev, ret);
	pci_dev_reset_iommu_done(pdev, ret);
	return ret;
}

int pcie_reset_flr(struct pci_dev *pdev, bool probe)
{
	u32 devcap;

	/* DEVCAP is read live: the flr=enotty knob may change it at run time */
	pci_read_config_dword(pdev, PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCAP, &devcap);
	if (!(devcap & PCI_EXP_DEVCAP_FLR))
		return -ENOTTY;
	if (probe)
		return 0;
	return pcie_flr(pdev);
}

/*
 * The "bus" method: a secondary bus reset through the parent bridge.  The
 * model has no bridge, so the reset itself is -ENOTTY; the IOMMU hooks
 * run around it as in Linux, and are skipped in probe mode (patch 01)
 * unless IOMMU_BUG_PROBE_RESET_TOUCHES recreates the code before it.
 */
static int pci_reset_bus_function(struct pci_dev *pdev, bool probe)
{
	bool hooks = !probe || iommu_core_bug(IOMMU_BUG_PROBE_RESET_TOUCHES);
	int rc;

	if (hooks) {
		rc = pci_dev_reset_iommu_prepare(pdev);
		if (rc) {
			pci_err(pdev, "failed to stop IOMMU for a PCI reset: %d", rc);
			return rc;
		}
	}
	rc = -ENOTTY;			/* no slot, no parent bridge */
	if (!probe)
		pci_reset_record(pdev, rc);
	if (hooks)
		pci_dev_reset_iommu_done(pdev, rc);
	return rc;
}

typedef int (*pci_reset_fn)(struct pci_dev *pdev, bool probe);

static const struct {
	const char *name;
	pci_reset_fn fn;
} pci_reset_methods[] = {
	{ "flr", pcie_reset_flr },
	{ "bus", pci_reset_bus_function },
};

int pci_reset_function(struct pci_dev *pdev)
{
	u16 cmd;
	int rc = -ENOTTY;

	might_sleep();
	mutex_lock(&pdev->reset_lock);

	/* Save and disable: no DMA while the function resets */
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pci_write_config_word(pdev, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);

	for (size_t i = 0; i < ARRAY_SIZE(pci_reset_methods); i++) {
		rc = pci_reset_methods[i].fn(pdev, false);
		if (rc != -ENOTTY)
			break;		/* done, or failed for real */
	}

	/* Restore the Command register (Bus Master), if it was read at all */
	if (cmd != 0xffff)
		pci_write_config_word(pdev, PCI_COMMAND, cmd);

	pdev->resets++;
	if (rc)
		pdev->resets_failed++;
	mutex_unlock(&pdev->reset_lock);
	return rc;
}

int pci_probe_reset_function(struct pci_dev *pdev)
{
	int rc = -ENOTTY;

	for (size_t i = 0; i < ARRAY_SIZE(pci_reset_methods); i++)
		if (!pci_reset_methods[i].fn(pdev, true))
			rc = 0;
	return rc;
}
