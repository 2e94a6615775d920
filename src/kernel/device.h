/* SPDX-License-Identifier: MIT */
/*
 * struct device (<linux/device.h>): the slice the IOMMU core, the IOMMU
 * drivers and the PCI core model use.  A struct pci_dev (core/pci.h) embeds
 * one; so does an SMMU's own platform device.
 */
#ifndef IOMMUSIM_KERNEL_DEVICE_H
#define IOMMUSIM_KERNEL_DEVICE_H

#include <stdbool.h>

struct dev_iommu;
struct iommu_group;

/**
 * struct device - a device.
 * @name:	dev_name(): "0000:00:10.0" for PCI functions, "smmu0".
 * @iommu:	the IOMMU core's per-device data (struct dev_iommu), NULL
 *		when no IOMMU handles the device (Linux dev->iommu).
 * @iommu_group: its group, NULL before probe and after removal (Linux
 *		dev->iommu_group; written under the group's mutex).
 * @driver_data: dev_get_drvdata().
 * @is_pci:	dev_is_pci(): the device is the .dev of a struct pci_dev.
 */
struct device {
	const char *name;
	struct dev_iommu *iommu;
	struct iommu_group *iommu_group;
	void *driver_data;
	bool is_pci;
};

static inline const char *dev_name(const struct device *dev)
{
	return dev ? dev->name : "(null)";
}

static inline bool dev_is_pci(const struct device *dev)
{
	return dev && dev->is_pci;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#endif
