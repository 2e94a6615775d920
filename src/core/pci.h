/* SPDX-License-Identifier: MIT */
/*
 * The slice of the Linux PCI core the IOMMU core and drivers meet
 * (drivers/pci/pci.c, ats.c): config accessors over the endpoint model,
 * ATS/PRI enable, FLR and pci_reset_function() with the IOMMU reset hooks
 * of seed 003 (patches 01, 02, 04).
 *
 * Reset methods, tried in order by __pci_reset_function_locked() as Linux
 * does: "flr" (pcie_reset_flr: -ENOTTY in probe mode when DEVCAP.FLR is
 * clear, so the next method is tried), then "bus" (the parent bus reset:
 * this model has no bridge, so after pci_dev_reset_iommu_prepare() it
 * returns -ENOTTY, the overloaded value of the FIXME in patch 04).
 * pci_dev_wait() polls the function's config space after an FLR with
 * doubling sleeps and gives up with -ENOTTY after PCIE_RESET_READY_POLL_MS,
 * as Linux does.  Probe-mode calls never touch the IOMMU (patch 01).
 */
#ifndef IOMMUSIM_CORE_PCI_H
#define IOMMUSIM_CORE_PCI_H

#include "hw/pcie/pcie_ep.h"
#include "kernel/kernel.h"

#define PCIE_RESET_READY_POLL_MS	60000	/* Linux: 60 s */
#define PCI_MAX_DMA_ALIASES		8

/**
 * struct pci_dev - a PCI function.
 * @dev:	its device (dev.is_pci set).
 * @ep:		the endpoint model behind its config space.
 * @rid:	Requester ID (its first Stream ID in this model).
 * @dma_alias, @ndma_alias: extra Requester IDs its DMA may carry.
 * @ats_cap, @pri_cap, @pasid_cap: extended capability offsets, 0 if absent.
 * @ats_enabled, @ats_stu: pci_enable_ats() state (Linux fields).
 * @pri_enabled, @pasid_enabled: likewise.
 * @reset_lock:	device_lock(): serialises resets.
 * @resets, @resets_failed: pci_reset_function() calls and failures.
 * @last_reset_ok_time: virtual time (ns) of the last successful reset's
 *		end, 0 if none (STALE_QUARANTINE checker).
 * @reset_failed: the last reset failed and no successful one followed
 *		(QUARANTINE_ESCAPE checker: the PCI layer's own record,
 *		independent of the IOMMU core's state).
 */
struct pci_dev {
	struct device dev;
	struct pcie_ep *ep;
	u32 rid;
	u32 dma_alias[PCI_MAX_DMA_ALIASES];
	unsigned int ndma_alias;
	u16 ats_cap, pri_cap, pasid_cap;
	bool ats_enabled;
	u8 ats_stu;
	bool pri_enabled;
	bool pasid_enabled;
	struct mutex reset_lock;
	u64 resets, resets_failed;
	u64 last_reset_ok_time;
	bool reset_failed;
	char name[32];
};

static inline struct pci_dev *to_pci_dev(struct device *dev)
{
	return container_of(dev, struct pci_dev, dev);
}

/**
 * pci_dev_init() - set up @pdev for endpoint @ep named @name with Requester
 * ID @rid and DMA aliases; finds the capabilities.
 */
void pci_dev_init(struct pci_dev *pdev, struct pcie_ep *ep, const char *name,
		  u32 rid, const u32 *aliases, unsigned int naliases);

/* Config space (each a scheduling point); return 0 or PCIBIOS error. */
int pci_read_config_word(struct pci_dev *pdev, int where, u16 *val);
int pci_read_config_dword(struct pci_dev *pdev, int where, u32 *val);
int pci_write_config_word(struct pci_dev *pdev, int where, u16 val);
int pci_write_config_dword(struct pci_dev *pdev, int where, u32 val);

/** pci_ats_supported() - the function has an ATS capability. */
bool pci_ats_supported(struct pci_dev *pdev);
/**
 * pci_enable_ats() - set ATS_CTRL.Enable with the Smallest Translation
 * Unit for pages of 2^@ps bytes (@ps >= 12; the STU field is @ps - 12, as
 * Linux's pci_enable_ats(pdev, PAGE_SHIFT)); keeps pdev->ats_enabled and
 * ats_stu.  Return: 0; -EINVAL without the capability or with @ps out of
 * range; -EBUSY (and a WARN, as Linux) if already enabled.
 */
int pci_enable_ats(struct pci_dev *pdev, int ps);
/** pci_disable_ats() - clear ATS_CTRL.Enable (WARN if not enabled, as Linux). */
void pci_disable_ats(struct pci_dev *pdev);

/** pci_enable_pri() / pci_disable_pri() - PRI control (used by #5). */
int pci_enable_pri(struct pci_dev *pdev, u32 reqs);
void pci_disable_pri(struct pci_dev *pdev);

/**
 * pcie_flr() - Function Level Reset with the IOMMU hooks: wait for
 * pending transactions (DEVSTA.TRPND), prepare, write BCR_FLR, msleep(100),
 * pci_dev_wait(), record the outcome in @pdev (reset_failed,
 * last_reset_ok_time: before the core hears it), done(result).
 * Return: 0, the prepare error, or -ENOTTY when the function never became
 * ready.  Context: task, sleeps.
 */
int pcie_flr(struct pci_dev *pdev);

/**
 * pcie_reset_flr() - the "flr" reset method: with @probe, -ENOTTY when
 * DEVCAP.FLR is clear, else 0, touching nothing; otherwise pcie_flr().
 */
int pcie_reset_flr(struct pci_dev *pdev, bool probe);

/**
 * pci_reset_function() - reset the function: device_lock (reset_lock),
 * save COMMAND and disable it (no Bus Master during the reset), try "flr"
 * then "bus" (the next only on -ENOTTY), restore COMMAND, count the reset
 * in resets/resets_failed.  Each method records reset_failed and
 * last_reset_ok_time before its pci_dev_reset_iommu_done().
 * Return: 0 or the last method's error.  Context: task, sleeps.
 */
int pci_reset_function(struct pci_dev *pdev);

/**
 * pci_probe_reset_function() - ask each method in probe mode which works
 * (sysfs reset_method).  Return: 0 if one would, else -ENOTTY.  Touches
 * neither the device nor the IOMMU (patch 01; it reads DEVCAP), unless
 * IOMMU_BUG_PROBE_RESET_TOUCHES puts prepare/done(-ENOTTY) back around
 * the "bus" probe, which leaves the device blocked RESET_FAILED.
 */
int pci_probe_reset_function(struct pci_dev *pdev);

/**
 * pci_dev_wait() - poll config space until the function answers (not all
 * ones), sleeping 1, 2, 4 ... ms, for at most @timeout_ms.
 * Return: 0, or -ENOTTY on timeout (Linux's value).
 */
int pci_dev_wait(struct pci_dev *pdev, const char *reset_type, int timeout_ms);

/**
 * pci_for_each_dma_alias() - call @fn for the RID and each DMA alias until
 * it returns non-zero; return that value or 0.
 */
int pci_for_each_dma_alias(struct pci_dev *pdev,
			   int (*fn)(struct pci_dev *pdev, u16 alias, void *data),
			   void *data);

#define pci_err(pdev, fmt, ...)	 dev_err(&(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_warn(pdev, fmt, ...) dev_warn(&(pdev)->dev, fmt, ##__VA_ARGS__)
#define pci_info(pdev, fmt, ...) dev_info(&(pdev)->dev, fmt, ##__VA_ARGS__)

#endif
